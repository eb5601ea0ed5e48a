//! Database functions: DSUM, DCOUNT, DCOUNTA, DAVERAGE, DMAX, DMIN,
//! DPRODUCT, DGET, DSTDEV, DSTDEVP, DVAR, DVARP.
//!
//! A database is a range whose first row holds field labels; a criteria
//! range holds labels and, below them, rows of conditions: conditions in
//! one row must all hold, any row may match.

use super::criteria::Criterion;
use super::statistical::{stdev, variance};
use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "DSUM",
        3,
        3,
        "Sum of a field over the records matching criteria",
        dsum,
    ),
    FunctionSpec::new(
        "DCOUNT",
        2,
        3,
        "Count of numbers in a field over matching records",
        dcount,
    ),
    FunctionSpec::new(
        "DCOUNTA",
        2,
        3,
        "Count of non-empty values in a field over matching records",
        dcounta,
    ),
    FunctionSpec::new(
        "DAVERAGE",
        3,
        3,
        "Average of a field over matching records",
        daverage,
    ),
    FunctionSpec::new(
        "DMAX",
        3,
        3,
        "Largest number of a field over matching records",
        dmax,
    ),
    FunctionSpec::new(
        "DMIN",
        3,
        3,
        "Smallest number of a field over matching records",
        dmin,
    ),
    FunctionSpec::new(
        "DPRODUCT",
        3,
        3,
        "Product of a field over matching records",
        dproduct,
    ),
    FunctionSpec::new(
        "DGET",
        3,
        3,
        "The one value of a field matching criteria",
        dget,
    ),
    FunctionSpec::new(
        "DSTDEV",
        3,
        3,
        "Sample standard deviation of a field over matching records",
        dstdev,
    ),
    FunctionSpec::new(
        "DSTDEVP",
        3,
        3,
        "Population standard deviation of a field over matching records",
        dstdevp,
    ),
    FunctionSpec::new(
        "DVAR",
        3,
        3,
        "Sample variance of a field over matching records",
        dvar,
    ),
    FunctionSpec::new(
        "DVARP",
        3,
        3,
        "Population variance of a field over matching records",
        dvarp,
    ),
];

/// The field column: a label (case-insensitive) or a 1-based position.
fn field_index(ctx: &mut CallContext, e: &Expr, db: &Array) -> Result<usize, ErrorKind> {
    match ctx.value(e)? {
        Value::Text(label) => (0..db.cols)
            .find(|&c| matches!(db.get(0, c), Value::Text(h) if h.trim().eq_ignore_ascii_case(label.trim())))
            .ok_or(ErrorKind::Value),
        Value::Bool(_) | Value::Empty => Err(ErrorKind::Value),
        v => {
            let i = to_number(&v)?.to_f64().trunc();
            if i < 1.0 || i as usize > db.cols {
                return Err(ErrorKind::Value);
            }
            Ok(i as usize - 1)
        }
    }
}

/// A condition cell as a criterion: plain text means "begins with".
fn condition(v: &Value) -> Criterion {
    match v {
        Value::Text(t) if !t.is_empty() && !t.starts_with(['=', '<', '>']) => {
            Criterion::parse(&Value::Text(format!("{t}*")))
        }
        v => Criterion::parse(v),
    }
}

/// The field values of the records that match (all records' values
/// when the field is omitted, as whole-record markers).
fn select(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<Value>, ErrorKind> {
    let db = ctx.array(&args[0])?;
    let field = if CallContext::is_missing(args, 1) {
        None
    } else {
        Some(field_index(ctx, &args[1], &db)?)
    };
    let crit = if args.len() > 2 {
        ctx.array(&args[2])?
    } else {
        Array::scalar(Value::Empty)
    };
    if db.rows < 2 || crit.rows < 2 {
        return Err(ErrorKind::Value);
    }
    // Each criteria column maps to a database column (or to none).
    let columns: Vec<Option<usize>> = (0..crit.cols)
        .map(|c| match crit.get(0, c) {
            Value::Text(label) => (0..db.cols).find(
                |&d| matches!(db.get(0, d), Value::Text(h) if h.trim().eq_ignore_ascii_case(label.trim())),
            ),
            _ => None,
        })
        .collect();
    let mut rows: Vec<Vec<(Option<usize>, Criterion)>> = Vec::new();
    for r in 1..crit.rows {
        let conds = (0..crit.cols)
            .filter(|&c| !crit.get(r, c).is_empty())
            .map(|c| (columns[c], condition(crit.get(r, c))))
            .collect();
        rows.push(conds);
    }
    let mut out = Vec::new();
    for rec in 1..db.rows {
        let hit = rows.iter().any(|conds| {
            conds.iter().all(|(col, crit)| match col {
                Some(c) => crit.matches(db.get(rec, *c)),
                None => false,
            })
        });
        if hit {
            out.push(match field {
                Some(f) => db.get(rec, f).clone(),
                None => Value::Bool(true),
            });
        }
    }
    Ok(out)
}

fn numbers(values: &[Value]) -> Vec<Number> {
    values
        .iter()
        .filter_map(|v| match v {
            Value::Number(n) => Some(*n),
            Value::Date(d) => Some(Number::from_f64(d.serial)),
            _ => None,
        })
        .collect()
}

fn dsum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = numbers(&select(ctx, args)?);
    Ok(CalcValue::number(
        v.into_iter().fold(Number::ZERO, |a, b| a + b),
    ))
}

fn dcount(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sel = select(ctx, args)?;
    if CallContext::is_missing(args, 1) {
        return Ok(CalcValue::number(sel.len() as i64));
    }
    Ok(CalcValue::number(numbers(&sel).len() as i64))
}

fn dcounta(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sel = select(ctx, args)?;
    Ok(CalcValue::number(
        sel.iter().filter(|v| !v.is_empty()).count() as i64,
    ))
}

fn daverage(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = numbers(&select(ctx, args)?);
    let sum = v.iter().fold(Number::ZERO, |a, b| a + *b);
    sum.checked_div(Number::from_i64(v.len() as i64))
        .map(CalcValue::number)
        .ok_or(ErrorKind::Div0)
}

fn extreme(ctx: &mut CallContext, args: &[Expr], max: bool) -> EvalResult {
    let v = numbers(&select(ctx, args)?);
    let best = v
        .into_iter()
        .reduce(|a, b| if (b > a) == max { b } else { a });
    Ok(CalcValue::number(best.unwrap_or(Number::ZERO)))
}

fn dmax(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    extreme(ctx, args, true)
}

fn dmin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    extreme(ctx, args, false)
}

fn dproduct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = numbers(&select(ctx, args)?);
    if v.is_empty() {
        return Ok(CalcValue::number(0));
    }
    Ok(CalcValue::number(
        v.into_iter().fold(Number::ONE, |a, b| a * b),
    ))
}

fn dget(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sel = select(ctx, args)?;
    match sel.len() {
        0 => Err(ErrorKind::Value),
        1 => Ok(CalcValue::Value(sel.into_iter().next().unwrap_or_default())),
        _ => Err(ErrorKind::Num),
    }
}

fn spread(ctx: &mut CallContext, args: &[Expr], sample: bool, root: bool) -> EvalResult {
    let v = numbers(&select(ctx, args)?);
    let r = if root {
        stdev(&v, sample)?
    } else {
        variance(&v, sample)?
    };
    Ok(CalcValue::number(r))
}

fn dstdev(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    spread(ctx, args, true, true)
}

fn dstdevp(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    spread(ctx, args, false, true)
}

fn dvar(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    spread(ctx, args, true, false)
}

fn dvarp(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    spread(ctx, args, false, false)
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_with, num};
    use crate::model::{ErrorKind, Value};

    const DB: [(&str, &str); 16] = [
        ("A1", "Tree"),
        ("B1", "Height"),
        ("C1", "Profit"),
        ("A2", "Apple"),
        ("B2", "18"),
        ("C2", "105"),
        ("A3", "Pear"),
        ("B3", "12"),
        ("C3", "96"),
        ("A4", "Apple"),
        ("B4", "9"),
        ("C4", "75"),
        ("E1", "Tree"),
        ("F1", "Height"),
        ("E2", "Apple"),
        ("F2", ">10"),
    ];

    #[test]
    fn database_functions_filter_by_criteria_rows() {
        assert_eq!(eval_with(&DB, "=DSUM(A1:C4,\"Profit\",E1:F2)"), num("105"));
        assert_eq!(eval_with(&DB, "=DSUM(A1:C4,3,E1:E2)"), num("180"));
        assert_eq!(eval_with(&DB, "=DCOUNT(A1:C4,\"Height\",E1:E2)"), num("2"));
        assert_eq!(
            eval_with(&DB, "=DAVERAGE(A1:C4,\"Profit\",E1:E2)"),
            num("90")
        );
        assert_eq!(eval_with(&DB, "=DMAX(A1:C4,\"Profit\",E1:E2)"), num("105"));
        assert_eq!(eval_with(&DB, "=DGET(A1:C4,\"Profit\",E1:F2)"), num("105"));
        assert_eq!(
            eval_with(&DB, "=DGET(A1:C4,\"Profit\",E1:E2)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(
            eval_with(&DB, "=DSUM(A1:C4,\"Nope\",E1:E2)"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(
            eval_with(&DB, "=DPRODUCT(A1:C4,\"Height\",E1:E2)"),
            num("162")
        );
    }
}
