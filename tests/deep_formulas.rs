//! Formulas whose trees nest deep — operator chains as long as Excel's
//! longest formula (8,192 characters) — are evaluated, printed and
//! written without overflowing the stack; longer ones are refused with a
//! message. Generated here, never committed.

mod support;

use support::*;

/// `n` copies of `term` joined by `op`.
fn chain(term: &str, op: &str, n: usize) -> String {
    vec![term; n].join(op)
}

#[test]
fn operator_chains_as_long_as_excel_allows_evaluate() {
    // 4,096 terms is the longest `1+1+…` Excel can hold.
    let sum = format!("={}", chain("1", "+", 4096));
    assert_eq!(ok(&["eval", "samples/invoices.xlsx", &sum]).trim(), "4096");
    let text = format!("=LEN({})", chain("\"a\"", "&", 2047));
    assert_eq!(ok(&["eval", "samples/invoices.xlsx", &text]).trim(), "2047");
    let percent = format!("=1{}", "%".repeat(8000));
    let out = sheetscript(&["eval", "samples/invoices.xlsx", &percent]);
    assert!(out.status.success(), "{out:?}");
    // Invoices!E2 is 13639.51.
    let union = format!("=SUM(({}))", chain("E2", ",", 2000));
    assert_eq!(
        ok(&["eval", "samples/invoices.xlsx", &union]).trim(),
        "27279020"
    );
}

#[test]
fn formulas_longer_than_excel_allows_are_refused_with_a_message() {
    // Before: a 30,000-term chain aborted the process (stack overflow).
    let long = format!("={}", chain("1", "+", 30_000));
    let out = sheetscript(&["eval", "samples/invoices.xlsx", &long]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(1 | 2)), "{out:?}");
    assert!(
        err.contains("59999 characters long, more than the 8192 Excel allows"),
        "{err}"
    );
}

#[test]
fn a_script_calc_of_a_deep_chain_and_a_file_holding_one_do_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("deep.rhai");
    std::fs::write(
        &script,
        format!(
            "print(calc(\"={}\"));\nprint(calc(\"={}\"));\n",
            chain("1", "+", 4000),
            chain("1", "-", 20_000)
        ),
    )
    .unwrap();
    let out = sheetscript(&[
        "run",
        script.to_str().unwrap(),
        "samples/invoices.xlsx",
        "--dry-run",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("4000") && err.contains("more than the 8192 Excel allows"),
        "{err}"
    );

    // A cell of a file holding a 20,000-term chain keeps its saved value.
    let (err, g) = recalc_one_row(
        dir.path(),
        &format!(
            "<c r=\"A1\"><f>{}</f><v>20000</v></c><c r=\"B1\"><f>{}</f></c>",
            chain("1", "+", 20_000),
            chain("1", "+", 4096)
        ),
    );
    assert!(
        err.contains("Data!A1: formula not understood, value kept"),
        "{err}"
    );
    assert_eq!(g.num("A1").to_string(), "20000");
    assert_eq!(g.num("B1").to_string(), "4096");
}

/// A column where each cell adds 1 to the one above and the first adds 1
/// to the last: a circular chain of `n` formulas, saved without results.
fn cycle(n: usize) -> String {
    let rows: String = (1..=n)
        .map(|r| {
            let above = if r == 1 { n } else { r - 1 };
            format!("<row r=\"{r}\"><c r=\"A{r}\"><f>A{above}+1</f></c></row>")
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

#[test]
fn a_cycle_of_any_length_is_an_error_never_a_number() {
    let dir = tempfile::tempdir().unwrap();
    for n in [300, 500, 2000] {
        let book = one_sheet_xlsx(dir.path(), &format!("cycle{n}.xlsx"), &cycle(n));
        let out_file = dir.path().join(format!("out{n}.xlsx"));
        let out = sheetscript(&[
            "recalc",
            book.to_str().unwrap(),
            "-o",
            out_file.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        let g = grid(&out_file, "Data");
        // Before: a chain of 500 silently gave numbers such as 399.
        for r in 1..=n {
            let v = g.at(&format!("A{r}"));
            // calamine reads #CIRC! (ours) and #CALC! (newer Excel) as text.
            let error = match &v {
                calamine::Data::Error(_) => true,
                calamine::Data::String(s) => s == "#CIRC!" || s == "#CALC!",
                _ => false,
            };
            assert!(error, "cycle of {n}: A{r} is {v:?}; {err}");
        }
        assert!(
            err.contains("reference cycle") || err.contains("computed one inside another"),
            "cycle of {n}: {err}"
        );
    }
}
