//! Sheet renames applied to formula text the run did not rewrite itself
//! (unchanged cells, defined names kept from the file, chart series).

use crate::model::address::quote_sheet_name;

/// `text` with every reference to a sheet in `renames` (`(old, new)`,
/// compared case-insensitively) pointing at the new name. String literals
/// and references into other workbooks (`[1]Sheet1!A1`) are left alone.
pub(super) fn rename_sheets_in_formula(text: &str, renames: &[(String, String)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '\\';
    let lookup = |name: &str| {
        renames
            .iter()
            .find(|(old, _)| old.to_lowercase() == name.to_lowercase())
            .map(|(_, new)| quote_sheet_name(new))
    };
    while i < chars.len() {
        let c = chars[i];
        let external = i > 0 && chars[i - 1] == ']';
        match c {
            '"' => {
                // A string literal, with "" as an escaped quote.
                let start = i;
                i += 1;
                while i < chars.len() {
                    if chars[i] == '"' {
                        if chars.get(i + 1) == Some(&'"') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i = (i + 1).min(chars.len());
                out.extend(&chars[start..i]);
            }
            '\'' => {
                let start = i;
                let mut name = String::new();
                i += 1;
                while i < chars.len() {
                    if chars[i] == '\'' {
                        if chars.get(i + 1) == Some(&'\'') {
                            name.push('\'');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    name.push(chars[i]);
                    i += 1;
                }
                i = (i + 1).min(chars.len());
                match (chars.get(i), external) {
                    (Some('!'), false) => match lookup(&name) {
                        Some(new) => out.push_str(&new),
                        None => out.extend(&chars[start..i]),
                    },
                    _ => out.extend(&chars[start..i]),
                }
            }
            c if is_ident(c) && (i == 0 || !is_ident(chars[i - 1])) => {
                let start = i;
                while i < chars.len() && is_ident(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match (chars.get(i), external) {
                    (Some('!'), false) => match lookup(&word) {
                        Some(new) => out.push_str(&new),
                        None => out.push_str(&word),
                    },
                    _ => out.push_str(&word),
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_follow_a_renamed_sheet() {
        let renames = vec![
            ("Data".to_string(), "Sales 2026".to_string()),
            ("Old's".to_string(), "Plain".to_string()),
        ];
        let cases = [
            ("SUM(Data!A1:A3)", "SUM('Sales 2026'!A1:A3)"),
            ("data!A1+'Old''s'!B2", "'Sales 2026'!A1+Plain!B2"),
            ("\"Data!A1\"&MyData!A1", "\"Data!A1\"&MyData!A1"),
            ("[1]Data!A1", "[1]Data!A1"),
            ("Data", "Data"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                rename_sheets_in_formula(input, &renames),
                expected,
                "{input}"
            );
        }
    }
}
