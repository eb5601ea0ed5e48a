//! Reshaping arrays: TAKE, DROP, HSTACK, VSTACK, TOCOL, TOROW, WRAPROWS,
//! WRAPCOLS, EXPAND, TRIMRANGE, and PERCENTOF (a share of a total, the
//! summary GROUPBY and PIVOTBY use).

use super::*;

/// An empty result: Excel's `#CALC!` for an empty array.
const EMPTY: ErrorKind = ErrorKind::Calc;

/// The rows (or columns) an argument keeps, as a count: left out or
/// empty means all of `len`.
fn count_arg(ctx: &mut CallContext, args: &[Expr], i: usize) -> Result<Option<i64>, ErrorKind> {
    if CallContext::is_missing(args, i) {
        return Ok(None);
    }
    let n = ctx.number(&args[i])?.to_f64().trunc();
    if n.abs() > MAX_ARRAY_CELLS as f64 {
        // Clamped below anyway; keeps the cast in range.
        return Ok(Some(n.signum() as i64 * MAX_ARRAY_CELLS as i64));
    }
    Ok(Some(n as i64))
}

/// The positions of `len` that TAKE keeps for `n`: the first `n`, or the
/// last `-n` when negative.
fn take_span(len: usize, n: Option<i64>) -> Result<std::ops::Range<usize>, ErrorKind> {
    match n {
        None => Ok(0..len),
        Some(0) => Err(EMPTY),
        Some(n) if n > 0 => Ok(0..len.min(n as usize)),
        Some(n) => Ok(len.saturating_sub(n.unsigned_abs() as usize)..len),
    }
}

/// The positions of `len` that DROP keeps for `n`: all but the first
/// `n`, or but the last `-n`.
fn drop_span(len: usize, n: Option<i64>) -> Result<std::ops::Range<usize>, ErrorKind> {
    let span = match n {
        None | Some(0) => 0..len,
        Some(n) if n > 0 => len.min(n as usize)..len,
        Some(n) => 0..len.saturating_sub(n.unsigned_abs() as usize),
    };
    if span.is_empty() {
        Err(EMPTY)
    } else {
        Ok(span)
    }
}

fn sub_array(a: &Array, rows: std::ops::Range<usize>, cols: std::ops::Range<usize>) -> Array {
    Array::from_fn(rows.len(), cols.len(), |r, c| {
        a.get(rows.start + r, cols.start + c).clone()
    })
}

/// TAKE(array, rows, [columns]).
pub(super) fn take(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let rows = take_span(a.rows, count_arg(ctx, args, 1)?)?;
    let cols = take_span(a.cols, count_arg(ctx, args, 2)?)?;
    Ok(CalcValue::Array(sub_array(&a, rows, cols)))
}

/// DROP(array, rows, [columns]).
pub(super) fn drop(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let rows = drop_span(a.rows, count_arg(ctx, args, 1)?)?;
    let cols = drop_span(a.cols, count_arg(ctx, args, 2)?)?;
    Ok(CalcValue::Array(sub_array(&a, rows, cols)))
}

/// Every argument as an array; more cells in all than an array may hold
/// is `#NUM!`.
fn arrays(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<Array>, ErrorKind> {
    args.iter().map(|e| ctx.array(e)).collect()
}

fn check_size(rows: usize, cols: usize) -> Result<(), ErrorKind> {
    if rows.saturating_mul(cols) > MAX_ARRAY_CELLS {
        Err(ErrorKind::Num)
    } else {
        Ok(())
    }
}

/// HSTACK(array1, ...): side by side; shorter arrays are padded with
/// `#N/A`.
pub(super) fn hstack(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let parts = arrays(ctx, args)?;
    let rows = parts.iter().map(|a| a.rows).max().unwrap_or(1);
    let cols: usize = parts.iter().map(|a| a.cols).sum();
    check_size(rows, cols)?;
    let mut values = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for a in &parts {
            for c in 0..a.cols {
                values.push(if r < a.rows {
                    a.get(r, c).clone()
                } else {
                    Value::Error(ErrorKind::NA)
                });
            }
        }
    }
    Ok(CalcValue::Array(Array { rows, cols, values }))
}

/// VSTACK(array1, ...): one below the other; narrower arrays are padded
/// with `#N/A`.
pub(super) fn vstack(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let parts = arrays(ctx, args)?;
    let cols = parts.iter().map(|a| a.cols).max().unwrap_or(1);
    let rows: usize = parts.iter().map(|a| a.rows).sum();
    check_size(rows, cols)?;
    let mut values = Vec::with_capacity(rows * cols);
    for a in &parts {
        for r in 0..a.rows {
            for c in 0..cols {
                values.push(if c < a.cols {
                    a.get(r, c).clone()
                } else {
                    Value::Error(ErrorKind::NA)
                });
            }
        }
    }
    Ok(CalcValue::Array(Array { rows, cols, values }))
}

/// The values TOCOL and TOROW keep, row by row or column by column:
/// `ignore` 0 keeps all, 1 skips blanks, 2 errors, 3 both; another value
/// is `#VALUE!`. Nothing kept is `#CALC!`.
fn flattened(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<Value>, ErrorKind> {
    let a = ctx.array(&args[0])?;
    let ignore = ctx.opt_int(args, 1, 0)?;
    if !(0..=3).contains(&ignore) {
        return Err(ErrorKind::Value);
    }
    let by_column = ctx.opt_bool(args, 2, false)?;
    let order: Vec<(usize, usize)> = if by_column {
        (0..a.cols)
            .flat_map(|c| (0..a.rows).map(move |r| (r, c)))
            .collect()
    } else {
        (0..a.rows)
            .flat_map(|r| (0..a.cols).map(move |c| (r, c)))
            .collect()
    };
    let out: Vec<Value> = order
        .into_iter()
        .map(|(r, c)| a.get(r, c))
        .filter(|v| match v {
            Value::Empty => ignore & 1 == 0,
            Value::Error(_) => ignore & 2 == 0,
            _ => true,
        })
        .cloned()
        .collect();
    if out.is_empty() {
        Err(EMPTY)
    } else {
        Ok(out)
    }
}

/// TOCOL(array, [ignore], [scan_by_column]).
pub(super) fn tocol(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::Array(Array::column(flattened(ctx, args)?)))
}

/// TOROW(array, [ignore], [scan_by_column]).
pub(super) fn torow(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::Array(Array::row(flattened(ctx, args)?)))
}

/// WRAPROWS and WRAPCOLS: a row or column cut into lines of `wrap_count`
/// values, the last padded (`#N/A` unless `pad_with` is given). A
/// two-dimensional input is `#VALUE!`, a count below 1 `#NUM!`.
fn wrap(ctx: &mut CallContext, args: &[Expr], into_rows: bool) -> EvalResult {
    let a = ctx.array(&args[0])?;
    if a.rows > 1 && a.cols > 1 {
        return Err(ErrorKind::Value);
    }
    let count = ctx.number(&args[1])?.to_f64().trunc();
    if count < 1.0 {
        return Err(ErrorKind::Num);
    }
    let pad = if CallContext::is_missing(args, 2) {
        Value::Error(ErrorKind::NA)
    } else {
        ctx.scalar(&args[2])
    };
    let n = a.values.len();
    let width = (count as usize).min(n.max(1));
    let lines = n.div_ceil(width);
    let at = |line: usize, i: usize| {
        a.values
            .get(line * width + i)
            .cloned()
            .unwrap_or(pad.clone())
    };
    Ok(CalcValue::Array(if into_rows {
        Array::from_fn(lines, width, at)
    } else {
        Array::from_fn(width, lines, |r, c| at(c, r))
    }))
}

/// WRAPROWS(vector, wrap_count, [pad_with]).
pub(super) fn wraprows(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    wrap(ctx, args, true)
}

/// WRAPCOLS(vector, wrap_count, [pad_with]).
pub(super) fn wrapcols(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    wrap(ctx, args, false)
}

/// EXPAND(array, rows, [columns], [pad_with]): the array grown to a size,
/// padded (`#N/A` unless `pad_with` is given). A size smaller than the
/// array is `#VALUE!`; one larger than an array may hold is `#NUM!`.
pub(super) fn expand(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let size = |n: Option<i64>, have: usize| match n {
        None => Ok(have),
        Some(n) if n < have as i64 => Err(ErrorKind::Value),
        Some(n) => Ok(n as usize),
    };
    let rows = size(count_arg(ctx, args, 1)?, a.rows)?;
    let cols = size(count_arg(ctx, args, 2)?, a.cols)?;
    check_size(rows, cols)?;
    let pad = if CallContext::is_missing(args, 3) {
        Value::Error(ErrorKind::NA)
    } else {
        ctx.scalar(&args[3])
    };
    Ok(CalcValue::Array(Array::from_fn(rows, cols, |r, c| {
        if r < a.rows && c < a.cols {
            a.get(r, c).clone()
        } else {
            pad.clone()
        }
    })))
}

/// TRIMRANGE(range, [trim_rows], [trim_cols]): the reference without its
/// empty outer rows and columns (0 trims none, 1 leading, 2 trailing, 3
/// both, the default). A range with no value at all is `#REF!`.
pub(super) fn trimrange(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    let rows_mode = ctx.opt_int(args, 1, 3)?;
    let cols_mode = ctx.opt_int(args, 2, 3)?;
    if !(0..=3).contains(&rows_mode) || !(0..=3).contains(&cols_mode) {
        return Err(ErrorKind::Value);
    }
    Ok(CalcValue::Ref(trimmed(ctx, area, rows_mode, cols_mode)?))
}

/// `A1.:B10` (stored as `_xlfn._TRO_LEADING(A1:B10)`): TRIMRANGE with
/// leading rows and columns trimmed.
pub(super) fn trim_leading(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    Ok(CalcValue::Ref(trimmed(ctx, area, 1, 1)?))
}

/// `A1:.B10` (stored as `_xlfn._TRO_TRAILING(A1:B10)`): TRIMRANGE with
/// trailing rows and columns trimmed.
pub(super) fn trim_trailing(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    Ok(CalcValue::Ref(trimmed(ctx, area, 2, 2)?))
}

/// `A1.:.B10` (stored as `_xlfn._TRO_ALL(A1:B10)`): TRIMRANGE with both
/// ends trimmed.
pub(super) fn trim_all(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    Ok(CalcValue::Ref(trimmed(ctx, area, 3, 3)?))
}

/// An area without its empty outer rows (`rows_mode`) and columns
/// (`cols_mode`), each mode 1 leading, 2 trailing, 3 both. Only stored
/// cells are visited, so a whole column costs what it holds.
pub(crate) fn trimmed(
    ctx: &mut CallContext,
    area: Area,
    rows_mode: i64,
    cols_mode: i64,
) -> Result<Area, ErrorKind> {
    let mut used: Option<(u32, u32, u32, u32)> = None;
    ctx.for_each_cell(area, false, |r, c, _| {
        used = Some(match used {
            None => (r, r, c, c),
            Some((r0, r1, c0, c1)) => (r0.min(r), r1.max(r), c0.min(c), c1.max(c)),
        });
        Ok(())
    })?;
    let (r0, r1, c0, c1) = used.ok_or(ErrorKind::Ref)?;
    let start = area.range.start;
    let end = area.range.end;
    let top = if rows_mode & 1 != 0 {
        start.row + r0
    } else {
        start.row
    };
    let bottom = if rows_mode & 2 != 0 {
        start.row + r1
    } else {
        end.row
    };
    let left = if cols_mode & 1 != 0 {
        start.col + c0
    } else {
        start.col
    };
    let right = if cols_mode & 2 != 0 {
        start.col + c1
    } else {
        end.col
    };
    Ok(Area {
        sheet: area.sheet,
        range: RangeAddr::new(CellAddr::new(top, left), CellAddr::new(bottom, right)),
    })
}

/// PERCENTOF(data_subset, data_all): the subset's sum as a share of the
/// whole's; a whole summing to 0 is `#DIV/0!`.
pub(super) fn percentof(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let part = sum_of(ctx, &args[0])?;
    let whole = sum_of(ctx, &args[1])?;
    match part.checked_div(whole) {
        Some(share) if !whole.is_zero() => Ok(CalcValue::number(share)),
        _ => Err(ErrorKind::Div0),
    }
}

/// SUM's total of one argument.
fn sum_of(ctx: &mut CallContext, e: &Expr) -> Result<Number, ErrorKind> {
    let mut total = Number::ZERO;
    ctx.for_each_number(std::slice::from_ref(e), Collect::Numbers, |n| {
        total = total + n
    })?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_calc, eval_calc_in, eval_str, num, workbook_with};
    use crate::formula::CalcValue;
    use crate::model::{ErrorKind, Value};

    fn err(k: ErrorKind) -> Value {
        Value::Error(k)
    }

    /// Shape and values of an array result.
    fn grid(formula: &str) -> (usize, usize, Vec<Value>) {
        match eval_calc(formula) {
            CalcValue::Array(a) => (a.rows, a.cols, a.values),
            CalcValue::Value(v) => (1, 1, vec![v]),
            other => panic!("{formula}: {other:?}"),
        }
    }

    fn nums(list: &[&str]) -> Vec<Value> {
        list.iter().map(|n| num(n)).collect()
    }

    const NINE: &str = "{1,2,3;4,5,6;7,8,9}";

    #[test]
    fn take_and_drop_follow_microsofts_examples() {
        let f = |s: &str| grid(&s.replace("ABC", NINE));
        assert_eq!(
            f("=TAKE(ABC,2)"),
            (2, 3, nums(&["1", "2", "3", "4", "5", "6"]))
        );
        assert_eq!(
            f("=TAKE(ABC,,2)"),
            (3, 2, nums(&["1", "2", "4", "5", "7", "8"]))
        );
        assert_eq!(
            f("=TAKE(ABC,-2)"),
            (2, 3, nums(&["4", "5", "6", "7", "8", "9"]))
        );
        assert_eq!(
            f("=TAKE(ABC,2,3)"),
            (2, 3, nums(&["1", "2", "3", "4", "5", "6"]))
        );
        assert_eq!(f("=TAKE(ABC,9)").0, 3);
        assert_eq!(eval_str("=TAKE({1,2},0)"), err(ErrorKind::Calc));
        assert_eq!(f("=DROP(ABC,2)"), (1, 3, nums(&["7", "8", "9"])));
        assert_eq!(f("=DROP(ABC,,2)"), (3, 1, nums(&["3", "6", "9"])));
        assert_eq!(f("=DROP(ABC,-2)"), (1, 3, nums(&["1", "2", "3"])));
        assert_eq!(f("=DROP(ABC,2,2)"), (1, 1, nums(&["9"])));
        assert_eq!(eval_str("=DROP({1,2},1)"), err(ErrorKind::Calc));
        assert_eq!(eval_str("=TAKE({1,2},\"x\")"), err(ErrorKind::Value));
    }

    #[test]
    fn stacks_pad_with_na() {
        assert_eq!(
            grid("=HSTACK({1,2},{3;4})"),
            (
                2,
                3,
                vec![
                    num("1"),
                    num("2"),
                    num("3"),
                    err(ErrorKind::NA),
                    err(ErrorKind::NA),
                    num("4")
                ]
            )
        );
        assert_eq!(
            grid("=VSTACK({\"A\",\"B\"},{1,2},{3})"),
            (
                3,
                2,
                vec![
                    Value::Text("A".into()),
                    Value::Text("B".into()),
                    num("1"),
                    num("2"),
                    num("3"),
                    err(ErrorKind::NA)
                ]
            )
        );
        assert_eq!(grid("=VSTACK(1,2)"), (2, 1, nums(&["1", "2"])));
    }

    #[test]
    fn tocol_torow_skip_what_they_are_told() {
        let cells = [("A1", "1"), ("B1", "=1/0"), ("A2", "3"), ("B2", "4")];
        let run = |f: &str| match eval_calc_in(workbook_with(&cells), "Sheet1", f) {
            CalcValue::Array(a) => (a.rows, a.cols, a.values),
            other => panic!("{f}: {other:?}"),
        };
        assert_eq!(run("=TOCOL(A1:B3,3)"), (3, 1, nums(&["1", "3", "4"])));
        assert_eq!(run("=TOROW(A1:B2,2,TRUE)"), (1, 3, nums(&["1", "3", "4"])));
        assert_eq!(run("=TOCOL(A1:B3,1)").0, 4);
        assert_eq!(run("=TOCOL(A1:B3)").0, 6);
        assert_eq!(eval_str("=TOCOL({1},4)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=TOCOL(1/0,2)"), err(ErrorKind::Div0));
    }

    #[test]
    fn wrapping_and_expanding_pad() {
        assert_eq!(
            grid("=WRAPROWS({1,2,3,4,5},2)"),
            (
                3,
                2,
                vec![
                    num("1"),
                    num("2"),
                    num("3"),
                    num("4"),
                    num("5"),
                    err(ErrorKind::NA)
                ]
            )
        );
        assert_eq!(
            grid("=WRAPCOLS({1,2,3,4,5},2,0)"),
            (2, 3, nums(&["1", "3", "5", "2", "4", "0"]))
        );
        assert_eq!(eval_str("=WRAPROWS({1,2;3,4},2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=WRAPROWS({1,2},0)"), err(ErrorKind::Num));
        assert_eq!(
            grid("=EXPAND({1,2;3,4},3,3,\"-\")").2[2],
            Value::Text("-".into())
        );
        assert_eq!(grid("=EXPAND({1,2},2)").2[3], err(ErrorKind::NA));
        assert_eq!(eval_str("=EXPAND({1,2;3,4},1)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=EXPAND(1,100000,100000)"), err(ErrorKind::Num));
    }

    #[test]
    fn trimrange_drops_empty_edges() {
        let cells = [("B3", "1"), ("C5", "2")];
        let run = |f: &str| eval_calc_in(workbook_with(&cells), "Sheet1", f);
        let CalcValue::Array(a) = run("=TRIMRANGE(A1:E10)") else {
            panic!()
        };
        assert_eq!((a.rows, a.cols), (3, 2));
        assert_eq!(a.values[0], num("1"));
        let CalcValue::Array(a) = run("=TRIMRANGE(A1:E10,2,0)") else {
            panic!()
        };
        assert_eq!((a.rows, a.cols), (5, 5));
        assert_eq!(
            crate::formula::testing::eval_with(&cells, "=ROWS(TRIMRANGE(A:A))"),
            err(ErrorKind::Ref)
        );
        assert_eq!(
            crate::formula::testing::eval_with(&cells, "=ROWS(TRIMRANGE(B:B))"),
            num("1")
        );
    }

    #[test]
    fn trim_range_operators_trim_as_trimrange_does() {
        let cells = [("B3", "1"), ("C5", "2")];
        let size = |f: &str| {
            let rows = crate::formula::testing::eval_with(&cells, &format!("=ROWS({f})"));
            let cols = crate::formula::testing::eval_with(&cells, &format!("=COLUMNS({f})"));
            (rows, cols)
        };
        // Trailing: A1 stays the corner, C5 the last used cell.
        assert_eq!(size("A1:.E10"), (num("5"), num("3")));
        assert_eq!(size("_xlfn._TRO_TRAILING(A1:E10)"), (num("5"), num("3")));
        // Leading: from B3 (the first used row and column) to E10.
        assert_eq!(size("A1.:E10"), (num("8"), num("4")));
        assert_eq!(size("A1.:.E10"), (num("3"), num("2")));
        assert_eq!(size("A1.:.E10"), size("TRIMRANGE(A1:E10)"));
        assert_eq!(size("B:.B"), (num("3"), num("1")));
        assert_eq!(size("C.:.C"), (num("1"), num("1")));
        assert_eq!(size("2.:.9"), size("TRIMRANGE(2:9)"));
        assert_eq!(
            crate::formula::testing::eval_with(&cells, "=SUM(A:.E)"),
            num("3")
        );
        // Nothing at all to keep: #REF!, as TRIMRANGE.
        assert_eq!(
            crate::formula::testing::eval_with(&cells, "=ROWS(A:.A)"),
            err(ErrorKind::Ref)
        );
        assert_eq!(eval_str("=_xlfn._TRO_ALL({1,2})"), err(ErrorKind::Value));
    }

    #[test]
    fn percentof_is_a_share_of_the_total() {
        assert_eq!(eval_str("=PERCENTOF({1,3},{1,3,6})"), num("0.4"));
        assert_eq!(eval_str("=PERCENTOF(5,{0})"), err(ErrorKind::Div0));
    }
}
