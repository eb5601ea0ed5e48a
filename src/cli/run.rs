//! `sheetscript run`: run a rhai script over a workbook and write the
//! result (or, with `--dry-run`, only show what would change).

use super::args::{set_csv_option, CsvArgs, GlobalArgs, LocaleArgs, ReadLimitArgs};
use super::common::{
    lock_when_replacing_input, print_notes, print_read_notes, print_warnings, print_written, Said,
};
use sheetscript::io::read::{read_workbook, CsvOptions, ReadOptions};
use sheetscript::io::same_file;
use sheetscript::io::write::{write_workbook, WriteOptions};
use sheetscript::progress::Progress;
use sheetscript::script::{run_script, Change, RunOutcome, ScriptOptions, StartValues};
use sheetscript::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Arguments of `sheetscript run`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript run scripts/vat.rhai invoices.xlsx -o invoices-out.xlsx
  sheetscript run scripts/ageing.rhai invoices.xlsx -o ageing.xlsx --set asof=2026-11-30
  sheetscript run scripts/payroll.rhai payroll.xlsx -o payroll-out.xlsx --set tax=0.15
  sheetscript run scripts/bank_reconciliation.rhai invoices.xlsx --attach bank=bank.xlsx -o reconciled.xlsx
  sheetscript run scripts/vat.rhai invoices.xlsx --dry-run
  sheetscript run scripts/vat.rhai invoices.xlsx -o out.xlsx --changes changes.csv
  sheetscript run match.rhai invoices.xlsx --attach 'bank=výpis.csv;encoding=windows-1250' -o out.xlsx
  sheetscript run vat.rhai faktury.csv --set asof=30.11.2026 --locale cs-CZ -o faktury-out.csv

A script that fails (an error, assert or fail) writes nothing and leaves the
input untouched. `sheetscript functions` lists what a script can call; the
guide is docs/SCRIPTING.md.")]
pub struct RunArgs {
    /// The rhai script to run.
    pub script: PathBuf,
    /// The workbook to run it on (xlsx, xlsm, xlsb, xls, ods or csv).
    pub input: PathBuf,
    /// Where to write the result (.xlsx, .xlsm or .csv).
    #[arg(short, long, conflicts_with = "in_place")]
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
    /// or .json file.
    #[arg(long, value_name = "FILE")]
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
}

/// Runs `sheetscript run`.
pub fn execute(args: &RunArgs, global: &GlobalArgs) -> Result<()> {
    let mut options = script_options(args)?;
    let csv_out = args.locale.csv_write_options()?;
    if !args.dry_run && args.output.is_none() && !args.in_place {
        return Err(Error::Usage(
            "say where to write the result: -o OUTPUT.xlsx, or --in-place to update the input (a backup is kept); --dry-run only shows the changes".into(),
        ));
    }
    if let Some(c) = &args.changes {
        changes_format(c)?;
        // The report must never land on a file the run reads or writes:
        // `--changes invoices.csv` on invoices.csv would replace the data.
        let attached = args.attach.iter().filter_map(|a| parse_attach(a).ok());
        let mut taken: Vec<(&str, PathBuf)> = vec![
            ("the input", args.input.clone()),
            ("the script", args.script.clone()),
        ];
        taken.extend(args.output.iter().map(|o| ("the output", o.clone())));
        taken.extend(attached.map(|(_, file, _)| ("an attached file", PathBuf::from(file))));
        if let Some((what, _)) = taken.iter().find(|(_, p)| same_file(c, p)) {
            return Err(Error::Usage(format!(
                "--changes {}: that is {what}; name another file for the report",
                c.display()
            )));
        }
    }
    let source = std::fs::read_to_string(&args.script)
        .map_err(|e| Error::unreadable(&args.script, format!("cannot read the script: {e}")))?;
    let read = ReadOptions {
        progress: Progress::for_terminal(global.quiet),
        csv: args.csv.to_options()?,
        limits: args.limits.to_limits(),
    };
    let _update = lock_when_replacing_input(&args.input, None, args.in_place && !args.dry_run)?;
    let workbook = read_workbook(&args.input, &read)?;
    print_read_notes(&workbook, &args.input, global);
    if options.locale.is_none() {
        // The workbook's own language orders text when --locale does
        // not; a tag we cannot use is ignored, as it is only a hint.
        options.locale = workbook
            .language
            .clone()
            .filter(|l| sheetscript::model::collation::TextOrder::new(l).is_ok());
        if let (Some(l), false) = (&options.locale, global.quiet) {
            eprintln!(
                "note: text sorts in the workbook's language, {l}; --locale TAG chooses another"
            );
        }
    }
    for a in &args.attach {
        let (name, file, csv) = parse_attach(a)?;
        let has_options = csv.delimiter.is_some()
            || csv.decimal_comma.is_some()
            || csv.encoding.is_some()
            || csv.header_row.is_some();
        if has_options {
            // Options that would be ignored are a mistake to point out:
            // the file is not what the user thinks it is.
            let format = sheetscript::io::read::detect_format(Path::new(&file))?;
            if format != sheetscript::model::SourceFormat::Csv {
                return Err(Error::Usage(format!(
                    "--attach {name}: reading options apply to CSV files, and {file} is an {} workbook",
                    format.name()
                )));
            }
        }
        let read = ReadOptions {
            csv,
            limits: args.limits.to_limits(),
            ..ReadOptions::default()
        };
        let wb = read_workbook(Path::new(&file), &read)?;
        print_read_notes(&wb, Path::new(&file), global);
        options.attached.push((name, wb));
    }
    let name = args.script.display().to_string();
    let outcome = run_script(&source, &name, workbook, options)?;
    print_warnings(&outcome.warnings, global);
    print_notes(&outcome.notes, global);
    if args.dry_run {
        print_dry_run(&outcome, args.verbose);
    } else {
        let (target, in_place) = match &args.output {
            Some(o) => (o.clone(), false),
            None => (args.input.clone(), true),
        };
        let write = WriteOptions {
            strict: args.strict,
            in_place,
            progress: Progress::for_terminal(global.quiet),
            csv: csv_out,
        };
        let report = write_workbook(&outcome.workbook, &target, &write)?;
        let detail = format!(
            "{} cell(s) changed{}",
            outcome.change_count(),
            summary_of_events(outcome.events())
        );
        print_written(&report, &detail, Said::Stderr, global);
    }
    if let Some(path) = &args.changes {
        write_changes(path, outcome.changes())?;
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

/// The file formats of a `--changes` report.
#[derive(Clone, Copy)]
enum ChangesFormat {
    Csv,
    Json,
}

/// The format of the `--changes` report, from its extension.
fn changes_format(path: &Path) -> Result<ChangesFormat> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Ok(ChangesFormat::Csv),
        Some("json") => Ok(ChangesFormat::Json),
        _ => Err(Error::Usage(format!(
            "--changes {}: the report is written as .csv or .json",
            path.display()
        ))),
    }
}

/// Writes the change report through a temporary file, so a failure
/// leaves no half-written report.
fn write_changes(path: &Path, changes: impl Iterator<Item = Change>) -> Result<()> {
    let fail = |m: String| Error::write(path, m);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(e.to_string()))?;
    match changes_format(path)? {
        ChangesFormat::Csv => {
            let mut w = csv::Writer::from_writer(tmp.as_file_mut());
            let mut any = false;
            for c in changes {
                w.serialize(c).map_err(|e| fail(e.to_string()))?;
                any = true;
            }
            if !any {
                w.write_record(["sheet", "cell", "old", "new"])
                    .map_err(|e| fail(e.to_string()))?;
            }
            w.flush().map_err(|e| fail(e.to_string()))?;
        }
        ChangesFormat::Json => {
            use serde::Serializer;
            let mut json = serde_json::Serializer::pretty(tmp.as_file_mut());
            json.collect_seq(changes).map_err(|e| fail(e.to_string()))?;
        }
    }
    tmp.persist(path).map_err(|e| fail(e.to_string()))?;
    Ok(())
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
