//! A formula that reaches a panic inside a numeric library (statrs
//! `unwrap`s on extreme arguments) gives `#NUM!` in its cell, as Excel
//! does for arguments out of a function's range, with a warning naming
//! the cell; never a crash with raw panic text.

mod support;

use support::*;

// T.INV(1E-300,1E300) left this list when Student's t past 1E6 degrees
// of freedom became its normal limit (-37.047...) instead of statrs's
// search; T.INV(4.9E-324,1) still reaches the unwrap.
const EXTREME: [&str; 3] = [
    "T.INV(4.9E-324,1)",
    "CHIDIST(4.9E-324,3)",
    "GAMMA.INV(0.5,1E300,1E-308)",
];

#[test]
fn eval_of_an_extreme_argument_gives_num() {
    for f in EXTREME {
        // Before: exit 101 and "thread 'main' panicked at .../statrs...".
        let out = sheetscript(&["eval", "samples/invoices.xlsx", &format!("={f}")]);
        let (stdout, err) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "{f}: {err}");
        assert_eq!(stdout.trim(), "#NUM!", "{f}");
        assert!(!err.contains("panicked"), "{f}: {err}");
    }
}

#[test]
fn a_cell_with_extreme_arguments_shows_num_and_the_rest_is_computed() {
    let dir = tempfile::tempdir().unwrap();
    let cells: String = EXTREME
        .iter()
        .enumerate()
        .map(|(i, f)| format!("<c r=\"{}1\"><f>{f}</f></c>", ["A", "B", "C"][i]))
        .collect();
    let (err, g) = recalc_one_row(dir.path(), &format!("{cells}<c r=\"D1\"><f>1+1</f></c>"));
    assert!(
        err.contains("Data!A1: T.INV could not be computed for these arguments")
            && err.contains("the cell shows #NUM!")
            && !err.contains("panicked"),
        "{err}"
    );
    assert_eq!(g.num("D1").to_string(), "2");
    for a1 in ["A1", "B1", "C1"] {
        assert_eq!(
            g.at(a1),
            calamine::Data::Error(calamine::CellErrorType::Num)
        );
    }
}
