//! ods formulas arrive in OpenFormula syntax and are held in Excel syntax:
//! over the .ods files of the calamine corpus (skipped when absent), every
//! formula the file carries is translated, parses, recalculates to the
//! value the file cached, and survives a conversion to xlsx.

use calamine::{open_workbook_auto, Data, Reader};
use sheetscript::formula::{parse, Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::io::write::{write_workbook, WriteOptions};
use sheetscript::model::{CellAddr, Value, Workbook};
use std::path::{Path, PathBuf};

fn ods_files() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/calamine");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("{} not found: skipping", dir.display());
        return None;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ods"))
        .collect();
    files.sort();
    Some(files)
}

/// Formula cells of the workbook: (sheet, cell, formula, cached value).
fn formulas(wb: &Workbook) -> Vec<(String, CellAddr, String, Value)> {
    wb.sheets
        .iter()
        .flat_map(|s| {
            s.cells().filter_map(|(addr, c)| {
                c.formula
                    .as_ref()
                    .map(|f| (s.name.clone(), addr, f.to_string(), c.value.clone()))
            })
        })
        .collect()
}

/// How many formulas the file itself holds (`table:formula` attributes
/// of content.xml), so a formula lost on the way is noticed.
fn formulas_in_file(path: &Path) -> usize {
    let file = std::fs::File::open(path).unwrap();
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return 0;
    };
    let Ok(mut content) = zip.by_name("content.xml") else {
        return 0;
    };
    let mut text = String::new();
    std::io::Read::read_to_string(&mut content, &mut text).unwrap();
    text.matches("table:formula=\"").count()
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.to_f64(), y.to_f64());
            (x - y).abs() < 5e-8 || (x - y).abs() / x.hypot(y) < 5e-8
        }
        _ => a == b,
    }
}

#[test]
fn every_ods_formula_translates_parses_and_recalculates() {
    let Some(files) = ods_files() else { return };
    let (mut total, mut compared) = (0, 0);
    for path in &files {
        let Ok(wb) = read_workbook(path, &ReadOptions::default()) else {
            continue;
        };
        let found = formulas(&wb);
        assert_eq!(
            found.len(),
            formulas_in_file(path),
            "{}: a formula was dropped: {:?}",
            path.display(),
            wb.package_features
        );
        assert!(
            !wb.package_features
                .iter()
                .any(|f| f.contains("could not be translated")),
            "{}: {:?}",
            path.display(),
            wb.package_features
        );
        for (sheet, addr, formula, _) in &found {
            assert!(!formula.contains('['), "{sheet}!{addr}: {formula}");
            assert!(!formula.contains("of:"), "{sheet}!{addr}: {formula}");
            parse(formula).unwrap_or_else(|e| panic!("{sheet}!{addr}: {formula}: {e}"));
        }
        for name in &wb.names {
            parse(&name.refers_to).unwrap_or_else(|e| panic!("{}: {e}", name.name));
        }
        total += found.len();
        let mut engine = Engine::new(wb, EngineOptions::default());
        let report = engine.recalc_all();
        assert!(report.parse_errors.is_empty(), "{report:?}");
        for (sheet, addr, formula, cached) in &found {
            if report
                .unknown_functions
                .iter()
                .any(|f| formula.to_ascii_uppercase().contains(f.as_str()))
            {
                continue;
            }
            let value = engine.value(sheet, *addr).unwrap();
            assert!(
                same(&value, cached),
                "{}: {sheet}!{addr} {formula}: computed {value:?}, the file cached {cached:?}",
                path.display()
            );
            compared += 1;
        }
    }
    eprintln!(
        "{total} ods formulas translated and parsed, {compared} recalculated to the cached value"
    );
    assert!(total >= 8, "only {total} formulas found in the ods corpus");
    assert_eq!(compared, total);
}

#[test]
fn ods_formulas_survive_a_conversion_to_xlsx() {
    let Some(files) = ods_files() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut carried = 0;
    for path in &files {
        let Ok(wb) = read_workbook(path, &ReadOptions::default()) else {
            continue;
        };
        let found = formulas(&wb);
        if found.is_empty() {
            continue;
        }
        let out = dir
            .path()
            .join(path.with_extension("xlsx").file_name().unwrap());
        write_workbook(&wb, &out, &WriteOptions::default()).unwrap();
        let mut back = open_workbook_auto(&out).unwrap();
        for (sheet, addr, formula, cached) in &found {
            let written = back.worksheet_formula(sheet).unwrap();
            let text = written
                .get_value((addr.row, addr.col))
                .unwrap_or_else(|| panic!("{}: {sheet}!{addr} has no formula", out.display()));
            assert_eq!(
                parse(text).unwrap(),
                parse(formula).unwrap(),
                "{sheet}!{addr}"
            );
            let values = back.worksheet_range(sheet).unwrap();
            let value = values.get_value((addr.row, addr.col)).cloned();
            match cached {
                Value::Text(t) => assert_eq!(value, Some(Data::String(t.clone()))),
                Value::Bool(b) => assert_eq!(value, Some(Data::Bool(*b))),
                Value::Number(n) => assert_eq!(value, Some(Data::Float(n.to_f64()))),
                _ => {}
            }
            carried += 1;
        }
    }
    eprintln!("{carried} ods formulas carried into xlsx");
}

#[test]
fn xls_and_xlsb_chart_sheets_are_named() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/calamine");
    for name in ["any_sheets.xls", "any_sheets.xlsb"] {
        let path = dir.join(name);
        if !path.exists() {
            eprintln!("{} not found: skipping", path.display());
            return;
        }
        let wb = read_workbook(&path, &ReadOptions::default()).unwrap();
        assert!(
            wb.package_features
                .iter()
                .any(|f| f.starts_with("chart sheet \"")),
            "{name}: {:?}",
            wb.package_features
        );
        assert!(wb.sheets.iter().all(|s| !s.name.is_empty()));
    }
}
