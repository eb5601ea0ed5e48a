//! `sheetscript serve` at the HTTP level: every route, the limits, bad
//! uploads, script errors, the cross-site and token checks, and runs
//! beyond `--max-runs`. Most tests call the router in-process; the
//! binary's own tests check the `listening on` line, the token over a
//! socket and the refusal of a network address without a token.

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use sheetscript::web::{router, Config};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tower::ServiceExt;

/// A scripts folder: the bundled VAT script with a header, and small
/// scripts for the error paths.
fn scripts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // The bundled VAT script, with its own header.
    std::fs::copy(support::script("vat.rhai"), dir.path().join("vat.rhai")).unwrap();
    std::fs::write(
        dir.path().join("checks.rhai"),
        "//! # Checks\n//! param rate: number \"VAT rate\"\n//! param asof: date = today \"As of\"\n\
         print(`rate ${rate}`);\nlet inv = table(\"Invoices\");\n\
         assert(inv.len > 1000, \"expected more than 1000 invoices\");\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bank.rhai"),
        "//! # Bank\n//! attach bank \"Bank statement\"\nlet b = workbook(\"bank\").table();\n\
         print(`${b.len} payments`);\n",
    )
    .unwrap();
    // A misspelt function and column: the check finds both.
    std::fs::write(
        dir.path().join("typo.rhai"),
        "//! # Typo\nlet inv = table(\"Invoices\");\nlet total = inv.sum(\"Nett\");\nprnt(`${total}`);\n",
    )
    .unwrap();
    // A misspelt column on a branch this workbook does not take: the run
    // goes on, the page names the column.
    std::fs::write(
        dir.path().join("rare.rhai"),
        "//! # Rare\nlet inv = table(\"Invoices\");\nif inv.len > 1000 { print(inv.sum(\"Nett\")); }\n\
         print(`${inv.len} invoices`);\n",
    )
    .unwrap();
    // A formula, whose explanation shows what it reads.
    std::fs::write(
        dir.path().join("total.rhai"),
        "//! # Total\nsheet(\"Invoices\").formula(\"K2\", \"=SUM(E2:E41)\");\n",
    )
    .unwrap();
    // Only a chart and a highlight, no cell changed.
    std::fs::write(
        dir.path().join("chart.rhai"),
        "//! # Chart\nlet s = sheet(\"Invoices\");\n\
         s.add_chart(\"column\", \"D1:E6\", #{ name: \"Net\", title: \"Net by invoice\" });\n\
         s.highlight(\"E2:E41\", \"> 20000\", \"red\");\n",
    )
    .unwrap();
    // Work enough to still be running when the other requests arrive.
    std::fs::write(
        dir.path().join("slow.rhai"),
        "//! # Slow\nlet n = 0;\nfor i in 0..400000 { n += 1; }\nsheet(\"Invoices\").set(\"K1\", n);\n",
    )
    .unwrap();
    dir
}

fn config(dir: &Path) -> Config {
    Config {
        today: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
        ..Config::new(vec![dir.to_path_buf()])
    }
}

/// Status, headers and body of one request.
struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
    bytes: Vec<u8>,
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

async fn get(app: &Router, uri: &str, cookie: &str) -> Reply {
    let mut r = Request::get(uri).header(header::HOST, "127.0.0.1:8080");
    if !cookie.is_empty() {
        r = r.header(header::COOKIE, cookie);
    }
    send(app, r.body(Body::empty()).unwrap()).await
}

/// The value of a cookie the reply sets.
fn set_cookie(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// One part of a multipart form.
enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, Vec<u8>),
}

const BOUNDARY: &str = "----sheetscript-test-boundary";

fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match p {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File(name, file, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A session of the page: its CSRF cookie, taken from the form page.
async fn csrf(app: &Router, script: &str) -> String {
    let form = get(app, &format!("/scripts/{script}"), "").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    set_cookie(&form, "sheetscript_csrf").expect("the form page sets the CSRF cookie")
}

async fn post(app: &Router, uri: &str, cookie: &str, parts: &[Part<'_>]) -> Reply {
    let body = multipart(parts);
    let request = Request::post(uri)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    send(app, request).await
}

fn invoices() -> Vec<u8> {
    std::fs::read(support::sample("invoices.xlsx")).unwrap()
}

/// Sends a script's form with the sample invoices and the given params.
async fn submit(app: &Router, script: &str, action: &str, extra: &[Part<'_>]) -> Reply {
    let token = csrf(app, script).await;
    let mut parts = vec![
        Part::Text("csrf", &token),
        Part::File("workbook", "invoices.xlsx", invoices()),
    ];
    for p in extra {
        parts.push(match p {
            Part::Text(n, v) => Part::Text(n, v),
            Part::File(n, f, b) => Part::File(n, f, b.clone()),
        });
    }
    let cookie = format!("sheetscript_csrf={token}");
    post(app, &format!("/scripts/{script}/{action}"), &cookie, &parts).await
}

/// The href of the element with `id` in a page.
fn href(page: &str, id: &str) -> String {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {page}"));
    let tag_start = page[..at].rfind('<').unwrap();
    let tag = &page[tag_start..at + page[at..].find('>').unwrap()];
    let h = tag
        .split("href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    h.replace("&#x2f;", "/")
}

#[tokio::test]
async fn health_list_and_form_follow_the_contract() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let health = get(&app, "/healthz", "").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );

    let list = get(&app, "/", "").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("<html lang=\"en\">"), "{}", list.body);
    assert!(list
        .body
        .contains("<a class=\"script\" href=\"/scripts/vat\">VAT</a>"));
    assert!(list
        .body
        .contains("Adds VAT and gross amounts to every invoice"));
    assert!(list.body.contains("id=\"lang-en\"") && list.body.contains("id=\"lang-cs\""));

    let form = get(&app, "/scripts/checks", "").await;
    for needle in [
        "<form id=\"run-form\" method=\"post\" enctype=\"multipart/form-data\"",
        "id=\"drop-zone\"",
        "<input id=\"workbook\" type=\"file\" name=\"workbook\"",
        "name=\"csrf\"",
        "<input type=\"text\" name=\"param:rate\"",
        // A date parameter defaulting to today gets --today.
        "<input type=\"date\" name=\"param:asof\" value=\"2026-11-30\"",
        "<button id=\"preview\" type=\"submit\" formaction=\"/scripts/checks/preview\">",
        "<button id=\"run\" type=\"submit\" formaction=\"/scripts/checks/run\">",
    ] {
        assert!(form.body.contains(needle), "{needle} not in {}", form.body);
    }
    let bank = get(&app, "/scripts/bank", "").await;
    assert!(
        bank.body.contains("type=\"file\" name=\"attach:bank\""),
        "{}",
        bank.body
    );

    for missing in ["/scripts/nope", "/scripts/..%2Fvat", "/nowhere"] {
        assert_eq!(
            get(&app, missing, "").await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn the_language_follows_the_browser_and_the_switch() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let request = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "cs-CZ,cs;q=0.9,en;q=0.8")
        .body(Body::empty())
        .unwrap();
    let czech = send(&app, request).await;
    assert!(czech.body.contains("<html lang=\"cs\">"));
    assert!(czech.body.contains("Skripty"));
    let switched = get(&app, "/?lang=en", "").await;
    assert_eq!(
        set_cookie(&switched, "sheetscript_lang").as_deref(),
        Some("en")
    );
    let kept = get(&app, "/", "sheetscript_lang=cs").await;
    assert!(kept.body.contains("<html lang=\"cs\">"));
}

#[tokio::test]
async fn preview_shows_the_summary_prints_changes_and_rendered_sheets() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let page = submit(&app, "vat", "preview", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    assert!(
        body.contains("<p id=\"summary\">107 cell(s) changed; added sheet &quot;VAT by Rate&quot;"),
        "{body}"
    );
    assert!(body.contains(
        "<pre id=\"printed\">VAT: 40 invoices, net 507398.20, VAT 73451.96, gross 580850.16</pre>"
    ));
    assert!(body.contains("<ul id=\"warnings\"></ul>"));
    assert!(body.contains("<table class=\"changes\" data-sheet=\"Invoices\">"));
    // Each changed cell links to its explanation.
    assert!(body.contains(
        "explain?cell=Invoices%21H2\">H2</a></td><td class=\"old\"><span class=\"empty\">(empty)</span></td><td class=\"new\">2864.3</td></tr>"
    ), "{body}");
    assert!(body.contains("<table class=\"changes\" data-sheet=\"VAT by Rate\">"));
    // 82 changed cells on Invoices: 25 on the first page, the rest a
    // "show more" away; the 25 of "VAT by Rate" fit on one.
    let invoices = &body[body.find("data-sheet=\"Invoices\"").unwrap()..];
    let invoices = &invoices[..invoices.find("</table>").unwrap()];
    assert_eq!(invoices.matches("<td class=\"cell\">").count(), 82);
    assert_eq!(invoices.matches("<tr hidden>").count(), 82 - 25);
    assert_eq!(body.matches("class=\"show-more\"").count(), 1);
    let rendered = &body[body.find("<section id=\"rendered\">").unwrap()..];
    assert!(
        rendered.contains("<td class=\"new num\"><a class=\"explain\" href=\"")
            && rendered.contains("explain?cell=Invoices%21H2\">2,864.30</a></td>"),
        "{rendered}"
    );
    // The input's own cells keep their formats and are not marked.
    assert!(rendered.contains("<td class=\"num\">13,639.51</td>"));
}

#[tokio::test]
async fn a_czech_preview_shows_numbers_the_czech_way() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let token = csrf(&app, "vat").await;
    let cookie = format!("sheetscript_csrf={token}; sheetscript_lang=cs");
    let page = post(
        &app,
        "/scripts/vat/preview",
        &cookie,
        &[
            Part::Text("csrf", &token),
            Part::File("workbook", "faktury.xlsx", invoices()),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"cs\">"));
    assert!(page.body.contains("107 změněných buněk"), "{}", page.body);
    assert!(page
        .body
        .contains("explain?cell=Invoices%21H2\">2\u{a0}864,30</a></td>"));
}

#[tokio::test]
async fn run_offers_the_result_and_the_change_report_once_each() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let page = submit(&app, "vat", "run", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let result = href(&page.body, "download");
    let changes = href(&page.body, "download-changes");
    assert!(
        result.starts_with("/downloads/") && result.ends_with("/invoices-vat.xlsx"),
        "{result}"
    );
    assert!(changes.ends_with("/invoices-vat-changes.csv"), "{changes}");

    let file = get(&app, &result, "").await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"invoices-vat.xlsx\""
    );
    // The same values as the command line's run of the same script.
    let out = tempfile::tempdir().unwrap();
    let web = out.path().join("web.xlsx");
    std::fs::write(&web, &file.bytes).unwrap();
    let cli = out.path().join("cli.xlsx");
    let vat = dir.path().join("vat.rhai");
    support::ok(&[
        "run",
        vat.to_str().unwrap(),
        "samples/invoices.xlsx",
        "-o",
        cli.to_str().unwrap(),
    ]);
    for sheet in ["Invoices", "VAT by Rate"] {
        let show = |p: &PathBuf| support::ok(&["show", p.to_str().unwrap(), "--sheet", sheet]);
        assert_eq!(
            show(&web).replace(web.to_str().unwrap(), "X"),
            show(&cli).replace(cli.to_str().unwrap(), "X")
        );
    }

    let report = get(&app, &changes, "").await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(
        report.body.starts_with("sheet,cell,old,new"),
        "{}",
        report.body
    );
    assert!(report.body.contains("Invoices,H2,,2864.3"));
    // Each file downloads once; then it is gone.
    assert_eq!(get(&app, &result, "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &changes, "").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_uploads_are_refused_with_a_message_and_nothing_written() {
    let dir = scripts();
    let app = router(Config {
        max_upload: 200_000,
        ..config(dir.path())
    })
    .unwrap();
    let token = csrf(&app, "vat").await;
    let cookie = format!("sheetscript_csrf={token}");
    let try_file = |name: &'static str, bytes: Vec<u8>| {
        let (app, token, cookie) = (app.clone(), token.clone(), cookie.clone());
        async move {
            post(
                &app,
                "/scripts/vat/run",
                &cookie,
                &[
                    Part::Text("csrf", &token),
                    Part::File("workbook", name, bytes),
                ],
            )
            .await
        }
    };
    let text = try_file(
        "notes.xlsx",
        b"just some words, not a workbook at all\n\x00\x01".to_vec(),
    )
    .await;
    assert_eq!(
        text.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        text.body
    );
    assert!(
        text.body.contains("<pre id=\"error\">notes.xlsx"),
        "{}",
        text.body
    );
    assert!(
        !text.body.contains("upload-1") && !text.body.contains("/tmp"),
        "{}",
        text.body
    );
    assert!(!text.body.contains("id=\"download\""));

    let empty = try_file("empty.xlsx", Vec::new()).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("empty.xlsx: the file is empty"),
        "{}",
        empty.body
    );

    let big = try_file("big.xlsx", vec![b'x'; 300_000]).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.body);
    assert!(big.body.contains("--max-upload"), "{}", big.body);

    let none = post(
        &app,
        "/scripts/vat/preview",
        &cookie,
        &[Part::Text("csrf", &token)],
    )
    .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("no workbook was sent"), "{}", none.body);

    let stray = post(
        &app,
        "/scripts/vat/preview",
        &cookie,
        &[Part::Text("csrf", &token), Part::Text("../../x", "1")],
    )
    .await;
    assert_eq!(stray.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_failing_assert_shows_the_script_line_and_what_was_printed() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let page = submit(&app, "checks", "run", &[Part::Text("param:rate", "0,21")]).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let error = &page.body[page.body.find("<pre id=\"error\">").unwrap()..];
    assert!(error.contains("checks.rhai"), "{error}");
    assert!(
        error.contains("expected more than 1000 invoices"),
        "{error}"
    );
    assert!(error.contains('^'), "the caret under the line: {error}");
    assert!(
        page.body.contains("<pre id=\"printed\">rate 0.21</pre>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"download\""));
}

#[tokio::test]
async fn a_missing_parameter_or_attachment_is_named() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let page = submit(&app, "checks", "preview", &[Part::Text("param:rate", "")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("missing parameter &quot;rate&quot; (VAT rate, number)"),
        "{}",
        page.body
    );
    let bad = submit(
        &app,
        "checks",
        "preview",
        &[Part::Text("param:rate", "1,234")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("rate=1,234"), "{}", bad.body);

    let bank = submit(&app, "bank", "preview", &[]).await;
    assert_eq!(bank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bank.body
            .contains("needs the workbook &quot;bank&quot; (Bank statement)"),
        "{}",
        bank.body
    );
    let statement = std::fs::read(support::sample("bank.xlsx")).unwrap();
    let attached = submit(
        &app,
        "bank",
        "preview",
        &[Part::File("attach:bank", "bank.xlsx", statement)],
    )
    .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    assert!(
        attached.body.contains("payments</pre>"),
        "{}",
        attached.body
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let token = csrf(&app, "vat").await;
    let parts = |t: &str| {
        multipart(&[
            Part::Text("csrf", t),
            Part::File("workbook", "invoices.xlsx", invoices()),
        ])
    };
    let with = |cookie: &str, origin: &str, body: Vec<u8>| {
        Request::post("/scripts/vat/preview")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::ORIGIN, origin)
            .header(header::COOKIE, cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap()
    };
    let good_cookie = format!("sheetscript_csrf={token}");
    // No cookie, a cookie that does not match, another site's Origin.
    let cases = [
        with("", "http://127.0.0.1:8080", parts(&token)),
        with(
            "sheetscript_csrf=00000000000000000000000000000000",
            "http://127.0.0.1:8080",
            parts(&token),
        ),
        with(&good_cookie, "http://127.0.0.1:8080", parts("")),
        with(&good_cookie, "http://evil.example", parts(&token)),
    ];
    for request in cases {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
        assert!(reply.body.contains("<pre id=\"error\">"));
    }
    let ok = send(
        &app,
        with(&good_cookie, "http://127.0.0.1:8080", parts(&token)),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

#[tokio::test]
async fn a_token_is_needed_on_every_request_when_set() {
    let dir = scripts();
    let app = router(Config {
        token: Some("s3cret-token".into()),
        ..config(dir.path())
    })
    .unwrap();
    for uri in ["/", "/healthz", "/scripts/vat", "/downloads/x/y.xlsx"] {
        assert_eq!(
            get(&app, uri, "").await.status,
            StatusCode::UNAUTHORIZED,
            "{uri}"
        );
    }
    assert_eq!(
        get(&app, "/?token=wrong", "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let first = get(&app, "/?token=s3cret-token", "").await;
    assert_eq!(first.status, StatusCode::OK);
    let cookie = set_cookie(&first, "sheetscript_token").unwrap();
    assert_eq!(cookie, "s3cret-token");
    assert_eq!(
        get(&app, "/scripts/vat", "sheetscript_token=s3cret-token")
            .await
            .status,
        StatusCode::OK
    );
    let bearer = Request::get("/healthz")
        .header(header::AUTHORIZATION, "Bearer s3cret-token")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, bearer).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_beyond_max_runs_wait_and_all_finish() {
    let dir = scripts();
    let app = router(Config {
        max_runs: 2,
        ..config(dir.path())
    })
    .unwrap();
    let token = csrf(&app, "slow").await;
    let cookie = format!("sheetscript_csrf={token}");
    let mut runs = Vec::new();
    for _ in 0..6 {
        let (app, token, cookie) = (app.clone(), token.clone(), cookie.clone());
        runs.push(tokio::spawn(async move {
            post(
                &app,
                "/scripts/slow/preview",
                &cookie,
                &[
                    Part::Text("csrf", &token),
                    Part::File("workbook", "invoices.xlsx", invoices()),
                ],
            )
            .await
        }));
    }
    let mut queued = 0;
    for run in runs {
        let reply = run.await.unwrap();
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(
            reply
                .body
                .contains("<p id=\"summary\">1 cell(s) changed</p>"),
            "{}",
            reply.body
        );
        assert!(reply.body.trim_end().ends_with("</html>"));
        if reply.body.contains("id=\"queued\"") {
            queued += 1;
        }
    }
    // Two run at once, so at least the last of six waited.
    assert!(queued >= 1, "no run waited");
}

/// Starts the binary; returns it and its address from the `listening on`
/// line.
fn start(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sheetscript"))
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (child, addr)
}

/// Stops the server with TERM and waits for it; its exit code.
fn stop(child: &mut std::process::Child) -> Option<i32> {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill only sends a signal to the child this test started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    child.wait().unwrap().code()
}

/// A plain HTTP/1.1 GET over a socket; returns the status line and body.
fn raw_get(addr: &str, path: &str, extra: &str) -> (String, String) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let status = reply.lines().next().unwrap_or("").to_string();
    let body = reply.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

#[test]
fn the_binary_says_where_it_listens_and_checks_the_token() {
    let dir = scripts();
    let folder = dir.path().to_str().unwrap();
    let (mut child, addr) = start(&["--scripts", folder, "--port", "0"]);
    let (status, body) = raw_get(&addr, "/healthz", "");
    // TERM, as a service manager stops it: a clean exit.
    let code = stop(&mut child);
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("ok"));
    assert_eq!(code, Some(0));

    let (mut child, addr) = start(&[
        "--scripts",
        folder,
        "--port",
        "0",
        "--bind",
        "127.0.0.1",
        "--token",
        "s3cret-token",
    ]);
    let refused = raw_get(&addr, "/", "").0;
    let allowed = raw_get(&addr, "/healthz", "Authorization: Bearer s3cret-token\r\n").0;
    stop(&mut child);
    assert!(refused.contains("401"), "{refused}");
    assert!(allowed.contains("200"), "{allowed}");
}

#[test]
fn a_network_address_without_a_token_is_refused() {
    let dir = scripts();
    let out = support::sheetscript(&[
        "serve",
        "--scripts",
        dir.path().to_str().unwrap(),
        "--bind",
        "0.0.0.0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--token"), "{err}");
    assert!(out.stdout.is_empty());
    let missing = support::sheetscript(&["serve", "--scripts", "no-such-folder", "--port", "0"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[tokio::test]
async fn a_run_past_the_timeout_stops_with_the_cli_message() {
    let dir = scripts();
    std::fs::write(
        dir.path().join("forever.rhai"),
        "//! # Forever\nlet n = 0;\nloop { n += 1; }\n",
    )
    .unwrap();
    let app = router(Config {
        timeout: Some(std::time::Duration::from_secs(1)),
        ..config(dir.path())
    })
    .unwrap();
    let page = submit(&app, "forever", "run", &[]).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("ran longer than the time limit of 1 s"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"download\""));
}

#[tokio::test]
async fn a_script_that_does_not_parse_is_shown_with_its_line() {
    let dir = scripts();
    std::fs::write(
        dir.path().join("broken.rhai"),
        "//! # Broken\nlet inv = table(\"Invoices\");\nlet x = ;\n",
    )
    .unwrap();
    let app = router(config(dir.path())).unwrap();
    let page = submit(&app, "broken", "preview", &[]).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let error = &page.body[page.body.find("<pre id=\"error\">").unwrap()..];
    assert!(error.contains("broken.rhai:3"), "{error}");
    assert!(
        error.contains("let x = ;") && error.contains('^'),
        "{error}"
    );
}

#[tokio::test]
async fn the_check_findings_show_before_the_run_and_with_the_workbook() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    // Before a run: what the script alone shows.
    let form = get(&app, "/scripts/typo", "").await;
    assert_eq!(form.status, StatusCode::OK);
    let findings = &form.body[form.body.find("<ul id=\"findings\">").expect(&form.body)..];
    let findings = &findings[..findings.find("</ul>").unwrap()];
    assert!(
        findings.contains(
            "<span class=\"at\">4:1</span> <span class=\"message\">there is no function prnt"
        ),
        "{findings}"
    );
    assert!(findings.contains("<span class=\"suggestion\">did you mean print?</span>"));
    assert!(
        !findings.contains("Nett"),
        "no workbook, no column check: {findings}"
    );
    // The VAT script is clean: no list.
    let clean = get(&app, "/scripts/vat", "").await;
    assert!(!clean.body.contains("id=\"findings\""));
    // With the workbook the column is named too, beside the run's error.
    let failed = submit(&app, "typo", "preview", &[]).await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(failed.body.contains("<pre id=\"error\">"));
    assert!(
        failed
            .body
            .contains("table Invoices: no column named &quot;Nett&quot;"),
        "{}",
        failed.body
    );
    assert!(failed.body.contains("did you mean &quot;Net&quot;?"));
    // A finding on a branch the run does not take does not stop it.
    let page = submit(&app, "rare", "preview", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let at = |s: &str| {
        page.body
            .find(s)
            .unwrap_or_else(|| panic!("no {s} in {}", page.body))
    };
    assert!(at("<ul id=\"findings\">") < at("<p id=\"summary\">0 cell(s) changed"));
    assert!(page.body.contains("<pre id=\"printed\">40 invoices</pre>"));
    assert!(page.body.contains("no column named &quot;Nett&quot;"));
}

#[tokio::test]
async fn a_changed_cell_of_the_preview_is_explained() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let page = submit(&app, "vat", "preview", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    let link = page
        .body
        .split("<a class=\"explain\" href=\"")
        .map(|s| s.split('"').next().unwrap().replace("&#x2f;", "/"))
        .find(|l| l.ends_with("%21H2"))
        .expect("H2 has an explain link");
    assert!(
        link.starts_with("/jobs/") && link.ends_with("/explain?cell=Invoices%21H2"),
        "{link}"
    );
    let explained = get(&app, &link, "").await;
    assert_eq!(explained.status, StatusCode::OK, "{}", explained.body);
    let text = &explained.body[explained.body.find("<pre id=\"explain\">").unwrap()..];
    assert!(text.contains("Invoices!H2"), "{text}");
    assert!(text.contains("2,864.30"), "{text}");
    // It can be asked again, and of any cell of the result.
    let again = get(&app, &link.replace("H2", "F2"), "").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    // A cell that is no cell, or on no sheet, is a clear 400.
    let base = link.trim_end_matches("Invoices%21H2");
    for (cell, says) in [
        (
            "Nowhere%21B2",
            "there is no sheet named &quot;Nowhere&quot;",
        ),
        (
            "Invoices%21A1%3AB2",
            "explain takes one cell, not the range",
        ),
        ("", "explain needs a cell"),
    ] {
        let bad = get(&app, &format!("{base}{cell}"), "").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{cell}");
        assert!(bad.body.contains(says), "{cell}: {}", bad.body);
    }
    // Only jobs the server made: an unknown id or a path is a 404.
    for uri in [
        "/jobs/0123456789abcdef0123456789abcdef/explain?cell=A1",
        "/jobs/..%2F..%2Fetc/explain?cell=A1",
    ] {
        let gone = get(&app, uri, "").await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(gone.body.contains("no longer here"));
    }
    // A formula the run wrote: the formula and the range it sums.
    let total = submit(&app, "total", "preview", &[]).await;
    let link = total
        .body
        .split("<a class=\"explain\" href=\"")
        .map(|s| s.split('"').next().unwrap().replace("&#x2f;", "/"))
        .find(|l| l.ends_with("%21K2"))
        .expect("K2 has an explain link");
    let explained = get(&app, &link, "").await;
    assert_eq!(explained.status, StatusCode::OK, "{}", explained.body);
    assert!(
        explained.body.contains("=SUM(E2:E41)") && explained.body.contains("40 cells"),
        "{}",
        explained.body
    );
    // A run's result is a download, not an explanation.
    let run = submit(&app, "vat", "run", &[]).await;
    let job = href(&run.body, "download")
        .split('/')
        .nth(2)
        .unwrap()
        .to_string();
    let refused = get(&app, &format!("/jobs/{job}/explain?cell=A1"), "").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_sheet_with_only_a_new_chart_and_highlight_is_rendered() {
    let dir = scripts();
    let app = router(config(dir.path())).unwrap();
    let page = submit(&app, "chart", "preview", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("<p id=\"summary\">0 cell(s) changed"),
        "{}",
        page.body
    );
    let rendered = &page.body[page
        .body
        .find("<section id=\"rendered\">")
        .expect(&page.body)..];
    assert!(rendered.contains("<table class=\"sheet\" data-sheet=\"Invoices\">"));
    assert!(
        rendered.contains("<figure class=\"chart\" data-chart=\"Net by invoice\"><svg"),
        "{rendered}"
    );
    assert!(
        rendered.contains("style=\"background-color:#FFC7CE;color:#9C0006;\""),
        "{rendered}"
    );
}
