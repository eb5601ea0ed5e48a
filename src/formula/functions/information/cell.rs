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
use crate::numfmt::NumberFormat;

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
    let format = || NumberFormat::parse(&style.number_format);
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
        "format" => Ok(CalcValue::text(format().cell_format_code())),
        "color" => Ok(CalcValue::number(format().negative_in_color() as i64)),
        "parentheses" => Ok(CalcValue::number(format().positive_in_parentheses() as i64)),
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
    let dir = folder_of(&source.path);
    let file = source
        .path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{dir}[{file}]{}", book.sheets[sheet].name)
}

/// The absolute folder holding `file`, ending in this system's separator,
/// as CELL("filename") and INFO("directory") write it.
fn folder_of(file: &std::path::Path) -> String {
    let full = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    full.parent().map(with_separator).unwrap_or_default()
}

fn with_separator(dir: &std::path::Path) -> String {
    format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR)
}

pub(super) fn info(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let kind = ctx.text(&args[0])?.to_ascii_lowercase();
    let book = ctx.workbook();
    let answer = match kind.as_str() {
        "directory" => match &book.source {
            Some(s) => folder_of(&s.path),
            None => std::env::current_dir()
                .map(|d| with_separator(&d))
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
    use crate::formula::testing::{eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::Text(s.into())
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

    #[cfg(unix)]
    #[test]
    fn file_names_come_from_the_source_file() {
        use crate::formula::testing::eval_in;
        use crate::model::{workbook::Source, SourceFormat, Workbook};
        let mut book = Workbook::new();
        book.add_sheet("First").unwrap();
        book.add_sheet("Second").unwrap();
        book.source = Some(Source {
            path: "/data/books/q1.xlsx".into(),
            format: SourceFormat::Xlsx,
        });
        let eval = |f: &str| eval_in(book.clone(), "First", f);
        assert_eq!(
            eval("=CELL(\"filename\",Second!A1)"),
            t("/data/books/[q1.xlsx]Second")
        );
        assert_eq!(
            eval("=CELL(\"address\",Second!B2)"),
            t("[q1.xlsx]Second!$B$2")
        );
        assert_eq!(eval("=CELL(\"address\",B2)"), t("$B$2"));
        assert_eq!(eval("=INFO(\"directory\")"), t("/data/books/"));
        assert_eq!(eval("=INFO(\"numfile\")"), num("2"));
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
