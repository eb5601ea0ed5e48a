//! Continuous distributions (normal, lognormal, t, chi-squared, F,
//! exponential, Weibull, gamma), the gamma function, confidence
//! intervals and Z.TEST. Densities and quantiles come from `statrs`; this
//! room maps Excel's arguments and domain errors onto them.

use super::util::{float_stat, floats, ln_gamma, open_unit, prob, Gaussian};
use crate::formula::functions::util::{average, stdev};
use crate::formula::functions::*;
use statrs::distribution::{
    ChiSquared, Continuous, ContinuousCDF, FisherSnedecor, Gamma, StudentsT,
};

pub(super) fn gammaln_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |x| {
        if x <= 0.0 {
            Err(ErrorKind::Num)
        } else {
            Ok(ln_gamma(x))
        }
    })
}

pub(super) fn phi_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |x| {
        Ok((-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt())
    })
}

pub(super) fn expon_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn weibull_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

fn normal(mean: f64, sd: f64) -> Result<Gaussian, ErrorKind> {
    Gaussian::new(mean, sd)
}

pub(super) fn norm_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, mean, sd] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    let d = normal(mean, sd)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

pub(super) fn norm_s_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let z = ctx.float(&args[0])?;
    let cumulative = ctx.boolean(&args[1])?;
    let d = Gaussian::STANDARD;
    prob(if cumulative { d.cdf(z) } else { d.pdf(z) })
}

pub(super) fn normsdist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let z = ctx.float(&args[0])?;
    prob(Gaussian::STANDARD.cdf(z))
}

pub(super) fn norm_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, mean, sd] = floats::<3>(ctx, args)?;
    let p = open_unit(p)?;
    prob(normal(mean, sd)?.inverse_cdf(p))
}

pub(super) fn norm_s_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let p = open_unit(ctx.float(&args[0])?)?;
    prob(Gaussian::STANDARD.inverse_cdf(p))
}

/// The normal distribution of ln X for a lognormal X.
fn lognormal(mean: f64, sd: f64) -> Result<Gaussian, ErrorKind> {
    Gaussian::new(mean, sd)
}

pub(super) fn lognorm_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, mean, sd] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    if x <= 0.0 {
        return Err(ErrorKind::Num);
    }
    let d = lognormal(mean, sd)?;
    prob(if cumulative {
        d.cdf(x.ln())
    } else {
        d.pdf(x.ln()) / x
    })
}

pub(super) fn lognormdist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, mean, sd] = floats::<3>(ctx, args)?;
    if x <= 0.0 {
        return Err(ErrorKind::Num);
    }
    prob(lognormal(mean, sd)?.cdf(x.ln()))
}

pub(super) fn lognorm_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, mean, sd] = floats::<3>(ctx, args)?;
    let p = open_unit(p)?;
    prob(lognormal(mean, sd)?.inverse_cdf(p).exp())
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

pub(super) fn confidence_norm_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (alpha, sd, size) = confidence_args(ctx, args)?;
    let z = Gaussian::STANDARD.inverse_cdf(1.0 - alpha / 2.0);
    prob(z * sd / size.sqrt())
}

pub(super) fn confidence_t_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (alpha, sd, size) = confidence_args(ctx, args)?;
    if size < 2.0 {
        return Err(ErrorKind::Div0);
    }
    let t = t_quantile(size - 1.0, 1.0 - alpha / 2.0)?;
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

/// Above this many degrees of freedom Student's t is its normal limit
/// plus the first terms of its Cornish-Fisher expansion (each further
/// term is below 1E-15 of the value here), because statrs's inverse
/// searches for minutes at df = 1E15.
const T_NORMAL_LIMIT_DF: f64 = 1e6;

/// The `p` quantile of Student's t with `df` degrees of freedom
/// (truncated; below 1 is #NUM!).
fn t_quantile(df: f64, p: f64) -> Result<f64, ErrorKind> {
    let d = students_t(df)?;
    let df = df.trunc();
    if df <= T_NORMAL_LIMIT_DF {
        return Ok(d.inverse_cdf(p));
    }
    let z = Gaussian::STANDARD.inverse_cdf(p);
    let (z2, z3) = (z * z, z * z * z);
    let z5 = z3 * z2;
    let z7 = z5 * z2;
    Ok(z + (z3 + z) / (4.0 * df)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df * df)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * df * df * df))
}

/// P(T > x) for Student's t with `df` degrees of freedom; past
/// [`T_NORMAL_LIMIT_DF`] the normal tail plus its first correction, as
/// statrs's incomplete beta gives wrong answers there (T.DIST.2T(1,1E15)
/// came out negative).
fn t_upper_tail(x: f64, df: f64) -> Result<f64, ErrorKind> {
    let d = students_t(df)?;
    let df = df.trunc();
    if df <= T_NORMAL_LIMIT_DF {
        return Ok(d.sf(x));
    }
    let z = Gaussian::STANDARD;
    Ok(z.sf(x) + z.pdf(x) * (x * x * x + x) / (4.0 * df))
}

/// Student's t density; past [`T_NORMAL_LIMIT_DF`] the normal density
/// with its first correction.
fn t_density(x: f64, df: f64) -> Result<f64, ErrorKind> {
    let d = students_t(df)?;
    let df = df.trunc();
    if df <= T_NORMAL_LIMIT_DF {
        return Ok(d.pdf(x));
    }
    let x2 = x * x;
    Ok(Gaussian::STANDARD.pdf(x) * (1.0 + (x2 * x2 - 2.0 * x2 - 1.0) / (4.0 * df)))
}

pub(super) fn t_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    let cumulative = ctx.boolean(&args[2])?;
    prob(if cumulative && df.trunc() <= T_NORMAL_LIMIT_DF {
        students_t(df)?.cdf(x)
    } else if cumulative {
        t_upper_tail(-x, df)?
    } else {
        t_density(x, df)?
    })
}

pub(super) fn t_dist_2t_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    prob(2.0 * t_upper_tail(x, df)?)
}

pub(super) fn t_dist_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    prob(t_upper_tail(x, df)?)
}

pub(super) fn tdist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df, tails] = floats::<3>(ctx, args)?;
    let tails = tails.trunc();
    if x < 0.0 || !(tails == 1.0 || tails == 2.0) {
        return Err(ErrorKind::Num);
    }
    prob(tails * t_upper_tail(x, df)?)
}

pub(super) fn t_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, df] = floats::<2>(ctx, args)?;
    let p = open_unit(p)?;
    prob(t_quantile(df, p)?)
}

pub(super) fn t_inv_2t_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, df] = floats::<2>(ctx, args)?;
    if p <= 0.0 || p > 1.0 {
        return Err(ErrorKind::Num);
    }
    prob(t_quantile(df, 1.0 - p / 2.0)?)
}

/// Chi-squared with `df` degrees of freedom (truncated; 1..=10^10).
fn chi_squared(df: f64) -> Result<ChiSquared, ErrorKind> {
    let df = df.trunc();
    if !(1.0..=1e10).contains(&df) {
        return Err(ErrorKind::Num);
    }
    ChiSquared::new(df).map_err(|_| ErrorKind::Num)
}

pub(super) fn chisq_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    let cumulative = ctx.boolean(&args[2])?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    let d = chi_squared(df)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

pub(super) fn chisq_dist_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, df] = floats::<2>(ctx, args)?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    prob(chi_squared(df)?.sf(x))
}

pub(super) fn chisq_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, df] = floats::<2>(ctx, args)?;
    let p = open_unit(p)?;
    prob(chi_squared(df)?.inverse_cdf(p))
}

pub(super) fn chisq_inv_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn f_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, d1, d2] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    let d = fisher_f(d1, d2)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

pub(super) fn f_dist_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, d1, d2] = floats::<3>(ctx, args)?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    prob(fisher_f(d1, d2)?.sf(x))
}

pub(super) fn f_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, d1, d2] = floats::<3>(ctx, args)?;
    let p = open_unit(p)?;
    prob(fisher_f(d1, d2)?.inverse_cdf(p))
}

pub(super) fn f_inv_rt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, d1, d2] = floats::<3>(ctx, args)?;
    let p = open_unit(p)?;
    prob(fisher_f(d1, d2)?.inverse_cdf(1.0 - p))
}

pub(super) fn z_test_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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
    prob(1.0 - Gaussian::STANDARD.cdf(z))
}

pub(super) fn gamma_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn gamma_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [x, alpha, beta] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    if x < 0.0 {
        return Err(ErrorKind::Num);
    }
    let d = gamma_distribution(alpha, beta)?;
    prob(if cumulative { d.cdf(x) } else { d.pdf(x) })
}

pub(super) fn gamma_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [p, alpha, beta] = floats::<3>(ctx, args)?;
    if !(0.0..1.0).contains(&p) {
        return Err(ErrorKind::Num);
    }
    // The shape is checked before p = 0 answers, so empty arguments
    // (alpha 0) are #NUM! as in Excel.
    let d = gamma_distribution(alpha, beta)?;
    if p == 0.0 {
        return Ok(CalcValue::number(0));
    }
    prob(d.inverse_cdf(p))
}

/// GAUSS(z): the probability that a standard normal value lies between
/// the mean and z standard deviations from it, Φ(z) - 0.5, from the
/// error function directly so small z keep their digits.
pub(super) fn gauss_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |z| {
        Ok(0.5 * crate::formula::functions::util::erf(z / std::f64::consts::SQRT_2))
    })
}

/// The beta distribution's arguments after x (or p): alpha, beta and the
/// optional bounds A (default 0) and B (default 1); `first_bound` is the
/// index of A.
fn beta_shape(
    ctx: &mut CallContext,
    args: &[Expr],
    first_bound: usize,
) -> Result<(f64, f64, f64, f64), ErrorKind> {
    let alpha = ctx.float(&args[1])?;
    let beta = ctx.float(&args[2])?;
    let lower = ctx.opt_float(args, first_bound, 0.0)?;
    let upper = ctx.opt_float(args, first_bound + 1, 1.0)?;
    if alpha <= 0.0 || beta <= 0.0 || lower >= upper {
        return Err(ErrorKind::Num);
    }
    Ok((alpha, beta, lower, upper))
}

/// The regularized incomplete beta function I_x(a, b), from statrs
/// (puruspe's `betai` was 2E-12 off at I_0.5(2, 3) = 0.6875).
fn beta_cdf(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else if x >= 1.0 {
        1.0
    } else {
        statrs::function::beta::beta_reg(a, b, x)
    }
}

/// The beta density on [0, 1].
fn beta_pdf(x: f64, a: f64, b: f64) -> f64 {
    let ln_beta = ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b);
    ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta).exp()
}

/// BETA.DIST on x scaled to [0, 1] between the bounds.
fn beta_dist(x: f64, shape: (f64, f64, f64, f64), cumulative: bool) -> EvalResult {
    let (a, b, lower, upper) = shape;
    if x < lower || x > upper {
        return Err(ErrorKind::Num);
    }
    let z = (x - lower) / (upper - lower);
    prob(if cumulative {
        beta_cdf(z, a, b)
    } else {
        beta_pdf(z, a, b) / (upper - lower)
    })
}

/// BETA.DIST(x, alpha, beta, cumulative, [A], [B]).
pub(super) fn beta_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let x = ctx.float(&args[0])?;
    let cumulative = ctx.boolean(&args[3])?;
    let shape = beta_shape(ctx, args, 4)?;
    beta_dist(x, shape, cumulative)
}

/// BETADIST(x, alpha, beta, [A], [B]): the cumulative distribution.
pub(super) fn betadist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let x = ctx.float(&args[0])?;
    let shape = beta_shape(ctx, args, 3)?;
    beta_dist(x, shape, true)
}

/// BETA.INV(p, alpha, beta, [A], [B]) and BETAINV: the x whose
/// cumulative probability is p, for p in (0, 1].
pub(super) fn beta_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let p = ctx.float(&args[0])?;
    let (a, b, lower, upper) = beta_shape(ctx, args, 3)?;
    if p <= 0.0 || p > 1.0 {
        return Err(ErrorKind::Num);
    }
    if p == 1.0 {
        return prob(upper);
    }
    // puruspe's inverse stops near 1E-8; Newton on the exact CDF takes it
    // to the last digits, staying inside (0, 1).
    let mut z = puruspe::invbetai(p, a, b);
    for _ in 0..8 {
        let density = beta_pdf(z, a, b);
        if !(density.is_finite() && density > 0.0) {
            break;
        }
        let step = (beta_cdf(z, a, b) - p) / density;
        let next = (z - step).clamp(z / 2.0, z + (1.0 - z) / 2.0);
        if next == z {
            break;
        }
        z = next;
    }
    prob(lower + z * (upper - lower))
}

#[cfg(test)]
mod tests {

    use crate::formula::testing::{assert_formula_close, eval_str};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn documented_distribution_examples() {
        assert_formula_close("=NORM.DIST(42,40,1.5,TRUE)", 0.908_788_8, 1e-6);
        assert_formula_close("=NORM.DIST(42,40,1.5,FALSE)", 0.109_340_05, 1e-6);
        assert_formula_close("=NORM.S.DIST(1.333333,TRUE)", 0.908_788_726, 1e-6);
        assert_formula_close("=NORM.INV(0.908789,40,1.5)", 42.000_002, 1e-6);
        assert_formula_close("=NORM.S.INV(0.908789)", 1.333_334_6, 1e-6);
        assert_formula_close("=LOGNORM.DIST(4,3.5,1.2,TRUE)", 0.039_083_6, 1e-6);
        assert_formula_close("=LOGNORM.INV(0.039084,3.5,1.2)", 4.000_025_2, 1e-6);
        assert_formula_close("=CONFIDENCE.NORM(0.05,2.5,50)", 0.692_951_912, 1e-6);
        assert_formula_close("=CONFIDENCE.T(0.05,1,50)", 0.284_196_855, 1e-6);
        assert_formula_close("=T.DIST(60,1,TRUE)", 0.994_695_33, 1e-6);
        assert_formula_close("=T.DIST.2T(1.959999998,60)", 0.054_644_93, 1e-6);
        assert_formula_close("=T.DIST.RT(1.959999998,60)", 0.027_322_465, 1e-6);
        assert_formula_close("=T.INV(0.75,2)", 0.816_496_6, 1e-6);
        assert_formula_close("=T.INV.2T(0.546449,60)", 0.606_533, 1e-6);
        assert_formula_close("=CHISQ.DIST(0.5,1,TRUE)", 0.520_499_88, 1e-6);
        assert_formula_close("=CHISQ.DIST.RT(18.307,10)", 0.050_000_6, 1e-6);
        assert_formula_close("=CHISQ.INV(0.93,1)", 3.283_020_287, 1e-6);
        assert_formula_close("=CHISQ.INV.RT(0.050001,10)", 18.306_973_46, 1e-6);
        assert_formula_close("=F.DIST(15.2069,6,4,TRUE)", 0.99, 1e-6);
        assert_formula_close("=F.DIST.RT(15.2069,6,4)", 0.01, 1e-6);
        assert_formula_close("=F.INV(0.01,6,4)", 0.109_309_91, 1e-6);
        assert_formula_close("=F.INV.RT(0.01,6,4)", 15.206_86, 1e-6);
        assert_formula_close("=BINOM.DIST(6,10,0.5,FALSE)", 0.205_078_1, 1e-6);
        assert_formula_close("=NEGBINOM.DIST(10,5,0.25,TRUE)", 0.313_514_1, 1e-6);
        assert_formula_close("=GAMMA(2.5)", 1.329_340_4, 1e-6);
        assert_formula_close("=GAMMA.DIST(10.00001131,9,2,FALSE)", 0.032_639, 1e-6);
        assert_formula_close("=GAMMA.DIST(10.00001131,9,2,TRUE)", 0.068_094, 1e-6);
        assert_formula_close("=GAMMA.INV(0.068094,9,2)", 10.000_011_2, 1e-6);
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
        assert_eq!(eval_str("=GAMMA.INV(,,)"), Value::Error(ErrorKind::Num));
        assert_eq!(eval_str("=GAMMA.INV(0,,1)"), Value::Error(ErrorKind::Num));
        assert_eq!(
            eval_str("=GAMMA.INV(0,9,2)"),
            crate::formula::testing::num("0")
        );
    }

    #[test]
    fn beta_and_gauss() {
        // Microsoft's examples.
        assert_formula_close("=BETA.DIST(2,8,10,TRUE,1,3)", 0.685_470_581, 1e-9);
        assert_formula_close("=BETA.DIST(2,8,10,FALSE,1,3)", 1.483_764_648, 1e-9);
        assert_formula_close("=BETADIST(2,8,10,1,3)", 0.685_470_581, 1e-9);
        assert_formula_close("=BETA.INV(0.685470581,8,10,1,3)", 2.0, 1e-9);
        assert_formula_close("=BETAINV(0.685470581,8,10,1,3)", 2.0, 1e-9);
        assert_formula_close("=GAUSS(2)", 0.477_249_868_051_821, 1e-15);
        assert_formula_close("=GAUSS(1E-8)", 3.989_422_804_014_33e-9, 1e-22);
        // Defaults: the standard interval [0, 1].
        assert_formula_close("=BETA.DIST(0.5,2,3,TRUE)", 0.6875, 1e-14);
        assert_formula_close("=BETA.INV(0.6875,2,3)", 0.5, 1e-14);
        assert_formula_close("=BETA.INV(1,2,3,5,7)", 7.0, 1e-14);
        for bad in [
            "=BETA.DIST(0.5,0,3,TRUE)",
            "=BETA.DIST(4,2,3,TRUE,1,3)",
            "=BETA.DIST(0.5,2,3,TRUE,1,1)",
            "=BETA.INV(0,2,3)",
            "=BETA.INV(1.1,2,3)",
            "=BETAINV(0.5,2,-1)",
        ] {
            assert_eq!(eval_str(bad), Value::Error(ErrorKind::Num), "{bad}");
        }
        assert_eq!(eval_str("=GAUSS(\"x\")"), Value::Error(ErrorKind::Value));
    }

    #[test]
    fn normal_tails_carry_fifteen_digits() {
        // Excel's results to 15 digits; statrs's erf missed the 11th.
        assert_formula_close("=NORM.S.DIST(1,TRUE)", 0.841_344_746_068_543, 1e-15);
        assert_formula_close("=NORMSDIST(-1.5)", 0.066_807_201_268_858_1, 1e-16);
        assert_formula_close("=NORM.DIST(42,40,1.5,TRUE)", 0.908_788_780_274_132, 1e-15);
        assert_formula_close("=NORM.S.DIST(3,TRUE)", 0.998_650_101_968_370, 1e-15);
        assert_formula_close("=NORM.S.DIST(-8,TRUE)", 6.220_960_574_271_78e-16, 1e-28);
        assert_formula_close(
            "=LOGNORM.DIST(4,3.5,1.2,TRUE)",
            0.039_083_555_706_800_5,
            1e-16,
        );
        assert_formula_close(
            "=LOGNORM.DIST(4,3.5,1.2,FALSE)",
            0.017_617_596_681_819_2,
            1e-16,
        );
        assert_formula_close("=LOGNORMDIST(4,3.5,1.2)", 0.039_083_555_706_800_5, 1e-16);
        assert_formula_close("=NORM.S.INV(0.01)", -2.326_347_874_040_84, 1e-14);
        assert_formula_close(
            "=LOGNORM.INV(0.039084,3.5,1.2)",
            4.000_025_218_680_64,
            1e-14,
        );
    }

    #[test]
    fn huge_degrees_of_freedom_use_the_normal_limit() {
        // The normal quantile of 1E-15 is -7.941345326170997.
        assert_formula_close("=T.INV(1E-15,1E300)", -7.941_345_326, 1e-8);
        assert_formula_close("=T.INV(0.975,2E6)", 1.959_965_3, 1e-6);
        assert_formula_close("=T.INV.2T(0.05,1E12)", 1.959_963_985, 1e-8);
        // alpha 0.5: z(0.75) = 0.6744897501960817, over sqrt(1E15).
        assert_formula_close("=CONFIDENCE.T(0.5,0.5,1E15)*1E15^0.5", 0.337_244_875, 1e-8);
        // Phi(1) and its two-tailed complement.
        assert_formula_close("=T.DIST(1,1E300,TRUE)", 0.841_344_746, 1e-8);
        assert_formula_close("=T.DIST.2T(1,1E15)", 0.317_310_508, 1e-8);
        assert_formula_close("=T.DIST(0,1E15,FALSE)", 0.398_942_280, 1e-8);
    }
}
