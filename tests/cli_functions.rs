//! `sheetscript functions --excel` end to end, through the built binary:
//! the Excel functions come from the formula registry, one per line.

use std::process::{Command, Output};

fn sheetscript(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sheetscript"))
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn lists_every_excel_function_with_its_doc() {
    let out = sheetscript(&["functions", "--excel"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 300, "{} lines", lines.len());
    for name in ["SUM", "XLOOKUP", "EDATE", "NETWORKDAYS.INTL", "TEXTJOIN"] {
        let line = lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} missing"));
        let doc = line[name.len()..].trim();
        assert!(!doc.is_empty(), "{name} has no doc: {line}");
    }
    // Names first, each line a name then its doc.
    assert!(
        lines.iter().all(|l| l.split_whitespace().count() >= 2),
        "{text}"
    );
}

#[test]
fn filters_excel_functions_and_refuses_no_match() {
    let out = sheetscript(&["functions", "--excel", "workday"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().any(|l| l.starts_with("WORKDAY ")), "{text}");
    assert!(
        text.lines().all(|l| l.to_lowercase().contains("workday")),
        "{text}"
    );

    let none = sheetscript(&["functions", "--excel", "no-such-function-anywhere"]);
    assert!(!none.status.success());
    let err = String::from_utf8_lossy(&none.stderr);
    assert!(err.contains("no Excel function matches"), "{err}");
}
