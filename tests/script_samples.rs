//! Every sample script, run through the binary on its sample workbook;
//! the output is read back with calamine and checked to the cent against
//! values computed here independently from the input.

mod support;

use calamine::Data;
use chrono::NaiveDate;
use rust_decimal::{Decimal, MathematicalOps};
use std::collections::BTreeMap;
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
fn vat_adds_vat_and_gross_per_invoice_and_totals_per_rate() {
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
    assert_eq!(inv.text("H1"), "VAT");
    assert_eq!(inv.text("I1"), "Gross");
    // The first invoice: 13 639.51 at 21 %.
    assert_eq!(inv.num("H2"), d("2864.30"));
    assert_eq!(inv.num("I2"), d("16503.81"));
    let mut per_rate: BTreeMap<Decimal, (u32, Decimal, Decimal)> = BTreeMap::new();
    for r in 2..=41 {
        let net = input.num(&format!("E{r}"));
        let rate = input.num(&format!("F{r}"));
        let vat = round2(net * rate);
        assert_eq!(inv.num(&format!("H{r}")), vat, "VAT in row {r}");
        assert_eq!(inv.num(&format!("I{r}")), net + vat, "gross in row {r}");
        let e = per_rate.entry(rate.normalize()).or_default();
        *e = (e.0 + 1, e.1 + net, e.2 + vat);
    }
    // The input's own cells are untouched.
    assert_eq!(inv.at("E2"), input.at("E2"));
    let rates = grid(out.as_ref(), "VAT by Rate");
    assert_eq!(rates.text("A1"), "VAT Rate");
    for (i, (rate, (count, net, vat))) in per_rate.iter().enumerate() {
        let r = i + 2;
        assert_eq!(rates.num(&format!("A{r}")), *rate);
        assert_eq!(rates.num(&format!("B{r}")), Decimal::from(*count));
        assert_eq!(rates.num(&format!("C{r}")), *net);
        assert_eq!(rates.num(&format!("D{r}")), *vat);
        assert_eq!(rates.num(&format!("E{r}")), net + vat);
    }
    assert_eq!(rates.text("A5"), "Total");
    assert_eq!(rates.num("C5"), d("507398.20"));
    assert_eq!(rates.num("D5"), d("73451.96"));
    assert_eq!(rates.num("E5"), d("580850.16"));
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
fn ageing_buckets_every_invoice_per_customer() {
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
    let input = grid(&sample("invoices.xlsx"), "Invoices");
    let asof = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mut expect: BTreeMap<String, [Decimal; 5]> = BTreeMap::new();
    for r in 2..=41 {
        let customer = input.text(&format!("A{r}"));
        let due = date_of(&input.at(&format!("D{r}")));
        let gross =
            round2(input.num(&format!("E{r}")) * (Decimal::ONE + input.num(&format!("F{r}"))));
        let days = (asof - due).num_days();
        let b = match days {
            i64::MIN..=0 => 0,
            1..=30 => 1,
            31..=60 => 2,
            61..=90 => 3,
            _ => 4,
        };
        expect.entry(customer).or_default()[b] += gross;
    }
    let age = grid(out.as_ref(), "Ageing");
    let headers: Vec<String> = ["A1", "B1", "C1", "D1", "E1", "F1", "G1"]
        .iter()
        .map(|a| age.text(a))
        .collect();
    assert_eq!(
        headers,
        ["Customer", "Not due", "1-30", "31-60", "61-90", "90+", "Total"]
    );
    // Customers sort case-insensitively, as the script's group_by does.
    let mut customers: Vec<&String> = expect.keys().collect();
    customers.sort_by_key(|c| c.to_lowercase());
    let mut grand = Decimal::ZERO;
    for (i, c) in customers.iter().enumerate() {
        let r = i + 2;
        assert_eq!(&age.text(&format!("A{r}")), *c);
        let sums = expect[*c];
        for (j, col) in ["B", "C", "D", "E", "F"].iter().enumerate() {
            assert_eq!(age.num(&format!("{col}{r}")), sums[j], "{c} bucket {j}");
        }
        let total: Decimal = sums.iter().sum();
        assert_eq!(age.num(&format!("G{r}")), total);
        grand += total;
    }
    assert_eq!(grand, d("580850.16"));
    assert_eq!(age.num("G8"), grand);
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
fn trial_balance_checks_debits_equal_credits_per_account() {
    let dir = tempfile::tempdir().unwrap();
    let out = out_path(&dir, "tb.xlsx");
    ok(&[
        "run",
        "scripts/trial_balance.rhai",
        "samples/ledger.xlsx",
        "-o",
        &out,
    ]);
    let ledger = grid(&sample("ledger.xlsx"), "Ledger");
    let mut per: BTreeMap<i64, (Decimal, Decimal)> = BTreeMap::new();
    let mut total = Decimal::ZERO;
    for r in 2..=61 {
        let acct = ledger.num(&format!("A{r}")).try_into().unwrap();
        let debit = num(&ledger.at(&format!("D{r}"))).unwrap_or_default();
        let credit = num(&ledger.at(&format!("E{r}"))).unwrap_or_default();
        let e = per.entry(acct).or_default();
        *e = (e.0 + debit, e.1 + credit);
        total += debit;
    }
    let tb = grid(out.as_ref(), "Trial Balance");
    assert_eq!(tb.text("A1"), "Account");
    assert_eq!(tb.text("F1"), "Balance");
    for (i, (acct, (debit, credit))) in per.iter().enumerate() {
        let r = i + 2;
        assert_eq!(tb.num(&format!("A{r}")), Decimal::from(*acct));
        assert_eq!(tb.num(&format!("D{r}")), *debit);
        assert_eq!(tb.num(&format!("E{r}")), *credit);
        assert_eq!(tb.num(&format!("F{r}")), debit - credit);
        assert!(
            matches!(tb.at(&format!("B{r}")), Data::String(_)),
            "account name joined"
        );
    }
    let last = per.len() + 2;
    assert_eq!(tb.text(&format!("A{last}")), "Total");
    assert_eq!(tb.num(&format!("D{last}")), total);
    assert_eq!(tb.num(&format!("E{last}")), total);
    assert_eq!(total, d("128922.75"));
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
    let rows = dept.rows();
    let last = rows
        .iter()
        .position(|r| r[0] == Data::String("Total".into()))
        .expect("total line")
        + 1;
    assert_eq!(dept.num(&format!("G{last}")), net_total);
    assert_eq!(dept.num(&format!("B{last}")), Decimal::from(12));
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
    assert_eq!(s.num("F241"), Decimal::ZERO);
    assert_eq!(s.num("C241"), d("1582.92"));
    assert_eq!(
        date_of(&s.at("B2")),
        NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
    );
    assert_eq!(
        date_of(&s.at("B241")),
        NaiveDate::from_ymd_opt(2046, 1, 1).unwrap()
    );
    assert_eq!(s.num("D242"), d("129590.10"));
    assert_eq!(s.num("E242"), d("250000"));
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
        let sum = grid(out.as_ref(), "Reconciliation");
        let counts: Vec<Decimal> = (2..=7).map(|r| sum.num(&format!("B{r}"))).collect();
        assert_eq!(counts, [40, 37, 1, 2, 1, 5].map(Decimal::from), "{bank}");
        assert_eq!(sum.num("C7"), d("-22.50"), "fees");
        assert_eq!(sum.num("C6"), d("1250.00"), "unknown payment");
        let diff = grid(out.as_ref(), "Differences");
        assert_eq!(diff.text("A2"), "INV-2026-022");
        assert_eq!(diff.num("D2"), d("5.00"));
        let unpaid = grid(out.as_ref(), "Unpaid");
        assert_eq!(unpaid.text("B2"), "INV-2026-038");
        assert_eq!(unpaid.text("B3"), "INV-2026-040");
        let matched = grid(out.as_ref(), "Matched");
        let small: Vec<(String, Decimal)> = matched
            .rows()
            .iter()
            .skip(1)
            .filter_map(|r| {
                let diff = num(&r[3])?;
                (!diff.is_zero()).then(|| (r[0].to_string(), diff))
            })
            .collect();
        assert_eq!(
            small,
            [
                ("INV-2026-007".to_string(), d("-0.01")),
                ("INV-2026-016".to_string(), d("0.02"))
            ],
            "{bank}"
        );
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
