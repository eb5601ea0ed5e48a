//! Engineering functions: number-system conversions (BIN2DEC, DEC2HEX,
//! ...), DELTA and GESTEP.

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "BIN2DEC",
        1,
        1,
        "Binary (10 digits, two's complement) to decimal",
        bin2dec,
    ),
    FunctionSpec::new("BIN2OCT", 1, 2, "Binary to octal", bin2oct),
    FunctionSpec::new("BIN2HEX", 1, 2, "Binary to hexadecimal", bin2hex),
    FunctionSpec::new(
        "OCT2DEC",
        1,
        1,
        "Octal (10 digits, two's complement) to decimal",
        oct2dec,
    ),
    FunctionSpec::new("OCT2BIN", 1, 2, "Octal to binary", oct2bin),
    FunctionSpec::new("OCT2HEX", 1, 2, "Octal to hexadecimal", oct2hex),
    FunctionSpec::new(
        "HEX2DEC",
        1,
        1,
        "Hexadecimal (10 digits, two's complement) to decimal",
        hex2dec,
    ),
    FunctionSpec::new("HEX2BIN", 1, 2, "Hexadecimal to binary", hex2bin),
    FunctionSpec::new("HEX2OCT", 1, 2, "Hexadecimal to octal", hex2oct),
    FunctionSpec::new(
        "DEC2BIN",
        1,
        2,
        "Decimal to binary (negatives as 10-digit two's complement)",
        dec2bin,
    ),
    FunctionSpec::new("DEC2OCT", 1, 2, "Decimal to octal", dec2oct),
    FunctionSpec::new("DEC2HEX", 1, 2, "Decimal to hexadecimal", dec2hex),
    FunctionSpec::new("DELTA", 1, 2, "1 when two numbers are equal, else 0", delta),
    FunctionSpec::new(
        "GESTEP",
        1,
        2,
        "1 when a number is at least the step, else 0",
        gestep,
    ),
];

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
    if v < 0 {
        return Ok(digits(v + full));
    }
    let s = digits(v);
    match places {
        None => Ok(s),
        Some(p) if !(0..=10).contains(&p) || (p as usize) < s.len() => Err(ErrorKind::Num),
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

fn bin2dec(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    to_dec(ctx, args, BIN)
}
fn bin2oct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, BIN, OCT)
}
fn bin2hex(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, BIN, HEX)
}
fn oct2dec(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    to_dec(ctx, args, OCT)
}
fn oct2bin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, OCT, BIN)
}
fn oct2hex(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, OCT, HEX)
}
fn hex2dec(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    to_dec(ctx, args, HEX)
}
fn hex2bin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, HEX, BIN)
}
fn hex2oct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    convert(ctx, args, HEX, OCT)
}
fn dec2bin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    from_dec(ctx, args, BIN)
}
fn dec2oct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    from_dec(ctx, args, OCT)
}
fn dec2hex(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    from_dec(ctx, args, HEX)
}

/// A strict numeric argument: text that is no number and booleans are
/// `#VALUE!`.
fn strict_number(ctx: &mut CallContext, args: &[Expr], i: usize) -> Result<Number, ErrorKind> {
    if CallContext::is_missing(args, i) {
        return Ok(Number::ZERO);
    }
    match ctx.value(&args[i])? {
        Value::Bool(_) => Err(ErrorKind::Value),
        v => to_number(&v),
    }
}

fn delta(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = strict_number(ctx, args, 0)?;
    let b = strict_number(ctx, args, 1)?;
    Ok(CalcValue::number((a == b) as i64))
}

fn gestep(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = strict_number(ctx, args, 0)?;
    let b = strict_number(ctx, args, 1)?;
    Ok(CalcValue::number((a >= b) as i64))
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
    fn delta_and_gestep_compare() {
        assert_eq!(eval_str("=DELTA(5,5)"), num("1"));
        assert_eq!(eval_str("=DELTA(0.5)"), num("0"));
        assert_eq!(eval_str("=GESTEP(-1)"), num("0"));
        assert_eq!(eval_str("=GESTEP(5,4)"), num("1"));
    }
}
