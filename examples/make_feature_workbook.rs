//! Generates `tests/data/features.xlsx`, the workbook the patcher tests
//! edit: one file carrying every feature a user's workbook may have (chart,
//! image, note, conditional format, data validation, table, defined names,
//! hyperlinks, merged cells, column widths, freeze panes, shared strings,
//! dates, number formats, formulas with cached results, a hidden sheet and
//! a calculation chain as Excel writes one).
//!
//! Deterministic: the creation time is fixed and rust_xlsxwriter writes
//! fixed zip timestamps, so running it again gives the same bytes.
//!
//! ```text
//! cargo run --example make_feature_workbook [OUTPUT]
//! ```

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation,
    DocProperties, ExcelDateTime, Format, Formula, Image, Note, Table, TableColumn, Url, Workbook,
    XlsxError,
};
use std::io::{Cursor, Read, Write};

/// A 2x2 red PNG, so the workbook carries an image without a binary file
/// in the repository.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xFD, 0xD4, 0x9A,
    0x73, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xC0,
    0xF0, 0x9F, 0x81, 0x81, 0xE1, 0x3F, 0x03, 0x03, 0x03, 0x00, 0x1F, 0xEE, 0x03, 0xFD, 0x9F, 0x6B,
    0x1D, 0x10, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

const CUSTOMERS: [&str; 4] = ["Acme GmbH", "Bäckerei Löffler", "Café & Co", "Acme GmbH"];

fn build() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title("sheetscript feature workbook")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00 [$EUR]");
    let percent = Format::new().set_num_format("0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let three = Format::new().set_num_format("0.000");
    let red = Format::new()
        .set_font_color("#9C0006")
        .set_background_color("#FFC7CE");

    // Invoices: a table of typed data with formulas.
    let ws = wb.add_worksheet().set_name("Invoices")?;
    for (c, h) in [
        "Date", "Customer", "Net", "VAT rate", "VAT", "Gross", "Paid",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for i in 0..8u32 {
        let r = i + 1;
        let day = ExcelDateTime::from_ymd(2026, 1 + (i % 12) as u8, 1 + i as u8)?;
        ws.write_datetime_with_format(r, 0, &day, &date)?;
        ws.write_string(r, 1, CUSTOMERS[i as usize % CUSTOMERS.len()])?;
        let net = 100.0 + 125.5 * f64::from(i);
        ws.write_number_with_format(r, 2, net, &money)?;
        let rate = if i % 3 == 0 { 0.07 } else { 0.19 };
        ws.write_number_with_format(r, 3, rate, &percent)?;
        let vat = net * rate;
        ws.write_formula_with_format(
            r,
            4,
            Formula::new(format!("=ROUND(C{}*D{},2)", r + 1, r + 1))
                .set_result(format!("{}", (vat * 100.0).round() / 100.0)),
            &money,
        )?;
        ws.write_formula_with_format(
            r,
            5,
            Formula::new(format!("=C{}+E{}", r + 1, r + 1))
                .set_result(format!("{}", net + (vat * 100.0).round() / 100.0)),
            &money,
        )?;
        ws.write_boolean(r, 6, i % 2 == 0)?;
    }
    let columns: Vec<TableColumn> = [
        "Date", "Customer", "Net", "VAT rate", "VAT", "Gross", "Paid",
    ]
    .iter()
    .map(|h| TableColumn::new().set_header(*h))
    .collect();
    ws.add_table(
        0,
        0,
        8,
        6,
        &Table::new().set_name("Invoices").set_columns(&columns),
    )?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 22)?;
    ws.insert_note(
        1,
        1,
        &Note::new("First customer of the year").set_author("sheetscript"),
    )?;
    ws.add_conditional_format(
        1,
        2,
        8,
        2,
        &ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(500))
            .set_format(&red),
    )?;
    ws.add_data_validation(
        1,
        3,
        8,
        3,
        &DataValidation::new().allow_list_strings(&["0.07", "0.19"])?,
    )?;

    // Summary: formulas over the other sheets, a chart, an image, links.
    let ws = wb.add_worksheet().set_name("Summary 2026")?;
    ws.merge_range(0, 0, 0, 3, "Invoice summary", &bold)?;
    ws.write_string(1, 0, "Total net")?;
    ws.write_formula_with_format(
        1,
        1,
        Formula::new("=SUM(Invoices!C2:C9)").set_result("4300"),
        &money,
    )?;
    ws.write_string(2, 0, "VAT rate")?;
    ws.write_formula_with_format(2, 1, Formula::new("=VatRate").set_result("0.19"), &percent)?;
    ws.write_string(3, 0, "Precise")?;
    ws.write_number_with_format(3, 1, 1.0 / 3.0, &three)?;
    ws.write_url(
        4,
        0,
        Url::new("https://example.com/invoices").set_text("Portal"),
    )?;
    ws.write_url(
        5,
        0,
        Url::new("internal:Invoices!A1").set_text("To invoices"),
    )?;
    ws.set_column_width(0, 18)?;
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_categories("Invoices!$B$2:$B$9")
        .set_values("Invoices!$C$2:$C$9")
        .set_name("Net");
    ws.insert_chart(7, 0, &chart)?;
    ws.insert_image(1, 5, &Image::new_from_buffer(PNG)?)?;

    // Settings: referred to by a defined name.
    let ws = wb.add_worksheet().set_name("Settings")?;
    ws.write_string(0, 0, "VAT rate")?;
    ws.write_number_with_format(0, 1, 0.19, &percent)?;

    // Hidden: a hidden sheet with a constant.
    let ws = wb.add_worksheet().set_name("Hidden")?;
    ws.write_string(0, 0, "secret")?;
    ws.set_hidden(true);

    wb.define_name("VatRate", "=Settings!$B$1")?;
    wb.define_name("Invoices!LocalNet", "=Invoices!$C$2:$C$9")?;
    let bytes = wb.save_to_buffer()?;
    Ok(add_calc_chain(&bytes))
}

/// rust_xlsxwriter does not write a calculation chain; Excel always does,
/// and the patcher must drop it, so one is added here the way Excel lays
/// it out (part, relationship and content-type override).
fn add_calc_chain(xlsx: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).expect("rust_xlsxwriter output");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut chain = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    for r in 2..=9 {
        chain.push_str(&format!(r#"<c r="E{r}" i="1"/><c r="F{r}"/>"#));
    }
    chain.push_str(r#"<c r="B2" i="2"/><c r="B3"/></calcChain>"#);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("entry name").to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("zip entry");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let bytes = match name.as_str() {
            "[Content_Types].xml" => text.replace(
                "</Types>",
                r#"<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>"#,
            ).into_bytes(),
            "xl/_rels/workbook.xml.rels" => text.replace(
                "</Relationships>",
                r#"<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>"#,
            ).into_bytes(),
            _ => bytes,
        };
        drop(file);
        out.start_file(name.as_str(), options).expect("zip entry");
        out.write_all(&bytes).expect("zip write");
        if name == "xl/workbook.xml" {
            out.start_file("xl/calcChain.xml", options)
                .expect("zip entry");
            out.write_all(chain.as_bytes()).expect("zip write");
        }
    }
    out.finish().expect("zip finish").into_inner()
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/data/features.xlsx".to_string());
    match build() {
        Ok(bytes) => {
            if let Err(e) = std::fs::write(&path, bytes) {
                eprintln!("cannot write {path}: {e}");
                std::process::exit(1);
            }
            println!("wrote {path}");
        }
        Err(e) => {
            eprintln!("cannot build the workbook: {e}");
            std::process::exit(1);
        }
    }
}
