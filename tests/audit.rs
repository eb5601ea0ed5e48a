//! End-to-end tests of `sheetscript audit`: a workbook with planted
//! mistakes is caught in full and nothing else is flagged, the bundled
//! samples raise no alarm, and the corpus workbooks are audited within
//! bounded memory without crashing.

mod support;

use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::path::Path;
use support::{linked_xlsx, recalc_into, sample, sheetscript, sheetscript_capped};

/// Builds a sales workbook with one mistake of each kind planted in it,
/// as rust_xlsxwriter writes it: formulas whose saved results are all 0,
/// for Excel to compute when it opens the file (see [`computed`]).
///
/// Sales: A item, B quantity, C price, D net = B*C, E VAT = D*0.21,
/// F gross = D+E, G net per unit = D/B, H (hidden) discount = F*0.02, for
/// rows 2 to 41, totals in row 42. Summary reads the totals, a hidden
/// sheet Rates holds a computed rate, Ageing has 120 TODAY() formulas.
fn planted_workbook(path: &Path) {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let sales = wb.add_worksheet().set_name("Sales").unwrap();
    for (col, head) in [
        "Item", "Qty", "Price", "Net", "VAT", "Gross", "Per unit", "Discount",
    ]
    .iter()
    .enumerate()
    {
        sales.write_string(0, col as u16, *head).unwrap();
    }
    for row in 1..=40u32 {
        let r = row + 1;
        sales.write_string(row, 0, format!("Item {r}")).unwrap();
        // Planted: a quantity of zero makes G33 #DIV/0!, which the
        // total G42 shows too.
        let qty = if r == 33 { 0.0 } else { f64::from(r % 7 + 1) };
        sales.write_number(row, 1, qty).unwrap();
        if r == 20 {
            // Planted: a price typed as text.
            sales.write_string(row, 2, "19.90").unwrap();
        } else {
            sales.write_number(row, 2, 10.0 + f64::from(r)).unwrap();
        }
        if r == 15 {
            // Planted: a formula typed over with its value.
            sales.write_number(row, 3, 1234.5).unwrap();
        } else {
            sales
                .write_formula(row, 3, format!("=B{r}*C{r}").as_str())
                .unwrap();
        }
        // Planted: one VAT formula with another rate.
        let rate = if r == 25 { "0.2" } else { "0.21" };
        sales
            .write_formula(row, 4, format!("=D{r}*{rate}").as_str())
            .unwrap();
        sales
            .write_formula(row, 5, format!("=D{r}+E{r}").as_str())
            .unwrap();
        sales
            .write_formula(row, 6, format!("=D{r}/B{r}").as_str())
            .unwrap();
        sales
            .write_formula(row, 7, format!("=F{r}*0.02").as_str())
            .unwrap();
    }
    // Planted: the net total stops one row short.
    sales.write_formula(41, 3, "=SUM(D2:D40)").unwrap();
    sales.write_formula(41, 4, "=SUM(E2:E41)").unwrap();
    sales.write_formula(41, 5, "=SUM(F2:F41)").unwrap();
    sales.write_formula(41, 6, "=SUM(G2:G41)").unwrap();
    // Planted: the discounts are in a hidden column.
    sales.set_column_hidden(7).unwrap();

    let summary = wb.add_worksheet().set_name("Summary").unwrap();
    let rows = [
        ("Net", "=Sales!D42"),
        (
            "Gross after discount",
            "=SUM(Sales!F2:F41)-SUM(Sales!H2:H41)",
        ),
        ("Rate in %", "=Rates!B2*100"),
        // Planted: a circular reference.
        ("Loop A", "=B6+1"),
        ("Loop B", "=B5*2"),
        ("Check", "=B2-Sales!D42"),
        // Planted: arithmetic on a text cell.
        ("Doubled item", "=Sales!A2*2"),
        // Planted: a reference to an empty cell in an empty area.
        ("Forecast", "=Sales!K50*1.1"),
    ];
    summary.write_string(0, 0, "Figure").unwrap();
    for (i, (label, formula)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        summary.write_string(row, 0, *label).unwrap();
        summary.write_formula(row, 1, *formula).unwrap();
    }

    // Planted: a formula on a hidden sheet feeding a visible figure.
    let rates = wb.add_worksheet().set_name("Rates").unwrap();
    rates.write_string(1, 0, "VAT").unwrap();
    rates.write_formula(1, 1, "=0.2+0.01").unwrap();
    rates.set_hidden(true);

    // Planted: volatile functions in many cells.
    let ageing = wb.add_worksheet().set_name("Ageing").unwrap();
    for row in 0..120u32 {
        ageing
            .write_number(row, 0, 46_000.0 + f64::from(row))
            .unwrap();
        ageing
            .write_formula(row, 1, format!("=TODAY()-A{}", row + 1).as_str())
            .unwrap();
    }
    wb.save(path).unwrap();
}

/// `book` with every formula's result computed and saved, as Excel saves
/// it (by `sheetscript recalc`), beside it.
fn computed(book: &Path) -> std::path::PathBuf {
    let out = book.with_extension("computed.xlsx");
    let run = recalc_into(book, &out, &["-q"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

/// `sheetscript audit --json FILE`: the exit code and the report.
fn audit_json(file: &Path) -> (i32, Json) {
    let out = sheetscript(&["audit", "--json", "--quiet", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), report)
}

/// Each finding as `kind Sheet!cells` (cells joined by `,`).
fn findings(report: &Json) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let cells: Vec<&str> = f["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            format!(
                "{} {}!{}",
                f["kind"].as_str().unwrap(),
                f["sheet"].as_str().unwrap(),
                cells.join(",")
            )
        })
        .collect()
}

fn message_of<'a>(report: &'a Json, kind: &str, sheet: &str) -> &'a str {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind && f["sheet"] == sheet)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {kind} finding on {sheet}"))
}

#[test]
fn every_planted_mistake_is_found_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("planted.xlsx");
    planted_workbook(&raw);
    let book = computed(&raw);
    let (code, report) = audit_json(&book);
    let expected: BTreeSet<String> = [
        "error-value Sales!G33",
        "error-value Summary!B8",
        "circular-reference Summary!B5:B6",
        "constant-among-formulas Sales!D15",
        "total-omits-cells Sales!D42",
        "number-as-text Sales!C20",
        "inconsistent-formula Sales!E25",
        "hidden-feeds-visible Sales!H2:H41",
        "hidden-feeds-visible Rates!B2",
        "reads-text Summary!B8",
        "reads-empty Summary!B9",
        "volatile-functions Ageing!B1:B120",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let found = findings(&report);
    assert_eq!(
        found,
        expected,
        "missed: {:?}\nunexpected: {:?}",
        expected.difference(&found).collect::<Vec<_>>(),
        found.difference(&expected).collect::<Vec<_>>()
    );
    assert_eq!(code, 1, "errors were found: exit 1");
    assert_eq!(
        message_of(&report, "error-value", "Sales"),
        "=D33/B33 gives #DIV/0!; 1 more cell shows the error through it (G42)"
    );
    assert_eq!(
        message_of(&report, "inconsistent-formula", "Sales"),
        "=D25*0.2 differs from the formulas above and below it, which would read =D25*0.21 here"
    );
    assert!(
        message_of(&report, "total-omits-cells", "Sales").contains("leaves out D41"),
        "{report}"
    );
    assert!(
        message_of(&report, "constant-among-formulas", "Sales").contains("=B15*C15"),
        "{report}"
    );
    let levels: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["level"].as_str().unwrap())
        .collect();
    let mut sorted = levels.clone();
    sorted.sort_by_key(|l| ["error", "warning", "info"].iter().position(|x| x == l));
    assert_eq!(levels, sorted, "errors first, then warnings, then notes");

    // The same as lines; and --recalc on the file as written, whose saved
    // results are all 0, finds the same.
    let text = sheetscript(&["audit", book.to_str().unwrap()]);
    let lines = String::from_utf8_lossy(&text.stdout);
    assert!(
        lines.starts_with(&format!(
            "{}: 3 errors, 7 warnings, 2 notes",
            book.display()
        )),
        "{lines}"
    );
    assert!(
        lines.contains("warning  Sales!D15 ")
            && lines.contains("constant-among-formulas: the number 1234.5 is typed"),
        "{lines}"
    );
    let (_, again) = {
        let out = sheetscript(&["audit", "--json", "--recalc", "-q", raw.to_str().unwrap()]);
        (0, serde_json::from_slice::<Json>(&out.stdout).unwrap())
    };
    assert_eq!(findings(&again), expected);
}

#[test]
fn a_repaired_workbook_audits_clean() {
    // The planted book's shape without its mistakes: nothing to say.
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clean.xlsx");
    let mut wb = Workbook::new();
    let s = wb.add_worksheet().set_name("Sales").unwrap();
    for (col, head) in ["Qty", "Price", "Net", "VAT"].iter().enumerate() {
        s.write_string(0, col as u16, *head).unwrap();
    }
    for row in 1..=30u32 {
        let r = row + 1;
        s.write_number(row, 0, f64::from(r % 5 + 1)).unwrap();
        s.write_number(row, 1, 9.5 + f64::from(r)).unwrap();
        s.write_formula(row, 2, format!("=A{r}*B{r}").as_str())
            .unwrap();
        s.write_formula(row, 3, format!("=ROUND(C{r}*0.21,2)").as_str())
            .unwrap();
    }
    s.write_formula(31, 2, "=SUM(C2:C31)").unwrap();
    s.write_formula(31, 3, "=SUM(D2:D31)").unwrap();
    wb.save(&path).unwrap();
    let (code, report) = audit_json(&computed(&path));
    assert_eq!(findings(&report), BTreeSet::new());
    assert_eq!(code, 0);
    assert_eq!(report["formulas"], 62);
}

#[test]
fn the_samples_raise_no_alarm() {
    for name in [
        "invoices.xlsx",
        "ledger.xlsx",
        "loan.xlsx",
        "payroll.xlsx",
        "bank.xlsx",
        "bank-statement.csv",
    ] {
        let (code, report) = audit_json(&sample(name));
        assert_eq!(findings(&report), BTreeSet::new(), "{name}");
        assert_eq!(code, 0, "{name}");
    }
}

#[test]
fn what_the_bundled_scripts_write_raises_no_alarm() {
    let dir = tempfile::tempdir().unwrap();
    for (script, input) in [
        ("vat.rhai", "invoices.xlsx"),
        ("trial_balance.rhai", "ledger.xlsx"),
        ("loan.rhai", "loan.xlsx"),
        ("payroll.rhai", "payroll.xlsx"),
        ("ageing.rhai", "invoices.xlsx"),
    ] {
        let out = dir.path().join(format!("{script}.xlsx"));
        let run = sheetscript(&[
            "run",
            support::script(script).to_str().unwrap(),
            sample(input).to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--today",
            "2026-11-27",
            "-q",
        ]);
        assert!(
            run.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let (code, report) = audit_json(&out);
        assert_eq!(findings(&report), BTreeSet::new(), "{script}");
        assert_eq!(code, 0, "{script}");
    }
}

#[test]
fn an_external_link_is_a_warning_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("linked.xlsx");
    linked_xlsx(
        &path,
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f>[1]Rates!B2*2</f><v>2.5</v></c></row><row r="2"><c r="A2"><f>[1]Rates!B3*2</f><v>5</v></c></row></sheetData></worksheet>"#,
    );
    let (code, report) = audit_json(&path);
    assert_eq!(
        findings(&report),
        BTreeSet::from(["external-link Data!A1:A2".to_string()])
    );
    assert!(message_of(&report, "external-link", "Data").contains("file:///C:/Finance/Rates.xlsx"));
    assert_eq!(code, 0, "a warning is no error");
}

#[test]
fn an_unreadable_file_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-workbook.xlsx");
    std::fs::write(&path, b"PK\x03\x04 this is no zip").unwrap();
    let out = sheetscript(&["audit", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not-a-workbook.xlsx"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn help_shows_examples() {
    let out = sheetscript(&["audit", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("sheetscript audit samples/invoices.xlsx"),
        "{help}"
    );
    assert!(help.contains("--json"), "{help}");
}

/// Every corpus workbook is audited under the memory cap: a report (exit
/// 0 or 1) or a refusal with a message (exit 2), never a crash, and no
/// finding counts more cells than the workbook has.
#[test]
fn corpus_workbooks_are_audited_within_bounds() {
    let exts = ["xlsx", "xlsm", "xlsb", "xls", "ods"];
    let (Some(calamine), Some(ironcalc)) = (
        support::external::corpus_files("calamine", &exts),
        support::external::corpus_files("ironcalc", &exts),
    ) else {
        return;
    };
    let mut audited = 0;
    for file in calamine.iter().chain(&ironcalc) {
        let out = sheetscript_capped(&["audit", "--json", "-q", file.to_str().unwrap()]);
        let name = file.display();
        match out.status.code() {
            Some(0 | 1) => {
                let report: Json = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
                let list = report["findings"].as_array().unwrap();
                assert!(list.len() <= 12 * 200, "{name}: {} findings", list.len());
                for f in list {
                    let cells = f["cell_count"].as_u64().unwrap();
                    assert!((1..=60_000_000).contains(&cells), "{name}: {f}");
                    assert!(f["cells"].as_array().unwrap().len() <= 20, "{name}: {f}");
                }
                let errors = list.iter().any(|f| f["level"] == "error");
                assert_eq!(out.status.code() == Some(1), errors, "{name}");
                audited += 1;
            }
            Some(2) => {
                let err = String::from_utf8_lossy(&out.stderr);
                assert!(err.starts_with("error: "), "{name}: {err}");
            }
            other => panic!(
                "{name}: exit {other:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
    assert!(audited >= 100, "only {audited} corpus workbooks audited");
}
