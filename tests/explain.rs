//! `sheetscript explain`: the tree of what a cell depends on, on the
//! samples, on a generated order book with lookups and criteria, and on a
//! real workbook of the corpus.

mod support;

use rust_xlsxwriter::{Format, Formula, Workbook};
use std::path::Path;
use support::{external, sample, sheetscript, sheetscript_capped};

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

#[test]
fn print_order_book() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("orders.xlsx");
    order_book(&book);
    for cell in [
        "Summary!B1",
        "Summary!B2",
        "Summary!B3",
        "Summary!B4",
        "Summary!B5",
        "Summary!B6",
        "Summary!B7",
    ] {
        println!("{}", explain(&[book.to_str().unwrap(), cell]));
    }
    println!(
        "{}",
        explain(&[book.to_str().unwrap(), "Summary!B4", "--json"])
    );
    let _ = (
        sample("x"),
        sheetscript_capped(&["--help"]),
        external::corpus("x"),
    );
}

/// Spills, a cycle, LET, OFFSET, INDIRECT, a 3-D reference and a whole
/// column.
fn tricky_book(path: &Path) {
    let mut wb = Workbook::new();
    let data = wb.add_worksheet().set_name("Data").unwrap();
    for row in 0..5u32 {
        data.write_number(row, 0, f64::from(row + 1)).unwrap();
    }
    data.write_formula(0, 1, "=SUM(A:A)").unwrap();
    data.write_dynamic_formula(0, 2, "=_xlfn.SEQUENCE(3)")
        .unwrap();
    data.write_formula(0, 3, "=SUM(_xlfn.ANCHORARRAY(C1))")
        .unwrap();
    data.write_formula(1, 3, "=C2*2").unwrap();
    data.write_formula(0, 4, "=E2+1").unwrap();
    data.write_formula(1, 4, "=E1+1").unwrap();
    data.write_formula(0, 5, "=_xlfn.LET(_xlpm.x,A1*2,_xlpm.x+A2)")
        .unwrap();
    data.write_formula(1, 5, "=SUM(OFFSET(A1,2,0,2,1))")
        .unwrap();
    data.write_formula(2, 5, "=INDIRECT(\"A\"&A4)").unwrap();
    data.write_formula(3, 5, "=SUM(Jan:Feb!A1)").unwrap();
    data.write_formula(4, 5, "=IF(A1>0,A2,A3)").unwrap();
    for (name, v) in [("Jan", 10.0), ("Feb", 20.0)] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        ws.write_number(0, 0, v).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn print_tricky_book() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("tricky.xlsx");
    tricky_book(&book);
    for cell in ["B1", "D1", "D2", "E1", "F1", "F2", "F3", "F4", "F5", "C3"] {
        let out = sheetscript(&["explain", book.to_str().unwrap(), cell]);
        println!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
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
                lines >= 1 && lines <= 3 * MAX_NODES_EXPLAINED,
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
