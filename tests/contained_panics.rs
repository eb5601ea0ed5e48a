//! A formula that reaches a panic inside sheetscript or a numeric library
//! (statrs `unwrap`s on extreme arguments) fails in its cell, or as one
//! clear error, never as a crash with raw panic text.

mod common;

use common::*;

const EXTREME: [&str; 3] = [
    "T.INV(1E-300,1E300)",
    "CHIDIST(4.9E-324,3)",
    "GAMMA.INV(0.5,1E300,1E-308)",
];

#[test]
fn eval_of_a_failing_formula_is_one_clear_error() {
    for f in EXTREME {
        let out = sheetscript(&["eval", "samples/invoices.xlsx", &format!("={f}")]);
        let err = String::from_utf8_lossy(&out.stderr);
        // Before: exit 101 and "thread 'main' panicked at .../statrs...".
        assert_eq!(out.status.code(), Some(1), "{f}: {err}");
        assert!(
            err.contains("evaluation failed inside sheetscript") && !err.contains("panicked"),
            "{f}: {err}"
        );
    }
}

#[test]
fn a_failing_cell_shows_value_error_and_the_rest_is_computed() {
    let dir = tempfile::tempdir().unwrap();
    let cells: String = EXTREME
        .iter()
        .enumerate()
        .map(|(i, f)| format!("<c r=\"{}1\"><f>{f}</f></c>", ["A", "B", "C"][i]))
        .collect();
    let (err, g) = recalc_one_row(dir.path(), &format!("{cells}<c r=\"D1\"><f>1+1</f></c>"));
    assert!(
        err.contains("Data!A1: evaluation failed inside sheetscript") && !err.contains("panicked"),
        "{err}"
    );
    assert_eq!(g.num("D1").to_string(), "2");
    assert_eq!(
        g.at("A1"),
        calamine::Data::Error(calamine::CellErrorType::Value)
    );
}
