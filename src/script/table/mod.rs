//! Tables in a script: a block of rows under a header row, held column by
//! column so column-wide arithmetic, grouping and matching run in Rust
//! rather than in the interpreter.

use super::book::SheetId;
use super::collation::compare_values;
use super::errors::{ScriptError, ScriptResult};
use crate::model::{CellAddr, RangeAddr, Sheet, StyleTable, Value};
use std::rc::Rc;

mod column;
mod find;
mod matching;
mod summary;
mod write;

pub use column::*;
pub use find::*;
pub use matching::*;
pub use write::*;

/// Header text reduced for forgiving matching: `VAT Rate`, `vat_rate`
/// and `VATRATE` all match.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A table: named columns of equal length.
#[derive(Debug, Clone)]
pub struct Table {
    /// The table's name (Excel table name, or the sheet it came from).
    pub name: String,
    /// Columns left to right.
    pub columns: Vec<Column>,
    /// Number of rows.
    pub len: usize,
    /// Sheet and zero-based row of the header, when read from a sheet.
    pub home: Option<Home>,
}

/// Where a table read from a sheet lives, for writing it back.
#[derive(Debug, Clone)]
pub struct Home {
    /// The sheet's name when the table was read (its columns' origins
    /// carry the same name).
    pub sheet: Rc<str>,
    /// The sheet itself, which the script may have renamed since.
    pub sheet_id: SheetId,
    /// Zero-based row of the header.
    pub header_row: u32,
}

/// One row of a table, with fields by header. It shares the table's
/// columns rather than copying its values, so walking 100k rows in a
/// closure copies nothing; later changes to the table do not show in it.
#[derive(Debug, Clone)]
pub struct Row {
    /// Column names.
    pub names: Rc<Vec<String>>,
    columns: Rc<Vec<Rc<Vec<Value>>>>,
    /// Zero-based position in the table.
    pub index: usize,
}

impl Row {
    /// The value in column `j`.
    pub fn get(&self, j: usize) -> &Value {
        &self.columns[j][self.index]
    }

    /// The values in column order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.columns.iter().map(|c| &c[self.index])
    }

    /// Position of a field by name (exact, then forgiving).
    pub fn field(&self, name: &str) -> ScriptResult<usize> {
        find_name(&self.names, name).ok_or_else(|| ScriptError::Unknown {
            what: "column",
            name: name.to_string(),
            candidates: self.names.to_vec(),
        })
    }
}

fn find_name(names: &[String], wanted: &str) -> Option<usize> {
    names.iter().position(|n| n == wanted).or_else(|| {
        let w = normalize(wanted);
        names.iter().position(|n| normalize(n) == w)
    })
}

impl Table {
    /// The table in `range` of `sheet`: its first row is the header, the
    /// rest are the rows. Read column by column, as the table holds them.
    pub fn from_sheet(name: &str, sheet: &Sheet, sheet_id: SheetId, range: RangeAddr) -> Table {
        let header_row = range.start.row;
        let rows: Rc<Vec<u32>> = Rc::new((header_row + 1..=range.end.row).collect());
        let sheet_name: Rc<str> = sheet.name.as_str().into();
        let columns = (range.start.col..=range.end.col)
            .map(|col| {
                let name = header_text(sheet, CellAddr::new(header_row, col))
                    .unwrap_or_else(|| crate::model::address::column_letters(col));
                let values = rows
                    .iter()
                    .map(|&r| sheet.value(CellAddr::new(r, col)).clone())
                    .collect();
                Column {
                    name,
                    values: Rc::new(values),
                    origin: Some(Origin {
                        sheet: sheet_name.clone(),
                        col,
                        rows: rows.clone(),
                    }),
                    format: None,
                    lineage: Lineage::default(),
                }
            })
            .collect();
        Table {
            name: name.to_string(),
            columns,
            len: rows.len(),
            home: Some(Home {
                sheet: sheet_name,
                sheet_id,
                header_row,
            }),
        }
    }

    /// Notes each column's number format as its cells in `sheet` have
    /// it (the most common among its non-empty cells; General is none),
    /// so that a table written elsewhere, or a summary of it, keeps the
    /// formats the accountant chose.
    pub fn read_formats(&mut self, sheet: &Sheet, styles: &StyleTable) {
        for col in &mut self.columns {
            let Some(o) = &col.origin else { continue };
            let mut seen: Vec<(crate::model::StyleId, usize)> = Vec::new();
            for &r in o.rows.iter() {
                let Some(cell) = sheet.cell(CellAddr::new(r, o.col)) else {
                    continue;
                };
                if cell.value.is_empty() {
                    continue;
                }
                match seen.iter_mut().find(|(id, _)| *id == cell.style) {
                    Some(e) => e.1 += 1,
                    None => seen.push((cell.style, 1)),
                }
            }
            // The first of equally common styles wins: max_by_key keeps
            // the last, so look from the end.
            let best = seen.iter().rev().max_by_key(|(_, n)| *n).map(|(id, _)| *id);
            col.lineage.source_format = best
                .map(|id| styles.get(id).number_format.clone())
                .filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("general"));
        }
    }

    /// A new table from names and rows of values.
    pub fn from_rows(name: &str, names: Vec<String>, rows: Vec<Vec<Value>>) -> Table {
        let len = rows.len();
        let columns = names
            .into_iter()
            .enumerate()
            .map(|(j, n)| {
                Column::new(
                    n,
                    rows.iter()
                        .map(|r| r.get(j).cloned().unwrap_or_default())
                        .collect(),
                )
            })
            .collect();
        Table {
            name: name.to_string(),
            columns,
            len,
            home: None,
        }
    }

    /// Column names in order.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// Position of a column (exact name, then case/space-insensitive), or
    /// a message listing the columns and the closest match.
    pub fn index(&self, name: &str) -> ScriptResult<usize> {
        let names = self.names();
        find_name(&names, name).ok_or_else(|| ScriptError::NoColumn {
            table: self.name.clone(),
            name: name.to_string(),
            columns: names.clone(),
        })
    }

    /// A column by name.
    pub fn column(&self, name: &str) -> ScriptResult<&Column> {
        Ok(&self.columns[self.index(name)?])
    }

    /// Replaces a column's values (keeping where it is written), or adds
    /// a new column at the right.
    pub fn set_column(&mut self, name: &str, col: Column) -> ScriptResult<()> {
        if col.len() != self.len && !(self.columns.is_empty() && self.len == 0) {
            return Err(ScriptError::ColumnLength {
                column: name.to_string(),
                values: col.len(),
                table: self.name.clone(),
                rows: self.len,
            });
        }
        if self.columns.is_empty() {
            self.len = col.len();
        }
        match find_name(&self.names(), name) {
            Some(i) => {
                let keep = &mut self.columns[i];
                keep.values = col.values;
                if col.format.is_some() {
                    keep.format = col.format;
                }
            }
            None => self.columns.push(Column {
                name: name.to_string(),
                values: col.values,
                origin: None,
                format: col.format,
                lineage: col.lineage,
            }),
        }
        Ok(())
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> Row {
        Row {
            names: Rc::new(self.names()),
            columns: self.shared_columns(),
            index: i,
        }
    }

    /// Every row, top to bottom.
    pub fn rows(&self) -> Vec<Row> {
        let names = Rc::new(self.names());
        let columns = self.shared_columns();
        (0..self.len)
            .map(|i| Row {
                names: names.clone(),
                columns: columns.clone(),
                index: i,
            })
            .collect()
    }

    fn shared_columns(&self) -> Rc<Vec<Rc<Vec<Value>>>> {
        Rc::new(self.columns.iter().map(|c| c.values.clone()).collect())
    }

    /// The rows at `picks`, in that order (filtering and sorting).
    pub fn pick(&self, picks: &[usize]) -> Table {
        let columns = self
            .columns
            .iter()
            .map(|c| {
                let values = picks.iter().map(|&i| c.values[i].clone()).collect();
                let origin = c.origin.as_ref().map(|o| Origin {
                    sheet: o.sheet.clone(),
                    col: o.col,
                    rows: Rc::new(picks.iter().map(|&i| o.rows[i]).collect()),
                });
                Column {
                    name: c.name.clone(),
                    values: Rc::new(values),
                    origin,
                    format: c.format.clone(),
                    lineage: c.lineage.clone(),
                }
            })
            .collect();
        Table {
            name: self.name.clone(),
            columns,
            len: picks.len(),
            home: self.home.clone(),
        }
    }

    /// Sorted by the columns in `keys` (`true` = descending), stable.
    pub fn sorted(&self, keys: &[(usize, bool)]) -> Table {
        let mut order: Vec<usize> = (0..self.len).collect();
        order.sort_by(|&a, &b| {
            for &(k, desc) in keys {
                let c = &self.columns[k].values;
                let o = compare_values(&c[a], &c[b]);
                let o = if desc { o.reverse() } else { o };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        self.pick(&order)
    }

    /// Only the named columns, in that order.
    pub fn select(&self, names: &[String]) -> ScriptResult<Table> {
        let mut columns = Vec::new();
        for n in names {
            columns.push(self.columns[self.index(n)?].clone());
        }
        Ok(Table {
            columns,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests;
