//! The command line: argument parsing and printing only; all work is done
//! by the library. It belongs to the binary, not to the library's API, so
//! it can change with the commands without breaking library users. One
//! module per subcommand, plus the argument groups and printing they share.

pub mod args;
pub mod batch;
pub mod common;
pub mod convert;
pub mod eval;
pub mod functions;
pub mod recalc;
pub mod report;
pub mod run;
pub mod script_help;
pub mod serve;
pub mod show;

use clap::{Parser, Subcommand};

pub use args::GlobalArgs;

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
  sheetscript run scripts/vat.rhai 'invoices/*.xlsx' --out-dir checked/

Exit codes: 0 success, 1 the run failed (in a batch: any file failed), 2 bad
usage or unreadable input (in a batch: no input could be read).
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
    /// Print the script API reference and the script header's format.
    Functions(functions::FunctionsArgs),
    /// Work with batch reports: merge the reports of several shards.
    Report(report::ReportArgs),
    /// Serve a local web page to pick a script, preview and run it.
    Serve(serve::ServeArgs),
}

/// Runs the parsed command; returns the process exit code.
pub fn execute(cli: Cli) -> i32 {
    sheetscript::threads::set_limit(cli.global.threads.map(usize::from));
    // The commands that can run a batch choose their exit code (1 when
    // some files failed); the others succeed with 0.
    let result = match &cli.command {
        Command::Show(a) => show::execute(a, &cli.global).map(|()| 0),
        Command::Convert(a) => convert::execute(a, &cli.global),
        Command::Run(a) => run::execute(a, &cli.global),
        Command::Recalc(a) => recalc::execute(a, &cli.global),
        Command::Eval(a) => eval::execute(a, &cli.global).map(|()| 0),
        Command::Functions(a) => functions::execute(a, &cli.global).map(|()| 0),
        Command::Report(a) => report::execute(a, &cli.global).map(|()| 0),
        Command::Serve(a) => serve::execute(a).map(|()| 0),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
