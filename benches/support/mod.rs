//! A small harness shared by the bench binaries: each variant runs in a
//! fresh child process (the bench binary itself, re-invoked), so its wall
//! time and its own peak memory are measured without interference from the
//! other variants. Medians over several runs are reported, with ratios
//! against a baseline measured in the same run.

#![allow(dead_code)]

pub mod data;

/// The allocator the sheetscript binary uses, so that a baseline run in
/// this process is measured on equal terms.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Environment variable that tells a re-invoked bench binary which variant
/// to run.
pub const VARIANT_ENV: &str = "SHEETSCRIPT_BENCH_VARIANT";

/// One measured run of one variant.
#[derive(Debug, Clone, Copy)]
pub struct RunSample {
    /// Wall-clock time of the child process.
    pub wall: Duration,
    /// Peak resident memory of the child, in KiB.
    pub max_rss_kib: i64,
}

/// The medians of several runs of one variant.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// Median wall time.
    pub wall: Duration,
    /// Median peak memory in KiB.
    pub max_rss_kib: i64,
}

/// The variant this process should run, when re-invoked as a child.
pub fn requested_variant() -> Option<String> {
    std::env::var(VARIANT_ENV).ok()
}

/// Runs `command` once as a child and measures it. `wait4` gives the
/// child's own resource usage, so the peak memory is that process's alone.
pub fn measure(mut command: Command) -> RunSample {
    let start = Instant::now();
    let child = command.spawn().expect("bench child starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, `status` and `usage` are valid
    // out-pointers for the duration of the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(waited, pid, "wait4 on the bench child");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "bench child {command:?} failed with status {status}"
    );
    std::mem::forget(child);
    RunSample {
        wall,
        max_rss_kib: usage.ru_maxrss,
    }
}

/// Runs the current bench binary as a child for `variant`, with `args`.
pub fn measure_variant(variant: &str, args: &[&Path]) -> RunSample {
    let mut command = Command::new(std::env::current_exe().expect("bench binary path"));
    command.env(VARIANT_ENV, variant).args(args);
    measure(command)
}

/// Runs `run` `times` times and returns the medians.
pub fn repeat(times: usize, mut run: impl FnMut() -> RunSample) -> Summary {
    let mut samples: Vec<RunSample> = (0..times).map(|_| run()).collect();
    samples.sort_by_key(|s| s.wall);
    let wall = samples[samples.len() / 2].wall;
    samples.sort_by_key(|s| s.max_rss_kib);
    let max_rss_kib = samples[samples.len() / 2].max_rss_kib;
    Summary { wall, max_rss_kib }
}

/// Prints one line of the report: the medians and the ratios to the
/// baseline.
pub fn report(name: &str, summary: Summary, baseline: Summary) {
    println!(
        "{name:<34} median {:>8.1} ms  ({:>5.2}x)   peak {:>7.1} MiB  ({:>5.2}x)",
        summary.wall.as_secs_f64() * 1000.0,
        summary.wall.as_secs_f64() / baseline.wall.as_secs_f64(),
        summary.max_rss_kib as f64 / 1024.0,
        summary.max_rss_kib as f64 / baseline.max_rss_kib as f64,
    );
}

/// How many runs per variant: `SHEETSCRIPT_BENCH_RUNS`, default 5.
pub fn runs() -> usize {
    std::env::var("SHEETSCRIPT_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5)
}
