//! Examples that prove a script's rules: each one a small file naming an
//! input, the parameters and the figures the script must give, run
//! through the one runner ([`crate::batch::run_jobs`]) into a temporary
//! xlsx, which is read back and compared cell by cell with the figures
//! (`sheetscript test scripts/`): what is checked is what the accountant
//! would open.
//!
//! A script `scripts/vat.rhai` keeps its examples in `scripts/examples/vat/`,
//! one `NAME.toml` file each ([`spec`] describes the file), with any small
//! input workbook beside them.

pub mod compare;
pub mod spec;

use crate::batch::{
    run_jobs, Attachment, Job, Listener, Notice, ScriptTask, Settings, Status, Task,
};
use crate::io::read::{read_workbook, CsvOptions, ReadOptions};
use crate::io::write::{write_workbook_sheet, WriteOptions};
use crate::model::{CellAddr, DateValue, Number, Value, Workbook};
use crate::script::ScriptOptions;
use crate::{Error, Result};
pub use compare::Difference;
pub use spec::{Example, Expectation, Figure, Input};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The folder beside the scripts that holds their examples.
pub const EXAMPLES_DIR: &str = "examples";

/// How long one example's run may take, as `run` allows by default.
pub const EXAMPLE_TIMEOUT: Duration = Duration::from_secs(60);

/// A script and the example files found for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptExamples {
    /// The script.
    pub script: PathBuf,
    /// Its example files, in name order (empty when it has none).
    pub examples: Vec<PathBuf>,
}

/// The examples `path` names: a folder of scripts (each script's
/// examples), one script, one script's examples folder, or one example
/// file. An examples folder whose script is missing is an error, so no
/// example is skipped without a word.
pub fn find(path: &Path) -> Result<Vec<ScriptExamples>> {
    let is = |ext: &str| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    if path.is_file() && is("rhai") {
        return Ok(vec![ScriptExamples {
            script: path.to_path_buf(),
            examples: example_files(&examples_dir_of(path))?,
        }]);
    }
    if path.is_file() && is("toml") {
        let folder = path.parent().unwrap_or(Path::new(""));
        return Ok(vec![ScriptExamples {
            script: script_of(folder)?,
            examples: vec![path.to_path_buf()],
        }]);
    }
    if path.is_dir() {
        let scripts = files_with(path, "rhai")?;
        if !scripts.is_empty() {
            let mut found = Vec::new();
            for script in scripts {
                found.push(ScriptExamples {
                    examples: example_files(&examples_dir_of(&script))?,
                    script,
                });
            }
            // Examples whose script was renamed or removed would be
            // skipped without a word: name them.
            let examples = path.join(EXAMPLES_DIR);
            if examples.is_dir() {
                for dir in dirs_in(&examples)? {
                    script_of(&dir)?;
                }
            }
            return Ok(found);
        }
        if path.file_name().is_some_and(|n| n == EXAMPLES_DIR) {
            if let Some(parent) = path.parent().filter(|p| p.is_dir()) {
                return find(parent);
            }
        }
        return Ok(vec![ScriptExamples {
            script: script_of(path)?,
            examples: example_files(path)?,
        }]);
    }
    if !path.exists() {
        return Err(Error::Usage(format!(
            "{}: no such file or folder",
            path.display()
        )));
    }
    Err(Error::Usage(format!(
        "{}: give a folder of scripts, a script (.rhai), a script's examples folder or an \
         example file (.toml)",
        path.display()
    )))
}

/// `scripts/examples/vat/` for `scripts/vat.rhai`.
pub fn examples_dir_of(script: &Path) -> PathBuf {
    let stem = script.file_stem().unwrap_or_default();
    script
        .parent()
        .unwrap_or(Path::new(""))
        .join(EXAMPLES_DIR)
        .join(stem)
}

/// `scripts/vat.rhai` for the examples folder `scripts/examples/vat/`.
fn script_of(examples: &Path) -> Result<PathBuf> {
    let name = examples.file_name().unwrap_or_default();
    let parent = examples.parent().unwrap_or(Path::new(""));
    let in_examples = parent.file_name().is_some_and(|n| n == EXAMPLES_DIR);
    let script = parent
        .parent()
        .unwrap_or(Path::new(""))
        .join(name)
        .with_extension("rhai");
    if !in_examples {
        return Err(Error::Usage(format!(
            "{}: not a script's examples folder (the examples of scripts/NAME.rhai are in \
             scripts/{EXAMPLES_DIR}/NAME/)",
            examples.display()
        )));
    }
    if !script.is_file() {
        return Err(Error::Usage(format!(
            "{}: the examples of {}, which does not exist",
            examples.display(),
            script.display()
        )));
    }
    Ok(script)
}

/// The `.toml` files of an examples folder, by name; none when it does
/// not exist.
fn example_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    files_with(dir, "toml")
}

/// The files of `dir` with extension `ext`, by name.
fn files_with(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = entries(dir)?
        .into_iter()
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
        .collect();
    files.sort();
    Ok(files)
}

/// The folders in `dir`, by name.
fn dirs_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = entries(dir)?.into_iter().filter(|p| p.is_dir()).collect();
    dirs.sort();
    Ok(dirs)
}

fn entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let list = std::fs::read_dir(dir)
        .map_err(|e| Error::unreadable(dir, format!("cannot list the folder: {e}")))?;
    Ok(list.filter_map(|e| e.ok().map(|e| e.path())).collect())
}

/// How one example ended.
#[derive(Debug)]
pub enum Verdict {
    /// The run gave every expected figure (or stopped as expected).
    Passed,
    /// The run gave other figures, or failed, or went through where it
    /// should have stopped: the lines say how.
    Failed(Vec<String>),
    /// The example could not be run: its file, input or script is not
    /// usable.
    Unusable(String),
}

/// An example's name for the results: `vat/sample`.
pub fn example_name(script: &Path, example: &Path) -> String {
    format!(
        "{}/{}",
        script.file_stem().unwrap_or_default().to_string_lossy(),
        example.file_stem().unwrap_or_default().to_string_lossy()
    )
}

/// Runs one example of `script` and judges it. `today` is the day of the
/// run (`today()`, and a date parameter's `today` default) when the
/// example names none.
pub fn run_example(script: &Path, file: &Path, today: chrono::NaiveDate) -> Verdict {
    let name = example_name(script, file);
    let example = match Example::read(file) {
        Ok(e) => e,
        Err(e) => return Verdict::Unusable(e.to_string()),
    };
    let prepared = match prepare(script, &example, &name, today) {
        Ok(p) => p,
        Err(e) => return Verdict::Unusable(e.to_string()),
    };
    let warnings = Collected::default();
    let settings = Settings::default();
    let mut outcomes = run_jobs(
        std::slice::from_ref(&prepared.job),
        &prepared.task,
        &settings,
        &warnings,
    );
    let outcome = outcomes.pop().expect("one outcome per job");
    if outcome.status == Status::Unreadable {
        let why = outcome.error.map(|e| e.to_string()).unwrap_or_default();
        return Verdict::Unusable(why);
    }
    match (&example.expect, outcome.error, &prepared.job.output) {
        (Expectation::Fails(text), Some(error), _) => {
            let message = error.to_string();
            if message.contains(text.as_str()) {
                Verdict::Passed
            } else {
                Verdict::Failed(vec![format!(
                    "expected the run to stop saying \"{text}\", but it stopped with: {message}"
                )])
            }
        }
        (Expectation::Fails(text), None, _) => Verdict::Failed(vec![format!(
            "expected the run to stop saying \"{text}\", but it went through"
        )]),
        (Expectation::Figures(_) | Expectation::Workbook(_), Some(error), _) => {
            Verdict::Failed(vec![format!("the run stopped: {error}")])
        }
        (Expectation::Figures(_) | Expectation::Workbook(_), None, Some(output)) => {
            let written = match read_workbook(output, &ReadOptions::default()) {
                Ok(w) => w,
                Err(e) => {
                    return Verdict::Failed(vec![format!("the result cannot be read back: {e}")])
                }
            };
            let differences = match &example.expect {
                Expectation::Workbook(path) => match read_workbook(path, &ReadOptions::default()) {
                    Ok(expected) => compare::compare_workbooks(&expected, &written),
                    Err(e) => return Verdict::Unusable(format!("expect_workbook: {e}")),
                },
                Expectation::Figures(cells) => compare::compare(&written, cells),
                Expectation::Fails(_) => unreachable!("matched above"),
            };
            if differences.is_empty() {
                Verdict::Passed
            } else {
                let mut lines: Vec<String> = differences.iter().map(|d| d.to_string()).collect();
                // A warning (a formula that could not be computed) often
                // explains a wrong figure.
                let said = warnings.lines.into_inner().unwrap_or_default();
                lines.extend(said.into_iter().map(|w| format!("warning: {w}")));
                Verdict::Failed(lines)
            }
        }
        (Expectation::Figures(_) | Expectation::Workbook(_), None, None) => {
            Verdict::Unusable("the run wrote no result to compare".into())
        }
    }
}

/// An example made ready for the runner; the folder holds the result
/// (and a generated input) until the example is judged.
struct Prepared {
    job: Job,
    task: Task,
    _folder: tempfile::TempDir,
}

/// The job and task of an example: the input (written out when the
/// example holds its sheets), the script and its checked parameters.
fn prepare(
    script: &Path,
    example: &Example,
    name: &str,
    today: chrono::NaiveDate,
) -> Result<Prepared> {
    let source = std::fs::read_to_string(script)
        .map_err(|e| Error::unreadable(script, format!("cannot read the script: {e}")))?;
    let script_name = script.display().to_string();
    let folder =
        tempfile::tempdir().map_err(|e| Error::write(std::env::temp_dir(), e.to_string()))?;
    let stem = Path::new(name).file_name().unwrap_or_default();
    let input = match &example.input {
        Input::File(path) => {
            if !path.is_file() {
                return Err(Error::unreadable(
                    &example.file,
                    format!("the input {} does not exist", path.display()),
                ));
            }
            path.clone()
        }
        Input::Sheets(sheets) => {
            let path = folder.path().join(stem).with_extension("xlsx");
            let workbook = workbook_of(sheets)
                .map_err(|e| Error::unreadable(&example.file, format!("[sheets]: {e}")))?;
            write_workbook_sheet(&workbook, &path, &WriteOptions::default(), None)?;
            path
        }
    };
    // An xlsm's result is written as xlsx (without its macros), and a
    // CSV's, xls's or ods's as a new xlsx: the cells are the same.
    let output = folder
        .path()
        .join(format!("{}-result.xlsx", stem.to_string_lossy()));
    if let Expectation::Workbook(path) = &example.expect {
        if !path.is_file() {
            return Err(Error::unreadable(
                &example.file,
                format!("expect_workbook {} does not exist", path.display()),
            ));
        }
    }
    let mut attach = Vec::new();
    for (attached, path) in &example.attach {
        if !path.is_file() {
            return Err(Error::unreadable(
                &example.file,
                format!("attach {attached}: {} does not exist", path.display()),
            ));
        }
        attach.push(Attachment {
            name: attached.clone(),
            path: path.clone(),
            csv: CsvOptions::default(),
        });
    }
    let options = ScriptOptions {
        params: example.params.clone(),
        timeout: Some(EXAMPLE_TIMEOUT),
        // One day for every example of a test run, so `today()` and a
        // date parameter's `today` default agree.
        now: example.today.unwrap_or(today).and_hms_opt(0, 0, 0),
        print_prefix: Some(format!("{name}: ")),
        ..ScriptOptions::default()
    };
    Ok(Prepared {
        job: Job {
            input,
            output: Some(output),
            in_place: false,
            changes: None,
        },
        // The header's checks, as `run` makes them: parameters typed and
        // their defaults filled in, attachments, the script compiled.
        task: Task::Run(Box::new(
            ScriptTask {
                source,
                script_name,
                options,
                attach,
                workbook_locale: true,
            }
            .prepare()
            .map_err(|e| Error::Usage(format!("{}: {e}", example.file.display())))?,
        )),
        _folder: folder,
    })
}

/// A workbook of the sheets an example holds; `=` starts a formula.
fn workbook_of(sheets: &[spec::InlineSheet]) -> Result<Workbook> {
    let mut workbook = Workbook::new();
    for s in sheets {
        let i = workbook.add_sheet(&s.name)?;
        let sheet = &mut workbook.sheets[i];
        for (r, row) in s.rows.iter().enumerate() {
            for (c, figure) in row.iter().enumerate() {
                let at = CellAddr::new(r as u32, c as u32);
                let value = match figure {
                    None => continue,
                    Some(Figure::Text(t)) if t.starts_with('=') && t.len() > 1 => {
                        sheet.set_formula(at, &t[1..], Value::Empty);
                        continue;
                    }
                    Some(Figure::Text(t)) => Value::text(t.as_str()),
                    Some(Figure::Number { value, .. }) => Value::Number(Number::Exact(*value)),
                    Some(Figure::Bool(b)) => Value::Bool(*b),
                    Some(Figure::Date(d)) => Value::Date(DateValue::from_date(*d)),
                    Some(Figure::DateTime(d)) => Value::Date(DateValue::from_datetime(*d)),
                    Some(Figure::Float(f)) => Value::Number(Number::float(*f)),
                    Some(Figure::Span(f)) => Value::Date(DateValue {
                        serial: *f,
                        kind: crate::model::DateKind::Duration,
                    }),
                };
                sheet.set_value(at, value);
            }
        }
    }
    Ok(workbook)
}

/// Keeps the warnings a run gives, to show beside its differences.
#[derive(Default)]
struct Collected {
    lines: Mutex<Vec<String>>,
}

impl Listener for Collected {
    fn notice(&self, _job: &Job, notice: Notice<'_>) {
        if let (Notice::Warning(w), Ok(mut lines)) = (notice, self.lines.lock()) {
            lines.push(w.to_string());
        }
    }
}

#[cfg(test)]
mod tests;
