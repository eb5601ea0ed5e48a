//! The workbook as a script sees it: one shared model that every script
//! handle (sheet, range, table) reads and writes, with a [`ChangeLog`] of
//! each cell's content before the script first touched it, for
//! `--dry-run` and `--changes`.
//!
//! Scripts and formulas share one model and one dependency graph: every
//! write goes through the formula [`Engine`], and reads recompute what a
//! write made stale first, so a script sees the workbook's formulas
//! follow its own changes.

use super::changes::ChangeLog;
use super::errors::{ScriptError, ScriptResult};
use crate::formula::{CalcValue, Deadline, Engine, EngineOptions, RecalcReport};
use crate::model::address::{column_letters, split_sheet_prefix};
use crate::model::{CellAddr, RangeAddr, Sheet, Style, StyleId, Value, Workbook};

/// The most cells one range operation of a script may visit cell by cell
/// (`values`, `fill_formula`, formats beyond the stored cells): about 16.8
/// million, the engine's limit on one array.
pub const MAX_RANGE_CELLS: u64 = crate::formula::calc::MAX_ARRAY_CELLS as u64;
use chrono::NaiveDateTime;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Which formula results a run starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StartValues {
    /// The results the file saved, computing only formulas saved without
    /// one.
    #[default]
    Cached,
    /// Every formula recomputed, trusting no saved result (`run --recalc`).
    Recalculated,
}

/// The book shared by all script handles.
pub type SharedBook = Rc<RefCell<Book>>;

/// A sheet's identity for the length of a run: it survives renames, so a
/// script's sheet handle follows its sheet.
pub type SheetId = u64;

/// The workbook (inside the formula engine) plus the script's change
/// record.
#[derive(Debug)]
pub struct Book {
    /// The formula engine, holding the run's deadline (`--timeout`):
    /// every recalculation a script causes, and every formula it gives
    /// to `calc()`, runs outside the script engine's own clock.
    engine: Engine,
    /// Whether a write happened since formulas were last brought up to
    /// date.
    stale: bool,
    log: ChangeLog,
    /// The id of each sheet, in tab order.
    sheet_ids: Vec<SheetId>,
    /// Ids are never reused: a handle to a removed sheet must not find a
    /// sheet added later.
    next_sheet_id: SheetId,
    /// The clock for `today()` and `now()`.
    pub now: NaiveDateTime,
    /// For an attached workbook: its name, and every write is refused.
    pub read_only: Option<String>,
    /// Whether the script said `allow_overwrite()`: table writes may then
    /// replace cells that held data before the run.
    pub overwrite_allowed: bool,
    /// What recalculation could not do (unknown functions, cycles), and
    /// matches that found far fewer rows than they could.
    warnings: std::collections::BTreeSet<String>,
    /// What the run did that the accountant should know but that is not
    /// wrong (empty cells counted as 0), in the order it happened.
    notes: Vec<String>,
}

impl Book {
    /// Wraps a workbook read from a file, bringing its formula results up
    /// to date as `start` says, so every read the script makes sees
    /// computed values. `label` names the workbook in the note that says
    /// what was computed ("the workbook", "attached workbook \"bank\"").
    /// Every calculation of the book stops at `deadline`, this first one
    /// too: the error then names the cell being computed.
    pub fn new(
        wb: Workbook,
        now: NaiveDateTime,
        start: StartValues,
        label: &str,
        deadline: Option<Deadline>,
    ) -> ScriptResult<Book> {
        // Recomputing every formula can change saved results: those are
        // changes the report must list, so the log starts before.
        let log_before = (start == StartValues::Recalculated).then(|| ChangeLog::new(&wb));
        let mut book = Book {
            log: ChangeLog::default(),
            sheet_ids: (0..wb.sheets.len() as SheetId).collect(),
            next_sheet_id: wb.sheets.len() as SheetId,
            engine: Engine::new(
                wb,
                EngineOptions {
                    now: Some(now),
                    deadline,
                    ..Default::default()
                },
            ),
            stale: false,
            now,
            read_only: None,
            overwrite_allowed: false,
            warnings: Default::default(),
            notes: Vec::new(),
        };
        match start {
            StartValues::Cached => {
                let (uncached, report) = book.engine.recalc_uncached();
                book.notes
                    .extend(crate::formula::uncached_note(label, uncached));
                book.note_recalc(report)?;
            }
            StartValues::Recalculated => {
                let report = book.engine.recalc_all();
                book.note_recalc(report)?;
            }
        }
        // Otherwise the log starts from the computed results: filling in
        // what the file lacked is not a change of anything it held.
        book.log = log_before.unwrap_or_else(|| ChangeLog::new(book.engine.workbook()));
        Ok(book)
    }

    fn writable(&self) -> ScriptResult<()> {
        match &self.read_only {
            Some(name) => Err(ScriptError::ReadOnly(name.clone())),
            None => Ok(()),
        }
    }

    /// The workbook, with formula results as of the last [`Book::refresh`].
    pub fn workbook(&self) -> &Workbook {
        self.engine.workbook()
    }

    /// Recomputes the formulas the script's writes affected, so reads
    /// see current results; stopped by the run's deadline, it is an
    /// error naming the cell it was computing.
    pub fn refresh(&mut self) -> ScriptResult<()> {
        if self.stale {
            let report = self.engine.recalc_dirty();
            self.stale = false;
            self.note_recalc(report)?;
        }
        Ok(())
    }

    /// Keeps what a recalculation could not do for the run's warnings;
    /// one the deadline stopped is the run's error (its cells are left
    /// to compute, and computing them again would only stop again).
    fn note_recalc(&mut self, report: RecalcReport) -> ScriptResult<()> {
        if let Err(stopped) = report.check_time() {
            self.stale = true;
            return Err(stopped.into());
        }
        self.warnings.extend(report.warnings());
        Ok(())
    }

    /// What recalculation could not do, for the user to check.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.iter().cloned().collect()
    }

    /// Adds a warning for the run's summary (each said once).
    pub fn warn(&mut self, warning: String) {
        self.warnings.insert(warning);
    }

    /// Adds a note for the run's summary, unless it was already made.
    pub fn add_note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The run's notes, in the order they were made.
    pub fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }

    /// Brings every formula the script affected up to date, before the
    /// warnings, the change log and the workbook are taken.
    pub fn finish(&mut self) -> ScriptResult<()> {
        self.stale = true;
        self.refresh()
    }

    /// Gives the workbook and the change log back after the run.
    pub fn into_parts(self) -> (Workbook, ChangeLog) {
        (self.engine.into_workbook(), self.log)
    }

    /// Evaluates an Excel formula on `sheet`, after the script's writes.
    pub fn eval(&mut self, sheet: Option<&str>, formula: &str) -> ScriptResult<CalcValue> {
        self.stale = true;
        self.refresh()?;
        Ok(self.engine.eval(sheet, formula)?)
    }

    /// Explains `target` (`Summary!B7`) as it is now, after the
    /// script's writes: the tree of what its value depends on.
    pub fn explain(
        &mut self,
        target: &str,
        options: &crate::formula::ExplainOptions,
    ) -> ScriptResult<crate::formula::Explanation> {
        self.stale = true;
        self.refresh()?;
        Ok(crate::formula::explain(
            &mut self.engine,
            target,
            None,
            options,
        )?)
    }

    /// Calls an Excel function by name.
    pub fn call(&mut self, function: &str, args: Vec<CalcValue>) -> ScriptResult<CalcValue> {
        self.stale = true;
        self.refresh()?;
        Ok(self.engine.call(function, args)?)
    }

    /// Every Excel function the formula engine knows.
    pub fn function_names(&self) -> Vec<&'static str> {
        self.engine.function_names()
    }

    /// The canonical name of a sheet (as spelt in the workbook), or a
    /// message listing the sheets and suggesting the closest.
    pub fn sheet_name(&self, name: &str) -> ScriptResult<String> {
        self.sheet(name).map(|s| s.name.clone())
    }

    /// Resolves a reference: `B2`, `A1:D20`, `C:C`, `'Sales 2026'!B2`, a
    /// defined name, or a table name (its whole range). Unqualified
    /// addresses belong to `default_sheet`.
    pub fn resolve(
        &self,
        text: &str,
        default_sheet: Option<&str>,
    ) -> ScriptResult<(String, RangeAddr)> {
        let (sheet, addr) = split_sheet_prefix(text);
        if let Some(range) = RangeAddr::parse(addr) {
            let sheet = match sheet.as_deref().or(default_sheet) {
                Some(s) => self.sheet_name(s)?,
                None => {
                    return Err(ScriptError::NoSheetSaid {
                        text: text.to_string(),
                        addr: addr.to_string(),
                    })
                }
            };
            return Ok((sheet, range));
        }
        if sheet.is_none() {
            if let Some(n) = self.workbook().defined_name(text, default_sheet) {
                let target = n.refers_to.trim_start_matches('=').replace('$', "");
                let scope = n.scope.clone();
                let refers = n.refers_to.clone();
                return self
                    .resolve(&target, scope.as_deref().or(default_sheet))
                    .map_err(|e| ScriptError::InDefinedName {
                        name: text.to_string(),
                        refers,
                        source: Box::new(e),
                    });
            }
            if let Some(t) = self.workbook().table(text) {
                return Ok((t.sheet.clone(), t.range));
            }
        }
        let names: Vec<String> = self
            .workbook()
            .names
            .iter()
            .map(|n| n.name.clone())
            .collect();
        Err(if names.is_empty() {
            ScriptError::NotAReference(text.to_string())
        } else {
            ScriptError::Unknown {
                what: "cell, range or defined name",
                name: text.to_string(),
                candidates: names,
            }
        })
    }

    /// The position of the sheet with this name, or a message listing the
    /// sheets and suggesting the closest.
    fn sheet_index(&self, name: &str) -> ScriptResult<usize> {
        self.workbook()
            .sheet_index(name)
            .ok_or_else(|| ScriptError::Unknown {
                what: "sheet",
                name: name.to_string(),
                candidates: owned(&self.workbook().sheet_names()),
            })
    }

    /// The id of the sheet with this name.
    pub fn sheet_id(&self, name: &str) -> ScriptResult<SheetId> {
        self.sheet_index(name).map(|i| self.sheet_ids[i])
    }

    /// The current name of the sheet with this id.
    pub fn sheet_name_of(&self, id: SheetId) -> ScriptResult<String> {
        match self.sheet_ids.iter().position(|&s| s == id) {
            Some(i) => Ok(self.workbook().sheets[i].name.clone()),
            None => Err(ScriptError::SheetRemoved),
        }
    }

    /// A sheet by name, or a message listing the sheets.
    pub fn sheet(&self, name: &str) -> ScriptResult<&Sheet> {
        self.sheet_index(name).map(|i| &self.workbook().sheets[i])
    }

    /// A range with whole columns or rows cut to the sheet's used area.
    pub fn clip(&self, sheet: &str, range: RangeAddr) -> RangeAddr {
        let Some(used) = self.workbook().sheet(sheet).and_then(|s| s.used_range()) else {
            return RangeAddr::new(range.start, range.start);
        };
        let mut r = range;
        if r.end.row == crate::model::address::MAX_ROWS - 1 {
            r.end.row = used.end.row.max(r.start.row);
        }
        if r.end.col == crate::model::address::MAX_COLS - 1 {
            r.end.col = used.end.col.max(r.start.col);
        }
        r
    }

    /// [`Book::clip`], refusing a range that still holds more than
    /// [`MAX_RANGE_CELLS`] cells (a whole sheet beside a stray cell at
    /// XFD1048576): for calls that must visit every cell (`values`,
    /// `fill_formula`). `what` names the call in the message.
    pub fn clip_bounded(
        &self,
        what: &'static str,
        sheet: &str,
        range: RangeAddr,
    ) -> ScriptResult<RangeAddr> {
        let clipped = self.clip(sheet, range);
        let cells = u64::from(clipped.rows()) * u64::from(clipped.cols());
        if cells > MAX_RANGE_CELLS {
            return Err(ScriptError::RangeTooLarge {
                what,
                sheet: sheet.to_string(),
                range: clipped,
                cells,
                limit: MAX_RANGE_CELLS,
            });
        }
        Ok(clipped)
    }

    /// The cells of `range` the sheet stores (with a value, a formula or
    /// a style), row by row: the only ones clearing or restyling can
    /// change, found by walking the stored rows, not the grid.
    pub fn stored_cells_in(&self, sheet: &str, range: RangeAddr) -> ScriptResult<Vec<CellAddr>> {
        let s = self.sheet(sheet)?;
        let mut found = Vec::new();
        let last_row = range.end.row.min(s.row_count().saturating_sub(1));
        if s.row_count() == 0 {
            return Ok(found);
        }
        for r in range.start.row..=last_row {
            let stored = s.row(r).len() as u32;
            let end = range.end.col.saturating_add(1).min(stored);
            found.extend((range.start.col..end).map(|c| CellAddr::new(r, c)));
        }
        Ok(found)
    }

    /// The current value of a cell.
    pub fn value(&mut self, sheet: &str, addr: CellAddr) -> ScriptResult<Value> {
        self.refresh()?;
        Ok(self.current(sheet, addr))
    }

    /// The value as stored, without recomputing formulas first: exact
    /// for constants, the last computed result for formula cells.
    pub fn current(&self, sheet: &str, addr: CellAddr) -> Value {
        self.workbook()
            .sheet(sheet)
            .map(|s| s.value(addr).clone())
            .unwrap_or_default()
    }

    /// The current values of a block, row by row.
    pub fn block(&mut self, sheet: &str, range: RangeAddr) -> ScriptResult<Vec<Vec<Value>>> {
        self.refresh()?;
        let Some(s) = self.workbook().sheet(sheet) else {
            return Ok(Vec::new());
        };
        Ok((range.start.row..=range.end.row)
            .map(|r| {
                let row = s.row(r);
                (range.start.col..=range.end.col)
                    .map(|c| {
                        row.get(c as usize)
                            .map(|x| x.value.clone())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect())
    }

    /// Records the cell's content before a write. A formula cell not
    /// recomputed since the run began still holds its value from before.
    fn remember(&mut self, sheet: &str, addr: CellAddr) -> ScriptResult<()> {
        self.writable()?;
        let index = self.sheet_index(sheet)?;
        self.log
            .remember(&self.engine.workbook().sheets[index], addr);
        Ok(())
    }

    /// Writes a constant, keeping the cell's style. A date going into a
    /// cell without a date format gets `yyyy-mm-dd` so it shows as a date.
    pub fn set_value(&mut self, sheet: &str, addr: CellAddr, value: Value) -> ScriptResult<()> {
        self.set_values(sheet, [(addr, value)])
    }

    /// The cells of `range` on `sheet` that held something when the run
    /// started and that the script has not written since: what a table
    /// write there would replace without being asked. At most `limit`
    /// are returned, in row order.
    pub fn untouched_data_in(
        &self,
        sheet: &str,
        range: RangeAddr,
        limit: usize,
    ) -> ScriptResult<Vec<CellAddr>> {
        let s = self.sheet(sheet)?;
        let changed = s.changed_cells();
        let mut found = Vec::new();
        // Stored rows bound the scan: a range down to row 1,048,576 costs
        // what the sheet holds, without a pass over every cell for it.
        let last_row = range.end.row.min(s.row_count().saturating_sub(1));
        for r in range.start.row..=last_row {
            let row = s.row(r);
            let last_col = (range.end.col as usize).min(row.len().saturating_sub(1));
            for c in range.start.col as usize..=last_col {
                let Some(cell) = row.get(c) else { break };
                let addr = CellAddr::new(r, c as u32);
                if (!cell.value.is_empty() || cell.formula.is_some()) && !changed.contains(&addr) {
                    found.push(addr);
                    if found.len() >= limit {
                        return Ok(found);
                    }
                }
            }
        }
        Ok(found)
    }

    /// Refuses a table write into `range` of `sheet` that would replace
    /// data the script was not asked to change (unless the script said
    /// `allow_overwrite()`), naming the cells. `what` says which call.
    pub fn guard_overwrite(&self, what: &str, sheet: &str, range: RangeAddr) -> ScriptResult<()> {
        if self.overwrite_allowed {
            return Ok(());
        }
        let found = self.untouched_data_in(sheet, range, 6)?;
        if found.is_empty() {
            return Ok(());
        }
        let cells: Vec<String> = found.iter().take(5).map(|a| a.to_a1()).collect();
        Err(ScriptError::WouldOverwrite {
            what: what.to_string(),
            sheet: sheet.to_string(),
            cells,
            more: found.len() > 5,
        })
    }

    /// Writes many constants into one sheet, as [`Book::set_value`] does
    /// each; cells that already hold their value are left alone.
    pub fn set_values(
        &mut self,
        sheet: &str,
        cells: impl IntoIterator<Item = (CellAddr, Value)>,
    ) -> ScriptResult<()> {
        self.writable()?;
        let index = self.sheet_index(sheet)?;
        let sheet = self.workbook().sheets[index].name.clone();
        let mut dates = Vec::new();
        let mut refused = None;
        for (addr, value) in cells {
            let current = &self.engine.workbook().sheets[index];
            let unchanged = match current.cell(addr) {
                Some(cell) => cell.formula.is_none() && cell.value == value,
                None => value.is_empty(),
            };
            if unchanged {
                continue;
            }
            if let Value::Date(d) = &value {
                // Excel shows such a date as ####: refuse it rather than
                // write a number nobody can read.
                if let Some(why) = self.workbook().date_system.refuses(d) {
                    refused = Some(ScriptError::UnshowableDate {
                        cell: cell_ref(&sheet, addr),
                        why: why.to_string(),
                    });
                    break;
                }
                dates.push(addr);
            }
            self.log.remember(current, addr);
            self.engine.set_value(&sheet, addr, value)?;
            self.stale = true;
        }
        // Dates written before a refused one still get their format.
        self.restyle_cells(&sheet, dates, |st| {
            if !st.is_date_format() {
                st.number_format = "yyyy-mm-dd".into()
            }
        })?;
        refused.map_or(Ok(()), Err)
    }

    /// Writes a formula (with or without the leading `=`).
    pub fn set_formula(&mut self, sheet: &str, addr: CellAddr, formula: &str) -> ScriptResult<()> {
        let sheet = self.sheet_name(sheet)?;
        let text = formula.trim().trim_start_matches('=');
        if text.is_empty() {
            return Err(ScriptError::EmptyFormula);
        }
        self.remember(&sheet, addr)?;
        self.engine.set_formula(&sheet, addr, text)?;
        self.stale = true;
        Ok(())
    }

    /// Empties a cell.
    pub fn clear(&mut self, sheet: &str, addr: CellAddr) -> ScriptResult<()> {
        let sheet = self.sheet_name(sheet)?;
        self.remember(&sheet, addr)?;
        self.engine.clear(&sheet, addr)?;
        self.stale = true;
        Ok(())
    }

    /// Changes the style of every cell in a range through `edit`.
    pub fn restyle(
        &mut self,
        sheet: &str,
        range: RangeAddr,
        edit: impl Fn(&mut Style),
    ) -> ScriptResult<()> {
        self.writable()?;
        let sheet = self.sheet_name(sheet)?;
        let range = self.clip(&sheet, range);
        if u64::from(range.rows()) * u64::from(range.cols()) > MAX_RANGE_CELLS {
            // The model has no column or row formats (Excel would give a
            // whole column one), so a format over an area this large (a
            // whole sheet beside a stray cell at XFD1048576) goes to the
            // cells the sheet stores rather than making billions of empty
            // styled cells.
            let cells = self.stored_cells_in(&sheet, range)?;
            return self.restyle_cells(&sheet, cells, edit);
        }
        let cells = (range.start.row..=range.end.row)
            .flat_map(|r| (range.start.col..=range.end.col).map(move |c| CellAddr::new(r, c)));
        self.restyle_cells(&sheet, cells, edit)
    }

    /// Changes the style of each cell through `edit`, editing each
    /// distinct style once.
    pub fn restyle_cells(
        &mut self,
        sheet: &str,
        cells: impl IntoIterator<Item = CellAddr>,
        edit: impl Fn(&mut Style),
    ) -> ScriptResult<()> {
        self.writable()?;
        let index = self.sheet_index(sheet)?;
        let wb = self.engine.workbook_mut();
        let mut edited: HashMap<StyleId, StyleId> = HashMap::new();
        for addr in cells {
            let old = wb.sheets[index].cell_or_empty(addr).style;
            let new = *edited.entry(old).or_insert_with(|| {
                let mut st = wb.styles.get(old).clone();
                edit(&mut st);
                wb.styles.intern(st)
            });
            if new != old {
                // The log must see every cell before its first change,
                // a change of style included.
                self.log.remember(&wb.sheets[index], addr);
                wb.sheets[index].set_style(addr, new);
            }
        }
        Ok(())
    }

    /// Sets the width of columns in Excel character units.
    pub fn set_width(
        &mut self,
        sheet: &str,
        first: u32,
        last: u32,
        width: f64,
    ) -> ScriptResult<()> {
        if !(0.0..=255.0).contains(&width) {
            return Err(ScriptError::WidthOutOfRange(width));
        }
        self.writable()?;
        let sheet = self.sheet_name(sheet)?;
        let s = self
            .engine
            .workbook_mut()
            .sheet_mut(&sheet)
            .expect("sheet exists");
        for c in first..=last {
            s.set_column_width(c, width);
        }
        Ok(())
    }

    /// The charts, highlights and views the run adds to `sheet`, to
    /// change; `what` is noted in the run's report.
    pub fn visuals_mut(
        &mut self,
        sheet: &str,
        what: String,
    ) -> ScriptResult<&mut crate::model::visuals::SheetVisuals> {
        self.writable()?;
        let index = self.sheet_index(sheet)?;
        self.log.note(what);
        Ok(&mut self.engine.workbook_mut().sheets[index].visuals)
    }

    /// Puts an autofilter on `range` of `sheet`: rows hidden below its
    /// header count as filtered out from then on.
    pub fn set_auto_filter(&mut self, sheet: &str, range: RangeAddr) -> ScriptResult<()> {
        self.writable()?;
        let index = self.sheet_index(sheet)?;
        self.engine.workbook_mut().sheets[index].auto_filter = Some(range);
        self.stale = true;
        Ok(())
    }

    /// Adds an empty sheet at the end.
    pub fn add_sheet(&mut self, name: &str) -> ScriptResult<String> {
        self.writable()?;
        self.engine.add_sheet(name)?;
        self.sheet_ids.push(self.next_sheet_id);
        self.next_sheet_id += 1;
        self.log.sheet_added(name);
        Ok(name.to_string())
    }

    /// Renames a sheet (formula text is rewritten once the formula
    /// engine owns the model).
    pub fn rename_sheet(&mut self, old: &str, new: &str) -> ScriptResult<()> {
        self.writable()?;
        let old = self.sheet_name(old)?;
        self.engine.rename_sheet(&old, new)?;
        // Charts keep showing the cells they showed.
        for sheet in &mut self.engine.workbook_mut().sheets {
            for chart in &mut sheet.visuals.charts {
                chart.rename_sheet(&old, new);
            }
        }
        self.stale = true;
        self.log.sheet_renamed(&old, new);
        Ok(())
    }

    /// Removes a sheet.
    pub fn remove_sheet(&mut self, name: &str) -> ScriptResult<()> {
        self.writable()?;
        let index = self.sheet_index(name)?;
        let name = self.workbook().sheets[index].name.clone();
        self.engine.remove_sheet(&name)?;
        self.sheet_ids.remove(index);
        self.stale = true;
        self.log.sheet_removed(&name);
        Ok(())
    }

    /// Makes `range` of `sheet` (header row first) an Excel table.
    pub fn add_table(&mut self, sheet: &str, name: &str, range: RangeAddr) -> ScriptResult<()> {
        self.writable()?;
        let sheet = self.sheet_name(sheet)?;
        let name = name.trim();
        let columns = (range.start.col..=range.end.col)
            .map(|c| {
                self.current(&sheet, CellAddr::new(range.start.row, c))
                    .to_string()
            })
            .collect();
        let table = crate::model::Table {
            name: name.to_string(),
            sheet: sheet.clone(),
            range,
            header_row: true,
            totals_row: false,
            columns,
        };
        self.engine.workbook_mut().add_table(table)?;
        self.log.note(format!(
            "made {sheet}!{} the table \"{name}\"",
            range.to_a1()
        ));
        Ok(())
    }

    /// Turns an Excel table back into plain cells (they keep their
    /// values and formats). Refused while formulas refer to the table by
    /// name, as they would break.
    pub fn remove_table(&mut self, name: &str) -> ScriptResult<()> {
        self.writable()?;
        let Some(table) = self.workbook().table(name) else {
            return Err(ScriptError::Unknown {
                what: "table",
                name: name.to_string(),
                candidates: owned(&self.workbook().table_names()),
            });
        };
        let name = table.name.clone();
        if let Some((sheet, addr, formula)) = self.first_formula_naming(&name) {
            return Err(ScriptError::TableInUse {
                table: name,
                cell: cell_ref(&sheet, addr),
                formula,
            });
        }
        self.engine.workbook_mut().remove_table(&name)?;
        self.log
            .note(format!("removed table \"{name}\" (its cells stay)"));
        Ok(())
    }

    /// The first formula with a structured reference to table `name`.
    fn first_formula_naming(&self, name: &str) -> Option<(String, CellAddr, String)> {
        let wanted = format!("{}[", name.to_lowercase());
        self.workbook().sheets.iter().find_map(|sheet| {
            sheet.cells().find_map(|(addr, cell)| {
                let f = cell.formula_text(addr)?;
                let lower = f.to_lowercase();
                let found = lower.match_indices(&wanted).any(|(i, _)| {
                    !lower[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                });
                found.then(|| (sheet.name.clone(), addr, f.to_string()))
            })
        })
    }

    /// Sheet names in tab order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.workbook()
            .sheets
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// The record of what the script changed so far.
    #[cfg(test)]
    pub fn log(&self) -> &ChangeLog {
        &self.log
    }
}

/// `A1`-style address of a cell for messages: `Invoices!C17`.
pub fn cell_ref(sheet: &str, addr: CellAddr) -> String {
    format!("{sheet}!{}{}", column_letters(addr.col), addr.row + 1)
}

/// Names as owned strings, for an error that outlives the workbook.
fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DefinedName, Number};

    fn book() -> Book {
        let mut wb = Workbook::new();
        wb.add_sheet("Loan").unwrap();
        wb.add_sheet("Sales 2026").unwrap();
        wb.names.push(DefinedName {
            name: "Principal".into(),
            scope: None,
            refers_to: "Loan!$B$2".into(),
        });
        Book::new(
            wb,
            NaiveDateTime::default(),
            StartValues::Cached,
            "the workbook",
            None,
        )
        .unwrap()
    }

    #[test]
    fn references_resolve_to_sheet_and_range() {
        let b = book();
        let (s, r) = b.resolve("'Sales 2026'!B2", None).unwrap();
        assert_eq!((s.as_str(), r.to_a1().as_str()), ("Sales 2026", "B2"));
        let (s, r) = b.resolve("principal", None).unwrap();
        assert_eq!((s.as_str(), r.to_a1().as_str()), ("Loan", "B2"));
        assert!(b
            .resolve("B2", None)
            .unwrap_err()
            .to_string()
            .contains("which sheet"));
        assert!(b
            .resolve("Nope!A1", None)
            .unwrap_err()
            .to_string()
            .contains("Loan"));
    }

    #[test]
    fn changes_compare_with_the_first_snapshot() {
        let mut b = book();
        let a1 = CellAddr::new(0, 0);
        b.set_value("Loan", a1, Value::Number(Number::from_i64(1)))
            .unwrap();
        b.set_value("Loan", a1, Value::Number(Number::from_i64(2)))
            .unwrap();
        b.set_value("Loan", CellAddr::new(1, 0), Value::Text("x".into()))
            .unwrap();
        b.clear("Loan", CellAddr::new(1, 0)).unwrap();
        let ch: Vec<_> = b.log().changes(b.workbook()).collect();
        assert_eq!(ch.len(), 1);
        assert_eq!((ch[0].old.as_str(), ch[0].new.as_str()), ("", "2"));
        b.rename_sheet("loan", "Credit").unwrap();
        assert_eq!(
            b.log().changes(b.workbook()).next().unwrap().sheet,
            "Credit"
        );
    }

    #[test]
    fn a_cell_restyled_before_its_first_write_keeps_its_old_value() {
        let mut b = book();
        let a1 = CellAddr::new(0, 0);
        let mut wb = b.into_parts().0;
        wb.sheet_mut("Loan").unwrap().load_cell(
            a1,
            crate::model::Cell {
                value: Value::Number(Number::from_i64(5)),
                ..Default::default()
            },
        );
        b = Book::new(
            wb,
            NaiveDateTime::default(),
            StartValues::Cached,
            "the workbook",
            None,
        )
        .unwrap();
        b.restyle("Loan", RangeAddr::cell(a1), |s| s.font.bold = true)
            .unwrap();
        b.set_value("Loan", a1, Value::Number(Number::from_i64(6)))
            .unwrap();
        let ch: Vec<_> = b.log().changes(b.workbook()).collect();
        assert_eq!((ch[0].old.as_str(), ch[0].new.as_str()), ("5", "6"));
    }
}
