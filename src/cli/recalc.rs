//! `sheetscript recalc`: evaluate every formula and write the values as
//! the cells' cached results.

use super::args::{parse_now, GlobalArgs, ReadLimitArgs};
use super::batch::{execute_files, file_progress, settings, BatchArgs, Files};
use sheetscript::batch::Task;
use sheetscript::io::read::CsvOptions;
use sheetscript::io::write::csv::CsvWriteOptions;
use sheetscript::Result;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `sheetscript recalc`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript recalc invoices.xlsx -o invoices-recalculated.xlsx
  sheetscript recalc ledger.xlsx -o ledger.xlsx --in-place --now 2026-11-27T09:00:00
  sheetscript recalc exports/ --out-dir recalculated/ --report recalc.csv

Unknown functions (their cells become #NAME?), reference cycles (#CIRC!)
and formulas that cannot be read are listed as warnings.")]
pub struct RecalcArgs {
    /// The workbook to recalculate; with --out-dir, any number of files,
    /// folders and patterns.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Where to write the recalculated workbook.
    #[arg(short, long, value_name = "OUTPUT", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
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
    /// Stop calculating after this many seconds (0 for no limit); nothing
    /// is written then and the exit code is 1.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub timeout: u64,
    /// How much the input may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
    /// Many inputs at once.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Runs `sheetscript recalc`; returns the exit code.
pub fn execute(args: &RecalcArgs, global: &GlobalArgs) -> Result<i32> {
    let task = Task::Recalc {
        now: args.now,
        timeout: (args.timeout > 0).then(|| Duration::from_secs(args.timeout)),
    };
    let batch = args.batch.is_batch(&args.inputs);
    let settings = settings(
        file_progress(batch, global),
        CsvOptions::default(),
        args.limits.to_limits(),
        args.strict,
        CsvWriteOptions::default(),
    );
    let files = Files {
        inputs: &args.inputs,
        output: args.output.as_ref(),
        in_place: args.in_place,
        args: &args.batch,
        extension: None,
    };
    execute_files(files, task, settings, global)
}
