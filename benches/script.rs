//! Issue 3's speed check, in one run on a 100k-row invoices sheet:
//! - the plain pair: calamine read + rust_xlsxwriter constant-memory write
//!   (the baseline);
//! - `sheetscript run` of a script that adds VAT and Gross columns with
//!   column-wide arithmetic (done in Rust);
//! - the same script written with per-row closures.
//!
//! Run with `cargo bench --bench script`; medians of
//! `SHEETSCRIPT_BENCH_RUNS` (default 5) runs, each in its own process.

mod support;

use std::path::PathBuf;
use std::process::Command;
use support::data::{self, Extra, ROWS};
use support::*;

const COLUMN_WIDE: &str = r#"
let t = table("Invoices");
t["VAT"] = round(t.Net * t["VAT Rate"], 2);
t["Gross"] = t.Net + t.VAT;
t.save();
"#;

const PER_ROW: &str = r#"
let t = table("Invoices");
t.add_column("VAT", |row| round(row.Net * row["VAT Rate"], 2));
t.add_column("Gross", |row| row.Net + row.VAT);
t.save();
"#;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    match requested_variant().as_deref() {
        Some("plain") => return data::plain_read_write(&args[0], &args[1]),
        // Writes the input alone, for profiling one `sheetscript run` by hand.
        Some("input") => {
            return data::write_invoices_xlsx(&args[0], Extra::Nothing).expect("input");
        }
        _ => {}
    }
    if args.iter().any(|a| a == "--list") {
        println!("script: benchmark");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("invoices-100k.xlsx");
    data::write_invoices_xlsx(&input, Extra::Nothing).expect("input");
    let out = dir.path().join("out.xlsx");
    let runs = runs();
    println!("script: {ROWS} invoice rows, {runs} runs each, medians:");
    let plain = repeat(runs, || measure_variant("plain", &[&input, &out]));
    report("plain pair (calamine + xlsxwriter)", plain, plain);
    for (name, source) in [
        ("run: VAT, column-wide", COLUMN_WIDE),
        ("run: VAT, per-row closures", PER_ROW),
    ] {
        let script = dir.path().join("vat.rhai");
        std::fs::write(&script, source).expect("script");
        let summary = repeat(runs, || {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_sheetscript"));
            cmd.arg("--quiet")
                .arg("run")
                .arg(&script)
                .arg(&input)
                .arg("-o")
                .arg(&out);
            measure(cmd)
        });
        report(name, summary, plain);
    }
}
