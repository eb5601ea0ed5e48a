//! Number formats against Excel: the workbooks of
//! `../shared/corpus/poi/formats` hold, row after row, a format code, a
//! value and a formula `TEXT(value, code)` whose result Excel cached.
//! Every such formula is recalculated here (through the TEXT function,
//! in the workbook's own date system) and must give Excel's text. Set
//! `NUMFMT_VERBOSE=1` to list the matches too.

mod support;

use support::external;

use sheetscript::formula::{Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::{CellAddr, Value};

/// The formulas of one workbook that apply TEXT, with Excel's results:
/// `(sheet, cell, formula, cached value)`.
type TextFormulas = Vec<(String, CellAddr, String, Value)>;

/// Shows a text with its spaces visible, for mismatch messages.
fn shown(v: &Value) -> String {
    match v {
        Value::Text(s) => format!("{s:?}"),
        other => format!("{other:?}"),
    }
}

#[test]
fn text_matches_excel_on_every_poi_format_case() {
    let Some(paths) = external::corpus_files("poi/formats", &["xlsx"]) else {
        return;
    };
    let verbose = std::env::var_os("NUMFMT_VERBOSE").is_some();
    let (mut pass, mut total) = (0usize, 0usize);
    let mut failures = Vec::new();
    for path in &paths {
        let rel = path.file_name().unwrap_or_default().to_string_lossy();
        let workbook = read_workbook(path, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{rel}: cannot read: {e}"));
        let mut formulas: TextFormulas = Vec::new();
        for sheet in &workbook.sheets {
            for (addr, cell) in sheet.cells() {
                if let Some(f) = cell.formula_text(addr) {
                    if f.to_ascii_uppercase().contains("TEXT(") {
                        formulas.push((
                            sheet.name.clone(),
                            addr,
                            f.to_string(),
                            cell.value.clone(),
                        ));
                    }
                }
            }
        }
        let mut engine = Engine::new(workbook, EngineOptions::default());
        engine.recalc_all();
        let (mut file_pass, file_total) = (0usize, formulas.len());
        for (sheet, addr, formula, cached) in &formulas {
            let sheet_now = engine.workbook().sheet(sheet).expect("sheet stays");
            let got = sheet_now.value(*addr);
            // The code and the value the row tests, for the message.
            let row = |col: u32| sheet_now.value(CellAddr::new(addr.row, col)).clone();
            let expected = match cached {
                Value::Empty => Value::text(""),
                v => v.clone(),
            };
            let ok = match (got, &expected) {
                (Value::Text(a), Value::Text(b)) => a == b,
                (a, b) => a == b,
            };
            let line = format!(
                "{rel} {sheet}!{addr} ={formula} code {} value {:?}: ours {}, Excel {}",
                shown(&row(1)),
                row(2),
                shown(got),
                shown(&expected)
            );
            if ok {
                file_pass += 1;
                if verbose {
                    println!("  ok {line}");
                }
            } else {
                failures.push(line);
            }
        }
        println!("{rel}: {file_pass}/{file_total}");
        pass += file_pass;
        total += file_total;
    }
    println!("TOTAL: {pass}/{total} TEXT results match Excel");
    assert!(
        total > 0,
        "no TEXT formula found in the poi format workbooks"
    );
    assert!(
        failures.is_empty(),
        "{} of {total} TEXT results differ from Excel:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
