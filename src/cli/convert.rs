//! `sheetscript convert`: read any workbook, write it as xlsx or CSV.

use super::args::{CsvArgs, GlobalArgs, LocaleArgs, ReadLimitArgs};
use super::batch::{execute_files, file_progress, settings, BatchArgs, Files};
use sheetscript::batch::Task;
use sheetscript::{Error, Result};
use std::path::PathBuf;

/// Arguments of `sheetscript convert`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript convert report.xls -o report.xlsx
  sheetscript convert samples/bank-statement.csv -o statement.xlsx
  sheetscript convert samples/invoices.xlsx -o summary.csv --sheet Summary
  sheetscript convert budget.ods -o budget.xlsx --strict
  sheetscript convert data.csv -o data.csv --in-place
  sheetscript convert samples/invoices.xlsx -o faktury.csv --locale cs-CZ
  sheetscript convert samples/invoices.xlsx -o faktury.csv --locale cs-CZ --csv-encoding windows-1250
  sheetscript convert 'výpis.csv' -o statement.xlsx --header-row 4 --decimal comma
  sheetscript convert 'legacy/*.xls' --out-dir converted/
  sheetscript convert exports/ --out-dir csv/ --to csv

The output format follows the extension of -o (.xlsx, .xlsm or .csv), or
--to with --out-dir.
Anything the output cannot carry (charts into a new workbook, other sheets
into CSV...) is named in a warning; --strict refuses instead (exit 1).")]
pub struct ConvertArgs {
    /// The workbook to read (xlsx, xlsm, xlsb, xls, ods or CSV); with
    /// --out-dir, any number of files, folders and patterns.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Where to write; the extension picks the format.
    #[arg(short, long, value_name = "OUTPUT", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// The format of the outputs with --out-dir: xlsx, xlsm or csv.
    #[arg(long, value_name = "FORMAT", default_value = "xlsx", requires = "out_dir",
          value_parser = ["xlsx", "xlsm", "csv"])]
    pub to: String,
    /// Refuse to write when anything would not be carried into the output.
    #[arg(long)]
    pub strict: bool,
    /// The sheet a CSV output gets (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Allow OUTPUT to be INPUT itself; a backup NAME.bak.EXT is kept.
    #[arg(long)]
    pub in_place: bool,
    /// How to read a CSV input.
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Language conventions and how to write a CSV output.
    #[command(flatten)]
    pub locale: LocaleArgs,
    /// How much the input may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
    /// Many inputs at once.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Runs `sheetscript convert`; returns the exit code.
pub fn execute(args: &ConvertArgs, global: &GlobalArgs) -> Result<i32> {
    let batch = args.batch.is_batch(&args.inputs);
    let is_csv = if batch {
        args.to == "csv"
    } else {
        args.output
            .as_ref()
            .and_then(|o| o.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    };
    if args.sheet.is_some() && !is_csv {
        return Err(Error::Usage(
            "--sheet chooses the sheet of a CSV output; an xlsx output keeps every sheet"
                .to_string(),
        ));
    }
    let settings = settings(
        file_progress(batch, global),
        args.csv.to_options()?,
        args.limits.to_limits(),
        args.strict,
        args.locale.csv_write_options()?,
    );
    let task = Task::Convert {
        sheet: args.sheet.clone(),
    };
    let files = Files {
        inputs: &args.inputs,
        output: args.output.as_ref(),
        in_place: args.in_place,
        args: &args.batch,
        extension: Some(args.to.clone()),
    };
    execute_files(files, task, settings, global)
}
