//! Issue 4's speed check: a workbook of 100k invoice rows with three
//! formulas per row (VAT, gross, a VLOOKUP of the customer's terms) and a
//! summary sheet of SUMIFS per customer.
//! - in process: a full recalculation, the same with 10k exact lookups of
//!   invoice numbers into the whole column (issue 12's lookup indexes),
//!   and a recalculation after changing one input cell (only its
//!   dependents);
//! - end to end: `sheetscript recalc` (load, recalculate, save) against
//!   headless LibreOffice loading, recalculating and saving the same file
//!   (skipped where `soffice` is missing).
//!
//! Run with `cargo bench --bench recalc`; medians of
//! `SHEETSCRIPT_BENCH_RUNS` (default 5) runs.

mod support;

use sheetscript::formula::{Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::{CellAddr, Number, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use support::data::{self, Extra, ROWS};
use support::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("recalc: benchmark");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("invoices-formulas-100k.xlsx");
    data::write_invoices_xlsx(&input, Extra::Formulas).expect("input");
    let runs = runs();
    println!("recalc: {ROWS} rows x 3 formulas + 500 SUMIFS, {runs} runs each, medians:");

    let book = read_workbook(&input, &ReadOptions::default()).expect("read");
    let full = median(runs, || {
        let mut engine = Engine::new(book.clone(), EngineOptions::default());
        let start = Instant::now();
        let report = engine.recalc_all();
        let took = start.elapsed();
        assert!(report.unknown_functions.is_empty() && report.cycles.is_empty());
        took
    });
    println!(
        "{:<34} median {:>8.1} ms",
        "full recalc (in process)",
        ms(full)
    );
    // Issue 12's lookup indexes: exact lookups of invoice numbers into the
    // whole 100k-row column, each found by the column's one hash index
    // instead of a scan of half the column on average.
    let mut lookups = book.clone();
    let sheet = lookups.add_sheet("Lookups").expect("new sheet");
    for k in 0..LOOKUPS {
        let row = 2 + k * (ROWS / LOOKUPS);
        let formula = if k % 2 == 0 {
            format!("XMATCH(Invoices!B{row},Invoices!$B$2:$B${},0)", ROWS + 1)
        } else {
            format!(
                "VLOOKUP(Invoices!B{row},Invoices!$B$2:$E${},4,FALSE)",
                ROWS + 1
            )
        };
        lookups.sheets[sheet].set_formula(CellAddr::new(k, 0), &formula, Value::Empty);
    }
    let indexed = median(runs, || {
        let mut engine = Engine::new(lookups.clone(), EngineOptions::default());
        let start = Instant::now();
        engine.recalc_all();
        start.elapsed()
    });
    println!(
        "{:<34} median {:>8.1} ms",
        format!("full + {LOOKUPS} exact lookups"),
        ms(indexed)
    );

    let mut engine = Engine::new(book, EngineOptions::default());
    engine.recalc_all();
    let mut n = 0;
    let one = median(runs, || {
        n += 1;
        let start = Instant::now();
        engine
            .set_value(
                "Invoices",
                CellAddr::new(500, 4),
                Value::Number(Number::from_i64(n)),
            )
            .expect("sheet exists");
        let report = engine.recalc_dirty();
        let took = start.elapsed();
        assert!(
            report.computed < 1_000,
            "one edit recomputed {} cells",
            report.computed
        );
        took
    });
    println!(
        "{:<34} median {:>8.3} ms  ({:.0}x faster than full)",
        "one input changed (in process)",
        ms(one),
        full.as_secs_f64() / one.as_secs_f64()
    );

    let out = dir.path().join("out.xlsx");
    let ours = repeat(runs, || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sheetscript"));
        cmd.arg("--quiet")
            .arg("recalc")
            .arg(&input)
            .arg("-o")
            .arg(&out);
        measure(cmd)
    });
    match libreoffice() {
        Some(soffice) => {
            let lo = repeat(runs, || {
                measure(libreoffice_recalc(&soffice, &input, dir.path()))
            });
            report("LibreOffice load-recalc-save", lo, lo);
            report("sheetscript recalc (load-recalc-save)", ours, lo);
            println!(
                "sheetscript is {:.1}x faster than LibreOffice",
                lo.wall.as_secs_f64() / ours.wall.as_secs_f64()
            );
        }
        None => {
            println!("soffice not found: LibreOffice comparison skipped");
            report("sheetscript recalc (load-recalc-save)", ours, ours);
        }
    }
}

/// Exact lookups of the lookup case, spread over the invoice rows.
const LOOKUPS: u32 = 10_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

fn libreoffice() -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join("soffice"))
        .find(|p| p.exists())
}

/// LibreOffice with a profile whose only setting is "always recalculate
/// on load" (`../shared/libreoffice/profile`), saving back to xlsx.
fn libreoffice_recalc(soffice: &Path, input: &Path, dir: &Path) -> Command {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/libreoffice/profile/user");
    let profile = dir.join("lo-profile");
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).expect("profile dir");
    copy_dir(&shared, &profile.join("user"));
    let outdir = dir.join("lo-out");
    let mut cmd = Command::new(soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args([
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
    ])
    .arg(&outdir)
    .arg(input)
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null());
    cmd
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("copy profile");
    for entry in std::fs::read_dir(from)
        .expect("LibreOffice profile in ../shared/libreoffice")
        .flatten()
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy profile file");
        }
    }
}
