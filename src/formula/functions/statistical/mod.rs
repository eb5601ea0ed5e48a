//! Statistical functions (COUNT, AVERAGE, MAX, STDEV, ...).
//!
//! Averages, medians and variances stay exact decimals where they can
//! (`AVERAGE(0.1, 0.2)` is exactly 0.15); quotients that do not
//! terminate become the nearest double, as in Excel.
//!
//! The registry table lives here so the listed order stays in one place;
//! topic files hold the functions. The numeric cores AGGREGATE and the
//! database functions also use (average, variance, percentiles...) live
//! in `functions::util`.

use super::*;
use continuous::{beta_dist_fn, beta_inv_fn, betadist_fn, gauss_fn};
use continuous::{
    chisq_dist_fn, chisq_dist_rt_fn, chisq_inv_fn, chisq_inv_rt_fn, confidence_norm_fn,
    confidence_t_fn, expon_dist_fn, f_dist_fn, f_dist_rt_fn, f_inv_fn, f_inv_rt_fn, gamma_dist_fn,
    gamma_fn, gamma_inv_fn, gammaln_fn, lognorm_dist_fn, lognorm_inv_fn, lognormdist_fn,
    norm_dist_fn, norm_inv_fn, norm_s_dist_fn, norm_s_inv_fn, normsdist_fn, phi_fn, t_dist_2t_fn,
    t_dist_fn, t_dist_rt_fn, t_inv_2t_fn, t_inv_fn, tdist_fn, weibull_dist_fn, z_test_fn,
};
use counting::{
    averageif, averageifs, count, counta, countblank, countif, countifs, frequency_fn, maxifs,
    minifs,
};
use descriptive::{
    avedev_fn, average_fn, averagea_fn, devsq_fn, geomean_fn, harmean_fn, kurt_fn, max_fn, maxa_fn,
    median_fn, min_fn, mina_fn, mode_fn, mode_mult_fn, skew_fn, skew_p_fn, standardize_fn,
    stdev_p_fn, stdev_s_fn, stdeva_fn, stdevpa_fn, trimmean_fn, var_p_fn, var_s_fn, vara_fn,
    varpa_fn,
};
use discrete::{
    binom_dist_fn, binom_dist_range_fn, binom_inv_fn, hypgeom_dist_fn, negbinom_dist_fn,
    negbinomdist_fn, permut_fn, permutationa_fn, poisson_dist_fn, prob_fn,
};
use hypothesis::{chisq_test_fn, f_test_fn, t_test_fn};
use linest::{growth_fn, linest_fn, logest_fn, trend_fn};
use ranking::{
    large_fn, percentile_exc_fn, percentile_inc_fn, percentrank_exc_fn, percentrank_inc_fn,
    quartile_exc_fn, quartile_inc_fn, rank_avg_fn, rank_eq_fn, small_fn,
};
use regression::{
    correl_fn, covariance_p_fn, covariance_s_fn, fisher_fn, fisherinv_fn, forecast_fn,
    intercept_fn, rsq_fn, slope_fn, steyx_fn,
};
use smoothing::{
    forecast_ets_confint_fn, forecast_ets_fn, forecast_ets_seasonality_fn, forecast_ets_stat_fn,
};

mod continuous;
mod counting;
mod descriptive;
mod discrete;
mod hypothesis;
mod least_squares;
mod linest;
mod ranking;
mod regression;
mod smoothing;
mod util;

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
        "FORECAST.ETS",
        3,
        6,
        "Forecast by exponential triple smoothing (additive trend and season)",
        forecast_ets_fn,
    ),
    FunctionSpec::new(
        "FORECAST.ETS.CONFINT",
        3,
        7,
        "Half-width of the prediction interval of FORECAST.ETS",
        forecast_ets_confint_fn,
    ),
    FunctionSpec::new(
        "FORECAST.ETS.SEASONALITY",
        2,
        4,
        "Season length FORECAST.ETS detects in a series",
        forecast_ets_seasonality_fn,
    ),
    FunctionSpec::new(
        "FORECAST.ETS.STAT",
        3,
        6,
        "A fitted parameter or error statistic of FORECAST.ETS",
        forecast_ets_stat_fn,
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
    FunctionSpec::new(
        "NEGBINOMDIST",
        3,
        3,
        "Negative binomial probability",
        negbinomdist_fn,
    ),
    FunctionSpec::new("BETA.DIST", 4, 6, "Beta distribution", beta_dist_fn),
    FunctionSpec::new(
        "BETADIST",
        3,
        5,
        "Beta cumulative distribution",
        betadist_fn,
    ),
    FunctionSpec::new(
        "BETA.INV",
        3,
        5,
        "Inverse of the beta distribution",
        beta_inv_fn,
    ),
    FunctionSpec::new(
        "BETAINV",
        3,
        5,
        "Inverse of the beta distribution",
        beta_inv_fn,
    ),
    FunctionSpec::new(
        "GAUSS",
        1,
        1,
        "Probability between the mean and z standard deviations",
        gauss_fn,
    ),
    FunctionSpec::new(
        "T.TEST",
        4,
        4,
        "Probability of a Student's t-test",
        t_test_fn,
    ),
    FunctionSpec::new(
        "TTEST",
        4,
        4,
        "Probability of a Student's t-test",
        t_test_fn,
    ),
    FunctionSpec::new(
        "F.TEST",
        2,
        2,
        "Two-tailed probability that two variances differ",
        f_test_fn,
    ),
    FunctionSpec::new(
        "FTEST",
        2,
        2,
        "Two-tailed probability that two variances differ",
        f_test_fn,
    ),
    FunctionSpec::new(
        "CHISQ.TEST",
        2,
        2,
        "Chi-squared test of independence",
        chisq_test_fn,
    ),
    FunctionSpec::new(
        "CHITEST",
        2,
        2,
        "Chi-squared test of independence",
        chisq_test_fn,
    ),
    FunctionSpec::new(
        "FREQUENCY",
        2,
        2,
        "Counts of values per bin, as a column",
        frequency_fn,
    ),
    FunctionSpec::new(
        "STEYX",
        2,
        2,
        "Standard error of the predicted y of a regression",
        steyx_fn,
    ),
    FunctionSpec::new(
        "LINEST",
        1,
        4,
        "Least-squares line coefficients and statistics",
        linest_fn,
    ),
    FunctionSpec::new(
        "LOGEST",
        1,
        4,
        "Exponential curve coefficients and statistics",
        logest_fn,
    ),
    FunctionSpec::new("TREND", 1, 4, "Values on the least-squares line", trend_fn),
    FunctionSpec::new(
        "GROWTH",
        1,
        4,
        "Values on the fitted exponential curve",
        growth_fn,
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

/// Cells the counting and averaging tests share: text in several cases,
/// a boolean, a blank row and numbers beside them.
#[cfg(test)]
pub(super) const DATA: [(&str, &str); 10] = [
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

#[cfg(test)]
mod tests {

    use crate::formula::testing::{assert_formula_close, eval_str, num};
    use crate::model::ErrorKind;

    #[test]
    fn documented_examples() {
        assert_formula_close("=GEOMEAN(4,5,8,7,11,4,3)", 5.476_986_969, 1e-6);
        assert_formula_close("=HARMEAN(4,5,8,7,11,4,3)", 5.028_375_962, 1e-6);
        assert_formula_close(
            "=TRIMMEAN({4,5,6,7,2,3,4,5,1,2,3},0.2)",
            3.777_777_778,
            1e-6,
        );
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
        assert_formula_close("=CORREL({3,2,4,5,6},{9,7,12,15,17})", 0.997_054_486, 1e-6);
        assert_formula_close("=FISHER(0.75)", 0.972_955_075, 1e-6);
        assert_formula_close("=FISHERINV(0.972955)", 0.75, 1e-6);
        assert_formula_close("=STANDARDIZE(42,40,1.5)", 1.333_333_333, 1e-6);
        assert_formula_close("=GAMMALN(4)", 6f64.ln(), 1e-6);
        assert_formula_close("=EXPON.DIST(0.2,10,TRUE)", 0.864_664_717, 1e-6);
        assert_formula_close("=POISSON.DIST(2,5,FALSE)", 0.084_224_337, 1e-6);
        assert_formula_close("=POISSON.DIST(2,5,TRUE)", 0.124_652_019, 1e-6);
        assert_formula_close("=WEIBULL.DIST(105,20,100,TRUE)", 0.929_581_0, 1e-6);
        assert_formula_close("=WEIBULL.DIST(105,20,100,FALSE)", 0.035_588_864, 1e-6);
        assert_formula_close("=PHI(0.75)", 0.301_137_432, 1e-6);
        assert_formula_close("=SKEW(3,4,5,2,3,4,5,6,4,7)", 0.359_543_071, 1e-6);
        assert_formula_close("=KURT(3,4,5,2,3,4,5,6,4,7)", -0.151_799_637, 1e-6);
        assert_eq!(
            eval_str("=PERCENTRANK.INC({1,2,3,4,5,6,7,8,9,10},4)"),
            num("0.333")
        );
        assert_eq!(
            eval_str("=PERCENTRANK({1,2,3},5)"),
            crate::model::Value::Error(ErrorKind::NA)
        );
        assert_formula_close(
            "=SLOPE({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})",
            0.305_555_556,
            1e-6,
        );
        assert_formula_close("=INTERCEPT({2,3,9,1,8},{6,5,11,7,5})", 0.048_387_097, 1e-6);
        assert_formula_close(
            "=RSQ({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})",
            0.057_950_192,
            1e-6,
        );
        assert_formula_close(
            "=FORECAST(30,{6,7,9,15,21},{20,28,31,38,40})",
            10.607_253,
            1e-6,
        );
    }
}
