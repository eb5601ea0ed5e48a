//! The deterministic 100k-row invoices workbook every bench uses, as xlsx
//! (with or without formulas) and as CSV.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as XlsxWorkbook, Worksheet, XlsxError};
use std::path::Path;

/// Rows of invoices in every bench.
pub const ROWS: u32 = 100_000;
/// Distinct customers.
pub const CUSTOMERS: u32 = 250;

/// One generated invoice.
pub struct Invoice {
    pub customer: String,
    pub number: String,
    pub issue_serial: i64,
    pub due_serial: i64,
    pub net_cents: i64,
    pub rate: f64,
}

/// The `i`th invoice (0-based), the same in every run.
pub fn invoice(i: u32) -> Invoice {
    let issue_serial = 45_658 + i64::from(i % 330);
    Invoice {
        customer: format!("Customer {:03}", i % CUSTOMERS),
        number: format!("INV-{:06}", i + 1),
        issue_serial,
        due_serial: issue_serial + 30,
        net_cents: 1_000 + (i64::from(i) * 7_919) % 250_000,
        rate: [0.21, 0.12, 0.0][(i % 3) as usize],
    }
}

/// What the Invoices sheet holds besides the base columns
/// `Customer | Invoice | Issue Date | Due Date | Net | VAT Rate | Currency`.
#[derive(Clone, Copy, PartialEq)]
pub enum Extra {
    /// Nothing more (the input of the VAT script).
    Nothing,
    /// VAT, Gross and Note as values (10 columns, the io bench).
    Values,
    /// VAT, Gross and the customer's payment terms as formulas, plus a
    /// Customers sheet and a Summary sheet of SUMIFS per customer.
    Formulas,
}

fn serial_date(serial: i64) -> ExcelDateTime {
    ExcelDateTime::from_serial_datetime(serial as f64).expect("date in range")
}

/// Writes the invoices workbook of [`ROWS`] rows to `path`.
pub fn write_invoices_xlsx(path: &Path, extra: Extra) -> Result<(), XlsxError> {
    write_invoices_xlsx_rows(path, extra, ROWS)
}

/// Writes the invoices workbook of the first `rows` invoices to `path`.
pub fn write_invoices_xlsx_rows(path: &Path, extra: Extra, rows: u32) -> Result<(), XlsxError> {
    let mut book = XlsxWorkbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("#,##0.00");
    let sheet: &mut Worksheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("Invoices")?;
    let mut headers = vec![
        "Customer",
        "Invoice",
        "Issue Date",
        "Due Date",
        "Net",
        "VAT Rate",
        "Currency",
    ];
    match extra {
        Extra::Nothing => {}
        Extra::Values => headers.extend(["VAT", "Gross", "Note"]),
        Extra::Formulas => headers.extend(["VAT", "Gross", "Terms"]),
    }
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for i in 0..rows {
        let inv = invoice(i);
        let r = i + 1;
        let net = inv.net_cents as f64 / 100.0;
        sheet.write_string(r, 0, &inv.customer)?;
        sheet.write_string(r, 1, &inv.number)?;
        sheet.write_datetime_with_format(r, 2, serial_date(inv.issue_serial), &date)?;
        sheet.write_datetime_with_format(r, 3, serial_date(inv.due_serial), &date)?;
        sheet.write_number_with_format(r, 4, net, &money)?;
        sheet.write_number(r, 5, inv.rate)?;
        sheet.write_string(r, 6, "EUR")?;
        let vat_cents = (inv.net_cents as f64 * inv.rate).round();
        let vat = vat_cents / 100.0;
        let gross = (inv.net_cents as f64 + vat_cents) / 100.0;
        let x = r + 1;
        match extra {
            Extra::Nothing => {}
            Extra::Values => {
                sheet.write_number_with_format(r, 7, vat, &money)?;
                sheet.write_number_with_format(r, 8, gross, &money)?;
                sheet.write_string(r, 9, "monthly services")?;
            }
            Extra::Formulas => {
                let vat_f = rust_xlsxwriter::Formula::new(format!("=ROUND(E{x}*F{x},2)"))
                    .set_result(vat.to_string());
                let gross_f = rust_xlsxwriter::Formula::new(format!("=E{x}+H{x}"))
                    .set_result(gross.to_string());
                let terms_f = rust_xlsxwriter::Formula::new(format!(
                    "=VLOOKUP(A{x},Customers!$A$2:$B${},2,FALSE)",
                    CUSTOMERS + 1
                ))
                .set_result(terms(i % CUSTOMERS).to_string());
                sheet.write_formula_with_format(r, 7, vat_f, &money)?;
                sheet.write_formula_with_format(r, 8, gross_f, &money)?;
                sheet.write_formula(r, 9, terms_f)?;
            }
        }
    }
    if extra == Extra::Formulas {
        add_customers_sheet(&mut book)?;
        let summary = book.add_worksheet();
        summary.set_name("Summary")?;
        summary.write_row(0, 0, ["Customer", "Net", "Gross"])?;
        for c in 0..CUSTOMERS {
            let r = c + 1;
            summary.write_string(r, 0, format!("Customer {c:03}"))?;
            summary.write_formula(
                r,
                1,
                format!("=SUMIFS(Invoices!E:E,Invoices!A:A,A{})", r + 1).as_str(),
            )?;
            summary.write_formula(
                r,
                2,
                format!("=SUMIFS(Invoices!I:I,Invoices!A:A,A{})", r + 1).as_str(),
            )?;
        }
    }
    book.save(path)
}

/// Adds the Customers sheet: `Customer | Terms Days`, one row per customer.
fn add_customers_sheet(book: &mut XlsxWorkbook) -> Result<(), XlsxError> {
    let customers = book.add_worksheet();
    customers.set_name("Customers")?;
    customers.write_row(0, 0, ["Customer", "Terms Days"])?;
    for c in 0..CUSTOMERS {
        customers.write_string(c + 1, 0, format!("Customer {c:03}"))?;
        customers.write_number(c + 1, 1, terms(c) as f64)?;
    }
    Ok(())
}

/// Payment terms of customer `c` in days.
fn terms(c: u32) -> u32 {
    [14, 30, 45, 60][(c % 4) as usize]
}

/// Writes the base columns plus VAT, Gross and Note as CSV (the same
/// values as [`Extra::Values`]).
pub fn write_invoices_csv(path: &Path) -> csv::Result<()> {
    let iso = |serial: i64| {
        sheetscript::model::value::date_from_serial(serial)
            .expect("date in range")
            .format("%Y-%m-%d")
            .to_string()
    };
    let mut out = csv::Writer::from_path(path)?;
    out.write_record([
        "Customer",
        "Invoice",
        "Issue Date",
        "Due Date",
        "Net",
        "VAT Rate",
        "Currency",
        "VAT",
        "Gross",
        "Note",
    ])?;
    for i in 0..ROWS {
        let inv = invoice(i);
        let vat_cents = (inv.net_cents as f64 * inv.rate).round() as i64;
        out.write_record([
            inv.customer,
            inv.number,
            iso(inv.issue_serial),
            iso(inv.due_serial),
            format!("{:.2}", inv.net_cents as f64 / 100.0),
            inv.rate.to_string(),
            "EUR".to_string(),
            format!("{:.2}", vat_cents as f64 / 100.0),
            format!("{:.2}", (inv.net_cents + vat_cents) as f64 / 100.0),
            "monthly services".to_string(),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// The baseline every ratio is measured against: read every value with
/// calamine and write it again with rust_xlsxwriter in constant memory.
pub fn plain_read_write(input: &Path, output: &Path) {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut book = open_workbook_auto(input).expect("open");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("range");
    let mut out = XlsxWorkbook::new();
    let sheet = out.add_worksheet_with_constant_memory().expect("sheet");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::String(s) => sheet.write_string(r, c, s).map(|_| ()),
                Data::Float(f) => sheet.write_number(r, c, *f).map(|_| ()),
                Data::Int(i) => sheet.write_number(r, c, *i as f64).map(|_| ()),
                Data::Bool(b) => sheet.write_boolean(r, c, *b).map(|_| ()),
                Data::DateTime(d) => sheet
                    .write_number_with_format(r, c, d.as_f64(), &date)
                    .map(|_| ()),
                _ => Ok(()),
            }
            .expect("write cell");
        }
    }
    out.save(output).expect("save");
}

/// VAT rate codes of the ledger workbook's `Rates` table, in the order of
/// the rates [`invoice`] cycles through.
const RATE_CODES: [(&str, f64); 3] = [("S", 0.21), ("R", 0.12), ("Z", 0.0)];

/// Customers the ledger workbook's Summary sheet totals (two formulas each,
/// 100 in all).
const SUMMARY_CUSTOMERS: u32 = 50;

/// Writes the ledger workbook of issue 12 with `rows` invoice rows to
/// `path`: an Invoices sheet `Invoice | Customer | Issue Date | Net | Rate |
/// VAT | Gross | Terms` whose last three columns are formulas
/// (`ROUND(D2*VLOOKUP(E2,Rates,2,0),2)`, `D2+F2`,
/// `VLOOKUP(B2,Customers,2,FALSE)`), the Rates and Customers tables behind
/// those names, and a Summary sheet of 100 SUMIFS/COUNTIFS over whole
/// columns. Formulas carry no cached value (`<f>..</f><v></v>`, no type),
/// the way openpyxl writes them, so every engine has to calculate.
pub fn write_ledger_xlsx(path: &Path, rows: u32) -> Result<(), Box<dyn std::error::Error>> {
    let mut book = XlsxWorkbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("#,##0.00");
    let sheet: &mut Worksheet = book.add_worksheet_with_low_memory()?;
    sheet.set_name("Invoices")?.set_formula_result_default("");
    sheet.write_row(
        0,
        0,
        [
            "Invoice",
            "Customer",
            "Issue Date",
            "Net",
            "Rate",
            "VAT",
            "Gross",
            "Terms",
        ],
    )?;
    for i in 0..rows {
        let inv = invoice(i);
        let (r, x) = (i + 1, i + 2);
        let code = RATE_CODES
            .iter()
            .find(|(_, rate)| *rate == inv.rate)
            .map(|(code, _)| *code)
            .expect("every invoice rate has a code");
        sheet.write_string(r, 0, &inv.number)?;
        sheet.write_string(r, 1, &inv.customer)?;
        sheet.write_datetime_with_format(r, 2, serial_date(inv.issue_serial), &date)?;
        sheet.write_number_with_format(r, 3, inv.net_cents as f64 / 100.0, &money)?;
        sheet.write_string(r, 4, code)?;
        let vat = format!("=ROUND(D{x}*VLOOKUP(E{x},Rates,2,0),2)");
        sheet.write_formula_with_format(r, 5, vat.as_str(), &money)?;
        sheet.write_formula_with_format(r, 6, format!("=D{x}+F{x}").as_str(), &money)?;
        sheet.write_formula(r, 7, format!("=VLOOKUP(B{x},Customers,2,FALSE)").as_str())?;
    }
    let rates = book.add_worksheet();
    rates.set_name("Rates")?;
    rates.write_row(0, 0, ["Code", "Rate"])?;
    for (r, (code, rate)) in (1..).zip(RATE_CODES) {
        rates.write_string(r, 0, code)?;
        rates.write_number(r, 1, rate)?;
    }
    add_customers_sheet(&mut book)?;
    let summary = book.add_worksheet();
    summary.set_name("Summary")?.set_formula_result_default("");
    summary.write_row(0, 0, ["Customer", "Gross", "Standard-rated invoices"])?;
    for c in 0..SUMMARY_CUSTOMERS {
        let (r, x) = (c + 1, c + 2);
        summary.write_string(r, 0, format!("Customer {c:03}"))?;
        let gross = format!("=SUMIFS(Invoices!G:G,Invoices!B:B,A{x})");
        summary.write_formula(r, 1, gross.as_str())?;
        let count = format!("=COUNTIFS(Invoices!B:B,A{x},Invoices!E:E,\"S\")");
        summary.write_formula(r, 2, count.as_str())?;
    }
    book.define_name("Rates", &format!("=Rates!$A$2:$B${}", RATE_CODES.len() + 1))?;
    book.define_name(
        "Customers",
        &format!("=Customers!$A$2:$B${}", CUSTOMERS + 1),
    )?;
    let staged = path.with_extension("staged.xlsx");
    book.save(&staged)?;
    let dropped = drop_formula_result_type(&staged, path);
    std::fs::remove_file(&staged)?;
    dropped
}

/// Copies the package at `from` to `to`, removing the `t="str"` that
/// rust_xlsxwriter puts on a formula cell whose result is empty, so the
/// cell holds a formula and no cached value at all.
fn drop_formula_result_type(from: &Path, to: &Path) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from)?)?;
    let mut out = zip::ZipWriter::new(std::fs::File::create(to)?);
    let options = zip::write::SimpleFileOptions::default();
    for index in 0..archive.len() {
        let mut part = archive.by_index(index)?;
        let name = part.name()?.to_string();
        let mut bytes = Vec::with_capacity(part.size() as usize);
        part.read_to_end(&mut bytes)?;
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(bytes).expect("rust_xlsxwriter writes UTF-8");
            bytes = text.replace(r#" t="str"><f>"#, "><f>").into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&bytes)?;
    }
    out.finish()?;
    Ok(())
}
