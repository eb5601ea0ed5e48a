//! A formula that would compute for a long time is stopped by
//! `--timeout` on `eval`, `recalc` and `run`: exit code 1, a message naming the
//! time limit (and the cell), and nothing written. The formulas are
//! matrix products far larger than the limit allows; no assertion here
//! measures time.

mod support;

use support::*;

/// A sum of matrix products of `n`×`n` matrices, `copies` times over:
/// billions of multiplications, seconds even in a release build.
fn long_formula(n: usize, copies: usize) -> String {
    let product = format!("SUM(MMULT(SEQUENCE({n},{n}),SEQUENCE({n},{n})))");
    format!("={}", vec![product; copies].join("+"))
}

#[test]
fn eval_stops_a_long_formula_at_its_timeout() {
    let formula = long_formula(1500, 10);
    let out = sheetscript(&["eval", "samples/invoices.xlsx", &formula, "--timeout", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("time limit of 1 s (--timeout)"), "{err}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[test]
fn recalc_names_the_cell_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let formula = long_formula(1500, 10).replace('&', "&amp;");
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>{}</f></c></row></sheetData></worksheet>"#,
        &formula[1..]
    );
    let book = one_sheet_xlsx(dir.path(), "slow.xlsx", &sheet);
    let target = dir.path().join("out.xlsx");
    let out = sheetscript(&[
        "recalc",
        book.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--timeout",
        "1",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Data!B1"), "{err}");
    assert!(err.contains("--timeout"), "{err}");
    assert!(!target.exists(), "a timed-out recalc wrote {target:?}");
}

#[test]
fn a_quick_formula_finishes_within_its_timeout() {
    assert_eq!(
        ok(&[
            "eval",
            "samples/invoices.xlsx",
            "=SUM(MMULT({1,2},{3;4}))",
            "--timeout",
            "60"
        ])
        .trim(),
        "11"
    );
}

/// A one-sheet workbook "Data" in `dir`: A1 holds 1 and B1 a long
/// formula reading A1, saved with a result (`cached`) or without one, as
/// tools other than Excel write formulas.
fn slow_book(dir: &std::path::Path, name: &str, cached: bool) -> String {
    let formula = format!("A1+{}", &long_formula(1500, 10)[1..]);
    let result = if cached { "<v>5</v>" } else { "" };
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>{formula}</f>{result}</c></row></sheetData></worksheet>"#
    );
    one_sheet_xlsx(dir, name, &sheet).display().to_string()
}

/// Runs `script` (written to `dir`) over `input` with `--timeout 1` and
/// `extra` arguments, insists that the run stopped at its time limit
/// with exit code 1 and wrote nothing, and returns what it said.
fn run_stopped(dir: &std::path::Path, input: &str, script: &str, extra: &[&str]) -> String {
    let script_path = dir.join("slow.rhai");
    std::fs::write(&script_path, script).unwrap();
    let target = dir.join("out.xlsx");
    let mut args = vec![
        "run",
        script_path.to_str().unwrap(),
        input,
        "-o",
        target.to_str().unwrap(),
        "--timeout",
        "1",
    ];
    args.extend_from_slice(extra);
    let out = sheetscript(&args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("time limit of 1 s (--timeout)"), "{err}");
    assert!(!target.exists(), "a timed-out run wrote {target:?}");
    err
}

#[test]
fn a_script_reading_a_cell_its_write_made_slow_stops_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let book = slow_book(dir.path(), "slow.xlsx", true);
    let script = "let s = sheet(\"Data\");\ns[\"A1\"] = 2;\nlet b = s[\"B1\"];\n";
    let err = run_stopped(dir.path(), &book, script, &[]);
    assert!(err.contains("Data!B1"), "{err}");
    assert!(err.contains("slow.rhai:3:"), "{err}");
}

#[test]
fn a_script_whose_last_write_makes_a_formula_slow_stops_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let book = slow_book(dir.path(), "slow.xlsx", true);
    let err = run_stopped(
        dir.path(),
        &book,
        "let s = sheet(\"Data\");\ns[\"A1\"] = 2;\n",
        &[],
    );
    assert!(err.contains("Data!B1"), "{err}");
}

#[test]
fn calc_of_a_slow_formula_stops_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "let x = 1;\nlet y = calc(\"{}\");\n",
        long_formula(1500, 10)
    );
    let err = run_stopped(dir.path(), "samples/invoices.xlsx", &script, &[]);
    assert!(err.contains("slow.rhai:2:"), "{err}");
}

#[test]
fn a_slow_excel_call_stops_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let script = "let m = calc(\"=SEQUENCE(600,600)\");\nlet p = excel(\"MMULT\", m, m);\nlet q = excel(\"MMULT\", m, m);\nlet r = excel(\"MMULT\", m, m);\nlet s = excel(\"MMULT\", m, m);\nlet t = excel(\"MMULT\", m, m);\n";
    let err = run_stopped(dir.path(), "samples/invoices.xlsx", script, &[]);
    assert!(err.contains("slow.rhai:2:"), "{err}");
    assert!(err.contains("MMULT"), "{err}");
}

#[test]
fn formulas_saved_without_results_are_computed_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let book = slow_book(dir.path(), "slow.xlsx", false);
    let err = run_stopped(dir.path(), &book, "let x = 1;\n", &[]);
    assert!(err.contains("Data!B1"), "{err}");
}

#[test]
fn an_attached_workbook_saved_without_results_is_computed_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let book = slow_book(dir.path(), "bank.xlsx", false);
    let attach = format!("bank={book}");
    let err = run_stopped(
        dir.path(),
        "samples/invoices.xlsx",
        "let x = 1;\n",
        &["--attach", &attach],
    );
    assert!(err.contains("Data!B1"), "{err}");
}

#[test]
fn a_module_that_runs_too_long_stops_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    std::fs::write(
        lib.join("spin.rhai"),
        "let n = 0;\nwhile true { n += 1; }\n",
    )
    .unwrap();
    std::fs::write(
        lib.join("slow.rhai"),
        format!("export const big = calc(\"{}\");\n", long_formula(1500, 10)),
    )
    .unwrap();
    let lib = lib.to_str().unwrap();
    for module in ["spin", "slow"] {
        let script = format!("import \"{module}\" as m;\n");
        let err = run_stopped(
            dir.path(),
            "samples/invoices.xlsx",
            &script,
            &["--lib", lib],
        );
        assert!(err.contains(module), "{err}");
    }
}
