//! Measures the xlsx patcher on a 100k-row x 10-column sheet with one
//! column changed in every row, against a plain calamine read plus a
//! rust_xlsxwriter constant-memory write of the same data.
//!
//! ```text
//! cargo run --release --example patch_perf [ROWS]
//! ```

use calamine::{open_workbook, Data, Reader, Xlsx};
use sheetscript::io::write::patch::patch_package;
use sheetscript::model::sheet::SheetOrigin;
use sheetscript::model::{Cell, CellAddr, Number, Sheet, Value, Workbook};
use sheetscript::progress::Progress;
use std::time::{Duration, Instant};

const COLS: u16 = 10;

fn generate(path: &std::path::Path, rows: u32) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory()?;
    for r in 0..rows {
        for c in 0..COLS {
            ws.write_number(r, c, f64::from(r) * 1.25 + f64::from(c))?;
        }
    }
    wb.save(path)
}

fn read_range(path: &std::path::Path) -> calamine::Range<Data> {
    let mut xlsx: Xlsx<_> = open_workbook(path).expect("generated file");
    xlsx.worksheet_range("Sheet1").expect("Sheet1")
}

fn baseline(input: &std::path::Path, output: &std::path::Path) -> Duration {
    let start = Instant::now();
    let range = read_range(input);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb
        .add_worksheet_with_constant_memory()
        .expect("constant-memory worksheet");
    for (r, row) in range.rows().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Data::Float(f) = v {
                ws.write_number(r as u32, c as u16, *f).expect("write");
            }
        }
    }
    wb.save(output).expect("save");
    start.elapsed()
}

fn to_model(range: &calamine::Range<Data>) -> Workbook {
    let mut sheet = Sheet::new("Sheet1");
    sheet.origin = Some(SheetOrigin {
        name: "Sheet1".into(),
        index: 0,
    });
    sheet.reserve_rows(range.height());
    for (r, row) in range.rows().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Data::Float(f) = v {
                sheet.load_cell(
                    CellAddr::new(r as u32, c as u32),
                    Cell {
                        value: Value::from_f64(*f),
                        ..Cell::default()
                    },
                );
            }
        }
    }
    let mut wb = Workbook::new();
    wb.sheets.push(sheet);
    wb
}

fn edit(wb: &mut Workbook, rows: u32) {
    let sheet = &mut wb.sheets[0];
    for r in 0..rows {
        sheet.set_value(
            CellAddr::new(r, 2),
            Value::Number(Number::from_i64(i64::from(r))),
        );
    }
}

fn best_of(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..n).map(|_| f()).min().expect("n > 0")
}

fn main() {
    let rows: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("big.xlsx");
    generate(&input, rows).expect("generate");
    println!(
        "input: {rows} rows x {COLS} columns, {} bytes",
        std::fs::metadata(&input).map(|m| m.len()).unwrap_or(0)
    );

    let base = best_of(3, || baseline(&input, &dir.path().join("base.xlsx")));
    println!("calamine read + rust_xlsxwriter constant-memory write: {base:?}");

    let mut wb = to_model(&read_range(&input));
    edit(&mut wb, rows);
    let out = dir.path().join("patched.xlsx");
    let patch = best_of(3, || {
        let start = Instant::now();
        patch_package(&input, &wb, &out, &Progress::hidden()).expect("patch");
        start.elapsed()
    });
    println!(
        "patch_package alone (model in memory, {rows} changed cells): {patch:?} ({:.2}x)",
        patch.as_secs_f64() / base.as_secs_f64()
    );

    let whole = best_of(3, || {
        let start = Instant::now();
        let mut wb = to_model(&read_range(&input));
        edit(&mut wb, rows);
        patch_package(&input, &wb, &out, &Progress::hidden()).expect("patch");
        start.elapsed()
    });
    println!(
        "calamine read into the model + edit + patch_package: {whole:?} ({:.2}x)",
        whole.as_secs_f64() / base.as_secs_f64()
    );

    // The result is right.
    let range = read_range(&out);
    let last = rows - 1;
    assert_eq!(
        range.get_value((last, 2)),
        Some(&Data::Float(f64::from(last)))
    );
    assert_eq!(
        range.get_value((last, 3)),
        Some(&Data::Float(f64::from(last) * 1.25 + 3.0))
    );
    println!("patched file checked: C{} = {last}", rows);
}
