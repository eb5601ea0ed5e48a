//! OpenFormula (ODF 1.2 part 2) to Excel A1 formula text, for the ods
//! reader: calamine hands over `of:=SUM([.A1:.B2])` as written in the file,
//! while the model holds `SUM(A1:B2)`.
//!
//! The translation runs over tokens (string literals, bracketed references,
//! numbers, names, operators) rather than text replacement, so a `;` or a
//! `[` inside a string is left alone. Whitespace between tokens is dropped:
//! OpenFormula writes intersection as `!`, while in Excel a space *is* the
//! intersection operator.

use crate::model::address::quote_sheet_name;

/// Why a formula could not be translated (plain words, for a warning).
pub(crate) type Untranslatable = String;

/// Translates an ods cell formula (`of:=...`, `oooc:=...`, `msoxl:=...`,
/// or a bare `=...`) into Excel A1 text without the leading `=`, checked by
/// the formula parser.
pub(crate) fn translate_formula(text: &str) -> Result<String, Untranslatable> {
    let (namespace, body) = split_namespace(text);
    let body = body.trim_start();
    let body = body.strip_prefix('=').unwrap_or(body);
    let out = match namespace.map(str::to_ascii_lowercase).as_deref() {
        None | Some("of") | Some("oooc") => translate_expression(body)?,
        // Excel syntax stored in an ods file: taken as it is.
        Some("msoxl") => body.trim().to_string(),
        Some(other) => return Err(format!("formula syntax \"{other}:\" is not supported")),
    };
    crate::formula::parse(&out)
        .map_err(|e| format!("the translated formula {out} does not parse ({e})"))?;
    Ok(out)
}

/// Translates the target of an ods defined name: a named range's cell
/// range address (`Sheet1.$A$1:Sheet1.$B$2`, without brackets) or a named
/// expression (`of:=[.A1]*2`).
pub(crate) fn translate_named(text: &str) -> Result<String, Untranslatable> {
    let trimmed = text.trim();
    if split_namespace(trimmed).0.is_some() || trimmed.starts_with('=') {
        return translate_formula(trimmed);
    }
    // A named expression may also be stored without its `of:=` prefix.
    translate_range_list(trimmed)
        .or_else(|range_error| translate_formula(trimmed).map_err(|_| range_error))
}

/// A space-separated list of range addresses (a named range's target).
fn translate_range_list(trimmed: &str) -> Result<String, Untranslatable> {
    // A range address list; several ranges are separated by spaces.
    let parts: Vec<String> = split_outside_quotes(trimmed, ' ')
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(translate_reference)
        .collect::<Result<_, _>>()?;
    let out = match parts.len() {
        0 => return Err("the name refers to nothing".to_string()),
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => format!("({})", parts.join(",")),
    };
    crate::formula::parse(&out)
        .map_err(|e| format!("the translated reference {out} does not parse ({e})"))?;
    Ok(out)
}

/// `("of", "=SUM(...)")` for `of:=SUM(...)`; no namespace for `=...`.
fn split_namespace(text: &str) -> (Option<&str>, &str) {
    let t = text.trim_start();
    if let Some(colon) = t.find(':') {
        let ns = &t[..colon];
        if !ns.is_empty()
            && ns.chars().all(|c| c.is_ascii_alphanumeric())
            && t[colon + 1..].trim_start().starts_with('=')
        {
            return (Some(ns), &t[colon + 1..]);
        }
    }
    (None, t)
}

/// Splits on `sep` outside single-quoted sheet names (`''` is a quote
/// inside one).
fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\'' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// One open parenthesis or brace while translating.
struct Frame {
    /// `)` or `}` closes it.
    close: char,
    /// Index in the output of the function name, for a call.
    call_name: Option<usize>,
    /// Index in the output where the current argument starts.
    arg_start: usize,
    /// Whether the current argument holds a `~` union, which Excel only
    /// accepts in parentheses.
    arg_has_union: bool,
    /// Arguments seen so far (separators + 1).
    args: usize,
}

impl Frame {
    fn new(close: char, call_name: Option<usize>, arg_start: usize) -> Frame {
        Frame {
            close,
            call_name,
            arg_start,
            arg_has_union: false,
            args: 1,
        }
    }
}

/// Closes the current argument of `frame`: an argument holding a union is
/// put in parentheses, as Excel reads `,` as an argument separator.
fn end_argument(out: &mut Vec<String>, frame: &mut Frame) {
    if frame.arg_has_union && frame.arg_start < out.len() {
        out[frame.arg_start].insert(0, '(');
        out.push(")".to_string());
    }
    frame.arg_has_union = false;
}

/// The expression body (after `of:=`).
fn translate_expression(body: &str) -> Result<String, Untranslatable> {
    let chars: Vec<char> = body.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut stack: Vec<Frame> = vec![Frame::new('\0', None, 0)];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '"' => {
                let start = i;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("a text literal is not closed".to_string()),
                        Some('"') if chars.get(i + 1) == Some(&'"') => i += 2,
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                out.push(chars[start..i].iter().collect());
            }
            '[' => {
                let start = i + 1;
                let mut quoted = false;
                i += 1;
                while i < chars.len() && (quoted || chars[i] != ']') {
                    if chars[i] == '\'' {
                        quoted = !quoted;
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    return Err("a reference is not closed with ']'".to_string());
                }
                let inner: String = chars[start..i].iter().collect();
                i += 1;
                out.push(translate_reference(&inner)?);
            }
            '#' => {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || "/!?".contains(chars[i]))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(error_literal(&word)?.to_string());
            }
            '0'..='9' | '.' if c != '.' || chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i < chars.len() && matches!(chars[i], 'e' | 'E') {
                    let mut j = i + 1;
                    if j < chars.len() && matches!(chars[j], '+' | '-') {
                        j += 1;
                    }
                    if j < chars.len() && chars[j].is_ascii_digit() {
                        i = j;
                        while i < chars.len() && chars[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                out.push(chars[start..i].iter().collect());
            }
            '$' if chars.get(i + 1) == Some(&'$') => {
                // `$$Name`: a named expression written so it cannot be
                // mistaken for a reference.
                i += 2;
                let start = i;
                while i < chars.len() && is_name_char(chars[i]) {
                    i += 1;
                }
                if start == i {
                    return Err("a '$$' is not followed by a name".to_string());
                }
                out.push(chars[start..i].iter().collect());
            }
            c if c.is_alphabetic() || c == '_' || c == '\\' => {
                let start = i;
                while i < chars.len() && is_name_char(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                let mut k = j + 1;
                while k < chars.len() && chars[k].is_whitespace() {
                    k += 1;
                }
                let boolean =
                    word.eq_ignore_ascii_case("TRUE") || word.eq_ignore_ascii_case("FALSE");
                if chars.get(j) == Some(&'(') && boolean && chars.get(k) == Some(&')') {
                    // OpenFormula's TRUE() and FALSE() are Excel's literals.
                    out.push(word.to_ascii_uppercase());
                    i = k + 1;
                } else if chars.get(j) == Some(&'(') {
                    out.push(function_name(&word)?);
                    let name_at = out.len() - 1;
                    out.push("(".to_string());
                    stack.push(Frame::new(')', Some(name_at), out.len()));
                    i = j + 1;
                } else {
                    out.push(word);
                }
            }
            '(' | '{' => {
                out.push(c.to_string());
                let close = if c == '(' { ')' } else { '}' };
                stack.push(Frame::new(close, None, out.len()));
                i += 1;
            }
            ')' | '}' => {
                let Some(mut frame) = stack.pop().filter(|f| f.close == c) else {
                    return Err(format!("an unbalanced '{c}'"));
                };
                if stack.is_empty() {
                    return Err(format!("an unbalanced '{c}'"));
                }
                end_argument(&mut out, &mut frame);
                if let Some(at) = frame.call_name {
                    // OpenFormula's one- and three-argument CEILING/FLOOR
                    // are Excel's CEILING.MATH/FLOOR.MATH.
                    let empty = out.last().is_some_and(|t| t == "(");
                    let args = if empty { 0 } else { frame.args };
                    if matches!(out[at].as_str(), "CEILING" | "FLOOR") && args != 2 {
                        out[at].push_str(".MATH");
                    }
                }
                out.push(c.to_string());
                i += 1;
            }
            ';' | '|' => {
                let Some(frame) = stack.last_mut() else {
                    return Err("an unbalanced ')'".to_string());
                };
                let in_array = frame.close == '}';
                if c == '|' && !in_array {
                    return Err("a '|' outside an inline array".to_string());
                }
                end_argument(&mut out, frame);
                frame.args += 1;
                out.push(if c == '|' { ";" } else { "," }.to_string());
                frame.arg_start = out.len();
                i += 1;
            }
            '~' => {
                // Already in plain parentheses, the union needs no more.
                if let Some(frame) = stack
                    .last_mut()
                    .filter(|f| f.close != ')' || f.call_name.is_some())
                {
                    frame.arg_has_union = true;
                }
                out.push(",".to_string());
                i += 1;
            }
            '!' => {
                out.push(" ".to_string());
                i += 1;
            }
            '<' | '>' => {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                if matches!(two.as_str(), "<=" | ">=" | "<>") {
                    out.push(two);
                    i += 2;
                } else {
                    out.push(c.to_string());
                    i += 1;
                }
            }
            '+' | '-' | '*' | '/' | '^' | '&' | '=' | '%' | ':' => {
                out.push(c.to_string());
                i += 1;
            }
            other => return Err(format!("an unexpected '{other}'")),
        }
    }
    let Some(mut top) = stack.pop() else {
        return Err("an unbalanced ')'".to_string());
    };
    if !stack.is_empty() {
        return Err("a '(' is not closed".to_string());
    }
    end_argument(&mut out, &mut top);
    Ok(out.concat())
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '\\' | '?')
}

/// Excel's spelling of an OpenFormula error literal.
fn error_literal(word: &str) -> Result<&'static str, Untranslatable> {
    Ok(match word.to_ascii_uppercase().as_str() {
        "#N/A" | "#NA" => "#N/A",
        "#DIV/0!" => "#DIV/0!",
        "#VALUE!" => "#VALUE!",
        "#REF!" => "#REF!",
        "#NAME?" => "#NAME?",
        "#NUM!" => "#NUM!",
        "#NULL!" => "#NULL!",
        _ => return Err(format!("the error literal {word} has no Excel equivalent")),
    })
}

/// LibreOffice-only functions whose Excel counterpart has another name.
const LIBREOFFICE_FUNCTIONS: &[(&str, &str)] = &[
    ("ERRORTYPE", "ERROR.TYPE"),
    ("CONCAT", "CONCAT"),
    ("IFS", "IFS"),
    ("SWITCH", "SWITCH"),
    ("MAXIFS", "MAXIFS"),
    ("MINIFS", "MINIFS"),
    ("TEXTJOIN", "TEXTJOIN"),
    ("FORECAST.LINEAR", "FORECAST.LINEAR"),
];

/// OpenFormula standard names that Excel spells differently.
const RENAMED_FUNCTIONS: &[(&str, &str)] = &[
    ("FORMULA", "FORMULATEXT"),
    ("CHISQDIST", "CHISQ.DIST"),
    ("CHISQINV", "CHISQ.INV"),
    // OpenFormula's FDIST/FINV are the left-tailed F.DIST/F.INV; Excel's
    // right-tailed FDIST/FINV are written LEGACY.FDIST/LEGACY.FINV.
    ("FDIST", "F.DIST"),
    ("FINV", "F.INV"),
    ("SKEWP", "SKEW.P"),
    ("MULTIPLE.OPERATIONS", ""),
];

/// Excel's name for an OpenFormula function name: namespaces dropped
/// (`COM.MICROSOFT.`, `LEGACY.`), a few renamed; LibreOffice-only
/// functions are refused, since Excel would show `#NAME?`.
fn function_name(word: &str) -> Result<String, Untranslatable> {
    let upper = word.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("COM.MICROSOFT.") {
        return Ok(rest.to_string());
    }
    if let Some(rest) = upper.strip_prefix("LEGACY.") {
        return Ok(rest.to_string());
    }
    for prefix in ["ORG.OPENOFFICE.", "ORG.LIBREOFFICE."] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            return LIBREOFFICE_FUNCTIONS
                .iter()
                .find(|(lo, _)| *lo == rest)
                .map(|(_, xl)| xl.to_string())
                .ok_or_else(|| format!("the LibreOffice function {rest} has no Excel equivalent"));
        }
    }
    match RENAMED_FUNCTIONS.iter().find(|(of, _)| *of == upper) {
        Some((_, "")) => Err(format!("the function {upper} has no Excel equivalent")),
        Some((_, xl)) => Ok(xl.to_string()),
        // Functions LibreOffice does not know keep Excel's storage prefix
        // (`_xlfn.xlookup`), spelled as Excel stores it.
        None => Ok(["_XLFN._XLWS.", "_XLFN.", "_XLWS.", "_XLPM."]
            .iter()
            .find_map(|p| {
                upper
                    .strip_prefix(p)
                    .map(|rest| format!("{}{rest}", p.to_ascii_lowercase()))
            })
            .unwrap_or(upper)),
    }
}

/// One side of a range address: `$Sheet1.$A$1`, `.A`, `'My Sheet'.3`.
struct Part {
    sheet: Option<String>,
    address: String,
}

/// The inside of `[...]` (or a named range address) in Excel syntax.
fn translate_reference(inner: &str) -> Result<String, Untranslatable> {
    let inner = inner.trim();
    if inner.contains("#$") || inner.starts_with('\'') && inner.contains("'#") {
        return Err(format!("the reference [{inner}] points into another file"));
    }
    if inner.to_ascii_uppercase().contains("#REF!") {
        return Ok("#REF!".to_string());
    }
    let pieces = split_outside_quotes(inner, ':');
    if pieces.len() > 2 {
        return Err(format!("the reference [{inner}] has too many ':'"));
    }
    let parts: Vec<Part> = pieces
        .iter()
        .map(|p| parse_part(p).ok_or_else(|| format!("the reference [{inner}] is not understood")))
        .collect::<Result<_, _>>()?;
    let first_sheet = parts[0].sheet.clone();
    let mut text = String::new();
    match (&first_sheet, parts.get(1).and_then(|p| p.sheet.as_ref())) {
        (Some(a), Some(b)) if a != b => {
            // A 3-D reference: Excel quotes the two names together.
            let joined = format!("{a}:{b}");
            if quote_sheet_name(a) == *a && quote_sheet_name(b) == *b {
                text.push_str(&joined);
            } else {
                text.push_str(&format!("'{}'", joined.replace('\'', "''")));
            }
            text.push('!');
        }
        (Some(a), _) => {
            text.push_str(&quote_sheet_name(a));
            text.push('!');
        }
        (None, Some(_)) => {
            return Err(format!(
                "the reference [{inner}] names a sheet only on its second part"
            ))
        }
        (None, None) => {}
    }
    text.push_str(&parts[0].address);
    let three_d = parts
        .get(1)
        .is_some_and(|p| p.sheet.is_some() && p.sheet != first_sheet);
    // LibreOffice writes a 3-D reference to one cell as `A1:A1`.
    if let Some(second) = parts
        .get(1)
        .filter(|p| !(three_d && p.address == parts[0].address))
    {
        text.push(':');
        text.push_str(&second.address);
    }
    Ok(text)
}

/// Parses `$?sheet? . address`; the sheet may be single-quoted.
fn parse_part(text: &str) -> Option<Part> {
    let text = text.trim();
    let text = text.strip_prefix('$').unwrap_or(text);
    let (sheet, rest) = if let Some(quoted) = text.strip_prefix('\'') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, n)| *n) == Some('\'') {
                    chars.next();
                    name.push('\'');
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                name.push(c);
            }
        }
        (Some(name), &quoted[end?..])
    } else {
        let dot = text.rfind('.')?;
        let name = &text[..dot];
        ((!name.is_empty()).then(|| name.to_string()), &text[dot..])
    };
    let address = rest.strip_prefix('.')?;
    valid_address(address).then(|| Part {
        sheet,
        address: address.to_ascii_uppercase(),
    })
}

/// `A1`, `$A$1`, `A`, `$A`, `1`, `$1`.
fn valid_address(address: &str) -> bool {
    let s = address.strip_prefix('$').unwrap_or(address);
    let letters = s.chars().take_while(char::is_ascii_alphabetic).count();
    let s = &s[letters..];
    let s = if letters > 0 {
        s.strip_prefix('$').unwrap_or(s)
    } else {
        s
    };
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    digits == s.len() && (letters > 0 || digits > 0) && letters <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each OpenFormula text translates to the Excel text beside it.
    fn check(cases: &[(&str, &str)]) {
        for (of, xl) in cases {
            let got = translate_formula(of).unwrap_or_else(|e| panic!("{of}: {e}"));
            assert_eq!(got, *xl, "{of}");
        }
    }

    #[test]
    fn references_in_brackets_become_a1() {
        let cases = [
            ("of:=SUM([.A1:.B2])", "SUM(A1:B2)"),
            ("of:=[$Sheet2.A1]*2", "Sheet2!A1*2"),
            ("of:=[.A1:.A5]", "A1:A5"),
            ("of:=['Sales 2026'.B2]", "'Sales 2026'!B2"),
            ("of:=[$'My Sheet'.$A$1]", "'My Sheet'!$A$1"),
            ("of:=SUM([.A:.A])", "SUM(A:A)"),
            ("of:=SUM([.$3:.$5])", "SUM($3:$5)"),
            ("of:=SUM([Sheet1.A1:Sheet1.B2])", "SUM(Sheet1!A1:B2)"),
            ("of:=SUM([Sheet1.A1:.B2])", "SUM(Sheet1!A1:B2)"),
            ("of:=SUM([Sheet1.A1:Sheet3.B2])", "SUM(Sheet1:Sheet3!A1:B2)"),
            ("of:=SUM([$S1.A1:$'S 3'.A1])", "SUM('S1:S 3'!A1)"),
            ("of:=[$'It''s'.a1]", "'It''s'!A1"),
            ("of:=[.A1]:[.B2]", "A1:B2"),
            ("of:=[.$A1]+[.A$1]", "$A1+A$1"),
            ("of:=[Data_1.XFD1048576]", "Data_1!XFD1048576"),
        ];
        check(&cases);
    }

    #[test]
    fn separators_strings_and_operators() {
        let cases = [
            ("of:=IF([.A1]>0;\"yes\";\"no\")", "IF(A1>0,\"yes\",\"no\")"),
            (
                "of:=\"a;b[.A1]\"&\"say \"\"hi\"\"\"",
                "\"a;b[.A1]\"&\"say \"\"hi\"\"\"",
            ),
            ("of:=[.A1]>=[.A2]", "A1>=A2"),
            ("of:=[.A1]<>[.A2]", "A1<>A2"),
            ("of:=[.A1] <= 2", "A1<=2"),
            ("of:=-[.A1]^2%", "-A1^2%"),
            ("of:=1.5E-3+.5", "1.5E-3+.5"),
            ("of:=CONCATENATE(\"a\";\"b\")", "CONCATENATE(\"a\",\"b\")"),
            ("of:=IF(TRUE();1;0)", "IF(TRUE,1,0)"),
            ("of:=IF([.A1];;2)", "IF(A1,,2)"),
            ("=SUM([.A1];[.B1])", "SUM(A1,B1)"),
            ("oooc:=SUM([.A1:.A3])", "SUM(A1:A3)"),
            ("msoxl:=SUM(A1:B2)", "SUM(A1:B2)"),
            ("of:=SUM({1;2|3;4})", "SUM({1,2;3,4})"),
            ("of:=[.B1]+$$OneRange", "B1+OneRange"),
            ("of:=[.B1]+OneRange", "B1+OneRange"),
        ];
        check(&cases);
    }

    #[test]
    fn union_intersection_and_errors() {
        let cases = [
            ("of:=SUM([.A1:.A2]~[.C1])", "SUM((A1:A2,C1))"),
            ("of:=SUM([.A1]~[.B1];[.C1])", "SUM((A1,B1),C1)"),
            ("of:=[.A1]~[.B1]", "(A1,B1)"),
            ("of:=SUM(([.A1:.A2]~[.B1]))", "SUM((A1:A2,B1))"),
            ("of:=INDEX(([.A1]~[.B1]);1;1;2)", "INDEX((A1,B1),1,1,2)"),
            ("of:=SUM([.A1:.C3]![.B2:.D4])", "SUM(A1:C3 B2:D4)"),
            ("of:=IF(ISNA([.A1]);#NA;1)", "IF(ISNA(A1),#N/A,1)"),
            ("of:=#N/A", "#N/A"),
            ("of:=IFERROR(1/0;#DIV/0!)", "IFERROR(1/0,#DIV/0!)"),
            ("of:=[.#REF!]+1", "#REF!+1"),
            ("of:=[Sheet1.#REF!]", "#REF!"),
        ];
        check(&cases);
    }

    #[test]
    fn function_names_lose_namespaces() {
        let cases = [
            (
                "of:=COM.MICROSOFT.TEXTJOIN(\",\";1;[.A1:.A3])",
                "TEXTJOIN(\",\",1,A1:A3)",
            ),
            ("of:=COM.MICROSOFT.NORM.DIST(1;0;1;1)", "NORM.DIST(1,0,1,1)"),
            ("of:=LEGACY.NORMSDIST(1)", "NORMSDIST(1)"),
            ("of:=ORG.OPENOFFICE.ERRORTYPE([.A1])", "ERROR.TYPE(A1)"),
            ("of:=sum([.a1])", "SUM(A1)"),
            ("of:=CEILING([.A1])", "CEILING.MATH(A1)"),
            ("of:=CEILING([.A1];2)", "CEILING(A1,2)"),
            ("of:=FLOOR([.A1];2;1)", "FLOOR.MATH(A1,2,1)"),
            ("of:=COM.MICROSOFT.CEILING([.A1];2)", "CEILING(A1,2)"),
            ("of:=FORMULA([.A1])", "FORMULATEXT(A1)"),
            ("of:=FDIST([.A1];2;3;TRUE())", "F.DIST(A1,2,3,TRUE)"),
            ("of:=LEGACY.FDIST([.A1];2;3)", "FDIST(A1,2,3)"),
            ("of:=AND(TRUE ( );FALSE())", "AND(TRUE,FALSE)"),
            (
                "of:=_xlfn.xlookup(1;[.A1:.A3];[.B1:.B3])",
                "_xlfn.XLOOKUP(1,A1:A3,B1:B3)",
            ),
            ("of:=_xlfn._xlws.sort([.A1:.A3])", "_xlfn._xlws.SORT(A1:A3)"),
            ("of:=SUM ([.A1])", "SUM(A1)"),
        ];
        check(&cases);
    }

    #[test]
    fn untranslatable_formulas_say_why() {
        let cases = [
            ("of:=ORG.OPENOFFICE.EASTERSUNDAY(2026)", "EASTERSUNDAY"),
            (
                "of:=MULTIPLE.OPERATIONS([.B1];[.A1];5)",
                "MULTIPLE.OPERATIONS",
            ),
            ("of:=['file:///tmp/x.ods'#$Sheet1.A1]", "another file"),
            ("of:=SUM([.A1:.B2]", "not closed"),
            ("of:=SUM([.A1)", "not closed"),
            ("of:=\"abc", "not closed"),
            ("of:=1|2", "'|'"),
            ("of:=SUM([.A1]))", "unbalanced"),
            ("of:=[.A1:.B2:.C3]", "too many"),
            ("of:=[.A1A]", "not understood"),
            ("of:=#WHAT?", "no Excel equivalent"),
            ("xyz:=1", "not supported"),
            ("of:=1+", "does not parse"),
        ];
        for (of, why) in cases {
            let err = translate_formula(of).expect_err(of);
            assert!(err.contains(why), "{of}: {err}");
        }
    }

    #[test]
    fn named_range_addresses() {
        assert_eq!(translate_named("Sheet1.$A$1").unwrap(), "Sheet1!$A$1");
        assert_eq!(
            translate_named("datatypes.$A$1:datatypes.$A$6").unwrap(),
            "datatypes!$A$1:$A$6"
        );
        assert_eq!(
            translate_named("$'My Sheet'.$B$2").unwrap(),
            "'My Sheet'!$B$2"
        );
        assert_eq!(
            translate_named("$S.$A$1 $S.$C$1").unwrap(),
            "(S!$A$1,S!$C$1)"
        );
        assert_eq!(translate_named("of:=[Sheet1.#REF!]").unwrap(), "#REF!");
        assert_eq!(translate_named("Sheet1.#REF!").unwrap(), "#REF!");
        assert_eq!(translate_named("of:=[.A1]*2").unwrap(), "A1*2");
        assert_eq!(translate_named("[.A1]*2").unwrap(), "A1*2");
        assert_eq!(translate_named("SUM([S.A1];2)").unwrap(), "SUM(S!A1,2)");
        assert!(translate_named("S.A1 +").is_err());
    }
}
