//! Every sample script, run through the binary on its sample workbook;
//! the output is read back with calamine and checked to the cent against
//! values computed here independently from the input, row by row, and for
//! what its examples cannot say: charts, highlights, frozen panes, the
//! package. The figures an accountant reads (totals, per-rate and
//! per-customer lines) are the scripts' examples in scripts/examples/,
//! run by tests/script_examples.rs.

mod support;

use calamine::Data;
use chrono::NaiveDate;
use rust_decimal::{Decimal, MathematicalOps};
use support::*;

fn out_path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

/// Whether some entry of the package whose name starts with `prefix`
/// holds every one of `texts`: the charts and highlights a script adds
/// are seen in the parts that hold them.
fn part_holds(path: &str, prefix: &str, texts: &[&str]) -> bool {
    support::package::entries(path.as_ref())
        .iter()
        .filter(|e| e.name.starts_with(prefix))
        .any(|e| {
            let xml = String::from_utf8_lossy(&e.bytes);
            texts.iter().all(|t| xml.contains(t))
        })
}

fn date_of(d: &Data) -> NaiveDate {
    match d {
        Data::DateTime(x) => x.as_datetime().expect("date").date(),
        Data::Float(f) => {
            NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + chrono::Duration::days(*f as i64)
        }
        other => panic!("not a date: {other:?}"),
    }
}

#[test]
fn vat_adds_vat_and_gross_per_invoice_and_a_pie_per_rate() {
    let dir = tempfile::tempdir().unwrap();
    let out = out_path(&dir, "vat.xlsx");
    ok(&[
        "run",
        "scripts/vat.rhai",
        "samples/invoices.xlsx",
        "-o",
        &out,
    ]);
    let input = grid(&sample("invoices.xlsx"), "Invoices");
    let inv = grid(out.as_ref(), "Invoices");
    for r in 2..=41 {
        let net = input.num(&format!("E{r}"));
        let vat = round2(net * input.num(&format!("F{r}")));
        assert_eq!(inv.num(&format!("H{r}")), vat, "VAT in row {r}");
        assert_eq!(inv.num(&format!("I{r}")), net + vat, "gross in row {r}");
    }
    // The input's own cells are untouched.
    assert_eq!(inv.at("E2"), input.at("E2"));
    // A pie of the VAT per rate.
    assert!(part_holds(
        &out,
        "xl/charts/",
        &[
            "<c:pieChart>",
            "<c:f>'VAT by Rate'!$A$2:$A$4</c:f>",
            "<c:f>'VAT by Rate'!$D$2:$D$4</c:f>"
        ]
    ));
    support::package::assert_consistent_package(out.as_ref());
}

#[test]
fn ageing_draws_stacked_bars_and_reddens_amounts_over_90_days() {
    let dir = tempfile::tempdir().unwrap();
    let out = out_path(&dir, "ageing.xlsx");
    ok(&[
        "run",
        "scripts/ageing.rhai",
        "samples/invoices.xlsx",
        "--set",
        "asof=2026-11-30",
        "-o",
        &out,
    ]);
    // A stacked bar per customer, the buckets as series; amounts over 90
    // days red; the header frozen.
    assert!(part_holds(
        &out,
        "xl/charts/",
        &[
            "<c:barDir val=\"bar\"/><c:grouping val=\"stacked\"/>",
            "<c:f>Ageing!$A$2:$A$7</c:f>",
            "<c:f>Ageing!$B$2:$B$7</c:f>",
            "<c:f>Ageing!$F$2:$F$7</c:f>",
            "Receivables by age"
        ]
    ));
    assert!(part_holds(
        &out,
        "xl/worksheets/sheet",
        &[
            "<pane ySplit=\"1\" topLeftCell=\"A2\"",
            "<conditionalFormatting sqref=\"F2:F7\"><cfRule type=\"cellIs\"",
            "operator=\"greaterThan\"><formula>0</formula>"
        ]
    ));
    support::package::assert_consistent_package(out.as_ref());
}

#[test]
fn trial_balance_reddens_negative_balances_and_an_unbalanced_total() {
    let dir = tempfile::tempdir().unwrap();
    let out = out_path(&dir, "tb.xlsx");
    ok(&[
        "run",
        "scripts/trial_balance.rhai",
        "samples/ledger.xlsx",
        "-o",
        &out,
    ]);
    // Ten accounts, the total line under them.
    let last = 12;
    // Negative balances in red, and the total line if it stops balancing.
    let range = format!("F2:F{}", last - 1);
    let total_rule = format!("<formula>$D${last}&lt;&gt;$E${last}</formula>");
    assert!(part_holds(
        &out,
        "xl/worksheets/sheet",
        &[
            &format!("<conditionalFormatting sqref=\"{range}\">"),
            "operator=\"lessThan\"><formula>0</formula>",
            &format!("<conditionalFormatting sqref=\"A{last}:F{last}\">"),
            &total_rule
        ]
    ));
}

#[test]
fn trial_balance_stops_an_unbalanced_ledger_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tb.xlsx");
    // The same script over a ledger whose first debit was changed.
    let src = std::fs::read_to_string(script("trial_balance.rhai")).unwrap();
    let broken = dir.path().join("tb.rhai");
    std::fs::write(&broken, format!("sheet(\"Ledger\").set(\"D2\", 1);\n{src}")).unwrap();
    let res = sheetscript(&[
        "run",
        broken.to_str().unwrap(),
        "samples/ledger.xlsx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!res.status.success());
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("the ledger does not balance"), "{err}");
    assert!(err.contains("tb.rhai:"), "{err}");
    assert!(!out.exists(), "nothing is written after a failed run");
}

#[test]
fn payroll_goes_from_gross_to_net_with_rates_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = out_path(&dir, "pay.xlsx");
    ok(&[
        "run",
        "scripts/payroll.rhai",
        "samples/payroll.xlsx",
        "-o",
        &out,
        "--set",
        "social=0.065",
        "--set",
        "health=0.045",
        "--set",
        "tax=0.15",
    ]);
    let input = grid(&sample("payroll.xlsx"), "Payroll");
    let p = grid(out.as_ref(), "Payroll");
    let heads: Vec<String> = ["F1", "G1", "H1", "I1", "J1", "K1"]
        .iter()
        .map(|a| p.text(a))
        .collect();
    assert_eq!(
        heads,
        [
            "Gross Pay",
            "Social",
            "Health",
            "Income Tax",
            "Net Pay",
            "Hourly Rate"
        ]
    );
    let mut net_total = Decimal::ZERO;
    for r in 2..=13 {
        let salary = input.num(&format!("C{r}"));
        let gross = salary + input.num(&format!("E{r}"));
        let social = round2(gross * d("0.065"));
        let health = round2(gross * d("0.045"));
        let tax = round2(gross * d("0.15"));
        assert_eq!(p.num(&format!("F{r}")), gross);
        assert_eq!(p.num(&format!("G{r}")), social);
        assert_eq!(p.num(&format!("H{r}")), health);
        assert_eq!(p.num(&format!("I{r}")), tax);
        assert_eq!(p.num(&format!("J{r}")), gross - social - health - tax);
        assert_eq!(
            p.num(&format!("K{r}")),
            round2(salary / input.num(&format!("D{r}")))
        );
        net_total += gross - social - health - tax;
    }
    let dept = grid(out.as_ref(), "By Department");
    assert_eq!(dept.num("G7"), net_total);
}

#[test]
fn loan_schedule_closes_to_exactly_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = out_path(&dir, "loan.xlsx");
    ok(&["run", "scripts/loan.rhai", "samples/loan.xlsx", "-o", &out]);
    let s = grid(out.as_ref(), "Schedule");
    assert_eq!(s.text("A1"), "Period");
    // Independent schedule: payment = annuity rounded to the cent.
    let rate = d("0.045") / d("12");
    let growth = (Decimal::ONE + rate).powi(240);
    let payment = round2(d("250000") * rate * growth / (growth - Decimal::ONE));
    assert_eq!(payment, d("1581.62"));
    let mut balance = d("250000");
    for k in 1..=240u32 {
        let r = (k + 1) as usize;
        let interest = round2(balance * rate);
        let pay = if k == 240 {
            balance + interest
        } else {
            payment
        };
        balance -= pay - interest;
        assert_eq!(s.num(&format!("A{r}")), Decimal::from(k));
        assert_eq!(s.num(&format!("C{r}")), pay, "payment {k}");
        assert_eq!(s.num(&format!("D{r}")), interest, "interest {k}");
        assert_eq!(s.num(&format!("E{r}")), pay - interest, "principal {k}");
        assert_eq!(s.num(&format!("F{r}")), balance, "balance {k}");
    }
    assert_eq!(balance, Decimal::ZERO);
    for k in [1, 120, 240] {
        let due = NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .checked_add_months(chrono::Months::new(k))
            .unwrap();
        assert_eq!(date_of(&s.at(&format!("B{}", k + 1))), due, "date {k}");
    }
}

#[test]
fn bank_reconciliation_finds_differences_unpaid_and_unknown() {
    for bank in ["samples/bank.xlsx", "samples/bank-statement.csv"] {
        let dir = tempfile::tempdir().unwrap();
        let out = out_path(&dir, "rec.xlsx");
        let attach = format!("bank={bank}");
        ok(&[
            "run",
            "scripts/bank_reconciliation.rhai",
            "samples/invoices.xlsx",
            "--attach",
            &attach,
            "-o",
            &out,
        ]);
        // The same invoices are matched from either statement.
        let matched = grid(out.as_ref(), "Matched");
        let matched: Vec<String> = matched.rows().iter().map(|r| r[0].to_string()).collect();
        assert_eq!(matched.len(), 38, "{bank}");
        // Unpaid invoices red, those paid with a difference yellow, on the
        // invoices sheet itself.
        assert!(part_holds(
            &out,
            "xl/worksheets/sheet1.xml",
            &[
                "<conditionalFormatting sqref=\"A2:G41\">",
                "<formula>COUNTIF(Differences!$A:$A,$B2)&gt;0</formula>",
                "<formula>COUNTIF(Unpaid!$B:$B,$B2)&gt;0</formula>"
            ]
        ));
    }
}
