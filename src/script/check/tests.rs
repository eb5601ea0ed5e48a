//! The checker over small scripts and an in-memory workbook.

use super::*;
use crate::script::tests::wb;

fn check(src: &str) -> Vec<Finding> {
    check_script(src, "t.rhai", Some(wb())).unwrap()
}

fn kinds(src: &str) -> Vec<(FindingKind, usize, usize)> {
    check(src)
        .into_iter()
        .map(|f| (f.kind, f.line, f.column))
        .collect()
}

#[test]
fn a_clean_script_has_no_findings() {
    let src = r#"
let inv = table("Invoices");
inv["VAT"] = round(inv.Net * inv["VAT Rate"], 2);
inv.Gross = inv.Net + inv.VAT;
inv.add_column("Big", |r| r.Net > 50);
let total = inv.col("Gross").sum();
fn twice(x) { x * 2 }
print(twice(total));
let m = #{ f: |x| x + 1 };
m.f(1);
let s = add_sheet("Summary");
s.set("A1", inv.len);
let t = table("Summary");
print(t.Anything);
if has_sheet("Old") { print(sheet("Old").name); }
try { print(inv.Missing); } catch { }
"#;
    assert_eq!(check(src), vec![]);
}

#[test]
fn syntax_errors_are_placed() {
    let f = check("let x = (1 + ;\n");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::Syntax);
    assert_eq!(f[0].line, 1);
    assert!(f[0].message.starts_with("syntax error"), "{}", f[0].message);
}

#[test]
fn unknown_functions_are_named_with_the_nearest() {
    let f = check("let x = rund(1.5, 0);\nlet t = table(\"Invoices\");\nt.sortt(\"Net\");\n");
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(
        (f[0].kind, f[0].line, f[0].column),
        (FindingKind::UnknownFunction, 1, 9)
    );
    assert_eq!(f[0].suggestion.as_deref(), Some("round"));
    assert_eq!(f[1].suggestion.as_deref(), Some("sort"));
}

#[test]
fn wrong_argument_counts_are_found_for_api_and_script_functions() {
    let src = "fn half(x) { x / 2 }\nhalf(1, 2);\nround(1, 2, 3);\nlet t = table(\"Invoices\");\nt.col();\n";
    assert_eq!(
        kinds(src),
        vec![
            (FindingKind::WrongArguments, 2, 1),
            (FindingKind::WrongArguments, 3, 1),
            (FindingKind::WrongArguments, 5, 3),
        ]
    );
    let f = check("round(1, 2, 3);");
    assert!(
        f[0].message
            .contains("round takes 1 or 2 arguments, given 3"),
        "{}",
        f[0].message
    );
}

#[test]
fn parameters_must_be_declared_when_the_header_declares_some() {
    let src =
        "//! param rate: number = 0.21\nlet r = param(\"rate\");\nlet x = param(\"rat\", 1);\n";
    let f = check(src);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].kind, f[0].line),
        (FindingKind::UndeclaredParameter, 3)
    );
    assert_eq!(f[0].suggestion.as_deref(), Some("rate"));
    // Without declared parameters any name goes.
    assert_eq!(check("let x = param(\"anything\", 1);"), vec![]);
}

#[test]
fn workbook_names_are_checked() {
    let src = "let inv = table(\"Invoice\");\nlet s = sheet(\"Invoces\");\nlet v = value(\"Nope!A1\");\nlet t = table(\"Invoices\");\nprint(t.Nett);\nprint(t[\"VAT rat\"]);\nprint(t.len);\nt.sum(\"Gros\");\n";
    let f = check(src);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.kind, f.line, f.suggestion.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (FindingKind::UnknownTable, 1, Some("Invoices".into())),
            (FindingKind::UnknownSheet, 2, Some("Invoices".into())),
            (FindingKind::UnknownSheet, 3, None),
            (FindingKind::UnknownColumn, 5, Some("Net".into())),
            (FindingKind::UnknownColumn, 6, Some("VAT Rate".into())),
            (FindingKind::UnknownColumn, 8, None),
        ],
        "{f:#?}"
    );
}

#[test]
fn columns_are_not_judged_when_the_sheet_is_written() {
    let src = "let s = sheet(\"Invoices\");\ns.set(\"D1\", \"Extra\");\nprint(table(\"Invoices\").Extra);\n";
    assert_eq!(check(src), vec![]);
    // Formatting a sheet does not change its columns.
    let src =
        "let s = sheet(\"Invoices\");\ns.bold(\"A1:C1\");\nprint(table(\"Invoices\").Extra);\n";
    assert_eq!(kinds(src), vec![(FindingKind::UnknownColumn, 3, 25)]);
}

#[test]
fn without_a_workbook_names_are_not_judged() {
    let f = check_script("print(table(\"X\").Y);", "t.rhai", None).unwrap();
    assert_eq!(f, vec![]);
}

#[test]
fn findings_render_with_a_caret() {
    let src = "let x = 1;\nlet y = rund(x);\n";
    let f = check(src);
    let text = f[0].render("t.rhai", src);
    assert!(
        text.starts_with("t.rhai:2:9: there is no function rund"),
        "{text}"
    );
    assert!(
        text.contains("\n 2 | let y = rund(x);\n   |         ^"),
        "{text}"
    );
}

#[test]
fn a_sheet_handle_passed_on_may_write() {
    let src = "let s = sheet(\"Invoices\");\nlet s2 = s;\ns2.set(\"D1\", \"Extra\");\nprint(table(\"Invoices\").Extra);\n";
    assert_eq!(check(src), vec![]);
    let src = "fn label(s) { s.set(\"D1\", \"Extra\"); }\nlabel(sheet(\"Invoices\"));\nprint(table(\"Invoices\").Extra);\n";
    assert_eq!(check(src), vec![]);
}

#[test]
fn a_script_method_may_change_its_table() {
    let src = "fn add_gross() { this[\"Gross\"] = this.Net * 2; }\nlet inv = table(\"Invoices\");\ninv.add_gross();\nprint(inv.Gross);\n";
    assert_eq!(check(src), vec![]);
}

#[test]
fn renamed_columns_count_as_the_scripts_own() {
    let src = "let inv = table(\"Invoices\");\ninv.rename_column(\"Net\", \"Netto\");\nprint(inv.Netto);\nprint(inv.Nettto);\n";
    assert_eq!(kinds(src), vec![(FindingKind::UnknownColumn, 4, 11)]);
}

#[test]
fn a_header_that_cannot_be_read_is_a_finding_on_its_line() {
    let f = check("//! # T\n//! param x: numbr\nprint(1);\n");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].kind, f[0].line), (FindingKind::Header, 2));
    assert!(f[0].message.contains("numbr"), "{}", f[0].message);
}

#[test]
fn deep_nesting_is_refused_as_the_run_refuses_it() {
    for (open, close) in [("(", ")"), ("[", "]"), ("f(", ")")] {
        let src = format!("let x = {}1{};", open.repeat(5000), close.repeat(5000));
        let f = check_script(&src, "t.rhai", None).unwrap();
        assert_eq!(f.len(), 1, "{open}: {f:#?}");
        assert_eq!(f[0].kind, FindingKind::Syntax);
    }
}

#[test]
fn row_fields_in_closures_are_columns_of_the_table() {
    let src = "let inv = table(\"Invoices\");\nlet big = inv.filter(|r| r.Nett > 50);\ninv.add_column(\"Flag\", |row| row[\"VAT rate\"] > 0.2 && row.Net > 0);\nlet caught = 1;\nlet c = inv.filter(|r| r.Nets > caught);\nprint(c.filter(|r| r.Whatever).len);\n";
    let f = check(src);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.kind, f.line, f.column, f.suggestion.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (FindingKind::UnknownColumn, 2, 28, Some("Net".into())),
            // A closure that captures a variable is checked too.
            (FindingKind::UnknownColumn, 5, 26, Some("Net".into())),
        ],
        "{f:#?}"
    );
}
