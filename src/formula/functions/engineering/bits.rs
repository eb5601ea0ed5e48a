//! BITAND, BITOR, BITXOR, BITLSHIFT and BITRSHIFT: bitwise operations on
//! whole numbers from 0 to 2^48-1, as Excel defines them. A number
//! outside that range or with a fraction is `#NUM!`, and so is a shift
//! of more than 53 places either way.

use super::atp_float;
use crate::formula::functions::*;

/// One more than the largest number the bit functions take.
const LIMIT: f64 = 281_474_976_710_656.0; // 2^48

/// The largest shift, either way.
const MAX_SHIFT: f64 = 53.0;

/// A whole number in 0..2^48.
fn bits_arg(ctx: &mut CallContext, e: &Expr) -> Result<u64, ErrorKind> {
    let x = atp_float(ctx, e)?;
    if !(0.0..LIMIT).contains(&x) || x.fract() != 0.0 {
        return Err(ErrorKind::Num);
    }
    Ok(x as u64)
}

fn bitwise(ctx: &mut CallContext, args: &[Expr], op: fn(u64, u64) -> u64) -> EvalResult {
    let a = bits_arg(ctx, &args[0])?;
    let b = bits_arg(ctx, &args[1])?;
    Ok(CalcValue::number(op(a, b) as i64))
}

pub(super) fn bitand_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    bitwise(ctx, args, |a, b| a & b)
}

pub(super) fn bitor_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    bitwise(ctx, args, |a, b| a | b)
}

pub(super) fn bitxor_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    bitwise(ctx, args, |a, b| a ^ b)
}

/// `number` shifted left by `places` (right when negative). A left shift
/// is a multiplication by a power of two, exact in a double however far
/// it goes, so the result is not limited to 48 bits.
fn shift(ctx: &mut CallContext, args: &[Expr], direction: f64) -> EvalResult {
    let number = bits_arg(ctx, &args[0])?;
    let places = atp_float(ctx, &args[1])?;
    if places.abs() > MAX_SHIFT || places.fract() != 0.0 {
        return Err(ErrorKind::Num);
    }
    let left = (places * direction) as i32;
    if left >= 0 {
        Ok(CalcValue::float(number as f64 * 2f64.powi(left)))
    } else {
        Ok(CalcValue::number((number >> (-left).min(63)) as i64))
    }
}

pub(super) fn bitlshift_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    shift(ctx, args, 1.0)
}

pub(super) fn bitrshift_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    shift(ctx, args, -1.0)
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{err, eval_str, num};
    use crate::model::ErrorKind;

    #[test]
    fn and_or_xor() {
        // Microsoft's examples.
        assert_eq!(eval_str("=BITAND(1,5)"), num("1"));
        assert_eq!(eval_str("=BITAND(13,25)"), num("9"));
        assert_eq!(eval_str("=BITOR(23,10)"), num("31"));
        assert_eq!(eval_str("=BITXOR(5,3)"), num("6"));
        assert_eq!(
            eval_str("=BITOR(281474976710655,0)"),
            num("281474976710655")
        );
    }

    #[test]
    fn shifts() {
        // Microsoft's examples.
        assert_eq!(eval_str("=BITLSHIFT(4,2)"), num("16"));
        assert_eq!(eval_str("=BITRSHIFT(13,2)"), num("3"));
        // A negative amount shifts the other way.
        assert_eq!(eval_str("=BITLSHIFT(6,-1)"), num("3"));
        assert_eq!(eval_str("=BITRSHIFT(6,-2)"), num("24"));
        assert_eq!(eval_str("=BITLSHIFT(1,53)"), num("9007199254740992"));
        assert_eq!(eval_str("=BITRSHIFT(281474976710655,53)"), num("0"));
    }

    #[test]
    fn limits_and_error_kinds() {
        assert_eq!(eval_str("=BITAND(-1,5)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BITAND(1.5,5)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BITOR(2^48,1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BITXOR(\"a\",1)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=BITAND(TRUE,1)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=BITLSHIFT(1,54)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BITRSHIFT(1,-54)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BITLSHIFT(1,1.5)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BITLSHIFT(2^48,1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=BITRSHIFT(1/0,1)"), err(ErrorKind::Div0));
    }
}
