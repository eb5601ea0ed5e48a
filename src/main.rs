//! The `sheetscript` binary: parse arguments, run, exit with the code the
//! library chose.

use clap::Parser;

// A run allocates a cell model, strings and XML events by the million;
// mimalloc does that markedly faster than the system allocator (about a
// tenth of a 100k-row script run went to malloc and free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = sheetscript::cli::Cli::parse();
    std::process::exit(sheetscript::cli::execute(cli));
}
