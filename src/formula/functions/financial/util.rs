//! What every financial topic shares: reading Analysis ToolPak arguments,
//! turning float cores into values, the settlement-before-maturity rule,
//! and the rate solver behind RATE, IRR, XIRR and YIELD, so no topic
//! borrows from another. Day counts are in `formula/day_count.rs`.

use crate::formula::functions::util::atp_num;
use crate::formula::functions::*;

/// A float result as a calculated value.
pub(super) fn out(r: Result<f64, ErrorKind>) -> EvalResult {
    r.map(CalcValue::float)
}

/// Whether the optional payment-timing argument `i` says "beginning of
/// period" (any non-zero value).
pub(super) fn due_arg(ctx: &mut CallContext, args: &[Expr], i: usize) -> Result<bool, ErrorKind> {
    Ok(ctx.opt_float(args, i, 0.0)? != 0.0)
}

/// Defines an Analysis ToolPak function `$name` that reads its arguments
/// with [`atp_args`] (trailing optional ones taking `$defaults`) and
/// hands them, in order, to `$core`. Expanded in the topic files, which
/// are this file's siblings, so it names the helpers by `super::util`.
macro_rules! atp_function {
    ($name:ident, $core:ident, [$($arg:ident),+], $defaults:expr) => {
        atp_function!($name, $core, [$($arg),+], $defaults, dates = []);
    };
    ($name:ident, $core:ident, [$($arg:ident),+], $defaults:expr, dates = $dates:expr) => {
        pub(super) fn $name(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
            let [$($arg),+] = super::util::dated_args(ctx, args, $defaults, &$dates)?;
            super::util::out($core($($arg),+))
        }
    };
}
pub(super) use atp_function;

/// [`atp_args`], with the arguments at `dates` (numbers in the workbook's
/// date system) turned into the 1900-system serials the cores' calendar
/// uses.
pub(super) fn dated_args<const N: usize>(
    ctx: &mut CallContext,
    args: &[Expr],
    defaults: &[f64],
    dates: &[usize],
) -> Result<[f64; N], ErrorKind> {
    let mut v = atp_args(ctx, args, defaults)?;
    let system = ctx.date_system();
    for &i in dates {
        v[i] = system.serial_of(v[i]).ok_or(ErrorKind::Num)?;
    }
    Ok(v)
}

/// The arguments of an Analysis ToolPak function as floats (booleans are
/// `#VALUE!`); missing optional ones take `defaults`, aligned to the end.
fn atp_args<const N: usize>(
    ctx: &mut CallContext,
    args: &[Expr],
    defaults: &[f64],
) -> Result<[f64; N], ErrorKind> {
    let mut v = [0.0; N];
    let required = N - defaults.len();
    for (i, slot) in v.iter_mut().enumerate() {
        *slot = if i >= required && CallContext::is_missing(args, i) {
            defaults[i - required]
        } else {
            atp_num(&ctx.value(&args[i])?)?
        };
    }
    Ok(v)
}

/// Result of a financial core.
pub(super) type FinResult<T> = std::result::Result<T, ErrorKind>;

/// Whole settlement and maturity days, settlement strictly first, as
/// the securities and bond functions require.
pub(super) fn settle_mature(settlement: f64, maturity: f64) -> FinResult<(f64, f64)> {
    let (s, m) = (settlement.trunc(), maturity.trunc());
    if s < 0.0 || s >= m {
        return Err(ErrorKind::Num);
    }
    Ok((s, m))
}

/// Months between coupons for a frequency of 1, 2 or 4 payments a year.
pub(super) fn coupon_months(frequency: f64) -> FinResult<i32> {
    let f = frequency.trunc();
    if f == 1.0 || f == 2.0 || f == 4.0 {
        Ok(12 / f as i32)
    } else {
        Err(ErrorKind::Num)
    }
}

/// A finite result, or `#NUM!` for overflow and NaN.
pub(super) fn finite(x: f64) -> FinResult<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(ErrorKind::Num)
    }
}

/// Finds a root of `f` (value and slope) above -1: Newton from the guess,
/// then bisection over a bracket found by scanning outwards.
pub(super) fn solve_rate(f: &dyn Fn(f64) -> (f64, f64), guess: f64) -> FinResult<f64> {
    let newton = |start: f64| -> Option<f64> {
        let mut r = start;
        for _ in 0..100 {
            let (value, slope) = f(r);
            if !value.is_finite() || !slope.is_finite() || slope == 0.0 {
                return None;
            }
            let next = r - value / slope;
            if !next.is_finite() || next <= -1.0 {
                return None;
            }
            if (next - r).abs() <= 1e-12 * next.abs().max(1.0) {
                return Some(next);
            }
            r = next;
        }
        None
    };
    if let Some(r) = newton(guess) {
        return Ok(r);
    }
    // Scan for a sign change, then bisect it.
    let grid: Vec<f64> = {
        let mut g = vec![
            -0.999_999, -0.99, -0.9, -0.75, -0.5, -0.25, -0.1, 0.0, 0.05, 0.1,
        ];
        let mut x = 0.25;
        while x < 1e6 {
            g.push(x);
            x *= 2.0;
        }
        g
    };
    for pair in grid.windows(2) {
        let (mut lo, mut hi) = (pair[0], pair[1]);
        let (flo, fhi) = (f(lo).0, f(hi).0);
        if !(flo.is_finite() && fhi.is_finite()) || flo.signum() == fhi.signum() {
            continue;
        }
        let rising = fhi > flo;
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            let fm = f(mid).0;
            if (fm > 0.0) == rising {
                hi = mid;
            } else {
                lo = mid;
            }
            if hi - lo <= 1e-15 * mid.abs().max(1.0) {
                break;
            }
        }
        let mid = 0.5 * (lo + hi);
        return Ok(newton(mid).unwrap_or(mid));
    }
    Err(ErrorKind::Num)
}
