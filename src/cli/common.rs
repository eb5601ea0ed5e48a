//! What several commands print or do the same way: warnings and notes,
//! the lines that say what was written, and loading a workbook for the
//! formula engine. One helper each, so the commands cannot drift apart
//! in wording or stream.

use super::args::GlobalArgs;
use sheetscript::batch::{run_job, Job, Listener, Notice, Outcome, Settings, Task};
use sheetscript::formula::{Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadLimits, ReadOptions};
use sheetscript::io::write::WriteReport;
use sheetscript::model::Workbook;
use sheetscript::progress::Progress;
use sheetscript::{Error, Result};
use std::path::Path;

/// Prints warnings to stderr, unless `--quiet`.
pub fn print_warnings(warnings: &[String], global: &GlobalArgs) {
    if global.quiet {
        return;
    }
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Prints what the reader of `path` left out (a CSV's title lines), one
/// line each, unless `--quiet`.
pub fn print_read_notes(workbook: &Workbook, path: &Path, global: &GlobalArgs) {
    if global.quiet {
        return;
    }
    for n in &workbook.read_notes {
        eprintln!("note: {}: {n}", path.display());
    }
}

/// Where a command says what it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    /// On stdout: the command's result (`convert`, `recalc`).
    Stdout,
    /// On stderr, after what the script printed there (`run`), so the
    /// summary stays in order with the script's own lines.
    Stderr,
}

/// Prints what a writing command did, unless `--quiet`: `wrote PATH:
/// DETAIL` and the backup an in-place write kept, in the same words for
/// every command (the writer's warnings were told as the job ran).
pub fn print_written(report: &WriteReport, detail: &str, said: Said, global: &GlobalArgs) {
    if global.quiet {
        return;
    }
    let mut lines = vec![format!("wrote {}: {detail}", report.path.display())];
    if let Some(backup) = &report.backup {
        lines.push(format!("the previous file is kept as {}", backup.display()));
    }
    for line in lines {
        match said {
            Said::Stdout => println!("{line}"),
            Said::Stderr => eprintln!("{line}"),
        }
    }
}

/// Reads a workbook into a formula engine with the given clock; a
/// workbook without sheets has nothing to calculate.
pub fn load_engine(
    input: &Path,
    now: Option<chrono::NaiveDateTime>,
    progress: &Progress,
    limits: ReadLimits,
) -> Result<Engine> {
    let read = ReadOptions {
        progress: progress.clone(),
        limits,
        ..ReadOptions::default()
    };
    let workbook = read_workbook(input, &read)?;
    if workbook.sheets.is_empty() {
        return Err(Error::Usage(format!("{} has no sheets", input.display())));
    }
    Ok(Engine::new(
        workbook,
        EngineOptions {
            now,
            ..Default::default()
        },
    ))
}

/// The calculation deadline of a `--timeout` of `secs` seconds counted
/// from now (0: no limit).
pub fn deadline(secs: u64) -> Option<sheetscript::formula::Deadline> {
    (secs > 0).then(|| sheetscript::formula::Deadline::after(std::time::Duration::from_secs(secs)))
}

/// Runs one file through the runner as the single-file commands always
/// have: notes and warnings on stderr as they come (unless `--quiet`),
/// and the job's error as the command's.
pub fn run_single(
    job: &Job,
    task: &Task,
    settings: &Settings,
    global: &GlobalArgs,
) -> Result<Outcome> {
    let mut outcome = run_job(
        job,
        task,
        settings,
        &SingleListener {
            quiet: global.quiet,
        },
    );
    match outcome.error.take() {
        Some(e) => Err(e),
        None => Ok(outcome),
    }
}

/// Tells one file's notices the way a single-file command prints them.
struct SingleListener {
    quiet: bool,
}

impl Listener for SingleListener {
    fn notice(&self, _job: &Job, notice: Notice<'_>) {
        if self.quiet {
            return;
        }
        match notice {
            Notice::Warning(w) => eprintln!("warning: {w}"),
            Notice::Note(n) => eprintln!("note: {n}"),
        }
    }
}
