//! `sheetscript explain`: the tree of what a cell depends on, on the
//! samples, on a generated order book with lookups and criteria, and on a
//! real workbook of the corpus.

mod support;

use rust_xlsxwriter::{Format, Formula, Workbook};
use std::path::{Path, PathBuf};
use support::{external, sample, sheetscript};

/// Runs `explain` with `args`, insisting on success; stdout.
fn explain(args: &[&str]) -> String {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    let out = sheetscript(&all);
    assert!(
        out.status.success(),
        "explain {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The workbook `make` writes, as `name` in `dir`.
fn in_dir(dir: &tempfile::TempDir, name: &str, make: fn(&Path)) -> PathBuf {
    let path = dir.path().join(name);
    make(&path);
    path
}

/// An order book: rates looked up by code (a defined name over a range),
/// orders with a looked-up rate and totals copied down, and a summary of
/// lookups and conditional sums. Cached results are left out: `explain`
/// computes everything.
fn order_book(path: &Path) {
    let mut wb = Workbook::new();
    let money = Format::new().set_num_format("#,##0.00");
    let percent = Format::new().set_num_format("0%");
    wb.define_name("RateTable", "=Rates!$A$2:$B$6").unwrap();
    wb.define_name("VatRate", "=0.21").unwrap();
    let rates = wb.add_worksheet().set_name("Rates").unwrap();
    rates.write_string(0, 0, "Code").unwrap();
    rates.write_string(0, 1, "Rate").unwrap();
    for (i, (code, rate)) in [
        ("A", 0.05),
        ("B", 0.1),
        ("C", 0.15),
        ("D", 0.2),
        ("E", 0.25),
    ]
    .iter()
    .enumerate()
    {
        let row = i as u32 + 1;
        rates.write_string(row, 0, *code).unwrap();
        rates
            .write_number_with_format(row, 1, *rate, &percent)
            .unwrap();
    }
    let orders = wb.add_worksheet().set_name("Orders").unwrap();
    for (col, header) in ["Customer", "Code", "Qty", "Price", "Rate", "Net", "Total"]
        .iter()
        .enumerate()
    {
        orders.write_string(0, col as u16, *header).unwrap();
    }
    let lines = [
        ("Acme", "B", 3.0, 100.0),
        ("Beta", "A", 1.0, 250.0),
        ("Acme", "C", 2.0, 40.5),
        ("Gamma", "B", 10.0, 12.0),
        ("Acme", "B", 1.0, 99.99),
        ("Beta", "E", 4.0, 20.0),
    ];
    for (i, (customer, code, qty, price)) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        let r = row + 1;
        orders.write_string(row, 0, *customer).unwrap();
        orders.write_string(row, 1, *code).unwrap();
        orders.write_number(row, 2, *qty).unwrap();
        orders
            .write_number_with_format(row, 3, *price, &money)
            .unwrap();
        orders
            .write_formula_with_format(
                row,
                4,
                Formula::new(format!("=VLOOKUP(B{r},RateTable,2,FALSE)")),
                &percent,
            )
            .unwrap();
        orders
            .write_formula_with_format(row, 5, Formula::new(format!("=C{r}*D{r}")), &money)
            .unwrap();
        orders
            .write_formula_with_format(row, 6, Formula::new(format!("=F{r}*(1-E{r})")), &money)
            .unwrap();
    }
    let summary = wb.add_worksheet().set_name("Summary").unwrap();
    let formulas = [
        "=SUM(Orders!G2:G7)",
        "=SUMIFS(Orders!G2:G7,Orders!A2:A7,\"Acme\")",
        "=COUNTIFS(Orders!A2:A7,\"Acme\",Orders!B2:B7,\"B\")",
        "=INDEX(Rates!B2:B6,MATCH(\"C\",Rates!A2:A6,0))",
        "=_xlfn.XLOOKUP(\"D\",Rates!A2:A6,Rates!B2:B6)",
        "=VLOOKUP(\"Z\",RateTable,2,FALSE)",
        "=B1*VatRate",
    ];
    for (i, f) in formulas.iter().enumerate() {
        summary
            .write_formula_with_format(i as u32, 1, Formula::new(*f), &money)
            .unwrap();
    }
    wb.save(path).unwrap();
}

/// Spills, a cycle, LET, OFFSET, INDIRECT, a 3-D reference and a whole
/// column.
fn tricky_book(path: &Path) {
    let mut wb = Workbook::new();
    let data = wb.add_worksheet().set_name("Data").unwrap();
    for row in 0..5u32 {
        data.write_number(row, 0, f64::from(row + 1)).unwrap();
    }
    data.write_dynamic_formula(0, 2, "=_xlfn.SEQUENCE(3)")
        .unwrap();
    let formulas = [
        (0, 1, "=SUM(A:A)"),
        (0, 3, "=SUM(_xlfn.ANCHORARRAY(C1))"),
        (1, 3, "=C2*2"),
        (0, 4, "=E2+1"),
        (1, 4, "=E1+1"),
        (0, 5, "=_xlfn.LET(_xlpm.x,A1*2,_xlpm.x+A2)"),
        (1, 5, "=SUM(OFFSET(A1,2,0,2,1))"),
        (2, 5, "=INDIRECT(\"A\"&A4)"),
        (3, 5, "=SUM(Jan:Feb!A1)"),
        (4, 5, "=IF(A1>0,A2,A3)"),
    ];
    for (row, col, formula) in formulas {
        data.write_formula(row, col, formula).unwrap();
    }
    for (name, v) in [("Jan", 10.0), ("Feb", 20.0)] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        ws.write_number(0, 0, v).unwrap();
    }
    wb.save(path).unwrap();
}

/// The formula cells of the IronCalc corpus (Excel's own workbooks, one
/// per function family; the first 150 of each sheet) explain without an
/// error, within the node limit; and where a cell is one lookup
/// (`=VLOOKUP(...)`, `=INDEX(...)`...), the cell its path names holds the
/// cell's value: the path is the one the calculation took.
#[test]
fn every_formula_cell_of_the_ironcalc_corpus_explains() {
    use sheetscript::formula::{
        explain, Engine, EngineOptions, ExplainOptions, MAX_NODES_EXPLAINED,
    };
    use sheetscript::io::read::{read_workbook, ReadOptions};
    let Some(files) = external::corpus_files("ironcalc", &["xlsx"]) else {
        return;
    };
    let (mut cells, mut nodes_max, mut lookups) = (0usize, 0usize, 0usize);
    let mut paths_checked = 0usize;
    let mut wrong_paths = Vec::new();
    let started = std::time::Instant::now();
    for file in &files {
        let workbook = read_workbook(file, &ReadOptions::default()).unwrap();
        let mut engine = Engine::new(workbook, EngineOptions::default());
        engine.recalc_all();
        let targets: Vec<String> = engine
            .workbook()
            .sheets
            .iter()
            .flat_map(|s| {
                s.cells()
                    .filter(|(_, c)| c.formula.is_some())
                    .take(150)
                    .map(|(a, _)| format!("'{}'!{}", s.name.replace('\'', "''"), a.to_a1()))
                    .collect::<Vec<_>>()
            })
            .collect();
        for target in targets {
            let e = explain(&mut engine, &target, None, &ExplainOptions::default())
                .unwrap_or_else(|err| panic!("{}: {target}: {err}", file.display()));
            let text = e.to_text();
            let lines = text.lines().count();
            assert!(
                (1..=3 * MAX_NODES_EXPLAINED).contains(&lines),
                "{target}: {lines} lines"
            );
            nodes_max = nodes_max.max(lines);
            lookups += e.root.lookups.len();
            let formula = e.root.formula.clone().unwrap_or_default();
            let single_lookup = ["=VLOOKUP(", "=HLOOKUP(", "=XLOOKUP(", "=INDEX("]
                .iter()
                .any(|f| formula.starts_with(f) && formula.ends_with(')'));
            if let ([path], true) = (e.root.lookups.as_slice(), single_lookup) {
                let taken_cell = path.taken.as_deref().is_some_and(|t| !t.contains(':'));
                if taken_cell {
                    paths_checked += 1;
                    let value = e.root.value.as_ref().unwrap().raw.clone();
                    let taken = path.taken.as_deref().unwrap();
                    let held = explain(&mut engine, taken, None, &ExplainOptions::default())
                        .unwrap()
                        .root
                        .value
                        .unwrap()
                        .raw;
                    // A lookup of an empty cell gives 0.
                    if held != value && !(held.is_empty() && value == "0") {
                        wrong_paths.push(format!(
                            "{}: {target} {formula} = {value}, but its path took {taken} = {held}",
                            file.display(),
                        ));
                    }
                }
            }
            cells += 1;
        }
    }
    eprintln!(
        "explained {cells} formula cells of {} workbooks in {:.1?}: at most {nodes_max} lines, {lookups} lookups traced",
        files.len(),
        started.elapsed()
    );
    eprintln!("{paths_checked} lookup paths checked against their cell's value");
    assert!(wrong_paths.is_empty(), "{}", wrong_paths.join("\n"));
    assert!(
        cells > 1000 && paths_checked > 50,
        "{cells} cells, {paths_checked} paths"
    );
}

/// `explain` on `book` (a path) and `cell` with `more` options.
fn explain_in(book: &Path, cell: &str, more: &[&str]) -> String {
    let mut args = vec![book.to_str().unwrap(), cell, "--quiet"];
    args.extend_from_slice(more);
    explain(&args)
}

/// The explanation of the sample invoices' gross total.
const INVOICE_TOTAL: &str = "\
Summary!B3 = 580,850.16   =B1+B2
├─ Summary!B1 = 507,398.20   =SUM(Invoices[Net])
│  └─ Invoices[Net] → Invoices!E2:E41, 40 cells (40 numbers), sum 507,398.20
└─ Summary!B2 = 73,451.96   =SUMPRODUCT(Invoices[Net],Invoices[VAT Rate])
   ├─ Invoices[Net] → Invoices!E2:E41   (shown above)
   └─ Invoices[VAT Rate] → Invoices!F2:F41, 40 cells (40 numbers), sum 582%
";

#[test]
fn the_invoice_total_comes_from_the_table_columns() {
    let book = sample("invoices.xlsx");
    assert_eq!(explain_in(&book, "Summary!B3", &[]), INVOICE_TOTAL);
}

#[test]
fn the_ledger_difference_comes_from_two_column_sums() {
    let book = sample("ledger.xlsx");
    assert_eq!(
        explain_in(&book, "Summary!B3", &[]),
        "\
Summary!B3 = 0.00   =B1-B2
├─ Summary!B1 = 128,922.75   =SUM(Ledger!D2:D61)
│  └─ Ledger!D2:D61, 60 cells (30 numbers, 30 empty), sum 128,922.75
└─ Summary!B2 = 128,922.75   =SUM(Ledger!E2:E61)
   └─ Ledger!E2:E61, 60 cells (30 numbers, 30 empty), sum 128,922.75
"
    );
    // Depth 1: the sums' ranges are counted, not shown.
    assert_eq!(
        explain_in(&book, "Summary!B3", &["--depth", "1"]),
        "\
Summary!B3 = 0.00   =B1-B2
├─ Summary!B1 = 128,922.75   =SUM(Ledger!D2:D61)
│  └─ … 1 precedent below depth 1
└─ Summary!B2 = 128,922.75   =SUM(Ledger!E2:E61)
   └─ … 1 precedent below depth 1
not shown: 2 below depth 1 (--depth)
"
    );
}

#[test]
fn a_defined_name_of_one_cell_is_explained_and_names_show_their_cells() {
    let book = sample("loan.xlsx");
    assert_eq!(
        explain_in(&book, "Payment", &[]),
        "\
Loan!B7 = 1,581.62   =PMT(AnnualRate/PaymentsPerYear,Years*PaymentsPerYear,-Principal)
├─ AnnualRate → Loan!B3 = 4.50%
├─ PaymentsPerYear → Loan!B5 = 12
├─ Years → Loan!B4 = 20
└─ Principal → Loan!B2 = 250,000.00
"
    );
}

#[test]
fn a_lookup_shows_the_row_it_matched_and_the_cell_it_took() {
    let dir = tempfile::tempdir().unwrap();
    let book = in_dir(&dir, "orders.xlsx", order_book);
    assert_eq!(
        explain_in(&book, "Summary!B1", &[]),
        "\
Summary!B1 = 834.34   =SUM(Orders!G2:G7)
└─ Orders!G2:G7, 6 cells (6 numbers), 6 formulas, sum 834.34
   └─ Orders!G2 = 270.00   =F2*(1-E2)   (and 5 more cells with this formula)
      ├─ Orders!F2 = 300.00   =C2*D2
      │  ├─ Orders!C2 = 3
      │  └─ Orders!D2 = 100.00
      └─ Orders!E2 = 10%   =VLOOKUP(B2,RateTable,2,FALSE)
         │  VLOOKUP: \"B\" found at row 2 of Rates!A2:A6 (exact) → Rates!B3 = 10%
         ├─ Orders!B2 = B
         ├─ RateTable → Rates!A2:B6, 10 cells (5 numbers, 5 text), sum 75%
         └─ Rates!B3 = 10%
"
    );
    assert_eq!(
        explain_in(&book, "Summary!B4", &[]),
        "\
Summary!B4 = 0.15   =INDEX(Rates!B2:B6,MATCH(\"C\",Rates!A2:A6,0))
│  MATCH: \"C\" found at row 3 of Rates!A2:A6 (exact) → 3
│  INDEX: row 3 of Rates!B2:B6 → Rates!B4 = 15%
├─ Rates!B2:B6, 5 cells (5 numbers), sum 75%
├─ Rates!A2:A6, 5 cells (5 text)
└─ Rates!B4 = 15%
"
    );
    assert_eq!(
        explain_in(&book, "Summary!B5", &[]),
        "\
Summary!B5 = 0.20   =XLOOKUP(\"D\",Rates!A2:A6,Rates!B2:B6)
│  XLOOKUP: \"D\" found at row 4 of Rates!A2:A6 (exact) → Rates!B5 = 20%
├─ Rates!A2:A6, 5 cells (5 text)
├─ Rates!B2:B6, 5 cells (5 numbers), sum 75%
└─ Rates!B5 = 20%
"
    );
    assert_eq!(
        explain_in(&book, "Summary!B6", &[]),
        "\
Summary!B6 = #N/A   =VLOOKUP(\"Z\",RateTable,2,FALSE)
│  VLOOKUP: \"Z\" not found in Rates!A2:A6 (exact) → #N/A
└─ RateTable → Rates!A2:B6, 10 cells (5 numbers, 5 text), sum 75%
"
    );
}

#[test]
fn conditional_sums_and_counts_say_how_many_rows_met_the_criteria() {
    let dir = tempfile::tempdir().unwrap();
    let book = in_dir(&dir, "orders.xlsx", order_book);
    let sumifs = explain_in(&book, "Summary!B2", &["--depth", "1"]);
    assert_eq!(
        sumifs,
        "\
Summary!B2 = 428.84   =SUMIFS(Orders!G2:G7,Orders!A2:A7,\"Acme\")
│  SUMIFS: 3 of 6 rows meet Orders!A2:A7 \"Acme\"
├─ Orders!G2:G7, 6 cells (6 numbers), 6 formulas, sum 834.34
│  └─ … 1 precedent below depth 1
└─ Orders!A2:A7, 6 cells (6 text)
not shown: 1 below depth 1 (--depth)
"
    );
    assert_eq!(
        explain_in(&book, "Summary!B3", &[]),
        "\
Summary!B3 = 2.00   =COUNTIFS(Orders!A2:A7,\"Acme\",Orders!B2:B7,\"B\")
│  COUNTIFS: 2 of 6 rows meet Orders!A2:A7 \"Acme\" and Orders!B2:B7 \"B\"
├─ Orders!A2:A7, 6 cells (6 text)
└─ Orders!B2:B7, 6 cells (6 text)
"
    );
}

#[test]
fn depth_and_width_fold_with_a_count_and_cells_met_twice_show_once() {
    let dir = tempfile::tempdir().unwrap();
    let book = in_dir(&dir, "orders.xlsx", order_book);
    assert_eq!(
        explain_in(&book, "Summary!B7", &[]),
        "\
Summary!B7 = 175.21   =B1*VatRate
├─ Summary!B1 = 834.34   =SUM(Orders!G2:G7)
│  └─ Orders!G2:G7, 6 cells (6 numbers), 6 formulas, sum 834.34
│     └─ Orders!G2 = 270.00   =F2*(1-E2)   (and 5 more cells with this formula)
│        ├─ Orders!F2 = 300.00   =C2*D2
│        │  └─ … 2 precedents below depth 4
│        └─ Orders!E2 = 10%   =VLOOKUP(B2,RateTable,2,FALSE)
│           └─ … 2 precedents below depth 4
└─ VatRate = 0.21   =0.21
not shown: 4 below depth 4 (--depth)
"
    );
    let tricky = in_dir(&dir, "tricky.xlsx", tricky_book);
    assert_eq!(
        explain_in(&tricky, "F5", &["--width", "2"]),
        "\
Data!F5 = 2   =IF(A1>0,A2,A3)
│  IF: A1>0 is TRUE → A2
├─ Data!A1 = 1
├─ Data!A2 = 2
└─ … 1 more precedent beyond width 2
not shown: 1 beyond width 2 (--width)
"
    );
}

#[test]
fn spills_cycles_and_computed_references_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    let book = in_dir(&dir, "tricky.xlsx", tricky_book);
    let cases = [
        (
            "B1",
            "\
Data!B1 = 15   =SUM(A:A)
└─ Data!A:A (counted to Data!A1:A5), 5 cells (5 numbers), sum 15
",
        ),
        (
            "D1",
            "\
Data!D1 = 6   =SUM(C1#)
└─ C1# → Data!C1:C3, 3 cells (3 numbers), 1 formula, sum 6
   └─ Data!C1 = 1   =SEQUENCE(3)
",
        ),
        (
            "D2",
            "\
Data!D2 = 4   =C2*2
└─ Data!C2 = 2   spilled from Data!C1
   └─ Data!C1 = 1   =SEQUENCE(3)
",
        ),
        (
            "E1",
            "\
Data!E1 = #CIRC!   =E2+1
└─ Data!E2 = #CIRC!   =E1+1
   └─ Data!E1 = #CIRC!   =E2+1   (circular: it reads itself through the cells above)
",
        ),
        (
            "F1",
            "\
Data!F1 = 4   =LET(x,A1*2,x+A2)
├─ Data!A1 = 1
└─ Data!A2 = 2
",
        ),
        (
            "F2",
            "\
Data!F2 = 7   =SUM(OFFSET(A1,2,0,2,1))
└─ OFFSET(A1,2,0,2,1) → Data!A3:A4, 2 cells (2 numbers), sum 7
",
        ),
        (
            "F4",
            "\
Data!F4 = 30   =SUM(Jan:Feb!A1)
├─ Jan:Feb!A1 → Jan!A1 = 10
└─ Jan:Feb!A1 → Feb!A1 = 20
",
        ),
    ];
    for (cell, expected) in cases {
        assert_eq!(explain_in(&book, cell, &[]), expected, "{cell}");
    }
}

#[test]
fn json_gives_the_same_tree_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let book = in_dir(&dir, "orders.xlsx", order_book);
    let text = explain_in(&book, "Summary!B4", &["--json"]);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["target"], "Summary!B4");
    assert_eq!(
        (json["depth"].as_u64(), json["width"].as_u64()),
        (Some(4), Some(8))
    );
    let root = &json["root"];
    assert_eq!(root["kind"], "cell");
    assert_eq!(
        root["formula"],
        "=INDEX(Rates!B2:B6,MATCH(\"C\",Rates!A2:A6,0))"
    );
    assert_eq!(
        root["value"],
        serde_json::json!({"shown": "0.15", "raw": "0.15", "type": "number"})
    );
    assert_eq!(root["lookups"][0]["function"], "MATCH");
    assert_eq!(root["lookups"][0]["matched"], "Rates!A4");
    assert_eq!(root["lookups"][1]["function"], "INDEX");
    assert_eq!(root["lookups"][1]["position"], "row 3");
    assert_eq!(root["lookups"][1]["taken"], "Rates!B4");
    let children = root["children"].as_array().unwrap();
    assert_eq!(children.len(), 3);
    assert_eq!(children[0]["kind"], "range");
    assert_eq!(children[0]["address"], "Rates!B2:B6");
    assert_eq!(
        children[0]["range"],
        serde_json::json!({"cells": 5, "numbers": 5, "text": 0, "logical": 0, "errors": 0,
            "empty": 0, "formulas": 0, "sum": {"shown": "75%", "raw": "0.75", "type": "number"}})
    );
    assert_eq!(children[2]["address"], "Rates!B4");
    assert_eq!(json["folded_by_depth"], 0);
    // Folded precedents and criteria are data too.
    let sumifs: serde_json::Value = serde_json::from_str(&explain_in(
        &book,
        "Summary!B2",
        &["--json", "--depth", "1"],
    ))
    .unwrap();
    assert_eq!(
        sumifs["root"]["criteria"][0],
        serde_json::json!({"function": "SUMIFS", "matched": "3", "of": 6, "unit": "rows",
            "conditions": [{"range": "Orders!A2:A7",
                "criterion": {"shown": "Acme", "raw": "Acme", "type": "text"}}]})
    );
    assert_eq!(
        sumifs["root"]["children"][0]["folded"],
        serde_json::json!({"count": 1, "by": "depth"})
    );
    assert_eq!(sumifs["folded_by_depth"], 1);
}

#[test]
fn a_target_that_is_no_cell_is_refused_with_exit_2() {
    let book = sample("invoices.xlsx");
    let book = book.to_str().unwrap();
    let cases = [
        ("Summary!Z", "\"Summary!Z\" is not a cell"),
        ("Sumary!B3", "there is no sheet named \"Sumary\" to explain Sumary!B3 on; the sheets are Invoices, Customers, Summary"),
        ("Summary!B1:B3", "explain takes one cell, not the range Summary!B1:B3"),
        ("", "explain needs a cell"),
    ];
    for (cell, message) in cases {
        let out = sheetscript(&["explain", book, cell]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cell}: {stderr}");
        assert!(stderr.contains(message), "{cell}: {stderr}");
        assert!(out.stdout.is_empty(), "{cell}");
    }
    let out = sheetscript(&["explain", "no-such-file.xlsx", "A1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_script_asks_for_the_same_explanation() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("why.rhai");
    std::fs::write(
        &script,
        r#"print(explain("Summary!B3"));
let tree = explain("Summary!B3", #{depth: 1, data: true});
print(`${tree.root.value.shown} from ${tree.root.children.len()} cells; ${tree.folded_by_depth} folded`);
"#,
    )
    .unwrap();
    let out = sheetscript(&[
        "run",
        script.to_str().unwrap(),
        sample("invoices.xlsx").to_str().unwrap(),
        "--dry-run",
        "--quiet",
    ]);
    // A script prints on stderr, beside the run's own messages.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        format!("{INVOICE_TOTAL}580,850.16 from 2 cells; 3 folded\n")
    );
}

#[test]
fn a_real_workbook_shows_its_lookup_paths() {
    let Some(book) = external::corpus("ironcalc/LOOKUP_AND_REFERENCE/HVLOOKUP.xlsx") else {
        return;
    };
    assert_eq!(
        explain_in(&book, "HLinear!C7", &[]),
        "\
HLinear!C7 = Manzana   =HLOOKUP(C6,$C$1:$N$5, 2,FALSE)
│  HLOOKUP: \"Apple\" found at column 2 of HLinear!C1:N1 (exact) → HLinear!D2 = Manzana
├─ HLinear!C6 = Apple   =D1
│  └─ HLinear!D1 = Apple
├─ HLinear!C1:N5, 60 cells (18 text, 42 empty)
└─ HLinear!D2 = Manzana
"
    );
    assert_eq!(
        explain_in(&book, "HLOOKUP!N5", &[]),
        "\
HLOOKUP!N5 = Berlin   =HLOOKUP(M5,$C$1:$G$6, 1)
│  HLOOKUP: \"Cuenca\" matched at column 3 of HLOOKUP!C1:G1 (approximate) → HLOOKUP!E1 = Berlin
├─ HLOOKUP!M5 = Cuenca
├─ HLOOKUP!C1:G6, 30 cells (5 numbers, 10 text, 15 empty), sum 15
└─ HLOOKUP!E1 = Berlin
"
    );
}

#[test]
fn a_long_chain_ends_at_the_node_limit_with_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("chain.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Chain").unwrap();
    for row in 0..2500u32 {
        ws.write_formula(row, 0, format!("=A{}+1", row + 2).as_str())
            .unwrap();
    }
    wb.save(&book).unwrap();
    let out = explain_in(&book, "A1", &["--depth", "60000"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2002, "{}", &out[out.len() - 300..]);
    assert!(
        lines[1999]
            .trim_start()
            .starts_with("└─ Chain!A2000 = 501   =A2001+1"),
        "{}",
        lines[1999]
    );
    assert!(
        lines[2000].ends_with("└─ … 1 precedent past the limit of 2000 lines"),
        "{}",
        lines[2000]
    );
    assert_eq!(lines[2001], "not shown: 1 past the limit of 2000 lines");
}

#[test]
fn a_saved_value_that_differs_from_the_computed_one_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("stale.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Data").unwrap();
    ws.write_number(0, 0, 2.0).unwrap();
    ws.write_formula(0, 1, Formula::new("=A1*2").set_result("5"))
        .unwrap();
    ws.write_formula(0, 2, Formula::new("=A1*3").set_result("6"))
        .unwrap();
    wb.save(&book).unwrap();
    let out = sheetscript(&["explain", book.to_str().unwrap(), "B1"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Data!B1 = 4   =A1*2\n└─ Data!A1 = 2\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "note: the file saved 5 for Data!B1, from its last calculation; the values here are computed now\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&explain_in(&book, "B1", &["--json"])).unwrap();
    assert_eq!(json["saved"]["raw"], "5");
    // A saved value that agrees says nothing.
    let out = sheetscript(&["explain", book.to_str().unwrap(), "C1"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
