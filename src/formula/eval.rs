//! The evaluator: turns an [`Expr`] into a [`CalcValue`] against a
//! workbook, computing formula cells it reads on demand.
//!
//! [`CallContext`] is both the evaluator and the handle function
//! implementations receive; the argument helpers they use live in
//! [`super::functions`].

use super::ast::*;
use super::calc::*;
use super::functions::{self, FunctionSpec};
use super::lambda::{eta_function, same_param, Callable, Local};
use super::operators::{binary_values, broadcast, map_operand};
use super::parser;
use super::store::{RunState, State, Store, MAX_LEGACY_ARRAY_CELLS};
use crate::model::{
    ArrayFormula, CellAddr, DateKind, ErrorKind, Number, RangeAddr, Value, Workbook,
};
use std::rc::Rc;

/// Deepest chain of on-demand computations before giving up with an
/// error (`#CALC!` and a warning) instead of overflowing the stack.
pub const MAX_CHAIN: usize = 400;

/// Access to the workbook or the formula store: exclusive for the one
/// evaluator that computes on demand and writes results, shared for the
/// evaluators that compute independent cells side by side (their results
/// are written afterwards, by the thread that owns the workbook).
pub(crate) enum Access<'a, T> {
    /// The only evaluator: may write.
    Exclusive(&'a mut T),
    /// One of several evaluators: reads only.
    Shared(&'a T),
}

impl<T> std::ops::Deref for Access<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Access::Exclusive(t) => t,
            Access::Shared(t) => t,
        }
    }
}

impl<T> Access<'_, T> {
    /// Write access, when this evaluator has it.
    pub(crate) fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Access::Exclusive(t) => Some(t),
            Access::Shared(_) => None,
        }
    }
}

/// What an evaluator with shared access made of a formula cell.
pub(crate) enum SharedOutcome {
    /// The value to write into the cell.
    Value(Value),
    /// The cell keeps the value the file saved (it calls a function
    /// absent here).
    KeepSaved,
    /// The cell must be computed by the one exclusive evaluator: it read
    /// a cell not computed yet, its result spills, or time ran out.
    NeedsExclusive,
}

/// The evaluation context: the workbook, the formula store, the cell
/// being computed and the clock. Function implementations receive it to
/// evaluate their (lazy) arguments.
pub struct CallContext<'a> {
    pub(crate) wb: Access<'a, Workbook>,
    pub(crate) store: Access<'a, Store>,
    pub(crate) run: &'a mut RunState,
    pub(crate) sheet: usize,
    pub(crate) cell: Option<CellAddr>,
    pub(crate) now: chrono::NaiveDateTime,
    pub(crate) bound: Vec<CalcValue>,
    pub(crate) locals: Vec<Local>,
    pub(crate) chain: usize,
    pub(crate) depth: usize,
    /// LAMBDA calls in progress (see [`super::lambda::MAX_LAMBDA_DEPTH`]).
    pub(crate) lambda_depth: usize,
    /// Set while evaluating an argument that takes arrays (SUMPRODUCT's,
    /// SUM's): scalar functions then map over multi-cell references
    /// instead of intersecting them, as Excel does in array formulas.
    pub(crate) array_mode: bool,
    /// Whether the formula being computed is a dynamic-array formula
    /// (operators then work on whole ranges; otherwise a range operand
    /// is intersected with the formula's row or column).
    pub(crate) dynamic: bool,
    /// Gives conversions deep in the functions the year of `now`.
    _clock_year: ClockYear,
    /// Gives conversions deep in the functions the workbook's date
    /// system, so a 1904 workbook computes with 1904 serials.
    _date_system: CalcDateSystem,
}

impl<'a> CallContext<'a> {
    /// The exclusive evaluator: computes on demand and writes results.
    pub(crate) fn new(
        wb: &'a mut Workbook,
        store: &'a mut Store,
        run: &'a mut RunState,
        sheet: usize,
        cell: Option<CellAddr>,
        now: chrono::NaiveDateTime,
    ) -> CallContext<'a> {
        CallContext::with_access(
            Access::Exclusive(wb),
            Access::Exclusive(store),
            run,
            sheet,
            cell,
            now,
        )
    }

    /// One of several evaluators reading the same workbook and store, on
    /// its own thread (see [`CallContext::compute_shared`]).
    pub(crate) fn shared(
        wb: &'a Workbook,
        store: &'a Store,
        run: &'a mut RunState,
        now: chrono::NaiveDateTime,
    ) -> CallContext<'a> {
        CallContext::with_access(Access::Shared(wb), Access::Shared(store), run, 0, None, now)
    }

    fn with_access(
        wb: Access<'a, Workbook>,
        store: Access<'a, Store>,
        run: &'a mut RunState,
        sheet: usize,
        cell: Option<CellAddr>,
        now: chrono::NaiveDateTime,
    ) -> CallContext<'a> {
        // The date system and the clock's year are per thread.
        let date_system = CalcDateSystem::set(wb.date_system);
        CallContext {
            wb,
            store,
            run,
            sheet,
            cell,
            now,
            bound: Vec::new(),
            locals: Vec::new(),
            chain: 0,
            depth: 0,
            lambda_depth: 0,
            array_mode: false,
            dynamic: true,
            _clock_year: ClockYear::set(chrono::Datelike::year(&now)),
            _date_system: date_system,
        }
    }

    /// The workbook being calculated.
    pub fn workbook(&self) -> &Workbook {
        &self.wb
    }

    /// Index of the sheet the formula is on.
    pub fn current_sheet(&self) -> usize {
        self.sheet
    }

    /// The cell whose formula is being computed (`None` for a formula
    /// evaluated outside any cell, such as `sheetscript eval "=..."`).
    pub fn current_cell(&self) -> Option<CellAddr> {
        self.cell
    }

    /// The clock for TODAY/NOW (fixed by the engine options in tests).
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.now
    }

    /// Whether the run's deadline has passed; then every further function
    /// call and cell gives up at once (the engine reports the timeout
    /// instead of their values). Long loops inside a function call this
    /// between steps. The clock is read only every so many calls, as
    /// reading it costs more than a cheap function.
    pub fn out_of_time(&mut self) -> bool {
        let here = self.cell.map(|c| (self.sheet, c));
        self.run.out_of_time(here)
    }

    /// Records the cycle closed by reading `(sheet, addr)` while it is
    /// being computed: the cells computing from it to the innermost.
    fn note_cycle(&mut self, sheet: usize, addr: CellAddr) {
        let from = self
            .run
            .computing
            .iter()
            .rposition(|c| *c == (sheet, addr))
            .unwrap_or(0);
        let cycle: Vec<(usize, CellAddr)> = self.run.computing[from..].to_vec();
        self.run.cycle_cells.extend(cycle.iter().copied());
        let mut key = cycle.clone();
        key.sort();
        if !self.run.cycles.iter().any(|c| {
            let mut k = c.clone();
            k.sort();
            k == key
        }) {
            self.run.cycles.push(cycle);
        }
    }

    /// Computes the formula cell `id` if it is dirty; reports cycles. A
    /// panic while evaluating it stays in the cell: `#VALUE!`, and a
    /// failure for the report. An evaluator with shared access cannot
    /// compute on demand: it notes that it needed to
    /// ([`RunState::needed_exclusive`]) and its result is thrown away.
    pub(crate) fn compute(&mut self, id: usize) {
        let Some(fc) = self.store.cells[id].as_ref() else {
            return;
        };
        match fc.state {
            State::Clean => return,
            State::InProgress => {
                let (s, a) = (fc.sheet, fc.addr);
                self.note_cycle(s, a);
                return;
            }
            State::Dirty => {}
        }
        let (sheet, addr, expr, dynamic) = (fc.sheet, fc.addr, fc.tree(), fc.dynamic);
        if self.store.get_mut().is_none() {
            self.run.needed_exclusive = true;
            return;
        }
        if self.out_of_time() {
            // Left dirty: the run is abandoned and reports the timeout.
            return;
        }
        if self.chain >= MAX_CHAIN {
            // Not computed: the reader would see a stale value, so every
            // cell on the way down is marked below.
            self.run.deep_hits += 1;
            return;
        }
        if let Some(store) = self.store.get_mut() {
            store.set_state(id, State::InProgress);
        }
        // A result that is a reference is read in store_result: the cell
        // is still being computed then, so a reference to itself (through
        // INDIRECT or OFFSET) is a cycle that names it.
        self.evaluate_cell(sheet, addr, &expr, dynamic, |ctx, result| {
            ctx.store_result(id, sheet, addr, result);
        });
        // A cycle met while computing leaves this cell marked, unless the
        // workbook computes its cycles by iteration.
        if !self.run.iterating && self.run.cycle_cells.contains(&(sheet, addr)) {
            self.write_cell(sheet, addr, Value::Error(ErrorKind::Circular));
        }
        if let Some(store) = self.store.get_mut() {
            store.set_state(id, State::Clean);
        }
        self.run.computed += 1;
    }

    /// Computes formula cell `id` with shared access, for the engine's
    /// side-by-side evaluation of cells whose precedents are all computed.
    pub(crate) fn compute_shared(&mut self, id: usize) -> SharedOutcome {
        let Some(fc) = self.store.cells[id].as_ref() else {
            return SharedOutcome::NeedsExclusive;
        };
        if fc.dynamic {
            return SharedOutcome::NeedsExclusive;
        }
        let (sheet, addr, expr) = (fc.sheet, fc.addr, fc.tree());
        if self.out_of_time() {
            return SharedOutcome::NeedsExclusive;
        }
        self.run.needed_exclusive = false;
        let failures = self.run.failures.len();
        let mut value = None;
        let stored = self.evaluate_cell(sheet, addr, &expr, false, |ctx, result| {
            value = ctx.scalar_result(result);
        });
        let outcome = match (stored, value) {
            _ if self.run.needed_exclusive => SharedOutcome::NeedsExclusive,
            (None, _) => SharedOutcome::KeepSaved,
            (Some(()), Some(v)) => SharedOutcome::Value(v),
            (Some(()), None) => SharedOutcome::NeedsExclusive,
        };
        if matches!(outcome, SharedOutcome::NeedsExclusive) {
            // The exclusive evaluator computes it again and reports it.
            self.run.failures.truncate(failures);
        } else {
            self.run.computed += 1;
        }
        outcome
    }

    /// Evaluates a formula cell's expression as the cell (its sheet, its
    /// address, its locals) and hands the result to `store`, unless the
    /// formula calls a function absent here and the file saved a value to
    /// keep: then `None`.
    fn evaluate_cell(
        &mut self,
        sheet: usize,
        addr: CellAddr,
        expr: &Expr,
        dynamic: bool,
        store: impl FnOnce(&mut Self, CalcValue),
    ) -> Option<()> {
        let saved = (
            self.sheet,
            self.cell,
            std::mem::take(&mut self.locals),
            std::mem::take(&mut self.bound),
            std::mem::replace(&mut self.array_mode, false),
            self.dynamic,
        );
        self.sheet = sheet;
        self.cell = Some(addr);
        self.dynamic = dynamic;
        self.chain += 1;
        self.run.computing.push((sheet, addr));
        let hits = self.run.deep_hits;
        let outer_unknown = std::mem::take(&mut self.run.unknown_here);
        let outer_arrays = std::mem::take(&mut self.run.ranges_as_arrays);
        let outer_draws = std::mem::take(&mut self.run.random_draws);
        let mut result = match contained(|| self.eval(expr)) {
            Ok(result) => result,
            Err(detail) => {
                self.run.failures.push((
                    sheet,
                    addr,
                    format!(
                        "evaluation failed inside sheetscript ({detail}); the cell shows #VALUE!, \
                         please report this"
                    ),
                ));
                CalcValue::Value(Value::Error(ErrorKind::Value))
            }
        };
        if self.run.deep_hits > hits {
            // A precedent deeper than MAX_CHAIN was not computed (a cycle
            // longer than that, or a very long chain found on demand):
            // an error, never a number taken from a stale cell.
            result = CalcValue::Value(Value::Error(ErrorKind::Calc));
            if self.run.computing.len() == 1 {
                self.run.too_deep.push((sheet, addr));
            }
        }
        let unknown_here = std::mem::replace(&mut self.run.unknown_here, outer_unknown);
        let stored = if !unknown_here.is_empty()
            && keeps_saved_value(self.wb.sheets[sheet].value(addr), &result)
        {
            // A function absent here (a VBA or add-in function): Excel's
            // saved result stays, never #NAME? over a good value.
            self.run.kept_cached.extend(unknown_here);
            None
        } else {
            self.run.unknown.extend(unknown_here);
            store(self, result);
            Some(())
        };
        self.run.random_draws = outer_draws;
        self.run.ranges_as_arrays = outer_arrays;
        self.chain -= 1;
        self.run.computing.pop();
        self.sheet = saved.0;
        self.cell = saved.1;
        self.locals = saved.2;
        self.bound = saved.3;
        self.array_mode = saved.4;
        self.dynamic = saved.5;
        stored
    }

    /// The value a formula that does not spill shows for `result`, as
    /// [`Self::store_result`] stores it; `None` when it cannot tell with
    /// shared access.
    fn scalar_result(&mut self, result: CalcValue) -> Option<Value> {
        let addr = self.cell?;
        let value = match result {
            CalcValue::Value(v) => v,
            CalcValue::Ref(area) if area.is_cell() => self.cell_value(area.sheet, area.range.start),
            CalcValue::Ref(area) => self.intersect_area(area, Some(addr)),
            CalcValue::Refs(ref v) if v.len() == 1 => self.intersect_area(v[0], Some(addr)),
            CalcValue::Refs(_) => Value::Error(ErrorKind::Value),
            CalcValue::Lambda(_) => Value::Error(ErrorKind::Calc),
            CalcValue::Array(arr) => arr.values.into_iter().next().unwrap_or_default(),
        };
        Some(self.shown_value(self.sheet, addr, value))
    }

    fn store_result(&mut self, id: usize, sheet: usize, addr: CellAddr, result: CalcValue) {
        // Clear the previous spill first: a smaller result must not leave
        // stale values behind.
        let before = self.store.spills.get(&id).copied();
        if let (Some(store), Some(wb)) = (self.store.get_mut(), self.wb.get_mut()) {
            store.release_spill(id, wb);
        }
        if self.store.oversized.contains(&id) {
            return self.note_oversized(sheet, addr);
        }
        if let Some(range) = self.store.fitted.get(&id).copied() {
            let value = self.fit_to_range(id, sheet, addr, range, result);
            return self.put(sheet, addr, value);
        }
        let value = match result {
            CalcValue::Value(v) => v,
            // A multi-cell reference spills from a dynamic-array formula
            // and is intersected with the formula's cell otherwise.
            CalcValue::Ref(area) if area.is_cell() => self.cell_value(area.sheet, area.range.start),
            CalcValue::Ref(_) | CalcValue::Refs(_)
                if !self.store.cells[id].as_ref().is_some_and(|c| c.dynamic) =>
            {
                let area = match result {
                    CalcValue::Ref(a) => a,
                    CalcValue::Refs(ref v) if v.len() == 1 => v[0],
                    _ => return self.put(sheet, addr, Value::Error(ErrorKind::Value)),
                };
                self.intersect_area(area, Some(addr))
            }
            CalcValue::Ref(area) => self.spill_area(id, sheet, addr, area),
            CalcValue::Refs(ref areas) if areas.len() == 1 => {
                self.spill_area(id, sheet, addr, areas[0])
            }
            CalcValue::Refs(_) => Value::Error(ErrorKind::Value),
            // A LAMBDA left uncalled.
            CalcValue::Lambda(_) => Value::Error(ErrorKind::Calc),
            CalcValue::Array(arr) => {
                let dynamic = self.store.cells[id].as_ref().is_some_and(|c| c.dynamic);
                if arr.rows * arr.cols == 1 || !dynamic {
                    arr.values.into_iter().next().unwrap_or_default()
                } else {
                    self.spill(id, sheet, addr, arr)
                }
            }
        };
        match self.store.spills.get(&id).copied() {
            Some(area)
                if !before.is_some_and(|b| b.contains(area.start) && b.contains(area.end)) =>
            {
                self.run.grown.push((sheet, area));
            }
            Some(_) => {}
            None => {
                // A dynamic array now one value wide covers its anchor
                // alone: `B2#` and the writers follow the new extent. One
                // set here that computed a range whole (=SUM(A1:A3*B1:B3))
                // is written as a dynamic array too, or Excel (and this
                // reader) would intersect the range instead.
                let arrays = self.run.ranges_as_arrays;
                if let Some(wb) = self.wb.get_mut() {
                    let model = &mut wb.sheets[sheet];
                    let dynamic = match model.array_formulas.get(&addr) {
                        Some(saved) => saved.is_dynamic(),
                        None => arrays,
                    };
                    if dynamic {
                        model.set_array_formula(addr, ArrayFormula::dynamic(RangeAddr::cell(addr)));
                    }
                }
            }
        }
        self.put(sheet, addr, value)
    }

    /// Fits the result of a legacy (Ctrl+Shift+Enter) array formula to
    /// the range it was entered over, as Excel does: one value fills every
    /// cell, a single row or column is repeated along the other axis,
    /// cells past a smaller array's size show `#N/A` and a larger array is
    /// cut to the range. The range never moves and never `#SPILL!`s.
    /// Writes the cells other than the anchor and returns the anchor's
    /// value.
    fn fit_to_range(
        &mut self,
        id: usize,
        sheet: usize,
        addr: CellAddr,
        range: RangeAddr,
        result: CalcValue,
    ) -> Value {
        let arr = match result {
            CalcValue::Value(v) => Array::scalar(v),
            CalcValue::Ref(area) => self.fitted_area(area, range),
            CalcValue::Refs(ref areas) if areas.len() == 1 => self.fitted_area(areas[0], range),
            CalcValue::Refs(_) => Array::scalar(Value::Error(ErrorKind::Value)),
            CalcValue::Lambda(_) => Array::scalar(Value::Error(ErrorKind::Calc)),
            CalcValue::Array(arr) => arr,
        };
        let fitted = |r: u32, c: u32| -> Value {
            let row = if arr.rows == 1 { 0 } else { r as usize };
            let col = if arr.cols == 1 { 0 } else { c as usize };
            if row < arr.rows && col < arr.cols {
                arr.get(row, col).clone()
            } else {
                Value::Error(ErrorKind::NA)
            }
        };
        if range == RangeAddr::cell(addr) {
            return fitted(0, 0);
        }
        if self.store.get_mut().is_none() || self.wb.get_mut().is_none() {
            // Only the exclusive evaluator writes the range.
            self.run.needed_exclusive = true;
            return Value::Error(ErrorKind::Calc);
        }
        let here = Some((sheet, addr));
        'rows: for r in 0..range.rows() {
            for c in 0..range.cols() {
                let a = CellAddr::new(range.start.row + r, range.start.col + c);
                if a == addr {
                    continue;
                }
                if self.run.out_of_time(here) {
                    // The cells written so far stay the formula's, so the
                    // next run takes them back.
                    break 'rows;
                }
                let owner = self.store.spilled.get(&(sheet, a)).copied();
                if owner.is_some_and(|o| o != id)
                    || self.wb.sheets[sheet].cell_or_empty(a).formula.is_some()
                {
                    // Excel lets no array overlap another or a formula.
                    continue;
                }
                let value = self.shown_value(sheet, a, fitted(r, c));
                if let (Some(store), Some(wb)) = (self.store.get_mut(), self.wb.get_mut()) {
                    store.spilled.insert((sheet, a), id);
                    wb.sheets[sheet].set_cached_value(a, value);
                }
            }
        }
        if let Some(store) = self.store.get_mut() {
            store.spills.insert(id, range);
        }
        if self.run.timed_out.is_some() {
            return Value::Error(ErrorKind::Calc);
        }
        fitted(0, 0)
    }

    /// The values of `area` that a legacy array formula over `range` can
    /// show: its top-left part no larger than the range.
    fn fitted_area(&mut self, area: Area, range: RangeAddr) -> Array {
        let start = area.range.start;
        let rows = area.range.rows().min(range.rows());
        let cols = area.range.cols().min(range.cols());
        let end = CellAddr::new(start.row + rows - 1, start.col + cols - 1);
        self.area_array(Area {
            sheet: area.sheet,
            range: RangeAddr::new(start, end),
        })
    }

    /// A legacy array formula over a range larger than the engine holds
    /// shows `#NUM!`, with a failure naming the limit.
    fn note_oversized(&mut self, sheet: usize, addr: CellAddr) {
        let range = self
            .wb
            .sheets
            .get(sheet)
            .and_then(|s| s.array_formulas.get(&addr))
            .map(|f| f.range)
            .unwrap_or(RangeAddr::cell(addr));
        self.run.failures.push((
            sheet,
            addr,
            format!(
                "the legacy array formula entered over {range} covers {} cells, past the \
                 {MAX_LEGACY_ARRAY_CELLS} the legacy array formulas of a workbook may cover \
                 together; the cell shows #NUM!",
                u64::from(range.rows()) * u64::from(range.cols())
            ),
        ));
        self.put(sheet, addr, Value::Error(ErrorKind::Num));
    }

    /// Stores a formula's value: empty shows as 0, numbers in date
    /// formats become dates.
    fn put(&mut self, sheet: usize, addr: CellAddr, value: Value) {
        let value = self.shown_value(sheet, addr, value);
        self.write_cell(sheet, addr, value);
    }

    /// What a formula cell shows for its value: empty shows as 0, numbers
    /// in date formats become dates.
    fn shown_value(&mut self, sheet: usize, addr: CellAddr, value: Value) -> Value {
        let value = match value {
            Value::Empty => Value::Number(Number::ZERO),
            v => v,
        };
        self.typed_for_style(sheet, addr, value)
    }

    /// Writes a cell's computed value (only the exclusive evaluator
    /// writes; see [`Access`]).
    fn write_cell(&mut self, sheet: usize, addr: CellAddr, value: Value) {
        if let Some(wb) = self.wb.get_mut() {
            wb.sheets[sheet].set_cached_value(addr, value);
        }
    }

    /// A number stored into a date-formatted cell becomes a date value:
    /// the number is a serial of the workbook's date system, the date
    /// value holds the model's 1900-system serial.
    fn typed_for_style(&mut self, sheet: usize, addr: CellAddr, value: Value) -> Value {
        let Value::Number(n) = &value else {
            return value;
        };
        let cell = self.wb.sheets[sheet].cell_or_empty(addr);
        let kind = if let Value::Date(d) = &cell.value {
            Some(d.kind)
        } else {
            let is_date = match self.run.date_styles.get(&cell.style) {
                Some(d) => *d,
                None => {
                    let d = self.wb.styles.get(cell.style).is_date_format();
                    self.run.date_styles.insert(cell.style, d);
                    d
                }
            };
            if is_date {
                let style = self.wb.styles.get(cell.style);
                Some(date_kind_for_format(&style.number_format, n.to_f64()))
            } else {
                None
            }
        };
        match kind {
            Some(kind) => Value::Date(self.wb.date_system.date_value(n.to_f64(), kind)),
            None => value,
        }
    }

    /// Spills the values of a multi-cell reference. One too large to hold
    /// (a whole sheet beside a stray cell at XFD1048576) is `#SPILL!`, as
    /// in Excel, where such a spill runs past the sheet's edge.
    fn spill_area(&mut self, id: usize, sheet: usize, addr: CellAddr, area: Area) -> Value {
        if let Some((rows, cols)) = self.array_shape(area) {
            if u64::from(rows) * u64::from(cols) > MAX_ARRAY_CELLS as u64 {
                self.note_too_large(area, rows, cols, "#SPILL!");
                return Value::Error(ErrorKind::Spill);
            }
        }
        let arr = self.area_array(area);
        self.spill(id, sheet, addr, arr)
    }

    fn spill(&mut self, id: usize, sheet: usize, addr: CellAddr, arr: Array) -> Value {
        let end_row = addr.row as usize + arr.rows - 1;
        let end_col = addr.col as usize + arr.cols - 1;
        if end_row >= crate::model::address::MAX_ROWS as usize
            || end_col >= crate::model::address::MAX_COLS as usize
        {
            return Value::Error(ErrorKind::Spill);
        }
        let area = RangeAddr::new(addr, CellAddr::new(end_row as u32, end_col as u32));
        let here = Some((sheet, addr));
        let (Some(store), Some(wb)) = (self.store.get_mut(), self.wb.get_mut()) else {
            // Only the exclusive evaluator spills.
            self.run.needed_exclusive = true;
            return Value::Error(ErrorKind::Spill);
        };
        // Blocked when any target other than the anchor holds something
        // that is not our own previous spill.
        for r in area.start.row..=area.end.row {
            for c in area.start.col..=area.end.col {
                let a = CellAddr::new(r, c);
                if a == addr {
                    continue;
                }
                let cell = wb.sheets[sheet].cell_or_empty(a);
                if cell.formula.is_some()
                    || !cell.value.is_empty()
                    || store.spilled.contains_key(&(sheet, a))
                {
                    store.blocked.insert(id, (sheet, area));
                    return Value::Error(ErrorKind::Spill);
                }
            }
        }
        // Up to MAX_ARRAY_CELLS cells are written: seconds of work that
        // must keep to the deadline. Stopped, the cells written so far
        // stay claimed (below), so the next run takes them back.
        let mut stopped = false;
        'rows: for r in 0..arr.rows {
            for c in 0..arr.cols {
                if r == 0 && c == 0 {
                    continue;
                }
                if self.run.out_of_time(here) {
                    stopped = true;
                    break 'rows;
                }
                let a = CellAddr::new(addr.row + r as u32, addr.col + c as u32);
                let v = match arr.get(r, c) {
                    Value::Empty => Value::Number(Number::ZERO),
                    v => v.clone(),
                };
                store.spilled.insert((sheet, a), id);
                wb.sheets[sheet].set_cached_value(a, v);
            }
        }
        store.blocked.remove(&id);
        if store.cells[id].is_some() {
            store.spills.insert(id, area);
        }
        // Writers mark the anchor as an array formula covering the spill.
        wb.sheets[sheet].set_array_formula(addr, ArrayFormula::dynamic(area));
        if stopped {
            return Value::Error(ErrorKind::Calc);
        }
        arr.get(0, 0).clone()
    }

    /// Makes sure every formula in the area is computed before it is read.
    pub fn ensure_area(&mut self, area: Area) {
        if self.store.any_dirty_in(area.sheet, area.range) {
            for id in self.store.dirty_ids_in(area.sheet, area.range) {
                self.compute(id);
            }
        }
        if !self.store.spills.is_empty() {
            // Spilled cells belong to their anchor: compute it first.
            // Anchors are few beside the cells they spill into.
            let anchors: Vec<usize> = self
                .store
                .spills
                .iter()
                .filter(|(id, spill)| {
                    spill.intersects(&area.range)
                        && self.store.cells[**id]
                            .as_ref()
                            .is_some_and(|c| c.sheet == area.sheet)
                })
                .map(|(id, _)| *id)
                .collect();
            for id in anchors {
                self.compute(id);
            }
        }
    }

    /// The current value of one cell (computing it first if needed).
    pub fn cell_value(&mut self, sheet: usize, addr: CellAddr) -> Value {
        if let Some(id) = self.store.id_at(sheet, addr) {
            if self.store.cells[id]
                .as_ref()
                .is_some_and(|c| c.state == State::InProgress)
            {
                self.note_cycle(sheet, addr);
                if !self.run.iterating {
                    return Value::Error(ErrorKind::Circular);
                }
            } else {
                self.compute(id);
            }
        } else if let Some(id) = self.store.spilled.get(&(sheet, addr)).copied() {
            self.compute(id);
        }
        match self.wb.sheets.get(sheet) {
            Some(s) => s.value(addr).clone(),
            None => Value::Error(ErrorKind::Ref),
        }
    }

    /// The area a dynamic-array formula at `addr` spilled into, anchor
    /// included (computing it first); `None` when there is no such
    /// formula there (`A1#` is then `#REF!`).
    pub fn spill_range(&mut self, sheet: usize, addr: CellAddr) -> Option<RangeAddr> {
        let id = self.store.id_at(sheet, addr)?;
        self.compute(id);
        let fc = self.store.cells[id].as_ref()?;
        if self.store.blocked.contains_key(&id) {
            return None;
        }
        // A formula spilled where `spills` says: its result of this run,
        // or, not computed again, the range the file saved for it, which
        // is also what Excel's `C2#` means for a legacy {=...} array
        // formula over C2:C5.
        let saved = || {
            self.wb
                .sheets
                .get(sheet)?
                .array_formulas
                .get(&addr)
                .map(|f| f.range)
        };
        match self.store.spills.get(&id).copied() {
            Some(area) => Some(area),
            None => saved().or(fc.dynamic.then(|| RangeAddr::cell(addr))),
        }
    }

    /// Implicit intersection: the one cell of `area` in the formula
    /// cell's row or column; `#VALUE!` when there is none.
    pub fn intersect_area(&mut self, area: Area, at: Option<CellAddr>) -> Value {
        let r = area.range;
        if area.is_cell() {
            return self.cell_value(area.sheet, r.start);
        }
        if let Some(at) = at {
            if r.cols() == 1 && (r.start.row..=r.end.row).contains(&at.row) {
                return self.cell_value(area.sheet, CellAddr::new(at.row, r.start.col));
            }
            if r.rows() == 1 && (r.start.col..=r.end.col).contains(&at.col) {
                return self.cell_value(area.sheet, CellAddr::new(r.start.row, at.col));
            }
        }
        Value::Error(ErrorKind::Value)
    }

    /// Visits the values of an area row by row; only stored cells are
    /// visited unless `with_empty` is set (then empty positions up to the
    /// sheet's last stored row are visited too).
    pub fn for_each_cell(
        &mut self,
        area: Area,
        with_empty: bool,
        mut f: impl FnMut(u32, u32, &Value) -> Result<(), ErrorKind>,
    ) -> Result<(), ErrorKind> {
        self.ensure_area(area);
        let Some(sheet) = self.wb.sheets.get(area.sheet) else {
            return Err(ErrorKind::Ref);
        };
        let r = area.range;
        let last_row = r.end.row.min(sheet.row_count().saturating_sub(1));
        if sheet.row_count() == 0 {
            return Ok(());
        }
        let empty = Value::Empty;
        for row in r.start.row..=last_row {
            let cells = sheet.row(row);
            let stored_end = (cells.len() as u32).min(r.end.col + 1);
            if with_empty {
                for col in r.start.col..=r.end.col {
                    let v = cells.get(col as usize).map(|c| &c.value).unwrap_or(&empty);
                    f(row - r.start.row, col - r.start.col, v)?;
                    if col >= stored_end && col > r.start.col + 16_384 {
                        break;
                    }
                }
            } else {
                for col in r.start.col..stored_end {
                    let v = &cells[col as usize].value;
                    if !v.is_empty() {
                        f(row - r.start.row, col - r.start.col, v)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The values of an area as an array (clipped to stored cells for
    /// whole rows/columns, so `A:A` does not make a million values).
    ///
    /// An area whose used part still holds more than [`MAX_ARRAY_CELLS`]
    /// positions (a whole sheet beside a stray cell at XFD1048576) is not
    /// materialised: it gives `#NUM!` and a warning naming the limit,
    /// where Excel runs out of resources.
    pub fn area_array(&mut self, area: Area) -> Array {
        // Formulas first: one spilling inside the area can extend the
        // stored rows the shape is clipped to.
        self.ensure_area(area);
        let Some((rows, cols)) = self.array_shape(area) else {
            return Array::scalar(Value::Error(ErrorKind::Ref));
        };
        if u64::from(rows) * u64::from(cols) > MAX_ARRAY_CELLS as u64 {
            self.note_too_large(area, rows, cols, "#NUM!");
            return Array::scalar(Value::Error(ErrorKind::Num));
        }
        let r = area.range;
        let Some(sheet) = self.wb.sheets.get(area.sheet) else {
            return Array::scalar(Value::Error(ErrorKind::Ref));
        };
        Array::from_fn(rows as usize, cols as usize, |i, j| {
            sheet
                .value(CellAddr::new(
                    r.start.row + i as u32,
                    r.start.col + j as u32,
                ))
                .clone()
        })
    }

    /// The shape [`CallContext::area_array`] gives an area (`None` for a
    /// sheet that is gone).
    fn array_shape(&self, area: Area) -> Option<(u32, u32)> {
        Some(area.value_shape(self.wb.sheets.get(area.sheet)?))
    }

    /// Names the formula cell whose area was too large to hold as values.
    fn note_too_large(&mut self, area: Area, rows: u32, cols: u32, shown: &str) {
        if let Some(cell) = self.cell {
            self.run.failures.push((
                self.sheet,
                cell,
                format!(
                    "{}!{} as values would hold {} cells, more than the limit of {MAX_ARRAY_CELLS}; the cell shows {shown}",
                    self.wb.sheets.get(area.sheet).map_or("", |s| s.name.as_str()),
                    area.range,
                    u64::from(rows) * u64::from(cols),
                ),
            ));
        }
    }

    /// Resolves a reference as written to areas of the workbook.
    fn resolve_ref(&self, r: &Reference) -> Result<CalcValue, ErrorKind> {
        let range = reference_range(r);
        match &r.sheet {
            None => Ok(CalcValue::Ref(Area {
                sheet: self.sheet,
                range,
            })),
            Some(spec) => {
                let first = self.wb.sheet_index(&spec.first).ok_or(ErrorKind::Ref)?;
                match &spec.last {
                    None => Ok(CalcValue::Ref(Area {
                        sheet: first,
                        range,
                    })),
                    Some(last) => {
                        let last = self.wb.sheet_index(last).ok_or(ErrorKind::Ref)?;
                        let (a, b) = (first.min(last), first.max(last));
                        Ok(CalcValue::Refs(
                            (a..=b).map(|sheet| Area { sheet, range }).collect(),
                        ))
                    }
                }
            }
        }
    }

    fn resolve_table(&self, t: &TableRef) -> Result<CalcValue, ErrorKind> {
        let table = match &t.table {
            Some(name) => self.wb.table(name).ok_or(ErrorKind::Ref)?,
            None => {
                let sheet_name = &self.wb.sheets[self.sheet].name;
                let cell = self.cell.ok_or(ErrorKind::Ref)?;
                self.wb
                    .tables
                    .iter()
                    .find(|t| t.sheet.eq_ignore_ascii_case(sheet_name) && t.range.contains(cell))
                    .ok_or(ErrorKind::Ref)?
            }
        };
        let sheet = self.wb.sheet_index(&table.sheet).ok_or(ErrorKind::Ref)?;
        let full = table.range;
        let data = table.data_range();
        let (mut r0, mut r1) = (data.start.row, data.end.row);
        let items = if t.items.is_empty() {
            vec![TableItem::Data]
        } else {
            t.items.clone()
        };
        let mut first = true;
        for item in &items {
            let (a, b) = match item {
                TableItem::All => (full.start.row, full.end.row),
                TableItem::Data => (data.start.row, data.end.row),
                TableItem::Headers => {
                    if !table.header_row {
                        return Err(ErrorKind::Ref);
                    }
                    (full.start.row, full.start.row)
                }
                TableItem::Totals => {
                    if !table.totals_row {
                        return Err(ErrorKind::Ref);
                    }
                    (full.end.row, full.end.row)
                }
                TableItem::ThisRow => {
                    let cell = self.cell.ok_or(ErrorKind::Value)?;
                    if cell.row < data.start.row || cell.row > data.end.row {
                        return Err(ErrorKind::Value);
                    }
                    (cell.row, cell.row)
                }
            };
            if first {
                (r0, r1) = (a, b);
                first = false;
            } else {
                r0 = r0.min(a);
                r1 = r1.max(b);
            }
        }
        let (c0, c1) = match &t.first_column {
            None => (full.start.col, full.end.col),
            Some(c) => {
                let i = table.column_index(c).ok_or(ErrorKind::Ref)? as u32;
                let j = match &t.last_column {
                    Some(l) => table.column_index(l).ok_or(ErrorKind::Ref)? as u32,
                    None => i,
                };
                (full.start.col + i.min(j), full.start.col + i.max(j))
            }
        };
        if r1 < r0 {
            return Err(ErrorKind::Ref);
        }
        Ok(CalcValue::Ref(Area {
            sheet,
            range: RangeAddr::new(CellAddr::new(r0, c0), CellAddr::new(r1, c1)),
        }))
    }

    fn eval_name(&mut self, sheet: Option<&str>, name: &str) -> CalcValue {
        if let Some(saved) = sheet.and_then(|s| self.external_name(s, name)) {
            return saved;
        }
        if sheet.is_none() {
            if let Some(local) = self.locals.iter().rev().find(|l| same_param(&l.name, name)) {
                return local.value.clone();
            }
        }
        let scope = match sheet {
            Some(s) => s.to_string(),
            None => self
                .wb
                .sheets
                .get(self.sheet)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        };
        let Some(def) = self.wb.defined_name(name, Some(&scope)) else {
            // A function named bare is a function value (`BYROW(A1:C3,SUM)`).
            return match eta_function(name) {
                Some(spec) if sheet.is_none() => {
                    CalcValue::Lambda(Rc::new(Callable::Builtin(spec)))
                }
                _ => CalcValue::error(ErrorKind::Name),
            };
        };
        let text = def.refers_to.clone();
        let parsed = match self.run.names.get(&text) {
            Some(p) => p.clone(),
            None => {
                let p = std::sync::Arc::new(parser::parse(&text));
                self.run.names.insert(text, p.clone());
                p
            }
        };
        match parsed.as_ref() {
            Ok(e) => {
                if self.depth > 64 {
                    return CalcValue::error(ErrorKind::Name);
                }
                self.depth += 1;
                let v = self.eval(e);
                self.depth -= 1;
                v
            }
            Err(_) => CalcValue::error(ErrorKind::Name),
        }
    }

    /// Evaluates an expression. Errors are values, never panics.
    pub fn eval(&mut self, e: &Expr) -> CalcValue {
        match e {
            Expr::Number(n) => CalcValue::Value(Value::Number(*n)),
            Expr::Text(s) => CalcValue::Value(Value::text(s.as_str())),
            Expr::Bool(b) => CalcValue::Value(Value::Bool(*b)),
            Expr::Error(k) => CalcValue::error(*k),
            Expr::Missing => CalcValue::Value(Value::Empty),
            Expr::Paren(inner) => self.eval(inner),
            Expr::Bound(i) => self
                .bound
                .get(*i)
                .cloned()
                .unwrap_or(CalcValue::Value(Value::Empty)),
            Expr::Ref(r) => match self.external_reference(r) {
                Some(saved) => saved,
                None => self.resolve_ref(r).unwrap_or_else(CalcValue::error),
            },
            Expr::Table(t) => self.resolve_table(t).unwrap_or_else(CalcValue::error),
            Expr::Name { sheet, name } => self.eval_name(sheet.as_deref(), name),
            Expr::Array(rows) => {
                let rows: Vec<Vec<Value>> = rows
                    .iter()
                    .map(|r| r.iter().map(|x| self.scalar_of(x)).collect())
                    .collect();
                match Array::from_rows(rows) {
                    Some(a) => CalcValue::Array(a),
                    None => CalcValue::error(ErrorKind::Value),
                }
            }
            Expr::Unary(UnaryOp::Plus, inner) => self.eval(inner),
            Expr::Unary(UnaryOp::ImplicitIntersection, inner) => {
                let v = self.eval(inner);
                CalcValue::Value(self.to_scalar(v))
            }
            Expr::Unary(UnaryOp::Neg, inner) => {
                let v = self.operand(inner);
                map_operand(v, |x| match to_number(x) {
                    Ok(n) => Value::Number(-n),
                    Err(e) => Value::Error(e),
                })
            }
            Expr::Percent(inner) => {
                let v = self.operand(inner);
                map_operand(v, |x| match to_number(x) {
                    Ok(n) => match n.checked_div(Number::from_i64(100)) {
                        Some(r) => Value::Number(r),
                        None => Value::Error(ErrorKind::Div0),
                    },
                    Err(e) => Value::Error(e),
                })
            }
            Expr::Binary(op, l, r) => self.eval_binary(*op, l, r),
            Expr::Call { name, args } => self.eval_call(name, args),
            Expr::Invoke { callee, args } => match self.eval(callee) {
                CalcValue::Lambda(f) => self.invoke_exprs(&f, args),
                CalcValue::Value(Value::Error(k)) => CalcValue::error(k),
                _ => CalcValue::error(ErrorKind::Value),
            },
        }
    }

    fn scalar_of(&mut self, e: &Expr) -> Value {
        let v = self.eval(e);
        self.to_scalar(v)
    }

    /// A calculated value reduced to one value: implicit intersection for
    /// references, the top-left element for arrays.
    pub fn to_scalar(&mut self, v: CalcValue) -> Value {
        match v {
            CalcValue::Value(v) => v,
            CalcValue::Array(a) => a.values.into_iter().next().unwrap_or_default(),
            CalcValue::Ref(area) => self.intersect_area(area, self.cell),
            CalcValue::Refs(areas) if areas.len() == 1 => self.intersect_area(areas[0], self.cell),
            CalcValue::Refs(_) => Value::Error(ErrorKind::Value),
            CalcValue::Lambda(_) => Value::Error(ErrorKind::Calc),
        }
    }

    /// An operator's operand: a value, or an array for multi-cell areas.
    fn operand(&mut self, e: &Expr) -> CalcValue {
        match self.eval(e) {
            CalcValue::Ref(area) if area.is_cell() => {
                CalcValue::Value(self.cell_value(area.sheet, area.range.start))
            }
            CalcValue::Ref(area) if !self.dynamic && !self.array_mode => {
                CalcValue::Value(self.intersect_area(area, self.cell))
            }
            CalcValue::Ref(area) => {
                self.run.ranges_as_arrays |= !self.array_mode;
                CalcValue::Array(self.area_array(area))
            }
            CalcValue::Refs(areas) if areas.len() == 1 => {
                self.run.ranges_as_arrays |= !self.array_mode && !areas[0].is_cell();
                CalcValue::Array(self.area_array(areas[0]))
            }
            CalcValue::Refs(_) => CalcValue::error(ErrorKind::Value),
            v => v,
        }
    }

    fn reference_of(&mut self, e: &Expr) -> Result<Vec<Area>, ErrorKind> {
        match self.eval(e) {
            CalcValue::Ref(a) => Ok(vec![a]),
            CalcValue::Refs(v) => Ok(v),
            CalcValue::Value(Value::Error(k)) => Err(k),
            _ => Err(ErrorKind::Value),
        }
    }

    fn eval_binary(&mut self, op: BinaryOp, l: &Expr, r: &Expr) -> CalcValue {
        match op {
            BinaryOp::Range => {
                let (a, b) = match (self.reference_of(l), self.reference_of(r)) {
                    (Ok(a), Ok(b)) => (a, b),
                    (Err(e), _) | (_, Err(e)) => return CalcValue::error(e),
                };
                let all: Vec<&Area> = a.iter().chain(b.iter()).collect();
                let sheet = all[0].sheet;
                if all.iter().any(|x| x.sheet != sheet) {
                    return CalcValue::error(ErrorKind::Value);
                }
                let r0 = all.iter().map(|x| x.range.start.row).min().unwrap_or(0);
                let c0 = all.iter().map(|x| x.range.start.col).min().unwrap_or(0);
                let r1 = all.iter().map(|x| x.range.end.row).max().unwrap_or(0);
                let c1 = all.iter().map(|x| x.range.end.col).max().unwrap_or(0);
                CalcValue::Ref(Area {
                    sheet,
                    range: RangeAddr::new(CellAddr::new(r0, c0), CellAddr::new(r1, c1)),
                })
            }
            BinaryOp::Union => match (self.reference_of(l), self.reference_of(r)) {
                (Ok(mut a), Ok(b)) => {
                    a.extend(b);
                    CalcValue::Refs(a)
                }
                (Err(e), _) | (_, Err(e)) => CalcValue::error(e),
            },
            BinaryOp::Intersect => {
                let (a, b) = match (self.reference_of(l), self.reference_of(r)) {
                    (Ok(a), Ok(b)) => (a, b),
                    (Err(e), _) | (_, Err(e)) => return CalcValue::error(e),
                };
                let mut out = Vec::new();
                for x in &a {
                    for y in &b {
                        if x.sheet == y.sheet && x.range.intersects(&y.range) {
                            out.push(Area {
                                sheet: x.sheet,
                                range: RangeAddr::new(
                                    CellAddr::new(
                                        x.range.start.row.max(y.range.start.row),
                                        x.range.start.col.max(y.range.start.col),
                                    ),
                                    CellAddr::new(
                                        x.range.end.row.min(y.range.end.row),
                                        x.range.end.col.min(y.range.end.col),
                                    ),
                                ),
                            });
                        }
                    }
                }
                match out.len() {
                    0 => CalcValue::error(ErrorKind::Null),
                    1 => CalcValue::Ref(out[0]),
                    _ => CalcValue::Refs(out),
                }
            }
            _ => {
                let a = self.operand(l);
                let b = self.operand(r);
                broadcast(a, b, |x, y| binary_values(op, x, y))
            }
        }
    }

    fn eval_call(&mut self, name: &str, args: &[Expr]) -> CalcValue {
        let Some(spec) = functions::lookup(name) else {
            return match self.named_lambda(name) {
                Some(f) => self.invoke_exprs(&f, args),
                None => {
                    self.note_absent(name);
                    CalcValue::error(ErrorKind::Name)
                }
            };
        };
        self.call_spec(spec, args)
    }

    /// The function value a call by a name that is no built-in function
    /// refers to: a LET name or LAMBDA parameter bound to one
    /// (`LET(f,LAMBDA(x,x*2),f(3))`), or a defined name whose formula is
    /// a LAMBDA (`=VATOF(A2)`, as in Excel's Name Manager).
    fn named_lambda(&mut self, name: &str) -> Option<Rc<Callable>> {
        let bound = self.locals.iter().rev().find(|l| same_param(&l.name, name));
        let value = match bound {
            Some(local) => local.value.clone(),
            None => {
                let scope = self.wb.sheets.get(self.sheet).map(|s| s.name.clone());
                self.wb.defined_name(name, scope.as_deref())?;
                // The name's formula sees no LET names of the caller.
                let saved = std::mem::take(&mut self.locals);
                let v = self.eval_name(None, name);
                self.locals = saved;
                v
            }
        };
        match value {
            CalcValue::Lambda(f) => Some(f),
            _ => None,
        }
    }

    /// Notes a function (or another workbook's name) that cannot be
    /// computed here: the cell keeps the value Excel saved, if any, and is
    /// `#NAME?` otherwise.
    pub(crate) fn note_absent(&mut self, name: &str) {
        if !self.run.unknown_here.iter().any(|n| n == name) {
            self.run.unknown_here.push(name.to_string());
        }
    }

    pub(crate) fn call_spec(&mut self, spec: &FunctionSpec, args: &[Expr]) -> CalcValue {
        if args.len() < spec.min_args || args.len() > spec.max_args {
            return CalcValue::error(ErrorKind::Value);
        }
        if self.depth > 180 || self.out_of_time() {
            return CalcValue::error(ErrorKind::Calc);
        }
        self.depth += 1;
        // A function that panics (statrs unwraps inside its inverse and
        // incomplete-beta code on extreme arguments, such as
        // T.INV(1E-300,1E300)) gives #NUM!, as Excel does for arguments
        // out of a function's range, and the cell is named in a warning.
        let r = contained(|| (spec.eval)(self, args)).unwrap_or_else(|detail| {
            if let Some(cell) = self.cell {
                self.run.failures.push((
                    self.sheet,
                    cell,
                    format!(
                        "{} could not be computed for these arguments ({detail}); the cell shows #NUM!",
                        spec.name
                    ),
                ));
            }
            Err(ErrorKind::Num)
        });
        self.depth -= 1;
        match r {
            Ok(v) => v,
            Err(e) => CalcValue::error(e),
        }
    }
}

/// Whether a formula cell's value, saved by Excel, is kept instead of the
/// `computed` one when its formula calls a function absent here: any
/// saved value but none or `#NAME?` (Excel did not know the function
/// either), unless computing gave that value anyway (`IFERROR(F(),0)`).
fn keeps_saved_value(saved: &Value, computed: &CalcValue) -> bool {
    if matches!(saved, Value::Empty | Value::Error(ErrorKind::Name)) {
        return false;
    }
    !matches!(computed, CalcValue::Value(v)
        if type_rank(v) == type_rank(saved) && values_equal(v, saved))
}

/// The date kind a number format shows: time only, duration, date-time
/// or date.
fn date_kind_for_format(code: &str, serial: f64) -> DateKind {
    let lower = code.to_ascii_lowercase();
    if lower.contains("[h") || lower.contains("[m") || lower.contains("[s") {
        return DateKind::Duration;
    }
    let has_date = lower.contains('d')
        || lower.contains('y')
        || (lower.contains('m') && !lower.contains('h') && !lower.contains('s'));
    let has_time = lower.contains('h') || lower.contains('s');
    match (has_date, has_time) {
        (true, true) => DateKind::DateTime,
        (false, true) if serial < 1.0 => DateKind::Time,
        (false, true) => DateKind::DateTime,
        _ => DateKind::Date,
    }
}

/// The range a reference spans (whole rows/columns expanded).
pub fn reference_range(r: &Reference) -> RangeAddr {
    let end = r.end.unwrap_or(r.start);
    match r.shape {
        RefShape::Cells => RangeAddr::new(
            CellAddr::new(r.start.row, r.start.col),
            CellAddr::new(end.row, end.col),
        ),
        RefShape::Columns => RangeAddr::new(
            CellAddr::new(0, r.start.col),
            CellAddr::new(crate::model::address::MAX_ROWS - 1, end.col),
        ),
        RefShape::Rows => RangeAddr::new(
            CellAddr::new(r.start.row, 0),
            CellAddr::new(end.row, crate::model::address::MAX_COLS - 1),
        ),
    }
}

/// Runs `evaluate`, containing a panic inside it (a bug of ours, or a
/// numeric library's `unwrap` reached with extreme arguments) to its
/// message, so one formula cannot take the process down.
pub(crate) fn contained<T>(evaluate: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(evaluate))
        .map_err(|panic| crate::Error::panic_detail(panic.as_ref()))
}
