use super::*;
use crate::model::Number;
use chrono::NaiveDate;

fn n(x: &str) -> Value {
    Value::Number(Number::Exact(x.parse().unwrap()))
}
fn t(x: &str) -> Value {
    Value::Text(x.into())
}

fn sample() -> Table {
    Table::from_rows(
        "Invoices",
        vec!["Customer".into(), "Net".into(), "VAT Rate".into()],
        vec![
            vec![t("Acme"), n("100.00"), n("0.21")],
            vec![t("Bolt"), n("19.99"), n("0.21")],
            vec![t("acme"), n("50"), n("0.10")],
        ],
    )
}

#[test]
fn columns_multiply_exactly_and_round_half_away() {
    let tb = sample();
    let vat = arith(
        Operand::Col(tb.column("net").unwrap()),
        Op::Mul,
        Operand::Col(tb.column("vat_rate").unwrap()),
    )
    .unwrap();
    assert_eq!(vat.values[1], n("4.1979"));
    let r = round_column(&vat, 2, Rounding::HalfAway).unwrap();
    assert_eq!(r.values[1], n("4.20"));
    let half = Column::new("x", vec![n("2.345"), n("-2.345")]);
    assert_eq!(
        round_column(&half, 2, Rounding::HalfAway).unwrap().values[..],
        [n("2.35"), n("-2.35")]
    );
    assert_eq!(
        round_column(&half, 2, Rounding::Bankers).unwrap().values[..],
        [n("2.34"), n("-2.34")]
    );
}

#[test]
fn unknown_columns_are_explained() {
    let err = sample().index("Nett").unwrap_err().to_string();
    assert!(err.contains("Customer, Net, VAT Rate"), "{err}");
    assert!(err.contains("did you mean \"Net\""), "{err}");
}

#[test]
fn text_in_a_number_column_names_the_cell() {
    let mut sheet = Sheet::new("Invoices");
    for (row, v) in [t("Net"), n("1"), t("n/a")].into_iter().enumerate() {
        sheet.set_value(CellAddr::new(row as u32, 4), v);
    }
    let tb = Table::from_sheet("Invoices", &sheet, 0, RangeAddr::parse("E1:E3").unwrap());
    let err = tb.column("Net").unwrap().sum().unwrap_err().to_string();
    assert_eq!(err, "Invoices!E3: expected a number, found text \"n/a\"");
}

#[test]
fn grouping_sums_per_key_case_insensitively() {
    let tb = sample();
    let aggs = vec![
        tb.aggregate("sum Net").unwrap(),
        tb.aggregate("count").unwrap(),
    ];
    let g = tb.group(&[0], &aggs).unwrap();
    assert_eq!(g.names(), vec!["Customer", "Net", "Count"]);
    assert_eq!(g.len, 2);
    assert_eq!(*g.columns[1].values, vec![n("150.00"), n("19.99")]);
    assert!(tb.aggregate("total Net").is_err());
}

#[test]
fn pivots_spread_a_column_across() {
    let tb = sample();
    let agg = tb.aggregate("sum Net").unwrap();
    let p = tb.pivot(&[0], 2, &agg, None).unwrap();
    assert_eq!(p.names(), vec!["Customer", "0.1", "0.21", "Total"]);
    assert_eq!(*p.columns[1].values, vec![n("50"), n("0")]);
    assert_eq!(*p.columns[3].values, vec![n("150.00"), n("19.99")]);
    assert!(tb.pivot(&[0], 2, &agg, Some(&[n("0.21")])).is_err());
}

#[test]
fn reconciliation_sorts_keys_into_four_lists() {
    let inv = Table::from_rows(
        "Invoices",
        vec!["Invoice".into(), "Gross".into()],
        vec![
            vec![t("A"), n("10.00")],
            vec![t("B"), n("20.00")],
            vec![t("C"), n("30.00")],
        ],
    );
    let bank = Table::from_rows(
        "Bank",
        vec!["Reference".into(), "Amount".into()],
        vec![
            vec![t("a"), n("10.01")],
            vec![t("B"), n("25.00")],
            vec![t("X"), n("5")],
            vec![Value::Empty, n("-1.5")],
        ],
    );
    let r = inv
        .reconcile(
            &bank,
            (0, 0),
            (1, 1),
            Number::Exact("0.02".parse().unwrap()),
        )
        .unwrap();
    assert_eq!(r.matched.len, 1);
    assert_eq!(r.matched.columns[3].values[0], n("0.01"));
    assert_eq!(r.mismatched.len, 1);
    assert_eq!(r.only_left.len, 1);
    assert_eq!(r.only_right.len, 2);
}

#[test]
fn joins_keep_unmatched_rows_on_request() {
    let cust = Table::from_rows(
        "Customers",
        vec!["Customer".into(), "Terms Days".into()],
        vec![vec![t("ACME"), n("30")]],
    );
    let j = sample().join_checked(&cust, &[0], &[0], true).0;
    assert_eq!(j.names(), vec!["Customer", "Net", "VAT Rate", "Terms Days"]);
    assert_eq!(*j.columns[3].values, vec![n("30"), Value::Empty, n("30")]);
    assert_eq!(sample().join_checked(&cust, &[0], &[0], false).0.len, 2);
}

fn whole(x: i64) -> Value {
    Value::Number(Number::from_i64(x))
}

#[test]
fn keys_of_different_types_match_as_an_accountant_means_them() {
    let inv = Table::from_rows(
        "Invoices",
        vec!["VS".into(), "Gross".into()],
        vec![
            vec![t("71111"), n("10.00")],
            vec![t(" 20026\u{a0}"), n("20.00")],
            vec![t("0300"), n("30.00")],
            vec![Value::Empty, n("1")],
        ],
    );
    let bank = Table::from_rows(
        "Bank",
        vec!["VS".into(), "Amount".into()],
        vec![
            vec![whole(71111), n("10.00")],
            vec![whole(20026), n("20.00")],
            vec![whole(300), n("30.00")],
            vec![Value::Empty, n("5")],
        ],
    );
    let (j, warning) = inv.join_checked(&bank, &[0], &[0], true);
    assert_eq!(
        *j.columns[2].values,
        vec![n("10.00"), n("20.00"), n("30.00"), Value::Empty]
    );
    assert_eq!(warning, None);
    let r = inv.reconcile(&bank, (0, 0), (1, 1), Number::ZERO).unwrap();
    assert_eq!(
        (r.matched.len, r.only_left.len, r.only_right.len),
        (3, 1, 1)
    );
    assert_eq!(r.warning, None);
    // Text against text stays text: "0300" is not "300"; against a
    // number it is the number.
    let codes = Table::from_rows("Tariff", vec!["Code".into()], vec![vec![t("300")]]);
    assert_eq!(inv.find(0, &t("300")), None);
    assert_eq!(codes.find(0, &whole(300)), Some(0));
    assert_eq!(inv.find(0, &whole(300)), Some(2));
    assert_eq!(inv.positions(0, &whole(71111)), vec![0]);
}

#[test]
fn a_match_that_finds_too_little_says_so() {
    let inv = Table::from_rows(
        "Invoices",
        vec!["VS".into(), "Gross".into()],
        (0..62).map(|i| vec![t(&format!("A{i}")), n("1")]).collect(),
    );
    let bank = Table::from_rows(
        "Bank",
        vec!["VS".into(), "Amount".into()],
        (0..62).map(|i| vec![whole(i), n("1")]).collect(),
    );
    let (_, w) = inv.join_checked(&bank, &[0], &[0], true);
    assert_eq!(
        w.as_deref(),
        Some("join: only 0 of 62 rows matched on Invoices.VS (text) = Bank.VS (number)")
    );
    let r = inv.reconcile(&bank, (0, 0), (1, 1), Number::ZERO).unwrap();
    assert_eq!(
        r.warning.as_deref(),
        Some("reconcile: only 0 of 62 keys matched on Invoices.VS (text) = Bank.VS (number)")
    );
}

#[test]
fn dates_are_indexed_once_for_as_of_lookups() {
    let date = |s: &str| {
        Value::Date(crate::model::DateValue::from_date(
            NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap(),
        ))
    };
    let rates = Table::from_rows(
        "Rates",
        vec!["Date".into(), "Rate".into()],
        vec![
            vec![date("2026-11-03"), n("25.1")],
            vec![date("2026-11-02"), n("25.0")],
            vec![Value::Empty, n("99")],
            vec![t("4.11.2026"), n("25.2")],
        ],
    );
    let idx = rates.date_index(0).unwrap();
    let rows: Vec<usize> = idx.iter().map(|&(_, i)| i).collect();
    assert_eq!(rows, vec![1, 0, 3]);
    let bad = Table::from_rows("R", vec!["Date".into()], vec![vec![t("soon")]]);
    assert!(bad
        .date_index(0)
        .unwrap_err()
        .to_string()
        .contains("\"soon\""));
}

#[test]
fn arithmetic_notes_empty_cells_counted_as_zero() {
    let tb = Table::from_rows(
        "Invoices",
        vec!["Net".into(), "Fee".into()],
        vec![
            vec![n("10"), Value::Empty],
            vec![Value::Empty, Value::Empty],
            vec![n("5"), n("1")],
        ],
    );
    let (net, fee) = (&tb.columns[0], &tb.columns[1]);
    let sum = arith(Operand::Col(net), Op::Add, Operand::Col(fee)).unwrap();
    assert_eq!(*sum.values, vec![n("10"), n("0"), n("6")]);
    let vat = arith(
        Operand::Col(&sum),
        Op::Mul,
        Operand::Scalar(Number::from_i64(2)),
    )
    .unwrap();
    let vat = round_column(&vat, 2, Rounding::HalfAway).unwrap();
    assert_eq!(
        empty_note("Invoices", "VAT", &vat.lineage.empty_as_zero).as_deref(),
        Some("Invoices.VAT: 1 empty cell in Net and 2 in Fee counted as 0, as Excel does")
    );
    assert!(tb.columns[0].lineage.empty_as_zero.is_empty());
}

#[test]
fn columns_read_from_a_sheet_keep_their_number_format() {
    let mut styles = StyleTable::new();
    let money = styles.intern(crate::model::Style::with_number_format("#,##0.00 \"Kč\""));
    let mut sheet = Sheet::new("Invoices");
    for (row, v) in [t("Net"), n("1"), n("2"), Value::Empty]
        .into_iter()
        .enumerate()
    {
        let addr = CellAddr::new(row as u32, 0);
        sheet.set_value(addr, v);
        if row > 0 {
            sheet.set_style(addr, money);
        }
    }
    sheet.set_value(CellAddr::new(0, 1), t("Note"));
    sheet.set_value(CellAddr::new(1, 1), t("x"));
    let mut tb = Table::from_sheet("Invoices", &sheet, 0, RangeAddr::parse("A1:B4").unwrap());
    tb.read_formats(&sheet, &styles);
    assert_eq!(tb.columns[0].write_format(), Some("#,##0.00 \"Kč\""));
    assert_eq!(tb.columns[1].write_format(), None);
    let g = tb.group(&[1], &[tb.aggregate("sum Net").unwrap()]).unwrap();
    assert_eq!(g.columns[1].write_format(), Some("#,##0.00 \"Kč\""));
    assert_eq!(g.columns[1].format, None, "a format the script did not set");
}

#[test]
fn pivots_take_numeric_text_as_its_number() {
    let tb = Table::from_rows(
        "Invoices",
        vec!["Customer".into(), "Rate".into(), "Net".into()],
        vec![
            vec![t("Acme"), n("0.21"), n("10")],
            vec![t("Acme "), t(" 0.21"), n("5")],
            vec![t("Bolt"), t("0.10"), n("1")],
        ],
    );
    let agg = tb.aggregate("sum Net").unwrap();
    let p = tb.pivot(&[0], 1, &agg, None).unwrap();
    // One column for 0.21 and " 0.21"; "Acme " is Acme.
    assert_eq!(p.names(), vec!["Customer", "0.21", "0.10", "Total"]);
    assert_eq!(*p.columns[1].values, vec![n("15"), n("0")]);
    assert_eq!(*p.columns[3].values, vec![n("15"), n("1")]);
}
