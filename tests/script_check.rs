//! `sheetscript check` and `sheetscript definitions` as a script's author
//! meets them: each kind of finding placed at its line and column with a
//! caret and the name probably meant, the bundled scripts and the guide's
//! examples clean against their samples, exit codes 0, 1 and 2, and
//! definition files holding every registered function.

mod support;

use std::path::Path;
use std::process::Output;
use support::external;
use support::*;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Checks `text` (as `name` in a temporary folder) against `workbook`
/// (a sample) when given; the exit code and what was printed.
fn check(text: &str, workbook: Option<&str>) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "t.rhai", text);
    let sample_path = workbook.map(sample);
    let mut args = vec!["check", script.as_str()];
    if let Some(p) = &sample_path {
        args.push(p.to_str().unwrap());
    }
    let out = sheetscript(&args);
    let printed = stdout(&out).replace(&script, "t.rhai");
    (out.status.code().unwrap_or(-1), printed)
}

#[test]
fn a_syntax_error_is_placed_with_a_caret() {
    let (code, out) = check("let net = 100;\nlet vat = (net * 0.21;\n", None);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("t.rhai:2:"), "{out}");
    assert!(out.contains("syntax error"), "{out}");
    assert!(out.contains(" 2 | let vat = (net * 0.21;\n"), "{out}");
}

#[test]
fn an_unknown_function_names_the_nearest() {
    let (code, out) = check("let x = rund(2.345, 2);\n", None);
    assert_eq!(code, 1);
    assert_eq!(
        out.trim_end(),
        "t.rhai:1:9: there is no function rund (see `sheetscript functions`); did you mean round?\n 1 | let x = rund(2.345, 2);\n   |         ^"
    );
}

#[test]
fn a_wrong_number_of_arguments_shows_the_signatures() {
    let src = "fn half(x) { x / 2 }\nlet a = half(1, 2);\nlet b = round(1, 2, 3);\n";
    let (code, out) = check(src, None);
    assert_eq!(code, 1);
    assert!(
        out.contains("t.rhai:2:9: half takes 1 argument, given 2"),
        "{out}"
    );
    assert!(
        out.contains("t.rhai:3:9: round takes 1 or 2 arguments, given 3: round("),
        "{out}"
    );
}

#[test]
fn a_method_call_counts_the_value_before_the_dot() {
    let (code, out) = check(
        "let t = table(\"Invoices\");\nt.sort(\"Net\", \"extra\");\n",
        None,
    );
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "t.rhai:2:3: sort takes 1 or 2 arguments, given 3 (counting the value before the dot)"
        ),
        "{out}"
    );
}

#[test]
fn an_undeclared_parameter_is_found_when_the_header_declares_some() {
    let src = "//! # Ageing\n//! param asof: date = today \"As of\"\nlet d = param(\"as_of\");\n";
    let (code, out) = check(src, None);
    assert_eq!(code, 1);
    assert!(
        out.contains("t.rhai:3:15: the header declares no parameter \"as_of\""),
        "{out}"
    );
    assert!(out.contains("did you mean \"asof\"?"), "{out}");
    // A script without declared parameters may ask for any.
    assert_eq!(check("let d = param(\"as_of\", today());\n", None).0, 0);
}

#[test]
fn names_not_in_the_workbook_are_found() {
    let src = "let inv = table(\"Invoice\");\n\
               let s = sheet(\"Sumary\");\n\
               let t = table(\"Invoices\");\n\
               let x = t.Nett * t[\"VAT rat\"];\n\
               let v = value(\"Summry!B1\");\n";
    let (code, out) = check(src, Some("invoices.xlsx"));
    assert_eq!(code, 1);
    for expected in [
        "t.rhai:1:17: in the workbook: no table or sheet named \"Invoice\"",
        "t.rhai:2:15: in the workbook: no sheet named \"Sumary\"",
        "t.rhai:4:11: in the workbook: table Invoices: no column named \"Nett\"",
        "t.rhai:4:20: in the workbook: table Invoices: no column named \"VAT rat\"",
        "t.rhai:5:15: in the workbook: no sheet named \"Summry\"",
    ] {
        assert!(out.contains(expected), "missing {expected}:\n{out}");
    }
    assert!(out.contains("did you mean \"Invoices\"?"), "{out}");
    assert!(out.contains("did you mean \"Summary\"?"), "{out}");
    assert!(out.contains("did you mean \"Net\"?"), "{out}");
    assert!(out.contains("did you mean \"VAT Rate\"?"), "{out}");
    assert!(
        out.contains("\n 4 | let x = t.Nett * t[\"VAT rat\"];\n   |           ^"),
        "{out}"
    );
}

#[test]
fn names_the_script_creates_or_tests_for_are_not_findings() {
    let src = "let inv = table(\"Invoices\");\n\
               inv[\"VAT\"] = round(inv.Net * inv[\"VAT Rate\"], 2);\n\
               inv.Gross = inv.Net + inv.VAT;\n\
               inv.save();\n\
               print(table(\"Invoices\").Gross.sum());\n\
               write_table(inv.group_by(\"VAT Rate\", [\"sum Net\"]), \"By Rate\");\n\
               print(sheet(\"By Rate\").name);\n\
               let r = table(\"By Rate\");\n\
               print(r.Whatever);\n\
               if has_sheet(\"Archive\") { print(sheet(\"Archive\").name); }\n\
               try { print(inv.Maybe); } catch { }\n";
    let (code, out) = check(src, Some("invoices.xlsx"));
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn the_bundled_scripts_are_clean_against_their_samples() {
    for (script_name, workbook) in [
        ("vat.rhai", "invoices.xlsx"),
        ("ageing.rhai", "invoices.xlsx"),
        ("bank_reconciliation.rhai", "invoices.xlsx"),
        ("trial_balance.rhai", "ledger.xlsx"),
        ("payroll.rhai", "payroll.xlsx"),
        ("loan.rhai", "loan.xlsx"),
    ] {
        let out = sheetscript(&[
            "check",
            script(script_name).to_str().unwrap(),
            sample(workbook).to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{script_name} on {workbook}:\n{}{}",
            stdout(&out),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("no findings"));
    }
}

#[test]
fn the_guides_examples_are_clean_against_their_samples() {
    let dir = tempfile::tempdir().unwrap();
    let examples = guide_examples();
    assert!(examples.len() >= 12, "found {} examples", examples.len());
    for (i, text) in examples.iter().enumerate() {
        let input = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// input: "))
            .and_then(|spec| spec.split_whitespace().next())
            .expect("each example names its input");
        let path = write(dir.path(), &format!("example{}.rhai", i + 1), text);
        let out = sheetscript(&["check", &path, root().join(input).to_str().unwrap()]);
        assert!(
            out.status.success(),
            "example {}:\n{text}\n---\n{}",
            i + 1,
            stdout(&out)
        );
    }
}

#[test]
fn json_gives_the_findings_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "t.rhai",
        "let t = table(\"Invoices\");\nprint(t.Nett);\n",
    );
    let out = sheetscript(&[
        "check",
        &script,
        sample("invoices.xlsx").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &findings[0];
    assert_eq!(f["kind"], "unknown-column");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(9))
    );
    assert_eq!(f["suggestion"], "Net");
}

#[test]
fn unreadable_input_exits_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.rhai");
    let out = sheetscript(&["check", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let script = write(dir.path(), "t.rhai", "print(1);\n");
    let not_a_workbook = write(dir.path(), "x.xlsx", "PK\u{3}\u{4} not a zip");
    let out = sheetscript(&["check", &script, &not_a_workbook]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_help_has_examples() {
    let help = ok(&["check", "--help"]);
    assert!(
        help.contains("sheetscript check scripts/vat.rhai samples/invoices.xlsx"),
        "{help}"
    );
    let help = ok(&["definitions", "--help"]);
    assert!(
        help.contains("sheetscript definitions .rhai/definitions"),
        "{help}"
    );
}

#[test]
fn definitions_hold_every_function_of_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let defs = dir.path().join("defs");
    ok(&["definitions", defs.to_str().unwrap()]);
    let api = std::fs::read_to_string(defs.join("__static__.d.rhai")).unwrap();
    assert!(defs.join("__builtin__.d.rhai").exists());
    let listing = ok(&["functions"]);
    let mut seen = 0;
    // Each entry's signature starts its name: `round(`, `Table.len`,
    // `Table[`; operators are listed after the named functions.
    // The listing ends with the script header's format, which is no function.
    let functions = listing
        .lines()
        .take_while(|l| !l.starts_with("Script header"));
    for signature in functions.filter(|l| !l.starts_with(' ')) {
        let expected = if let Some((on, rest)) = signature.split_once('.') {
            if on.chars().all(char::is_alphanumeric) && !signature.contains('(') {
                let prop = rest.split_whitespace().next().unwrap();
                format!("fn get {prop}(")
            } else {
                format!("fn {}(", signature.split('(').next().unwrap())
            }
        } else if signature.contains('[') {
            if signature.contains("] =") {
                "fn index$set$(".to_string()
            } else {
                "fn index$get$(".to_string()
            }
        } else if let Some(name) = signature
            .split('(')
            .next()
            .filter(|n| n.starts_with(|c: char| c.is_alphabetic()))
        {
            format!("fn {name}(")
        } else {
            format!("op {}(", signature.split('(').next().unwrap())
        };
        assert!(
            api.contains(&expected),
            "{signature}: no `{expected}` in the definitions"
        );
        seen += 1;
    }
    assert!(seen > 100, "only {seen} functions listed");
}

#[test]
fn excel_tables_of_a_real_workbook_are_checked() {
    let Some(book) = external::corpus("calamine/temperature-table.xlsx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "t.rhai",
        "let t = table(\"Temperature\");\nprint(t.value.sum());\nprint(t[\"valeu\"]);\nlet o = table(\"OtherTabel\");\n",
    );
    let out = sheetscript(&["check", &script, book.to_str().unwrap()]);
    let printed = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains(":3:9: in the workbook: table Temperature: no column named \"valeu\""),
        "{printed}"
    );
    assert!(printed.contains("did you mean \"value\"?"), "{printed}");
    assert!(
        printed.contains(":4:15: in the workbook: no table or sheet named \"OtherTabel\""),
        "{printed}"
    );
    assert!(
        printed.contains("did you mean \"OtherTable\"?"),
        "{printed}"
    );
    assert_eq!(
        printed.matches(" | ").count(),
        2 * 2,
        "two findings:\n{printed}"
    );
}
