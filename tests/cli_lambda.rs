//! Workbooks whose formulas use LAMBDA and the dynamic-array functions,
//! stored as Excel stores them (`_xlfn.`, `_xlpm.`, `_xleta.`), through
//! `sheetscript recalc`: values computed, formulas saved back intact.

mod support;

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_xlsxwriter::{Formula, Workbook};
use std::path::Path;
use support::sheetscript;

/// The formulas of the test sheet, each as files store it, with a wrong
/// cached value; `VATOF` is a defined name holding a LAMBDA.
const FORMULAS: &[(u32, &str)] = &[
    (1, "=VATOF(A2)"),
    (2, "=_xlfn.LAMBDA(_xlpm.x,_xlpm.x*2)(21)"),
    (
        3,
        "=_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.n,_xlpm.n+1),_xlpm.f(A2))",
    ),
    (
        4,
        "=_xlfn.REDUCE(0,A2:A4,_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a+_xlpm.b))",
    ),
    (5, "=SUM(_xlfn.BYROW(A2:A4,_xleta.SUM))"),
    (6, "=ROWS(_xlfn.VSTACK(A2:A4,A2:A3))"),
    (7, "=INDEX(_xlfn.GROUPBY(C2:C4,A2:A4,_xleta.SUM,0,0),1,2)"),
    (8, "=_xlfn.LAMBDA(_xlpm.x,_xlpm.x)"),
    (9, "=FACT10"),
];

fn lambda_book(path: &Path) {
    let mut wb = Workbook::new();
    wb.define_name("VATOF", "=_xlfn.LAMBDA(_xlpm.net,ROUND(_xlpm.net*0.21,2))")
        .unwrap();
    wb.define_name(
        "FACTORIAL",
        "=_xlfn.LAMBDA(_xlpm.n,IF(_xlpm.n<=1,1,_xlpm.n*FACTORIAL(_xlpm.n-1)))",
    )
    .unwrap();
    wb.define_name("FACT10", "=FACTORIAL(10)").unwrap();
    let ws = wb.add_worksheet().set_name("Calc").unwrap();
    ws.write_string(0, 0, "Net").unwrap();
    for (row, (net, group)) in [(100.1, "a"), (0.2, "b"), (50.0, "a")].iter().enumerate() {
        ws.write_number(row as u32 + 1, 0, *net).unwrap();
        ws.write_string(row as u32 + 1, 2, *group).unwrap();
    }
    for (row, text) in FORMULAS {
        ws.write_formula(*row, 1, Formula::new(*text).set_result("0"))
            .unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn lambda_formulas_recalculate_and_save_back_intact() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    let output = dir.path().join("out.xlsx");
    lambda_book(&input);
    let out = sheetscript(&[
        "recalc",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let mut xl: Xlsx<_> = open_workbook(&output).unwrap();
    let values = xl.worksheet_range("Calc").unwrap();
    let get = |r: u32| values.get_value((r, 1)).cloned().unwrap_or(Data::Empty);
    assert_eq!(get(1), Data::Float(21.02));
    assert_eq!(get(2), Data::Float(42.0));
    assert_eq!(get(3), Data::Float(101.1));
    assert_eq!(get(4), Data::Float(150.3));
    assert_eq!(get(5), Data::Float(150.3));
    assert_eq!(get(6), Data::Float(5.0));
    assert_eq!(get(7), Data::Float(150.1));
    // calamine knows no #CALC! error kind and reads it as its text.
    assert_eq!(get(8).to_string(), "#CALC!", "an uncalled LAMBDA");
    assert_eq!(get(9), Data::Float(3628800.0));
    let formulas = xl.worksheet_formula("Calc").unwrap();
    for (row, text) in FORMULAS {
        let saved = formulas.get_value((*row, 1)).cloned().unwrap_or_default();
        assert_eq!(format!("={saved}"), *text, "row {}", row + 1);
    }
    let names: Vec<(String, String)> = xl.defined_names().to_vec();
    assert!(
        names
            .iter()
            .any(|(n, f)| n == "VATOF" && f.contains("_xlfn.LAMBDA(_xlpm.net,")),
        "{names:?}"
    );
}

#[test]
fn eval_calls_lambdas_and_spills_shaped_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    lambda_book(&input);
    let path = input.to_str().unwrap();
    let run = |formula: &str| {
        let out = sheetscript(&["eval", path, formula]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(run("=VATOF(1000)"), "210");
    assert_eq!(run("=MAP({1,2,3},LAMBDA(x,x*x))"), "1\t4\t9");
    assert_eq!(run("=WRAPROWS(SEQUENCE(4),2)"), "1\t2\n3\t4");
    assert_eq!(run("=LAMBDA(x,x)"), "#CALC!");
}
