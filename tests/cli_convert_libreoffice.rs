//! New workbooks written by sheetscript open in LibreOffice, an independent
//! reader, and show the values we meant (LibreOffice shows cached formula
//! results without recalculating). Skips when LibreOffice is absent.

mod support;

use sheetscript::io::write::{write_workbook, WriteOptions};
use sheetscript::model::{CellAddr, DateValue, ErrorKind, Number, RangeAddr, Value, Workbook};
use support::external::{libreoffice_rows, soffice};

#[test]
fn a_new_workbook_opens_in_libreoffice_with_its_values() {
    let Some(soffice) = soffice() else {
        return;
    };
    let mut wb = Workbook::new();
    wb.add_sheet("Data").unwrap();
    let s = &mut wb.sheets[0];
    let at = |a1: &str| CellAddr::parse(a1).unwrap();
    s.set_value(at("A1"), Value::Text("Položka".into()));
    s.set_value(at("B1"), Value::Text("Částka".into()));
    s.set_value(at("C1"), Value::Text("Datum".into()));
    s.set_value(at("A2"), Value::Text("Tea".into()));
    s.set_value(
        at("B2"),
        Value::Number(Number::Exact("0.1".parse().unwrap())),
    );
    s.set_value(
        at("C2"),
        Value::Date(DateValue::from_date(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        )),
    );
    s.set_value(at("A3"), Value::Bool(true));
    s.set_value(
        at("B3"),
        Value::Number(Number::Exact("0.2".parse().unwrap())),
    );
    s.set_value(at("C3"), Value::Error(ErrorKind::NA));
    // Cached results are what a non-recalculating reader shows.
    s.set_formula(
        at("B4"),
        "B2+B3",
        Value::Number(Number::Exact("0.3".parse().unwrap())),
    );
    s.set_formula(at("C4"), "UPPER(A2)", Value::Text("TEA".into()));
    s.set_value(at("A5"), Value::Text("merged".into()));
    s.merged.push(RangeAddr::parse("A5:B5").unwrap());

    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    let report = write_workbook(&wb, &book, &WriteOptions::default()).unwrap();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);

    let rows = libreoffice_rows(&soffice, &book, dir.path(), false);
    let expected = [
        ["Položka", "Částka", "Datum"],
        ["Tea", "0.1", "2026-11-30"],
        ["TRUE", "0.2", "#N/A"],
        ["", "0.3", "TEA"],
        ["merged", "", ""],
    ];
    assert_eq!(
        rows,
        expected.map(|r| r.map(String::from).to_vec()).to_vec()
    );
}
