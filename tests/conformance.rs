//! Formula conformance: evaluates every formula cell of the Excel-saved
//! workbooks in `../shared/corpus/ironcalc` and compares with the values
//! Excel cached. Fails when the number of matching cells drops below the
//! committed baseline (`tests/conformance_baseline.txt`), so the count
//! only goes up. Set `CONFORMANCE_VERBOSE=1` to list the mismatches.

mod support;

use support::external;

use sheetscript::formula::printer::walk;
use sheetscript::formula::{parse, Engine, EngineOptions, Expr};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::{CellAddr, Value, Workbook};
use std::collections::BTreeMap;
use std::path::Path;

const VOLATILE: [&str; 5] = ["RAND", "RANDBETWEEN", "TODAY", "NOW", "RANDARRAY"];

struct Loaded {
    workbook: Workbook,
    /// (sheet, cell, formula text, cached value)
    formulas: Vec<(String, CellAddr, String, Value)>,
    tolerance: f64,
}

fn load(path: &Path) -> Result<Loaded, String> {
    let wb = read_workbook(path, &ReadOptions::default()).map_err(|e| e.to_string())?;
    let mut formulas = Vec::new();
    let mut tolerance = 5e-8;
    for sheet in &wb.sheets {
        for (addr, cell) in sheet.cells() {
            if let Some(f) = &cell.formula {
                formulas.push((sheet.name.clone(), addr, f.to_string(), cell.value.clone()));
            }
        }
        if sheet.name.eq_ignore_ascii_case("METADATA") {
            if let Some(n) = sheet.value(CellAddr::new(0, 0)).as_number() {
                tolerance = n.to_f64();
            }
        }
    }
    Ok(Loaded {
        workbook: wb,
        formulas,
        tolerance,
    })
}

fn matches(got: &Value, want: &Value, tol: f64) -> bool {
    let num = |v: &Value| v.as_number().map(|n| n.to_f64());
    match (num(got), num(want)) {
        (Some(a), Some(b)) => {
            let d = (a - b).abs();
            d < tol || d / a.hypot(b) < tol
        }
        _ => match (got, want) {
            (Value::Text(a), Value::Text(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Error(a), Value::Error(b)) => a == b,
            (Value::Empty, Value::Text(b)) => b.is_empty(),
            _ => false,
        },
    }
}

fn functions_of(formula: &str) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(e) = parse(formula) {
        walk(&e, &mut |n| {
            if let Expr::Call { name, .. } = n {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        });
    }
    if names.is_empty() {
        names.push("(operators)".to_string());
    }
    names
}

#[test]
fn ironcalc_conformance() {
    let Some(dir) = external::corpus("ironcalc") else {
        return;
    };
    let Some(paths) = external::corpus_files("ironcalc", &["xlsx"]) else {
        return;
    };
    let verbose = std::env::var("CONFORMANCE_VERBOSE").is_ok();
    let (mut pass, mut total) = (0usize, 0usize);
    let mut per_fn: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    for path in &paths {
        let rel = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        let loaded = match load(path) {
            Ok(l) => l,
            Err(e) => {
                println!("{rel}: cannot load: {e}");
                continue;
            }
        };
        let mut engine = Engine::new(
            loaded.workbook,
            EngineOptions {
                now: Some(now),
                ..Default::default()
            },
        );
        let report = engine.recalc_all();
        let (mut fp, mut ft) = (0, 0);
        for (sheet, addr, formula, cached) in &loaded.formulas {
            let fns = functions_of(formula);
            if fns.iter().any(|f| VOLATILE.contains(&f.as_str())) || cached.is_empty() {
                continue;
            }
            let got = engine
                .workbook()
                .sheet(sheet)
                .map(|s| s.value(*addr).clone())
                .unwrap_or_default();
            // A cell that kept Excel's saved value because a function is
            // absent here was not computed: it does not count as a match.
            let kept = fns.iter().any(|f| report.kept_cached.contains(f));
            let ok = !kept && matches(&got, cached, loaded.tolerance);
            ft += 1;
            fp += ok as usize;
            for f in fns {
                let e = per_fn.entry(f).or_default();
                e.0 += ok as usize;
                e.1 += 1;
            }
            if !ok && verbose {
                println!("  {rel} {sheet}!{addr} ={formula}: got {got:?}, Excel {cached:?}");
            }
        }
        println!("{rel}: {fp}/{ft}");
        pass += fp;
        total += ft;
    }
    let mut worst: Vec<(&String, &(usize, usize))> =
        per_fn.iter().filter(|(_, (p, t))| p < t).collect();
    worst.sort_by_key(|(_, (p, t))| std::cmp::Reverse(t - p));
    println!("functions with mismatches (pass/total):");
    for (name, (p, t)) in worst {
        println!("  {name}: {p}/{t}");
    }
    let pct = 100.0 * pass as f64 / total.max(1) as f64;
    println!("TOTAL: {pass}/{total} formula cells match Excel ({pct:.1}%)");
    let baseline_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance_baseline.txt");
    let baseline: usize = std::fs::read_to_string(&baseline_path)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        pass >= baseline,
        "conformance dropped: {pass} cells match, the baseline is {baseline}"
    );
}
