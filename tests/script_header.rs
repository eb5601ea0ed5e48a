//! Script headers end to end: `run SCRIPT --help`, `--set` and `--attach`
//! checked against the header before any file is read (single file and
//! batch), the format in `sheetscript functions`, the bundled scripts'
//! headers, and a batch's script mistakes said once.

mod support;

use sheetscript::script::{ParamKind, ScriptHeader};
use std::path::{Path, PathBuf};
use support::*;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs `sheetscript` with `args`, insists it is refused as bad usage
/// (exit code 2) and returns what it said.
fn refused(args: &[&str]) -> String {
    let o = sheetscript(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    stderr(&o)
}

/// Runs `script` over `folder` into `out_dir` with `extra` options,
/// insists the batch is refused before any file (exit code 2, no summary,
/// no output folder) and returns what it said.
fn refused_batch(script: &str, folder: &Path, out_dir: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "run",
        script,
        folder.to_str().unwrap(),
        "--out-dir",
        out_dir.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = sheetscript(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "no summary: {}", stdout(&o));
    assert!(!out_dir.exists(), "nothing written");
    stderr(&o)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// A folder of `n` copies of the sample invoices, for a batch.
fn invoice_folder(dir: &Path, n: usize) -> PathBuf {
    let folder = dir.join("in");
    std::fs::create_dir(&folder).unwrap();
    for i in 0..n {
        std::fs::copy(
            sample("invoices.xlsx"),
            folder.join(format!("branch-{i}.xlsx")),
        )
        .unwrap();
    }
    folder
}

#[test]
fn script_help_lists_what_the_script_takes() {
    let help = ok(&["run", "scripts/bank_reconciliation.rhai", "--help"]);
    for part in [
        "Bank reconciliation (scripts/bank_reconciliation.rhai)\n",
        "Matches the invoices to the payments of a bank statement",
        "Parameters (--set NAME=VALUE):\n",
        "  tolerance  number, default 0.02  Largest difference still counted as paid\n",
        "Workbooks to attach (--attach NAME=FILE), each required:\n",
        "  bank  Bank statement (xlsx, or a bank's CSV export)\n",
        "sheetscript run scripts/bank_reconciliation.rhai INPUT.xlsx -o OUTPUT.xlsx --attach bank=FILE\n",
    ] {
        assert!(help.contains(part), "{part:?} not in:\n{help}");
    }
    assert_eq!(
        ok(&["run", "scripts/bank_reconciliation.rhai", "-h"]),
        help,
        "-h after a script is the script's help too"
    );
    let ageing = ok(&["run", "scripts/ageing.rhai", "--help"]);
    assert!(
        ageing.contains("asof  date, default today (the run's day, or --today)  Ageing as of"),
        "{ageing}"
    );
    // Without a script, clap's help of `run`, options and all.
    let run = ok(&["run", "--help"]);
    assert!(
        run.contains("Usage: sheetscript run [OPTIONS] <SCRIPT> <INPUT>..."),
        "{run}"
    );
    assert!(run.contains("--set <NAME=VALUE>"), "{run}");
    assert!(run.contains("sheetscript run SCRIPT --help"), "{run}");
    // A script that cannot be read, or whose header cannot, is named.
    let err = refused(&["run", "no-such-script.rhai", "--help"]);
    assert!(err.contains("no-such-script.rhai"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.rhai", "//! # T\n//! param rate: percent\n");
    let err = refused(&["run", &bad, "--help"]);
    assert!(
        err.contains("bad.rhai:2: unknown kind \"percent\""),
        "{err}"
    );
}

#[test]
fn every_bundled_script_has_a_header_that_matches_its_code() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("scripts")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rhai") {
            continue;
        }
        seen += 1;
        let name = path.display().to_string();
        let source = std::fs::read_to_string(&path).unwrap();
        let header = ScriptHeader::parse(&source, &name).unwrap();
        assert!(!header.title.is_empty(), "{name} has no title");
        assert!(!header.description.is_empty(), "{name} has no description");
        // Each param("NAME", DEFAULT) call is declared with that default,
        // and each declared parameter is read.
        let calls = calls_of(&source, "param");
        for p in &header.params {
            assert!(
                calls.iter().any(|(n, _)| n == &p.name),
                "{name}: {} is declared but never read",
                p.name
            );
        }
        for (param, default) in &calls {
            let declared = header
                .params
                .iter()
                .find(|p| &p.name == param)
                .unwrap_or_else(|| panic!("{name}: param(\"{param}\") is not in the header"));
            let default = default.as_deref().map(|d| match d {
                "today()" => "today",
                d => d,
            });
            assert_eq!(
                declared.default.as_deref(),
                default,
                "{name}: the header's default of {param} differs from the code's"
            );
            if default == Some("today") {
                assert_eq!(declared.kind, ParamKind::Date, "{name}: {param}");
            }
        }
        let books = calls_of(&source, "workbook");
        let attached: Vec<&str> = header.attachments.iter().map(|a| a.name.as_str()).collect();
        let read: Vec<&str> = books.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            attached, read,
            "{name}: attachments against workbook() calls"
        );
    }
    assert!(seen >= 6, "found {seen} scripts");
}

/// The calls `function("NAME")` and `function("NAME", DEFAULT)` in a
/// script's code, with the default as written.
fn calls_of(source: &str, function: &str) -> Vec<(String, Option<String>)> {
    let opening = format!("{function}(\"");
    let mut calls = Vec::new();
    for line in source.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find(&opening) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + opening.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let close = rest.find('"').unwrap();
            let name = rest[..close].to_string();
            let after = &rest[close + 1..];
            let default = after.strip_prefix(',').map(|d| {
                let mut depth = 0;
                let end = d
                    .char_indices()
                    .find(|&(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' if depth == 0 => return true,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        false
                    })
                    .map_or(d.len(), |(i, _)| i);
                d[..end].trim().to_string()
            });
            calls.push((name, default));
        }
    }
    calls
}

#[test]
fn parameters_are_checked_before_any_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    // An ill-typed value stops the run before the input is opened: the
    // input does not even exist, and the message is about the value.
    let missing_input = dir.path().join("no-such.xlsx");
    let err = refused(&[
        "run",
        "scripts/ageing.rhai",
        missing_input.to_str().unwrap(),
        "--dry-run",
        "--set",
        "asof=end of month",
        "--set",
        "colour=red",
    ]);
    assert!(
        err.contains("scripts/ageing.rhai cannot run with these options"),
        "{err}"
    );
    assert!(
        err.contains("--set asof=end of month: \"end of month\" is not a date"),
        "{err}"
    );
    assert!(
        err.contains("this script has no parameter \"colour\""),
        "{err}"
    );
    assert!(
        err.contains("sheetscript run scripts/ageing.rhai --help"),
        "{err}"
    );
    assert!(
        !err.contains("no-such.xlsx"),
        "the input was not read: {err}"
    );

    // A required parameter missing in a batch: said once, no file run,
    // nothing written, no summary.
    let script = write(
        dir.path(),
        "tag.rhai",
        "//! # Tag\n//! param code: text \"Branch code\"\n//! param kind: choice(north, south) = north\n\
         let s = sheet(\"Invoices\");\ns[\"H1\"] = param(\"code\");\n\
         assert(type_of(param(\"code\")) == \"string\", \"code is text\");\n\
         assert(param(\"kind\") == \"south\", \"kind given\");\n",
    );
    let folder = invoice_folder(dir.path(), 2);
    let out_dir = dir.path().join("out");
    let report = dir.path().join("batch.csv");
    let err = refused_batch(
        &script,
        &folder,
        &out_dir,
        &["--report", report.to_str().unwrap()],
    );
    assert_eq!(
        err.matches("missing parameter \"code\" (Branch code, text)")
            .count(),
        1,
        "{err}"
    );
    assert!(!report.exists(), "no report");

    // Given: a text parameter stays text (0042, not 42), a choice is
    // matched whatever its case.
    ok(&[
        "run",
        &script,
        folder.to_str().unwrap(),
        "--out-dir",
        out_dir.to_str().unwrap(),
        "--set",
        "code=0042",
        "--set",
        "kind=South",
    ]);
    let g = grid(&out_dir.join("branch-1.xlsx"), "Invoices");
    assert_eq!(g.text("H1"), "0042");
    // An ill-typed choice is refused, listing the choices.
    let err = refused(&[
        "run",
        &script,
        "samples/invoices.xlsx",
        "--dry-run",
        "--set",
        "code=7",
        "--set",
        "kind=east",
    ]);
    assert!(
        err.contains("--set kind=east: \"east\" is not one of north, south"),
        "{err}"
    );
}

#[test]
fn a_date_defaulting_to_today_is_the_day_of_today() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "scripts/ageing.rhai",
            "samples/invoices.xlsx",
            "--dry-run",
            "--verbose",
        ];
        args.extend(extra);
        ok(&args)
    };
    let by_default = run(&["--today", "2026-11-30"]);
    let given = run(&["--set", "asof=2026-11-30"]);
    assert_eq!(by_default, given);
    assert_ne!(by_default, run(&["--set", "asof=2026-09-30"]));
}

#[test]
fn a_script_without_a_header_takes_any_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "free.rhai",
        "assert(param(\"anything\") == 5, \"given\");\n",
    );
    ok(&[
        "run",
        &script,
        "samples/invoices.xlsx",
        "--dry-run",
        "--set",
        "anything=5",
    ]);
    let help = ok(&["run", &script, "--help"]);
    assert!(help.contains("This script has no header"), "{help}");
}

#[test]
fn declared_attachments_must_be_given_by_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rec.xlsx");
    let out = out.to_str().unwrap();
    let err = refused(&[
        "run",
        "scripts/bank_reconciliation.rhai",
        "samples/invoices.xlsx",
        "-o",
        out,
    ]);
    assert!(
        err.contains(
            "missing attachment \"bank\" (Bank statement (xlsx, or a bank's CSV export)): \
             give it with --attach bank=FILE"
        ),
        "{err}"
    );
    let err = refused(&[
        "run",
        "scripts/bank_reconciliation.rhai",
        "samples/invoices.xlsx",
        "--attach",
        "bnk=samples/bank.xlsx",
        "-o",
        out,
    ]);
    assert!(
        err.contains("--attach bnk: this script reads no workbook \"bnk\" (it reads bank)"),
        "{err}"
    );
    assert!(err.contains("missing attachment \"bank\""), "{err}");
    assert!(!Path::new(out).exists(), "nothing written");
    ok(&[
        "run",
        "scripts/bank_reconciliation.rhai",
        "samples/invoices.xlsx",
        "--attach",
        "bank=samples/bank.xlsx",
        "--set",
        "tolerance=0,05",
        "-o",
        out,
    ]);
}

#[test]
fn functions_documents_the_header_format() {
    let all = ok(&["functions"]);
    assert!(
        all.contains("Script header (//! lines at the top of a script)"),
        "{all}"
    );
    assert!(all.contains("//! param NAME: KIND [= DEFAULT] [\"Label\"]"));
    assert!(all.contains("//! attach NAME [\"Label\"]"));
    let only = ok(&["functions", "choice("]);
    assert!(only.starts_with("Script header"), "{only}");
}

#[test]
fn a_syntax_error_in_a_batch_is_said_once_before_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = invoice_folder(dir.path(), 3);
    let script = write(dir.path(), "bad.rhai", "let a = 1;\nlet b = (a + ;\n");
    let out_dir = dir.path().join("out");
    let err = refused_batch(&script, &folder, &out_dir, &[]);
    assert_eq!(err.matches("bad.rhai:2:").count(), 1, "{err}");
    assert!(err.contains(" 2 | let b = (a + ;"), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(!err.contains("branch-"), "no file was run: {err}");
}

#[test]
fn log_lines_in_a_batch_start_with_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = invoice_folder(dir.path(), 2);
    let script = write(
        dir.path(),
        "say.rhai",
        "print(`printed ${input_name()}`);\nlog(`logged ${input_name()}`);\n",
    );
    let o = sheetscript(&[
        "run",
        &script,
        folder.to_str().unwrap(),
        "--dry-run",
        "--jobs",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for i in 0..2 {
        let file = folder.join(format!("branch-{i}.xlsx"));
        for word in ["printed", "logged"] {
            let line = format!("{}: {word} branch-{i}.xlsx\n", file.display());
            assert!(err.contains(&line), "{line:?} not in:\n{err}");
        }
    }
    // One file alone: the lines as the script wrote them.
    let single = sheetscript(&[
        "run",
        &script,
        folder.join("branch-0.xlsx").to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(
        stderr(&single).starts_with("printed branch-0.xlsx\nlogged branch-0.xlsx\n"),
        "{}",
        stderr(&single)
    );
}
