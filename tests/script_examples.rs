//! `sheetscript test`: the bundled scripts' examples hold, an edit that
//! breaks a rule is caught with a readable diff, and the examples in the
//! guide hold as written.

mod support;

use std::path::Path;
use support::*;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Insists that each of `lines` starts a line of `text`.
fn has_lines(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "{line} not in:\n{text}"
        );
    }
}

/// A copy of the repository's `scripts/vat.rhai`, its examples and the
/// samples they read, laid out as in the repository, in `dir`.
fn copy_vat(dir: &Path) {
    let examples = dir.join("scripts/examples/vat");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::create_dir_all(dir.join("samples")).unwrap();
    std::fs::copy(script("vat.rhai"), dir.join("scripts/vat.rhai")).unwrap();
    for s in ["invoices.xlsx", "bank.xlsx"] {
        std::fs::copy(sample(s), dir.join("samples").join(s)).unwrap();
    }
    for e in std::fs::read_dir(root().join("scripts/examples/vat")).unwrap() {
        let e = e.unwrap().path();
        std::fs::copy(&e, examples.join(e.file_name().unwrap())).unwrap();
    }
}

#[test]
fn every_bundled_script_has_examples_and_they_hold() {
    let out = sheetscript(&["test", "scripts/"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for script in [
        "vat",
        "ageing",
        "trial_balance",
        "bank_reconciliation",
        "payroll",
        "loan",
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("ok           {script}/"))),
            "{script} has no passing example:\n{text}"
        );
    }
    assert!(!text.contains("no examples"), "{text}");
    assert!(text.contains(" ok, 0 FAILED"), "{text}");
}

#[test]
fn an_edit_that_breaks_a_rule_fails_with_each_differing_cell() {
    let dir = tempfile::tempdir().unwrap();
    copy_vat(dir.path());
    // VAT rounded to 10 cents instead of the cent.
    let vat = dir.path().join("scripts/vat.rhai");
    let source = std::fs::read_to_string(&vat).unwrap();
    let broken = source.replace(
        r#"round(inv.Net * inv["VAT Rate"], 2)"#,
        r#"round(inv.Net * inv["VAT Rate"], 1)"#,
    );
    assert_ne!(broken, source, "the script still computes VAT this way");
    std::fs::write(&vat, broken).unwrap();
    let folder = dir.path().join("scripts");
    let out = sheetscript(&["test", folder.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    has_lines(
        &text,
        &[
            "FAILED       vat/rounding",
            "    Invoices!H2: expected 0.11, got 0.10",
            "    Invoices!I2: expected 0.61, got 0.60",
            "FAILED       vat/sample-invoices",
            "    Invoices!H3: expected 375.48, got 375.50",
            "2 example(s): 0 ok, 2 FAILED",
        ],
    );
    // 2,864.2971 is 2,864.30 at either precision: a cell that still
    // holds what the example says is not listed.
    assert!(!text.contains("Invoices!H2: expected 2864.30"), "{text}");
    assert!(
        text.contains("    'VAT by Rate'!D3: expected 15768.24, got "),
        "{text}"
    );
}

#[test]
fn an_example_that_cannot_be_used_is_named_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    copy_vat(dir.path());
    let examples = dir.path().join("scripts/examples/vat");
    std::fs::write(
        examples.join("moved.toml"),
        "input = \"../../../samples/invoices-2025.xlsx\"\n[expect.Invoices]\nH2 = 1\n",
    )
    .unwrap();
    std::fs::write(examples.join("typo.toml"), "inptu = \"a.xlsx\"\n").unwrap();
    let out = sheetscript(&["test", examples.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("UNUSABLE     vat/moved"), "{text}");
    assert!(text.contains("invoices-2025.xlsx does not exist"), "{text}");
    assert!(
        text.contains("typo.toml: line 1: unknown setting `inptu`"),
        "{text}"
    );
    assert!(text.contains("ok           vat/rounding"), "{text}");
    let out = sheetscript(&["test", "scripts/nothing.rhai"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("scripts/nothing.rhai: no such file"), "{err}");
}

#[test]
fn the_examples_in_the_guide_hold_for_the_vat_script() {
    let blocks = fenced_blocks("docs/SCRIPTING.md", "toml");
    assert_eq!(blocks.len(), 2, "the guide's example files");
    let dir = tempfile::tempdir().unwrap();
    copy_vat(dir.path());
    let examples = dir.path().join("scripts/examples/vat");
    for (i, block) in blocks.iter().enumerate() {
        let file = examples.join(format!("guide-{}.toml", i + 1));
        std::fs::write(&file, block).unwrap();
        let out = sheetscript(&["test", file.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "guide example {}:\n{block}\n---\n{}{}",
            i + 1,
            stdout(&out),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn an_expected_workbook_is_compared_cell_for_cell() {
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("scripts/examples/payroll");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::copy(
        script("payroll.rhai"),
        dir.path().join("scripts/payroll.rhai"),
    )
    .unwrap();
    // Last month's checked output, made at 15 % tax, and one made at 16 %.
    let rates = ["--set", "social=0.065", "--set", "health=0.045"];
    for (name, tax) in [("checked.xlsx", "tax=0.15"), ("other.xlsx", "tax=0.16")] {
        let out = dir.path().join(name);
        let mut args = vec!["run", "scripts/payroll.rhai", "samples/payroll.xlsx"];
        args.extend(rates);
        args.extend(["--set", tax, "-o", out.to_str().unwrap()]);
        ok(&args);
    }
    let input = sample("payroll.xlsx");
    for (example, expected) in [("same", "checked.xlsx"), ("other", "other.xlsx")] {
        std::fs::write(
            examples.join(format!("{example}.toml")),
            format!(
                "input = {:?}\nexpect_workbook = \"../../../{expected}\"\n\
                 [set]\nsocial = 0.065\nhealth = 0.045\ntax = 0.15\n",
                input.display().to_string()
            ),
        )
        .unwrap();
    }
    let out = sheetscript(&["test", examples.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("ok           payroll/same"), "{text}");
    // Tax and net pay differ on every line; the rest is the same.
    has_lines(
        &text,
        &[
            "FAILED       payroll/other",
            "    Payroll!I2: expected 5120, got 4800",
            "    Payroll!J2: expected 23360, got 23680",
            "    ... and 16 more",
        ],
    );
    assert!(!text.contains("Payroll!H2"), "{text}");
}

/// Excel's own workbooks from the corpus: a script that changes nothing,
/// with the workbook itself as the expected one, gives back every cell
/// (numbers, text, errors, dates and durations) as Excel saved it. Folders
/// whose workbooks hold volatile formulas (OFFSET, recomputed by a run)
/// are left out: their cells may rightly change.
#[test]
fn excels_own_workbooks_come_back_cell_for_cell() {
    let mut files = Vec::new();
    for folder in ["FINANCIAL", "DATE_AND_TIME", "MATH_AND_TRIGONOMETRY"] {
        let Some(found) = external::corpus_files(&format!("ironcalc/{folder}"), &["xlsx"]) else {
            return;
        };
        files.extend(found);
    }
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("examples/unchanged");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::write(dir.path().join("unchanged.rhai"), "let nothing = 0;\n").unwrap();
    for (i, file) in files.iter().enumerate() {
        let path = file.canonicalize().unwrap().display().to_string();
        std::fs::write(
            examples.join(format!("{i:03}.toml")),
            format!("input = {path:?}\nexpect_workbook = {path:?}\n"),
        )
        .unwrap();
    }
    let out = sheetscript(&["test", dir.path().to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!("{0} example(s): {0} ok, 0 FAILED", files.len())),
        "{text}"
    );
}
