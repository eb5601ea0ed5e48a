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
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Fewest cells in a level worth the threads: below this, starting them
/// costs more than it saves.
pub(super) const MIN_SHARED_LEVEL: usize = 1024;

/// Most cells computed side by side before their values are written: the
/// values wait in memory meanwhile (40 bytes a cell).
const SLICE: usize = 1 << 16;

/// Cells a thread takes at a time: small enough to balance uneven cells,
/// large enough that taking them costs nothing.
const BATCH: usize = 256;

impl Engine {
    /// Computes `order` (precedents first) with up to `threads` threads;
    /// the spilling formulas among them are computed already.
    pub(super) fn compute_in_levels(
        &mut self,
        order: Vec<usize>,
        threads: usize,
        now: chrono::NaiveDateTime,
    ) {
        // What the spilling formulas computed first is done.
        let order: Vec<usize> = order
            .into_iter()
            .filter(|&id| {
                self.store.cells[id]
                    .as_ref()
                    .is_some_and(|c| c.state == State::Dirty)
            })
            .collect();
        let levels = self.levels(order);
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
                // (the cells of one level never read each other).
                let mut exclusive = Vec::new();
                for slice in level.chunks(SLICE) {
                    exclusive.extend(self.compute_shared(slice, &mut workers, now));
                }
                exclusive
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
    /// values; returns the cells left for the exclusive evaluator.
    fn compute_shared(
        &mut self,
        level: &[usize],
        workers: &mut [RunState],
        now: chrono::NaiveDateTime,
    ) -> Vec<usize> {
        let next = AtomicUsize::new(0);
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
                        loop {
                            let start = next.fetch_add(BATCH, Ordering::Relaxed);
                            if start >= level.len() {
                                break;
                            }
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
        // In the order they were in, so the exclusive evaluator meets
        // them as it would have without threads.
        exclusive.sort_unstable();
        exclusive.into_iter().map(|at| level[at]).collect()
    }

    /// Groups `order` in levels, each level's cells in `order`'s order.
    /// Takes `order` and sizes each level exactly: on a million-row sheet
    /// these lists are the most the threads add to the peak memory.
    fn levels(&self, order: Vec<usize>) -> Vec<Vec<usize>> {
        const NONE: u32 = u32::MAX;
        let n_formulas = self.store.cells.len();
        let mut level_of: Vec<u32> = vec![NONE; n_formulas];
        let mut range_level: HashMap<usize, u32> = HashMap::new();
        let mut sizes: Vec<usize> = Vec::new();
        // One more than the level of formula `id`, 0 when it is not dirty.
        let above = |level_of: &[u32], id: usize| match level_of[id] {
            NONE => 0,
            l => l + 1,
        };
        for &id in &order {
            let mut level = 0;
            for p in self.successors(id, n_formulas) {
                let below = if p >= n_formulas {
                    *range_level.entry(p).or_insert_with(|| {
                        self.successors(p, n_formulas)
                            .iter()
                            .map(|&m| above(&level_of, m))
                            .max()
                            .unwrap_or(0)
                    })
                } else {
                    above(&level_of, p)
                };
                level = level.max(below);
            }
            level_of[id] = level;
            let level = level as usize;
            if sizes.len() <= level {
                sizes.resize(level + 1, 0);
            }
            sizes[level] += 1;
        }
        drop(range_level);
        let mut levels: Vec<Vec<usize>> = sizes.into_iter().map(Vec::with_capacity).collect();
        for id in order {
            levels[level_of[id] as usize].push(id);
        }
        levels
    }
}
