//! CELL and INFO: what a formula can learn about a cell, the workbook
//! and the program computing it.
//!
//! Where Excel answers from something this model does not hold, the
//! answer is the one Excel gives for a new, unsaved workbook when that is
//! what the file would show, and `#VALUE!` otherwise:
//! - `CELL("protect")` is `#VALUE!`: cell protection is not read, and
//!   guessing Excel's default (locked) could be silently wrong;
//! - `CELL("filename")` is empty text for a workbook not read from a file,
//!   as Excel gives for an unsaved book;
//! - an omitted reference is the formula's own cell (Excel takes the
//!   active cell at the time of calculation, which a batch run has not).

use super::*;
use crate::model::address::column_letters;
use crate::model::style::HAlign;
use crate::model::Workbook;

/// Excel's standard column width in characters, for columns the file
/// gives no width.
const DEFAULT_COLUMN_WIDTH: f64 = 8.43;

pub(super) fn cell(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let info_type = ctx.text(&args[0])?.to_ascii_lowercase();
    let (sheet, at) = if CallContext::is_missing(args, 1) {
        let at = ctx.current_cell().ok_or(ErrorKind::Value)?;
        (ctx.current_sheet(), at)
    } else {
        let area = ctx.reference(&args[1])?;
        (area.sheet, area.range.start)
    };
    let style_id = ctx
        .workbook()
        .sheets
        .get(sheet)
        .and_then(|s| s.cell(at))
        .map_or(0, |c| c.style);
    let style = ctx.workbook().styles.get(style_id).clone();
    match info_type.as_str() {
        "address" => Ok(CalcValue::text(cell_address(ctx, sheet, at))),
        "col" => Ok(CalcValue::number(at.col as i64 + 1)),
        "row" => Ok(CalcValue::number(at.row as i64 + 1)),
        "contents" => match ctx.cell_value(sheet, at) {
            Value::Error(k) => Err(k),
            Value::Empty => Ok(CalcValue::number(0)),
            v => Ok(CalcValue::Value(v)),
        },
        "type" => {
            let kind = match ctx.cell_value(sheet, at) {
                Value::Empty => "b",
                Value::Text(_) => "l",
                _ => "v",
            };
            Ok(CalcValue::text(kind))
        }
        "width" => {
            let given = ctx.workbook().sheets[sheet]
                .column_widths
                .get(&at.col)
                .copied();
            let width = given.unwrap_or(DEFAULT_COLUMN_WIDTH);
            Ok(CalcValue::Array(Array::row(vec![
                Value::Number(Number::from(width.round() as i64)),
                Value::Bool(given.is_none()),
            ])))
        }
        "format" => Ok(CalcValue::text(format_code(&style.number_format))),
        "color" => Ok(CalcValue::number(
            negative_in_color(&style.number_format) as i64
        )),
        "parentheses" => Ok(CalcValue::number(
            positive_in_parentheses(&style.number_format) as i64,
        )),
        "prefix" => {
            let prefix = match ctx.cell_value(sheet, at) {
                Value::Text(_) => match style.alignment.horizontal {
                    HAlign::Right => "\"",
                    HAlign::Center => "^",
                    HAlign::Fill => "\\",
                    _ => "'",
                },
                _ => "",
            };
            Ok(CalcValue::text(prefix))
        }
        "filename" => Ok(CalcValue::text(file_name(ctx.workbook(), sheet))),
        // "protect" needs cell protection, which the model does not keep.
        _ => Err(ErrorKind::Value),
    }
}

/// `$A$1`, or `[Book.xlsx]Other!$A$1` for a cell on another sheet, as
/// CELL("address") writes them.
fn cell_address(ctx: &CallContext, sheet: usize, at: CellAddr) -> String {
    let local = format!("${}${}", column_letters(at.col), at.row + 1);
    if sheet == ctx.current_sheet() {
        return local;
    }
    let book = ctx
        .workbook()
        .source
        .as_ref()
        .and_then(|s| s.path.file_name())
        .map_or_else(|| "Book1".to_string(), |n| n.to_string_lossy().into_owned());
    let name = &ctx.workbook().sheets[sheet].name;
    format!("[{book}]{name}!{local}")
}

/// `C:\dir\[Book.xlsx]Sheet1` with this system's separator; empty for a
/// workbook not read from a file.
fn file_name(book: &Workbook, sheet: usize) -> String {
    let Some(source) = &book.source else {
        return String::new();
    };
    let full = std::path::absolute(&source.path).unwrap_or_else(|_| source.path.clone());
    let dir = full
        .parent()
        .map(|d| format!("{}{}", d.display(), std::path::MAIN_SEPARATOR))
        .unwrap_or_default();
    let file = full
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{dir}[{file}]{}", book.sheets[sheet].name)
}

/// The sections of a number format code, split at `;` outside quotes,
/// escapes and brackets.
fn sections(code: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = code.chars();
    let (mut quoted, mut bracket) = (false, false);
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '\\' if !quoted => {
                let last = out.last_mut().expect("one section");
                last.push(c);
                if let Some(n) = chars.next() {
                    last.push(n);
                }
                continue;
            }
            ';' if !quoted && !bracket => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("one section").push(c);
    }
    out
}

/// A section without quoted text, escaped characters and bracketed parts
/// other than currency tags, lower-cased: what decides its kind.
fn bare(section: &str) -> String {
    let mut out = String::new();
    let mut chars = section.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inner: String = chars.by_ref().take_while(|&c| c != ']').collect();
                if inner.starts_with('$') {
                    out.push('$');
                }
            }
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// Whether the second (negative) section shows its numbers in a colour.
fn negative_in_color(code: &str) -> bool {
    sections(code).get(1).is_some_and(|s| {
        let s = s.to_ascii_lowercase();
        [
            "[red]",
            "[black]",
            "[blue]",
            "[cyan]",
            "[green]",
            "[magenta]",
            "[white]",
            "[yellow]",
            "[color",
        ]
        .iter()
        .any(|c| s.contains(c))
    })
}

/// Whether positive (or all) numbers are shown in parentheses.
fn positive_in_parentheses(code: &str) -> bool {
    sections(code)
        .first()
        .is_some_and(|s| bare(s).contains('('))
}

/// CELL("format")'s code for a number format: `G`, `F2`, `,0`, `C2`,
/// `P0`, `S2` or `D1`..`D9`, with `-` when negatives are coloured and
/// `()` when positives are in parentheses.
pub(super) fn format_code(code: &str) -> String {
    let first = sections(code).into_iter().next().unwrap_or_default();
    let kind = bare(&first);
    let trimmed = kind.trim();
    let mut out = if trimmed.is_empty() || trimmed == "general" || trimmed == "@" {
        "G".to_string()
    } else if let Some(d) = date_code(trimmed) {
        d.to_string()
    } else if trimmed.contains('/') {
        // Fractions show as General does in this classification.
        "G".to_string()
    } else {
        let decimals = trimmed.split_once('.').map_or(0, |(_, rest)| {
            rest.chars()
                .take_while(|c| matches!(c, '0' | '#' | '?'))
                .count()
        });
        let letter = if trimmed.contains('e') {
            "S"
        } else if trimmed.contains('%') {
            "P"
        } else if trimmed.contains('$') || trimmed.contains('€') || trimmed.contains('£') {
            "C"
        } else if trimmed.contains(',') {
            ","
        } else {
            "F"
        };
        format!("{letter}{decimals}")
    };
    if negative_in_color(code) {
        out.push('-');
    }
    if positive_in_parentheses(code) {
        out.push_str("()");
    }
    out
}

/// The `D` codes of date and time formats, `None` for other formats.
fn date_code(kind: &str) -> Option<&'static str> {
    let has = |c: char| kind.contains(c);
    let date = has('y') || has('d') || (has('m') && !has('h') && !has('s'));
    let time = has('h') || has('s');
    if !date && !time {
        return None;
    }
    let ampm = kind.contains("am/pm") || kind.contains("a/p");
    Some(if date {
        if time || (has('y') && has('d') && !kind.contains("mmm")) {
            "D4"
        } else if kind.contains("mmm") && has('d') && has('y') {
            "D1"
        } else if kind.contains("mmm") && has('d') {
            "D2"
        } else if kind.contains("mmm") || has('y') {
            "D3"
        } else {
            "D5"
        }
    } else if ampm {
        if has('s') {
            "D6"
        } else {
            "D7"
        }
    } else if has('s') {
        "D8"
    } else {
        "D9"
    })
}

pub(super) fn info(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let kind = ctx.text(&args[0])?.to_ascii_lowercase();
    let book = ctx.workbook();
    let answer = match kind.as_str() {
        "directory" => match &book.source {
            Some(s) => {
                let full = std::path::absolute(&s.path).unwrap_or_else(|_| s.path.clone());
                full.parent()
                    .map(|d| format!("{}{}", d.display(), std::path::MAIN_SEPARATOR))
                    .unwrap_or_default()
            }
            None => std::env::current_dir()
                .map(|d| format!("{}{}", d.display(), std::path::MAIN_SEPARATOR))
                .map_err(|_| ErrorKind::NA)?,
        },
        "numfile" => return Ok(CalcValue::number(book.sheets.len() as i64)),
        // The top-left cell of the window, which a batch run does not
        // scroll: the window's origin.
        "origin" => "$A:$A$1".to_string(),
        "osversion" => format!("{} ({})", std::env::consts::OS, std::env::consts::ARCH),
        "recalc" => "Automatic".to_string(),
        // The Excel version whose functions this engine follows.
        "release" => "16.0".to_string(),
        // Excel's two answers are "pcdos" and "mac"; formulas written for
        // Windows Excel expect the first off a Mac.
        "system" => if cfg!(target_os = "macos") {
            "mac"
        } else {
            "pcdos"
        }
        .to_string(),
        // Excel 2007 dropped the memory types; they give #N/A.
        "memavail" | "memused" | "totmem" => return Err(ErrorKind::NA),
        _ => return Err(ErrorKind::Value),
    };
    Ok(CalcValue::text(answer))
}

#[cfg(test)]
mod tests {
    use super::format_code;
    use crate::formula::testing::{eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn format_codes_follow_excels_table() {
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
        ];
        for (code, want) in cases {
            assert_eq!(format_code(code), want, "{code}");
        }
    }

    #[test]
    fn cell_describes_the_referenced_cell() {
        let cells = [("A1", "12"), ("B2", "text"), ("C3", "=1/0")];
        assert_eq!(eval_with(&cells, "=CELL(\"address\",B2)"), t("$B$2"));
        assert_eq!(eval_with(&cells, "=CELL(\"row\",B2)"), num("2"));
        assert_eq!(eval_with(&cells, "=CELL(\"col\",C3)"), num("3"));
        assert_eq!(eval_with(&cells, "=CELL(\"contents\",A1)"), num("12"));
        assert_eq!(
            eval_with(&cells, "=CELL(\"contents\",C3)"),
            Value::Error(ErrorKind::Div0)
        );
        assert_eq!(eval_with(&cells, "=CELL(\"type\",A1)"), t("v"));
        assert_eq!(eval_with(&cells, "=CELL(\"type\",B2)"), t("l"));
        assert_eq!(eval_with(&cells, "=CELL(\"type\",D4)"), t("b"));
        assert_eq!(eval_with(&cells, "=CELL(\"prefix\",B2)"), t("'"));
        assert_eq!(eval_with(&cells, "=CELL(\"prefix\",A1)"), t(""));
        assert_eq!(eval_with(&cells, "=CELL(\"format\",A1)"), t("G"));
        assert_eq!(eval_with(&cells, "=CELL(\"color\",A1)"), num("0"));
        assert_eq!(eval_with(&cells, "=INDEX(CELL(\"width\",A1),1)"), num("8"));
        assert_eq!(
            eval_with(&cells, "=INDEX(CELL(\"width\",A1),2)"),
            Value::Bool(true)
        );
        assert_eq!(eval_with(&cells, "=CELL(\"filename\",A1)"), t(""));
        assert_eq!(
            eval_with(&cells, "=CELL(\"protect\",A1)"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(
            eval_with(&cells, "=CELL(\"nonsense\",A1)"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(eval_str("=CELL(\"row\",5)"), Value::Error(ErrorKind::Value));
    }

    #[test]
    fn info_answers_as_excel_does() {
        assert_eq!(eval_str("=INFO(\"recalc\")"), t("Automatic"));
        assert_eq!(eval_str("=INFO(\"release\")"), t("16.0"));
        assert_eq!(eval_str("=INFO(\"origin\")"), t("$A:$A$1"));
        assert_eq!(eval_str("=INFO(\"numfile\")"), num("1"));
        assert_eq!(eval_str("=INFO(\"memavail\")"), Value::Error(ErrorKind::NA));
        assert_eq!(eval_str("=INFO(\"other\")"), Value::Error(ErrorKind::Value));
        assert_eq!(eval_str("=ISTEXT(INFO(\"directory\"))"), Value::Bool(true));
    }
}
