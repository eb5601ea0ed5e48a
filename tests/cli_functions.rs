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

/// The names of a committed list: whitespace-separated, `#` starts a
/// comment line.
fn names_in(file: &str) -> std::collections::BTreeSet<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.split_whitespace().map(str::to_string))
        .collect()
}

#[test]
fn the_registry_holds_excels_catalogue_but_for_a_shrinking_list() {
    let out = sheetscript(&["functions", "--excel"]);
    assert!(out.status.success(), "{out:?}");
    let registered: std::collections::BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    let catalogue = names_in("excel_catalogue.txt");
    let not_yet = names_in("excel_catalogue_missing.txt");
    assert!(catalogue.len() > 500, "{} names", catalogue.len());

    let missing: Vec<&String> = catalogue
        .iter()
        .filter(|n| !registered.contains(*n) && !not_yet.contains(*n))
        .collect();
    assert!(
        missing.is_empty(),
        "catalogue functions not registered: {missing:?}"
    );
    let done: Vec<&String> = not_yet.iter().filter(|n| registered.contains(*n)).collect();
    assert!(
        done.is_empty(),
        "registered now, remove from tests/data/excel_catalogue_missing.txt: {done:?}"
    );
    let strays: Vec<&String> = not_yet.iter().filter(|n| !catalogue.contains(*n)).collect();
    assert!(strays.is_empty(), "not in the catalogue: {strays:?}");
}
