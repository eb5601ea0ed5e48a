//! Complex numbers as Excel writes them in cells: text such as `3+4i`,
//! `-2.5j`, `i` or `1E-3-i`. Reading refuses anything else with `#NUM!`
//! (spaces, `I` in capitals, `4*i`); writing gives each part with 15
//! significant digits, drops a unit coefficient (`3+i`) and writes a
//! number whose imaginary part is 0 as the plain number (`0`).

use crate::formula::functions::*;
use crate::numfmt::number_to_text;
use num_complex::Complex64;

/// The letter that marks the imaginary unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Suffix {
    /// `i`, the default.
    I,
    /// `j`, as electrical engineers write it.
    J,
}

impl Suffix {
    fn letter(self) -> char {
        match self {
            Suffix::I => 'i',
            Suffix::J => 'j',
        }
    }

    /// The suffix COMPLEX's third argument names: `i`, `j` or empty for
    /// `i`; anything else (including `I`) is `#VALUE!`.
    pub(super) fn from_argument(text: &str) -> Result<Suffix, ErrorKind> {
        match text {
            "" | "i" => Ok(Suffix::I),
            "j" => Ok(Suffix::J),
            _ => Err(ErrorKind::Value),
        }
    }
}

/// A complex number read from a cell, with the suffix it was written
/// with (`None` for a plain real number, which fits either).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ComplexText {
    /// The number.
    pub value: Complex64,
    /// `i` or `j` when the text had an imaginary part.
    pub suffix: Option<Suffix>,
}

/// Reads a complex number from its text; `#NUM!` when it is not one.
pub(super) fn parse(text: &str) -> Result<ComplexText, ErrorKind> {
    if text.is_empty() {
        return Ok(ComplexText {
            value: Complex64::new(0.0, 0.0),
            suffix: None,
        });
    }
    let (body, suffix) = match text.as_bytes()[text.len() - 1] {
        b'i' => (&text[..text.len() - 1], Suffix::I),
        b'j' => (&text[..text.len() - 1], Suffix::J),
        _ => {
            let re = real(text)?;
            return Ok(ComplexText {
                value: Complex64::new(re, 0.0),
                suffix: None,
            });
        }
    };
    let (re, im) = match imaginary_start(body) {
        Some(at) => (real(&body[..at])?, coefficient(&body[at..])?),
        None => (0.0, coefficient(body)?),
    };
    Ok(ComplexText {
        value: Complex64::new(re, im),
        suffix: Some(suffix),
    })
}

/// Where the imaginary part starts in `3+4` (the text before the
/// suffix): the last sign that is neither the first character nor an
/// exponent's sign.
fn imaginary_start(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    (1..bytes.len())
        .rev()
        .find(|&k| matches!(bytes[k], b'+' | b'-') && !matches!(bytes[k - 1], b'e' | b'E'))
}

/// The coefficient of the imaginary unit: a number, or a bare sign (or
/// nothing) for ±1.
fn coefficient(text: &str) -> Result<f64, ErrorKind> {
    match text {
        "" | "+" => Ok(1.0),
        "-" => Ok(-1.0),
        _ => real(text),
    }
}

/// A decimal number in the form Excel accepts inside complex text:
/// optional sign, digits with at most one point, optional exponent.
fn real(text: &str) -> Result<f64, ErrorKind> {
    let bytes = text.as_bytes();
    let mut k = 0;
    if k < bytes.len() && matches!(bytes[k], b'+' | b'-') {
        k += 1;
    }
    let mut digits = 0;
    let mut point = false;
    while k < bytes.len() {
        match bytes[k] {
            b'0'..=b'9' => digits += 1,
            b'.' if !point => point = true,
            _ => break,
        }
        k += 1;
    }
    if digits == 0 {
        return Err(ErrorKind::Num);
    }
    if k < bytes.len() && matches!(bytes[k], b'e' | b'E') {
        k += 1;
        if k < bytes.len() && matches!(bytes[k], b'+' | b'-') {
            k += 1;
        }
        let start = k;
        while k < bytes.len() && bytes[k].is_ascii_digit() {
            k += 1;
        }
        if k == start {
            return Err(ErrorKind::Num);
        }
    }
    if k != bytes.len() {
        return Err(ErrorKind::Num);
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        _ => Err(ErrorKind::Num),
    }
}

/// One part as Excel writes it: 15 significant digits.
fn part(f: f64) -> String {
    number_to_text(Number::from_f64(f))
}

/// Writes a complex number as Excel does; `#NUM!` when a part is not
/// finite (an overflow on the way).
pub(super) fn format(z: Complex64, suffix: Suffix) -> Result<String, ErrorKind> {
    if !z.re.is_finite() || !z.im.is_finite() {
        return Err(ErrorKind::Num);
    }
    let re = part(z.re);
    if z.im == 0.0 {
        return Ok(re);
    }
    let im = match part(z.im).as_str() {
        "1" => String::new(),
        "-1" => "-".to_string(),
        other => other.to_string(),
    };
    let letter = suffix.letter();
    if z.re == 0.0 {
        return Ok(format!("{im}{letter}"));
    }
    let sign = if z.im > 0.0 { "+" } else { "" };
    Ok(format!("{re}{sign}{im}{letter}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (f64, f64, Option<Suffix>) {
        let c = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        (c.value.re, c.value.im, c.suffix)
    }

    #[test]
    fn reads_every_form_excel_writes() {
        assert_eq!(read("3+4i"), (3.0, 4.0, Some(Suffix::I)));
        assert_eq!(read("3-4j"), (3.0, -4.0, Some(Suffix::J)));
        assert_eq!(read("i"), (0.0, 1.0, Some(Suffix::I)));
        assert_eq!(read("-j"), (0.0, -1.0, Some(Suffix::J)));
        assert_eq!(read("+i"), (0.0, 1.0, Some(Suffix::I)));
        assert_eq!(read("5-i"), (5.0, -1.0, Some(Suffix::I)));
        assert_eq!(read("2.5i"), (0.0, 2.5, Some(Suffix::I)));
        assert_eq!(read("-7"), (-7.0, 0.0, None));
        assert_eq!(read("1E-3-2E+2i"), (0.001, -200.0, Some(Suffix::I)));
        assert_eq!(read("1.5e3"), (1500.0, 0.0, None));
        assert_eq!(read("0-j"), (0.0, -1.0, Some(Suffix::J)));
        assert_eq!(read(""), (0.0, 0.0, None));
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "3+4I", "3 + 4i", "abc", "4*i", "i3", "3+4", "1e", "3++4i", "ii", "inf", "NaN",
            "1e999", "3+4k", ".i", "--1",
        ] {
            assert_eq!(parse(bad), Err(ErrorKind::Num), "{bad}");
        }
    }

    #[test]
    fn writes_like_excel() {
        let w = |re: f64, im: f64| format(Complex64::new(re, im), Suffix::I).unwrap();
        assert_eq!(w(3.0, 4.0), "3+4i");
        assert_eq!(w(3.0, -4.0), "3-4i");
        assert_eq!(w(0.0, 1.0), "i");
        assert_eq!(w(0.0, -1.0), "-i");
        assert_eq!(w(2.0, 1.0), "2+i");
        assert_eq!(w(0.0, 0.0), "0");
        assert_eq!(w(-0.0, 0.0), "0");
        assert_eq!(w(1.5, 0.0), "1.5");
        assert_eq!(w(0.0, 2.0), "2i");
        assert_eq!(w(1.0 / 3.0, 0.0), "0.333333333333333");
        assert_eq!(w(1e20, 1e-20), "1E+20+1E-20i");
        assert_eq!(format(Complex64::new(1.0, 1.0), Suffix::J).unwrap(), "1+j");
        assert_eq!(
            format(Complex64::new(f64::INFINITY, 1.0), Suffix::I),
            Err(ErrorKind::Num)
        );
    }
}
