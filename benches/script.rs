//! The VAT script over 100 000 invoice rows held in memory: column-wide
//! arithmetic runs in Rust, so this should cost about as much as loading
//! the table and writing the two new columns back.

use criterion::{criterion_group, criterion_main, Criterion};
use sheetscript::model::{Cell, CellAddr, Number, Value, Workbook};
use sheetscript::script::{run_script, ScriptOptions};

const ROWS: u32 = 100_000;

fn invoices() -> Workbook {
    let mut wb = Workbook::new();
    wb.add_sheet("Invoices").unwrap();
    let s = wb.sheet_mut("Invoices").unwrap();
    let put = |s: &mut sheetscript::model::Sheet, r: u32, c: u32, value: Value| {
        s.load_cell(
            CellAddr::new(r, c),
            Cell {
                value,
                ..Cell::default()
            },
        );
    };
    for (c, h) in ["Customer", "Net", "VAT Rate"].iter().enumerate() {
        put(s, 0, c as u32, Value::Text(h.to_string()));
    }
    for r in 1..=ROWS {
        let net = rust_decimal::Decimal::new(10_000 + (r as i64 * 7919) % 2_500_000, 2);
        let rate = ["0.21", "0.12", "0"][(r % 3) as usize].parse().unwrap();
        put(s, r, 0, Value::Text(format!("Customer {}", r % 97)));
        put(s, r, 1, Value::Number(Number::Exact(net)));
        put(s, r, 2, Value::Number(Number::Exact(rate)));
    }
    wb
}

const VAT: &str = r#"
let t = table("Invoices");
t["VAT"] = round(t.Net * t["VAT Rate"], 2);
t["Gross"] = t.Net + t.VAT;
t.save();
"#;

fn bench(c: &mut Criterion) {
    let wb = invoices();
    let mut g = c.benchmark_group("script");
    g.sample_size(10);
    g.bench_function("vat_100k_rows", |b| {
        b.iter(|| run_script(VAT, "vat.rhai", wb.clone(), &ScriptOptions::default()).unwrap())
    });
    g.bench_function("clone_100k_rows (baseline)", |b| b.iter(|| wb.clone()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
