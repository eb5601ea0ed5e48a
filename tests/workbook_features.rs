//! End-to-end tests of the workbook features real Excel files rely on:
//! other workbooks' saved values, functions absent here (VBA, add-ins),
//! iterative calculation, hidden rows and defined names, through
//! `sheetscript recalc` on workbooks made by hand.

mod support;

use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::{Path, PathBuf};
use support::{hand_made_xlsx_with, linked_xlsx, recalc_into, HandMade};

/// Recalculates `input` into `out.xlsx` beside it; the warnings and the
/// values of sheet "Data".
fn recalc(input: &Path) -> (String, calamine::Range<Data>) {
    let output = input.with_file_name("out.xlsx");
    let out = recalc_into(input, &output, &["--now", "2026-11-27T09:00:00"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let mut xl: Xlsx<_> = open_workbook(&output).unwrap();
    (stderr, xl.worksheet_range("Data").unwrap())
}

fn cell(range: &calamine::Range<Data>, a1: &str) -> Data {
    let addr = sheetscript::model::CellAddr::parse(a1).unwrap();
    range
        .get_value((addr.row, addr.col))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn sheet(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

fn book(
    dir: &Path,
    before: &str,
    after: &str,
    rows: &str,
    extra: &[(&str, &str)],
    rels: &str,
) -> PathBuf {
    book_of_sheet(dir, before, after, &sheet(rows), extra, rels)
}

/// [`book`] around a whole worksheet part.
fn book_of_sheet(
    dir: &Path,
    before: &str,
    after: &str,
    sheet_xml: &str,
    extra: &[(&str, &str)],
    rels: &str,
) -> PathBuf {
    let path = dir.join("in.xlsx");
    let made = HandMade {
        sheet: "Data",
        before_sheets: before,
        after_sheets: after,
        date_style: false,
        shared_strings: None,
    };
    hand_made_xlsx_with(&path, &made, sheet_xml, extra, rels);
    path
}

/// A workbook of `rows` linked to Rates.xlsx, whose saved values its
/// external link part holds.
fn linked_book(dir: &Path, rows: &str) -> PathBuf {
    let path = dir.join("in.xlsx");
    linked_xlsx(&path, &sheet(rows));
    path
}

#[test]
fn external_references_take_the_values_excel_saved() {
    let dir = tempfile::tempdir().unwrap();
    let rows = r#"<row r="1"><c r="A1"><f>[1]Rates!B2*2</f><v>0</v></c><c r="B1"><f>SUM([1]Rates!B2:B3)</f><v>0</v></c><c r="C1"><f>[1]!FxRate</f><v>0</v></c><c r="D1"><f>'[1]Q1 Plan'!A1+1</f><v>0</v></c><c r="E1" t="str"><f>[1]Rates!C2</f><v></v></c></row>"#;
    let input = linked_book(dir.path(), rows);
    let (warnings, data) = recalc(&input);
    assert_eq!(cell(&data, "A1"), Data::Float(2.5));
    assert_eq!(cell(&data, "B1"), Data::Float(3.75));
    assert_eq!(cell(&data, "C1"), Data::Float(1.25));
    assert_eq!(cell(&data, "D1"), Data::Float(101.0));
    assert_eq!(cell(&data, "E1"), Data::String("EUR".into()));
    assert!(
        warnings.contains("external workbook file:///C:/Finance/Rates.xlsx"),
        "{warnings}"
    );
    assert!(!warnings.contains("not understood"), "{warnings}");
}

#[test]
fn absent_functions_keep_the_value_excel_saved() {
    let dir = tempfile::tempdir().unwrap();
    // A VBA function, an add-in function of another workbook and one
    // without a saved value.
    let rows = r#"<row r="1"><c r="A1"><f>MyVbaRate(B1)</f><v>0.21</v></c><c r="B1"><v>3</v></c><c r="C1"><f>[1]!HsGetValue("Sales","2026")</f><v>1234.5</v></c><c r="D1"><f>NoSuchFunction(1)</f></c><c r="E1"><f>A1*100</f><v>0</v></c></row>"#;
    let input = linked_book(dir.path(), rows);
    let (warnings, data) = recalc(&input);
    assert_eq!(cell(&data, "A1"), Data::Float(0.21));
    assert_eq!(cell(&data, "C1"), Data::Float(1234.5));
    assert!(matches!(
        cell(&data, "D1"),
        Data::Error(calamine::CellErrorType::Name)
    ));
    assert_eq!(cell(&data, "E1"), Data::Float(21.0));
    let named = |name: &str| warnings.lines().filter(|l| l.contains(name)).count();
    assert_eq!(named("MYVBARATE"), 1, "{warnings}");
    assert_eq!(named("[1]!HSGETVALUE"), 1, "{warnings}");
    assert!(
        warnings.contains("unknown function NOSUCHFUNCTION"),
        "{warnings}"
    );
}

#[test]
fn a_workbook_saved_with_iteration_computes_its_cycles() {
    let dir = tempfile::tempdir().unwrap();
    // Interest on an average balance that includes the interest: the
    // circular model iterative calculation exists for.
    let rows = r#"<row r="1"><c r="A1"><v>1000</v></c><c r="B1"><f>(A1+C1)*0.1</f><v>0</v></c><c r="C1"><f>A1+B1</f><v>0</v></c></row>"#;
    let input = book(
        dir.path(),
        "",
        r#"<calcPr calcId="191029" iterate="1" iterateCount="100" iterateDelta="0.000001"/>"#,
        rows,
        &[],
        "",
    );
    let (warnings, data) = recalc(&input);
    // B = (1000 + 1000 + B) * 0.1, so B = 200 / 0.9.
    let Data::Float(b1) = cell(&data, "B1") else {
        panic!("{:?}", cell(&data, "B1"));
    };
    assert!((b1 - 200.0 / 0.9).abs() < 1e-5, "{b1}");
    assert!(!warnings.contains("reference cycle"), "{warnings}");
    // Saved without iteration, the same cycle is #CIRC! with a warning.
    let input = book(dir.path(), "", "", rows, &[], "");
    let (warnings, data) = recalc(&input);
    assert!(warnings.contains("reference cycle"), "{warnings}");
    // The writer stores the #CIRC! marker as the cell's text.
    assert_eq!(cell(&data, "B1"), Data::String("#CIRC!".into()));
}

/// Recalculates a workbook whose sheet "Data" holds 10..60 in A2:A7 under
/// a header, an autoFilter over A1:A5 that hid rows 3 and 4, row 7 hidden
/// by hand, and SUBTOTAL(9) and SUBTOTAL(109) over A1:A7 in B9 and C9;
/// checks both and that the xlsx written keeps the rows and the filter.
fn assert_filtered_subtotals(input: &Path) {
    let (warnings, data) = recalc(input);
    let number = |a1| match cell(&data, a1) {
        Data::Float(f) => f,
        other => panic!("{a1}: {other:?} ({warnings})"),
    };
    // SUBTOTAL 9 leaves out the filtered rows, keeps the one hidden by hand.
    assert_eq!(number("B9"), 160.0);
    // 109 leaves out every hidden row.
    assert_eq!(number("C9"), 100.0);
    let part = written_sheet(input);
    assert_eq!(part.matches(r#"hidden="1""#).count(), 3, "{part}");
    assert!(part.contains(r#"<autoFilter ref="A1:A5""#), "{part}");
}

/// The first sheet part of the `out.xlsx` [`recalc`] wrote beside `input`.
fn written_sheet(input: &Path) -> String {
    let output = input.with_file_name("out.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&output).unwrap()).unwrap();
    let mut part = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut part,
    )
    .unwrap();
    part
}

/// The hidden rows of an .xls (Row records) and its autoFilter (an
/// AutoFilterInfo record and the sheet's `_FilterDatabase` name): rows 2-7
/// hold 10..60 under a header, the filter over A1:A5 hid rows 3 and 4,
/// row 7 was hidden by hand.
#[test]
fn subtotal_leaves_out_the_hidden_rows_of_an_xls() {
    use support::biff::{self, Biff8, BiffSheet};
    let dir = tempfile::tempdir().unwrap();
    let mut cells = vec![biff::auto_filter_info(1), biff::row(0, false)];
    cells.push(biff::number(0, 0, 0.0));
    for (row, value) in (1..=6u16).zip((10..=60).step_by(10)) {
        cells.push(biff::row(row, [2, 3, 6].contains(&row)));
        cells.push(biff::number(row, 0, f64::from(value)));
    }
    cells.push(biff::formula(8, 1, 0.0, &biff::subtotal(9, (0, 6))));
    cells.push(biff::formula(8, 2, 0.0, &biff::subtotal(109, (0, 6))));
    let book = Biff8 {
        sheets: vec![BiffSheet {
            name: "Data".into(),
            cells,
        }],
        names: vec![("\u{0D}".into(), 1, biff::area3d(0, (0, 4), (0, 0)))],
        ..Biff8::default()
    };
    let input = dir.path().join("filtered.xls");
    biff::write_xls(&input, &book);
    assert_filtered_subtotals(&input);
}

/// An .xlsb made record by record: rows 2-7 hold 10..60 under a header,
/// the autoFilter over A1:A5 hid rows 3 and 4, row 7 was hidden by hand.
#[test]
fn subtotal_leaves_out_the_hidden_rows_of_an_xlsb() {
    use support::xlsb::{self, Xlsb, XlsbSheet};
    let dir = tempfile::tempdir().unwrap();
    let mut records = vec![xlsb::row(0), xlsb::real(0, 0.0)];
    for (row, value) in (1..=6u32).zip((10..=60).step_by(10)) {
        records.push(if [2, 3, 6].contains(&row) {
            xlsb::hidden_row(row)
        } else {
            xlsb::row(row)
        });
        records.push(xlsb::real(0, f64::from(value)));
    }
    records.push(xlsb::row(8));
    records.push(xlsb::formula_number(
        1,
        0.0,
        &xlsb::subtotal_tokens(9, (0, 6)),
    ));
    records.push(xlsb::formula_number(
        2,
        0.0,
        &xlsb::subtotal_tokens(109, (0, 6)),
    ));
    records.push(xlsb::auto_filter((0, 4), (0, 0)));
    let book = Xlsb {
        sheets: vec![XlsbSheet {
            name: "Data".into(),
            dimension: [0, 8, 0, 2],
            records,
        }],
        ..Xlsb::default()
    };
    let input = dir.path().join("filtered.xlsb");
    xlsb::write_xlsb(&input, &book);
    assert_filtered_subtotals(&input);
}

/// An .ods made by hand: rows 2-7 hold 10..60 under a header; the filter
/// over A1:A5 (a database range with buttons) hid rows 3 and 4, row 7 is
/// collapsed by hand.
#[test]
fn subtotal_leaves_out_the_hidden_rows_of_an_ods() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let cell =
        |v: i32| format!(r#"<table:table-cell office:value-type="float" office:value="{v}"/>"#);
    let mut rows = format!("<table:table-row>{}</table:table-row>", cell(0));
    for (row, value) in (2..=7).zip((10..=60).step_by(10)) {
        let visibility = match row {
            3 | 4 => r#" table:visibility="filter""#,
            7 => r#" table:visibility="collapse""#,
            _ => "",
        };
        rows.push_str(&format!(
            "<table:table-row{visibility}>{}</table:table-row>",
            cell(value)
        ));
    }
    rows.push_str("<table:table-row><table:table-cell/></table:table-row>");
    let formula = |f: &str| {
        format!(
            r#"<table:table-cell table:formula="of:={f}" office:value-type="float" office:value="0"/>"#
        )
    };
    rows.push_str(&format!(
        "<table:table-row><table:table-cell/>{}{}</table:table-row>",
        formula("SUBTOTAL(9;[.A1:.A7])"),
        formula("SUBTOTAL(109;[.A1:.A7])")
    ));
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Data">{rows}</table:table><table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" table:target-range-address="Data.A1:Data.A5" table:display-filter-buttons="true"/></table:database-ranges></office:spreadsheet></office:body></office:document-content>"#
    );
    let input = dir.path().join("filtered.ods");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&input).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.finish().unwrap();
    assert_filtered_subtotals(&input);
}

#[test]
fn subtotal_and_aggregate_leave_out_hidden_and_filtered_rows() {
    let dir = tempfile::tempdir().unwrap();
    // Rows 2-7 hold 10..60 under a header. The autoFilter over A1:A5 hid
    // rows 3 and 4 (20, 30); row 7 (60) was hidden by hand.
    let mut rows = String::from(r#"<row r="1"><c r="A1"><v>0</v></c></row>"#);
    for (row, value) in (2..=7).zip((10..=60).step_by(10)) {
        let hidden = if [3, 4, 7].contains(&row) {
            r#" hidden="1""#
        } else {
            ""
        };
        rows.push_str(&format!(
            r#"<row r="{row}"{hidden}><c r="A{row}"><v>{value}</v></c></row>"#
        ));
    }
    rows.push_str(
        r#"<row r="9"><c r="B9"><f>SUBTOTAL(9,A1:A7)</f><v>0</v></c><c r="C9"><f>SUBTOTAL(109,A1:A7)</f><v>0</v></c><c r="D9"><f>AGGREGATE(9,5,A1:A7)</f><v>0</v></c><c r="E9"><f>AGGREGATE(9,6,A1:A7)</f><v>0</v></c><c r="F9"><f>SUM(A1:A7)</f><v>0</v></c><c r="G9"><f>SUBTOTAL(103,A1:A7)</f><v>0</v></c></row>"#,
    );
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData><autoFilter ref="A1:A5"><filterColumn colId="0"><filters><filter val="10"/><filter val="40"/></filters></filterColumn></autoFilter></worksheet>"#
    );
    let input = book_of_sheet(dir.path(), "", "", &xml, &[], "");
    let (warnings, data) = recalc(&input);
    let number = |a1| match cell(&data, a1) {
        Data::Float(f) => f,
        other => panic!("{a1}: {other:?} ({warnings})"),
    };
    assert_eq!(number("F9"), 210.0);
    // SUBTOTAL 9 leaves out the filtered rows, keeps the one hidden by hand.
    assert_eq!(number("B9"), 160.0);
    // 109 and AGGREGATE option 5 leave out every hidden row.
    assert_eq!(number("C9"), 100.0);
    assert_eq!(number("D9"), 100.0);
    assert_eq!(number("E9"), 210.0);
    assert_eq!(number("G9"), 4.0);
    // The written workbook keeps the rows hidden and the filter.
    let part = written_sheet(&input);
    assert_eq!(part.matches(r#"hidden="1""#).count(), 3, "{part}");
    assert!(part.contains(r#"<autoFilter ref="A1:A5">"#), "{part}");
}

/// A what-if data table whose input cell was deleted (`del1`) cannot be
/// filled: its cells keep Excel's values, and the user hears so when the
/// file is read. (Tables with input cells: tests/data_tables.rs.)
#[test]
fn a_data_table_without_input_cells_is_named_when_read() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*10</f><v>20</v></c></row>
<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f t="dataTable" ref="B2:B4" dt2D="0" dtr="0" r1="A1" del1="1"/><v>10</v></c></row>
<row r="3"><c r="A3"><v>3</v></c><c r="B3"><v>30</v></c></row>
<row r="4"><c r="A4"><v>5</v></c><c r="B4"><v>50</v></c></row>
</sheetData></worksheet>"#;
    let path = support::one_sheet_xlsx(dir.path(), "table.xlsx", sheet);
    let (out, recalc) = support::recalc(&path);
    assert!(recalc.status.success());
    let said = String::from_utf8_lossy(&recalc.stderr);
    assert!(
        said.contains(
            "sheet \"Data\": B2:B4 is a what-if data table (TABLE) without input cells, which cannot be computed"
        ),
        "{said}"
    );
    let xml = support::package::entry_text(&out, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"t="dataTable""#), "{xml}");
}
