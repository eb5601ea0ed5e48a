//! Side-by-side recalculation: the dirty formulas are grouped in levels
//! (a formula's level is one more than the highest level among the dirty
//! formulas it reads), and the cells of one level, which cannot read each
//! other, are computed by several evaluators at once, each with shared
//! access to the workbook and the store ([`CallContext::shared`]). The
//! thread that owns the workbook then writes their values in one go.
//!
//! The result is the same as computing one cell after another: every cell
//! reads only values computed in earlier levels. A cell that turns out to
//! need more (a reference found while computing, such as INDIRECT's, to a
//! cell not computed yet; a result that spills; a cycle) is computed
//! afterwards by the one exclusive evaluator, exactly as without threads.

use super::Engine;
use crate::formula::eval::{CallContext, SharedOutcome};
use crate::formula::store::{RunState, State};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Fewest cells in a level worth the threads: below this, starting them
/// costs more than it saves.
pub(super) const MIN_SHARED_LEVEL: usize = 1024;

/// Most cells computed side by side before their values are written: the
/// values wait in memory meanwhile (40 bytes a cell). Large enough that
/// the other threads have work while one computes a slow cell (see
/// [`HEAVY_AREA`]). The tests' workbooks are small: they are cut finer,
/// so that slices taken out of order are tested too.
const SLICE: usize = if cfg!(test) { 1 << 10 } else { 1 << 18 };

/// Fewest cells of a range whose readers are computed first among the
/// cells of their level: such a cell (a COUNTIFS over whole columns) may
/// take as long as thousands of others, and met last it would leave the
/// other threads waiting.
const HEAVY_AREA: u64 = 1 << 16;

/// Most readers of big ranges taken first: when more cells than this
/// read them, they are spread over the level anyway.
const MOST_HEAVY: usize = 4096;

/// Cells a thread takes at a time: small enough to balance uneven cells,
/// large enough that taking them costs nothing.
const BATCH: usize = 256;

impl Engine {
    /// Computes `order` (precedents first) with up to `threads` threads,
    /// by the `levels` [`Engine::order_in`] gave; the spilling formulas
    /// among them are computed already.
    pub(super) fn compute_in_levels(
        &mut self,
        order: Vec<usize>,
        levels: &[u32],
        threads: usize,
        now: chrono::NaiveDateTime,
    ) {
        let levels = self.group_levels(order, levels);
        let heavy = self.heavy_cells();
        let mut workers: Vec<RunState> = (0..threads)
            .map(|_| RunState {
                deadline: self.run.deadline,
                ..RunState::default()
            })
            .collect();
        for level in levels {
            if self.run.timed_out.is_some() {
                break;
            }
            let exclusive = if level.len() >= MIN_SHARED_LEVEL {
                // In slices, so the values waiting to be written stay few
                // (the cells of one level never read each other, so the
                // slices holding slow cells can go first).
                let (first, rest): (Vec<_>, Vec<_>) = (0..level.len())
                    .step_by(SLICE)
                    .map(|start| start..(start + SLICE).min(level.len()))
                    .partition(|slice| level[slice.clone()].iter().any(|id| heavy.contains(id)));
                let mut exclusive = Vec::new();
                for slice in first.into_iter().chain(rest) {
                    // What one evaluator read into its caches (a snapshot
                    // of a million-row column) serves the others.
                    for worker in &mut workers {
                        worker.share_caches_from(&self.run);
                    }
                    let cells = &level[slice.clone()];
                    let left = self.compute_shared(cells, &heavy, &mut workers, now);
                    exclusive.extend(left.into_iter().map(|at| slice.start + at));
                    for worker in &workers {
                        self.run.share_caches_from(worker);
                    }
                }
                // In the order they were in, so the exclusive evaluator
                // meets them as it would have without threads.
                exclusive.sort_unstable();
                exclusive.into_iter().map(|at| level[at]).collect()
            } else {
                level
            };
            let mut ctx =
                CallContext::new(&mut self.wb, &mut self.store, &mut self.run, 0, None, now);
            for id in exclusive {
                ctx.compute(id);
            }
        }
        for worker in workers {
            self.run.absorb(worker);
        }
    }

    /// Computes one level's cells on the worker threads and writes their
    /// values, the batches holding `heavy` cells taken first; returns the
    /// positions in `level` of the cells left for the exclusive evaluator.
    fn compute_shared(
        &mut self,
        level: &[usize],
        heavy: &HashSet<usize, ahash::RandomState>,
        workers: &mut [RunState],
        now: chrono::NaiveDateTime,
    ) -> Vec<usize> {
        let mut batches: Vec<usize> = (0..level.len()).step_by(BATCH).collect();
        if !heavy.is_empty() {
            // A stable sort: the rest keep their order.
            batches.sort_by_key(|&start| {
                let end = (start + BATCH).min(level.len());
                !level[start..end].iter().any(|id| heavy.contains(id))
            });
        }
        let next = AtomicUsize::new(0);
        let batches = &batches;
        let (wb, store) = (&self.wb, &self.store);
        // (position in the level, outcome) per worker.
        let outcomes: Vec<Vec<(usize, SharedOutcome)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = workers
                .iter_mut()
                .map(|run| {
                    let next = &next;
                    scope.spawn(move || {
                        let mut ctx = CallContext::shared(wb, store, run, now);
                        let mut done = Vec::new();
                        while let Some(&start) = batches.get(next.fetch_add(1, Ordering::Relaxed)) {
                            let end = (start + BATCH).min(level.len());
                            for (at, &id) in level.iter().enumerate().take(end).skip(start) {
                                done.push((at, ctx.compute_shared(id)));
                            }
                        }
                        done
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| match h.join() {
                    Ok(done) => done,
                    // Each cell's evaluation is contained; a panic here
                    // is outside it and is the run's, as without threads.
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        });
        let mut exclusive = Vec::new();
        for (at, outcome) in outcomes.into_iter().flatten() {
            let id = level[at];
            let Some((sheet, addr)) = self.store.cells[id].as_ref().map(|c| (c.sheet, c.addr))
            else {
                continue;
            };
            match outcome {
                SharedOutcome::Value(value) => {
                    self.wb.sheets[sheet].set_cached_value(addr, value);
                    self.store.set_state(id, State::Clean);
                }
                SharedOutcome::KeepSaved => self.store.set_state(id, State::Clean),
                SharedOutcome::NeedsExclusive => exclusive.push(at),
            }
        }
        exclusive
    }

    /// The formulas reading a range of at least [`HEAVY_AREA`] cells, if
    /// they are few (at most [`MOST_HEAVY`]); none otherwise.
    pub(super) fn heavy_cells(&self) -> HashSet<usize, ahash::RandomState> {
        let mut heavy = HashSet::default();
        for (_, range, readers) in &self.graph.ranges {
            let cells = u64::from(range.rows()) * u64::from(range.cols());
            if cells >= HEAVY_AREA {
                heavy.extend(readers.iter().copied());
                if heavy.len() > MOST_HEAVY {
                    return HashSet::default();
                }
            }
        }
        heavy
    }

    /// Groups the formulas of `order` still dirty (what the spilling
    /// formulas computed first is done) by their `levels`, each level's
    /// cells in `order`'s order. Sizes each level exactly: on a
    /// million-row sheet these lists are the most the threads add to the
    /// peak memory.
    fn group_levels(&self, order: Vec<usize>, levels: &[u32]) -> Vec<Vec<usize>> {
        let dirty = |id: usize| {
            self.store.cells[id]
                .as_ref()
                .is_some_and(|c| c.state == State::Dirty)
        };
        let mut sizes: Vec<usize> = Vec::new();
        for &id in order.iter().filter(|&&id| dirty(id)) {
            let level = levels[id] as usize;
            if sizes.len() <= level {
                sizes.resize(level + 1, 0);
            }
            sizes[level] += 1;
        }
        let mut grouped: Vec<Vec<usize>> = sizes.into_iter().map(Vec::with_capacity).collect();
        for id in order.into_iter().filter(|&id| dirty(id)) {
            grouped[levels[id] as usize].push(id);
        }
        grouped.retain(|level| !level.is_empty());
        grouped
    }
}
