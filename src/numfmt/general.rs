//! Excel's General format, in both of its sizes: a cell of standard
//! width (11 characters) and the text formulas make of a number (15
//! significant digits). Sections reach it through a `General` token
//! (`[Blue]General`, a date section's `General` shows the serial).

use super::digits::Digits;
use crate::model::number::Number;

/// How the `General` format sizes a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneralMode {
    /// As a cell of standard width shows it: at most 11 characters, then
    /// rounded or scientific (`0.333333333`, `1.23457E+11`).
    Cell,
    /// As formulas turn numbers into text: 15 significant digits
    /// (`0.333333333333333`).
    Text,
}

/// Excel's General format for a number.
pub(super) fn general_number(n: Number, mode: GeneralMode) -> String {
    if !n.is_finite() {
        return "#NUM!".into();
    }
    let d = Digits::of(n);
    let sign = if n < Number::ZERO && !d.is_zero() {
        "-"
    } else {
        ""
    };
    if d.is_zero() {
        return "0".into();
    }
    let e = d.point - 1;
    let body = match mode {
        GeneralMode::Text => {
            if (-9..15).contains(&e) {
                d.fixed()
            } else {
                d.scientific(15)
            }
        }
        GeneralMode::Cell => {
            if e >= 11 {
                d.scientific(6)
            } else if e <= -5 {
                let mut r = d.clone();
                r.round_decimals(12);
                if e > -10 && !r.is_zero() && r.frac_len() <= 9 {
                    r.fixed()
                } else {
                    d.scientific(6)
                }
            } else {
                let mut r = d.clone();
                let int_digits = (e + 1).max(1);
                r.round_decimals((10 - int_digits).max(0));
                if r.point > 11 {
                    d.scientific(6)
                } else {
                    r.fixed()
                }
            }
        }
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::super::number_to_text;
    use crate::model::number::Number;
    use crate::model::Value;
    use crate::numfmt::format_value;
    use crate::numfmt::tests::{f, t};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn general_in_a_cell_keeps_eleven_characters() {
        assert_eq!(f("0", "General"), "0");
        assert_eq!(f("7", ""), "7");
        assert_eq!(f("-7.5", "General"), "-7.5");
        assert_eq!(f("0.333333333333333", "General"), "0.333333333");
        assert_eq!(f("2.66666666666667", "General"), "2.666666667");
        assert_eq!(f("12345678901", "General"), "12345678901");
        assert_eq!(f("123456789012", "General"), "1.23457E+11");
        assert_eq!(f("100000000000", "General"), "1E+11");
        assert_eq!(f("1234567.891234", "General"), "1234567.891");
        assert_eq!(f("0.0001", "General"), "0.0001");
        assert_eq!(f("0.000123456789", "General"), "0.000123457");
        assert_eq!(f("0.0000123456789", "General"), "1.23457E-05");
        assert_eq!(f("0.0000000001", "General"), "1E-10");
        assert_eq!(format_value(&Value::from_f64(1e30), "General"), "1E+30");
        assert_eq!(format_value(&Value::from_f64(0.1 + 0.2), "General"), "0.3");
    }

    #[test]
    fn general_as_text_keeps_fifteen_digits() {
        let text = |s: &str| number_to_text(Number::Exact(Decimal::from_str(s).unwrap()));
        assert_eq!(number_to_text(Number::from_f64(0.1 + 0.2)), "0.3");
        assert_eq!(text("0.3333333333333333333333333333"), "0.333333333333333");
        assert_eq!(text("123456789012345"), "123456789012345");
        assert_eq!(text("1234567890123456"), "1.23456789012346E+15");
        assert_eq!(number_to_text(Number::from_f64(1e21)), "1E+21");
        assert_eq!(text("0.0001"), "0.0001");
        assert_eq!(text("0.00001"), "0.00001");
        // Excel's VALUETOTEXT of 7.123456E-9.
        assert_eq!(text("0.000000007123456"), "0.000000007123456");
        assert_eq!(text("0.0000000001"), "1E-10");
        assert_eq!(text("-2.5"), "-2.5");
        assert_eq!(text("100"), "100");
        assert_eq!(number_to_text(Number::from_f64(-1.5e-20)), "-1.5E-20");
        // TEXT sizes General as a standard-width cell does.
        assert_eq!(t("0.333333333333333333", "General"), "0.333333333");
    }
}
