//! Issue 14's load check on loopback: `sheetscript serve` (default
//! `--max-runs 2`, so most previews wait their turn) gets 20 previews of
//! samples/invoices.xlsx through scripts/vat.rhai at once; none may fail,
//! and the median and 95th-percentile latency are printed.
//!
//! Run with `cargo bench --bench web_load`. `SHEETSCRIPT_LOAD_CLIENTS`
//! (default 20, at most 200) sets how many previews go at once. Every
//! request goes to 127.0.0.1 and the run stops by itself.

#[path = "../tests/support/served.rs"]
mod served;

use served::Served;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// The multipart boundary; it does not occur in the sample workbook.
const BOUNDARY: &str = "sheetscript-load-check-7d1f0c9a3b";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into()
}

/// The form's CSRF value (repeated in its cookie) and its other fields
/// with their defaults, from the script's page.
fn form(agent: &ureq::Agent, base: &str) -> (String, Vec<(String, String)>) {
    let mut page = agent
        .get(&format!("{base}/scripts/vat?lang=en"))
        .call()
        .expect("the form page");
    assert_eq!(page.status(), 200, "the form page");
    let html = page.body_mut().read_to_string().expect("form html");
    let inputs = regex::Regex::new(r#"<input[^>]*>"#).expect("regex");
    let attr = |tag: &str, name: &str| -> Option<String> {
        let re = regex::Regex::new(&format!(r#"\s{name}="([^"]*)""#)).expect("regex");
        re.captures(tag).map(|c| c[1].to_string())
    };
    let mut csrf = None;
    let mut fields = Vec::new();
    for tag in inputs.find_iter(&html).map(|m| m.as_str()) {
        match (attr(tag, "name"), attr(tag, "value")) {
            (Some(n), Some(v)) if n == "csrf" => csrf = Some(v),
            (Some(n), Some(v)) if n.starts_with("param:") => fields.push((n, v)),
            _ => {}
        }
    }
    (csrf.expect("a csrf field in the form"), fields)
}

/// A multipart body with the sample workbook, the CSRF value and `fields`.
fn body(csrf: &str, fields: &[(String, String)]) -> Vec<u8> {
    let workbook = std::fs::read(root().join("samples/invoices.xlsx")).expect("sample");
    let mut out = Vec::with_capacity(workbook.len() + 1024);
    let text = |name: &str, value: &str, out: &mut Vec<u8>| {
        out.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    };
    text("csrf", csrf, &mut out);
    for (n, v) in fields {
        text(n, v, &mut out);
    }
    out.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"workbook\"; filename=\"invoices.xlsx\"\r\n\
             Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        .as_bytes(),
    );
    out.extend_from_slice(&workbook);
    out.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    out
}

/// One preview: its latency, or what went wrong.
fn preview(agent: &ureq::Agent, base: &str, csrf: &str, body: &[u8]) -> Result<Duration, String> {
    let started = Instant::now();
    let mut response = agent
        .post(&format!("{base}/scripts/vat/preview?lang=en"))
        .header(
            "Content-Type",
            &format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("Cookie", &format!("sheetscript_csrf={csrf}"))
        .send(body)
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let mut html = String::new();
    response
        .body_mut()
        .as_reader()
        .read_to_string(&mut html)
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if status != 200 || !html.contains("id=\"summary\"") {
        let start = html.find("<pre id=\"error\"").unwrap_or(0);
        let end = (start + 600).min(html.len());
        return Err(format!(
            "HTTP {status}: {}",
            html.get(start..end).unwrap_or("")
        ));
    }
    Ok(elapsed)
}

fn main() {
    // `cargo test` runs benches with --bench absent: nothing to check then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let clients = std::env::var("SHEETSCRIPT_LOAD_CLIENTS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&n| (1..=200).contains(&n))
        .unwrap_or(20);
    let served = Served::start(&root(), &["--scripts", "scripts"]);
    let base = served.url.clone();
    let agent = agent();
    let (csrf, fields) = form(&agent, &base);
    let body = Arc::new(body(&csrf, &fields));
    // One preview first, so the figures are of a warm server.
    let warm =
        preview(&agent, &base, &csrf, &body).unwrap_or_else(|e| panic!("first preview: {e}"));
    let gate = Arc::new(Barrier::new(clients));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (agent, base, csrf, body, gate) = (
                agent.clone(),
                base.clone(),
                csrf.clone(),
                Arc::clone(&body),
                Arc::clone(&gate),
            );
            std::thread::spawn(move || {
                gate.wait();
                preview(&agent, &base, &csrf, &body)
            })
        })
        .collect();
    let results: Vec<Result<Duration, String>> = handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|_| Err("client thread panicked".into()))
        })
        .collect();
    let wall = started.elapsed();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let mut times: Vec<Duration> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "web_load: {clients} concurrent previews of samples/invoices.xlsx through scripts/vat.rhai"
    );
    println!("  first (warm-up) preview: {:.0} ms", ms(warm));
    if !times.is_empty() {
        // Nearest-rank percentiles.
        let rank =
            |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
        println!(
            "  ok: {}  median: {:.0} ms  p95: {:.0} ms  max: {:.0} ms  all done in {:.0} ms",
            times.len(),
            ms(rank(0.5)),
            ms(rank(0.95)),
            ms(times[times.len() - 1]),
            ms(wall)
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {clients} previews failed: {failures:?}",
        failures.len()
    );
}
