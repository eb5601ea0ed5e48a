//! The web page in a real headless Chromium (issue 14), driven through
//! chromedriver with fantoccini: choose the VAT script, upload
//! samples/invoices.xlsx, preview (change table, charts and highlights,
//! screenshots in target/test-artifacts/: web-preview.png, and
//! web-ageing-rendered.png of the ageing chart and highlights), run, download,
//! and find the downloaded workbook cell for cell what `sheetscript run`
//! writes for the same script and file; and a failing script's message
//! in `pre#error`. Skips where Chromium or chromedriver is absent, fails
//! so under CI (`.ci/run` installs both).

mod support;

use calamine::{open_workbook_auto, Data, Reader};
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::external::{chromedriver, chromium};
use support::served::Served;
use support::*;

/// The longest any one page may take to show what the test waits for.
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// chromedriver on a free loopback port, stopped on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start(binary: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > PAGE_TIMEOUT {
                let _ = driver.child.kill();
                panic!("chromedriver did not listen on port {port} within {PAGE_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session whose downloads land in `downloads`.
async fn browser(driver: &Driver, chromium: &Path, downloads: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium.to_str().expect("path"),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,1800", "--lang=en-US"],
            "prefs": {
                "download.default_directory": downloads.to_str().expect("path"),
                "download.prompt_for_download": false,
                "intl.accept_languages": "en-US,en",
            },
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session through chromedriver")
}

/// The one downloaded file once Chromium has finished writing it: no
/// `.crdownload` or hidden temporary file of its own is left beside it.
fn downloaded(dir: &Path) -> PathBuf {
    let started = Instant::now();
    loop {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("download folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        let partial = |p: &PathBuf| {
            p.extension().is_some_and(|e| e == "crdownload")
                || p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
        };
        if let [file] = files.as_slice() {
            if !partial(file) {
                return file.clone();
            }
        }
        assert!(
            started.elapsed() < PAGE_TIMEOUT,
            "no finished download in {} within {PAGE_TIMEOUT:?}: {files:?}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Every sheet of a workbook as calamine reads it.
fn sheets(path: &Path) -> Vec<(String, calamine::Range<Data>)> {
    let mut wb = open_workbook_auto(path).expect("workbook opens");
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).expect("sheet reads");
            (name, range)
        })
        .collect()
}

/// Both workbooks hold the same sheets with the same values in every cell.
fn assert_same_values(downloaded: &Path, cli: &Path) {
    let (web, want) = (sheets(downloaded), sheets(cli));
    let names =
        |s: &[(String, calamine::Range<Data>)]| s.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&web), names(&want), "sheet names");
    let mut compared = 0;
    for ((name, got), (_, expected)) in web.iter().zip(&want) {
        assert_eq!(got.start(), expected.start(), "sheet {name}: first cell");
        assert_eq!(got.end(), expected.end(), "sheet {name}: last cell");
        for (row, (a, b)) in got.rows().zip(expected.rows()).enumerate() {
            for (col, (x, y)) in a.iter().zip(b).enumerate() {
                assert_eq!(
                    x, y,
                    "sheet {name}, row {row} column {col} of the used range"
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} cells compared");
}

/// Uploads the sample invoices into the open form and presses `button`
/// (`#preview` or `#run`).
async fn upload_and_press(c: &Client, button: &str) -> Result<(), String> {
    let input = c
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css("form#run-form input#workbook"))
        .await
        .map_err(|e| format!("the workbook input: {e}"))?;
    input
        .send_keys(sample("invoices.xlsx").to_str().expect("path"))
        .await
        .map_err(|e| format!("upload the sample: {e}"))?;
    c.find(Locator::Css(&format!("button{button}")))
        .await
        .map_err(|e| format!("button{button}: {e}"))?
        .click()
        .await
        .map_err(|e| format!("click {button}: {e}"))
}

/// Opens script `id`'s form (in English) and previews the sample with it.
async fn preview_with(c: &Client, base: &str, id: &str) -> Result<(), String> {
    c.goto(&format!("{base}/scripts/{id}?lang=en"))
        .await
        .map_err(|e| format!("the form of {id}: {e}"))?;
    upload_and_press(c, "#preview").await
}

/// Opens the VAT script's form from the list of scripts.
async fn vat_form(c: &Client, base: &str) {
    c.goto(&format!("{base}/?lang=en"))
        .await
        .expect("index page");
    let link = c
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css("a.script[href='/scripts/vat']"))
        .await
        .expect("the VAT script in the list");
    link.click().await.expect("click VAT");
}

#[tokio::test(flavor = "current_thread")]
async fn vat_preview_run_and_download_in_chromium_match_the_cli() {
    let (Some(chromium), Some(chromedriver)) = (chromium(), chromedriver()) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    // A second folder holds a script whose check fails, for the error path.
    let failing = dir.path().join("failing");
    std::fs::create_dir_all(&failing).expect("folder");
    std::fs::write(
        failing.join("broken_total.rhai"),
        "//! # Broken total\n//! A check that never holds.\n\
         let s = sheet(\"Invoices\");\nassert(1 == 2, \"the totals do not add up\");\n",
    )
    .expect("script");
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).expect("folder");
    let served = Served::start(
        &root(),
        &[
            "--scripts",
            "scripts",
            "--scripts",
            failing.to_str().expect("path"),
        ],
    );
    let driver = Driver::start(&chromedriver);
    let c = browser(&driver, &chromium, &downloads).await;
    let result = walk_through(&c, &served.url, &downloads, dir.path()).await;
    if result.is_err() {
        // What the browser showed when the walk stopped, to look at.
        let artifacts = root().join("target").join("test-artifacts");
        let _ = std::fs::create_dir_all(&artifacts);
        if let Ok(html) = c.source().await {
            let _ = std::fs::write(artifacts.join("web-failure.html"), html);
        }
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(artifacts.join("web-failure.png"), png);
        }
    }
    // The session is closed whatever happened, then the outcome is told.
    let _ = c.close().await;
    if let Err(e) = result {
        panic!("{e} (the page is in target/test-artifacts/web-failure.html and .png)");
    }
}

async fn walk_through(c: &Client, base: &str, downloads: &Path, dir: &Path) -> Result<(), String> {
    // Preview: the summary, the change table and the rendering.
    vat_form(c, base).await;
    upload_and_press(c, "#preview").await?;
    let summary = c
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css("#summary"))
        .await
        .map_err(|e| format!("the preview's summary: {e}"))?;
    let summary = summary.text().await.map_err(|e| e.to_string())?;
    assert!(!summary.trim().is_empty(), "empty summary");
    let printed = c
        .find(Locator::Css("pre#printed"))
        .await
        .map_err(|e| format!("pre#printed: {e}"))?;
    let printed = printed.text().await.map_err(|e| e.to_string())?;
    assert!(printed.contains("VAT: 40 invoices"), "printed: {printed}");
    let table = c
        .find(Locator::Css("table.changes[data-sheet='Invoices']"))
        .await
        .map_err(|e| format!("the change table of Invoices: {e}"))?;
    let mut rows = Vec::new();
    for tr in table
        .find_all(Locator::Css("tr"))
        .await
        .map_err(|e| e.to_string())?
    {
        let cells = tr
            .find_all(Locator::Css("td.cell, td.old, td.new"))
            .await
            .map_err(|e| e.to_string())?;
        let mut texts = Vec::new();
        for td in cells {
            texts.push(td.text().await.map_err(|e| e.to_string())?);
        }
        if texts.len() == 3 {
            rows.push(texts);
        }
    }
    // The CLI's dry run: Invoices!H2 (empty) -> 2864.3, the VAT of the first invoice.
    let h2 = rows
        .iter()
        .find(|r| r[0].trim().ends_with("H2"))
        .ok_or_else(|| format!("no row for H2 in {rows:?}"))?;
    assert!(
        matches!(h2[1].trim(), "" | "(empty)" | "(prázdná)"),
        "H2 was empty: {h2:?}"
    );
    let digits: String = h2[2].chars().filter(|c| c.is_ascii_digit()).collect();
    assert!(digits.starts_with("28643"), "H2's new value: {h2:?}");
    c.find(Locator::Css("table.changes[data-sheet='VAT by Rate']"))
        .await
        .map_err(|e| format!("the change table of the new sheet: {e}"))?;
    c.find(Locator::Css("section#rendered"))
        .await
        .map_err(|e| format!("section#rendered: {e}"))?;
    // The pie the script adds, drawn from the per-rate VAT (issue 15).
    let pie = c
        .find(Locator::Css(
            "section#rendered figure.chart[data-chart='VAT by rate'] svg",
        ))
        .await
        .map_err(|e| format!("the VAT pie in the rendering: {e}"))?;
    let pie = pie.html(false).await.map_err(|e| e.to_string())?;
    assert!(
        pie.matches("<polygon").count() >= 2,
        "a slice per rate: {pie}"
    );
    let shot = c
        .screenshot()
        .await
        .map_err(|e| format!("screenshot: {e}"))?;
    let artifacts = root().join("target").join("test-artifacts");
    std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
    std::fs::write(artifacts.join("web-preview.png"), &shot).map_err(|e| e.to_string())?;
    assert!(shot.starts_with(b"\x89PNG"), "the screenshot is a PNG");

    explain_a_changed_cell(c).await?;

    // Run and download; the file is what the CLI writes.
    vat_form(c, base).await;
    upload_and_press(c, "#run").await?;
    let link = c
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css("a#download"))
        .await
        .map_err(|e| format!("the download link: {e}"))?;
    let href = link
        .attr("href")
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    assert!(href.ends_with("/invoices-vat.xlsx"), "download link {href}");
    c.find(Locator::Css("a#download-changes"))
        .await
        .map_err(|e| format!("the change report link: {e}"))?;
    link.click()
        .await
        .map_err(|e| format!("click download: {e}"))?;
    let file = downloaded(downloads);
    assert_eq!(
        file.file_name().and_then(|n| n.to_str()),
        Some("invoices-vat.xlsx")
    );
    let cli = dir.join("cli-vat.xlsx");
    ok(&[
        "run",
        "scripts/vat.rhai",
        "samples/invoices.xlsx",
        "-o",
        cli.to_str().expect("path"),
    ]);
    assert_same_values(&file, &cli);

    ageing_chart_and_highlights(c, base).await?;

    // A failing check: its message with the script line, nothing to download.
    preview_with(c, base, "broken_total").await?;
    let error = c
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css("pre#error"))
        .await
        .map_err(|e| format!("pre#error: {e}"))?;
    let message = error.text().await.map_err(|e| e.to_string())?;
    assert!(message.contains("the totals do not add up"), "{message}");
    assert!(
        message.contains("line 4") || message.contains(":4"),
        "the script line: {message}"
    );
    assert!(
        c.find(Locator::Css("a#download")).await.is_err(),
        "a failing run offers nothing to download"
    );
    Ok(())
}

/// Clicking H2 in the preview's change table shows, under the table, how
/// its value comes about (issue 16), without leaving the page.
async fn explain_a_changed_cell(c: &Client) -> Result<(), String> {
    let link = c
        .find(Locator::Css(
            "table.changes[data-sheet='Invoices'] a.explain[href$='%21H2']",
        ))
        .await
        .map_err(|e| format!("the explain link of H2: {e}"))?;
    link.click().await.map_err(|e| format!("click H2: {e}"))?;
    let pre = c
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css("#explanation pre#explain"))
        .await
        .map_err(|e| format!("pre#explain: {e}"))?;
    // The answer arrives after the click; wait for it as for a page.
    let mut text = String::new();
    for _ in 0..100 {
        text = pre.text().await.map_err(|e| e.to_string())?;
        if text.contains("Invoices!H2") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(text.contains("Invoices!H2"), "the explanation: {text}");
    assert!(text.contains("2,864.30"), "H2's value: {text}");
    assert!(
        c.current_url()
            .await
            .map_err(|e| e.to_string())?
            .path()
            .ends_with("/preview"),
        "the preview page stays"
    );
    Ok(())
}

/// The ageing preview shows the bar chart the script adds and its amounts
/// over 90 days in the highlight's colours, and only those (issue 15).
async fn ageing_chart_and_highlights(c: &Client, base: &str) -> Result<(), String> {
    preview_with(c, base, "ageing").await?;
    let chart = c
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css("section#rendered figure.chart svg"))
        .await
        .map_err(|e| format!("the ageing chart in the rendering: {e}"))?;
    let svg = chart.html(false).await.map_err(|e| e.to_string())?;
    assert!(
        svg.contains("Receivables by age"),
        "the chart's title: {svg}"
    );
    assert!(
        svg.to_ascii_uppercase().contains("#4472C4"),
        "bars of the first bucket: {svg}"
    );
    let grid = c
        .find(Locator::Css(
            "section#rendered table.sheet[data-sheet='Ageing']",
        ))
        .await
        .map_err(|e| format!("the rendered Ageing sheet: {e}"))?;
    let mut red = 0;
    for tr in grid
        .find_all(Locator::Css("tbody tr"))
        .await
        .map_err(|e| e.to_string())?
    {
        let cells = tr
            .find_all(Locator::Css("th, td"))
            .await
            .map_err(|e| e.to_string())?;
        let mut texts = Vec::new();
        for cell in &cells {
            texts.push(cell.text().await.map_err(|e| e.to_string())?);
        }
        // Row number, then columns A.. : F is the over-90-days bucket the
        // script highlights in F2:F{last customer row}.
        let (Some(row), Some(f)) = (texts.first(), cells.get(6)) else {
            continue;
        };
        let fill = f
            .css_value("background-color")
            .await
            .map_err(|e| e.to_string())?;
        let amount = &texts[6];
        let over_zero = amount.chars().any(|ch| ('1'..='9').contains(&ch));
        let customer_row = row.trim() != "1" && texts[1].trim() != "Total";
        let highlighted = fill == "rgba(255, 199, 206, 1)" || fill == "rgb(255, 199, 206)";
        assert_eq!(
            highlighted,
            customer_row && over_zero,
            "F{row} {amount:?} shows fill {fill}"
        );
        red += usize::from(highlighted);
    }
    assert!(red > 0, "some amount over 90 days is highlighted");
    let section = c
        .find(Locator::Css("section#rendered"))
        .await
        .map_err(|e| e.to_string())?;
    let shot = section
        .screenshot()
        .await
        .map_err(|e| format!("screenshot: {e}"))?;
    let artifacts = root().join("target").join("test-artifacts");
    std::fs::write(artifacts.join("web-ageing-rendered.png"), shot).map_err(|e| e.to_string())?;
    Ok(())
}
