//! Numbers: exact decimals where they fit, floats beyond.
//!
//! Money must add up to the cent, so every number read from a file or
//! typed by a user is held as a [`Decimal`]. A float read from a file is
//! converted through its shortest round-trip decimal form, so a stored
//! `4.9249999999999998` becomes `4.925`, the number the user typed. Only
//! magnitudes a decimal cannot hold (beyond about 7.9e28, or with more than
//! 28 fractional digits) stay floats.

use rust_decimal::prelude::*;
use std::cmp::Ordering;
use std::fmt;

/// An exact decimal, or a float where a decimal cannot hold the value.
///
/// 20 bytes aligned to 4 (a decimal's 16 and the tag), so a
/// [`Value`](super::Value) fits 24 and a million-row sheet's cells stay
/// small: the float is held as a [`PackedF64`] for that.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    /// Exact decimal (up to 28 significant digits).
    Exact(Decimal),
    /// Float fallback for very large or very small magnitudes, and for
    /// results of functions that are inherently inexact (powers, logs).
    Float(PackedF64),
}

/// An `f64` held as two 4-byte halves: aligned to 4 instead of 8, so the
/// float beside a 4-aligned [`Decimal`] in [`Number`] does not widen it
/// from 20 bytes to 24. The bits are kept as they are (NaN payloads and
/// the sign of zero included).
#[derive(Clone, Copy, PartialEq)]
pub struct PackedF64([u32; 2]);

impl PackedF64 {
    /// Holds `f`.
    pub const fn new(f: f64) -> PackedF64 {
        let bits = f.to_bits();
        PackedF64([bits as u32, (bits >> 32) as u32])
    }

    /// The float held.
    pub const fn get(self) -> f64 {
        f64::from_bits(self.0[0] as u64 | (self.0[1] as u64) << 32)
    }
}

impl From<f64> for PackedF64 {
    fn from(f: f64) -> Self {
        PackedF64::new(f)
    }
}

impl fmt::Debug for PackedF64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number::Exact(Decimal::ZERO);
    /// One.
    pub const ONE: Number = Number::Exact(Decimal::ONE);

    /// A float, kept as a float (see [`Number::from_f64`] for the exact
    /// decimal where one holds it).
    pub const fn float(f: f64) -> Number {
        Number::Float(PackedF64::new(f))
    }

    /// Converts a float through its shortest round-trip decimal form.
    /// Non-finite floats stay floats (callers turn them into errors).
    pub fn from_f64(f: f64) -> Number {
        if !f.is_finite() {
            return Number::float(f);
        }
        if f == 0.0 {
            return Number::ZERO;
        }
        // Rust's float formatting gives the shortest string that reads back
        // to the same float, which is what a user typed into Excel.
        let shortest = format!("{f:e}");
        match Decimal::from_scientific(&shortest) {
            Ok(d) if !d.is_zero() && d.to_f64() == Some(f) => Number::Exact(d.normalize()),
            _ => Number::float(f),
        }
    }

    /// An exact integer.
    pub fn from_i64(i: i64) -> Number {
        Number::Exact(Decimal::from(i))
    }

    /// The nearest float.
    pub fn to_f64(self) -> f64 {
        match self {
            Number::Exact(d) => d.to_f64().unwrap_or(f64::NAN),
            Number::Float(f) => f.get(),
        }
    }

    /// The exact decimal, converting a float when it fits.
    pub fn to_decimal(self) -> Option<Decimal> {
        match self {
            Number::Exact(d) => Some(d),
            Number::Float(f) => match Number::from_f64(f.get()) {
                Number::Exact(d) => Some(d),
                Number::Float(_) => None,
            },
        }
    }

    /// The nearest decimal, for places that can only hold decimals (script
    /// values): an exact decimal as it is; a float through its shortest
    /// round-trip form, or, where that needs more than the 28 decimal
    /// places a decimal holds, rounded to them. `None` only beyond a
    /// decimal's range (about ±7.9e28) or for NaN and infinity.
    pub fn to_nearest_decimal(self) -> Option<Decimal> {
        match self {
            Number::Exact(d) => Some(d),
            Number::Float(f) => {
                let f = f.get();
                if !f.is_finite() {
                    return None;
                }
                Decimal::from_scientific(&format!("{f:e}"))
                    .map(|d| d.normalize())
                    .ok()
                    .or_else(|| Decimal::from_f64_retain(f).map(|d| d.normalize()))
            }
        }
    }

    /// Whether the value is an exact decimal.
    pub fn is_exact(self) -> bool {
        matches!(self, Number::Exact(_))
    }

    /// Whether the value is a finite number (not NaN or infinite).
    pub fn is_finite(self) -> bool {
        match self {
            Number::Exact(_) => true,
            Number::Float(f) => f.get().is_finite(),
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(self) -> bool {
        match self {
            Number::Exact(d) => d.is_zero(),
            Number::Float(f) => f.get() == 0.0,
        }
    }

    /// The value truncated to an integer, if it fits an i64.
    pub fn to_i64(self) -> Option<i64> {
        match self {
            Number::Exact(d) => d.trunc().to_i64(),
            Number::Float(f) => {
                let f = f.get();
                (f.is_finite() && f.abs() < 9.2e18).then(|| f.trunc() as i64)
            }
        }
    }

    /// Quotient, exact to 28 significant digits; `None` on division by zero.
    pub fn checked_div(self, other: Number) -> Option<Number> {
        if other.is_zero() {
            return None;
        }
        Some(match (self, other) {
            (Number::Exact(a), Number::Exact(b)) => match a.checked_div(b) {
                Some(r) => Number::Exact(r),
                None => Number::from_float_result(self.to_f64() / other.to_f64()),
            },
            (a, b) => Number::from_float_result(a.to_f64() / b.to_f64()),
        })
    }
    /// Absolute value.
    pub fn abs(self) -> Number {
        match self {
            Number::Exact(d) => Number::Exact(d.abs()),
            Number::Float(f) => Number::float(f.get().abs()),
        }
    }

    /// Rounds to `digits` decimal places, half away from zero (Excel's
    /// ROUND); negative `digits` round to tens, hundreds, and so on.
    pub fn round_half_away(self, digits: i32) -> Number {
        self.round_with(digits, RoundingStrategy::MidpointAwayFromZero)
    }

    /// Rounds to `digits` decimal places with the given strategy.
    pub fn round_with(self, digits: i32, strategy: RoundingStrategy) -> Number {
        let Some(d) = self.to_decimal() else {
            let factor = 10f64.powi(digits);
            return Number::float((self.to_f64() * factor).round() / factor);
        };
        if digits >= 0 {
            Number::Exact(d.round_dp_with_strategy(digits.min(28) as u32, strategy))
        } else {
            let factor = Decimal::from(10i64.pow((-digits).min(18) as u32));
            match d.checked_div(factor) {
                Some(q) => Number::Exact(q.round_dp_with_strategy(0, strategy) * factor),
                None => Number::ZERO,
            }
        }
    }

    /// A float result of an inexact operation, turned exact when it is a
    /// clean decimal (so `2^3` is exactly 8).
    pub fn from_float_result(f: f64) -> Number {
        Number::from_f64(f)
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Number::Exact(a), Number::Exact(b)) => Some(a.cmp(b)),
            _ => self.to_f64().partial_cmp(&other.to_f64()),
        }
    }
}

impl From<Decimal> for Number {
    fn from(d: Decimal) -> Self {
        Number::Exact(d)
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Self {
        Number::from_i64(i)
    }
}

impl fmt::Display for Number {
    /// Plain form without trailing zeros (`4.925`, `12`, `1E+30`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Exact(d) => write!(f, "{}", d.normalize()),
            Number::Float(x) => {
                let x = x.get();
                if x.is_finite() && (x.abs() >= 1e21 || (x.abs() < 1e-9 && x != 0.0)) {
                    let s = format!("{x:E}");
                    // Excel writes exponents with a sign: 1E+30.
                    if s.contains("E-") {
                        f.write_str(&s)
                    } else {
                        f.write_str(&s.replace('E', "E+"))
                    }
                } else {
                    write!(f, "{x}")
                }
            }
        }
    }
}

impl std::ops::Add for Number {
    type Output = Number;

    /// Exact where both sides are exact and the result fits; float otherwise.
    fn add(self, other: Number) -> Number {
        match (self, other) {
            (Number::Exact(a), Number::Exact(b)) => match a.checked_add(b) {
                Some(r) => Number::Exact(r),
                None => Number::float(a.to_f64().unwrap_or(0.0) + b.to_f64().unwrap_or(0.0)),
            },
            (a, b) => Number::from_float_result(a.to_f64() + b.to_f64()),
        }
    }
}

impl std::ops::Sub for Number {
    type Output = Number;

    /// Exact where both sides are exact and the result fits; float otherwise.
    fn sub(self, other: Number) -> Number {
        self + (-other)
    }
}

impl std::ops::Mul for Number {
    type Output = Number;

    /// Exact where both sides are exact and the result fits; float otherwise.
    fn mul(self, other: Number) -> Number {
        match (self, other) {
            (Number::Exact(a), Number::Exact(b)) => match a.checked_mul(b) {
                Some(r) => Number::Exact(r),
                None => Number::from_float_result(self.to_f64() * other.to_f64()),
            },
            (a, b) => Number::from_float_result(a.to_f64() * b.to_f64()),
        }
    }
}

impl std::ops::Neg for Number {
    type Output = Number;

    fn neg(self) -> Number {
        match self {
            Number::Exact(d) => Number::Exact(-d),
            Number::Float(f) => Number::float(-f.get()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Number {
        Number::Exact(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn floats_become_their_shortest_decimal() {
        assert_eq!(
            Number::from_f64("4.9249999999999998".parse().unwrap()).to_string(),
            "4.925"
        );
        assert_eq!(Number::from_f64(0.1).to_string(), "0.1");
        assert!(Number::from_f64(1e30).to_string().starts_with("1E+30"));
        assert!(!Number::from_f64(1e30).is_exact());
        assert!(!Number::from_f64(1e-30).is_exact());
        assert_eq!(Number::from_f64(-0.0).to_string(), "0");
    }

    #[test]
    fn every_finite_float_within_range_has_a_nearest_decimal() {
        let nearest = |f: f64| Number::float(f).to_nearest_decimal().map(|d| d.to_string());
        // 17 significant digits: the shortest form is taken exactly.
        assert_eq!(nearest(3.5f64.sqrt()).unwrap(), "1.8708286933869707");
        assert_eq!(nearest(123456789.12345679).unwrap(), "123456789.12345679");
        // More places than a decimal holds: rounded to 28 of them.
        assert_eq!(
            nearest(1.2345678901234568e-15).unwrap(),
            "0.0000000000000012345678901235"
        );
        assert_eq!(nearest(1e-30).unwrap(), "0");
        assert_eq!(nearest(-2.5e20).unwrap(), "-250000000000000000000");
        assert_eq!(nearest(1e30), None);
        assert_eq!(nearest(f64::NAN), None);
    }

    #[test]
    fn decimal_arithmetic_is_exact() {
        assert_eq!((dec("0.1") + dec("0.2")), dec("0.3"));
        assert_eq!((dec("0.1") + dec("0.2")).to_string(), "0.3");
        assert_eq!(
            (dec("1").checked_div(dec("3")).unwrap() * dec("3")).round_half_away(10),
            dec("1")
        );
        assert!(dec("1").checked_div(Number::ZERO).is_none());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(dec("2.5").round_half_away(0), dec("3"));
        assert_eq!(dec("-2.5").round_half_away(0), dec("-3"));
        assert_eq!(dec("1.005").round_half_away(2), dec("1.01"));
        assert_eq!(dec("1250").round_half_away(-2), dec("1300"));
        assert_eq!(
            dec("2.5").round_with(0, RoundingStrategy::MidpointNearestEven),
            dec("2")
        );
    }

    #[test]
    fn overflow_falls_back_to_float() {
        let big = Number::Exact(Decimal::MAX);
        assert!(!(big + big).is_exact());
        assert!(((big + big).to_f64() - 2.0 * 7.922816251426434e28).abs() < 1e15);
    }
}
