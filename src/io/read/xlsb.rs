//! Excel binary workbooks (.xlsb) through calamine: values, formulas,
//! workbook-wide defined names, and the package features found from the
//! zip entries; hidden rows and the autoFilter from the sheet parts'
//! records (xlsb_rows.rs); shared and array formulas, which calamine
//! skips, written out into their cells before calamine reads the file
//! (xlsb_shared_formulas.rs); the references and comparisons calamine
//! decodes wrongly put right in the formula text.
//!
//! Cells are read record by record through calamine's cells reader and
//! loaded one by one under the reading limits: calamine's own ranges are
//! dense, so a sheet with cells at A1 and XFD1048576 would ask for the
//! whole grid (half a terabyte) before any limit could be checked. A cell
//! or formula calamine cannot decode is left out with a warning; the
//! cells around it are still read.

use super::calamine_common::{
    new_sheet, open_reader_from, reason, sheet_error, skipped_sheet_features, workbook_names,
    CellLoader, FORMULA_EXPANSION_BUDGET,
};
use super::convert::value_from_owned;
use super::{ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::{Cell, CellAddr, Sheet, Workbook};
use calamine::{CellType, Data, Reader, Xlsb, XlsbError};
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Reader for .xlsb workbooks.
pub(crate) struct XlsbReader;

impl WorkbookReader for XlsbReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let expanded = super::xlsb_shared_formulas::expand(
            path,
            FORMULA_EXPANSION_BUDGET.min(options.limits.max_text_bytes),
        );
        let mut wb = match expanded.file {
            Some(copy) => read_from(path, Cursor::new(copy), options)?,
            None => {
                let file = File::open(path)
                    .map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
                read_from(path, BufReader::new(file), options)?
            }
        };
        super::calamine_common::put_comparisons_right(&mut wb);
        expanded.written.place(&mut wb);
        Ok(wb)
    }
}

/// Reads the workbook at `path` from `source`: the file itself, or a copy
/// of it with its shared formulas written out.
fn read_from<RS: Read + Seek>(
    path: &Path,
    source: RS,
    options: &ReadOptions,
) -> crate::Result<Workbook> {
    let (mut book, mut wb) =
        open_reader_from::<Xlsb<RS>, RS>(path, source, |b| b.has_1904_epoch(), open_reason)?;
    let offset = wb.date_system.offset_to_1900();
    let mut loader = CellLoader::new(path, &options.limits);
    let metas: Vec<calamine::Sheet> = book.sheets_metadata().to_vec();
    let file_label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (index, meta) in metas.iter().enumerate() {
        if meta.typ != calamine::SheetType::WorkSheet {
            continue;
        }
        let mut sheet = new_sheet(meta, index);
        let mut unread = Unread::default();
        let mut cells = book
            .worksheet_cells_reader(&meta.name)
            .map_err(|e| sheet_error(path, &meta.name, e))?;
        let rows = cells
            .dimensions()
            .end
            .0
            .saturating_sub(cells.dimensions().start.0);
        options.progress.start(
            &format!("Reading {file_label} [{}]", meta.name),
            u64::from(rows) + 1,
        );
        loader.next_sheet();
        let mut last_row = 0;
        loop {
            match step(|| cells.next_cell()) {
                Step::Cell(cell) => {
                    let (row, col) = cell.get_position();
                    if row > last_row {
                        options.progress.inc(u64::from(row - last_row));
                        last_row = row;
                    }
                    let value = value_from_owned(Data::from(cell.get_value().clone()), offset);
                    let cell = Cell {
                        value,
                        formula: None,
                        style: 0,
                    };
                    loader.load(&mut sheet, row, col, cell)?;
                }
                Step::End => break,
                Step::Unreadable(why) => unread.note(why),
                Step::Broken(why) => return Err(sheet_error(path, &meta.name, why)),
            }
        }
        if cells_after_the_end(|| cells.next_cell()) {
            // calamine ends the sheet at a row past the grid.
            return Err(loader.error(
                &sheet,
                "has cells on a row outside Excel's grid (beyond row 1048576)",
            ));
        }
        drop(cells);
        let mut formulas = book
            .worksheet_cells_reader(&meta.name)
            .map_err(|e| sheet_error(path, &meta.name, e))?;
        let mut unread_formulas = Unread::default();
        loader.next_sheet();
        loop {
            match step(|| formulas.next_formula()) {
                Step::Cell(cell) if cell.get_value().is_empty() => {}
                Step::Cell(cell) => {
                    let (row, col) = cell.get_position();
                    load_formula(&mut loader, &mut sheet, row, col, cell.get_value())?;
                }
                Step::End => break,
                Step::Unreadable(why) => unread_formulas.note(why),
                // The values were read to the end of the same part.
                Step::Broken(why) => {
                    unread_formulas.note(why);
                    break;
                }
            }
        }
        wb.package_features
            .extend(unread.warning("cell values", "left empty", &sheet.name));
        wb.package_features.extend(unread_formulas.warning(
            "formulas",
            "their values are kept",
            &sheet.name,
        ));
        wb.sheets.push(sheet);
    }
    wb.names = workbook_names(book.defined_names());
    for name in &mut wb.names {
        name.refers_to = with_reference_flags(&name.refers_to);
    }
    super::calamine_common::place_hidden_rows(
        &mut wb,
        super::xlsb_rows::hidden_rows(path)
            .into_iter()
            .map(|rows| (rows.name, rows.hidden, rows.auto_filter)),
    );
    wb.package_features
        .extend(super::xlsx::features::zip_features(path));
    wb.package_features
        .extend(skipped_sheet_features(book.sheets_metadata()));
    if wb.sheets.is_empty() {
        return Err(Error::unreadable(path, "the workbook has no worksheets"));
    }
    Ok(wb)
}

/// Why calamine could not open the workbook. When it opens one it
/// decodes the formulas of the defined names only, so a formula error
/// then is a name's: calamine stops on it and reads no sheet at all.
fn open_reason(e: XlsbError) -> String {
    match e {
        XlsbError::Ptg(_)
        | XlsbError::Etpg(_)
        | XlsbError::IfTab(_)
        | XlsbError::BErr(_)
        | XlsbError::StackLen => format!(
            "a defined name in xl/workbook.bin has a formula the reader cannot decode ({e}), \
             and the reader stops there; save the workbook as .xlsx in Excel to read it"
        ),
        e => reason(e),
    }
}

/// Gives the cell at `row`, `col` its formula, keeping its value.
fn load_formula(
    loader: &mut CellLoader<'_>,
    sheet: &mut Sheet,
    row: u32,
    col: u32,
    formula: &str,
) -> crate::Result<()> {
    let addr = CellAddr::new(row, col);
    let cell = Cell {
        value: sheet.value(addr).clone(),
        formula: Some(with_reference_flags(formula.trim_start_matches('=')).into()),
        style: sheet.cell(addr).map_or(0, |c| c.style),
    };
    loader.load(sheet, row, col, cell)
}

/// `formula` as calamine decodes it, with the references it garbles put
/// right. calamine 0.38 reads the column of an area (PtgArea, PtgArea3d)
/// and of a PtgRef3d together with its two relative flags (bits 14 and
/// 15) and writes each such reference absolute, so `SUM(A1:A5)` arrives as
/// `SUM($BTRM$1:$BTRM$5)`, a column past XFD that no formula can name. A
/// column that far is flags and column: each gets its column back, and
/// its relative parts as Excel shows them (`A1`, `$A1`, `A$1`).
fn with_reference_flags(formula: &str) -> String {
    let bytes = formula.as_bytes();
    let mut out = String::with_capacity(formula.len());
    let mut in_string = false;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'$' if !in_string => {
                if let Some((text, end)) = flagged_reference(bytes, i) {
                    out.push_str(&formula[copied..i]);
                    out.push_str(&text);
                    copied = end;
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(&formula[copied..]);
    out
}

/// The reference `$COL$ROW` at `at` in `bytes` as Excel writes it, and
/// where it ends, when its column (up to 4 letters) is past XFD: bits 14
/// and 15 of the number are the relative flags of the column and the row.
fn flagged_reference(bytes: &[u8], at: usize) -> Option<(String, usize)> {
    let letters = bytes[at + 1..]
        .iter()
        .take_while(|b| b.is_ascii_uppercase())
        .count();
    let digits_at = at + 2 + letters;
    if !(1..=4).contains(&letters) || bytes.get(at + 1 + letters) != Some(&b'$') {
        return None;
    }
    let digits = bytes[digits_at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let number = bytes[at + 1..at + 1 + letters]
        .iter()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    let field = number - 1;
    if !(0x4000..=0xFFFF).contains(&field) {
        return None;
    }
    let col_dollar = if field & 0x4000 != 0 { "" } else { "$" };
    let row_dollar = if field & 0x8000 != 0 { "" } else { "$" };
    let row = std::str::from_utf8(&bytes[digits_at..digits_at + digits]).ok()?;
    let text = format!(
        "{col_dollar}{}{row_dollar}{row}",
        crate::model::address::column_letters(field & 0x3FFF)
    );
    Some((text, digits_at + digits))
}

/// One step of calamine's cells reader.
enum Step<T: CellType> {
    /// The next cell.
    Cell(calamine::Cell<T>),
    /// The end of the sheet's cells.
    End,
    /// A record calamine could not decode, and why; the reader goes on at
    /// the next record.
    Unreadable(String),
    /// The part cannot be read on (it ends early or its data is damaged).
    Broken(String),
}

/// Takes one step with `next`. calamine reads a whole record before it
/// decodes it, so after a record it cannot decode (an error or a panic on
/// bytes it does not expect) the next step starts at the next record;
/// only a failure to read the part itself ends the sheet.
fn step<T: CellType>(
    next: impl FnOnce() -> Result<Option<calamine::Cell<T>>, XlsbError>,
) -> Step<T> {
    match catch_unwind(AssertUnwindSafe(next)) {
        Ok(Ok(Some(cell))) => Step::Cell(cell),
        Ok(Ok(None)) => Step::End,
        Ok(Err(XlsbError::Io(e))) => Step::Broken(e.to_string()),
        Ok(Err(e)) => Step::Unreadable(e.to_string()),
        Err(_) => Step::Unreadable("a record that breaks the reader's rules".to_string()),
    }
}

/// Whether cells follow where calamine ended a sheet's cells: it ends
/// them at the end of the sheet data, and also, without a word, at a row
/// past the grid, leaving every cell after it unread.
fn cells_after_the_end<T: CellType>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<T>>, XlsbError>,
) -> bool {
    loop {
        match step(&mut next) {
            Step::Cell(_) | Step::Unreadable(_) => return true,
            Step::End => {}
            Step::Broken(_) => return false,
        }
    }
}

/// What calamine could not decode on one sheet: how many records, and
/// the first reason.
#[derive(Default)]
struct Unread {
    count: usize,
    first: Option<String>,
}

impl Unread {
    fn note(&mut self, why: String) {
        self.count += 1;
        self.first.get_or_insert(why);
    }

    /// The warning for the `what` left out on `sheet`, if any, saying
    /// what became of them (`kept`).
    fn warning(&self, what: &str, kept: &str, sheet: &str) -> Option<String> {
        let first = self.first.as_ref()?;
        Some(format!(
            "{} of the {what} on sheet \"{sheet}\" could not be read ({kept}; the first: {first})",
            self.count
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The column calamine writes for column `col` with relative flags
    /// `flags` (bit 14 column, bit 15 row) read as part of the number.
    fn garbled(col: u32, flags: u32) -> String {
        crate::model::address::column_letters(col | flags)
    }

    #[test]
    fn areas_calamine_garbles_get_their_columns_and_flags_back() {
        let both = garbled(0, 0xC000);
        let formula = format!("SUM(${both}$1:${both}$5)+${}$2", garbled(27, 0x4000));
        assert_eq!(with_reference_flags(&formula), "SUM(A1:A5)+AB$2");
        let row_only = garbled(2, 0x8000);
        assert_eq!(
            with_reference_flags(&format!("Data!${row_only}$3")),
            "Data!$C3"
        );
        // The last column, relative in both.
        let last = garbled(0x3FFF, 0xC000);
        assert_eq!(with_reference_flags(&format!("${last}$9")), "XFD9");
    }

    #[test]
    fn references_within_the_grid_and_strings_are_left_alone() {
        for formula in [
            "SUM($A$1:$XFD$1048576)",
            "\"$BTRM$1\"&A1",
            "$A1+A$1",
            "$ABCDE$1",
            "$BTRM$",
        ] {
            assert_eq!(with_reference_flags(formula), formula);
        }
    }
}
