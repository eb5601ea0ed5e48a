//! End-to-end tests of the xlsx patcher: read a workbook with every
//! feature, edit it through the model, patch, and check the result with
//! independent readers (calamine, the zip crate, LibreOffice if present).

mod support;

use support::package;

use support::external;

use calamine::Data;
use sheetscript::io::write::patch::patch_package;
use sheetscript::model::{CellAddr, DateKind, DateValue, Number, Style, Value};
use sheetscript::progress::Progress;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use support::package::{assert_same_entries, entries, entry_text, formula_back, load, read_back};

fn features() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/features.xlsx")
}

fn a1(s: &str) -> CellAddr {
    CellAddr::parse(s).unwrap()
}

fn num(n: &str) -> Value {
    Value::Number(Number::Exact(n.parse().unwrap()))
}

#[test]
fn unchanged_workbook_copies_every_entry_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let wb = load(&features()).unwrap();
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_same_entries(&features(), &out);
}

#[test]
fn edited_cells_land_and_everything_else_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let mut wb = load(&features()).unwrap();
    let money_style = wb.sheet("Invoices").unwrap().cell(a1("C2")).unwrap().style;
    assert_ne!(money_style, 0, "the loader keeps style ids");
    let new_style = wb.styles.intern(Style::with_number_format("0.0000"));
    {
        let inv = wb.sheet_mut("Invoices").unwrap();
        inv.set_value(a1("C2"), num("1234.5"));
        inv.set_value(a1("B3"), Value::Text("Müller & <Söhne> _x0041_".into()));
        inv.set_formula(a1("E2"), "ROUND(C2*D2,2)+1", num("87.42"));
        inv.set_value(a1("H2"), num("0.12345"));
        inv.set_style(a1("H2"), new_style);
        inv.set_value(
            a1("A12"),
            Value::Date(DateValue {
                serial: 46353.0,
                kind: DateKind::Date,
            }),
        );
        inv.set_value(a1("G3"), Value::Bool(true));
        inv.clear(a1("G4"));
        inv.set_column_width(2, 30.5);
    }
    wb.sheet_mut("Settings")
        .unwrap()
        .set_value(a1("B1"), num("0.2"));
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");

    // Values, through calamine.
    assert_eq!(read_back(&out, "Invoices", "C2"), Data::Float(1234.5));
    assert_eq!(
        read_back(&out, "Invoices", "B3"),
        Data::String("Müller & <Söhne> _x0041_".into())
    );
    assert_eq!(read_back(&out, "Invoices", "E2"), Data::Float(87.42));
    assert_eq!(formula_back(&out, "Invoices", "E2"), "ROUND(C2*D2,2)+1");
    assert_eq!(read_back(&out, "Invoices", "H2"), Data::Float(0.12345));
    match read_back(&out, "Invoices", "A12") {
        Data::Float(f) => assert_eq!(f, 46353.0),
        Data::DateTime(d) => assert_eq!(d.as_f64(), 46353.0),
        other => panic!("A12 is {other:?}"),
    }
    assert_eq!(read_back(&out, "Invoices", "G3"), Data::Bool(true));
    assert_eq!(read_back(&out, "Invoices", "G4"), Data::Empty);
    assert_eq!(read_back(&out, "Settings", "B1"), Data::Float(0.2));
    // Untouched neighbours keep their values.
    assert_eq!(
        read_back(&out, "Invoices", "B2"),
        Data::String("Acme GmbH".into())
    );
    assert_eq!(read_back(&out, "Invoices", "C3"), Data::Float(225.5));
    assert_eq!(formula_back(&out, "Invoices", "F5"), "C5+E5");

    // Package: every other part byte for byte, in the original order.
    let before = entries(&features());
    let after = entries(&out);
    let changed: HashSet<&str> = [
        "[Content_Types].xml",
        "xl/_rels/workbook.xml.rels",
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet3.xml",
    ]
    .into();
    let expected_names: Vec<&str> = before
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| *n != "xl/calcChain.xml")
        .collect();
    let names: Vec<&str> = after.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, expected_names);
    for a in &after {
        let b = before.iter().find(|b| b.name == a.name).unwrap();
        if changed.contains(a.name.as_str()) {
            continue;
        }
        assert_eq!((b.crc, b.compressed), (a.crc, a.compressed), "{}", a.name);
        assert_eq!(b.bytes, a.bytes, "{}", a.name);
    }
    let text = |name: &str| {
        String::from_utf8(after.iter().find(|e| e.name == name).unwrap().bytes.clone()).unwrap()
    };
    let old_text = |name: &str| {
        String::from_utf8(
            before
                .iter()
                .find(|e| e.name == name)
                .unwrap()
                .bytes
                .clone(),
        )
        .unwrap()
    };
    assert!(!text("[Content_Types].xml").contains("calcChain"));
    assert!(!text("xl/_rels/workbook.xml.rels").contains("calcChain"));
    assert!(text("xl/workbook.xml").contains("fullCalcOnLoad=\"1\""));
    // styles.xml: only the new format and cell format were appended.
    let styles = text("xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.0000\""), "{styles}");
    let old_styles = old_text("xl/styles.xml");
    let count = |s: &str| s.matches("<xf ").count();
    assert_eq!(count(&styles), count(&old_styles) + 1);
    // The edited sheet keeps its other parts (table, notes, validation...).
    let sheet1 = text("xl/worksheets/sheet1.xml");
    for kept in [
        "<tableParts",
        "<dataValidations",
        "<conditionalFormatting",
        "<legacyDrawing",
        "<pane ",
    ] {
        assert!(sheet1.contains(kept), "{kept} lost");
    }
    assert!(
        sheet1.contains(&format!("<c r=\"H2\" s=\"{new_style}\"><v>0.12345</v></c>")),
        "{sheet1}"
    );
    assert!(sheet1.contains("<dimension ref=\"A1:H12\"/>"), "{sheet1}");
    // Column C got a width; A and B keep theirs.
    assert!(
        sheet1.contains(
            "<col min=\"2\" max=\"2\" width=\"22.7109375\" customWidth=\"1\"/>\
             <col min=\"3\" max=\"3\" width=\"30.5\" customWidth=\"1\"/></cols>"
        ),
        "{sheet1}"
    );
}

#[test]
fn unchanged_styles_part_stays_identical_when_no_new_style_is_needed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let mut wb = load(&features()).unwrap();
    wb.sheet_mut("Invoices")
        .unwrap()
        .set_value(a1("C3"), num("99"));
    patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    let before = entries(&features());
    let after = entries(&out);
    let find =
        |v: &[package::Entry], n: &str| v.iter().find(|e| e.name == n).unwrap().bytes.clone();
    assert_eq!(
        find(&before, "xl/styles.xml"),
        find(&after, "xl/styles.xml")
    );
    assert_eq!(read_back(&out, "Invoices", "C3"), Data::Float(99.0));
}

#[test]
fn renamed_added_and_removed_sheets_update_the_whole_package() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let mut wb = load(&features()).unwrap();
    wb.rename_sheet_entry("Invoices", "Sales Ledger").unwrap();
    wb.rename_sheet_entry("Settings", "Config").unwrap();
    // The formula engine rewrites names on rename; here the test does.
    for n in &mut wb.names {
        n.refers_to = n
            .refers_to
            .replace("Settings!", "Config!")
            .replace("Invoices!", "'Sales Ledger'!");
    }
    wb.remove_sheet("Hidden").unwrap();
    let i = wb.add_sheet("Report").unwrap();
    wb.sheets[i].set_value(a1("A1"), Value::Text("made by sheetscript".into()));
    wb.sheets[i].set_formula(a1("B2"), "Config!B1*2", num("0.38"));
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");

    let xlsx: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    use calamine::Reader;
    assert_eq!(
        xlsx.sheet_names(),
        vec!["Sales Ledger", "Summary 2026", "Config", "Report"]
    );
    assert_eq!(
        read_back(&out, "Report", "A1"),
        Data::String("made by sheetscript".into())
    );
    assert_eq!(read_back(&out, "Report", "B2"), Data::Float(0.38));
    assert_eq!(formula_back(&out, "Report", "B2"), "Config!B1*2");
    // Formulas of untouched cells follow the rename.
    assert_eq!(
        formula_back(&out, "Summary 2026", "B2"),
        "SUM('Sales Ledger'!C2:C9)"
    );
    assert_eq!(read_back(&out, "Sales Ledger", "C2"), Data::Float(100.0));
    let after = entries(&out);
    let text = |name: &str| {
        String::from_utf8(after.iter().find(|e| e.name == name).unwrap().bytes.clone()).unwrap()
    };
    assert!(text("xl/charts/chart1.xml").contains("'Sales Ledger'!$C$2:$C$9"));
    let workbook = text("xl/workbook.xml");
    assert!(
        workbook.contains(">Config!$B$1</definedName>"),
        "{workbook}"
    );
    assert!(workbook.contains("'Sales Ledger'!$C$2:$C$9"), "{workbook}");
    assert!(!workbook.contains("Hidden"), "{workbook}");
    assert!(after.iter().all(|e| e.name != "xl/worksheets/sheet4.xml"));
    let app = text("docProps/app.xml");
    assert!(app.contains("<vt:lpstr>Sales Ledger</vt:lpstr>"), "{app}");
    assert!(app.contains("<vt:lpstr>Report</vt:lpstr>"), "{app}");
    assert!(!app.contains("<vt:lpstr>Hidden</vt:lpstr>"), "{app}");
    let types = text("[Content_Types].xml");
    assert!(!types.contains("sheet4.xml"), "{types}");
    assert_eq!(types.matches("worksheet+xml").count(), 4, "{types}");
}

#[test]
fn errors_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let bogus = dir.path().join("bogus.xlsx");
    std::fs::write(&bogus, b"not a zip at all").unwrap();
    let wb = load(&features()).unwrap();
    let err = patch_package(&bogus, &wb, &out, &Progress::hidden()).unwrap_err();
    assert!(
        err.to_string().contains("not an xlsx/xlsm package"),
        "{err}"
    );
    assert!(!out.exists());
    // Writing over the source is refused.
    let copy = dir.path().join("copy.xlsx");
    std::fs::copy(features(), &copy).unwrap();
    assert!(patch_package(&copy, &wb, &copy, &Progress::hidden()).is_err());
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(features()).unwrap()
    );
}

#[test]
fn libreoffice_opens_the_patched_file() {
    let Some(soffice) = external::soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("patched.xlsx");
    let mut wb = load(&features()).unwrap();
    wb.rename_sheet_entry("Settings", "Config").unwrap();
    wb.remove_sheet("Hidden").unwrap();
    let i = wb.add_sheet("Report").unwrap();
    wb.sheets[i].set_value(a1("A1"), Value::Text("made by sheetscript".into()));
    let pct = wb.styles.intern(Style::with_number_format("0.0%"));
    wb.sheets[i].set_value(a1("B1"), num("0.125"));
    wb.sheets[i].set_style(a1("B1"), pct);
    wb.sheet_mut("Invoices")
        .unwrap()
        .set_value(a1("C2"), num("1234.5"));
    wb.sheet_mut("Invoices")
        .unwrap()
        .set_value(a1("B3"), Value::Text("Edited by sheetscript".into()));
    patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    let status = external::libreoffice_sheets_csv(&soffice, dir.path(), &out);
    let csv = |sheet: &str| {
        std::fs::read_to_string(dir.path().join(format!("patched-{sheet}.csv")))
            .unwrap_or_else(|e| panic!("{sheet}: {e}; {status:?}"))
    };
    let invoices = csv("Invoices");
    assert!(invoices.contains("Edited by sheetscript"), "{invoices}");
    assert!(
        invoices.contains("1,234.50") || invoices.contains("1234.5"),
        "{invoices}"
    );
    let report = csv("Report");
    assert!(report.contains("made by sheetscript,12.5%"), "{report}");
    assert!(csv("Config").contains("VAT rate"));
    assert!(dir.path().join("patched-Summary 2026.csv").exists());
    assert!(!dir.path().join("patched-Hidden.csv").exists());
}

#[test]
fn a_table_that_grew_gets_its_new_range() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let mut wb = load(&features()).unwrap();
    // As the reader would load it, then a row appended by the run.
    wb.tables.push(sheetscript::model::Table {
        name: "Invoices".into(),
        sheet: "Invoices".into(),
        range: sheetscript::model::RangeAddr::parse("A1:G10").unwrap(),
        header_row: true,
        totals_row: false,
        columns: [
            "Date", "Customer", "Net", "VAT rate", "VAT", "Gross", "Paid",
        ]
        .map(String::from)
        .to_vec(),
    });
    wb.sheet_mut("Invoices")
        .unwrap()
        .set_value(a1("B10"), Value::Text("New customer".into()));
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let xml = entry_text(&out, "xl/tables/table1.xml");
    assert!(xml.contains("ref=\"A1:G10\""), "{xml}");
    assert!(xml.contains("<autoFilter ref=\"A1:G10\"/>"), "{xml}");
    assert_eq!(
        read_back(&out, "Invoices", "B10"),
        Data::String("New customer".into())
    );
}

#[test]
fn the_real_reader_and_the_patcher_agree() {
    use sheetscript::io::read::{read_workbook, ReadOptions};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let mut wb = read_workbook(&features(), &ReadOptions::default()).unwrap();
    // Nothing changed: every entry is copied as it was.
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_same_entries(&features(), &out);
    // An edit keeps the cell's own style id and adds one new style.
    let style = wb.sheet("Invoices").unwrap().cell(a1("C2")).unwrap().style;
    let new_style = wb.styles.intern(Style::with_number_format("#,##0.000"));
    let inv = wb.sheet_mut("Invoices").unwrap();
    inv.set_value(a1("C2"), num("999.99"));
    inv.set_value(a1("I2"), num("1.5"));
    inv.set_style(a1("I2"), new_style);
    let warnings = patch_package(&features(), &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let sheet1 = entry_text(&out, "xl/worksheets/sheet1.xml");
    assert!(
        sheet1.contains(&format!("<c r=\"C2\" s=\"{style}\"><v>999.99</v></c>")),
        "{sheet1}"
    );
    let reread = read_workbook(&out, &ReadOptions::default()).unwrap();
    let inv = reread.sheet("Invoices").unwrap();
    assert_eq!(inv.value(a1("C2")), &num("999.99"));
    assert_eq!(inv.value(a1("I2")), &num("1.5"));
    assert_eq!(
        reread
            .styles
            .get(inv.cell(a1("I2")).unwrap().style)
            .number_format,
        "#,##0.000"
    );
    assert_eq!(
        reread
            .styles
            .get(inv.cell(a1("C2")).unwrap().style)
            .number_format,
        "#,##0.00 [$EUR]"
    );
}
