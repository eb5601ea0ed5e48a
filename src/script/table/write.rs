//! Writing a table into a sheet, and saving changed columns back where
//! they were read, without overwriting data the run did not own.

use super::{Home, Table};
use crate::model::{CellAddr, RangeAddr, Value};
use crate::script::book::Book;
use crate::script::errors::{ScriptError, ScriptResult};
use std::rc::Rc;

impl Table {
    /// Writes the table with its header at `at` on `sheet`: a bold
    /// header, values below, each column's format applied.
    pub fn write_to(&self, book: &mut Book, sheet: &str, at: CellAddr) -> ScriptResult<()> {
        for (j, col) in self.columns.iter().enumerate() {
            let c = at.col + j as u32;
            let header = (CellAddr::new(at.row, c), Value::text(&col.name));
            let cells = col
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| (CellAddr::new(at.row + 1 + i as u32, c), v.clone()));
            book.set_values(sheet, std::iter::once(header).chain(cells))?;
        }
        if !self.columns.is_empty() {
            let last = at.col + self.columns.len() as u32 - 1;
            let header = RangeAddr::new(at, CellAddr::new(at.row, last));
            book.restyle(sheet, header, |s| s.font.bold = true)?;
            self.apply_formats(book, sheet, at.row + 1, |j| at.col + j as u32)?;
        }
        Ok(())
    }

    /// The block [`Table::write_to`] fills from `at`: header and rows.
    pub fn block_at(&self, at: CellAddr) -> RangeAddr {
        let width = self.columns.len().max(1) as u32;
        RangeAddr::new(
            at,
            CellAddr::new(at.row + self.len as u32, at.col + width - 1),
        )
    }

    fn apply_formats(
        &self,
        book: &mut Book,
        sheet: &str,
        first_row: u32,
        col_at: impl Fn(usize) -> u32,
    ) -> ScriptResult<()> {
        if self.len == 0 {
            return Ok(());
        }
        for (j, col) in self.columns.iter().enumerate() {
            if let Some(f) = col.write_format() {
                let code = number_format(f);
                let c = col_at(j);
                let range = RangeAddr::new(
                    CellAddr::new(first_row, c),
                    CellAddr::new(first_row + self.len as u32 - 1, c),
                );
                book.restyle(sheet, range, |s| s.number_format = code.clone())?;
            }
        }
        Ok(())
    }

    /// Writes changed and new columns back where the table was read:
    /// existing columns in place (row by row, so a sorted or filtered
    /// table updates the right rows), new columns with a bold header in
    /// the first column right of the table that is free from the header
    /// down, so a note or an unlabelled column beside it is never written
    /// over.
    pub fn save(&self, book: &mut Book) -> ScriptResult<()> {
        let Some(Home {
            sheet: read_from,
            sheet_id,
            header_row,
        }) = self.home.clone()
        else {
            return Err(ScriptError::NotFromSheet(self.name.clone()));
        };
        let sheet = book.sheet_name_of(sheet_id)?;
        let rows: Option<Rc<Vec<u32>>> = self.columns.iter().find_map(|c| {
            c.origin
                .as_ref()
                .filter(|o| o.sheet == read_from)
                .map(|o| o.rows.clone())
        });
        let rows = rows
            .unwrap_or_else(|| Rc::new((0..self.len as u32).map(|i| header_row + 1 + i).collect()));
        let mut next_col = self
            .columns
            .iter()
            .filter_map(|c| {
                c.origin
                    .as_ref()
                    .filter(|o| o.sheet == read_from)
                    .map(|o| o.col + 1)
            })
            .max()
            .unwrap_or(0);
        let last_row = rows.iter().copied().max().unwrap_or(header_row);
        let mut placed = Vec::with_capacity(self.columns.len());
        for col in &self.columns {
            let c = match &col.origin {
                Some(o) if o.sheet == read_from => o.col,
                _ => {
                    let c = free_column(book, &sheet, next_col, header_row, last_row)?;
                    next_col = c + 1;
                    let h = CellAddr::new(header_row, c);
                    book.set_value(&sheet, h, Value::text(&col.name))?;
                    book.restyle(&sheet, RangeAddr::cell(h), |s| s.font.bold = true)?;
                    c
                }
            };
            placed.push(c);
            let cells = rows.iter().map(|&r| CellAddr::new(r, c));
            book.set_values(&sheet, cells.clone().zip(col.values.iter().cloned()))?;
            if let Some(f) = &col.format {
                let code = number_format(f);
                book.restyle_cells(&sheet, cells, |s| s.number_format = code.clone())?;
            }
        }
        Ok(())
    }
}

/// The first column from `from` on that holds no data of the file and no
/// merged cell between `header_row` and `last_row`: where a new column of
/// a table can go without replacing anything or hiding under a merge.
fn free_column(
    book: &Book,
    sheet: &str,
    from: u32,
    header_row: u32,
    last_row: u32,
) -> ScriptResult<u32> {
    let merged = &book.sheet(sheet)?.merged;
    for c in from..crate::model::address::MAX_COLS {
        let column = RangeAddr::new(CellAddr::new(header_row, c), CellAddr::new(last_row, c));
        if merged.iter().any(|m| m.intersects(&column)) {
            continue;
        }
        if book.untouched_data_in(sheet, column, 1)?.is_empty() {
            return Ok(c);
        }
    }
    Err(ScriptError::NoFreeColumn(sheet.to_string()))
}

/// The Excel number-format code for a format name: `currency`/`money`
/// (`#,##0.00`), `percent` (`0.00%`), `percent0` (`0%`), `date`
/// (`yyyy-mm-dd`), `integer` (`#,##0`), `text` (`@`); anything else is
/// taken as an Excel code.
pub fn number_format(name: &str) -> String {
    match name.trim().to_lowercase().as_str() {
        "currency" | "money" | "amount" => "#,##0.00".into(),
        "percent" | "percentage" => "0.00%".into(),
        "percent0" => "0%".into(),
        "date" => "yyyy-mm-dd".into(),
        "datetime" => "yyyy-mm-dd hh:mm".into(),
        "integer" | "whole" => "#,##0".into(),
        "text" => "@".into(),
        "general" => "General".into(),
        _ => name.to_string(),
    }
}
