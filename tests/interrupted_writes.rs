//! Runs that are killed or that overlap must not leave litter or lose an
//! update: a temporary file a killed run left beside its target is removed
//! by the next run, and an in-place update of a file another run is
//! updating is refused instead of silently undoing that run's work.

mod support;

use std::fs::File;
use std::time::{Duration, SystemTime};
use support::*;

#[test]
fn an_in_place_run_is_refused_while_another_run_updates_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("invoices.xlsx");
    std::fs::copy(sample("invoices.xlsx"), &book).unwrap();
    let before = std::fs::read(&book).unwrap();
    // Another run holds the file, as `UpdateLock` does, from read to rename.
    let other_run = File::open(&book).unwrap();
    other_run.try_lock().unwrap();

    let out = sheetscript(&[
        "recalc",
        book.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
        "--in-place",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("another sheetscript run is updating"), "{err}");
    assert_eq!(
        std::fs::read(&book).unwrap(),
        before,
        "the file was touched"
    );

    drop(other_run);
    ok(&[
        "recalc",
        book.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
        "--in-place",
    ]);
}

#[test]
fn a_temporary_file_left_by_a_killed_run_is_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let left_behind = dir.path().join(".sheetscript-AbC123.tmp");
    std::fs::write(&left_behind, vec![0u8; 64 * 1024]).unwrap();
    File::options()
        .write(true)
        .open(&left_behind)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(600))
        .unwrap();
    let out_file = dir.path().join("copy.xlsx");
    ok(&[
        "convert",
        sample("invoices.xlsx").to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert!(out_file.exists());
    assert!(
        !left_behind.exists(),
        "the abandoned temporary file is still there"
    );
    let litter: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(litter.is_empty(), "temporary files left: {litter:?}");
}
