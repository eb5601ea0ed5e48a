//! The engine's unit tests: recalculation order, cycles, spills, limits.

use super::*;
use crate::formula::testing::{num, test_now, workbook_with};
use crate::model::{ArrayFormula, ErrorKind, Number};

fn engine(cells: &[(&str, &str)]) -> Engine {
    engine_over(workbook_with(cells))
}

/// An engine over `wb` with the tests' clock.
fn engine_over(wb: Workbook) -> Engine {
    Engine::new(
        wb,
        EngineOptions {
            now: Some(test_now()),
            ..Default::default()
        },
    )
}

/// An engine over `wb` with the tests' clock, computing on `threads`
/// threads.
fn engine_with_threads(wb: Workbook, threads: usize) -> Engine {
    Engine::new(
        wb,
        EngineOptions {
            now: Some(test_now()),
            threads: Some(threads),
            ..Default::default()
        },
    )
}

/// Every cell's value of the first sheet after recalculating all of `wb`
/// on `threads` threads, and the report.
fn recalculated(wb: Workbook, threads: usize) -> (Vec<(CellAddr, Value)>, RecalcReport) {
    let mut e = engine_with_threads(wb, threads);
    let report = e.recalc_all();
    let values = e.workbook().sheets[0]
        .cells()
        .map(|(a, c)| (a, c.value.clone()))
        .collect();
    (values, report)
}

fn a(s: &str) -> CellAddr {
    CellAddr::parse(s).unwrap()
}

fn v(e: &mut Engine, cell: &str) -> Value {
    e.value("Sheet1", a(cell)).unwrap()
}

#[test]
fn text_dates_without_a_year_take_the_engines_clock() {
    let now = chrono::NaiveDate::from_ymd_opt(2019, 5, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap();
    let cells = [("A1", "=\"31-Jan\"+0"), ("A2", "=DATEVALUE(\"31-Jan\")")];
    let mut e = Engine::new(
        workbook_with(&cells),
        EngineOptions {
            now: Some(now),
            ..Default::default()
        },
    );
    e.recalc_all();
    // 31 January 2019 is serial 43496.
    assert_eq!(v(&mut e, "A1"), num("43496"));
    assert_eq!(v(&mut e, "A2"), num("43496"));
}

#[test]
fn dynamic_formulas_spill_and_legacy_ones_intersect() {
    let mut e = engine(&[("A1", "1"), ("A2", "2"), ("A3", "3"), ("C2", "=A1:A3*10")]);
    e.recalc_all();
    // Read from a file without the array flag: implicit intersection.
    assert_eq!(v(&mut e, "C2"), num("20"));
    e.set_formula("Sheet1", a("E5"), "=IF(TRUE,A1:A3,0)")
        .unwrap();
    assert_eq!(v(&mut e, "E5"), num("1"));
    assert_eq!(v(&mut e, "E7"), num("3"));
    assert_eq!(
        e.workbook().sheets[0].array_formulas.get(&a("E5")),
        Some(&ArrayFormula::dynamic(RangeAddr::new(a("E5"), a("E7"))))
    );
    // A value in the way blocks the spill; removing it lets it spill.
    e.set_value("Sheet1", a("E6"), Value::Text("x".into()))
        .unwrap();
    assert_eq!(
        v(&mut e, "E5"),
        Value::Error(crate::model::ErrorKind::Spill)
    );
    e.clear("Sheet1", a("E6")).unwrap();
    assert_eq!(v(&mut e, "E6"), num("2"));
    // A smaller result leaves no stale values behind.
    e.set_formula("Sheet1", a("E5"), "=A1:A2").unwrap();
    assert_eq!(v(&mut e, "E7"), Value::Empty);
}

#[test]
fn the_spill_operator_sees_the_whole_array() {
    let mut e = engine(&[
        ("C1", "=SUM(ANCHORARRAY(A1))"),
        ("D1", "=SUM(ANCHORARRAY(B1))"),
    ]);
    e.set_formula("Sheet1", a("A1"), "={1;2;3}").unwrap();
    e.recalc_all();
    assert_eq!(v(&mut e, "C1"), num("6"));
    assert_eq!(v(&mut e, "D1"), Value::Error(crate::model::ErrorKind::Ref));
    e.set_formula("Sheet1", a("A1"), "={1;2;3;4}").unwrap();
    assert_eq!(v(&mut e, "C1"), num("10"));
}

#[test]
fn changes_recompute_only_dependents() {
    let mut e = engine(&[
        ("A1", "2"),
        ("B1", "=A1*10"),
        ("C1", "=SUM(B:B)"),
        ("D1", "=5+5"),
    ]);
    let r = e.recalc_all();
    assert_eq!(r.computed, 3);
    assert_eq!(v(&mut e, "C1"), num("20"));
    e.set_value("Sheet1", a("A1"), Value::Number(Number::from_i64(3)))
        .unwrap();
    let r = e.recalc_dirty();
    assert_eq!(r.computed, 2);
    assert_eq!(v(&mut e, "C1"), num("30"));
    e.set_formula("Sheet1", a("B2"), "=B1+1").unwrap();
    assert_eq!(v(&mut e, "C1"), num("61"));
    assert!(e.set_formula("Sheet1", a("B3"), "=SUM(1,").is_err());
}

#[test]
fn cycles_are_reported_and_the_run_continues() {
    let mut e = engine(&[
        ("A1", "=B1+1"),
        ("B1", "=A1+1"),
        ("C1", "=7"),
        ("D1", "=CHOOSE(2,D1,5)"),
    ]);
    let r = e.recalc_all();
    assert_eq!(
        v(&mut e, "A1"),
        Value::Error(crate::model::ErrorKind::Circular)
    );
    assert_eq!(v(&mut e, "C1"), num("7"));
    // A reference never read is no cycle (Excel agrees).
    assert_eq!(v(&mut e, "D1"), num("5"));
    assert_eq!(r.cycles.len(), 1);
    assert!(r.cycles[0].contains(&"Sheet1!A1".to_string()));
}

#[test]
fn cycles_through_indirect_name_their_cells() {
    let mut e = engine(&[
        ("A1", "=INDIRECT(\"B1\")+1"),
        ("B1", "=A1+1"),
        ("C1", "=INDIRECT(\"C1\")"),
    ]);
    let r = e.recalc_all();
    assert!(!r.cycles.is_empty());
    for cycle in &r.cycles {
        assert!(!cycle.is_empty(), "a cycle without cells: {:?}", r.cycles);
    }
    let named: Vec<&String> = r.cycles.iter().flatten().collect();
    assert!(named.contains(&&"Sheet1!C1".to_string()), "{:?}", r.cycles);
    assert!(named.contains(&&"Sheet1!A1".to_string()), "{:?}", r.cycles);
    assert!(r
        .warnings()
        .iter()
        .all(|w| !w.ends_with(": ") && !w.ends_with(':')));
}

#[test]
fn unknown_functions_and_parse_errors_are_listed() {
    let mut wb = workbook_with(&[("A1", "=NOSUCH(1)")]);
    wb.sheets[0].set_formula(a("A2"), "SUM(1,", Value::Empty);
    let mut e = engine_over(wb);
    let r = e.recalc_all();
    assert!(r.unknown_functions.contains("NOSUCH"));
    assert_eq!(r.parse_errors.len(), 1);
    assert_eq!(r.parse_errors[0].0, "Sheet1!A2");
    assert_eq!(v(&mut e, "A1"), Value::Error(crate::model::ErrorKind::Name));
}

#[test]
fn absent_functions_keep_the_value_excel_saved() {
    let mut wb = workbook_with(&[("B1", "2")]);
    let n = |x: i64| Value::Number(crate::model::Number::from_i64(x));
    // A VBA function and an add-in function with saved results, one
    // unknown function without.
    wb.sheets[0].set_formula(a("A1"), "MYVBA(B1)*2", n(42));
    wb.sheets[0].set_formula(a("A2"), "_xll.HsGetValue(\"x\")", n(7));
    wb.sheets[0].set_formula(a("A3"), "NOSUCH(1)", Value::Empty);
    wb.sheets[0].set_formula(a("A4"), "A1+A2", n(0));
    let mut e = engine_over(wb);
    let r = e.recalc_all();
    assert_eq!(v(&mut e, "A1"), n(42));
    assert_eq!(v(&mut e, "A2"), n(7));
    assert_eq!(v(&mut e, "A3"), Value::Error(crate::model::ErrorKind::Name));
    // Formulas reading a kept cell compute from its saved value.
    assert_eq!(v(&mut e, "A4"), n(49));
    let kept: Vec<&str> = r.kept_cached.iter().map(String::as_str).collect();
    assert_eq!(kept, ["MYVBA", "_XLL.HSGETVALUE"]);
    assert_eq!(r.unknown_functions.len(), 1);
    let warnings = r.warnings();
    assert_eq!(
        warnings.iter().filter(|w| w.contains("MYVBA")).count(),
        1,
        "{warnings:?}"
    );
    // A later recalculation keeps them too.
    e.set_value("Sheet1", a("B1"), n(3)).unwrap();
    e.recalc_dirty();
    assert_eq!(v(&mut e, "A1"), n(42));
}

#[test]
fn cycles_are_computed_by_iteration_when_the_workbook_says_so() {
    let iterating = |cells: &[(&str, &str)], count: u32| {
        let mut wb = workbook_with(cells);
        wb.iteration = Some(crate::model::Iteration {
            max_count: count,
            max_change: 0.001,
        });
        engine_over(wb)
    };
    // A converging pair: A1 = A1/2 + 10 through B1, fixed point 20.
    let mut e = iterating(&[("A1", "=B1/2+10"), ("B1", "=A1"), ("C1", "=A1*2")], 100);
    let r = e.recalc_all();
    assert!(r.cycles.is_empty(), "{:?}", r.cycles);
    let a1 = v(&mut e, "A1").as_number().unwrap().to_f64();
    assert!((a1 - 20.0).abs() < 0.002, "{a1}");
    let c1 = v(&mut e, "C1").as_number().unwrap().to_f64();
    assert!((c1 - 2.0 * a1).abs() < 1e-9, "{c1}");
    // A counter runs exactly iterateCount passes, as in Excel.
    let mut e = iterating(&[("A1", "=A1+1")], 10);
    e.recalc_all();
    assert_eq!(
        v(&mut e, "A1"),
        Value::Number(crate::model::Number::from_i64(10))
    );
    // Without iteration the same cycle is #CIRC! with a warning.
    let mut e = engine(&[("A1", "=B1/2+10"), ("B1", "=A1")]);
    let r = e.recalc_all();
    assert_eq!(r.cycles.len(), 1);
    assert_eq!(
        v(&mut e, "A1"),
        Value::Error(crate::model::ErrorKind::Circular)
    );
}

#[test]
fn names_over_tables_names_and_other_sheets_evaluate() {
    use crate::formula::testing::{eval_in, num};
    use crate::model::{DefinedName, Table};
    let mut wb = workbook_with(&[
        ("Budget!A1", "Item"),
        ("Budget!B1", "Amount"),
        ("Budget!A2", "Rent"),
        ("Budget!B2", "900"),
        ("Budget!A3", "Food"),
        ("Budget!B3", "300"),
        ("Budget!B4", "=SUBTOTAL(109,[Amount])"),
    ]);
    wb.tables.push(Table {
        name: "Expenses".into(),
        sheet: "Budget".into(),
        range: crate::model::RangeAddr::parse("A1:B4").unwrap(),
        header_row: true,
        totals_row: true,
        columns: vec!["Item".into(), "Amount".into()],
    });
    let name = |n: &str, r: &str| DefinedName {
        name: n.into(),
        scope: None,
        refers_to: r.into(),
    };
    wb.names
        .push(name("TotalMonthlyExpenses", "SUM(Expenses[Amount])"));
    wb.names
        .push(name("TotalsCell", "Expenses[[#Totals],[Amount]]"));
    wb.names.push(name("Twice", "TotalMonthlyExpenses*2"));
    wb.names.push(name("Other", "Budget!$B$2:$B$3"));
    // From another sheet, as a budget summary reads them.
    for (f, want) in [
        ("=TotalMonthlyExpenses", "1200"),
        ("=TotalsCell", "1200"),
        ("=Twice", "2400"),
        ("=SUM(Other)", "1200"),
    ] {
        assert_eq!(eval_in(wb.clone(), "Sheet1", f), num(want), "{f}");
    }
}

#[test]
fn sheets_are_renamed_and_removed_in_formulas() {
    let mut e = engine(&[("Data!A1", "5"), ("B1", "=Data!A1*2")]);
    e.recalc_all();
    e.rename_sheet("Data", "Sales 2026").unwrap();
    let f = e.workbook().sheets[0].formula_text(a("B1"));
    assert_eq!(f.as_deref(), Some("'Sales 2026'!A1*2"));
    assert_eq!(v(&mut e, "B1"), num("10"));
    e.remove_sheet("Sales 2026").unwrap();
    e.recalc_all();
    assert_eq!(v(&mut e, "B1"), Value::Error(crate::model::ErrorKind::Ref));
    e.add_sheet("Extra").unwrap();
    e.set_value("Extra", a("A1"), Value::Number(Number::from_i64(4)))
        .unwrap();
    e.set_formula("Sheet1", a("C1"), "Extra!A1+1").unwrap();
    assert_eq!(v(&mut e, "C1"), num("5"));
}

#[test]
fn eval_and_call_reach_any_function() {
    let mut e = engine(&[("A1", "1.5"), ("A2", "2.5")]);
    assert_eq!(e.eval(None, "=SUM(A1:A2)").unwrap(), CalcValue::number(4));
    assert!(matches!(
        e.eval(Some("Sheet1"), "A1:A2").unwrap(),
        CalcValue::Ref(_)
    ));
    let r = e
        .call(
            "sum",
            vec![CalcValue::number(2), CalcValue::Value(num("0.5"))],
        )
        .unwrap();
    assert_eq!(r, CalcValue::Value(num("2.5")));
    assert!(e.call("NOSUCH", vec![]).is_err());
    assert!(e.function_names().contains(&"VLOOKUP"));
}

#[test]
fn numbers_in_date_cells_become_dates_and_the_clock_is_fixed() {
    let mut wb = workbook_with(&[("A1", "=TODAY()+1")]);
    let style = wb
        .styles
        .intern(crate::model::Style::with_number_format("yyyy-mm-dd"));
    wb.sheets[0].set_style(a("A1"), style);
    let mut e = engine_over(wb);
    e.recalc_all();
    assert_eq!(v(&mut e, "A1").to_string(), "2026-11-28");
}

#[test]
fn a_long_chain_does_not_overflow_the_stack() {
    let mut e = engine(&[("A1", "1")]);
    for r in 2..=5000u32 {
        e.set_formula("Sheet1", CellAddr::new(r - 1, 0), &format!("=A{}+1", r - 1))
            .unwrap();
    }
    assert_eq!(v(&mut e, "A5000"), num("5000"));
    e.set_value("Sheet1", a("A1"), Value::Number(Number::from_i64(0)))
        .unwrap();
    assert_eq!(v(&mut e, "A5000"), num("4999"));
}

#[test]
fn a_passed_deadline_stops_the_run_and_names_the_cell() {
    let cells: Vec<(String, String)> = (1..=200)
        .map(|r| (format!("A{r}"), format!("=SUM({r},1)")))
        .collect();
    let cells: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, f)| (a.as_str(), f.as_str()))
        .collect();
    let mut e = engine(&cells);
    let passed = Deadline {
        at: std::time::Instant::now(),
        limit: std::time::Duration::from_secs(3),
    };
    e.set_deadline(Some(passed));
    let report = e.recalc_all();
    let (cell, limit) = report.timed_out.clone().expect("the run timed out");
    assert!(cell.starts_with("Sheet1!A"), "{cell}");
    assert_eq!(limit, std::time::Duration::from_secs(3));
    let err = report.check_time().unwrap_err().to_string();
    assert!(err.contains("time limit of 3 s (--timeout)"), "{err}");
    let err = e.eval(None, "=SUM(A1:A200)").unwrap_err().to_string();
    assert!(err.contains("--timeout"), "{err}");
    // Lifted, the same engine computes everything right again.
    e.set_deadline(None);
    assert_eq!(e.recalc_all().timed_out, None);
    assert_eq!(v(&mut e, "A200"), num("201"));
    assert_eq!(
        e.eval(None, "=SUM(A1:A200)").unwrap(),
        CalcValue::number(20300)
    );
}

/// A workbook whose levels are big enough for side-by-side evaluation,
/// with what makes it hard: chains through several levels, lookups, a
/// reference found while computing (INDIRECT) into a later level, a
/// spilling formula read by others, a cycle, absent functions, and RAND.
fn wide_workbook(rows: u32) -> Vec<(String, String)> {
    let mut cells = Vec::new();
    for r in 1..=rows {
        cells.push((format!("A{r}"), format!("{}", r * 7 % 101)));
        cells.push((format!("B{r}"), format!("=A{r}*2")));
        cells.push((format!("C{r}"), format!("=B{r}+A{r}")));
        cells.push((
            format!("D{r}"),
            format!("=VLOOKUP(MOD(A{r},50),$A$1:$C${rows},3,FALSE)"),
        ));
        cells.push((
            format!("E{r}"),
            format!(
                "=IF(MOD({r},97)=0,INDIRECT(\"F{}\"),C{r}-B{r})",
                r % rows + 1
            ),
        ));
        cells.push((format!("F{r}"), format!("=E{r}+D{r}")));
        // Random numbers drawn from the fixed clock and the cell: the same
        // whichever thread computes them.
        cells.push((format!("M{r}"), "=RAND()+RANDBETWEEN(1,9)".to_string()));
    }
    cells.push(("H1".into(), "=SEQUENCE(3)*SUM(F:F)".into()));
    cells.push(("H5".into(), "=H2+H3".into()));
    cells.push(("J1".into(), "=J2+1".into()));
    cells.push(("J2".into(), "=J1+1".into()));
    cells.push(("K1".into(), "=NOSUCHFUNCTION(A1)".into()));
    cells.push(("L1".into(), "=SUMIFS(B:B,A:A,\">50\")".into()));
    cells
}

#[test]
fn any_number_of_threads_computes_the_same_values() {
    let cells = wide_workbook(3000);
    let cells: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, f)| (a.as_str(), f.as_str()))
        .collect();
    let computed = |threads: usize| {
        let mut wb = workbook_with(&cells);
        // H1 is a dynamic-array formula, as a file marks it.
        wb.sheets[0].array_formulas.insert(
            a("H1"),
            ArrayFormula::dynamic(RangeAddr::new(a("H1"), a("H3"))),
        );
        let (values, report) = recalculated(wb, threads);
        (
            values,
            report.computed,
            report.cycles,
            report.unknown_functions,
        )
    };
    let one = computed(1);
    let at = |cell: &str| {
        one.0
            .iter()
            .find(|(x, _)| *x == a(cell))
            .map(|(_, v)| v.clone())
    };
    // The spill is read by H5.
    assert_eq!(
        at("H5").and_then(|v| v.as_number()),
        at("H2")
            .and_then(|v| v.as_number())
            .map(|n| n.to_f64() * 5.0 / 2.0)
            .map(Number::from_f64)
    );
    assert_eq!(one.2.len(), 1, "the cycle J1 <-> J2");
    for threads in [2, 3, 8] {
        let many = computed(threads);
        let differ: Vec<String> = one
            .0
            .iter()
            .zip(&many.0)
            .filter(|(x, y)| x != y)
            .take(5)
            .map(|(x, y)| format!("{x:?} vs {y:?}"))
            .collect();
        assert!(
            differ.is_empty() && many.0.len() == one.0.len(),
            "{threads} threads: {differ:?}"
        );
        assert_eq!(many.1, one.1, "{threads} threads: cells computed");
        assert_eq!(many.2, one.2, "{threads} threads: cycles");
        assert_eq!(many.3, one.3, "{threads} threads: unknown functions");
    }
}

#[test]
fn a_copied_down_shape_recomputes_what_a_change_reaches() {
    let mut cells = vec![("E1", "2")];
    let texts: Vec<(String, String)> = (1..=30)
        .flat_map(|r| {
            [
                (format!("A{r}"), format!("{r}")),
                (format!("B{r}"), format!("=A{r}*$E$1+Sheet2!A{r}")),
                (format!("C{r}"), format!("=B{r}+SUM(A$1:A{r})")),
            ]
        })
        .collect();
    cells.extend(texts.iter().map(|(a, t)| (a.as_str(), t.as_str())));
    cells.push(("Sheet2!A5", "100"));
    let mut e = engine(&cells);
    e.recalc_all();
    // B5 = 5 * 2 + 100; C5 = B5 + 15.
    assert_eq!(v(&mut e, "B5"), num("110"));
    assert_eq!(v(&mut e, "C5"), num("125"));
    e.set_value("Sheet1", a("A5"), Value::Number(Number::from_i64(6)))
        .unwrap();
    assert_eq!(v(&mut e, "B5"), num("112"));
    assert_eq!(v(&mut e, "C5"), num("128"));
    assert_eq!(v(&mut e, "C6"), num("34"), "6*2 + 22");
    assert_eq!(v(&mut e, "B6"), num("12"));
    e.set_value("Sheet2", a("A6"), Value::Number(Number::from_i64(1)))
        .unwrap();
    assert_eq!(v(&mut e, "C6"), num("35"));
    e.set_value("Sheet1", a("E1"), Value::Number(Number::from_i64(3)))
        .unwrap();
    assert_eq!(v(&mut e, "B30"), num("90"));
    // A cell of the shape set by hand leaves the shape's rules.
    e.set_formula("Sheet1", a("B7"), "=A7").unwrap();
    e.set_value("Sheet1", a("A7"), Value::Number(Number::from_i64(70)))
        .unwrap();
    assert_eq!(v(&mut e, "B7"), num("70"));
    // 70 + (1 + 2 + 3 + 4 + 6 + 6 + 70).
    assert_eq!(v(&mut e, "C7"), num("162"));
}

#[test]
fn a_saved_array_result_is_the_spill_range_of_its_anchor() {
    // Saved as a file keeps them: B2 a dynamic array over B2:B4, C2 a
    // legacy {=...} array over C2:C4, their results cached.
    let mut wb = workbook_with(&[
        ("A2", "1"),
        ("A3", "2"),
        ("A4", "3"),
        ("B2", "=A2:A4"),
        ("C2", "=7"),
    ]);
    let sheet = &mut wb.sheets[0];
    for (cell, value) in [
        ("B2", 1),
        ("B3", 2),
        ("B4", 3),
        ("C2", 7),
        ("C3", 7),
        ("C4", 7),
    ] {
        sheet.set_cached_value(a(cell), Value::Number(Number::from(value)));
    }
    sheet.array_formulas.insert(
        a("B2"),
        ArrayFormula::dynamic(RangeAddr::new(a("B2"), a("B4"))),
    );
    sheet.array_formulas.insert(
        a("C2"),
        ArrayFormula::legacy(RangeAddr::new(a("C2"), a("C4"))),
    );
    let mut e = engine_over(wb);
    e.recalc_uncached();
    // Neither anchor is recomputed; the volatile OFFSET makes the sum be.
    let sum = |e: &mut Engine, f: &str| match e.eval(Some("Sheet1"), f).unwrap() {
        crate::formula::CalcValue::Value(v) => v,
        other => panic!("{other:?}"),
    };
    assert_eq!(sum(&mut e, "=SUM(ANCHORARRAY(OFFSET(A1,1,1)))"), num("6"));
    assert_eq!(sum(&mut e, "=SUM(ANCHORARRAY(C2))"), num("21"));
    assert_eq!(
        sum(&mut e, "=SUM(ANCHORARRAY(B3))"),
        Value::Error(crate::model::ErrorKind::Ref)
    );
}

/// An engine over `cells` whose array formulas were saved over ranges
/// with the values given, as a file holds them.
fn saved_arrays(
    cells: &[(&str, &str)],
    arrays: &[(&str, &str, bool)],
    saved: &[(&str, Value)],
) -> Engine {
    let mut wb = workbook_with(cells);
    let sheet = &mut wb.sheets[0];
    for (cell, value) in saved {
        sheet.set_cached_value(a(cell), value.clone());
    }
    for &(anchor, range, dynamic) in arrays {
        let range = RangeAddr::parse(range).unwrap();
        let entry = if dynamic {
            ArrayFormula::dynamic(range)
        } else {
            ArrayFormula::legacy(range)
        };
        sheet.array_formulas.insert(a(anchor), entry);
    }
    engine_over(wb)
}

fn sum_of(e: &mut Engine, formula: &str) -> Value {
    match e.eval(Some("Sheet1"), formula).unwrap() {
        crate::formula::CalcValue::Value(v) => v,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_dynamic_array_recomputed_to_one_value_releases_its_saved_range() {
    let cells = [
        ("A1", "1"),
        ("A2", "1"),
        ("A3", "2"),
        ("A4", "3"),
        ("B2", "=IF(A1=1,A2:A4,5)"),
        ("D1", "=SUM(B3:B4)"),
    ];
    let saved = [
        ("B2", num("1")),
        ("B3", num("2")),
        ("B4", num("3")),
        ("D1", num("5")),
    ];
    let mut e = saved_arrays(&cells, &[("B2", "B2:B4", true)], &saved);
    e.recalc_uncached();
    assert_eq!(sum_of(&mut e, "=SUM(B2#)"), num("6"));
    e.set_value("Sheet1", a("A1"), num("0")).unwrap();
    assert_eq!(v(&mut e, "B2"), num("5"));
    assert_eq!(v(&mut e, "B3"), Value::Empty);
    assert_eq!(v(&mut e, "B4"), Value::Empty);
    // What read the released cells is computed again.
    assert_eq!(v(&mut e, "D1"), num("0"));
    assert_eq!(sum_of(&mut e, "=SUM(B2#)"), num("5"));
    assert_eq!(
        e.workbook().sheets[0].array_formulas.get(&a("B2")),
        Some(&ArrayFormula::dynamic(RangeAddr::cell(a("B2"))))
    );
    // Back to three values, it spills again.
    e.set_value("Sheet1", a("A1"), num("1")).unwrap();
    assert_eq!(v(&mut e, "B4"), num("3"));
    assert_eq!(v(&mut e, "D1"), num("5"));
    assert_eq!(sum_of(&mut e, "=SUM(B2#)"), num("6"));
}

#[test]
fn a_dynamic_array_saved_larger_shrinks_on_a_full_recalculation() {
    let cells = [("A1", "1"), ("A2", "2"), ("B1", "=SEQUENCE(A1)")];
    let saved = [("B1", num("1")), ("B2", num("2")), ("B3", num("3"))];
    let mut e = saved_arrays(&cells, &[("B1", "B1:B3", true)], &saved);
    e.recalc_all();
    assert_eq!(v(&mut e, "B1"), num("1"));
    assert_eq!(v(&mut e, "B2"), Value::Empty);
    assert_eq!(v(&mut e, "B3"), Value::Empty);
    // A value typed into its saved range blocks a larger result.
    e.set_value("Sheet1", a("B3"), num("9")).unwrap();
    e.set_value("Sheet1", a("A1"), num("3")).unwrap();
    assert_eq!(v(&mut e, "B1"), Value::Error(ErrorKind::Spill));
    assert_eq!(v(&mut e, "B3"), num("9"));
}

#[test]
fn a_legacy_array_fills_its_whole_range_with_one_value() {
    let saved = [("C3", num("1")), ("C4", num("1")), ("C5", num("1"))];
    let mut e = saved_arrays(&[("C2", "=123")], &[("C2", "C2:C5", false)], &saved);
    e.recalc_all();
    for cell in ["C2", "C3", "C4", "C5"] {
        assert_eq!(v(&mut e, cell), num("123"), "{cell}");
    }
    assert_eq!(sum_of(&mut e, "=SUM(C2#)"), num("492"));
}

#[test]
fn a_legacy_array_shows_na_past_a_smaller_result_and_cuts_a_larger_one() {
    let cells = [
        ("A1", "1"),
        ("A2", "2"),
        ("A3", "3"),
        ("C1", "=A1:A2"),
        ("D1", "=A1:A3*10"),
    ];
    let mut e = saved_arrays(
        &cells,
        &[("C1", "C1:C3", false), ("D1", "D1:D2", false)],
        &[],
    );
    e.recalc_all();
    assert_eq!(v(&mut e, "C1"), num("1"));
    assert_eq!(v(&mut e, "C2"), num("2"));
    assert_eq!(v(&mut e, "C3"), Value::Error(ErrorKind::NA));
    assert_eq!(v(&mut e, "D1"), num("10"));
    assert_eq!(v(&mut e, "D2"), num("20"));
    // Never spilled past its range, even with room below.
    assert_eq!(v(&mut e, "D3"), Value::Empty);
    // An input change reaches the range and what reads it.
    e.set_formula("Sheet1", a("F1"), "=SUM(C2:D2)").unwrap();
    assert_eq!(v(&mut e, "F1"), num("22"));
    e.set_value("Sheet1", a("A2"), num("5")).unwrap();
    assert_eq!(v(&mut e, "C2"), num("5"));
    assert_eq!(v(&mut e, "F1"), num("55"));
}

#[test]
fn a_legacy_array_repeats_a_row_down_and_a_column_across() {
    let cells = [
        ("A1", "1"),
        ("B1", "2"),
        ("A3", "7"),
        ("A4", "8"),
        ("D1", "=A1:B1"),
        ("D4", "=A3:A4"),
    ];
    let mut e = saved_arrays(
        &cells,
        &[("D1", "D1:E2", false), ("D4", "D4:E5", false)],
        &[],
    );
    e.recalc_all();
    for (cell, want) in [("D1", "1"), ("E1", "2"), ("D2", "1"), ("E2", "2")] {
        assert_eq!(v(&mut e, cell), num(want), "{cell}");
    }
    for (cell, want) in [("D4", "7"), ("E4", "7"), ("D5", "8"), ("E5", "8")] {
        assert_eq!(v(&mut e, cell), num(want), "{cell}");
    }
}

#[test]
fn a_legacy_array_over_one_cell_shows_the_first_value_without_spilling() {
    let cells = [("A1", "1"), ("A2", "2"), ("C1", "=A1:A2*2")];
    let mut e = saved_arrays(&cells, &[("C1", "C1", false)], &[]);
    e.recalc_all();
    assert_eq!(v(&mut e, "C1"), num("2"));
    assert_eq!(v(&mut e, "C2"), Value::Empty);
}

#[test]
fn part_of_a_legacy_array_cannot_change_alone() {
    let mut e = saved_arrays(&[("C2", "=123")], &[("C2", "C2:C4", false)], &[]);
    e.recalc_all();
    let err = e.set_value("Sheet1", a("C3"), num("1")).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("Sheet1!C3") && text.contains("C2:C4"),
        "{text}"
    );
    assert!(e.clear("Sheet1", a("C4")).is_err());
    assert_eq!(v(&mut e, "C3"), num("123"));
    // Clearing the anchor ends the whole array; its cells are free then.
    e.clear("Sheet1", a("C2")).unwrap();
    assert_eq!(v(&mut e, "C3"), Value::Empty);
    e.set_value("Sheet1", a("C3"), num("1")).unwrap();
    assert_eq!(v(&mut e, "C3"), num("1"));
}

#[test]
fn a_legacy_range_past_the_limit_is_num_with_a_reason() {
    let mut e = saved_arrays(&[("A1", "=1")], &[("A1", "A1:XFD1048576", false)], &[]);
    let report = e.recalc_all();
    assert_eq!(v(&mut e, "A1"), Value::Error(ErrorKind::Num));
    assert!(
        report
            .failures
            .iter()
            .any(|(_, f)| f.contains("A1:XFD1048576")),
        "{:?}",
        report.failures
    );
}

#[test]
fn legacy_ranges_share_one_budget_of_cells() {
    // A1:D1048576 takes the whole budget; F1:F2 finds none left. Nothing
    // is computed: the budget is taken when the engine reads the file.
    let e = saved_arrays(
        &[("A1", "=1"), ("F1", "=2")],
        &[("A1", "A1:D1048576", false), ("F1", "F1:F2", false)],
        &[],
    );
    let id = |cell: &str| e.store.id_at(0, a(cell)).unwrap();
    assert_eq!(
        u64::from(RangeAddr::parse("A1:D1048576").unwrap().rows()) * 4,
        crate::formula::store::MAX_LEGACY_ARRAY_CELLS
    );
    assert!(e.store.fitted.contains_key(&id("A1")));
    assert!(e.store.oversized.contains(&id("F1")));
}

#[test]
fn a_formula_set_here_that_computes_a_range_whole_is_marked_dynamic() {
    let mut e = engine(&[("A1", "1"), ("A2", "2"), ("A3", "3")]);
    e.set_formula("Sheet1", a("C1"), "=INDEX(A1:A3*10,2)")
        .unwrap();
    e.set_formula("Sheet1", a("D1"), "=A1*10").unwrap();
    assert_eq!(v(&mut e, "C1"), num("20"));
    let arrays = &e.workbook().sheets[0].array_formulas;
    // Read back without the mark, A1:A3*10 would be intersected to 10.
    assert_eq!(
        arrays.get(&a("C1")),
        Some(&ArrayFormula::dynamic(RangeAddr::cell(a("C1"))))
    );
    assert_eq!(arrays.get(&a("D1")), None);
    let mut plain = engine(&[
        ("A1", "1"),
        ("A2", "2"),
        ("A3", "3"),
        ("C1", "=INDEX(A1:A3*10,2)"),
    ]);
    plain.recalc_all();
    assert_ne!(v(&mut plain, "C1"), num("20"));
}

#[test]
fn every_cell_of_a_shape_reading_a_volatile_name_is_volatile() {
    use crate::model::DefinedName;
    // The shape's names are followed at its first cell only: what they
    // make of it (volatile, here) must hold for all of its cells.
    let texts: Vec<(String, String)> = (1..=5)
        .flat_map(|r| {
            [
                (format!("A{r}"), format!("{r}")),
                (format!("B{r}"), format!("=A{r}+Pick")),
            ]
        })
        .collect();
    let mut cells: Vec<(&str, &str)> = texts
        .iter()
        .map(|(a, t)| (a.as_str(), t.as_str()))
        .collect();
    cells.push(("Z1", "10"));
    let mut wb = workbook_with(&cells);
    wb.names.push(DefinedName {
        name: "Pick".into(),
        scope: None,
        refers_to: "INDIRECT(\"Z1\")".into(),
    });
    let mut e = engine_over(wb);
    e.recalc_all();
    assert_eq!(v(&mut e, "B5"), num("15"));
    // Z1 is read through INDIRECT, which the graph cannot see: only
    // volatility recomputes the cells.
    e.set_value("Sheet1", a("Z1"), Value::Number(Number::from_i64(20)))
        .unwrap();
    e.recalc_dirty();
    for (cell, want) in [("B1", "21"), ("B3", "23"), ("B5", "25")] {
        assert_eq!(v(&mut e, cell), num(want), "{cell}");
    }
}

#[test]
fn a_column_emptied_of_formulas_and_filled_again_finds_its_formulas() {
    // The per-column formula counts answer "no formula here" without the
    // index: they must follow removals and additions.
    let mut e = engine(&[("A1", "1"), ("B1", "=A1*2"), ("C1", "=B1+B2")]);
    e.recalc_all();
    assert_eq!(v(&mut e, "C1"), num("2"));
    e.set_value("Sheet1", a("B1"), Value::Number(Number::from_i64(5)))
        .unwrap();
    assert_eq!(e.store.id_at(0, a("B1")), None);
    assert_eq!(v(&mut e, "C1"), num("5"));
    e.set_formula("Sheet1", a("B2"), "=A1*3").unwrap();
    assert!(e.store.id_at(0, a("B2")).is_some());
    assert_eq!(v(&mut e, "C1"), num("8"));
    e.set_value("Sheet1", a("A1"), Value::Number(Number::from_i64(2)))
        .unwrap();
    assert_eq!(v(&mut e, "C1"), num("11"));
}

#[test]
fn slow_cells_go_first_and_cells_needing_more_keep_their_order() {
    // Level 0 spans several slices: B reads its row's A, except every
    // 700th row, which reads C (a later level) through INDIRECT and so
    // needs the exclusive evaluator; Z1 counts over a whole column, a
    // slow cell whose slice (the last) is computed first.
    let rows = 3000;
    let mut cells = Vec::new();
    for r in 1..=rows {
        cells.push((format!("A{r}"), format!("{r}")));
        let b = if r % 700 == 0 {
            format!("=INDIRECT(\"C{r}\")*10")
        } else {
            format!("=A{r}*2")
        };
        cells.push((format!("B{r}"), b));
        cells.push((format!("C{r}"), format!("=A{r}+1")));
    }
    cells.push(("Z1".into(), "=COUNTIF(A:A,\">1500\")".into()));
    let cells: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, f)| (a.as_str(), f.as_str()))
        .collect();
    let computed = |threads: usize| {
        let (values, report) = recalculated(workbook_with(&cells), threads);
        (values, report.computed)
    };
    let e = Engine::new(workbook_with(&cells), EngineOptions::default());
    let heavy: Vec<CellAddr> = e
        .heavy_cells()
        .into_iter()
        .filter_map(|id| e.store.cells[id].as_ref().map(|c| c.addr))
        .collect();
    assert_eq!(heavy, [a("Z1")], "the slow cell is known");
    let one = computed(1);
    let value = |cell: &str| {
        one.0
            .iter()
            .find(|(x, _)| *x == a(cell))
            .and_then(|(_, v)| v.as_number())
    };
    assert_eq!(value("B2100"), Some(Number::from_i64(21010)));
    assert_eq!(value("Z1"), Some(Number::from_i64(1500)));
    for threads in [2, 3] {
        assert_eq!(computed(threads), one, "{threads} threads");
    }
}

#[test]
fn criteria_match_text_ignoring_case_in_any_script() {
    let mut e = engine(&[
        ("A1", "Žluťoučký kůň"),
        ("A2", "žLUŤOUČKÝ KŮŇ"),
        ("A3", "Apple"),
        ("A4", "APPLE"),
        ("A5", "ΣΟΦΟΣ"),
        ("A6", "σοφος"),
    ]);
    for (formula, count) in [
        ("=COUNTIF(A1:A6,\"ŽLUŤOUČKÝ KŮŇ\")", 2),
        ("=COUNTIF(A1:A6,\"apple\")", 2),
        ("=COUNTIF(A1:A6,\"Σοφος\")", 2),
    ] {
        assert_eq!(
            e.eval(None, formula).unwrap(),
            CalcValue::number(count),
            "{formula}"
        );
    }
}

#[test]
fn an_engine_built_on_two_threads_links_each_formula_to_its_readers() {
    // Enough formulas that the records are stored on a helper thread.
    let mut cells = Vec::new();
    for r in 1..=100 {
        cells.push((format!("A{r}"), format!("{r}")));
        cells.push((format!("B{r}"), format!("=A{r}*2")));
        cells.push((format!("C{r}"), format!("=B{r}+SUM($A$1:$A$3)")));
    }
    let cells: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, f)| (a.as_str(), f.as_str()))
        .collect();
    for threads in [1, 2] {
        let mut e = engine_with_threads(workbook_with(&cells), threads);
        e.recalc_all();
        // Only what reads the changed cells is computed again, through
        // the edges the build made.
        e.set_value("Sheet1", a("A50"), num("1000")).unwrap();
        e.set_value("Sheet1", a("A2"), num("20")).unwrap();
        let report = e.recalc_dirty();
        assert_eq!(v(&mut e, "C50"), num("2024"), "{threads} threads");
        assert_eq!(v(&mut e, "C7"), num("38"), "{threads} threads");
        assert_eq!(report.computed, 100 + 2, "{threads} threads");
    }
}
