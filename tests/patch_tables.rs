//! The patcher keeps Excel tables in step with the model: a widened table's
//! columns, a table the run created (on an existing or a new sheet) and a
//! table the run removed. Each result is read back with calamine, checked
//! part by part (untouched parts stay byte-identical, every written part is
//! well-formed XML) and, when LibreOffice is installed, opened by it.

mod support;

use support::external;

use calamine::{open_workbook, Data, Xlsx};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::io::write::patch::patch_package;
use sheetscript::model::{CellAddr, Number, RangeAddr, Table, Value, Workbook};
use sheetscript::progress::Progress;
use std::path::{Path, PathBuf};
use support::package::{entries, entry_text, read_back};

fn features() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/features.xlsx")
}

fn read() -> Workbook {
    read_workbook(&features(), &ReadOptions::default()).unwrap()
}

fn a1(s: &str) -> CellAddr {
    CellAddr::parse(s).unwrap()
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn table(name: &str, sheet: &str, range: &str, columns: &[&str]) -> Table {
    Table {
        name: name.into(),
        sheet: sheet.into(),
        range: RangeAddr::parse(range).unwrap(),
        header_row: true,
        totals_row: false,
        columns: columns.iter().map(|c| c.to_string()).collect(),
    }
}

/// A table as calamine reads it back: sheet, columns, data range (zero-based
/// start and end).
fn table_back(path: &Path, name: &str) -> (String, Vec<String>, (u32, u32), (u32, u32)) {
    let mut xlsx: Xlsx<_> = open_workbook(path).unwrap();
    xlsx.load_tables().unwrap();
    let t = xlsx.table_by_name(name).unwrap();
    let data = t.data();
    (
        t.sheet_name().to_string(),
        t.columns().to_vec(),
        data.start().unwrap(),
        data.end().unwrap(),
    )
}

fn table_names(path: &Path) -> Vec<String> {
    let mut xlsx: Xlsx<_> = open_workbook(path).unwrap();
    xlsx.load_tables().unwrap();
    let mut names: Vec<String> = xlsx.table_names().into_iter().cloned().collect();
    names.sort();
    names
}

/// Every entry of `after` that `before` has is byte-identical, except
/// `changed`; `before`'s entries missing from `after` are exactly
/// `dropped`; the entries only `after` has are exactly `added`. Every XML
/// entry of `after` is well-formed.
fn assert_package(after: &Path, changed: &[&str], dropped: &[&str], added: &[&str]) {
    let before = entries(&features());
    let after_entries = entries(after);
    for b in &before {
        match after_entries.iter().find(|a| a.name == b.name) {
            None => assert!(dropped.contains(&b.name.as_str()), "{} was dropped", b.name),
            Some(a) => {
                assert!(!dropped.contains(&b.name.as_str()), "{} was kept", b.name);
                let same = a.bytes == b.bytes;
                assert_eq!(same, !changed.contains(&b.name.as_str()), "{}", b.name);
            }
        }
    }
    let mut new: Vec<&str> = after_entries
        .iter()
        .filter(|a| !before.iter().any(|b| b.name == a.name))
        .map(|a| a.name.as_str())
        .collect();
    new.sort();
    let mut want = added.to_vec();
    want.sort();
    assert_eq!(new, want);
    for a in &after_entries {
        if a.name.ends_with(".xml") || a.name.ends_with(".rels") {
            let mut reader = quick_xml::Reader::from_reader(a.bytes.as_slice());
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{}: malformed XML: {e}", a.name),
                }
            }
        }
    }
}

/// Opens `path` with LibreOffice (skipped when it is not installed) and
/// returns the CSV text of each named sheet.
fn libreoffice_csv(path: &Path, sheets: &[&str]) -> Option<Vec<String>> {
    let soffice = external::soffice()?;
    let dir = tempfile::tempdir().unwrap();
    let status = external::libreoffice_sheets_csv(&soffice, dir.path(), path);
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    Some(
        sheets
            .iter()
            .map(|s| {
                std::fs::read_to_string(dir.path().join(format!("{stem}-{s}.csv")))
                    .unwrap_or_else(|e| panic!("{s}: {e}; {status:?}"))
            })
            .collect(),
    )
}

/// `path` opened and saved again as xlsx by LibreOffice (only called when
/// it is installed), in a temporary folder under the same file name.
fn libreoffice_resave(path: &Path) -> tempfile::TempDir {
    let resaved = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    external::libreoffice_convert(
        &external::soffice().unwrap(),
        profile.path(),
        "xlsx",
        resaved.path(),
        path,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    resaved
}

const INVOICE_COLUMNS: [&str; 7] = [
    "Date", "Customer", "Net", "VAT rate", "VAT", "Gross", "Paid",
];

#[test]
fn a_column_added_next_to_a_table_joins_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("widened.xlsx");
    let mut wb = read();
    // A script fills a column next to the table (no header) and widens it.
    let inv = wb.sheet_mut("Invoices").unwrap();
    for r in 2..=9 {
        inv.set_value(a1(&format!("H{r}")), text("open"));
    }
    let t = wb.tables.iter_mut().find(|t| t.name == "Invoices").unwrap();
    t.range = RangeAddr::parse("A1:H9").unwrap();
    t.columns.push("Status".into());
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut columns: Vec<String> = INVOICE_COLUMNS.map(String::from).to_vec();
    columns.push("Status".into());
    assert_eq!(
        table_back(&out, "Invoices"),
        ("Invoices".into(), columns, (1, 0), (8, 7))
    );
    // The empty header cell now holds the column name.
    assert_eq!(
        read_back(&out, "Invoices", "H1"),
        Data::String("Status".into())
    );
    let xml = entry_text(&out, "xl/tables/table1.xml");
    assert!(
        xml.contains(r#"ref="A1:H9" totalsRowShown="0"><autoFilter ref="A1:H9"/><tableColumns count="8"><tableColumn id="1" name="Date"/>"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<tableColumn id="7" name="Paid"/><tableColumn id="8" name="Status"/></tableColumns><tableStyleInfo name="TableStyleMedium9""#),
        "{xml}"
    );
    assert_package(
        &out,
        &[
            "xl/worksheets/sheet1.xml",
            "xl/tables/table1.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
        ],
        &["xl/calcChain.xml"],
        &[],
    );
    if let Some(csv) = libreoffice_csv(&out, &["Invoices"]) {
        let resaved = libreoffice_resave(&out);
        let back = table_back(&resaved.path().join("widened.xlsx"), "Invoices");
        assert_eq!(back.1.last().map(String::as_str), Some("Status"));
        assert_eq!(back.3, (8, 7));
        assert!(
            csv[0].starts_with("Date,Customer,Net,VAT rate,VAT,Gross,Paid,Status"),
            "{}",
            csv[0]
        );
    }
}

#[test]
fn tables_the_run_creates_become_table_parts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("created.xlsx");
    let mut wb = read();
    // On a sheet that has relationships (Summary 2026, with its header
    // cells written by the script) ...
    let summary = wb.sheet_mut("Summary 2026").unwrap();
    summary.set_value(a1("F1"), text("Month"));
    summary.set_value(a1("G1"), text("Total"));
    summary.set_value(a1("F2"), text("Jan"));
    summary.set_value(a1("G2"), Value::Number(Number::Exact(12.into())));
    wb.tables.push(table(
        "Monthly",
        "Summary 2026",
        "F1:G2",
        &["Month", "Total"],
    ));
    // ... on one that has none (Settings, header left to the patcher) ...
    let settings = wb.sheet_mut("Settings").unwrap();
    settings.set_value(a1("A3"), text("DE"));
    settings.set_value(a1("B3"), Value::Number(Number::Exact(19.into())));
    wb.tables
        .push(table("Rates", "Settings", "A2:B3", &["Country", "Rate"]));
    // ... and on a new sheet.
    let i = wb.add_sheet("Report").unwrap();
    let report = &mut wb.sheets[i];
    report.set_value(a1("B2"), text("Customer"));
    report.set_value(a1("C2"), text("Open"));
    report.set_value(a1("B3"), text("ACME"));
    report.set_value(a1("C3"), Value::Number(Number::Exact(5.into())));
    wb.tables
        .push(table("OpenItems", "Report", "B2:C3", &["Customer", "Open"]));
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");

    assert_eq!(
        table_names(&out),
        ["Invoices", "Monthly", "OpenItems", "Rates"]
    );
    let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        table_back(&out, "Monthly"),
        (
            "Summary 2026".into(),
            cols(&["Month", "Total"]),
            (1, 5),
            (1, 6)
        )
    );
    assert_eq!(
        table_back(&out, "Rates"),
        (
            "Settings".into(),
            cols(&["Country", "Rate"]),
            (2, 0),
            (2, 1)
        )
    );
    assert_eq!(
        table_back(&out, "OpenItems"),
        ("Report".into(), cols(&["Customer", "Open"]), (2, 1), (2, 2))
    );
    assert_eq!(
        table_back(&out, "Invoices").1,
        INVOICE_COLUMNS.map(String::from).to_vec()
    );
    assert_eq!(
        read_back(&out, "Settings", "A2"),
        Data::String("Country".into())
    );
    assert_eq!(
        read_back(&out, "Settings", "B2"),
        Data::String("Rate".into())
    );

    // Unique part names and table ids; relationships and content types.
    let t2 = entry_text(&out, "xl/tables/table2.xml");
    let t3 = entry_text(&out, "xl/tables/table3.xml");
    let t4 = entry_text(&out, "xl/tables/table4.xml");
    assert!(
        t2.contains(r#"id="2" name="Monthly" displayName="Monthly" ref="F1:G2""#),
        "{t2}"
    );
    assert!(t2.contains(r#"<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1""#), "{t2}");
    assert!(t3.contains(r#"id="3" name="Rates""#), "{t3}");
    assert!(t4.contains(r#"id="4" name="OpenItems""#), "{t4}");
    let ct = entry_text(&out, "[Content_Types].xml");
    for n in 2..=4 {
        assert!(ct.contains(&format!(r#"<Override PartName="/xl/tables/table{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>"#)), "{ct}");
    }
    let rels2 = entry_text(&out, "xl/worksheets/_rels/sheet2.xml.rels");
    assert!(
        rels2.contains(r#"Target="../tables/table2.xml""#),
        "{rels2}"
    );
    let rels3 = entry_text(&out, "xl/worksheets/_rels/sheet3.xml.rels");
    assert!(rels3.contains(r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" Target="../tables/table3.xml"/>"#), "{rels3}");
    let sheet3 = entry_text(&out, "xl/worksheets/sheet3.xml");
    assert!(sheet3.ends_with(r#"footer="0.3"/><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>"#), "{sheet3}");
    assert_package(
        &out,
        &[
            "xl/worksheets/sheet2.xml",
            "xl/worksheets/_rels/sheet2.xml.rels",
            "xl/worksheets/sheet3.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
            "docProps/app.xml",
        ],
        &["xl/calcChain.xml"],
        &[
            "xl/worksheets/sheet5.xml",
            "xl/worksheets/_rels/sheet3.xml.rels",
            "xl/worksheets/_rels/sheet5.xml.rels",
            "xl/tables/table2.xml",
            "xl/tables/table3.xml",
            "xl/tables/table4.xml",
        ],
    );
    if let Some(csv) = libreoffice_csv(&out, &["Settings", "Report"]) {
        assert!(csv[0].contains("Country,Rate"), "{}", csv[0]);
        assert!(csv[1].contains(",Customer,Open"), "{}", csv[1]);
        // LibreOffice read the new table parts: saved again, they are there.
        let resaved = libreoffice_resave(&out);
        assert_eq!(
            table_names(&resaved.path().join("created.xlsx")),
            ["Invoices", "Monthly", "OpenItems", "Rates"]
        );
    }
}

#[test]
fn a_table_the_run_removes_leaves_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("removed.xlsx");
    let mut wb = read();
    wb.remove_table("invoices").unwrap();
    assert!(wb.remove_table("Invoices").is_err());
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(table_names(&out).is_empty());
    let sheet1 = entry_text(&out, "xl/worksheets/sheet1.xml");
    assert!(!sheet1.contains("tablePart"), "{sheet1}");
    assert!(
        sheet1.ends_with(r#"<legacyDrawing r:id="rId1"/></worksheet>"#),
        "{sheet1}"
    );
    let rels = entry_text(&out, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(!rels.contains("table"), "{rels}");
    assert!(rels.contains("comments1.xml") && rels.contains("vmlDrawing1.vml"));
    assert!(!entry_text(&out, "[Content_Types].xml").contains("table1.xml"));
    // The cells stay: only the table definition went.
    assert_eq!(
        read_back(&out, "Invoices", "A1"),
        Data::String("Date".into())
    );
    assert_package(
        &out,
        &[
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/_rels/sheet1.xml.rels",
            "[Content_Types].xml",
        ],
        &["xl/tables/table1.xml"],
        &[],
    );
    if let Some(csv) = libreoffice_csv(&out, &["Invoices"]) {
        assert!(csv[0].starts_with("Date,Customer"), "{}", csv[0]);
        let resaved = libreoffice_resave(&out);
        assert!(table_names(&resaved.path().join("removed.xlsx")).is_empty());
    }
}

#[test]
fn a_removed_sheet_takes_its_tables_along() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sheet_removed.xlsx");
    let mut wb = read();
    wb.remove_sheet("Invoices").unwrap();
    patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(table_names(&out).is_empty());
    assert!(!entries(&out)
        .iter()
        .any(|e| e.name.starts_with("xl/tables/")));
    assert!(!entry_text(&out, "[Content_Types].xml").contains("table1.xml"));
}

#[test]
fn a_table_the_model_merely_lacks_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kept.xlsx");
    let mut wb = read();
    // A structural change, and a model without the file's table (as a
    // reader that skipped it would leave it): the table is not removed.
    wb.tables.clear();
    wb.rename_sheet_entry("Settings", "Config").unwrap();
    patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert_eq!(table_names(&out), ["Invoices"]);
    assert_eq!(
        entry_text(&out, "xl/tables/table1.xml"),
        entry_text(&features(), "xl/tables/table1.xml")
    );
}

#[test]
fn tables_excel_would_repair_are_refused_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("refused.xlsx");
    let mut wb = read();
    wb.tables
        .push(table("Overlap", "Invoices", "G5:H9", &["Paid", "X"]));
    wb.tables
        .push(table("Bad name", "Settings", "D1:D2", &["A"]));
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("overlaps table \"Invoices\""),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("\"Bad name\" is not a name"),
        "{warnings:?}"
    );
    assert_eq!(table_names(&out), ["Invoices"]);
    // Refused tables get no header cells written for them.
    assert_eq!(read_back(&out, "Invoices", "H5"), Data::Empty);
    assert_eq!(read_back(&out, "Settings", "D1"), Data::Empty);
}

#[test]
fn an_unchanged_table_model_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("same.xlsx");
    let wb = read();
    assert_eq!(wb.tables.len(), 1);
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_package(&out, &[], &[], &[]);
}
