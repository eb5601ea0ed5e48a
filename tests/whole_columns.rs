//! Whole-column and whole-sheet references beside a stray cell at
//! XFD1048576, the last cell of the grid: formulas and script calls over
//! them cost the cells the sheet holds, not the 17 billion of the grid.
//! Every run is capped at `MEMORY_CAP`, so an allocation for the grid
//! fails the test instead of the machine.

mod support;

use std::path::{Path, PathBuf};
use support::*;

/// A sheet "Data" with A1=1, B1=-2, A2=3, B2="x" and 5 in XFD1048576,
/// so the used range is the whole grid.
fn stray_cell_book(dir: &Path) -> PathBuf {
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>-2</v></c></row><row r="2"><c r="A2"><v>3</v></c><c r="B2" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>5</v></c></row></sheetData></worksheet>"#;
    one_sheet_xlsx(dir, "stray.xlsx", sheet)
}

/// `sheetscript eval BOOK FORMULA --quiet`, capped; its output line, or
/// the failure's message.
fn eval(book: &Path, formula: &str) -> (bool, String) {
    let out = sheetscript_capped(&["eval", book.to_str().unwrap(), formula, "--quiet"]);
    let text = if out.status.success() {
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    } else {
        String::from_utf8_lossy(&out.stderr).trim().to_string()
    };
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{formula}: {:?} {text}",
        out.status
    );
    (out.status.success(), text)
}

/// The grid's cell count: 1,048,576 rows of 16,384 columns.
const GRID: u64 = 1_048_576 * 16_384;

#[test]
fn whole_sheet_functions_count_and_sum_the_used_cells() {
    let dir = tempfile::tempdir().unwrap();
    let book = stray_cell_book(dir.path());
    let stored = 5;
    let cases: Vec<(&str, String)> = vec![
        ("=SUM(A:XFD)", "7".into()),
        ("=COUNTA(A:XFD)", stored.to_string()),
        ("=MAX(A:XFD)", "5".into()),
        // Excel counts the blank positions of the whole area.
        ("=COUNTIF(A:XFD,\"\")", (GRID - stored).to_string()),
        ("=COUNTIFS(A:XFD,\"\")", (GRID - stored).to_string()),
        ("=COUNTBLANK(A:XFD)", (GRID - stored).to_string()),
        ("=COUNTBLANK(A1:XFD1048576)", (GRID - stored).to_string()),
        ("=COUNTIF(A:XFD,\"x\")", "1".into()),
        ("=COUNTIF(A:XFD,\"<>x\")", (GRID - 1).to_string()),
        ("=SUMIF(A:XFD,\">0\")", "9".into()),
        ("=SUMIFS(A:XFD,A:XFD,\">0\")", "9".into()),
        ("=AVERAGEIF(A:XFD,\">0\")", "3".into()),
        ("=MAXIFS(A:XFD,A:XFD,\"<0\")", "-2".into()),
        ("=SUMPRODUCT((A:A>0)*1)", "2".into()),
        ("=SUMPRODUCT(A:A)", "4".into()),
    ];
    for (formula, want) in cases {
        assert_eq!(eval(&book, formula), (true, want), "{formula}");
    }
}

#[test]
fn an_array_of_the_whole_grid_is_an_error_value_not_an_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let book = stray_cell_book(dir.path());
    // Excel runs out of resources here; the engine gives #NUM!.
    assert_eq!(
        eval(&book, "=SUMPRODUCT(A:XFD)"),
        (true, "#NUM!".to_string())
    );
    assert_eq!(
        eval(&book, "=SUMPRODUCT((A:XFD>0)*1)"),
        (true, "#NUM!".to_string())
    );
    // A result to print cell by cell is refused, naming the range and
    // the limit.
    for formula in ["=A:XFD", "=Data!A1:XFD1048576"] {
        let (succeeded, message) = eval(&book, formula);
        assert!(!succeeded, "{formula}: {message}");
        assert!(
            message.contains("Data!A1:XFD1048576") && message.contains("limit of 16777216"),
            "{formula}: {message}"
        );
    }
}

#[test]
fn a_spilled_whole_sheet_is_spill_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let book = stray_cell_book(dir.path());
    let script = dir.path().join("spill.rhai");
    std::fs::write(
        &script,
        r#"let s = sheet("Data"); s.formula("D5", "=A:XFD"); print(s.get("D5"));"#,
    )
    .unwrap();
    let out_file = dir.path().join("out.xlsx");
    let out = sheetscript_capped(&[
        "run",
        script.to_str().unwrap(),
        book.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{all}");
    assert!(all.contains("#SPILL!"), "{all}");
    assert!(all.contains("limit of 16777216"), "{all}");
}

/// Runs `body` as a script on the stray-cell book, capped; (whether it
/// succeeded, stdout and stderr).
fn run_script(body: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let book = stray_cell_book(dir.path());
    let script = dir.path().join("script.rhai");
    std::fs::write(&script, body).unwrap();
    let out_file = dir.path().join("out.xlsx");
    let out = sheetscript_capped(&[
        "run",
        script.to_str().unwrap(),
        book.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{all}");
    (out.status.success(), all)
}

#[test]
fn script_formats_and_clears_over_the_whole_sheet_touch_the_stored_cells() {
    let (ok, out) = run_script(
        r#"let s = sheet("Data");
s.bold("A1:XFD1048576");
s.format("A1:XFD1048576", "percent");
print(calc("=COUNTIF(Data!A:XFD,\"\")"));
s.clear("A1:XFD1048576");
print(s.last_row);
print(calc("=SUM(Data!A:XFD)"));"#,
    );
    assert!(ok, "{out}");
    let printed: Vec<&str> = out.lines().take(3).collect();
    assert_eq!(printed, ["17179869179", "0", "0"], "{out}");
}

#[test]
fn script_calls_that_visit_every_cell_refuse_the_whole_sheet() {
    for call in [
        r#"sheet("Data").fill_formula("A1:XFD1048576", "=1")"#,
        r#"sheet("Data").values("A1:XFD1048576")"#,
        r#"values("Data!A:XFD")"#,
        r#"calc("=Data!A:XFD")"#,
    ] {
        let (ok, out) = run_script(call);
        assert!(!ok, "{call}: {out}");
        assert!(
            out.contains("A1:XFD1048576") && out.contains("limit of 16777216"),
            "{call}: {out}"
        );
    }
}

#[test]
fn joins_over_the_whole_sheet_cost_the_used_cells() {
    let dir = tempfile::tempdir().unwrap();
    let book = stray_cell_book(dir.path());
    let cases = [
        ("=TEXTJOIN(\",\",TRUE,A:XFD)", "1,-2,3,x,5"),
        ("=TEXTJOIN(\",\",TRUE,A1:XFD1048576)", "1,-2,3,x,5"),
        ("=TEXTJOIN(\",\",TRUE,A:A,B:B)", "1,3,-2,x"),
        ("=TEXTJOIN(\"\",FALSE,A:XFD)", "1-23x5"),
        ("=CONCAT(A:XFD)", "1-23x5"),
        ("=CONCAT(A:XFD,A1:XFD1048576)", "1-23x51-23x5"),
        // Every empty position takes a delimiter: far past a cell's
        // 32,767 characters, as in Excel.
        ("=TEXTJOIN(\",\",FALSE,A:XFD)", "#VALUE!"),
        ("=TEXTJOIN(\",\",FALSE,A:A)", "#VALUE!"),
        ("=LEN(TEXTJOIN(\",\",FALSE,A1:B2))", "8"),
    ];
    for (formula, want) in cases {
        assert_eq!(eval(&book, formula), (true, want.to_string()), "{formula}");
    }
}
