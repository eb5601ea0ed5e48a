//! What CELL("format"), CELL("color") and CELL("parentheses") report
//! about a number format: Excel's short codes (`G`, `F2`, `,0`, `C2`,
//! `P0`, `S2`, `D1`..`D9`) read from the parsed sections.

use super::section::{NumberFormat, Section, SectionKind, Tok};

/// Characters that make a number section a currency format.
const CURRENCY_SYMBOLS: &[char] = &['$', '€', '£', '¥', '₩', '₹', '₽', '₺', '₪', '₫', '฿'];

impl NumberFormat {
    /// CELL("format")'s code for this format: `G`, `F2`, `,0`, `C2`, `P0`,
    /// `S2` or `D1`..`D9`, then `-` when negatives show in a colour and
    /// `()` when positives show in parentheses.
    pub fn cell_format_code(&self) -> String {
        let mut out = match self.numeric.first() {
            None => "G".to_string(),
            Some(section) => section_code(section),
        };
        if self.negative_in_color() {
            out.push('-');
        }
        if self.positive_in_parentheses() {
            out.push_str("()");
        }
        out
    }

    /// Whether negative numbers show in a colour (CELL("color")).
    pub fn negative_in_color(&self) -> bool {
        self.numeric.get(1).is_some_and(|s| s.color.is_some())
    }

    /// Whether positive (or all) numbers show in parentheses
    /// (CELL("parentheses")).
    pub fn positive_in_parentheses(&self) -> bool {
        self.numeric
            .first()
            .is_some_and(|s| s.has(|t| matches!(t, Tok::Lit(l) if l.contains('('))))
    }
}

fn section_code(section: &Section) -> String {
    match &section.kind {
        SectionKind::DateTime => date_code(section).to_string(),
        SectionKind::Fraction(_) => "G".to_string(),
        SectionKind::Number(layout) => {
            if section.has(|t| *t == Tok::General) || !section.has(|t| matches!(t, Tok::Digit(_))) {
                return "G".to_string();
            }
            let currency =
                section.has(|t| matches!(t, Tok::Lit(l) if l.contains(CURRENCY_SYMBOLS)));
            let letter = if layout.is_scientific() {
                "S"
            } else if layout.is_percent() {
                "P"
            } else if currency {
                "C"
            } else if layout.groups_thousands() {
                ","
            } else {
                "F"
            };
            format!("{letter}{}", layout.decimals())
        }
    }
}

/// The `D` code of a date or time section.
fn date_code(section: &Section) -> &'static str {
    let month_name = section.has(|t| matches!(t, Tok::Month(n) if *n >= 3));
    let month = section.has(|t| matches!(t, Tok::Month(_)));
    let year = section.has(|t| matches!(t, Tok::Year(_) | Tok::EraYear(_)));
    let day = section.has(|t| matches!(t, Tok::Day(_)));
    let time = section.has(|t| matches!(t, Tok::Hour(_) | Tok::Elapsed(..) | Tok::Minute(_)));
    let seconds = section.has(|t| matches!(t, Tok::Second(_)));
    let am_pm = section.has(|t| matches!(t, Tok::AmPm(_)));
    if year || month || day {
        if time || (year && day && !month_name) {
            "D4"
        } else if month_name && day && year {
            "D1"
        } else if month_name && day {
            "D2"
        } else if month_name || year {
            "D3"
        } else {
            "D5"
        }
    } else if am_pm {
        if seconds {
            "D6"
        } else {
            "D7"
        }
    } else if seconds {
        "D8"
    } else {
        "D9"
    }
}

#[cfg(test)]
mod tests {
    use super::NumberFormat;

    #[test]
    fn codes_follow_excels_table() {
        let cases = [
            ("", "G"),
            ("General", "G"),
            ("0", "F0"),
            ("#,##0", ",0"),
            ("0.00", "F2"),
            ("#,##0.00", ",2"),
            ("$#,##0_);($#,##0)", "C0"),
            ("$#,##0_);[Red]($#,##0)", "C0-"),
            ("$#,##0.00_);($#,##0.00)", "C2"),
            ("$#,##0.00_);[Red]($#,##0.00)", "C2-"),
            ("0%", "P0"),
            ("0.00%", "P2"),
            ("0.00E+00", "S2"),
            ("# ?/?", "G"),
            ("# ??/??", "G"),
            ("m/d/yy", "D4"),
            ("m/d/yy h:mm", "D4"),
            ("mm/dd/yy", "D4"),
            ("d-mmm-yy", "D1"),
            ("dd-mmm-yy", "D1"),
            ("d-mmm", "D2"),
            ("dd-mmm", "D2"),
            ("mmm-yy", "D3"),
            ("mm/dd", "D5"),
            ("h:mm AM/PM", "D7"),
            ("h:mm:ss AM/PM", "D6"),
            ("h:mm", "D9"),
            ("h:mm:ss", "D8"),
            ("(0.00)", "F2()"),
            ("#,##0.00 [$€-407]", "C2"),
            ("@", "G"),
        ];
        for (code, want) in cases {
            assert_eq!(NumberFormat::parse(code).cell_format_code(), want, "{code}");
        }
        assert!(NumberFormat::parse("0;[Red]-0").negative_in_color());
        assert!(!NumberFormat::parse("0;-0").negative_in_color());
        assert!(NumberFormat::parse("(0)").positive_in_parentheses());
        assert!(!NumberFormat::parse("0;(0)").positive_in_parentheses());
    }
}
