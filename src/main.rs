//! The `sheetscript` binary: parse arguments, run, exit with the code the
//! library chose.

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = sheetscript::cli::Cli::parse();
    std::process::exit(sheetscript::cli::execute(cli));
}
