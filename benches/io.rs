//! Issue 2's speed check, on a 100k-row x 10-column invoices sheet:
//! - the plain pair: calamine read + rust_xlsxwriter constant-memory write
//!   of the same values (the baseline);
//! - write-back: `read_workbook` + one column changed in every row +
//!   `write_workbook` into xlsx (the package patcher);
//! - `sheetscript convert` of the same sheet from CSV to xlsx.
//!
//! Run with `cargo bench --bench io`. Each variant runs in its own child
//! process so peak memory is its own; medians of `SHEETSCRIPT_BENCH_RUNS`
//! (default 5) runs.

mod support;

use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as XlsxWorkbook};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

const ROWS: u32 = 100_000;
const HEADERS: [&str; 10] = [
    "Customer",
    "Invoice",
    "Issue Date",
    "Due Date",
    "Net",
    "VAT Rate",
    "VAT",
    "Gross",
    "Currency",
    "Note",
];

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if let Some(variant) = requested_variant() {
        match variant.as_str() {
            "plain" => plain_pair(&args[0], &args[1]),
            "writeback" => write_back(&args[0], &args[1]),
            other => panic!("unknown variant {other}"),
        }
        return;
    }
    if args.iter().any(|a| a == "--list") {
        println!("io: benchmark");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let xlsx = dir.path().join("invoices-100k.xlsx");
    let csv = dir.path().join("invoices-100k.csv");
    make_inputs(&xlsx, &csv);
    let out = dir.path().join("out.xlsx");
    let runs = runs();
    println!("100k rows x 10 columns, {runs} runs each, medians:");
    let plain = repeat(runs, || measure_variant("plain", &[&xlsx, &out]));
    report("plain pair (calamine + xlsxwriter)", plain, plain);
    let writeback = repeat(runs, || measure_variant("writeback", &[&xlsx, &out]));
    report("write-back (one column changed)", writeback, plain);
    let convert = repeat(runs, || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sheetscript"));
        cmd.arg("--quiet")
            .arg("convert")
            .arg(&csv)
            .arg("-o")
            .arg(&out);
        measure(cmd)
    });
    report("sheetscript convert CSV -> xlsx", convert, plain);
}

/// The deterministic input: invoice-like rows as xlsx and as CSV.
fn make_inputs(xlsx: &Path, csv: &Path) {
    let mut book = XlsxWorkbook::new();
    let sheet = book.add_worksheet_with_constant_memory().expect("sheet");
    sheet.set_name("Invoices").expect("sheet name");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("#,##0.00");
    let mut text = csv::Writer::from_path(csv).expect("csv");
    text.write_record(HEADERS).expect("csv header");
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    for i in 0..ROWS {
        let r = i + 1;
        let customer = format!("Customer {:03}", i % 250);
        let invoice = format!("INV-{:06}", i + 1);
        let issue_serial = 45_658 + i64::from(i % 330);
        let due_serial = issue_serial + 30;
        let issue = ExcelDateTime::from_serial_datetime(issue_serial as f64).expect("date");
        let due = ExcelDateTime::from_serial_datetime(due_serial as f64).expect("date");
        let net_cents = 1_000 + (i as i64 * 7_919) % 250_000;
        let net = net_cents as f64 / 100.0;
        let rate = [0.21, 0.12, 0.0][(i % 3) as usize];
        let vat = (net_cents as f64 * rate).round() / 100.0;
        let gross = (net_cents as f64 + (net_cents as f64 * rate).round()) / 100.0;
        sheet.write_string(r, 0, &customer).expect("cell");
        sheet.write_string(r, 1, &invoice).expect("cell");
        sheet
            .write_datetime_with_format(r, 2, &issue, &date)
            .expect("cell");
        sheet
            .write_datetime_with_format(r, 3, &due, &date)
            .expect("cell");
        sheet
            .write_number_with_format(r, 4, net, &money)
            .expect("cell");
        sheet.write_number(r, 5, rate).expect("cell");
        sheet
            .write_number_with_format(r, 6, vat, &money)
            .expect("cell");
        sheet
            .write_number_with_format(r, 7, gross, &money)
            .expect("cell");
        sheet.write_string(r, 8, "EUR").expect("cell");
        sheet.write_string(r, 9, "monthly services").expect("cell");
        let iso = |serial: i64| {
            sheetscript::model::value::date_from_serial(serial)
                .expect("date in range")
                .format("%Y-%m-%d")
                .to_string()
        };
        text.write_record([
            customer,
            invoice,
            iso(issue_serial),
            iso(due_serial),
            format!("{net:.2}"),
            format!("{rate}"),
            format!("{vat:.2}"),
            format!("{gross:.2}"),
            "EUR".to_string(),
            "monthly services".to_string(),
        ])
        .expect("csv row");
    }
    book.save(xlsx).expect("save xlsx");
    text.flush().expect("csv flush");
}

/// The baseline: what any tool must do at least, read every value with
/// calamine and write it again with rust_xlsxwriter in constant memory.
fn plain_pair(input: &Path, output: &Path) {
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

/// Write-back through sheetscript: read, change the Gross column in every
/// row, write into xlsx (patching the package).
fn write_back(input: &Path, output: &Path) {
    use sheetscript::io::read::{read_workbook, ReadOptions};
    use sheetscript::io::write::{write_workbook, WriteOptions};
    use sheetscript::model::{CellAddr, Number, Value};
    let mut book = read_workbook(input, &ReadOptions::default()).expect("read");
    let sheet = &mut book.sheets[0];
    let rate = Number::from_f64(1.21);
    for row in 1..=ROWS {
        let net = sheet.value(CellAddr::new(row, 4)).as_number().expect("net");
        sheet.set_value(
            CellAddr::new(row, 7),
            Value::Number((net * rate).round_half_away(2)),
        );
    }
    let options = WriteOptions {
        strict: false,
        in_place: false,
        progress: sheetscript::progress::Progress::hidden(),
    };
    write_workbook(&book, output, &options).expect("write");
}
