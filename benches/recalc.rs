//! Recalculation speed: a 100k-row ledger with three formulas per row and
//! a summary over whole columns, computed in full and after one edit.

use criterion::{criterion_group, criterion_main, Criterion};
use sheetscript::formula::{Engine, EngineOptions};
use sheetscript::model::{CellAddr, Number, Value, Workbook};

const ROWS: u32 = 100_000;

fn ledger() -> Workbook {
    let mut wb = Workbook::new();
    wb.add_sheet("Ledger").expect("valid name");
    let s = &mut wb.sheets[0];
    for r in 1..=ROWS {
        let row = r - 1;
        let region = if r % 3 == 0 { "North" } else { "South" };
        s.set_value(CellAddr::new(row, 0), Value::Text(region.into()));
        s.set_value(
            CellAddr::new(row, 1),
            Value::Number(Number::from_i64((r % 50) as i64 + 1)),
        );
        s.set_value(
            CellAddr::new(row, 2),
            Value::Number(Number::Exact(rust_decimal::Decimal::new(
                1999 + (r % 100) as i64,
                2,
            ))),
        );
        s.set_formula(CellAddr::new(row, 3), &format!("B{r}*C{r}"), Value::Empty);
        s.set_formula(
            CellAddr::new(row, 4),
            &format!("ROUND(D{r}*0.2,2)"),
            Value::Empty,
        );
        s.set_formula(CellAddr::new(row, 5), &format!("D{r}+E{r}"), Value::Empty);
    }
    s.set_formula(CellAddr::new(0, 7), "SUM(F:F)", Value::Empty);
    s.set_formula(CellAddr::new(1, 7), "COUNTIF(A:A,\"North\")", Value::Empty);
    s.set_formula(
        CellAddr::new(2, 7),
        "SUMIFS(F:F,A:A,\"North\")",
        Value::Empty,
    );
    wb
}

fn bench(c: &mut Criterion) {
    let wb = ledger();
    let mut g = c.benchmark_group("recalc");
    g.sample_size(10);
    g.bench_function("build_and_recalc_all_100k_rows", |b| {
        b.iter(|| {
            let mut e = Engine::new(wb.clone(), EngineOptions::default());
            e.recalc_all()
        })
    });
    let mut e = Engine::new(wb.clone(), EngineOptions::default());
    e.recalc_all();
    let mut n = 0i64;
    g.bench_function("one_edit_then_recalc_dirty", |b| {
        b.iter(|| {
            n += 1;
            e.set_value(
                "Ledger",
                CellAddr::new(500, 1),
                Value::Number(Number::from_i64(n)),
            )
            .expect("sheet exists");
            e.recalc_dirty()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
