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

mod support;

use support::external;

fn ods_files() -> Option<Vec<PathBuf>> {
    external::corpus_files("calamine", &["ods"])
}

/// Formula cells of the workbook: (sheet, cell, formula, cached value).
fn formulas(wb: &Workbook) -> Vec<(String, CellAddr, String, Value)> {
    wb.sheets
        .iter()
        .flat_map(|s| {
            s.cells().filter_map(|(addr, c)| {
                c.formula_text(addr)
                    .map(|f| (s.name.clone(), addr, f.into_owned(), c.value.clone()))
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
                Value::Text(t) => assert_eq!(value, Some(Data::String(t.to_string()))),
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
    for name in ["any_sheets.xls", "any_sheets.xlsb"] {
        let Some(path) = external::corpus(&format!("calamine/{name}")) else {
            return;
        };
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

/// Formulas with the syntax that differs most between Excel and
/// OpenFormula go through LibreOffice (xlsx → ods) and come back equal.
#[test]
fn formulas_saved_by_libreoffice_as_ods_read_back_as_written() {
    let Some(soffice) = external::soffice() else {
        return;
    };
    let formulas = [
        "SUM(A1:B2)",
        "Other!A1*2",
        "IF(A1>0,\"yes\",\"no\")",
        "'Sales 2026'!B2+1",
        "'Sales 2026'!$A$1",
        "SUM(A:A)",
        "SUM($1:$2)",
        "SUM((A1:A2,B1))",
        "SUM(A1:B2 B1:B3)",
        "\"a;b[.A1]\"&\"say \"\"hi\"\"\"",
        "SUM({1,2;3,4})",
        "IFERROR(1/0,#N/A)",
        "ISNA(#N/A)",
        "SUM(Main:Other!A1)",
        "AND(TRUE,FALSE)",
        "-A1^2%",
        "ROUND(A1*1.5E-3,2)",
        "CONCAT(A1,\"x\")",
        "NORM.DIST(1,0,1,TRUE)",
        "F.DIST(1,2,3,TRUE)",
        "FDIST(1,2,3)",
        "CEILING(A1,2)",
        "CEILING.MATH(A1,2,1)",
        "FLOOR.MATH(A1)",
        "FORMULATEXT(A1)",
        "Rate*2",
    ];
    let mut wb = Workbook::new();
    for name in ["Main", "Other", "Sales 2026"] {
        wb.add_sheet(name).unwrap();
    }
    wb.names.push(sheetscript::model::DefinedName {
        name: "Rate".into(),
        scope: None,
        refers_to: "Other!$B$1".into(),
    });
    for s in &mut wb.sheets {
        s.set_value(CellAddr::new(0, 0), Value::Number(3.into()));
        s.set_value(CellAddr::new(0, 1), Value::Number(4.into()));
    }
    let main = &mut wb.sheets[0];
    for (row, f) in formulas.iter().enumerate() {
        // LibreOffice keeps the cached results of an xlsx; one is an error.
        let cached = if f.starts_with("IFERROR") {
            Value::Error(sheetscript::model::ErrorKind::NA)
        } else {
            Value::Empty
        };
        main.set_formula(CellAddr::new(row as u32 + 4, 2), f, cached);
    }
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("syntax.xlsx");
    write_workbook(&wb, &xlsx, &WriteOptions::default()).unwrap();
    external::libreoffice_convert(
        &soffice,
        &dir.path().join("profile"),
        "ods",
        dir.path(),
        &xlsx,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let ods = read_workbook(&dir.path().join("syntax.ods"), &ReadOptions::default()).unwrap();
    assert!(
        !ods.package_features
            .iter()
            .any(|f| f.contains("could not be translated")),
        "{:?}",
        ods.package_features
    );
    let sheet = ods.sheet("Main").unwrap();
    for (row, f) in formulas.iter().enumerate() {
        let cell = sheet.cell(CellAddr::new(row as u32 + 4, 2));
        let read = cell
            .and_then(|c| c.formula_text(CellAddr::new(row as u32 + 4, 2)))
            .unwrap_or_default();
        let read = read.as_ref();
        assert_eq!(
            parse(read).map_err(|e| format!("{read}: {e}")),
            Ok(parse(f).unwrap()),
            "{f} came back as {read}"
        );
    }
    // The cached error result comes back as an error, not as its text.
    let iferror = sheet.value(CellAddr::new(15, 2));
    assert_eq!(iferror, &Value::Error(sheetscript::model::ErrorKind::NA));
    let rate = ods.names.iter().find(|n| n.name == "Rate").unwrap();
    assert_eq!(rate.refers_to, "Other!$B$1");
}
