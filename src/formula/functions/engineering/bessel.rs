//! BESSELI, BESSELJ, BESSELK and BESSELY: Bessel functions of integer
//! order. The values come from `puruspe` (rational approximations for
//! orders 0 and 1, recurrences above); this room applies Excel's
//! argument rules: the order is truncated and must not be negative,
//! K and Y need x > 0, booleans and text that is no number are
//! `#VALUE!`.

use super::atp_float;
use crate::formula::functions::*;
use statrs::function::gamma::ln_gamma;

/// The highest order computed: the recurrences take time in proportion
/// to the order, so a larger one is answered only where the value is
/// known to underflow to 0.
const MAX_ORDER: f64 = 100_000.0;

/// Which of the four functions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    I,
    J,
    K,
    Y,
}

/// Whether |In(x)| and |Jn(x)| are certainly below the smallest double:
/// both are at most (|x|/2)^n / n! * exp(x²/(4(n+1))).
fn underflows(n: f64, x: f64) -> bool {
    if x == 0.0 {
        return true;
    }
    let log_bound = n * (x.abs() / 2.0).ln() - ln_gamma(n + 1.0) + x * x / (4.0 * (n + 1.0));
    log_bound < -746.0
}

fn bessel(ctx: &mut CallContext, args: &[Expr], kind: Kind) -> EvalResult {
    let x = atp_float(ctx, &args[0])?;
    let n = atp_float(ctx, &args[1])?.trunc();
    if n < 0.0 {
        return Err(ErrorKind::Num);
    }
    if matches!(kind, Kind::K | Kind::Y) && x <= 0.0 {
        return Err(ErrorKind::Num);
    }
    if n > MAX_ORDER {
        return match kind {
            Kind::I | Kind::J if underflows(n, x) => Ok(CalcValue::number(0)),
            _ => Err(ErrorKind::Num),
        };
    }
    if x == 0.0 {
        // The approximations are a rounding away from the exact values.
        return Ok(CalcValue::number((n == 0.0) as i64));
    }
    let order = n as u32;
    // In and Jn are even or odd with their order; computing at |x| and
    // applying the sign avoids puruspe's I1 at x <= -15 (it loses the
    // value to e^x instead of e^|x|).
    let odd = order % 2 == 1 && x < 0.0;
    let value = match kind {
        Kind::I => puruspe::In(order, x.abs()),
        Kind::J => puruspe::Jn(order, x.abs()),
        Kind::K => puruspe::Kn(order, x),
        Kind::Y => puruspe::Yn(order, x),
    };
    Ok(CalcValue::float(if odd { -value } else { value }))
}

pub(super) fn besseli_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    bessel(ctx, args, Kind::I)
}

pub(super) fn besselj_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    bessel(ctx, args, Kind::J)
}

pub(super) fn besselk_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    bessel(ctx, args, Kind::K)
}

pub(super) fn bessely_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    bessel(ctx, args, Kind::Y)
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{assert_formula_close, err, eval_str, num};
    use crate::model::ErrorKind;

    #[test]
    fn microsofts_examples() {
        assert_formula_close("=BESSELI(1.5,1)", 0.981666428, 1e-8);
        assert_formula_close("=BESSELJ(1.9,2)", 0.329925728, 1e-8);
        assert_formula_close("=BESSELK(1.5,1)", 0.277387804, 1e-8);
        assert_formula_close("=BESSELY(2.5,1)", 0.145918138, 1e-8);
    }

    #[test]
    fn the_order_is_truncated_and_x_may_be_negative_for_i_and_j() {
        // Excel's own values, good to about 8 digits.
        assert_formula_close("=BESSELJ(1,1.999)", 0.440050586, 1e-8);
        assert_formula_close("=BESSELI(-1,1)", -0.565159098, 1e-8);
        assert_formula_close("=BESSELI(-1,2)", 0.135747667, 1e-8);
        assert_formula_close("=BESSELJ(-1,3)", -0.019563354, 1e-8);
        assert_formula_close("=BESSELK(1,2)", 1.624838884, 1e-8);
        assert_formula_close("=BESSELY(1,2)", -1.650682613, 1e-8);
        assert_formula_close("=BESSELI(2,30)", 3.89352e-33, 1e-38);
        assert_formula_close("=BESSELK(2,30)", 4.27113e30, 1e-5);
        assert_formula_close("=BESSELJ(32,10)", -0.028941016, 1e-8);
        // Excel gives -5502845662755.76, 3E-8 from the series' value.
        assert_formula_close("=BESSELI(-32,1)", -5_502_845_511_211.248, 1e-12);
        assert_formula_close("=BESSELJ(-32,1)", 0.026589028, 1e-8);
        assert_formula_close("=BESSELY(32,10)", -0.141777481, 1e-8);
    }

    #[test]
    fn values_at_zero() {
        assert_eq!(eval_str("=BESSELI(0,0)"), num("1"));
        assert_eq!(eval_str("=BESSELI(0,3)"), num("0"));
        assert_eq!(eval_str("=BESSELJ(0,1)"), num("0"));
        assert_eq!(eval_str("=BESSELK(0,1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BESSELY(0,0)"), err(ErrorKind::Num));
    }

    #[test]
    fn domain_errors() {
        assert_eq!(eval_str("=BESSELI(1,-1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BESSELJ(1,-1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BESSELK(-1,1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BESSELY(-2.4,0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BESSELJ(TRUE,1)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=BESSELK(1,\"a\")"), err(ErrorKind::Value));
        assert_eq!(eval_str("=BESSELY(1/0,1)"), err(ErrorKind::Div0));
    }

    #[test]
    fn huge_orders_are_answered_in_bounded_time() {
        assert_eq!(eval_str("=BESSELJ(3,1E9)"), num("0"));
        assert_eq!(eval_str("=BESSELI(3,1E15)"), num("0"));
        assert_eq!(eval_str("=BESSELK(3,1E9)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BESSELJ(1E9,1E9)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BESSELK(0.001,200000)"), err(ErrorKind::Num));
    }
}
