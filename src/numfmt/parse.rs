//! Format code text → [`NumberFormat`]: sections, tokens, colours,
//! conditions and locale tags. Codes come from files and from formulas
//! (TEXT), so nothing here fails: what has no meaning is a literal, as in
//! Excel, and every later step can trust the tokens it gets.

use super::fraction::FractionLayout;
use super::locale::{Calendar, Language};
use super::number::NumberLayout;
use super::section::{
    AmPm, CmpOp, Condition, ElapsedUnit, FormatColor, NumberFormat, Ph, Section, SectionKind, Tok,
    FILL_MARK,
};

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
    // The fill's stand-in never comes from the code itself.
    let cleaned;
    let s = if s.contains(FILL_MARK) {
        cleaned = s.replace(FILL_MARK, "");
        cleaned.as_str()
    } else {
        s
    };
    if let Some(Tok::Lit(prev)) = tokens.last_mut() {
        prev.push_str(s);
    } else {
        tokens.push(Tok::Lit(s.to_string()));
    }
}

/// What a `[...]` part of a section says.
#[derive(Debug, Clone, PartialEq)]
enum Bracket {
    /// `[Red]`, `[Color10]`.
    Color(FormatColor),
    /// `[$€-407]`: a currency symbol to show (possibly none), and the
    /// language whose dates the locale shows, if one we name.
    Locale {
        symbol: String,
        language: Option<Language>,
        calendar: Option<Calendar>,
    },
    /// `[>=1000]`.
    Condition(Condition),
    /// `[h]`, `[mm]`, `[ss]`: a duration unit and its width.
    Elapsed(ElapsedUnit, u8),
    /// Anything else (`[DBNum1]`, `[$-x-sysdate]`...) changes nothing we
    /// show.
    Ignored,
}

/// Reads the text between `[` and `]`.
fn parse_bracket(inner: &str) -> Bracket {
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
        return Bracket::Color(color);
    }
    if let Some(rest) = inner.strip_prefix('$') {
        // `[$€-407]`: the symbol before the locale id is shown.
        return Bracket::Locale {
            symbol: rest.split('-').next().unwrap_or("").to_string(),
            language: Language::of_tag(rest),
            calendar: Calendar::of_tag(rest),
        };
    }
    if let Some(cond) = parse_condition(inner) {
        return Bracket::Condition(cond);
    }
    let mut chars = lower.chars();
    if let Some(first) = chars.next() {
        let width = lower.len() as u8;
        if chars.all(|c| c == first) {
            let unit = match first {
                'h' => Some(ElapsedUnit::Hours),
                'm' => Some(ElapsedUnit::Minutes),
                's' => Some(ElapsedUnit::Seconds),
                _ => None,
            };
            if let Some(unit) = unit {
                return Bracket::Elapsed(unit, width);
            }
        }
    }
    Bracket::Ignored
}

/// Reads a condition such as `>=1000` (the inside of `[>=1000]`).
fn parse_condition(inner: &str) -> Option<Condition> {
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

/// How many times the first of `chars` repeats at its start, any case.
fn run_length(chars: &[char]) -> usize {
    chars.first().map_or(0, |first| {
        chars
            .iter()
            .take_while(|c| c.eq_ignore_ascii_case(first))
            .count()
    })
}

/// Parses one `;`-separated section.
fn parse_section(src: &str) -> Section {
    let mut tokens = Vec::new();
    let mut color = None;
    let mut condition = None;
    let mut language = None;
    let mut fill = None;
    let mut calendar = Calendar::default();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let mut lit = String::new();
                i += 1;
                // A quote always closes: `"h""I"` is two literals, `hI`.
                while i < chars.len() && chars[i] != '"' {
                    lit.push(chars[i]);
                    i += 1;
                }
                push_lit(&mut tokens, &lit);
            }
            '\\' | '!' => {
                if let Some(n) = chars.get(i + 1) {
                    push_lit(&mut tokens, &n.to_string());
                    i += 1;
                }
            }
            '_' => {
                // Space as wide as the next character: one space.
                if i + 1 < chars.len() {
                    push_lit(&mut tokens, " ");
                    i += 1;
                }
            }
            '*' => {
                // The next character repeats to fill the column, where a
                // width is known (see `Formatted::fill_to`).
                if let Some(&repeated) = chars.get(i + 1) {
                    if fill.is_none() && repeated != FILL_MARK {
                        fill = Some(repeated);
                        tokens.push(Tok::Fill);
                    }
                }
                i += 1;
            }
            '[' => {
                let mut inner = String::new();
                i += 1;
                while i < chars.len() && chars[i] != ']' {
                    inner.push(chars[i]);
                    i += 1;
                }
                match parse_bracket(&inner) {
                    Bracket::Color(c) => color = Some(c),
                    Bracket::Locale {
                        symbol,
                        language: tagged,
                        calendar: tagged_calendar,
                    } => {
                        language = tagged.or(language);
                        calendar = tagged_calendar.unwrap_or(calendar);
                        if !symbol.is_empty() {
                            push_lit(&mut tokens, &symbol);
                        }
                    }
                    Bracket::Condition(c) => condition = Some(c),
                    Bracket::Elapsed(unit, width) => tokens.push(Tok::Elapsed(unit, width)),
                    Bracket::Ignored => {}
                }
            }
            '0' => tokens.push(Tok::Digit(Ph::Zero)),
            '#' => tokens.push(Tok::Digit(Ph::Hash)),
            '?' => tokens.push(Tok::Digit(Ph::Space)),
            '.' => tokens.push(Tok::Point),
            ',' => tokens.push(Tok::Comma),
            '%' => tokens.push(Tok::Percent),
            '/' => tokens.push(Tok::Slash),
            '@' => tokens.push(Tok::At),
            'E' | 'e' if matches!(chars.get(i + 1), Some('+') | Some('-')) => {
                tokens.push(Tok::Exp {
                    plus: chars[i + 1] == '+',
                    upper: c == 'E',
                });
                i += 1;
            }
            // `B1`/`B2` switch the section to the Gregorian/Hijri calendar.
            'B' | 'b' if matches!(chars.get(i + 1), Some('1' | '2')) => {
                calendar = if chars[i + 1] == '1' {
                    Calendar::Gregorian
                } else {
                    Calendar::Hijri
                };
                i += 1;
            }
            'b' | 'B' => {
                let mut n = 1;
                while chars
                    .get(i + n)
                    .is_some_and(|x| x.eq_ignore_ascii_case(&'b'))
                {
                    n += 1;
                }
                i += n - 1;
                tokens.push(Tok::BuddhistYear(if n <= 2 { 2 } else { 4 }));
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
            // `aaa`/`aaaa`: the weekday, as `ddd`/`dddd` (Japanese Excel's
            // codes for the weekday in the Office language).
            'A' | 'a' if run_length(&chars[i..]) >= 3 => {
                let n = run_length(&chars[i..]);
                tokens.push(Tok::Day(if n == 3 { 3 } else { 4 }));
                i += n - 1;
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
            _ => push_lit(&mut tokens, &c.to_string()),
        }
        i += 1;
    }
    // A section holding only a colour or a condition (`[Blue]`) shows
    // the number in General; an empty one (`0;;`) and a bare locale tag
    // (`[$-409]`) show nothing.
    if tokens.is_empty() && !src.trim().is_empty() && !src.contains("[$") {
        tokens.push(Tok::General);
    }
    let kind = if tokens.iter().any(Tok::is_date_part) {
        finish_date_section(&mut tokens);
        SectionKind::DateTime
    } else if let Some(fraction) = FractionLayout::of(&tokens) {
        SectionKind::Fraction(fraction)
    } else {
        SectionKind::Number(NumberLayout::of(&tokens))
    };
    Section {
        tokens,
        color,
        condition,
        kind,
        language,
        fill,
        calendar,
    }
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
                    Tok::Hour(_) | Tok::Elapsed(ElapsedUnit::Hours, _)
                );
            let next_is_second = date_parts.get(k + 1).is_some_and(|&j| {
                matches!(
                    tokens[j],
                    Tok::Second(_) | Tok::Elapsed(ElapsedUnit::Seconds, _)
                )
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
            Tok::Digit(ph) => push_lit(&mut out, ph.symbol()),
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

#[cfg(test)]
mod tests {
    use crate::numfmt::tests::f;

    #[test]
    fn literals_escapes_spacing_and_fill() {
        // Adjacent quotes do not escape one: `"""Millions"""` is an empty
        // literal, `Millions` and another empty one.
        assert_eq!(f("42", "0 \"\"\"Millions\"\"\""), "42 Millions");
        assert_eq!(f("42", "0\\\"\" in\""), "42\" in");
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
}
