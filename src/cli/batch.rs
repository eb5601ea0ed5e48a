//! Many inputs at once (`run`, `recalc` and `convert` with `--out-dir`):
//! the options of a batch, the jobs made from them, the progress bar and
//! the summary table. The work itself is the library's runner
//! ([`sheetscript::batch`]), which a single file goes through as well.

use super::args::GlobalArgs;
use super::common::{print_written, run_single, Said};
use sheetscript::batch::inputs::{expand, leave_out_own_outputs, plan, Naming};
use sheetscript::batch::report::{self, Row};
use sheetscript::batch::shard::Shard;
use sheetscript::batch::{
    exit_code, run_jobs, Job, Listener, Notice, Outcome, Settings, Status, Task,
};
use sheetscript::io::read::{CsvOptions, ReadLimits, ReadOptions};
use sheetscript::io::write::csv::CsvWriteOptions;
use sheetscript::io::write::WriteOptions;
use sheetscript::progress::Progress;
use sheetscript::{Error, Result};
use std::path::{Path, PathBuf};

/// How to run many inputs (flattened into `run`, `recalc` and `convert`).
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Many files")]
pub struct BatchArgs {
    /// Write each input's result into this folder under the input's name
    /// (a folder given as input is mirrored inside it); takes many inputs:
    /// files, folders, patterns such as 'exports/*.xls'.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Added to each output's name before the extension, such as
    /// `-checked` (with --out-dir).
    #[arg(
        long,
        value_name = "TEXT",
        requires = "out_dir",
        allow_hyphen_values = true
    )]
    pub suffix: Option<String>,
    /// How many files are processed at once (default: the number of
    /// cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Also write the summary (file, status, cells changed, warnings,
    /// error, seconds) to this .csv or .json file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Process every input again, even one whose output is newer than
    /// the input and the script (by default those are skipped, so an
    /// interrupted batch resumes).
    #[arg(long)]
    pub force: bool,
    /// Process only the K-th of N shares of the inputs (the same file is
    /// in the same share however the inputs are ordered); `auto` takes K
    /// and N from a Kubernetes Indexed Job or a Slurm array (see
    /// docs/BATCH.md).
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
}

impl BatchArgs {
    /// Whether these inputs and options make a batch rather than one
    /// file: an output folder, several inputs, a folder or a pattern.
    pub fn is_batch(&self, inputs: &[PathBuf]) -> bool {
        self.out_dir.is_some()
            || self.report.is_some()
            || self.shard.is_some()
            || inputs.len() != 1
            || inputs[0].is_dir()
            || (!inputs[0].exists() && inputs[0].to_string_lossy().contains(['*', '?']))
    }

    /// How many files run at once.
    pub fn jobs(&self) -> usize {
        match self.jobs {
            Some(n) => n as usize,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// A batch as one command makes it.
pub struct Batch<'a> {
    /// The command's inputs as given.
    pub inputs: &'a [PathBuf],
    /// The batch options.
    pub args: &'a BatchArgs,
    /// The outputs' extension (`convert --to`), or the inputs' own.
    pub extension: Option<String>,
    /// The folder of the per-file change reports (`run --changes DIR`).
    pub changes_dir: Option<PathBuf>,
    /// Run without writing (`run --dry-run`): no --out-dir needed.
    pub dry_run: bool,
    /// What each file gets.
    pub task: Task,
    /// How files are read and written; the batch sets the jobs, resume
    /// and progress.
    pub settings: Settings,
}

/// The progress bar of reading and writing one file: on a terminal for a
/// single file, none in a batch (which has its own bar of files).
pub fn file_progress(batch: bool, global: &GlobalArgs) -> Progress {
    if batch {
        Progress::hidden()
    } else {
        Progress::for_terminal(global.quiet)
    }
}

/// How a command's files are read and written: the reader's progress,
/// CSV options and limits, and `--strict` and the form of a CSV output
/// for the writer.
pub fn settings(
    progress: Progress,
    csv: CsvOptions,
    limits: ReadLimits,
    strict: bool,
    csv_out: CsvWriteOptions,
) -> Settings {
    Settings {
        read: ReadOptions {
            progress: progress.clone(),
            csv,
            limits,
        },
        write: WriteOptions {
            strict,
            in_place: false,
            progress,
            csv: csv_out,
        },
        ..Settings::default()
    }
}

/// Refuses `--in-place` in a batch: it updates one file.
pub fn refuse_in_place(in_place: bool) -> Result<()> {
    if in_place {
        return Err(Error::Usage(
            "--in-place updates one file; with many inputs write to --out-dir".into(),
        ));
    }
    Ok(())
}

/// The inputs and outputs of a command that writes one file per input
/// (`recalc`, `convert`).
pub struct Files<'a> {
    /// The inputs as given.
    pub inputs: &'a [PathBuf],
    /// `-o`, for a single file.
    pub output: Option<&'a PathBuf>,
    /// `--in-place`, for a single file.
    pub in_place: bool,
    /// The batch options.
    pub args: &'a BatchArgs,
    /// The outputs' extension in a batch, or the inputs' own.
    pub extension: Option<String>,
}

/// Runs `task` over `files`: a batch when its options make one, else the
/// one input to `-o`, printing what was written; returns the exit code.
pub fn execute_files(
    files: Files<'_>,
    task: Task,
    settings: Settings,
    global: &GlobalArgs,
) -> Result<i32> {
    if files.args.is_batch(files.inputs) {
        refuse_in_place(files.in_place)?;
        let batch = Batch {
            inputs: files.inputs,
            args: files.args,
            extension: files.extension,
            changes_dir: None,
            dry_run: false,
            task,
            settings,
        };
        return execute(batch, global);
    }
    let output = files.output.cloned().ok_or_else(|| {
        Error::Usage("say where to write the result: -o OUTPUT.xlsx (or --out-dir DIR)".into())
    })?;
    let job = Job {
        input: files.inputs[0].clone(),
        output: Some(output),
        in_place: files.in_place,
        changes: None,
    };
    let outcome = run_single(&job, &task, &settings, global)?;
    if let Some(written) = &outcome.written {
        print_written(written, &outcome.detail, Said::Stdout, global);
    }
    Ok(0)
}

/// Runs a batch; prints the summary table and returns the exit code.
pub fn execute(batch: Batch<'_>, global: &GlobalArgs) -> Result<i32> {
    let args = batch.args;
    let out_dir = match (&args.out_dir, batch.dry_run) {
        (Some(d), _) => d.clone(),
        (None, true) => PathBuf::new(),
        (None, false) => {
            return Err(Error::Usage(
                "a batch (several inputs, a folder, a pattern, --report or --shard) writes \
                 into a folder: add --out-dir DIR (-o names the output of one file alone)"
                    .into(),
            ))
        }
    };
    if let Some(r) = &args.report {
        report::Format::of(r, "--report")?;
    }
    let shard = match args.shard.as_deref() {
        None => None,
        Some("auto") => {
            let (shard, from) = Shard::from_env(|k| std::env::var(k).ok())?;
            if !global.quiet {
                eprintln!("note: {from}");
            }
            Some(shard)
        }
        Some(text) => Some(Shard::parse(text)?),
    };
    let skip: Vec<PathBuf> = args
        .out_dir
        .iter()
        .chain(batch.changes_dir.iter())
        .chain(args.report.iter())
        .cloned()
        .collect();
    let mut found = expand(batch.inputs, &skip)?;
    let naming = Naming {
        out_dir,
        suffix: args.suffix.clone().unwrap_or_default(),
        extension: batch.extension.clone(),
        changes_dir: batch.changes_dir.clone(),
    };
    let own = leave_out_own_outputs(&mut found, &naming);
    if !own.is_empty() && !global.quiet {
        eprintln!(
            "note: left out {} file(s) this batch writes, such as {}",
            own.len(),
            own[0].path.display()
        );
    }
    let mut planned = plan(&found, &naming)?;
    let all = planned.len();
    if let Some(shard) = shard {
        planned.retain(|p| shard.takes(&p.key));
        if !global.quiet {
            eprintln!(
                "note: shard {}/{}: {} of {all} file(s)",
                shard.index,
                shard.count,
                planned.len()
            );
        }
    }
    let jobs: Vec<Job> = planned
        .into_iter()
        .map(|p| Job {
            output: if batch.dry_run { None } else { p.job.output },
            ..p.job
        })
        .collect();
    let settings = Settings {
        jobs: args.jobs(),
        skip_up_to_date: !args.force && !batch.dry_run,
        keep_dry_run: false,
        name_prints: true,
        ..batch.settings
    };
    let progress = Progress::for_files(global.quiet, jobs.len() as u64);
    let listener = BatchListener {
        progress: progress.clone(),
        quiet: global.quiet,
    };
    let outcomes = run_jobs(&jobs, &batch.task, &settings, &listener);
    progress.finish();
    let rows: Vec<Row> = jobs
        .iter()
        .zip(&outcomes)
        .map(|(j, o)| Row::new(j, o))
        .collect();
    print_table(&rows);
    if let Some(path) = &args.report {
        report::write(path, &rows)?;
    }
    let mut closing = totals(&outcomes, args.report.as_deref());
    if batch.dry_run {
        closing.push_str("; dry run: nothing was written");
    }
    println!("{closing}");
    Ok(exit_code(&outcomes))
}

/// Shows a batch as it goes: the bar, each file's warnings and errors.
struct BatchListener {
    progress: Progress,
    quiet: bool,
}

impl Listener for BatchListener {
    fn started(&self, job: &Job) {
        self.progress.set_message(&job.input.display().to_string());
    }

    fn notice(&self, job: &Job, notice: Notice<'_>) {
        // Notes are for one file looked at closely; a batch shows only
        // what needs checking.
        if let (Notice::Warning(w), false) = (notice, self.quiet) {
            self.progress
                .say(&format!("warning: {}: {w}", job.input.display()));
        }
    }

    fn finished(&self, job: &Job, outcome: &Outcome) {
        if let Some(e) = &outcome.error {
            let text = e.to_string();
            let named = job.input.display().to_string();
            // Errors about reading name the file already.
            let line = if text.starts_with(&named) {
                format!("error: {text}")
            } else {
                format!("error: {named}: {text}")
            };
            self.progress.say(&line);
        }
        self.progress.inc(1);
    }
}

/// The longest error shown in the table; the whole of it is on stderr
/// and in the report.
const ERROR_WIDTH: usize = 80;

/// Prints the summary table on stdout: one line a file, columns aligned.
fn print_table(rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    let mut lines = vec![[
        "file".to_string(),
        "status".to_string(),
        "changed".to_string(),
        "warnings".to_string(),
        "seconds".to_string(),
        "error".to_string(),
    ]];
    for r in rows {
        let mut error: String = r.error.lines().next().unwrap_or_default().to_string();
        if error.chars().count() > ERROR_WIDTH {
            error = error.chars().take(ERROR_WIDTH - 3).collect::<String>() + "...";
        }
        lines.push([
            r.file.clone(),
            r.status.word().to_string(),
            r.changed.to_string(),
            r.warnings.to_string(),
            format!("{:.3}", r.seconds),
            error,
        ]);
    }
    let width = |i: usize| {
        lines
            .iter()
            .map(|l| l[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..5).map(width).collect();
    for l in &lines {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {:>w4$}  {}",
            l[0],
            l[1],
            l[2],
            l[3],
            l[4],
            l[5],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
        );
        println!("{}", line.trim_end());
    }
}

/// The closing line: how many files ended how.
fn totals(outcomes: &[Outcome], report: Option<&Path>) -> String {
    let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
    let mut line = format!(
        "{} file(s): {} ok, {} skipped (up to date), {} failed, {} unreadable",
        outcomes.len(),
        count(Status::Ok),
        count(Status::Skipped),
        count(Status::Failed),
        count(Status::Unreadable)
    );
    if let Some(r) = report {
        line.push_str(&format!("; report in {}", r.display()));
    }
    line
}
