//! Information functions: ISBLANK, ISNUMBER, ISTEXT, ISERROR, ISERR, ISNA,
//! NA, N, TYPE, ISLOGICAL, ISNONTEXT, ISEVEN, ISODD, ISFORMULA, ISREF,
//! ERROR.TYPE; CELL and INFO (cell.rs).

mod cell;

use super::*;
use cell::{cell, info};

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new("ISBLANK", 1, 1, "Whether a cell is empty", isblank),
    FunctionSpec::new("ISNUMBER", 1, 1, "Whether a value is a number", isnumber),
    FunctionSpec::new("ISTEXT", 1, 1, "Whether a value is text", istext),
    FunctionSpec::new("ISNONTEXT", 1, 1, "Whether a value is not text", isnontext),
    FunctionSpec::new(
        "ISLOGICAL",
        1,
        1,
        "Whether a value is TRUE or FALSE",
        islogical,
    ),
    FunctionSpec::new("ISERROR", 1, 1, "Whether a value is any error", iserror),
    FunctionSpec::new(
        "ISERR",
        1,
        1,
        "Whether a value is an error other than #N/A",
        iserr,
    ),
    FunctionSpec::new("ISNA", 1, 1, "Whether a value is #N/A", isna),
    FunctionSpec::new("ISEVEN", 1, 1, "Whether a number is even", iseven),
    FunctionSpec::new("ISODD", 1, 1, "Whether a number is odd", isodd),
    FunctionSpec::new(
        "ISFORMULA",
        1,
        1,
        "Whether a cell holds a formula",
        isformula,
    ),
    FunctionSpec::new("ISREF", 1, 1, "Whether a value is a reference", isref),
    FunctionSpec::new("NA", 0, 0, "The #N/A error", na),
    FunctionSpec::new("N", 1, 1, "A value as a number (text is 0)", n),
    FunctionSpec::new(
        "TYPE",
        1,
        1,
        "Type code: 1 number, 2 text, 4 logical, 16 error, 64 array",
        type_,
    ),
    FunctionSpec::new(
        "ERROR.TYPE",
        1,
        1,
        "The number of an error value",
        error_type,
    ),
    FunctionSpec::new(
        "CELL",
        1,
        2,
        "Information about a cell: address, row, col, contents, type, format, width...",
        cell,
    )
    .volatile(),
    FunctionSpec::new(
        "INFO",
        1,
        1,
        "Information about the environment: directory, numfile, release, system...",
        info,
    )
    .volatile(),
];

/// Applies a test to the argument's value, element-wise over arrays.
fn test(ctx: &mut CallContext, e: &Expr, f: fn(&Value) -> bool) -> EvalResult {
    match ctx.lift(e) {
        CalcValue::Array(a) => Ok(CalcValue::Array(Array {
            rows: a.rows,
            cols: a.cols,
            values: a.values.iter().map(|v| Value::Bool(f(v))).collect(),
        })),
        v => {
            let v = ctx.to_scalar(v);
            Ok(CalcValue::bool(f(&v)))
        }
    }
}

fn isblank(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    test(ctx, &args[0], |v| matches!(v, Value::Empty))
}

fn isnumber(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    test(ctx, &args[0], |v| {
        matches!(v, Value::Number(_) | Value::Date(_))
    })
}

fn istext(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    test(ctx, &args[0], |v| matches!(v, Value::Text(_)))
}

fn isnontext(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    test(ctx, &args[0], |v| !matches!(v, Value::Text(_)))
}

fn islogical(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    test(ctx, &args[0], |v| matches!(v, Value::Bool(_)))
}

fn iserror(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    test(ctx, &args[0], |v| matches!(v, Value::Error(_)))
}

fn iserr(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    test(
        ctx,
        &args[0],
        |v| matches!(v, Value::Error(k) if *k != ErrorKind::NA),
    )
}

fn isna(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    test(ctx, &args[0], |v| matches!(v, Value::Error(ErrorKind::NA)))
}

fn parity(ctx: &mut CallContext, e: &Expr, even: bool) -> EvalResult {
    ctx.map_value(e, |v| {
        if matches!(v, Value::Bool(_)) {
            return Err(ErrorKind::Value);
        }
        let n = to_number(v)?.to_f64().trunc();
        Ok(Value::Bool((n % 2.0 == 0.0) == even))
    })
}

fn iseven(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    parity(ctx, &args[0], true)
}

fn isodd(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    parity(ctx, &args[0], false)
}

fn isformula(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    let has = ctx
        .workbook()
        .sheets
        .get(area.sheet)
        .and_then(|s| s.cell(area.range.start))
        .is_some_and(|c| c.formula.is_some());
    Ok(CalcValue::bool(has))
}

fn isref(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::bool(matches!(
        ctx.eval(&args[0]),
        CalcValue::Ref(_) | CalcValue::Refs(_)
    )))
}

fn na(_: &mut CallContext, _: &[Expr]) -> EvalResult {
    Err(ErrorKind::NA)
}

fn n(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = ctx.eval(&args[0]);
    let v = match v {
        CalcValue::Array(a) => a.values.into_iter().next().unwrap_or_default(),
        CalcValue::Refs(ref areas) if !areas.is_empty() => {
            ctx.cell_value(areas[0].sheet, areas[0].range.start)
        }
        CalcValue::Ref(a) => ctx.cell_value(a.sheet, a.range.start),
        v => ctx.to_scalar(v),
    };
    match v {
        Value::Number(n) => Ok(CalcValue::number(n)),
        Value::Date(d) => Ok(CalcValue::Value(Value::Number(date_number(&d)))),
        Value::Bool(b) => Ok(CalcValue::number(b as i64)),
        Value::Error(k) => Err(k),
        _ => Ok(CalcValue::number(0)),
    }
}

fn type_(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = ctx.eval(&args[0]);
    let code = match v {
        CalcValue::Array(_) => 64,
        CalcValue::Refs(ref a) if a.len() > 1 => 16,
        CalcValue::Ref(a) if !a.is_cell() => 16,
        v => match ctx.to_scalar(v) {
            Value::Number(_) | Value::Date(_) | Value::Empty => 1,
            Value::Text(_) => 2,
            Value::Bool(_) => 4,
            Value::Error(_) => 16,
        },
    };
    Ok(CalcValue::number(code))
}

fn error_type(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    match ctx.scalar(&args[0]) {
        Value::Error(k) => Ok(CalcValue::number(k.code() as i64)),
        _ => Err(ErrorKind::NA),
    }
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn type_tests_see_cell_contents() {
        let cells = [("A1", "1"), ("A2", "x"), ("A3", "=1/0"), ("A4", "TRUE")];
        let yes = Value::Bool(true);
        assert_eq!(eval_with(&cells, "=ISBLANK(A9)"), yes);
        assert_eq!(eval_with(&cells, "=ISNUMBER(A1)"), yes);
        assert_eq!(eval_with(&cells, "=ISTEXT(A2)"), yes);
        assert_eq!(eval_with(&cells, "=ISERROR(A3)"), yes);
        assert_eq!(eval_with(&cells, "=ISERR(A3)"), yes);
        assert_eq!(eval_with(&cells, "=ISNA(A3)"), Value::Bool(false));
        assert_eq!(eval_with(&cells, "=ISLOGICAL(A4)"), yes);
        assert_eq!(eval_with(&cells, "=ISFORMULA(A3)"), yes);
        assert_eq!(eval_with(&cells, "=ISREF(A3)"), yes);
        assert_eq!(eval_with(&cells, "=ISNONTEXT(A9)"), yes);
    }

    #[test]
    fn conversions_and_codes() {
        assert_eq!(eval_str("=N(\"7\")"), num("0"));
        assert_eq!(eval_str("=N(TRUE)"), num("1"));
        assert_eq!(eval_str("=TYPE(\"a\")"), num("2"));
        assert_eq!(eval_str("=TYPE({1,2})"), num("64"));
        assert_eq!(eval_str("=ERROR.TYPE(1/0)"), num("2"));
        assert_eq!(eval_str("=ERROR.TYPE(1)"), Value::Error(ErrorKind::NA));
        assert_eq!(eval_str("=ISEVEN(-2.5)"), Value::Bool(true));
        assert_eq!(eval_str("=ISODD(3)"), Value::Bool(true));
        assert_eq!(eval_str("=NA()"), Value::Error(ErrorKind::NA));
    }
}
