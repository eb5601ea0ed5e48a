use super::*;
use crate::model::{Iteration, Number};

fn at(a1: &str) -> CellAddr {
    CellAddr::parse(a1).unwrap()
}

/// A workbook of sheets given as `(name, cells)`, a cell `("B2", "=A2*2")`
/// a formula (its saved result 1) and anything else a number or, when it
/// does not read as one, text.
fn book(sheets: &[(&str, &[(&str, &str)])]) -> Workbook {
    let mut wb = Workbook::new();
    for (name, cells) in sheets {
        wb.add_sheet(name).unwrap();
        let sheet = wb.sheet_mut(name).unwrap();
        for (a1, content) in *cells {
            match content.strip_prefix('=') {
                Some(f) => sheet.set_formula(at(a1), f, Value::Number(Number::from_i64(1))),
                None => match content.parse::<f64>() {
                    Ok(n) => sheet.set_value(at(a1), Value::from_f64(n)),
                    Err(_) => sheet.set_value(at(a1), Value::text(*content)),
                },
            }
        }
    }
    wb
}

/// The findings as `kind Sheet!cells`.
fn found(wb: &Workbook) -> Vec<String> {
    audit(wb)
        .findings
        .iter()
        .map(|f| format!("{} {}!{}", f.kind.name(), f.sheet, f.cells.join(",")))
        .collect()
}

/// A column B of `=A{r}*2` in rows 1 to `rows`, numbers in column A.
fn column(rows: u32) -> Vec<(String, String)> {
    (1..=rows)
        .flat_map(|r| {
            [
                (format!("A{r}"), format!("{}", r * 10)),
                (format!("B{r}"), format!("=A{r}*2")),
            ]
        })
        .collect()
}

fn borrowed(cells: &[(String, String)]) -> Vec<(&str, &str)> {
    cells
        .iter()
        .map(|(a, c)| (a.as_str(), c.as_str()))
        .collect()
}

#[test]
fn cells_group_into_runs_and_blocks() {
    let cells = ["D2", "D3", "D4", "E2", "E3", "E4", "F9", "A1"]
        .map(at)
        .to_vec();
    let shown: Vec<String> = runs(cells).iter().map(RangeAddr::to_a1).collect();
    assert_eq!(shown, ["A1", "D2:E4", "F9"]);
}

#[test]
fn numbers_stored_as_text_are_plain_numbers_only() {
    for yes in ["12", " 1234.50 ", "-3", "1,234.5", "15%", ".5"] {
        assert!(is_number_text(yes), "{yes}");
    }
    for no in [
        "",
        "INV-001",
        "2026-01-31",
        "1/31/2026",
        "10:30",
        "1e3",
        "CZ123",
        "1.2.3",
        "-",
    ] {
        assert!(!is_number_text(no), "{no}");
    }
}

#[test]
fn a_copied_column_is_consistent_and_a_changed_cell_is_not() {
    let mut cells = column(6);
    assert!(found(&book(&[("S", &borrowed(&cells))])).is_empty());
    cells[7].1 = "=A4*3".into();
    assert_eq!(
        found(&book(&[("S", &borrowed(&cells))])),
        ["inconsistent-formula S!B4"]
    );
    let report = audit(&book(&[("S", &borrowed(&cells))]));
    assert_eq!(
        report.findings[0].message,
        "=A4*3 differs from the formulas above and below it, which would read =A4*2 here"
    );
    // The first and last cells of a column have one neighbour: Excel
    // does not flag them, nor does the audit.
    let mut ends = column(6);
    ends[1].1 = "=A1*3".into();
    assert!(found(&book(&[("S", &borrowed(&ends))])).is_empty());
}

#[test]
fn a_number_typed_among_formulas_is_flagged_with_the_formula_it_replaced() {
    let mut cells = column(5);
    cells[5].1 = "61".into();
    let wb = book(&[("S", &borrowed(&cells))]);
    assert_eq!(found(&wb), ["constant-among-formulas S!B3"]);
    assert!(audit(&wb).findings[0].message.contains("=A3*2"));
}

#[test]
fn a_total_one_row_short_is_flagged_and_moving_windows_are_not() {
    let short: &[(&str, &str)] = &[
        ("A1", "Amount"),
        ("A2", "10"),
        ("A3", "20"),
        ("A4", "30"),
        ("A5", "=SUM(A2:A3)"),
    ];
    assert_eq!(found(&book(&[("S", short)])), ["total-omits-cells S!A5"]);
    let message = &audit(&book(&[("S", short)])).findings[0].message;
    assert_eq!(
        message,
        "=SUM(A2:A3) leaves out A4 (1 number just past the end of its range)"
    );
    let whole: &[(&str, &str)] = &[("A2", "10"), ("A3", "20"), ("A4", "=SUM(A2:A3)")];
    assert!(found(&book(&[("S", whole)])).is_empty());
    // Left of a row's sum, numbers are other measures (a quantity, a
    // price); only the block's own formulas count as left out there.
    let row_sum: &[(&str, &str)] = &[
        ("A1", "3"),
        ("B1", "9.5"),
        ("C1", "=A1*B1"),
        ("D1", "=A1*B1*0.21"),
        ("E1", "=SUM(C1:D1)"),
    ];
    assert!(found(&book(&[("S", row_sum)])).is_empty());
    let block: &[(&str, &str)] = &[
        ("A1", "1"),
        ("A2", "=A1*2"),
        ("A3", "=A2*2"),
        ("A4", "=A3*2"),
        ("A6", "=SUM(A3:A4)"),
    ];
    assert_eq!(found(&book(&[("S", block)])), ["total-omits-cells S!A6"]);
    assert!(audit(&book(&[("S", block)])).findings[0]
        .message
        .contains("leaves out A2 "));
    // Three-row sums copied down a column are windows, not totals.
    let windows: Vec<(String, String)> = (1..=8)
        .flat_map(|r| {
            let mut v = vec![(format!("A{r}"), format!("{r}"))];
            if r >= 3 {
                v.push((format!("B{r}"), format!("=SUM(A{}:A{r})", r - 2)));
            }
            v
        })
        .collect();
    assert!(found(&book(&[("S", &borrowed(&windows))])).is_empty());
    // A short total copied across a totals row is still short.
    let across: &[(&str, &str)] = &[
        ("A1", "1"),
        ("B1", "2"),
        ("A2", "3"),
        ("B2", "4"),
        ("A3", "5"),
        ("B3", "6"),
        ("A4", "=SUM(A1:A2)"),
        ("B4", "=SUM(B1:B2)"),
    ];
    assert_eq!(
        found(&book(&[("S", across)])),
        ["total-omits-cells S!A4", "total-omits-cells S!B4"]
    );
}

#[test]
fn circular_references_are_found_across_sheets_and_in_one_cell() {
    let wb = book(&[
        ("A", &[("A1", "=B!A1+1"), ("A2", "=A2*2"), ("A3", "=A1")]),
        ("B", &[("A1", "=A!A1*2")]),
    ]);
    let report = audit(&wb);
    assert_eq!(
        found(&wb),
        ["circular-reference A!A1,B!A1", "circular-reference A!A2"]
    );
    assert!(report.findings.iter().all(|f| f.level == Level::Error));
    assert!(
        report.findings[1].message.starts_with("=A2*2 reads itself"),
        "{}",
        report.findings[1].message
    );
    let mut iterative = wb.clone();
    iterative.iteration = Some(Iteration {
        max_count: 100,
        max_change: 0.001,
    });
    assert!(audit(&iterative)
        .findings
        .iter()
        .all(|f| f.level == Level::Warning));
}

#[test]
fn a_running_total_is_no_loop_and_costs_no_search_past_the_bound() {
    // E{r} = SUM($D$1:D{r}) over a column of formulas: every range holds
    // the formulas before it, which the search has finished with.
    let cells: Vec<(String, String)> = (1..=3000)
        .flat_map(|r| {
            [
                (format!("C{r}"), "5".to_string()),
                (format!("D{r}"), format!("=C{r}*2")),
                (format!("E{r}"), format!("=SUM($D$1:D{r})")),
            ]
        })
        .collect();
    let report = audit(&book(&[("S", &borrowed(&cells))]));
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    assert_eq!(report.formulas, 6000);
}

#[test]
fn errors_are_traced_to_where_they_start() {
    let mut wb = book(&[
        (
            "S",
            &[
                ("A1", "0"),
                ("B1", "=1/A1"),
                ("C1", "=B1+1"),
                ("D1", "=C1*2"),
            ],
        ),
        ("T", &[("A1", "=S!D1")]),
    ]);
    for (sheet, a1) in [("S", "B1"), ("S", "C1"), ("S", "D1"), ("T", "A1")] {
        wb.sheet_mut(sheet)
            .unwrap()
            .set_cached_value(at(a1), Value::Error(ErrorKind::Div0));
    }
    let report = audit(&wb);
    assert_eq!(found(&wb), ["error-value S!B1"]);
    assert_eq!(
        report.findings[0].message,
        "=1/A1 gives #DIV/0!; 3 more cells show the error through it (C1, D1, T!A1)"
    );
    assert!(report.has_errors());
}

#[test]
fn hidden_formulas_feeding_visible_ones_are_flagged_but_filtered_rows_are_not() {
    let mut wb = book(&[(
        "S",
        &[
            ("A1", "Amount"),
            ("A2", "10"),
            ("A3", "=A2*2"),
            ("A4", "=SUM(A2:A3)"),
        ],
    )]);
    wb.sheets[0].hidden_rows.hide(2);
    assert_eq!(found(&wb), ["hidden-feeds-visible S!A3"]);
    assert_eq!(
        audit(&wb).findings[0].message,
        "formulas in a hidden row feed the visible S!A4 (=SUM(A2:A3))"
    );
    wb.sheets[0].auto_filter = Some(RangeAddr::parse("A1:A3").unwrap());
    assert!(
        found(&wb).is_empty(),
        "a filter hides rows, it does not conceal"
    );
    wb.sheets[0].auto_filter = None;
    wb.sheets[0].hidden_rows = Default::default();
    wb.sheets[0].hidden_columns = vec![(0, 0)];
    assert!(found(&wb).is_empty(), "the reader is hidden too");
}

#[test]
fn arithmetic_on_text_or_on_a_lone_blank_is_flagged() {
    let wb = book(&[(
        "S",
        &[
            ("A1", "n/a"),
            ("B1", "=A1*2"),
            ("B2", "=IF(ISNUMBER(A1),A1*2,0)"),
            ("B3", "=Z99+1"),
            // A sparse column: the blank in C5 means nothing was booked.
            ("C4", "5"),
            ("C6", "7"),
            ("B5", "=C5+1"),
        ],
    )]);
    assert_eq!(found(&wb), ["reads-text S!B1", "reads-empty S!B3"]);
}

#[test]
fn text_numbers_are_flagged_where_read_or_among_numbers_only() {
    let wb = book(&[(
        "S",
        &[
            ("A1", "10"),
            ("A2", "'20"),
            ("A3", "30"),
            ("C1", "12"),
            ("C2", "x"),
            ("D5", "=SUM(C1:C3)"),
        ],
    )]);
    // `'20` is not a number; make A2 and C3 text numbers by hand.
    let mut wb = wb;
    wb.sheets[0].set_value(at("A2"), Value::text("20"));
    wb.sheets[0].set_value(at("C3"), Value::text("0042"));
    wb.sheets[0].set_value(at("F9"), Value::text("123456"));
    assert_eq!(
        found(&wb),
        ["number-as-text S!A2", "number-as-text S!C3"],
        "F9 stands alone and nothing reads it: an account number"
    );
}

#[test]
fn findings_past_the_cap_are_counted_not_listed() {
    let cells: Vec<(String, String)> = (0..(MAX_FINDINGS_PER_KIND as u32 + 5))
        // Each its own form, so each its own finding.
        .map(|i| (format!("A{}", i * 3 + 1), format!("=Z{}+{i}", i * 3 + 1000)))
        .collect();
    let report = audit(&book(&[("S", &borrowed(&cells))]));
    assert_eq!(report.findings.len(), MAX_FINDINGS_PER_KIND);
    assert_eq!(report.left_out.get("reads-empty"), Some(&5));
}

#[test]
fn whole_row_references_cost_the_columns_in_use_not_the_grid() {
    // 3,000 formulas each reading row 1, which holds the first of them:
    // a look-up jumps between the columns in use, so the bound is far off
    // and the loop through B1 is found.
    let cells: Vec<(String, String)> = (1..=3000)
        .flat_map(|r| {
            [
                (format!("A{r}"), format!("{r}")),
                (format!("B{r}"), "=SUM(1:1)".to_string()),
            ]
        })
        .collect();
    let report = audit(&book(&[("S", &borrowed(&cells))]));
    assert_eq!(
        found(&book(&[("S", &borrowed(&cells))])),
        ["circular-reference S!B1"]
    );
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}
