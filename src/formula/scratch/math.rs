//! Pure numeric cores of the math functions, with Excel's edge cases.
//!
//! Every core takes and returns [`Number`] so money stays exact: rounding,
//! MOD, MROUND, CEILING and FLOOR all work on decimals. Only inherently
//! inexact functions (POWER with a fractional exponent, SQRT, EXP, LN)
//! go through floats, and their results come back exact when the float
//! is a clean decimal.

use crate::model::{ErrorKind, Number};
use rust_decimal::prelude::*;

/// Result of a numeric core: a number or the Excel error it produces.
pub type NumResult = Result<Number, ErrorKind>;

/// Rounds toward negative infinity to an integer.
pub fn floor_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.floor()),
        Number::Float(f) => Number::Float(f.floor()),
    }
}

/// Rounds toward positive infinity to an integer.
pub fn ceil_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.ceil()),
        Number::Float(f) => Number::Float(f.ceil()),
    }
}

/// Rounds toward zero to an integer.
pub fn trunc_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.trunc()),
        Number::Float(f) => Number::Float(f.trunc()),
    }
}

fn sign_of(n: Number) -> i32 {
    match n.partial_cmp(&Number::ZERO) {
        Some(std::cmp::Ordering::Less) => -1,
        Some(std::cmp::Ordering::Greater) => 1,
        _ => 0,
    }
}

/// The digits argument of ROUND-like functions, truncated toward zero
/// and clamped to a range that cannot overflow.
pub fn digits_arg(n: Number) -> i32 {
    n.to_i64().unwrap_or(0).clamp(-400, 400) as i32
}

/// Rounds to `digits` with the given strategy, also for large negative
/// digit counts and float magnitudes, which `Number::round_with` clamps.
fn round_strategy(n: Number, digits: i32, strategy: RoundingStrategy) -> Number {
    if digits >= -18 && n.to_decimal().is_some() {
        return n.round_with(digits, strategy);
    }
    let f = n.to_f64();
    let factor = 10f64.powi(digits);
    let scaled = f * factor;
    let r = match strategy {
        RoundingStrategy::ToZero => scaled.trunc(),
        RoundingStrategy::AwayFromZero => {
            if scaled.fract() == 0.0 {
                scaled
            } else {
                scaled.trunc() + scaled.signum()
            }
        }
        _ => scaled.round(),
    };
    Number::from_float_result(r / factor)
}

/// ROUND: half away from zero.
pub fn round(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::MidpointAwayFromZero)
}

/// ROUNDUP: away from zero.
pub fn round_up(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::AwayFromZero)
}

/// ROUNDDOWN and TRUNC: toward zero.
pub fn round_down(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::ToZero)
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

/// QUOTIENT: the integer part of a division.
pub fn quotient(n: Number, d: Number) -> NumResult {
    let q = n.checked_div(d).ok_or(ErrorKind::Div0)?;
    Ok(trunc_int(q))
}

/// A float result turned into a number, or #NUM! when not finite.
pub fn float_result(f: f64) -> NumResult {
    if f.is_finite() {
        Ok(Number::from_float_result(f))
    } else {
        Err(ErrorKind::Num)
    }
}

/// POWER and `^`: exact for integer exponents of decimals.
pub fn power(base: Number, exponent: Number) -> NumResult {
    if base.is_zero() {
        return match sign_of(exponent) {
            0 => Err(ErrorKind::Num),
            -1 => Err(ErrorKind::Div0),
            _ => Ok(Number::ZERO),
        };
    }
    if let (Number::Exact(b), Number::Exact(e)) = (base, exponent) {
        if e.fract().is_zero() && e.abs() <= Decimal::from(64) {
            if let Some(i) = e.to_i64() {
                if let Some(r) = b.checked_powi(i) {
                    return Ok(Number::Exact(r.normalize()));
                }
            }
        }
    }
    let (b, e) = (base.to_f64(), exponent.to_f64());
    if b < 0.0 && e.fract() != 0.0 {
        return Err(ErrorKind::Num);
    }
    float_result(b.powf(e))
}

/// SQRT: #NUM! for negative numbers.
pub fn sqrt(n: Number) -> NumResult {
    if sign_of(n) < 0 {
        return Err(ErrorKind::Num);
    }
    if let Number::Exact(d) = n {
        if let Some(r) = d.sqrt() {
            // Only trust the decimal root when it squares back exactly.
            if r * r == d {
                return Ok(Number::Exact(r.normalize()));
            }
        }
    }
    float_result(n.to_f64().sqrt())
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

/// SIGN.
pub fn sign(n: Number) -> Number {
    Number::from_i64(sign_of(n) as i64)
}

/// The sum of a list of numbers (exact while it fits).
pub fn sum(values: impl IntoIterator<Item = Number>) -> Number {
    values.into_iter().fold(Number::ZERO, |a, b| a + b)
}

/// The product of a list of numbers (exact while it fits).
pub fn product(values: impl IntoIterator<Item = Number>) -> Number {
    values.into_iter().fold(Number::ONE, |a, b| a * b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Number {
        Number::Exact(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn rounding_family() {
        assert_eq!(round(d("2.5"), 0), d("3"));
        assert_eq!(round(d("-2.5"), 0), d("-3"));
        assert_eq!(round(d("1.005"), 2), d("1.01"));
        assert_eq!(round(d("-1.475"), 2), d("-1.48"));
        assert_eq!(round(d("1234567.7"), -3), d("1235000"));
        assert_eq!(round_up(d("3.2"), 0), d("4"));
        assert_eq!(round_up(d("-3.14159"), 1), d("-3.2"));
        assert_eq!(round_up(d("31415.92654"), -2), d("31500"));
        assert_eq!(round_down(d("3.14159"), 3), d("3.141"));
        assert_eq!(round_down(d("-3.14159"), 1), d("-3.1"));
        assert_eq!(round_down(d("31415.92654"), -2), d("31400"));
        assert_eq!(round(d("123"), -30), Number::ZERO);
        assert_eq!(round(d("0.0001"), 400), d("0.0001"));
    }

    #[test]
    fn mround_ceiling_floor() {
        assert_eq!(mround(d("10"), d("3")), Ok(d("9")));
        assert_eq!(mround(d("-10"), d("-3")), Ok(d("-9")));
        assert_eq!(mround(d("1.3"), d("0.2")), Ok(d("1.4")));
        assert_eq!(mround(d("5"), d("-2")), Err(ErrorKind::Num));
        assert_eq!(mround(d("7.5"), d("5")), Ok(d("10")));
        assert_eq!(ceiling(d("2.5"), d("1")), Ok(d("3")));
        assert_eq!(ceiling(d("-2.5"), d("-2")), Ok(d("-4")));
        assert_eq!(ceiling(d("-2.5"), d("2")), Ok(d("-2")));
        assert_eq!(ceiling(d("1.5"), d("0.1")), Ok(d("1.5")));
        assert_eq!(ceiling(d("0.234"), d("0.01")), Ok(d("0.24")));
        assert_eq!(ceiling(d("1.5"), d("-1")), Err(ErrorKind::Num));
        assert_eq!(floor(d("3.7"), d("2")), Ok(d("2")));
        assert_eq!(floor(d("-2.5"), d("-2")), Ok(d("-2")));
        assert_eq!(floor(d("-2.5"), d("2")), Ok(d("-4")));
        assert_eq!(floor(d("2.5"), d("-2")), Err(ErrorKind::Num));
        assert_eq!(floor(d("1.58"), d("0.1")), Ok(d("1.5")));
        assert_eq!(floor(d("5"), Number::ZERO), Err(ErrorKind::Div0));
        assert_eq!(ceiling_math(d("24.3"), d("5"), false), Ok(d("25")));
        assert_eq!(ceiling_math(d("-8.1"), d("2"), false), Ok(d("-8")));
        assert_eq!(ceiling_math(d("-5.5"), d("2"), true), Ok(d("-6")));
        assert_eq!(floor_math(d("24.3"), d("5"), false), Ok(d("20")));
        assert_eq!(floor_math(d("-8.1"), d("2"), false), Ok(d("-10")));
        assert_eq!(floor_math(d("-5.5"), d("2"), true), Ok(d("-4")));
        assert_eq!(ceiling_precise(d("-4.3"), d("-2")), Ok(d("-4")));
        assert_eq!(floor_precise(d("-3.2"), d("-1")), Ok(d("-4")));
    }

    #[test]
    fn mod_and_quotient() {
        assert_eq!(modulo(d("3"), d("2")), Ok(d("1")));
        assert_eq!(modulo(d("-3"), d("2")), Ok(d("1")));
        assert_eq!(modulo(d("3"), d("-2")), Ok(d("-1")));
        assert_eq!(modulo(d("-3"), d("-2")), Ok(d("-1")));
        assert_eq!(modulo(d("5.5"), d("0.2")), Ok(d("0.1")));
        assert_eq!(modulo(d("1"), Number::ZERO), Err(ErrorKind::Div0));
        assert_eq!(quotient(d("5"), d("2")), Ok(d("2")));
        assert_eq!(quotient(d("-10"), d("3")), Ok(d("-3")));
        assert_eq!(quotient(d("1"), Number::ZERO), Err(ErrorKind::Div0));
    }

    #[test]
    fn powers_roots_logs() {
        assert_eq!(power(d("1.1"), d("2")), Ok(d("1.21")));
        assert_eq!(power(d("2"), d("-2")), Ok(d("0.25")));
        assert_eq!(
            power(d("98.6"), d("3.2")).unwrap().to_f64(),
            98.6f64.powf(3.2)
        );
        assert_eq!(power(d("4"), d("0.5")), Ok(d("2")));
        assert_eq!(power(d("-8"), d("0.5")), Err(ErrorKind::Num));
        assert_eq!(power(Number::ZERO, Number::ZERO), Err(ErrorKind::Num));
        assert_eq!(power(Number::ZERO, d("-1")), Err(ErrorKind::Div0));
        assert_eq!(sqrt(d("16")), Ok(d("4")));
        assert_eq!(sqrt(d("2.25")), Ok(d("1.5")));
        assert_eq!(sqrt(d("-16")), Err(ErrorKind::Num));
        assert!((sqrt(d("2")).unwrap().to_f64() - std::f64::consts::SQRT_2).abs() < 1e-15);
        assert_eq!(log(d("1000"), d("10")), Ok(d("3")));
        assert_eq!(log(d("8"), d("2")), Ok(d("3")));
        assert_eq!(log(d("8"), d("1")), Err(ErrorKind::Div0));
        assert_eq!(ln(Number::ZERO), Err(ErrorKind::Num));
        assert_eq!(exp(Number::ZERO), Ok(d("1")));
    }

    #[test]
    fn even_odd_fact_gcd_lcm() {
        assert_eq!(even(d("1.5")), d("2"));
        assert_eq!(even(d("3")), d("4"));
        assert_eq!(even(d("2")), d("2"));
        assert_eq!(even(d("-1")), d("-2"));
        assert_eq!(even(Number::ZERO), Number::ZERO);
        assert_eq!(odd(d("1.5")), d("3"));
        assert_eq!(odd(d("3")), d("3"));
        assert_eq!(odd(d("2")), d("3"));
        assert_eq!(odd(d("-1")), d("-1"));
        assert_eq!(odd(d("-2")), d("-3"));
        assert_eq!(odd(Number::ZERO), d("1"));
        assert_eq!(fact(d("5")), Ok(d("120")));
        assert_eq!(fact(d("1.9")), Ok(d("1")));
        assert_eq!(fact(d("-1")), Err(ErrorKind::Num));
        assert!(fact(d("170")).is_ok());
        assert_eq!(fact(d("171")), Err(ErrorKind::Num));
        assert_eq!(fact_double(d("7")), Ok(d("105")));
        assert_eq!(fact_double(d("6")), Ok(d("48")));
        assert_eq!(gcd(&[d("5"), d("2")]), Ok(d("1")));
        assert_eq!(gcd(&[d("24"), d("36")]), Ok(d("12")));
        assert_eq!(gcd(&[d("4.8"), d("8.4"), d("12")]), Ok(d("4")));
        assert_eq!(gcd(&[d("-1")]), Err(ErrorKind::Num));
        assert_eq!(lcm(&[d("24"), d("36")]), Ok(d("72")));
        assert_eq!(lcm(&[d("7.5"), d("4.5")]), Ok(d("28")));
        assert_eq!(lcm(&[d("3"), Number::ZERO]), Ok(Number::ZERO));
    }

    #[test]
    fn money_sums_are_exact() {
        assert_eq!(sum([d("0.1"), d("0.2")]), d("0.3"));
        assert_eq!(product([d("1.1"), d("1.1")]), d("1.21"));
        assert_eq!(sign(d("-0.5")), d("-1"));
    }
}

/// ROMAN: `n` in 0..=3999 as a Roman numeral; `form` 0 (classic) to 4
/// (most concise) allows subtractive pairs further apart, as Excel does.
pub fn roman(n: i64, form: i64) -> Result<String, ErrorKind> {
    if !(0..=3999).contains(&n) || !(0..=4).contains(&form) {
        return Err(ErrorKind::Value);
    }
    const CHARS: [char; 7] = ['M', 'D', 'C', 'L', 'X', 'V', 'I'];
    const VALUES: [i64; 7] = [1000, 500, 100, 50, 10, 5, 1];
    const MAX_INDEX: usize = 6;
    let mut out = String::new();
    let mut val = n;
    for i in 0..=MAX_INDEX / 2 {
        let mut index = 2 * i;
        let digit = val / VALUES[index];
        if digit % 5 == 4 {
            let index2 = if digit == 4 { index - 1 } else { index - 2 };
            let mut steps = 0;
            // Each step of `form` lets a smaller numeral do the subtracting.
            while steps < form && index < MAX_INDEX {
                steps += 1;
                if VALUES[index2] - VALUES[index + 1] <= val {
                    index += 1;
                } else {
                    steps = form;
                }
            }
            out.push(CHARS[index]);
            out.push(CHARS[index2]);
            val = val + VALUES[index] - VALUES[index2];
        } else {
            if digit > 4 {
                out.push(CHARS[index - 1]);
            }
            for _ in 0..digit % 5 {
                out.push(CHARS[index]);
            }
            val %= VALUES[index];
        }
    }
    Ok(out)
}

/// ARABIC: a Roman numeral (any case, optional leading minus) as a
/// number; anything else is #VALUE!.
pub fn arabic(text: &str) -> NumResult {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    if body.len() > 255 {
        return Err(ErrorKind::Value);
    }
    let mut total = 0i64;
    let mut prev = 0i64;
    for c in body.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return Err(ErrorKind::Value),
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    Ok(Number::from_i64(if neg { -total } else { total }))
}

#[cfg(test)]
mod roman_tests {
    use super::*;

    #[test]
    fn roman_forms() {
        assert_eq!(roman(499, 0).unwrap(), "CDXCIX");
        assert_eq!(roman(499, 1).unwrap(), "LDVLIV");
        assert_eq!(roman(499, 2).unwrap(), "XDIX");
        assert_eq!(roman(499, 3).unwrap(), "VDIV");
        assert_eq!(roman(499, 4).unwrap(), "ID");
        assert_eq!(roman(3999, 0).unwrap(), "MMMCMXCIX");
        assert_eq!(roman(0, 0).unwrap(), "");
        assert_eq!(roman(4000, 0), Err(ErrorKind::Value));
        assert_eq!(arabic("mcmxii"), Ok(Number::from_i64(1912)));
        assert_eq!(arabic("-IV"), Ok(Number::from_i64(-4)));
        assert_eq!(arabic(""), Ok(Number::ZERO));
        assert_eq!(arabic("ABC"), Err(ErrorKind::Value));
    }
}
