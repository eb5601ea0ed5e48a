//! The summary of a batch, one row a file, as the table printed at the
//! end and as a `--report` file (CSV or JSON, the same columns), and the
//! merge of the reports of several shards into one.

use super::{Job, Outcome, Status};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One file's line of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The input file.
    pub file: String,
    /// The output written (empty when nothing was).
    pub output: String,
    /// `ok`, `skipped`, `failed` or `unreadable`.
    pub status: Status,
    /// Cells whose content changed.
    pub changed: usize,
    /// How many warnings the file gave.
    pub warnings: usize,
    /// Why it failed (empty when it did not).
    pub error: String,
    /// How long it took, in seconds.
    pub seconds: f64,
}

impl Row {
    /// The row of `job`, which ended as `outcome`.
    pub fn new(job: &Job, outcome: &Outcome) -> Row {
        let output = match (&outcome.written, &job.output, outcome.status) {
            (Some(w), _, _) => w.path.display().to_string(),
            (None, Some(o), Status::Skipped) => o.display().to_string(),
            _ => String::new(),
        };
        Row {
            file: job.input.display().to_string(),
            output,
            status: outcome.status,
            changed: outcome.changed,
            warnings: outcome.warnings.len(),
            error: outcome
                .error
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            // Milliseconds are all a person compares.
            seconds: (outcome.elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        }
    }
}

/// The format of a report file (a batch's, or a run's change report),
/// from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One header line, then a line a row.
    Csv,
    /// A list of objects.
    Json,
}

impl Format {
    /// The format of `path` (`.csv` or `.json`); `option` names the
    /// option in the message when it is neither.
    pub fn of(path: &Path, option: &str) -> Result<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            _ => Err(Error::Usage(format!(
                "{option} {}: a report is written as .csv or .json",
                path.display()
            ))),
        }
    }
}

/// Writes `rows` to `path` (format by extension) through a temporary
/// file, so a failure leaves no half-written report.
pub fn write(path: &Path, rows: &[Row]) -> Result<()> {
    let fail = |m: String| Error::write(path, m);
    let format = Format::of(path, "--report")?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(e.to_string()))?;
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(tmp.as_file_mut());
            if rows.is_empty() {
                w.write_record(HEADER).map_err(|e| fail(e.to_string()))?;
            }
            for r in rows {
                w.serialize(r).map_err(|e| fail(e.to_string()))?;
            }
            w.flush().map_err(|e| fail(e.to_string()))?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(tmp.as_file_mut(), rows)
                .map_err(|e| fail(e.to_string()))?;
        }
    }
    tmp.persist(path).map_err(|e| fail(e.to_string()))?;
    Ok(())
}

/// The columns of a CSV report.
const HEADER: [&str; 7] = [
    "file", "output", "status", "changed", "warnings", "error", "seconds",
];

/// The largest report file read back: a million files' rows.
const MAX_REPORT_BYTES: u64 = 512 << 20;

/// Reads a report written by [`write`].
pub fn read(path: &Path) -> Result<Vec<Row>> {
    let format = Format::of(path, "report merge")?;
    let size = std::fs::metadata(path)
        .map_err(|e| Error::unreadable(path, format!("cannot read the report: {e}")))?
        .len();
    if size > MAX_REPORT_BYTES {
        return Err(Error::unreadable(
            path,
            format!("{size} bytes is more than a batch report holds"),
        ));
    }
    let bad = |e: String| Error::unreadable(path, format!("not a sheetscript batch report: {e}"));
    let file = std::fs::File::open(path)
        .map_err(|e| Error::unreadable(path, format!("cannot read the report: {e}")))?;
    match format {
        Format::Csv => {
            let mut r = csv::Reader::from_reader(file);
            let header = r.headers().map_err(|e| bad(e.to_string()))?.clone();
            if header.iter().ne(HEADER) {
                return Err(bad(format!(
                    "the header is \"{}\", not \"{}\"",
                    header.iter().collect::<Vec<_>>().join(","),
                    HEADER.join(",")
                )));
            }
            r.deserialize()
                .collect::<std::result::Result<Vec<Row>, _>>()
                .map_err(|e| bad(e.to_string()))
        }
        Format::Json => {
            serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| bad(e.to_string()))
        }
    }
}

/// The rows of several reports as one, sorted by file; a file in more
/// than one report (shards given different inputs) is kept each time and
/// named in the returned warnings.
pub fn merge(reports: Vec<Vec<Row>>) -> (Vec<Row>, Vec<String>) {
    let mut rows: Vec<Row> = reports.into_iter().flatten().collect();
    rows.sort_by(|a, b| a.file.cmp(&b.file));
    let mut warnings = Vec::new();
    for pair in rows.windows(2) {
        if pair[0].file == pair[1].file && warnings.last() != Some(&pair[0].file) {
            warnings.push(pair[0].file.clone());
        }
    }
    let warnings = warnings
        .into_iter()
        .map(|f| format!("{f} is in more than one report; each of its rows is kept"))
        .collect();
    (rows, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(file: &str, status: Status) -> Row {
        Row {
            file: file.into(),
            output: format!("out/{file}"),
            status,
            changed: 3,
            warnings: 1,
            error: if status == Status::Ok {
                String::new()
            } else {
                "bad, \"really\"".into()
            },
            seconds: 0.25,
        }
    }

    #[test]
    fn reports_read_back_what_was_written_in_both_formats() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![row("a.xlsx", Status::Ok), row("b.xlsx", Status::Failed)];
        for name in ["r.csv", "r.json"] {
            let path = dir.path().join(name);
            write(&path, &rows).unwrap();
            assert_eq!(read(&path).unwrap(), rows, "{name}");
        }
        let csv = std::fs::read_to_string(dir.path().join("r.csv")).unwrap();
        assert!(csv.starts_with("file,output,status,changed,warnings,error,seconds\n"));
        assert!(csv.contains("a.xlsx,out/a.xlsx,ok,3,1,,0.25\n"), "{csv}");
        assert!(write(&dir.path().join("r.txt"), &rows).is_err());
        std::fs::write(dir.path().join("x.csv"), "a,b\n1,2\n").unwrap();
        assert!(read(&dir.path().join("x.csv")).is_err());
    }

    #[test]
    fn merging_sorts_and_names_files_reported_twice() {
        let (rows, warnings) = merge(vec![
            vec![row("c.xlsx", Status::Ok), row("a.xlsx", Status::Ok)],
            vec![row("b.xlsx", Status::Skipped), row("a.xlsx", Status::Ok)],
        ]);
        let files: Vec<&str> = rows.iter().map(|r| r.file.as_str()).collect();
        assert_eq!(files, ["a.xlsx", "a.xlsx", "b.xlsx", "c.xlsx"]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }
}
