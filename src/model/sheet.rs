//! A worksheet: cells in rows, merged ranges, hyperlinks, column widths,
//! and a record of which cells changed since the file was read.

use super::address::{CellAddr, RangeAddr};
use super::style::StyleId;
use super::value::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Whether a sheet shows in Excel's tab bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Shown.
    #[default]
    Visible,
    /// Hidden; the user can unhide it.
    Hidden,
    /// Hidden; only a macro or tool can unhide it.
    VeryHidden,
}

/// One cell: its value, its formula (if any) and its style.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// The value: a constant, or for a formula cell its last computed
    /// (cached) result.
    pub value: Value,
    /// The formula text without the leading `=`, as stored in xlsx
    /// (shared formulas already expanded for this cell).
    pub formula: Option<Box<str>>,
    /// Style id in the workbook's style table.
    pub style: StyleId,
}

impl Cell {
    /// Whether the cell holds nothing at all (no value, formula or style).
    pub fn is_blank(&self) -> bool {
        self.value.is_empty() && self.formula.is_none() && self.style == 0
    }
}

/// A hyperlink on a cell or range.
#[derive(Debug, Clone, PartialEq)]
pub struct Hyperlink {
    /// The cells the link sits on.
    pub range: RangeAddr,
    /// The target: a URL, or a location inside the workbook such as
    /// `Sheet2!A1`.
    pub target: String,
    /// Tooltip text.
    pub tooltip: Option<String>,
}

/// Where a sheet came from in the file that was read, so the xlsx patcher
/// can find its part even after a rename.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetOrigin {
    /// The sheet's name in the source file.
    pub name: String,
    /// The sheet's position in the source file.
    pub index: usize,
}

/// A worksheet.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// Sheet name as shown on its tab.
    pub name: String,
    /// Tab visibility.
    pub visibility: Visibility,
    /// Merged ranges.
    pub merged: Vec<RangeAddr>,
    /// Hyperlinks.
    pub hyperlinks: Vec<Hyperlink>,
    /// Column widths in Excel character units, by zero-based column.
    pub column_widths: BTreeMap<u32, f64>,
    /// The sheet's identity in the source file; `None` for a new sheet.
    pub origin: Option<SheetOrigin>,
    /// Array (dynamic-array) formulas by anchor cell, with the range their
    /// result covered (xlsx `<f t="array" ref="C1:C4">`). Readers fill it;
    /// the formula engine spills only these (and formulas set through it),
    /// other formulas use implicit intersection as Excel does for them.
    pub array_formulas: BTreeMap<CellAddr, RangeAddr>,
    rows: Vec<Vec<Cell>>,
    changed: BTreeSet<CellAddr>,
    layout_changed: bool,
    /// Per column, a stamp that changes whenever a cell in the column may
    /// have changed (see [`Sheet::column_version`]).
    column_versions: Vec<u64>,
}

/// Source of column stamps: unique across all sheets, so a stamp read
/// from one sheet never matches a stamp of another.
static NEXT_VERSION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

static EMPTY_CELL: Cell = Cell {
    value: Value::Empty,
    formula: None,
    style: 0,
};

impl Sheet {
    /// An empty, new sheet.
    pub fn new(name: impl Into<String>) -> Sheet {
        Sheet {
            name: name.into(),
            ..Sheet::default()
        }
    }

    /// The cell at `addr`, if anything was ever put there.
    pub fn cell(&self, addr: CellAddr) -> Option<&Cell> {
        self.rows.get(addr.row as usize)?.get(addr.col as usize)
    }

    /// The cell at `addr`, or an empty cell.
    pub fn cell_or_empty(&self, addr: CellAddr) -> &Cell {
        self.cell(addr).unwrap_or(&EMPTY_CELL)
    }

    /// The value at `addr` (`Value::Empty` where nothing is).
    pub fn value(&self, addr: CellAddr) -> &Value {
        &self.cell_or_empty(addr).value
    }

    /// Puts a cell as read from a file, without marking it changed.
    pub fn load_cell(&mut self, addr: CellAddr, cell: Cell) {
        *self.slot(addr) = cell;
    }

    /// Sets a constant value, removing any formula; marks the cell changed
    /// when the content differs.
    pub fn set_value(&mut self, addr: CellAddr, value: Value) {
        let slot = self.slot(addr);
        if slot.value != value || slot.formula.is_some() {
            slot.value = value;
            slot.formula = None;
            self.changed.insert(addr);
        }
    }

    /// Sets a formula (text without `=`) and its cached result.
    pub fn set_formula(&mut self, addr: CellAddr, formula: &str, cached: Value) {
        let slot = self.slot(addr);
        if slot.formula.as_deref() != Some(formula) || slot.value != cached {
            slot.formula = Some(formula.into());
            slot.value = cached;
            self.changed.insert(addr);
        }
    }

    /// Updates the cached result of a formula cell (after recalculation).
    pub fn set_cached_value(&mut self, addr: CellAddr, value: Value) {
        let slot = self.slot(addr);
        if slot.value != value {
            slot.value = value;
            self.changed.insert(addr);
        }
    }

    /// Sets the style of a cell.
    pub fn set_style(&mut self, addr: CellAddr, style: StyleId) {
        let slot = self.slot(addr);
        if slot.style != style {
            slot.style = style;
            self.changed.insert(addr);
        }
    }

    /// Empties a cell (value, formula and style).
    pub fn clear(&mut self, addr: CellAddr) {
        if self.cell(addr).is_some_and(|c| !c.is_blank()) {
            *self.slot(addr) = Cell::default();
            self.changed.insert(addr);
        }
    }

    /// Sets a column width in Excel character units.
    pub fn set_column_width(&mut self, col: u32, width: f64) {
        self.column_widths.insert(col, width);
        self.layout_changed = true;
    }

    /// Cells changed since the file was read, in row-major order.
    pub fn changed_cells(&self) -> &BTreeSet<CellAddr> {
        &self.changed
    }

    /// Whether anything in the sheet changed since it was read.
    pub fn is_changed(&self) -> bool {
        !self.changed.is_empty() || self.layout_changed
    }

    /// Whether column widths or other layout changed since it was read.
    pub fn layout_changed(&self) -> bool {
        self.layout_changed
    }

    /// Forgets the change record (after a successful write).
    pub fn clear_changes(&mut self) {
        self.changed.clear();
        self.layout_changed = false;
    }

    /// The smallest range holding every non-blank cell, or `None` for an
    /// empty sheet.
    pub fn used_range(&self) -> Option<RangeAddr> {
        let mut bounds: Option<(u32, u32, u32, u32)> = None;
        for (addr, _) in self.cells() {
            bounds = Some(match bounds {
                None => (addr.row, addr.col, addr.row, addr.col),
                Some((r0, c0, r1, c1)) => (
                    r0.min(addr.row),
                    c0.min(addr.col),
                    r1.max(addr.row),
                    c1.max(addr.col),
                ),
            });
        }
        bounds.map(|(r0, c0, r1, c1)| RangeAddr::new(CellAddr::new(r0, c0), CellAddr::new(r1, c1)))
    }

    /// Every non-blank cell in row-major order.
    pub fn cells(&self) -> impl Iterator<Item = (CellAddr, &Cell)> {
        self.rows.iter().enumerate().flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .filter(|(_, c)| !c.is_blank())
                .map(move |(c, cell)| (CellAddr::new(r as u32, c as u32), cell))
        })
    }

    /// Number of rows that have storage (one past the last row touched).
    pub fn row_count(&self) -> u32 {
        self.rows.len() as u32
    }

    /// The cells of one row as stored (may be shorter than the used range).
    pub fn row(&self, row: u32) -> &[Cell] {
        self.rows
            .get(row as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Number of formula cells.
    pub fn formula_count(&self) -> usize {
        self.cells().filter(|(_, c)| c.formula.is_some()).count()
    }

    /// Reserves storage for `rows` rows, for readers that know the size.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.rows.reserve(rows.saturating_sub(self.rows.len()));
    }

    /// Reserves room for `cells` cells in an empty row, for readers that
    /// expect it to be as wide as the row before.
    pub fn reserve_row(&mut self, row: u32, cells: usize) {
        let r = row as usize;
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.rows[r];
        if row.is_empty() {
            row.reserve_exact(cells);
        }
    }

    /// A stamp of column `col`'s contents: it changes whenever a cell of
    /// the column may have changed, and is 0 for a column never written.
    /// Lets the formula engine keep a snapshot of a range (read by many
    /// SUMIFS) for as long as its columns' stamps stay the same.
    pub fn column_version(&self, col: u32) -> u64 {
        self.column_versions.get(col as usize).copied().unwrap_or(0)
    }

    fn slot(&mut self, addr: CellAddr) -> &mut Cell {
        let r = addr.row as usize;
        let c = addr.col as usize;
        if self.column_versions.len() <= c {
            self.column_versions.resize(c + 1, 0);
        }
        self.column_versions[c] = NEXT_VERSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            // Exact growth: a script adding a column to 100k rows of 7
            // cells would otherwise leave each row with room for 14.
            // Readers reserve whole rows up front (`reserve_row`).
            row.reserve_exact(c + 1 - row.len());
            row.resize_with(c + 1, Cell::default);
        }
        &mut row[c]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Number;

    #[test]
    fn edits_are_recorded_only_when_content_changes() {
        let mut s = Sheet::new("Data");
        let a1 = CellAddr::new(0, 0);
        s.load_cell(
            a1,
            Cell {
                value: Value::Number(Number::from_i64(5)),
                ..Cell::default()
            },
        );
        assert!(!s.is_changed());
        s.set_value(a1, Value::Number(Number::from_i64(5)));
        assert!(!s.is_changed());
        s.set_value(CellAddr::new(2, 3), Value::Text("x".into()));
        assert_eq!(
            s.changed_cells().iter().copied().collect::<Vec<_>>(),
            vec![CellAddr::new(2, 3)]
        );
        assert_eq!(s.used_range().unwrap().to_a1(), "A1:D3");
        assert_eq!(s.value(CellAddr::new(100, 100)), &Value::Empty);
    }
}
