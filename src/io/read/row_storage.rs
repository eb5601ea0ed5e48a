//! Room for the rows of a big sheet, made ready on a helper thread.
//!
//! On the machines sheetscript is measured on, first touching fresh
//! memory is dear: the kernel zeroes each page as it is first written, and
//! the cells of a million-row sheet fill some 400 MB. Reading the 1M-row
//! ledger of the benchmark, 0.85 s of the reading thread's 4.9 s went to
//! that. A helper thread, otherwise idle then, allocates each row's
//! storage and writes it once, so the reading thread finds its pages in
//! place. Rows are handed over a block at a time, a couple of blocks
//! ahead at most, so the helper never holds more than a few megabytes
//! the sheet may not need.

use crate::model::Cell;
use std::sync::mpsc::{sync_channel, Receiver, TryRecvError};

/// Widest row made ahead: a sheet wider than this is no ledger, and a
/// block of such rows would hold much memory the sheet may not need.
const MOST_WIDTH: usize = 256;

/// Bytes of row storage in one block handed over.
const BLOCK_BYTES: usize = 1 << 20;

/// Blocks made ahead of the reader.
const AHEAD: usize = 2;

/// Empty rows, each with room for a given number of cells, its memory
/// written once already.
pub(crate) struct RowStorage {
    width: usize,
    blocks: Receiver<Vec<Vec<Cell>>>,
    ready: Vec<Vec<Cell>>,
}

impl RowStorage {
    /// Starts the helper for rows of `width` cells; `None` when the run
    /// may use one thread only, or the width is past [`MOST_WIDTH`], or
    /// the thread cannot be started (rows are then allocated as read).
    pub(crate) fn start(width: usize) -> Option<RowStorage> {
        if !crate::threads::parallel() || width == 0 || width > MOST_WIDTH {
            return None;
        }
        let rows_per_block = (BLOCK_BYTES / (width * std::mem::size_of::<Cell>())).max(16);
        let (tx, blocks) = sync_channel(AHEAD);
        // Detached: it stops at its next hand-over once the reader drops
        // its end.
        std::thread::Builder::new()
            .name("row storage".into())
            .spawn(move || loop {
                let block: Vec<Vec<Cell>> = (0..rows_per_block).map(|_| touched(width)).collect();
                if tx.send(block).is_err() {
                    return;
                }
            })
            .ok()?;
        Some(RowStorage {
            width,
            blocks,
            ready: Vec::new(),
        })
    }

    /// An empty row with room for `cells` cells, if one is ready (the
    /// reader never waits for the helper: it allocates the row itself).
    /// Only for rows as wide as the helper makes them: a narrower row
    /// would hold room it never fills.
    pub(crate) fn take(&mut self, cells: usize) -> Option<Vec<Cell>> {
        if cells != self.width {
            return None;
        }
        if self.ready.is_empty() {
            match self.blocks.try_recv() {
                Ok(block) => self.ready = block,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return None,
            }
        }
        self.ready.pop()
    }
}

/// An empty row with room for `width` cells, each slot written once.
fn touched(width: usize) -> Vec<Cell> {
    let mut row = Vec::with_capacity(width);
    row.resize_with(width, Cell::default);
    row.clear();
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_empty_with_room_or_not_at_all() {
        crate::threads::set_limit(Some(2));
        let mut storage = RowStorage::start(8).expect("two threads allowed");
        let mut given = 0;
        // The helper runs at its own pace: wait for its first block.
        for _ in 0..10_000 {
            if let Some(row) = storage.take(8) {
                assert!(row.is_empty());
                assert!(row.capacity() >= 8);
                given += 1;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(given, 1, "the helper handed over no row");
        assert!(storage.take(9).is_none(), "a wider row is the reader's own");
        assert!(storage.take(2).is_none(), "so is a narrower one");
        assert!(RowStorage::start(MOST_WIDTH + 1).is_none());
        crate::threads::set_limit(None);
    }
}
