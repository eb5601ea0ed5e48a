//! End-to-end tests of `sheetscript recalc` and `sheetscript eval`.

mod support;

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_xlsxwriter::{Formula, Workbook};
use std::path::Path;
use support::sheetscript;

/// An invoice sheet whose formulas carry wrong cached values.
fn invoice(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Invoices").unwrap();
    ws.write_string(0, 0, "Net").unwrap();
    ws.write_number(1, 0, 100.1).unwrap();
    ws.write_number(2, 0, 0.2).unwrap();
    ws.write_formula(1, 1, Formula::new("=ROUND(A2*0.21,2)").set_result("0"))
        .unwrap();
    ws.write_formula(2, 1, Formula::new("=ROUND(A3*0.21,2)").set_result("0"))
        .unwrap();
    ws.write_formula(3, 0, Formula::new("=SUM(A2:A3)").set_result("0"))
        .unwrap();
    ws.write_formula(4, 0, Formula::new("=NOSUCHFUNC(1)").set_result("0"))
        .unwrap();
    ws.write_formula(5, 0, Formula::new("=A7+1").set_result("0"))
        .unwrap();
    ws.write_formula(6, 0, Formula::new("=A6+1").set_result("0"))
        .unwrap();
    ws.write_formula(7, 0, Formula::new("=TODAY()").set_result("0"))
        .unwrap();
    wb.save(path).unwrap();
}

#[test]
fn recalc_writes_computed_values_and_names_problems() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    let output = dir.path().join("out.xlsx");
    invoice(&input);
    let out = sheetscript(&[
        "recalc",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--now",
        "2026-11-27T09:00:00",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("NOSUCHFUNC"), "{stderr}");
    assert!(stderr.contains("reference cycle"), "{stderr}");
    let mut xl: Xlsx<_> = open_workbook(&output).unwrap();
    let range = xl.worksheet_range("Invoices").unwrap();
    let get = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(get(1, 1), Data::Float(21.02));
    assert_eq!(get(2, 1), Data::Float(0.04));
    assert_eq!(get(3, 0), Data::Float(100.3));
    // A function absent here keeps the value the file saved for it.
    assert_eq!(get(4, 0), Data::Float(0.0));
    assert_eq!(get(7, 0), Data::Float(46353.0));
}

#[test]
fn eval_prints_cells_and_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    invoice(&input);
    let path = input.to_str().unwrap();
    let out = sheetscript(&["eval", path, "Invoices!A4", "--raw"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "100.3");
    let out = sheetscript(&["eval", path, "=SUM(Invoices!B2:B3)*2"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42.12");
    let out = sheetscript(&["eval", path, "=Invoices!A2:A3"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "100.1\n0.2\n");
    let out = sheetscript(&["eval", path, "=SUM(1,"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error"));
    let out = sheetscript(&["eval", path, "Nope!A1"]);
    assert!(!out.status.success());
}
