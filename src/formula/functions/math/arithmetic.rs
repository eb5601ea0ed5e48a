//! Signs, remainders, powers, roots, logarithms and SERIESSUM: the
//! arithmetic beyond the operators, with Excel's domain errors.

use super::util::{binary, finite, float1, modulo, unary};
use crate::formula::functions::util::{float_result, sign_of, sqrt, trunc_int, NumResult};
use crate::formula::functions::*;

pub(super) fn abs_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(n.abs()))
}

pub(super) fn sign_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(sign(n)))
}

pub(super) fn mod_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, modulo)
}

pub(super) fn quotient_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, quotient)
}

pub(super) fn power_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(
        ctx,
        args,
        None,
        |x, y| match crate::formula::operators::power(x, y) {
            Value::Number(n) => Ok(n),
            Value::Error(k) => Err(k),
            _ => Err(ErrorKind::Value),
        },
    )
}

pub(super) fn sqrt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, sqrt)
}

pub(super) fn sqrtpi_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x < 0.0 {
            Err(ErrorKind::Num)
        } else {
            float_result((x * std::f64::consts::PI).sqrt())
        }
    })
}

pub(super) fn exp_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, exp)
}

pub(super) fn ln_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, ln)
}

pub(super) fn log_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, Some(Number::from_i64(10)), log)
}

pub(super) fn log10_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| log(n, Number::from_i64(10)))
}

pub(super) fn pi_fn(_ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    Ok(CalcValue::Value(Value::Number(Number::float(
        std::f64::consts::PI,
    ))))
}

pub(super) fn seriessum_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut nums = [Number::ZERO; 3];
    for (i, slot) in nums.iter_mut().enumerate() {
        *slot = match ctx.value(&args[i])? {
            // Booleans are refused here (an Analysis ToolPak function).
            Value::Bool(_) => return Err(ErrorKind::Value),
            v => to_number(&v)?,
        };
    }
    let [x, n, m] = nums;
    let coefficients = ctx.array(&args[3])?;
    let mut total = Number::ZERO;
    let mut power = n;
    for c in &coefficients.values {
        let c = match c {
            Value::Number(c) => *c,
            Value::Error(e) => return Err(*e),
            _ => return Err(ErrorKind::Value),
        };
        let term = match crate::formula::operators::power(x, power) {
            Value::Number(p) => p,
            Value::Error(e) => return Err(e),
            _ => return Err(ErrorKind::Value),
        };
        total = total + c * term;
        power = power + m;
    }
    Ok(CalcValue::number(finite(total)?))
}

/// QUOTIENT: the integer part of a division.
pub fn quotient(n: Number, d: Number) -> NumResult {
    let q = n.checked_div(d).ok_or(ErrorKind::Div0)?;
    Ok(trunc_int(q))
}

/// LN: #NUM! for non-positive numbers.
pub fn ln(n: Number) -> NumResult {
    if sign_of(n) <= 0 {
        return Err(ErrorKind::Num);
    }
    float_result(n.to_f64().ln())
}

/// LOG with a base (LOG10 is base 10); base 1 is #DIV/0!.
pub fn log(n: Number, base: Number) -> NumResult {
    if sign_of(n) <= 0 || sign_of(base) <= 0 {
        return Err(ErrorKind::Num);
    }
    let b = base.to_f64();
    if b == 1.0 {
        return Err(ErrorKind::Div0);
    }
    let x = n.to_f64();
    // log10 directly keeps LOG(1000) exactly 3.
    let r = if b == 10.0 {
        x.log10()
    } else if b == 2.0 {
        x.log2()
    } else {
        x.ln() / b.ln()
    };
    float_result(r)
}

/// EXP.
pub fn exp(n: Number) -> NumResult {
    float_result(n.to_f64().exp())
}

/// SIGN.
pub fn sign(n: Number) -> Number {
    Number::from_i64(sign_of(n) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::testing::{err, exact};

    use crate::formula::functions::util::{product_of, sum_of};
    use crate::formula::testing::{eval_str, num};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn mod_and_quotient() {
        assert_eq!(modulo(exact("3"), exact("2")), Ok(exact("1")));
        assert_eq!(modulo(exact("-3"), exact("2")), Ok(exact("1")));
        assert_eq!(modulo(exact("3"), exact("-2")), Ok(exact("-1")));
        assert_eq!(modulo(exact("-3"), exact("-2")), Ok(exact("-1")));
        assert_eq!(modulo(exact("5.5"), exact("0.2")), Ok(exact("0.1")));
        assert_eq!(modulo(exact("1"), Number::ZERO), Err(ErrorKind::Div0));
        assert_eq!(quotient(exact("5"), exact("2")), Ok(exact("2")));
        assert_eq!(quotient(exact("-10"), exact("3")), Ok(exact("-3")));
        assert_eq!(quotient(exact("1"), Number::ZERO), Err(ErrorKind::Div0));
    }

    #[test]
    fn powers_roots_logs() {
        assert_eq!(sqrt(exact("16")), Ok(exact("4")));
        assert_eq!(sqrt(exact("2.25")), Ok(exact("1.5")));
        assert_eq!(sqrt(exact("-16")), Err(ErrorKind::Num));
        assert!((sqrt(exact("2")).unwrap().to_f64() - std::f64::consts::SQRT_2).abs() < 1e-15);
        assert_eq!(log(exact("1000"), exact("10")), Ok(exact("3")));
        assert_eq!(log(exact("8"), exact("2")), Ok(exact("3")));
        assert_eq!(log(exact("8"), exact("1")), Err(ErrorKind::Div0));
        assert_eq!(ln(Number::ZERO), Err(ErrorKind::Num));
        assert_eq!(exp(Number::ZERO), Ok(exact("1")));
    }

    #[test]
    fn money_sums_are_exact() {
        assert_eq!(sum_of(&[exact("0.1"), exact("0.2")]), exact("0.3"));
        assert_eq!(product_of(&[exact("1.1"), exact("1.1")]), exact("1.21"));
        assert_eq!(sign(exact("-0.5")), exact("-1"));
    }

    #[test]
    fn arithmetic_functions() {
        assert_eq!(eval_str("=MOD(3,2)"), num("1"));
        assert_eq!(eval_str("=MOD(-3,2)"), num("1"));
        assert_eq!(eval_str("=MOD(3,-2)"), num("-1"));
        assert_eq!(eval_str("=MOD(3,0)"), err(ErrorKind::Div0));
        assert_eq!(eval_str("=QUOTIENT(-10,3)"), num("-3"));
        // A text that is a date is its serial (1-Jan-2020 is 43831).
        assert_eq!(eval_str("=QUOTIENT(\"1/1/2020\",2)"), num("21915"));
        assert_eq!(eval_str("=QUOTIENT(\"1-Jan-2020\",2)"), num("21915"));
        assert_eq!(eval_str("=QUOTIENT(\"2020-01-01 12:00\",2)"), num("21915"));
        assert_eq!(eval_str("=QUOTIENT(\"a\",2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=POWER(1.1,2)"), num("1.21"));
        assert_eq!(eval_str("=POWER(0,0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=SQRT(16)"), num("4"));
        assert_eq!(eval_str("=SQRT(-1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=LOG(8,2)"), num("3"));
        assert_eq!(eval_str("=LOG(100)"), num("2"));
        assert_eq!(eval_str("=LOG10(1000)"), num("3"));
        assert_eq!(eval_str("=LN(0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=EXP(0)"), num("1"));
        assert_eq!(eval_str("=ABS(-2.5)"), num("2.5"));
        assert_eq!(eval_str("=SIGN(-0.1)"), num("-1"));
        assert_eq!(eval_str("=FACT(5)"), num("120"));
        assert_eq!(eval_str("=FACTDOUBLE(7)"), num("105"));
        assert_eq!(eval_str("=GCD(24,36)"), num("12"));
        assert_eq!(eval_str("=LCM(24,36)"), num("72"));
        assert_eq!(eval_str("=GCD(TRUE,2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=COMBIN(8,2)"), num("28"));
        assert_eq!(eval_str("=COMBINA(4,3)"), num("20"));
        assert_eq!(eval_str("=MULTINOMIAL(2,3,4)"), num("1260"));
        assert_eq!(eval_str("=ROMAN(499)"), Value::Text("CDXCIX".into()));
        assert_eq!(eval_str("=ARABIC(\"MCMXII\")"), num("1912"));
        assert_eq!(
            eval_str("=ATAN2(1,1)").to_string(),
            (std::f64::consts::FRAC_PI_4).to_string()
        );
        assert_eq!(eval_str("=DEGREES(PI())"), num("180"));
    }
}
