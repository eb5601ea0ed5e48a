//! Formulas by shape: a column of formulas copied down (each cell's text
//! written out, as openpyxl writes them, or one shared formula) is held
//! and parsed once, and computes exactly what each cell's own text
//! computes; the recalculated file carries every cell's own formula.

mod support;

use sheetscript::formula::{Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::{CellAddr, Formula, Value, Workbook};
use std::sync::Arc;
use support::package::formula_back;
use support::*;

const ROWS: u32 = 40;

/// A sheet of amounts in A, a rate in E1 and three formula columns: B
/// written cell by cell (mixed and absolute references), C one shared
/// formula over the column, D reading the row above (and a name).
fn copied_down_book(dir: &std::path::Path) -> std::path::PathBuf {
    let mut rows = String::new();
    for r in 1..=ROWS {
        let mut cells = format!(r#"<c r="A{r}"><v>{}</v></c>"#, r * 3 % 17);
        cells += &format!(r#"<c r="B{r}"><f>ROUND(A{r}*$E$1,2)+A$1</f></c>"#);
        if r == 1 {
            cells += &format!(
                r#"<c r="C1"><f t="shared" ref="C1:C{ROWS}" si="0">IF(A1&gt;5,B1,-B1)&amp;"A1"</f></c>"#
            );
            cells += r#"<c r="D1"><f>A1*Rate</f></c><c r="E1"><v>0.21</v></c>"#;
        } else {
            cells +=
                r#"<c r="C0"><f t="shared" si="0"/></c>"#.replace("C0", &format!("C{r}")).as_str();
            cells += &format!(r#"<c r="D{r}"><f>D{}+SUM($A$1:A{r})</f></c>"#, r - 1);
        }
        rows += &format!(r#"<row r="{r}">{cells}</row>"#);
    }
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    one_sheet_xlsx(dir, "copied.xlsx", &sheet)
}

fn at(a1: &str) -> CellAddr {
    CellAddr::parse(a1).unwrap()
}

/// Every formula recomputed; the values of the sheet, row-major.
fn computed(wb: Workbook) -> Vec<(CellAddr, Value)> {
    let mut engine = Engine::new(wb, EngineOptions::default());
    let report = engine.recalc_all();
    assert!(report.parse_errors.is_empty(), "{:?}", report.parse_errors);
    let wb = engine.into_workbook();
    wb.sheets[0]
        .cells()
        .map(|(a, c)| (a, c.value.clone()))
        .collect()
}

#[test]
fn a_copied_down_column_is_one_shape_and_computes_as_each_text() {
    let dir = tempfile::tempdir().unwrap();
    let book = copied_down_book(dir.path());
    let wb = read_workbook(&book, &ReadOptions::default()).unwrap();
    let sheet = &wb.sheets[0];
    let shape = |a1: &str| sheet.cell(at(a1)).unwrap().formula.clone().unwrap();
    for column in ["B", "C", "D"] {
        let first = if column == "D" { 2 } else { 1 };
        let anchor = shape(&format!("{column}{first}"));
        for r in first + 1..=ROWS {
            assert!(
                Arc::ptr_eq(anchor.shape(), shape(&format!("{column}{r}")).shape()),
                "{column}{r} shares the column's shape"
            );
        }
    }
    assert_eq!(
        sheet.formula_text(at("C17")).as_deref(),
        Some("IF(A17>5,B17,-B17)&\"A1\"")
    );
    assert_eq!(
        sheet.formula_text(at("D9")).as_deref(),
        Some("D8+SUM($A$1:A9)")
    );

    // The same workbook with every cell holding its own text, unshared.
    let mut own = wb.clone();
    for s in &mut own.sheets {
        let cells: Vec<(CellAddr, String)> = s
            .cells()
            .filter_map(|(a, c)| c.formula_text(a).map(|f| (a, f.into_owned())))
            .collect();
        for (a, text) in cells {
            let mut cell = s.cell(a).unwrap().clone();
            cell.formula = Some(Formula::new(&text));
            s.load_cell(a, cell);
        }
    }
    let shared = computed(wb);
    assert_eq!(shared, computed(own));
    let value = |a1: &str| {
        shared
            .iter()
            .find(|(a, _)| *a == at(a1))
            .map(|(_, v)| v.to_string())
            .unwrap()
    };
    // A2 = 6, A1 = 3: ROUND(6 * 0.21, 2) + 3.
    assert_eq!(value("B2"), "4.26");
    assert_eq!(value("C2"), "4.26A1");
    // Rate names A1 (3): D1 = 9, D2 = D1 + 3 + 6.
    assert_eq!(value("D2"), "18");
}

#[test]
fn recalculated_files_carry_each_cells_own_formula() {
    let dir = tempfile::tempdir().unwrap();
    let book = copied_down_book(dir.path());
    let out = dir.path().join("out.xlsx");
    ok(&[
        "recalc",
        book.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(formula_back(&out, "Data", "B33"), "ROUND(A33*$E$1,2)+A$1");
    assert_eq!(
        formula_back(&out, "Data", "C40"),
        "IF(A40>5,B40,-B40)&\"A1\""
    );
    assert_eq!(formula_back(&out, "Data", "D40"), "D39+SUM($A$1:A40)");
    let wb = read_workbook(&out, &ReadOptions::default()).unwrap();
    assert_eq!(
        wb.sheets[0].value(at("B3")).to_string(),
        // A3 = 9: ROUND(9 * 0.21, 2) + 3.
        "4.89"
    );
}
