//! Writes the ledger workbook of issue 12 (invoice rows with three formulas
//! each, Rates and Customers tables, a Summary of 100 SUMIFS/COUNTIFS, no
//! cached values) for `benches/peers/run.sh`:
//!
//!     cargo bench --bench ledger -- ROWS OUTPUT.xlsx
//!
//! With `--invoices` it writes the VAT script's input instead: the Invoices
//! sheet alone, values only (`sheetscript run scripts/vat.rhai` on it):
//!
//!     cargo bench --bench ledger -- --invoices ROWS OUTPUT.xlsx
//!
//! Run without arguments (as `cargo bench` does), it writes a 10k-row one
//! to a temporary folder and reports its size, so the generator is
//! exercised with the other benches.

mod support;

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let invoices_only = args.first().is_some_and(|a| a == "--invoices");
    if invoices_only {
        args.remove(0);
    }
    let scratch;
    let (rows, path) = match args.as_slice() {
        [rows, path] => match rows.parse::<u32>() {
            Ok(rows) if (1..=1_048_575).contains(&rows) => (rows, PathBuf::from(path)),
            _ => {
                eprintln!("ledger: ROWS must be a whole number from 1 to 1048575, not {rows:?}");
                std::process::exit(2);
            }
        },
        [] => {
            scratch = tempfile::tempdir().expect("temporary folder");
            (10_000, scratch.path().join("ledger-10k.xlsx"))
        }
        _ => {
            eprintln!("usage: cargo bench --bench ledger -- [--invoices] ROWS OUTPUT.xlsx");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let written = if invoices_only {
        support::data::write_invoices_xlsx_rows(&path, support::data::Extra::Nothing, rows)
            .map_err(|e| e.into())
    } else {
        support::data::write_ledger_xlsx(&path, rows)
    };
    if let Err(e) = written {
        eprintln!("ledger: {}: {e}", path.display());
        std::process::exit(1);
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "{} workbook, {rows} rows: {} ({:.1} MB) in {:.1} s",
        if invoices_only { "invoices" } else { "ledger" },
        path.display(),
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
}
