//! What a script writes opens in LibreOffice, an independent office
//! suite: the cached results of formulas the script filled down show as
//! computed here, and LibreOffice recalculating them itself agrees.
//! Skips when LibreOffice is absent.

mod support;

use rust_decimal::Decimal;
use support::external::{libreoffice_rows, soffice};
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
