//! The `sheetscript` binary: parse arguments, run, exit with the code the
//! library chose.

use clap::Parser;

// A run allocates a cell model, strings and XML events by the million;
// mimalloc does that markedly faster than the system allocator (about a
// tenth of a 100k-row script run went to malloc and free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stack the work runs on. Formulas nest up to 8,192 levels (Excel's
/// longest formula is a chain of that many operators), and evaluating and
/// printing them recurse; the main thread's 8 MiB is not enough for that
/// in every build. Only what is touched is committed.
const WORK_STACK: usize = 256 << 20;

fn main() {
    let cli = sheetscript::cli::Cli::parse();
    let work = std::thread::Builder::new()
        .name("sheetscript".into())
        .stack_size(WORK_STACK)
        .spawn(move || sheetscript::cli::execute(cli));
    let code = match work.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        // execute turns errors and panics into exit codes; reaching here
        // means the thread could not start or died past its guards.
        _ => {
            eprintln!("error: sheetscript stopped on an internal error (please report it)");
            1
        }
    };
    std::process::exit(code);
}
