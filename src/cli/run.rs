//! `sheetscript run`: run a rhai script over a workbook and write the
//! result (or, with `--dry-run`, only show what would change).

use super::args::{set_csv_option, CsvArgs, GlobalArgs, LocaleArgs, ReadLimitArgs};
use super::batch::{file_progress, refuse_in_place, settings, Batch, BatchArgs};
use super::common::{print_written, run_single, Said};
use sheetscript::batch::{changes, Attachment, Job, ScriptTask, Settings, Task};
use sheetscript::io::read::CsvOptions;
use sheetscript::io::same_file;
use sheetscript::script::{Change, RunOutcome, ScriptOptions, StartValues};
use sheetscript::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Arguments of `sheetscript run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "EXAMPLES:
  sheetscript run scripts/vat.rhai invoices.xlsx -o invoices-out.xlsx
  sheetscript run scripts/ageing.rhai invoices.xlsx -o ageing.xlsx --set asof=2026-11-30
  sheetscript run scripts/payroll.rhai payroll.xlsx -o payroll-out.xlsx --set tax=0.15
  sheetscript run scripts/bank_reconciliation.rhai invoices.xlsx --attach bank=bank.xlsx -o reconciled.xlsx
  sheetscript run scripts/vat.rhai invoices.xlsx --dry-run
  sheetscript run scripts/vat.rhai invoices.xlsx -o out.xlsx --changes changes.csv
  sheetscript run match.rhai invoices.xlsx --attach 'bank=výpis.csv;encoding=windows-1250' -o out.xlsx
  sheetscript run vat.rhai faktury.csv --set asof=30.11.2026 --locale cs-CZ -o faktury-out.csv
  sheetscript run scripts/vat.rhai 'invoices/*.xlsx' --out-dir checked/ --suffix -checked
  sheetscript run scripts/vat.rhai invoices/ --out-dir checked/ --report batch.csv --changes changes/

A script that fails (an error, assert or fail) writes nothing and leaves the
input untouched; in a batch the other files go on, and the exit code is 1.
Re-running a batch skips files whose output is newer than the input and the
script (--force runs them again); docs/BATCH.md covers batches and shards.
`sheetscript functions` lists what a script can call; the guide is
docs/SCRIPTING.md; `sheetscript run SCRIPT --help` shows what a script
takes: its parameters and the workbooks to attach.",
    disable_help_flag = true,
    override_usage = "sheetscript run [OPTIONS] <SCRIPT> <INPUT>...\n       sheetscript run <SCRIPT> --help"
)]
pub struct RunArgs {
    /// The rhai script to run.
    #[arg(required_unless_present = "help")]
    pub script: Option<PathBuf>,
    /// The workbook to run it on (xlsx, xlsm, xlsb, xls, ods or csv);
    /// with --out-dir, any number of files, folders and patterns.
    #[arg(required_unless_present = "help", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Print help; after a script, the script's own: what it does, its
    /// parameters and the workbooks to attach.
    #[arg(short, long, action = clap::ArgAction::SetTrue)]
    pub help: bool,
    /// Where to write the result (.xlsx, .xlsm or .csv).
    #[arg(short, long, conflicts_with_all = ["in_place", "out_dir"])]
    pub output: Option<PathBuf>,
    /// Write the result back into the input file (a backup is kept beside
    /// it) instead of to -o.
    #[arg(long)]
    pub in_place: bool,
    /// A script parameter, typed from its text: a number (0.21, 1234,50,
    /// "1 234,50"), a date (2026-11-30, 30.11.2026), true/false, or text.
    /// An ambiguous value (1,234; 1/2/2026) is refused. Repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// A folder the script may `import` modules from. Repeatable; without
    /// it `import` is refused.
    #[arg(long = "lib", value_name = "DIR")]
    pub lib: Vec<PathBuf>,
    /// Another workbook the script may read as workbook("NAME"), such as
    /// a bank statement. Repeatable. A CSV file takes its own reading
    /// options after `;`: 'bank=stmt.csv;delimiter=;;encoding=windows-1250;decimal=comma;header-row=4'.
    #[arg(long = "attach", value_name = "NAME=FILE[;OPTION=VALUE]")]
    pub attach: Vec<String>,
    /// Run the script and print what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the changed cells (sheet, cell, old, new) to this .csv
    /// or .json file; in a batch, a folder that gets one NAME.changes.csv
    /// a file.
    #[arg(long, value_name = "FILE|DIR")]
    pub changes: Option<PathBuf>,
    /// With --dry-run, list every changed cell; without it a dry run
    /// shows a summary per sheet and column with a few examples.
    #[arg(long)]
    pub verbose: bool,
    /// Stop the script after this many seconds (0 for no limit).
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout: u64,
    /// The date `today()` returns (for repeatable runs), as 2026-11-30.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Refuse to write when the output cannot carry everything.
    #[arg(long)]
    pub strict: bool,
    /// Recompute every formula before the script runs, trusting no saved
    /// result (by default only formulas saved without a result are
    /// computed).
    #[arg(long)]
    pub recalc: bool,
    /// How to read a CSV input (an attached CSV file takes its own options
    /// in --attach).
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Language conventions (sort order) and how to write a CSV output.
    #[command(flatten)]
    pub locale: LocaleArgs,
    /// How much the input and each attached file may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
    /// Many inputs at once.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Runs `sheetscript run`; returns the exit code.
pub fn execute(args: &RunArgs, global: &GlobalArgs) -> Result<i32> {
    let script = match (&args.script, args.help) {
        (Some(script), false) => script,
        (Some(script), true) => {
            super::script_help::print(script)?;
            return Ok(0);
        }
        // clap asks for a script unless --help is given.
        (None, _) => {
            super::script_help::print_run_help();
            return Ok(0);
        }
    };
    let options = script_options(args)?;
    let batch = args.batch.is_batch(&args.inputs);
    if batch {
        refuse_in_place(args.in_place)?;
    }
    if !batch && !args.dry_run && args.output.is_none() && !args.in_place {
        return Err(Error::Usage(
            "say where to write the result: -o OUTPUT.xlsx, or --in-place to update the input (a backup is kept); --dry-run only shows the changes; --out-dir DIR takes many inputs".into(),
        ));
    }
    let mut attach = Vec::new();
    for a in &args.attach {
        let (name, file, csv) = parse_attach(a)?;
        check_attach_options(&name, &file, &csv)?;
        attach.push(Attachment {
            name,
            path: PathBuf::from(file),
            csv,
        });
    }
    if let Some(c) = &args.changes {
        check_changes(args, script, c, batch, &attach)?;
    }
    let source = super::script_help::read_script(script)?;
    let sources = std::iter::once(script.clone())
        .chain(attach.iter().map(|a| a.path.clone()))
        .collect();
    let settings = Settings {
        sources,
        keep_dry_run: true,
        ..settings(
            file_progress(batch, global),
            args.csv.to_options()?,
            args.limits.to_limits(),
            args.strict,
            args.locale.csv_write_options()?,
        )
    };
    let task = Task::Run(Box::new(
        ScriptTask {
            source,
            script_name: script.display().to_string(),
            options,
            attach,
            workbook_locale: true,
        }
        .prepare()?,
    ));
    if batch {
        let batch = Batch {
            inputs: &args.inputs,
            args: &args.batch,
            extension: None,
            changes_dir: args.changes.clone(),
            dry_run: args.dry_run,
            task,
            settings,
        };
        return super::batch::execute(batch, global);
    }
    let input = args.inputs[0].clone();
    let output = match (&args.output, args.dry_run) {
        (_, true) => None,
        (Some(o), false) => Some(o.clone()),
        (None, false) => Some(input.clone()),
    };
    let job = Job {
        in_place: output.is_some() && args.output.is_none(),
        input,
        output,
        changes: args.changes.clone(),
    };
    let outcome = run_single(&job, &task, &settings, global)?;
    if let Some(run) = &outcome.dry_run {
        print_dry_run(run, args.verbose);
    }
    if let Some(written) = &outcome.written {
        print_written(written, &outcome.detail, Said::Stderr, global);
    }
    Ok(0)
}

/// Refuses CSV reading options on an attached file that is not CSV: the
/// options would be ignored, so the file is not what the user thinks.
fn check_attach_options(name: &str, file: &str, csv: &CsvOptions) -> Result<()> {
    let has_options = csv.delimiter.is_some()
        || csv.decimal_comma.is_some()
        || csv.encoding.is_some()
        || csv.header_row.is_some();
    if has_options {
        let format = sheetscript::io::read::detect_format(Path::new(file))?;
        if format != sheetscript::model::SourceFormat::Csv {
            return Err(Error::Usage(format!(
                "--attach {name}: reading options apply to CSV files, and {file} is an {} workbook",
                format.name()
            )));
        }
    }
    Ok(())
}

/// Checks `--changes`: one file a .csv or .json report that is none of
/// the files the run reads or writes (`--changes invoices.csv` on
/// invoices.csv would replace the data); in a batch, a folder.
fn check_changes(
    args: &RunArgs,
    script: &Path,
    c: &Path,
    batch: bool,
    attach: &[Attachment],
) -> Result<()> {
    if batch {
        if c.is_file() || changes::format_of(c).is_ok() {
            return Err(Error::Usage(format!(
                "--changes {}: with many inputs --changes names a folder, which gets one \
                 NAME.changes.csv a file",
                c.display()
            )));
        }
        return Ok(());
    }
    changes::format_of(c)?;
    let mut taken: Vec<(&str, &Path)> = vec![
        ("the input", args.inputs[0].as_path()),
        ("the script", script),
    ];
    taken.extend(args.output.iter().map(|o| ("the output", o.as_path())));
    taken.extend(
        attach
            .iter()
            .map(|a| ("an attached file", a.path.as_path())),
    );
    if let Some((what, _)) = taken.iter().find(|(_, p)| same_file(c, p)) {
        return Err(Error::Usage(format!(
            "--changes {}: that is {what}; name another file for the report",
            c.display()
        )));
    }
    Ok(())
}

/// Splits `--attach name=file;option=value;...` into the name, the file
/// and its CSV reading options. An option starts at a `;` followed by a
/// known option name and `=`, so a `;` as the delimiter's value
/// (`delimiter=;;encoding=...`) needs no escaping.
fn parse_attach(spec: &str) -> Result<(String, String, CsvOptions)> {
    let (name, rest) = spec.split_once('=').ok_or_else(|| {
        Error::Usage(format!(
            "--attach {spec}: write it as name=file, e.g. --attach bank=statement.xlsx"
        ))
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Usage(format!(
            "--attach {spec}: the name before = is missing, e.g. --attach bank=statement.csv"
        )));
    }
    // Positions where an option starts: `;key=`.
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for (i, _) in rest.match_indices(';') {
        let after = &rest[i + 1..];
        if let Some(key) = CsvOptions::KEYS
            .iter()
            .find(|k| after.starts_with(&format!("{k}=")))
        {
            starts.push((i, key));
        }
    }
    let file_end = starts.first().map_or(rest.len(), |s| s.0);
    let file = rest[..file_end].trim().to_string();
    if file.is_empty() {
        return Err(Error::Usage(format!(
            "--attach {spec}: the file after = is missing"
        )));
    }
    let mut csv = CsvOptions::default();
    for (j, &(at, key)) in starts.iter().enumerate() {
        let end = starts.get(j + 1).map_or(rest.len(), |s| s.0);
        let value = &rest[at + 1 + key.len() + 1..end];
        set_csv_option(
            &mut csv,
            key,
            value,
            &format!("--attach {name}: {key}={value}"),
        )?;
    }
    Ok((name.to_string(), file, csv))
}

/// The script's options from the command line: `--set`, `--today` and
/// `--lib` checked here, so a typo is a usage error before any reading.
fn script_options(args: &RunArgs) -> Result<ScriptOptions> {
    let mut params = Vec::new();
    for s in &args.set {
        let (name, value) = s.split_once('=').ok_or_else(|| {
            Error::Usage(format!(
                "--set {s}: write it as name=value, e.g. --set rate=0.21"
            ))
        })?;
        params.push((name.trim().to_string(), value.to_string()));
    }
    let now = match &args.today {
        Some(t) => Some(
            chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                .map_err(|_| Error::Usage(format!("--today {t}: write the date as 2026-11-30")))?
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists"),
        ),
        None => None,
    };
    for dir in &args.lib {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "--lib {}: not a folder",
                dir.display()
            )));
        }
    }
    Ok(ScriptOptions {
        params,
        lib_dirs: args.lib.clone(),
        timeout: (args.timeout > 0).then(|| Duration::from_secs(args.timeout)),
        now,
        start: if args.recalc {
            StartValues::Recalculated
        } else {
            StartValues::Cached
        },
        locale: args.locale.locale()?,
        ..ScriptOptions::default()
    })
}

/// The script's events (sheets, tables made) as a `; ...` suffix of a
/// summary line.
fn summary_of_events(events: &[String]) -> String {
    if events.is_empty() {
        String::new()
    } else {
        format!("; {}", events.join("; "))
    }
}

/// Prints the would-be changes; a closed pipe (`| head`) ends the list.
fn print_dry_run(outcome: &RunOutcome, verbose: bool) {
    let mut out = std::io::stdout().lock();
    let _ = write_dry_run(&mut out, outcome, verbose);
}

/// How many changed cells a dry run shows per column without --verbose.
const EXAMPLES: usize = 3;

/// One changed cell as the dry run shows it: `Invoices!E2: 1 -> 2`.
fn change_line(c: &Change) -> String {
    let show = |s: &str| {
        if s.is_empty() {
            "(empty)".to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}!{}: {} -> {}",
        c.sheet,
        c.cell,
        show(&c.old),
        show(&c.new)
    )
}

/// The cells of one sheet column that would change, for the summary.
struct ColumnChanges {
    sheet: String,
    letters: String,
    count: usize,
    examples: Vec<Change>,
}

/// Writes the dry run: with `verbose` every changed cell, otherwise a
/// summary per sheet and column with its first few cells, so a 100k-row
/// run prints a screenful rather than 300k lines.
fn write_dry_run(out: &mut impl Write, outcome: &RunOutcome, verbose: bool) -> std::io::Result<()> {
    for e in outcome.events() {
        writeln!(out, "{e}")?;
    }
    let mut count = 0;
    let mut columns: Vec<ColumnChanges> = Vec::new();
    let mut at: std::collections::HashMap<(String, String), usize> = Default::default();
    for c in outcome.changes() {
        count += 1;
        if verbose {
            writeln!(out, "{}", change_line(&c))?;
            continue;
        }
        let letters: String = c
            .cell
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        let key = (c.sheet.clone(), letters);
        let i = *at.entry(key.clone()).or_insert_with(|| {
            columns.push(ColumnChanges {
                sheet: key.0,
                letters: key.1,
                count: 0,
                examples: Vec::new(),
            });
            columns.len() - 1
        });
        let col = &mut columns[i];
        col.count += 1;
        if col.examples.len() < EXAMPLES {
            col.examples.push(c);
        }
    }
    // Changes come sheet by sheet, row by row: keep the sheets in that
    // order and put each sheet's columns left to right.
    let sheet_order: Vec<String> = columns.iter().fold(Vec::new(), |mut v, c| {
        if !v.contains(&c.sheet) {
            v.push(c.sheet.clone());
        }
        v
    });
    columns.sort_by_key(|c| {
        let sheet = sheet_order.iter().position(|s| *s == c.sheet);
        (sheet, c.letters.len(), c.letters.clone())
    });
    for c in &columns {
        let cells = if c.count == 1 { "cell" } else { "cells" };
        writeln!(
            out,
            "{}!{}:{}: {} {cells} would change",
            c.sheet, c.letters, c.letters, c.count
        )?;
        for e in &c.examples {
            writeln!(out, "  {}", change_line(e))?;
        }
        if c.count > c.examples.len() {
            writeln!(out, "  ... and {} more", c.count - c.examples.len())?;
        }
    }
    if columns.iter().any(|c| c.count > c.examples.len()) {
        writeln!(
            out,
            "(--verbose lists every changed cell; --changes FILE.csv saves them)"
        )?;
    }
    writeln!(
        out,
        "dry run: {} cell(s) would change{}; nothing was written",
        count,
        summary_of_events(outcome.events())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attach_takes_csv_options_after_semicolons() {
        let (name, file, csv) = parse_attach(
            "bank=stmt.csv;delimiter=;;encoding=windows-1250;decimal=comma;header-row=4",
        )
        .unwrap();
        assert_eq!((name.as_str(), file.as_str()), ("bank", "stmt.csv"));
        assert_eq!(csv.delimiter, Some(b';'));
        assert_eq!(csv.encoding, Some(encoding_rs::WINDOWS_1250));
        assert_eq!(csv.decimal_comma, Some(true));
        assert_eq!(csv.header_row, Some(4));
        let (_, file, csv) = parse_attach("b=dir;x/a.csv").unwrap();
        assert_eq!(file, "dir;x/a.csv");
        assert!(csv.delimiter.is_none());
        let (_, _, csv) = parse_attach("b=a.csv;delimiter=tab").unwrap();
        assert_eq!(csv.delimiter, Some(b'\t'));
        let err = parse_attach("b=a.csv;encoding=klingon")
            .unwrap_err()
            .to_string();
        assert!(err.contains("--attach b: encoding=klingon"), "{err}");
        let err = parse_attach("b=a.csv;header-row=0")
            .unwrap_err()
            .to_string();
        assert!(err.contains("header-row=0"), "{err}");
        assert!(parse_attach("b").is_err());
        assert!(parse_attach("=a.csv").is_err());
        assert!(parse_attach("b=;delimiter=;").is_err());
    }
}
