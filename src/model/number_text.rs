//! Numbers written as people and Czech back offices write them: `1234.50`,
//! `1 234,50`, `-1 234,50` with a no-break space, `1.234,50`, `1,234.50`.
//!
//! One parser serves the CSV reader (which knows the file's decimal mark),
//! and `num()` and `--set` (which do not, and must refuse to guess where a
//! wrong guess would silently change a number a thousandfold).

use rust_decimal::Decimal;
use std::str::FromStr;

/// The mark that separates a number's fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1234.50`; `,` groups thousands.
    Point,
    /// `1234,50`; `.` and spaces group thousands.
    Comma,
}

/// Spaces that group thousands: the plain space, the no-break space Czech
/// Excel and banks write (U+00A0), and the narrow no-break space (U+202F)
/// of newer locale data.
pub fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// Digits with an optional sign, fraction and thousands groups, read with
/// a known decimal mark: `1,234.56` with [`DecimalMark::Point`], `1.234,56`
/// or `1 234,56` with [`DecimalMark::Comma`]. Groups after the first have
/// exactly three digits. Spaces group only with a decimal comma, where they
/// are the Czech convention; elsewhere `602 123 456` is more likely a
/// phone number than an amount. `None` when the text is not such a number.
pub fn parse_with_mark(text: &str, mark: DecimalMark) -> Option<Decimal> {
    let (dec, group) = match mark {
        DecimalMark::Point => ('.', ','),
        DecimalMark::Comma => (',', '.'),
    };
    let spaces = mark == DecimalMark::Comma;
    let t = text.trim();
    let (neg, body) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (int_part, frac) = match body.split_once(dec) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let groups: Vec<&str> = int_part
        .split(|c: char| c == group || (spaces && is_group_space(c)))
        .collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    let mut s = String::with_capacity(body.len() + 1);
    if neg {
        s.push('-');
    }
    s.push_str(&groups.concat());
    if let Some(f) = frac {
        s.push('.');
        s.push_str(f);
    }
    Decimal::from_str(&s).ok()
}

/// Why text typed without a known decimal mark is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberTextError {
    /// The text is not a number at all (it may be a date or a word).
    NotANumber,
    /// The text is a number, but which one depends on the decimal mark:
    /// the message says how to write it unambiguously.
    Ambiguous(String),
}

/// Reads a number typed by a person, whichever decimal mark they use:
///
/// - `1234.50`, `1 234.50`, `1,234.50`: a point is the decimal mark (as in
///   scripts), and a `,` before it groups thousands;
/// - `1234,50`, `1 234,50`, `1.234,50`, `0,125`, `1234,567`: a comma is the
///   decimal mark when it cannot be a thousands separator, that is, when
///   it is not followed by exactly three digits, when a space or `.` groups
///   the digits before it, or when the part before it has no digits but 0
///   or has more than three digits;
/// - `1,234` is refused as ambiguous: 1234 to an English reader, 1.234 to
///   a Czech one, and the difference is a thousandfold;
/// - `1,234,567` groups thousands; `1e5` is scientific notation.
pub fn parse_number_text(text: &str) -> Result<Decimal, NumberTextError> {
    let t = text.trim();
    let commas = t.matches(',').count();
    let points = t.matches('.').count();
    let mark = match (commas, points) {
        (0, 0) | (0, 1) => DecimalMark::Point,
        // `1.234.567`: points that group, and a date such as `30.11.2026`
        // fails the three-digit groups and stays for the date parser.
        (0, _) => DecimalMark::Comma,
        (_, 0) if commas > 1 => DecimalMark::Point,
        (_, 0) => {
            let (int_part, frac) = t.rsplit_once(',').unwrap_or((t, ""));
            let digits = int_part.trim_start_matches(['-', '+']);
            let grouped = digits.contains(is_group_space);
            let could_group = frac.len() == 3
                && !grouped
                && (1..=3).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !digits.starts_with('0')
                && frac.bytes().all(|b| b.is_ascii_digit());
            if could_group {
                return Err(NumberTextError::Ambiguous(format!(
                    "\"{t}\" could be {digits}{frac} or {digits}.{frac}: write {digits}{frac}, or {digits}.{frac} (or {digits},{frac}0) for the fraction"
                )));
            }
            DecimalMark::Comma
        }
        // Both marks: the last one is the decimal mark.
        _ if t.rfind(',') > t.rfind('.') => DecimalMark::Comma,
        _ => DecimalMark::Point,
    };
    if let Some(n) = parse_with_mark(t, mark) {
        return Ok(n);
    }
    // Spaces group thousands with either mark when a person types them.
    if mark == DecimalMark::Point && t.contains(is_group_space) && commas == 0 {
        let joined: String = t.chars().filter(|&c| !is_group_space(c)).collect();
        if let Some(n) = grouped_by_spaces(t).then(|| parse_with_mark(&joined, mark)) {
            return n.ok_or(NumberTextError::NotANumber);
        }
    }
    if t.contains(['e', 'E']) {
        if let Ok(n) = Decimal::from_scientific(t) {
            return Ok(n);
        }
    }
    Err(NumberTextError::NotANumber)
}

/// Whether the integer part of `t` is split by spaces into a first group
/// of one to three digits and further groups of exactly three.
fn grouped_by_spaces(t: &str) -> bool {
    let body = t.trim_start_matches(['-', '+']);
    let int_part = body.split('.').next().unwrap_or("");
    let groups: Vec<&str> = int_part.split(is_group_space).collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn known_mark_reads_groups() {
        assert_eq!(
            parse_with_mark("-1 234,50", DecimalMark::Comma),
            Some(d("-1234.50"))
        );
        assert_eq!(
            parse_with_mark("-1\u{a0}234,50", DecimalMark::Comma),
            Some(d("-1234.50"))
        );
        assert_eq!(
            parse_with_mark("1\u{202f}234\u{202f}567,5", DecimalMark::Comma),
            Some(d("1234567.5"))
        );
        assert_eq!(
            parse_with_mark("1.234,56", DecimalMark::Comma),
            Some(d("1234.56"))
        );
        assert_eq!(
            parse_with_mark("1,234.56", DecimalMark::Point),
            Some(d("1234.56"))
        );
        assert_eq!(parse_with_mark("1 234.56", DecimalMark::Point), None);
        assert_eq!(parse_with_mark("12 34,5", DecimalMark::Comma), None);
        assert_eq!(parse_with_mark("1,5", DecimalMark::Point), None);
        assert_eq!(parse_with_mark("12,", DecimalMark::Comma), None);
    }

    #[test]
    fn typed_numbers_take_the_mark_that_fits() {
        for (text, want) in [
            ("1234.50", "1234.50"),
            ("1234,50", "1234.50"),
            ("1 234,50", "1234.50"),
            ("-1\u{a0}234,50", "-1234.50"),
            ("1\u{202f}234,5", "1234.5"),
            ("1.234,50", "1234.50"),
            ("1,234.50", "1234.50"),
            ("1,234,567", "1234567"),
            ("1.234.567", "1234567"),
            ("1 234 567", "1234567"),
            ("1 234.5", "1234.5"),
            ("0,125", "0.125"),
            ("1234,567", "1234.567"),
            ("12,5", "12.5"),
            ("-0,5", "-0.5"),
            ("1.234", "1.234"),
            ("007", "7"),
            ("1e3", "1000"),
        ] {
            assert_eq!(parse_number_text(text), Ok(d(want)), "{text}");
        }
    }

    #[test]
    fn ambiguous_and_non_numbers_are_refused() {
        for text in ["1,234", "-999,000", "+1,500"] {
            assert!(
                matches!(parse_number_text(text), Err(NumberTextError::Ambiguous(_))),
                "{text}"
            );
        }
        for text in [
            "30.11.2026",
            "abc",
            "1,2,3",
            "12 34,5",
            "",
            "1.234,5,6",
            "1 2",
        ] {
            assert_eq!(
                parse_number_text(text),
                Err(NumberTextError::NotANumber),
                "{text}"
            );
        }
    }
}
