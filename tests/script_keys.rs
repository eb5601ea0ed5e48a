//! Matching and looking up as back-office data really comes: keys stored
//! as text in one workbook and as numbers in another, exchange rates by
//! the date, monthly summaries that keep their number formats, and run
//! summaries that stay short on big runs.

mod support;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::CellAddr;
use std::path::{Path, PathBuf};
use std::process::Output;
use support::*;

const MONEY: &str = "#,##0.00 \"Kč\"";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn date(y: u16, m: u8, d: u8) -> ExcelDateTime {
    ExcelDateTime::from_ymd(y, m, d).unwrap()
}

/// Invoices whose variable symbol is text, as an accounting export
/// writes it (one with a non-breaking space, one with leading zeros), with
/// Gross in crowns; issued on the dates given.
fn invoices(dir: &Path) -> PathBuf {
    let path = dir.join("invoices.xlsx");
    let mut wb = Workbook::new();
    let money = Format::new().set_num_format(MONEY);
    let day = Format::new().set_num_format("d.m.yyyy");
    let ws = wb.add_worksheet().set_name("Invoices").unwrap();
    for (c, h) in ["VS", "Issued", "Gross", "EUR"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        ("71111", date(2026, 11, 2), 1210.0, 100.0),
        ("20026\u{a0}", date(2026, 11, 7), 605.5, 10.0),
        ("0300", date(2026, 11, 30), 99.9, 1.0),
    ];
    for (i, (vs, issued, gross, eur)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *vs).unwrap();
        ws.write_datetime_with_format(r, 1, issued, &day).unwrap();
        ws.write_number_with_format(r, 2, *gross, &money).unwrap();
        ws.write_number(r, 3, *eur).unwrap();
    }
    wb.save(&path).unwrap();
    path
}

/// A bank statement whose variable symbols are numbers.
fn bank(dir: &Path, symbols: [f64; 3]) -> PathBuf {
    let path = dir.join(format!("bank-{}.xlsx", symbols[0]));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Statement").unwrap();
    ws.write_string(0, 0, "VS").unwrap();
    ws.write_string(0, 1, "Amount").unwrap();
    for (i, (vs, amount)) in symbols.iter().zip([1210.0, 605.5, 99.9]).enumerate() {
        ws.write_number(i as u32 + 1, 0, *vs).unwrap();
        ws.write_number(i as u32 + 1, 1, amount).unwrap();
    }
    wb.save(&path).unwrap();
    path
}

/// CNB rates, newest first as the bank's page lists them, with a gap
/// over the weekend of 7 and 8 November.
fn rates(dir: &Path) -> PathBuf {
    let path = dir.join("rates.xlsx");
    let mut wb = Workbook::new();
    let day = Format::new().set_num_format("d.m.yyyy");
    let ws = wb.add_worksheet().set_name("Rates").unwrap();
    ws.write_string(0, 0, "Date").unwrap();
    ws.write_string(0, 1, "Rate").unwrap();
    let rows = [
        (date(2026, 11, 30), 24.95),
        (date(2026, 11, 6), 25.1),
        (date(2026, 11, 2), 25.05),
    ];
    for (i, (d, rate)) in rows.iter().enumerate() {
        ws.write_datetime_with_format(i as u32 + 1, 0, d, &day)
            .unwrap();
        ws.write_number(i as u32 + 1, 1, *rate).unwrap();
    }
    wb.save(&path).unwrap();
    path
}

fn run(dir: &Path, script: &str, input: &Path, extra: &[&str]) -> Output {
    let script = write(dir, "job.rhai", script);
    let mut args = vec!["run", &script, input.to_str().unwrap()];
    args.extend(extra);
    sheetscript(&args)
}

#[test]
fn a_variable_symbol_as_text_matches_the_same_number_in_the_bank_statement() {
    let dir = tempfile::tempdir().unwrap();
    let inv = invoices(dir.path());
    let paid = bank(dir.path(), [71111.0, 20026.0, 300.0]);
    let out = dir.path().join("out.xlsx");
    let attach = format!("bank={}", paid.display());
    let script = r#"
        let inv = table("Invoices");
        let bank = workbook("bank").table("Statement");
        let r = inv.reconcile(bank, #{ key: "VS", amount: "Gross", other_amount: "Amount" });
        print(`matched ${r.matched.len} unpaid ${r.only_left.len} unknown ${r.only_right.len}`);
        write_table(r.matched, "Paid");
        inv["Paid"] = inv.join(bank, "VS").Amount;
        inv.save();
    "#;
    let o = run(
        dir.path(),
        script,
        &inv,
        &["--attach", &attach, "-o", out.to_str().unwrap()],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("matched 3 unpaid 0 unknown 0"), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let g = grid(&out, "Invoices");
    assert_eq!(g.num("E4"), d("99.9"), "0300 is the bank's 300");
    assert_eq!(
        g.num("E3"),
        d("605.5"),
        "the non-breaking space does not count"
    );
}

#[test]
fn a_reconciliation_that_matches_nothing_says_so_naming_both_keys() {
    let dir = tempfile::tempdir().unwrap();
    let inv = invoices(dir.path());
    let other = bank(dir.path(), [1.0, 2.0, 3.0]);
    let attach = format!("bank={}", other.display());
    let script = r#"
        let inv = table("Invoices");
        let bank = workbook("bank").table("Statement");
        let r = inv.reconcile(bank, #{ key: "VS", amount: "Gross", other_amount: "Amount" });
    "#;
    let o = run(
        dir.path(),
        script,
        &inv,
        &["--attach", &attach, "--dry-run"],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "warning: reconcile: only 0 of 3 keys matched on Invoices.VS (text) = Statement.VS (number)"
        ),
        "{err}"
    );
}

#[test]
fn invoices_in_euro_are_priced_at_the_rate_of_their_day_or_the_last_before() {
    let dir = tempfile::tempdir().unwrap();
    let inv = invoices(dir.path());
    let cnb = rates(dir.path());
    let out = dir.path().join("out.xlsx");
    let attach = format!("cnb={}", cnb.display());
    let script = r#"
        let inv = table("Invoices");
        let rates = workbook("cnb").table("Rates");
        inv["Rate"] = rates.as_of("Date", inv.Issued, "Rate");
        inv["CZK"] = round(inv.EUR * inv.Rate, 2);
        inv.save();
        let early = rates.as_of("Date", date(2026, 11, 1), "Rate", "no rate");
        assert(early == "no rate", `${early}`);
    "#;
    let o = run(
        dir.path(),
        script,
        &inv,
        &["--attach", &attach, "-o", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let g = grid(&out, "Invoices");
    assert_eq!(g.num("E2"), d("25.05"), "2 November has its own rate");
    assert_eq!(g.num("E3"), d("25.1"), "Saturday 7 November takes Friday's");
    assert_eq!(g.num("E4"), d("24.95"));
    assert_eq!(g.num("F2"), d("2505"));
    assert_eq!(g.num("F3"), d("251"));

    let fails = run(
        dir.path(),
        "let r = workbook(\"cnb\").table(\"Rates\");\nprint(r.as_of(\"Date\", date(2026, 10, 30), \"Rate\"));\n",
        &inv,
        &["--attach", &attach, "--dry-run"],
    );
    let err = stderr(&fails);
    assert_eq!(fails.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "as_of: table Rates has no Date on or before 2026-10-30 (its earliest is 2026-11-02)"
        ),
        "{err}"
    );
    assert!(err.contains("job.rhai:2:"), "{err}");
}

#[test]
fn a_monthly_summary_keeps_the_amounts_number_format() {
    let dir = tempfile::tempdir().unwrap();
    let inv = invoices(dir.path());
    let out = dir.path().join("out.xlsx");
    let script = r#"
        let inv = table("Invoices");
        inv["Month"] = year_month(inv.Issued);
        write_table(inv.group_by("Month", ["sum Gross", "count"]), "Months");
        write_table(inv.select(["VS", "Gross"]), "Copy");
    "#;
    let o = run(dir.path(), script, &inv, &["-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let g = grid(&out, "Months");
    assert_eq!(g.text("A2"), "2026-11");
    assert_eq!(g.num("B2"), d("1915.4"));
    let wb = read_workbook(&out, &ReadOptions::default()).unwrap();
    let format = |sheet: &str, a1: &str| {
        let cell = wb
            .sheet(sheet)
            .unwrap()
            .cell(CellAddr::parse(a1).unwrap())
            .cloned()
            .unwrap_or_default();
        wb.styles.get(cell.style).number_format.clone()
    };
    assert_eq!(format("Months", "B2"), MONEY);
    assert_eq!(format("Copy", "B4"), MONEY);
    assert_ne!(format("Months", "C2"), MONEY, "a count is not money");
}

#[test]
fn empty_cells_counted_as_zero_are_noted_once_per_column() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "data.csv",
        "Customer,Net,Rate\nAcme,100,0.21\nBolt,,0.21\nCyan,,0.21\n",
    );
    let script = "let t = workbook().table();\nt[\"VAT\"] = round(t.Net * t.Rate, 2);\nt.save();\n";
    let o = run(dir.path(), script, Path::new(&data), &["--dry-run"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(
        err.matches("note: ").count(),
        1,
        "once for the column: {err}"
    );
    assert!(
        err.contains(".VAT: 2 empty cells in Net counted as 0, as Excel does"),
        "{err}"
    );
}

#[test]
fn a_dry_run_summarises_each_column_and_lists_every_cell_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let script = r#"
        let s = sheet("Invoices");
        for r in 2..=41 { s[`J${r}`] = r; }
    "#;
    let input = sample("invoices.xlsx");
    let o = run(dir.path(), script, &input, &["--dry-run"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("Invoices!J:J: 40 cells would change"), "{out}");
    assert!(out.contains("  Invoices!J2: (empty) -> 2\n"), "{out}");
    assert!(out.contains("  ... and 37 more"), "{out}");
    assert!(!out.contains("Invoices!J41"), "{out}");
    assert!(out.lines().count() < 10, "{out}");
    assert!(out.contains("dry run: 40 cell(s) would change"), "{out}");

    let all = run(dir.path(), script, &input, &["--dry-run", "--verbose"]);
    let out = String::from_utf8_lossy(&all.stdout).into_owned();
    assert!(out.contains("Invoices!J41: (empty) -> 41\n"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("Invoices!J")).count(),
        40
    );
}
