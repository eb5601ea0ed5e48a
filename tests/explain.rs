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
