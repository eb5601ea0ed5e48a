//! Rendering values with Excel number-format codes, as a user sees them
//! in a cell (and as the TEXT function returns them).
//!
//! A format code has up to four `;`-separated sections (positive, negative,
//! zero, text), each a sequence of digit placeholders, literals, date/time
//! parts and bracketed modifiers (colours, conditions, currency tags,
//! elapsed-time units). [`NumberFormat::parse`] turns a code into sections
//! once, so a caller that formats many cells with one style can keep it.
//!
//! Digits are worked out on the decimal digits of the value, never through
//! binary floating point: a value is first cut to 15 significant digits (as
//! Excel stores and shows numbers), then rounded half away from zero at the
//! displayed position, so `2.675` with `0.00` shows `2.68`.

use crate::model::number::Number;
use crate::model::value::{date_from_serial, DateKind, Value, MAX_DATE_SERIAL};
use crate::model::workbook::DateSystem;
use chrono::Datelike;

/// Renders `value` with the Excel number-format `code` as a cell shows it
/// (`""` or `General` for the general format, which keeps a number within
/// the 11 characters of a standard-width column). A date value is its
/// serial number to every code except `General`, where it shows in ISO
/// form (`2026-01-31`, `14:30:00`) rather than as a bare serial. Callers
/// that format many cells with one code can keep a [`NumberFormat`].
pub fn format_value(value: &Value, code: &str) -> String {
    format_value_in(value, code, DateSystem::Excel1900)
}

/// [`format_value`] for a cell of a workbook of date system `system`: a
/// number under a date code is a serial of that system, as Excel shows it.
pub fn format_value_in(value: &Value, code: &str, system: DateSystem) -> String {
    with_parsed(code, |f| f.format_in(value, GeneralMode::Cell, system).text)
}

/// Renders `value` as Excel's TEXT function does: like a cell, except that
/// `General` keeps 15 significant digits and a date format applied to a
/// value outside Excel's date range gives `None` (TEXT returns `#VALUE!`).
pub fn format_text(value: &Value, code: &str) -> Option<String> {
    format_text_in(value, code, DateSystem::Excel1900)
}

/// [`format_text`] in a workbook of date system `system`: a number under
/// a date code is a serial of that system (a date value is a date in any
/// system), as TEXT reads it in a 1904 workbook.
pub fn format_text_in(value: &Value, code: &str, system: DateSystem) -> Option<String> {
    let formatted = with_parsed(code, |f| f.format_in(value, GeneralMode::Text, system));
    (!formatted.invalid).then_some(formatted.text)
}

/// Runs `f` on the parsed `code`, parsing each code once per thread:
/// a workbook uses a handful of codes for thousands of cells.
fn with_parsed<T>(code: &str, f: impl FnOnce(&NumberFormat) -> T) -> T {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    thread_local! {
        static CACHE: RefCell<HashMap<String, Rc<NumberFormat>>> = RefCell::new(HashMap::new());
    }
    let parsed = CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(p) = cache.get(code) {
            return Rc::clone(p);
        }
        // Bounded: codes built by formulas (TEXT) could be endless.
        if cache.len() >= 256 {
            cache.clear();
        }
        let p = Rc::new(NumberFormat::parse(code));
        cache.insert(code.to_string(), Rc::clone(&p));
        p
    });
    f(&parsed)
}

/// A number as Excel turns it into text in formulas (`&`, CONCAT, LEN,
/// comparisons with text): 15 significant digits, trailing zeros dropped,
/// scientific notation below 1E-9 and from 1E+15 on. `0.1+0.2` gives `0.3`.
pub fn number_to_text(n: Number) -> String {
    general_number(n, GeneralMode::Text)
}

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
}

/// A parsed number-format code, ready to render many values.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberFormat {
    /// Sections for numbers (one to three).
    numeric: Vec<Section>,
    /// The section for text values (the fourth, or a last one holding `@`).
    text: Option<Section>,
    /// Whether any section carries a condition such as `[>=1000]`.
    conditional: bool,
}

impl NumberFormat {
    /// Parses a format code. Every code parses: characters without a
    /// meaning are shown as they are, as Excel does with codes from files.
    pub fn parse(code: &str) -> NumberFormat {
        if code.trim().is_empty() {
            return NumberFormat {
                numeric: Vec::new(),
                text: None,
                conditional: false,
            };
        }
        let mut sections: Vec<Section> = split_sections(code)
            .into_iter()
            .take(4)
            .map(|s| parse_section(&s))
            .collect();
        let text_last =
            sections.len() == 4 || sections.last().is_some_and(|s| s.has(|t| *t == Tok::At));
        let text = if text_last { sections.pop() } else { None };
        let conditional = sections.iter().any(|s| s.condition.is_some());
        NumberFormat {
            numeric: sections,
            text,
            conditional,
        }
    }

    /// Whether numbers in this format show as dates or times.
    pub fn is_date(&self) -> bool {
        self.numeric.first().is_some_and(|s| s.is_date)
    }

    /// Renders a value (a number under a date code as a 1900-system
    /// serial).
    pub fn format(&self, value: &Value, mode: GeneralMode) -> Formatted {
        self.format_in(value, mode, DateSystem::Excel1900)
    }

    /// Renders a value of a workbook of date system `system`: a number
    /// under a date code is a serial of that system.
    pub fn format_in(&self, value: &Value, mode: GeneralMode, system: DateSystem) -> Formatted {
        let plain = |text: String, align| Formatted {
            text,
            color: None,
            align,
            invalid: false,
        };
        match value {
            Value::Empty => plain(String::new(), Align::Left),
            Value::Bool(b) => plain(if *b { "TRUE" } else { "FALSE" }.into(), Align::Center),
            Value::Error(e) => plain(e.as_str().into(), Align::Center),
            Value::Text(s) => match &self.text {
                Some(section) => Formatted {
                    text: section.render_text(s),
                    color: section.color,
                    align: Align::Left,
                    invalid: false,
                },
                None => plain(s.clone(), Align::Left),
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
            return Formatted {
                text: "#NUM!".into(),
                color: None,
                align: Align::Center,
                invalid: false,
            };
        }
        let negative = n < Number::ZERO;
        let (section, show_minus) = match self.choose(n) {
            Choice::Section(s, minus) => (Some(s), minus),
            Choice::General(minus) => (None, minus),
            Choice::Nothing => {
                return Formatted {
                    text: "#######".into(),
                    color: None,
                    align: Align::Right,
                    invalid: true,
                }
            }
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
        let Some(section) = section else {
            let body = general_number(n.abs(), mode);
            return Formatted {
                text: if negative && show_minus {
                    format!("-{body}")
                } else {
                    body
                },
                color: None,
                align: Align::Right,
                invalid: false,
            };
        };
        let abs = n.abs();
        let rendered = if section.is_date {
            render_date(section, n.to_f64(), days_to_1900)
        } else {
            let body = render_number(section, abs, mode);
            Some(
                if negative && show_minus && !section.shows_only_zeros(&body) {
                    format!("-{body}")
                } else {
                    body
                },
            )
        };
        match rendered {
            Some(text) => Formatted {
                text,
                color: section.color,
                align: Align::Right,
                invalid: false,
            },
            None => Formatted {
                text: "#######".into(),
                color: section.color,
                align: Align::Right,
                invalid: true,
            },
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

/// A comparison in a conditional section, such as `[>=1000]`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Condition {
    op: CmpOp,
    value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Condition {
    fn holds(self, v: f64) -> bool {
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
    fn keeps_minus(self) -> bool {
        let only_negative = (self.value < 0.0
            && matches!(self.op, CmpOp::Lt | CmpOp::Le | CmpOp::Eq))
            || (self.value == 0.0 && self.op == CmpOp::Lt);
        !only_negative
    }

    fn parse(inner: &str) -> Option<Condition> {
        let (op, rest) = if let Some(r) = inner.strip_prefix("<=") {
            (CmpOp::Le, r)
        } else if let Some(r) = inner.strip_prefix(">=") {
            (CmpOp::Ge, r)
        } else if let Some(r) = inner.strip_prefix("<>") {
            (CmpOp::Ne, r)
        } else if let Some(r) = inner.strip_prefix('<') {
            (CmpOp::Lt, r)
        } else if let Some(r) = inner.strip_prefix('>') {
            (CmpOp::Gt, r)
        } else if let Some(r) = inner.strip_prefix('=') {
            (CmpOp::Eq, r)
        } else {
            return None;
        };
        let rest = rest.trim();
        // `[=]` compares with zero.
        let value = if rest.is_empty() {
            0.0
        } else {
            rest.parse().ok()?
        };
        Some(Condition { op, value })
    }
}

/// A digit placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ph {
    /// `0`: always a digit.
    Zero,
    /// `#`: a digit only when significant.
    Hash,
    /// `?`: a digit, or a space where `0` would show an insignificant zero.
    Space,
}

impl Ph {
    /// What an unused position shows.
    fn fill(self) -> &'static str {
        match self {
            Ph::Zero => "0",
            Ph::Hash => "",
            Ph::Space => " ",
        }
    }
}

/// How an `AM/PM` marker is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AmPm {
    /// `AM/PM` (any case; always shown as `AM`/`PM`).
    Full,
    /// `A/P` (or `a/p`).
    Short { upper: bool },
}

/// Elapsed-time units (`[h]`, `[mm]`, `[ss]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Hours,
    Minutes,
    Seconds,
}

/// One element of a section.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(String),
    Digit(Ph),
    Point,
    /// A comma: thousands separator or scaling, decided per section.
    Comma,
    Percent,
    Exp {
        plus: bool,
        upper: bool,
    },
    Slash,
    At,
    General,
    Year(u8),
    /// `m`/`mm`/...: month, or minutes next to hours or seconds.
    MonthOrMinute(u8),
    Month(u8),
    Minute(u8),
    Day(u8),
    Hour(u8),
    Second(u8),
    SubSecond(u8),
    AmPm(AmPm),
    Elapsed(Unit, u8),
    /// `g`, `gg`, `ggg`: the Japanese era (nothing elsewhere).
    Era(u8),
    /// `e`, `ee`: the year of the era (the plain year elsewhere).
    EraYear(u8),
}

impl Tok {
    fn is_date_part(&self) -> bool {
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
        )
    }
}

/// One `;`-separated part of a format code.
#[derive(Debug, Clone, PartialEq)]
struct Section {
    tokens: Vec<Tok>,
    color: Option<FormatColor>,
    condition: Option<Condition>,
    is_date: bool,
    /// A Japanese locale tag (`[$-411]`): `g`/`e` show the imperial era.
    japanese: bool,
}

impl Section {
    fn has(&self, pred: impl Fn(&Tok) -> bool) -> bool {
        self.tokens.iter().any(pred)
    }

    /// Whether `body`, rendered by this section, shows a number whose
    /// digits all rounded to zero: Excel then drops the minus sign a lone
    /// section would add (`-0.001` with `0.00` is `0.00`), except for
    /// fractions and sections without digits.
    fn shows_only_zeros(&self, body: &str) -> bool {
        self.has(|t| matches!(t, Tok::Digit(_)))
            && !has_fraction_layout(&self.tokens)
            && !body.chars().any(|c| ('1'..='9').contains(&c))
    }

    fn render_text(&self, text: &str) -> String {
        let mut out = String::new();
        for t in &self.tokens {
            match t {
                Tok::At => out.push_str(text),
                Tok::Lit(s) => out.push_str(s),
                _ => {}
            }
        }
        out
    }
}

/// Splits a code on `;` outside quotes, brackets and escapes.
fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let mut chars = code.chars();
    let mut in_quotes = false;
    let mut in_bracket = false;
    while let Some(c) = chars.next() {
        let cur = sections.last_mut().expect("never empty");
        match c {
            '"' => {
                in_quotes = !in_quotes;
                cur.push(c);
            }
            _ if in_quotes => cur.push(c),
            '[' => {
                in_bracket = true;
                cur.push(c);
            }
            ']' => {
                in_bracket = false;
                cur.push(c);
            }
            _ if in_bracket => cur.push(c),
            '\\' | '_' | '*' | '!' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ';' => sections.push(String::new()),
            _ => cur.push(c),
        }
    }
    sections
}

/// Appends a literal, merging with a preceding literal.
fn push_lit(tokens: &mut Vec<Tok>, s: &str) {
    if let Some(Tok::Lit(prev)) = tokens.last_mut() {
        prev.push_str(s);
    } else {
        tokens.push(Tok::Lit(s.to_string()));
    }
}

fn parse_bracket(inner: &str, section: &mut Section) {
    let lower = inner.to_ascii_lowercase();
    let color = match lower.as_str() {
        "black" => Some(FormatColor::Black),
        "blue" => Some(FormatColor::Blue),
        "cyan" => Some(FormatColor::Cyan),
        "green" => Some(FormatColor::Green),
        "magenta" => Some(FormatColor::Magenta),
        "red" => Some(FormatColor::Red),
        "white" => Some(FormatColor::White),
        "yellow" => Some(FormatColor::Yellow),
        _ => lower
            .strip_prefix("color")
            .and_then(|n| n.trim().parse::<u8>().ok())
            .map(FormatColor::Indexed),
    };
    if let Some(color) = color {
        section.color = Some(color);
        return;
    }
    if let Some(rest) = inner.strip_prefix('$') {
        let locale = rest.rsplit('-').next().unwrap_or("");
        let lcid = u32::from_str_radix(locale, 16).unwrap_or(0);
        if lcid & 0xFFFF == 0x411 || lower.contains("ja-jp") {
            section.japanese = true;
        }
        // `[$€-407]`: the symbol before the locale id is shown.
        let symbol = rest.split('-').next().unwrap_or("");
        if !symbol.is_empty() {
            push_lit(&mut section.tokens, symbol);
        }
        return;
    }
    if let Some(cond) = Condition::parse(inner) {
        section.condition = Some(cond);
        return;
    }
    let mut chars = lower.chars();
    if let Some(first) = chars.next() {
        let width = lower.len() as u8;
        if chars.all(|c| c == first) {
            let unit = match first {
                'h' => Some(Unit::Hours),
                'm' => Some(Unit::Minutes),
                's' => Some(Unit::Seconds),
                _ => None,
            };
            if let Some(unit) = unit {
                section.tokens.push(Tok::Elapsed(unit, width));
            }
        }
    }
    // Anything else (`[DBNum1]`, `[$-x-sysdate]`...) changes nothing we show.
}

fn parse_section(src: &str) -> Section {
    let mut section = Section {
        tokens: Vec::new(),
        color: None,
        condition: None,
        is_date: false,
        japanese: false,
    };
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let tokens = &mut section.tokens;
        match c {
            '"' => {
                let mut lit = String::new();
                i += 1;
                while i < chars.len() {
                    if chars[i] == '"' {
                        if chars.get(i + 1) == Some(&'"') {
                            lit.push('"');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    lit.push(chars[i]);
                    i += 1;
                }
                push_lit(tokens, &lit);
            }
            '\\' | '!' => {
                if let Some(n) = chars.get(i + 1) {
                    push_lit(tokens, &n.to_string());
                    i += 1;
                }
            }
            '_' => {
                // Space as wide as the next character: one space.
                if i + 1 < chars.len() {
                    push_lit(tokens, " ");
                    i += 1;
                }
            }
            '*' => {
                // Repeat to fill the cell: nothing to repeat without a width.
                i += 1;
            }
            '[' => {
                let mut inner = String::new();
                i += 1;
                while i < chars.len() && chars[i] != ']' {
                    inner.push(chars[i]);
                    i += 1;
                }
                parse_bracket(&inner, &mut section);
            }
            '0' => tokens.push(Tok::Digit(Ph::Zero)),
            '#' => tokens.push(Tok::Digit(Ph::Hash)),
            '?' => tokens.push(Tok::Digit(Ph::Space)),
            '.' => tokens.push(Tok::Point),
            ',' => tokens.push(Tok::Comma),
            '%' => {
                tokens.push(Tok::Percent);
            }
            '/' => tokens.push(Tok::Slash),
            '@' => tokens.push(Tok::At),
            'E' | 'e' if matches!(chars.get(i + 1), Some('+') | Some('-')) => {
                tokens.push(Tok::Exp {
                    plus: chars[i + 1] == '+',
                    upper: c == 'E',
                });
                i += 1;
            }
            'G' | 'g' if matches_word(&chars[i..], "general") => {
                tokens.push(Tok::General);
                i += "general".len() - 1;
            }
            'A' | 'a' if matches_word(&chars[i..], "am/pm") => {
                tokens.push(Tok::AmPm(AmPm::Full));
                i += 4;
            }
            'A' | 'a' if matches_word(&chars[i..], "a/p") => {
                tokens.push(Tok::AmPm(AmPm::Short { upper: c == 'A' }));
                i += 2;
            }
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'e' | 'g' | 'G' => {
                let lower = c.to_ascii_lowercase();
                let mut n = 1;
                while chars
                    .get(i + n)
                    .is_some_and(|x| x.to_ascii_lowercase() == lower)
                {
                    n += 1;
                }
                i += n - 1;
                let n = n.min(255) as u8;
                tokens.push(match lower {
                    'y' => Tok::Year(if n <= 2 { 2 } else { 4 }),
                    'e' => Tok::EraYear(n),
                    'g' => Tok::Era(n),
                    'm' => Tok::MonthOrMinute(n),
                    'd' => Tok::Day(n),
                    'h' => Tok::Hour(n),
                    _ => Tok::Second(n),
                });
            }
            _ => push_lit(tokens, &c.to_string()),
        }
        i += 1;
    }
    // A section holding only a colour or a condition (`[Blue]`) shows
    // the number in General; an empty one (`0;;`) and a bare locale tag
    // (`[$-409]`) show nothing.
    if section.tokens.is_empty() && !src.trim().is_empty() && !src.contains("[$") {
        section.tokens.push(Tok::General);
    }
    section.is_date = section.has(Tok::is_date_part);
    if section.is_date {
        finish_date_section(&mut section.tokens);
    }
    section
}

/// Case-insensitive prefix test on a char slice.
fn matches_word(chars: &[char], word: &str) -> bool {
    let mut it = chars.iter();
    word.chars()
        .all(|w| it.next().is_some_and(|c| c.to_ascii_lowercase() == w))
}

/// Settles what only the whole section tells: `m` is minutes right after
/// hours or right before seconds, `.0` after seconds is a fraction of a
/// second, and other digit signs are plain characters.
fn finish_date_section(tokens: &mut Vec<Tok>) {
    let date_parts: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].is_date_part())
        .collect();
    for (k, &i) in date_parts.iter().enumerate() {
        if let Tok::MonthOrMinute(n) = tokens[i] {
            let prev_is_hour = k > 0
                && matches!(
                    tokens[date_parts[k - 1]],
                    Tok::Hour(_) | Tok::Elapsed(Unit::Hours, _)
                );
            let next_is_second = date_parts.get(k + 1).is_some_and(|&j| {
                matches!(tokens[j], Tok::Second(_) | Tok::Elapsed(Unit::Seconds, _))
            });
            tokens[i] = if n <= 2 && (prev_is_hour || next_is_second) {
                Tok::Minute(n)
            } else {
                Tok::Month(n)
            };
        }
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Tok::Point if tokens.get(i + 1) == Some(&Tok::Digit(Ph::Zero)) => {
                let mut n = 0;
                while tokens.get(i + 1 + n) == Some(&Tok::Digit(Ph::Zero)) {
                    n += 1;
                }
                out.push(Tok::SubSecond(n.min(3) as u8));
                i += n;
            }
            Tok::Digit(ph) => push_lit(
                &mut out,
                match ph {
                    Ph::Zero => "0",
                    Ph::Hash => "#",
                    Ph::Space => "?",
                },
            ),
            Tok::Point => push_lit(&mut out, "."),
            Tok::Comma => push_lit(&mut out, ","),
            Tok::Slash => push_lit(&mut out, "/"),
            Tok::Percent => push_lit(&mut out, "%"),
            t => out.push(t.clone()),
        }
        i += 1;
    }
    *tokens = out;
}

/// The decimal digits of a non-negative number: `digits` (no leading
/// zero) with the decimal point after `point` of them, so `[1,2,3]` with
/// point 1 is 1.23 and with point -1 is 0.0123. Zero has no digits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Digits {
    digits: Vec<u8>,
    point: i32,
}

impl Digits {
    /// The digits of `|n|`, cut to 15 significant digits as Excel holds it.
    fn of(n: Number) -> Digits {
        let text = match n {
            Number::Exact(d) => d.abs().to_string(),
            Number::Float(f) => format!("{:e}", f.abs()),
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

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

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
    fn round_at(&mut self, keep: i32) {
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
    fn round_decimals(&mut self, decimals: i32) {
        if self.is_zero() {
            return;
        }
        self.round_at(self.point + decimals);
    }

    /// Multiplies by a power of ten.
    fn shift(&mut self, places: i32) {
        if !self.is_zero() {
            self.point += places;
        }
    }

    /// The digit `k` places left of the point (0 = units); negative `k`
    /// reaches into the fraction (-1 = tenths).
    fn digit(&self, k: i32) -> u8 {
        let index = self.point - 1 - k;
        if index < 0 {
            return 0;
        }
        self.digits.get(index as usize).copied().unwrap_or(0)
    }

    /// The integer part's digits without leading zeros (empty for 0.x).
    fn int_string(&self) -> String {
        (0..self.point.max(0))
            .rev()
            .map(|k| char::from(b'0' + self.digit(k)))
            .collect()
    }

    /// Exactly `n` fraction digits (after rounding to `n`).
    fn frac_string(&self, n: usize) -> String {
        (1..=n as i32)
            .map(|k| char::from(b'0' + self.digit(-k)))
            .collect()
    }

    /// The number of fraction digits needed to show the value exactly.
    fn frac_len(&self) -> i32 {
        (self.digits.len() as i32 - self.point).max(0)
    }

    /// Plain fixed notation without trailing zeros (`0.0001`, `1234.5`).
    fn fixed(&self) -> String {
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
    fn scientific(&self, sig: i32) -> String {
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

/// Excel's General format for a number.
fn general_number(n: Number, mode: GeneralMode) -> String {
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

/// How a number section's commas and placeholders are laid out.
struct Layout {
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

impl Layout {
    fn of(tokens: &[Tok]) -> Layout {
        let exp = tokens.iter().position(|t| matches!(t, Tok::Exp { .. }));
        let before_exp = exp.unwrap_or(tokens.len());
        let point = tokens[..before_exp].iter().position(|t| *t == Tok::Point);
        let int_end = point.unwrap_or(before_exp);
        let is_digit = |t: &Tok| matches!(t, Tok::Digit(_));
        let int_count = tokens[..int_end].iter().filter(|t| is_digit(t)).count();
        let frac_count = point.map_or(0, |p| {
            tokens[p + 1..before_exp]
                .iter()
                .filter(|t| is_digit(t))
                .count()
        });
        let exp_count = exp.map_or(0, |e| {
            tokens[e + 1..].iter().filter(|t| is_digit(t)).count()
        });
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
        Layout {
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
struct IntWriter<'a> {
    digits: &'a [u8],
    count: usize,
    seen: usize,
    thousands: bool,
}

impl IntWriter<'_> {
    fn write(&mut self, ph: Ph, out: &mut String) {
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

/// Renders a number (its magnitude; the caller adds any minus sign).
fn render_number(section: &Section, abs: Number, mode: GeneralMode) -> String {
    let tokens = &section.tokens;
    if tokens.contains(&Tok::Slash) && has_fraction_layout(tokens) {
        return render_fraction(tokens, abs);
    }
    let layout = Layout::of(tokens);
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
    let mut int_writer = IntWriter {
        digits: &int_digits,
        count: layout.int_count,
        seen: 0,
        thousands: layout.thousands,
    };
    let mut exp_writer = IntWriter {
        digits: &exp_digits,
        count: layout.exp_count,
        seen: 0,
        thousands: false,
    };
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
            Tok::General => out.push_str(&general_number(abs, mode)),
            // Date parts never reach a number section.
            _ => {}
        }
    }
    out
}

/// Whether a token is a literal made of spaces only (`# ?? / ??`).
fn is_space_lit(t: &Tok) -> bool {
    matches!(t, Tok::Lit(s) if s.chars().all(|c| c == ' '))
}

/// Where a fraction's parts sit in a section.
struct FractionLayout {
    /// The numerator's placeholders: `num_start..slash` minus spacing.
    num_start: usize,
    /// The `/` token.
    slash: usize,
    /// End (exclusive) of the denominator's placeholders or number.
    den_end: usize,
    /// A literal denominator (`?/8`), if any.
    fixed_den: Option<u64>,
    /// Index of the whole part's last placeholder, if there is a whole
    /// part.
    last_whole: Option<usize>,
}

impl FractionLayout {
    /// Finds a `/` with digit placeholders before it (spaces allowed in
    /// between) and placeholders or a number after it.
    fn of(tokens: &[Tok]) -> Option<FractionLayout> {
        for (slash, t) in tokens.iter().enumerate() {
            if *t != Tok::Slash {
                continue;
            }
            let mut num_end = slash;
            while num_end > 0 && is_space_lit(&tokens[num_end - 1]) {
                num_end -= 1;
            }
            let mut num_start = num_end;
            while num_start > 0 && matches!(tokens[num_start - 1], Tok::Digit(_)) {
                num_start -= 1;
            }
            if num_start == num_end {
                continue;
            }
            let mut den_start = slash + 1;
            while den_start < tokens.len() && is_space_lit(&tokens[den_start]) {
                den_start += 1;
            }
            let mut den_end = den_start;
            while den_end < tokens.len() && matches!(tokens[den_end], Tok::Digit(_)) {
                den_end += 1;
            }
            let mut fixed_den = None;
            if den_end == den_start {
                let Some(Tok::Lit(lit)) = tokens.get(den_start) else {
                    continue;
                };
                let mut digits: String = lit.chars().take_while(|c| c.is_ascii_digit()).collect();
                den_end = den_start + 1;
                // `10` arrives as the literal 1 and the placeholder 0.
                if digits.len() == lit.len() {
                    while let Some(t) = tokens.get(den_end) {
                        match t {
                            Tok::Digit(Ph::Zero) => digits.push('0'),
                            Tok::Lit(l) if l.chars().all(|c| c.is_ascii_digit()) => {
                                digits.push_str(l)
                            }
                            _ => break,
                        }
                        den_end += 1;
                    }
                }
                match digits.parse::<u64>() {
                    Ok(d) if d > 0 => fixed_den = Some(d),
                    _ => continue,
                }
            }
            let last_whole = tokens[..num_start]
                .iter()
                .rposition(|t| matches!(t, Tok::Digit(_)));
            return Some(FractionLayout {
                num_start,
                slash,
                den_end,
                fixed_den,
                last_whole,
            });
        }
        None
    }
}

/// Whether the section is a fraction (`# ?/?`) rather than a number with
/// a literal slash.
fn has_fraction_layout(tokens: &[Tok]) -> bool {
    FractionLayout::of(tokens).is_some()
}

/// Renders `# ?/?`-style fractions: optional whole part, numerator, and
/// a denominator that is either fixed (`?/8`) or chosen as Excel does,
/// with at most as many digits as it has placeholders.
fn render_fraction(tokens: &[Tok], abs: Number) -> String {
    let Some(layout) = FractionLayout::of(tokens) else {
        return String::new();
    };
    let num_places = tokens[layout.num_start..layout.slash]
        .iter()
        .filter(|t| matches!(t, Tok::Digit(_)))
        .count();
    let den_places = tokens[layout.slash..layout.den_end]
        .iter()
        .filter(|t| matches!(t, Tok::Digit(_)))
        .count();
    let x = abs.to_f64();
    let has_whole = layout.last_whole.is_some();
    let (mut whole, frac) = if has_whole {
        (x.trunc(), x - x.trunc())
    } else {
        (0.0, x)
    };
    let (mut num, den) = match layout.fixed_den {
        Some(d) => ((frac * d as f64).round() as u64, d),
        None => best_fraction(frac, 10u64.pow(den_places.clamp(1, 15) as u32) - 1),
    };
    if has_whole && num == den {
        whole += 1.0;
        num = 0;
    }
    let whole_digits = if whole == 0.0 {
        Vec::new()
    } else {
        format!("{whole:.0}").into_bytes()
    };
    let num_digits = num.to_string().into_bytes();
    let den_digits = den.to_string().into_bytes();
    // A whole number hides its fraction: blanks where `?` would print,
    // nothing at all when the fraction has only `#` placeholders; `0`
    // placeholders keep showing `0/1`.
    let ph_end = if layout.fixed_den.is_some() {
        layout.slash
    } else {
        layout.den_end
    };
    let fraction_ph: Vec<Ph> = tokens[layout.num_start..ph_end]
        .iter()
        .filter_map(|t| match t {
            Tok::Digit(ph) => Some(*ph),
            _ => None,
        })
        .collect();
    let blank_fraction = has_whole && num == 0 && !fraction_ph.contains(&Ph::Zero);
    let region_start = layout.last_whole.map_or(layout.num_start, |w| w + 1);
    let region = region_start..layout.den_end;

    let mut out = String::new();
    let whole_count = tokens[..layout.num_start]
        .iter()
        .filter(|t| matches!(t, Tok::Digit(_)))
        .count();
    let mut whole_writer = IntWriter {
        digits: &whole_digits,
        count: whole_count,
        seen: 0,
        thousands: false,
    };
    let mut num_writer = IntWriter {
        digits: &num_digits,
        count: num_places.max(1),
        seen: 0,
        thousands: false,
    };
    let mut den_seen = 0;
    let mut blank_width = 0;
    for (i, t) in tokens.iter().enumerate() {
        if blank_fraction && region.contains(&i) {
            blank_width += match t {
                Tok::Lit(s) => s.chars().count(),
                _ => 1,
            };
            if i + 1 == region.end && fraction_ph.iter().any(|p| *p != Ph::Hash) {
                out.extend(std::iter::repeat_n(' ', blank_width));
            }
            continue;
        }
        match t {
            Tok::Digit(ph) if i < layout.num_start => {
                // The whole part shows 0 rather than nothing when there
                // is no fraction to show either.
                let ph = if num == 0 && whole_digits.is_empty() && Some(i) == layout.last_whole {
                    Ph::Zero
                } else {
                    *ph
                };
                whole_writer.write(ph, &mut out);
            }
            Tok::Digit(ph) if i < layout.slash => num_writer.write(*ph, &mut out),
            Tok::Digit(_) if layout.fixed_den.is_some() => out.push('0'),
            Tok::Digit(ph) => {
                match den_digits.get(den_seen) {
                    Some(&c) => out.push(char::from(c)),
                    None => out.push_str(ph.fill()),
                }
                den_seen += 1;
                // Extra denominator digits follow the last placeholder.
                if i + 1 == layout.den_end && den_digits.len() > den_seen {
                    out.extend(den_digits[den_seen..].iter().map(|&c| char::from(c)));
                }
            }
            Tok::Slash => out.push('/'),
            Tok::Lit(s) => out.push_str(s),
            Tok::Percent => out.push('%'),
            Tok::Point => out.push('.'),
            Tok::Comma => out.push(','),
            _ => {}
        }
    }
    out
}

/// The fraction Excel shows for `x` with denominators up to `max_den`:
/// the last continued-fraction convergent that fits (so 0.01 with `??`
/// is 0/1, not 1/99).
fn best_fraction(x: f64, max_den: u64) -> (u64, u64) {
    let (mut p2, mut p1) = (0u64, 1u64);
    let (mut q2, mut q1) = (1u64, 0u64);
    let mut b = x;
    let (mut p, mut q) = (x.floor() as u64, 1u64);
    for _ in 0..64 {
        let a = b.floor();
        let pn = (a as u64).saturating_mul(p1).saturating_add(p2);
        let qn = (a as u64).saturating_mul(q1).saturating_add(q2);
        if qn > max_den {
            break;
        }
        (p, q) = (pn, qn);
        // Excel stops once the fraction is as good as a double can tell.
        if b - a < 5e-8 || (x - p as f64 / q as f64).abs() < 1e-13 {
            break;
        }
        b = 1.0 / (b - a);
        (p2, p1) = (p1, pn);
        (q2, q1) = (q1, qn);
    }
    (p, q)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Japanese imperial eras for `[$-411]ggge` dates: first day, then the
/// `g` (Latin initial), `gg` (first character) and `ggg` (full) names.
type Era = ((i32, u32, u32), &'static str, &'static str, &'static str);

const ERAS: [Era; 5] = [
    ((2019, 5, 1), "R", "令", "令和"),
    ((1989, 1, 8), "H", "平", "平成"),
    ((1926, 12, 25), "S", "昭", "昭和"),
    ((1912, 7, 30), "T", "大", "大正"),
    ((1868, 1, 1), "M", "明", "明治"),
];

/// The era a date falls in.
fn japanese_era(year: i32, month: u32, day: u32) -> Option<&'static Era> {
    ERAS.iter().find(|e| (year, month, day) >= e.0)
}

/// Renders a date/time section; `None` outside Excel's date range. The
/// calendar date is that of 1900-system serial `serial + days_to_1900`
/// (1462 for a number of a 1904 workbook); elapsed times (`[h]`) count
/// from `serial` alone.
fn render_date(section: &Section, serial: f64, days_to_1900: i64) -> Option<String> {
    // A pure duration (`[h]:mm`) may be negative: its magnitude with a sign.
    let duration_only = section.has(|t| matches!(t, Tok::Elapsed(..)))
        && !section.has(|t| matches!(t, Tok::Year(_) | Tok::Month(_) | Tok::Day(_)));
    if serial < 0.0 && duration_only {
        return render_date(section, -serial, days_to_1900).map(|s| format!("-{s}"));
    }
    let last = (MAX_DATE_SERIAL + 1 - days_to_1900) as f64;
    if !(0.0..last).contains(&serial) {
        return None;
    }
    let tokens = &section.tokens;
    let sub_digits = tokens
        .iter()
        .filter_map(|t| match t {
            Tok::SubSecond(n) => Some(*n as u32),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let unit = 10i64.pow(sub_digits);
    // Round once, at the finest unit shown, so 23:59:59.9 with `hh:mm:ss`
    // becomes the next day's 00:00:00 as in Excel.
    let total = (serial * 86_400.0 * unit as f64).round() as i64;
    let per_day = 86_400 * unit;
    let days = total / per_day;
    let in_day = total % per_day;
    let secs = in_day / unit;
    let sub = in_day % unit;
    let all_secs = total / unit;
    let calendar_day = days + days_to_1900;
    let (year, month, day) = match calendar_day {
        0 => (1900, 1, 0),
        60 => (1900, 2, 29),
        _ => {
            let date = date_from_serial(calendar_day)?;
            (date.year(), date.month(), date.day())
        }
    };
    // Serial 1 (1900-01-01) is a Sunday to Excel.
    let weekday = ((calendar_day + 6) % 7) as usize;
    let twelve_hour = tokens.iter().any(|t| matches!(t, Tok::AmPm(_)));
    let hour = secs / 3600;
    let minute = (secs / 60) % 60;
    let second = secs % 60;
    let pad = |v: i64, n: u8| {
        if n >= 2 {
            format!("{v:02}")
        } else {
            v.to_string()
        }
    };
    let mut out = String::new();
    for t in tokens {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Era(n) if section.japanese => {
                if let Some(era) = japanese_era(year, month, day) {
                    out.push_str(match n {
                        1 => era.1,
                        2 => era.2,
                        _ => era.3,
                    });
                }
            }
            Tok::EraYear(n) if section.japanese => {
                let y = japanese_era(year, month, day).map_or(year, |e| year - e.0 .0 + 1);
                out.push_str(&pad(i64::from(y), *n));
            }
            Tok::EraYear(_) => out.push_str(&format!("{year:04}")),
            Tok::Year(2) => out.push_str(&format!("{:02}", year % 100)),
            Tok::Year(_) => out.push_str(&format!("{year:04}")),
            Tok::Month(n) => match n {
                1 | 2 => out.push_str(&pad(month as i64, *n)),
                3 => out.push_str(&MONTHS[month as usize - 1][..3]),
                5 => out.push_str(&MONTHS[month as usize - 1][..1]),
                _ => out.push_str(MONTHS[month as usize - 1]),
            },
            Tok::Day(n) => match n {
                1 | 2 => out.push_str(&pad(day as i64, *n)),
                3 => out.push_str(&DAYS[weekday][..3]),
                _ => out.push_str(DAYS[weekday]),
            },
            Tok::Hour(n) => {
                let h = if twelve_hour {
                    match hour % 12 {
                        0 => 12,
                        h => h,
                    }
                } else {
                    hour
                };
                out.push_str(&pad(h, *n));
            }
            Tok::Minute(n) => out.push_str(&pad(minute, *n)),
            Tok::Second(n) => out.push_str(&pad(second, *n)),
            Tok::SubSecond(n) => {
                let shown = sub / 10i64.pow(sub_digits - *n as u32);
                out.push('.');
                out.push_str(&format!("{:0width$}", shown, width = *n as usize));
            }
            Tok::AmPm(style) => {
                let pm = hour >= 12;
                // Excel writes AM/PM in capitals however the code spells it.
                out.push_str(match (style, pm) {
                    (AmPm::Full, false) => "AM",
                    (AmPm::Full, true) => "PM",
                    (AmPm::Short { upper: true }, false) => "A",
                    (AmPm::Short { upper: true }, true) => "P",
                    (AmPm::Short { upper: false }, false) => "a",
                    (AmPm::Short { upper: false }, true) => "p",
                });
            }
            Tok::Elapsed(unit, n) => {
                let v = match unit {
                    Unit::Hours => all_secs / 3600,
                    Unit::Minutes => all_secs / 60,
                    Unit::Seconds => all_secs,
                };
                out.push_str(&format!("{:0width$}", v, width = *n as usize));
            }
            Tok::General => {
                out.push_str(&general_number(Number::from_f64(serial), GeneralMode::Text))
            }
            _ => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_under_a_date_code_is_a_serial_of_the_workbooks_system() {
        let n = Value::Number(Number::from_i64(44866));
        let sys = DateSystem::Excel1904;
        assert_eq!(format_value_in(&n, "yyyy-mm-dd ddd", sys), "2026-11-02 Mon");
        assert_eq!(format_value(&n, "yyyy-mm-dd"), "2022-11-01");
        assert_eq!(
            format_value_in(&Value::Number(Number::ZERO), "d.m.yyyy", sys),
            "1.1.1904"
        );
        // Elapsed time counts from the number alone.
        let h = Value::Number(Number::from_f64(1.5));
        assert_eq!(format_value_in(&h, "[h]:mm", sys), "36:00");
        // A date value is the same day in any system.
        let d = Value::Date(crate::model::DateValue::from_date(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        ));
        assert_eq!(format_value_in(&d, "yyyy-mm-dd", sys), "2026-11-02");
        assert_eq!(
            format_text_in(&Value::Number(Number::from_i64(-1)), "yyyy", sys),
            None
        );
    }
    use crate::model::value::{DateValue, ErrorKind};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn num(s: &str) -> Value {
        Value::Number(Number::Exact(Decimal::from_str(s).unwrap()))
    }

    fn f(v: &str, code: &str) -> String {
        format_value(&num(v), code)
    }

    fn t(v: &str, code: &str) -> String {
        format_text(&num(v), code).unwrap()
    }

    /// Checks `(code, value, Excel's text)` rows, listing every mismatch.
    fn assert_table(cases: &[(&str, f64, &str)]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(code, v, want)| {
                let got = format_value(&Value::from_f64(*v), code);
                (got != *want).then(|| format!("{code:?} {v}: got {got:?}, Excel {want:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Outputs of Excel collected by the SSF and numfmt projects' test
    /// suites (values as Excel holds them: doubles).
    #[test]
    fn excel_reference_outputs() {
        let cases: &[(&str, f64, &str)] = &[
            ("General", 1.234567e-14, "1.23457E-14"),
            ("General", 1.234567e-9, "1.23457E-09"),
            ("General", 0.00001234567, "1.23457E-05"),
            ("General", 0.0001234567, "0.000123457"),
            ("General", 0.001234567, "0.001234567"),
            ("General", 12345670000.0, "12345670000"),
            ("General", 123456700000.0, "1.23457E+11"),
            ("General", 1e-10, "1E-10"),
            ("General", 1e-9, "0.000000001"),
            ("General", 0.00001, "0.00001"),
            ("General", 100000000000.0, "1E+11"),
            ("General", 1.2e-9, "1.2E-09"),
            ("General", 1.2e-8, "0.000000012"),
            ("General", 1.23e-8, "1.23E-08"),
            ("General", 1.23e-7, "0.000000123"),
            ("General", 0.0000012345, "1.2345E-06"),
            ("General", 0.000012345, "0.000012345"),
            ("General", 0.0012345678, "0.001234568"),
            ("General", 1234567891.2, "1234567891"),
            ("General", 12345678912.3456, "12345678912"),
            ("General", 123456789123.456, "1.23457E+11"),
            ("General", -0.0001234567, "-0.000123457"),
            ("General", -123456700000.0, "-1.23457E+11"),
            ("General", 0.99999999999, "1"),
            ("General", 0.99999999, "0.99999999"),
            ("\"foo\";\"bar\";\"baz\";\"qux\"", -1.0, "bar"),
            ("\"foo\";\"bar\";\"baz\"", 0.0, "baz"),
            ("\"foo\";\"bar\";@", 0.0, "foo"),
            ("\"foo\";\"bar\"", 0.0, "foo"),
            ("@@", -1.0, "-1"),
            ("[Blue]General", -1.0, "-1"),
            ("A\"TODO\"", -1.0, "-ATODO"),
            ("\\r", -1.0, "-r"),
            ("_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)", 1.0, " $1 "),
            (
                "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
                -1.0,
                " $(1)",
            ),
            ("_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)", 0.0, " $- "),
            ("#0.#", 0.0, "0."),
            ("#0.#", 12.34, "12.3"),
            ("#0.#", -1.23, "-1.2"),
            ("#,##0.00000", 1000000.0, "1,000,000.00000"),
            ("#,###", 0.0, ""),
            ("#,###", 12345.6789, "12,346"),
            ("#.##", 0.0, "."),
            ("0;0", -1.1, "1"),
            ("0.00", 1.0001, "1.00"),
            ("hh:mm AM/PM", 0.7, "04:48 PM"),
            ("hhh:mm AM/PM", 0.7, "04:48 PM"),
            ("hhh:mmm:sss", 0.7, "16:Jan:00"),
            ("hh:mm:sss", 0.7, "16:48:00"),
            ("hh:mm:ss.000", 0.70707, "16:58:10.848"),
            ("hh.000", 0.70707, "16.848"),
            ("hh .00", 0.70707, "16 .85"),
            ("hh .00 .000", 0.70707, "16 .84 .848"),
            ("[hhh]", 1.0, "024"),
            ("[hhh]", -1.0, "-024"),
            ("[hhh]", 0.0, "000"),
            ("A/P", 0.7, "P"),
            ("e", 0.7, "1900"),
            (
                "[$-411]ggge\"年\"m\"月\"d\"日\";@",
                44197.0,
                "令和3年1月1日",
            ),
            ("[$-411]ge.m.d", 32516.0, "H1.1.8"),
            ("[$-411]gge", 32515.0, "昭64"),
            ("ggge", 44197.0, "2021"),
            ("123", 0.7, "123"),
            ("0.##", 1000000000000.01, "1000000000000.01"),
            ("0.##", 1.007, "1.01"),
            ("0.##", -1.008, "-1.01"),
            ("** #,###,#00,000.00,**", 1.2345, " 00,000.00"),
            ("** #,###,#00,000.00,**", 12345.67, " 00,012.35"),
            ("** #,###,#00,000.00,**", 1234568223.0, " 1,234,568.22"),
            (
                "** #,###,#00,000.00,**",
                12345682233333300.0,
                " 12,345,682,233,333.30",
            ),
            ("00,000.00,", 12345.0, "00,012.35"),
            ("00,000.00", 12345.0, "12,345.00"),
            ("##0.0E+0", 1.0, "1.0E+0"),
            ("##0.0E+0", 123.0, "123.0E+0"),
            ("##0.0E+0", 1234.0, "1.2E+3"),
            ("##0.0E+0", 123456.0, "123.5E+3"),
            ("##0.0E+0", 12345678.0, "12.3E+6"),
            ("#0.0E+0", 1.23457e-13, "12.3E-14"),
            ("#0.0E+0", 0.000000123457, "12.3E-8"),
            ("#0.0E+0", 123.456789, "1.2E+2"),
            ("##0.0E+0", 1.23457e-13, "123.5E-15"),
            ("##0.0E+0", 0.123456789, "123.5E-3"),
            ("###0.0E+0", 0.123456789, "1234.6E-4"),
            ("###0.0E+0", 1.23456789e31, "1234.6E+28"),
            ("####0.0E+0", 12345.6789, "12345.7E+0"),
            ("####0.0E+0", 123456.789, "1.2E+5"),
            ("0E+00", 95000000.0, "1E+08"),
            ("0,", 1234567.89, "1235"),
            ("0,,,", 1234567.89, "0"),
            ("0,0,0", 1234567.89, "1,234,568"),
            ("0,,0", 1234567.89, "1,234,568"),
            ("0,x", 1234567.89, "1235x"),
            ("0,x,", 1234567.89, "1235x,"),
            ("0x,", 1234567.89, "1234568x,"),
            ("0,,x", 1234567.89, "1x"),
            ("0,x0", 1234567.89, "123456x8"),
            ("0 , 0", 1234567.89, "123456 , 8"),
            ("0, ,0", 1234567.89, "123456 ,8"),
            ("0.,", 1234567.89, "1235."),
            ("0.0,", 1234567.89, "1234.6"),
            ("0.0,0", 1234567.89, "1234567.89"),
            ("0,0,,0", 1234567.89, "1,234,568"),
            ("0.0,0,", 1234567.89, "1234.57"),
            ("0.0 , 0 ,", 1234567.89, "1234567.8 , 9 ,"),
            ("0 ,", 1234567.89, "1234568 ,"),
            ("x,0", 1234567.89, "x,1234568"),
            ("0.00E+?x?", 123456789.0, "1.23E+ x8"),
            ("0.00E+#x#", 123456789.0, "1.23E+x8"),
            ("0.0x0E+0", 123456789.0, "1.2x3E+8"),
            ("0x0.00E+0", 123456789.0, "0x1.23E+8"),
            ("#x#.#x#E+#x#", 1.0, "x1.xE+x0"),
            ("?x?.?x?E+?x?", 1.0, " x1. x E+ x0"),
            ("000E+00", 12345.67, "012E+03"),
            ("00x0E+00", 12345.67, "01x2E+03"),
            ("0.0E+0x00", 1234567890000.0, "1.2E+0x12"),
            ("0E+00", 990000000.0, "1E+09"),
            ("0E+00", 0.14999999, "1E-01"),
            ("0.00E+00", 999000000.0, "9.99E+08"),
            ("0.00E+00", 999900000.0, "1.00E+09"),
            ("0.E+00", 9.59999, "1.E+01"),
            ("00.E+00", 9.0, "09.E+00"),
            ("00.E+00", 9.59999, "10.E+00"),
            ("00.E+00", 100.0, "01.E+02"),
            ("00.E+00", 1000.0, "10.E+02"),
            ("00.0E+00", 949.999, "09.5E+02"),
            ("00.00E+00", 96999.9, "09.70E+04"),
            ("000.E+00", 1000.0, "001.E+03"),
            ("000.E+00", 949.999, "950.E+00"),
            ("000.0E+00", 96999.9, "097.0E+03"),
            ("000.00E+00", 100000.0, "100.00E+03"),
            ("0.0#", 12345.0, "12345.0"),
            ("0.0#", 12.345, "12.35"),
            ("0.0#", 0.0012345, "0.0"),
            ("0.0#", 15.06, "15.06"),
            ("00000-0000", 941051630.0, "94105-1630"),
            ("00000-0000", 12345.6789, "00001-2346"),
            ("000-00-0000", 123456789.0, "123-45-6789"),
            ("00000\\-0000", 941051630.0, "94105-1630"),
            ("??/??", 12.3456789, "1000/81"),
            ("??/??", 0.00001, " 0/1 "),
            ("# ??/??", 12.3456789, "12 28/81"),
            ("#??/??", 12.3456789, "1000/81"),
            ("#0#00??/??", 12.3456789, "01000/81"),
            ("[<=9999999]###-####;(###) ###-####", 8675309.0, "867-5309"),
            (
                "[<=9999999]###-####;(###) ###-####",
                2813308004.0,
                "(281) 330-8004",
            ),
            (
                "[Red][<-25]General;[Blue][>25]General;[Green]General",
                -1.0,
                "-1",
            ),
            (
                "[Red][<-25]General;[Blue][>25]General;[Green]General",
                -25.0,
                "-25",
            ),
            (
                "[Red][<-25]General;[Blue][>25]General;[Green]General",
                -26.0,
                "26",
            ),
            (
                "[Red][<=-25]General;[Blue][>=25]General;[Green]General",
                -25.0,
                "25",
            ),
            ("[Red]General ;[Blue]General\\ ;[Green]Generalp", 0.0, "0p"),
            (
                "[Red]General ;[Blue]General\\ ;[Green]Generalp",
                -25.0,
                "25 ",
            ),
            ("[Red][=50]General;[Blue]000", 51.0, "051"),
            ("[Red][<>50]General;[Blue]000", 50.0, "050"),
            ("☃", -1.0, "-☃"),
            ("0", 4294967296.5, "4294967297"),
            ("\"Rs.\"#,##0.00", -51968287.0, "-Rs.51,968,287.00"),
            ("$#.00", -3.14158, "-$3.14"),
            ("[$INR]\\ #,##0.00", -3.14158, "-INR 3.14"),
            ("[$₹-4009]\\ #,##0.00", 3.14158, "₹ 3.14"),
            (
                "[$£-809]#,##0.0000;\\-[$£-809]#,##0.0000",
                -3.14158,
                "-£3.1416",
            ),
            ("\"-\"0.00", -3.14158, "--3.14"),
            ("[$-409]mmm\\-yy", 12345.0, "Oct-33"),
            ("\\,##.??;\\(#,###.??\\);0", 15.0, ",15.  "),
            ("\\,##.??;\\(#,###.??\\);0", 12.1, ",12.1 "),
            ("\\,##.??;\\(#,###.??\\);0", 0.0, "0"),
            ("\\,##.??;\\(#,###.??\\);0", -14.3453453, "(14.35)"),
            ("[h]:mm:ss;@", 2.9999999999999996, "72:00:00"),
            ("hh:mm:ss am/pm", 0.5, "12:00:00 PM"),
            ("hh:mm:ss AM/P", 0.5, "12:00:00 A1/P"),
            ("-0", -1.0, "--1"),
            ("-general", -1.0, "--1"),
            ("0.0", -0.1, "-0.1"),
            ("-0.0", -0.01, "-0.0"),
            (" - 0.0", -1.0, "- - 1.0"),
            ("# ?/?", -0.01, "-0    "),
            ("\\p\\o\\s 0.0;\\n\\e\\g 0.0;", -0.01, "neg 0.0"),
            ("0.0%", 0.0295, "3.0%"),
            ("0.0,", 2950.0, "3.0"),
            ("#.##0", -10.29, "-10.290"),
            ("#.#0#0#0", -10.29, "-10.2900"),
            ("#.##0", 0.01, ".010"),
            ("#.#00", 0.0001, ".00"),
            ("#.?00", 1.0, "1. 00"),
            ("#.????0", -10.29, "-10.29  0"),
            ("#.#x#0", 0.1, ".1x0"),
            ("#.??x?0", 0.01, ".01x 0"),
            ("0?", 0.0, "0 "),
            ("0?0?", 0.0, "0 0 "),
            ("[>=100]#,##0;[<=-100]-#,##0;#,##0.00", -3.96, "-3.96"),
            ("[>=100]0;[<=-100]-0;\"xx\"0", -10.0, "-xx10"),
            ("[<=-100]-0;\"xx\"0", -10.0, "xx10"),
            (" . 0", 1234.0, " 1234. 0"),
            ("0 0/0", 1234.0, "1234 0/1"),
            ("0??", 1.0, "0 1"),
            ("0,", 1.0, "0"),
            ("0,?", 1.0, "01"),
            ("0,???", 1.0, "0,  1"),
            ("0,????", 1.0, "0    1"),
            ("0,???", 0.0, "0,   "),
            (".?0", 0.0, ". 0"),
            (".##0", 1.0, "1.0"),
            ("MmMm", 1234.0, "May"),
            ("dDdD", 1234.0, "Monday"),
            ("#,,\"M\"", 6000000.0, "6M"),
            ("0.000E+000", 2.33e-32, "2.330E-032"),
            ("0.000E+000", 2.33e-321, "2.330E-321"),
            ("0.000E+000", 2.33e307, "2.330E+307"),
            ("General", 2.33e-321, "2.33E-321"),
            ("0.0", 2.33e-321, "0.0"),
            ("[HH]", 123.456, "2962"),
            ("[S]", 123.456, "10666598"),
            ("[MM]", 123.456, "177776"),
            ("[$-1234]", 123.456, ""),
            ("[$foo]", 123.456, "foo"),
            ("[$ISK-]", 123.456, "ISK"),
            ("[$NZ$-481]", 123.456, "NZ$"),
            ("[DBNum1]", 123.456, "123.456"),
            ("[blue]", 123.456, "123.456"),
            ("General", 4403928373.5, "4403928374"),
            ("General", -4511987749.6, "-4511987750"),
            ("General", 99999999999.6, "1E+11"),
            ("General", 3300.0000000000005, "3300"),
        ];
        assert_table(cases);
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
        assert_eq!(t("0.333333333333333333", "General"), "0.333333333333333");
    }

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
    fn fractions() {
        // Excel's outputs, as collected by the SSF and numfmt projects.
        let cases: &[(&str, f64, &str)] = &[
            ("# ?/?", 1.0, "1    "),
            ("# ?/?", -1.2, "-1 1/5"),
            ("# ?/?", 12.3, "12 1/3"),
            ("# ?/?", 123.45, "123 4/9"),
            ("# ?/?", -123.456, "-123 1/2"),
            ("# ?/?", 1234.567, "1234 4/7"),
            ("# ?/?", 0.3, " 2/7"),
            ("# ?/?", 1.3, "1 1/3"),
            ("# ?/?", 2.3, "2 2/7"),
            ("# ??/??", 1.0, "1      "),
            ("# ??/??", -1.2, "-1  1/5 "),
            ("# ??/??", 12.3, "12  3/10"),
            ("# ??/??", -12.34, "-12 17/50"),
            ("# ??/??", -123.456, "-123 26/57"),
            ("# ??/??", 1234.567, "1234 55/97"),
            ("# ??/??", -1234.5678, "-1234 46/81"),
            ("# ??/??", 12345.6789, "12345 55/81"),
            ("# ???/???", -1.2, "-1   1/5  "),
            ("# ???/???", -123.456, "-123  57/125"),
            ("# ???/???", -1234.5678, "-1234  67/118"),
            ("# ???/???", -12345.67891, "-12345 573/844"),
            ("# ?/2", -1.2, "-1    "),
            ("# ?/2", 12.3, "12 1/2"),
            ("# ?/4", -1.2, "-1 1/4"),
            ("# ?/4", 123.45, "123 2/4"),
            ("# ?/8", -12.34, "-12 3/8"),
            ("# ??/16", -1.2, "-1  3/16"),
            ("# ?/10", 1.0, "1     "),
            ("# ??/100", 1.0, "1       "),
            ("# ??/100", -123.456, "-123 46/100"),
            ("??/??", 1.0, " 1/1 "),
            ("??/??", -1.2, "- 6/5 "),
            ("??/??", 123.45, "2469/20"),
            ("??/??", -1234.5678, "-100000/81"),
            ("# ??/?????????", 0.123251512342345, " 480894/3901729  "),
            ("# ?? / ?????????", 0.123251512342345, " 480894 / 3901729  "),
            ("0/0", 0.0, "0/1"),
            ("0/0", 12.345, "37/3"),
            ("0 0/0", 0.0, "0 0/1"),
            ("0 0/0", 1.0, "1 0/1"),
            ("0 0/0", 12.345, "12 1/3"),
            ("?/?", 0.0, "0/1"),
            ("?/?", 123.0, "123/1"),
            ("? ?/?", 0.0, "0    "),
            ("? ?/?", 123.0, "123    "),
            ("#/#", 0.0, "0/1"),
            ("# #/#", 0.0, "0"),
            ("# #/#", 123.0, "123"),
            ("# #/#", 12.345, "12 1/3"),
        ];
        assert_table(cases);
        assert_eq!(f("1.25", "# ?/8"), "1 2/8");
        assert_eq!(f("0.5", "# ?/?"), " 1/2");
    }

    #[test]
    fn literals_escapes_spacing_and_fill() {
        assert_eq!(f("42", "0 \"\"\"Millions\"\"\""), "42 \"Millions\"");
        assert_eq!(f("5", "\\$0\\!"), "$5!");
        assert_eq!(f("5", "0_)"), "5 ");
        assert_eq!(f("5", "*-0"), "5");
        assert_eq!(f("5", "(0)"), "(5)");
        assert_eq!(f("3.1", "[$€]#,##0.00"), "€3.10");
        assert_eq!(f("1234.5", "#,##0.00 [$EUR]"), "1,234.50 EUR");
        assert_eq!(f("1234.5", "[$€-407] #,##0.00"), "€ 1,234.50");
        assert_eq!(f("1234.5", "[$-409]#,##0.00"), "1,234.50");
        assert_eq!(f("123.1", "#,##0 €"), "123 €");
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

    #[test]
    fn dates() {
        assert_eq!(f("41181", "dd/mm/yyyy"), "29/09/2012");
        assert_eq!(f("41304", "dd-mm-yyyy"), "30-01-2013");
        assert_eq!(f("41181", "dddd-mmmm-yyyy"), "Saturday-September-2012");
        assert_eq!(f("41181", "ddd-mmm-yy"), "Sat-Sep-12");
        assert_eq!(f("41181", "ddd-mmmmm-yy"), "Sat-S-12");
        assert_eq!(f("41181", "ddd-mmmmmmm-yy"), "Sat-September-12");
        assert_eq!(f("46353", "m/d/yyyy"), "11/27/2026");
        assert_eq!(f("46353", "d-mmm-yy"), "27-Nov-26");
        assert_eq!(f("46353", "yyyy-mm-dd"), "2026-11-27");
        assert_eq!(f("46353", "[$-409]mmmm d, yyyy;@"), "November 27, 2026");
        assert_eq!(f("60", "yyyy-mm-dd"), "1900-02-29");
        assert_eq!(f("0", "m/d/yyyy"), "1/0/1900");
        assert_eq!(f("1", "dddd"), "Sunday");
        assert_eq!(f("61", "dddd"), "Thursday");
        assert_eq!(f("46353.75", "DD.MM.YYYY HH:MM"), "27.11.2026 18:00");
        let date = Value::Date(DateValue::from_date(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        ));
        assert_eq!(format_value(&date, "d mmm yyyy"), "31 Jan 2026");
        assert_eq!(format_value(&date, "General"), "2026-01-31");
        assert_eq!(format_value(&date, "0"), "46053");
        assert_eq!(format_text(&date, "General").unwrap(), "46053");
        assert_eq!(f("-1", "yyyy-mm-dd"), "#######");
        assert_eq!(format_text(&num("-1"), "yyyy"), None);
        assert_eq!(format_text(&num("3000000"), "yyyy"), None);
    }

    #[test]
    fn times() {
        assert_eq!(f("0.5", "h:mm AM/PM"), "12:00 PM");
        assert_eq!(f("0", "h:mm AM/PM"), "12:00 AM");
        assert_eq!(f("0.75", "h:mm:ss am/pm"), "6:00:00 PM");
        assert_eq!(f("0.25", "hh:mm A/P"), "06:00 A");
        assert_eq!(f("0.604166666666667", "hh:mm"), "14:30");
        assert_eq!(f("0.604166666666667", "h:mm:ss"), "14:30:00");
        assert_eq!(f("0.0423611111111111", "mm:ss"), "01:00");
        assert_eq!(f("0.5", "m"), "1");
        assert_eq!(f("0.5", "h \"h\" m \"min\""), "12 h 0 min");
        assert_eq!(f("1.5", "[h]:mm:ss"), "36:00:00");
        assert_eq!(f("1.5", "[mm]:ss"), "2160:00");
        assert_eq!(f("0.000694444444444444", "[ss]"), "60");
        assert_eq!(f("2.25", "[hh]"), "54");
        assert_eq!(f("0.99999999", "hh:mm:ss"), "00:00:00");
        assert_eq!(
            f("0.99999999", "yyyy-mm-dd hh:mm:ss"),
            "1900-01-01 00:00:00"
        );
        assert_eq!(f("0.500011574", "hh:mm:ss.000"), "12:00:01.000");
        assert_eq!(f("0.5000121", "h:mm:ss.00"), "12:00:01.05");
        assert_eq!(f("0.5000121", "ss.0"), "01.0");
        let dur = Value::Date(DateValue {
            serial: 1.5,
            kind: DateKind::Duration,
        });
        assert_eq!(format_value(&dur, ""), "36:00:00");
        assert!(NumberFormat::parse("[h]:mm").is_date());
        assert!(!NumberFormat::parse("#,##0.00").is_date());
    }

    #[test]
    fn odd_codes_do_not_panic() {
        for code in [
            "[",
            "]",
            "\"",
            "\\",
            "_",
            "*",
            ";;;;;",
            "[>",
            "[$",
            "0.0.0",
            "E+",
            "0E+",
            "/",
            "?/",
            "#/#/#",
            ",,,",
            "0,,,,,,,,,,,,,,,",
            ".",
            "%",
            "[h",
            "@@",
            "[Color999]0",
            "0/0/0",
        ] {
            for v in ["0", "-1.5", "123456789.123", "0.001"] {
                let _ = f(v, code);
                let _ = format_value(&Value::Text("x".into()), code);
            }
        }
        assert_eq!(f("1", ";;;"), "");
    }

    proptest::proptest! {
        /// Any code from format characters renders any value without
        /// panicking (codes come from untrusted files).
        #[test]
        fn any_code_renders_any_value(
            code in "[0#?.,%E+\\-/@;\\[\\]\"\\\\_*hmsdyAPGeneral<>=$ 1-9]{0,24}",
            v in proptest::num::f64::ANY,
        ) {
            let value = Value::from_f64(v);
            let _ = format_value(&value, &code);
            let _ = format_text(&value, &code);
            let _ = format_value(&Value::Text("x".into()), &code);
        }
    }
}
