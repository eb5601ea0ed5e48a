//! Writes the sample workbooks in `samples/` (see `samples/README.md`).
//!
//! Run with `cargo run --example make_samples [OUTPUT_DIR]` (default
//! `samples`). Every value is derived from fixed rules and the document
//! creation time is pinned, so the bytes are identical on every run; the
//! test `tests/cli_samples.rs` regenerates the files and compares them with
//! the committed ones.

// Included by tests/cli_samples.rs, which uses only part of it.
#![allow(dead_code)]

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Formula, Table, TableColumn, Workbook, Worksheet,
    XlsxError,
};
use std::path::Path;

/// A sample customer: name, country and payment terms in days.
struct Customer {
    name: &'static str,
    country: &'static str,
    terms_days: i64,
}

const CUSTOMERS: [Customer; 6] = [
    Customer {
        name: "Acme Components s.r.o.",
        country: "CZ",
        terms_days: 14,
    },
    Customer {
        name: "Baltic Freight GmbH",
        country: "DE",
        terms_days: 30,
    },
    Customer {
        name: "Contoso Retail Ltd",
        country: "GB",
        terms_days: 30,
    },
    Customer {
        name: "Dvořák & Syn a.s.",
        country: "CZ",
        terms_days: 45,
    },
    Customer {
        name: "Elbe Medical AG",
        country: "AT",
        terms_days: 60,
    },
    Customer {
        name: "Fjord Analytics AS",
        country: "NO",
        terms_days: 30,
    },
];

/// One generated invoice.
pub struct Invoice {
    customer: &'static Customer,
    number: String,
    issue: NaiveDate,
    /// Due date: issue date plus the customer's terms.
    pub due: NaiveDate,
    net: Decimal,
    vat_rate: Decimal,
    currency: &'static str,
}

impl Invoice {
    /// Net plus VAT, rounded to cents half away from zero (as the bank
    /// statement pays it).
    fn gross(&self) -> Decimal {
        (self.net * (Decimal::ONE + self.vat_rate))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }
}

/// Zero-based positions of the invoices the bank statement never pays.
const UNPAID: [usize; 2] = [37, 39];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid sample date")
}

/// The 40 invoices of `invoices.xlsx`.
pub fn invoices() -> Vec<Invoice> {
    (0..40)
        .map(|i: usize| {
            let customer = &CUSTOMERS[(i * 5 + i / 6) % 6];
            let issue = date(2026, 7, 1) + Duration::days((i as i64 * 150) / 40);
            let cents = ((i as i64 + 1) * 7919 * 104_729) % 2_400_000 + 15_000;
            let vat_rate = if i % 5 == 4 {
                Decimal::ZERO
            } else if i % 3 == 1 {
                Decimal::new(12, 2)
            } else {
                Decimal::new(21, 2)
            };
            Invoice {
                customer,
                number: format!("INV-2026-{:03}", i + 1),
                issue,
                due: issue + Duration::days(customer.terms_days),
                net: Decimal::new(cents, 2),
                vat_rate,
                currency: if i % 9 == 4 { "CZK" } else { "EUR" },
            }
        })
        .collect()
}

/// The fixed creation time every sample carries.
fn properties() -> Result<DocProperties, XlsxError> {
    Ok(DocProperties::new()
        .set_author("sheetscript samples")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?.and_hms(9, 0, 0)?))
}

fn new_workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties()?);
    Ok(wb)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn money(d: Decimal) -> f64 {
    d.to_f64().expect("sample amounts fit in f64")
}

fn header(ws: &mut Worksheet, row: u32, names: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, name) in names.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *name, &bold)?;
    }
    Ok(())
}

fn write_invoices(dir: &Path) -> Result<(), XlsxError> {
    let invoices = invoices();
    let mut wb = new_workbook()?;
    let date_fmt = Format::new().set_num_format("dd.mm.yyyy");
    let money_fmt = Format::new().set_num_format("#,##0.00");
    let pct_fmt = Format::new().set_num_format("0%");

    let ws = wb.add_worksheet().set_name("Invoices")?;
    for (i, inv) in invoices.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, inv.customer.name)?;
        ws.write_string(r, 1, &inv.number)?;
        ws.write_datetime_with_format(r, 2, &excel_date(inv.issue)?, &date_fmt)?;
        ws.write_datetime_with_format(r, 3, &excel_date(inv.due)?, &date_fmt)?;
        ws.write_number_with_format(r, 4, money(inv.net), &money_fmt)?;
        ws.write_number_with_format(r, 5, money(inv.vat_rate), &pct_fmt)?;
        ws.write_string(r, 6, inv.currency)?;
    }
    let columns: Vec<TableColumn> = [
        "Customer",
        "Invoice",
        "Issue Date",
        "Due Date",
        "Net",
        "VAT Rate",
        "Currency",
    ]
    .iter()
    .map(|h| TableColumn::new().set_header(*h))
    .collect();
    let table = Table::new().set_name("Invoices").set_columns(&columns);
    ws.add_table(0, 0, invoices.len() as u32, 6, &table)?;
    for (c, width) in [24.0, 14.0, 12.0, 12.0, 12.0, 10.0, 10.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *width)?;
    }

    let ws = wb.add_worksheet().set_name("Customers")?;
    header(ws, 0, &["Customer", "Country", "Terms Days"])?;
    for (i, c) in CUSTOMERS.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, c.name)?;
        ws.write_string(r, 1, c.country)?;
        ws.write_number(r, 2, c.terms_days as f64)?;
    }
    ws.set_column_width(0, 24.0)?;

    let net: Decimal = invoices.iter().map(|i| i.net).sum();
    let vat: Decimal = invoices.iter().map(|i| i.net * i.vat_rate).sum();
    let ws = wb.add_worksheet().set_name("Summary")?;
    let rows: [(&str, &str, String, &Format); 4] = [
        (
            "Total Net",
            "=SUM(Invoices[Net])",
            net.normalize().to_string(),
            &money_fmt,
        ),
        (
            "VAT",
            "=SUMPRODUCT(Invoices[Net],Invoices[VAT Rate])",
            vat.normalize().to_string(),
            &money_fmt,
        ),
        (
            "Gross",
            "=B1+B2",
            (net + vat).normalize().to_string(),
            &money_fmt,
        ),
        (
            "Invoices",
            "=COUNTA(Invoices[Invoice])",
            invoices.len().to_string(),
            &Format::new(),
        ),
    ];
    for (r, (label, formula, result, fmt)) in rows.iter().enumerate() {
        ws.write_string(r as u32, 0, *label)?;
        ws.write_formula_with_format(r as u32, 1, Formula::new(*formula).set_result(result), fmt)?;
    }
    ws.set_column_width(0, 14.0)?;
    ws.set_column_width(1, 14.0)?;
    wb.save(dir.join("invoices.xlsx"))
}

/// A chart-of-accounts entry: number, name and type.
const ACCOUNTS: [(u32, &str, &str); 10] = [
    (211, "Cash", "Asset"),
    (221, "Bank account", "Asset"),
    (311, "Trade receivables", "Asset"),
    (321, "Trade payables", "Liability"),
    (343, "VAT", "Liability"),
    (411, "Share capital", "Equity"),
    (501, "Materials", "Expense"),
    (518, "Services", "Expense"),
    (521, "Wages", "Expense"),
    (602, "Revenue from services", "Revenue"),
];

/// A double entry: debit account, credit account, description.
const ENTRIES: [(u32, u32, &str); 10] = [
    (221, 411, "Capital contribution"),
    (311, 602, "Invoice issued"),
    (221, 311, "Customer payment"),
    (501, 321, "Supplier invoice for materials"),
    (321, 221, "Supplier paid"),
    (518, 321, "Consulting services"),
    (521, 221, "Salaries paid"),
    (211, 221, "Cash withdrawal"),
    (518, 211, "Office supplies paid in cash"),
    (343, 221, "VAT settlement"),
];

fn write_ledger(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = new_workbook()?;
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let money_fmt = Format::new().set_num_format("#,##0.00");
    let ws = wb.add_worksheet().set_name("Ledger")?;
    header(
        ws,
        0,
        &["Account", "Date", "Description", "Debit", "Credit"],
    )?;
    let mut row = 1u32;
    for t in 0..30usize {
        let (debit_account, credit_account, description) = ENTRIES[(t * 3 + t / 10) % 10];
        let day = date(2026, 1, 2) + Duration::days(t as i64 * 11);
        let amount = Decimal::new(((t as i64 + 3) * 48_271) % 900_000 + 5_000, 2);
        for (account, debit) in [(debit_account, true), (credit_account, false)] {
            ws.write_number(row, 0, account as f64)?;
            ws.write_datetime_with_format(row, 1, &excel_date(day)?, &date_fmt)?;
            ws.write_string(row, 2, description)?;
            let col = if debit { 3 } else { 4 };
            ws.write_number_with_format(row, col, money(amount), &money_fmt)?;
            row += 1;
        }
    }
    let last = row;
    ws.set_column_width(1, 12.0)?;
    ws.set_column_width(2, 30.0)?;
    ws.set_column_width(3, 12.0)?;
    ws.set_column_width(4, 12.0)?;

    let ws = wb.add_worksheet().set_name("Accounts")?;
    header(ws, 0, &["Account", "Name", "Type"])?;
    for (i, (number, name, kind)) in ACCOUNTS.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, *number as f64)?;
        ws.write_string(r, 1, *name)?;
        ws.write_string(r, 2, *kind)?;
    }
    ws.set_column_width(1, 24.0)?;

    let total: Decimal = (0..30i64)
        .map(|t| Decimal::new(((t + 3) * 48_271) % 900_000 + 5_000, 2))
        .sum();
    let ws = wb.add_worksheet().set_name("Summary")?;
    let total_text = total.normalize().to_string();
    ws.write_string(0, 0, "Total Debit")?;
    ws.write_formula_with_format(
        0,
        1,
        Formula::new(format!("=SUM(Ledger!D2:D{last})")).set_result(&total_text),
        &money_fmt,
    )?;
    ws.write_string(1, 0, "Total Credit")?;
    ws.write_formula_with_format(
        1,
        1,
        Formula::new(format!("=SUM(Ledger!E2:E{last})")).set_result(&total_text),
        &money_fmt,
    )?;
    ws.write_string(2, 0, "Difference")?;
    ws.write_formula_with_format(2, 1, Formula::new("=B1-B2").set_result("0"), &money_fmt)?;
    ws.set_column_width(0, 14.0)?;
    ws.set_column_width(1, 14.0)?;
    wb.save(dir.join("ledger.xlsx"))
}

fn write_payroll(dir: &Path) -> Result<(), XlsxError> {
    const EMPLOYEES: [(&str, &str); 12] = [
        ("Jana Nováková", "Finance"),
        ("Petr Svoboda", "Finance"),
        ("Anna Müller", "Sales"),
        ("Tomáš Dvořák", "Sales"),
        ("Lucie Černá", "Sales"),
        ("Martin Procházka", "Operations"),
        ("Eva Kučerová", "Operations"),
        ("John Smith", "Operations"),
        ("Marie Veselá", "IT"),
        ("Jakub Horák", "IT"),
        ("Sophie Laurent", "HR"),
        ("Karel Marek", "HR"),
    ];
    let mut wb = new_workbook()?;
    let money_fmt = Format::new().set_num_format("#,##0.00");
    let hours_fmt = Format::new().set_num_format("0.0");
    let ws = wb.add_worksheet().set_name("Payroll")?;
    header(
        ws,
        0,
        &["Employee", "Department", "Gross Salary", "Hours", "Bonus"],
    )?;
    for (i, (name, dept)) in EMPLOYEES.iter().enumerate() {
        let r = i as u32 + 1;
        let salary = Decimal::new(3_200_000 + (i as i64 * 37_913) % 4_100_000, 2);
        let hours = Decimal::new(1600 + (i as i64 * 37) % 120, 1);
        let bonus = if i % 4 == 3 {
            Decimal::ZERO
        } else {
            Decimal::new((i as i64 * 61_001) % 500_000, 2)
        };
        ws.write_string(r, 0, *name)?;
        ws.write_string(r, 1, *dept)?;
        ws.write_number_with_format(r, 2, money(salary), &money_fmt)?;
        ws.write_number_with_format(r, 3, money(hours), &hours_fmt)?;
        ws.write_number_with_format(r, 4, money(bonus), &money_fmt)?;
    }
    ws.set_column_width(0, 20.0)?;
    ws.set_column_width(1, 14.0)?;
    ws.set_column_width(2, 14.0)?;
    wb.save(dir.join("payroll.xlsx"))
}

/// One bank statement line.
struct BankLine {
    date: NaiveDate,
    reference: String,
    description: String,
    amount: Decimal,
}

fn statement() -> Vec<BankLine> {
    let invoices = invoices();
    let end = date(2026, 11, 30);
    let mut lines = Vec::new();
    for (i, inv) in invoices.iter().enumerate() {
        if UNPAID.contains(&i) {
            continue;
        }
        let adjustment = match i {
            6 => Decimal::new(-1, 2),
            15 => Decimal::new(2, 2),
            21 => Decimal::new(500, 2),
            _ => Decimal::ZERO,
        };
        lines.push(BankLine {
            date: (inv.issue + Duration::days(5 + (i as i64 * 13) % 20)).min(end),
            reference: inv.number.clone(),
            description: format!("Platba faktury {} – {}", inv.number, inv.customer.name),
            amount: inv.gross() + adjustment,
        });
    }
    lines.push(BankLine {
        date: date(2026, 10, 14),
        reference: "VS 880512".to_string(),
        description: "Příchozí platba – neznámý plátce".to_string(),
        amount: Decimal::new(125_000, 2),
    });
    for month in 7..=11 {
        let last = date(2026, month + 1, 1) - Duration::days(1);
        lines.push(BankLine {
            date: last,
            reference: format!("FEE-2026-{month:02}"),
            description: "Poplatek za vedení účtu".to_string(),
            amount: Decimal::new(-450, 2),
        });
    }
    lines.sort_by(|a, b| a.date.cmp(&b.date).then(a.reference.cmp(&b.reference)));
    lines
}

fn write_bank(dir: &Path) -> Result<(), XlsxError> {
    let lines = statement();
    let mut wb = new_workbook()?;
    let date_fmt = Format::new().set_num_format("dd.mm.yyyy");
    let money_fmt = Format::new().set_num_format("#,##0.00");
    let ws = wb.add_worksheet().set_name("Statement")?;
    header(ws, 0, &["Date", "Reference", "Description", "Amount"])?;
    for (i, line) in lines.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_datetime_with_format(r, 0, &excel_date(line.date)?, &date_fmt)?;
        ws.write_string(r, 1, &line.reference)?;
        ws.write_string(r, 2, &line.description)?;
        ws.write_number_with_format(r, 3, money(line.amount), &money_fmt)?;
    }
    ws.set_column_width(0, 12.0)?;
    ws.set_column_width(1, 14.0)?;
    ws.set_column_width(2, 50.0)?;
    ws.set_column_width(3, 12.0)?;
    wb.save(dir.join("bank.xlsx"))
}

/// The statement as a Czech bank exports it: `;`, decimal comma, d.m.yyyy
/// dates, CRLF line ends, Windows-1250.
fn write_bank_csv(dir: &Path) -> std::io::Result<()> {
    let mut text = String::from("Datum;Reference;Popis;Částka\r\n");
    for line in statement() {
        text.push_str(&format!(
            "{}.{}.{};{};{};{}\r\n",
            line.date.day(),
            line.date.month(),
            line.date.year(),
            line.reference,
            line.description,
            line.amount.to_string().replace('.', ",")
        ));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1250.encode(&text);
    assert!(!unmappable, "sample text must fit Windows-1250");
    std::fs::write(dir.join("bank-statement.csv"), bytes)
}

fn write_loan(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name("Loan")?;
    header(ws, 0, &["Parameter", "Value"])?;
    let money_fmt = Format::new().set_num_format("#,##0.00");
    ws.write_string(1, 0, "Principal")?;
    ws.write_number_with_format(1, 1, 250_000.0, &money_fmt)?;
    ws.write_string(2, 0, "Annual Rate")?;
    ws.write_number_with_format(2, 1, 0.045, &Format::new().set_num_format("0.00%"))?;
    ws.write_string(3, 0, "Years")?;
    ws.write_number(3, 1, 20.0)?;
    ws.write_string(4, 0, "Payments Per Year")?;
    ws.write_number(4, 1, 12.0)?;
    ws.write_string(5, 0, "Start Date")?;
    ws.write_datetime_with_format(
        5,
        1,
        &ExcelDateTime::from_ymd(2026, 1, 1)?,
        &Format::new().set_num_format("yyyy-mm-dd"),
    )?;
    // PMT as Excel computes it, in binary floating point.
    let rate: f64 = 0.045 / 12.0;
    let periods = 240.0;
    let growth = (1.0 + rate).powf(periods);
    let payment = 250_000.0 * rate * growth / (growth - 1.0);
    ws.write_string(6, 0, "Payment")?;
    ws.write_formula_with_format(
        6,
        1,
        Formula::new("=PMT(AnnualRate/PaymentsPerYear,Years*PaymentsPerYear,-Principal)")
            .set_result(payment.to_string()),
        &money_fmt,
    )?;
    ws.set_column_width(0, 20.0)?;
    ws.set_column_width(1, 14.0)?;
    for (name, cell) in [
        ("Principal", "$B$2"),
        ("AnnualRate", "$B$3"),
        ("Years", "$B$4"),
        ("PaymentsPerYear", "$B$5"),
        ("StartDate", "$B$6"),
        ("Payment", "$B$7"),
    ] {
        wb.define_name(name, &format!("=Loan!{cell}"))?;
    }
    wb.save(dir.join("loan.xlsx"))
}

/// Writes every sample into `dir`.
pub fn write_all(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    write_invoices(dir)?;
    write_ledger(dir)?;
    write_payroll(dir)?;
    write_bank(dir)?;
    write_bank_csv(dir)?;
    write_loan(dir)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "samples".to_string());
    write_all(Path::new(&dir))?;
    println!("samples written to {dir}");
    Ok(())
}
