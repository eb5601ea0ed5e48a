//! The shared and array formulas of an .xlsb: Excel stores a formula
//! filled down a column once (a BrtShrFmla record) and gives each cell a
//! pointer to it; calamine skips those pointers, so the reader writes them
//! out itself. Without that, a run that changes an input leaves the filled
//! formulas stale and the written workbook loses them.

mod support;

use sheetscript::io::read::{read_workbook, ReadOptions};
use std::path::{Path, PathBuf};
use support::shared_formulas::{self, formula, model};
use support::sheetscript;
use support::xlsb::{self, Xlsb, XlsbSheet};

/// Sheet "Data": A1:A5 = 1..5;
/// - B1:B5 share `=A1*2` (relative in row and column), saved from B1;
/// - C1:C5 share `=SUM($A$1:A1)`, a running total;
/// - D1 holds `{=A1:A2*10}`, a legacy array over D1:D3;
/// - E1 points to a shared formula the file does not have (damaged).
fn shared_xlsb(dir: &Path, damaged: bool) -> PathBuf {
    let times_two = [xlsb::ref_n(0, -1), xlsb::int_token(2), vec![0x05]].concat();
    let mut running = xlsb::area_n_from_fixed((0, 0), 0, -2);
    // PtgAttrSum: SUM of one argument.
    running.extend([0x19, 0x10, 0, 0]);
    let array = [
        xlsb::relative_area((0, 1), (0, 0)),
        xlsb::int_token(10),
        vec![0x05],
    ]
    .concat();
    let mut records = Vec::new();
    for row in 0..5u32 {
        let n = f64::from(row + 1);
        records.push(xlsb::row(row));
        records.push(xlsb::real(0, n));
        records.push(xlsb::pointer(1, 2.0 * n, (0, 1)));
        if row == 0 {
            records.push(xlsb::shared_formula((0, 4), (1, 1), &times_two));
        }
        let total = (1..=row + 1).map(f64::from).sum();
        records.push(xlsb::pointer(2, total, (0, 2)));
        if row == 0 {
            records.push(xlsb::shared_formula((0, 4), (2, 2), &running));
        }
        if row < 3 {
            records.push(xlsb::pointer(3, 10.0 * n, (0, 3)));
            if row == 0 {
                records.push(xlsb::array_formula((0, 2), (3, 3), &array));
            }
        }
        if damaged && row == 0 {
            records.push(xlsb::pointer(4, 7.0, (0, 9)));
        }
    }
    let book = Xlsb {
        sheets: vec![
            XlsbSheet {
                name: "Data".into(),
                dimension: [0, 4, 0, 4],
                records,
            },
            XlsbSheet {
                name: "Notes".into(),
                dimension: [0, 0, 0, 0],
                records: vec![xlsb::row(0), xlsb::real(0, 42.0)],
            },
        ],
        ..Xlsb::default()
    };
    let path = dir.join(if damaged {
        "damaged.xlsb"
    } else {
        "shared.xlsb"
    });
    xlsb::write_xlsb(&path, &book);
    path
}

/// An xlsb `name` in `dir` with one sheet, "Data", of `records`.
fn data_sheet(dir: &Path, name: &str, dimension: [u32; 4], records: Vec<Vec<u8>>) -> PathBuf {
    let book = Xlsb {
        sheets: vec![XlsbSheet {
            name: "Data".into(),
            dimension,
            records,
        }],
        ..Xlsb::default()
    };
    let path = dir.join(name);
    xlsb::write_xlsb(&path, &book);
    path
}

#[test]
fn every_cell_of_a_shared_formula_gets_it_resolved_for_its_place() {
    let dir = tempfile::tempdir().unwrap();
    shared_formulas::check_written_out(&shared_xlsb(dir.path(), false));
}

#[test]
fn a_run_that_changes_an_input_recomputes_the_shared_formulas_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = shared_xlsb(dir.path(), false);
    shared_formulas::check_run_recomputes(&input);
}

#[test]
fn a_pointer_to_a_missing_shared_formula_is_named_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    shared_formulas::check_dangling_pointer_named(&shared_xlsb(dir.path(), true));
}

/// calamine 0.38 reads an area's relative flags as part of its column
/// (`SUM(A1:A2)` came through as `SUM($BTRM$1:$BTRM$2)`, no formula, so
/// the cell kept its saved value with a warning): plain formulas too.
#[test]
fn a_relative_area_in_a_plain_formula_reads_as_excel_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut sum = xlsb::relative_area((0, 1), (0, 0));
    sum[0] = 0x25;
    sum.extend([0x19, 0x10, 0, 0]);
    let records = vec![
        xlsb::row(0),
        xlsb::real(0, 1.0),
        xlsb::formula_number(1, 3.0, &sum),
        xlsb::row(1),
        xlsb::real(0, 2.0),
    ];
    let path = data_sheet(dir.path(), "plain.xlsb", [0, 1, 0, 1], records);
    let wb = model(&path);
    assert_eq!(formula(&wb, "B1").as_deref(), Some("SUM(A1:A2)"));
    let eval = sheetscript(&["eval", path.to_str().unwrap(), "Data!B1"]);
    assert_eq!(String::from_utf8_lossy(&eval.stdout).trim(), "3");
    assert!(
        eval.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&eval.stderr)
    );
}

/// calamine 0.38 decodes PtgGe (0x0C) as `>` and PtgGt (0x0D) as `>=`:
/// `=A1>=1` was read, and computed, as `=A1>1`.
#[test]
fn comparisons_read_as_the_file_holds_them() {
    let dir = tempfile::tempdir().unwrap();
    let compare = |ptg: u8| [xlsb::ref_token(0, 0), xlsb::int_token(1), vec![ptg]].concat();
    let records = vec![
        xlsb::row(0),
        xlsb::real(0, 1.0),
        xlsb::formula_number(1, 1.0, &compare(0x0C)),
        xlsb::formula_number(2, 0.0, &compare(0x0D)),
    ];
    let path = data_sheet(dir.path(), "compare.xlsb", [0, 0, 0, 2], records);
    let wb = model(&path);
    assert_eq!(formula(&wb, "B1").as_deref(), Some("A1>=1"));
    assert_eq!(formula(&wb, "C1").as_deref(), Some("A1>1"));
}

/// A small file can point a whole column at one formula of 16,384 token
/// bytes: the copy calamine reads grows by at most the budget (the
/// reading limit on text, here 1 MiB), and the cells past it keep their
/// saved values, named in a note.
#[test]
fn pointers_to_a_long_formula_grow_the_copy_only_up_to_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    // 4,095 PtgAttrSpace tokens (no text) and PtgInt 1: =1.
    let mut long = [0x19, 0x40, 0, 0].repeat(4095);
    long.extend(xlsb::int_token(1));
    let rows = 2000;
    let mut records = Vec::new();
    for row in 0..rows {
        records.push(xlsb::row(row));
        records.push(xlsb::pointer(0, 1.0, (0, 0)));
        if row == 0 {
            records.push(xlsb::shared_formula((0, rows - 1), (0, 0), &long));
        }
    }
    let path = data_sheet(dir.path(), "long.xlsb", [0, rows - 1, 0, 0], records);
    assert!(std::fs::metadata(&path).unwrap().len() < 100_000);
    let mut options = ReadOptions::default();
    options.limits.max_text_bytes = 1 << 20;
    let wb = read_workbook(&path, &options).unwrap();
    let sheet = &wb.sheets[0];
    let written = sheet.cells().filter(|(_, c)| c.formula.is_some()).count();
    // Each cell grows by 16,374 bytes: 64 fit in 1 MiB.
    assert_eq!(written, 64);
    assert_eq!(formula(&wb, "A64").as_deref(), Some("1"));
    assert_eq!(wb.read_notes.len(), 1, "{:?}", wb.read_notes);
    assert!(
        wb.read_notes[0].starts_with("1936 formulas of sheet \"Data\" from A65 on, which point"),
        "{}",
        wb.read_notes[0]
    );
}

/// calamine's own xlsb test files hold no shared or array formula (none
/// of their formula cells is a pointer): reading them gives the formulas
/// calamine gives, and no note.
#[test]
fn the_calamine_xlsb_files_read_as_before() {
    let Some(dir) = support::external::corpus("calamine") else {
        return;
    };
    for name in ["issues.xlsb", "issue_182.xlsb"] {
        let wb = model(&dir.join(name));
        assert!(wb.read_notes.is_empty(), "{name}: {:?}", wb.read_notes);
        let formulas: usize = wb
            .sheets
            .iter()
            .map(|s| s.cells().filter(|(_, c)| c.formula.is_some()).count())
            .sum();
        assert!(formulas > 0, "{name}: no formula read");
    }
}
