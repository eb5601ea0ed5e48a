//! Argument and result plumbing the distribution and descriptive topics
//! share, kept here so no topic imports from a sibling topic.

use crate::formula::functions::util::{erf, erfc};
use crate::formula::functions::*;
use std::f64::consts::{PI, SQRT_2};

/// The numeric pairs of two arrays of the same size (pairs where either
/// side is not a number are skipped); different sizes are `#N/A`.
pub(super) fn paired_numbers(
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

/// A one-argument float function of this category, lifted over arrays.
pub(super) fn float_stat(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(f64) -> Result<f64, ErrorKind>,
) -> EvalResult {
    ctx.map_value(&args[0], |v| {
        let r = f(to_number(v)?.to_f64())?;
        Ok(crate::formula::calc::float_value(r))
    })
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

/// Float arguments `0..n` of a distribution function.
pub(super) fn floats<const N: usize>(
    ctx: &mut CallContext,
    args: &[Expr],
) -> Result<[f64; N], ErrorKind> {
    let mut out = [0.0; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = ctx.float(&args[i])?;
    }
    Ok(out)
}

/// A finite float result, `#NUM!` otherwise.
pub(super) fn prob(r: f64) -> EvalResult {
    if r.is_finite() {
        Ok(CalcValue::float(r))
    } else {
        Err(ErrorKind::Num)
    }
}

/// A probability strictly inside (0, 1), as the inverse functions need.
pub(super) fn open_unit(p: f64) -> Result<f64, ErrorKind> {
    if p > 0.0 && p < 1.0 {
        Ok(p)
    } else {
        Err(ErrorKind::Num)
    }
}

/// The normal distribution with Excel's parameters. Its tails come from
/// the error function every category shares ([`erfc`]), not from statrs,
/// whose `erf` is off by about 1E-11 (NORM.S.DIST(1,TRUE) gave
/// 0.841344746054943 where Excel gives 0.841344746068543).
#[derive(Debug, Clone, Copy)]
pub(super) struct Gaussian {
    mean: f64,
    sd: f64,
}

impl Gaussian {
    /// The standard normal distribution.
    pub(super) const STANDARD: Gaussian = Gaussian { mean: 0.0, sd: 1.0 };

    /// Mean and standard deviation; a deviation that is not positive is
    /// `#NUM!`, as in Excel.
    pub(super) fn new(mean: f64, sd: f64) -> Result<Gaussian, ErrorKind> {
        if sd > 0.0 && sd.is_finite() && mean.is_finite() {
            Ok(Gaussian { mean, sd })
        } else {
            Err(ErrorKind::Num)
        }
    }

    fn standardized(&self, x: f64) -> f64 {
        (x - self.mean) / (self.sd * SQRT_2)
    }

    /// P(X <= x).
    pub(super) fn cdf(&self, x: f64) -> f64 {
        let z = self.standardized(x);
        // erf near the centre, erfc in the tails, each where it keeps
        // its digits.
        if z.abs() < 0.5 {
            0.5 + 0.5 * erf(z)
        } else {
            0.5 * erfc(-z)
        }
    }

    /// P(X > x).
    pub(super) fn sf(&self, x: f64) -> f64 {
        let z = self.standardized(x);
        if z.abs() < 0.5 {
            0.5 - 0.5 * erf(z)
        } else {
            0.5 * erfc(z)
        }
    }

    /// The density at x.
    pub(super) fn pdf(&self, x: f64) -> f64 {
        let z = (x - self.mean) / self.sd;
        (-0.5 * z * z).exp() / (self.sd * (2.0 * PI).sqrt())
    }

    /// The `p` quantile, for p in (0, 1), from statrs's inverse erfc:
    /// it agrees with Excel to the last digits, where puruspe's loses
    /// relative accuracy near p = 0.5 (LOGNORM.INV(0.499999999999157,
    /// 3.5, 1E12) came out 4.00007 against Excel's 3.99977).
    pub(super) fn inverse_cdf(&self, p: f64) -> f64 {
        self.mean - self.sd * SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p)
    }
}
