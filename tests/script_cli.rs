//! `sheetscript run` and `sheetscript functions` as a person meets them:
//! dry runs, change reports, errors that point at the line and the cell,
//! the sandbox, and nothing written after a failure.

mod support;

use std::path::Path;
use support::*;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const BUMP: &str = "let s = sheet(\"Invoices\");\ns[\"E2\"] = 100;\ns[\"H2\"] = \"checked\";\n";

#[test]
fn dry_run_shows_the_changes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "bump.rhai", BUMP);
    let input = dir.path().join("invoices.xlsx");
    std::fs::copy(sample("invoices.xlsx"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let out = ok(&["run", &script, input.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("Invoices!E2: 13639.51 -> 100"), "{out}");
    assert!(out.contains("Invoices!H2: (empty) -> checked"), "{out}");
    assert!(out.contains("Summary!B1: 507398.2 -> 493858.69"), "{out}");
    assert_eq!(std::fs::read(&input).unwrap(), before, "input untouched");
    let entries = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(entries, 2, "no file was added");
}

#[test]
fn change_reports_list_sheet_cell_old_and_new() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "bump.rhai", BUMP);
    let out = dir.path().join("out.xlsx");
    let csv = dir.path().join("changes.csv");
    let json = dir.path().join("changes.json");
    ok(&[
        "run",
        &script,
        "samples/invoices.xlsx",
        "-o",
        out.to_str().unwrap(),
        "--changes",
        csv.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "sheet,cell,old,new");
    assert!(lines.contains(&"Invoices,E2,13639.51,100"), "{text}");
    assert!(lines.contains(&"Invoices,H2,,checked"), "{text}");
    // The Summary total recomputed from the new value is reported too.
    assert!(lines.contains(&"Summary,B1,507398.2,493858.69"), "{text}");
    // The workbook's Summary formulas follow the script's write.
    let summary = grid(&out, "Summary");
    assert_eq!(summary.num("B1"), d("507398.20") - d("13639.51") + d("100"));
    ok(&[
        "run",
        &script,
        "samples/invoices.xlsx",
        "--dry-run",
        "--changes",
        json.to_str().unwrap(),
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v[0]["sheet"], "Invoices");
    assert_eq!(v[0]["cell"], "E2");
    assert_eq!(v[0]["old"], "13639.51");
    assert_eq!(v[0]["new"], "100");
    assert!(v.as_array().unwrap().len() >= 3);
}

#[test]
fn syntax_errors_point_at_the_line_with_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "bad.rhai", "let a = 1;\nlet b = (a + ;\n");
    let o = sheetscript(&["run", &script, "samples/invoices.xlsx", "--dry-run"]);
    // A script that cannot be parsed runs on no file: bad usage, as in a
    // batch, where it is said once before any file is read.
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.rhai:2:"), "{err}");
    assert!(err.contains(" 2 | let b = (a + ;"), "{err}");
    assert!(err.contains('^'), "{err}");
}

#[test]
fn data_errors_name_the_cell_and_what_was_found() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "data.csv",
        "Customer,Net\nAcme,10.50\nBolt,n/a\n",
    );
    let script = write(
        dir.path(),
        "vat.rhai",
        "let t = workbook().table();\nlet vat = t.Net * 0.21;\n",
    );
    let o = sheetscript(&["run", &script, &data, "--dry-run"]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("vat.rhai:2:"), "{err}");
    assert!(
        err.contains("!B3: expected a number, found text \"n/a\""),
        "{err}"
    );
}

#[test]
fn unknown_columns_list_the_columns_and_suggest_one() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "typo.rhai",
        "let t = table(\"Invoices\");\nprint(t[\"Nett\"].sum());\n",
    );
    let err = stderr(&sheetscript(&[
        "run",
        &script,
        "samples/invoices.xlsx",
        "--dry-run",
    ]));
    assert!(
        err.contains("no column named \"Nett\"; the columns are: Customer, Invoice, Issue Date, Due Date, Net, VAT Rate, Currency; did you mean \"Net\"?"),
        "{err}"
    );
}

#[test]
fn failed_runs_write_nothing_and_keep_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "stop.rhai",
        "sheet(\"Invoices\").set(\"A1\", 1);\nassert(false, \"totals do not agree\");\n",
    );
    let input = dir.path().join("in.xlsx");
    std::fs::copy(sample("invoices.xlsx"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let out = dir.path().join("out.xlsx");
    let o = sheetscript(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("stop.rhai:2:1: assertion failed: totals do not agree"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    let o = sheetscript(&["run", &script, input.to_str().unwrap(), "--in-place"]);
    assert!(!o.status.success());
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no backup or temp file left"
    );
}

#[test]
fn runaway_scripts_are_stopped_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "spin.rhai",
        "let n = 0;\nwhile true {\n    n += 1;\n}\n",
    );
    let start = std::time::Instant::now();
    let o = sheetscript(&[
        "run",
        &script,
        "samples/loan.xlsx",
        "--dry-run",
        "--timeout",
        "1",
    ]);
    assert!(start.elapsed().as_secs() < 20);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("time limit of 1 s"), "{err}");
    assert!(
        err.contains("spin.rhai:2:") || err.contains("spin.rhai:3:"),
        "{err}"
    );
}

#[test]
fn imports_come_only_from_lib_folders() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    write(
        &lib,
        "money.rhai",
        "fn vat(net, rate) { round(net * rate, 2) }\n",
    );
    let script = write(
        dir.path(),
        "use.rhai",
        "import \"money\" as m;\nassert(m::vat(19.99, 0.21) == 4.20, \"vat\");\n",
    );
    let err = stderr(&sheetscript(&[
        "run",
        &script,
        "samples/loan.xlsx",
        "--dry-run",
    ]));
    assert!(err.contains("cannot import \"money\""), "{err}");
    ok(&[
        "run",
        &script,
        "samples/loan.xlsx",
        "--dry-run",
        "--lib",
        lib.to_str().unwrap(),
    ]);
    let escape = write(dir.path(), "escape.rhai", "import \"../use\" as u;\n");
    let err = stderr(&sheetscript(&[
        "run",
        &escape,
        "samples/loan.xlsx",
        "--dry-run",
        "--lib",
        lib.to_str().unwrap(),
    ]));
    assert!(err.contains("cannot import \"../use\""), "{err}");
}

#[test]
fn parameters_are_typed_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "p.rhai",
        "assert(rate * 2 == 0.42, \"number\");\nassert(asof.day == 30, \"date\");\nassert(who == \"Acme\", \"text\");\n",
    );
    ok(&[
        "run",
        &script,
        "samples/loan.xlsx",
        "--dry-run",
        "--set",
        "rate=0.21",
        "--set",
        "asof=2026-11-30",
        "--set",
        "who=Acme",
    ]);
    let o = sheetscript(&[
        "run",
        &script,
        "samples/loan.xlsx",
        "--dry-run",
        "--set",
        "rate",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("name=value"));
    let o = sheetscript(&["run", &script, "samples/loan.xlsx"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "no -o, no --in-place, no --dry-run"
    );
    let err = stderr(&sheetscript(&[
        "run",
        &script,
        "samples/loan.xlsx",
        "--dry-run",
    ]));
    assert!(
        err.contains(
            "there is no variable \"rate\" (if it is a parameter, give it with --set rate=...)"
        ),
        "{err}"
    );
}

#[test]
fn today_is_fixed_by_the_clock_option() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "t.rhai",
        "assert(today() == date(2026, 11, 30), `${today()}`);\n",
    );
    ok(&[
        "run",
        &script,
        "samples/loan.xlsx",
        "--dry-run",
        "--today",
        "2026-11-30",
    ]);
}

#[test]
fn functions_prints_the_registered_api_with_docs() {
    let out = ok(&["functions"]);
    assert!(out.contains("round(x: Number, digits: Integer) -> Number\n    Rounds half away from zero like Excel's ROUND"), "{out}");
    assert!(
        out.contains("reconcile(table: Table, other: Table, options: Map) -> Map"),
        "{out}"
    );
    assert!(
        out.contains("excel(name: Text, a: Any, b: Any) -> Any"),
        "{out}"
    );
    let only = ok(&["functions", "working_days"]);
    assert_eq!(
        only.lines().filter(|l| !l.starts_with(' ')).count(),
        2,
        "{only}"
    );
    assert_eq!(
        sheetscript(&["functions", "no-such-thing"]).status.code(),
        Some(2)
    );
}

#[test]
fn in_place_updates_the_input_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "bump.rhai", BUMP);
    let input = dir.path().join("in.xlsx");
    std::fs::copy(sample("invoices.xlsx"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    ok(&["run", &script, input.to_str().unwrap(), "--in-place", "-q"]);
    assert_eq!(grid(&input, "Invoices").num("E2"), d("100"));
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".bak"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(std::fs::read(&backups[0]).unwrap(), before);
}

fn tables_of(path: &Path) -> Vec<(String, String, String)> {
    let wb = sheetscript::io::read::read_workbook(path, &Default::default()).unwrap();
    wb.tables
        .iter()
        .map(|t| (t.name.clone(), t.sheet.clone(), t.range.to_a1()))
        .collect()
}

#[test]
fn scripts_make_blocks_excel_tables_and_turn_them_back_into_cells() {
    let dir = tempfile::tempdir().unwrap();
    let make = write(
        dir.path(),
        "make.rhai",
        r#"
        let totals = table("Invoices").group_by("Customer", ["sum Net"]);
        write_table(totals, "Totals", "A1", "CustomerTotals");
        sheet("Customers").add_table("CustomerList", "A1:C7");
        print(tables());
        "#,
    );
    let made = dir.path().join("made.xlsx");
    let out = sheetscript(&[
        "run",
        &make,
        "samples/invoices.xlsx",
        "-o",
        made.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("made Totals!A1:B7 the table \"CustomerTotals\""));
    let tables = tables_of(&made);
    let expect = |name: &str, sheet: &str, range: &str| {
        (name.to_string(), sheet.to_string(), range.to_string())
    };
    assert!(
        tables.contains(&expect("CustomerTotals", "Totals", "A1:B7")),
        "{tables:?}"
    );
    assert!(
        tables.contains(&expect("CustomerList", "Customers", "A1:C7")),
        "{tables:?}"
    );
    assert!(
        tables.contains(&expect("Invoices", "Invoices", "A1:G41")),
        "{tables:?}"
    );
    let totals = grid(&made, "Totals");
    assert_eq!(totals.text("A1"), "Customer");
    assert_eq!(totals.text("B1"), "Net");

    let unmake = write(dir.path(), "unmake.rhai", "remove_table(\"CustomerList\");");
    let unmade = dir.path().join("unmade.xlsx");
    ok(&[
        "run",
        &unmake,
        made.to_str().unwrap(),
        "-o",
        unmade.to_str().unwrap(),
    ]);
    let tables = tables_of(&unmade);
    assert!(!tables.iter().any(|t| t.0 == "CustomerList"), "{tables:?}");
    assert_eq!(tables.len(), 2, "{tables:?}");
    assert_eq!(grid(&unmade, "Customers").0, grid(&made, "Customers").0);

    // The Summary sheet's formulas use Invoices[Net]: removing the table
    // would break them, so the run stops and writes nothing.
    let breaking = write(dir.path(), "breaking.rhai", "remove_table(\"invoices\");");
    let never = dir.path().join("never.xlsx");
    let out = sheetscript(&[
        "run",
        &breaking,
        "samples/invoices.xlsx",
        "-o",
        never.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(
            "formulas refer to table \"Invoices\" by name (Summary!B1: =SUM(Invoices[Net]))"
        ),
        "{err}"
    );
    assert!(!never.exists());
}

#[test]
fn sheet_handles_and_tables_follow_a_rename() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "rename.rhai",
        r#"
        let s = sheet("Invoices");
        let t = s.table();
        s.rename("Sales 2026");
        print(s.name);
        t["Checked"] = "yes";
        t.save();
        s["J1"] = s.last_row;
        "#,
    );
    let out_path = dir.path().join("out.xlsx");
    let out = sheetscript(&[
        "run",
        &script,
        "samples/invoices.xlsx",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("Sales 2026"), "{}", stderr(&out));
    let sales = grid(&out_path, "Sales 2026");
    assert_eq!(sales.text("H1"), "Checked");
    assert_eq!(sales.text("H41"), "yes");
    assert_eq!(sales.num("J1"), d("41"));
    // The Summary's structured references still reach the renamed sheet.
    let summary = grid(&out_path, "Summary");
    assert_eq!(summary.num("B1"), d("507398.2"));
}

/// Net in A, Gross = Net * 1.21 in B as a formula saved without a result
/// (as openpyxl and pandas save them), and a stale saved total in D1.
const UNCACHED: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Net</t></is></c><c r="B1" t="inlineStr"><is><t>Gross</t></is></c><c r="D1"><f>SUM(B2:B3)</f><v>999</v></c></row>
<row r="2"><c r="A2"><v>1000</v></c><c r="B2"><f>ROUND(A2*1.21,2)</f></c></row>
<row r="3"><c r="A3"><v>1882</v></c><c r="B3"><f>ROUND(A3*1.21,2)</f></c></row>
</sheetData></worksheet>"#;

#[test]
fn formulas_saved_without_results_are_computed_before_a_script_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let book = one_sheet_xlsx(dir.path(), "openpyxl.xlsx", UNCACHED);
    let book = book.to_str().unwrap();
    let script = write(
        dir.path(),
        "sum.rhai",
        "print(`gross ${table(\"Data\").Gross.sum()}`);\n\
         print(`B2 ${sheet(\"Data\")[\"B2\"]}`);\n\
         print(`total ${sheet(\"Data\")[\"D1\"]}`);\n\
         print(`attached ${workbook(\"same\").table(\"Data\").Gross.sum()}`);\n",
    );
    let attach = format!("same={book}");
    let out = sheetscript(&["run", &script, book, "--attach", &attach, "--dry-run"]);
    // A script's print goes to stderr, beside the warnings.
    let err = stderr(&out);
    let stdout = &err;
    assert!(out.status.success(), "{err}");
    // 1210 + 2277.22: before, the script read the empty cells as 0.
    assert!(stdout.contains("gross 3487.22"), "{stdout}");
    assert!(stdout.contains("B2 1210"), "{stdout}");
    assert!(stdout.contains("attached 3487.22"), "{stdout}");
    // The total that depends on them is computed too, not the stale 999.
    assert!(stdout.contains("total 3487.22"), "{stdout}");
    assert!(
        err.contains("the workbook: 2 formulas had no saved result")
            && err.contains("attached workbook \"same\": 2 formulas"),
        "{err}"
    );

    // show displays what Excel would, not blanks.
    let shown = ok(&["show", book]);
    assert!(
        shown.contains("1210") && shown.contains("2277.22"),
        "{shown}"
    );
}

#[test]
fn run_recalc_trusts_no_saved_result() {
    let dir = tempfile::tempdir().unwrap();
    let stale = UNCACHED.replace(
        "<c r=\"B2\"><f>ROUND(A2*1.21,2)</f></c>",
        "<c r=\"B2\"><f>ROUND(A2*1.21,2)</f><v>5</v></c>",
    );
    let book = one_sheet_xlsx(dir.path(), "stale.xlsx", &stale);
    let script = write(
        dir.path(),
        "b2.rhai",
        "print(`B2 ${sheet(\"Data\")[\"B2\"]}`);\n",
    );
    let book = book.to_str().unwrap();
    // A saved result is Excel's: trusted by default...
    let trusted = stderr(&sheetscript(&["run", &script, book, "--dry-run"]));
    assert!(trusted.contains("B2 5"), "{trusted}");
    // ...and recomputed on request.
    let out = sheetscript(&["run", &script, book, "--dry-run", "--recalc"]);
    let recomputed = stderr(&out);
    assert!(recomputed.contains("B2 1210"), "{recomputed}");
    // A saved result the recalculation replaces is a change to report.
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("Data!B2: 5 -> 1210"), "{report}");
}

#[test]
fn a_change_report_never_lands_on_the_input_or_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "noop.rhai", "print(1);\n");
    let input = write(dir.path(), "ledger.csv", "Account;Amount\n311;100,50\n");
    let output = dir.path().join("out.csv");
    let output = output.to_str().unwrap();
    // Before: `--changes ledger.csv` replaced the input with the report
    // and the run exited 0.
    for (report, what) in [(input.as_str(), "the input"), (output, "the output")] {
        let out = sheetscript(&["run", &script, &input, "-o", output, "--changes", report]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(&format!("that is {what}")), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "Account;Amount\n311;100,50\n",
        "input untouched"
    );
    assert!(!Path::new(output).exists(), "nothing written");
}
