//! Issue 2's speed check, on a 100k-row x 10-column invoices sheet:
//! - the plain pair: calamine read + rust_xlsxwriter constant-memory write
//!   of the same values (the baseline);
//! - write-back: `read_workbook` + one column changed in every row +
//!   `write_workbook` into xlsx (the package patcher);
//! - `sheetscript convert` of the same sheet from CSV to xlsx.
//!
//! Run with `cargo bench --bench io`. Each variant runs in its own child
//! process so peak memory is its own; medians of `SHEETSCRIPT_BENCH_RUNS`
//! (default 5) runs.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::data::{self, Extra, ROWS};
use support::*;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if let Some(variant) = requested_variant() {
        match variant.as_str() {
            "plain" => data::plain_read_write(&args[0], &args[1]),
            "writeback" => write_back(&args[0], &args[1]),
            other => panic!("unknown variant {other}"),
        }
        return;
    }
    if args.iter().any(|a| a == "--list") {
        println!("io: benchmark");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let xlsx = dir.path().join("invoices-100k.xlsx");
    let csv = dir.path().join("invoices-100k.csv");
    data::write_invoices_xlsx(&xlsx, Extra::Values).expect("xlsx input");
    data::write_invoices_csv(&csv).expect("csv input");
    let out = dir.path().join("out.xlsx");
    let runs = runs();
    println!("io: {ROWS} rows x 10 columns, {runs} runs each, medians:");
    let plain = repeat(runs, || measure_variant("plain", &[&xlsx, &out]));
    report("plain pair (calamine + xlsxwriter)", plain, plain);
    let writeback = repeat(runs, || measure_variant("writeback", &[&xlsx, &out]));
    report("write-back (one column changed)", writeback, plain);
    let convert = repeat(runs, || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sheetscript"));
        cmd.arg("--quiet")
            .arg("convert")
            .arg(&csv)
            .arg("-o")
            .arg(&out);
        measure(cmd)
    });
    report("sheetscript convert CSV -> xlsx", convert, plain);
}

/// Write-back through sheetscript: read, change the Gross column in every
/// row, write into xlsx (patching the package).
fn write_back(input: &Path, output: &Path) {
    use sheetscript::io::read::{read_workbook, ReadOptions};
    use sheetscript::io::write::{write_workbook, WriteOptions};
    use sheetscript::model::{CellAddr, Number, Value};
    let mut book = read_workbook(input, &ReadOptions::default()).expect("read");
    let sheet = &mut book.sheets[0];
    let rate = Number::from_f64(1.21);
    for row in 1..=ROWS {
        let net = sheet.value(CellAddr::new(row, 4)).as_number().expect("net");
        sheet.set_value(
            CellAddr::new(row, 8),
            Value::Number((net * rate).round_half_away(2)),
        );
    }
    write_workbook(&book, output, &WriteOptions::default()).expect("write");
}
