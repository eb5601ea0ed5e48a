//! `sheetscript test`: run the scripts' examples and say which give the
//! figures they should.

use super::args::GlobalArgs;
use sheetscript::examples::{self, example_name, Verdict};
use sheetscript::{Error, Result};
use std::path::PathBuf;

/// Arguments of `sheetscript test`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript test scripts/
  sheetscript test scripts/vat.rhai
  sheetscript test scripts/examples/vat/
  sheetscript test scripts/examples/vat/sample-invoices.toml

The examples of scripts/NAME.rhai are the .toml files in
scripts/examples/NAME/. Each names an input workbook (or holds its sheets),
the --set values, --today and attached workbooks, and the figures the script
must leave (cell = value, or a row or block of values from that cell; or
`expect_workbook = FILE`, every cell of it), or the message it must stop
with. The script runs as `run` does, into a
temporary xlsx that is read back (nothing of yours is written), and each
example prints `ok` or `FAILED` with every cell that differs: sheet, cell,
expected, got. Numbers are compared exactly as the example writes them.
docs/SCRIPTING.md shows how to add one.

Exit codes: 0 every example passed, 1 an example failed, 2 an example (or
the path given) could not be used.")]
pub struct TestArgs {
    /// A folder of scripts, a script, a script's examples folder, or one
    /// example file.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// How many differing cells one failed example shows.
const SHOWN: usize = 20;

/// Runs `sheetscript test`; returns the exit code.
pub fn execute(args: &TestArgs, _global: &GlobalArgs) -> Result<i32> {
    let mut found = Vec::new();
    for p in &args.paths {
        found.extend(examples::find(p)?);
    }
    let total: usize = found.iter().map(|f| f.examples.len()).sum();
    if total == 0 {
        let dirs: Vec<String> = found
            .iter()
            .map(|f| examples::examples_dir_of(&f.script).display().to_string())
            .collect();
        return Err(Error::Usage(format!(
            "no examples found (a script's examples are .toml files in {})",
            if dirs.is_empty() {
                "scripts/examples/NAME/".to_string()
            } else {
                dirs.join(", ")
            }
        )));
    }
    let today = chrono::Local::now().date_naive();
    let (mut passed, mut failed, mut unusable) = (0, 0, 0);
    for f in &found {
        if f.examples.is_empty() {
            println!(
                "no examples  {} (add them in {})",
                f.script.display(),
                examples::examples_dir_of(&f.script).display()
            );
        }
        for e in &f.examples {
            let name = example_name(&f.script, e);
            match examples::run_example(&f.script, e, today) {
                Verdict::Passed => {
                    passed += 1;
                    println!("ok           {name}");
                }
                Verdict::Failed(lines) => {
                    failed += 1;
                    println!("FAILED       {name} ({})", e.display());
                    for l in lines.iter().take(SHOWN) {
                        println!("    {l}");
                    }
                    if lines.len() > SHOWN {
                        println!("    ... and {} more", lines.len() - SHOWN);
                    }
                }
                Verdict::Unusable(why) => {
                    unusable += 1;
                    println!("UNUSABLE     {name}");
                    println!("    {why}");
                }
            }
        }
    }
    let mut summary = format!("{total} example(s): {passed} ok, {failed} FAILED");
    if unusable > 0 {
        summary.push_str(&format!(", {unusable} UNUSABLE"));
    }
    println!("{summary}");
    Ok(if unusable > 0 {
        2
    } else if failed > 0 {
        1
    } else {
        0
    })
}
