//! The engine's record of every formula cell: where it is, its parsed
//! formula and where it is in its calculation. Kept apart from the
//! evaluator because the engine's dependency bookkeeping and the
//! evaluator's on-demand computing both read and update it.

use super::ast::*;
use super::criteria::CriteriaRange;
use super::functions::lookup::KeyIndex;
use super::parser;
use crate::model::{CellAddr, RangeAddr, Value, Workbook};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Where a formula cell is in its calculation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// The cached value is current.
    Clean,
    /// Must be computed.
    Dirty,
    /// Being computed now (reading it again means a cycle).
    InProgress,
}

/// One formula cell known to the engine.
#[derive(Debug, Clone)]
pub(crate) struct FormulaCell {
    pub sheet: usize,
    pub addr: CellAddr,
    /// The formula's tree as parsed at the cell `offset` away: the tree of
    /// its shape, shared by every cell the formula was copied to.
    pub expr: Arc<Expr>,
    /// (rows, columns) from the cell `expr` was parsed at to this one.
    pub offset: (i32, i32),
    /// The id of the shared shape the formula belongs to in the engine's
    /// graph (its offset rules), or `NO_SHAPE`.
    pub shape: u32,
    pub state: State,
    /// Whether the formula uses a volatile function (recomputed always).
    pub volatile: bool,
    /// An array formula: computed over whole ranges, its array result
    /// spills, or for a legacy array formula (one in [`Store::fitted`]) is
    /// fitted to its range. Other formulas reduce a reference result by
    /// implicit intersection and an array result to its top-left value,
    /// as Excel does for them.
    pub dynamic: bool,
}

impl FormulaCell {
    /// The cell's own tree: its shape's tree moved to the cell, as parsing
    /// the cell's text would give it (made at each use, dropped after).
    pub fn tree(&self) -> Arc<Expr> {
        match self.offset {
            (0, 0) => self.expr.clone(),
            (rows, cols) => Arc::new(super::printer::shift(
                &self.expr,
                i64::from(rows),
                i64::from(cols),
            )),
        }
    }
}

/// Where a formula is in [`Store::index`]: (column, row), so a column's
/// formulas are next to each other.
pub(crate) type IndexKey = (u32, u32);

/// Every formula cell of a workbook, indexed by position.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub cells: Vec<Option<FormulaCell>>,
    /// Per sheet: (column, row) -> formula id, ordered for range queries.
    pub index: Vec<BTreeMap<IndexKey, usize>>,
    /// While a whole workbook's formulas are added ([`Store::start_loading`]):
    /// per sheet, the (column, row) and id of each, indexed in one go at
    /// the end, which is several times quicker than one by one and packs
    /// the index's nodes full.
    loading: Option<Vec<Vec<(IndexKey, usize)>>>,
    /// Formulas made dirty since the last run (may hold clean ones).
    pub dirty_list: Vec<usize>,
    /// Ids of volatile formulas.
    pub volatile: BTreeSet<usize>,
    /// Per sheet, per column: how many formulas there are dirty.
    pub(crate) dirty_cols: Vec<Vec<u32>>,
    /// Per sheet, per column: how many formulas there are. Most cells a
    /// formula reads are constants in columns without formulas: this
    /// answers [`Store::id_at`] for them without searching the index.
    formula_cols: Vec<Vec<u32>>,
    /// By formula id: the area its last array result spilled into (anchor
    /// included). Few formulas spill: a map, not a field of every cell.
    pub spills: HashMap<usize, RangeAddr>,
    /// By formula id: the range a legacy (Ctrl+Shift+Enter) array formula
    /// was entered over; its result is fitted to it, never spilled. Few
    /// formulas are such: a map.
    pub fitted: HashMap<usize, RangeAddr>,
    /// Legacy array formulas whose range is past what the engine holds
    /// ([`Store::take_saved_range`]): they show `#NUM!` and say why.
    pub oversized: BTreeSet<usize>,
    /// Cells the ranges of the legacy array formulas taken so far cover
    /// (see [`Store::take_saved_range`]).
    pub legacy_cells: u64,
    /// Stored cells the saved ranges of the dynamic-array formulas taken
    /// so far visited.
    pub saved_range_visits: u64,
    /// Cells covered by a spilled array: (sheet, cell) -> anchor id.
    pub spilled: HashMap<(usize, CellAddr), usize>,
    /// Anchors whose spill was blocked, with the area they need: a change
    /// there makes them try again.
    pub blocked: HashMap<usize, (usize, RangeAddr)>,
}

/// What one evaluation run keeps besides the formulas: caches, the cells
/// being computed, and what it met (cycles, unknown functions, failures,
/// the clock). Kept apart from [`Store`] so that several evaluators can
/// read one store side by side, each with a run state of its own.
#[derive(Debug, Default)]
pub(crate) struct RunState {
    /// Per style id: whether its number format shows dates (cached, as
    /// every result is checked; aHash, as it is looked up per cell).
    pub(crate) date_styles: HashMap<u32, bool, ahash::RandomState>,
    /// Parsed defined names, by their text.
    pub(crate) names: HashMap<String, Arc<Result<Expr, parser::ParseError>>>,
    /// Unknown functions met while computing, in cells that had no value
    /// saved by Excel to keep (those cells are `#NAME?`).
    pub unknown: BTreeSet<String>,
    /// Unknown functions met by the formula being computed now (not by
    /// the cells it computes on demand): they decide whether the cell
    /// keeps its saved value.
    pub(crate) unknown_here: Vec<String>,
    /// Unknown functions (a VBA or add-in function, absent here) whose
    /// cells kept the value Excel saved in the file.
    pub kept_cached: BTreeSet<String>,
    /// Other workbooks (by position, `[1]` is 0) whose saved values
    /// formulas read.
    pub(crate) external_used: BTreeSet<usize>,
    /// Set while the workbook computes its cycles by iteration (Excel's
    /// iterative calculation): a cell read while it is being computed
    /// gives its previous value instead of `#CIRC!`.
    pub(crate) iterating: bool,
    /// Cells found on a cycle while computing.
    pub cycle_cells: BTreeSet<(usize, CellAddr)>,
    /// Each cycle met, as its cells in computing order.
    pub cycles: Vec<Vec<(usize, CellAddr)>>,
    /// The cells being computed, outermost first.
    pub(crate) computing: Vec<(usize, CellAddr)>,
    /// Cells whose evaluation panicked (a bug of ours, or a numeric
    /// library reached with extreme arguments), with what failed and what
    /// the cell shows instead.
    pub failures: Vec<(usize, CellAddr, String)>,
    /// How often a computation went deeper than [`MAX_CHAIN`] on demand.
    pub(crate) deep_hits: usize,
    /// The outermost cells whose values depended on such a computation:
    /// they show `#CALC!` instead of a value read from a cell not yet
    /// computed.
    pub too_deep: Vec<(usize, CellAddr)>,
    /// Count of cells computed.
    pub computed: usize,
    /// When the current run must stop (`--timeout`); `None` runs to the
    /// end.
    pub(crate) deadline: Option<std::time::Instant>,
    /// Set once the deadline has passed, with the innermost cell being
    /// computed then (`None` for a formula outside any cell).
    pub(crate) timed_out: Option<Option<(usize, CellAddr)>>,
    /// Deadline checks since the clock was last read.
    pub(crate) ticks: u32,
    /// Snapshots of ranges read by the `*IF(S)` functions.
    pub range_cache: StampedCache<CriteriaRange>,
    /// Hash indexes of the key ranges of exact-match lookups.
    pub(crate) lookup_cache: StampedCache<Arc<KeyIndex>, { KeyIndex::MAX_CACHED_KEYS }>,
    /// Set when an evaluator with shared access needed to compute a cell
    /// on demand (or write), which only the exclusive one can.
    pub(crate) needed_exclusive: bool,
    /// Random numbers the cell being computed drew so far (RAND's seed).
    pub(crate) random_draws: u64,
    /// Spills that reached cells their formula did not cover before the
    /// run: (sheet, the spill's area). The graph does not link a reader of
    /// those cells to the anchor, so the engine computes such readers
    /// again after the run.
    pub(crate) grown: Vec<(usize, RangeAddr)>,
    /// Set while computing a formula when it took a multi-cell range as an
    /// operator's operand whole, where a formula that is no array formula
    /// would intersect it: written back, it must say it is an array
    /// formula to mean the same.
    pub(crate) ranges_as_arrays: bool,
}

/// What the engine derived from a range of a sheet (a snapshot, an
/// index), each kept with the column stamps it was built at (see
/// `Sheet::column_version`): valid for as long as those stamps stay the
/// same, so formulas reading the same range share one. Bounded: an entry
/// that would pass [`StampedCache::MAX_ENTRIES`] entries or `MAX_WEIGHT`
/// (a measure of memory the user of the cache chooses) drops everything
/// kept; it is all rebuilt on demand.
#[derive(Debug)]
pub struct StampedCache<T, const MAX_WEIGHT: usize = { usize::MAX }> {
    entries: HashMap<(usize, RangeAddr), (Vec<u64>, T, usize)>,
    /// The sum of the entries' weights.
    weight: usize,
}

impl<T, const MAX_WEIGHT: usize> Default for StampedCache<T, MAX_WEIGHT> {
    fn default() -> Self {
        StampedCache {
            entries: HashMap::new(),
            weight: 0,
        }
    }
}

impl<T, const MAX_WEIGHT: usize> StampedCache<T, MAX_WEIGHT> {
    /// The most entries kept.
    pub const MAX_ENTRIES: usize = 32;

    /// The entry for `range` of `sheet`, when it was built at `stamps`.
    pub fn get(&self, sheet: usize, range: RangeAddr, stamps: &[u64]) -> Option<&T> {
        match self.entries.get(&(sheet, range)) {
            Some((kept, value, _)) if kept.as_slice() == stamps => Some(value),
            _ => None,
        }
    }

    /// Keeps `value` for `range` of `sheet`, built at `stamps`; `weight`
    /// counts against `MAX_WEIGHT` (an entry heavier than that is not
    /// kept).
    pub fn insert(
        &mut self,
        sheet: usize,
        range: RangeAddr,
        stamps: Vec<u64>,
        value: T,
        weight: usize,
    ) {
        if weight > MAX_WEIGHT {
            return;
        }
        if let Some((_, _, old)) = self.entries.remove(&(sheet, range)) {
            self.weight -= old;
        }
        if self.entries.len() >= Self::MAX_ENTRIES || self.weight + weight > MAX_WEIGHT {
            self.entries.clear();
            self.weight = 0;
        }
        self.weight += weight;
        self.entries.insert((sheet, range), (stamps, value, weight));
    }

    /// Keeps the entries of `other` this cache does not hold at the same
    /// stamps: evaluators side by side each have a cache, and a snapshot
    /// one built (a million-row column, say) serves the others.
    pub fn fill_from(&mut self, other: &Self)
    where
        T: Clone,
    {
        for (&(sheet, range), (stamps, value, weight)) in &other.entries {
            if self.get(sheet, range, stamps).is_none() {
                self.insert(sheet, range, stamps.clone(), value.clone(), *weight);
            }
        }
    }
}

impl RunState {
    /// Takes the range snapshots and lookup indexes of `other` that this
    /// run does not have (see [`StampedCache::fill_from`]).
    pub(crate) fn share_caches_from(&mut self, other: &RunState) {
        self.range_cache.fill_from(&other.range_cache);
        self.lookup_cache.fill_from(&other.lookup_cache);
    }

    /// Takes in what another evaluator's run met (see
    /// [`super::engine`]'s side-by-side evaluation): cells computed,
    /// unknown functions, external books, failures, a timeout.
    pub(crate) fn absorb(&mut self, other: RunState) {
        self.computed += other.computed;
        self.unknown.extend(other.unknown);
        self.kept_cached.extend(other.kept_cached);
        self.external_used.extend(other.external_used);
        self.failures.extend(other.failures);
        self.too_deep.extend(other.too_deep);
        if self.timed_out.is_none() {
            self.timed_out = other.timed_out;
        }
    }

    /// Whether the run's deadline has passed (see
    /// [`super::eval::CallContext::out_of_time`]); `here` is the cell being
    /// computed, named when no cell is on the computing stack.
    pub(crate) fn out_of_time(&mut self, here: Option<(usize, CellAddr)>) -> bool {
        if self.timed_out.is_some() {
            return true;
        }
        let Some(deadline) = self.deadline else {
            return false;
        };
        self.ticks = self.ticks.wrapping_add(1);
        if !self.ticks.is_multiple_of(CLOCK_EVERY) || std::time::Instant::now() < deadline {
            return false;
        }
        self.timed_out = Some(self.computing.last().copied().or(here));
        true
    }
}

/// The most cells the ranges of a workbook's legacy array formulas may
/// cover together, each filled whenever its formula is computed: far past
/// any real workbook (such arrays are entered by hand, over tens or
/// thousands of cells), and a few hundred megabytes of cells at most.
pub(crate) const MAX_LEGACY_ARRAY_CELLS: u64 = 1 << 22;

/// The most stored cells the saved ranges of a workbook's dynamic-array
/// formulas may visit together when the engine takes them.
const MAX_SAVED_RANGE_VISITS: u64 = 4 * super::calc::MAX_ARRAY_CELLS as u64;

/// Deadline checks between two readings of the clock.
const CLOCK_EVERY: u32 = 32;

impl Store {
    /// Takes back formula `id`'s spill: the cells it still owns are
    /// emptied in `wb` and returned, so a smaller result leaves no stale
    /// values and the caller can recompute what read them.
    pub(crate) fn release_spill(&mut self, id: usize, wb: &mut Workbook) -> Vec<(usize, CellAddr)> {
        let Some(fc) = self.cells[id].as_ref() else {
            return Vec::new();
        };
        let sheet = fc.sheet;
        let Some(area) = self.spills.remove(&id) else {
            return Vec::new();
        };
        let mut freed = Vec::new();
        for r in area.start.row..=area.end.row {
            for c in area.start.col..=area.end.col {
                let a = CellAddr::new(r, c);
                if self.spilled.get(&(sheet, a)) == Some(&id) {
                    self.spilled.remove(&(sheet, a));
                    wb.sheets[sheet].set_cached_value(a, Value::Empty);
                    freed.push((sheet, a));
                }
            }
        }
        freed
    }

    /// Takes the range the file saved for array formula `id` (anchored at
    /// the formula's cell) as the formula's current spill: the cells
    /// there that hold a value and no formula belong to it, so reading
    /// them computes the formula first, and computing it again empties
    /// them before it writes its new result (a dynamic formula's smaller
    /// result leaves nothing stale; a legacy one fills its range again).
    /// A `legacy` range is also the range its result is fitted to.
    ///
    /// Only stored cells are visited. The legacy ranges of a workbook
    /// cover at most [`MAX_LEGACY_ARRAY_CELLS`] together: a legacy formula
    /// past that is marked oversized (`#NUM!`). The dynamic ones visit at
    /// most four times the largest array: past that, one keeps only its
    /// anchor (values left in its way then block it: `#SPILL!`).
    pub(crate) fn take_saved_range(
        &mut self,
        id: usize,
        wb: &Workbook,
        range: RangeAddr,
        legacy: bool,
    ) {
        let Some(fc) = self.cells[id].as_ref() else {
            return;
        };
        let (sheet, anchor) = (fc.sheet, fc.addr);
        // A range not anchored at its formula is no range Excel writes:
        // the formula covers its own cell.
        let range = if range.start == anchor {
            range
        } else {
            RangeAddr::cell(anchor)
        };
        if range == RangeAddr::cell(anchor) {
            if legacy {
                self.fitted.insert(id, range);
            }
            return;
        }
        let Some(model) = wb.sheets.get(sheet) else {
            return;
        };
        let stored_rows = model
            .row_count()
            .saturating_sub(range.start.row)
            .min(range.rows());
        if legacy {
            let cells = u64::from(range.rows()) * u64::from(range.cols());
            if self.legacy_cells + cells > MAX_LEGACY_ARRAY_CELLS {
                self.oversized.insert(id);
                return;
            }
            self.legacy_cells += cells;
            self.fitted.insert(id, range);
        } else {
            let visits = u64::from(stored_rows) * u64::from(range.cols());
            if self.saved_range_visits + visits > MAX_SAVED_RANGE_VISITS {
                return;
            }
            self.saved_range_visits += visits;
        }
        let last_row = range.end.row.min(model.row_count().saturating_sub(1));
        for r in range.start.row..=last_row {
            let cells = model.row(r);
            let end = (cells.len() as u32).min(range.end.col + 1);
            for c in range.start.col..end {
                let a = CellAddr::new(r, c);
                let cell = &cells[c as usize];
                if a == anchor || cell.formula.is_some() || cell.value.is_empty() {
                    continue;
                }
                self.spilled.entry((sheet, a)).or_insert(id);
            }
        }
        self.spills.insert(id, range);
    }

    /// Makes room for `n` sheets' indexes.
    pub fn ensure_sheets(&mut self, n: usize) {
        while self.index.len() < n {
            self.index.push(BTreeMap::new());
            self.dirty_cols.push(Vec::new());
            self.formula_cols.push(Vec::new());
        }
    }

    /// The formula id at a cell, if the cell holds a formula.
    pub fn id_at(&self, sheet: usize, addr: CellAddr) -> Option<usize> {
        let in_column = self.formula_cols.get(sheet)?.get(addr.col as usize);
        if in_column.is_none_or(|&n| n == 0) {
            return None;
        }
        self.index.get(sheet)?.get(&(addr.col, addr.row)).copied()
    }

    /// Moves a formula to `state`, keeping the per-column dirty counts
    /// that [`Store::any_dirty_in`] answers from.
    pub fn set_state(&mut self, id: usize, state: State) {
        let Some(cell) = self.cells[id].as_mut() else {
            return;
        };
        let was_dirty = cell.state != State::Clean;
        let now_dirty = state != State::Clean;
        cell.state = state;
        let (sheet, col) = (cell.sheet, cell.addr.col as usize);
        if now_dirty && !was_dirty {
            self.dirty_list.push(id);
        }
        if was_dirty != now_dirty {
            self.ensure_sheets(sheet + 1);
            let cols = &mut self.dirty_cols[sheet];
            if cols.len() <= col {
                cols.resize(col + 1, 0);
            }
            if now_dirty {
                cols[col] += 1;
            } else {
                cols[col] = cols[col].saturating_sub(1);
            }
        }
    }

    /// Makes room for the formula cells about to be added, each at a
    /// cell of its own (a workbook's formulas as read), `per_sheet` of
    /// them on each sheet: they are indexed by [`Store::finish_loading`].
    pub fn start_loading(&mut self, per_sheet: &[usize]) {
        let formulas = per_sheet.iter().sum();
        self.cells.reserve(formulas);
        self.dirty_list.reserve(formulas);
        self.ensure_sheets(per_sheet.len());
        let mut loading: Vec<Vec<(IndexKey, usize)>> = vec![Vec::new(); self.index.len()];
        for (added, &n) in loading.iter_mut().zip(per_sheet) {
            added.reserve_exact(n);
        }
        self.loading = Some(loading);
    }

    /// Indexes the formulas added since [`Store::start_loading`].
    pub fn finish_loading(&mut self) {
        for (sheet, mut added) in self.loading.take().into_iter().flatten().enumerate() {
            added.sort_unstable();
            // Bulk-built from sorted keys, where inserting one by one
            // would search the tree for each.
            let mut index: BTreeMap<IndexKey, usize> = added.into_iter().collect();
            // The smaller map goes into the larger one (after a rebuild,
            // the index is empty and the new one is all).
            let old = &mut self.index[sheet];
            if old.len() < index.len() {
                std::mem::swap(old, &mut index);
            }
            old.extend(index);
        }
    }

    /// The id the next formula added gets.
    pub fn next_id(&self) -> usize {
        self.cells.len()
    }

    /// Adds a formula cell (replacing one at the same place) and returns
    /// its id ([`Store::next_id`]).
    pub fn insert(&mut self, cell: FormulaCell) -> usize {
        self.ensure_sheets(cell.sheet + 1);
        let key = (cell.addr.col, cell.addr.row);
        let loading = self.loading.as_ref().is_some_and(|l| cell.sheet < l.len());
        if let Some(old) = self.index[cell.sheet]
            .get(&key)
            .copied()
            .filter(|_| !loading)
        {
            self.remove(old);
        }
        let sheet = cell.sheet;
        let dirty = cell.state;
        if cell.volatile {
            self.volatile.insert(self.cells.len());
        }
        let id = self.cells.len();
        let cols = &mut self.formula_cols[sheet];
        let col = cell.addr.col as usize;
        if cols.len() <= col {
            cols.resize(col + 1, 0);
        }
        cols[col] += 1;
        self.cells.push(Some(FormulaCell {
            state: State::Clean,
            ..cell
        }));
        match self.loading.as_mut().and_then(|l| l.get_mut(sheet)) {
            Some(added) => added.push((key, id)),
            None => {
                self.index[sheet].insert(key, id);
            }
        }
        self.set_state(id, dirty);
        id
    }

    /// Forgets a formula cell.
    pub fn remove(&mut self, id: usize) {
        self.set_state(id, State::Clean);
        self.blocked.remove(&id);
        self.volatile.remove(&id);
        self.spills.remove(&id);
        self.fitted.remove(&id);
        self.oversized.remove(&id);
        if let Some(c) = self.cells[id].take() {
            if let Some(ix) = self.index.get_mut(c.sheet) {
                ix.remove(&(c.addr.col, c.addr.row));
            }
            if let Some(n) = self
                .formula_cols
                .get_mut(c.sheet)
                .and_then(|cols| cols.get_mut(c.addr.col as usize))
            {
                *n = n.saturating_sub(1);
            }
        }
    }

    /// Whether any formula in the area is dirty (by column counts).
    pub(crate) fn any_dirty_in(&self, sheet: usize, range: RangeAddr) -> bool {
        let Some(cols) = self.dirty_cols.get(sheet) else {
            return false;
        };
        let last = (range.end.col as usize).min(cols.len().saturating_sub(1));
        (range.start.col as usize..=last).any(|c| cols.get(c).is_some_and(|n| *n > 0))
    }

    /// The formulas in `range` of `sheet` that wait to be computed.
    pub(crate) fn dirty_ids_in(&self, sheet: usize, range: RangeAddr) -> Vec<usize> {
        let Some(ix) = self.index.get(sheet) else {
            return Vec::new();
        };
        ix.range((range.start.col, range.start.row)..=(range.end.col, range.end.row))
            .filter(|((_, r), _)| *r >= range.start.row && *r <= range.end.row)
            .map(|(_, id)| *id)
            .filter(|id| {
                self.cells[*id]
                    .as_ref()
                    .is_some_and(|c| c.state != State::Clean)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_takes_what_another_built_and_keeps_its_own_newer_entries() {
        let range = |a: &str| RangeAddr::parse(a).unwrap();
        let mut mine: StampedCache<&str> = StampedCache::default();
        let mut theirs: StampedCache<&str> = StampedCache::default();
        mine.insert(0, range("A:A"), vec![2], "mine, newer", 1);
        theirs.insert(0, range("A:A"), vec![2], "theirs, same stamps", 1);
        theirs.insert(0, range("B:B"), vec![1], "theirs", 1);
        mine.fill_from(&theirs);
        assert_eq!(mine.get(0, range("A:A"), &[2]), Some(&"mine, newer"));
        assert_eq!(mine.get(0, range("B:B"), &[1]), Some(&"theirs"));
        // Built at other stamps: a later change made it stale for them.
        assert_eq!(mine.get(0, range("B:B"), &[5]), None);
    }
}
