//! The text functions' logic on plain Rust values, kept apart from
//! argument handling so each Excel rule is tested on its own. Used by the
//! text category (`functions/text/`); not a category itself, so it sits
//! beside the evaluator rather than among the categories.
//!
//! Positions and lengths count characters (Unicode scalar values), 1-based
//! as in Excel. Results longer than Excel's 32,767-character cell limit
//! are `#VALUE!`.

use crate::model::{ErrorKind, Number, Value};
use crate::numfmt::format_text;
use rust_decimal::prelude::*;

/// The longest text a cell can hold.
pub const MAX_TEXT_CHARS: usize = 32_767;

/// Result of a text core: a value or an Excel error.
pub type TextResult<T> = Result<T, ErrorKind>;

/// Fails with `#VALUE!` when `text` is longer than a cell can hold.
pub fn check_length(text: String) -> TextResult<String> {
    if text.chars().count() > MAX_TEXT_CHARS {
        Err(ErrorKind::Value)
    } else {
        Ok(text)
    }
}

/// The first `n` characters.
pub fn left(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

/// The last `n` characters.
pub fn right(text: &str, n: usize) -> String {
    let len = text.chars().count();
    text.chars().skip(len.saturating_sub(n)).collect()
}

/// `n` characters from 1-based `start` (empty past the end).
pub fn mid(text: &str, start: usize, n: usize) -> String {
    text.chars().skip(start.saturating_sub(1)).take(n).collect()
}

/// Excel's TRIM: spaces (U+0020 only) removed at both ends, inner runs
/// cut to one. Non-breaking spaces stay, as in Excel.
pub fn trim(text: &str) -> String {
    text.split(' ')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Excel's CLEAN: drops the control characters 0-31.
pub fn clean(text: &str) -> String {
    text.chars().filter(|&c| c as u32 >= 32).collect()
}

/// Excel's PROPER: a letter after a non-letter is upper case, any other
/// letter lower case (`2-way it's` becomes `2-Way It'S`, as in Excel).
pub fn proper(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_letter = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            if after_letter {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            after_letter = true;
        } else {
            out.push(c);
            after_letter = false;
        }
    }
    out
}

/// SUBSTITUTE: every occurrence of `old`, or only the `instance`-th
/// (1-based). An empty `old` changes nothing.
pub fn substitute(text: &str, old: &str, new: &str, instance: Option<usize>) -> String {
    if old.is_empty() {
        return text.to_string();
    }
    match instance {
        None => text.replace(old, new),
        Some(k) => match text.match_indices(old).nth(k.saturating_sub(1)) {
            Some((at, _)) if k >= 1 => {
                let mut out = String::with_capacity(text.len() + new.len());
                out.push_str(&text[..at]);
                out.push_str(new);
                out.push_str(&text[at + old.len()..]);
                out
            }
            _ => text.to_string(),
        },
    }
}

/// REPLACE: `n` characters from 1-based `start` replaced by `new`.
pub fn replace(text: &str, start: usize, n: usize, new: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let from = start.saturating_sub(1).min(chars.len());
    let to = from.saturating_add(n).min(chars.len());
    let mut out: String = chars[..from].iter().collect();
    out.push_str(new);
    out.extend(&chars[to..]);
    out
}

/// FIND: 1-based position of `needle` in `hay` from `start`, case
/// sensitive, no wildcards. `None` is `#VALUE!`.
pub fn find(needle: &str, hay: &str, start: usize) -> Option<usize> {
    let hay: Vec<char> = hay.chars().collect();
    if start < 1 || start > hay.len() + usize::from(needle.is_empty()) {
        return None;
    }
    let needle: Vec<char> = needle.chars().collect();
    if needle.is_empty() {
        return Some(start);
    }
    (start - 1..hay.len())
        .find(|&i| hay[i..].starts_with(&needle))
        .map(|i| i + 1)
}

/// One element of a wildcard pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wild {
    /// A character to match (folded when the match ignores case).
    Char(char),
    /// `?`: any one character.
    One,
    /// `*`: any run of characters.
    Any,
}

/// Splits an Excel wildcard pattern: `?` one character, `*` any run, `~`
/// makes the next character literal (a trailing `~` matches nothing).
fn wild_pattern(pattern: &str, fold: bool) -> Vec<Wild> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '~' => match chars.next() {
                Some(n) => Wild::Char(fold_char(n, fold)),
                None => break,
            },
            '?' => Wild::One,
            '*' => Wild::Any,
            c => Wild::Char(fold_char(c, fold)),
        });
    }
    out
}

fn fold_char(c: char, fold: bool) -> char {
    if fold {
        c.to_lowercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// Whether `pattern` matches a prefix of `text`.
fn wild_match(pattern: &[Wild], text: &[char]) -> bool {
    // States: positions in the pattern reachable after the text read so
    // far; `*` reaches past itself at once.
    let mut states = vec![false; pattern.len() + 1];
    let close = |states: &mut Vec<bool>| {
        for i in 0..pattern.len() {
            if states[i] && pattern[i] == Wild::Any {
                states[i + 1] = true;
            }
        }
    };
    states[0] = true;
    close(&mut states);
    for &c in text {
        if states[pattern.len()] {
            return true;
        }
        let mut next = vec![false; pattern.len() + 1];
        let mut any = false;
        for i in 0..pattern.len() {
            if !states[i] {
                continue;
            }
            match pattern[i] {
                Wild::Any => next[i] = true,
                Wild::One => next[i + 1] = true,
                Wild::Char(p) if p == c => next[i + 1] = true,
                Wild::Char(_) => continue,
            }
            any = true;
        }
        if !any {
            return false;
        }
        close(&mut next);
        states = next;
    }
    states[pattern.len()]
}

/// SEARCH: like [`find`] but ignoring case and with wildcards.
pub fn search(needle: &str, hay: &str, start: usize) -> Option<usize> {
    let hay: Vec<char> = hay.chars().map(|c| fold_char(c, true)).collect();
    if start < 1 || start > hay.len() + usize::from(needle.is_empty()) {
        return None;
    }
    let pattern = wild_pattern(needle, true);
    (start - 1..=hay.len())
        .find(|&i| wild_match(&pattern, &hay[i..]))
        .filter(|&i| i < hay.len() || pattern.iter().all(|w| *w == Wild::Any))
        .map(|i| i + 1)
}

/// REPT: `text` repeated `times` times, within the cell limit.
pub fn rept(text: &str, times: usize) -> TextResult<String> {
    let len = text.chars().count();
    if len.saturating_mul(times) > MAX_TEXT_CHARS {
        return Err(ErrorKind::Value);
    }
    Ok(text.repeat(times))
}

/// CHAR: the character with code 1-255 in Windows-1252, the code page
/// Excel for Windows uses (CHAR(128) is €).
pub fn char_of(code: i64) -> TextResult<String> {
    if !(1..=255).contains(&code) {
        return Err(ErrorKind::Value);
    }
    let byte = [code as u8];
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    Ok(text.into_owned())
}

/// CODE: the Windows-1252 code of the first character (63, `?`, for a
/// character the code page lacks).
pub fn code_of(text: &str) -> TextResult<i64> {
    let first = text.chars().next().ok_or(ErrorKind::Value)?;
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(first.encode_utf8(&mut buf));
    if unmappable || bytes.len() != 1 {
        return Ok(63);
    }
    Ok(i64::from(bytes[0]))
}

/// UNICHAR: the character with a Unicode code point.
pub fn unichar(code: i64) -> TextResult<String> {
    u32::try_from(code)
        .ok()
        .filter(|&c| c >= 1)
        .and_then(char::from_u32)
        .map(String::from)
        .ok_or(ErrorKind::Value)
}

/// UNICODE: the code point of the first character.
pub fn unicode_of(text: &str) -> TextResult<i64> {
    text.chars()
        .next()
        .map(|c| i64::from(c as u32))
        .ok_or(ErrorKind::Value)
}

/// Rounds half away from zero to `decimals` places (negative: tens,
/// hundreds...), as FIXED and DOLLAR do before formatting.
fn round_for_display(n: Number, decimals: i64) -> Number {
    n.round_half_away(decimals.clamp(-30, 30) as i32)
}

/// A `#,##0.00`-style code with `decimals` places (none when negative).
fn number_code(decimals: i64, commas: bool) -> String {
    let mut code = String::from(if commas { "#,##0" } else { "0" });
    if decimals > 0 {
        code.push('.');
        code.extend(std::iter::repeat_n('0', decimals as usize));
    }
    code
}

/// FIXED: the number rounded to `decimals` places as text, with
/// thousands separators unless `no_commas`.
pub fn fixed(n: Number, decimals: i64, no_commas: bool) -> TextResult<String> {
    if decimals > 127 {
        return Err(ErrorKind::Value);
    }
    let rounded = round_for_display(n, decimals);
    let code = number_code(decimals, !no_commas);
    format_text(&Value::Number(rounded), &code).ok_or(ErrorKind::Value)
}

/// DOLLAR: the number as US-dollar currency text, negatives in
/// parentheses (`$1,234.57`, `($1,234.57)`).
pub fn dollar(n: Number, decimals: i64) -> TextResult<String> {
    if decimals > 127 {
        return Err(ErrorKind::Value);
    }
    let rounded = round_for_display(n, decimals);
    let code = number_code(decimals, true);
    let code = format!("$#{code};($#{code})", code = &code[1..]);
    format_text(&Value::Number(rounded), &code).ok_or(ErrorKind::Value)
}

/// Parses a plain decimal number (`-12.5`, `1e-5`, `.5`).
fn parse_plain_number(text: &str) -> Option<Number> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | 'e' | 'E'))
        || !t.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    if let Ok(d) = Decimal::from_str(t) {
        return Some(Number::Exact(d.normalize()));
    }
    if let Ok(d) = Decimal::from_scientific(t) {
        return Some(Number::Exact(d.normalize()));
    }
    let f: f64 = t.parse().ok()?;
    f.is_finite().then(|| Number::from_f64(f))
}

/// NUMBERVALUE: reads a number with the given decimal and group
/// separators (first character of each); spaces anywhere are ignored,
/// group separators only before the decimal one, trailing `%` divide by
/// 100 each. Empty text is 0.
pub fn numbervalue(text: &str, decimal: char, group: char) -> TextResult<Number> {
    if decimal == group {
        return Err(ErrorKind::Value);
    }
    let mut t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(Number::ZERO);
    }
    let mut percent = 0;
    while let Some(rest) = t.strip_suffix('%') {
        percent += 1;
        t = rest.to_string();
    }
    let mut plain = String::with_capacity(t.len());
    let mut seen_decimal = false;
    for c in t.chars() {
        if c == decimal {
            if seen_decimal {
                return Err(ErrorKind::Value);
            }
            seen_decimal = true;
            plain.push('.');
        } else if c == group {
            if seen_decimal {
                return Err(ErrorKind::Value);
            }
        } else {
            plain.push(c);
        }
    }
    let mut n = parse_plain_number(&plain).ok_or(ErrorKind::Value)?;
    for _ in 0..percent {
        n = n
            .checked_div(Number::from_i64(100))
            .ok_or(ErrorKind::Value)?;
    }
    Ok(n)
}

/// The characters of `s`, each folded to lower case when `fold` (one
/// character for one, so positions stay comparable).
fn folded(s: &str, fold: bool) -> Vec<char> {
    s.chars().map(|c| fold_char(c, fold)).collect()
}

/// Non-overlapping occurrences of any delimiter, scanning from the start
/// and taking the longest delimiter that matches at each position, as
/// `(start, end)` character ranges.
fn occurrences(hay: &[char], delims: &[Vec<char>]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < hay.len() {
        let hit = delims
            .iter()
            .filter(|d| !d.is_empty() && hay[i..].starts_with(d))
            .map(Vec::len)
            .max();
        match hit {
            Some(len) => {
                found.push((i, i + len));
                i += len;
            }
            None => i += 1,
        }
    }
    found
}

/// Where TEXTBEFORE/TEXTAFTER cut: the byte range of the chosen
/// delimiter occurrence, or `None` when there is no such occurrence.
/// `instance` counts from the start (positive) or the end (negative);
/// with `match_end` the text's end (or start, searching backwards) counts
/// as one more delimiter.
pub fn delimiter_at(
    text: &str,
    delimiters: &[String],
    instance: i64,
    ignore_case: bool,
    match_end: bool,
) -> Option<(usize, usize)> {
    let hay = folded(text, ignore_case);
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let delims: Vec<Vec<char>> = delimiters.iter().map(|d| folded(d, ignore_case)).collect();
    let empty_delim = delims.iter().any(Vec::is_empty);
    let k = instance.unsigned_abs() as usize;
    let (start, end) = if instance > 0 {
        if empty_delim {
            return Some((0, 0));
        }
        let found = occurrences(&hay, &delims);
        match found.get(k - 1) {
            Some(&r) => r,
            None if match_end && k == found.len() + 1 => (hay.len(), hay.len()),
            None => return None,
        }
    } else {
        if empty_delim {
            return Some((text.len(), text.len()));
        }
        // Backwards: the same rule on the reversed text.
        let rev: Vec<char> = hay.iter().rev().copied().collect();
        let rev_delims: Vec<Vec<char>> = delims
            .iter()
            .map(|d| d.iter().rev().copied().collect())
            .collect();
        let back: Vec<(usize, usize)> = occurrences(&rev, &rev_delims)
            .into_iter()
            .map(|(s, e)| (hay.len() - e, hay.len() - s))
            .collect();
        match back.get(k - 1) {
            Some(&r) => r,
            None if match_end && k == back.len() + 1 => (0, 0),
            None => return None,
        }
    };
    Some((byte_of[start], byte_of[end]))
}

/// TEXTSPLIT: cuts `text` into rows (at row delimiters) and columns (at
/// column delimiters). Empty pieces are dropped when `ignore_empty`.
pub fn textsplit(
    text: &str,
    col_delims: &[String],
    row_delims: &[String],
    ignore_empty: bool,
    ignore_case: bool,
) -> Vec<Vec<String>> {
    split_on(text, row_delims, ignore_case)
        .into_iter()
        .filter(|r| !(ignore_empty && r.is_empty()))
        .map(|row| {
            split_on(&row, col_delims, ignore_case)
                .into_iter()
                .filter(|c| !(ignore_empty && c.is_empty()))
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.is_empty() || !ignore_empty)
        .collect()
}

/// Splits at any of `delims` (longest match first at each position).
fn split_on(text: &str, delims: &[String], ignore_case: bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let hay = folded(text, ignore_case);
    let delims: Vec<Vec<char>> = delims.iter().map(|d| folded(d, ignore_case)).collect();
    let mut pieces = Vec::new();
    let mut from = 0;
    for (start, end) in occurrences(&hay, &delims) {
        pieces.push(chars[from..start].iter().collect());
        from = end;
    }
    pieces.push(chars[from..].iter().collect());
    pieces
}

/// A regular expression for the REGEX functions (`#VALUE!` when it does
/// not compile). Excel uses PCRE2; this engine's syntax covers the common
/// ground but has no look-around or back-references.
pub fn regex(pattern: &str, ignore_case: bool) -> TextResult<regex::Regex> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(ignore_case)
        .build()
        .map_err(|_| ErrorKind::Value)
}

/// Rewrites an Excel replacement (`$1`, `$12`, `${name}`) into the regex
/// crate's form, where `$1a` would otherwise name a group `1a`.
fn replacement(rep: &str) -> String {
    let mut out = String::with_capacity(rep.len() + 4);
    let mut chars = rep.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            if digits.is_empty() {
                out.push('$');
                if chars.peek() == Some(&'$') {
                    chars.next();
                    out.push('$');
                }
            } else {
                out.push_str(&format!("${{{digits}}}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// REGEXREPLACE: every match replaced (`occurrence` 0), or only the n-th
/// from the start (positive) or from the end (negative).
pub fn regex_replace(text: &str, re: &regex::Regex, rep: &str, occurrence: i64) -> String {
    let rep = replacement(rep);
    if occurrence == 0 {
        return re.replace_all(text, rep.as_str()).into_owned();
    }
    let matches: Vec<regex::Captures> = re.captures_iter(text).collect();
    let index = if occurrence > 0 {
        occurrence as usize - 1
    } else {
        match matches
            .len()
            .checked_sub(occurrence.unsigned_abs() as usize)
        {
            Some(i) => i,
            None => return text.to_string(),
        }
    };
    let Some(caps) = matches.get(index) else {
        return text.to_string();
    };
    let whole = caps.get(0).expect("group 0 always matches");
    let mut expanded = String::new();
    caps.expand(&rep, &mut expanded);
    format!(
        "{}{}{}",
        &text[..whole.start()],
        expanded,
        &text[whole.end()..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::Exact(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn slicing_counts_characters() {
        assert_eq!(left("A wonderful world", 3), "A w");
        assert_eq!(left("園田 直子  ", 3), "園田 ");
        assert_eq!(right("Hello     ", 3), "   ");
        assert_eq!(right("園田 直子  ", 3), "子  ");
        assert_eq!(right("abc", 100), "abc");
        assert_eq!(mid("A Wonderful World", 3, 100), "Wonderful World");
        assert_eq!(mid("A Wonderful World", 1, 7), "A Wonde");
        assert_eq!(mid("abc", 10, 2), "");
    }

    #[test]
    fn trim_clean_proper() {
        assert_eq!(trim("  a   b  c "), "a b c");
        assert_eq!(trim("園田 直子  "), "園田 直子");
        assert_eq!(trim("a\u{a0} b"), "a\u{a0} b");
        assert_eq!(clean("a\u{1}b\tc\n"), "abc");
        assert_eq!(proper("this is a TITLE"), "This Is A Title");
        assert_eq!(proper("2-way street"), "2-Way Street");
        assert_eq!(proper("it's 76BudGet"), "It'S 76Budget");
        assert_eq!(proper("élan ÉCOLE"), "Élan École");
    }

    #[test]
    fn substitute_and_replace() {
        let t = "My old, very old fears";
        assert_eq!(substitute(t, "old", "new", None), "My new, very new fears");
        assert_eq!(
            substitute(t, "old", "new", Some(1)),
            "My new, very old fears"
        );
        assert_eq!(
            substitute(t, "old", "new", Some(2)),
            "My old, very new fears"
        );
        assert_eq!(substitute(t, "old", "new", Some(3)), t);
        assert_eq!(substitute(t, "OLD", "new", None), t);
        assert_eq!(substitute(t, "", "new", None), t);
        assert_eq!(substitute(t, "old", "", None), "My , very  fears");
        assert_eq!(substitute("123", "2", "qwerty", Some(1)), "1qwerty3");
        assert_eq!(replace("abcdefghijk", 6, 5, "*"), "abcde*k");
        assert_eq!(replace("2009", 3, 2, "10"), "2010");
        assert_eq!(replace("abc", 10, 2, "x"), "abcx");
        assert_eq!(replace("abc", 1, 0, "x"), "xabc");
    }

    #[test]
    fn find_is_exact_and_case_sensitive() {
        assert_eq!(find("Ana", "Banana", 1), None);
        assert_eq!(find("ana", "Banana", 1), Some(2));
        assert_eq!(find("ana", "ana", 2), None);
        assert_eq!(find("Y", "Y not Y yes", 3), Some(7));
        assert_eq!(find("Hola", "你好 Hola", 1), Some(4));
        assert_eq!(find("国", "中国香港", 1), Some(2));
        assert_eq!(find("Jude", "Hey Jude", 17), None);
        assert_eq!(find("Hey", "Hey Jude", 0), None);
        assert_eq!(find("~", "Hi ~Bang!", 1), Some(4));
        assert_eq!(find("ns?i", "Einstein", 1), None);
        assert_eq!(find("", "abc", 1), Some(1));
        assert_eq!(find("", "", 1), Some(1));
    }

    #[test]
    fn search_ignores_case_and_takes_wildcards() {
        assert_eq!(search("Ana", "Banana", 1), Some(2));
        assert_eq!(search("hey", "Ahey", 2), Some(2));
        assert_eq!(search("hey", "Ahey", 3), None);
        assert_eq!(search("ns??i", "Einstein", 1), Some(3));
        assert_eq!(search("国?港", "中国香港", 1), Some(2));
        assert_eq!(search("ns*i", "Einstein", 1), Some(3));
        assert_eq!(search("ns?i", "Einstein", 1), None);
        assert_eq!(search("*~?", "Late?", 1), Some(1));
        assert_eq!(search("~?", "Late?", 1), Some(5));
        assert_eq!(search("La?", "Late?", 1), Some(1));
        assert_eq!(search("Lat???", "Late", 1), None);
        assert_eq!(search("~*", "Ho*la", 1), Some(3));
        assert_eq!(search("h", "Hello", 1), Some(1));
        assert_eq!(search("~~", "Hi ~Bang!", 1), Some(4));
        assert_eq!(search("~", "Hi ~Bang!", 1), Some(1));
        assert_eq!(search("~", "Hello", 1), Some(1));
        assert_eq!(search("~d", "My dear", 1), Some(4));
        assert_eq!(search("~~*", "Ho*la", 1), None);
        assert_eq!(search("Pen", "Roger Penrose", 3), Some(7));
    }

    #[test]
    fn rept_char_code() {
        assert_eq!(rept("Qwery", 3).unwrap(), "QweryQweryQwery");
        assert_eq!(rept("Qwery", 0).unwrap(), "");
        assert_eq!(rept("Hwllo", 123_456_789), Err(ErrorKind::Value));
        assert_eq!(char_of(65).unwrap(), "A");
        assert_eq!(char_of(9).unwrap(), "\t");
        assert_eq!(char_of(128).unwrap(), "€");
        assert_eq!(char_of(131).unwrap(), "ƒ");
        assert_eq!(char_of(143).unwrap(), "\u{8f}");
        assert_eq!(char_of(0), Err(ErrorKind::Value));
        assert_eq!(char_of(256), Err(ErrorKind::Value));
        assert_eq!(code_of("A").unwrap(), 65);
        assert_eq!(code_of("€uro").unwrap(), 128);
        assert_eq!(code_of("の").unwrap(), 63);
        assert_eq!(code_of(""), Err(ErrorKind::Value));
        assert_eq!(unichar(12398).unwrap(), "の");
        assert_eq!(unichar(0), Err(ErrorKind::Value));
        assert_eq!(unichar(0xD800), Err(ErrorKind::Value));
        assert_eq!(unicode_of("ꬄ").unwrap(), 43780);
        assert_eq!(unicode_of("صش ").unwrap(), 1589);
        assert_eq!(unicode_of(""), Err(ErrorKind::Value));
    }

    #[test]
    fn fixed_and_dollar() {
        assert_eq!(fixed(n("1234.567"), 1, false).unwrap(), "1,234.6");
        assert_eq!(fixed(n("1234.567"), -1, false).unwrap(), "1,230");
        assert_eq!(fixed(n("-1234.567"), -1, true).unwrap(), "-1230");
        assert_eq!(fixed(n("44.332"), 2, false).unwrap(), "44.33");
        assert_eq!(fixed(n("2.675"), 2, false).unwrap(), "2.68");
        assert_eq!(fixed(n("1234567"), 0, false).unwrap(), "1,234,567");
        assert_eq!(fixed(n("1"), 200, false), Err(ErrorKind::Value));
        assert_eq!(dollar(n("1234.567"), 2).unwrap(), "$1,234.57");
        assert_eq!(dollar(n("-1234.567"), 2).unwrap(), "($1,234.57)");
        assert_eq!(dollar(n("1234.567"), -2).unwrap(), "$1,200");
        assert_eq!(dollar(n("-0.123"), 4).unwrap(), "($0.1230)");
        assert_eq!(dollar(n("99.5"), 0).unwrap(), "$100");
    }

    #[test]
    fn numbervalue_with_separators() {
        assert_eq!(numbervalue("2.500,27", ',', '.').unwrap(), n("2500.27"));
        assert_eq!(numbervalue("3.5%", '.', ',').unwrap(), n("0.035"));
        assert_eq!(
            numbervalue("1 234 567,5", ',', ' ').unwrap(),
            n("1234567.5")
        );
        assert_eq!(numbervalue("9%%", '.', ',').unwrap(), n("0.0009"));
        assert_eq!(numbervalue("", '.', ',').unwrap(), Number::ZERO);
        assert_eq!(numbervalue("1,2.3", '.', ',').unwrap(), n("12.3"));
        assert_eq!(numbervalue("1.2,3", '.', ','), Err(ErrorKind::Value));
        assert_eq!(numbervalue("1.2.3", '.', ','), Err(ErrorKind::Value));
        assert_eq!(numbervalue("abc", '.', ','), Err(ErrorKind::Value));
    }

    #[test]
    fn delimiters_for_textbefore_and_textafter() {
        let d = |s: &str| vec![s.to_string()];
        let t = "123 the 456 the 891";
        let cut = |inst, case, end| delimiter_at(t, &d("the"), inst, case, end);
        assert_eq!(cut(1, false, false), Some((4, 7)));
        assert_eq!(cut(2, false, false), Some((12, 15)));
        assert_eq!(cut(-1, false, false), Some((12, 15)));
        assert_eq!(cut(-2, false, false), Some((4, 7)));
        assert_eq!(cut(3, false, false), None);
        assert_eq!(delimiter_at(t, &d("THE"), 1, false, false), None);
        assert_eq!(delimiter_at(t, &d("THE"), 2, true, false), Some((12, 15)));
        assert_eq!(delimiter_at(t, &d("Hello"), 1, false, true), Some((19, 19)));
        assert_eq!(delimiter_at(t, &d("Hello"), -1, false, true), Some((0, 0)));
        assert_eq!(delimiter_at(t, &d("Hello"), 2, false, true), None);
        let cn = "一条漫长而曲折的道路而曲折";
        let (s, e) = delimiter_at(cn, &d("而曲"), 2, false, false).unwrap();
        assert_eq!(&cn[e..], "折");
        assert_eq!(&cn[..s], "一条漫长而曲折的道路");
        assert_eq!(delimiter_at("aẞb", &d("ß"), 1, true, false), Some((1, 4)));
        assert_eq!(
            delimiter_at("a-b-c", &d("-"), -1, false, false),
            Some((3, 4))
        );
        assert_eq!(
            delimiter_at("aaaa", &d("aa"), -1, false, false),
            Some((2, 4))
        );
        let multi = vec![",".to_string(), ";".to_string()];
        assert_eq!(delimiter_at("a;b,c", &multi, 2, false, false), Some((3, 4)));
    }

    #[test]
    fn textsplit_rows_and_columns() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            textsplit("1,2,3;4,5,6", &s(&[","]), &s(&[";"]), false, false),
            vec![s(&["1", "2", "3"]), s(&["4", "5", "6"])]
        );
        assert_eq!(
            textsplit("1,,2,3,,4", &s(&[","]), &[], true, false),
            vec![s(&["1", "2", "3", "4"])]
        );
        assert_eq!(
            textsplit("1,,2,3,,4", &s(&[","]), &[], false, false),
            vec![s(&["1", "", "2", "3", "", "4"])]
        );
        assert_eq!(
            textsplit("1,2.3-4", &s(&[",", ".", "-"]), &[], false, false),
            vec![s(&["1", "2", "3", "4"])]
        );
        assert_eq!(
            textsplit("1,2.3-4", &[], &s(&[",", "."]), false, false),
            vec![s(&["1"]), s(&["2"]), s(&["3-4"])]
        );
        assert_eq!(
            textsplit("aXbxc", &s(&["x"]), &[], false, true),
            vec![s(&["a", "b", "c"])]
        );
        assert_eq!(
            textsplit("a,", &s(&[","]), &[], false, false),
            vec![s(&["a", ""])]
        );
    }

    #[test]
    fn regular_expressions() {
        let re = regex("([A-Z][a-z]+)([A-Z][a-z]+)", false).unwrap();
        assert_eq!(
            regex_replace("JamesBond", &re, "$2, $1 $2", 0),
            "Bond, James Bond"
        );
        let digits = regex("[0-9]+", false).unwrap();
        assert_eq!(regex_replace("a1b22c333", &digits, "#", 0), "a#b#c#");
        assert_eq!(regex_replace("a1b22c333", &digits, "#", 2), "a1b#c333");
        assert_eq!(regex_replace("a1b22c333", &digits, "#", -1), "a1b22c#");
        assert_eq!(regex_replace("a1b22c333", &digits, "#", 9), "a1b22c333");
        assert_eq!(regex_replace("a1", &digits, "$0$0x", 0), "a11x");
        assert_eq!(regex_replace("a1", &digits, "$$", 0), "a$");
        assert!(regex("[", false).is_err());
        assert!(regex("abc", true).unwrap().is_match("xABCx"));
    }
}
