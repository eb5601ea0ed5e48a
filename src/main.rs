//! The `sheetscript` binary: parse arguments, run, exit with the code the
//! library chose.

use clap::Parser;

fn main() {
    let cli = sheetscript::cli::Cli::parse();
    std::process::exit(sheetscript::cli::execute(cli));
}
