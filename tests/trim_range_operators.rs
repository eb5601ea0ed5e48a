//! The trim-range reference operators (`A1:.F1`, `A1.:F1`, `A1.:.F1`) as
//! Excel stores them in a file (`_xlfn._TRO_TRAILING(...)`,
//! `_TRO_LEADING`, `_TRO_ALL`): `sheetscript recalc` computes them and
//! writes the stored form back unchanged.

mod support;

use calamine::{open_workbook, Reader, Xlsx};
use rust_decimal::Decimal;
use support::recalc_one_row;

#[test]
fn stored_trim_ranges_recalculate_and_are_written_back() {
    let dir = tempfile::tempdir().unwrap();
    // B1=1, C1=2, E1=4: A1 and D1 are empty, so is F1.
    let data = r#"<c r="B1"><v>1</v></c><c r="C1"><v>2</v></c><c r="E1"><v>4</v></c>"#;
    let formulas = [
        ("H1", "SUM(_xlfn._TRO_TRAILING(A1:F1))", 7),
        ("I1", "COLUMNS(_xlfn._TRO_TRAILING(A1:F1))", 5),
        ("J1", "COLUMNS(_xlfn._TRO_LEADING(A1:F1))", 5),
        ("K1", "COLUMNS(_xlfn._TRO_ALL(A1:F1))", 4),
        ("L1", "ROWS(_xlfn._TRO_ALL(A1:F9))", 1),
    ];
    let cells: String = formulas
        .iter()
        .map(|(at, f, _)| format!(r#"<c r="{at}"><f>{f}</f><v>0</v></c>"#))
        .collect();
    let (warnings, values) = recalc_one_row(dir.path(), &format!("{data}{cells}"));
    assert_eq!(warnings, "");
    for (at, f, expected) in formulas {
        assert_eq!(values.num(at), Decimal::from(expected), "{at}: {f}");
    }
    let written = dir.path().join("row-recalculated.xlsx");
    let mut xl: Xlsx<_> = open_workbook(&written).unwrap();
    let stored = xl.worksheet_formula("Data").unwrap();
    for (i, (at, f, _)) in formulas.iter().enumerate() {
        assert_eq!(
            stored.get_value((0, 7 + i as u32)).map(String::as_str),
            Some(*f),
            "{at}: the stored form is written back"
        );
    }
}
