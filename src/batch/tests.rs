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
