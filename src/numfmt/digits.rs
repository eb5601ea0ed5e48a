//! Exact decimal digits of a number, the ground every renderer stands on:
//! Excel shows 15 significant digits and rounds half away from zero at
//! the shown position, which binary floating point cannot do (`2.675`
//! with `0.00` must be `2.68`), so numbers become digit strings first and
//! rounding happens on the digits.

use crate::model::number::Number;

/// The decimal digits of a non-negative number: `digits` (no leading
/// zero) with the decimal point after `point` of them, so `[1,2,3]` with
/// point 1 is 1.23 and with point -1 is 0.0123. Zero has no digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Digits {
    /// The significant digits, 0-9, without trailing zeros.
    pub(super) digits: Vec<u8>,
    /// How many of them stand before the decimal point (may be negative
    /// or exceed their count).
    pub(super) point: i32,
}

impl Digits {
    /// The digits of `|n|`, cut to 15 significant digits as Excel holds it.
    pub(super) fn of(n: Number) -> Digits {
        let text = match n {
            Number::Exact(d) => d.abs().to_string(),
            Number::Float(f) => format!("{:e}", f.get().abs()),
        };
        let (mantissa, exp) = match text.split_once('e') {
            Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
            None => (text.as_str(), 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let mut point = int.len() as i32 + exp;
        let lead = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..lead);
        point -= lead as i32;
        let mut d = Digits { digits, point };
        d.trim();
        d.round_at(15);
        d
    }

    /// Whether the number is zero.
    pub(super) fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Drops trailing zeros (zero keeps no digits and point 0).
    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.point = 0;
        }
    }

    /// Keeps the first `keep` significant digits, rounding half away from
    /// zero on the next one.
    pub(super) fn round_at(&mut self, keep: i32) {
        if keep < 0 {
            *self = Digits {
                digits: Vec::new(),
                point: 0,
            };
            return;
        }
        let keep = keep as usize;
        if keep >= self.digits.len() {
            return;
        }
        let up = self.digits[keep] >= 5;
        self.digits.truncate(keep);
        if up {
            let mut i = keep;
            loop {
                if i == 0 {
                    self.digits.insert(0, 1);
                    self.point += 1;
                    break;
                }
                i -= 1;
                if self.digits[i] == 9 {
                    self.digits[i] = 0;
                } else {
                    self.digits[i] += 1;
                    break;
                }
            }
        }
        self.trim();
    }

    /// Rounds to `decimals` places after the point.
    pub(super) fn round_decimals(&mut self, decimals: i32) {
        if self.is_zero() {
            return;
        }
        self.round_at(self.point + decimals);
    }

    /// Multiplies by a power of ten.
    pub(super) fn shift(&mut self, places: i32) {
        if !self.is_zero() {
            self.point += places;
        }
    }

    /// The digit `k` places left of the point (0 = units); negative `k`
    /// reaches into the fraction (-1 = tenths).
    pub(super) fn digit(&self, k: i32) -> u8 {
        let index = self.point - 1 - k;
        if index < 0 {
            return 0;
        }
        self.digits.get(index as usize).copied().unwrap_or(0)
    }

    /// The integer part's digits without leading zeros (empty for 0.x).
    pub(super) fn int_string(&self) -> String {
        (0..self.point.max(0))
            .rev()
            .map(|k| char::from(b'0' + self.digit(k)))
            .collect()
    }

    /// Exactly `n` fraction digits (after rounding to `n`).
    pub(super) fn frac_string(&self, n: usize) -> String {
        (1..=n as i32)
            .map(|k| char::from(b'0' + self.digit(-k)))
            .collect()
    }

    /// The number of fraction digits needed to show the value exactly.
    pub(super) fn frac_len(&self) -> i32 {
        (self.digits.len() as i32 - self.point).max(0)
    }

    /// Plain fixed notation without trailing zeros (`0.0001`, `1234.5`).
    pub(super) fn fixed(&self) -> String {
        let int = self.int_string();
        let mut s = if int.is_empty() { "0".to_string() } else { int };
        let frac = self.frac_len();
        if frac > 0 {
            s.push('.');
            s.push_str(&self.frac_string(frac as usize));
        }
        s
    }

    /// Scientific notation with at most `sig` significant digits
    /// (`1.23457E+11`, `1E-05`).
    pub(super) fn scientific(&self, sig: i32) -> String {
        let mut d = self.clone();
        d.round_at(sig);
        if d.is_zero() {
            return "0E+00".into();
        }
        let exp = d.point - 1;
        let mut s = char::from(b'0' + d.digits[0]).to_string();
        if d.digits.len() > 1 {
            s.push('.');
            s.extend(d.digits[1..].iter().map(|&x| char::from(b'0' + x)));
        }
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{s}E{sign}{:02}", exp.abs())
    }
}
