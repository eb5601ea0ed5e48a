//! `sheetscript recalc`: evaluate every formula and write the values as
//! the cells' cached results.

use super::args::{parse_now, GlobalArgs, ReadLimitArgs};
use super::common::{
    deadline, load_engine, lock_when_replacing_input, print_warnings, print_written, Said,
};
use sheetscript::io::write::{write_workbook, WriteOptions};
use sheetscript::progress::Progress;
use sheetscript::Result;
use std::path::PathBuf;

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
    /// Stop calculating after this many seconds (0 for no limit); nothing
    /// is written then and the exit code is 1.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub timeout: u64,
    /// How much the input may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
}

/// Runs `sheetscript recalc`.
pub fn execute(args: &RecalcArgs, global: &GlobalArgs) -> Result<()> {
    let progress = Progress::for_terminal(global.quiet);
    let _update = lock_when_replacing_input(&args.input, Some(&args.output), args.in_place)?;
    let mut engine = load_engine(&args.input, args.now, &progress, args.limits.to_limits())?;
    engine.set_deadline(deadline(args.timeout));
    let report = engine.recalc_all();
    report.check_time()?;
    print_warnings(&report.warnings(), global);
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
    print_written(
        &written,
        &format!(
            "computed {} formulas, {changed} cells changed",
            report.computed
        ),
        Said::Stdout,
        global,
    );
    Ok(())
}
