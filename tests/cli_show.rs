//! `sheetscript show` end to end, through the built binary.

mod support;

use support::{ok, sheetscript};

use std::path::Path;
use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn shows_every_sample() {
    let cases = [
        (
            "samples/invoices.xlsx",
            vec![
                "Invoices: A1:G41",
                "table Invoices",
                "Summary: A1:B4 (4 rows × 2 columns), 4 formulas",
                "INV-2026-001",
            ],
        ),
        (
            "samples/ledger.xlsx",
            vec!["Ledger: A1:E61", "Accounts: A1:C11", "Capital contribution"],
        ),
        (
            "samples/payroll.xlsx",
            vec!["Payroll: A1:E13", "Jana Nováková"],
        ),
        (
            "samples/bank.xlsx",
            vec!["Statement: A1:D45", "Poplatek za vedení účtu"],
        ),
        (
            "samples/bank-statement.csv",
            vec!["A1:D45", "Částka", "Platba faktury"],
        ),
        (
            "samples/loan.xlsx",
            vec!["Loan: A1:B7", "1 formula", "Payments Per Year"],
        ),
    ];
    for (file, expected) in cases {
        let o = sheetscript(&["show", file]);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        let out = stdout(&o);
        for e in expected {
            assert!(out.contains(e), "{file}: expected {e:?} in\n{out}");
        }
    }
}

#[test]
fn long_sheets_are_truncated_unless_a_range_is_given() {
    let o = sheetscript(&["show", "samples/ledger.xlsx", "--sheet", "Ledger"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("… 11 more rows (rows 51-61)"), "{out}");
    assert!(
        !out.contains("── Accounts"),
        "only the chosen sheet's cells"
    );

    let o = sheetscript(&["show", "samples/ledger.xlsx", "--range", "Ledger!C58:E61"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("61 │"), "{out}");
    assert!(!out.contains("57 │") && !out.contains("more row"), "{out}");
    // Column letters head the table; row numbers start each line.
    assert!(out.contains("│ C "), "{out}");
}

#[test]
fn numbers_are_right_aligned_text_left() {
    let o = sheetscript(&["show", "samples/payroll.xlsx", "--range", "A1:C3"]);
    let out = stdout(&o);
    let line = out.lines().find(|l| l.starts_with("2 │")).expect(&out);
    let cells: Vec<&str> = line.split('│').collect();
    assert!(cells[1].starts_with(" Jana"), "{line}");
    assert!(
        cells[3].starts_with("  ") && cells[3].trim_end().ends_with(char::is_numeric),
        "{line}"
    );
}

#[test]
fn unknown_sheet_and_bad_range_are_usage_errors() {
    let o = sheetscript(&["show", "samples/invoices.xlsx", "--sheet", "Nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Invoices, Customers, Summary"),
        "{}",
        stderr(&o)
    );
    let o = sheetscript(&["show", "samples/invoices.xlsx", "--range", "A1:!!"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("A1:!!"), "{}", stderr(&o));
}

#[test]
fn unreadable_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    let missing = dir.path().join("missing.xlsx");
    for path in [&junk, &missing] {
        let o = sheetscript(&["show", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(stderr(&o).contains(name), "{}", stderr(&o));
    }
}

#[test]
fn help_has_examples_for_show_and_convert() {
    for cmd in [
        vec!["--help"],
        vec!["show", "--help"],
        vec!["convert", "--help"],
    ] {
        let o = sheetscript(&cmd);
        assert!(o.status.success());
        assert!(stdout(&o).contains("EXAMPLES:"), "{cmd:?}");
    }
    let o = sheetscript(&["show"]);
    assert_eq!(o.status.code(), Some(2), "missing FILE is a usage error");
    assert!(Path::new(env!("CARGO_BIN_EXE_sheetscript")).exists());
}

#[test]
fn utf16_csv_is_shown_not_refused() {
    // Before: "not a spreadsheet", even with --encoding utf-16le.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unicode.csv");
    let text = "Účet;Částka\n311;100,50\n";
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let out = ok(&["show", path.to_str().unwrap()]);
    assert!(out.contains("Částka") && out.contains("100.5"), "{out}");
}

/// A styles part whose cell formats name built-in format ids only, with
/// no `<numFmt>` of their own: 14 (short date), 7 (dollars), 38 (red
/// negatives), 47 (minutes and seconds with tenths), 48 (engineering).
const BUILTIN_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="7" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="38" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="47" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="48" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

/// What `show` prints of a one-row sheet `Data` whose cells are `cells`,
/// with `styles` as its styles part.
fn show_row_with_styles(cells: &str, styles: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("styled.xlsx");
    let made = support::HandMade {
        sheet: "Data",
        before_sheets: "",
        after_sheets: "",
        date_style: false,
        shared_strings: None,
    };
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{cells}</row></sheetData></worksheet>"#
    );
    support::hand_made_xlsx_with(
        &path,
        &made,
        &sheet,
        &[("xl/styles.xml", styles)],
        r#"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    );
    let o = sheetscript(&["show", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn built_in_number_formats_show_as_excel_shows_them() {
    // 46112 is 2026-03-31; 0.00123 of a day is 1:46.27.
    let out = show_row_with_styles(
        r#"<c r="A1" s="1"><v>46112</v></c><c r="B1" s="2"><v>-1234.5</v></c><c r="C1" s="3"><v>-1234</v></c><c r="D1" s="4"><v>0.00123</v></c><c r="E1" s="5"><v>12345</v></c>"#,
        BUILTIN_STYLES,
    );
    for shown in ["3/31/2026", "($1,234.50)", "(1,234)", "01:46.3", "12.3E+3"] {
        assert!(out.contains(shown), "expected {shown:?} in\n{out}");
    }
    assert!(!out.contains("03-31-26"), "{out}");
}

/// A styles part whose cell formats 1-5 are date codes with a calendar
/// or a language: Hijri (`B2`, calendar 6 with Arabic), Russian, Thai
/// with the Thai calendar, and Hijri month names without an Arabic tag.
const CALENDAR_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="5"><numFmt numFmtId="164" formatCode="B2dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[$-1060401]d mmmm yyyy"/><numFmt numFmtId="166" formatCode="[$-FC19]d mmmm yyyy"/><numFmt numFmtId="167" formatCode="[$-107041E]d mmmm yyyy"/><numFmt numFmtId="168" formatCode="B2d mmmm yyyy"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

#[test]
fn dates_show_in_the_calendar_and_language_of_their_format() {
    // 45000 is 2023-03-15 (23 Sha'ban 1444), 45356 is 2024-03-05.
    let out = show_row_with_styles(
        r#"<c r="A1" s="1"><v>45000</v></c><c r="B1" s="2"><v>45000</v></c><c r="C1" s="3"><v>45356</v></c><c r="D1" s="4"><v>45356</v></c><c r="E1" s="5"><v>45000</v></c>"#,
        CALENDAR_STYLES,
    );
    for shown in [
        "23/08/1444",
        "23 شعبان 1444",
        "5 марта 2024",
        "5 มีนาคม 2567",
        // Hijri month names without an Arabic tag are not known: refused.
        "#######",
    ] {
        assert!(out.contains(shown), "expected {shown:?} in\n{out}");
    }
}
