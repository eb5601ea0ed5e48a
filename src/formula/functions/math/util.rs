//! How the math topics read arguments and lift scalar functions over
//! arrays, shared here so no topic imports from a sibling topic.

use crate::formula::functions::util::NumResult;
use crate::formula::functions::*;
use crate::formula::operators::broadcast;

/// A unary numeric function lifted over arrays (`ROUND({1.25,2.5},0)`
/// spills); a reference is reduced by implicit intersection.
pub(super) fn unary(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(Number) -> Result<Number, ErrorKind>,
) -> EvalResult {
    ctx.map_value(&args[0], |v| Ok(Value::Number(finite(f(to_number(v)?)?)?)))
}

/// A result that overflowed to an infinite float is `#NUM!`.
pub(super) fn finite(n: Number) -> NumResult {
    if n.is_finite() {
        Ok(n)
    } else {
        Err(ErrorKind::Num)
    }
}

/// An operand for a lifted function: arrays stay arrays (and, in array
/// mode, so do multi-cell references); otherwise a reference is reduced
/// by implicit intersection like any scalar argument.
fn operand(ctx: &mut CallContext, e: &Expr) -> CalcValue {
    match ctx.lift(e) {
        CalcValue::Array(a) => CalcValue::Array(a),
        other => CalcValue::Value(ctx.to_scalar(other)),
    }
}

/// A binary numeric function lifted over arrays with broadcasting.
pub(super) fn binary(
    ctx: &mut CallContext,
    args: &[Expr],
    default_second: Option<Number>,
    f: impl Fn(Number, Number) -> Result<Number, ErrorKind>,
) -> EvalResult {
    let a = operand(ctx, &args[0]);
    let b = match (args.get(1), default_second) {
        (None | Some(Expr::Missing), Some(d)) => CalcValue::Value(Value::Number(d)),
        (Some(e), _) => operand(ctx, e),
        (None, None) => CalcValue::Value(Value::Empty),
    };
    let r = broadcast(a, b, |x, y| {
        match to_number(x)
            .and_then(|x| Ok((x, to_number(y)?)))
            .and_then(|(x, y)| f(x, y))
            .and_then(finite)
        {
            Ok(n) => Value::Number(n),
            Err(k) => Value::Error(k),
        }
    });
    match r {
        CalcValue::Value(Value::Error(k)) => Err(k),
        v => Ok(v),
    }
}

/// A float function of one number; non-finite results are `#NUM!`.
pub(super) fn float1(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(f64) -> NumResult,
) -> EvalResult {
    unary(ctx, args, |n| f(n.to_f64()))
}

/// MOD with Excel's sign rule: the result has the divisor's sign.
pub fn modulo(n: Number, d: Number) -> NumResult {
    if d.is_zero() {
        return Err(ErrorKind::Div0);
    }
    if let (Number::Exact(a), Number::Exact(b)) = (n, d) {
        // Decimal's `%` keeps the dividend's sign; shift it to the divisor's.
        if let Some(r) = a.checked_rem(b) {
            let r = if !r.is_zero() && (r.is_sign_negative() != b.is_sign_negative()) {
                r + b
            } else {
                r
            };
            return Ok(Number::Exact(r));
        }
    }
    let (a, b) = (n.to_f64(), d.to_f64());
    let q = (a / b).floor();
    // Excel refuses when the quotient is too big to be meaningful.
    if q.abs() >= 1.125_899_906_842_624e15 {
        return Err(ErrorKind::Num);
    }
    Ok(Number::from_float_result(a - b * q))
}
