//! The runner: one task (run a script, recalculate, convert) over one or
//! many input files, each file its own job with its own outcome.
//!
//! Every way of processing a workbook goes through [`run_jobs`]: the
//! single-file `run`, `recalc` and `convert` are a batch of one, and a
//! batch of hundreds (`--out-dir`) spreads its jobs over worker threads.
//! A job that fails (unreadable input, a failing `assert`, a timeout, a
//! panic of ours) writes nothing for its file and does not stop the
//! others; its [`Outcome`] says why. What a person sees of the run (a
//! progress bar, warnings, the summary table) is the caller's: the runner
//! tells a [`Listener`] and returns the outcomes, in the jobs' order.
//!
//! [`inputs`] turns the command line's files, folders and patterns into
//! jobs with output names, [`shard`] splits them between machines, and
//! [`report`] writes and merges the summary.

pub mod changes;
pub mod inputs;
pub mod report;
pub mod shard;

use crate::formula::{Deadline, Engine, EngineOptions};
use crate::io::read::{read_workbook, CsvOptions, ReadOptions};
use crate::io::same_file;
use crate::io::write::{write_workbook_sheet, UpdateLock, WriteMethod, WriteOptions, WriteReport};
use crate::model::Workbook;
use crate::script::{check_script, run_script, RunOutcome, ScriptHeader, ScriptOptions};
use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The stack each job runs on. Formulas nest up to 8,192 levels (Excel's
/// longest formula is a chain of that many operators), and evaluating and
/// printing them recurse; a thread's default stack is not enough for that
/// in every build. Only what is touched is committed, so a worker per
/// core costs address space, not memory.
pub const WORK_STACK: usize = 256 << 20;

/// What every job does to its file.
#[derive(Debug, Clone)]
pub enum Task {
    /// Run a script over the file.
    Run(Box<ScriptTask>),
    /// Compute every formula and write the values as cached results.
    Recalc {
        /// The clock for TODAY() and NOW(); the system clock when `None`.
        now: Option<chrono::NaiveDateTime>,
        /// How long one file's calculation may take; no limit when `None`.
        timeout: Option<Duration>,
    },
    /// Write the file in another format.
    Convert {
        /// The sheet a CSV output gets (the first when `None`).
        sheet: Option<String>,
    },
}

/// A script and how to run it, the same for every file of a batch;
/// [`ScriptTask::prepare`] checks it once before any file is read.
#[derive(Debug, Clone)]
pub struct ScriptTask {
    /// The script's text.
    pub source: String,
    /// The script's file, for messages and for [`Settings::sources`].
    pub script_name: String,
    /// The run's options; each job gets a copy with its own attached
    /// workbooks and input name.
    pub options: ScriptOptions,
    /// Workbooks the script may read (`--attach`), read afresh by each
    /// job so no job holds another's.
    pub attach: Vec<Attachment>,
    /// Without a `--locale`, sort text in the language the workbook's
    /// properties name (and say so in a note).
    pub workbook_locale: bool,
}

impl ScriptTask {
    /// The task checked once, before any file is read, so that a mistake
    /// is one usage error (exit 2) rather than the same failure for every
    /// file of a batch: the script's header ([`ScriptHeader`]) is read,
    /// the `--set` values are checked against the parameters it declares
    /// (its defaults filled in; a date's `today` is the day of `--today`
    /// or of the clock), every workbook it declares is attached, and the
    /// script is compiled.
    pub fn prepare(mut self) -> Result<ScriptTask> {
        let header = ScriptHeader::parse(&self.source, &self.script_name)
            .map_err(|e| Error::Usage(e.to_string()))?;
        let today = self
            .options
            .now
            .unwrap_or_else(|| chrono::Local::now().naive_local())
            .date();
        let mut problems = Vec::new();
        match header.check_params(&self.options.params, today) {
            Ok(params) => self.options.params = params,
            Err(e) => problems.push(e.to_string()),
        }
        problems.extend(self.attachment_problems(&header));
        if !problems.is_empty() {
            let lines: Vec<String> = problems
                .iter()
                .flat_map(|p| p.lines())
                .map(|l| format!("  {l}"))
                .collect();
            return Err(Error::Usage(format!(
                "{name} cannot run with these options:\n{}\n`sheetscript run {name} --help` \
                 lists its parameters and attachments",
                lines.join("\n"),
                name = self.script_name,
            )));
        }
        check_script(&self.source, &self.script_name, &self.options)?;
        Ok(self)
    }

    /// What is wrong with the `--attach` names for a script that declares
    /// its workbooks: one it needs and was not given, or one it does not
    /// read (a misspelt name would otherwise be read for nothing). A
    /// script that declares none takes any, as it always did.
    fn attachment_problems(&self, header: &ScriptHeader) -> Vec<String> {
        if header.attachments.is_empty() {
            return Vec::new();
        }
        let mut problems = Vec::new();
        for a in &self.attach {
            if !header.attachments.iter().any(|d| d.name == a.name) {
                let known: Vec<&str> = header.attachments.iter().map(|d| d.name.as_str()).collect();
                problems.push(format!(
                    "--attach {}: this script reads no workbook \"{}\" (it reads {})",
                    a.name,
                    a.name,
                    known.join(", ")
                ));
            }
        }
        for d in &header.attachments {
            if !self.attach.iter().any(|a| a.name == d.name) {
                problems.push(format!(
                    "missing attachment \"{}\" ({}): give it with --attach {}=FILE",
                    d.name, d.label, d.name
                ));
            }
        }
        problems
    }
}

/// A workbook a script may read by name (`--attach name=file`).
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The name the script asks for: `workbook("bank")`.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// How to read it when it is CSV.
    pub csv: CsvOptions,
}

/// One file to process.
#[derive(Debug, Clone)]
pub struct Job {
    /// The file read.
    pub input: PathBuf,
    /// Where the result goes; `None` writes nothing (a dry run).
    pub output: Option<PathBuf>,
    /// The output may be the input itself (a backup is kept), and the
    /// input is locked for the whole job when it is.
    pub in_place: bool,
    /// Where the changed cells are listed (.csv or .json), if anywhere.
    pub changes: Option<PathBuf>,
}

impl Job {
    /// The input's file name, as a script's `input_name()` returns it.
    pub fn input_name(&self) -> String {
        self.input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.input.display().to_string())
    }
}

/// How every job reads and writes.
#[derive(Clone, Default)]
pub struct Settings {
    /// How inputs are read (CSV options, limits, progress).
    pub read: ReadOptions,
    /// How outputs are written; [`Job::in_place`] sets `in_place`.
    pub write: WriteOptions,
    /// How many files are processed at once (0 or 1: one after another on
    /// the calling thread).
    pub jobs: usize,
    /// Skip a job whose output (and change report) is newer than its
    /// input and every file of [`Settings::sources`], so an interrupted
    /// batch resumes where it stopped.
    pub skip_up_to_date: bool,
    /// Files every output depends on besides its input: the script and
    /// the attached workbooks.
    pub sources: Vec<PathBuf>,
    /// Start each line a script prints with its file's name, as a batch
    /// of many files needs.
    pub name_prints: bool,
    /// Keep a dry run's outcome in [`Outcome::dry_run`] for printing (one
    /// file); a batch leaves it out so memory stays per running job.
    pub keep_dry_run: bool,
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Processed (and written, unless a dry run).
    Ok,
    /// Not processed: its output was already newer than its sources.
    Skipped,
    /// Read, but the run failed (a script error, `assert`, timeout,
    /// output refused); nothing was written for it.
    Failed,
    /// The input could not be read as a workbook; nothing was written.
    Unreadable,
}

impl Status {
    /// The word the summary and the reports use.
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
            Status::Unreadable => "unreadable",
        }
    }
}

/// What one job did.
#[derive(Debug)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// Cells whose content changed.
    pub changed: usize,
    /// What was done, in the words of the `wrote PATH: ...` line: `12
    /// cell(s) changed; added sheet "VAT"`, `computed 40 formulas, 3
    /// cells changed`, `new xlsx workbook`.
    pub detail: String,
    /// Every warning the job gave (already told to the listener).
    pub warnings: Vec<String>,
    /// Why it failed.
    pub error: Option<Error>,
    /// How long it took.
    pub elapsed: Duration,
    /// What was written, when anything was.
    pub written: Option<WriteReport>,
    /// A dry run's result, when [`Settings::keep_dry_run`] asked for it.
    pub dry_run: Option<RunOutcome>,
}

impl Outcome {
    fn ended(status: Status, started: Instant) -> Outcome {
        Outcome {
            status,
            changed: 0,
            detail: String::new(),
            warnings: Vec::new(),
            error: None,
            elapsed: started.elapsed(),
            written: None,
            dry_run: None,
        }
    }
}

/// Something a job says while it runs, for the person watching.
#[derive(Debug, Clone, Copy)]
pub enum Notice<'a> {
    /// Something to check: a formula that could not be computed, what an
    /// output cannot carry.
    Warning(&'a str),
    /// Worth knowing, not wrong: lines a CSV reader skipped, the sort
    /// order chosen.
    Note(&'a str),
}

/// Hears what jobs do, from whichever thread runs them.
pub trait Listener: Sync {
    /// A job starts.
    fn started(&self, _job: &Job) {}
    /// A job says something; a job's notices come in the order it made
    /// them, before its [`Listener::finished`].
    fn notice(&self, _job: &Job, _notice: Notice<'_>) {}
    /// A job ended.
    fn finished(&self, _job: &Job, _outcome: &Outcome) {}
}

/// A listener that hears nothing.
pub struct Silent;

impl Listener for Silent {}

/// Runs `task` over every job, `settings.jobs` at a time, and returns
/// each job's outcome in the order of `jobs`, however they finished.
pub fn run_jobs(
    jobs: &[Job],
    task: &Task,
    settings: &Settings,
    listener: &dyn Listener,
) -> Vec<Outcome> {
    let workers = settings.jobs.clamp(1, jobs.len().max(1));
    if workers == 1 {
        return jobs
            .iter()
            .map(|j| run_job(j, task, settings, listener))
            .collect();
    }
    // The jobs share the cores: each one's reading, recalculation and
    // writing use the threads left to it, so two jobs on two cores do not
    // start four threads each.
    let threads = crate::threads::limit();
    crate::threads::set_limit(Some((threads / workers).max(1)));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Outcome>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = jobs.get(i) else { break };
        let outcome = run_job(job, task, settings, listener);
        if let Ok(mut slot) = slots[i].lock() {
            *slot = Some(outcome);
        }
    };
    std::thread::scope(|scope| {
        for w in 0..workers {
            // A worker the system refuses to start leaves its share to
            // the others (and, should none start, to the loop below).
            let _ = std::thread::Builder::new()
                .name(format!("sheetscript-job-{w}"))
                .stack_size(WORK_STACK)
                .spawn_scoped(scope, work);
        }
    });
    crate::threads::set_limit(Some(threads));
    slots
        .into_iter()
        .zip(jobs)
        .map(|(slot, job)| {
            let done = slot.into_inner().ok().flatten();
            done.unwrap_or_else(|| run_job(job, task, settings, listener))
        })
        .collect()
}

/// Runs `task` over one job: skipped when up to date, otherwise read,
/// processed and written, any failure (a panic of ours included) kept in
/// the outcome with nothing written for the file.
pub fn run_job(job: &Job, task: &Task, settings: &Settings, listener: &dyn Listener) -> Outcome {
    let started = Instant::now();
    listener.started(job);
    if settings.skip_up_to_date && is_up_to_date(job, &settings.sources) {
        let outcome = Outcome::ended(Status::Skipped, started);
        listener.finished(job, &outcome);
        return outcome;
    }
    let mut warnings = Vec::new();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut say = |notice: Notice<'_>| {
            if let Notice::Warning(w) = notice {
                warnings.push(w.to_string());
            }
            listener.notice(job, notice);
        };
        process(job, task, settings, &mut say)
    }));
    let mut outcome = Outcome::ended(Status::Ok, started);
    match result {
        Ok(Ok(done)) => {
            outcome.changed = done.changed;
            outcome.detail = done.detail;
            outcome.written = done.written;
            outcome.dry_run = done.dry_run;
        }
        Ok(Err(Failure { error, read })) => {
            outcome.status = if read || error.exit_code() != 2 {
                Status::Failed
            } else {
                Status::Unreadable
            };
            outcome.error = Some(error);
        }
        Err(panic) => {
            outcome.status = Status::Failed;
            outcome.error = Some(Error::Script(format!(
                "{}: sheetscript stopped on an internal error ({}); nothing was written for \
                 this file. This is a bug in sheetscript: please report it",
                job.input.display(),
                Error::panic_detail(panic.as_ref())
            )));
        }
    }
    outcome.warnings = warnings;
    outcome.elapsed = started.elapsed();
    listener.finished(job, &outcome);
    outcome
}

/// Whether the job's output (and change report) exists and is newer than
/// its input and every one of `sources`; anything unknown means no.
pub fn is_up_to_date(job: &Job, sources: &[PathBuf]) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let Some(output) = &job.output else {
        return false;
    };
    let results = std::iter::once(output).chain(job.changes.as_ref());
    let Some(oldest_result) = results.map(|p| modified(p)).collect::<Option<Vec<_>>>() else {
        return false;
    };
    let Some(oldest_result) = oldest_result.into_iter().min() else {
        return false;
    };
    std::iter::once(&job.input)
        .chain(sources)
        .all(|s| modified(s).is_some_and(|t| t < oldest_result))
}

/// What a job that went through produced.
struct Done {
    changed: usize,
    detail: String,
    written: Option<WriteReport>,
    dry_run: Option<RunOutcome>,
}

/// Why a job stopped, and whether its input had been read by then (a
/// usage error about the output is a failed run, not an unreadable file).
struct Failure {
    error: Error,
    read: bool,
}

impl Failure {
    fn before_reading(error: Error) -> Failure {
        Failure { error, read: false }
    }

    fn after_reading(error: Error) -> Failure {
        Failure { error, read: true }
    }
}

/// Reads, processes and writes one job.
fn process(
    job: &Job,
    task: &Task,
    settings: &Settings,
    say: &mut dyn FnMut(Notice<'_>),
) -> std::result::Result<Done, Failure> {
    let replaces_input = job.in_place
        && job.output.is_some()
        && job
            .output
            .as_ref()
            .is_some_and(|o| same_file(&job.input, o));
    // Taken before reading, so a second run cannot read the old contents
    // meanwhile and silently undo this one.
    let _update = if replaces_input {
        Some(UpdateLock::take(&job.input).map_err(Failure::before_reading)?)
    } else {
        None
    };
    let workbook = read_workbook(&job.input, &settings.read).map_err(Failure::before_reading)?;
    for n in &workbook.read_notes {
        say(Notice::Note(&format!("{}: {n}", job.input.display())));
    }
    let (result, changed, detail, dry_run) = match task {
        Task::Run(script) => {
            let outcome = run_one_script(job, script, workbook, settings, say)
                .map_err(Failure::after_reading)?;
            let changed = outcome.change_count();
            let events = outcome.events();
            let detail = if events.is_empty() {
                format!("{changed} cell(s) changed")
            } else {
                format!("{changed} cell(s) changed; {}", events.join("; "))
            };
            (
                Computed::Script(outcome),
                changed,
                detail,
                job.output.is_none(),
            )
        }
        Task::Recalc { now, timeout } => {
            if workbook.sheets.is_empty() {
                return Err(Failure::before_reading(Error::Usage(format!(
                    "{} has no sheets",
                    job.input.display()
                ))));
            }
            let mut engine = Engine::new(
                workbook,
                EngineOptions {
                    now: *now,
                    ..Default::default()
                },
            );
            engine.set_deadline(timeout.map(Deadline::after));
            let report = engine.recalc_all();
            report.check_time().map_err(Failure::after_reading)?;
            for w in report.warnings() {
                say(Notice::Warning(&w));
            }
            let workbook = engine.into_workbook();
            let changed: usize = workbook
                .sheets
                .iter()
                .map(|s| s.changed_cells().len())
                .sum();
            let detail = format!(
                "computed {} formulas, {changed} cells changed",
                report.computed
            );
            (Computed::Workbook(workbook), changed, detail, false)
        }
        Task::Convert { .. } => (Computed::Workbook(workbook), 0, String::new(), false),
    };
    let workbook = match &result {
        Computed::Script(o) => &o.workbook,
        Computed::Workbook(w) => w,
    };
    // The change report is made before the output and put in place after
    // it, so a failure of either leaves neither.
    let staged = match (&job.changes, &result) {
        (Some(path), Computed::Script(o)) => {
            Some(changes::stage(path, o.changes()).map_err(Failure::after_reading)?)
        }
        _ => None,
    };
    let mut written = None;
    let mut detail = detail;
    if let Some(output) = &job.output {
        let options = WriteOptions {
            in_place: job.in_place,
            ..settings.write.clone()
        };
        let sheet = match task {
            Task::Convert { sheet } => sheet.as_deref(),
            _ => None,
        };
        if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::after_reading(Error::write(output, e.to_string())))?;
        }
        let report = write_workbook_sheet(workbook, output, &options, sheet)
            .map_err(Failure::after_reading)?;
        for w in &report.warnings {
            say(Notice::Warning(w));
        }
        if let Task::Convert { .. } = task {
            detail = match report.method {
                WriteMethod::Patched => "updated copy of the input package",
                WriteMethod::NewXlsx => "new xlsx workbook",
                WriteMethod::Csv => "CSV",
            }
            .to_string();
        }
        written = Some(report);
    }
    if let (Some(staged), Some(path)) = (staged, &job.changes) {
        changes::persist(staged, path).map_err(Failure::after_reading)?;
    }
    let dry_run = match result {
        Computed::Script(o) if dry_run && settings.keep_dry_run => Some(o),
        _ => None,
    };
    Ok(Done {
        changed,
        detail,
        written,
        dry_run,
    })
}

/// A job's result before it is written.
enum Computed {
    Script(RunOutcome),
    Workbook(Workbook),
}

/// Runs the script over one input, with the attached workbooks read for
/// this job alone.
fn run_one_script(
    job: &Job,
    script: &ScriptTask,
    workbook: Workbook,
    settings: &Settings,
    say: &mut dyn FnMut(Notice<'_>),
) -> Result<RunOutcome> {
    let mut options = script.options.clone();
    // A name the task gives stays: the web page keeps an upload under a
    // name of its own, and the script should see the name it was sent as.
    if options.input_name.is_none() {
        options.input_name = Some(job.input_name());
    }
    if settings.name_prints {
        options.print_prefix = Some(format!("{}: ", job.input.display()));
    }
    if options.locale.is_none() && script.workbook_locale {
        // The workbook's own language orders text when --locale does
        // not; a tag we cannot use is ignored, as it is only a hint.
        options.locale = workbook
            .language
            .clone()
            .filter(|l| crate::model::collation::TextOrder::new(l).is_ok());
        if let Some(l) = &options.locale {
            say(Notice::Note(&format!(
                "text sorts in the workbook's language, {l}; --locale TAG chooses another"
            )));
        }
    }
    for a in &script.attach {
        let read = ReadOptions {
            csv: a.csv,
            limits: settings.read.limits,
            ..ReadOptions::default()
        };
        let wb = read_workbook(&a.path, &read)?;
        for n in &wb.read_notes {
            say(Notice::Note(&format!("{}: {n}", a.path.display())));
        }
        options.attached.push((a.name.clone(), wb));
    }
    let outcome = run_script(&script.source, &script.script_name, workbook, options)?;
    for w in &outcome.warnings {
        say(Notice::Warning(w));
    }
    for n in &outcome.notes {
        say(Notice::Note(n));
    }
    Ok(outcome)
}

/// The exit code of a batch: 0 when every file was processed or was up
/// to date, 2 when not one input could be read, 1 otherwise.
pub fn exit_code(outcomes: &[Outcome]) -> i32 {
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::Failed | Status::Unreadable))
        .count();
    let unreadable = outcomes
        .iter()
        .filter(|o| o.status == Status::Unreadable)
        .count();
    if failed == 0 {
        0
    } else if unreadable == outcomes.len() {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests;
