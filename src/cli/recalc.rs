//! `sheetscript recalc`: evaluate every formula and write the values as
//! the cells' cached results.

use super::GlobalArgs;
use crate::formula::{Engine, EngineOptions, RecalcReport};
use crate::io::read::{read_workbook, ReadOptions};
use crate::io::write::{write_workbook, WriteOptions};
use crate::progress::Progress;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Arguments of `sheetscript recalc`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript recalc invoices.xlsx -o invoices-recalculated.xlsx
  sheetscript recalc ledger.xlsx -o ledger.xlsx --in-place --now 2026-11-27T09:00:00

Unknown functions (their cells become #NAME?), reference cycles (#CIRC!)
and formulas that cannot be read are listed as warnings.")]
pub struct RecalcArgs {
    /// The workbook to recalculate.
    pub input: PathBuf,
    /// Where to write the recalculated workbook.
    #[arg(short, long, value_name = "OUTPUT")]
    pub output: PathBuf,
    /// The clock for TODAY() and NOW(), such as 2026-11-27T09:00:00
    /// (default: the system clock).
    #[arg(long, value_name = "DATETIME", value_parser = parse_now)]
    pub now: Option<chrono::NaiveDateTime>,
    /// Refuse to write when anything would not be carried into the output.
    #[arg(long)]
    pub strict: bool,
    /// Allow OUTPUT to be INPUT itself; a backup NAME.bak.EXT is kept.
    #[arg(long)]
    pub in_place: bool,
}

/// Parses `--now`: `2026-11-27T09:00:00`, `2026-11-27 09:00` or a date.
pub fn parse_now(text: &str) -> std::result::Result<chrono::NaiveDateTime, String> {
    let t = text.trim();
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(dt);
        }
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or_else(|| format!("\"{t}\" is not a date-time like 2026-11-27T09:00:00"))
}

/// The report's problems as warnings for the user, in the wording
/// [`RecalcReport::warnings`] gives every caller.
pub fn report_warnings(report: &RecalcReport) -> Vec<String> {
    report.warnings()
}

/// Runs `sheetscript recalc`.
/// Reads a workbook into a formula engine with the given clock; a
/// workbook without sheets has nothing to calculate.
pub(super) fn load_engine(
    input: &Path,
    now: Option<chrono::NaiveDateTime>,
    progress: &Progress,
) -> Result<Engine> {
    let read = ReadOptions {
        progress: progress.clone(),
        ..ReadOptions::default()
    };
    let workbook = read_workbook(input, &read)?;
    if workbook.sheets.is_empty() {
        return Err(Error::Usage(format!("{} has no sheets", input.display())));
    }
    Ok(Engine::new(workbook, EngineOptions { now }))
}

pub fn execute(args: &RecalcArgs, global: &GlobalArgs) -> Result<()> {
    let progress = Progress::for_terminal(global.quiet);
    let mut engine = load_engine(&args.input, args.now, &progress)?;
    let report = engine.recalc_all();
    super::print_warnings(&report_warnings(&report), global);
    let workbook = engine.into_workbook();
    let changed: usize = workbook
        .sheets
        .iter()
        .map(|s| s.changed_cells().len())
        .sum();
    let options = WriteOptions {
        strict: args.strict,
        in_place: args.in_place,
        progress,
        ..WriteOptions::default()
    };
    let written = write_workbook(&workbook, &args.output, &options)?;
    super::print_warnings(&written.warnings, global);
    if !global.quiet {
        println!(
            "computed {} formulas, {changed} cells changed; wrote {}",
            report.computed,
            written.path.display()
        );
        if let Some(backup) = &written.backup {
            println!("the previous file is kept as {}", backup.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_accepts_date_times_and_dates() {
        assert_eq!(
            parse_now("2026-11-27T09:00:00").unwrap().to_string(),
            "2026-11-27 09:00:00"
        );
        assert_eq!(
            parse_now("2026-11-27").unwrap().to_string(),
            "2026-11-27 00:00:00"
        );
        assert!(parse_now("27/11/2026").is_err());
    }
}
