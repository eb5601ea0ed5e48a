//! Rendering a parsed format: which section a value falls to (by sign, or
//! by the sections' conditions), where its minus sign goes, and the
//! result's display hints. The section kinds render in their own files;
//! this is the one place that knows the rules between sections.

use super::datetime::render_date;
use super::fraction::render_fraction;
use super::general::{general_number, GeneralMode};
use super::number::render_number;
use super::section::{
    CmpOp, Condition, FormatColor, NumberFormat, Section, SectionKind, Tok, FILL_MARK,
};
use crate::model::number::Number;
use crate::model::value::{DateKind, Value};
use crate::model::workbook::DateSystem;

/// Where the rendered text sits in its cell when the cell's alignment is
/// `General`: Excel puts numbers right, text left, booleans and errors in
/// the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Booleans and errors.
    Center,
    /// Numbers and dates.
    Right,
}

/// The result of rendering a value: the text plus display hints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    /// What the user sees.
    pub text: String,
    /// The colour the chosen section asks for.
    pub color: Option<FormatColor>,
    /// Default horizontal placement.
    pub align: Align,
    /// A date or time format met a value outside Excel's date range
    /// (negative, or past 9999-12-31): a cell shows `#######`, TEXT fails.
    pub invalid: bool,
    /// The `*x` fill: the character and the byte offset in `text` where
    /// it repeats to fill the column. `text` leaves it out, as TEXT does.
    pub fill: Option<(char, usize)>,
}

impl Formatted {
    /// The text as a column `width` characters wide shows it: the fill
    /// character repeated where the code puts it until the text is that
    /// wide (Excel's accounting codes so push the currency sign to the
    /// left edge); the plain text when there is no fill or no room.
    pub fn fill_to(&self, width: usize) -> String {
        let Some((ch, at)) = self.fill else {
            return self.text.clone();
        };
        let missing = width.saturating_sub(self.text.chars().count());
        let mut out = String::with_capacity(self.text.len() + missing * ch.len_utf8());
        out.push_str(&self.text[..at]);
        out.extend(std::iter::repeat_n(ch, missing));
        out.push_str(&self.text[at..]);
        out
    }

    /// Takes the fill's stand-in out of the text and notes where it was.
    fn place_fill(mut self, section: Option<&Section>) -> Formatted {
        if let Some(at) = self.text.find(FILL_MARK) {
            self.text = self.text.replace(FILL_MARK, "");
            self.fill = section.and_then(|s| s.fill).map(|ch| (ch, at));
        }
        self
    }
}

impl Formatted {
    /// Text without colour, valid.
    fn plain(text: String, align: Align) -> Formatted {
        Formatted {
            text,
            color: None,
            align,
            invalid: false,
            fill: None,
        }
    }

    /// What a cell shows when no section or date fits the number.
    fn out_of_range(color: Option<FormatColor>) -> Formatted {
        Formatted {
            text: "#######".into(),
            color,
            align: Align::Right,
            invalid: true,
            fill: None,
        }
    }
}

impl NumberFormat {
    /// Renders a value (a number under a date code as a 1900-system
    /// serial).
    pub fn format(&self, value: &Value, mode: GeneralMode) -> Formatted {
        self.format_in(value, mode, DateSystem::Excel1900)
    }

    /// Renders a value of a workbook of date system `system`: a number
    /// under a date code is a serial of that system.
    pub fn format_in(&self, value: &Value, mode: GeneralMode, system: DateSystem) -> Formatted {
        match value {
            Value::Empty => Formatted::plain(String::new(), Align::Left),
            Value::Bool(b) => {
                Formatted::plain(if *b { "TRUE" } else { "FALSE" }.into(), Align::Center)
            }
            Value::Error(e) => Formatted::plain(e.as_str().into(), Align::Center),
            Value::Text(s) => match &self.text {
                Some(section) => Formatted {
                    color: section.color,
                    ..Formatted::plain(render_text(section, s), Align::Left)
                }
                .place_fill(Some(section)),
                None => Formatted::plain(s.to_string(), Align::Left),
            },
            Value::Number(n) => self.format_number(*n, None, mode, system.offset_to_1900() as i64),
            // A date value holds the model's 1900-system serial.
            Value::Date(d) => self.format_number(Number::from_f64(d.serial), Some(d.kind), mode, 0),
        }
    }

    /// Renders a number (or a date's serial, with its kind for `General`);
    /// `days_to_1900` is added to its whole days to find its calendar date.
    fn format_number(
        &self,
        n: Number,
        kind: Option<DateKind>,
        mode: GeneralMode,
        days_to_1900: i64,
    ) -> Formatted {
        if !n.is_finite() {
            return Formatted::plain("#NUM!".into(), Align::Center);
        }
        let negative = n < Number::ZERO;
        let (section, show_minus) = match self.choose(n) {
            Choice::Section(s, minus) => (Some(s), minus),
            Choice::General(minus) => (None, minus),
            Choice::Nothing => return Formatted::out_of_range(None),
        };
        let general_only = section.is_none_or(|s| s.tokens == [Tok::General]);
        if let (Some(kind), GeneralMode::Cell, true) = (kind, mode, general_only) {
            // A date under General: its usual form, as the reader saw it.
            let code = match kind {
                DateKind::Date => "yyyy-mm-dd",
                DateKind::DateTime => "yyyy-mm-dd hh:mm:ss",
                DateKind::Time => "hh:mm:ss",
                DateKind::Duration => "[h]:mm:ss",
            };
            return NumberFormat::parse(code).format_number(n, None, mode, days_to_1900);
        }
        let abs = n.abs();
        let signed = |body: String, only_zeros: bool| {
            if negative && show_minus && !only_zeros {
                format!("-{body}")
            } else {
                body
            }
        };
        let Some(section) = section else {
            return Formatted::plain(signed(general_number(abs, mode), false), Align::Right);
        };
        let tokens = &section.tokens;
        let rendered = match &section.kind {
            SectionKind::DateTime => render_date(section, n.to_f64(), days_to_1900),
            // Fractions keep their minus sign even when they show only
            // zeros (`-0.01` with `# ?/?` is `-0`).
            SectionKind::Fraction(layout) => {
                Some(signed(render_fraction(tokens, layout, abs), false))
            }
            SectionKind::Number(layout) => {
                let body = render_number(tokens, layout, abs, mode);
                let only_zeros = shows_only_zeros(section, &body);
                Some(signed(body, only_zeros))
            }
        };
        match rendered {
            Some(text) => Formatted {
                color: section.color,
                ..Formatted::plain(text, Align::Right)
            }
            .place_fill(Some(section)),
            None => Formatted::out_of_range(section.color),
        }
    }

    /// Picks the section for a number and whether a minus sign goes in
    /// front of its magnitude.
    fn choose(&self, n: Number) -> Choice<'_> {
        let secs = &self.numeric;
        let v = n.to_f64();
        if secs.is_empty() {
            return Choice::General(true);
        }
        if self.conditional {
            return self.choose_conditional(v);
        }
        let negative = v < 0.0;
        // One section serves every number and adds a minus sign itself;
        // with more, the second section writes negatives as it likes.
        let index = match secs.len() {
            1 => 0,
            2 => usize::from(negative),
            _ if negative => 1,
            _ if n.is_zero() => 2,
            _ => 0,
        };
        Choice::Section(&secs[index], secs.len() == 1)
    }

    /// Excel's rules for codes with conditions: the first section's
    /// condition defaults to `[>0]`; a second section without a condition
    /// takes what the first rejects (a lone section falls back to
    /// General); with two conditions and no third section nothing fits.
    /// Minus signs follow [`Condition::keeps_minus`], and an unconditioned
    /// second section shows one only after an `=`, `>` or `>=` test on a
    /// non-negative bound.
    fn choose_conditional(&self, v: f64) -> Choice<'_> {
        let secs = &self.numeric;
        let first = secs[0].condition.unwrap_or(Condition {
            op: CmpOp::Gt,
            value: 0.0,
        });
        if first.holds(v) {
            return Choice::Section(&secs[0], first.keeps_minus());
        }
        let second = secs.get(1).and_then(|s| s.condition);
        if secs.len() >= 3 {
            let second = second.unwrap_or(Condition {
                op: CmpOp::Lt,
                value: 0.0,
            });
            if second.holds(v) {
                return Choice::Section(&secs[1], second.keeps_minus());
            }
            let third = secs[2].condition;
            return match third {
                Some(c) if !c.holds(v) => Choice::Nothing,
                _ => Choice::Section(&secs[2], third.is_none_or(Condition::keeps_minus)),
            };
        }
        let fallback_minus = first.op == CmpOp::Eq
            || (first.value >= 0.0 && matches!(first.op, CmpOp::Gt | CmpOp::Ge));
        match (secs.get(1), second) {
            (Some(s), Some(c)) if c.holds(v) => Choice::Section(s, c.keeps_minus()),
            (Some(_), Some(_)) => Choice::Nothing,
            (Some(s), None) => Choice::Section(s, fallback_minus),
            (None, _) => Choice::General(fallback_minus),
        }
    }
}

/// The part of a format code a number falls to.
enum Choice<'a> {
    /// A section, and whether a minus sign goes before the magnitude.
    Section(&'a Section, bool),
    /// Plain General, and whether a minus sign goes before the magnitude.
    General(bool),
    /// No section accepts the number (Excel shows `#######`).
    Nothing,
}

/// Whether `body`, rendered by a number section, shows a number whose
/// digits all rounded to zero: Excel then drops the minus sign a lone
/// section would add (`-0.001` with `0.00` is `0.00`), except for
/// sections without digits.
fn shows_only_zeros(section: &Section, body: &str) -> bool {
    section.has(|t| matches!(t, Tok::Digit(_))) && !body.chars().any(|c| ('1'..='9').contains(&c))
}

/// Renders a text value with the text section: `@` is the text, literals
/// stay, anything else shows nothing.
fn render_text(section: &Section, text: &str) -> String {
    let mut out = String::new();
    for t in &section.tokens {
        match t {
            Tok::At => out.push_str(text),
            Tok::Lit(s) => out.push_str(s),
            Tok::Fill => out.push(FILL_MARK),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::ErrorKind;
    use crate::numfmt::format_value;
    use crate::numfmt::tests::{assert_table, f, num};

    #[test]
    fn negatives_and_sections() {
        assert_eq!(f("-123", "0.0"), "-123.0");
        assert_eq!(f("-3", "000.0"), "-003.0");
        assert_eq!(f("-23", "$#,##0"), "-$23");
        assert_eq!(f("3.1", "0.00;(0.00);(-)"), "3.10");
        assert_eq!(f("-3.1", "0.00;(0.00);(-)"), "(3.10)");
        assert_eq!(f("0", "0.00;(0.00);(-)"), "(-)");
        assert_eq!(f("-5", "0;-0;;@"), "-5");
        assert_eq!(f("0", "0;-0;;@"), "");
        assert_eq!(f("-0.3", "0;(0)"), "(0)");
        assert_eq!(f("-5", "#,##0;[Red]#,##0"), "5");
        assert_eq!(f("-5", "General;(General)"), "(5)");
        assert_eq!(f("-5", "0;"), "");
        // A lone section drops the sign when every shown digit is zero.
        assert_eq!(f("-0.001", "0.00"), "0.00");
        assert_eq!(f("-0.3", "0"), "0");
        assert_eq!(f("-0.00001", "000.0"), "000.0");
        assert_eq!(f("-0.01", "0.0;-0.0"), "-0.0");
        assert_eq!(f("-1", "-0.0"), "--1.0");
        assert_eq!(f("-0.01", "-0.0"), "-0.0");
        assert_eq!(f("-0.01", "\"x\""), "-x");
        assert_eq!(f("-0.01", "0 ??/??"), "-0      ");
        let red = NumberFormat::parse("#,##0;[Red]-#,##0").format(&num("-1234"), GeneralMode::Cell);
        assert_eq!(red.text, "-1,234");
        assert_eq!(red.color, Some(FormatColor::Red));
        let c = NumberFormat::parse("[Color10]0").format(&num("1"), GeneralMode::Cell);
        assert_eq!(c.color, Some(FormatColor::Indexed(10)));
        assert_eq!(
            NumberFormat::parse("[blue]0.00")
                .format(&num("3.1"), GeneralMode::Cell)
                .color,
            Some(FormatColor::Blue)
        );
    }

    #[test]
    fn conditions_pick_sections() {
        let code = "[>=1000]#,##0,\"K\";[>=0]0;\"(\"0\")\"";
        assert_eq!(f("123456", code), "123K");
        assert_eq!(f("12", code), "12");
        assert_eq!(f("-5", code), "-(5)");
        // A lone condition that fails falls back to General.
        assert_eq!(f("42", "[=]0.00"), "42");
        assert_eq!(f("0", "[=]0.00"), "0.00");
        let two = "[Red][<=100]0;[Blue][>100]0";
        assert_eq!(f("50", two), "50");
        assert_eq!(f("150", two), "150");
        assert_eq!(
            NumberFormat::parse(two)
                .format(&num("150"), GeneralMode::Cell)
                .color,
            Some(FormatColor::Blue)
        );
        assert_eq!(f("-7", "[<0](0);0"), "(7)");
        assert_eq!(f("-7", "[>100]0;0"), "-7");
    }

    /// Excel's choices for conditional codes, from the numfmt project's
    /// Excel-verified tests.
    #[test]
    fn conditional_sections_and_signs() {
        let cases: &[(&str, f64, &str)] = &[
            ("[>=100]\"A\"0;[<=-100]\"B\"0;\"C\"0", 6.3, "C6"),
            ("[>=100]\"A\"0;[<=-100]\"B\"0;\"C\"0", -6.3, "-C6"),
            ("[>=100]\"A\"0;[<=0]\"B\"0;\"C\"0", -6.3, "-B6"),
            ("[>=0]\"A\"0;[<=-100]\"B\"0;\"C\"0", -6.3, "-C6"),
            ("[>=0]\"A\"0;[<=-100]\"B\"0", 6.3, "A6"),
            ("[>=0]\"A\"0;[<=-100]\"B\"0", -6.3, "#######"),
            ("[>=100]\"A\"0;[<=0]\"B\"0", -6.3, "-B6"),
            ("[<=-100]\"B\"0;\"C\"0", 6.3, "C6"),
            ("[<=-100]\"B\"0;\"C\"0", -6.3, "C6"),
            ("[<=0]\"B\"0", 6.3, "6.3"),
            ("[<=0]\"B\"0", -6.3, "-B6"),
            ("[=6.3]\"B\"0", -6.3, "-6.3"),
            ("[<>6]\"B\"0", -6.3, "-B6"),
            ("[>6]\"A\"0;[<-6]\"B\"0", -6.3, "B6"),
            ("[>=100]\"A\"-0;[<=-100]\"B\"-0;\"C\"-0", -6.3, "-C-6"),
            ("[<>-6]\\A0", -5.0, "-A5"),
            ("[<-4]\\A0", -5.0, "A5"),
            ("[=-5]\\A0", -5.0, "A5"),
            ("[>-6]\\A0", -5.0, "-A5"),
            ("[<>-5]\\A0", -5.0, "5"),
            ("[<-6]\\A0", -5.0, "5"),
            ("[=-6]\\A0", -5.0, "-5"),
            ("[>2]\\A0", -5.0, "-5"),
            ("[<>-5]\\A0;\\B0", -5.0, "B5"),
            ("[=-6]\\A0;\\B0", -5.0, "-B5"),
            ("[>=2]\\A0;\\B0", -5.0, "-B5"),
            ("[<-4]\\A0;[=-5]\\B0;\\C0", -5.0, "A5"),
            ("[<>-5]\\A0;[<>-6]\\B0;\\C0", -5.0, "-B5"),
            ("[<>-5]\\A0;[<-4]\\B0;\\C0", -5.0, "B5"),
            ("[>2]\\A0;[>2]\\B0;\\C0", -5.0, "-C5"),
            ("\"A-\"0;[=-10]\"B-\"0;\"C-\"0", -10.0, "B-10"),
            ("\"A-\"0;[=-10]\"B-\"0;\"C-\"0", -1.0, "-C-1"),
            ("\"A-\"0;[=0]\"B-\"0;\"C-\"0", 0.0, "B-0"),
            ("\"A-\"0;[<0.5]\"B-\"0;\"C-\"0", -1.0, "-B-1"),
            ("\"A-\"0;[<0]\"B-\"0;\"C-\"0", -1.0, "B-1"),
            ("\"A-\"0;[<-5]\"B-\"0;\"C-\"0", -1.0, "-C-1"),
        ];
        assert_table(cases);
    }

    #[test]
    fn text_values_and_other_kinds() {
        let text = Value::Text("abc".into());
        assert_eq!(format_value(&text, "0.00"), "abc");
        assert_eq!(format_value(&text, "@"), "abc");
        assert_eq!(format_value(&text, "\"Name: \"@"), "Name: abc");
        assert_eq!(format_value(&text, "0;-0;0;\"<\"@\">\""), "<abc>");
        assert_eq!(format_value(&text, "0;-0;0;"), "");
        assert_eq!(f("5", "@"), "5");
        assert_eq!(f("5", "0.0;@"), "5.0");
        assert_eq!(format_value(&Value::Bool(true), "0.00"), "TRUE");
        assert_eq!(
            format_value(&Value::Error(ErrorKind::Div0), "0.00"),
            "#DIV/0!"
        );
        assert_eq!(format_value(&Value::Empty, "0.00"), "");
        let hint = NumberFormat::parse("0").format(&num("1"), GeneralMode::Cell);
        assert_eq!(hint.align, Align::Right);
    }
}
