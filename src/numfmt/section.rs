//! The parsed form of a number-format code, apart from both the text it
//! comes from ([`super::parse`]) and the renderers that read it: parsing
//! settles once what every token means (a month or a minute, a grouping
//! or a scaling comma, a fraction or a literal slash), so rendering many
//! values never looks at the code's characters again, and a new piece of
//! the format language is one more token or layout here.

use super::fraction::FractionLayout;
use super::number::NumberLayout;

/// One of the colours a format section can ask for (`[Red]`, `[Color10]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatColor {
    /// `[Black]`
    Black,
    /// `[Blue]`
    Blue,
    /// `[Cyan]`
    Cyan,
    /// `[Green]`
    Green,
    /// `[Magenta]`
    Magenta,
    /// `[Red]`
    Red,
    /// `[White]`
    White,
    /// `[Yellow]`
    Yellow,
    /// `[ColorN]`: entry N (1-56) of the workbook's indexed palette.
    Indexed(u8),
}

/// A parsed number-format code, ready to render many values.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberFormat {
    /// Sections for numbers (one to three).
    pub(super) numeric: Vec<Section>,
    /// The section for text values (the fourth, or a last one holding `@`).
    pub(super) text: Option<Section>,
    /// Whether any section carries a condition such as `[>=1000]`.
    pub(super) conditional: bool,
}

impl NumberFormat {
    /// Whether numbers in this format show as dates or times.
    pub fn is_date(&self) -> bool {
        self.numeric
            .first()
            .is_some_and(|s| matches!(s.kind, SectionKind::DateTime))
    }
}

/// One `;`-separated part of a format code.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Section {
    /// What the section shows, in order.
    pub(super) tokens: Vec<Tok>,
    /// The colour it asks for (`[Red]`).
    pub(super) color: Option<FormatColor>,
    /// The numbers it is meant for (`[>=1000]`), if it says.
    pub(super) condition: Option<Condition>,
    /// How its tokens make a number's text.
    pub(super) kind: SectionKind,
    /// The language a locale tag names (`[$-405]`): month and weekday
    /// names, and for Japanese (`[$-411]`) the imperial era of `g`/`e`.
    pub(super) language: Option<super::locale::Language>,
    /// The character `*` repeats to fill the column (the first `*` of
    /// the section; Excel takes one).
    pub(super) fill: Option<char>,
    /// The calendar of its dates (`B1`, `B2`, a locale tag's calendar).
    pub(super) calendar: super::locale::Calendar,
}

impl Section {
    /// Whether any token satisfies `pred`.
    pub(super) fn has(&self, pred: impl Fn(&Tok) -> bool) -> bool {
        self.tokens.iter().any(pred)
    }
}

/// What a section makes of a number, with the token layout that rendering
/// needs, worked out when the code is parsed.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum SectionKind {
    /// Digits, grouping, decimals, percent, scientific (and General).
    Number(NumberLayout),
    /// A whole part and a fraction (`# ?/?`).
    Fraction(FractionLayout),
    /// Date and time parts; the number is a date serial.
    DateTime,
}

/// A comparison in a conditional section, such as `[>=1000]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Condition {
    /// How the number is compared.
    pub(super) op: CmpOp,
    /// What it is compared with.
    pub(super) value: f64,
}

/// The comparison of a [`Condition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=`
    Eq,
    /// `<>`
    Ne,
}

impl Condition {
    /// Whether `v` passes the comparison.
    pub(super) fn holds(self, v: f64) -> bool {
        match self.op {
            CmpOp::Lt => v < self.value,
            CmpOp::Le => v <= self.value,
            CmpOp::Gt => v > self.value,
            CmpOp::Ge => v >= self.value,
            CmpOp::Eq => v == self.value,
            CmpOp::Ne => v != self.value,
        }
    }

    /// Whether a negative number in this section shows its minus sign:
    /// not when the condition admits only negatives (`[<0]`, `[<=-5]`,
    /// `[=-5]`), as the section then formats the magnitude.
    pub(super) fn keeps_minus(self) -> bool {
        let only_negative = (self.value < 0.0
            && matches!(self.op, CmpOp::Lt | CmpOp::Le | CmpOp::Eq))
            || (self.value == 0.0 && self.op == CmpOp::Lt);
        !only_negative
    }
}

/// A digit placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ph {
    /// `0`: always a digit.
    Zero,
    /// `#`: a digit only when significant.
    Hash,
    /// `?`: a digit, or a space where `0` would show an insignificant zero.
    Space,
}

impl Ph {
    /// What an unused position shows.
    pub(super) fn fill(self) -> &'static str {
        match self {
            Ph::Zero => "0",
            Ph::Hash => "",
            Ph::Space => " ",
        }
    }

    /// The character the code spells it with.
    pub(super) fn symbol(self) -> &'static str {
        match self {
            Ph::Zero => "0",
            Ph::Hash => "#",
            Ph::Space => "?",
        }
    }
}

/// How an `AM/PM` marker is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AmPm {
    /// `AM/PM` (any case; always shown as `AM`/`PM`).
    Full,
    /// `A/P` (or `a/p`), shown in the case the code writes the `A`.
    Short {
        /// Whether the code writes a capital `A`.
        upper: bool,
    },
}

/// Elapsed-time units (`[h]`, `[mm]`, `[ss]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ElapsedUnit {
    /// `[h]`: whole hours.
    Hours,
    /// `[m]`: whole minutes.
    Minutes,
    /// `[s]`: whole seconds.
    Seconds,
}

/// One element of a section; the `u8` of a date part is how many letters
/// the code repeats (`mmm` is 3), which picks its form.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// Text shown as it is (quoted, escaped, or without a meaning).
    Lit(String),
    /// A digit placeholder.
    Digit(Ph),
    /// `.`: the decimal point.
    Point,
    /// A comma: thousands separator or scaling, decided per section.
    Comma,
    /// `%`: the number times 100, and the sign.
    Percent,
    /// `E+`/`E-`/`e+`/`e-`: scientific notation.
    Exp {
        /// `+`: the exponent shows its sign when positive too.
        plus: bool,
        /// `E` rather than `e`.
        upper: bool,
    },
    /// `/`: a fraction bar, or a literal where no fraction fits.
    Slash,
    /// `@`: the text value.
    At,
    /// `General`: the number as the General format shows it.
    General,
    /// `yy` (2) or `yyyy` (4).
    Year(u8),
    /// `m`/`mm`/...: month, or minutes next to hours or seconds; parsing
    /// leaves only [`Tok::Month`] or [`Tok::Minute`].
    MonthOrMinute(u8),
    /// `m`, `mm`, `mmm`, `mmmm`, `mmmmm`.
    Month(u8),
    /// `m`, `mm` next to hours or seconds.
    Minute(u8),
    /// `d`, `dd`; `ddd`, `dddd` name the weekday.
    Day(u8),
    /// `h`, `hh`.
    Hour(u8),
    /// `s`, `ss`.
    Second(u8),
    /// `.0`, `.00`, `.000` after seconds: that many decimals of a second.
    SubSecond(u8),
    /// `AM/PM` or `A/P`: a 12-hour clock.
    AmPm(AmPm),
    /// `[h]`, `[mm]`, `[ss]`: a duration in one unit, zero-padded to width.
    Elapsed(ElapsedUnit, u8),
    /// `g`, `gg`, `ggg`: the Japanese era (nothing elsewhere).
    Era(u8),
    /// `e`, `ee`: the year of the era (the plain year elsewhere).
    EraYear(u8),
    /// `bb` (2) or `bbbb` (4): the year of the Buddhist era.
    BuddhistYear(u8),
    /// `*x`: where the section's fill character repeats to fill the
    /// column (the character is the section's [`Section::fill`]).
    Fill,
}

/// Stands in the rendered text where the fill goes, until
/// [`super::render`] takes it out and notes the place.
pub(super) const FILL_MARK: char = '\u{1}';

impl Tok {
    /// Whether the token makes its section a date or time.
    pub(super) fn is_date_part(&self) -> bool {
        matches!(
            self,
            Tok::Year(_)
                | Tok::MonthOrMinute(_)
                | Tok::Month(_)
                | Tok::Minute(_)
                | Tok::Day(_)
                | Tok::Hour(_)
                | Tok::Second(_)
                | Tok::SubSecond(_)
                | Tok::AmPm(_)
                | Tok::Elapsed(..)
                | Tok::Era(_)
                | Tok::EraYear(_)
                | Tok::BuddhistYear(_)
        )
    }
}

/// How many digit placeholders `tokens` hold.
pub(super) fn digit_count(tokens: &[Tok]) -> usize {
    tokens.iter().filter(|t| matches!(t, Tok::Digit(_))).count()
}
