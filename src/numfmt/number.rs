//! Number sections: digit placeholders, grouping, scaling commas,
//! decimals, percent and scientific notation. The layout of a section's
//! placeholders is settled at parse time ([`NumberLayout`]); rendering
//! fills it with a value's exact decimal digits.

use super::digits::Digits;
use super::general::{general_number, GeneralMode};
use super::section::{digit_count, Ph, Tok, FILL_MARK};
use crate::model::number::Number;

/// How a number section's commas and placeholders are laid out.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NumberLayout {
    /// Index of the decimal point token, if any.
    point: Option<usize>,
    /// Index of the exponent token, if any.
    exp: Option<usize>,
    /// Placeholders before the point (and exponent).
    int_count: usize,
    /// Placeholders between point and exponent.
    frac_count: usize,
    /// Placeholders after the exponent.
    exp_count: usize,
    /// Whether commas between integer placeholders ask for grouping.
    thousands: bool,
    /// Indices of commas that print nothing (grouping, scaling, ignored).
    quiet: Vec<usize>,
    /// How many commas divide by 1000.
    scaling: usize,
    /// `%` signs, each multiplying by 100.
    percents: i32,
}

impl NumberLayout {
    /// Placeholders after the decimal point.
    pub(super) fn decimals(&self) -> usize {
        self.frac_count
    }

    /// Whether the section shows an exponent.
    pub(super) fn is_scientific(&self) -> bool {
        self.exp.is_some()
    }

    /// Whether the section shows a percentage.
    pub(super) fn is_percent(&self) -> bool {
        self.percents > 0
    }

    /// Whether the section groups thousands.
    pub(super) fn groups_thousands(&self) -> bool {
        self.thousands
    }

    /// Works out the layout of a number section's tokens.
    pub(super) fn of(tokens: &[Tok]) -> NumberLayout {
        let exp = tokens.iter().position(|t| matches!(t, Tok::Exp { .. }));
        let before_exp = exp.unwrap_or(tokens.len());
        let point = tokens[..before_exp].iter().position(|t| *t == Tok::Point);
        let int_end = point.unwrap_or(before_exp);
        let is_digit = |t: &Tok| matches!(t, Tok::Digit(_));
        let int_count = digit_count(&tokens[..int_end]);
        let frac_count = point.map_or(0, |p| digit_count(&tokens[p + 1..before_exp]));
        let exp_count = exp.map_or(0, |e| digit_count(&tokens[e + 1..]));
        // A comma right after a digit placeholder groups thousands when a
        // placeholder follows at once (integer part), is ignored when more
        // placeholders come later in the same part, and otherwise divides
        // by 1000 (also right after the point: `0.,`). Any other comma is
        // a literal.
        let mut thousands = false;
        let mut quiet = Vec::new();
        let mut scaling = 0;
        let mut i = 0;
        while i < before_exp {
            if tokens[i] != Tok::Comma {
                i += 1;
                continue;
            }
            let start = i;
            while i < before_exp && tokens[i] == Tok::Comma {
                i += 1;
            }
            let part_end = if start < int_end { int_end } else { before_exp };
            let after_digit = start > 0 && is_digit(&tokens[start - 1]);
            let after_point = start > 0 && point == Some(start - 1);
            let before_digit = i < part_end && is_digit(&tokens[i]);
            let digits_later = tokens[i..part_end].iter().any(is_digit);
            if after_digit && before_digit {
                thousands |= start < int_end;
                quiet.extend(start..i);
            } else if after_digit && digits_later {
                quiet.extend(start..i);
            } else if (after_digit || after_point) && !digits_later {
                scaling += i - start;
                quiet.extend(start..i);
            }
        }
        let percents = tokens.iter().filter(|t| **t == Tok::Percent).count() as i32;
        NumberLayout {
            point,
            exp,
            int_count,
            frac_count,
            exp_count,
            thousands,
            quiet,
            scaling,
            percents,
        }
    }
}

/// Writes the integer placeholders' share of `digits` (a digit string
/// without leading zeros): placeholders are filled from the right, extra
/// digits go to the first one.
pub(super) struct IntWriter<'a> {
    /// The digits, as ASCII.
    digits: &'a [u8],
    /// How many placeholders share them.
    count: usize,
    /// How many placeholders have been written.
    seen: usize,
    /// Whether a comma separates thousands.
    thousands: bool,
}

impl<'a> IntWriter<'a> {
    /// A writer of ASCII `digits` over `count` placeholders.
    pub(super) fn new(digits: &'a [u8], count: usize, thousands: bool) -> IntWriter<'a> {
        IntWriter {
            digits,
            count,
            seen: 0,
            thousands,
        }
    }

    /// Writes what the next placeholder, `ph`, shows.
    pub(super) fn write(&mut self, ph: Ph, out: &mut String) {
        let len = self.digits.len();
        let position = self.count - 1 - self.seen;
        let first = self.seen == 0;
        self.seen += 1;
        let emit = |k: usize, ph: Ph, out: &mut String| {
            let shown = if k < len {
                out.push(char::from(self.digits[len - 1 - k]));
                true
            } else {
                out.push_str(ph.fill());
                ph == Ph::Zero
            };
            if self.thousands && k > 0 && k.is_multiple_of(3) {
                // A `?` pad keeps the separator's width as a space.
                if shown {
                    out.push(',');
                } else if ph == Ph::Space {
                    out.push(' ');
                }
            }
        };
        if first {
            for k in (self.count..len).rev() {
                emit(k, Ph::Zero, out);
            }
        }
        emit(position, ph, out);
    }
}

/// Renders a number (its magnitude; the caller adds any minus sign) with
/// a number section's `tokens` laid out as `layout`.
pub(super) fn render_number(
    tokens: &[Tok],
    layout: &NumberLayout,
    abs: Number,
    mode: GeneralMode,
) -> String {
    let mut d = Digits::of(abs);
    d.shift(2 * layout.percents - 3 * layout.scaling as i32);

    let mut exponent = 0i32;
    if layout.exp.is_some() && !d.is_zero() {
        let int_count = layout.int_count.max(1) as i32;
        // The exponent is a multiple of the integer placeholders' count:
        // `##0.0E+0` is engineering notation, `00.E+00` shows 100 as
        // `01.E+02`.
        let place = |d: &Digits| (d.point - 1).div_euclid(int_count) * int_count;
        exponent = place(&d);
        let mut m = d.clone();
        m.shift(-exponent);
        m.round_decimals(layout.frac_count as i32);
        // Rounding up can carry into one more integer digit.
        let again = {
            let mut back = m.clone();
            back.shift(exponent);
            place(&back)
        };
        if again != exponent {
            exponent = again;
            m = d.clone();
            m.shift(-exponent);
            m.round_decimals(layout.frac_count as i32);
        }
        d = m;
    } else {
        d.round_decimals(layout.frac_count as i32);
    }

    let int_digits = d.int_string().into_bytes();
    let frac_digits = d.frac_string(layout.frac_count).into_bytes();
    let exp_digits = exponent.abs().to_string().into_bytes();
    let mut int_writer = IntWriter::new(&int_digits, layout.int_count, layout.thousands);
    let mut exp_writer = IntWriter::new(&exp_digits, layout.exp_count, false);
    let mut frac_seen = 0;
    let mut out = String::new();
    let int_end = layout.point.or(layout.exp).unwrap_or(tokens.len());
    let mut bare_int_written = false;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Digit(ph) => {
                if i < int_end {
                    int_writer.write(*ph, &mut out);
                } else if layout.exp.is_some_and(|e| i > e) {
                    exp_writer.write(*ph, &mut out);
                } else {
                    let k = frac_seen;
                    frac_seen += 1;
                    let c = frac_digits.get(k).copied().unwrap_or(b'0');
                    let trailing = frac_digits[k..].iter().all(|&x| x == b'0');
                    if c == b'0' && trailing {
                        out.push_str(ph.fill());
                    } else {
                        out.push(char::from(c));
                    }
                }
            }
            Tok::Point => {
                if layout.point == Some(i) {
                    // Without integer placeholders (`.00`) the whole part
                    // still shows in front of the point.
                    if layout.int_count == 0 && !bare_int_written && !int_digits.is_empty() {
                        out.push_str(std::str::from_utf8(&int_digits).unwrap_or(""));
                        bare_int_written = true;
                    }
                    out.push('.');
                } else {
                    out.push('.');
                }
            }
            Tok::Comma if !layout.quiet.contains(&i) => out.push(','),
            Tok::Percent => out.push('%'),
            Tok::Exp { plus, upper } => {
                out.push(if *upper { 'E' } else { 'e' });
                if exponent < 0 {
                    out.push('-');
                } else if *plus {
                    out.push('+');
                }
            }
            Tok::Slash => out.push('/'),
            Tok::At => {}
            Tok::Fill => out.push(FILL_MARK),
            Tok::General => out.push_str(&general_number(abs, mode)),
            // Date parts never reach a number section.
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::model::Value;
    use crate::numfmt::format_value;
    use crate::numfmt::tests::f;

    #[test]
    fn digit_placeholders() {
        assert_eq!(f("7", "000"), "007");
        assert_eq!(f("1007", "000"), "1007");
        assert_eq!(f("1008", "#"), "1008");
        assert_eq!(f("1009", "#,#"), "1,009");
        assert_eq!(f("12345678", "#,#"), "12,345,678");
        assert_eq!(f("12345678", "0,0"), "12,345,678");
        assert_eq!(f("1005", "00-00"), "10-05");
        assert_eq!(f("7", "0?0"), "0 7");
        assert_eq!(f("7", "0#0"), "07");
        assert_eq!(f("1234", "000 \"Millions\""), "1234 Millions");
        assert_eq!(f("1235", "#,000 \"Millions\""), "1,235 Millions");
        assert_eq!(f("1007", "0,00"), "1,007");
        assert_eq!(f("5.6", "0"), "6");
        assert_eq!(f("0.2", "0"), "0");
        assert_eq!(f("0", "#"), "");
        assert_eq!(f("0.6", "#"), "1");
        assert_eq!(f("0.4", "###0"), "0");
        assert_eq!(f("3.1", "00-.-0?0"), "03-.-1 0");
        assert_eq!(f("12.5", ".00"), "12.50");
        assert_eq!(f("0.5", "#.00"), ".50");
        assert_eq!(f("5", "??0"), "  5");
        assert_eq!(f("1.5", "0.0??"), "1.5  ");
    }

    #[test]
    fn decimals_round_half_away_from_zero_on_the_decimal() {
        assert_eq!(f("2.675", "0.00"), "2.68");
        assert_eq!(format_value(&Value::from_f64(2.675), "0.00"), "2.68");
        assert_eq!(f("-2.675", "0.00"), "-2.68");
        assert_eq!(f("1.005", "0.00"), "1.01");
        assert_eq!(f("0.5", "0"), "1");
        assert_eq!(f("2.5", "0"), "3");
        assert_eq!(f("9.999", "0.00"), "10.00");
        assert_eq!(f("123.456", "0.00"), "123.46");
        assert_eq!(f("3.1", "0.00"), "3.10");
        assert_eq!(f("1234.5678", "#,##0.###"), "1,234.568");
        assert_eq!(f("12.3", "#,##0.###"), "12.3");
        assert_eq!(f("1", "0.###"), "1.");
        assert_eq!(f("0.05", "0.###"), "0.05");
        assert_eq!(f("1234.567", "#,##0.0#"), "1,234.57");
        assert_eq!(f("12", "#,##0.0#"), "12.0");
        assert_eq!(f("1234.5", "###,##0.00"), "1,234.50");
        assert_eq!(f("0.2", "###,##0.00"), "0.20");
        // Excel keeps 15 significant digits before rounding for display.
        assert_eq!(
            format_value(&Value::from_f64(0.1399999999999999), "0.0%"),
            "14.0%"
        );
    }

    #[test]
    fn percent_and_scaling() {
        assert_eq!(f("0.12", "0.00%"), "12.00%");
        assert_eq!(f("0.12", "0.00%%"), "1200.00%%");
        assert_eq!(f("0.256", "0%"), "26%");
        assert_eq!(f("0.004", "0.00%"), "0.40%");
        assert_eq!(f("0.135", "0%"), "14%");
        assert_eq!(f("-0.135", "0%"), "-14%");
        assert_eq!(f("0.1345", "0.0%"), "13.5%");
        assert_eq!(f("0.256", "0.##%"), "25.6%");
        assert_eq!(f("1", "0.##%"), "100.%");
        assert_eq!(f("1234567", "#,##0,"), "1,235");
        assert_eq!(f("999", "#,##0,"), "1");
        assert_eq!(f("2510000", "#,##0,,"), "3");
        assert_eq!(f("1234567", "#,##0,,.0#"), "1.23");
        assert_eq!(f("987654321", "#,##0,,.0#"), "987.65");
        assert_eq!(f("1234567", "0.0,,"), "1.2");
        assert_eq!(f("1234567", "#,##0.0,,\" M\""), "1.2 M");
    }

    #[test]
    fn scientific() {
        assert_eq!(
            format_value(&Value::from_f64(2.5e-14), "0.00E+0"),
            "2.50E-14"
        );
        assert_eq!(f("0.0003", "0.00E+00"), "3.00E-04");
        assert_eq!(f("12345.1", "0.###E+00"), "1.235E+04");
        assert_eq!(f("12345", "0.###E+00"), "1.235E+04");
        assert_eq!(f("0.0123", "0.###E+00"), "1.23E-02");
        assert_eq!(f("1000", "0.###E+00"), "1.E+03");
        assert_eq!(f("0", "0.00E+00"), "0.00E+00");
        assert_eq!(f("-1234", "0.00E+00"), "-1.23E+03");
        assert_eq!(f("9.999", "0.00E+00"), "1.00E+01");
        assert_eq!(f("12345", "##0.0E+0"), "12.3E+3");
        assert_eq!(f("0.0123", "##0.0E+0"), "12.3E-3");
        assert_eq!(f("12345", "00.00E+00"), "01.23E+04");
        assert_eq!(f("1234", "0.0e-00"), "1.2e03");
    }

    #[test]
    fn accounting_formats() {
        let czk = "_-* #,##0.00 \"Kč\"_-;-* #,##0.00 \"Kč\"_-;_-* \"-\"?? \"Kč\"_-;_-@_-";
        assert_eq!(f("1234.5", czk), " 1,234.50 Kč ");
        assert_eq!(f("-1234.5", czk), "-1,234.50 Kč ");
        assert_eq!(f("0", czk), " -   Kč ");
        assert_eq!(format_value(&Value::Text("x".into()), czk), " x ");
        let usd = "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)";
        assert_eq!(f("1234.5", usd), " $1,234.50 ");
        assert_eq!(f("-1234.5", usd), " $(1,234.50)");
        // The fill (`* `) needs a column width, so it adds nothing.
        assert_eq!(f("0", usd), " $-   ");
    }
}
