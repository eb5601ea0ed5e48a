//! What-if data tables (Data > What-If Analysis > Data Table): Excel fills
//! each cell by giving the input cells the values heading its row and
//! column and taking the formula's result. The engine fills them on every
//! recalculation that follows a change, and the xlsx keeps the table.

mod support;

use calamine::Data;
use std::path::{Path, PathBuf};
use support::package::{entry_text, read_back};
use support::sheetscript;

/// Sheet "Data", three tables, their saved values all wrong (0):
/// - one variable down a column: input A1 (2), formula B1 `=A1*10`,
///   headings A2:A4 = 1, 3, 5, table B2:B4;
/// - one variable across a row: input F1 (5), formula A6 `=F1+100`,
///   headings B5:D5 = 1, 2, 3, table B6:D6;
/// - two variables: row input H1 (1), column input H2 (1), formula A8
///   `=H1*H2`, headings B8:C8 = 2, 3 and A9:A10 = 10, 20, table B9:C10;
/// - E12 `=SUM(B9:C10)` reads the last table.
fn tables_xlsx(dir: &Path) -> PathBuf {
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*10</f><v>20</v></c><c r="F1"><v>5</v></c><c r="H1"><v>1</v></c></row>
<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f t="dataTable" ref="B2:B4" dt2D="0" dtr="0" r1="A1"/><v>0</v></c><c r="H2"><v>1</v></c></row>
<row r="3"><c r="A3"><v>3</v></c><c r="B3"><v>0</v></c></row>
<row r="4"><c r="A4"><v>5</v></c><c r="B4"><v>0</v></c></row>
<row r="5"><c r="B5"><v>1</v></c><c r="C5"><v>2</v></c><c r="D5"><v>3</v></c></row>
<row r="6"><c r="A6"><f>F1+100</f><v>105</v></c><c r="B6"><f t="dataTable" ref="B6:D6" dt2D="0" dtr="1" r1="F1"/><v>0</v></c><c r="C6"><v>0</v></c><c r="D6"><v>0</v></c></row>
<row r="8"><c r="A8"><f>H1*H2</f><v>1</v></c><c r="B8"><v>2</v></c><c r="C8"><v>3</v></c></row>
<row r="9"><c r="A9"><v>10</v></c><c r="B9"><f t="dataTable" ref="B9:C10" dt2D="1" dtr="0" r1="H1" r2="H2"/><v>0</v></c><c r="C9"><v>0</v></c></row>
<row r="10"><c r="A10"><v>20</v></c><c r="B10"><v>0</v></c><c r="C10"><v>0</v></c></row>
<row r="12"><c r="E12"><f>SUM(B9:C10)</f><v>0</v></c></row>
</sheetData></worksheet>"#;
    support::one_sheet_xlsx(dir, "tables.xlsx", sheet)
}

fn n(x: f64) -> Data {
    Data::Float(x)
}

#[test]
fn recalc_fills_every_kind_of_data_table_and_keeps_it_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let input = tables_xlsx(dir.path());
    let (out, _) = support::recalc_ok(&input);
    let at = |a1| read_back(&out, "Data", a1);
    assert_eq!((at("B2"), at("B3"), at("B4")), (n(10.0), n(30.0), n(50.0)));
    assert_eq!(
        (at("B6"), at("C6"), at("D6")),
        (n(101.0), n(102.0), n(103.0))
    );
    assert_eq!((at("B9"), at("C9")), (n(20.0), n(30.0)));
    assert_eq!((at("B10"), at("C10")), (n(40.0), n(60.0)));
    assert_eq!(
        at("E12"),
        n(150.0),
        "a formula reading a table sees it filled"
    );
    // The input cells and the formulas keep their own values.
    assert_eq!(
        (at("A1"), at("B1"), at("F1"), at("A6")),
        (n(2.0), n(20.0), n(5.0), n(105.0))
    );
    assert_eq!((at("H1"), at("H2"), at("A8")), (n(1.0), n(1.0), n(1.0)));
    let xml = entry_text(&out, "xl/worksheets/sheet1.xml");
    for table in [
        r#"<c r="B2"><f t="dataTable" ref="B2:B4" dt2D="0" dtr="0" r1="A1"/><v>10</v></c>"#,
        r#"<c r="B6"><f t="dataTable" ref="B6:D6" dt2D="0" dtr="1" r1="F1"/><v>101</v></c>"#,
        r#"<f t="dataTable" ref="B9:C10" dt2D="1" dtr="0" r1="H1" r2="H2"/><v>20</v>"#,
    ] {
        assert!(xml.contains(table), "{table} in {xml}");
    }
}

#[test]
fn a_run_that_changes_a_heading_or_the_model_refills_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let input = tables_xlsx(dir.path());
    // A new heading, and a changed formula the one-variable table uses.
    let (out, said) = support::run_script_ok(
        &input,
        "let s = sheet(\"Data\");\ns[\"A3\"] = 7;\ns.fill_formula(\"B1\", \"=A1*100\");\nprint(s[\"B3\"]);\n",
    );
    // The script read the table after its changes (print writes to
    // stderr, before the summary).
    assert!(said.starts_with("700"), "{said}");
    let at = |a1| read_back(&out, "Data", a1);
    assert_eq!(
        (at("B2"), at("B3"), at("B4")),
        (n(100.0), n(700.0), n(500.0))
    );
    assert_eq!(at("A1"), n(2.0), "the input cell keeps its own value");
}

#[test]
fn a_table_whose_input_holds_a_formula_keeps_its_values_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f>A1*10</f><v>20</v></c></row>
<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f t="dataTable" ref="B2:B2" dt2D="0" dtr="0" r1="A1"/><v>7</v></c></row>
</sheetData></worksheet>"#;
    let input = support::one_sheet_xlsx(dir.path(), "formula-input.xlsx", sheet);
    let (out, said) = support::recalc_ok(&input);
    assert!(
        said.contains("the data table B2 is not filled: its input cell A1 holds a formula"),
        "{said}"
    );
    assert_eq!(read_back(&out, "Data", "B2"), n(7.0));
}

#[test]
fn libreoffice_fills_the_tables_as_recalc_does() {
    let Some(soffice) = support::external::soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = tables_xlsx(dir.path());
    let rows = support::external::libreoffice_rows(&soffice, &input, dir.path(), true);
    let lo = |row: usize, col: usize| rows[row][col].clone();
    let (out, _) = support::recalc_ok(&input);
    for (a1, row, col) in [
        ("B2", 1, 1),
        ("B4", 3, 1),
        ("C6", 5, 2),
        ("B9", 8, 1),
        ("C10", 9, 2),
        ("E12", 11, 4),
    ] {
        let ours = match read_back(&out, "Data", a1) {
            Data::Float(x) => x.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(lo(row, col), ours, "{a1}: LibreOffice against recalc");
    }
}

#[test]
fn a_script_cannot_write_into_a_data_table() {
    let dir = tempfile::tempdir().unwrap();
    let input = tables_xlsx(dir.path());
    let (out, said) = support::run_script(&input, "let s = sheet(\"Data\");\ns[\"B3\"] = 5;\n");
    assert!(!said.status.success());
    let stderr = String::from_utf8_lossy(&said.stderr);
    assert!(
        stderr.contains("Data!B3 is part of the what-if data table B2:B4"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn explain_names_the_table_a_cell_is_filled_by() {
    let dir = tempfile::tempdir().unwrap();
    let input = tables_xlsx(dir.path());
    let out = sheetscript(&["explain", input.to_str().unwrap(), "Data!C10"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            "Data!C10 = 60   filled by the what-if data table Data!B9:C10: Data!A8 computed \
             with Data!H1 = Data!C8 and Data!H2 = Data!A10\n"
        ),
        "{text}"
    );
    assert!(text.contains("Data!A8 = 1   =H1*H2"), "{text}");
}
