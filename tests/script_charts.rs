//! Charts and highlights a script adds (issue 15), through both write
//! paths: a new workbook (from CSV) and write-back into the user's own
//! xlsx, which here already has a chart and an image. The output opens in
//! calamine, its package is consistent, the file's own chart and image
//! parts stay byte for byte, a re-run replaces its named charts instead of
//! stacking them, and LibreOffice opens it, exports it to PDF and keeps
//! the charts when it saves it again.

mod support;

use rust_xlsxwriter::{
    Chart, ChartType, DataValidation, DataValidationRule, Image, Note, Workbook as XlsxBook,
};
use std::path::{Path, PathBuf};
use support::external::{libreoffice_convert, pdf_pages, soffice};
use support::package::{assert_consistent_package, entries, entry_text};
use support::*;

/// Every chart kind and every rule kind the API has.
const SCRIPT: &str = r##"
let s = sheet("Invoices");
s.add_chart("column", "A1:C7", #{ name: "By customer", title: "Open amounts", x_title: "Customer", y_title: "EUR", legend: "bottom", number_format: "currency", at: "F2" });
s.add_chart("bar", "A1:C7", #{ name: "Stacked", stacked: true, at: "F20" });
s.add_chart("line", "A1:C7", #{ name: "Line", series: ["Amount"], at: "F38" });
s.add_chart("pie", "A1:C7", #{ name: "Pie", series: "Amount", at: "N2", width: 400, height: 300 });
s.add_chart("doughnut", "A1:C7", #{ name: "Ring", series: ["Amount"], legend: "none", at: "N20" });
s.add_chart("scatter", "A1:C7", #{ name: "Days vs amount", categories: "Days", series: ["Amount"], at: "N38" });
s.highlight("C2:C7", "> 500", "red");
s.highlight("C2:C7", "between 100 and 200", #{ fill: "light green", bold: true });
s.highlight("A2:A7", "contains Acme", "yellow");
s.highlight("B2:B7", "older than 90 days", "red text");
s.highlight("A2:A7", "duplicates", "bold");
s.highlight("A2:A7", "unique", "green");
s.highlight("C2:C7", "top 2", "green");
s.highlight("C2:C7", "=$B2>60", #{ font: "#9C0006" });
s.highlight("B2:B7", "data bar", #{ fill: "blue" });
s.highlight("C2:C7", "3 color scale", #{ colors: ["red", "yellow", "green"] });
s.highlight("B2:B7", "color scale");
"##;

const ROWS: [(&str, i64, f64); 6] = [
    ("Acme", 10, 150.0),
    ("Baltic", 45, 720.5),
    ("Acme", 95, 80.0),
    ("Fjord", 130, 1200.0),
    ("Nordic", 0, 199.99),
    ("Baltic", 61, 510.0),
];

/// A 2x2 24-bit BMP: an image part that must survive untouched.
fn bmp() -> Vec<u8> {
    let row = [0u8, 0, 255, 0, 255, 0, 0, 0]; // two pixels + padding
    let size = 54 + 2 * row.len() as u32;
    let mut out = b"BM".to_vec();
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&54u32.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&2i32.to_le_bytes());
    out.extend_from_slice(&2i32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(2 * row.len() as u32).to_le_bytes());
    out.extend_from_slice(&2835u32.to_le_bytes());
    out.extend_from_slice(&2835u32.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&row);
    out.extend_from_slice(&row);
    out
}

/// The user's workbook: the invoices, their own chart, a logo, a comment
/// and a data validation.
fn users_workbook(dir: &Path) -> PathBuf {
    let mut book = XlsxBook::new();
    let ws = book.add_worksheet();
    ws.set_name("Invoices").unwrap();
    ws.write_row(0, 0, ["Customer", "Days", "Amount"]).unwrap();
    for (i, (c, d, a)) in ROWS.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, *c).unwrap();
        ws.write(r, 1, *d as f64).unwrap();
        ws.write(r, 2, *a).unwrap();
    }
    let mut chart = Chart::new(ChartType::Line);
    // The same name as a chart the script adds: still the user's.
    chart.set_name("Pie");
    chart.add_series().set_values("Invoices!$C$2:$C$7");
    ws.insert_chart(10, 0, &chart).unwrap();
    let image = Image::new_from_buffer(&bmp()).unwrap();
    ws.insert_image(0, 4, &image).unwrap();
    ws.insert_note(1, 0, &Note::new("Ask about the discount"))
        .unwrap();
    let days = DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 365));
    ws.add_data_validation(1, 1, 6, 1, &days).unwrap();
    let path = dir.join("users.xlsx");
    book.save(&path).unwrap();
    path
}

fn csv_input(dir: &Path) -> PathBuf {
    let mut text = String::from("Customer,Days,Amount\n");
    for (c, d, a) in ROWS {
        text.push_str(&format!("{c},{d},{a}\n"));
    }
    let path = dir.join("Invoices.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs the script `source` on `input`, writing `dir/out`.
fn run_source(dir: &Path, source: &str, input: &Path, out: &str) -> PathBuf {
    let script = dir.join("charts.rhai");
    std::fs::write(&script, source).unwrap();
    let out = dir.join(out);
    ok(&[
        "run",
        script.to_str().unwrap(),
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    out
}

fn run_script(dir: &Path, input: &Path, out: &str) -> PathBuf {
    run_source(dir, SCRIPT, input, out)
}

/// The chart parts of a package, by name, with their XML.
fn charts(path: &Path) -> Vec<(String, String)> {
    entries(path)
        .into_iter()
        .filter(|e| e.name.starts_with("xl/charts/chart"))
        .map(|e| (e.name, String::from_utf8(e.bytes).unwrap()))
        .collect()
}

/// The worksheet part of sheet "Invoices" (the first sheet here).
fn sheet_xml(path: &Path) -> String {
    entry_text(path, "xl/worksheets/sheet1.xml")
}

/// What every output must show: the values, each chart kind with its
/// series references, each rule with its range, in order in the sheet.
fn assert_charts_and_rules(path: &Path) {
    assert_consistent_package(path);
    let g = grid(path, "Invoices");
    assert_eq!(g.text("A2"), "Acme");
    assert_eq!(g.num("C5"), d("1200"));
    let charts = charts(path);
    let all: String = charts.iter().map(|(_, x)| x.as_str()).collect();
    for kind in [
        "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/>",
        "<c:barDir val=\"bar\"/><c:grouping val=\"stacked\"/>",
        "<c:lineChart>",
        "<c:pieChart>",
        "<c:doughnutChart>",
        "<c:scatterChart>",
    ] {
        assert!(all.contains(kind), "{}: no {kind}", path.display());
    }
    assert!(all.contains("<c:f>Invoices!$C$2:$C$7</c:f>"), "{all}");
    assert!(all.contains("<c:f>Invoices!$A$2:$A$7</c:f>"), "{all}");
    assert!(all.contains("<c:f>Invoices!$B$2:$B$7</c:f>"), "{all}");
    assert!(all.contains("Open amounts") && all.contains("<c:legendPos val=\"b\"/>"));
    let xml = sheet_xml(path);
    for rule in [
        "type=\"cellIs\"",
        "operator=\"greaterThan\"><formula>500</formula>",
        "operator=\"between\"><formula>100</formula><formula>200</formula>",
        "type=\"containsText\"",
        "<formula>AND(ISNUMBER(B2),B2&lt;TODAY()-90)</formula>",
        "type=\"duplicateValues\"",
        "type=\"uniqueValues\"",
        "type=\"top10\"",
        "<formula>$B2&gt;60</formula>",
        "type=\"dataBar\"",
        "type=\"colorScale\"",
    ] {
        assert!(xml.contains(rule), "{}: no {rule} in {xml}", path.display());
    }
    for range in ["sqref=\"C2:C7\"", "sqref=\"A2:A7\"", "sqref=\"B2:B7\""] {
        assert!(xml.contains(range), "{range}");
    }
    // CT_Worksheet order: data, conditional formats, margins, drawing.
    let at = |s: &str| xml.find(s).unwrap_or_else(|| panic!("no {s}"));
    assert!(at("</sheetData>") < at("<conditionalFormatting"));
    assert!(at("<conditionalFormatting") < at("<pageMargins"));
    assert!(at("<pageMargins") < at("<drawing "));
    // Every dxfId the rules use is in styles.xml.
    let styles = entry_text(path, "xl/styles.xml");
    let dxfs = styles.matches("<dxf>").count();
    for id in xml.split("dxfId=\"").skip(1) {
        let id: usize = id.split('"').next().unwrap().parse().unwrap();
        assert!(id < dxfs, "dxfId {id} of {dxfs}");
    }
}

#[test]
fn a_new_workbook_gets_every_chart_kind_and_rule_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_script(dir.path(), &csv_input(dir.path()), "new.xlsx");
    assert_charts_and_rules(&out);
    assert_eq!(charts(&out).len(), 6);
    libreoffice_opens(&out, 6);
}

#[test]
fn written_back_charts_join_the_users_drawing_and_keep_their_chart_and_image() {
    let dir = tempfile::tempdir().unwrap();
    let input = users_workbook(dir.path());
    let out = run_script(dir.path(), &input, "out.xlsx");
    assert_charts_and_rules(&out);
    let before = entries(&input);
    let after = entries(&out);
    // The user's chart, image and comment parts are untouched, and the
    // data validation is still on the sheet.
    let users_parts = [
        "xl/charts/chart1.xml",
        "xl/media/image1.bmp",
        "xl/comments1.xml",
        "xl/drawings/vmlDrawing1.vml",
    ];
    for name in users_parts {
        let b = before.iter().find(|e| e.name == name).unwrap();
        let a = after.iter().find(|e| e.name == name).unwrap();
        assert!(a.bytes == b.bytes, "{name} changed");
    }
    // One drawing, holding the user's two anchors byte for byte and ours.
    let drawings: Vec<_> = after
        .iter()
        .filter(|e| e.name.starts_with("xl/drawings/drawing"))
        .collect();
    assert_eq!(drawings.len(), 1);
    let old = entry_text(&input, "xl/drawings/drawing1.xml");
    let new = entry_text(&out, "xl/drawings/drawing1.xml");
    let body = |x: &str| {
        x[x.find("<xdr:twoCellAnchor").unwrap()..x.rfind("</xdr:wsDr>").unwrap()].to_string()
    };
    assert!(new.contains(&body(&old)), "{new}");
    assert_eq!(new.matches("<c:chart ").count(), 7);
    assert_eq!(charts(&out).len(), 7);
    let validation = "<dataValidations count=\"1\"><dataValidation type=\"whole\"";
    assert!(sheet_xml(&input).contains(validation));
    assert!(sheet_xml(&out).contains(validation));
    assert!(sheet_xml(&out).contains("<legacyDrawing r:id="));
    // Shape ids stay unique in the drawing.
    let mut ids: Vec<&str> = new
        .split("<xdr:cNvPr id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "{new}");

    // A re-run replaces its six charts; the user's stays, even the one
    // named like one of the script's.
    let again = run_script(dir.path(), &out, "again.xlsx");
    assert_charts_and_rules(&again);
    assert_eq!(charts(&again).len(), 7);
    let drawing = entry_text(&again, "xl/drawings/drawing1.xml");
    for (name, count) in [
        ("By customer", 1),
        ("Stacked", 1),
        ("Days vs amount", 1),
        ("Pie", 2),
    ] {
        assert_eq!(
            drawing.matches(&format!("name=\"{name}\"")).count(),
            count,
            "{name}: {drawing}"
        );
    }
    assert_eq!(drawing.matches("(made by sheetscript)").count(), 6);
    // Nor do its highlights stack up, or their styles.
    let rules = |p: &Path| sheet_xml(p).matches("<cfRule ").count();
    assert_eq!(rules(&out), 11);
    assert_eq!(rules(&again), rules(&out));
    let dxfs = |p: &Path| entry_text(p, "xl/styles.xml").matches("<dxf>").count();
    assert_eq!(dxfs(&again), dxfs(&out));
    let mine = |p: &Path| {
        entries(p)
            .into_iter()
            .find(|e| e.name == "xl/charts/chart1.xml")
            .unwrap()
            .bytes
    };
    assert!(mine(&again) == mine(&input));
    libreoffice_opens(&again, 7);
}

/// LibreOffice exports `path` to PDF and, saving it as xlsx again, keeps
/// its `charts` charts.
fn libreoffice_opens(path: &Path, charts_expected: usize) {
    let Some(soffice) = soffice() else {
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let outdir = tempfile::tempdir().unwrap();
    libreoffice_convert(&soffice, profile.path(), "pdf", outdir.path(), path)
        .unwrap_or_else(|e| panic!("{e}"));
    let resaved = libreoffice_convert(&soffice, profile.path(), "xlsx", outdir.path(), path)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(charts(&resaved.files[0]).len(), charts_expected);
}

/// Look at it: the bundled ageing script's output, printed by LibreOffice,
/// has a page where the chart's coloured bars are drawn (text, grid lines
/// and the highlights' pale fills are not saturated colours).
#[test]
fn the_ageing_chart_is_drawn_when_libreoffice_prints_it() {
    let Some(soffice) = soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ageing.xlsx");
    ok(&[
        "run",
        "scripts/ageing.rhai",
        "samples/invoices.xlsx",
        "--set",
        "asof=2026-11-30",
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    let profile = tempfile::tempdir().unwrap();
    let pdf = libreoffice_convert(&soffice, profile.path(), "pdf", dir.path(), &out)
        .unwrap_or_else(|e| panic!("{e}"));
    let pictures = tempfile::tempdir().unwrap();
    let Some(pages) = pdf_pages(&pdf.files[0], pictures.path(), 50) else {
        return;
    };
    let saturated = |(_, _, rgb): &(usize, usize, Vec<u8>)| {
        rgb.chunks(3)
            .filter(|p| {
                let (lo, hi) = (p.iter().min().unwrap(), p.iter().max().unwrap());
                hi - lo > 90
            })
            .count()
    };
    let most = pages.iter().map(saturated).max().unwrap_or(0);
    // The 640 x 360 chart at 50 dpi is about 330 x 190 pixels, a good
    // part of it bars; a page of text has next to none.
    assert!(
        most > 3000,
        "no page shows the chart: at most {most} coloured pixels"
    );
}

/// A workbook with pivot tables (from the shared corpus) gets a chart and
/// two highlights on the sheet of a pivot table; every pivot table and
/// cache part stays byte for byte, and LibreOffice opens the result.
#[test]
fn pivot_tables_survive_a_chart_and_highlights_beside_them() {
    let Some(input) = support::external::corpus("calamine/pivots.xlsx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = r#"
let s = sheet("PivotSheet2");
s.add_chart("column", "DataSheet!A1:E11", #{ name: "Sizes", categories: "Name", series: ["Size"], at: "F2" });
s.highlight("B5:D10", "> 3", "red");
s.highlight("A5:A10", "duplicates", "yellow");
"#;
    let out = run_source(dir.path(), source, &input, "pivots-out.xlsx");
    assert_consistent_package(&out);
    let before = entries(&input);
    let after = entries(&out);
    let kept: Vec<_> = before
        .iter()
        .filter(|e| e.name.starts_with("xl/pivot"))
        .collect();
    assert!(kept.len() >= 10);
    for b in kept {
        let a = after.iter().find(|e| e.name == b.name).unwrap();
        assert!(a.bytes == b.bytes, "{} changed", b.name);
    }
    assert_eq!(charts(&out).len(), 1);
    let Some(soffice) = soffice() else {
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let outdir = tempfile::tempdir().unwrap();
    libreoffice_convert(&soffice, profile.path(), "pdf", outdir.path(), &out)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Every workbook of the shared corpus that patches at all also patches
/// with a chart and two highlights on its first sheet: the package stays
/// consistent, its own charts, images, pivot tables and comments stay
/// byte for byte, and the chart and rules are there.
#[test]
fn corpus_files_take_a_chart_and_highlights() {
    use sheetscript::io::write::patch::patch_package;
    use sheetscript::model::visuals::{
        ChartKind, ChartSpec, Comparison, Highlight, HighlightRule, HighlightStyle, LegendPosition,
        SeriesSpec, SheetRange,
    };
    use sheetscript::model::{CellAddr, RangeAddr};
    use sheetscript::progress::Progress;
    let Some(files) = support::package::corpus_files() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (mut done, mut skipped) = (0, 0);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Ok(mut wb) = support::package::load(path) else {
            skipped += 1;
            continue;
        };
        let plain = tmp.path().join(format!("plain-{name}"));
        if wb.sheets.is_empty() || patch_package(path, &wb, &plain, &Progress::hidden()).is_err() {
            skipped += 1;
            continue;
        }
        let sheet = &mut wb.sheets[0];
        let used = sheet
            .used_range()
            .unwrap_or(RangeAddr::new(CellAddr::new(0, 0), CellAddr::new(1, 1)));
        let column = |c: u32| SheetRange {
            sheet: sheet.name.clone(),
            range: RangeAddr::new(
                CellAddr::new(used.start.row, c),
                CellAddr::new(used.end.row, c),
            ),
        };
        let chart = ChartSpec {
            name: "Corpus chart".into(),
            kind: ChartKind::Column,
            categories: Some(column(used.start.col)),
            series: vec![SeriesSpec {
                name: None,
                values: column(used.end.col),
            }],
            title: Some("Corpus".into()),
            x_title: None,
            y_title: None,
            legend: LegendPosition::Bottom,
            number_format: None,
            anchor: CellAddr::new(used.start.row, used.end.col.min(16_000) + 2),
            width: 480,
            height: 288,
        };
        sheet.visuals.charts.push(chart);
        for (rule, style) in [
            (
                HighlightRule::Cell(Comparison::Greater, "0".into()),
                0xFFC7CE,
            ),
            (HighlightRule::Duplicates, 0xFFEB9C),
        ] {
            sheet.visuals.highlights.push(Highlight {
                range: used,
                rule,
                style: HighlightStyle {
                    fill: Some(style),
                    ..HighlightStyle::default()
                },
            });
        }
        let out = tmp.path().join(&name);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            patch_package(path, &wb, &out, &Progress::hidden())
        }));
        match result {
            Err(_) => panic!("{name}: the patcher panicked"),
            Ok(Err(e)) => panic!("{name} patches, but not with a chart: {e}"),
            Ok(Ok(_)) => {}
        }
        // No problem the source did not have already.
        let known = support::package::package_problems(path);
        let new: Vec<String> = support::package::package_problems(&out)
            .into_iter()
            .filter(|p| !known.contains(p))
            .collect();
        assert!(new.is_empty(), "{name}: {}", new.join("; "));
        let after = entries(&out);
        for b in entries(path).iter().filter(|e| {
            [
                "xl/charts/",
                "xl/media/",
                "xl/pivot",
                "xl/comments",
                "xl/embeddings/",
            ]
            .iter()
            .any(|p| e.name.starts_with(p))
        }) {
            let a = after.iter().find(|a| a.name == b.name);
            assert!(
                a.is_some_and(|a| a.bytes == b.bytes),
                "{name}: {} changed",
                b.name
            );
        }
        let added: Vec<_> = after
            .iter()
            .filter(|e| e.name.starts_with("xl/charts/chart"))
            .filter(|e| {
                String::from_utf8_lossy(&e.bytes).contains("<c:v>Corpus</c:v>")
                    || String::from_utf8_lossy(&e.bytes).contains("Corpus")
            })
            .collect();
        assert_eq!(added.len(), 1, "{name}: the chart is not there");
        done += 1;
    }
    eprintln!("corpus: {done} took a chart and highlights, {skipped} do not patch at all");
    assert!(done > 0);
}
