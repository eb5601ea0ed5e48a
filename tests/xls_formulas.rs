//! The shared and array formulas of an .xls: Excel 97-2003 stores a
//! formula copied down a column once (a ShrFmla record) and gives each
//! cell a pointer to it; calamine skips those pointers, so the reader
//! writes them out itself. Without that, a run that changes an input
//! leaves the copied formulas stale and the written workbook loses them.

mod support;

use calamine::Data;
use std::path::{Path, PathBuf};
use support::biff::{self, Biff8, BiffSheet};
use support::package::read_back;
use support::shared_formulas::{self, formula, model};

fn n(x: f64) -> Data {
    Data::Float(x)
}

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

#[test]
fn every_cell_of_a_shared_formula_gets_it_resolved_for_its_place() {
    let dir = tempfile::tempdir().unwrap();
    shared_formulas::check_written_out(&shared_xls(dir.path(), false));
}

#[test]
fn a_run_that_changes_an_input_recomputes_the_shared_formulas_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = shared_xls(dir.path(), false);
    shared_formulas::check_run_recomputes(&input);
}

#[test]
fn a_pointer_to_a_missing_shared_formula_is_named_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    shared_formulas::check_dangling_pointer_named(&shared_xls(dir.path(), true));
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

#[test]
fn a_formula_calamine_cannot_decode_keeps_its_value_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    // B1 is a cell of a what-if data table (PtgTbl) that saved a truth
    // value, which stays a formula whose tokens calamine does not decode;
    // B2 an ordinary formula.
    let book = Biff8 {
        sheets: vec![BiffSheet {
            name: "Data".into(),
            cells: vec![
                biff::number(0, 0, 1.0),
                // Saved value TRUE: type 1, value 1, then 0xFFFF.
                biff::formula(
                    0,
                    1,
                    f64::from_bits(0xFFFF_0000_0001_0001),
                    &[0x02, 0, 0, 1, 0],
                ),
                biff::formula(1, 1, 3.0, &[0x1E, 3, 0]),
            ],
        }],
        ..Biff8::default()
    };
    let path = dir.path().join("table.xls");
    biff::write_xls(&path, &book);
    let wb = model(&path);
    assert_eq!(formula(&wb, "B1"), None);
    assert_eq!(formula(&wb, "B2").as_deref(), Some("3"));
    assert_eq!(wb.read_notes.len(), 1, "{:?}", wb.read_notes);
    assert!(wb.read_notes[0].starts_with(
        "1 formula of sheet \"Data\" from B1 on, which hold a formula token the reader does not know"
    ));
    let (out, recalc) = support::recalc(&path);
    assert!(recalc.status.success());
    let said = String::from_utf8_lossy(&recalc.stderr);
    assert!(
        said.contains("not carried into a new workbook: 1 formula of sheet"),
        "{said}"
    );
    assert_eq!(read_back(&out, "Data", "B1"), Data::Bool(true));
    assert_eq!(
        formula(&model(&out), "B1"),
        None,
        "no sentence written as a formula"
    );
}

#[test]
fn an_xls_data_table_is_filled_by_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    // Input A1 = 2, formula B1 = A1*10, headings A2:A4 = 1, 3, 5, the
    // table B2:B4 (column input A1) saved as zeros.
    let times_ten = [vec![0x44, 0, 0, 0, 0xC0], vec![0x1E, 10, 0, 0x05]].concat();
    let mut cells = vec![
        biff::number(0, 0, 2.0),
        biff::formula(0, 1, 20.0, &times_ten),
    ];
    for (row, heading) in [(1u16, 1.0), (2, 3.0), (3, 5.0)] {
        cells.push(biff::number(row, 0, heading));
        cells.push(biff::formula(row, 1, 0.0, &[0x02, 1, 0, 1, 0]));
        if row == 1 {
            // Table: B2:B4, flags 0 (one variable, column input), input A1.
            let mut data = vec![1, 0, 3, 0, 1, 1, 0, 0];
            data.extend([0u8; 8]);
            cells.push(biff::record(0x0236, &data));
        }
    }
    let book = Biff8 {
        sheets: vec![BiffSheet {
            name: "Data".into(),
            cells,
        }],
        ..Biff8::default()
    };
    let input = dir.path().join("table.xls");
    biff::write_xls(&input, &book);
    let (out, recalc) = support::recalc(&input);
    let said = String::from_utf8_lossy(&recalc.stderr);
    assert!(recalc.status.success(), "{said}");
    let at = |a1| read_back(&out, "Data", a1);
    assert_eq!((at("B2"), at("B3"), at("B4")), (n(10.0), n(30.0), n(50.0)));
    assert_eq!((at("A1"), at("B1")), (n(2.0), n(20.0)));
    assert!(
        said.contains("not carried into a new workbook: what-if data table Data!B2:B4"),
        "{said}"
    );
}

/// calamine 0.38 prints a reference to another sheet four columns too far
/// right, an area on another sheet with its flags in the column, and the
/// `$` of mixed references swapped: `=Data!B2` was computed from
/// `Data!E$2`. The reader hands calamine tokens it prints right.
#[test]
fn references_to_other_sheets_and_mixed_references_read_as_excel_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = Vec::new();
    for (row, values) in [(0u16, [1.0, 2.0, 3.0]), (1, [10.0, 20.0, 30.0])] {
        for (col, value) in values.into_iter().enumerate() {
            data.push(biff::number(row, col as u16, value));
        }
    }
    let sum_area = [biff::area3d(0, (0, 1), (1, 2)), vec![0x19, 0x10, 0, 0]].concat();
    // $A1 (row relative) + A$1 (column relative), on the formula's sheet.
    let mixed = [
        vec![0x44, 0, 0, 0, 0x80],
        vec![0x44, 0, 0, 0, 0x40],
        vec![0x03],
    ]
    .concat();
    let sum = vec![
        biff::formula(0, 0, 20.0, &biff::ref3d(0, 1, 1)),
        biff::formula(0, 1, 55.0, &sum_area),
        biff::formula(0, 2, 40.0, &mixed),
    ];
    let book = Biff8 {
        sheets: vec![
            BiffSheet {
                name: "Data".into(),
                cells: data,
            },
            BiffSheet {
                name: "Sum".into(),
                cells: sum,
            },
        ],
        ..Biff8::default()
    };
    let input = dir.path().join("sheets.xls");
    biff::write_xls(&input, &book);
    let wb = model(&input);
    let sheet = wb.sheets.iter().find(|s| s.name == "Sum").unwrap();
    let text = |a1: &str| {
        sheet
            .formula_text(sheetscript::model::CellAddr::parse(a1).unwrap())
            .map(|f| f.into_owned())
    };
    assert_eq!(text("A1").as_deref(), Some("Data!B2"));
    assert_eq!(text("B1").as_deref(), Some("SUM(Data!$B$1:$C$2)"));
    assert_eq!(text("C1").as_deref(), Some("$A1+A$1"));
    let (out, recalc) = support::recalc(&input);
    let said = String::from_utf8_lossy(&recalc.stdout);
    assert!(said.contains("0 cells changed"), "{said}");
    let at = |a1| read_back(&out, "Sum", a1);
    assert_eq!((at("A1"), at("B1"), at("C1")), (n(20.0), n(55.0), n(40.0)));
}
