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

/// The bytes `recalc --threads N` writes for `input`, per thread count;
/// each output is kept beside the input as `out-N.xlsx`.
fn recalc_with_threads(input: &std::path::Path, thread_counts: &[&str]) -> Vec<Vec<u8>> {
    let dir = input.parent().unwrap();
    thread_counts
        .iter()
        .map(|threads| {
            let output = dir.join(format!("out-{threads}.xlsx"));
            let out = sheetscript(&[
                "recalc",
                "--quiet",
                "--threads",
                threads,
                input.to_str().unwrap(),
                "-o",
                output.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{out:?}");
            std::fs::read(&output).unwrap()
        })
        .collect()
}

/// A sheet part big enough (over 8 MB of XML) to be read and rewritten
/// with its XML cut into events on helper threads gives the same file as
/// one thread, with the values computed.
#[test]
fn a_big_sheet_read_and_rewritten_on_helper_threads_gives_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Rows").unwrap();
    // Long formulas make a big part of few cells: 3,000 x 3 KB.
    let padding = "x".repeat(3000);
    for r in 0..3000u32 {
        ws.write_number(r, 0, f64::from(r)).unwrap();
        ws.write_formula(r, 1, format!("=A{}+LEN(\"{padding}\")", r + 1).as_str())
            .unwrap();
    }
    wb.save(&input).unwrap();
    let written = recalc_with_threads(&input, &["1", "2"]);
    assert!(
        written[0] == written[1],
        "the same bytes with one thread or two"
    );
    let mut book: Xlsx<_> = open_workbook(dir.path().join("out-2.xlsx")).unwrap();
    let range = book.worksheet_range("Rows").unwrap();
    assert_eq!(range.get_value((2999, 1)), Some(&Data::Float(5999.0)));
}

/// `--threads 1` and every core write the same file: a sheet of 3,000
/// rows of chained formulas and lookups (levels big enough to be computed
/// side by side), with a summary over them.
#[test]
fn recalc_with_one_thread_or_all_writes_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("wide.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Rows").unwrap();
    for r in 0..3000u32 {
        let x = r + 1;
        ws.write_number(r, 0, f64::from(r * 7 % 101)).unwrap();
        ws.write_formula(r, 1, format!("=ROUND(A{x}*1.21,2)").as_str())
            .unwrap();
        ws.write_formula(r, 2, format!("=B{x}-A{x}").as_str())
            .unwrap();
        ws.write_formula(
            r,
            3,
            format!("=VLOOKUP(MOD(A{x},50),$A$1:$C$3000,3,FALSE)").as_str(),
        )
        .unwrap();
    }
    ws.write_formula(0, 5, "=SUMIFS(C:C,A:A,\">50\")").unwrap();
    ws.write_formula(1, 5, "=SUM(D:D)").unwrap();
    wb.save(&input).unwrap();
    let written = recalc_with_threads(&input, &["1", "2", "4"]);
    assert!(written.iter().all(|w| *w == written[0]));
    let mut book: Xlsx<_> = open_workbook(dir.path().join("out-2.xlsx")).unwrap();
    let range = book.worksheet_range("Rows").unwrap();
    // Row 2: A = 7, B = 8.47, C = 1.47.
    assert_eq!(range.get_value((1, 2)), Some(&Data::Float(1.47)));
}
