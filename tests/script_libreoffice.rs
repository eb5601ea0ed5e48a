//! What a script writes opens in LibreOffice, an independent office
//! suite: the cached results of formulas the script filled down show as
//! computed here, and LibreOffice recalculating them itself agrees.
//! Skips when LibreOffice is absent.

mod support;

use rust_decimal::Decimal;
use support::external::{libreoffice_rows, soffice};
use support::package::formula_back;
use support::*;

#[test]
fn formulas_filled_by_a_script_show_and_recalculate_in_libreoffice() {
    let Some(soffice) = soffice() else {
        return;
    };
    if external::recalc_profile().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("gross.rhai");
    std::fs::write(
        &script,
        "let s = sheet(\"Invoices\");\ns[\"H1\"] = \"Gross\";\ns.fill_formula(\"H2:H41\", \"=ROUND(E2*(1+F2),2)\");\n",
    )
    .unwrap();
    let out = dir.path().join("gross.xlsx");
    ok(&[
        "run",
        script.to_str().unwrap(),
        "samples/invoices.xlsx",
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    let input = grid(&sample("invoices.xlsx"), "Invoices");
    let expected: Vec<Decimal> = (2..=41)
        .map(|r| round2(input.num(&format!("E{r}")) * (Decimal::ONE + input.num(&format!("F{r}")))))
        .collect();
    for recalc in [false, true] {
        let rows = libreoffice_rows(&soffice, &out, dir.path(), recalc);
        assert_eq!(rows[0][7], "Gross");
        for (i, want) in expected.iter().enumerate() {
            let shown: Decimal = rows[i + 1][7].replace(',', "").parse().unwrap_or_else(|_| {
                panic!("row {}: {:?} (recalc {recalc})", i + 2, rows[i + 1][7])
            });
            assert_eq!(shown, *want, "row {} (recalc {recalc})", i + 2);
        }
    }
}

/// Functions Excel added after 2007 are stored with their `_xlfn.`
/// prefix (`_xlfn._xlws.` for FILTER and SORT) when a script writes them,
/// so Excel and LibreOffice read them as the functions, not `#NAME?`; and
/// LibreOffice recalculating them agrees with the results cached here.
#[test]
fn newer_functions_written_by_a_script_keep_their_storage_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let formulas = [
        ("J1", "=ROUND(STDEV.S(E2:E41),6)", "_xlfn.STDEV.S("),
        ("J2", "=MAXIFS(E2:E41,E2:E41,\">0\")", "_xlfn.MAXIFS("),
        ("J3", "=CONCAT(\"a\",\"-\",E2)", "_xlfn.CONCAT("),
        ("J4", "=IFS(E2>0,\"pos\",TRUE,\"other\")", "_xlfn.IFS("),
        ("J5", "=SWITCH(2,1,\"one\",2,\"two\")", "_xlfn.SWITCH("),
        ("J6", "=ROUND(NORM.DIST(1,0,1,TRUE),6)", "_xlfn.NORM.DIST("),
        ("J7", "=CEILING.MATH(4.2)", "_xlfn.CEILING.MATH("),
        ("J8", "=DAYS(\"2026-03-01\",\"2026-02-01\")", "_xlfn.DAYS("),
        ("J9", "=BITAND(12,10)", "_xlfn.BITAND("),
        (
            "J10",
            "=TEXTJOIN(\"/\",TRUE,\"x\",\"y\")",
            "_xlfn.TEXTJOIN(",
        ),
        ("J11", "=ISOWEEKNUM(DATE(2026,1,1))", "_xlfn.ISOWEEKNUM("),
        ("J12", "=XOR(TRUE,FALSE)", "_xlfn.XOR("),
        ("K1", "=XLOOKUP(E2,E2:E41,E2:E41)", "_xlfn.XLOOKUP("),
        ("K2", "=ROWS(SORT(E2:E41))", "_xlfn._xlws.SORT("),
        (
            "K3",
            "=ROWS(FILTER(E2:E41,E2:E41>0))",
            "_xlfn._xlws.FILTER(",
        ),
        // Excel stores the 2013 complex functions prefixed; LibreOffice
        // 7.4 reads them only without the prefix (#NAME?), so they are
        // checked here for the stored form only.
        ("K4", "=IMREAL(IMCOSH(\"0\"))", "_xlfn.IMCOSH("),
        ("K5", "=SUM(E2:E3)", "SUM("),
    ];
    let script: String = formulas
        .iter()
        .map(|(at, f, _)| format!("s.fill_formula(\"{at}\", {f:?});\n"))
        .collect();
    let script_path = dir.path().join("newer.rhai");
    std::fs::write(
        &script_path,
        format!("let s = sheet(\"Invoices\");\n{script}"),
    )
    .unwrap();
    let out = dir.path().join("newer.xlsx");
    ok(&[
        "run",
        script_path.to_str().unwrap(),
        "samples/invoices.xlsx",
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    for (at, _, stored) in formulas {
        let written = formula_back(&out, "Invoices", at);
        assert!(written.contains(stored), "{at}: {written}");
        assert!(!written.contains("_xlfn._xlfn."), "{at}: {written}");
    }
    let Some(soffice) = soffice() else {
        return;
    };
    if external::recalc_profile().is_none() {
        return;
    }
    let cached = libreoffice_rows(&soffice, &out, dir.path(), false);
    let recalculated = libreoffice_rows(&soffice, &out, dir.path(), true);
    // LibreOffice 7.4 lacks XLOOKUP, SORT and FILTER: only column J is
    // compared.
    for row in 0..12 {
        let (ours, theirs) = (&cached[row][9], &recalculated[row][9]);
        assert!(
            !ours.is_empty() && !ours.starts_with('#'),
            "J{}: {ours}",
            row + 1
        );
        assert_eq!(ours, theirs, "J{} {}", row + 1, formulas[row].1);
    }
}
