//! Moving a formula's relative references when it is filled to another
//! cell (`=C2*D2` filled down one row becomes `=C3*D3`; `$C$2` stays).
//! Text in quotes, function names and sheet names are left alone.

use crate::model::address::{column_from_letters, column_letters, MAX_COLS, MAX_ROWS};

/// `formula` with every relative reference moved by `rows` and `cols`;
/// an error when a reference would leave the sheet.
pub fn shift_formula(formula: &str, rows: i64, cols: i64) -> Result<String, String> {
    let chars: Vec<char> = formula.chars().collect();
    let mut out = String::with_capacity(formula.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            // Copy a string literal or quoted sheet name untouched.
            out.push(c);
            i += 1;
            while i < chars.len() {
                out.push(chars[i]);
                if chars[i] == c {
                    if chars.get(i + 1) == Some(&c) {
                        out.push(c);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            continue;
        }
        let starts_token = i == 0 || !is_name_char(chars[i - 1]);
        if starts_token && (c == '$' || c.is_ascii_alphabetic()) {
            if let Some((len, text)) = reference_at(&chars[i..], rows, cols)? {
                out.push_str(&text);
                i += len;
                continue;
            }
            // Not a reference: copy the whole name so its tail is not
            // mistaken for one.
            while i < chars.len() && (is_name_char(chars[i]) || chars[i] == '$') {
                out.push(chars[i]);
                i += 1;
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// A cell reference (`$A$1`, `B2`) at the start of `s`, shifted; `None`
/// when `s` does not start with one.
fn reference_at(s: &[char], rows: i64, cols: i64) -> Result<Option<(usize, String)>, String> {
    let mut i = 0;
    let col_abs = s.first() == Some(&'$');
    if col_abs {
        i += 1;
    }
    let letters_start = i;
    while i < s.len() && s[i].is_ascii_alphabetic() {
        i += 1;
    }
    let letters: String = s[letters_start..i].iter().collect();
    if letters.is_empty() || letters.len() > 3 {
        return Ok(None);
    }
    let row_abs = s.get(i) == Some(&'$');
    if row_abs {
        i += 1;
    }
    let digits_start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    if i == digits_start {
        return Ok(None);
    }
    // `LOG10(` is a function, `A1B` a name: a reference ends here.
    if s.get(i).is_some_and(|c| is_name_char(*c) || *c == '(') {
        return Ok(None);
    }
    let Some(col) = column_from_letters(&letters) else {
        return Ok(None);
    };
    let digits: String = s[digits_start..i].iter().collect();
    let Ok(row) = digits.parse::<i64>() else {
        return Ok(None);
    };
    let new_col = if col_abs {
        col as i64
    } else {
        col as i64 + cols
    };
    let new_row = if row_abs { row } else { row + rows };
    if !(0..MAX_COLS as i64).contains(&new_col) || !(1..=MAX_ROWS as i64).contains(&new_row) {
        return Err(format!(
            "filling moves the reference {letters}{digits} off the sheet"
        ));
    }
    let text = format!(
        "{}{}{}{}",
        if col_abs { "$" } else { "" },
        column_letters(new_col as u32),
        if row_abs { "$" } else { "" },
        new_row
    );
    Ok(Some((i, text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_move_and_absolute_stay() {
        assert_eq!(shift_formula("=C2*D2", 1, 0).unwrap(), "=C3*D3");
        assert_eq!(
            shift_formula("=$C$2*D$2+$E2", 3, 1).unwrap(),
            "=$C$2*E$2+$E5"
        );
        assert_eq!(shift_formula("=SUM(A1:A10)", 2, 0).unwrap(), "=SUM(A3:A12)");
        assert_eq!(
            shift_formula("='Sales 2026'!B2&\"A1\"", 1, 0).unwrap(),
            "='Sales 2026'!B3&\"A1\""
        );
        assert_eq!(
            shift_formula("=LOG10(A1)+Rate_2", 1, 0).unwrap(),
            "=LOG10(A2)+Rate_2"
        );
        assert!(shift_formula("=A1", -1, 0).is_err());
    }
}
