//! How many threads one run may use. Reading a big sheet part cuts its XML
//! into events on a helper thread, rewriting one cuts its rows in pieces
//! rewritten side by side, writing deflates on one ([`crate::io`]), and
//! recalculation computes the independent cells of a dependency level side
//! by side; all of them ask here. The default is every core; `--threads 1` keeps a run on the calling thread,
//! for a baseline or a machine shared with other work.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The limit set by [`set_limit`]; 0 means "every core".
static LIMIT: AtomicUsize = AtomicUsize::new(0);

/// Sets how many threads a run may use: `None` (or 0) for every core.
/// Process-wide, as the command line sets it once before a run.
pub fn set_limit(threads: Option<usize>) {
    LIMIT.store(threads.unwrap_or(0), Ordering::Relaxed);
}

/// How many threads a run may use: the limit set, or the number of cores.
pub fn limit() -> usize {
    match LIMIT.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Whether a run may use more than one thread.
pub fn parallel() -> bool {
    limit() > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_none_mean_every_core_and_a_number_is_kept() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        set_limit(Some(0));
        assert_eq!(limit(), cores);
        set_limit(None);
        assert_eq!(limit(), cores);
    }
}
