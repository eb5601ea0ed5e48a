//! Number systems: BIN2DEC, DEC2HEX and the other conversions between
//! binary, octal, decimal and hexadecimal, negatives as 10-digit two's
//! complement.

use crate::formula::functions::*;

/// A number system: its radix and the bits of its 10-digit two's
/// complement.
#[derive(Clone, Copy)]
struct Base {
    radix: u32,
    bits: u32,
}

const BIN: Base = Base { radix: 2, bits: 10 };
const OCT: Base = Base { radix: 8, bits: 30 };
const HEX: Base = Base {
    radix: 16,
    bits: 40,
};

/// The digits argument as text: numbers as written, booleans refused.
fn digits_arg(ctx: &mut CallContext, e: &Expr) -> Result<String, ErrorKind> {
    match ctx.value(e)? {
        Value::Bool(_) => Err(ErrorKind::Value),
        Value::Empty => Ok("0".to_string()),
        Value::Number(n) => {
            if n.to_f64() < 0.0 || n.to_f64().fract() != 0.0 {
                return Err(ErrorKind::Num);
            }
            Ok(n.to_string())
        }
        v => to_text(&v),
    }
}

/// Parses up to 10 digits; 10 digits with the top bit set are negative.
fn parse_in(text: &str, base: Base) -> Result<i64, ErrorKind> {
    let t = text.trim();
    if t.chars().count() > 10 {
        return Err(ErrorKind::Num);
    }
    if t.is_empty() {
        return Ok(0);
    }
    let v = i64::from_str_radix(t, base.radix).map_err(|_| ErrorKind::Num)?;
    if v < 0 {
        return Err(ErrorKind::Num);
    }
    let full = 1i64 << base.bits;
    Ok(if v >= full / 2 { v - full } else { v })
}

/// Formats in a base, negatives as 10-digit two's complement, padded to
/// `places` when given.
fn format_out(v: i64, base: Base, places: Option<i64>) -> Result<String, ErrorKind> {
    let full = 1i64 << base.bits;
    if v < -full / 2 || v >= full / 2 {
        return Err(ErrorKind::Num);
    }
    let digits = |x: i64| -> String {
        match base.radix {
            2 => format!("{x:b}"),
            8 => format!("{x:o}"),
            _ => format!("{x:X}"),
        }
    };
    // Excel checks the places even where a negative number ignores them.
    if places.is_some_and(|p| !(1..=10).contains(&p)) {
        return Err(ErrorKind::Num);
    }
    if v < 0 {
        return Ok(digits(v + full));
    }
    let s = digits(v);
    match places {
        None => Ok(s),
        Some(p) if (p as usize) < s.len() => Err(ErrorKind::Num),
        Some(p) => Ok(format!("{s:0>width$}", width = p as usize)),
    }
}

fn places(ctx: &mut CallContext, args: &[Expr]) -> Result<Option<i64>, ErrorKind> {
    if CallContext::is_missing(args, 1) {
        return Ok(None);
    }
    let v = ctx.value(&args[1])?;
    if matches!(v, Value::Bool(_)) {
        return Err(ErrorKind::Value);
    }
    let p = to_number(&v)?.to_f64();
    if p < 0.0 {
        return Err(ErrorKind::Num);
    }
    Ok(Some(p.trunc() as i64))
}

fn to_dec(ctx: &mut CallContext, args: &[Expr], from: Base) -> EvalResult {
    let t = digits_arg(ctx, &args[0])?;
    Ok(CalcValue::number(parse_in(&t, from)?))
}

fn convert(ctx: &mut CallContext, args: &[Expr], from: Base, to: Base) -> EvalResult {
    let t = digits_arg(ctx, &args[0])?;
    let v = parse_in(&t, from)?;
    let p = places(ctx, args)?;
    Ok(CalcValue::text(format_out(v, to, p)?))
}

fn from_dec(ctx: &mut CallContext, args: &[Expr], to: Base) -> EvalResult {
    let v = ctx.value(&args[0])?;
    if matches!(v, Value::Bool(_)) {
        return Err(ErrorKind::Value);
    }
    let n = to_number(&v)?.to_f64().trunc();
    if n.abs() > 1e15 {
        return Err(ErrorKind::Num);
    }
    let p = places(ctx, args)?;
    Ok(CalcValue::text(format_out(n as i64, to, p)?))
}

pub(super) fn bin2dec(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    to_dec(ctx, args, BIN)
}
pub(super) fn bin2oct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, BIN, OCT)
}
pub(super) fn bin2hex(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, BIN, HEX)
}
pub(super) fn oct2dec(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    to_dec(ctx, args, OCT)
}
pub(super) fn oct2bin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, OCT, BIN)
}
pub(super) fn oct2hex(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, OCT, HEX)
}
pub(super) fn hex2dec(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    to_dec(ctx, args, HEX)
}
pub(super) fn hex2bin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, HEX, BIN)
}
pub(super) fn hex2oct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, HEX, OCT)
}
pub(super) fn dec2bin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    from_dec(ctx, args, BIN)
}
pub(super) fn dec2oct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    from_dec(ctx, args, OCT)
}
pub(super) fn dec2hex(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    from_dec(ctx, args, HEX)
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, num};
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn number_systems_round_trip() {
        assert_eq!(eval_str("=BIN2DEC(1100100)"), num("100"));
        assert_eq!(eval_str("=BIN2DEC(\"1111111111\")"), num("-1"));
        assert_eq!(eval_str("=DEC2BIN(9,4)"), t("1001"));
        assert_eq!(eval_str("=DEC2BIN(-100)"), t("1110011100"));
        assert_eq!(eval_str("=DEC2BIN(512)"), Value::Error(ErrorKind::Num));
        assert_eq!(eval_str("=DEC2HEX(-54)"), t("FFFFFFFFCA"));
        assert_eq!(eval_str("=HEX2DEC(\"A5\")"), num("165"));
        assert_eq!(eval_str("=HEX2BIN(\"FFFFFFFE00\")"), t("1000000000"));
        assert_eq!(eval_str("=OCT2HEX(\"7777777533\")"), t("FFFFFFFF5B"));
        assert_eq!(eval_str("=DEC2OCT(58,3)"), t("072"));
        assert_eq!(eval_str("=DEC2BIN(9,2)"), Value::Error(ErrorKind::Num));
        assert_eq!(eval_str("=BIN2DEC(TRUE)"), Value::Error(ErrorKind::Value));
    }

    #[test]
    fn places_are_checked_for_negative_numbers_too() {
        assert_eq!(eval_str("=BIN2HEX(\"1100011011\",1)"), t("FFFFFFFF1B"));
        assert_eq!(
            eval_str("=BIN2HEX(\"1100011011\",0)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(
            eval_str("=BIN2OCT(\"1100011011\",11)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(eval_str("=DEC2HEX(-54,10)"), t("FFFFFFFFCA"));
    }
}
