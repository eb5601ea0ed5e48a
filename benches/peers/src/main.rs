//! One load + recalculate + save of a workbook by a peer engine, run once per
//! process so `benches/peers/run.sh` can time it and read its peak memory.
//!
//! Usage: `sheetscript-peers formualizer|ironcalc INPUT.xlsx OUTPUT.xlsx`.
//! Exits 1 with a message when the engine refuses the file or reports
//! formula errors, so a failed run is never tabled as a fast one.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [engine, input, output] = args.as_slice() else {
        eprintln!("usage: sheetscript-peers formualizer|ironcalc INPUT.xlsx OUTPUT.xlsx");
        return ExitCode::from(2);
    };
    let outcome = match engine.as_str() {
        "formualizer" => formualizer_recalc(Path::new(input), Path::new(output)),
        "ironcalc" => ironcalc_recalc(input, output),
        other => Err(format!("unknown engine {other:?}: formualizer or ironcalc")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{engine}: {input}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// formualizer's own whole-file path: read with calamine, evaluate every
/// formula, patch the cached values into the package and write it. Its
/// default limits (100k formula cells, 64 MB input) are raised to fit the
/// 1M-row workbook; everything else is the default configuration.
fn formualizer_recalc(input: &Path, output: &Path) -> Result<(), String> {
    use formualizer::{recalculate_xlsx_file, XlsxRecalculateLimits, XlsxRecalculateOptions};
    const GIB: usize = 1 << 30;
    let limits = XlsxRecalculateLimits {
        max_input_bytes: GIB,
        max_expanded_bytes: 8 * GIB,
        max_worksheet_bytes: 4 * GIB,
        max_formula_cells: 10_000_000,
        max_output_bytes: GIB,
        max_cells: 100_000_000,
        ..XlsxRecalculateLimits::default()
    };
    let options = XlsxRecalculateOptions {
        limits,
        ..XlsxRecalculateOptions::default()
    };
    let result =
        recalculate_xlsx_file(input, Some(output), options).map_err(|e| format!("{e:?}"))?;
    if result.summary.errors > 0 {
        return Err(format!(
            "{} formula errors: {:?}",
            result.summary.errors, result.summary.error_summary
        ));
    }
    Ok(())
}

/// IronCalc's documented path: `load_from_xlsx`, `evaluate`, `save_to_xlsx`
/// (which refuses an existing output, so it is removed first).
fn ironcalc_recalc(input: &str, output: &str) -> Result<(), String> {
    let mut model = ironcalc::import::load_from_xlsx(input, "en", "UTC", "en")
        .map_err(|e| format!("load: {e:?}"))?;
    model.evaluate();
    if Path::new(output).exists() {
        std::fs::remove_file(output).map_err(|e| format!("{output}: {e}"))?;
    }
    ironcalc::export::save_to_xlsx(&model, output).map_err(|e| format!("save: {e:?}"))
}
