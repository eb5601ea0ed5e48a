//! What the tests of shared and array formulas check alike for an xls and
//! an xlsb (tests/xls_formulas.rs, tests/xlsb_formulas.rs): each builds
//! the same workbook in its format, sheet "Data" with A1:A5 = 1..5,
//! B1:B5 sharing `=A1*2`, C1:C5 sharing `=SUM($A$1:A1)`, `{=A1:A2*10}`
//! entered over D1:D3, and a sheet "Notes" after it; the damaged one's E1
//! points to a shared formula the file does not have.

use super::package::read_back;
use super::sheetscript;
use calamine::Data;
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::{ArrayFormula, CellAddr, RangeAddr, Workbook};
use std::path::Path;

/// The workbook at `path` as the reader models it.
pub fn model(path: &Path) -> Workbook {
    read_workbook(path, &ReadOptions::default()).unwrap()
}

/// The formula of cell `a1` of sheet "Data".
pub fn formula(wb: &Workbook, a1: &str) -> Option<String> {
    let sheet = wb.sheets.iter().find(|s| s.name == "Data").unwrap();
    sheet
        .formula_text(CellAddr::parse(a1).unwrap())
        .map(|f| f.into_owned())
}

/// Every cell of a shared formula gets it, resolved for its place; the
/// array's first cell gets the array formula, its other cells keep values.
pub fn check_written_out(path: &Path) {
    let wb = model(path);
    assert_eq!(formula(&wb, "B1").as_deref(), Some("A1*2"));
    assert_eq!(formula(&wb, "B5").as_deref(), Some("A5*2"));
    assert_eq!(formula(&wb, "C1").as_deref(), Some("SUM($A$1:A1)"));
    assert_eq!(formula(&wb, "C4").as_deref(), Some("SUM($A$1:A4)"));
    assert_eq!(formula(&wb, "D1").as_deref(), Some("A1:A2*10"));
    assert_eq!(
        formula(&wb, "D2"),
        None,
        "an array's other cells keep values"
    );
    let data = wb.sheets.iter().find(|s| s.name == "Data").unwrap();
    assert_eq!(
        data.array_formulas.get(&CellAddr::parse("D1").unwrap()),
        Some(&ArrayFormula::legacy(RangeAddr::parse("D1:D3").unwrap()))
    );
    assert!(wb.read_notes.is_empty(), "{:?}", wb.read_notes);
    let notes = wb.sheets.iter().find(|s| s.name == "Notes").unwrap();
    let a1 = notes.cell(CellAddr::new(0, 0)).map(|c| c.value.clone());
    assert_eq!(format!("{a1:?}"), "Some(Number(Exact(42)))");
}

/// A run that sets A1 to 100 recomputes the shared and array formulas,
/// and the workbook it writes (beside `input`) keeps them as formulas.
pub fn check_run_recomputes(input: &Path) {
    let (out, _) = super::run_script_ok(input, "let s = sheet(\"Data\");\ns[\"A1\"] = 100;\n");
    let n = Data::Float;
    let at = |a1| read_back(&out, "Data", a1);
    assert_eq!((at("B1"), at("B2")), (n(200.0), n(4.0)));
    assert_eq!((at("C1"), at("C5")), (n(100.0), n(114.0)));
    assert_eq!((at("D1"), at("D2")), (n(1000.0), n(20.0)));
    assert_eq!(at("D3"), Data::Error(calamine::CellErrorType::NA));
    let written = model(&out);
    assert_eq!(formula(&written, "B5").as_deref(), Some("A5*2"));
    assert_eq!(formula(&written, "C5").as_deref(), Some("SUM($A$1:A5)"));
}

/// The damaged workbook's dangling pointer in E1 is named in a note (and
/// by `show`), the other shared formulas still written out.
pub fn check_dangling_pointer_named(input: &Path) {
    let wb = model(input);
    assert_eq!(formula(&wb, "B5").as_deref(), Some("A5*2"));
    assert_eq!(wb.read_notes.len(), 1, "{:?}", wb.read_notes);
    let note = &wb.read_notes[0];
    assert!(
        note.starts_with("1 formula of sheet \"Data\" from E1 on, which point"),
        "{note}"
    );
    let show = sheetscript(&["show", input.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&show.stderr).contains("from E1 on"));
}
