//! Formula conformance: evaluates every formula cell of the Excel-saved
//! workbooks in `../shared/corpus/ironcalc` and compares with the values
//! Excel cached.
//!
//! The ratchet is per workbook: `tests/conformance_baseline.txt` lists
//! `workbook matching total` for each workbook (path under the corpus,
//! sorted) and a last `TOTAL matching total` line. The test fails naming
//! every workbook whose matching count dropped, and also every workbook
//! whose count rose or whose line is stale (new, vanished or a changed
//! total), so an improvement is recorded at once and cannot slip back
//! unnoticed. To rewrite the baseline from the current state, run
//! `CONFORMANCE_WRITE_BASELINE=1 cargo test --test conformance` and commit
//! the file. IronCalc files the workbooks by function category (folders
//! such as `FINANCIAL/`), and the output sums them per category. Set
//! `CONFORMANCE_VERBOSE=1` to list the mismatching cells.

mod support;

use support::external;

use sheetscript::formula::printer::walk;
use sheetscript::formula::{parse, Engine, EngineOptions, Expr};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::{CellAddr, Value, Workbook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const VOLATILE: [&str; 5] = ["RAND", "RANDBETWEEN", "TODAY", "NOW", "RANDARRAY"];

/// The variable that makes the test rewrite the baseline instead of
/// checking it.
const WRITE_BASELINE: &str = "CONFORMANCE_WRITE_BASELINE";

/// The label of the baseline's last line, the sum over every workbook.
const TOTAL_LABEL: &str = "TOTAL";

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
            if let Some(f) = cell.formula_text(addr) {
                formulas.push((sheet.name.clone(), addr, f.into_owned(), cell.value.clone()));
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

/// Matching and counted formula cells.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
struct Count {
    matching: usize,
    total: usize,
}

impl Count {
    fn add(&mut self, other: Count) {
        self.matching += other.matching;
        self.total += other.total;
    }
}

/// The workbook's name in the baseline: its path under the corpus with
/// `/` separators, so the file reads the same on every system.
fn workbook_name(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// IronCalc's category folder of a workbook, or `(top level)` for the
/// workbooks beside the folders (operators, names, arrays).
fn category_of(workbook: &str) -> &str {
    workbook
        .rsplit_once('/')
        .map_or("(top level)", |(folder, _)| folder)
}

/// Evaluates one workbook, counting its cells and adding each cell to the
/// functions it calls; `None` when it cannot be read.
fn evaluate(
    path: &Path,
    name: &str,
    per_function: &mut BTreeMap<String, Count>,
    verbose: bool,
) -> Option<Count> {
    let loaded = match load(path) {
        Ok(l) => l,
        Err(e) => {
            println!("{name}: cannot load: {e}");
            return None;
        }
    };
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let mut engine = Engine::new(
        loaded.workbook,
        EngineOptions {
            now: Some(now),
            ..Default::default()
        },
    );
    let report = engine.recalc_all();
    let mut count = Count::default();
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
        let cell = Count {
            matching: usize::from(!kept && matches(&got, cached, loaded.tolerance)),
            total: 1,
        };
        count.add(cell);
        for f in fns {
            per_function.entry(f).or_default().add(cell);
        }
        if cell.matching == 0 && verbose {
            println!("  {name} {sheet}!{addr} ={formula}: got {got:?}, Excel {cached:?}");
        }
    }
    Some(count)
}

fn baseline_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance_baseline.txt")
}

/// The baseline text for `counts`: a header saying how to rewrite it, one
/// `workbook matching total` line per workbook in name order, then the
/// total line.
fn baseline_text(counts: &BTreeMap<String, Count>) -> String {
    let mut text = format!(
        "# Formula cells matching Excel per corpus workbook: workbook matching total.\n\
         # The conformance test fails when a line no longer holds; rewrite with\n\
         # {WRITE_BASELINE}=1 cargo test --test conformance\n"
    );
    let mut sum = Count::default();
    for (name, count) in counts {
        text.push_str(&format!("{name} {} {}\n", count.matching, count.total));
        sum.add(*count);
    }
    text.push_str(&format!("{TOTAL_LABEL} {} {}\n", sum.matching, sum.total));
    text
}

/// Reads the baseline's workbook lines; a malformed line, or a total line
/// that is not the sum of the others, fails the test naming it.
fn read_baseline(text: &str) -> BTreeMap<String, Count> {
    let mut out = BTreeMap::new();
    let mut stated_sum = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // A workbook name may hold spaces: the two counts are the last fields.
        let mut fields = line.rsplitn(3, ' ');
        let parsed = (|| {
            let total = fields.next()?.parse().ok()?;
            let matching = fields.next()?.parse().ok()?;
            let name = fields.next()?.trim_end().to_string();
            Some((name, Count { matching, total }))
        })();
        let Some((name, count)) = parsed else {
            panic!(
                "{}:{}: expected `workbook matching total`, found {line:?}",
                baseline_path().display(),
                number + 1
            );
        };
        if name == TOTAL_LABEL {
            stated_sum = Some(count);
        } else {
            out.insert(name, count);
        }
    }
    let mut sum = Count::default();
    out.values().for_each(|c| sum.add(*c));
    assert_eq!(
        stated_sum,
        Some(sum),
        "{}: the {TOTAL_LABEL} line must be the sum of the workbook lines",
        baseline_path().display()
    );
    out
}

/// What differs between the baseline and this run: the drops, then the
/// lines the baseline must be raised or refreshed for.
fn compare(
    baseline: &BTreeMap<String, Count>,
    current: &BTreeMap<String, Count>,
) -> (Vec<String>, Vec<String>) {
    let (mut dropped, mut stale) = (Vec::new(), Vec::new());
    for (name, was) in baseline {
        let now = current.get(name).copied();
        let now_matching = now.map_or(0, |c| c.matching);
        let shown = now.map_or("absent or unreadable".to_string(), |c| {
            format!("{}/{}", c.matching, c.total)
        });
        let change = format!("{name}: {}/{} -> {shown}", was.matching, was.total);
        if now_matching < was.matching {
            dropped.push(change);
        } else if now != Some(*was) {
            stale.push(change);
        }
    }
    for (name, now) in current {
        if !baseline.contains_key(name) {
            stale.push(format!(
                "{name}: not in the baseline -> {}/{}",
                now.matching, now.total
            ));
        }
    }
    (dropped, stale)
}

fn print_categories(counts: &BTreeMap<String, Count>) {
    let mut per_category: BTreeMap<&str, (usize, usize, Count)> = BTreeMap::new();
    for (name, count) in counts {
        let entry = per_category.entry(category_of(name)).or_default();
        entry.0 += 1;
        entry.1 += usize::from(count.matching == count.total);
        entry.2.add(*count);
    }
    println!(
        "{:<24} {:>9} {:>10} {:>15}",
        "category", "workbooks", "all match", "cells matching"
    );
    for (category, (books, full, count)) in per_category {
        println!(
            "{category:<24} {books:>9} {full:>10} {:>15}",
            format!("{}/{}", count.matching, count.total)
        );
    }
}

#[test]
fn ironcalc_conformance() {
    let Some(dir) = external::corpus("ironcalc") else {
        return;
    };
    let Some(paths) = external::corpus_files("ironcalc", &["xlsx"]) else {
        return;
    };
    let verbose = std::env::var_os("CONFORMANCE_VERBOSE").is_some();
    let mut per_function: BTreeMap<String, Count> = BTreeMap::new();
    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    for path in &paths {
        let name = workbook_name(&dir, path);
        if let Some(count) = evaluate(path, &name, &mut per_function, verbose) {
            println!("{name}: {}/{}", count.matching, count.total);
            counts.insert(name, count);
        }
    }
    let mut worst: Vec<(&String, &Count)> = per_function
        .iter()
        .filter(|(_, c)| c.matching < c.total)
        .collect();
    worst.sort_by_key(|(_, c)| std::cmp::Reverse(c.total - c.matching));
    println!("functions with mismatches (matching/total):");
    for (name, c) in worst {
        println!("  {name}: {}/{}", c.matching, c.total);
    }
    print_categories(&counts);
    let mut sum = Count::default();
    counts.values().for_each(|c| sum.add(*c));
    let pct = 100.0 * sum.matching as f64 / sum.total.max(1) as f64;
    println!(
        "{TOTAL_LABEL}: {}/{} formula cells match Excel ({pct:.1}%)",
        sum.matching, sum.total
    );

    let path = baseline_path();
    if std::env::var_os(WRITE_BASELINE).is_some() {
        std::fs::write(&path, baseline_text(&counts))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        println!("wrote {}", path.display());
        return;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let (dropped, stale) = compare(&read_baseline(&text), &counts);
    let mut message = String::new();
    if !dropped.is_empty() {
        message.push_str(&format!(
            "conformance dropped in {} workbook(s) (baseline -> now):\n  {}\n",
            dropped.len(),
            dropped.join("\n  ")
        ));
    }
    if !stale.is_empty() {
        message.push_str(&format!(
            "the baseline is stale for {} workbook(s) (baseline -> now):\n  {}\n\
             raise it with `{WRITE_BASELINE}=1 cargo test --test conformance` and commit \
             tests/conformance_baseline.txt, so the gain cannot slip back unnoticed\n",
            stale.len(),
            stale.join("\n  ")
        ));
    }
    assert!(message.is_empty(), "{message}");
}

#[test]
fn baseline_round_trips_and_names_each_change() {
    let counts: BTreeMap<String, Count> = [
        ("FINANCIAL/FV.xlsx", 9, 10),
        ("TEXT/A B.xlsx", 3, 3),
        ("arithmetic.xlsx", 5, 5),
    ]
    .into_iter()
    .map(|(n, m, t)| {
        (
            n.to_string(),
            Count {
                matching: m,
                total: t,
            },
        )
    })
    .collect();
    let text = baseline_text(&counts);
    assert!(text.ends_with("TOTAL 17 18\n"), "{text}");
    assert_eq!(read_baseline(&text), counts);
    assert_eq!(compare(&counts, &counts), (vec![], vec![]));

    let mut now = counts.clone();
    now.get_mut("FINANCIAL/FV.xlsx").unwrap().matching = 8;
    now.get_mut("arithmetic.xlsx").unwrap().total = 6;
    now.remove("TEXT/A B.xlsx");
    now.insert(
        "LOGICAL/IF.xlsx".into(),
        Count {
            matching: 1,
            total: 1,
        },
    );
    let (dropped, stale) = compare(&counts, &now);
    assert_eq!(
        dropped,
        [
            "FINANCIAL/FV.xlsx: 9/10 -> 8/10",
            "TEXT/A B.xlsx: 3/3 -> absent or unreadable"
        ]
    );
    assert_eq!(
        stale,
        [
            "arithmetic.xlsx: 5/5 -> 5/6",
            "LOGICAL/IF.xlsx: not in the baseline -> 1/1"
        ]
    );
    assert_eq!(category_of("FINANCIAL/FV.xlsx"), "FINANCIAL");
    assert_eq!(category_of("arithmetic.xlsx"), "(top level)");
}
