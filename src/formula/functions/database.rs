//! Database functions: DSUM, DCOUNT, DCOUNTA, DAVERAGE, DMAX, DMIN,
//! DPRODUCT, DGET, DSTDEV, DSTDEVP, DVAR, DVARP.
//!
//! A database is a range whose first row holds field labels; a criteria
//! range holds labels and, below them, rows of conditions: conditions in
//! one row must all hold, any row may match. Conditions use the same
//! matching as the `*IF(S)` functions (`criteria`).

use super::*;
use crate::formula::criteria::Criterion;
/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "DSUM",
        3,
        3,
        "Sum of a field over the records that meet the criteria",
        dsum,
    ),
    FunctionSpec::new(
        "DAVERAGE",
        3,
        3,
        "Mean of a field over matching records",
        daverage,
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
        "Count of non-empty values over matching records",
        dcounta,
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
        "DSTDEV",
        3,
        3,
        "Sample standard deviation over matching records",
        dstdev,
    ),
    FunctionSpec::new(
        "DSTDEVP",
        3,
        3,
        "Population standard deviation over matching records",
        dstdevp,
    ),
    FunctionSpec::new("DVAR", 3, 3, "Sample variance over matching records", dvar),
    FunctionSpec::new(
        "DVARP",
        3,
        3,
        "Population variance over matching records",
        dvarp,
    ),
    FunctionSpec::new(
        "DGET",
        3,
        3,
        "The one value of a field that meets the criteria",
        dget,
    ),
];

/// The text a header cell shows, for matching field names.
fn label(v: &Value) -> String {
    to_text(v).unwrap_or_default().trim().to_lowercase()
}

/// The database column a `field` argument names: a header label
/// (case-insensitive) or a 1-based column number. `None` when the
/// argument is omitted (DCOUNT/DCOUNTA then count records).
fn field_column(
    ctx: &mut CallContext,
    db: &Array,
    args: &[Expr],
) -> Result<Option<usize>, ErrorKind> {
    if CallContext::is_missing(args, 1) {
        return Ok(None);
    }
    match ctx.value(&args[1])? {
        // A boolean field is a column number too (TRUE is the first).
        v @ (Value::Number(_) | Value::Bool(_)) => {
            let i = to_number(&v)?.to_i64().ok_or(ErrorKind::Value)?;
            if i < 1 || i as usize > db.cols {
                return Err(ErrorKind::Value);
            }
            Ok(Some(i as usize - 1))
        }
        v => {
            let want = label(&v);
            (0..db.cols)
                .find(|&c| label(db.get(0, c)) == want)
                .map(Some)
                .ok_or(ErrorKind::Value)
        }
    }
}

/// The record rows (1-based within the database) that meet the criteria
/// table: conditions on one row must all hold, rows are alternatives.
fn matching_records(db: &Array, criteria: &Array) -> Vec<usize> {
    // Each criteria row as (database column or None, criterion) pairs.
    let mut rows: Vec<Vec<(Option<usize>, Criterion)>> = Vec::new();
    for r in 1..criteria.rows {
        let mut conds = Vec::new();
        for c in 0..criteria.cols {
            let cell = criteria.get(r, c);
            if cell.is_empty() {
                continue;
            }
            let name = label(criteria.get(0, c));
            let column = (0..db.cols).find(|&k| label(db.get(0, k)) == name);
            conds.push((column, Criterion::parse_database(cell)));
        }
        rows.push(conds);
    }
    (1..db.rows)
        .filter(|&rec| {
            rows.is_empty()
                || rows.iter().any(|conds| {
                    conds.iter().all(|(col, crit)| match col {
                        Some(k) => crit.matches(db.get(rec, *k)),
                        None => false,
                    })
                })
        })
        .collect()
}

/// The database, the field column and the matching records.
fn select(
    ctx: &mut CallContext,
    args: &[Expr],
) -> Result<(Array, Option<usize>, Vec<usize>), ErrorKind> {
    let db = ctx.array(&args[0])?;
    // A database is a header row and at least one record.
    if db.rows < 2 {
        return Err(ErrorKind::Value);
    }
    let field = field_column(ctx, &db, args)?;
    let records = if CallContext::is_missing(args, 2) {
        (1..db.rows).collect()
    } else {
        let criteria = ctx.array(&args[2])?;
        matching_records(&db, &criteria)
    };
    Ok((db, field, records))
}

/// The numbers of the field over the matching records; errors propagate.
fn field_numbers(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<Number>, ErrorKind> {
    let (db, field, records) = select(ctx, args)?;
    let col = field.ok_or(ErrorKind::Value)?;
    let mut out = Vec::new();
    for r in records {
        match db.get(r, col) {
            Value::Number(n) => out.push(*n),
            Value::Date(d) => out.push(date_number(d)),
            Value::Error(e) => return Err(*e),
            _ => {}
        }
    }
    Ok(out)
}

fn dsum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(super::util::sum_of(&v)))
}

fn daverage(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(super::util::average(&v)?))
}

fn dmax(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(super::util::max(&v)))
}

fn dmin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(super::util::min(&v)))
}

fn dproduct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(if v.is_empty() {
        Number::ZERO
    } else {
        super::util::product_of(&v)
    }))
}

fn dstdev(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(super::util::stdev(&v, true)?))
}

fn dstdevp(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(super::util::stdev(&v, false)?))
}

fn dvar(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(super::util::variance(&v, true)?))
}

fn dvarp(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = field_numbers(ctx, args)?;
    Ok(CalcValue::number(super::util::variance(&v, false)?))
}

/// DCOUNT (`numbers_only`) and DCOUNTA: without a field, the matching
/// records are counted.
fn dcount_common(ctx: &mut CallContext, args: &[Expr], numbers_only: bool) -> EvalResult {
    let (db, field, records) = select(ctx, args)?;
    let n = match field {
        None => records.len(),
        Some(col) => records
            .iter()
            .filter(|&&r| {
                let v = db.get(r, col);
                if numbers_only {
                    matches!(v, Value::Number(_) | Value::Date(_))
                } else {
                    !v.is_empty()
                }
            })
            .count(),
    };
    Ok(CalcValue::number(n as i64))
}

fn dcount(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    dcount_common(ctx, args, true)
}

fn dcounta(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    dcount_common(ctx, args, false)
}

fn dget(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (db, field, records) = select(ctx, args)?;
    let col = field.ok_or(ErrorKind::Value)?;
    match records.as_slice() {
        [] => Err(ErrorKind::Value),
        [one] => match db.get(*one, col) {
            Value::Error(e) => Err(*e),
            v => Ok(CalcValue::Value(v.clone())),
        },
        _ => Err(ErrorKind::Num),
    }
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_with, num};
    use crate::model::{ErrorKind, Value};

    /// Excel's documented orchard example: criteria in A1:F3, database in
    /// A5:E11.
    const ORCHARD: [(&str, &str); 44] = [
        ("A1", "Tree"),
        ("B1", "Height"),
        ("C1", "Age"),
        ("D1", "Yield"),
        ("E1", "Profit"),
        ("F1", "Height"),
        ("A2", "=\"=Apple\""),
        ("B2", ">10"),
        ("F2", "<16"),
        ("A3", "=\"=Pear\""),
        ("A5", "Tree"),
        ("B5", "Height"),
        ("C5", "Age"),
        ("D5", "Yield"),
        ("E5", "Profit"),
        ("A6", "Apple"),
        ("B6", "18"),
        ("C6", "20"),
        ("D6", "14"),
        ("E6", "105"),
        ("A7", "Pear"),
        ("B7", "12"),
        ("C7", "12"),
        ("D7", "10"),
        ("E7", "96"),
        ("A8", "Cherry"),
        ("B8", "13"),
        ("C8", "14"),
        ("D8", "9"),
        ("E8", "105"),
        ("A9", "Apple"),
        ("B9", "14"),
        ("C9", "15"),
        ("D9", "10"),
        ("E9", "75"),
        ("A10", "Pear"),
        ("B10", "9"),
        ("C10", "8"),
        ("D10", "8"),
        ("E10", "76.8"),
        ("A11", "Apple"),
        ("B11", "8"),
        ("C11", "9"),
        ("D11", "6"),
    ];

    fn orchard(formula: &str) -> Value {
        let mut cells = ORCHARD.to_vec();
        cells.push(("E11", "45"));
        eval_with(&cells, formula)
    }

    #[test]
    fn documented_orchard_examples() {
        assert_eq!(orchard("=DCOUNT(A5:E11,\"Age\",A1:F2)"), num("1"));
        assert_eq!(orchard("=DCOUNTA(A5:E11,\"Profit\",A1:F2)"), num("1"));
        assert_eq!(orchard("=DMAX(A5:E11,\"Profit\",A1:A3)"), num("105"));
        assert_eq!(orchard("=DMIN(A5:E11,\"Profit\",A1:B2)"), num("75"));
        assert_eq!(orchard("=DSUM(A5:E11,\"Profit\",A1:A2)"), num("225"));
        assert_eq!(orchard("=DSUM(A5:E11,\"Profit\",A1:F2)"), num("75"));
        assert_eq!(orchard("=DPRODUCT(A5:E11,\"Yield\",A1:F2)"), num("10"));
        assert_eq!(orchard("=DAVERAGE(A5:E11,\"Yield\",A1:B2)"), num("12"));
        assert_eq!(orchard("=DAVERAGE(A5:E11,3,A5:E11)"), num("13"));
        assert_eq!(
            orchard("=DGET(A5:E11,\"Yield\",A1:A3)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(orchard("=DGET(A5:E11,\"Yield\",A1:F2)"), num("10"));
        assert_eq!(
            orchard("=DSUM(A5:E11,\"Weight\",A1:A2)"),
            Value::Error(ErrorKind::Value)
        );
        let sd = orchard("=DSTDEV(A5:E11,\"Yield\",A1:A3)")
            .as_number()
            .unwrap()
            .to_f64();
        assert!((sd - 2.966_479_395).abs() < 1e-8, "{sd}");
        let var = orchard("=DVARP(A5:E11,\"Yield\",A1:A3)")
            .as_number()
            .unwrap()
            .to_f64();
        assert!((var - 7.04).abs() < 1e-12, "{var}");
    }

    #[test]
    fn plain_text_conditions_match_prefixes() {
        let cells = [
            ("A1", "Name"),
            ("A2", "Eastern"),
            ("A3", "East"),
            ("A4", "West"),
            ("C1", "Name"),
            ("C2", "East"),
        ];
        assert_eq!(eval_with(&cells, "=DCOUNTA(A1:A4,1,C1:C2)"), num("2"));
    }
}
