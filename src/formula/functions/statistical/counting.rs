//! Counting and conditional aggregates (COUNT*, the *IF and *IFS
//! functions): what they share is deciding which cells take part.

use crate::formula::criteria::{
    conditional, conditional_multi, conditional_single, criteria_pairs, Conditional, CriteriaRange,
};
use crate::formula::functions::*;

pub(super) fn count(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut n = 0i64;
    for a in args {
        ctx.for_each_value(a, |v, direct| {
            let counts = match v {
                Value::Number(_) | Value::Date(_) => true,
                // Direct arguments count when they read as numbers.
                Value::Text(_) | Value::Bool(_) if direct => to_number(v).is_ok(),
                _ => false,
            };
            n += counts as i64;
            Ok(())
        })?;
    }
    Ok(CalcValue::number(n))
}

pub(super) fn counta(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut n = 0i64;
    for a in args {
        ctx.for_each_value(a, |v, direct| {
            // A direct argument counts even when empty (`COUNTA(1,)` is 2).
            n += (direct || !v.is_empty()) as i64;
            Ok(())
        })?;
    }
    Ok(CalcValue::number(n))
}

pub(super) fn countblank(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let range = CriteriaRange::read(ctx, &args[0])?;
    let mut stored = 0u64;
    let mut empty_text = 0u64;
    for v in range.stored() {
        stored += 1;
        if v.as_text() == Some("") {
            empty_text += 1;
        }
    }
    Ok(CalcValue::number(
        (range.size() - stored + empty_text) as i64,
    ))
}

pub(super) fn countif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional(
        ctx,
        Conditional::Count,
        &[(&args[0], &args[1])],
        None,
        false,
    )
}

pub(super) fn countifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = criteria_pairs(args, 0)?;
    conditional(ctx, Conditional::Count, &pairs, None, false)
}

pub(super) fn maxifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_multi(ctx, Conditional::Max, args)
}

pub(super) fn minifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_multi(ctx, Conditional::Min, args)
}

pub(super) fn averageif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_single(ctx, Conditional::Average, args)
}

pub(super) fn averageifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_multi(ctx, Conditional::Average, args)
}

/// FREQUENCY(data, bins): how many data numbers fall in each bin (at
/// most the bin, above the next smaller one), then how many lie above
/// every bin, as a column one longer than the bins. The bins need not be
/// sorted; text, booleans and blanks are skipped.
pub(super) fn frequency_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let data = ctx.numbers(&args[..1], Collect::Numbers)?;
    let bins = ctx.numbers(&args[1..2], Collect::Numbers)?;
    let mut order: Vec<usize> = (0..bins.len()).collect();
    order.sort_by(|a, b| {
        bins[*a]
            .partial_cmp(&bins[*b])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    let mut counts = vec![0u64; bins.len() + 1];
    for x in &data {
        let slot = order.partition_point(|&i| bins[i] < *x);
        let bin = order.get(slot).copied().unwrap_or(bins.len());
        counts[bin] += 1;
    }
    Ok(CalcValue::Array(Array::column(
        counts
            .into_iter()
            .map(|c| Value::Number(Number::from_i64(c as i64)))
            .collect(),
    )))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::err;

    use super::super::DATA;
    use crate::formula::testing::{eval_with, num};
    use crate::model::ErrorKind;

    #[test]
    fn frequency_counts_per_bin() {
        use crate::formula::calc::CalcValue;
        use crate::formula::testing::eval_calc;
        let column = |formula: &str| match eval_calc(formula) {
            CalcValue::Array(a) => {
                assert_eq!(a.cols, 1, "{formula}");
                a.values
            }
            other => panic!("{formula}: {other:?}"),
        };
        let n = |v: &[&str]| v.iter().map(|t| num(t)).collect::<Vec<_>>();
        // Microsoft's example: scores against the bins 70, 79 and 89.
        assert_eq!(
            column("=FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89})"),
            n(&["1", "2", "4", "2"])
        );
        // Unsorted bins keep their places; a repeated bin takes nothing.
        assert_eq!(
            column("=FREQUENCY({79,85,78,85,50,81,95,88,97},{89,70,79,79})"),
            n(&["4", "1", "2", "0", "2"])
        );
        // No bins: every number in the one slot; text is skipped.
        assert_eq!(column("=FREQUENCY({1,\"a\",3},{\"x\"})"), n(&["2"]));
        assert_eq!(
            eval_with(&[], "=FREQUENCY({1,#N/A},{1})"),
            err(ErrorKind::NA)
        );
    }

    #[test]
    fn counting() {
        assert_eq!(eval_with(&DATA, "=COUNT(B1:B6)"), num("4"));
        assert_eq!(eval_with(&DATA, "=COUNTA(A1:B6)"), num("10"));
        assert_eq!(eval_with(&DATA, "=COUNTBLANK(A1:B6)"), num("2"));
        assert_eq!(eval_with(&DATA, "=COUNTIF(A1:A6,\"apple\")"), num("2"));
        assert_eq!(eval_with(&DATA, "=COUNTIF(A1:A6,\"*an*\")"), num("1"));
        assert_eq!(eval_with(&DATA, "=COUNTIF(B1:B6,\">15\")"), num("2"));
        assert_eq!(eval_with(&DATA, "=COUNTIF(A1:A6,\"\")"), num("1"));
        assert_eq!(eval_with(&DATA, "=COUNTIF(A1:A6,TRUE)"), num("1"));
        assert_eq!(
            eval_with(&DATA, "=COUNTIFS(A1:A6,\"apple\",B1:B6,\">=20\")"),
            num("1")
        );
        assert_eq!(
            eval_with(&DATA, "=COUNTIFS(A1:A6,\"apple\",B1:B5,\">=20\")"),
            err(ErrorKind::Value)
        );
        // Whole columns count their empty cells without visiting them.
        assert_eq!(eval_with(&DATA, "=COUNTIF(C:C,\"\")"), num("1048576"));
        assert_eq!(
            eval_with(&DATA, "=COUNTIF(A:A,\"<>apple\")"),
            num("1048574")
        );
    }

    #[test]
    fn conditional_aggregates() {
        assert_eq!(
            eval_with(&DATA, "=AVERAGEIF(A1:A4,\"apple\",B1:B4)"),
            num("20")
        );
        assert_eq!(
            eval_with(&DATA, "=AVERAGEIF(B1:B4,\">100\")"),
            err(ErrorKind::Div0)
        );
        assert_eq!(
            eval_with(&DATA, "=AVERAGEIFS(B1:B4,A1:A4,\"<>banana\")"),
            num("20")
        );
        assert_eq!(
            eval_with(&DATA, "=MAXIFS(B1:B4,A1:A4,\"apple\")"),
            num("30")
        );
        assert_eq!(
            eval_with(&DATA, "=MINIFS(B1:B4,A1:A4,\"apple\")"),
            num("10")
        );
        assert_eq!(eval_with(&DATA, "=MAXIFS(B1:B4,A1:A4,\"kiwi\")"), num("0"));
    }
}
