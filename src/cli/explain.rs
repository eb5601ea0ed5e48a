//! `sheetscript explain`: print why a cell holds its value, as the tree
//! of what its formula reads.

use super::args::{parse_now, GlobalArgs, ReadLimitArgs};
use super::common::{deadline, load_engine, print_warnings};
use sheetscript::formula::{explain, target_cell, ExplainOptions};
use sheetscript::progress::Progress;
use sheetscript::{Error, Result};
use std::path::PathBuf;

/// Arguments of `sheetscript explain`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript explain samples/invoices.xlsx 'Summary!B3'
  sheetscript explain samples/ledger.xlsx 'Summary!B3' --depth 1
  sheetscript explain report.xlsx 'Q4!F12' --width 20 --json

The workbook is recalculated first, as `recalc` does. Each line is one
precedent: its address, its value as Excel shows it and its formula;
ranges are summarised (cells, numbers, text, empty, sum), defined names
and table columns show the cells they stand for, lookups the row or
column that matched and the cell the value came from, SUMIFS and
COUNTIFS how many rows met their criteria, IF and IFERROR which
argument they took. A cell met twice is shown
once (later: \"shown above\"); what lies below --depth or beyond --width
is counted on a line of its own. --json prints the same tree as data.")]
pub struct ExplainArgs {
    /// The workbook to read.
    pub input: PathBuf,
    /// The cell to explain, such as `Summary!B7` (`B7` on the first
    /// sheet), or a defined name of one cell.
    pub cell: String,
    /// Levels of precedents shown below the cell.
    #[arg(long, value_name = "N", default_value_t = ExplainOptions::DEFAULT_DEPTH, value_parser = clap::value_parser!(u16).range(1..))]
    pub depth: u16,
    /// Precedents shown under any one line; the rest are counted.
    #[arg(long, value_name = "N", default_value_t = ExplainOptions::DEFAULT_WIDTH, value_parser = clap::value_parser!(u16).range(1..))]
    pub width: u16,
    /// Print the tree as JSON.
    #[arg(long)]
    pub json: bool,
    /// The sheet an unqualified cell is on (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The clock for TODAY() and NOW(), such as 2026-11-27T09:00:00.
    #[arg(long, value_name = "DATETIME", value_parser = parse_now)]
    pub now: Option<chrono::NaiveDateTime>,
    /// Stop calculating after this many seconds (0 for no limit); the
    /// exit code is 1 then.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub timeout: u64,
    /// How much the input may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
}

/// Runs `sheetscript explain`.
pub fn execute(args: &ExplainArgs, global: &GlobalArgs) -> Result<()> {
    let progress = Progress::for_terminal(global.quiet);
    let mut engine = load_engine(&args.input, args.now, &progress, args.limits.to_limits())?;
    engine.set_deadline(deadline(args.timeout));
    // What Excel saved for the cell, before recalculating replaces it.
    let (sheet, addr) = target_cell(engine.workbook(), &args.cell, args.sheet.as_deref())?;
    let saved = engine.workbook().sheets[sheet].value(addr).clone();
    let report = engine.recalc_all();
    report.check_time()?;
    print_warnings(&report.warnings(), global);
    let options = ExplainOptions {
        depth: usize::from(args.depth),
        width: usize::from(args.width),
    };
    let mut explanation = explain(&mut engine, &args.cell, args.sheet.as_deref(), &options)?;
    explanation.compare_saved(&saved, engine.workbook());
    if let (Some(note), false) = (explanation.saved_note(), global.quiet) {
        eprintln!("note: {note}");
    }
    if args.json {
        let text = serde_json::to_string_pretty(&explanation).map_err(|e| {
            Error::Usage(format!("the explanation could not be written as JSON: {e}"))
        })?;
        println!("{text}");
    } else {
        print!("{}", explanation.to_text());
    }
    Ok(())
}
