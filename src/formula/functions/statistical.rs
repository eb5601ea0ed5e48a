//! Statistical functions (COUNT, AVERAGE, MAX, STDEV, ...).
//!
//! Averages, medians and variances stay exact decimals where they can
//! (`AVERAGE(0.1, 0.2)` is exactly 0.15); quotients that do not
//! terminate become the nearest double, as in Excel.

use super::criteria::{
    conditional, conditional_multi, conditional_single, criteria_pairs, Conditional, CriteriaRange,
};
use super::math::{ceil_int, floor_int, round_down, sqrt, sum_of, trunc_int, NumResult};
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
    FunctionSpec::new(
        "GEOMEAN",
        1,
        MANY,
        "Geometric mean of positive numbers",
        geomean_fn,
    ),
    FunctionSpec::new(
        "HARMEAN",
        1,
        MANY,
        "Harmonic mean of positive numbers",
        harmean_fn,
    ),
    FunctionSpec::new(
        "TRIMMEAN",
        2,
        2,
        "Mean without a share of the extremes",
        trimmean_fn,
    ),
    FunctionSpec::new("PERMUT", 2, 2, "Number of permutations", permut_fn),
    FunctionSpec::new(
        "PERMUTATIONA",
        2,
        2,
        "Number of permutations with repetition",
        permutationa_fn,
    ),
    FunctionSpec::new(
        "COVARIANCE.P",
        2,
        2,
        "Population covariance of two arrays",
        covariance_p_fn,
    ),
    FunctionSpec::new(
        "COVAR",
        2,
        2,
        "Population covariance of two arrays",
        covariance_p_fn,
    ),
    FunctionSpec::new(
        "COVARIANCE.S",
        2,
        2,
        "Sample covariance of two arrays",
        covariance_s_fn,
    ),
    FunctionSpec::new(
        "CORREL",
        2,
        2,
        "Correlation coefficient of two arrays",
        correl_fn,
    ),
    FunctionSpec::new(
        "PEARSON",
        2,
        2,
        "Correlation coefficient of two arrays",
        correl_fn,
    ),
    FunctionSpec::new("FISHER", 1, 1, "Fisher transformation", fisher_fn),
    FunctionSpec::new(
        "FISHERINV",
        1,
        1,
        "Inverse Fisher transformation",
        fisherinv_fn,
    ),
    FunctionSpec::new(
        "STANDARDIZE",
        3,
        3,
        "Normalized value from a mean and deviation",
        standardize_fn,
    ),
    FunctionSpec::new(
        "GAMMALN",
        1,
        1,
        "Natural log of the gamma function",
        gammaln_fn,
    ),
    FunctionSpec::new(
        "GAMMALN.PRECISE",
        1,
        1,
        "Natural log of the gamma function",
        gammaln_fn,
    ),
    FunctionSpec::new(
        "EXPON.DIST",
        3,
        3,
        "Exponential distribution",
        expon_dist_fn,
    ),
    FunctionSpec::new("EXPONDIST", 3, 3, "Exponential distribution", expon_dist_fn),
    FunctionSpec::new(
        "POISSON.DIST",
        3,
        3,
        "Poisson distribution",
        poisson_dist_fn,
    ),
    FunctionSpec::new("POISSON", 3, 3, "Poisson distribution", poisson_dist_fn),
    FunctionSpec::new(
        "WEIBULL.DIST",
        4,
        4,
        "Weibull distribution",
        weibull_dist_fn,
    ),
    FunctionSpec::new("WEIBULL", 4, 4, "Weibull distribution", weibull_dist_fn),
    FunctionSpec::new("PHI", 1, 1, "Standard normal density", phi_fn),
    FunctionSpec::new("SKEW", 1, MANY, "Skewness of a sample", skew_fn),
    FunctionSpec::new("KURT", 1, MANY, "Kurtosis of a sample", kurt_fn),
    FunctionSpec::new(
        "PERCENTRANK",
        2,
        3,
        "Rank of a value as a percentage, inclusive",
        percentrank_inc_fn,
    ),
    FunctionSpec::new(
        "PERCENTRANK.INC",
        2,
        3,
        "Rank of a value as a percentage, inclusive",
        percentrank_inc_fn,
    ),
    FunctionSpec::new(
        "PERCENTRANK.EXC",
        2,
        3,
        "Rank of a value as a percentage, exclusive",
        percentrank_exc_fn,
    ),
    FunctionSpec::new(
        "SLOPE",
        2,
        2,
        "Slope of the linear regression line",
        slope_fn,
    ),
    FunctionSpec::new(
        "INTERCEPT",
        2,
        2,
        "Intercept of the linear regression line",
        intercept_fn,
    ),
    FunctionSpec::new("RSQ", 2, 2, "Square of the correlation coefficient", rsq_fn),
    FunctionSpec::new(
        "FORECAST",
        3,
        3,
        "Value on the linear regression line",
        forecast_fn,
    ),
    FunctionSpec::new(
        "FORECAST.LINEAR",
        3,
        3,
        "Value on the linear regression line",
        forecast_fn,
    ),
    FunctionSpec::new(
        "PROB",
        3,
        4,
        "Probability that values lie between two limits",
        prob_fn,
    ),
    FunctionSpec::new("Z.TEST", 2, 3, "One-tailed p-value of a z-test", z_test_fn),
    FunctionSpec::new("ZTEST", 2, 3, "One-tailed p-value of a z-test", z_test_fn),
    FunctionSpec::new("SKEW.P", 1, MANY, "Skewness of a population", skew_p_fn),
    FunctionSpec::new(
        "BINOM.DIST.RANGE",
        3,
        4,
        "Probability of a range of binomial successes",
        binom_dist_range_fn,
    ),
    FunctionSpec::new(
        "BINOM.INV",
        3,
        3,
        "Smallest successes whose binomial CDF reaches alpha",
        binom_inv_fn,
    ),
    FunctionSpec::new(
        "CRITBINOM",
        3,
        3,
        "Smallest successes whose binomial CDF reaches alpha",
        binom_inv_fn,
    ),
    FunctionSpec::new(
        "HYPGEOM.DIST",
        5,
        5,
        "Hypergeometric distribution",
        hypgeom_dist_fn,
    ),
    FunctionSpec::new(
        "HYPGEOMDIST",
        4,
        4,
        "Hypergeometric probability",
        hypgeom_dist_fn,
    ),
    FunctionSpec::new("NORM.DIST", 4, 4, "Normal distribution", norm_dist_fn),
    FunctionSpec::new("NORMDIST", 4, 4, "Normal distribution", norm_dist_fn),
    FunctionSpec::new(
        "NORM.S.DIST",
        2,
        2,
        "Standard normal distribution",
        norm_s_dist_fn,
    ),
    FunctionSpec::new(
        "NORMSDIST",
        1,
        1,
        "Standard normal cumulative distribution",
        normsdist_fn,
    ),
    FunctionSpec::new(
        "NORM.INV",
        3,
        3,
        "Inverse of the normal distribution",
        norm_inv_fn,
    ),
    FunctionSpec::new(
        "NORMINV",
        3,
        3,
        "Inverse of the normal distribution",
        norm_inv_fn,
    ),
    FunctionSpec::new(
        "NORM.S.INV",
        1,
        1,
        "Inverse of the standard normal distribution",
        norm_s_inv_fn,
    ),
    FunctionSpec::new(
        "NORMSINV",
        1,
        1,
        "Inverse of the standard normal distribution",
        norm_s_inv_fn,
    ),
    FunctionSpec::new(
        "LOGNORM.DIST",
        4,
        4,
        "Lognormal distribution",
        lognorm_dist_fn,
    ),
    FunctionSpec::new(
        "LOGNORMDIST",
        3,
        3,
        "Lognormal cumulative distribution",
        lognormdist_fn,
    ),
    FunctionSpec::new(
        "LOGNORM.INV",
        3,
        3,
        "Inverse of the lognormal distribution",
        lognorm_inv_fn,
    ),
    FunctionSpec::new(
        "LOGINV",
        3,
        3,
        "Inverse of the lognormal distribution",
        lognorm_inv_fn,
    ),
    FunctionSpec::new(
        "CONFIDENCE.NORM",
        3,
        3,
        "Confidence interval half-width (normal)",
        confidence_norm_fn,
    ),
    FunctionSpec::new(
        "CONFIDENCE",
        3,
        3,
        "Confidence interval half-width (normal)",
        confidence_norm_fn,
    ),
    FunctionSpec::new(
        "CONFIDENCE.T",
        3,
        3,
        "Confidence interval half-width (Student's t)",
        confidence_t_fn,
    ),
    FunctionSpec::new(
        "T.DIST",
        3,
        3,
        "Student's t distribution (left tail)",
        t_dist_fn,
    ),
    FunctionSpec::new(
        "T.DIST.2T",
        2,
        2,
        "Student's t distribution (two tails)",
        t_dist_2t_fn,
    ),
    FunctionSpec::new(
        "T.DIST.RT",
        2,
        2,
        "Student's t distribution (right tail)",
        t_dist_rt_fn,
    ),
    FunctionSpec::new(
        "TDIST",
        3,
        3,
        "Student's t distribution (one or two tails)",
        tdist_fn,
    ),
    FunctionSpec::new(
        "T.INV",
        2,
        2,
        "Inverse of Student's t (left tail)",
        t_inv_fn,
    ),
    FunctionSpec::new(
        "T.INV.2T",
        2,
        2,
        "Inverse of Student's t (two tails)",
        t_inv_2t_fn,
    ),
    FunctionSpec::new(
        "TINV",
        2,
        2,
        "Inverse of Student's t (two tails)",
        t_inv_2t_fn,
    ),
    FunctionSpec::new(
        "CHISQ.DIST",
        3,
        3,
        "Chi-squared distribution",
        chisq_dist_fn,
    ),
    FunctionSpec::new(
        "CHISQ.DIST.RT",
        2,
        2,
        "Chi-squared distribution (right tail)",
        chisq_dist_rt_fn,
    ),
    FunctionSpec::new(
        "CHIDIST",
        2,
        2,
        "Chi-squared distribution (right tail)",
        chisq_dist_rt_fn,
    ),
    FunctionSpec::new(
        "CHISQ.INV",
        2,
        2,
        "Inverse of the chi-squared distribution",
        chisq_inv_fn,
    ),
    FunctionSpec::new(
        "CHISQ.INV.RT",
        2,
        2,
        "Inverse of the chi-squared right tail",
        chisq_inv_rt_fn,
    ),
    FunctionSpec::new(
        "CHIINV",
        2,
        2,
        "Inverse of the chi-squared right tail",
        chisq_inv_rt_fn,
    ),
    FunctionSpec::new("F.DIST", 4, 4, "F distribution", f_dist_fn),
    FunctionSpec::new(
        "F.DIST.RT",
        3,
        3,
        "F distribution (right tail)",
        f_dist_rt_fn,
    ),
    FunctionSpec::new("FDIST", 3, 3, "F distribution (right tail)", f_dist_rt_fn),
    FunctionSpec::new("F.INV", 3, 3, "Inverse of the F distribution", f_inv_fn),
    FunctionSpec::new("F.INV.RT", 3, 3, "Inverse of the F right tail", f_inv_rt_fn),
    FunctionSpec::new("FINV", 3, 3, "Inverse of the F right tail", f_inv_rt_fn),
    FunctionSpec::new("BINOM.DIST", 4, 4, "Binomial distribution", binom_dist_fn),
    FunctionSpec::new("BINOMDIST", 4, 4, "Binomial distribution", binom_dist_fn),
    FunctionSpec::new(
        "NEGBINOM.DIST",
        4,
        4,
        "Negative binomial distribution",
        negbinom_dist_fn,
    ),
    FunctionSpec::new("GAMMA", 1, 1, "The gamma function", gamma_fn),
    FunctionSpec::new("GAMMA.DIST", 4, 4, "Gamma distribution", gamma_dist_fn),
    FunctionSpec::new("GAMMADIST", 4, 4, "Gamma distribution", gamma_dist_fn),
    FunctionSpec::new(
        "GAMMA.INV",
        3,
        3,
        "Inverse of the gamma distribution",
        gamma_inv_fn,
    ),
    FunctionSpec::new(
        "GAMMAINV",
        3,
        3,
        "Inverse of the gamma distribution",
        gamma_inv_fn,
    ),
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
    conditional_multi(ctx, Conditional::Max, args)
}

fn minifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_multi(ctx, Conditional::Min, args)
}

fn averageif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_single(ctx, Conditional::Average, args)
}

fn averageifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_multi(ctx, Conditional::Average, args)
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
    over_numbers(ctx, args, Collect::Numbers, average)
}

fn averagea_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, average)
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
        let mean = mean_exact(v)?;
        let dev: Vec<Number> = v.iter().map(|x| (*x - mean).abs()).collect();
        average(&dev)
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

// ---- further statistics -----------------------------------------------------

/// Numbers that must all be positive (GEOMEAN, HARMEAN): #NUM! otherwise
/// or when there are none.
fn positive_numbers(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<f64>, ErrorKind> {
    let nums = ctx.numbers(args, Collect::Numbers)?;
    if nums.is_empty() || nums.iter().any(|n| *n <= Number::ZERO) {
        return Err(ErrorKind::Num);
    }
    Ok(nums.iter().map(|n| n.to_f64()).collect())
}

fn geomean_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = positive_numbers(ctx, args)?;
    let mean_log = v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64;
    Ok(CalcValue::float(mean_log.exp()))
}

fn harmean_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = positive_numbers(ctx, args)?;
    Ok(CalcValue::float(
        v.len() as f64 / v.iter().map(|x| 1.0 / x).sum::<f64>(),
    ))
}

fn trimmean_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut v = ctx.numbers(&args[..1], Collect::Numbers)?;
    let percent = ctx.number(&args[1])?.to_f64();
    if !(0.0..1.0).contains(&percent) {
        return Err(ErrorKind::Num);
    }
    if v.is_empty() {
        return Err(ErrorKind::Div0);
    }
    // Excel trims the same whole number of values from each end.
    let cut = ((v.len() as f64 * percent) / 2.0).floor() as usize;
    v.sort_by(cmp);
    let kept = &v[cut..v.len() - cut];
    Ok(CalcValue::number(average(kept)?))
}

fn permut_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = trunc_int(ctx.number(&args[0])?);
    let k = trunc_int(ctx.number(&args[1])?);
    if n < Number::ZERO || k < Number::ZERO || k > n {
        return Err(ErrorKind::Num);
    }
    let (n, k) = (
        n.to_i64().ok_or(ErrorKind::Num)?,
        k.to_i64().ok_or(ErrorKind::Num)?,
    );
    let mut acc = Number::ONE;
    for i in 0..k {
        acc = acc * Number::from_i64(n - i);
        if !acc.is_finite() {
            return Err(ErrorKind::Num);
        }
    }
    Ok(CalcValue::number(acc))
}

fn permutationa_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = trunc_int(ctx.number(&args[0])?);
    let k = trunc_int(ctx.number(&args[1])?);
    if n < Number::ZERO || k < Number::ZERO {
        return Err(ErrorKind::Num);
    }
    match crate::formula::eval::power(n, k) {
        Value::Number(r) if r.is_finite() => Ok(CalcValue::number(r)),
        Value::Number(_) => Err(ErrorKind::Num),
        // 0^0 counts one (empty) arrangement.
        Value::Error(ErrorKind::Num) if n.is_zero() && k.is_zero() => Ok(CalcValue::number(1)),
        Value::Error(e) => Err(e),
        _ => Err(ErrorKind::Value),
    }
}

/// The numeric pairs of two arrays of the same size (pairs where either
/// side is not a number are skipped); different sizes are `#N/A`.
fn paired_numbers(
    ctx: &mut CallContext,
    args: &[Expr],
) -> Result<Vec<(Number, Number)>, ErrorKind> {
    let a = ctx.array(&args[0])?;
    let b = ctx.array(&args[1])?;
    if a.values.len() != b.values.len() {
        return Err(ErrorKind::NA);
    }
    let mut out = Vec::new();
    for (x, y) in a.values.iter().zip(&b.values) {
        if let Value::Error(e) = x {
            return Err(*e);
        }
        if let Value::Error(e) = y {
            return Err(*e);
        }
        if let (Value::Number(_) | Value::Date(_), Value::Number(_) | Value::Date(_)) = (x, y) {
            if let (Some(p), Some(q)) = (as_calc_number(x), as_calc_number(y)) {
                out.push((p, q));
            }
        }
    }
    Ok(out)
}

/// Sum of the products of deviations from the means, and the count.
fn co_deviation(pairs: &[(Number, Number)]) -> Result<(Number, i64), ErrorKind> {
    let xs: Vec<Number> = pairs.iter().map(|p| p.0).collect();
    let ys: Vec<Number> = pairs.iter().map(|p| p.1).collect();
    let (mx, my) = (mean_exact(&xs)?, mean_exact(&ys)?);
    let products: Vec<Number> = pairs.iter().map(|(x, y)| (*x - mx) * (*y - my)).collect();
    Ok((sum_of(&products), pairs.len() as i64))
}

fn covariance_p_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = paired_numbers(ctx, args)?;
    let (s, n) = co_deviation(&pairs).map_err(|_| ErrorKind::Div0)?;
    Ok(CalcValue::number(
        excel_div(s, Number::from_i64(n)).ok_or(ErrorKind::Div0)?,
    ))
}

fn covariance_s_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = paired_numbers(ctx, args)?;
    if pairs.len() < 2 {
        return Err(ErrorKind::Div0);
    }
    let (s, n) = co_deviation(&pairs)?;
    Ok(CalcValue::number(
        excel_div(s, Number::from_i64(n - 1)).ok_or(ErrorKind::Div0)?,
    ))
}

fn correl_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = paired_numbers(ctx, args)?;
    let (sxy, _) = co_deviation(&pairs).map_err(|_| ErrorKind::Div0)?;
    let xs: Vec<Number> = pairs.iter().map(|p| p.0).collect();
    let ys: Vec<Number> = pairs.iter().map(|p| p.1).collect();
    let (sxx, syy) = (devsq(&xs)?.to_f64(), devsq(&ys)?.to_f64());
    if sxx == 0.0 || syy == 0.0 {
        return Err(ErrorKind::Div0);
    }
    Ok(CalcValue::float(sxy.to_f64() / (sxx * syy).sqrt()))
}

/// A one-argument float function of this category, lifted over arrays.
fn float_stat(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(f64) -> Result<f64, ErrorKind>,
) -> EvalResult {
    ctx.map_value(&args[0], |v| {
        let r = f(to_number(v)?.to_f64())?;
        Ok(crate::formula::calc::float_value(r))
    })
}

fn fisher_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |x| {
        if x <= -1.0 || x >= 1.0 {
            Err(ErrorKind::Num)
        } else {
            Ok(0.5 * ((1.0 + x) / (1.0 - x)).ln())
        }
    })
}

fn fisherinv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |y| Ok(y.tanh()))
}

fn gammaln_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |x| {
        if x <= 0.0 {
            Err(ErrorKind::Num)
        } else {
            Ok(ln_gamma(x))
        }
    })
}

fn phi_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |x| {
        Ok((-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt())
    })
}

fn standardize_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let x = ctx.number(&args[0])?;
    let mean = ctx.number(&args[1])?;
    let sd = ctx.number(&args[2])?;
    if sd <= Number::ZERO {
        return Err(ErrorKind::Num);
    }
    Ok(CalcValue::number(
        excel_div(x - mean, sd).ok_or(ErrorKind::Num)?,
    ))
}

fn expon_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let x = ctx.float(&args[0])?;
    let lambda = ctx.float(&args[1])?;
    let cumulative = ctx.boolean(&args[2])?;
    if x < 0.0 || lambda <= 0.0 {
        return Err(ErrorKind::Num);
    }
    Ok(CalcValue::float(if cumulative {
        1.0 - (-lambda * x).exp()
    } else {
        lambda * (-lambda * x).exp()
    }))
}

fn poisson_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    // The sign is checked before truncation: -0.000001 is #NUM!.
    let x = ctx.float(&args[0])?;
    let mean = ctx.float(&args[1])?;
    let cumulative = ctx.boolean(&args[2])?;
    if x < 0.0 || mean < 0.0 {
        return Err(ErrorKind::Num);
    }
    let x = x.trunc();
    // Terms in log space so large x and means do not overflow.
    let term = |k: f64| (k * mean.ln() - mean - ln_gamma(k + 1.0)).exp();
    let term = |k: f64| {
        if mean == 0.0 {
            if k == 0.0 {
                1.0
            } else {
                0.0
            }
        } else {
            term(k)
        }
    };
    let r = if cumulative && x > 10_000.0 && mean > 0.0 {
        // Long sums go through the CDF so they cannot stall the engine.
        statrs::distribution::Poisson::new(mean)
            .map_err(|_| ErrorKind::Num)?
            .cdf(x as u64)
    } else if cumulative {
        (0..=x as i64).map(|k| term(k as f64)).sum()
    } else {
        term(x)
    };
    Ok(CalcValue::float(r))
}

fn weibull_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let x = ctx.float(&args[0])?;
    let alpha = ctx.float(&args[1])?;
    let beta = ctx.float(&args[2])?;
    let cumulative = ctx.boolean(&args[3])?;
    if x < 0.0 || alpha <= 0.0 || beta <= 0.0 {
        return Err(ErrorKind::Num);
    }
    let t = (x / beta).powf(alpha);
    Ok(CalcValue::float(if cumulative {
        1.0 - (-t).exp()
    } else {
        alpha / beta.powf(alpha) * x.powf(alpha - 1.0) * (-t).exp()
    }))
}

/// The sum of the `power`-th powers of the standardized values of the
/// numeric arguments, with their count; `#DIV/0!` with fewer than
/// `min_count` numbers or no spread (SKEW, KURT).
fn standardized_power_sum(
    ctx: &mut CallContext,
    args: &[Expr],
    power: i32,
    min_count: usize,
) -> Result<(f64, f64), ErrorKind> {
    let v: Vec<f64> = ctx
        .numbers(args, Collect::Numbers)?
        .iter()
        .map(|n| n.to_f64())
        .collect();
    if v.len() < min_count {
        return Err(ErrorKind::Div0);
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    if sd == 0.0 {
        return Err(ErrorKind::Div0);
    }
    Ok((n, v.iter().map(|x| ((x - mean) / sd).powi(power)).sum()))
}

fn skew_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (n, s3) = standardized_power_sum(ctx, args, 3, 3)?;
    Ok(CalcValue::float(n / ((n - 1.0) * (n - 2.0)) * s3))
}

fn kurt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (n, s4) = standardized_power_sum(ctx, args, 4, 4)?;
    let a = n * (n + 1.0) / ((n - 1.0) * (n - 2.0) * (n - 3.0));
    let b = 3.0 * (n - 1.0).powi(2) / ((n - 2.0) * (n - 3.0));
    Ok(CalcValue::float(a * s4 - b))
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; relative
/// error around 1e-15).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

// ---- percent ranks and regression -------------------------------------------

/// PERCENTRANK.INC / .EXC: the interpolated rank of `x`, truncated to
/// `significance` digits (3 by default); `#N/A` outside the values.
fn percentrank(ctx: &mut CallContext, args: &[Expr], exclusive: bool) -> EvalResult {
    let mut v = ctx.numbers(&args[..1], Collect::Numbers)?;
    let x = ctx.number(&args[1])?;
    let digits = ctx.opt_number(args, 2, Number::from_i64(3))?;
    let digits = trunc_int(digits).to_i64().ok_or(ErrorKind::Num)?;
    if digits < 1 || v.is_empty() {
        return Err(ErrorKind::Num);
    }
    v.sort_by(cmp);
    let n = v.len() as f64;
    if x < v[0] || x > v[v.len() - 1] {
        return Err(ErrorKind::NA);
    }
    let below = v.iter().filter(|y| **y < x).count();
    let position = if v.get(below) == Some(&x) {
        below as f64
    } else {
        // Between v[below - 1] and v[below].
        let (lo, hi) = (v[below - 1].to_f64(), v[below].to_f64());
        (below - 1) as f64 + (x.to_f64() - lo) / (hi - lo)
    };
    let rank = if exclusive {
        (position + 1.0) / (n + 1.0)
    } else if v.len() == 1 {
        1.0
    } else {
        position / (n - 1.0)
    };
    let r = round_down(Number::from_f64(rank), digits.min(15) as i32);
    Ok(CalcValue::number(r))
}

fn percentrank_inc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    percentrank(ctx, args, false)
}

fn percentrank_exc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    percentrank(ctx, args, true)
}

/// Slope and intercept of the least-squares line of `known_y` on
/// `known_x` (SLOPE(known_y, known_x) argument order).
fn regression(ctx: &mut CallContext, ys: &Expr, xs: &Expr) -> Result<(f64, f64, f64), ErrorKind> {
    let pairs = paired_numbers(ctx, &[ys.clone(), xs.clone()])?;
    if pairs.is_empty() {
        return Err(ErrorKind::Div0);
    }
    let (sxy, _) = co_deviation(&pairs.iter().map(|(y, x)| (*x, *y)).collect::<Vec<_>>())?;
    let xs_: Vec<Number> = pairs.iter().map(|p| p.1).collect();
    let ys_: Vec<Number> = pairs.iter().map(|p| p.0).collect();
    let sxx = devsq(&xs_)?.to_f64();
    let syy = devsq(&ys_)?.to_f64();
    if sxx == 0.0 {
        return Err(ErrorKind::Div0);
    }
    let slope = sxy.to_f64() / sxx;
    let intercept = mean_exact(&ys_)?.to_f64() - slope * mean_exact(&xs_)?.to_f64();
    let r2 = if syy == 0.0 {
        f64::NAN
    } else {
        sxy.to_f64() * sxy.to_f64() / (sxx * syy)
    };
    Ok((slope, intercept, r2))
}

fn slope_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(regression(ctx, &args[0], &args[1])?.0))
}

fn intercept_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(regression(ctx, &args[0], &args[1])?.1))
}

fn rsq_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r2 = regression(ctx, &args[0], &args[1])?.2;
    if r2.is_nan() {
        return Err(ErrorKind::Div0);
    }
    Ok(CalcValue::float(r2))
}

fn forecast_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let x = ctx.float(&args[0])?;
    let (slope, intercept, _) = regression(ctx, &args[1], &args[2])?;
    Ok(CalcValue::float(intercept + slope * x))
}

// ---- probability distributions (statrs) --------------------------------------

use statrs::distribution::{
    Binomial, ChiSquared, Continuous, ContinuousCDF, Discrete, DiscreteCDF, FisherSnedecor, Gamma,
    LogNormal, NegativeBinomial, Normal, StudentsT,
};

/// Float arguments `0..n` of a distribution function.
fn floats<const N: usize>(ctx: &mut CallContext, args: &[Expr]) -> Result<[f64; N], ErrorKind> {
    let mut out = [0.0; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = ctx.float(&args[i])?;
    }
    Ok(out)
}

/// A finite float result, `#NUM!` otherwise.
fn prob(r: f64) -> EvalResult {
    if r.is_finite() {
        Ok(CalcValue::float(r))
    } else {
        Err(ErrorKind::Num)
    }
}

/// A probability strictly inside (0, 1), as the inverse functions need.
fn open_unit(p: f64) -> Result<f64, ErrorKind> {
    if p > 0.0 && p < 1.0 {
        Ok(p)
    } else {
        Err(ErrorKind::Num)
    }
}

fn normal(mean: f64, sd: f64) -> Result<Normal, ErrorKind> {
    if sd <= 0.0 {
        return Err(ErrorKind::Num);
    }
    Normal::new(mean, sd).map_err(|_| ErrorKind::Num)
}

fn norm_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, mean, sd] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    let d = normal(mean, sd)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

fn norm_s_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let z = ctx.float(&args[0])?;
    let cumulative = ctx.boolean(&args[1])?;
    let d = normal(0.0, 1.0)?;
    prob(if cumulative { d.cdf(z) } else { d.pdf(z) })
}

fn normsdist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let z = ctx.float(&args[0])?;
    prob(normal(0.0, 1.0)?.cdf(z))
}

fn norm_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, mean, sd] = floats::<3>(ctx, args)?;
    let p = open_unit(p)?;
    prob(normal(mean, sd)?.inverse_cdf(p))
}

fn norm_s_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let p = open_unit(ctx.float(&args[0])?)?;
    prob(normal(0.0, 1.0)?.inverse_cdf(p))
}

fn lognormal(mean: f64, sd: f64) -> Result<LogNormal, ErrorKind> {
    if sd <= 0.0 {
        return Err(ErrorKind::Num);
    }
    LogNormal::new(mean, sd).map_err(|_| ErrorKind::Num)
}

fn lognorm_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, mean, sd] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    if x <= 0.0 {
        return Err(ErrorKind::Num);
    }
    let d = lognormal(mean, sd)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

fn lognormdist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, mean, sd] = floats::<3>(ctx, args)?;
    if x <= 0.0 {
        return Err(ErrorKind::Num);
    }
    prob(lognormal(mean, sd)?.cdf(x))
}

fn lognorm_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, mean, sd] = floats::<3>(ctx, args)?;
    let p = open_unit(p)?;
    prob(lognormal(mean, sd)?.inverse_cdf(p))
}

/// (alpha, standard deviation, size) of the CONFIDENCE functions.
fn confidence_args(ctx: &mut CallContext, args: &[Expr]) -> Result<(f64, f64, f64), ErrorKind> {
    let [alpha, sd, size] = floats::<3>(ctx, args)?;
    let size = size.trunc();
    if alpha <= 0.0 || alpha >= 1.0 || sd <= 0.0 || size < 1.0 {
        return Err(ErrorKind::Num);
    }
    Ok((alpha, sd, size))
}

fn confidence_norm_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (alpha, sd, size) = confidence_args(ctx, args)?;
    let z = normal(0.0, 1.0)?.inverse_cdf(1.0 - alpha / 2.0);
    prob(z * sd / size.sqrt())
}

fn confidence_t_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (alpha, sd, size) = confidence_args(ctx, args)?;
    if size < 2.0 {
        return Err(ErrorKind::Div0);
    }
    let t = students_t(size - 1.0)?.inverse_cdf(1.0 - alpha / 2.0);
    prob(t * sd / size.sqrt())
}

/// Student's t with `df` degrees of freedom (truncated; below 1 is #NUM!).
fn students_t(df: f64) -> Result<StudentsT, ErrorKind> {
    let df = df.trunc();
    if df < 1.0 {
        return Err(ErrorKind::Num);
    }
    StudentsT::new(0.0, 1.0, df).map_err(|_| ErrorKind::Num)
}

fn t_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    let cumulative = ctx.boolean(&args[2])?;
    let d = students_t(df)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

fn t_dist_2t_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    prob(2.0 * students_t(df)?.sf(x))
}

fn t_dist_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    prob(students_t(df)?.sf(x))
}

fn tdist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df, tails] = floats::<3>(ctx, args)?;
    let tails = tails.trunc();
    if x < 0.0 || !(tails == 1.0 || tails == 2.0) {
        return Err(ErrorKind::Num);
    }
    prob(tails * students_t(df)?.sf(x))
}

fn t_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, df] = floats::<2>(ctx, args)?;
    let p = open_unit(p)?;
    prob(students_t(df)?.inverse_cdf(p))
}

fn t_inv_2t_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, df] = floats::<2>(ctx, args)?;
    if p <= 0.0 || p > 1.0 {
        return Err(ErrorKind::Num);
    }
    prob(students_t(df)?.inverse_cdf(1.0 - p / 2.0))
}

/// Chi-squared with `df` degrees of freedom (truncated; 1..=10^10).
fn chi_squared(df: f64) -> Result<ChiSquared, ErrorKind> {
    let df = df.trunc();
    if !(1.0..=1e10).contains(&df) {
        return Err(ErrorKind::Num);
    }
    ChiSquared::new(df).map_err(|_| ErrorKind::Num)
}

fn chisq_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    let cumulative = ctx.boolean(&args[2])?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    let d = chi_squared(df)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

fn chisq_dist_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    prob(chi_squared(df)?.sf(x))
}

fn chisq_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, df] = floats::<2>(ctx, args)?;
    let p = open_unit(p)?;
    prob(chi_squared(df)?.inverse_cdf(p))
}

fn chisq_inv_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, df] = floats::<2>(ctx, args)?;
    let p = open_unit(p)?;
    prob(chi_squared(df)?.inverse_cdf(1.0 - p))
}

/// F with (d1, d2) degrees of freedom, each truncated and at least 1.
fn fisher_f(d1: f64, d2: f64) -> Result<FisherSnedecor, ErrorKind> {
    let (d1, d2) = (d1.trunc(), d2.trunc());
    if d1 < 1.0 || d2 < 1.0 || d1 >= 1e10 || d2 >= 1e10 {
        return Err(ErrorKind::Num);
    }
    FisherSnedecor::new(d1, d2).map_err(|_| ErrorKind::Num)
}

fn f_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, d1, d2] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    let d = fisher_f(d1, d2)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

fn f_dist_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, d1, d2] = floats::<3>(ctx, args)?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    prob(fisher_f(d1, d2)?.sf(x))
}

fn f_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, d1, d2] = floats::<3>(ctx, args)?;
    let p = open_unit(p)?;
    prob(fisher_f(d1, d2)?.inverse_cdf(p))
}

fn f_inv_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, d1, d2] = floats::<3>(ctx, args)?;
    let p = open_unit(p)?;
    prob(fisher_f(d1, d2)?.inverse_cdf(1.0 - p))
}

fn binom_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [k, n, p] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    let (k, n) = (k.trunc(), n.trunc());
    if k < 0.0 || n < 0.0 || k > n || !(0.0..=1.0).contains(&p) || n > 4e9 {
        return Err(ErrorKind::Num);
    }
    let d = Binomial::new(p, n as u64).map_err(|_| ErrorKind::Num)?;
    prob(if cumulative {
        d.cdf(k as u64)
    } else {
        d.pmf(k as u64)
    })
}

fn negbinom_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [f, s, p] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    let (f, s) = (f.trunc(), s.trunc());
    if f < 0.0 || s < 1.0 || p <= 0.0 || p >= 1.0 || f > 4e9 {
        return Err(ErrorKind::Num);
    }
    let d = NegativeBinomial::new(s, p).map_err(|_| ErrorKind::Num)?;
    prob(if cumulative {
        d.cdf(f as u64)
    } else {
        d.pmf(f as u64)
    })
}

fn binom_dist_range_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [n, p, s] = floats::<3>(ctx, args)?;
    let s2 = if CallContext::is_missing(args, 3) {
        s
    } else {
        ctx.float(&args[3])?
    };
    let (n, s, s2) = (n.trunc(), s.trunc(), s2.trunc());
    if n < 0.0 || !(0.0..=1.0).contains(&p) || s < 0.0 || s > n || s2 < s || s2 > n || n > 4e9 {
        return Err(ErrorKind::Num);
    }
    let d = Binomial::new(p, n as u64).map_err(|_| ErrorKind::Num)?;
    // Short ranges are summed term by term (most accurate); long ones
    // through the CDF so a huge trial count cannot stall the engine.
    if s2 - s <= 10_000.0 {
        return prob(((s as u64)..=(s2 as u64)).map(|k| d.pmf(k)).sum());
    }
    let below = if s == 0.0 { 0.0 } else { d.cdf(s as u64 - 1) };
    prob(d.cdf(s2 as u64) - below)
}

fn binom_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [n, p, alpha] = floats::<3>(ctx, args)?;
    let n = n.trunc();
    // Both probabilities must lie strictly inside (0, 1).
    if n < 0.0 || p <= 0.0 || p >= 1.0 || alpha <= 0.0 || alpha >= 1.0 || n > 4e9 {
        return Err(ErrorKind::Num);
    }
    let d = Binomial::new(p, n as u64).map_err(|_| ErrorKind::Num)?;
    // The smallest k whose CDF reaches alpha, by bisection (statrs's own
    // discrete inverse can panic when the CDF plateaus below alpha).
    let (mut lo, mut hi) = (0u64, n as u64);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if d.cdf(mid) >= alpha * (1.0 - 1e-15) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(CalcValue::number(lo as i64))
}

fn hypgeom_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, n, big_k, big_n] = floats::<4>(ctx, args)?;
    let cumulative = if args.len() > 4 {
        ctx.boolean(&args[4])?
    } else {
        false
    };
    let (s, n, big_k, big_n) = (s.trunc(), n.trunc(), big_k.trunc(), big_n.trunc());
    if s < 0.0
        || n <= 0.0
        || big_k <= 0.0
        || big_n <= 0.0
        || s > n.min(big_k)
        || n > big_n
        || big_k > big_n
        || s < (n - big_n + big_k).max(0.0)
    {
        return Err(ErrorKind::Num);
    }
    let d = statrs::distribution::Hypergeometric::new(big_n as u64, big_k as u64, n as u64)
        .map_err(|_| ErrorKind::Num)?;
    prob(if cumulative {
        d.cdf(s as u64)
    } else {
        d.pmf(s as u64)
    })
}

fn prob_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = paired_numbers(ctx, args)?;
    let lower = ctx.number(&args[2])?;
    let upper = if CallContext::is_missing(args, 3) {
        lower
    } else {
        ctx.number(&args[3])?
    };
    if pairs.is_empty() {
        return Err(ErrorKind::Div0);
    }
    if pairs
        .iter()
        .any(|(_, p)| *p < Number::ZERO || *p > Number::ONE)
    {
        return Err(ErrorKind::Num);
    }
    let probs: Vec<Number> = pairs.iter().map(|p| p.1).collect();
    // The probabilities must add up to one (to float precision).
    if (sum_of(&probs).to_f64() - 1.0).abs() > 1e-9 {
        return Err(ErrorKind::Num);
    }
    let hit: Vec<Number> = pairs
        .iter()
        .filter(|(x, _)| *x >= lower && *x <= upper)
        .map(|p| p.1)
        .collect();
    Ok(CalcValue::number(sum_of(&hit)))
}

fn z_test_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = ctx.numbers(&args[..1], Collect::Numbers)?;
    let x = ctx.float(&args[1])?;
    if v.is_empty() {
        return Err(ErrorKind::NA);
    }
    let sigma = if CallContext::is_missing(args, 2) {
        stdev(&v, true)?.to_f64()
    } else {
        ctx.float(&args[2])?
    };
    if sigma <= 0.0 {
        return Err(ErrorKind::Div0);
    }
    let mean = average(&v)?.to_f64();
    let z = (mean - x) / (sigma / (v.len() as f64).sqrt());
    prob(1.0 - normal(0.0, 1.0)?.cdf(z))
}

fn skew_p_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v: Vec<f64> = ctx
        .numbers(args, Collect::Numbers)?
        .iter()
        .map(|n| n.to_f64())
        .collect();
    if v.is_empty() {
        return Err(ErrorKind::Div0);
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    if sd == 0.0 {
        return Err(ErrorKind::Div0);
    }
    prob(v.iter().map(|x| ((x - mean) / sd).powi(3)).sum::<f64>() / n)
}

fn gamma_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |x| {
        // Poles at zero and the negative integers.
        if x <= 0.0 && x.fract() == 0.0 {
            return Err(ErrorKind::Num);
        }
        let g = statrs::function::gamma::gamma(x);
        if g.is_finite() {
            Ok(g)
        } else {
            Err(ErrorKind::Num)
        }
    })
}

/// Gamma with shape `alpha` and scale `beta` (Excel's parameters).
fn gamma_distribution(alpha: f64, beta: f64) -> Result<Gamma, ErrorKind> {
    if alpha <= 0.0 || beta <= 0.0 {
        return Err(ErrorKind::Num);
    }
    Gamma::new(alpha, 1.0 / beta).map_err(|_| ErrorKind::Num)
}

fn gamma_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, alpha, beta] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    let d = gamma_distribution(alpha, beta)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

fn gamma_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, alpha, beta] = floats::<3>(ctx, args)?;
    if !(0.0..1.0).contains(&p) {
        return Err(ErrorKind::Num);
    }
    if p == 0.0 {
        return Ok(CalcValue::number(0));
    }
    prob(gamma_distribution(alpha, beta)?.inverse_cdf(p))
}

// ---- numeric cores ---------------------------------------------------------

fn cmp(a: &Number, b: &Number) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

/// AVERAGE: #DIV/0! when there is nothing to average.
pub fn average(values: &[Number]) -> NumResult {
    excel_div(sum_of(values), Number::from_i64(values.len() as i64)).ok_or(ErrorKind::Div0)
}

/// The mean to 28 significant digits, for further exact arithmetic.
fn mean_exact(values: &[Number]) -> NumResult {
    sum_of(values)
        .checked_div(Number::from_i64(values.len() as i64))
        .ok_or(ErrorKind::Div0)
}

/// A quotient as Excel has it: exact when it terminates within 15
/// decimals (`0.15`), otherwise the float quotient (so 2/3 is the same
/// double Excel stores, not a 28-digit decimal one ulp away).
pub fn excel_div(a: Number, b: Number) -> Option<Number> {
    match a.checked_div(b)? {
        Number::Exact(d) if d.normalize().scale() > 15 => {
            Some(Number::from_float_result(a.to_f64() / b.to_f64()))
        }
        q => Some(q),
    }
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
    let mean = mean_exact(values)?;
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
    excel_div(ss, Number::from_i64(n)).ok_or(ErrorKind::Div0)
}

/// STDEV.S (`sample`) and STDEV.P.
pub fn stdev(values: &[Number], sample: bool) -> NumResult {
    sqrt(variance(values, sample)?)
}

/// A 28-digit decimal quotient such as 2.8888…9 replaced by the nearest
/// double (what Excel holds), so it compares and displays like Excel's
/// result; exact short decimals are unchanged.
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

/// Test helper shared by this file's test modules.
#[cfg(test)]
mod check {
    use crate::formula::testing::eval_str;

    /// Asserts that a formula evaluates to a number within `tol`
    /// (relative for magnitudes above 1) of Excel's documented result.
    pub fn close(formula: &str, excel: f64, tol: f64) {
        let v = eval_str(formula);
        let got = v
            .as_number()
            .unwrap_or_else(|| panic!("{formula}: {v:?}"))
            .to_f64();
        assert!(
            (got - excel).abs() <= tol * excel.abs().max(1.0),
            "{formula}: {got} vs {excel}"
        );
    }
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

#[cfg(test)]
mod formula_tests {
    use crate::formula::testing::{eval_calc, eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    fn err(k: ErrorKind) -> Value {
        Value::Error(k)
    }

    const DATA: [(&str, &str); 10] = [
        ("A1", "Apple"),
        ("A2", "banana"),
        ("A3", "apple"),
        ("A4", "cherry"),
        ("A6", "TRUE"),
        ("B1", "10"),
        ("B2", "20"),
        ("B3", "30"),
        ("B4", "x"),
        ("B6", "5"),
    ];

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

    #[test]
    fn averages_and_extremes() {
        assert_eq!(eval_with(&DATA, "=AVERAGE(B1:B6)"), num("16.25"));
        assert_eq!(eval_str("=AVERAGE(0.1,0.2)"), num("0.15"));
        let third = eval_str("=AVERAGE(1,2,2)").as_number().unwrap().to_f64();
        assert_eq!(third, 5.0 / 3.0);
        assert_eq!(
            eval_with(&[("A1", "x")], "=AVERAGE(A1)"),
            err(ErrorKind::Div0)
        );
        assert_eq!(eval_with(&DATA, "=MAX(B1:B6)"), num("30"));
        assert_eq!(eval_with(&DATA, "=MIN(B1:B6)"), num("5"));
        assert_eq!(eval_with(&[("A1", "x")], "=MAX(A1)"), num("0"));
        assert_eq!(
            eval_with(&[("A1", "TRUE"), ("A2", "0.5")], "=MAXA(A1:A2)"),
            num("1")
        );
        assert_eq!(
            eval_with(&[("A1", "x"), ("A2", "0.5")], "=MINA(A1:A2)"),
            num("0")
        );
        assert_eq!(
            eval_with(&[("A1", "x"), ("A2", "3")], "=AVERAGEA(A1:A2)"),
            num("1.5")
        );
        assert_eq!(eval_str("=MEDIAN(1,2,3,4,5,6)"), num("3.5"));
        assert_eq!(eval_str("=LARGE({3,5,3,5,4},3)"), num("4"));
        assert_eq!(eval_str("=SMALL({3,5,3,5,4},6)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=SMALL(\"Hello\",1)"), err(ErrorKind::Value));
    }

    #[test]
    fn ranks() {
        let cells = [
            ("A1", "7"),
            ("A2", "3.5"),
            ("A3", "3.5"),
            ("A4", "1"),
            ("A5", "2"),
        ];
        assert_eq!(eval_with(&cells, "=RANK(A2,A1:A5)"), num("2"));
        assert_eq!(eval_with(&cells, "=RANK.EQ(A1,A1:A5,1)"), num("5"));
        assert_eq!(eval_with(&cells, "=RANK.AVG(A2,A1:A5)"), num("2.5"));
        assert_eq!(eval_with(&cells, "=RANK(9,A1:A5)"), err(ErrorKind::NA));
    }

    #[test]
    fn spread_and_mode() {
        // Excel's documented STDEV sample (breaking strength of tools).
        let tools = "{1345,1301,1368,1322,1310,1370,1318,1350,1303,1299}";
        let s = eval_str(&format!("=STDEV.S({tools})"))
            .as_number()
            .unwrap()
            .to_f64();
        assert!((s - 27.463_915_719_843_3).abs() < 1e-9);
        let p = eval_str(&format!("=STDEV.P({tools})"))
            .as_number()
            .unwrap()
            .to_f64();
        assert!((p - 26.054_558_142_482_5).abs() < 1e-9);
        assert_eq!(eval_str("=VAR.S(1,2,3)"), num("1"));
        let v = eval_str("=VAR.P({1,2,3})").as_number().unwrap().to_f64();
        assert_eq!(v, 2.0 / 3.0);
        assert_eq!(eval_str("=VAR(1)"), err(ErrorKind::Div0));
        assert_eq!(eval_str("=MODE(1,2,2,3,3)"), num("2"));
        assert_eq!(eval_str("=MODE(1,2,3)"), err(ErrorKind::NA));
        match eval_calc("=MODE.MULT({1,2,3,4,1,2,3,4})") {
            crate::formula::calc::CalcValue::Array(a) => assert_eq!(a.values.len(), 4),
            other => panic!("expected an array, got {other:?}"),
        }
        assert_eq!(eval_str("=PERCENTILE({1,2,3,4},0.3)"), num("1.9"));
        assert_eq!(eval_str("=QUARTILE.EXC({1,2,4,7,8,9,10,12},1)"), num("2.5"));
        assert_eq!(eval_str("=DEVSQ(4,5,8,7,11,4,3)"), num("48"));
    }
}

#[cfg(test)]
mod more_formula_tests {
    use crate::formula::testing::{eval_str, num};
    use crate::model::ErrorKind;

    fn close(formula: &str, excel: f64) {
        super::check::close(formula, excel, 1e-6);
    }

    #[test]
    fn documented_examples() {
        close("=GEOMEAN(4,5,8,7,11,4,3)", 5.476_986_969);
        close("=HARMEAN(4,5,8,7,11,4,3)", 5.028_375_962);
        close("=TRIMMEAN({4,5,6,7,2,3,4,5,1,2,3},0.2)", 3.777_777_778);
        assert_eq!(eval_str("=PERMUT(100,3)"), num("970200"));
        assert_eq!(eval_str("=PERMUTATIONA(3,2)"), num("9"));
        assert_eq!(
            eval_str("=COVARIANCE.P({3,2,4,5,6},{9,7,12,15,17})"),
            num("5.2")
        );
        assert_eq!(
            eval_str("=COVARIANCE.S({3,2,4,5,6},{9,7,12,15,17})"),
            num("6.5")
        );
        close("=CORREL({3,2,4,5,6},{9,7,12,15,17})", 0.997_054_486);
        close("=FISHER(0.75)", 0.972_955_075);
        close("=FISHERINV(0.972955)", 0.75);
        close("=STANDARDIZE(42,40,1.5)", 1.333_333_333);
        close("=GAMMALN(4)", 6f64.ln());
        close("=EXPON.DIST(0.2,10,TRUE)", 0.864_664_717);
        close("=POISSON.DIST(2,5,FALSE)", 0.084_224_337);
        close("=POISSON.DIST(2,5,TRUE)", 0.124_652_019);
        close("=WEIBULL.DIST(105,20,100,TRUE)", 0.929_581_0);
        close("=WEIBULL.DIST(105,20,100,FALSE)", 0.035_588_864);
        close("=PHI(0.75)", 0.301_137_432);
        close("=SKEW(3,4,5,2,3,4,5,6,4,7)", 0.359_543_071);
        close("=KURT(3,4,5,2,3,4,5,6,4,7)", -0.151_799_637);
        assert_eq!(
            eval_str("=PERCENTRANK.INC({1,2,3,4,5,6,7,8,9,10},4)"),
            num("0.333")
        );
        assert_eq!(
            eval_str("=PERCENTRANK({1,2,3},5)"),
            crate::model::Value::Error(ErrorKind::NA)
        );
        close("=SLOPE({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", 0.305_555_556);
        close("=INTERCEPT({2,3,9,1,8},{6,5,11,7,5})", 0.048_387_097);
        close("=RSQ({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", 0.057_950_192);
        close("=FORECAST(30,{6,7,9,15,21},{20,28,31,38,40})", 10.607_253);
    }
}

#[cfg(test)]
mod distribution_tests {
    use crate::formula::testing::eval_str;
    use crate::model::{ErrorKind, Value};

    fn close(formula: &str, excel: f64) {
        super::check::close(formula, excel, 1e-6);
    }

    #[test]
    fn documented_distribution_examples() {
        close("=NORM.DIST(42,40,1.5,TRUE)", 0.908_788_8);
        close("=NORM.DIST(42,40,1.5,FALSE)", 0.109_340_05);
        close("=NORM.S.DIST(1.333333,TRUE)", 0.908_788_726);
        close("=NORM.INV(0.908789,40,1.5)", 42.000_002);
        close("=NORM.S.INV(0.908789)", 1.333_334_6);
        close("=LOGNORM.DIST(4,3.5,1.2,TRUE)", 0.039_083_6);
        close("=LOGNORM.INV(0.039084,3.5,1.2)", 4.000_025_2);
        close("=CONFIDENCE.NORM(0.05,2.5,50)", 0.692_951_912);
        close("=CONFIDENCE.T(0.05,1,50)", 0.284_196_855);
        close("=T.DIST(60,1,TRUE)", 0.994_695_33);
        close("=T.DIST.2T(1.959999998,60)", 0.054_644_93);
        close("=T.DIST.RT(1.959999998,60)", 0.027_322_465);
        close("=T.INV(0.75,2)", 0.816_496_6);
        close("=T.INV.2T(0.546449,60)", 0.606_533);
        close("=CHISQ.DIST(0.5,1,TRUE)", 0.520_499_88);
        close("=CHISQ.DIST.RT(18.307,10)", 0.050_000_6);
        close("=CHISQ.INV(0.93,1)", 3.283_020_287);
        close("=CHISQ.INV.RT(0.050001,10)", 18.306_973_46);
        close("=F.DIST(15.2069,6,4,TRUE)", 0.99);
        close("=F.DIST.RT(15.2069,6,4)", 0.01);
        close("=F.INV(0.01,6,4)", 0.109_309_91);
        close("=F.INV.RT(0.01,6,4)", 15.206_86);
        close("=BINOM.DIST(6,10,0.5,FALSE)", 0.205_078_1);
        close("=NEGBINOM.DIST(10,5,0.25,TRUE)", 0.313_514_1);
        close("=GAMMA(2.5)", 1.329_340_4);
        close("=GAMMA.DIST(10.00001131,9,2,FALSE)", 0.032_639);
        close("=GAMMA.DIST(10.00001131,9,2,TRUE)", 0.068_094);
        close("=GAMMA.INV(0.068094,9,2)", 10.000_011_2);
        assert_eq!(eval_str("=NORM.INV(1,0,1)"), Value::Error(ErrorKind::Num));
        assert_eq!(
            eval_str("=NORM.DIST(1,0,0,TRUE)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(
            eval_str("=BINOM.DIST(11,10,0.5,TRUE)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(eval_str("=GAMMA(0)"), Value::Error(ErrorKind::Num));
    }
}

#[cfg(test)]
mod binomial_tests {
    use crate::formula::testing::{eval_str, num};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn binomial_ranges_and_inverse() {
        super::check::close("=BINOM.DIST.RANGE(60,0.75,48)", 0.083_974_967, 1e-8);
        super::check::close("=BINOM.DIST.RANGE(60,0.75,45,50)", 0.523_629_793, 1e-8);
        assert_eq!(eval_str("=BINOM.INV(6,0.5,0.75)"), num("4"));
        assert_eq!(eval_str("=PROB({0,1,2,3},{0.2,0.3,0.1,0.4},2)"), num("0.1"));
        assert_eq!(
            eval_str("=PROB({0,1,2,3},{0.2,0.3,0.1,0.4},1,3)"),
            num("0.8")
        );
        assert_eq!(
            eval_str("=PROB({0,1},{0.2,0.3},1)"),
            Value::Error(ErrorKind::Num)
        );
        super::check::close("=Z.TEST({3,6,7,8,6,5,4,2,1,9},4)", 0.090_574, 1e-6);
        super::check::close("=SKEW.P({3,4,5,2,3,4,5,6,4,7})", 0.303_193_339, 1e-8);
        assert_eq!(
            eval_str("=BINOM.INV(10,1,0.8)"),
            Value::Error(ErrorKind::Num)
        );
        super::check::close("=HYPGEOM.DIST(1,4,8,20,TRUE)", 0.465_428_277, 1e-8);
        super::check::close("=HYPGEOM.DIST(1,4,8,20,FALSE)", 0.363_261_094, 1e-8);
    }
}
