//! The runner over jobs made in memory: outcomes in the jobs' order
//! whatever the threads, failures kept per file, resume by dates.

use super::*;

/// A CSV workbook of one number per file.
fn inputs(dir: &Path, n: usize) -> Vec<Job> {
    (0..n)
        .map(|i| {
            let input = dir.join(format!("in-{i}.csv"));
            std::fs::write(&input, format!("amount\n{i}\n")).unwrap();
            Job {
                input,
                output: Some(dir.join(format!("out-{i}.csv"))),
                in_place: false,
                changes: None,
            }
        })
        .collect()
}

fn doubling() -> Task {
    Task::Run(Box::new(ScriptTask {
        source: "let n = input_name(); n.replace(\".csv\", \"\"); let s = sheet(n); s[\"B1\"] = \"double\"; s[\"B2\"] = s[\"A2\"] * 2; \
                 if s[\"A2\"] == 3 { fail(\"three is refused\") } s[\"C2\"] = input_name();"
            .into(),
        script_name: "double.rhai".into(),
        options: ScriptOptions::default(),
        attach: Vec::new(),
        workbook_locale: false,
    }))
}

#[test]
fn outcomes_keep_the_jobs_order_and_failures_stay_with_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut jobs = inputs(dir.path(), 6);
    jobs[1].input = dir.path().join("missing.csv");
    let settings = Settings {
        jobs: 3,
        ..Settings::default()
    };
    let outcomes = run_jobs(&jobs, &doubling(), &settings, &Silent);
    let statuses: Vec<Status> = outcomes.iter().map(|o| o.status).collect();
    use Status::*;
    assert_eq!(
        statuses,
        [Ok, Unreadable, Ok, Failed, Ok, Ok],
        "{outcomes:?}"
    );
    assert!(!dir.path().join("out-1.csv").exists());
    assert!(
        !dir.path().join("out-3.csv").exists(),
        "a failed file writes nothing"
    );
    let out = std::fs::read_to_string(dir.path().join("out-5.csv")).unwrap();
    assert!(out.contains("5,10,in-5.csv"), "{out}");
    assert_eq!(exit_code(&outcomes), 1);
    assert_eq!(exit_code(&outcomes[1..2]), 2);
    assert_eq!(exit_code(&outcomes[..1]), 0);
}

#[test]
fn an_output_newer_than_its_sources_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = inputs(dir.path(), 1);
    let job = &jobs[0];
    assert!(!is_up_to_date(job, &[]));
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(job.output.as_ref().unwrap(), "x").unwrap();
    assert!(is_up_to_date(job, &[]));
    std::thread::sleep(Duration::from_millis(20));
    let script = dir.path().join("script.rhai");
    std::fs::write(&script, "").unwrap();
    assert!(!is_up_to_date(job, &[script]), "a newer script runs again");
}

/// A listener that fails on a note, as a bug of ours inside a job would.
struct PanicsOnNotes;

impl Listener for PanicsOnNotes {
    fn notice(&self, _job: &Job, notice: Notice<'_>) {
        if let Notice::Note(n) = notice {
            panic!("a bug met at: {n}");
        }
    }
}

#[test]
fn a_panic_inside_a_job_fails_that_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut jobs = inputs(dir.path(), 3);
    // A title line above the header makes the reader say a note.
    std::fs::write(&jobs[0].input, "Statement 2026\n\namount;note\n7;a\n").unwrap();
    jobs.truncate(2);
    let settings = Settings {
        jobs: 2,
        ..Settings::default()
    };
    let outcomes = run_jobs(&jobs, &doubling(), &settings, &PanicsOnNotes);
    assert_eq!(outcomes[0].status, Status::Failed);
    let error = outcomes[0].error.as_ref().unwrap().to_string();
    assert!(error.contains("internal error (a bug met at"), "{error}");
    assert!(error.contains("nothing was written"), "{error}");
    assert!(!jobs[0].output.as_ref().unwrap().exists());
    assert_eq!(outcomes[1].status, Status::Ok);
}

/// A script task of `source` with these `--set` values and attachments.
fn task_of(source: &str, params: &[(&str, &str)], attach: &[&str]) -> ScriptTask {
    ScriptTask {
        source: source.into(),
        script_name: "t.rhai".into(),
        options: ScriptOptions {
            params: params
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            now: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).and_then(|d| d.and_hms_opt(9, 0, 0)),
            ..ScriptOptions::default()
        },
        attach: attach
            .iter()
            .map(|name| Attachment {
                name: name.to_string(),
                path: PathBuf::from("unread.xlsx"),
                csv: CsvOptions::default(),
            })
            .collect(),
        workbook_locale: false,
    }
}

const HEADED: &str = "//! # T\n//! param asof: date = today\n//! param note: text\n\
                      //! attach bank \"Statement\"\nlet x = param(\"note\");\n";

#[test]
fn prepare_fills_defaults_from_the_header() {
    let task = task_of(HEADED, &[("note", "0042")], &["bank"])
        .prepare()
        .unwrap();
    let params = &task.options.params;
    assert_eq!(
        params,
        &[
            ("asof".to_string(), "2026-11-30".to_string()),
            ("note".to_string(), "\"0042\"".to_string())
        ]
    );
}

#[test]
fn prepare_lists_every_problem_as_one_usage_error() {
    let e = task_of(HEADED, &[("asof", "someday")], &["bnk"])
        .prepare()
        .unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let text = e.to_string();
    for part in [
        "t.rhai cannot run with these options:\n",
        "  --set asof=someday: \"someday\" is not a date",
        "  missing parameter \"note\"",
        "  --attach bnk: this script reads no workbook \"bnk\" (it reads bank)",
        "  missing attachment \"bank\" (Statement)",
        "`sheetscript run t.rhai --help`",
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
}

#[test]
fn prepare_refuses_a_script_that_does_not_parse() {
    let e = task_of("let a = ;\n", &[], &[]).prepare().unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().starts_with("t.rhai:1:"), "{e}");
    // Without a header any --set and --attach pass as they always did.
    task_of("let a = 1;\n", &[("x", "1")], &["any"])
        .prepare()
        .unwrap();
}
