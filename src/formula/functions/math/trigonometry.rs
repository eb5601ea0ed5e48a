//! Trigonometric and hyperbolic functions and their reciprocals, with
//! Excel's argument limit and domain errors.

use super::util::{binary, float1};
use crate::formula::functions::util::{float_result, NumResult};
use crate::formula::functions::*;

/// Excel refuses trigonometry on arguments of 2^27 and beyond.
const TRIG_LIMIT: f64 = 134_217_728.0;

fn trig(x: f64, f: fn(f64) -> f64) -> NumResult {
    if x.abs() >= TRIG_LIMIT {
        return Err(ErrorKind::Num);
    }
    float_result(f(x))
}

pub(super) fn degrees_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.to_degrees()))
}

pub(super) fn radians_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.to_radians()))
}

pub(super) fn sin_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| trig(x, f64::sin))
}

pub(super) fn cos_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| trig(x, f64::cos))
}

pub(super) fn tan_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| trig(x, f64::tan))
}

pub(super) fn asin_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x.abs() > 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(x.asin())
        }
    })
}

pub(super) fn acos_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x.abs() > 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(x.acos())
        }
    })
}

pub(super) fn atan_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.atan()))
}

pub(super) fn atan2_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    // Excel's order is (x, y), the reverse of most libraries.
    binary(ctx, args, None, |x, y| {
        let (x, y) = (x.to_f64(), y.to_f64());
        if x == 0.0 && y == 0.0 {
            return Err(ErrorKind::Div0);
        }
        float_result(y.atan2(x))
    })
}

pub(super) fn sinh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.sinh()))
}

pub(super) fn cosh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.cosh()))
}

pub(super) fn tanh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.tanh()))
}

pub(super) fn asinh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.asinh()))
}

pub(super) fn acosh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x < 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(x.acosh())
        }
    })
}

pub(super) fn atanh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x.abs() >= 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(x.atanh())
        }
    })
}

/// 1/f(x), `#DIV/0!` where f is zero.
fn reciprocal(x: f64, f: fn(f64) -> f64) -> NumResult {
    if x.abs() >= TRIG_LIMIT {
        return Err(ErrorKind::Num);
    }
    let d = f(x);
    if d == 0.0 {
        return Err(ErrorKind::Div0);
    }
    float_result(1.0 / d)
}

pub(super) fn cot_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| reciprocal(x, f64::tan))
}

/// 1/f(x) for the hyperbolic functions, which have no argument limit:
/// an infinite f(x) gives 0.
fn hyperbolic_reciprocal(x: f64, f: fn(f64) -> f64) -> NumResult {
    let d = f(x);
    if d == 0.0 {
        return Err(ErrorKind::Div0);
    }
    float_result(1.0 / d)
}

pub(super) fn coth_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| hyperbolic_reciprocal(x, f64::tanh))
}

pub(super) fn csc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| reciprocal(x, f64::sin))
}

pub(super) fn csch_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| hyperbolic_reciprocal(x, f64::sinh))
}

pub(super) fn sec_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| reciprocal(x, f64::cos))
}

pub(super) fn sech_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| hyperbolic_reciprocal(x, f64::cosh))
}

pub(super) fn acot_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        float_result(std::f64::consts::FRAC_PI_2 - x.atan())
    })
}

pub(super) fn acoth_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x.abs() <= 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(0.5 * ((x + 1.0) / (x - 1.0)).ln())
        }
    })
}
