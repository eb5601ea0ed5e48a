//! What a script writes opens in LibreOffice, an independent office
//! suite: the cached results of formulas the script filled down show as
//! computed here, and LibreOffice recalculating them itself agrees.
//! Skips when LibreOffice is absent.

mod script_common;

use rust_decimal::Decimal;
use script_common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn soffice() -> Option<PathBuf> {
    ["soffice", "libreoffice"].iter().find_map(|name| {
        let ok = Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| PathBuf::from(name))
    })
}

/// The first sheet of `book` as LibreOffice shows it, as CSV rows;
/// `recalc` uses the shared profile that recalculates every formula on
/// load.
fn libreoffice_rows(soffice: &Path, book: &Path, dir: &Path, recalc: bool) -> Vec<Vec<String>> {
    let profile = dir.join(if recalc { "recalc" } else { "plain" });
    if recalc {
        // LibreOffice writes into its profile: use a copy.
        std::fs::create_dir_all(&profile).unwrap();
        let shared = root().join("../shared/libreoffice/profile/user");
        let copied = Command::new("cp")
            .arg("-r")
            .arg(&shared)
            .arg(&profile)
            .status();
        assert!(copied.is_ok_and(|s| s.success()), "copy the recalc profile");
    }
    let out = dir.join(if recalc { "lo-recalc" } else { "lo-plain" });
    let o = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
        ])
        .arg(&out)
        .arg(book)
        .output()
        .expect("soffice runs");
    assert!(o.status.success(), "{o:?}");
    let csv = out.join(book.with_extension("csv").file_name().unwrap());
    let text = std::fs::read_to_string(&csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn formulas_filled_by_a_script_show_and_recalculate_in_libreoffice() {
    let Some(soffice) = soffice() else {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    if !root().join("../shared/libreoffice/profile/user").is_dir() {
        eprintln!("skipped: ../shared/libreoffice/profile is absent");
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
