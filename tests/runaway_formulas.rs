//! A formula that would compute for a long time is stopped by
//! `--timeout` on `eval` and `recalc`: exit code 1, a message naming the
//! time limit (and the cell), and nothing written. The formulas are
//! matrix products far larger than the limit allows; no assertion here
//! measures time.

mod support;

use support::*;

/// A sum of matrix products of `n`×`n` matrices, `copies` times over:
/// billions of multiplications, seconds even in a release build.
fn long_formula(n: usize, copies: usize) -> String {
    let product = format!("SUM(MMULT(SEQUENCE({n},{n}),SEQUENCE({n},{n})))");
    format!("={}", vec![product; copies].join("+"))
}

#[test]
fn eval_stops_a_long_formula_at_its_timeout() {
    let formula = long_formula(1500, 10);
    let out = sheetscript(&["eval", "samples/invoices.xlsx", &formula, "--timeout", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("time limit of 1 s (--timeout)"), "{err}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[test]
fn recalc_names_the_cell_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let formula = long_formula(1500, 10).replace('&', "&amp;");
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>{}</f></c></row></sheetData></worksheet>"#,
        &formula[1..]
    );
    let book = one_sheet_xlsx(dir.path(), "slow.xlsx", &sheet);
    let target = dir.path().join("out.xlsx");
    let out = sheetscript(&[
        "recalc",
        book.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--timeout",
        "1",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Data!B1"), "{err}");
    assert!(err.contains("--timeout"), "{err}");
    assert!(!target.exists(), "a timed-out recalc wrote {target:?}");
}

#[test]
fn a_quick_formula_finishes_within_its_timeout() {
    assert_eq!(
        ok(&[
            "eval",
            "samples/invoices.xlsx",
            "=SUM(MMULT({1,2},{3;4}))",
            "--timeout",
            "60"
        ])
        .trim(),
        "11"
    );
}
