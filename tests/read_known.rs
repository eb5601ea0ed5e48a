//! Focused reader tests on known files of the calamine corpus (skipped when
//! the corpus is absent) and on small workbooks built here.

use sheetscript::io::read::{detect_format, read_workbook, ReadOptions};
use sheetscript::model::sheet::Visibility;
use sheetscript::model::{
    CellAddr, DateKind, DateSystem, ErrorKind, SourceFormat, Value, Workbook,
};
mod support;

use support::external;

use std::path::{Path, PathBuf};

fn corpus(name: &str) -> Option<PathBuf> {
    external::corpus(&format!("calamine/{name}"))
}

fn read(path: &Path) -> Workbook {
    read_workbook(path, &ReadOptions::default()).unwrap()
}

fn at<'a>(wb: &'a Workbook, sheet: &str, a1: &str) -> &'a Value {
    wb.sheet(sheet).unwrap().value(CellAddr::parse(a1).unwrap())
}

fn formula(wb: &Workbook, sheet: &str, a1: &str) -> Option<String> {
    wb.sheet(sheet)
        .unwrap()
        .formula_text(CellAddr::parse(a1).unwrap())
        .map(|f| f.into_owned())
}

#[test]
fn dates_read_the_same_from_every_format_and_epoch() {
    for name in [
        "date.xlsx",
        "date_1904.xlsx",
        "date.xls",
        "date_1904.xls",
        "date.xlsb",
        "date_1904.xlsb",
    ] {
        let Some(path) = corpus(name) else { return };
        let wb = read(&path);
        assert_eq!(at(&wb, "Sheet1", "A1").to_string(), "2021-01-01", "{name}");
        assert_eq!(at(&wb, "Sheet1", "A2").to_string(), "2021-01-02", "{name}");
        match at(&wb, "Sheet1", "A3") {
            Value::Date(d) => assert_eq!(d.kind, DateKind::Duration, "{name}"),
            other => panic!("{name}: A3 is {other:?}"),
        }
        let system = if name.contains("1904") {
            DateSystem::Excel1904
        } else {
            DateSystem::Excel1900
        };
        assert_eq!(wb.date_system, system, "{name}");
    }
    let Some(path) = corpus("date.ods") else {
        return;
    };
    let wb = read(&path);
    assert_eq!(at(&wb, "Sheet1", "A1").to_string(), "2021-01-01");
    assert!(matches!(at(&wb, "Sheet1", "A2"), Value::Date(d) if d.kind == DateKind::DateTime));
}

#[test]
fn errors_keep_their_kind_and_formula() {
    let Some(path) = corpus("errors.xlsx") else {
        return;
    };
    let wb = read(&path);
    let expect = [
        ("A1", ErrorKind::Div0, "5/0"),
        ("A2", ErrorKind::Name, "A0"),
        ("A4", ErrorKind::Null, "A1:B1 D1:D9"),
        ("A6", ErrorKind::Num, "SQRT(-4)"),
        ("A7", ErrorKind::NA, "VLOOKUP(B1,B1,B1,3)"),
    ];
    for (a1, kind, f) in expect {
        assert_eq!(at(&wb, "Feuil1", a1), &Value::Error(kind), "{a1}");
        assert_eq!(formula(&wb, "Feuil1", a1).as_deref(), Some(f), "{a1}");
    }
}

#[test]
fn shared_formulas_are_expanded_even_when_the_anchor_comes_last() {
    let Some(path) = corpus("shared_formula_reversed.xlsx") else {
        return;
    };
    let wb = read(&path);
    for r in 1..=5 {
        assert_eq!(
            formula(&wb, "Sheet1", &format!("B{r}")).as_deref(),
            Some(format!("A{r}").as_str())
        );
    }
    let Some(path) = corpus("issue_567_absolute_shared.xlsx") else {
        return;
    };
    let wb = read(&path);
    let sheet = &wb.sheets[0];
    assert!(sheet.formula_count() >= 10);
    assert!(sheet
        .cells()
        .all(|(a, c)| c.formula_text(a).as_deref() != Some("")));
}

#[test]
fn sheets_keep_order_visibility_and_origin() {
    let Some(path) = corpus("any_sheets.xlsx") else {
        return;
    };
    let wb = read(&path);
    assert_eq!(wb.sheet_names(), vec!["Visible", "Hidden", "VeryHidden"]);
    assert_eq!(wb.sheets[1].visibility, Visibility::Hidden);
    assert_eq!(wb.sheets[2].visibility, Visibility::VeryHidden);
    let origin = wb.sheets[2].origin.as_ref().unwrap();
    assert_eq!((origin.name.as_str(), origin.index), ("VeryHidden", 2));
    assert!(wb.package_features.iter().any(|f| f == "1 chart sheet"));
    let source = wb.source.as_ref().unwrap();
    assert_eq!(source.format, SourceFormat::Xlsx);
    assert!(!wb.is_changed());
}

#[test]
fn merged_ranges_hyperlinks_and_rich_text() {
    let Some(path) = corpus("hyperlinks.xlsx") else {
        return;
    };
    let wb = read(&path);
    let links = &wb.sheet("Links").unwrap().hyperlinks;
    assert_eq!(links[0].target, "https://github.com/tafia/calamine");
    assert_eq!(links[1].range.to_a1(), "B1:C2");
    assert_eq!(links[1].tooltip.as_deref(), Some("Email Foo"));
    assert!(links.iter().any(|l| l.target == "'Sheet2'!B5"));
    assert!(links
        .iter()
        .any(|l| l.target == "file:///Book2.xlsx#Sheet1!A1"));

    let Some(path) = corpus("richtext-namespaced.xlsx") else {
        return;
    };
    let wb = read(&path);
    let sheet = &wb.sheets[0];
    let merged: Vec<String> = sheet.merged.iter().map(|m| m.to_a1()).collect();
    assert_eq!(merged, vec!["A1:G3", "H1:M3"]);
    assert_eq!(
        at(&wb, &sheet.name, "H1"),
        &Value::Text("shared string\nLine 2\nLine 3".into())
    );
    let a1 = sheet.cell(CellAddr::new(0, 0)).unwrap();
    assert!(wb.styles.get(a1.style).font.bold);

    let Some(path) = corpus("merge_cells.xls") else {
        return;
    };
    assert!(!read(&path).sheets[0].merged.is_empty());
}

#[test]
fn tables_and_scoped_names() {
    let Some(path) = corpus("table-multiple.xlsx") else {
        return;
    };
    let wb = read(&path);
    let names: Vec<&str> = wb.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["Inventory", "Pricing", "Sales_Bob", "Sales_Alice"]
    );
    let inv = wb.table("inventory").unwrap();
    assert_eq!(
        (inv.sheet.as_str(), inv.range.to_a1().as_str()),
        ("Sheet1", "A1:C5")
    );
    assert!(inv.header_row && !inv.totals_row);
    assert_eq!(inv.columns, vec!["Item", "Type", "Quantity"]);

    let Some(path) = corpus("table_with_absolute_paths.xlsx") else {
        return;
    };
    assert_eq!(read(&path).tables.len(), 1);

    let Some(path) = corpus("issue_174.xlsx") else {
        return;
    };
    let wb = read(&path);
    let print_area = wb.defined_name("_xlnm.Print_Area", Some("Sheet1")).unwrap();
    assert_eq!(print_area.scope.as_deref(), Some("Sheet1"));
}

#[test]
fn styles_ids_are_the_files_cell_format_indices() {
    let Some(path) = corpus("date.xlsx") else {
        return;
    };
    let wb = read(&path);
    let sheet = &wb.sheets[0];
    let a1 = sheet.cell(CellAddr::new(0, 0)).unwrap();
    assert_eq!(a1.style, 1);
    assert!(wb.styles.get(a1.style).is_date_format());
    let a3 = sheet.cell(CellAddr::new(2, 0)).unwrap();
    assert_eq!(wb.styles.get(a3.style).number_format, "[hh]:mm:ss");
}

#[test]
fn macros_pictures_and_pivots_are_named_as_package_features() {
    for (name, feature) in [
        ("vba.xlsm", "VBA macros"),
        ("picture.xlsx", "2 pictures"),
        ("pivots.xlsx", "5 pivot tables"),
        ("picture.ods", "2 pictures"),
    ] {
        let Some(path) = corpus(name) else { return };
        let wb = read(&path);
        assert!(
            wb.package_features.iter().any(|f| f == feature),
            "{name}: {:?}",
            wb.package_features
        );
    }
    let Some(path) = corpus("vba.xlsm") else {
        return;
    };
    assert_eq!(detect_format(&path).unwrap(), SourceFormat::Xlsm);
}

#[test]
fn hostile_and_protected_files_are_refused_with_a_reason() {
    for (name, reason) in [
        ("pass_protected.xlsx", "password"),
        ("pass_protected.xlsb", "password"),
        // Its content.xml is ciphertext: not "damaged".
        ("pass_protected.ods", "password-protected"),
        ("OOM_alloc3.xls", "damaged"),
        // 10¹⁸ cells of text: refused before calamine builds any.
        ("issue_594_dos.ods", "outside Excel's grid"),
    ] {
        let Some(path) = corpus(name) else { return };
        let err = read_workbook(&path, &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains(name) && err.contains(reason), "{err}");
    }
}

/// A minimal xlsx written by hand: the error kinds calamine does not know
/// (`#SPILL!`, `#CALC!`) inside a shared formula group, and a sheet-scoped
/// name and column widths.
fn handmade_xlsx(dir: &Path) -> PathBuf {
    package(dir, "spill.xlsx", SPILL_SHEET)
}

const SPILL_SHEET: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols><col min="2" max="3" width="18.5" customWidth="1"/></cols><sheetData>
            <row r="1"><c r="A1"><v>0.21</v></c><c r="B1" t="e"><f t="shared" ref="B1:B3" si="0">SEQUENCE(A1)</f><v>#SPILL!</v></c></row>
            <row r="2"><c r="A2"><v>3</v></c><c r="B2" t="e"><f t="shared" si="0"/><v>#CALC!</v></c></row>
            <row r="3"><c r="A3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B3"><f t="shared" si="0"/><v>7</v></c></row>
            </sheetData></worksheet>"#;

fn package(dir: &Path, name: &str, sheet_xml: &str) -> PathBuf {
    support::one_sheet_xlsx(dir, name, sheet_xml)
}

#[test]
fn newer_error_kinds_and_scoped_names_in_a_handmade_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let wb = read(&handmade_xlsx(dir.path()));
    assert_eq!(at(&wb, "Data", "A1").to_string(), "0.21");
    assert_eq!(at(&wb, "Data", "B1"), &Value::Error(ErrorKind::Spill));
    assert_eq!(formula(&wb, "Data", "B1").as_deref(), Some("SEQUENCE(A1)"));
    assert_eq!(at(&wb, "Data", "B2"), &Value::Error(ErrorKind::Calc));
    assert_eq!(formula(&wb, "Data", "B2").as_deref(), Some("SEQUENCE(A2)"));
    assert_eq!(at(&wb, "Data", "A3"), &Value::Error(ErrorKind::Div0));
    assert_eq!(formula(&wb, "Data", "B3").as_deref(), Some("SEQUENCE(A3)"));
    assert_eq!(at(&wb, "Data", "B3").to_string(), "7");
    assert_eq!(wb.names[0].scope.as_deref(), Some("Data"));
    assert_eq!(wb.names[0].refers_to, "Data!$A$1");
    let widths = &wb.sheets[0].column_widths;
    assert_eq!(widths.get(&1), Some(&18.5));
    assert_eq!(widths.get(&2), Some(&18.5));
    assert_eq!(widths.len(), 2);
}

#[test]
fn hostile_sheets_are_refused_naming_file_and_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let outside = package(
        dir.path(),
        "outside.xlsx",
        r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B9999999"><v>2</v></c></row></sheetData></worksheet>"#,
    );
    let err = read_workbook(&outside, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("outside.xlsx") && err.contains("\"Data\"") && err.contains("grid"),
        "{err}"
    );
    let broken = package(
        dir.path(),
        "broken.xlsx",
        r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>"#,
    );
    let err = read_workbook(&broken, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("broken.xlsx") && err.contains("damaged"),
        "{err}"
    );
}

#[test]
fn csv_files_become_one_sheet_named_after_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bank 2026-01.csv");
    std::fs::write(&path, "Datum;Částka;Účet\n31.1.2026;-1.234,50;00123\n").unwrap();
    let wb = read(&path);
    assert_eq!(wb.sheet_names(), vec!["bank 2026-01"]);
    assert_eq!(at(&wb, "bank 2026-01", "A2").to_string(), "2026-01-31");
    assert_eq!(at(&wb, "bank 2026-01", "B2").to_string(), "-1234.5");
    assert_eq!(at(&wb, "bank 2026-01", "C2"), &Value::Text("00123".into()));
    assert_eq!(wb.source.unwrap().format, SourceFormat::Csv);
}
