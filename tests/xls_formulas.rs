//! The shared and array formulas of an .xls: Excel 97-2003 stores a
//! formula copied down a column once (a ShrFmla record) and gives each
//! cell a pointer to it; calamine skips those pointers, so the reader
//! writes them out itself. Without that, a run that changes an input
//! leaves the copied formulas stale and the written workbook loses them.

mod support;

use calamine::Data;
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::{ArrayFormula, CellAddr, RangeAddr, Workbook};
use std::path::{Path, PathBuf};
use support::biff::{self, Biff8, BiffSheet};
use support::package::read_back;
use support::sheetscript;

/// Sheet "Data": A1:A5 = 1..5;
/// - B1:B5 share `=A1*2` (relative in row and column), saved from B1;
/// - C1:C5 share `=SUM($A$1:A1)`, a running total;
/// - D1 holds `{=A1:A2*10}`, a legacy array over D1:D3;
/// - E1 points to a shared formula the file does not have (damaged).
fn shared_xls(dir: &Path, damaged: bool) -> PathBuf {
    let mut cells = Vec::new();
    let times_two = [biff::ref_n(0, -1), vec![0x1E, 2, 0, 0x05]].concat();
    let mut running = biff::area_n_from_fixed((0, 0), 0, -2);
    // PtgAttr sum: SUM of one argument.
    running.extend([0x19, 0x10, 0, 0]);
    let array = [
        vec![0x65, 0, 0, 1, 0, 0, 0xC0, 0, 0xC0], // PtgArea A1:A2, array class
        vec![0x1E, 10, 0, 0x05],
    ]
    .concat();
    for row in 0..5u16 {
        let n = f64::from(row + 1);
        cells.push(biff::number(row, 0, n));
        cells.push(biff::formula(row, 1, 2.0 * n, &biff::pointer(0, 1)));
        if row == 0 {
            cells.push(biff::shared_formula((0, 4), (1, 1), &times_two));
        }
        let total = (1..=row + 1).map(f64::from).sum();
        cells.push(biff::formula(row, 2, total, &biff::pointer(0, 2)));
        if row == 0 {
            cells.push(biff::shared_formula((0, 4), (2, 2), &running));
        }
        if row < 3 {
            cells.push(biff::formula(row, 3, 10.0 * n, &biff::pointer(0, 3)));
            if row == 0 {
                cells.push(biff::array_formula((0, 2), (3, 3), &array));
            }
        }
    }
    if damaged {
        cells.push(biff::formula(0, 4, 7.0, &biff::pointer(0, 9)));
    }
    let book = Biff8 {
        // A sheet after the rewritten one: its substream moves.
        sheets: vec![
            BiffSheet {
                name: "Data".into(),
                cells,
            },
            BiffSheet {
                name: "Notes".into(),
                cells: vec![biff::number(0, 0, 42.0)],
            },
        ],
        ..Biff8::default()
    };
    let path = dir.join(if damaged { "damaged.xls" } else { "shared.xls" });
    biff::write_xls(&path, &book);
    path
}

fn model(path: &Path) -> Workbook {
    read_workbook(path, &ReadOptions::default()).unwrap()
}

fn formula(wb: &Workbook, a1: &str) -> Option<String> {
    let sheet = wb.sheets.iter().find(|s| s.name == "Data").unwrap();
    sheet
        .formula_text(CellAddr::parse(a1).unwrap())
        .map(|f| f.into_owned())
}

fn n(x: f64) -> Data {
    Data::Float(x)
}

#[test]
fn every_cell_of_a_shared_formula_gets_it_resolved_for_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let wb = model(&shared_xls(dir.path(), false));
    assert_eq!(formula(&wb, "B1").as_deref(), Some("A1*2"));
    assert_eq!(formula(&wb, "B5").as_deref(), Some("A5*2"));
    assert_eq!(formula(&wb, "C1").as_deref(), Some("SUM($A$1:A1)"));
    assert_eq!(formula(&wb, "C4").as_deref(), Some("SUM($A$1:A4)"));
    assert_eq!(formula(&wb, "D1").as_deref(), Some("A1:A2*10"));
    assert_eq!(
        formula(&wb, "D2"),
        None,
        "an array's other cells keep values"
    );
    let data = wb.sheets.iter().find(|s| s.name == "Data").unwrap();
    assert_eq!(
        data.array_formulas.get(&CellAddr::parse("D1").unwrap()),
        Some(&ArrayFormula::legacy(RangeAddr::parse("D1:D3").unwrap()))
    );
    assert!(wb.read_notes.is_empty(), "{:?}", wb.read_notes);
    let notes = wb.sheets.iter().find(|s| s.name == "Notes").unwrap();
    let a1 = notes.cell(CellAddr::new(0, 0)).map(|c| c.value.clone());
    assert_eq!(format!("{a1:?}"), "Some(Number(Exact(42)))");
}

#[test]
fn a_run_that_changes_an_input_recomputes_the_shared_formulas_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = shared_xls(dir.path(), false);
    let script = dir.path().join("change.rhai");
    std::fs::write(&script, "let s = sheet(\"Data\");\ns[\"A1\"] = 100;\n").unwrap();
    let out = dir.path().join("out.xlsx");
    let run = sheetscript(&[
        "run",
        script.to_str().unwrap(),
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let at = |a1| read_back(&out, "Data", a1);
    assert_eq!((at("B1"), at("B2")), (n(200.0), n(4.0)));
    assert_eq!((at("C1"), at("C5")), (n(100.0), n(114.0)));
    assert_eq!((at("D1"), at("D2")), (n(1000.0), n(20.0)));
    assert_eq!(at("D3"), Data::Error(calamine::CellErrorType::NA));
    // The written workbook keeps the formulas, not their values.
    let written = model(&out);
    assert_eq!(formula(&written, "B5").as_deref(), Some("A5*2"));
    assert_eq!(formula(&written, "C5").as_deref(), Some("SUM($A$1:A5)"));
}

#[test]
fn a_pointer_to_a_missing_shared_formula_is_named_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let input = shared_xls(dir.path(), true);
    let wb = model(&input);
    assert_eq!(formula(&wb, "B5").as_deref(), Some("A5*2"));
    assert_eq!(wb.read_notes.len(), 1, "{:?}", wb.read_notes);
    let note = &wb.read_notes[0];
    assert!(
        note.contains("1 formula cell(s) of sheet \"Data\" from E1 on"),
        "{note}"
    );
    let show = sheetscript(&["show", input.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&show.stderr).contains("from E1 on"));
}

/// The workbook of [`shared_xls`] as an xlsx, each formula written out
/// in its cell, for LibreOffice to save as an .xls of its own making.
fn same_as_xlsx(dir: &Path) -> PathBuf {
    let mut rows = String::new();
    for row in 1..=5 {
        let array = match row {
            1 => r#"<c r="D1"><f t="array" ref="D1:D3">A1:A2*10</f></c>"#.to_string(),
            _ => String::new(),
        };
        rows.push_str(&format!(
            r#"<row r="{row}"><c r="A{row}"><v>{row}</v></c><c r="B{row}"><f>A{row}*2</f></c><c r="C{row}"><f>SUM($A$1:A{row})</f></c>{array}<c r="E{row}"><f>A{row}&gt;=2</f></c><c r="F{row}"><f>A{row}&gt;2</f></c></row>"#
        ));
    }
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    support::one_sheet_xlsx(dir, "same.xlsx", &sheet)
}

#[test]
fn shared_formulas_libreoffice_writes_are_read_as_it_shows_them() {
    let Some(soffice) = support::external::soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = same_as_xlsx(dir.path());
    let outdir = dir.path().join("lo");
    // LibreOffice shares the copied formulas in ShrFmla records of its
    // own making.
    let converted = support::external::libreoffice_convert(
        &soffice,
        &dir.path().join("profile"),
        "xls:MS Excel 97",
        &outdir,
        &input,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let xls = &converted.files[0];
    let bytes = std::fs::read(xls).unwrap();
    assert!(
        bytes
            .windows(4)
            .any(|w| w == [0xBC, 0x04, 0x0F, 0x00] || w[..2] == [0xBC, 0x04]),
        "LibreOffice wrote no ShrFmla record"
    );
    let wb = model(xls);
    for (a1, expected) in [
        ("B1", "A1*2"),
        ("B5", "A5*2"),
        ("C1", "SUM($A$1:A1)"),
        ("C5", "SUM($A$1:A5)"),
        ("D1", "A1:A2*10"),
        ("E1", "A1>=2"),
        ("F5", "A5>2"),
    ] {
        assert_eq!(formula(&wb, a1).as_deref(), Some(expected), "{a1}");
    }
    assert!(wb.read_notes.is_empty(), "{:?}", wb.read_notes);
}

/// calamine 0.38 decodes PtgGe (0x0C) as `>` and PtgGt (0x0D) as `>=`:
/// `=A1>=1` was read, and computed, as `=A1>1`.
#[test]
fn comparisons_read_as_the_file_holds_them() {
    let dir = tempfile::tempdir().unwrap();
    // PtgRef A1 (relative), PtgInt 1, then the comparison.
    let compare = |ptg: u8| vec![0x44, 0, 0, 0, 0xC0, 0x1E, 1, 0, ptg];
    let book = Biff8 {
        sheets: vec![BiffSheet {
            name: "Data".into(),
            cells: vec![
                biff::number(0, 0, 1.0),
                biff::formula(0, 1, 1.0, &compare(0x0C)),
                biff::formula(0, 2, 0.0, &compare(0x0D)),
            ],
        }],
        ..Biff8::default()
    };
    let path = dir.path().join("compare.xls");
    biff::write_xls(&path, &book);
    let wb = model(&path);
    assert_eq!(formula(&wb, "B1").as_deref(), Some("A1>=1"));
    assert_eq!(formula(&wb, "C1").as_deref(), Some("A1>1"));
}
