//! Running scripts over in-memory workbooks.

use super::*;
use crate::model::{Cell, CellAddr, Number, Value};

/// A sheet "Invoices" of three invoices (Customer, Net, VAT Rate), for
/// the tests here and the checker's.
pub(super) fn wb() -> Workbook {
    let mut wb = Workbook::new();
    wb.add_sheet("Invoices").unwrap();
    let rows = [
        ["Customer", "Net", "VAT Rate"],
        ["Acme", "100.00", "0.21"],
        ["Bolt", "19.99", "0.21"],
        ["Acme", "50", "0.10"],
    ];
    let s = wb.sheet_mut("Invoices").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let value = match v.parse::<rust_decimal::Decimal>() {
                Ok(d) => Value::Number(Number::Exact(d)),
                Err(_) => Value::text(*v),
            };
            s.load_cell(
                CellAddr::new(r as u32 + 2, c as u32 + 1),
                Cell {
                    value,
                    ..Cell::default()
                },
            );
        }
    }
    wb.structure_changed = false;
    wb
}

fn run(src: &str) -> Result<RunOutcome> {
    run_script(src, "test.rhai", wb(), ScriptOptions::default())
}

fn cell(o: &RunOutcome, sheet: &str, a1: &str) -> Value {
    o.workbook
        .sheet(sheet)
        .unwrap()
        .value(CellAddr::parse(a1).unwrap())
        .clone()
}

fn num(s: &str) -> Value {
    Value::Number(Number::Exact(s.parse().unwrap()))
}

#[test]
fn decimals_are_exact_and_round_like_excel() {
    let o = run(r#"
        assert(0.1 + 0.2 == 0.3, "exact");
        assert(round(2.345, 2) == 2.35, "half away");
        assert(round(-2.345, 2) == -2.35, "half away negative");
        assert(round_bankers(2.345, 2) == 2.34, "bankers");
        assert(round(2.5) == 3.0, "whole");
    "#);
    assert!(o.is_ok(), "{o:?}");
}

#[test]
fn vat_over_a_header_table_found_below_row_one() {
    let o = run(r#"
        let t = table("Invoices", ["Net", "VAT Rate"]);
        t.add_column("VAT", round(t["Net"] * t.col("vat rate"), 2));
        t["Gross"] = t.Net + t.VAT;
        t.add_column("Label", |r| r.Customer + "!");
        t.save();
        let s = sheet("Invoices");
        s.set("H1", t.sum("Gross"));
    "#)
    .unwrap();
    assert_eq!(cell(&o, "Invoices", "E3"), Value::Text("VAT".into()));
    assert_eq!(cell(&o, "Invoices", "E5"), num("4.20"));
    assert_eq!(cell(&o, "Invoices", "F4"), num("121.00"));
    assert_eq!(cell(&o, "Invoices", "G6"), Value::Text("Acme!".into()));
    assert_eq!(cell(&o, "Invoices", "H1"), num("200.19"));
    assert!(o
        .changes()
        .any(|c| c.cell == "E5" && c.new.starts_with("4.2") && c.old.is_empty()));
}

#[test]
fn failures_name_file_line_and_cell() {
    let err = run("let t = table(\"Invoices\");\nlet x = t.col(\"Nett\");")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("test.rhai:2:"), "{err}");
    assert!(err.contains("did you mean \"Net\""), "{err}");
    assert!(err.contains(" 2 | let x"), "{err}");
    let err = run("fail(\"stop here\");").unwrap_err().to_string();
    assert!(err.starts_with("test.rhai:1:1: stop here"), "{err}");
    let err = run("let x = 1 +;").unwrap_err().to_string();
    assert!(err.starts_with("test.rhai:1:"), "{err}");
}

#[test]
fn text_in_numbers_names_the_cell() {
    let mut w = wb();
    w.sheet_mut("Invoices")
        .unwrap()
        .set_value(CellAddr::parse("C5").unwrap(), Value::Text("n/a".into()));
    let err = run_script(
        "let t = table(\"Invoices\"); let v = t.Net * 2;",
        "x.rhai",
        w,
        ScriptOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("Invoices!C5: expected a number, found text \"n/a\""),
        "{err}"
    );
}

#[test]
fn runaway_scripts_stop_with_the_line() {
    let opts = ScriptOptions {
        timeout: Some(Duration::from_millis(200)),
        ..ScriptOptions::default()
    };
    let err = run_script("let x = 0;\nloop { x += 1; }", "loop.rhai", wb(), opts)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("loop.rhai:2:"), "{err}");
    assert!(err.contains("time limit"), "{err}");
}

#[test]
fn calc_respects_the_runs_timeout() {
    let opts = ScriptOptions {
        timeout: Some(Duration::from_millis(200)),
        ..ScriptOptions::default()
    };
    let product = "SUM(MMULT(SEQUENCE(600,600),SEQUENCE(600,600)))";
    let formula = format!("={}", vec![product; 40].join("+"));
    let source = format!("let x = 1;\nlet y = calc(\"{formula}\");");
    let err = run_script(&source, "slow.rhai", wb(), opts)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("slow.rhai:2:"), "{err}");
    assert!(err.contains("time limit"), "{err}");
}

#[test]
fn imports_need_a_lib_folder() {
    let err = run("import \"helpers\" as h;").unwrap_err().to_string();
    assert!(err.contains("--lib"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("helpers.rhai"), "fn twice(x) { x * 2 }").unwrap();
    let opts = ScriptOptions {
        lib_dirs: vec![dir.path().to_path_buf()],
        ..ScriptOptions::default()
    };
    let src = "import \"helpers\" as h; sheet(\"Invoices\").set(\"A1\", h::twice(21));";
    let o = run_script(src, "t.rhai", wb(), opts.clone()).unwrap();
    assert_eq!(
        cell(&o, "Invoices", "A1"),
        Value::Number(Number::from_i64(42))
    );
    let err = run_script("import \"../etc/passwd\" as p;", "t.rhai", wb(), opts)
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot import \"../etc/passwd\""), "{err}");
}

#[test]
fn params_are_typed() {
    let opts = ScriptOptions {
        params: vec![
            ("rate".into(), "0.21".into()),
            ("asof".into(), "2026-11-30".into()),
            ("who".into(), "Acme".into()),
        ],
        ..ScriptOptions::default()
    };
    let src = r#"
        assert(rate * 100 == 21, "rate is a number");
        assert(asof.month == 11 && end_of_month(asof) == asof, "asof is a date");
        assert(param("who") == "Acme", "text");
        assert(param("missing", 5) == 5, "default");
        assert(`${asof}` == "2026-11-30", `a date parameter in a text is the date, not ${asof}`);
    "#;
    run_script(src, "p.rhai", wb(), opts).unwrap();
}

#[test]
fn dates_compute_and_land_as_dates() {
    let opts = ScriptOptions {
        now: chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
            .unwrap()
            .and_hms_opt(9, 0, 0),
        ..ScriptOptions::default()
    };
    let src = r#"
        let d = today();
        assert(d == date(2026, 11, 27), "clock");
        assert(add_months(date("2026-01-31"), 1) == date(2026, 2, 28), "edate");
        assert(date(2026, 12, 1) - d == 4, "difference");
        assert(working_days(date(2026, 11, 2), date(2026, 11, 30)) == 21, "networkdays");
        sheet("Invoices").set("A1", end_of_month(d));
    "#;
    let o = run_script(src, "d.rhai", wb(), opts).unwrap();
    match cell(&o, "Invoices", "A1") {
        Value::Date(dv) => assert_eq!(dv.serial, 46356.0),
        other => panic!("{other:?}"),
    }
}

#[test]
fn group_lookup_join_and_write() {
    let o = run(r#"
        let t = table("Invoices");
        let g = t.group_by("Customer", ["sum Net", "count", "max Net as Largest"]);
        write_table(g, "Summary");
        let c = new_table("Customers", ["Customer", "Country"], [["ACME", "CZ"]]);
        assert(c.lookup("Customer", "acme", "Country") == "CZ", "lookup");
        assert(c.lookup("Customer", "Nope", "Country", ()) == (), "missing");
        let j = t.join(c, "Customer");
        assert(j[2].Country == "CZ" && j[1].Country == (), "join");
        assert(t.filter("customer", "ACME").len == 2, "native filter");
        assert(abs(-t.Net).sum() == t.Net.sum(), "abs");
        let n = 0;
        for r in t { n += 1; }
        assert(n == 3, "iterate");
    "#)
    .unwrap();
    assert_eq!(cell(&o, "Summary", "A1"), Value::Text("Customer".into()));
    assert_eq!(cell(&o, "Summary", "B2"), num("150.00"));
    assert_eq!(
        cell(&o, "Summary", "C3"),
        Value::Number(Number::from_i64(1))
    );
    assert!(o.events().iter().any(|e| e.contains("Summary")));
    let s = o.workbook.sheet("Summary").unwrap();
    assert!(
        o.workbook
            .styles
            .get(s.cell(CellAddr::new(0, 0)).unwrap().style)
            .font
            .bold
    );
}

#[test]
fn formulas_fill_down_with_relative_references() {
    let o = run(r#"
        let s = sheet("Invoices");
        s.fill_formula("E4:E6", "=C4*D4");
        s["F4"] = "=SUM(E4:E6)";
        s.format("E4:E6", "currency");
    "#)
    .unwrap();
    let s = o.workbook.sheet("Invoices").unwrap();
    assert_eq!(
        s.formula_text(CellAddr::parse("E6").unwrap()).as_deref(),
        Some("C6*D6")
    );
    assert_eq!(
        s.formula_text(CellAddr::parse("F4").unwrap()).as_deref(),
        Some("SUM(E4:E6)")
    );
    let style = s.cell(CellAddr::parse("E5").unwrap()).unwrap().style;
    assert_eq!(o.workbook.styles.get(style).number_format, "#,##0.00");
}

#[test]
fn the_reference_lists_registered_functions_with_docs() {
    let r = api_reference();
    let find = |s: &str| r.iter().find(|e| e.signature.starts_with(s));
    let round = find("round(x: Number, digits: Integer)").expect("round listed");
    assert!(round.doc.contains("half away from zero"));
    assert!(find("Table.len -> Integer").is_some());
    assert!(r.iter().all(|e| !e.doc.is_empty()), "every entry has a doc");
}

#[test]
fn formulas_follow_the_scripts_writes_and_excel_functions_are_callable() {
    let mut w = wb();
    w.sheet_mut("Invoices").unwrap().load_cell(
        CellAddr::parse("H1").unwrap(),
        Cell {
            formula: Some("SUM(C4:C6)".into()),
            value: num("169.99"),
            ..Cell::default()
        },
    );
    let src = r#"
        let s = sheet("Invoices");
        assert(s["H1"] == 169.99, "cached result");
        s["C4"] = 200;
        assert(s["H1"] == 269.99, "recomputed after the write");
        assert(calc("=SUM(Invoices!C4:C6)") == 269.99, "calc");
        assert(s.calc("=H1*2") == 539.98, "calc on a sheet");
        assert(excel("COUNT", s.values("B3:D6")) == 6, "a block is a range");
        assert(excel("SUM", [1, 2, 3.5]) == 6.5, "lists are ranges");
        assert(round(excel("PMT", 0.045 / 12, 240, -250000), 2) == 1581.62, "PMT");
        assert(excel("IF", false, 1, "no") == "no", "IF");
        assert(excel("XLOOKUP", "Bolt", table("Invoices", ["Customer"]).Customer, table("Invoices", ["Customer"]).Net) == 19.99, "XLOOKUP over columns");
        rename_sheet("Invoices", "Sales 2026");
        s.set("J1", "=H1+1");
    "#;
    // The handle follows its sheet through the rename.
    let o = run_script(src, "f.rhai", w, ScriptOptions::default()).unwrap();
    assert_eq!(cell(&o, "Sales 2026", "H1"), num("269.99"));
    assert_eq!(
        cell(&o, "Sales 2026", "J1"),
        num("270.99"),
        "formula written by the script is computed"
    );
}

#[test]
fn errors_inside_row_closures_name_the_sheet_row() {
    let mut w = wb();
    w.sheet_mut("Invoices")
        .unwrap()
        .set_value(CellAddr::parse("C5").unwrap(), Value::Text("n/a".into()));
    let err = run_script(
        "let t = table(\"Invoices\");\nt.add_column(\"x\", |r| r.Net * 2);",
        "r.rhai",
        w,
        ScriptOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("r.rhai:2:"), "{err}");
    assert!(
        err.contains("Invoices row 5: cannot use * with text and a whole number"),
        "{err}"
    );
}

#[test]
fn formulas_the_engine_cannot_compute_are_warned_about() {
    let mut w = wb();
    w.sheet_mut("Invoices").unwrap().load_cell(
        CellAddr::parse("H1").unwrap(),
        Cell {
            formula: Some("NOSUCHFN(C4)".into()),
            value: num("1"),
            ..Cell::default()
        },
    );
    let o = run_script(
        "sheet(\"Invoices\").set(\"C4\", 5);",
        "w.rhai",
        w,
        ScriptOptions::default(),
    )
    .unwrap();
    assert!(
        o.warnings.iter().any(|w| w.contains("NOSUCHFN")),
        "{:?}",
        o.warnings
    );
}

#[test]
fn a_handle_on_a_removed_sheet_says_so_and_never_finds_a_newer_sheet() {
    let err = run(r#"
        let s = add_sheet("Scratch");
        remove_sheet("Scratch");
        add_sheet("Scratch");
        s["A1"] = 1;
    "#)
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("this sheet was removed earlier in the script"),
        "{err}"
    );
}

#[test]
fn a_bug_inside_sheetscript_stops_the_run_with_a_message_not_a_crash() {
    let err = super::guarded("vat.rhai", || -> Result<()> {
        panic!("index out of range")
    })
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("vat.rhai: sheetscript failed"), "{err}");
    assert!(
        err.contains("(index out of range); nothing was written"),
        "{err}"
    );
}

#[test]
fn rounding_equals_the_formula_engines_for_every_digit_count() {
    let o = run(r#"
        let xs = [1250, 1234, -1250, 1234.5, -1234.5, 2.345, -2.345, 0.5, 15, 999.999, 31415.92654, 0.0049];
        for x in xs {
            for d in -4..4 {
                assert(num(round(x, d)) == num(excel("ROUND", x, d)), `round(${x}, ${d}) is ${round(x, d)}`);
                assert(num(round_up(x, d)) == num(excel("ROUNDUP", x, d)), `round_up(${x}, ${d}) is ${round_up(x, d)}`);
                assert(num(round_down(x, d)) == num(excel("ROUNDDOWN", x, d)), `round_down(${x}, ${d}) is ${round_down(x, d)}`);
            }
        }
        // Tax bases are rounded to hundreds.
        assert(round(1250, -2) == 1300, "whole numbers round to hundreds");
        assert(round(1234.5, -2) == 1200.0, "decimals round to hundreds");
        assert(round_up(1201, -2) == 1300, "round_up to hundreds");
        assert(round_down(1299.99, -2) == 1200.0, "round_down to hundreds");
        let net = table("Invoices").Net;
        let hundreds = round(net, -2);
        let tens_up = round_up(net, -1);
        for i in 0..net.len {
            assert(num(hundreds[i]) == num(excel("ROUND", net[i], -2)), `column row ${i}`);
            assert(num(tens_up[i]) == num(excel("ROUNDUP", net[i], -1)), `column up row ${i}`);
        }
    "#);
    assert!(o.is_ok(), "{o:?}");
}

#[test]
fn float_results_reach_scripts_as_numbers() {
    // Before: 3.4% of float results (SQRT, PMT, DDB...) came back as text.
    let o = run(r#"
        assert(round(excel("SQRT", 3.5), 2) == 1.87, "SQRT");
        let pmt = excel("PMT", 0.05 / 12, 60, 10000);
        assert(round(pmt, 2) == -188.71, `PMT ${pmt}`);
        assert(type_of(calc("=SQRT(3.5)")) == "decimal", "calc gives a number");
        assert(round(calc("=1/3*3-1+1e-20"), 2) == 0.0, "tiny magnitudes are numbers");
    "#);
    assert!(o.is_ok(), "{o:?}");
}

/// A workbook with one sheet `Inv` holding `rows` from A1 (numbers where
/// they parse, "" for empty) and the given merged ranges.
fn sheet_wb(rows: &[&[&str]], merged: &[&str]) -> Workbook {
    let mut wb = Workbook::new();
    wb.add_sheet("Inv").unwrap();
    let s = wb.sheet_mut("Inv").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let value = match v.parse::<rust_decimal::Decimal>() {
                _ if v.is_empty() => continue,
                Ok(d) => Value::Number(Number::Exact(d)),
                Err(_) => Value::text(*v),
            };
            s.load_cell(
                CellAddr::new(r as u32, c as u32),
                Cell {
                    value,
                    ..Cell::default()
                },
            );
        }
    }
    s.merged = merged
        .iter()
        .map(|m| crate::model::RangeAddr::parse(m).unwrap())
        .collect();
    wb.structure_changed = false;
    wb
}

const ADD_VAT: &str = r#"
    let t = table("Inv");
    t["VAT"] = round(t.Net * 0.21, 2);
    t.save();
"#;

fn run_on(wb: Workbook, src: &str) -> Result<RunOutcome> {
    run_script(src, "test.rhai", wb, ScriptOptions::default())
}

#[test]
fn a_column_with_a_blank_header_but_data_is_part_of_the_table() {
    // Before: C was taken as free and its values replaced by VAT.
    let wb = sheet_wb(
        &[
            &["Invoice", "Net", ""],
            &["F1", "100", "keep"],
            &["F2", "200", "me"],
        ],
        &[],
    );
    let o = run_on(wb, ADD_VAT).unwrap();
    assert_eq!(cell(&o, "Inv", "C2"), Value::Text("keep".into()));
    assert_eq!(cell(&o, "Inv", "D1"), Value::Text("VAT".into()));
    assert_eq!(cell(&o, "Inv", "D3"), num("42"));
}

#[test]
fn new_columns_skip_notes_beside_the_table() {
    let wb = sheet_wb(
        &[
            &["Invoice", "Net", "", "", "Remarks"],
            &["F1", "100", "", "", ""],
            &["F2", "200", "", "note", ""],
        ],
        &[],
    );
    let o = run_on(wb, ADD_VAT).unwrap();
    assert_eq!(cell(&o, "Inv", "C1"), Value::Text("VAT".into()));
    assert_eq!(cell(&o, "Inv", "C3"), num("42"));
    assert_eq!(cell(&o, "Inv", "D3"), Value::Text("note".into()));
}

#[test]
fn a_two_row_merged_header_is_read_as_the_header() {
    // Before: the notes became `ok -> 0` and the new header hid under the
    // merge.
    let wb = sheet_wb(
        &[
            &["Invoice", "Amounts", "", "Notes"],
            &["", "Net", "Paid", ""],
            &["F1", "100", "100", "ok"],
            &["F2", "200", "0", "late"],
        ],
        &["A1:A2", "B1:C1", "D1:D2"],
    );
    let o = run_on(
        wb,
        r#"
        let t = table("Inv");
        assert(t.len == 2, `rows ${t.len}`);
        assert(t.Invoice[0] == "F1", "merged-down header names its column");
        assert(t.Notes[1] == "late", "notes are data, not overwritten");
        t["VAT"] = round(t.Net * 0.21, 2);
        t.save();
    "#,
    )
    .unwrap();
    assert_eq!(cell(&o, "Inv", "D3"), Value::Text("ok".into()));
    assert_eq!(cell(&o, "Inv", "E2"), Value::Text("VAT".into()));
    assert_eq!(cell(&o, "Inv", "E4"), num("42"));
}

#[test]
fn a_title_above_the_table_is_not_its_header() {
    let wb = sheet_wb(
        &[
            &["Invoices November 2026"],
            &["Invoice", "Net", "Paid"],
            &["F1", "100", "100"],
        ],
        &["A1:C1"],
    );
    let o = run_on(
        wb,
        r#"
        let t = table("Inv");
        assert(t.columns == ["Invoice", "Net", "Paid"], `${t.columns}`);
    "#,
    );
    assert!(o.is_ok(), "{o:?}");
}

#[test]
fn write_table_never_replaces_data_unless_allowed() {
    let wb = sheet_wb(&[&["Invoice", "Net"], &["F1", "100"]], &[]);
    let write = r#"
        let t = table("Inv").group_by("Invoice", ["sum Net"]);
        sheet("Inv").write_table(t, "B2");
    "#;
    let err = run_on(wb.clone(), write).unwrap_err().to_string();
    assert!(
        err.contains("write_table would replace data on sheet \"Inv\" (B2)")
            && err.contains("allow_overwrite()"),
        "{err}"
    );
    let allowed = format!("allow_overwrite();\n{write}");
    let o = run_on(wb, &allowed).unwrap();
    assert_eq!(cell(&o, "Inv", "B2"), Value::Text("Invoice".into()));
}

#[test]
fn keys_match_across_types_and_weak_matches_are_warned_about() {
    let o = run(r#"
        let inv = new_table("Invoices", ["VS", "Gross"], [["71111", 10], [" 20026 ", 20], ["0300", 30]]);
        let bank = new_table("Bank", ["VS", "Amount"], [[71111, 10], [20026, 20], [300, 30]]);
        let r = inv.reconcile(bank, #{ key: "VS", amount: "Gross", other_amount: "Amount" });
        assert(r.matched.len == 3, `matched ${r.matched.len}`);
        assert(inv.lookup("VS", 71111, "Gross") == 10, "number finds text");
        assert(bank.lookup("VS", "20026", "Amount") == 20, "text finds number");
        assert(inv.join(bank, "VS").Amount.sum() == 60, "join");
        let g = new_table("T", ["Code", "N"], [[71111, 1], ["71111", 2]]).group_by("Code", ["sum N"]);
        assert(g.len == 1, "numeric text groups with the number");
        let other = new_table("Other", ["VS", "Amount"], [["X1", 1], ["X2", 2]]);
        inv.join(other, "VS");
    "#)
    .unwrap();
    assert_eq!(
        o.warnings,
        vec!["join: only 0 of 3 rows matched on Invoices.VS (text) = Other.VS (text)"]
    );
}

#[test]
fn as_of_looks_up_the_last_rate_on_or_before_a_date() {
    let o = run(r#"
        let rates = new_table("Rates", ["Date", "Rate"], [
            [date(2026, 11, 4), 25.2], [date(2026, 11, 2), 25.0], [date(2026, 11, 3), 25.1]]);
        assert(rates.as_of("Date", date(2026, 11, 3), "Rate") == 25.1, "on the day");
        assert(rates.as_of("Date", date(2026, 11, 8), "Rate") == 25.2, "after the last");
        assert(rates.as_of("Date", "2.11.2026", "Rate") == 25.0, "a date as text");
        assert(rates.as_of("Date", date(2026, 11, 1), "Rate", ()) == (), "fallback");
        let inv = new_table("Inv", ["Issued", "EUR"], [[date(2026, 11, 2), 100], [date(2026, 11, 5), 10], [(), 1]]);
        let r = rates.as_of("Date", inv.Issued, "Rate");
        assert(r[0] == 25.0 && r[1] == 25.2 && r[2] == (), `${r}`);
        inv["CZK"] = round(inv.EUR * r, 2);
        assert(inv.CZK.sum() == 2752, `${inv.CZK}`);
        let listed = rates.as_of("Date", [date(2026, 11, 2), "2026-11-03"], "Rate");
        assert(listed[1] == 25.1, `${listed}`);
        assert(year_month(date(2026, 11, 30)) == "2026-11", "one date");
        assert(year_month("1.12.2026") == "2026-12", "a date as text");
        let months = year_month(inv.Issued);
        assert(months[0] == "2026-11" && months[2] == (), `${months}`);
    "#);
    assert!(o.is_ok(), "{o:?}");
    let e = run(r#"
        let rates = new_table("Rates", ["Date", "Rate"], [[date(2026, 11, 2), 25.0]]);
        rates.as_of("Date", date(2026, 11, 1), "Rate");
    "#)
    .unwrap_err()
    .to_string();
    assert!(
        e.contains(
            "as_of: table Rates has no Date on or before 2026-11-01 (its earliest is 2026-11-02)"
        ),
        "{e}"
    );
}

#[test]
fn dates_a_workbook_cannot_hold_are_refused_naming_the_cell_or_kept_as_text() {
    let err = run("let s = sheet(\"Invoices\");\ns.set(\"A1\", date(1890, 1, 1));")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("test.rhai:2:"), "{err}");
    assert!(
        err.contains("Invoices!A1: 1890-01-01 is before 1900-01-01, the first date an Excel workbook can hold; to keep it, write it as text (cell = d.to_string())"),
        "{err}"
    );
    let o = run("sheet(\"Invoices\").set(\"A1\", date(1890, 1, 1).to_string());").unwrap();
    assert_eq!(cell(&o, "Invoices", "A1"), Value::Text("1890-01-01".into()));
    let mut book = wb();
    book.date_system = crate::model::DateSystem::Excel1904;
    let err = run_script(
        "sheet(\"Invoices\").set(\"A1\", date(1903, 12, 31));",
        "test.rhai",
        book,
        ScriptOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("Invoices!A1: 1903-12-31 is before 1904-01-01, the first date this 1904-system workbook can hold"),
        "{err}"
    );
}

#[test]
fn empty_cells_counted_as_zero_are_noted_once_per_column() {
    let o = run(r#"
        let t = table("Invoices");
        t.add_row(["Cyan", (), 0.21]);
        t["VAT"] = round(t.Net * t["VAT Rate"], 2);
        t["VAT"] = round(t.Net * t["VAT Rate"], 2);
        t["Gross"] = t.Net + t.VAT;
        assert(t.VAT[3] == 0, "empty counts as 0");
    "#)
    .unwrap();
    assert_eq!(
        o.notes,
        vec![
            "Invoices.VAT: 1 empty cell in Net counted as 0, as Excel does",
            "Invoices.Gross: 1 empty cell in Net counted as 0, as Excel does",
        ]
    );
}

#[test]
fn num_reads_decimal_commas_and_refuses_to_guess() {
    let o = run(r#"
        assert(num("1 234,50") == 1234.50, "spaced, decimal comma");
        assert(num("-1\u00a0234,50") == -1234.50, "no-break space");
        assert(num("1234,50") == 1234.50, "decimal comma");
        assert(num("1.234,50") == 1234.50, "point groups");
        assert(num("1,234.50") == 1234.50, "comma groups");
        assert(num("1234.50") == 1234.50, "decimal point");
        assert(num("0,125") == 0.125, "a leading 0 cannot be a group");
    "#);
    assert!(o.is_ok(), "{o:?}");
    let err = run(r#"num("1,234")"#).unwrap_err().to_string();
    assert!(err.contains("\"1,234\" could be 1234 or 1.234"), "{err}");
    let err = run(r#"num("12 34,5")"#).unwrap_err().to_string();
    assert!(err.contains("\"12 34,5\" is not a number"), "{err}");
}

fn with_param(raw: &str, src: &str) -> Result<RunOutcome> {
    let options = ScriptOptions {
        params: vec![("p".to_string(), raw.to_string())],
        ..ScriptOptions::default()
    };
    run_script(src, "test.rhai", wb(), options)
}

#[test]
fn set_reads_decimal_commas_and_dotted_dates() {
    for (raw, check) in [
        ("1234,50", "p == 1234.50"),
        ("-1 234,50", "p == -1234.50"),
        ("0.21", "p == 0.21"),
        ("30.11.2026", "p == date(2026, 11, 30)"),
        ("2026-11-30", "p == date(2026, 11, 30)"),
        ("31. 1. 2026", "p == date(2026, 1, 31)"),
        ("INV-2026-001", "p == \"INV-2026-001\""),
        ("\"1,234\"", "p == \"1,234\""),
        ("30.11", "p == \"30.11\" || p == 30.11"),
    ] {
        let o = with_param(raw, &format!("assert({check}, `{raw}`);"));
        assert!(o.is_ok(), "--set p={raw}: {o:?}");
    }
    for (raw, why) in [
        ("1,234", "could be 1234 or 1.234"),
        ("1/2/2026", "day/month or month/day"),
        ("13/1/2026", "day/month or month/day"),
    ] {
        let err = with_param(raw, "").unwrap_err().to_string();
        assert!(
            err.contains(&format!("--set p={raw}: ")) && err.contains(why),
            "{raw}: {err}"
        );
    }
}

#[test]
fn text_sorts_and_groups_in_the_locale_order() {
    let src = r#"
        let s = sheet("Invoices");
        s.set("B7", [["Würth", 1], ["ČEZ", 2], ["Hruška", 3], ["Chmel", 4], ["ČEZ", 5]]);
        let t = table("Invoices");
        let sorted = t.sort("Customer");
        let names = [];
        for r in sorted { names.push(r.Customer); }
        let groups = t.group_by("Customer", ["sum Net"]);
        let keys = [];
        for r in groups { keys.push(r.Customer); }
        s["H1"] = names.reduce(|acc, n| acc + n + " ", "");
        s["H2"] = keys.reduce(|acc, n| acc + n + " ", "");
    "#;
    let cs = ScriptOptions {
        locale: Some("cs-CZ".into()),
        ..ScriptOptions::default()
    };
    let o = run_script(src, "test.rhai", wb(), cs).unwrap();
    assert_eq!(
        cell(&o, "Invoices", "H1"),
        Value::Text("Acme Acme Bolt ČEZ ČEZ Hruška Chmel Würth ".into())
    );
    assert_eq!(
        cell(&o, "Invoices", "H2"),
        Value::Text("Acme Bolt ČEZ Hruška Chmel Würth ".into())
    );
    // Without a locale: Excel's plain order, Č after W.
    let o = run(src).unwrap();
    assert_eq!(
        cell(&o, "Invoices", "H1"),
        Value::Text("Acme Acme Bolt Chmel Hruška Würth ČEZ ČEZ ".into())
    );
    // The order does not outlive the run.
    assert_eq!(
        collation::compare_values(&Value::Text("ČEZ".into()), &Value::Text("Würth".into())),
        std::cmp::Ordering::Greater
    );
    let bad = ScriptOptions {
        locale: Some("not a tag!".into()),
        ..ScriptOptions::default()
    };
    let err = run_script(src, "test.rhai", wb(), bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("--locale not a tag!"), "{err}");
}

#[test]
fn a_1904_workbook_gets_1904_numbers_from_formulas_and_excel_calls() {
    let mut book = wb();
    book.date_system = crate::model::DateSystem::Excel1904;
    let src = r#"
        let s = sheet("Invoices");
        s.set("K1", date(2026, 11, 2));
        s.set("K2", "=K1+1");
        s.set("K3", excel("DATE", 2026, 11, 3));
        assert(s["K2"] == 44867, "formula on a date");
        assert(excel("YEAR", 44867) == 2026, "YEAR of a 1904 serial");
        assert(calc("=K1") == date(2026, 11, 2), "a date stays a date");
        assert(date(2026, 11, 3).serial == 44867, "serial in the workbook's system");
        assert(date_from_serial(44867) == date(2026, 11, 3), "and back");
        let t = table("Invoices", ["Net"]);
        t["Due"] = date(2026, 11, 2);
        t.save();
        let t = table("Invoices", ["Net"]);
        t["Next"] = t["Due"] + 1;
        t.save();
    "#;
    let o = run_script(src, "test.rhai", book, ScriptOptions::default()).unwrap();
    match cell(&o, "Invoices", "K1") {
        // The model holds 1900-system serials; the writer converts.
        Value::Date(dv) => assert_eq!(dv.serial, 46328.0),
        other => panic!("{other:?}"),
    }
    assert_eq!(cell(&o, "Invoices", "K2"), num("44867"));
    assert_eq!(cell(&o, "Invoices", "K3"), num("44867"));
    // Column arithmetic on dates gives the workbook's numbers too.
    assert_eq!(cell(&o, "Invoices", "F4"), num("44867"));
}

/// Runs `src` over the test workbook with lists of at most 100 values,
/// maps of 100 keys and texts of 1,000 bytes; the error it stopped with.
fn stopped_by_small_limits(src: &str) -> String {
    let options = ScriptOptions {
        limits: Limits {
            max_array_size: 100,
            max_map_size: 100,
            max_string_size: 1000,
            ..Limits::default()
        },
        ..ScriptOptions::default()
    };
    match run_script(src, "test.rhai", wb(), options) {
        Ok(_) => panic!("{src}: ran past its limits"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn script_limits_hold_for_what_the_script_grows_itself() {
    let cases = [
        (
            "let m = #{};\nfor i in 0..500 { m[\"k\" + i] = i; }",
            "limit of 100 keys",
        ),
        (
            "let m = #{ inner: #{} };\nfor i in 0..50000 { m.inner[\"k\" + i] = i; }",
            "limit of 100 keys",
        ),
        (
            "let a = [#{}];\nfor i in 0..50000 { a[0][\"k\" + i] = i; }",
            "limit of 100 keys",
        ),
        (
            "let a = [];\nfor i in 0..500 { a.push(i); }",
            "limit of 100 values",
        ),
        (
            "let a = [];\nfor i in 0..500 { a += [i]; }",
            "limit of 100 values",
        ),
        (
            "let a = [[]];\nfor i in 0..500 { a[0].push(i); }",
            "limit of 100 values",
        ),
        (
            "let s = \"\";\nfor i in 0..500 { s += \"abcdefghij\"; }",
            "limit of 1000 bytes",
        ),
        ("let s = \"a\";\ns.pad(5000, \"x\");", "limit of 1000 bytes"),
    ];
    for (src, limit) in cases {
        let err = stopped_by_small_limits(src);
        assert!(err.contains(limit), "{src}: {err}");
        assert!(err.contains("test.rhai:2:"), "{src}: {err}");
    }
}

#[test]
fn native_calls_refuse_lists_past_the_limit_before_building_them() {
    let cases = [
        ("let x = 1;\nlet v = values(\"Invoices!A1:Z200\");", "values(\"Invoices!A1:Z200\")"),
        (
            "let x = 1;\nlet v = sheet(\"Invoices\").values(\"A1:Z200\");",
            "values(\"A1:Z200\")",
        ),
        ("let x = 1;\nlet v = calc(\"=SEQUENCE(500)\");", "calc(\"=SEQUENCE(500)\")"),
        ("let x = 1;\nlet v = calc(\"=Invoices!A1:Z200\");", "200 rows of 26"),
        ("let x = 1;\nlet v = excel(\"SEQUENCE\", 500);", "excel(\"SEQUENCE\", ...)"),
        (
            "let t = new_table(\"T\", [\"A\"], []);\nfor i in 0..500 { t.add_row([i]); } let v = t[\"A\"].to_array();",
            "to_array() of column \"A\"",
        ),
        (
            "let t = new_table(\"T\", [\"A\"], []);\nfor i in 0..500 { t.add_row([i]); } let v = t.rows();",
            "rows() of table T",
        ),
    ];
    for (src, what) in cases {
        let err = stopped_by_small_limits(src);
        assert!(err.contains(what), "{src}: {err}");
        assert!(err.contains("more than the limit of 100"), "{src}: {err}");
        assert!(err.contains("test.rhai:2:"), "{src}: {err}");
    }
    // Caught or not, the run stops: the limit is no error to work around.
    let err = stopped_by_small_limits(
        "let v = 0;\ntry { v = calc(\"=SEQUENCE(500)\"); } catch { v = 1; }",
    );
    assert!(err.contains("more than the limit of 100"), "{err}");
}

#[test]
fn a_pivot_distinct_both_ways_is_refused_before_its_cells_are_made() {
    let err = run(r#"let rows = [];
        for i in 0..5000 { rows.push([i, i, 1]); }
        let t = new_table("T", ["Key", "Across", "Net"], rows);
        let p = t.pivot("Key", "Across", "sum Net");"#)
    .unwrap_err()
    .to_string();
    assert!(err.contains("pivot would make"), "{err}");
    assert!(err.contains("limit of 16777216 cells"), "{err}");
    assert!(err.contains("test.rhai:4:"), "{err}");
}

#[test]
fn the_definitions_hold_every_registered_function_with_its_parameters() {
    let defs = definitions_text();
    // (how the file names it, how many parameters) of every definition.
    let mut written: std::collections::HashMap<(String, usize), usize> = Default::default();
    for line in defs.lines() {
        let Some((head, rest)) = line.split_once('(') else {
            continue;
        };
        if !(head.starts_with("fn ") || head.starts_with("op ")) {
            continue;
        }
        // Parameters up to the parenthesis that closes the list; commas
        // inside a type (`Result<A, B>`) do not count.
        let (mut depth, mut commas, mut any) = (0, 0, false);
        for c in rest.chars() {
            match c {
                '(' | '<' => depth += 1,
                ')' if depth == 0 => break,
                ')' | '>' => depth -= 1,
                ',' if depth == 0 => commas += 1,
                c if !c.is_whitespace() => any = true,
                _ => {}
            }
        }
        let count = if any { commas + 1 } else { 0 };
        *written.entry((head.to_string(), count)).or_default() += 1;
    }
    let mut expected: std::collections::HashMap<(String, usize), usize> = Default::default();
    for f in registered_functions(&reference_engine(), false) {
        let head = if let Some(prop) = f.name.strip_prefix("get$") {
            format!("fn get {prop}")
        } else if let Some(prop) = f.name.strip_prefix("set$") {
            format!("fn set {prop}")
        } else if is_identifier(&f.name) || f.name.starts_with("index$") {
            format!("fn {}", f.name)
        } else {
            format!("op {}", f.name)
        };
        *expected.entry((head, f.params.len())).or_default() += 1;
    }
    assert!(expected.len() > 100, "{} functions", expected.len());
    for (key, count) in &expected {
        let found = written.get(key).copied().unwrap_or(0);
        assert!(
            found >= *count,
            "{key:?}: {count} registered, {found} in the definitions"
        );
    }
}
