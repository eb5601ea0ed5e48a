//! The engine: owns a workbook, knows every formula and what it depends
//! on, and recomputes exactly what a change affects.
//!
//! Dependencies are kept at range level: `SUM(D2:D100000)` is one edge to
//! a range node, not 100k edges, and a range node shared by many formulas
//! exists once. Order of evaluation comes from a depth-first walk over
//! dirty formulas; references only known at run time (INDIRECT, OFFSET)
//! make a formula volatile and are still computed in order, because the
//! evaluator computes any dirty cell it reads on demand.

use super::ast::*;
use super::calc::{CalcValue, MAX_ARRAY_CELLS};
use super::eval::{contained, reference_range, CallContext};
use super::functions;
use super::parser::parse;
use super::printer::{print, remove_sheet_in_expr, rename_sheet_in_expr, shift_corners, walk};
use super::report::RecalcReport;
use super::shape::tree_matches;
use super::store::{FormulaCell, RunState, State, Store};
use crate::model::{ArrayFormula, CellAddr, FormulaShape, RangeAddr, Value, Workbook};
use crate::{Error, Result};
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

mod data_tables;
mod inspect;
mod parallel;

/// Options of an [`Engine`].
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Clock for TODAY and NOW; `None` uses the system clock.
    pub now: Option<chrono::NaiveDateTime>,
    /// When calculating must stop (`--timeout`); `None` has no limit.
    pub deadline: Option<Deadline>,
    /// Threads a recalculation may use; `None` takes
    /// [`crate::threads::limit`]. Any number gives the same values.
    pub threads: Option<usize>,
}

/// The error of a calculation stopped by its time limit while computing
/// `what` (a cell such as `Sheet1!B7`, or the formula): one message for
/// every way a deadline is met.
pub fn timeout_error(what: &str, limit: std::time::Duration) -> Error {
    Error::Formula {
        location: what.to_string(),
        message: format!(
            "stopped: the calculation ran longer than the time limit of {} s (--timeout); \
             nothing was written",
            limit.as_secs_f64()
        ),
    }
}

/// A moment by which a calculation must be done, with the limit it came
/// from (for the message that names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// When the time is up.
    pub at: std::time::Instant,
    /// The time limit as given (`--timeout`).
    pub limit: std::time::Duration,
}

impl Deadline {
    /// The deadline `limit` from now.
    pub fn after(limit: std::time::Duration) -> Deadline {
        Deadline {
            at: std::time::Instant::now() + limit,
            limit,
        }
    }

    /// The error of a calculation stopped at this deadline while
    /// computing `what` (a cell such as `Sheet1!B7`, or the formula).
    pub fn error(&self, what: &str) -> Error {
        timeout_error(what, self.limit)
    }
}

/// The error for a formula or function call whose evaluation failed
/// inside sheetscript.
fn failure(what: &str, detail: &str) -> Error {
    Error::Formula {
        location: what.trim().to_string(),
        message: format!(
            "evaluation failed inside sheetscript ({detail}); this is a bug, please report it"
        ),
    }
}

/// A precedent of a formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Prec {
    Cell(usize, CellAddr),
    Range(usize),
}

/// The edges of every formula of one shape to the cell at a fixed offset
/// from it (`D2` read by `F2`, `D3` by `F3`, ...): one rule instead of an
/// edge per row of a copied-down column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OffsetRule {
    /// The shape (see [`FormulaCell::shape`]).
    shape: u32,
    /// The sheet of the shape's formulas.
    from: usize,
    /// The sheet of the cells they read.
    to: usize,
    /// Rows from a formula to the cell it reads.
    rows: i64,
    /// Columns from a formula to the cell it reads.
    cols: i64,
}

impl OffsetRule {
    /// The cell a formula of the rule at `addr` reads, if on the sheet.
    fn read_by(&self, addr: CellAddr) -> Option<CellAddr> {
        moved(addr, self.rows, self.cols)
    }

    /// The formula cell that reads `addr` by this rule, if on the sheet.
    fn reader_of(&self, addr: CellAddr) -> Option<CellAddr> {
        moved(addr, -self.rows, -self.cols)
    }
}

/// `addr` moved by `rows` and `cols`, if still on the sheet.
fn moved(addr: CellAddr, rows: i64, cols: i64) -> Option<CellAddr> {
    let row = i64::from(addr.row) + rows;
    let col = i64::from(addr.col) + cols;
    let on_sheet = (0..i64::from(crate::model::address::MAX_ROWS)).contains(&row)
        && (0..i64::from(crate::model::address::MAX_COLS)).contains(&col);
    on_sheet.then(|| CellAddr::new(row as u32, col as u32))
}

/// The graph's maps are looked up for every formula and precedent, so
/// they hash with aHash rather than the default SipHash.
#[derive(Debug, Default)]
struct Graph {
    /// Precedent cell -> formulas reading it.
    cell_deps: HashMap<(usize, CellAddr), Vec<usize>, ahash::RandomState>,
    /// The offset rules standing for the relative single-cell references
    /// of shared shapes.
    rules: Vec<OffsetRule>,
    /// Per shape id, its rules (indexes into `rules`).
    shape_rules: Vec<Vec<usize>>,
    /// Per shape id, what every formula of the shape has alike, held once
    /// for all of them; `None` until its first formula is added.
    shape_alike: Vec<Option<ShapeAlike>>,
    /// Per (sheet, column) read: the rules reading cells of that column.
    rule_columns: HashMap<(usize, u32), Vec<usize>, ahash::RandomState>,
    /// Range nodes: (sheet, range) and the formulas reading them.
    ranges: Vec<(usize, RangeAddr, Vec<usize>)>,
    range_index: HashMap<(usize, RangeAddr), usize, ahash::RandomState>,
    /// Per sheet, the range nodes on it.
    sheet_ranges: HashMap<usize, Vec<usize>, ahash::RandomState>,
    /// Per formula id, its precedents besides its offset rules and its
    /// shape's (to remove its edges); a formula without any is absent.
    precs: HashMap<usize, Box<[Prec]>, ahash::RandomState>,
}

/// What every formula of one shape has alike, found at its first formula
/// and taken as it is for the others (their defined names and tables are
/// not followed again).
#[derive(Debug, Default)]
struct ShapeAlike {
    /// The precedents: absolute references, names, tables.
    precs: Box<[Prec]>,
    /// Whether the formulas are volatile (that depends on the functions
    /// they call, never on where they stand).
    volatile: bool,
}

impl Graph {
    /// Adds formula `id` of `shape` with its own precedents `precs`.
    fn add(&mut self, id: usize, shape: u32, precs: Vec<Prec>) {
        let shared = match self.shape_alike.get(shape as usize) {
            Some(Some(alike)) => &alike.precs[..],
            _ => &[],
        };
        for p in precs.iter().chain(shared) {
            match *p {
                Prec::Cell(s, a) => self.cell_deps.entry((s, a)).or_default().push(id),
                Prec::Range(r) => self.ranges[r].2.push(id),
            }
        }
        // Most formulas of a shared shape have none of their own: only
        // those that do take room (a slot per formula took 48 MB on a
        // 1M-row ledger).
        if precs.is_empty() {
            self.precs.remove(&id);
        } else {
            self.precs.insert(id, precs.into_boxed_slice());
        }
    }

    /// The precedents every formula of `shape` has.
    fn shape_precs(&self, shape: u32) -> &[Prec] {
        match self.shape_alike.get(shape as usize) {
            Some(Some(alike)) => &alike.precs,
            _ => &[],
        }
    }

    /// A new shape id, without rules yet.
    fn new_shape(&mut self) -> u32 {
        self.shape_rules.push(Vec::new());
        self.shape_alike.push(None);
        (self.shape_rules.len() - 1) as u32
    }

    /// Notes that the formula of `shape` at `sheet!addr` reads the cell
    /// `rows`, `cols` away on sheet `to`.
    fn add_rule(
        &mut self,
        shape: u32,
        sheet: usize,
        addr: CellAddr,
        to: usize,
        rows: i64,
        cols: i64,
    ) {
        let rule = OffsetRule {
            shape,
            from: sheet,
            to,
            rows,
            cols,
        };
        let known = &self.shape_rules[shape as usize];
        let index = match known.iter().find(|&&i| self.rules[i] == rule) {
            Some(&i) => i,
            None => {
                self.rules.push(rule);
                self.shape_rules[shape as usize].push(self.rules.len() - 1);
                self.rules.len() - 1
            }
        };
        if let Some(read) = rule.read_by(addr) {
            let column = self.rule_columns.entry((to, read.col)).or_default();
            if !column.contains(&index) {
                column.push(index);
            }
        }
    }

    fn range_node(&mut self, sheet: usize, range: RangeAddr) -> usize {
        if let Some(r) = self.range_index.get(&(sheet, range)) {
            return *r;
        }
        let r = self.ranges.len();
        self.ranges.push((sheet, range, Vec::new()));
        self.range_index.insert((sheet, range), r);
        self.sheet_ranges.entry(sheet).or_default().push(r);
        r
    }

    /// Removes the edges of formula `id` of `shape`.
    fn remove(&mut self, id: usize, shape: u32) {
        let own = self.precs.remove(&id).unwrap_or_default();
        let shared = self.shape_precs(shape).to_vec();
        for p in own.iter().chain(&shared).copied() {
            match p {
                Prec::Cell(s, a) => {
                    if let Some(v) = self.cell_deps.get_mut(&(s, a)) {
                        v.retain(|x| *x != id);
                    }
                }
                Prec::Range(r) => self.ranges[r].2.retain(|x| *x != id),
            }
        }
    }

    /// Formulas that read the cell directly or through a range.
    fn dependents_of(&self, store: &Store, sheet: usize, addr: CellAddr, out: &mut Vec<usize>) {
        if let Some(v) = self.cell_deps.get(&(sheet, addr)) {
            out.extend_from_slice(v);
        }
        for &i in self
            .rule_columns
            .get(&(sheet, addr.col))
            .into_iter()
            .flatten()
        {
            let rule = self.rules[i];
            let reader = rule
                .reader_of(addr)
                .and_then(|at| store.id_at(rule.from, at))
                .filter(|&id| {
                    store.cells[id]
                        .as_ref()
                        .is_some_and(|c| c.shape == rule.shape)
                });
            out.extend(reader);
        }
        if let Some(rs) = self.sheet_ranges.get(&sheet) {
            for r in rs {
                let (_, range, deps) = &self.ranges[*r];
                if range.contains(addr) {
                    out.extend_from_slice(deps);
                }
            }
        }
    }
}

/// The formula engine over one workbook.
pub struct Engine {
    wb: Workbook,
    store: Store,
    run: RunState,
    graph: Graph,
    options: EngineOptions,
    /// Cells changed since the last recalculation.
    pending: Vec<(usize, CellAddr)>,
    /// A cell changed (or everything is recomputed) since the data tables
    /// were last filled: the next recalculation fills them again.
    tables_stale: bool,
    parse_errors: Vec<(String, String)>,
    /// Cycles found by the last ordering, reported once.
    cycles: Vec<Vec<String>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Engine({} formulas)",
            self.store.cells.iter().flatten().count()
        )
    }
}

fn cell_name(wb: &Workbook, sheet: usize, addr: CellAddr) -> String {
    let name = wb.sheets.get(sheet).map(|s| s.name.as_str()).unwrap_or("?");
    format!(
        "{}!{}",
        crate::model::address::quote_sheet_name(name),
        addr.to_a1()
    )
}

impl Engine {
    /// An engine over `workbook`: parses every formula and builds the
    /// dependency graph; nothing is recomputed yet.
    pub fn new(workbook: Workbook, options: EngineOptions) -> Engine {
        let mut e = Engine {
            wb: workbook,
            store: Store::default(),
            run: RunState::default(),
            graph: Graph::default(),
            options,
            pending: Vec::new(),
            tables_stale: false,
            parse_errors: Vec::new(),
            cycles: Vec::new(),
        };
        e.rebuild();
        e
    }

    /// Re-reads every formula of the workbook (after structural changes).
    /// A formula copied down a column is parsed once, at its shape's
    /// anchor; each cell of the shape refers to that tree.
    fn rebuild(&mut self) {
        self.store = Store::default();
        self.run = RunState::default();
        self.graph = Graph::default();
        self.parse_errors.clear();
        self.store.ensure_sheets(self.wb.sheets.len());
        // Growing by doubling would copy the records and touch twice the
        // memory: a million-row ledger holds millions of formulas.
        let per_sheet: Vec<usize> = self.wb.sheets.iter().map(|s| s.formula_count()).collect();
        self.store.start_loading(&per_sheet);
        let formulas: usize = per_sheet.iter().sum();
        let threads = self.options.threads.unwrap_or_else(crate::threads::limit);
        let Engine {
            wb,
            store,
            graph,
            parse_errors,
            ..
        } = self;
        let wb: &Workbook = wb;
        if formulas < STORE_ALONGSIDE_FROM || threads < 2 {
            for_each_formula(wb, graph, parse_errors, |graph, placed, expr| {
                insert_into(wb, store, graph, placed, expr, false);
            });
            store.finish_loading();
            return;
        }
        // The records are stored on a helper thread while this one finds
        // the formulas' precedents: on the 1M-row ledger each is about
        // half of building the engine (storing 3M records is mostly the
        // kernel handing out fresh pages).
        let mut next_id = store.next_id();
        let (tx, rx) = sync_channel::<Vec<Record>>(RECORDS_IN_FLIGHT);
        std::thread::scope(|scope| {
            let filler = scope.spawn(move || {
                for batch in rx {
                    for record in batch {
                        store_record(store, wb, record);
                    }
                }
                store.finish_loading();
            });
            let mut batch = Vec::with_capacity(RECORD_BATCH);
            let mut stopped = false;
            for_each_formula(wb, graph, parse_errors, |graph, placed, expr| {
                batch.push(record_of(wb, graph, placed, expr, false, next_id));
                next_id += 1;
                if batch.len() == RECORD_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(RECORD_BATCH));
                    // Only a helper that panicked hangs up (joined below):
                    // the records are dropped meanwhile.
                    stopped = stopped || tx.send(full).is_err();
                }
            });
            if !stopped {
                let _ = tx.send(batch);
            }
            drop(tx);
            if let Err(panic) = filler.join() {
                std::panic::resume_unwind(panic);
            }
        });
    }

    fn insert_formula(&mut self, sheet: usize, addr: CellAddr, expr: Expr, dynamic: bool) -> usize {
        let placed = Placed {
            sheet,
            addr,
            offset: (0, 0),
            shape: NO_SHAPE,
        };
        insert_into(
            &self.wb,
            &mut self.store,
            &mut self.graph,
            placed,
            Arc::new(expr),
            dynamic,
        )
    }

    fn remove_formula_at(&mut self, sheet: usize, addr: CellAddr) {
        if let Some(id) = self.store.id_at(sheet, addr) {
            self.clear_spill(id);
            let shape = self.store.cells[id].as_ref().map_or(NO_SHAPE, |c| c.shape);
            self.graph.remove(id, shape);
            self.store.remove(id);
            self.wb.sheets[sheet].array_formulas.remove(&addr);
        }
    }

    fn clear_spill(&mut self, id: usize) {
        let freed = self.store.release_spill(id, &mut self.wb);
        self.pending.extend(freed);
    }

    fn now(&self) -> chrono::NaiveDateTime {
        self.options
            .now
            .unwrap_or_else(|| chrono::Local::now().naive_local())
    }

    /// The workbook (with the values of the last recalculation).
    pub fn workbook(&self) -> &Workbook {
        &self.wb
    }

    /// The workbook for styles, names, widths; cell contents must be
    /// changed through the engine so dependents are recomputed.
    pub fn workbook_mut(&mut self) -> &mut Workbook {
        &mut self.wb
    }

    /// Gives the workbook back.
    pub fn into_workbook(self) -> Workbook {
        self.wb
    }

    fn sheet_index(&self, sheet: &str) -> Result<usize> {
        self.wb
            .sheet_index(sheet)
            .ok_or_else(|| Error::Usage(format!("there is no sheet named \"{sheet}\"")))
    }

    /// Sets a constant; formulas reading the cell become dirty.
    pub fn set_value(&mut self, sheet: &str, addr: CellAddr, value: Value) -> Result<()> {
        let s = self.sheet_index(sheet)?;
        self.refuse_part_of_legacy_array(s, addr)?;
        self.refuse_part_of_data_table(s, addr)?;
        self.remove_formula_at(s, addr);
        self.wb.sheets[s].set_value(addr, value);
        self.touch(s, addr);
        Ok(())
    }

    /// A cell of a legacy (Ctrl+Shift+Enter) array formula's range other
    /// than its anchor cannot change alone, as in Excel ("You can't change
    /// part of an array"): the formula would write over it at once. Its
    /// anchor can: changing or clearing it ends the whole array.
    fn refuse_part_of_legacy_array(&self, s: usize, addr: CellAddr) -> Result<()> {
        let Some(&id) = self.store.spilled.get(&(s, addr)) else {
            return Ok(());
        };
        match (self.store.fitted.get(&id), &self.store.cells[id]) {
            (Some(range), Some(anchor)) if anchor.addr != addr => Err(Error::Usage(format!(
                "{} is part of the array formula {} entered over {range}: Excel cannot \
                 change part of an array; change or clear its anchor {} (which ends the \
                 whole array) first",
                cell_name(&self.wb, s, addr),
                cell_name(&self.wb, s, anchor.addr),
                anchor.addr,
            ))),
            _ => Ok(()),
        }
    }

    fn touch(&mut self, s: usize, addr: CellAddr) {
        self.pending.push((s, addr));
        self.tables_stale = true;
        // Writing into a spill area blocks the array that spilled there.
        if let Some(anchor) = self.store.spilled.get(&(s, addr)).copied() {
            self.store.spilled.remove(&(s, addr));
            self.store.set_state(anchor, State::Dirty);
        }
        // Clearing the way for a blocked array lets it try again.
        let retry: Vec<usize> = self
            .store
            .blocked
            .iter()
            .filter(|(_, (bs, area))| *bs == s && area.contains(addr))
            .map(|(id, _)| *id)
            .collect();
        for id in retry {
            self.store.set_state(id, State::Dirty);
            if let Some(c) = &self.store.cells[id] {
                self.pending.push((c.sheet, c.addr));
            }
        }
    }

    /// Sets a formula (with or without `=`); a formula that does not parse
    /// is an [`Error::Formula`] naming the cell, and nothing changes.
    pub fn set_formula(&mut self, sheet: &str, addr: CellAddr, formula: &str) -> Result<()> {
        let s = self.sheet_index(sheet)?;
        let expr = parse(formula).map_err(|e| Error::Formula {
            location: cell_name(&self.wb, s, addr),
            message: format!("{e} in ={}", formula.trim().trim_start_matches('=')),
        })?;
        self.refuse_part_of_legacy_array(s, addr)?;
        self.refuse_part_of_data_table(s, addr)?;
        self.remove_formula_at(s, addr);
        let text = print(&expr);
        let cached = self.wb.sheets[s].value(addr).clone();
        self.wb.sheets[s].set_formula(addr, &text, cached);
        self.insert_formula(s, addr, expr, true);
        self.touch(s, addr);
        Ok(())
    }

    /// Empties a cell (value, formula and style).
    pub fn clear(&mut self, sheet: &str, addr: CellAddr) -> Result<()> {
        let s = self.sheet_index(sheet)?;
        self.refuse_part_of_legacy_array(s, addr)?;
        self.refuse_part_of_data_table(s, addr)?;
        self.remove_formula_at(s, addr);
        self.wb.sheets[s].clear(addr);
        self.touch(s, addr);
        Ok(())
    }

    /// The current value of a cell, recomputing what changed first.
    pub fn value(&mut self, sheet: &str, addr: CellAddr) -> Result<Value> {
        let s = self.sheet_index(sheet)?;
        if let Some((what, limit)) = self.recalc_changes() {
            return Err(timeout_error(&what, limit));
        }
        Ok(self.wb.sheets[s].value(addr).clone())
    }

    /// Recomputes what the pending changes affect, without re-running
    /// volatile formulas (reading many cells must not recompute TODAY()
    /// and its dependents each time).
    /// Returns where the deadline stopped it, if it did.
    fn recalc_changes(&mut self) -> Option<(String, std::time::Duration)> {
        if !self.pending.is_empty() {
            self.propagate(false);
        }
        if !self.store.dirty_list.is_empty() || (self.tables_stale && self.has_data_tables()) {
            return self.run().timed_out;
        }
        None
    }

    /// Marks dirty everything that depends on the pending changes (and
    /// every volatile formula).
    fn propagate(&mut self, include_volatile: bool) {
        let mut stack: Vec<(usize, CellAddr)> = std::mem::take(&mut self.pending);
        if include_volatile {
            let ids: Vec<usize> = self.store.volatile.iter().copied().collect();
            for id in ids {
                if let Some(c) = &self.store.cells[id] {
                    stack.push((c.sheet, c.addr));
                    self.store.set_state(id, State::Dirty);
                }
            }
        }
        // Formulas just set are dirty already; their dependents follow.
        let mut deps = Vec::new();
        let mut visited: HashSet<(usize, CellAddr)> = HashSet::new();
        while let Some((s, a)) = stack.pop() {
            if !visited.insert((s, a)) {
                continue;
            }
            deps.clear();
            self.graph.dependents_of(&self.store, s, a, &mut deps);
            for &id in &deps {
                let Some(c) = &self.store.cells[id] else {
                    continue;
                };
                let (cs, ca, spill) = (c.sheet, c.addr, self.store.spills.get(&id).copied());
                self.store.set_state(id, State::Dirty);
                stack.push((cs, ca));
                if let Some(area) = spill {
                    for r in area.start.row..=area.end.row {
                        for col in area.start.col..=area.end.col {
                            stack.push((cs, CellAddr::new(r, col)));
                        }
                    }
                }
            }
        }
    }

    /// Recomputes every formula.
    pub fn recalc_all(&mut self) -> RecalcReport {
        self.pending.clear();
        self.tables_stale = true;
        for id in 0..self.store.cells.len() {
            self.store.set_state(id, State::Dirty);
        }
        self.run()
    }

    /// Takes the workbook's cached results as current and computes only
    /// the formulas that have none (files written by openpyxl, pandas and
    /// other tools store formulas without results), with every formula
    /// that reads them. Returns how many formulas had no cached value, and
    /// what computing them did.
    pub fn recalc_uncached(&mut self) -> (usize, RecalcReport) {
        let mut uncached = Vec::new();
        for id in 0..self.store.cells.len() {
            let Some(c) = &self.store.cells[id] else {
                continue;
            };
            let (sheet, addr) = (c.sheet, c.addr);
            if self.wb.sheets[sheet].value(addr).is_empty() {
                uncached.push((sheet, addr));
            } else {
                self.store.set_state(id, State::Clean);
            }
        }
        let count = uncached.len();
        self.pending.extend(uncached);
        self.propagate(false);
        (count, self.run())
    }

    /// Recomputes only what changed since the last recalculation (plus
    /// volatile formulas).
    pub fn recalc_dirty(&mut self) -> RecalcReport {
        self.propagate(true);
        self.run()
    }

    /// Computes again what reads the cells a spill reached for the first
    /// time in this run (a formula that gave one value now gives three):
    /// nothing marked those readers dirty, as the graph links no reader of
    /// a spilled cell to its anchor. A few passes, as a reader computed
    /// again may spill further; each pass computes only what is dirty.
    fn compute_readers_of_grown_spills(&mut self, now: chrono::NaiveDateTime) {
        const MAX_PASSES: usize = 8;
        for _ in 0..MAX_PASSES {
            let grown = std::mem::take(&mut self.run.grown);
            if grown.is_empty() || self.run.timed_out.is_some() {
                return;
            }
            for (sheet, area) in grown {
                for r in area.start.row..=area.end.row {
                    for c in area.start.col..=area.end.col {
                        self.pending.push((sheet, CellAddr::new(r, c)));
                    }
                }
            }
            self.compute_pending(now);
        }
        self.run.grown.clear();
    }

    /// Marks dirty what the pending changes reach and computes it on the
    /// one exclusive evaluator, precedents first.
    fn compute_pending(&mut self, now: chrono::NaiveDateTime) {
        self.propagate(false);
        let dirty = self.dirty_ids();
        let order = self.order(&dirty);
        let mut ctx = CallContext::new(&mut self.wb, &mut self.store, &mut self.run, 0, None, now);
        for id in order {
            ctx.compute(id);
        }
    }

    fn dirty_ids(&mut self) -> Vec<usize> {
        let mut ids = std::mem::take(&mut self.store.dirty_list);
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|id| {
            self.store.cells[*id]
                .as_ref()
                .is_some_and(|c| c.state == State::Dirty)
        });
        ids
    }

    /// Orders the dirty formulas so precedents come first.
    fn order(&self, dirty: &[usize]) -> Vec<usize> {
        self.order_in(dirty, None)
    }

    /// Orders the dirty formulas so precedents come first and, with
    /// `levels`, gives each its level there (indexed by formula id): one
    /// more than the highest level among the dirty formulas it reads, 0
    /// for one reading none. Formulas of one level never read each other,
    /// so they can be computed side by side ([`parallel`]). A formula read
    /// around a cycle counts as not dirty there: the evaluator meets the
    /// cycle and reports it either way.
    fn order_in(&self, dirty: &[usize], mut levels: Option<&mut Vec<u32>>) -> Vec<usize> {
        let n_formulas = self.store.cells.len();
        let nodes = n_formulas + self.graph.ranges.len();
        // Node ids: formulas 0..n, range nodes n.. ; colour 0 white, 1
        // grey, 2 black.
        let mut colour: Vec<u8> = vec![0; nodes];
        // Per finished node, the level a formula reading it is at least:
        // one more than a formula's level; for a range node, the most of
        // its formulas'.
        let mut above: Vec<u32> = if levels.is_some() {
            vec![0; nodes]
        } else {
            Vec::new()
        };
        if let Some(levels) = levels.as_deref_mut() {
            levels.clear();
            levels.resize(n_formulas, 0);
        }
        let mut order = Vec::with_capacity(dirty.len());
        for &root in dirty {
            if colour[root] != 0 {
                continue;
            }
            // Stack of (node, successors, next index).
            let mut stack: Vec<(usize, Vec<usize>, usize)> = Vec::new();
            colour[root] = 1;
            let succ = self.successors(root, n_formulas);
            stack.push((root, succ, 0));
            while let Some(top) = stack.last_mut() {
                if top.2 < top.1.len() {
                    let next = top.1[top.2];
                    top.2 += 1;
                    match colour[next] {
                        0 => {
                            colour[next] = 1;
                            let succ = self.successors(next, n_formulas);
                            stack.push((next, succ, 0));
                        }
                        // A back edge: a static cycle. It only matters if
                        // evaluation really reads around it (IF/CHOOSE may
                        // not), which the evaluator detects and reports.
                        1 => {}
                        _ => {}
                    }
                } else {
                    let (node, succ, _) = stack.pop().expect("non-empty");
                    colour[node] = 2;
                    if let Some(levels) = levels.as_deref_mut() {
                        // Successors still grey are around a cycle: 0.
                        let level = succ
                            .iter()
                            .filter(|&&p| colour[p] == 2)
                            .map(|&p| above[p])
                            .max()
                            .unwrap_or(0);
                        if node < n_formulas {
                            levels[node] = level;
                            above[node] = level + 1;
                        } else {
                            above[node] = level;
                        }
                    }
                    if node < n_formulas {
                        order.push(node);
                    }
                }
            }
        }
        order
    }

    fn successors(&self, node: usize, n_formulas: usize) -> Vec<usize> {
        if node >= n_formulas {
            let r = node - n_formulas;
            let (sheet, range, _) = self.graph.ranges[r];
            let m: Vec<usize> = self
                .store
                .index
                .get(sheet)
                .map(|ix| {
                    ix.range((range.start.col, range.start.row)..=(range.end.col, range.end.row))
                        .filter(|((_, row), _)| *row >= range.start.row && *row <= range.end.row)
                        .map(|(_, id)| *id)
                        .filter(|id| {
                            self.store.cells[*id]
                                .as_ref()
                                .is_some_and(|c| c.state == State::Dirty)
                        })
                        .collect()
                })
                .unwrap_or_default();
            // Visited once per ordering (it turns black), so no caching.
            return m;
        }
        let mut out = Vec::new();
        let is_dirty = |id: usize| {
            self.store.cells[id]
                .as_ref()
                .is_some_and(|c| c.state == State::Dirty)
        };
        let own = self.graph.precs.get(&node).map(|p| &p[..]).unwrap_or(&[]);
        let shape = self.store.cells[node]
            .as_ref()
            .map_or(NO_SHAPE, |c| c.shape);
        let precs = own.iter().chain(self.graph.shape_precs(shape));
        if let Some(c) = self.store.cells[node].as_ref() {
            let rules = self.graph.shape_rules.get(c.shape as usize);
            for &i in rules.into_iter().flatten() {
                let rule = self.graph.rules[i];
                let read = rule
                    .read_by(c.addr)
                    .filter(|_| rule.from == c.sheet)
                    .and_then(|at| self.store.id_at(rule.to, at));
                out.extend(read.filter(|&id| is_dirty(id)));
            }
        }
        for p in precs {
            match *p {
                Prec::Cell(s, a) => out.extend(self.store.id_at(s, a).filter(|&id| is_dirty(id))),
                Prec::Range(r) => out.push(n_formulas + r),
            }
        }
        out
    }

    fn run(&mut self) -> RecalcReport {
        let dirty = self.dirty_ids();
        self.cycles.clear();
        let threads = self.options.threads.unwrap_or_else(crate::threads::limit);
        let side_by_side =
            threads > 1 && self.wb.iteration.is_none() && dirty.len() >= parallel::MIN_SHARED_LEVEL;
        let mut levels = Vec::new();
        let order = self.order_in(&dirty, side_by_side.then_some(&mut levels));
        self.run.computed = 0;
        self.run.unknown.clear();
        self.run.unknown_here.clear();
        self.run.kept_cached.clear();
        self.run.external_used.clear();
        self.run.cycle_cells.clear();
        self.run.cycles.clear();
        self.run.failures.clear();
        self.run.too_deep.clear();
        self.run.grown.clear();
        let now = self.now();
        self.start_clock();
        self.run.iterating = self.wb.iteration.is_some();
        let mut ctx = CallContext::new(&mut self.wb, &mut self.store, &mut self.run, 0, None, now);
        // Spilling formulas first: a cell reading a spilled cell is not
        // linked to the anchor in the graph, so the anchor must have
        // spilled before such a cell is computed (with threads or not).
        for &id in &order {
            if ctx.store.cells[id].as_ref().is_some_and(|c| c.dynamic) {
                ctx.compute(id);
            }
        }
        if side_by_side {
            self.compute_in_levels(order, &levels, threads, now);
        } else {
            let mut ctx =
                CallContext::new(&mut self.wb, &mut self.store, &mut self.run, 0, None, now);
            for id in order {
                ctx.compute(id);
            }
        }
        self.compute_readers_of_grown_spills(now);
        if let Some(iteration) = self.wb.iteration {
            self.iterate_cycles(iteration, now);
        }
        if std::mem::take(&mut self.tables_stale) || self.run.computed > 0 {
            self.compute_data_tables(now);
        }
        self.run.iterating = false;
        let timed_out = self.stopped_at();
        let cycles: Vec<Vec<String>> = std::mem::take(&mut self.run.cycles)
            .into_iter()
            .map(|c| {
                c.into_iter()
                    .map(|(s, a)| cell_name(&self.wb, s, a))
                    .collect()
            })
            .collect();
        self.cycles = cycles;
        RecalcReport {
            computed: self.run.computed,
            unknown_functions: self.run.unknown.clone(),
            kept_cached: self.run.kept_cached.clone(),
            external_books: super::external::external_book_labels(
                &self.wb,
                &self.run.external_used,
            ),
            cycles: self.cycles.clone(),
            parse_errors: self.parse_errors.clone(),
            too_deep: std::mem::take(&mut self.run.too_deep)
                .into_iter()
                .map(|(s, a)| cell_name(&self.wb, s, a))
                .collect(),
            failures: std::mem::take(&mut self.run.failures)
                .into_iter()
                .map(|(s, a, detail)| (cell_name(&self.wb, s, a), detail))
                .collect(),
            timed_out,
        }
    }

    /// Excel's iterative calculation: the cells on cycles (computed once
    /// from their previous values) are computed again, with what reads
    /// them, until no value changes by `max_change` or more, at most
    /// `max_count` passes in all. The cycles are then no errors.
    fn iterate_cycles(&mut self, iteration: crate::model::Iteration, now: chrono::NaiveDateTime) {
        let cells: Vec<(usize, CellAddr)> = self.run.cycle_cells.iter().copied().collect();
        self.run.cycles.clear();
        for _ in 1..iteration.max_count {
            if cells.is_empty() || self.run.timed_out.is_some() {
                break;
            }
            let before: Vec<Value> = cells
                .iter()
                .map(|&(s, a)| self.wb.sheets[s].value(a).clone())
                .collect();
            for &(s, a) in &cells {
                if let Some(id) = self.store.id_at(s, a) {
                    self.store.set_state(id, State::Dirty);
                }
                self.pending.push((s, a));
            }
            self.compute_pending(now);
            self.run.cycles.clear();
            let change = cells
                .iter()
                .zip(&before)
                .map(|(&(s, a), old)| value_change(old, self.wb.sheets[s].value(a)))
                .fold(0.0, f64::max);
            if change < iteration.max_change {
                break;
            }
        }
    }

    /// Sets or lifts the deadline of the following calculations (a
    /// script's `calc()` runs under the script's `--timeout`).
    pub fn set_deadline(&mut self, deadline: Option<Deadline>) {
        self.options.deadline = deadline;
    }

    /// Arms the deadline for one run.
    fn start_clock(&mut self) {
        self.run.deadline = self.options.deadline.map(|d| d.at);
        self.run.timed_out = None;
        self.run.ticks = 0;
    }

    /// After a run: the cell being computed when the deadline passed
    /// (or "the formula") and the limit, if it did. The cells computed
    /// after it hold `#CALC!`, so every formula is marked for computing
    /// again.
    fn stopped_at(&mut self) -> Option<(String, std::time::Duration)> {
        let cell = self.run.timed_out.take()?;
        for id in 0..self.store.cells.len() {
            self.store.set_state(id, State::Dirty);
            // The run took the list; cells it left dirty must be on it.
            if self.store.cells[id].is_some() {
                self.store.dirty_list.push(id);
            }
        }
        let deadline = self.options.deadline?;
        let what = cell.map_or_else(
            || "the formula".to_string(),
            |(s, a)| cell_name(&self.wb, s, a),
        );
        Some((what, deadline.limit))
    }

    /// Evaluates a formula (with or without `=`) on `sheet` (default: the
    /// first sheet), after recomputing what changed. A reference result
    /// stays a reference.
    pub fn eval(&mut self, sheet: Option<&str>, formula: &str) -> Result<CalcValue> {
        self.eval_in(sheet, None, formula)
    }

    /// [`Engine::eval`] as if the formula sat in cell `at` of `sheet`, so
    /// `ROW()` and `COLUMN()` answer for that cell (a conditional format's
    /// rule is computed for each cell it covers). References are not
    /// moved: the caller shifts them to the cell first.
    pub fn eval_at(&mut self, sheet: &str, at: CellAddr, formula: &str) -> Result<CalcValue> {
        self.eval_in(Some(sheet), Some(at), formula)
    }

    fn eval_in(
        &mut self,
        sheet: Option<&str>,
        at: Option<CellAddr>,
        formula: &str,
    ) -> Result<CalcValue> {
        let s = match sheet {
            Some(name) => self.sheet_index(name)?,
            None => 0,
        };
        let expr = parse(formula).map_err(|e| Error::Formula {
            location: format!("={}", formula.trim().trim_start_matches('=')),
            message: e.to_string(),
        })?;
        if let Some((what, limit)) = self.recalc_changes() {
            return Err(timeout_error(&what, limit));
        }
        if self.wb.sheets.is_empty() {
            return Err(Error::Usage("the workbook has no sheets".into()));
        }
        let now = self.now();
        self.start_clock();
        let mut ctx = CallContext::new(&mut self.wb, &mut self.store, &mut self.run, s, at, now);
        let result = contained(|| ctx.eval(&expr)).map_err(|detail| failure(formula, &detail))?;
        match self.stopped_at() {
            Some((what, limit)) => {
                let what = if what == "the formula" {
                    format!("={}", formula.trim().trim_start_matches('='))
                } else {
                    what
                };
                Err(timeout_error(&what, limit))
            }
            None => {
                self.refuse_huge_reference(formula, &result)?;
                Ok(result)
            }
        }
    }

    /// Refuses a reference result whose values would exceed
    /// [`MAX_ARRAY_CELLS`] (`=A:XFD` beside a stray cell at XFD1048576):
    /// the caller would print or copy every one of them.
    fn refuse_huge_reference(&self, formula: &str, result: &CalcValue) -> Result<()> {
        let areas = match result {
            CalcValue::Ref(area) => std::slice::from_ref(area),
            CalcValue::Refs(areas) => areas.as_slice(),
            _ => return Ok(()),
        };
        for area in areas {
            let Some(sheet) = self.wb.sheets.get(area.sheet) else {
                continue;
            };
            let cells = area.value_count(sheet);
            if cells > MAX_ARRAY_CELLS as u64 {
                return Err(Error::Formula {
                    location: format!("={}", formula.trim().trim_start_matches('=')),
                    message: format!(
                        "its result {}!{} would hold {cells} values, more than the limit of {MAX_ARRAY_CELLS}; aggregate it (SUM, COUNTIF, ...) or name a smaller range",
                        sheet.name, area.range
                    ),
                });
            }
        }
        Ok(())
    }

    /// Calls an Excel function by name with already computed arguments.
    pub fn call(&mut self, function: &str, args: Vec<CalcValue>) -> Result<CalcValue> {
        let name = normalize_function_name(function);
        let spec = functions::lookup(&name)
            .ok_or_else(|| Error::Usage(format!("there is no function named {name}")))?;
        if args.len() < spec.min_args || args.len() > spec.max_args {
            let most = if spec.max_args == functions::MANY {
                "any number".to_string()
            } else {
                spec.max_args.to_string()
            };
            return Err(Error::Usage(format!(
                "{name} takes {} to {most} arguments, not {}",
                spec.min_args,
                args.len()
            )));
        }
        if let Some((what, limit)) = self.recalc_changes() {
            return Err(timeout_error(&what, limit));
        }
        let exprs: Vec<Expr> = (0..args.len()).map(Expr::Bound).collect();
        let now = self.now();
        self.start_clock();
        let mut ctx = CallContext::new(&mut self.wb, &mut self.store, &mut self.run, 0, None, now);
        ctx.bound = args;
        let result =
            contained(|| ctx.call_spec(spec, &exprs)).map_err(|detail| failure(&name, &detail))?;
        // A function the deadline stopped gives up with an error value
        // that is no answer: the timeout is the answer.
        match self.stopped_at() {
            Some((_, limit)) => Err(timeout_error(&name, limit)),
            None => Ok(result),
        }
    }

    /// Adds an empty sheet at the end.
    pub fn add_sheet(&mut self, name: &str) -> Result<()> {
        self.wb.add_sheet(name)?;
        // Formulas that named this sheet before it existed now resolve.
        self.rebuild();
        Ok(())
    }

    /// Renames a sheet and every formula and defined name referring to it.
    pub fn rename_sheet(&mut self, old: &str, new: &str) -> Result<()> {
        let old_name = self.wb.sheets[self.sheet_index(old)?].name.clone();
        self.wb.rename_sheet_entry(old, new)?;
        for id in 0..self.store.cells.len() {
            let Some(c) = self.store.cells[id].as_mut() else {
                continue;
            };
            let mut e = (*c.tree()).clone();
            if rename_sheet_in_expr(&mut e, &old_name, new) {
                let text = print(&e);
                let (s, a) = (c.sheet, c.addr);
                c.expr = Arc::new(e);
                c.offset = (0, 0);
                let cached = self.wb.sheets[s].value(a).clone();
                self.wb.sheets[s].set_formula(a, &text, cached);
            }
        }
        for n in &mut self.wb.names {
            if let Ok(mut e) = parse(&n.refers_to) {
                if rename_sheet_in_expr(&mut e, &old_name, new) {
                    n.refers_to = print(&e);
                }
            }
        }
        self.rebuild();
        Ok(())
    }

    /// Removes a sheet; references to it become `#REF!`.
    pub fn remove_sheet(&mut self, name: &str) -> Result<()> {
        let removed = self.wb.remove_sheet(name)?;
        for si in 0..self.wb.sheets.len() {
            let cells: Vec<(CellAddr, String)> = self.wb.sheets[si]
                .cells()
                .filter_map(|(a, c)| c.formula_text(a).map(|f| (a, f.into_owned())))
                .collect();
            for (a, text) in cells {
                if let Ok(mut e) = parse(&text) {
                    if remove_sheet_in_expr(&mut e, &removed.name) {
                        let cached = self.wb.sheets[si].value(a).clone();
                        self.wb.sheets[si].set_formula(a, &print(&e), cached);
                    }
                }
            }
        }
        for n in &mut self.wb.names {
            if let Ok(mut e) = parse(&n.refers_to) {
                if remove_sheet_in_expr(&mut e, &removed.name) {
                    n.refers_to = print(&e);
                }
            }
        }
        self.rebuild();
        Ok(())
    }

    /// Every function the engine knows, sorted.
    pub fn function_names(&self) -> Vec<&'static str> {
        functions::names()
    }
}

/// The shape id of a formula parsed from its own text.
pub(crate) const NO_SHAPE: u32 = u32::MAX;

/// A shape's tree, parsed once, with the cell it was parsed at (`None`:
/// the text reads the same at every cell).
/// A shape's parsed tree and the cell it was parsed at (`None` for a
/// shape that reads the same at every cell).
pub(crate) type ShapeTree = (Arc<Expr>, Option<CellAddr>);

/// The tree every cell of `shape` shares, or `None` where each cell must
/// parse its own text: the text does not parse (each cell reports it), or
/// the parser found other references than the shape's scan did.
pub(crate) fn shape_tree(shape: &FormulaShape) -> Option<ShapeTree> {
    match shape.anchor() {
        None if shape.refs().is_empty() => parse(shape.literal()).ok().map(|e| (Arc::new(e), None)),
        None => None,
        Some(anchor) => {
            let expr = parse(&shape.render(anchor)?).ok()?;
            tree_matches(&expr, shape, anchor).then(|| (Arc::new(expr), Some(anchor)))
        }
    }
}

/// Where a formula goes: its cell, the offset of its tree (rows,
/// columns from the cell the tree was parsed at) and its shape id.
#[derive(Debug, Clone, Copy)]
struct Placed {
    sheet: usize,
    addr: CellAddr,
    offset: (i64, i64),
    shape: u32,
}

/// Formulas from which building the engine stores their records on a
/// helper thread (see [`Engine::rebuild`]); the tests' workbooks are
/// small, and are built both ways.
const STORE_ALONGSIDE_FROM: usize = if cfg!(test) { 64 } else { 1 << 16 };

/// Records handed to the storing thread at a time, and how many such
/// batches may wait.
const RECORD_BATCH: usize = 8192;
const RECORDS_IN_FLIGHT: usize = 4;

/// A formula's record for the store, with the saved range of its array
/// formula if it is one.
type Record = (FormulaCell, Option<ArrayFormula>);

/// Calls `each` with every formula of the workbook, placed, and its tree:
/// a formula copied down a column is parsed once, at its shape's anchor,
/// and each cell of the shape refers to that tree. A formula that does not
/// parse goes to `parse_errors`.
fn for_each_formula(
    wb: &Workbook,
    graph: &mut Graph,
    parse_errors: &mut Vec<(String, String)>,
    mut each: impl FnMut(&mut Graph, Placed, Arc<Expr>),
) {
    // Per shape: its tree and id (for offset rules: only a shape with
    // relative parts has one), or `None` to parse cell by cell.
    let mut trees: HashMap<
        (*const FormulaShape, usize),
        Option<(ShapeTree, u32)>,
        ahash::RandomState,
    > = HashMap::default();
    for (si, sheet) in wb.sheets.iter().enumerate() {
        for (addr, cell) in sheet.cells() {
            let Some(formula) = &cell.formula else {
                continue;
            };
            let shape = formula.shape();
            // Per sheet: unqualified references and sheet-scoped names
            // read differently on another sheet.
            let tree = trees.entry((Arc::as_ptr(shape), si)).or_insert_with(|| {
                shape_tree(shape).map(|t| {
                    let id = if t.1.is_some() {
                        graph.new_shape()
                    } else {
                        NO_SHAPE
                    };
                    (t, id)
                })
            });
            let placed = match tree {
                Some(((expr, Some(anchor)), id)) => Ok((
                    expr.clone(),
                    (
                        i64::from(addr.row) - i64::from(anchor.row),
                        i64::from(addr.col) - i64::from(anchor.col),
                    ),
                    *id,
                )),
                Some(((expr, None), id)) => Ok((expr.clone(), (0, 0), *id)),
                None => parse(&formula.text_at(addr)).map(|e| (Arc::new(e), (0, 0), NO_SHAPE)),
            };
            match placed {
                Ok((expr, offset, shape)) => {
                    let placed = Placed {
                        sheet: si,
                        addr,
                        offset,
                        shape,
                    };
                    each(graph, placed, expr);
                }
                Err(err) => parse_errors.push((cell_name(wb, si, addr), err.to_string())),
            }
        }
    }
}

/// Adds the formula `placed` whose tree is `expr` (moved by the offset),
/// with its edges.
fn insert_into(
    wb: &Workbook,
    store: &mut Store,
    graph: &mut Graph,
    placed: Placed,
    expr: Arc<Expr>,
    dynamic: bool,
) -> usize {
    let record = record_of(wb, graph, placed, expr, dynamic, store.next_id());
    store_record(store, wb, record)
}

/// The record of the formula `placed` whose tree is `expr` (moved by the
/// offset), which becomes the store's formula `id`; its edges are added to
/// `graph` under that id.
fn record_of(
    wb: &Workbook,
    graph: &mut Graph,
    placed: Placed,
    expr: Arc<Expr>,
    dynamic: bool,
    id: usize,
) -> Record {
    let Placed {
        sheet,
        addr,
        offset,
        shape,
    } = placed;
    let saved = wb.sheets[sheet].array_formulas.get(&addr).copied();
    // Legacy array formulas compute over whole ranges too; only how their
    // result fills the cells differs (see `Store::take_saved_range`).
    let dynamic = dynamic || saved.is_some();
    let (precs, volatile) = precedents(wb, graph, placed, &expr);
    graph.add(id, shape, precs);
    let cell = FormulaCell {
        sheet,
        addr,
        expr,
        // Both within the grid: the offsets fit.
        offset: (offset.0 as i32, offset.1 as i32),
        shape,
        state: State::Dirty,
        volatile,
        dynamic,
    };
    (cell, saved)
}

/// Puts `record` in the store; returns its id (the one [`Store::next_id`]
/// gave before).
fn store_record(store: &mut Store, wb: &Workbook, (cell, saved): Record) -> usize {
    let id = store.insert(cell);
    if let Some(saved) = saved {
        store.take_saved_range(id, wb, saved.range, !saved.is_dynamic());
    }
    id
}

/// The cells and ranges the formula `placed` (its tree `expr` moved by
/// its offset) reads, and whether it is volatile. A formula of a shared
/// shape reads the cells of its relative single-cell references through
/// its shape's offset rules, added here, not through edges of its own.
fn precedents(wb: &Workbook, graph: &mut Graph, placed: Placed, expr: &Expr) -> (Vec<Prec>, bool) {
    let sheet = placed.sheet;
    let mut areas: Vec<(usize, RangeAddr)> = Vec::new();
    let mut volatile = false;
    // Formulas name few cells and names: vectors beat hash sets here.
    let mut seen_names: Vec<String> = Vec::new();
    let mut relative: Vec<(usize, CellAddr)> = Vec::new();
    let mut fixed: Vec<(usize, RangeAddr)> = Vec::new();
    let shaped = placed.shape != NO_SHAPE;
    let alike = match graph.shape_alike.get(placed.shape as usize) {
        Some(Some(alike)) if shaped => Some(alike.volatile),
        _ => None,
    };
    let mut walk = AreaWalk {
        wb,
        sheet,
        out: &mut areas,
        volatile: &mut volatile,
        names: &mut seen_names,
        relative: shaped.then_some(&mut relative),
        fixed: shaped.then_some(&mut fixed),
        alike_known: alike.is_some(),
    };
    walk.collect(expr, placed.offset, 0);
    if let Some(alike) = alike {
        volatile = alike;
    }
    for (to, read) in relative {
        let rows = i64::from(read.row) - i64::from(placed.addr.row);
        let cols = i64::from(read.col) - i64::from(placed.addr.col);
        graph.add_rule(placed.shape, sheet, placed.addr, to, rows, cols);
    }
    // The same for every formula of the shape: kept from its first.
    if shaped && alike.is_none() {
        let precs = area_precs(graph, fixed).into_boxed_slice();
        graph.shape_alike[placed.shape as usize] = Some(ShapeAlike { precs, volatile });
    }
    (area_precs(graph, areas), volatile)
}

/// The areas (sheet, range) a formula on `sheet` whose tree is `expr`
/// moved by `offset` reads, defined names and tables followed as the
/// dependency graph follows them, and whether it is volatile: the one
/// reading of "what a formula depends on" for tools that look at formulas
/// without computing them (the audit).
pub(crate) fn areas_read(
    wb: &Workbook,
    sheet: usize,
    expr: &Expr,
    offset: (i64, i64),
) -> (Vec<(usize, RangeAddr)>, bool) {
    let mut areas = Vec::new();
    let mut volatile = false;
    let mut names = Vec::new();
    AreaWalk {
        wb,
        sheet,
        out: &mut areas,
        volatile: &mut volatile,
        names: &mut names,
        relative: None,
        fixed: None,
        alike_known: false,
    }
    .collect(expr, offset, 0);
    (areas, volatile)
}

/// The precedents reading `areas`, each once.
fn area_precs(graph: &mut Graph, areas: Vec<(usize, RangeAddr)>) -> Vec<Prec> {
    let mut precs = Vec::with_capacity(areas.len());
    for (s, r) in areas {
        let p = if r.start == r.end {
            Prec::Cell(s, r.start)
        } else {
            Prec::Range(graph.range_node(s, r))
        };
        if !precs.contains(&p) {
            precs.push(p);
        }
    }
    precs
}

/// Collects the areas a formula of `sheet` reads.
struct AreaWalk<'a> {
    wb: &'a Workbook,
    sheet: usize,
    out: &'a mut Vec<(usize, RangeAddr)>,
    volatile: &'a mut bool,
    /// Names followed so far (each once).
    names: &'a mut Vec<String>,
    /// For a formula of a shared shape: the areas every formula of the
    /// shape reads alike (absolute references, names, tables), kept apart
    /// from `out`.
    fixed: Option<&'a mut Vec<(usize, RangeAddr)>>,
    /// For a formula of a shared shape: where its relative single-cell
    /// references go (sheet, cell), kept apart from `out`.
    relative: Option<&'a mut Vec<(usize, CellAddr)>>,
    /// For a formula of a shared shape whose first formula was walked
    /// already: what every formula of the shape has alike (the `fixed`
    /// areas, names, tables, volatility) is known and not looked for.
    alike_known: bool,
}

impl AreaWalk<'_> {
    /// Collects the areas a defined name's formula reads (names followed
    /// once each, 16 deep at most).
    fn follow_name(&mut self, qual: Option<&str>, name: &str, depth: usize) {
        let wb = self.wb;
        let scope = qual
            .map(str::to_string)
            .or_else(|| wb.sheets.get(self.sheet).map(|s| s.name.clone()));
        if depth < 16 && !self.names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            self.names.push(name.to_string());
            if let Some(def) = wb.defined_name(name, scope.as_deref()) {
                if let Ok(e) = parse(&def.refers_to) {
                    self.collect(&e, (0, 0), depth + 1);
                }
            }
        }
    }

    /// Collects what `expr` moved by `offset` reads.
    fn collect(&mut self, expr: &Expr, offset: (i64, i64), depth: usize) {
        let wb = self.wb;
        let sheet = self.sheet;
        let mut follow: Vec<(Option<String>, String)> = Vec::new();
        walk(expr, &mut |node| match node {
            Expr::Ref(r) => {
                let range = if offset == (0, 0) {
                    reference_range(r)
                } else {
                    // A corner moved off the sheet is `#REF!`: no area.
                    let Some((start, end)) = shift_corners(r, offset.0, offset.1) else {
                        return;
                    };
                    reference_range(&Reference {
                        sheet: None,
                        start,
                        end,
                        shape: r.shape,
                    })
                };
                let one_sheet = match &r.sheet {
                    None => Some(sheet),
                    Some(spec) if spec.last.is_none() => wb.sheet_index(&spec.first),
                    Some(_) => None,
                };
                let relative_cell = depth == 0
                    && r.shape == RefShape::Cells
                    && r.end.is_none()
                    && !r.start.row_abs
                    && !r.start.col_abs;
                if let (true, Some(to), Some(rel)) = (relative_cell, one_sheet, &mut self.relative)
                {
                    rel.push((to, range.start));
                    return;
                }
                let absolute = |c: &CellRef| match r.shape {
                    RefShape::Cells => c.row_abs && c.col_abs,
                    RefShape::Columns => c.col_abs,
                    RefShape::Rows => c.row_abs,
                };
                let fixed =
                    depth > 0 || (absolute(&r.start) && r.end.as_ref().is_none_or(absolute));
                if fixed && self.alike_known && self.fixed.is_some() {
                    return;
                }
                let out = match &mut self.fixed {
                    Some(shared) if fixed => &mut **shared,
                    _ => &mut *self.out,
                };
                match &r.sheet {
                    None => out.push((sheet, range)),
                    Some(spec) => {
                        let Some(first) = wb.sheet_index(&spec.first) else {
                            return;
                        };
                        let last = spec
                            .last
                            .as_deref()
                            .and_then(|l| wb.sheet_index(l))
                            .unwrap_or(first);
                        for s in first.min(last)..=first.max(last) {
                            out.push((s, range));
                        }
                    }
                }
            }
            Expr::Table(_) | Expr::Name { .. } | Expr::Call { .. } if self.alike_known => {}
            Expr::Table(t) => {
                let table = match &t.table {
                    Some(n) => wb.table(n),
                    None => wb.tables.iter().find(|t| {
                        wb.sheets
                            .get(sheet)
                            .is_some_and(|s| s.name.eq_ignore_ascii_case(&t.sheet))
                    }),
                };
                if let Some(table) = table {
                    if let Some(s) = wb.sheet_index(&table.sheet) {
                        // A table reads the same for every formula.
                        match &mut self.fixed {
                            Some(shared) => shared.push((s, table.range)),
                            None => self.out.push((s, table.range)),
                        }
                    }
                }
            }
            Expr::Name { sheet: qual, name } => follow.push((qual.clone(), name.clone())),
            // A call of a defined name holding a LAMBDA (`=VATOF(A2)`)
            // reads what the name's formula reads.
            Expr::Call { name, .. } if functions::lookup(name).is_none() => {
                follow.push((None, name.clone()))
            }
            Expr::Call { name, .. }
                if matches!(name.as_str(), "INDIRECT" | "OFFSET")
                    || functions::lookup(name).is_some_and(|f| f.volatile) =>
            {
                *self.volatile = true;
            }
            _ => {}
        });
        for (qual, name) in follow {
            self.follow_name(qual.as_deref(), &name, depth);
        }
    }
}

/// How much a value changed between two passes of an iteration: the
/// difference of numbers, nothing for equal values, and without bound
/// for any other change.
fn value_change(old: &Value, new: &Value) -> f64 {
    match (old.as_number(), new.as_number()) {
        (Some(a), Some(b)) => (a.to_f64() - b.to_f64()).abs(),
        _ if old == new => 0.0,
        _ => f64::INFINITY,
    }
}

#[cfg(test)]
mod tests;
