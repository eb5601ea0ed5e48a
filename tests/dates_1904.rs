//! Workbooks in the 1904 date system, end to end: what `run` and
//! `recalc` write into one is in its own system (dates, formula results on
//! dates, values a script sets), as Excel would compute it, and the same
//! steps on a 1900 workbook give 1900 serials. Checked on the raw `<v>`
//! of the written sheet, so no reader's date conversion hides an offset.

mod support;

use std::io::Read;
use std::path::Path;
use support::*;

/// A one-sheet xlsx package (sheet "Sheet1") made by hand: `cells` is
/// the inner XML of `<sheetData>`; style 1 is a date format (numFmtId
/// 14). `date1904` sets `<workbookPr date1904="1"/>`.
fn dated_xlsx(path: &Path, date1904: bool, cells: &str) {
    let book = HandMade {
        sheet: "Sheet1",
        before_sheets: if date1904 {
            r#"<workbookPr date1904="1"/>"#
        } else {
            "<workbookPr/>"
        },
        after_sheets: "",
        date_style: true,
        shared_strings: None,
    };
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>"#
    );
    hand_made_xlsx(path, &book, &sheet);
}

/// The text of one part of a package.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The raw `<v>` of cell `a1` in a sheet's XML, as Excel will read it.
fn raw_value(sheet_xml: &str, a1: &str) -> Option<String> {
    let start = sheet_xml.find(&format!("<c r=\"{a1}\""))?;
    let cell = &sheet_xml[start..];
    let end = cell.find("</c>").or_else(|| cell.find("/>"))?;
    let cell = &cell[..end];
    let v = cell.find("<v>")? + 3;
    Some(cell[v..v + cell[v..].find("</v>")?].to_string())
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// What a script sets and what the formulas compute, the same steps in a
/// workbook of either system. A1 holds 2026-11-02 as a date, A2 the same
/// day as a plain number of the file's system.
const SCRIPT: &str = r#"
let s = sheet("Sheet1");
s.set("C1", "=A1+1");
s.set("C2", "=A2+1");
s.set("C3", "=DATE(2026,11,3)");
s.set("C4", "=TODAY()");
s.set("C5", "=TEXT(A2,\"yyyy-mm-dd\")");
s.set("C6", "=YEAR(A1)");
s.set("D1", date(2026, 11, 3));
s.set("D2", excel("DATE", 2026, 11, 3));
s.set("D3", calc("=A1+1"));
"#;

#[test]
fn run_and_recalc_write_each_system_its_own_serials() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "dates.rhai", SCRIPT);
    // (system, serial of 2026-11-02, of 2026-11-03, of 2026-11-27)
    for (date1904, nov2, nov3, nov27) in [(true, 44866, 44867, 44891), (false, 46328, 46329, 46353)]
    {
        let input = dir.path().join(format!("in-{date1904}.xlsx"));
        let cells = format!(
            r#"<row r="1"><c r="A1" s="1"><v>{nov2}</v></c><c r="B1" s="1"><f>A1+1</f></c></row><row r="2"><c r="A2"><v>{nov2}</v></c></row>"#
        );
        dated_xlsx(&input, date1904, &cells);
        let out = dir.path().join(format!("out-{date1904}.xlsx"));
        ok(&[
            "run",
            &script,
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--today",
            "2026-11-27",
            "--quiet",
        ]);
        let xml = part(&out, "xl/worksheets/sheet1.xml");
        let v = |a1: &str| raw_value(&xml, a1).unwrap_or_else(|| panic!("{a1} in {xml}"));
        let (nov2, nov3, nov27) = (nov2.to_string(), nov3.to_string(), nov27.to_string());
        let system = if date1904 { "1904" } else { "1900" };
        assert_eq!(v("A1"), nov2, "{system}: a date stays as it was");
        assert_eq!(
            v("B1"),
            nov3,
            "{system}: a date-formatted formula on a date"
        );
        assert_eq!(v("C1"), nov3, "{system}: =A1+1 on a date");
        assert_eq!(v("C2"), nov3, "{system}: =A2+1 on a serial");
        assert_eq!(v("C3"), nov3, "{system}: DATE");
        assert_eq!(v("C4"), nov27, "{system}: TODAY");
        assert_eq!(v("C5"), "2026-11-02", "{system}: TEXT of a serial");
        assert_eq!(v("C6"), "2026", "{system}: YEAR");
        assert_eq!(v("D1"), nov3, "{system}: a date set by a script");
        assert_eq!(v("D2"), nov3, "{system}: excel(\"DATE\") set by a script");
        assert_eq!(v("D3"), nov3, "{system}: calc() set by a script");
        let workbook = part(&out, "xl/workbook.xml");
        assert_eq!(workbook.contains("date1904=\"1\""), date1904, "{workbook}");

        // recalc computes the hand-written formula in the file's system.
        let recalc = dir.path().join(format!("recalc-{date1904}.xlsx"));
        ok(&[
            "recalc",
            input.to_str().unwrap(),
            "-o",
            recalc.to_str().unwrap(),
            "--quiet",
        ]);
        let xml = part(&recalc, "xl/worksheets/sheet1.xml");
        assert_eq!(raw_value(&xml, "B1").unwrap(), nov3, "{system}: recalc");
    }
}

#[test]
fn the_corpus_1904_workbook_keeps_its_dates_and_gets_1904_results() {
    let Some(input) = external::corpus("calamine/date_1904.xlsx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A1 and A2 hold 2021-01-01 and 2021-01-02 as 1904 serials 42735 and
    // 42736 in a date format.
    let script = write(
        dir.path(),
        "corpus.rhai",
        r#"
let s = sheet("Sheet1");
assert(s["A1"] == date(2021, 1, 1), "read as a date");
s.set("C1", "=A1+1");
s.set("C2", "=A2-A1");
s.set("D1", date(2021, 1, 3));
s.set("D2", excel("EDATE", s["A1"], 1));
"#,
    );
    let out = dir.path().join("out.xlsx");
    ok(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let xml = part(&out, "xl/worksheets/sheet1.xml");
    let v = |a1: &str| raw_value(&xml, a1).unwrap_or_else(|| panic!("{a1} in {xml}"));
    assert_eq!(v("A1"), "42735");
    assert_eq!(v("A2"), "42736");
    assert_eq!(v("C1"), "42736");
    assert_eq!(v("C2"), "1");
    assert_eq!(v("D1"), "42737");
    // 2021-02-01 in the 1904 system.
    assert_eq!(v("D2"), "42766");
}

#[test]
fn a_date_before_the_first_day_of_a_1904_workbook_is_refused_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    dated_xlsx(&input, true, r#"<row r="1"><c r="A1"><v>1</v></c></row>"#);
    let script = write(
        dir.path(),
        "old.rhai",
        "let s = sheet(\"Sheet1\");\ns[\"B2\"] = date(1903, 12, 31);\n",
    );
    let out = dir.path().join("out.xlsx");
    let o = sheetscript(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("old.rhai:2:"), "{err}");
    assert!(
        err.contains("Sheet1!B2: 1903-12-31 is before 1904-01-01"),
        "{err}"
    );
    assert!(err.contains("d.to_string()"), "{err}");
    assert!(!out.exists(), "nothing written after a failure");
}

#[test]
fn libreoffice_recomputes_the_same_numbers_in_a_1904_workbook_we_wrote() {
    let Some(soffice) = external::soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "dates.rhai", SCRIPT);
    let input = dir.path().join("in.xlsx");
    dated_xlsx(
        &input,
        true,
        r#"<row r="1"><c r="A1" s="1"><v>44866</v></c></row><row r="2"><c r="A2"><v>44866</v></c></row>"#,
    );
    let out = dir.path().join("out.xlsx");
    ok(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let rows = external::libreoffice_rows(&soffice, &out, dir.path(), true);
    let at = |r: usize, c: usize| rows[r][c].clone();
    // C1 and C3 (=A1+1, =DATE(2026,11,3)): LibreOffice gives a formula on
    // a date a date format, and shows the day it computed in the 1904
    // system; C2 (=A2+1 on a plain number) stays the number we wrote.
    assert_eq!(at(0, 2), "11/03/26", "{rows:?}");
    assert_eq!(at(2, 2), "11/03/26", "{rows:?}");
    assert_eq!(at(1, 2), "44867", "{rows:?}");
    assert_eq!(at(4, 2), "2026-11-02", "{rows:?}");
    assert_eq!(at(5, 2), "2026", "{rows:?}");
    // D2, D3: numbers a script set from excel() and calc().
    assert_eq!(
        (at(1, 3), at(2, 3)),
        ("44867".into(), "44867".into()),
        "{rows:?}"
    );
}
