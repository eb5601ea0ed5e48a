//! Helpers for unit tests of functions: evaluate a formula against a
//! small in-memory workbook with a fixed clock (2026-11-27 09:00), and
//! compare a float with Excel's quoted result. Test-only, so tests in
//! every category share one notion of "close enough".

use super::calc::CalcValue;
use super::engine::{Engine, EngineOptions};
use crate::model::{CellAddr, Number, Value, Workbook};

/// The fixed test clock: 2026-11-27 09:00:00.
pub fn test_now() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("valid date")
}

/// A number value from its decimal text (`num("0.3")`).
pub fn num(text: &str) -> Value {
    Value::Number(Number::Exact(text.parse().expect("a decimal")))
}

/// A workbook from `(cell, content)` pairs: `"A1"` or `"Data!B2"`;
/// content starting with `=` is a formula, else a number if it parses,
/// `TRUE`/`FALSE`, or text. Sheets are created as named (`Sheet1` by
/// default).
/// Formulas are held by shape, as readers hold them: a formula written
/// down a column shares one shape, so every test of the engine also tests
/// formulas by shape.
pub fn workbook_with(cells: &[(&str, &str)]) -> Workbook {
    let mut shapes: std::collections::HashMap<String, crate::formula::shape::ShapeInterner> =
        std::collections::HashMap::new();
    let mut wb = Workbook::new();
    wb.add_sheet("Sheet1").expect("valid name");
    for (cell, content) in cells {
        let (sheet, addr) = crate::model::address::split_sheet_prefix(cell);
        let sheet = sheet.unwrap_or_else(|| "Sheet1".to_string());
        if wb.sheet(&sheet).is_none() {
            wb.add_sheet(&sheet).expect("valid name");
        }
        let addr = CellAddr::parse(addr).expect("a cell address");
        let s = wb.sheet_mut(&sheet).expect("sheet exists");
        if let Some(f) = content.strip_prefix('=') {
            let formula = shapes.entry(sheet.clone()).or_default().formula(f, addr);
            s.load_cell(
                addr,
                crate::model::Cell {
                    formula: Some(formula),
                    ..s.cell_or_empty(addr).clone()
                },
            );
        } else if let Ok(d) = content.parse::<rust_decimal::Decimal>() {
            s.set_value(addr, Value::Number(Number::Exact(d)));
        } else if content.eq_ignore_ascii_case("TRUE") || content.eq_ignore_ascii_case("FALSE") {
            s.set_value(addr, Value::Bool(content.eq_ignore_ascii_case("TRUE")));
        } else {
            s.set_value(addr, Value::text(*content));
        }
    }
    wb
}

/// Evaluates a formula against an engine over `workbook` on `sheet`
/// (formula cells computed first); arrays give their top-left value.
pub fn eval_in(workbook: Workbook, sheet: &str, formula: &str) -> Value {
    scalar(eval_calc_in(workbook, sheet, formula))
}

/// As [`eval_in`], keeping arrays and references as they come.
pub fn eval_calc_in(workbook: Workbook, sheet: &str, formula: &str) -> CalcValue {
    let mut engine = Engine::new(
        workbook,
        EngineOptions {
            now: Some(test_now()),
            ..Default::default()
        },
    );
    engine.recalc_all();
    let v = engine
        .eval(Some(sheet), formula)
        .unwrap_or_else(|e| panic!("{formula}: {e}"));
    match v {
        CalcValue::Ref(a) => {
            let sheet = &engine.workbook().sheets[a.sheet];
            let r = a.range;
            if r.start == r.end {
                return CalcValue::Value(sheet.value(r.start).clone());
            }
            CalcValue::Array(crate::formula::calc::Array::from_fn(
                r.rows() as usize,
                r.cols() as usize,
                |i, j| {
                    sheet
                        .value(CellAddr::new(
                            r.start.row + i as u32,
                            r.start.col + j as u32,
                        ))
                        .clone()
                },
            ))
        }
        v => v,
    }
}

fn scalar(v: CalcValue) -> Value {
    match v {
        CalcValue::Value(v) => v,
        CalcValue::Array(a) => a.values.into_iter().next().unwrap_or_default(),
        // An uncalled LAMBDA, as a cell shows it.
        CalcValue::Lambda(_) => Value::Error(crate::model::ErrorKind::Calc),
        _ => Value::Error(crate::model::ErrorKind::Value),
    }
}

/// Evaluates a formula in an empty one-sheet workbook.
pub fn eval_str(formula: &str) -> Value {
    eval_in(workbook_with(&[]), "Sheet1", formula)
}

/// Evaluates a formula in an empty workbook, keeping arrays.
pub fn eval_calc(formula: &str) -> CalcValue {
    eval_calc_in(workbook_with(&[]), "Sheet1", formula)
}

/// Evaluates a formula on Sheet1 of a workbook built by
/// [`workbook_with`].
pub fn eval_with(cells: &[(&str, &str)], formula: &str) -> Value {
    eval_in(workbook_with(cells), "Sheet1", formula)
}

/// Whether `got` is within `tol` of `want`: absolute for magnitudes up
/// to 1, relative above (Excel quotes a fixed number of significant
/// digits).
pub fn close_to(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(1.0)
}

/// Asserts that a formula evaluates to a number [`close_to`] Excel's
/// documented result.
pub fn assert_formula_close(formula: &str, excel: f64, tol: f64) {
    let v = eval_str(formula);
    let got = v
        .as_number()
        .unwrap_or_else(|| panic!("{formula}: {v:?}"))
        .to_f64();
    assert!(close_to(got, excel, tol), "{formula}: {got} vs {excel}");
}

/// Asserts that two floats are [`close_to`] each other, naming the
/// expression that failed. The default tolerance suits results quoted
/// to Excel's eight or more significant digits.
macro_rules! assert_close {
    ($got:expr, $want:expr) => {
        $crate::formula::testing::assert_close!($got, $want, 1e-7)
    };
    ($got:expr, $want:expr, $tol:expr) => {{
        let got: f64 = $got;
        let want: f64 = $want;
        assert!(
            $crate::formula::testing::close_to(got, want, $tol),
            "{} = {got}, want {want}",
            stringify!($got)
        );
    }};
}
pub(crate) use assert_close;

/// An error value, as formulas give it (`err(ErrorKind::Num)`).
pub fn err(kind: crate::model::ErrorKind) -> Value {
    Value::Error(kind)
}

/// An exact decimal number from its text (`exact("0.1")`), for the
/// number cores that keep money exact.
pub fn exact(text: &str) -> Number {
    Number::Exact(text.parse().expect("a decimal"))
}

/// Floats as numbers, for the statistics cores.
pub fn numbers(values: &[f64]) -> Vec<Number> {
    values.iter().map(|x| Number::from_f64(*x)).collect()
}

/// The float of a core's successful result.
pub fn float_ok(r: Result<Number, crate::model::ErrorKind>) -> f64 {
    r.expect("a number").to_f64()
}
