//! End-to-end tests of saved array formulas: a dynamic-array formula
//! (xlsx `cm` pointing at dynamic-array cell metadata) recomputed to a
//! smaller result releases the cells it covered, a legacy
//! (Ctrl+Shift+Enter) one is fitted to the range it was entered over, and
//! both keep their kind through `run`, `recalc` and a new workbook.

mod support;

use calamine::Data;
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::io::write::{write_workbook, WriteMethod, WriteOptions};
use sheetscript::model::{ArrayFormula, CellAddr, RangeAddr, Workbook};
use std::path::{Path, PathBuf};
use support::package::{entry_text, read_back};
use support::{hand_made_xlsx_with, sheetscript, HandMade};

/// Excel's metadata part with one dynamic-array cell metadata record
/// (`cm="1"`).
const METADATA: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray"><metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes><futureMetadata name="XLDAPR" count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata></metadata>"#;

const TO_METADATA: &str = r#"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata" Target="metadata.xml"/>"#;

/// Sheet "Data": A1 = 1 and A2:A4 = 1, 2, 3 feed
/// - B2, dynamic: `=IF(A1=1,A2:A4,5)` saved spilled over B2:B4;
/// - C2, legacy: `{=123}` over C2:C5, its other cells saved wrong (0);
/// - D2, legacy: `{=A2:A3}` over D2:D4 (a third cell past the result);
/// - J2, legacy: `{=J1:K1}` over J2:K3 (a row repeated down);
/// - E1 = SUM(B2#), F1 = SUM(C2#), G1 = SUM(B3:B4).
fn arrays_xlsx(dir: &Path) -> PathBuf {
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1"><v>1</v></c><c r="E1"><f>SUM(_xlfn.ANCHORARRAY(B2))</f><v>6</v></c><c r="F1"><f>SUM(_xlfn.ANCHORARRAY(C2))</f><v>123</v></c><c r="G1"><f>SUM(B3:B4)</f><v>5</v></c><c r="J1"><v>7</v></c><c r="K1"><v>8</v></c></row>
<row r="2"><c r="A2"><v>1</v></c><c r="B2" cm="1"><f t="array" ref="B2:B4">IF(A1=1,A2:A4,5)</f><v>1</v></c><c r="C2"><f t="array" ref="C2:C5">123</f><v>123</v></c><c r="D2"><f t="array" ref="D2:D4">A2:A3</f><v>1</v></c><c r="J2"><f t="array" ref="J2:K3">J1:K1</f><v>7</v></c><c r="K2"><v>8</v></c></row>
<row r="3"><c r="A3"><v>2</v></c><c r="B3"><v>2</v></c><c r="C3"><v>0</v></c><c r="D3"><v>2</v></c><c r="J3"><v>0</v></c><c r="K3"><v>0</v></c></row>
<row r="4"><c r="A4"><v>3</v></c><c r="B4"><v>3</v></c><c r="C4"><v>0</v></c><c r="D4" t="e"><v>#N/A</v></c></row>
<row r="5"><c r="C5"><v>0</v></c></row>
</sheetData></worksheet>"#;
    let path = dir.join("arrays.xlsx");
    data_xlsx(&path, sheet, true);
    path
}

/// A one-sheet package (sheet "Data") at `path` around `sheet_xml`, with
/// Excel's dynamic-array metadata part when `metadata` is set.
fn data_xlsx(path: &Path, sheet_xml: &str, metadata: bool) {
    let book = HandMade {
        sheet: "Data",
        before_sheets: "",
        after_sheets: "",
        date_style: false,
        shared_strings: None,
    };
    let (parts, rels): (&[(&str, &str)], &str) = if metadata {
        (&[("xl/metadata.xml", METADATA)], TO_METADATA)
    } else {
        (&[], "")
    };
    hand_made_xlsx_with(path, &book, sheet_xml, parts, rels);
}

fn n(x: f64) -> Data {
    Data::Float(x)
}

fn model(path: &Path) -> Workbook {
    read_workbook(path, &ReadOptions::default()).unwrap()
}

fn array_at(wb: &Workbook, a1: &str) -> Option<ArrayFormula> {
    wb.sheets[0]
        .array_formulas
        .get(&CellAddr::parse(a1).unwrap())
        .copied()
}

fn range(a1: &str) -> RangeAddr {
    RangeAddr::parse(a1).unwrap()
}

/// Asserts the array formulas of `wb`'s first sheet at the anchors given:
/// (anchor, range, dynamic).
fn assert_arrays(wb: &Workbook, expected: &[(&str, &str, bool)]) {
    for &(anchor, over, dynamic) in expected {
        let want = if dynamic {
            ArrayFormula::dynamic(range(over))
        } else {
            ArrayFormula::legacy(range(over))
        };
        assert_eq!(array_at(wb, anchor), Some(want), "{anchor}");
    }
}

/// The `<c>` element of `a1` in the first sheet part of `path`.
fn cell_xml(path: &Path, a1: &str) -> String {
    let xml = entry_text(path, "xl/worksheets/sheet1.xml");
    let start = xml
        .find(&format!("<c r=\"{a1}\""))
        .unwrap_or_else(|| panic!("no cell {a1} in {xml}"));
    let end = xml[start..]
        .find("</c>")
        .map_or(xml.len(), |e| start + e + 4);
    xml[start..end].to_string()
}

/// `sheetscript recalc FROM -o TO`, which must succeed.
fn recalc(from: &Path, to: &Path) {
    run(&["recalc", from.to_str().unwrap(), "-o", to.to_str().unwrap()]);
}

fn run(args: &[&str]) {
    let out = sheetscript(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_reader_tells_dynamic_arrays_from_legacy_ones() {
    let dir = tempfile::tempdir().unwrap();
    let wb = model(&arrays_xlsx(dir.path()));
    assert_arrays(
        &wb,
        &[
            ("B2", "B2:B4", true),
            ("C2", "C2:C5", false),
            ("J2", "J2:K3", false),
        ],
    );
}

#[test]
fn recalc_fits_legacy_arrays_and_keeps_both_kinds_through_a_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let input = arrays_xlsx(dir.path());
    let once = dir.path().join("once.xlsx");
    let twice = dir.path().join("twice.xlsx");
    recalc(&input, &once);
    recalc(&once, &twice);
    for out in [&once, &twice] {
        let at = |a1| read_back(out, "Data", a1);
        for a1 in ["C2", "C3", "C4", "C5"] {
            assert_eq!(at(a1), n(123.0), "{a1} of {}", out.display());
        }
        assert_eq!(at("F1"), n(492.0));
        assert_eq!((at("D2"), at("D3")), (n(1.0), n(2.0)));
        assert_eq!(at("D4"), Data::Error(calamine::CellErrorType::NA));
        assert_eq!((at("J3"), at("K3")), (n(7.0), n(8.0)));
        assert_eq!((at("B3"), at("B4"), at("E1")), (n(2.0), n(3.0), n(6.0)));
        // Still one dynamic and the rest legacy, over the same ranges.
        assert!(cell_xml(out, "B2").contains(r#"cm="1""#));
        assert!(cell_xml(out, "B2").contains(r#"ref="B2:B4""#));
        assert!(!cell_xml(out, "C2").contains("cm="));
        assert_arrays(
            &model(out),
            &[
                ("B2", "B2:B4", true),
                ("C2", "C2:C5", false),
                ("D2", "D2:D4", false),
            ],
        );
    }
}

#[test]
fn a_dynamic_array_recomputed_to_one_value_releases_its_saved_cells() {
    let dir = tempfile::tempdir().unwrap();
    let input = arrays_xlsx(dir.path());
    let (out, _) = support::run_script_ok(&input, "let s = sheet(\"Data\");\ns[\"A1\"] = 0;\n");
    let at = |a1| read_back(&out, "Data", a1);
    assert_eq!(at("B2"), n(5.0));
    assert_eq!((at("B3"), at("B4")), (Data::Empty, Data::Empty));
    // SUM(B2#) follows the new extent; what read B3:B4 sees them empty.
    assert_eq!(at("E1"), n(5.0));
    assert_eq!(at("G1"), n(0.0));
    // Still dynamic, now over its anchor alone; read back the same.
    let b2 = cell_xml(&out, "B2");
    assert!(
        b2.contains(r#"cm="1""#) && b2.contains(r#"ref="B2""#),
        "{b2}"
    );
    assert_arrays(&model(&out), &[("B2", "B2", true)]);
}

#[test]
fn a_script_cannot_change_part_of_a_legacy_array() {
    let dir = tempfile::tempdir().unwrap();
    let input = arrays_xlsx(dir.path());
    let (out, o) = support::run_script(&input, "let s = sheet(\"Data\");\ns[\"C3\"] = 5;\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Data!C3") && err.contains("C2:C5"),
        "the refusal names the cell and the array: {err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_new_workbook_keeps_legacy_and_dynamic_arrays_and_gains_a_metadata_part() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = model(&arrays_xlsx(dir.path()));
    // Written as a new workbook (as after reading a CSV or an ods).
    wb.source = None;
    let out = dir.path().join("new.xlsx");
    let report = write_workbook(&wb, &out, &WriteOptions::default()).unwrap();
    assert_eq!(report.method, WriteMethod::NewXlsx);
    assert!(entry_text(&out, "xl/metadata.xml").contains("fDynamic=\"1\""));
    assert_arrays(
        &model(&out),
        &[("B2", "B2:B4", true), ("C2", "C2:C5", false)],
    );
    assert_eq!(read_back(&out, "Data", "B4"), n(3.0));
}

#[test]
fn a_patched_package_without_metadata_gains_one_for_a_new_dynamic_array() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>3</v></c></row></sheetData></worksheet>"#;
    let input = dir.path().join("plain.xlsx");
    data_xlsx(&input, sheet, false);
    let (out, _) = support::run_script_ok(
        &input,
        "let s = sheet(\"Data\");\n\
         s.fill_formula(\"B1\", \"=SEQUENCE(A1)\");\n\
         s.fill_formula(\"C1\", \"=INDEX(B1:B3*10,2)\");\n\
         s.fill_formula(\"D1\", \"=A1*10\");\n",
    );
    assert_eq!(read_back(&out, "Data", "B3"), n(3.0));
    assert_eq!(read_back(&out, "Data", "C1"), n(20.0));
    let b1 = cell_xml(&out, "B1");
    assert!(
        b1.contains(r#"cm="1""#) && b1.contains(r#"ref="B1:B3""#),
        "{b1}"
    );
    // C1 takes B1:B3 whole, as only an array formula does: it says so.
    // D1 is a plain formula.
    let c1 = cell_xml(&out, "C1");
    assert!(
        c1.contains(r#"cm="1""#) && c1.contains(r#"ref="C1""#),
        "{c1}"
    );
    assert!(!cell_xml(&out, "D1").contains("array"));
    support::package::assert_consistent_package(&out);
    assert_arrays(&model(&out), &[("B1", "B1:B3", true), ("C1", "C1", true)]);
    // Read back, it computes as it did.
    let again = dir.path().join("again.xlsx");
    recalc(&out, &again);
    assert_eq!(read_back(&again, "Data", "C1"), n(20.0));
}

#[test]
fn libreoffice_fits_the_legacy_arrays_as_recalc_does() {
    let Some(soffice) = support::external::soffice() else {
        return;
    };
    if support::external::recalc_profile().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = arrays_xlsx(dir.path());
    let rows = support::external::libreoffice_rows(&soffice, &input, dir.path(), true);
    let lo = |a1: &str| {
        let a = CellAddr::parse(a1).unwrap();
        rows.get(a.row as usize)
            .and_then(|r| r.get(a.col as usize))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(lo("C3"), "123", "LibreOffice recalculated: {rows:?}");
    let ours = dir.path().join("ours.xlsx");
    recalc(&input, &ours);
    for a1 in [
        "C2", "C3", "C4", "C5", "D2", "D3", "D4", "J2", "K2", "J3", "K3",
    ] {
        let shown = match read_back(&ours, "Data", a1) {
            Data::Float(x) => x.to_string(),
            Data::Error(calamine::CellErrorType::NA) => "#N/A".to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(lo(a1), shown, "{a1}: LibreOffice against recalc");
    }
}

#[test]
fn an_ods_matrix_formula_is_a_legacy_array_over_its_range() {
    let Some(soffice) = support::external::soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = arrays_xlsx(dir.path());
    let profile = dir.path().join("profile");
    let outdir = dir.path().join("ods");
    let converted =
        support::external::libreoffice_convert(&soffice, &profile, "ods", &outdir, &input)
            .unwrap_or_else(|e| panic!("{e}"));
    let ods = &converted.files[0];
    assert_arrays(
        &model(ods),
        &[("C2", "C2:C5", false), ("J2", "J2:K3", false)],
    );
    // A change reaches every cell the array covers.
    let (out, _) = support::run_script_ok(ods, "let s = sheet(\"Data\");\ns[\"A3\"] = 20;\n");
    assert_eq!(read_back(&out, "Data", "D3"), n(20.0));
    assert_eq!(
        read_back(&out, "Data", "D4"),
        Data::Error(calamine::CellErrorType::NA)
    );
    assert!(cell_xml(&out, "D2").contains(r#"ref="D2:D4""#));
}

#[test]
fn a_dynamic_array_whose_first_value_stays_is_written_with_its_new_extent() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1" cm="1"><f t="array" ref="B1">_xlfn.SEQUENCE(A1)</f><v>1</v></c></row></sheetData></worksheet>"#;
    let input = dir.path().join("seq.xlsx");
    data_xlsx(&input, sheet, true);
    let (grown, _) = support::run_script_ok(&input, "let s = sheet(\"Data\");\ns[\"A1\"] = 3;\n");
    assert_eq!(read_back(&grown, "Data", "B3"), n(3.0));
    let b1 = cell_xml(&grown, "B1");
    assert!(
        b1.contains(r#"ref="B1:B3""#) && b1.contains(r#"cm="1""#),
        "{b1}"
    );
    // And back to one value: the anchor again covers itself alone.
    let shrunk = dir.path().join("shrunk.xlsx");
    std::fs::rename(&grown, &shrunk).unwrap();
    let (back, _) = support::run_script_ok(&shrunk, "let s = sheet(\"Data\");\ns[\"A1\"] = 1;\n");
    assert_eq!(read_back(&back, "Data", "B2"), Data::Empty);
    assert!(cell_xml(&back, "B1").contains(r#"ref="B1""#));
}

#[test]
fn explain_tells_a_cell_of_a_legacy_array_from_a_spilled_one() {
    let dir = tempfile::tempdir().unwrap();
    let input = arrays_xlsx(dir.path());
    let explain = |a1: &str| {
        let out = sheetscript(&["explain", input.to_str().unwrap(), a1, "--depth", "1"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let legacy = explain("Data!C4");
    assert!(
        legacy.starts_with(
            "Data!C4 = 123   part of the array formula at Data!C2, entered over Data!C2:C5"
        ),
        "{legacy}"
    );
    let spilled = explain("Data!B3");
    assert!(
        spilled.starts_with("Data!B3 = 2   spilled from Data!B2\n"),
        "{spilled}"
    );
}
