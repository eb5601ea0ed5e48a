//! Excel's built-in defined names (print area, print titles) in a new
//! workbook: rust_xlsxwriter sets them through worksheet settings, not as
//! names, so they are placed here and the rest are refused with a reason.

use crate::model::address::{split_sheet_prefix, MAX_COLS, MAX_ROWS};
use crate::model::RangeAddr;
use rust_xlsxwriter::XlsxError;

/// Why a built-in name was not carried; the reason ends the warning.
#[derive(Debug, thiserror::Error)]
pub(super) enum BuiltinNameError {
    /// Neither a print area nor print titles.
    #[error("this built-in name is not supported by the new-workbook writer")]
    Unsupported,
    /// A print area of more than one range.
    #[error("a print area of several ranges cannot be written")]
    SeveralAreas,
    /// The range names no sheet and the name has no sheet scope.
    #[error("no sheet named")]
    NoSheet,
    /// The text is not a range.
    #[error("not a range")]
    NotARange,
    /// Print titles that are not whole rows or whole columns.
    #[error("print titles must be whole rows or columns")]
    TitlesNotWhole,
    /// rust_xlsxwriter refused the setting.
    #[error("{0}")]
    Writer(XlsxError),
}

/// Excel's built-in name behind `name`: `_xlnm.Print_Area` in xlsx, or the
/// one-character code xls files use (calamine passes those through).
pub(super) fn builtin_name(name: &str) -> Option<&str> {
    if let Some(rest) = name.strip_prefix("_xlnm.") {
        return Some(rest);
    }
    let mut chars = name.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    crate::model::workbook::BUILTIN_NAMES
        .get(c as usize)
        .copied()
}

/// Splits `Sheet1!$A$1:$B$2,Sheet1!$1:$1` at the commas outside quotes.
fn split_areas(refers_to: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in refers_to.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&refers_to[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&refers_to[start..]);
    parts
}

/// Carries a print area or print titles into the new workbook; other
/// built-in names (and anything that does not parse) are refused with the
/// reason.
pub(super) fn place_builtin(
    book: &mut rust_xlsxwriter::Workbook,
    builtin: &str,
    name: &crate::model::DefinedName,
) -> Result<(), BuiltinNameError> {
    let print_area = builtin.eq_ignore_ascii_case("Print_Area");
    let print_titles = builtin.eq_ignore_ascii_case("Print_Titles");
    if builtin.eq_ignore_ascii_case("_FilterDatabase") {
        // The hidden range behind an autofilter: tables carry their own.
        return Ok(());
    }
    if !print_area && !print_titles {
        return Err(BuiltinNameError::Unsupported);
    }
    let areas = split_areas(&name.refers_to);
    if print_area && areas.len() != 1 {
        return Err(BuiltinNameError::SeveralAreas);
    }
    for area in areas {
        let (sheet, addr) = split_sheet_prefix(area.trim().trim_start_matches('='));
        let sheet = sheet
            .or_else(|| name.scope.clone())
            .ok_or(BuiltinNameError::NoSheet)?;
        let range = RangeAddr::parse(addr).ok_or(BuiltinNameError::NotARange)?;
        let ws = book
            .worksheet_from_name(&sheet)
            .map_err(BuiltinNameError::Writer)?;
        // xls files spell whole rows and columns with their own limits
        // (column IV, row 65536).
        let whole_rows = range.start.col == 0 && [255, MAX_COLS - 1].contains(&range.end.col);
        let whole_cols = range.start.row == 0 && [65_535, MAX_ROWS - 1].contains(&range.end.row);
        let (r0, c0, r1, c1) = (
            range.start.row,
            range.start.col as u16,
            range.end.row,
            range.end.col as u16,
        );
        let placed = if print_area {
            ws.set_print_area(r0, c0, r1, c1).map(|_| ())
        } else if whole_rows {
            ws.set_repeat_rows(r0, r1).map(|_| ())
        } else if whole_cols {
            ws.set_repeat_columns(c0, c1).map(|_| ())
        } else {
            return Err(BuiltinNameError::TitlesNotWhole);
        };
        placed.map_err(BuiltinNameError::Writer)?;
    }
    Ok(())
}
