//! Issue 13's speed check of batches, in one run:
//! - 200 copies of a 10k-row invoice workbook through scripts/vat.rhai
//!   with `--jobs 1`, `--jobs 1 --threads 1` (the work done serially) and
//!   `--jobs 2` (the speed-up, and the peak memory against one file run
//!   alone, the baseline);
//! - 500 copies of a 10-row workbook with `--jobs 1`: the batch's time
//!   per file, which is almost all per-file overhead.
//!
//! Run with `cargo bench --bench batch`; medians of
//! `SHEETSCRIPT_BENCH_RUNS` (default 5) runs, each in its own process.
//! `SHEETSCRIPT_BENCH_COPIES` (default 200) and
//! `SHEETSCRIPT_BENCH_SMALL_COPIES` (default 500) scale the folders down
//! for a quick look.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::data::{self, Extra};
use support::*;

/// A whole number from the environment, or `default`.
fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

/// A folder of `copies` copies of a `rows`-row invoices workbook.
fn folder(dir: &Path, rows: u32, copies: usize) -> PathBuf {
    let folder = dir.join(format!("in-{rows}"));
    std::fs::create_dir_all(&folder).expect("folder");
    let first = folder.join("branch-0000.xlsx");
    data::write_invoices_xlsx_rows(&first, Extra::Nothing, rows).expect("workbook");
    for i in 1..copies {
        std::fs::copy(&first, folder.join(format!("branch-{i:04}.xlsx"))).expect("copy");
    }
    folder
}

/// `sheetscript --quiet run vat.rhai INPUT` with `extra` arguments.
fn vat_run(input: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sheetscript"));
    cmd.arg("--quiet")
        .arg("run")
        .arg(root().join("scripts/vat.rhai"))
        .arg(input)
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("batch: benchmark");
        return;
    }
    let runs = runs();
    let copies = env_count("SHEETSCRIPT_BENCH_COPIES", 200);
    let small_copies = env_count("SHEETSCRIPT_BENCH_SMALL_COPIES", 500);
    let dir = tempfile::tempdir().expect("temp dir");
    let big = folder(dir.path(), 10_000, copies);
    let out = dir.path().join("out");
    let out_s = out.to_str().expect("path");
    println!("batch: {copies} x 10k-row invoices through vat.rhai, {runs} runs each, medians:");
    let one = repeat(runs, || {
        measure(vat_run(
            &big.join("branch-0000.xlsx"),
            &["-o", dir.path().join("one.xlsx").to_str().expect("path")],
        ))
    });
    report("one file alone (baseline)", one, one);
    // `--jobs 1` already uses the second core for reading ahead and
    // compressing the output, so the most `--jobs 2` can gain over it is
    // less than 2x; one job on one thread is the whole work done serially,
    // and half of it is the best two cores can do.
    let mut walls = Vec::new();
    for (label, extra) in [
        ("--jobs 1", &["--jobs", "1"][..]),
        (
            "--jobs 1 --threads 1",
            &["--jobs", "1", "--threads", "1"][..],
        ),
        ("--jobs 2", &["--jobs", "2"][..]),
    ] {
        let summary = repeat(runs, || {
            let mut args = vec!["--out-dir", out_s, "--force"];
            args.extend_from_slice(extra);
            measure(vat_run(&big, &args))
        });
        report(&format!("{copies} files, {label}"), summary, one);
        walls.push(summary.wall.as_secs_f64());
    }
    println!(
        "--jobs 2 is {:.2}x as fast as --jobs 1, {:.2}x as fast as one thread; \
         it takes {:.0}% of the time of the serial work split perfectly over 2 cores",
        walls[0] / walls[2],
        walls[1] / walls[2],
        100.0 * walls[2] / (walls[1] / 2.0)
    );
    let small = folder(dir.path(), 10, small_copies);
    let summary = repeat(runs, || {
        measure(vat_run(
            &small,
            &["--out-dir", out_s, "--force", "--jobs", "1"],
        ))
    });
    report(
        &format!("{small_copies} 10-row files, --jobs 1"),
        summary,
        one,
    );
    println!(
        "per file: {:.1} ms of the batch's time",
        summary.wall.as_secs_f64() * 1000.0 / small_copies as f64
    );
}
