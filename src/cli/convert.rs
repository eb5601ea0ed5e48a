//! `sheetscript convert`: read any workbook, write it as xlsx or CSV.

use super::args::{CsvArgs, GlobalArgs, LocaleArgs, ReadLimitArgs};
use super::common::{lock_when_replacing_input, print_read_notes, print_written, Said};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::io::write::{write_workbook_sheet, WriteMethod, WriteOptions};
use sheetscript::progress::Progress;
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

The output format follows the extension of -o (.xlsx, .xlsm or .csv).
Anything the output cannot carry (charts into a new workbook, other sheets
into CSV...) is named in a warning; --strict refuses instead (exit 1).")]
pub struct ConvertArgs {
    /// The workbook to read (xlsx, xlsm, xlsb, xls, ods or CSV).
    pub input: PathBuf,
    /// Where to write; the extension picks the format.
    #[arg(short, long, value_name = "OUTPUT")]
    pub output: PathBuf,
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
}

/// Runs `sheetscript convert`.
pub fn execute(args: &ConvertArgs, global: &GlobalArgs) -> Result<()> {
    let is_csv = args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if args.sheet.is_some() && !is_csv {
        return Err(Error::Usage(
            "--sheet chooses the sheet of a CSV output; an xlsx output keeps every sheet"
                .to_string(),
        ));
    }
    let csv_out = args.locale.csv_write_options()?;
    let progress = Progress::for_terminal(global.quiet);
    let read = ReadOptions {
        progress: progress.clone(),
        csv: args.csv.to_options()?,
        limits: args.limits.to_limits(),
    };
    let _update = lock_when_replacing_input(&args.input, Some(&args.output), args.in_place)?;
    let workbook = read_workbook(&args.input, &read)?;
    print_read_notes(&workbook, &args.input, global);
    let options = WriteOptions {
        strict: args.strict,
        in_place: args.in_place,
        progress,
        csv: csv_out,
    };
    let report = write_workbook_sheet(&workbook, &args.output, &options, args.sheet.as_deref())?;
    let how = match report.method {
        WriteMethod::Patched => "updated copy of the input package",
        WriteMethod::NewXlsx => "new xlsx workbook",
        WriteMethod::Csv => "CSV",
    };
    print_written(&report, how, Said::Stdout, global);
    Ok(())
}
