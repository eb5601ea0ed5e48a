//! Statistical functions (COUNT, AVERAGE, MAX, STDEV, ...).
//!
//! Averages, medians and variances stay exact decimals where they can
//! (`AVERAGE(0.1, 0.2)` is exactly 0.15); quotients that do not
//! terminate are kept to Excel's 15 significant digits.

use super::criteria::{conditional, criteria_pairs, Conditional, CriteriaRange};
use super::math::{ceil_int, floor_int, sqrt, sum_of, trunc_int, NumResult};
use super::*;
use std::cmp::Ordering;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "COUNT",
        1,
        MANY,
        "Counts the numbers among the arguments",
        count,
    ),
    FunctionSpec::new("COUNTA", 1, MANY, "Counts the non-empty values", counta),
    FunctionSpec::new(
        "COUNTBLANK",
        1,
        1,
        "Counts the empty cells of a range",
        countblank,
    ),
    FunctionSpec::new(
        "COUNTIF",
        2,
        2,
        "Counts the cells of a range that meet a criterion",
        countif,
    ),
    FunctionSpec::new(
        "COUNTIFS",
        2,
        MANY,
        "Counts the positions that meet every criterion",
        countifs,
    ),
    FunctionSpec::new("MAX", 1, MANY, "Largest number", max_fn),
    FunctionSpec::new("MIN", 1, MANY, "Smallest number", min_fn),
    FunctionSpec::new(
        "MAXA",
        1,
        MANY,
        "Largest value, text as 0 and booleans as 0/1",
        maxa_fn,
    ),
    FunctionSpec::new(
        "MINA",
        1,
        MANY,
        "Smallest value, text as 0 and booleans as 0/1",
        mina_fn,
    ),
    FunctionSpec::new(
        "MAXIFS",
        3,
        MANY,
        "Largest number that meets every criterion",
        maxifs,
    ),
    FunctionSpec::new(
        "MINIFS",
        3,
        MANY,
        "Smallest number that meets every criterion",
        minifs,
    ),
    FunctionSpec::new("AVERAGE", 1, MANY, "Arithmetic mean", average_fn),
    FunctionSpec::new(
        "AVERAGEA",
        1,
        MANY,
        "Mean, text as 0 and booleans as 0/1",
        averagea_fn,
    ),
    FunctionSpec::new(
        "AVERAGEIF",
        2,
        3,
        "Mean of the cells that meet a criterion",
        averageif,
    ),
    FunctionSpec::new(
        "AVERAGEIFS",
        3,
        MANY,
        "Mean of the cells that meet every criterion",
        averageifs,
    ),
    FunctionSpec::new("MEDIAN", 1, MANY, "Middle value", median_fn),
    FunctionSpec::new("LARGE", 2, 2, "k-th largest value", large_fn),
    FunctionSpec::new("SMALL", 2, 2, "k-th smallest value", small_fn),
    FunctionSpec::new("RANK", 2, 3, "Rank of a number in a list", rank_eq_fn),
    FunctionSpec::new(
        "RANK.EQ",
        2,
        3,
        "Rank of a number in a list (ties share the top rank)",
        rank_eq_fn,
    ),
    FunctionSpec::new(
        "RANK.AVG",
        2,
        3,
        "Rank of a number in a list (ties averaged)",
        rank_avg_fn,
    ),
    FunctionSpec::new("STDEV", 1, MANY, "Sample standard deviation", stdev_s_fn),
    FunctionSpec::new("STDEV.S", 1, MANY, "Sample standard deviation", stdev_s_fn),
    FunctionSpec::new(
        "STDEVP",
        1,
        MANY,
        "Population standard deviation",
        stdev_p_fn,
    ),
    FunctionSpec::new(
        "STDEV.P",
        1,
        MANY,
        "Population standard deviation",
        stdev_p_fn,
    ),
    FunctionSpec::new(
        "STDEVA",
        1,
        MANY,
        "Sample standard deviation, text as 0",
        stdeva_fn,
    ),
    FunctionSpec::new(
        "STDEVPA",
        1,
        MANY,
        "Population standard deviation, text as 0",
        stdevpa_fn,
    ),
    FunctionSpec::new("VAR", 1, MANY, "Sample variance", var_s_fn),
    FunctionSpec::new("VAR.S", 1, MANY, "Sample variance", var_s_fn),
    FunctionSpec::new("VARP", 1, MANY, "Population variance", var_p_fn),
    FunctionSpec::new("VAR.P", 1, MANY, "Population variance", var_p_fn),
    FunctionSpec::new("VARA", 1, MANY, "Sample variance, text as 0", vara_fn),
    FunctionSpec::new("VARPA", 1, MANY, "Population variance, text as 0", varpa_fn),
    FunctionSpec::new(
        "DEVSQ",
        1,
        MANY,
        "Sum of squared deviations from the mean",
        devsq_fn,
    ),
    FunctionSpec::new(
        "AVEDEV",
        1,
        MANY,
        "Mean absolute deviation from the mean",
        avedev_fn,
    ),
    FunctionSpec::new("MODE", 1, MANY, "Most frequent number", mode_fn),
    FunctionSpec::new("MODE.SNGL", 1, MANY, "Most frequent number", mode_fn),
    FunctionSpec::new(
        "MODE.MULT",
        1,
        MANY,
        "Every most frequent number, as a column",
        mode_mult_fn,
    ),
    FunctionSpec::new(
        "PERCENTILE",
        2,
        2,
        "k-th percentile, inclusive",
        percentile_inc_fn,
    ),
    FunctionSpec::new(
        "PERCENTILE.INC",
        2,
        2,
        "k-th percentile, inclusive",
        percentile_inc_fn,
    ),
    FunctionSpec::new(
        "PERCENTILE.EXC",
        2,
        2,
        "k-th percentile, exclusive",
        percentile_exc_fn,
    ),
    FunctionSpec::new("QUARTILE", 2, 2, "Quartile, inclusive", quartile_inc_fn),
    FunctionSpec::new("QUARTILE.INC", 2, 2, "Quartile, inclusive", quartile_inc_fn),
    FunctionSpec::new("QUARTILE.EXC", 2, 2, "Quartile, exclusive", quartile_exc_fn),
];

fn count(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

fn counta(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

fn countblank(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let range = CriteriaRange::read(ctx, &args[0])?;
    let mut stored = 0u64;
    let mut empty_text = 0u64;
    for (_, v) in range.stored() {
        stored += 1;
        if v.as_text() == Some("") {
            empty_text += 1;
        }
    }
    Ok(CalcValue::number(
        (range.size() - stored + empty_text) as i64,
    ))
}

fn countif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional(
        ctx,
        Conditional::Count,
        &[(&args[0], &args[1])],
        None,
        false,
    )
}

fn countifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = criteria_pairs(args, 0)?;
    conditional(ctx, Conditional::Count, &pairs, None, false)
}

fn maxifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = criteria_pairs(args, 1)?;
    conditional(ctx, Conditional::Max, &pairs, Some(&args[0]), false)
}

fn minifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = criteria_pairs(args, 1)?;
    conditional(ctx, Conditional::Min, &pairs, Some(&args[0]), false)
}

fn averageif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let values = if CallContext::is_missing(args, 2) {
        &args[0]
    } else {
        &args[2]
    };
    conditional(
        ctx,
        Conditional::Average,
        &[(&args[0], &args[1])],
        Some(values),
        true,
    )
}

fn averageifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = criteria_pairs(args, 1)?;
    conditional(ctx, Conditional::Average, &pairs, Some(&args[0]), false)
}

/// A function of all numeric arguments collected with `mode`.
fn over_numbers(
    ctx: &mut CallContext,
    args: &[Expr],
    mode: Collect,
    f: impl Fn(&[Number]) -> NumResult,
) -> EvalResult {
    let nums = ctx.numbers(args, mode)?;
    Ok(CalcValue::number(f(&nums)?))
}

fn max_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| Ok(max(v)))
}

fn min_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| Ok(min(v)))
}

fn maxa_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| Ok(max(v)))
}

fn mina_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| Ok(min(v)))
}

fn average_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| average(v).map(tidy))
}

fn averagea_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| average(v).map(tidy))
}

fn median_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, median)
}

fn stdev_s_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| stdev(v, true))
}

fn stdev_p_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| stdev(v, false))
}

fn stdeva_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| stdev(v, true))
}

fn stdevpa_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| stdev(v, false))
}

fn var_s_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| variance(v, true))
}

fn var_p_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| variance(v, false))
}

fn vara_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| variance(v, true))
}

fn varpa_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| variance(v, false))
}

fn devsq_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| {
        if v.is_empty() {
            Err(ErrorKind::Num)
        } else {
            devsq(v).map(tidy)
        }
    })
}

fn avedev_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| {
        if v.is_empty() {
            return Err(ErrorKind::Num);
        }
        let mean = average(v)?;
        let dev: Vec<Number> = v.iter().map(|x| (*x - mean).abs()).collect();
        average(&dev).map(tidy)
    })
}

fn mode_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, mode)
}

fn mode_mult_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nums = ctx.numbers(args, Collect::Numbers)?;
    let modes = mode_mult(&nums)?;
    Ok(CalcValue::Array(Array::column(
        modes.into_iter().map(Value::Number).collect(),
    )))
}

/// LARGE/SMALL/PERCENTILE/QUARTILE: numbers of the first argument, and a
/// second argument lifted over arrays (`LARGE(A:A, {1,2,3})` spills).
fn with_k(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(&[Number], Number) -> NumResult,
) -> EvalResult {
    let nums = ctx.numbers(&args[..1], Collect::Numbers)?;
    ctx.map_value(&args[1], |k| Ok(Value::Number(f(&nums, to_number(k)?)?)))
}

fn large_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| kth(v, k, true))
}

fn small_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| kth(v, k, false))
}

fn percentile_inc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| percentile(v, k, false))
}

fn percentile_exc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| percentile(v, k, true))
}

fn quartile_inc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| quartile(v, k, false))
}

fn quartile_exc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| quartile(v, k, true))
}

fn rank_common(ctx: &mut CallContext, args: &[Expr], average_ties: bool) -> EvalResult {
    let x = ctx.number(&args[0])?;
    let nums = ctx.numbers(&args[1..2], Collect::Numbers)?;
    let ascending = if CallContext::is_missing(args, 2) {
        false
    } else {
        !ctx.number(&args[2])?.is_zero()
    };
    Ok(CalcValue::number(rank(x, &nums, ascending, average_ties)?))
}

fn rank_eq_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    rank_common(ctx, args, false)
}

fn rank_avg_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    rank_common(ctx, args, true)
}

// ---- numeric cores ---------------------------------------------------------

fn cmp(a: &Number, b: &Number) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

/// AVERAGE: #DIV/0! when there is nothing to average.
pub fn average(values: &[Number]) -> NumResult {
    let total = sum_of(values);
    total
        .checked_div(Number::from_i64(values.len() as i64))
        .ok_or(ErrorKind::Div0)
}

/// MEDIAN: #NUM! when empty.
pub fn median(values: &[Number]) -> NumResult {
    if values.is_empty() {
        return Err(ErrorKind::Num);
    }
    let mut v = values.to_vec();
    v.sort_by(cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        Ok(v[mid])
    } else {
        (v[mid - 1] + v[mid])
            .checked_div(Number::from_i64(2))
            .ok_or(ErrorKind::Num)
    }
}

/// The k-th value of `values` in `order` (LARGE with descending, SMALL
/// with ascending). A fractional k rounds up; k outside 1..=n is #NUM!.
pub fn kth(values: &[Number], k: Number, descending: bool) -> NumResult {
    let k = ceil_int(k).to_i64().ok_or(ErrorKind::Num)?;
    if k < 1 || k as usize > values.len() {
        return Err(ErrorKind::Num);
    }
    let mut v = values.to_vec();
    v.sort_by(cmp);
    if descending {
        v.reverse();
    }
    Ok(v[k as usize - 1])
}

/// RANK / RANK.EQ (`average_ties` false) and RANK.AVG (true): the rank of
/// `x` in `values`, descending unless `ascending`; #N/A when absent.
pub fn rank(x: Number, values: &[Number], ascending: bool, average_ties: bool) -> NumResult {
    let mut before = 0i64;
    let mut equal = 0i64;
    for v in values {
        match cmp(v, &x) {
            Ordering::Equal => equal += 1,
            Ordering::Greater if !ascending => before += 1,
            Ordering::Less if ascending => before += 1,
            _ => {}
        }
    }
    if equal == 0 {
        return Err(ErrorKind::NA);
    }
    if !average_ties {
        return Ok(Number::from_i64(before + 1));
    }
    // Ranks before+1 ..= before+equal, averaged.
    Number::from_i64(2 * before + equal + 1)
        .checked_div(Number::from_i64(2))
        .ok_or(ErrorKind::NA)
}

/// Sum of squared deviations from the mean (DEVSQ), exact where it fits.
pub fn devsq(values: &[Number]) -> NumResult {
    let mean = average(values)?;
    let squares: Vec<Number> = values
        .iter()
        .map(|v| {
            let d = *v - mean;
            d * d
        })
        .collect();
    Ok(sum_of(&squares))
}

/// VAR.S (`sample`) and VAR.P: #DIV/0! with too few values.
pub fn variance(values: &[Number], sample: bool) -> NumResult {
    let n = values.len() as i64 - i64::from(sample);
    if n <= 0 {
        return Err(ErrorKind::Div0);
    }
    let ss = devsq(values)?;
    let v = ss.checked_div(Number::from_i64(n)).ok_or(ErrorKind::Div0)?;
    Ok(tidy(v))
}

/// STDEV.S (`sample`) and STDEV.P.
pub fn stdev(values: &[Number], sample: bool) -> NumResult {
    sqrt(variance(values, sample)?)
}

/// A 28-digit decimal quotient such as 2.8888…9 rounded to the 15
/// significant digits Excel keeps, so it compares and displays like
/// Excel's result; exact short decimals are unchanged.
pub fn tidy(n: Number) -> Number {
    match n {
        Number::Exact(d) if d.scale() > 15 => Number::from_f64(n.to_f64()),
        other => other,
    }
}

/// MODE / MODE.SNGL: the most frequent value, earliest on ties; #N/A when
/// nothing repeats.
pub fn mode(values: &[Number]) -> NumResult {
    mode_mult(values).map(|m| m[0])
}

/// MODE.MULT: every value with the highest frequency (at least two), in
/// order of first appearance; #N/A when nothing repeats.
pub fn mode_mult(values: &[Number]) -> Result<Vec<Number>, ErrorKind> {
    let mut counts: Vec<(Number, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| x == v) {
            Some((_, c)) => *c += 1,
            None => counts.push((*v, 1)),
        }
    }
    let best = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
    if best < 2 {
        return Err(ErrorKind::NA);
    }
    Ok(counts
        .into_iter()
        .filter(|(_, c)| *c == best)
        .map(|(v, _)| v)
        .collect())
}

/// MAX: 0 for an empty list, as in Excel.
pub fn max(values: &[Number]) -> Number {
    values.iter().copied().max_by(cmp).unwrap_or(Number::ZERO)
}

/// MIN: 0 for an empty list, as in Excel.
pub fn min(values: &[Number]) -> Number {
    values.iter().copied().min_by(cmp).unwrap_or(Number::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(v: &[f64]) -> Vec<Number> {
        v.iter().map(|x| Number::from_f64(*x)).collect()
    }
    fn f(r: NumResult) -> f64 {
        r.unwrap().to_f64()
    }

    #[test]
    fn averages_and_medians() {
        assert_eq!(f(average(&nums(&[10.0, 7.0, 9.0, 27.0, 2.0]))), 11.0);
        assert_eq!(average(&[]), Err(ErrorKind::Div0));
        assert_eq!(average(&nums(&[0.1, 0.2])).unwrap(), Number::from_f64(0.15));
        assert_eq!(f(median(&nums(&[1.0, 2.0, 3.0, 4.0, 5.0]))), 3.0);
        assert_eq!(f(median(&nums(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))), 3.5);
        assert_eq!(median(&[]), Err(ErrorKind::Num));
    }

    #[test]
    fn large_small_rank() {
        let v = nums(&[3.0, 4.0, 2.0, 4.0, -5.0, 3.0]);
        assert_eq!(f(kth(&v, Number::from_i64(1), false)), -5.0);
        assert_eq!(f(kth(&v, Number::from_i64(1), true)), 4.0);
        assert_eq!(f(kth(&v, Number::from_f64(3.4), false)), 3.0);
        assert_eq!(kth(&v, Number::ZERO, false), Err(ErrorKind::Num));
        assert_eq!(kth(&v, Number::from_i64(7), true), Err(ErrorKind::Num));
        let r = nums(&[7.0, 3.5, 3.5, 1.0, 2.0]);
        assert_eq!(f(rank(Number::from_f64(3.5), &r, false, false)), 2.0);
        assert_eq!(f(rank(Number::from_f64(7.0), &r, true, false)), 5.0);
        assert_eq!(f(rank(Number::from_f64(3.5), &r, false, true)), 2.5);
        assert_eq!(
            rank(Number::from_f64(9.0), &r, false, false),
            Err(ErrorKind::NA)
        );
    }

    #[test]
    fn variance_and_stdev() {
        let v = nums(&[1.0, 2.0, 3.0]);
        assert!((f(variance(&v, false)) - 0.666_666_666_666_666_6).abs() < 1e-15);
        assert_eq!(f(variance(&v, true)), 1.0);
        assert_eq!(variance(&nums(&[1.0]), true), Err(ErrorKind::Div0));
        let w = nums(&[
            1345.0, 1301.0, 1368.0, 1322.0, 1310.0, 1370.0, 1318.0, 1350.0, 1303.0, 1299.0,
        ]);
        assert!((f(stdev(&w, true)) - 27.463_915_719_843_3).abs() < 1e-9);
        assert!((f(stdev(&w, false)) - 26.054_558_142_482_5).abs() < 1e-9);
    }

    #[test]
    fn modes() {
        assert_eq!(f(mode(&nums(&[1.0, 2.0, 3.0, 2.0, 2.0, 3.0]))), 2.0);
        assert_eq!(mode(&nums(&[1.0, 2.0, 3.0])), Err(ErrorKind::NA));
        assert_eq!(
            mode_mult(&nums(&[1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0]))
                .unwrap()
                .len(),
            4
        );
        assert_eq!(f(Ok(max(&[]))), 0.0);
        assert_eq!(f(Ok(min(&nums(&[3.0, -1.0])))), -1.0);
    }
}

/// PERCENTILE.INC (`exclusive` false) and PERCENTILE.EXC: linear
/// interpolation between the sorted values; #NUM! when `k` is outside
/// [0,1] (inclusive) or outside the values' reach (exclusive).
pub fn percentile(values: &[Number], k: Number, exclusive: bool) -> NumResult {
    if values.is_empty() {
        return Err(ErrorKind::Num);
    }
    let n = values.len() as i64;
    let kf = k.to_f64();
    // Position in the sorted list, zero-based.
    let pos = if exclusive {
        if kf <= 0.0 || kf >= 1.0 {
            return Err(ErrorKind::Num);
        }
        let p = k * Number::from_i64(n + 1) - Number::ONE;
        if p < Number::ZERO || p > Number::from_i64(n - 1) {
            return Err(ErrorKind::Num);
        }
        p
    } else {
        if !(0.0..=1.0).contains(&kf) {
            return Err(ErrorKind::Num);
        }
        k * Number::from_i64(n - 1)
    };
    let mut v = values.to_vec();
    v.sort_by(cmp);
    let lo = floor_int(pos);
    let i = lo.to_i64().ok_or(ErrorKind::Num)? as usize;
    let frac = pos - lo;
    if frac.is_zero() || i + 1 >= v.len() {
        return Ok(v[i.min(v.len() - 1)]);
    }
    Ok(tidy(v[i] + frac * (v[i + 1] - v[i])))
}

/// QUARTILE.INC / QUARTILE.EXC: `quart` truncated; 0..=4 inclusive,
/// 1..=3 exclusive, #NUM! otherwise.
pub fn quartile(values: &[Number], quart: Number, exclusive: bool) -> NumResult {
    let q = trunc_int(quart).to_i64().ok_or(ErrorKind::Num)?;
    let ok = if exclusive { 1..=3 } else { 0..=4 };
    if !ok.contains(&q) {
        return Err(ErrorKind::Num);
    }
    let k = Number::from_i64(q)
        .checked_div(Number::from_i64(4))
        .ok_or(ErrorKind::Num)?;
    percentile(values, k, exclusive)
}

#[cfg(test)]
mod percentile_tests {
    use super::*;

    fn nums(v: &[f64]) -> Vec<Number> {
        v.iter().map(|x| Number::from_f64(*x)).collect()
    }

    #[test]
    fn percentiles_and_quartiles() {
        let v = nums(&[1.0, 3.0, 2.0, 4.0]);
        assert_eq!(
            percentile(&v, Number::from_f64(0.3), false)
                .unwrap()
                .to_f64(),
            1.9
        );
        assert_eq!(percentile(&v, Number::ONE, false).unwrap().to_f64(), 4.0);
        assert_eq!(
            percentile(&v, Number::from_f64(1.5), false),
            Err(ErrorKind::Num)
        );
        let w = nums(&[1.0, 2.0, 3.0, 6.0, 6.0, 6.0, 7.0, 8.0, 9.0]);
        assert_eq!(
            percentile(&w, Number::from_f64(0.25), true)
                .unwrap()
                .to_f64(),
            2.5
        );
        assert_eq!(
            percentile(&w, Number::from_f64(0.01), true),
            Err(ErrorKind::Num)
        );
        let q = nums(&[1.0, 2.0, 4.0, 7.0, 8.0, 9.0, 10.0, 12.0]);
        assert_eq!(quartile(&q, Number::ONE, false).unwrap().to_f64(), 3.5);
        assert_eq!(quartile(&q, Number::ONE, true).unwrap().to_f64(), 2.5);
        assert_eq!(quartile(&q, Number::from_i64(4), true), Err(ErrorKind::Num));
    }
}
