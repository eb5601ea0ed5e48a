//! Batches: `run`, `recalc` and `convert` over a folder of generated
//! workbooks with --out-dir: a broken file fails alone, the report says
//! so, a second run resumes, shards split the folder exactly, and the
//! number of jobs changes nothing in what is written.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use support::external::skip;
use support::package::read_back;
use support::*;

/// A sheet "Data" of an amount in A2 and a formula doubling it in B2.
fn sheet_xml(amount: u32) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>amount</t></is></c><c r="B1" t="inlineStr"><is><t>double</t></is></c></row><row r="2"><c r="A2"><v>{amount}</v></c><c r="B2"><f>A2*2</f></c></row></sheetData></worksheet>"#
    )
}

/// `count` small workbooks in `dir` (branch-00.xlsx ...), and, when
/// `broken`, a damaged one among them.
fn folder(dir: &Path, count: u32, broken: bool) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..count {
        one_sheet_xlsx(dir, &format!("branch-{i:02}.xlsx"), &sheet_xml(i + 1));
    }
    if broken {
        std::fs::write(dir.join("broken.xlsx"), b"PK\x03\x04 not a zip").unwrap();
    }
}

/// A temporary folder holding `in/`, a [`folder`] of `count` workbooks.
fn workbooks(count: u32, broken: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    folder(&inputs, count, broken);
    (dir, inputs)
}

/// A script that names its file in C2 and refuses an amount of 3.
const SCRIPT: &str = r#"
let s = sheet("Data");
s["C1"] = "file";
s["C2"] = input_name();
assert(s["A2"] != 3, "amount 3 is refused");
print(`${input_name()}: ${s["B2"]}`);
"#;

fn script_in(dir: &Path) -> PathBuf {
    let path = dir.join("name.rhai");
    std::fs::write(&path, SCRIPT).unwrap();
    path
}

/// [`SCRIPT`] without its refusal: every file succeeds.
fn lenient_script_in(dir: &Path) -> PathBuf {
    let path = dir.join("lenient.rhai");
    std::fs::write(&path, SCRIPT.replace("assert(", "// assert(")).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The rows of a JSON report, by file name.
fn report_rows(path: &Path) -> BTreeMap<String, serde_json::Value> {
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    rows.into_iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_str().unwrap();
            (name.to_string(), r)
        })
        .collect()
}

/// The files under `dir` with their bytes, by path inside it.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_broken_file_fails_alone_and_the_reports_say_so() {
    let (dir, inputs) = workbooks(4, true);
    let script = script_in(dir.path());
    let out = dir.path().join("out");
    let changes = dir.path().join("changes");
    let csv = dir.path().join("batch.csv");
    let json = dir.path().join("batch.json");
    let run = |report: &Path| {
        sheetscript(&[
            "run",
            s(&script),
            s(&inputs),
            "--out-dir",
            s(&out),
            "--suffix",
            "-checked",
            "--changes",
            s(&changes),
            "--report",
            s(report),
            "--force",
        ])
    };
    let first = run(&csv);
    let (stdout, stderr) = text(&first);
    assert_eq!(first.status.code(), Some(1), "{stdout}{stderr}");
    // Each good file's output names its input; the failing ones wrote
    // nothing, neither output nor change report.
    let written = tree(&out);
    let names: Vec<&str> = written.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "branch-00-checked.xlsx",
            "branch-01-checked.xlsx",
            "branch-03-checked.xlsx"
        ]
    );
    let c2 = read_back(&out.join("branch-03-checked.xlsx"), "Data", "C2");
    assert_eq!(c2.to_string(), "branch-03.xlsx");
    let reports: Vec<String> = tree(&changes).into_keys().collect();
    assert_eq!(
        reports,
        [
            "branch-00-checked.changes.csv",
            "branch-01-checked.changes.csv",
            "branch-03-checked.changes.csv"
        ]
    );
    let change = std::fs::read_to_string(changes.join("branch-01-checked.changes.csv")).unwrap();
    assert!(change.contains("Data,C2,,branch-01.xlsx"), "{change}");
    // The script's own lines and the errors name their file.
    assert!(stderr.contains("branch-01.xlsx: 4"), "{stderr}");
    assert!(stderr.contains("amount 3 is refused"), "{stderr}");
    assert!(stderr.contains("broken.xlsx"), "{stderr}");
    assert!(
        stdout.contains("5 file(s): 3 ok, 0 skipped (up to date), 1 failed, 1 unreadable"),
        "{stdout}"
    );
    let table_line = stdout.lines().find(|l| l.contains("branch-02")).unwrap();
    assert!(table_line.contains("failed"), "{table_line}");

    let report = std::fs::read_to_string(&csv).unwrap();
    let mut lines = report.lines();
    assert_eq!(
        lines.next(),
        Some("file,output,status,changed,warnings,error,seconds")
    );
    let rows: Vec<Vec<String>> = csv::Reader::from_path(&csv)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 5);
    let by_name = |n: &str| rows.iter().find(|r| r[0].ends_with(n)).unwrap();
    let ok = by_name("branch-00.xlsx");
    assert_eq!(ok[1], s(&out.join("branch-00-checked.xlsx")));
    assert_eq!(
        (ok[2].as_str(), ok[3].as_str(), ok[5].as_str()),
        ("ok", "2", "")
    );
    let failed = by_name("branch-02.xlsx");
    assert_eq!((failed[1].as_str(), failed[2].as_str()), ("", "failed"));
    assert!(failed[5].contains("amount 3 is refused"), "{failed:?}");
    let broken = by_name("broken.xlsx");
    assert_eq!(broken[2], "unreadable");
    assert!(broken[5].contains("broken.xlsx"), "{broken:?}");

    let second = run(&json);
    assert_eq!(second.status.code(), Some(1));
    let rows = report_rows(&json);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows["branch-00.xlsx"]["status"], "ok");
    assert_eq!(rows["branch-00.xlsx"]["changed"], 2);
    assert_eq!(rows["branch-00.xlsx"]["warnings"], 0);
    assert_eq!(rows["branch-02.xlsx"]["status"], "failed");
    assert_eq!(rows["broken.xlsx"]["status"], "unreadable");
    assert!(rows["broken.xlsx"]["seconds"].is_number());
}

#[test]
fn a_second_run_skips_what_is_up_to_date_unless_forced() {
    let (dir, inputs) = workbooks(3, false);
    let out = dir.path().join("out");
    let json = dir.path().join("r.json");
    let recalc = |force: bool| {
        let mut args = vec![
            "recalc",
            s(&inputs),
            "--out-dir",
            s(&out),
            "--report",
            s(&json),
        ];
        if force {
            args.push("--force");
        }
        let o = sheetscript(&args);
        assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
        report_rows(&json)
    };
    let first = recalc(false);
    assert!(first.values().all(|r| r["status"] == "ok"), "{first:?}");
    assert_eq!(
        read_back(&out.join("branch-02.xlsx"), "Data", "B2").to_string(),
        "6"
    );
    let second = recalc(false);
    assert!(
        second.values().all(|r| r["status"] == "skipped"),
        "{second:?}"
    );
    assert_eq!(
        second["branch-00.xlsx"]["output"],
        s(&out.join("branch-00.xlsx"))
    );
    // A newer input runs again, alone.
    std::thread::sleep(std::time::Duration::from_millis(50));
    one_sheet_xlsx(&inputs, "branch-01.xlsx", &sheet_xml(50));
    let third = recalc(false);
    let statuses: Vec<&str> = third
        .values()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["skipped", "ok", "skipped"]);
    assert_eq!(
        read_back(&out.join("branch-01.xlsx"), "Data", "B2").to_string(),
        "100"
    );
    let forced = recalc(true);
    assert!(forced.values().all(|r| r["status"] == "ok"), "{forced:?}");
}

#[test]
fn one_job_and_two_write_the_same_files() {
    let (dir, inputs) = workbooks(6, true);
    let script = script_in(dir.path());
    let mut trees = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("out-{jobs}"));
        let o = sheetscript(&[
            "run",
            s(&script),
            s(&inputs),
            "--out-dir",
            s(&out),
            "--jobs",
            jobs,
        ]);
        assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
        trees.push(tree(&out));
    }
    assert_eq!(trees[0].len(), 5);
    assert!(
        trees[0] == trees[1],
        "--jobs 1 and --jobs 2 wrote different files"
    );
}

/// The inputs a shard processed, by file name, from its JSON report.
fn shard_files(inputs: &[&str], shard: &str, dir: &Path) -> Vec<String> {
    let report = dir.join(format!("shard-{}.json", shard.replace('/', "-of-")));
    let out = dir.join("out");
    let mut args = vec!["convert"];
    args.extend_from_slice(inputs);
    let shard_arg = format!("--shard={shard}");
    args.extend_from_slice(&[
        "--out-dir",
        s(&out),
        "--to",
        "csv",
        "--force",
        "--report",
        s(&report),
        &shard_arg,
    ]);
    let o = sheetscript(&args);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    report_rows(&report).into_keys().collect()
}

#[test]
fn shards_take_every_file_exactly_once_in_any_order() {
    let (dir, inputs) = workbooks(12, false);
    let mut files: Vec<String> = (0..12)
        .map(|i| s(&inputs.join(format!("branch-{i:02}.xlsx"))).to_string())
        .collect();
    let all: Vec<String> = (0..12).map(|i| format!("branch-{i:02}.xlsx")).collect();
    for n in 1..=5 {
        let mut seen: Vec<String> = Vec::new();
        let mut shares = Vec::new();
        for k in 1..=n {
            let refs: Vec<&str> = files.iter().map(String::as_str).collect();
            let share = shard_files(&refs, &format!("{k}/{n}"), dir.path());
            seen.extend(share.iter().cloned());
            shares.push(share);
        }
        seen.sort();
        assert_eq!(seen, all, "the {n} shares together");
        // The same shares with the inputs in another order, and with the
        // folder given instead of its files.
        files.reverse();
        for (k, share) in shares.iter().enumerate() {
            let refs: Vec<&str> = files.iter().map(String::as_str).collect();
            assert_eq!(
                &shard_files(&refs, &format!("{}/{n}", k + 1), dir.path()),
                share
            );
            let folder = shard_files(&[s(&inputs)], &format!("{}/{n}", k + 1), dir.path());
            assert_eq!(&folder, share);
        }
    }
}

#[test]
fn four_shards_at_once_write_what_one_run_writes_and_merge_into_its_report() {
    let (dir, inputs) = workbooks(10, false);
    let script = lenient_script_in(dir.path());
    let whole = dir.path().join("whole");
    ok(&[
        "run",
        s(&script),
        s(&inputs),
        "--out-dir",
        s(&whole),
        "--jobs",
        "1",
    ]);
    let sharded = dir.path().join("sharded");
    let bin = env!("CARGO_BIN_EXE_sheetscript");
    let children: Vec<_> = (1..=4)
        .map(|k| {
            std::process::Command::new(bin)
                .args([
                    "run",
                    s(&script),
                    s(&inputs),
                    "--out-dir",
                    s(&sharded),
                    "--jobs",
                    "1",
                    "--report",
                ])
                .arg(dir.path().join(format!("reports/shard-{k}.csv")))
                .env("SHEETSCRIPT_SHARD_INDEX", (k - 1).to_string())
                .env("SHEETSCRIPT_SHARD_COUNT", "4")
                .arg("--shard=auto")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Four processes at once over one output folder, as four machines.
    for c in children {
        let c = c.wait_with_output().unwrap();
        assert_eq!(c.status.code(), Some(0), "{:?}", text(&c));
    }
    assert!(
        tree(&whole) == tree(&sharded),
        "the shards wrote other files"
    );
    let reports: Vec<PathBuf> = (1..=4)
        .map(|k| dir.path().join(format!("reports/shard-{k}.csv")))
        .collect();
    let merged = dir.path().join("merged.json");
    let mut args = vec!["report", "merge"];
    args.extend(reports.iter().map(|p| s(p)));
    args.extend(["-o", s(&merged)]);
    let said = ok(&args);
    assert!(said.contains("10 file(s) from 4 report(s)"), "{said}");
    let rows = report_rows(&merged);
    assert_eq!(rows.len(), 10);
    assert!(rows.values().all(|r| r["status"] == "ok"));
}

#[test]
fn gnu_parallel_drives_the_shards() {
    if std::process::Command::new("parallel")
        .arg("--version")
        .output()
        .is_err()
    {
        skip("GNU parallel");
        return;
    }
    let (dir, inputs) = workbooks(8, false);
    let out = dir.path().join("out");
    let bin = env!("CARGO_BIN_EXE_sheetscript");
    // The one-liner of docs/BATCH.md, with the local machine (`:`) in
    // place of the ssh logins.
    let o = std::process::Command::new("parallel")
        .args(["--will-cite", "-S", "2/:", "--halt", "never"])
        .arg(format!(
            "{bin} recalc {} --out-dir {} --shard {{}}/4 --report {}/shard-{{}}.csv --quiet",
            s(&inputs),
            s(&out),
            s(dir.path())
        ))
        .args([":::", "1", "2", "3", "4"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{:?}", text(&o));
    let written: Vec<String> = tree(&out).into_keys().collect();
    let all: Vec<String> = (0..8).map(|i| format!("branch-{i:02}.xlsx")).collect();
    assert_eq!(written, all);
    let mut rows = 0;
    for k in 1..=4 {
        let report = std::fs::read_to_string(dir.path().join(format!("shard-{k}.csv"))).unwrap();
        rows += report.lines().count() - 1;
    }
    assert_eq!(rows, 8, "every file reported once");
}

#[test]
fn no_readable_input_is_exit_2_and_usage_is_checked_first() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(inputs.join("a.xlsx"), b"PK\x03\x04 not a zip").unwrap();
    std::fs::write(inputs.join("b.xlsx"), b"PK\x03\x04 nor this").unwrap();
    let out = dir.path().join("out");
    let o = sheetscript(&["recalc", s(&inputs), "--out-dir", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    assert!(!out.exists() || tree(&out).is_empty());
    // Many inputs without --out-dir, an unknown shard, a pattern that
    // matches nothing, and two inputs that would share an output.
    let refused = |args: &[&str], words: &str| {
        let o = sheetscript(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(text(&o).1.contains(words), "{args:?}: {:?}", text(&o));
    };
    let (a, b) = (inputs.join("a.xlsx"), inputs.join("b.xlsx"));
    refused(&["recalc", s(&a), s(&b)], "--out-dir");
    refused(
        &["recalc", s(&inputs), "--out-dir", s(&out), "--shard", "5/4"],
        "K must be from 1 to N",
    );
    let pattern = format!("{}/*.ods", s(&inputs));
    refused(
        &["convert", &pattern, "--out-dir", s(&out)],
        "no file matches",
    );
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("a.xlsx"), b"x").unwrap();
    refused(
        &[
            "recalc",
            s(&a),
            s(&other.join("a.xlsx")),
            "--out-dir",
            s(&out),
        ],
        "would both be written",
    );
}

#[test]
fn input_name_is_the_file_a_single_run_works_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = one_sheet_xlsx(dir.path(), "brno.xlsx", &sheet_xml(7));
    let script = script_in(dir.path());
    let out = dir.path().join("out.xlsx");
    let o = sheetscript(&["run", s(&script), s(&input), "-o", s(&out)]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert_eq!(read_back(&out, "Data", "C2").to_string(), "brno.xlsx");
    let reference = ok(&["functions", "input_name"]);
    assert!(reference.contains("input_name() -> Text"), "{reference}");
}

#[test]
fn a_file_past_the_time_limit_fails_alone() {
    let (dir, inputs) = workbooks(3, false);
    let script = dir.path().join("stuck.rhai");
    std::fs::write(
        &script,
        "if input_name() == \"branch-01.xlsx\" { loop { } }\nlet s = sheet(\"Data\");\ns[\"C2\"] = 1;\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let report = dir.path().join("r.json");
    let o = sheetscript(&[
        "run",
        s(&script),
        s(&inputs),
        "--out-dir",
        s(&out),
        "--timeout",
        "1",
        "--report",
        s(&report),
    ]);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let rows = report_rows(&report);
    assert_eq!(rows["branch-00.xlsx"]["status"], "ok");
    assert_eq!(rows["branch-01.xlsx"]["status"], "failed");
    assert!(
        rows["branch-01.xlsx"]["error"]
            .as_str()
            .unwrap()
            .contains("time limit"),
        "{:?}",
        rows["branch-01.xlsx"]
    );
    assert_eq!(rows["branch-02.xlsx"]["status"], "ok");
    assert!(!out.join("branch-01.xlsx").exists());
}
