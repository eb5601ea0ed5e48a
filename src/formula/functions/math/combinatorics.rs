//! Integer functions: factorials, GCD/LCM, COMBIN(A) and MULTINOMIAL,
//! guarded so huge arguments answer quickly instead of looping.

use super::util::{binary, unary};
use crate::formula::functions::util::{round, sign_of, trunc_int, NumResult};
use crate::formula::functions::*;

pub(super) fn fact_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, fact)
}

pub(super) fn factdouble_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, fact_double)
}

pub(super) fn gcd_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nums = integer_args(ctx, args)?;
    Ok(CalcValue::number(gcd(&nums)?))
}

pub(super) fn lcm_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nums = integer_args(ctx, args)?;
    Ok(CalcValue::number(lcm(&nums)?))
}

/// Numbers of GCD/LCM/MULTINOMIAL, with the Analysis ToolPak's strict
/// rules: an omitted argument is `#N/A`, booleans anywhere are
/// `#VALUE!`, text anywhere must read as a number; an empty cell inside
/// a multi-cell range counts as 0 while an empty single-cell argument is
/// skipped, and finding no number at all is `#VALUE!`.
fn integer_args(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<Number>, ErrorKind> {
    if args.iter().any(|a| matches!(a, Expr::Missing)) {
        return Err(ErrorKind::NA);
    }
    let mut out = Vec::new();
    for a in args {
        let v = ctx.eval_array_mode(a);
        let is_block = match &v {
            CalcValue::Array(_) => true,
            CalcValue::Ref(area) => !area.is_cell(),
            CalcValue::Refs(_) => true,
            CalcValue::Value(_) => false,
            CalcValue::Lambda(_) => return Err(ErrorKind::Calc),
        };
        if is_block {
            for x in &ctx.to_array(v)?.values {
                out.push(match x {
                    Value::Empty => Number::ZERO,
                    Value::Bool(_) => return Err(ErrorKind::Value),
                    x => to_number(x)?,
                });
            }
        } else {
            match ctx.to_scalar(v) {
                Value::Empty => {}
                Value::Bool(_) => return Err(ErrorKind::Value),
                x => out.push(to_number(&x)?),
            }
        }
    }
    if out.is_empty() {
        return Err(ErrorKind::Value);
    }
    Ok(out)
}

pub(super) fn combin_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, k| combin(trunc_int(n), trunc_int(k)))
}

pub(super) fn combina_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, k| {
        let (n, k) = (trunc_int(n), trunc_int(k));
        if n < Number::ZERO || k < Number::ZERO {
            return Err(ErrorKind::Num);
        }
        if n.is_zero() && k.is_zero() {
            return Ok(Number::ONE);
        }
        combin(n + k - Number::ONE, k)
    })
}

/// COMBIN: n choose k, exact while it fits a decimal.
pub fn combin(n: Number, k: Number) -> NumResult {
    if n < Number::ZERO || k < Number::ZERO || k > n {
        return Err(ErrorKind::Num);
    }
    let (n, k) = (
        n.to_i64().ok_or(ErrorKind::Num)?,
        k.to_i64().ok_or(ErrorKind::Num)?,
    );
    let k = k.min(n - k);
    // C(n, k) with n >= 2k exceeds the largest double once k passes ~515.
    if k > 1100 {
        return Err(ErrorKind::Num);
    }
    let mut acc = Number::ONE;
    for i in 0..k {
        // Multiplying before dividing keeps every step an integer.
        acc = (acc * Number::from_i64(n - i))
            .checked_div(Number::from_i64(i + 1))
            .ok_or(ErrorKind::Num)?;
    }
    if acc.is_finite() {
        Ok(round(acc, 0))
    } else {
        Err(ErrorKind::Num)
    }
}

pub(super) fn multinomial_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nums = integer_args(ctx, args)?;
    let mut total = Number::ZERO;
    let mut acc = Number::ONE;
    for n in nums {
        let n = trunc_int(n);
        if n < Number::ZERO {
            return Err(ErrorKind::Num);
        }
        total = total + n;
        acc = acc * combin(total, n)?;
    }
    Ok(CalcValue::number(acc))
}

/// FACT: exact while it fits a decimal; #NUM! for negatives and beyond 170.
pub fn fact(n: Number) -> NumResult {
    if sign_of(n) < 0 {
        return Err(ErrorKind::Num);
    }
    let k = n.to_i64().ok_or(ErrorKind::Num)?;
    if k > 170 {
        return Err(ErrorKind::Num);
    }
    let mut acc = Number::ONE;
    for i in 2..=k {
        acc = acc * Number::from_i64(i);
    }
    Ok(acc)
}

/// FACTDOUBLE: n!! (product of every other integer down to 1 or 2).
pub fn fact_double(n: Number) -> NumResult {
    if sign_of(n) < 0 {
        return Err(ErrorKind::Num);
    }
    let k = n.to_i64().ok_or(ErrorKind::Num)?;
    if k > 300 {
        return Err(ErrorKind::Num);
    }
    let mut acc = Number::ONE;
    let mut i = k;
    while i > 1 {
        acc = acc * Number::from_i64(i);
        i -= 2;
    }
    Ok(acc)
}

/// Integer arguments of GCD/LCM: truncated, non-negative, below 2^53.
fn gcd_arg(n: Number) -> Result<u64, ErrorKind> {
    // The sign is checked before truncation: GCD(-0.5) is #NUM!.
    if n < Number::ZERO {
        return Err(ErrorKind::Num);
    }
    let t = trunc_int(n).to_f64();
    if !(0.0..9_007_199_254_740_992.0).contains(&t) {
        return Err(ErrorKind::Num);
    }
    Ok(t as u64)
}

fn gcd2(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// GCD of all arguments.
pub fn gcd(values: &[Number]) -> NumResult {
    let mut acc = 0u64;
    for v in values {
        acc = gcd2(acc, gcd_arg(*v)?);
    }
    Ok(Number::from(acc as i64))
}

/// LCM of all arguments (0 when any is 0).
pub fn lcm(values: &[Number]) -> NumResult {
    let mut acc = Number::ONE;
    for v in values {
        let x = gcd_arg(*v)?;
        if x == 0 {
            return Ok(Number::ZERO);
        }
        let a = acc.to_i64().ok_or(ErrorKind::Num)? as u64;
        let g = gcd2(a, x);
        acc = Number::from((a / g) as i64) * Number::from(x as i64);
        if acc.to_f64() >= 9_007_199_254_740_992.0 {
            return Err(ErrorKind::Num);
        }
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::testing::exact;

    use super::super::rounding::{even, odd};
    use crate::formula::testing::eval_str;
    use crate::model::{ErrorKind, Value};

    #[test]
    fn even_odd_fact_gcd_lcm() {
        assert_eq!(even(exact("1.5")), exact("2"));
        assert_eq!(even(exact("3")), exact("4"));
        assert_eq!(even(exact("2")), exact("2"));
        assert_eq!(even(exact("-1")), exact("-2"));
        assert_eq!(even(Number::ZERO), Number::ZERO);
        assert_eq!(odd(exact("1.5")), exact("3"));
        assert_eq!(odd(exact("3")), exact("3"));
        assert_eq!(odd(exact("2")), exact("3"));
        assert_eq!(odd(exact("-1")), exact("-1"));
        assert_eq!(odd(exact("-2")), exact("-3"));
        assert_eq!(odd(Number::ZERO), exact("1"));
        assert_eq!(fact(exact("5")), Ok(exact("120")));
        assert_eq!(fact(exact("1.9")), Ok(exact("1")));
        assert_eq!(fact(exact("-1")), Err(ErrorKind::Num));
        assert!(fact(exact("170")).is_ok());
        assert_eq!(fact(exact("171")), Err(ErrorKind::Num));
        assert_eq!(fact_double(exact("7")), Ok(exact("105")));
        assert_eq!(fact_double(exact("6")), Ok(exact("48")));
        assert_eq!(gcd(&[exact("5"), exact("2")]), Ok(exact("1")));
        assert_eq!(gcd(&[exact("24"), exact("36")]), Ok(exact("12")));
        assert_eq!(
            gcd(&[exact("4.8"), exact("8.4"), exact("12")]),
            Ok(exact("4"))
        );
        assert_eq!(gcd(&[exact("-1")]), Err(ErrorKind::Num));
        assert_eq!(lcm(&[exact("24"), exact("36")]), Ok(exact("72")));
        assert_eq!(lcm(&[exact("7.5"), exact("4.5")]), Ok(exact("28")));
        assert_eq!(lcm(&[exact("3"), Number::ZERO]), Ok(Number::ZERO));
    }

    #[test]
    fn huge_arguments_answer_quickly() {
        assert_eq!(
            eval_str("=COMBIN(1E+15,5E+14)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(eval_str("=MUNIT(100000)"), Value::Error(ErrorKind::Num));
        assert_eq!(
            eval_str("=SEQUENCE(1048576,16384)"),
            Value::Error(ErrorKind::Num)
        );
        let r = eval_str("=BINOM.INV(4000000000,0.5,0.5)")
            .as_number()
            .unwrap()
            .to_f64();
        assert!((r - 2e9).abs() < 1e4, "{r}");
        let p = eval_str("=POISSON.DIST(1000000,1000000,TRUE)")
            .as_number()
            .unwrap()
            .to_f64();
        assert!((p - 0.5).abs() < 0.01, "{p}");
    }
}
