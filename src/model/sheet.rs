//! A worksheet: cells in rows, merged ranges, hyperlinks, column widths,
//! hidden rows and the autoFilter range, and a record of which cells
//! changed since the file was read.

use super::address::{CellAddr, RangeAddr};
use super::formula::Formula;
use super::style::StyleId;
use super::value::Value;
use std::borrow::Cow;
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
    /// The formula, as a reference to its shape (shared with the cells it
    /// was copied to); [`Cell::formula_text`] gives its text.
    pub formula: Option<Formula>,
    /// Style id in the workbook's style table.
    pub style: StyleId,
}

impl Cell {
    /// Whether the cell holds nothing at all (no value, formula or style).
    pub fn is_blank(&self) -> bool {
        self.value.is_empty() && self.formula.is_none() && self.style == 0
    }

    /// The formula text without the leading `=` of this cell, which is at
    /// `addr`, as the file wrote it (shared formulas expanded).
    pub fn formula_text(&self, addr: CellAddr) -> Option<Cow<'_, str>> {
        self.formula.as_ref().map(|f| f.text_at(addr))
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

/// The rows a sheet hides, as sorted runs of consecutive rows: a filter
/// that hides most of 100k rows costs a few runs, not a flag per row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HiddenRows {
    /// Inclusive `(first, last)` zero-based row runs, sorted, neither
    /// overlapping nor touching.
    runs: Vec<(u32, u32)>,
}

impl HiddenRows {
    /// Marks `row` (zero-based) hidden.
    pub fn hide(&mut self, row: u32) {
        // Readers hide rows in ascending order: extend or append the last run.
        match self.runs.last_mut() {
            None => return self.runs.push((row, row)),
            Some(last) if last.1.checked_add(1) == Some(row) => return last.1 = row,
            Some(last) if row > last.1 && row - last.1 > 1 => return self.runs.push((row, row)),
            Some(_) => {}
        }
        if self.contains(row) {
            return;
        }
        let at = self.runs.partition_point(|&(_, last)| last < row);
        self.runs.insert(at, (row, row));
        // Join with the runs either side where they now touch.
        if at + 1 < self.runs.len() && self.runs[at + 1].0 == row + 1 {
            self.runs[at].1 = self.runs[at + 1].1;
            self.runs.remove(at + 1);
        }
        if at > 0 && self.runs[at - 1].1 + 1 == row {
            self.runs[at - 1].1 = self.runs[at].1;
            self.runs.remove(at);
        }
    }

    /// Whether `row` (zero-based) is hidden.
    pub fn contains(&self, row: u32) -> bool {
        let at = self.runs.partition_point(|&(_, last)| last < row);
        self.runs.get(at).is_some_and(|&(first, _)| first <= row)
    }

    /// How many rows are hidden.
    pub fn len(&self) -> usize {
        self.runs
            .iter()
            .map(|&(first, last)| (last - first) as usize + 1)
            .sum()
    }

    /// Whether no row is hidden.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The hidden rows, ascending.
    pub fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.runs.iter().flat_map(|&(first, last)| first..=last)
    }
}

/// Which rows SUBTOTAL and AGGREGATE leave out of a reference, as Excel
/// distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowsLeftOut {
    /// Every row takes part.
    None,
    /// Rows a filter hid (SUBTOTAL 1-11); rows hidden by hand take part.
    Filtered,
    /// Every hidden row (SUBTOTAL 101-111, AGGREGATE options 1, 3, 5, 7).
    Hidden,
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

/// How an array formula's result fills the cells it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayKind {
    /// Entered with Ctrl+Shift+Enter over a range chosen by hand (`{=...}`,
    /// and every array formula of a format that cannot say, such as xls):
    /// the result is fitted to the range, which never moves.
    Legacy,
    /// A dynamic-array formula (Excel 365; xlsx marks it with cell
    /// metadata, `cm`): the result spills as far as it reaches.
    Dynamic,
}

/// An array formula's anchor entry: the range its result covers and how
/// it fills it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArrayFormula {
    /// The cells the result covers, anchor included: the range a legacy
    /// formula was entered over, or the extent of a dynamic one's spill.
    pub range: RangeAddr,
    /// Legacy (fitted to `range`) or dynamic (spilling).
    pub kind: ArrayKind,
}

impl ArrayFormula {
    /// A legacy (Ctrl+Shift+Enter) array formula over `range`.
    pub fn legacy(range: RangeAddr) -> ArrayFormula {
        ArrayFormula {
            range,
            kind: ArrayKind::Legacy,
        }
    }

    /// A dynamic-array formula whose result covers `range`.
    pub fn dynamic(range: RangeAddr) -> ArrayFormula {
        ArrayFormula {
            range,
            kind: ArrayKind::Dynamic,
        }
    }

    /// Whether the formula is a dynamic-array formula.
    pub fn is_dynamic(&self) -> bool {
        self.kind == ArrayKind::Dynamic
    }
}

/// A what-if data table (Data > What-If Analysis > Data Table): each cell
/// of `range` shows what a formula gives when input cells take the values
/// heading its row and column. The master row is the row above `range`,
/// the master column the column left of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTable {
    /// The cells the table fills.
    pub range: RangeAddr,
    /// The row input cell: it takes, for each column of the table, the
    /// value in the master row above it.
    pub row_input: Option<CellAddr>,
    /// The column input cell: it takes, for each row of the table, the
    /// value in the master column left of it.
    pub column_input: Option<CellAddr>,
    /// The `<f>` element of the table's first cell as the file wrote it,
    /// which the xlsx patcher writes back (`None` for a table the file
    /// did not hold as one).
    pub source_xml: Option<String>,
}

impl DataTable {
    /// A table as xlsx and xls files store it: a first input cell and, in
    /// a two-variable table, a second; the first is the row input cell of
    /// a two-variable table and of a one-variable table whose `row_oriented`
    /// input takes the values of the master row, else the column input
    /// cell. A two-variable table missing either input (deleted) has none.
    pub fn from_file(
        range: RangeAddr,
        (first, second): (Option<CellAddr>, Option<CellAddr>),
        two_variable: bool,
        row_oriented: bool,
        source_xml: Option<String>,
    ) -> DataTable {
        let (row_input, column_input) = match (two_variable, row_oriented) {
            (true, _) if first.is_some() && second.is_some() => (first, second),
            (true, _) => (None, None),
            (false, true) => (first, None),
            (false, false) => (None, first),
        };
        DataTable {
            range,
            row_input,
            column_input,
            source_xml,
        }
    }

    /// The formula cell whose value fills `cell` of the table, and the
    /// value cells the input cells take for it (row input's first): a
    /// two-variable table's formula is its corner cell; a one-variable
    /// table with a column input reads the formula above each column, one
    /// with a row input the formula left of each row.
    pub fn sources(
        &self,
        cell: CellAddr,
    ) -> Option<(CellAddr, Option<CellAddr>, Option<CellAddr>)> {
        let master_row = self.range.start.row.checked_sub(1)?;
        let master_col = self.range.start.col.checked_sub(1)?;
        let row_value = self.row_input.map(|_| CellAddr::new(master_row, cell.col));
        let col_value = self
            .column_input
            .map(|_| CellAddr::new(cell.row, master_col));
        let formula = match (self.row_input, self.column_input) {
            (Some(_), Some(_)) => CellAddr::new(master_row, master_col),
            (None, Some(_)) => CellAddr::new(master_row, cell.col),
            (Some(_), None) => CellAddr::new(cell.row, master_col),
            (None, None) => return None,
        };
        Some((formula, row_value, col_value))
    }
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
    /// Array formulas by anchor cell, with the range their result covered
    /// (xlsx `<f t="array" ref="C1:C4">`) and their kind. Readers fill it;
    /// the formula engine computes only these (and formulas set through
    /// it) over whole ranges, other formulas use implicit intersection as
    /// Excel does for them.
    pub array_formulas: BTreeMap<CellAddr, ArrayFormula>,
    /// The sheet's what-if data tables, which the formula engine fills
    /// after each recalculation that computed anything.
    pub data_tables: Vec<DataTable>,
    /// Rows the file hides (xlsx `<row hidden="1">`, xls and xlsb row
    /// records' fDyZero, ods `table:visibility`), by hand or by a filter.
    pub hidden_rows: HiddenRows,
    /// Columns the file hides (xlsx `<col hidden="1">`), as inclusive
    /// zero-based `(first, last)` runs; other readers leave it empty.
    pub hidden_columns: Vec<(u32, u32)>,
    /// The sheet's autoFilter range (xlsx `<autoFilter ref>`): hidden rows
    /// below its header row count as filtered out (see
    /// [`Workbook::row_left_out`](super::Workbook::row_left_out)).
    pub auto_filter: Option<RangeAddr>,
    /// Charts, highlights, frozen panes and a filter the run added.
    pub visuals: super::visuals::SheetVisuals,
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
    /// Whether column `col` (zero-based) is hidden.
    pub fn column_hidden(&self, col: u32) -> bool {
        self.hidden_columns
            .iter()
            .any(|&(first, last)| (first..=last).contains(&col))
    }

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

    /// The formula text (without `=`) at `addr`, if the cell holds one.
    pub fn formula_text(&self, addr: CellAddr) -> Option<Cow<'_, str>> {
        self.cell(addr)?.formula_text(addr)
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

    /// Puts back `value`, which `addr` held before a trial (a data
    /// table's input cell taking each heading value in turn): the cell
    /// counts as changed afterwards only if `was_changed`, as it did
    /// before the trial.
    pub fn restore_value(&mut self, addr: CellAddr, value: Value, was_changed: bool) {
        self.set_value(addr, value);
        if !was_changed {
            self.changed.remove(&addr);
        }
    }

    /// Sets a formula (text without `=`) and its cached result.
    pub fn set_formula(&mut self, addr: CellAddr, formula: &str, cached: Value) {
        let slot = self.slot(addr);
        if slot.formula_text(addr).as_deref() != Some(formula) {
            slot.formula = Some(Formula::new(formula));
            slot.value = cached;
            self.changed.insert(addr);
        } else if slot.value != cached {
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

    /// Records the array formula anchored at `addr` (its range and kind).
    /// The anchor counts as changed when they differ from what was
    /// recorded, so a writer writes the array's new extent even where its
    /// first value stayed the same.
    pub fn set_array_formula(&mut self, addr: CellAddr, array: ArrayFormula) {
        if self.array_formulas.insert(addr, array) != Some(array) {
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

    /// Gives an empty row the storage `cells` (empty, with room for its
    /// cells), made ready elsewhere; a row holding cells keeps its own.
    pub fn give_row_storage(&mut self, row: u32, cells: Vec<Cell>) {
        let r = row as usize;
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.rows[r];
        if row.is_empty() && cells.is_empty() {
            *row = cells;
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

    #[test]
    fn a_cell_fits_40_bytes() {
        // A 24-byte value, the formula's shared shape (one pointer) and the
        // style id: 8 million cells of a million-row ledger take 320 MB,
        // not the 450 MB of 56-byte cells.
        assert_eq!(std::mem::size_of::<Cell>(), 40);
    }

    #[test]
    fn hidden_rows_are_kept_as_runs() {
        let mut h = HiddenRows::default();
        for row in [2, 3, 4, 9, 7, 8, 0, 3, u32::MAX] {
            h.hide(row);
        }
        assert_eq!(h.runs, vec![(0, 0), (2, 4), (7, 9), (u32::MAX, u32::MAX)]);
        assert!(h.contains(8) && !h.contains(5) && !h.contains(1));
        h.hide(1);
        h.hide(5);
        h.hide(6);
        assert_eq!(h.runs, vec![(0, 9), (u32::MAX, u32::MAX)]);
        assert_eq!(h.rows().take(3).collect::<Vec<_>>(), vec![0, 1, 2]);
    }
}
