//! Rounding to digits and to multiples (ROUND*, MROUND, CEILING*,
//! FLOOR*, INT, TRUNC, EVEN, ODD), exact on decimals like Excel's
//! displayed results.

use super::util::{binary, modulo, unary};
use crate::formula::functions::util::{
    ceil_int, floor_int, round, round_down, round_up, sign_of, NumResult,
};
use crate::formula::functions::*;

pub(super) fn round_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, d| Ok(round(n, digits_arg(d))))
}

pub(super) fn roundup_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, d| Ok(round_up(n, digits_arg(d))))
}

pub(super) fn rounddown_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, d| Ok(round_down(n, digits_arg(d))))
}

pub(super) fn trunc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, Some(Number::ZERO), |n, d| {
        Ok(round_down(n, digits_arg(d)))
    })
}

pub(super) fn mround_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    // An omitted argument is #N/A here (an Analysis ToolPak function).
    if args.iter().any(|a| matches!(a, Expr::Missing)) {
        return Err(ErrorKind::NA);
    }
    // Booleans are refused too, even from cells.
    for a in args {
        if matches!(ctx.scalar(a), Value::Bool(_)) {
            return Err(ErrorKind::Value);
        }
    }
    binary(ctx, args, None, mround)
}

pub(super) fn ceiling_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, ceiling)
}

pub(super) fn floor_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, floor)
}

/// CEILING.MATH / FLOOR.MATH: (number, [significance = 1], [mode = 0]).
fn math_rounding(
    ctx: &mut CallContext,
    args: &[Expr],
    f: fn(Number, Number, bool) -> NumResult,
) -> EvalResult {
    let mode = if CallContext::is_missing(args, 2) {
        false
    } else {
        !ctx.number(&args[2])?.is_zero()
    };
    binary(
        ctx,
        &args[..args.len().min(2)],
        Some(Number::ONE),
        move |n, s| f(n, s, mode),
    )
}

pub(super) fn ceiling_math_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    math_rounding(ctx, args, ceiling_math)
}

pub(super) fn floor_math_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    math_rounding(ctx, args, floor_math)
}

pub(super) fn ceiling_precise_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, Some(Number::ONE), ceiling_precise)
}

pub(super) fn floor_precise_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, Some(Number::ONE), floor_precise)
}

pub(super) fn int_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(floor_int(n)))
}

pub(super) fn even_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(even(n)))
}

pub(super) fn odd_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(odd(n)))
}

/// The digits argument of ROUND-like functions, truncated toward zero
/// and clamped to a range that cannot overflow.
pub fn digits_arg(n: Number) -> i32 {
    n.to_i64().unwrap_or(0).clamp(-400, 400) as i32
}

/// `n / m` rounded to an integer by `rounder`, times `m`: the common shape
/// of MROUND, CEILING and FLOOR. `m` is not zero.
fn to_multiple(n: Number, m: Number, rounder: fn(Number) -> Number) -> NumResult {
    let q = n.checked_div(m).ok_or(ErrorKind::Div0)?;
    let r = rounder(q) * m;
    if r.is_finite() {
        Ok(r)
    } else {
        Err(ErrorKind::Num)
    }
}

/// MROUND: nearest multiple, half away from zero; signs must agree.
pub fn mround(n: Number, multiple: Number) -> NumResult {
    if multiple.is_zero() || n.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) != sign_of(multiple) {
        return Err(ErrorKind::Num);
    }
    to_multiple(n, multiple, |q| q.round_half_away(0))
}

/// CEILING (the compatibility form): a positive number with a negative
/// significance is #NUM!; a zero significance gives 0.
pub fn ceiling(n: Number, significance: Number) -> NumResult {
    if n.is_zero() || significance.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) > 0 && sign_of(significance) < 0 {
        return Err(ErrorKind::Num);
    }
    to_multiple(n, significance, ceil_int)
}

/// FLOOR (the compatibility form): zero significance is #DIV/0!, a
/// positive number with a negative significance #NUM!.
pub fn floor(n: Number, significance: Number) -> NumResult {
    if significance.is_zero() {
        return if n.is_zero() {
            Ok(Number::ZERO)
        } else {
            Err(ErrorKind::Div0)
        };
    }
    if n.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) > 0 && sign_of(significance) < 0 {
        return Err(ErrorKind::Num);
    }
    to_multiple(n, significance, floor_int)
}

/// CEILING.MATH: the significance's sign is ignored; a non-zero `mode`
/// rounds negative numbers away from zero.
pub fn ceiling_math(n: Number, significance: Number, mode_nonzero: bool) -> NumResult {
    let s = significance.abs();
    if s.is_zero() || n.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) < 0 && mode_nonzero {
        to_multiple(n, s, floor_int)
    } else {
        to_multiple(n, s, ceil_int)
    }
}

/// FLOOR.MATH: the significance's sign is ignored; a non-zero `mode`
/// rounds negative numbers toward zero.
pub fn floor_math(n: Number, significance: Number, mode_nonzero: bool) -> NumResult {
    let s = significance.abs();
    if s.is_zero() || n.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) < 0 && mode_nonzero {
        to_multiple(n, s, ceil_int)
    } else {
        to_multiple(n, s, floor_int)
    }
}

/// CEILING.PRECISE and ISO.CEILING: toward positive infinity, the
/// significance's sign ignored.
pub fn ceiling_precise(n: Number, significance: Number) -> NumResult {
    ceiling_math(n, significance, false)
}

/// FLOOR.PRECISE: toward negative infinity, the significance's sign ignored.
pub fn floor_precise(n: Number, significance: Number) -> NumResult {
    floor_math(n, significance, false)
}

/// EVEN: away from zero to the next even integer.
pub fn even(n: Number) -> Number {
    let a = ceil_int(n.abs());
    let a = if modulo(a, Number::from_i64(2)) == Ok(Number::ZERO) {
        a
    } else {
        a + Number::ONE
    };
    if sign_of(n) < 0 {
        -a
    } else {
        a
    }
}

/// ODD: away from zero to the next odd integer (ODD(0) is 1).
pub fn odd(n: Number) -> Number {
    let a = ceil_int(n.abs());
    let a = if modulo(a, Number::from_i64(2)) == Ok(Number::ONE) {
        a
    } else {
        a + Number::ONE
    };
    if sign_of(n) < 0 {
        -a
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::testing::{err, exact};
    use crate::formula::testing::{eval_calc, eval_str, num};
    use crate::model::ErrorKind;

    #[test]
    fn rounding_family() {
        assert_eq!(round(exact("2.5"), 0), exact("3"));
        assert_eq!(round(exact("-2.5"), 0), exact("-3"));
        assert_eq!(round(exact("1.005"), 2), exact("1.01"));
        assert_eq!(round(exact("-1.475"), 2), exact("-1.48"));
        assert_eq!(round(exact("1234567.7"), -3), exact("1235000"));
        assert_eq!(round_up(exact("3.2"), 0), exact("4"));
        assert_eq!(round_up(exact("-3.14159"), 1), exact("-3.2"));
        assert_eq!(round_up(exact("31415.92654"), -2), exact("31500"));
        assert_eq!(round_down(exact("3.14159"), 3), exact("3.141"));
        assert_eq!(round_down(exact("-3.14159"), 1), exact("-3.1"));
        assert_eq!(round_down(exact("31415.92654"), -2), exact("31400"));
        assert_eq!(round(exact("123"), -30), Number::ZERO);
        assert_eq!(round(exact("0.0001"), 400), exact("0.0001"));
    }

    #[test]
    fn mround_ceiling_floor() {
        assert_eq!(mround(exact("10"), exact("3")), Ok(exact("9")));
        assert_eq!(mround(exact("-10"), exact("-3")), Ok(exact("-9")));
        assert_eq!(mround(exact("1.3"), exact("0.2")), Ok(exact("1.4")));
        assert_eq!(mround(exact("5"), exact("-2")), Err(ErrorKind::Num));
        assert_eq!(mround(exact("7.5"), exact("5")), Ok(exact("10")));
        assert_eq!(ceiling(exact("2.5"), exact("1")), Ok(exact("3")));
        assert_eq!(ceiling(exact("-2.5"), exact("-2")), Ok(exact("-4")));
        assert_eq!(ceiling(exact("-2.5"), exact("2")), Ok(exact("-2")));
        assert_eq!(ceiling(exact("1.5"), exact("0.1")), Ok(exact("1.5")));
        assert_eq!(ceiling(exact("0.234"), exact("0.01")), Ok(exact("0.24")));
        assert_eq!(ceiling(exact("1.5"), exact("-1")), Err(ErrorKind::Num));
        assert_eq!(floor(exact("3.7"), exact("2")), Ok(exact("2")));
        assert_eq!(floor(exact("-2.5"), exact("-2")), Ok(exact("-2")));
        assert_eq!(floor(exact("-2.5"), exact("2")), Ok(exact("-4")));
        assert_eq!(floor(exact("2.5"), exact("-2")), Err(ErrorKind::Num));
        assert_eq!(floor(exact("1.58"), exact("0.1")), Ok(exact("1.5")));
        assert_eq!(floor(exact("5"), Number::ZERO), Err(ErrorKind::Div0));
        assert_eq!(
            ceiling_math(exact("24.3"), exact("5"), false),
            Ok(exact("25"))
        );
        assert_eq!(
            ceiling_math(exact("-8.1"), exact("2"), false),
            Ok(exact("-8"))
        );
        assert_eq!(
            ceiling_math(exact("-5.5"), exact("2"), true),
            Ok(exact("-6"))
        );
        assert_eq!(
            floor_math(exact("24.3"), exact("5"), false),
            Ok(exact("20"))
        );
        assert_eq!(
            floor_math(exact("-8.1"), exact("2"), false),
            Ok(exact("-10"))
        );
        assert_eq!(floor_math(exact("-5.5"), exact("2"), true), Ok(exact("-4")));
        assert_eq!(ceiling_precise(exact("-4.3"), exact("-2")), Ok(exact("-4")));
        assert_eq!(floor_precise(exact("-3.2"), exact("-1")), Ok(exact("-4")));
    }

    #[test]
    fn rounding_matches_excel() {
        assert_eq!(eval_str("=ROUND(2.5,0)"), num("3"));
        assert_eq!(eval_str("=ROUND(-2.5,0)"), num("-3"));
        assert_eq!(eval_str("=ROUND(1.005,2)"), num("1.01"));
        assert_eq!(eval_str("=ROUND(21.5,-1)"), num("20"));
        assert_eq!(eval_str("=ROUNDUP(3.2,0)"), num("4"));
        assert_eq!(eval_str("=ROUNDDOWN(-3.14159,1)"), num("-3.1"));
        assert_eq!(eval_str("=MROUND(10,3)"), num("9"));
        assert_eq!(eval_str("=MROUND(5,-2)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=CEILING(2.5,1)"), num("3"));
        assert_eq!(eval_str("=CEILING(4.42,0.05)"), num("4.45"));
        assert_eq!(eval_str("=FLOOR(-2.5,-2)"), num("-2"));
        assert_eq!(eval_str("=FLOOR(3.7,0)"), err(ErrorKind::Div0));
        assert_eq!(eval_str("=CEILING.MATH(-5.5,2,-1)"), num("-6"));
        assert_eq!(eval_str("=FLOOR.MATH(-5.5,2,-1)"), num("-4"));
        assert_eq!(eval_str("=CEILING.PRECISE(-4.3,-2)"), num("-4"));
        assert_eq!(eval_str("=FLOOR.PRECISE(3.2)"), num("3"));
        assert_eq!(eval_str("=INT(-8.9)"), num("-9"));
        assert_eq!(eval_str("=TRUNC(-8.9)"), num("-8"));
        assert_eq!(eval_str("=TRUNC(8.987,2)"), num("8.98"));
        assert_eq!(eval_str("=EVEN(-1)"), num("-2"));
        assert_eq!(eval_str("=ODD(1.5)"), num("3"));
        match eval_calc("=ROUND({1.25,2.35},1)") {
            crate::formula::calc::CalcValue::Array(a) => {
                assert_eq!(a.values, vec![num("1.3"), num("2.4")]);
            }
            other => panic!("expected an array, got {other:?}"),
        }
    }
}
