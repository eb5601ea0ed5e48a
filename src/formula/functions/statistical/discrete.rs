//! Discrete distributions (binomial, negative binomial, hypergeometric,
//! Poisson), PROB and the counts of arrangements (PERMUT, PERMUTATIONA).

use super::util::{floats, ln_gamma, paired_numbers, prob};
use crate::formula::functions::util::{sum_of, trunc_int};
use crate::formula::functions::*;
use statrs::distribution::{Binomial, Discrete, DiscreteCDF, NegativeBinomial};

pub(super) fn permut_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn permutationa_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = trunc_int(ctx.number(&args[0])?);
    let k = trunc_int(ctx.number(&args[1])?);
    if n < Number::ZERO || k < Number::ZERO {
        return Err(ErrorKind::Num);
    }
    match crate::formula::operators::power(n, k) {
        Value::Number(r) if r.is_finite() => Ok(CalcValue::number(r)),
        Value::Number(_) => Err(ErrorKind::Num),
        // 0^0 counts one (empty) arrangement.
        Value::Error(ErrorKind::Num) if n.is_zero() && k.is_zero() => Ok(CalcValue::number(1)),
        Value::Error(e) => Err(e),
        _ => Err(ErrorKind::Value),
    }
}

pub(super) fn poisson_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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
    let r = if mean == 0.0 {
        // All the mass sits at 0, whatever x (1E300 included).
        if cumulative || x == 0.0 {
            1.0
        } else {
            0.0
        }
    } else if cumulative && x > 10_000.0 {
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

pub(super) fn binom_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn negbinom_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [f, s, p] = floats::<3>(ctx, args)?;
    let cumulative = ctx.boolean(&args[3])?;
    negbinom(f, s, p, cumulative)
}

/// NEGBINOMDIST(failures, successes, p): the probability mass only.
pub(super) fn negbinomdist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [f, s, p] = floats::<3>(ctx, args)?;
    negbinom(f, s, p, false)
}

/// Probability of `f` failures before the `s`-th success (or of at most
/// `f`, `cumulative`), counts truncated.
fn negbinom(f: f64, s: f64, p: f64, cumulative: bool) -> EvalResult {
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

pub(super) fn binom_dist_range_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn binom_inv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn hypgeom_dist_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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
    if !cumulative {
        return prob(hypergeometric_ln_pmf(s, n, big_k, big_n).exp());
    }
    prob(hypergeometric_cdf(s, n, big_k, big_n))
}

/// ln P(X = k) for the hypergeometric distribution (sample n, K
/// successes in a population of N), from log-gamma so populations of 1E8
/// neither overflow nor lose the answer (statrs's pmf gives NaN there).
fn hypergeometric_ln_pmf(k: f64, n: f64, big_k: f64, big_n: f64) -> f64 {
    let ln_choose = |a: f64, b: f64| ln_gamma(a + 1.0) - ln_gamma(b + 1.0) - ln_gamma(a - b + 1.0);
    ln_choose(big_k, k) + ln_choose(big_n - big_k, n - k) - ln_choose(big_n, n)
}

/// P(X <= s) for the hypergeometric distribution (sample n, K successes
/// in a population of N), summed outward from `s` until the terms no
/// longer count: only the few standard deviations around the mean cost
/// anything, so a population of 4E8 takes thousands of steps, not 1E8
/// (statrs sums every term from 0). Below the mode the terms shrink
/// downward from `s`; above it the upper tail shrinks upward and the CDF
/// is its complement.
fn hypergeometric_cdf(s: f64, n: f64, big_k: f64, big_n: f64) -> f64 {
    let ln_pmf = |k: f64| hypergeometric_ln_pmf(k, n, big_k, big_n);
    let low = (n - big_n + big_k).max(0.0);
    let high = n.min(big_k);
    // pmf(k + 1) / pmf(k).
    let up = |k: f64| (big_k - k) * (n - k) / ((k + 1.0) * (big_n - big_k - n + k + 1.0));
    let mode = ((n + 1.0) * (big_k + 1.0) / (big_n + 2.0)).floor();
    let small = |term: f64, sum: f64| term <= sum * 1e-17 || term == 0.0;
    if s < mode {
        let mut term = ln_pmf(s).exp();
        let mut sum = term;
        let mut k = s;
        while k > low {
            term /= up(k - 1.0);
            sum += term;
            k -= 1.0;
            if small(term, sum) {
                break;
            }
        }
        sum.min(1.0)
    } else {
        if s >= high {
            return 1.0;
        }
        let mut term = ln_pmf(s + 1.0).exp();
        let mut tail = term;
        let mut k = s + 1.0;
        while k < high {
            term *= up(k);
            tail += term;
            k += 1.0;
            if small(term, tail) {
                break;
            }
        }
        (1.0 - tail).max(0.0)
    }
}

pub(super) fn prob_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

#[cfg(test)]
mod tests {

    use crate::formula::testing::{assert_formula_close, eval_str, num};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn negbinomdist_is_the_mass() {
        // Microsoft's example: 10 failures before the 5th success at 0.25.
        assert_formula_close("=NEGBINOMDIST(10,5,0.25)", 0.055_048_660, 1e-9);
        assert_formula_close("=NEGBINOMDIST(10.9,5.9,0.25)", 0.055_048_660, 1e-9);
        assert_eq!(
            eval_str("=NEGBINOMDIST(-1,5,0.25)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(
            eval_str("=NEGBINOMDIST(10,5,1)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(
            eval_str("=NEGBINOMDIST(\"a\",5,0.5)"),
            Value::Error(ErrorKind::Value)
        );
    }

    #[test]
    fn binomial_ranges_and_inverse() {
        assert_formula_close("=BINOM.DIST.RANGE(60,0.75,48)", 0.083_974_967, 1e-8);
        assert_formula_close("=BINOM.DIST.RANGE(60,0.75,45,50)", 0.523_629_793, 1e-8);
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
        assert_formula_close("=Z.TEST({3,6,7,8,6,5,4,2,1,9},4)", 0.090_574, 1e-6);
        assert_formula_close("=SKEW.P({3,4,5,2,3,4,5,6,4,7})", 0.303_193_339, 1e-8);
        assert_eq!(
            eval_str("=BINOM.INV(10,1,0.8)"),
            Value::Error(ErrorKind::Num)
        );
        assert_formula_close("=HYPGEOM.DIST(1,4,8,20,TRUE)", 0.465_428_277, 1e-8);
        assert_formula_close("=HYPGEOM.DIST(1,4,8,20,FALSE)", 0.363_261_094, 1e-8);
    }

    #[test]
    fn huge_poisson_and_hypergeometric_arguments_end_quickly() {
        assert_eq!(eval_str("=POISSON.DIST(1E300,0,TRUE)"), num("1"));
        assert_eq!(eval_str("=POISSON.DIST(1E300,0,FALSE)"), num("0"));
        assert_eq!(eval_str("=POISSON.DIST(0,0,FALSE)"), num("1"));
        // Symmetric around its mean 1E8: just over one half.
        assert_formula_close("=HYPGEOM.DIST(1E8,2E8,2E8,4E8,TRUE)", 0.5, 1e-4);
        // The outward sums agree with summing every term exactly (above
        // and below the mode, 30).
        assert_formula_close(
            "=HYPGEOM.DIST(30,100,300,1000,TRUE)",
            0.550_563_394_944,
            1e-10,
        );
        assert_formula_close(
            "=HYPGEOM.DIST(24,100,300,1000,TRUE)",
            0.101_389_710_491,
            1e-10,
        );
        assert_formula_close("=HYPGEOM.DIST(4,4,8,20,TRUE)", 1.0, 1e-12);
        // About the normal density at the mean: 1/sqrt(2*pi*25000000*(2E8/(4E8-1))).
        assert_formula_close("=HYPGEOM.DIST(1E8,2E8,2E8,4E8,FALSE)", 7.978_8e-5, 1e-3);
    }
}
