//! Conformance of the math, statistical and array functions against
//! Excel-saved workbooks (`../shared/corpus/ironcalc`): every formula
//! cell that calls one of these functions is recomputed and compared
//! with the value Excel cached. Prints pass counts per function; fails
//! when the overall pass rate drops below the recorded floor.
//!
//! Run with `cargo test --test math_conformance -- --nocapture`
//! (`MATH_CONFORMANCE_FILTER=ROUND` limits it to matching file names).

use calamine::{open_workbook_auto, Data, Reader};
use sheetscript::formula::{Engine, EngineOptions};
use sheetscript::model::{
    CellAddr, DateKind, DateValue, ErrorKind, Number, RangeAddr, Value, Workbook,
};
use std::collections::BTreeMap;
use std::path::Path;

/// Functions this suite attributes cells to: every function registered
/// by the math, statistical, array and criteria (database) categories.
fn my_functions() -> Vec<&'static str> {
    use sheetscript::formula::functions::{array, criteria, math, statistical};
    [
        math::FUNCTIONS,
        statistical::FUNCTIONS,
        array::FUNCTIONS,
        criteria::FUNCTIONS,
    ]
    .iter()
    .flat_map(|c| c.iter().map(|f| f.name))
    .collect()
}

/// Functions whose cached values cannot be reproduced.
const VOLATILE: &[&str] = &["RAND", "RANDBETWEEN", "TODAY", "NOW"];

/// Below this overall pass rate the suite fails (raise it as it improves).
const PASS_FLOOR: f64 = 0.99;

fn to_value(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(Number::from_i64(*i)),
        Data::Float(f) => Value::from_f64(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => Value::Date(DateValue {
            serial: dt.as_f64(),
            kind: DateKind::DateTime,
        }),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => {
            Value::Error(ErrorKind::parse(&e.to_string()).unwrap_or(ErrorKind::Value))
        }
    }
}

/// The names called in a formula, upper-cased without `_xlfn.` prefixes.
fn called_functions(formula: &str) -> Vec<String> {
    let upper = formula
        .to_ascii_uppercase()
        .replace("_XLFN.", "")
        .replace("_XLWS.", "");
    let bytes = upper.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' {
            in_string = !in_string;
            i += 1;
            continue;
        }
        if !in_string && c.is_ascii_alphabetic() {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'_')
            {
                i += 1;
            }
            if bytes.get(i) == Some(&b'(') {
                out.push(upper[start..i].to_string());
            }
            continue;
        }
        i += 1;
    }
    out
}

fn same(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::Error(a), Value::Error(b)) => a == b,
        (Value::Text(a), Value::Text(b)) => a == b,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Empty, Value::Empty) => true,
        (Value::Text(a), Value::Empty) | (Value::Empty, Value::Text(a)) => a.is_empty(),
        (a, b) => match (a.as_number(), b.as_number()) {
            (Some(x), Some(y)) => {
                let (x, y) = (x.to_f64(), y.to_f64());
                let d = (x - y).abs();
                d < 5e-8 || d / x.hypot(y) < 5e-8
            }
            _ => false,
        },
    }
}

/// What calamine does not report about a worksheet's formulas.
#[derive(Default)]
struct SheetFormulas {
    /// Ranges of array formulas (`<f t="array" ref="A1:A10">`): Excel
    /// stores the spilled values in the other cells, which must be empty
    /// for the engine to spill into them.
    spills: Vec<RangeAddr>,
    /// Shared formulas expanded from their anchor cell. calamine expands
    /// them from the top-left of the shared range, which differs from the
    /// anchor in some Excel files (FLOOR_CEILING.xlsx).
    shared: BTreeMap<CellAddr, String>,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    tag.split(&format!(" {name}=\"")).nth(1)?.split('"').next()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Reads the `index`-th worksheet part of the package for array formula
/// ranges and shared formulas.
fn sheet_formulas(path: &Path, index: usize) -> SheetFormulas {
    let mut out = SheetFormulas::default();
    let Ok(file) = std::fs::File::open(path) else {
        return out;
    };
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return out;
    };
    let mut xml = String::new();
    let name = format!("xl/worksheets/sheet{}.xml", index + 1);
    match zip.by_name(&name) {
        Ok(mut f) => {
            use std::io::Read;
            if f.read_to_string(&mut xml).is_err() {
                return out;
            }
        }
        Err(_) => return out,
    }
    // Shared formula templates by si: (anchor row, anchor col, text).
    let mut templates: BTreeMap<String, (u32, u32, String)> = BTreeMap::new();
    let mut members: Vec<(CellAddr, String)> = Vec::new();
    for cell in xml.split("<c ").skip(1) {
        let head = cell.split('>').next().unwrap_or("");
        let Some(addr) = attr(&format!(" {head}"), "r").and_then(CellAddr::parse) else {
            continue;
        };
        let body = cell.split("</c>").next().unwrap_or("");
        let Some(f) = body.split("<f").nth(1) else {
            continue;
        };
        let ftag = format!(" {}", f.split('>').next().unwrap_or(""));
        match attr(&ftag, "t") {
            Some("array") => {
                if let Some(range) = attr(&ftag, "ref").and_then(RangeAddr::parse) {
                    out.spills.push(range);
                }
            }
            Some("shared") => {
                let Some(si) = attr(&ftag, "si") else {
                    continue;
                };
                if ftag.trim_end().ends_with('/') {
                    members.push((addr, si.to_string()));
                } else {
                    let text = f
                        .split_once('>')
                        .map(|(_, t)| t.split("</f>").next().unwrap_or(""))
                        .unwrap_or("");
                    templates.insert(si.to_string(), (addr.row, addr.col, unescape(text)));
                }
            }
            _ => {}
        }
    }
    for (addr, si) in members {
        if let Some((r, c, text)) = templates.get(&si) {
            if let Ok(f) = calamine::expand_shared_formula(text, (*r, *c), (addr.row, addr.col)) {
                out.shared.insert(addr, f);
            }
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    pass: usize,
    total: usize,
    /// Cells that also call a function not registered yet (other
    /// categories): counted in `total`, listed apart.
    blocked: usize,
}

/// One formula cell to check: sheet, cell, formula, Excel's value and the
/// function it is attributed to.
type Expected = (String, CellAddr, String, Value, String);

fn check_file(path: &Path, per_fn: &mut BTreeMap<String, Tally>, failures: &mut Vec<String>) {
    let Ok(mut book) = open_workbook_auto(path) else {
        failures.push(format!("{}: unreadable", path.display()));
        return;
    };
    let names = book.sheet_names().to_vec();
    let mut wb = Workbook::new();
    let mut expected: Vec<Expected> = Vec::new();
    let mine = my_functions();
    for (index, name) in names.iter().enumerate() {
        let (Ok(values), Ok(formulas)) = (book.worksheet_range(name), book.worksheet_formula(name))
        else {
            continue;
        };
        wb.add_sheet(name).expect("sheet name");
        let sheet = wb.sheet_mut(name).expect("sheet");
        let extra = sheet_formulas(path, index);
        let spills = &extra.spills;
        let (r0, c0) = values.start().unwrap_or((0, 0));
        for (r, c, d) in values.cells() {
            let addr = CellAddr::new(r0 + r as u32, c0 + c as u32);
            if spills.iter().any(|s| s.contains(addr) && s.start != addr) {
                continue;
            }
            sheet.set_value(addr, to_value(d));
        }
        let (fr0, fc0) = formulas.start().unwrap_or((0, 0));
        for (r, c, f) in formulas.cells() {
            if f.is_empty() {
                continue;
            }
            let addr = CellAddr::new(fr0 + r as u32, fc0 + c as u32);
            let f = extra.shared.get(&addr).unwrap_or(f);
            let cached = sheet.value(addr).clone();
            sheet.set_formula(addr, f, cached.clone());
            let calls = called_functions(f);
            if calls.iter().any(|c| VOLATILE.contains(&c.as_str())) {
                continue;
            }
            if let Some(mine) = calls.iter().find(|c| mine.contains(&c.as_str())) {
                expected.push((name.clone(), addr, f.clone(), cached, mine.clone()));
            }
        }
    }
    let mut engine = Engine::new(wb, EngineOptions { now: None });
    engine.recalc_all();
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    for (sheet, addr, formula, cached, func) in expected {
        let got = engine
            .value(&sheet, addr)
            .unwrap_or(Value::Error(ErrorKind::Ref));
        let t = per_fn.entry(func).or_default();
        t.total += 1;
        let blocked = called_functions(&formula)
            .iter()
            .any(|f| sheetscript::formula::functions::lookup(f).is_none());
        if same(&cached, &got) {
            t.pass += 1;
        } else if blocked {
            t.blocked += 1;
        } else {
            failures.push(format!(
                "{file} {sheet}!{addr} ={formula}: expected {cached:?}, got {got:?}"
            ));
        }
    }
}

#[test]
fn math_statistical_array_conformance() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ironcalc");
    if !root.exists() {
        eprintln!("corpus not found at {}; skipping", root.display());
        return;
    }
    let filter = std::env::var("MATH_CONFORMANCE_FILTER").ok();
    let mut per_fn: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    for dir in ["MATH_AND_TRIGONOMETRY", "STATISTICAL", "DATABASE"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("corpus folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
            .collect();
        files.sort();
        for f in files {
            if let Some(flt) = &filter {
                if !f.to_string_lossy().contains(flt.as_str()) {
                    continue;
                }
            }
            check_file(&f, &mut per_fn, &mut failures);
        }
    }
    let (mut pass, mut total, mut blocked) = (0, 0, 0);
    println!("function           pass /  total  (failing only through unregistered functions)");
    for (name, t) in &per_fn {
        println!("{name:<16} {:>6} / {:<6} ({})", t.pass, t.total, t.blocked);
        pass += t.pass;
        total += t.total;
        blocked += t.blocked;
    }
    println!("TOTAL            {pass:>6} / {total:<6} ({blocked})");
    for f in failures.iter().take(4000) {
        println!("FAIL {f}");
    }
    let rate = if total == 0 {
        1.0
    } else {
        pass as f64 / total as f64
    };
    assert!(rate >= PASS_FLOOR, "pass rate {rate:.3} below {PASS_FLOOR}");
}
