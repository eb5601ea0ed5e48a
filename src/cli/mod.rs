//! The command line: argument parsing and printing only; all work is done
//! by the library. One module per subcommand.

pub mod convert;
pub mod eval;
pub mod functions;
pub mod recalc;
pub mod run;
pub mod show;

use clap::{Parser, Subcommand};

/// Options every subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// No progress bars and no warnings on stderr (errors are still shown).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// How to read a CSV input when detection from the content is not enough
/// (flattened into the commands that read a workbook).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CsvArgs {
    /// CSV field delimiter (default: detected), such as `;` or `tab`.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// CSV numbers use a decimal comma (`1.234,56`) (default: detected).
    #[arg(long)]
    pub decimal_comma: bool,
    /// CSV text encoding, such as `utf-8`, `windows-1250` (default: detected).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
}

impl CsvArgs {
    /// The reader's CSV options; a delimiter or encoding that makes no
    /// sense is a usage error.
    pub fn to_options(&self) -> crate::Result<crate::io::read::CsvOptions> {
        let delimiter = match self.delimiter.as_deref() {
            None => None,
            Some("tab" | "\\t") => Some(b'\t'),
            Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            Some(d) => {
                return Err(crate::Error::Usage(format!(
                    "--delimiter {d:?}: give one character such as ';' or ',', or `tab`"
                )))
            }
        };
        let encoding = match self.encoding.as_deref() {
            None => None,
            Some(label) => Some(
                encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                    crate::Error::Usage(format!(
                        "--encoding {label:?}: unknown encoding; try utf-8, windows-1250 or windows-1252"
                    ))
                })?,
            ),
        };
        Ok(crate::io::read::CsvOptions {
            delimiter,
            decimal_comma: self.decimal_comma.then_some(true),
            encoding,
        })
    }
}

/// sheetscript: run finance rules written as scripts on your workbooks.
#[derive(Debug, Parser)]
#[command(
    name = "sheetscript",
    version,
    about,
    long_about = None,
    after_help = "EXAMPLES:
  sheetscript show samples/invoices.xlsx
  sheetscript convert report.xls -o report.xlsx
  sheetscript run scripts/vat.rhai samples/invoices.xlsx -o out.xlsx

Exit codes: 0 success, 1 the run failed, 2 bad usage or unreadable input.
Run `sheetscript <COMMAND> --help` for each command's options and examples."
)]
pub struct Cli {
    /// Options shared by all commands.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a workbook's cells as a table, with a summary per sheet.
    Show(show::ShowArgs),
    /// Convert any readable workbook to xlsx or CSV.
    Convert(convert::ConvertArgs),
    /// Run a script on a workbook.
    Run(run::RunArgs),
    /// Evaluate every formula and write the values as cached results.
    Recalc(recalc::RecalcArgs),
    /// Print one cell's computed value, or evaluate a formula.
    Eval(eval::EvalArgs),
    /// Print the script API reference.
    Functions(functions::FunctionsArgs),
}

/// Prints write or run warnings to stderr, unless `--quiet`.
pub fn print_warnings(warnings: &[String], global: &GlobalArgs) {
    if global.quiet {
        return;
    }
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Runs the parsed command; returns the process exit code.
pub fn execute(cli: Cli) -> i32 {
    let result = match &cli.command {
        Command::Show(a) => show::execute(a, &cli.global),
        Command::Convert(a) => convert::execute(a, &cli.global),
        Command::Run(a) => run::execute(a, &cli.global),
        Command::Recalc(a) => recalc::execute(a, &cli.global),
        Command::Eval(a) => eval::execute(a, &cli.global),
        Command::Functions(a) => functions::execute(a, &cli.global),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
