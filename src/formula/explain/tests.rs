//! The limits that keep an explanation bounded, and the parts of a
//! formula that read no cell.

use super::walk::explain_cell;
use super::{explain, ExplainOptions, FoldedBy, NodeKind, MAX_NODES};
use crate::formula::testing::{test_now, workbook_with};
use crate::formula::{Engine, EngineOptions};
use crate::model::CellAddr;

fn engine(cells: &[(&str, &str)]) -> Engine {
    let mut engine = Engine::new(
        workbook_with(cells),
        EngineOptions {
            now: Some(test_now()),
            ..Default::default()
        },
    );
    engine.recalc_all();
    engine
}

fn wide() -> ExplainOptions {
    ExplainOptions {
        depth: 50,
        width: 10_000,
    }
}

#[test]
fn an_explanation_stops_at_its_node_limit_with_a_count() {
    // 3,000 different formulas in one range, each reading its own cell.
    let texts: Vec<(String, String)> = (1..=3000)
        .flat_map(|i| {
            [
                (format!("B{i}"), format!("=C{i}+{i}")),
                (format!("C{i}"), i.to_string()),
            ]
        })
        .collect();
    let mut cells: Vec<(&str, &str)> = texts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    cells.push(("A1", "=SUM(B1:B3000)"));
    let mut engine = engine(&cells);
    let e = explain(&mut engine, "A1", None, &wide()).unwrap();
    let range = &e.root.children[0];
    assert_eq!(range.range.as_ref().unwrap().formulas, 3000);
    assert!(e.folded_by_limit > 0, "{}", e.folded_by_limit);
    assert_eq!(range.folded.map(|f| f.by), Some(FoldedBy::Limit));
    let lines = e.to_text().lines().count();
    assert!(lines <= MAX_NODES + 2, "{lines} lines");
}

#[test]
fn ranges_past_the_cells_budget_are_named_not_counted() {
    let mut engine = engine(&[("A1", "=SUM(B1:B10)+SUM(C1:C10)"), ("B1", "1"), ("C1", "2")]);
    let e = explain_cell(&mut engine, 0, CellAddr::new(0, 0), &wide(), 15).unwrap();
    let [b, c] = &e.root.children[..] else {
        panic!("{:?}", e.root.children);
    };
    assert_eq!(b.range.as_ref().map(|r| r.cells), Some(10));
    assert!(c.range.is_none() && c.not_counted);
    assert!(e.to_text().contains("Sheet1!C1:C10   (not counted"));
}

#[test]
fn a_name_holding_a_formula_shows_what_it_reads_and_let_names_read_nothing() {
    let mut wb = workbook_with(&[("A1", "=Doubled+LET(x,B2,x*2)"), ("B1", "5"), ("B2", "7")]);
    wb.names.push(crate::model::DefinedName {
        name: "Doubled".into(),
        scope: None,
        refers_to: "Sheet1!$B$1*2".into(),
    });
    let mut engine = Engine::new(wb, EngineOptions::default());
    engine.recalc_all();
    let e = explain(&mut engine, "Sheet1!A1", None, &wide()).unwrap();
    let [name, b2] = &e.root.children[..] else {
        panic!("{:?}", e.root.children);
    };
    assert_eq!(name.kind, NodeKind::Value);
    assert_eq!(name.address, "Doubled");
    assert_eq!(name.formula.as_deref(), Some("=Sheet1!$B$1*2"));
    assert_eq!(name.value.as_ref().unwrap().shown, "10");
    assert_eq!(name.children[0].address, "Sheet1!B1");
    assert_eq!(b2.address, "Sheet1!B2");
    assert_eq!(e.root.value.as_ref().unwrap().raw, "24");
}

#[test]
fn a_cell_folded_at_the_depth_is_explained_where_it_is_met_higher_up() {
    let mut engine = engine(&[
        ("A1", "=B1+C1"),
        ("B1", "=C1*2"),
        ("C1", "=D1+1"),
        ("D1", "5"),
    ]);
    let options = ExplainOptions { depth: 2, width: 8 };
    let e = explain(&mut engine, "A1", None, &options).unwrap();
    assert_eq!(
        e.to_text(),
        "\
Sheet1!A1 = 18   =B1+C1
├─ Sheet1!B1 = 12   =C1*2
│  └─ Sheet1!C1 = 6   =D1+1
│     └─ … 1 precedent below depth 2
└─ Sheet1!C1 = 6   =D1+1
   └─ Sheet1!D1 = 5
not shown: 1 below depth 2 (--depth)
"
    );
}

#[test]
fn a_choice_says_which_argument_it_took() {
    let mut engine = engine(&[
        ("A1", "=IFERROR(B1/C1,0)"),
        ("A2", "=IF(B1>5,\"big\")"),
        ("A3", "=IFNA(B1,\"none\")"),
        ("A4", "=IF(C1/C1,1,2)"),
        ("B1", "4"),
        ("C1", "0"),
    ]);
    let lines: Vec<String> = ["A1", "A2", "A3", "A4"]
        .iter()
        .map(|cell| {
            let e = explain(&mut engine, cell, None, &ExplainOptions::default()).unwrap();
            e.to_text().lines().nth(1).unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(
        lines,
        [
            "│  IFERROR: B1/C1 is #DIV/0! → 0",
            "│  IF: B1>5 is FALSE → FALSE",
            "│  IFNA: B1 is 4 → B1",
            "│  IF: C1/C1 is #DIV/0! → the error #DIV/0!",
        ]
    );
}
