//! LAMBDA and its helpers: ISOMITTED, MAP, REDUCE, SCAN, BYROW, BYCOL,
//! MAKEARRAY. Function values and how they are called live in
//! `formula/lambda.rs`; these are the worksheet functions over them.

use super::*;
use crate::formula::calc::MAX_ARRAY_CELLS;
use crate::formula::lambda::{same_param, Callable};
use std::rc::Rc;

/// A LAMBDA: its value is a function; a cell left holding one is
/// `#CALC!`, a call `LAMBDA(x,x+1)(2)` computes it.
pub(super) fn lambda(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    ctx.make_lambda(args)
}

/// Whether a LAMBDA parameter was left out of the call.
pub(super) fn isomitted(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let omitted = match &args[0] {
        Expr::Missing => true,
        Expr::Name { sheet: None, name } => ctx
            .locals
            .iter()
            .rev()
            .find(|l| same_param(&l.name, name))
            .is_some_and(|l| l.omitted),
        _ => false,
    };
    Ok(CalcValue::bool(omitted))
}

/// The function value of a helper's last argument, with the number of
/// parameters it must take; another count is `#VALUE!`.
fn function_arg(ctx: &mut CallContext, e: &Expr, params: usize) -> Result<Rc<Callable>, ErrorKind> {
    let f = ctx.callable(e)?;
    match &*f {
        Callable::Lambda { params: p, .. } if p.len() != params => Err(ErrorKind::Value),
        _ => Ok(f),
    }
}

/// One input of a helper: an area keeps its cells as references (a
/// LAMBDA may ask `ROW(c)` of them), an array or value its values.
enum Input {
    Area(Area),
    Values(Array),
}

impl Input {
    fn of(ctx: &mut CallContext, e: &Expr) -> Result<Input, ErrorKind> {
        match ctx.eval(e) {
            CalcValue::Ref(a) => Ok(Input::Area(a)),
            CalcValue::Refs(v) if v.len() == 1 => Ok(Input::Area(v[0])),
            CalcValue::Value(Value::Error(k)) => Err(k),
            v => Ok(Input::Values(ctx.to_array(v)?)),
        }
    }

    fn shape(&self, ctx: &CallContext) -> (usize, usize) {
        match self {
            Input::Area(a) => match ctx.workbook().sheets.get(a.sheet) {
                Some(sheet) => {
                    let (r, c) = a.value_shape(sheet);
                    (r as usize, c as usize)
                }
                None => (1, 1),
            },
            Input::Values(a) => (a.rows, a.cols),
        }
    }

    /// The element at (`r`, `c`): a one-cell reference or a value; `#N/A`
    /// outside a smaller input, a single row or column stretching.
    fn element(&self, ctx: &CallContext, r: usize, c: usize) -> CalcValue {
        let (rows, cols) = self.shape(ctx);
        let r = if rows == 1 { 0 } else { r };
        let c = if cols == 1 { 0 } else { c };
        if r >= rows || c >= cols {
            return CalcValue::error(ErrorKind::NA);
        }
        match self {
            Input::Area(a) => {
                let at = CellAddr::new(a.range.start.row + r as u32, a.range.start.col + c as u32);
                CalcValue::Ref(Area {
                    sheet: a.sheet,
                    range: RangeAddr::cell(at),
                })
            }
            Input::Values(a) => CalcValue::Value(a.get(r, c).clone()),
        }
    }

    /// Row `r` (or column `c`) as a reference or an array.
    fn line(&self, i: usize, by_row: bool) -> CalcValue {
        match self {
            Input::Area(a) => {
                let range = a.range;
                let (start, end) = if by_row {
                    let row = range.start.row + i as u32;
                    (
                        CellAddr::new(row, range.start.col),
                        CellAddr::new(row, range.end.col),
                    )
                } else {
                    let col = range.start.col + i as u32;
                    (
                        CellAddr::new(range.start.row, col),
                        CellAddr::new(range.end.row, col),
                    )
                };
                CalcValue::Ref(Area {
                    sheet: a.sheet,
                    range: RangeAddr::new(start, end),
                })
            }
            Input::Values(a) => CalcValue::Array(if by_row {
                Array::row(a.row_slice(i).to_vec())
            } else {
                Array::column((0..a.rows).map(|r| a.get(r, i).clone()).collect())
            }),
        }
    }
}

/// Stops a helper when the run is out of time (the cell then reports the
/// timeout).
fn check_time(ctx: &mut CallContext) -> Result<(), ErrorKind> {
    if ctx.out_of_time() {
        Err(ErrorKind::Calc)
    } else {
        Ok(())
    }
}

/// MAP(array1, [array2, ...], lambda): the LAMBDA of each element (of
/// the elements at one position of every array).
pub(super) fn map(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (last, arrays) = args.split_last().ok_or(ErrorKind::Value)?;
    let inputs = arrays
        .iter()
        .map(|e| Input::of(ctx, e))
        .collect::<Result<Vec<_>, _>>()?;
    let f = function_arg(ctx, last, inputs.len())?;
    let (mut rows, mut cols) = (1, 1);
    for input in &inputs {
        let (r, c) = input.shape(ctx);
        rows = rows.max(r);
        cols = cols.max(c);
    }
    let mut values = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            check_time(ctx)?;
            let elements = inputs.iter().map(|i| i.element(ctx, r, c)).collect();
            values.push(ctx.invoke_scalar(&f, elements));
        }
    }
    Ok(CalcValue::Array(Array { rows, cols, values }))
}

/// The initial value and the array of REDUCE and SCAN, whose first
/// argument may be left out.
fn fold_args(
    ctx: &mut CallContext,
    args: &[Expr],
) -> Result<(CalcValue, Array, Rc<Callable>), ErrorKind> {
    let (initial, array, function) = match args {
        [array, f] => (None, array, f),
        [initial, array, f] => (Some(initial), array, f),
        _ => return Err(ErrorKind::Value),
    };
    let acc = match initial {
        None | Some(Expr::Missing) => CalcValue::Value(Value::Empty),
        Some(e) => ctx.eval(e),
    };
    let values = ctx.array(array)?;
    let f = function_arg(ctx, function, 2)?;
    Ok((acc, values, f))
}

/// REDUCE([initial], array, lambda(accumulator, value)): the accumulator
/// after every element, row by row.
pub(super) fn reduce(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (mut acc, values, f) = fold_args(ctx, args)?;
    for v in values.values {
        check_time(ctx)?;
        acc = ctx.invoke(&f, vec![Some(acc), Some(CalcValue::Value(v))]);
    }
    Ok(acc)
}

/// SCAN([initial], array, lambda(accumulator, value)): each intermediate
/// accumulator, in the array's shape.
pub(super) fn scan(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (initial, values, f) = fold_args(ctx, args)?;
    let mut acc = ctx.single_value(initial);
    let mut out = Vec::with_capacity(values.values.len());
    for v in &values.values {
        check_time(ctx)?;
        acc = ctx.invoke_scalar(&f, vec![CalcValue::Value(acc), CalcValue::Value(v.clone())]);
        out.push(acc.clone());
    }
    Ok(CalcValue::Array(Array {
        rows: values.rows,
        cols: values.cols,
        values: out,
    }))
}

/// BYROW and BYCOL: the LAMBDA of each row (column), one value each.
fn by_line(ctx: &mut CallContext, args: &[Expr], by_row: bool) -> EvalResult {
    let input = Input::of(ctx, &args[0])?;
    let f = function_arg(ctx, &args[1], 1)?;
    let (rows, cols) = input.shape(ctx);
    let count = if by_row { rows } else { cols };
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        check_time(ctx)?;
        let line = input.line(i, by_row);
        out.push(ctx.invoke_scalar(&f, vec![line]));
    }
    Ok(CalcValue::Array(if by_row {
        Array::column(out)
    } else {
        Array::row(out)
    }))
}

/// BYROW(array, lambda(row)).
pub(super) fn byrow(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    by_line(ctx, args, true)
}

/// BYCOL(array, lambda(column)).
pub(super) fn bycol(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    by_line(ctx, args, false)
}

/// MAKEARRAY(rows, columns, lambda(row, column)): an array of the
/// LAMBDA's values at 1-based positions. Fewer than one row or column is
/// `#VALUE!`; more values than an array may hold is `#NUM!`.
pub(super) fn makearray(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let rows = ctx.number(&args[0])?.to_f64().trunc();
    let cols = ctx.number(&args[1])?.to_f64().trunc();
    if rows < 1.0 || cols < 1.0 {
        return Err(ErrorKind::Value);
    }
    if rows * cols > MAX_ARRAY_CELLS as f64 {
        return Err(ErrorKind::Num);
    }
    let f = function_arg(ctx, &args[2], 2)?;
    let (rows, cols) = (rows as usize, cols as usize);
    let mut values = Vec::with_capacity(rows * cols);
    for r in 1..=rows {
        for c in 1..=cols {
            check_time(ctx)?;
            let at = vec![CalcValue::number(r as i64), CalcValue::number(c as i64)];
            values.push(ctx.invoke_scalar(&f, at));
        }
    }
    Ok(CalcValue::Array(Array { rows, cols, values }))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_calc, eval_str, eval_with, num, workbook_with};
    use crate::formula::{CalcValue, Engine, EngineOptions};
    use crate::model::{DefinedName, ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn err(k: ErrorKind) -> Value {
        Value::Error(k)
    }

    /// The values of an array result, row by row.
    fn values(formula: &str) -> Vec<Value> {
        match eval_calc(formula) {
            CalcValue::Array(a) => a.values,
            CalcValue::Value(v) => vec![v],
            other => panic!("{formula}: {other:?}"),
        }
    }

    fn nums(list: &[&str]) -> Vec<Value> {
        list.iter().map(|n| num(n)).collect()
    }

    #[test]
    fn a_lambda_is_called_or_is_calc() {
        assert_eq!(eval_str("=LAMBDA(x,x+1)(2)"), num("3"));
        assert_eq!(eval_str("=_xlfn.LAMBDA(_xlpm.x,_xlpm.x*2)(21)"), num("42"));
        assert_eq!(eval_str("=LAMBDA(x,x+1)"), err(ErrorKind::Calc));
        assert_eq!(
            eval_with(&[("A1", "=LAMBDA(x,x+1)")], "=A1"),
            err(ErrorKind::Calc)
        );
        assert_eq!(eval_str("=LAMBDA(x,y,x*y)(2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=LAMBDA(x,x)(1,2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=LAMBDA(x,x,1)(1,2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=LAMBDA(A1,1)(2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=LAMBDA(42)()"), num("42"));
        assert_eq!(eval_str("=LAMBDA(x,LAMBDA(y,x*y))(3)(4)"), num("12"));
    }

    #[test]
    fn let_names_hold_lambdas_and_lambdas_see_their_let_names() {
        assert_eq!(eval_str("=LET(f,LAMBDA(x,x*2),f(5))"), num("10"));
        assert_eq!(
            eval_str("=_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.x,_xlpm.x*2),_xlpm.f(5))"),
            num("10")
        );
        assert_eq!(eval_str("=LET(r,3,f,LAMBDA(x,x*r),r+f(2))"), num("9"));
        // The caller's names do not leak into the LAMBDA's body.
        assert_eq!(
            eval_str("=LET(f,LAMBDA(x,x+y),LET(y,1,f(2)))"),
            err(ErrorKind::Name)
        );
        assert_eq!(eval_str("=LET(f,LAMBDA(x,x),f)"), err(ErrorKind::Calc));
    }

    #[test]
    fn isomitted_tells_left_out_parameters() {
        // Microsoft's example.
        assert_eq!(
            eval_str("=LAMBDA(x,y,IF(ISOMITTED(y),\"Missing second argument\",x+y))(1,)"),
            t("Missing second argument")
        );
        assert_eq!(
            eval_str("=LAMBDA(x,y,IF(ISOMITTED(y),\"Missing second argument\",x+y))(1,2)"),
            num("3")
        );
        assert_eq!(eval_str("=LAMBDA(x,y,x+y)(1,)"), num("1"));
        assert_eq!(eval_str("=ISOMITTED(1)"), Value::Bool(false));
    }

    #[test]
    fn map_applies_to_each_element() {
        // Microsoft's example 1: squares above 4.
        let cells = [
            ("A1", "1"),
            ("B1", "2"),
            ("C1", "3"),
            ("A2", "4"),
            ("B2", "5"),
            ("C2", "6"),
        ];
        let wb = workbook_with(&cells);
        let got = crate::formula::testing::eval_calc_in(
            wb,
            "Sheet1",
            "=MAP(A1:C2,LAMBDA(a,IF(a>4,a*a,a)))",
        );
        let CalcValue::Array(a) = got else {
            panic!("{got:?}")
        };
        assert_eq!((a.rows, a.cols), (2, 3));
        assert_eq!(a.values, nums(&["1", "2", "3", "4", "25", "36"]));
        assert_eq!(
            values("=MAP({1,2},{10,20},LAMBDA(a,b,a+b))"),
            nums(&["11", "22"])
        );
        // Cells of a range are references.
        assert_eq!(
            eval_with(&cells, "=SUM(MAP(A1:A2,LAMBDA(c,ROW(c))))"),
            num("3")
        );
        assert_eq!(
            values("=MAP({TRUE,FALSE},{TRUE,TRUE},LAMBDA(a,b,AND(a,b)))"),
            vec![Value::Bool(true), Value::Bool(false)]
        );
        assert_eq!(eval_str("=MAP({1,2},LAMBDA(a,b,a))"), err(ErrorKind::Value));
        assert_eq!(eval_str("=MAP({1,2},5)"), err(ErrorKind::Value));
        // A nested array is #CALC!.
        assert_eq!(
            values("=MAP({1,2},LAMBDA(a,{1,2}))"),
            vec![err(ErrorKind::Calc), err(ErrorKind::Calc)]
        );
        assert_eq!(values("=MAP({1,4,9},SQRT)"), nums(&["1", "2", "3"]));
    }

    #[test]
    fn reduce_and_scan_accumulate() {
        // Microsoft's examples: sum of squares, running totals.
        assert_eq!(eval_str("=REDUCE(0,{1,2,3},LAMBDA(a,b,a+b^2))"), num("14"));
        assert_eq!(
            values("=SCAN(0,{1,2,3;4,5,6},LAMBDA(a,b,a+b))"),
            nums(&["1", "3", "6", "10", "15", "21"])
        );
        assert_eq!(
            values("=SCAN(\"\",{\"a\",\"b\",\"c\"},LAMBDA(t,c,t&c))"),
            vec![t("a"), t("ab"), t("abc")]
        );
        assert_eq!(eval_str("=REDUCE(,{1,2,3},LAMBDA(a,b,a+b))"), num("6"));
        assert_eq!(eval_str("=REDUCE({1,2,3},LAMBDA(a,b,a*10+b))"), num("123"));
        assert_eq!(
            eval_str("=REDUCE(1,{1,2},LAMBDA(a,a))"),
            err(ErrorKind::Value)
        );
        // An accumulator may be an array (stacking rows).
        assert_eq!(
            eval_str("=ROWS(REDUCE(0,{1,2,3},LAMBDA(a,b,VSTACK(a,b))))"),
            num("4")
        );
    }

    #[test]
    fn byrow_bycol_and_makearray_shape_their_results() {
        assert_eq!(
            values("=BYROW({1,2;3,4},LAMBDA(r,SUM(r)))"),
            nums(&["3", "7"])
        );
        assert_eq!(
            values("=BYCOL({1,2;3,4},LAMBDA(c,MAX(c)))"),
            nums(&["3", "4"])
        );
        assert_eq!(values("=BYROW({1,2;3,4},SUM)"), nums(&["3", "7"]));
        assert_eq!(
            values("=BYROW({1,2;3,4},LAMBDA(r,r))"),
            vec![err(ErrorKind::Calc), err(ErrorKind::Calc)]
        );
        assert_eq!(
            values("=MAKEARRAY(2,3,LAMBDA(r,c,r*c))"),
            nums(&["1", "2", "3", "2", "4", "6"])
        );
        assert_eq!(
            eval_str("=MAKEARRAY(0,3,LAMBDA(r,c,r))"),
            err(ErrorKind::Value)
        );
        assert_eq!(
            eval_str("=MAKEARRAY(100000,100000,LAMBDA(r,c,r))"),
            err(ErrorKind::Num)
        );
    }

    fn with_names(cells: &[(&str, &str)], names: &[(&str, &str)], formula: &str) -> Value {
        let mut wb = workbook_with(cells);
        for (name, refers_to) in names {
            wb.names.push(DefinedName {
                name: name.to_string(),
                refers_to: refers_to.to_string(),
                scope: None,
            });
        }
        let mut engine = Engine::new(wb, EngineOptions::default());
        engine.recalc_all();
        match engine.eval(Some("Sheet1"), formula).unwrap() {
            CalcValue::Value(v) => v,
            CalcValue::Lambda(_) => Value::Error(ErrorKind::Calc),
            other => panic!("{formula}: {other:?}"),
        }
    }

    #[test]
    fn a_defined_name_holding_a_lambda_is_a_workbook_function() {
        let names = [("VATOF", "LAMBDA(net, ROUND(net*0.21,2))")];
        assert_eq!(
            with_names(&[("A2", "100.1")], &names, "=VATOF(A2)"),
            num("21.02")
        );
        assert_eq!(
            with_names(&[], &names, "=VATOF(1,2)"),
            err(ErrorKind::Value)
        );
        let stored = [("Double", "_xlfn.LAMBDA(_xlpm.x,_xlpm.x*2)")];
        assert_eq!(with_names(&[], &stored, "=DOUBLE(4)"), num("8"));
        assert_eq!(with_names(&[], &stored, "=Double"), err(ErrorKind::Calc));
        assert_eq!(with_names(&[], &[], "=NOSUCH(1)"), err(ErrorKind::Name));
    }

    #[test]
    fn recursion_through_a_named_lambda_works_and_is_bounded() {
        let names = [("FACT", "LAMBDA(n,IF(n<=1,1,n*FACT(n-1)))")];
        assert_eq!(with_names(&[], &names, "=FACT(10)"), num("3628800"));
        // Endless recursion stops with #NUM!, never a stack overflow.
        let endless = [("LOOP", "LAMBDA(n,LOOP(n+1))")];
        assert_eq!(with_names(&[], &endless, "=LOOP(1)"), err(ErrorKind::Num));
    }
}
