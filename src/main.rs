//! The `sheetscript` binary: parse arguments, run, exit with the code the
//! library chose. The command line ([`cli`]) lives here rather than in the
//! library, so the library's API is the data path alone.

mod cli;

use clap::Parser;

// A run allocates a cell model, strings and XML events by the million;
// mimalloc does that markedly faster than the system allocator (about a
// tenth of a 100k-row script run went to malloc and free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Every panic is caught where it starts (a reader, a formula cell, a
    // script function) and turned into one clear message; the default
    // hook would print the raw panic text and a backtrace note as well.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = cli::Cli::parse();
    let work = std::thread::Builder::new()
        .name("sheetscript".into())
        .stack_size(sheetscript::batch::WORK_STACK)
        .spawn(move || cli::execute(cli));
    let code = match work.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        // A panic past every guard: a bug, said in one line.
        Ok(Err(panic)) => {
            let detail = sheetscript::Error::panic_detail(panic.as_ref());
            eprintln!(
                "error: sheetscript stopped on an internal error ({detail}); please report it"
            );
            1
        }
        Err(e) => {
            eprintln!("error: sheetscript could not start its work thread: {e}");
            1
        }
    };
    std::process::exit(code);
}
