//! `sheetscript check`: a script's findings before it runs (syntax,
//! unknown functions, argument counts, undeclared parameters, and given
//! a workbook the sheet, table and column names not in it).

use super::args::{CsvArgs, GlobalArgs, ReadLimitArgs};
use super::common::print_read_notes;
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::progress::Progress;
use sheetscript::script::{check_script, render_findings};
use sheetscript::{Error, Result};
use std::path::PathBuf;

/// Arguments of `sheetscript check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript check scripts/vat.rhai                        # syntax, functions, parameters
  sheetscript check scripts/vat.rhai samples/invoices.xlsx  # and the names it reads there
  sheetscript check my.rhai invoices.xlsx --json            # the findings as data

Each finding is printed as FILE:LINE:COL, the line with a caret under the
place, and what is wrong, with the name probably meant. Names the script
creates (a sheet it adds, a column it sets) or tests for (has_sheet, `in`,
try) are not findings. Exit codes: 0 nothing found, 1 findings, 2 the script
or the workbook cannot be read.")]
pub struct CheckArgs {
    /// The rhai script to check.
    pub script: PathBuf,
    /// A workbook the script will run on: its sheet, table and column names
    /// are checked against the names the script reads.
    pub workbook: Option<PathBuf>,
    /// Print the findings as JSON (kind, line, column, message, suggestion).
    #[arg(long)]
    pub json: bool,
    /// How to read a CSV workbook.
    #[command(flatten)]
    pub csv: CsvArgs,
    /// How much the workbook may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
}

/// Runs `sheetscript check`; returns the exit code.
pub fn execute(args: &CheckArgs, global: &GlobalArgs) -> Result<i32> {
    let source = std::fs::read_to_string(&args.script)
        .map_err(|e| Error::unreadable(&args.script, format!("cannot read the script: {e}")))?;
    let workbook = match &args.workbook {
        Some(path) => {
            let options = ReadOptions {
                progress: Progress::for_terminal(global.quiet),
                csv: args.csv.to_options()?,
                limits: args.limits.to_limits(),
            };
            let workbook = read_workbook(path, &options)?;
            print_read_notes(&workbook, path, global);
            Some(workbook)
        }
        None => None,
    };
    let name = args.script.display().to_string();
    let findings = check_script(&source, &name, workbook).map_err(|e| match &args.workbook {
        Some(path) => Error::unreadable(path, e.to_string()),
        None => e,
    })?;
    if args.json {
        let json = serde_json::to_string_pretty(&findings)
            .map_err(|e| Error::Script(format!("cannot write the findings: {e}")))?;
        println!("{json}");
    } else {
        print!("{}", render_findings(&findings, &name, &source));
        if !global.quiet {
            match findings.len() {
                0 => eprintln!("{name}: no findings"),
                1 => eprintln!("{name}: 1 finding"),
                n => eprintln!("{name}: {n} findings"),
            }
        }
    }
    Ok(if findings.is_empty() { 0 } else { 1 })
}
