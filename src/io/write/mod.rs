//! Writing a workbook: the one entry point [`write_workbook`] picks the way.
//!
//! - xlsx/xlsm output from an xlsx/xlsm source: the source package is
//!   patched ([`patch::patch_package`]), so charts, pivots, macros and
//!   everything else the model does not hold survive untouched.
//! - any other xlsx output: a new workbook ([`xlsx_new`]), with a warning
//!   for each thing it cannot carry.
//! - CSV output: one sheet as plain data ([`csv`]).
//!
//! Whatever the way, the file is written to a temporary file beside the
//! target and renamed into place only when complete, so a failed write
//! leaves nothing behind; the input file is never opened for writing.

pub mod csv;
pub mod patch;
mod sheet_names;
mod staging;
pub(crate) mod visuals;
pub(crate) mod xlsx_new;
pub use staging::UpdateLock;

use crate::model::{Sheet, SourceFormat, Workbook};
use crate::progress::Progress;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// How to write.
#[derive(Clone)]
pub struct WriteOptions {
    /// Refuse to write (with [`Error::Strict`]) when anything would not be
    /// carried into the output, instead of warning.
    pub strict: bool,
    /// Allow the output to be the input file itself; a backup
    /// `<name>.bak.<ext>` is kept beside it first (see [`backup_path`]).
    pub in_place: bool,
    /// Progress reporting.
    pub progress: Progress,
    /// How a CSV output is written (delimiter, decimal mark, dates,
    /// encoding).
    pub csv: csv::CsvWriteOptions,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            strict: false,
            in_place: false,
            progress: Progress::hidden(),
            csv: csv::CsvWriteOptions::default(),
        }
    }
}

/// Which writer produced the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMethod {
    /// The source xlsx/xlsm package was patched in place of changed parts.
    Patched,
    /// A new xlsx workbook was written with rust_xlsxwriter.
    NewXlsx,
    /// One sheet was written as CSV.
    Csv,
}

/// What a successful write did.
#[derive(Debug, Clone)]
pub struct WriteReport {
    /// The file written.
    pub path: PathBuf,
    /// Things the output could not carry exactly, in words for the user.
    pub warnings: Vec<String>,
    /// The backup of the input kept by an in-place write.
    pub backup: Option<PathBuf>,
    /// The writer used.
    pub method: WriteMethod,
}

/// Writes `workbook` to `output`; the format follows the extension
/// (`.xlsx`, `.xlsm`, `.csv`). CSV gets the first sheet; see
/// [`write_workbook_sheet`] to choose another.
pub fn write_workbook(
    workbook: &Workbook,
    output: &Path,
    options: &WriteOptions,
) -> Result<WriteReport> {
    write_workbook_sheet(workbook, output, options, None)
}

/// The output formats by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutputKind {
    Xlsx,
    Xlsm,
    Csv,
}

fn output_kind(output: &Path) -> Result<OutputKind> {
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" => Ok(OutputKind::Xlsx),
        "xlsm" => Ok(OutputKind::Xlsm),
        "csv" => Ok(OutputKind::Csv),
        "" => Err(Error::Usage(format!(
            "{}: the output needs an extension that names its format: .xlsx, .xlsm or .csv",
            output.display()
        ))),
        other => Err(Error::Usage(format!(
            "{}: cannot write .{other} files; use .xlsx, .xlsm or .csv",
            output.display()
        ))),
    }
}

/// Like [`write_workbook`], with the sheet a CSV output gets (by name,
/// case-insensitive; `None` for the first). Ignored for xlsx outputs.
pub fn write_workbook_sheet(
    workbook: &Workbook,
    output: &Path,
    options: &WriteOptions,
    csv_sheet: Option<&str>,
) -> Result<WriteReport> {
    let kind = output_kind(output)?;
    let source = workbook.source.as_ref();
    let method = match kind {
        OutputKind::Csv => WriteMethod::Csv,
        _ if source.is_some_and(|s| s.format.is_ooxml()) => WriteMethod::Patched,
        OutputKind::Xlsm => {
            return Err(Error::Usage(format!(
                "{}: a new workbook has no macros, so it cannot be .xlsm; use .xlsx",
                output.display()
            )))
        }
        OutputKind::Xlsx => WriteMethod::NewXlsx,
    };
    // An .xlsm written as .xlsx is the macro-free copy a user converting
    // asks for; the other way round, Excel refuses a plain package named
    // .xlsm, so the patcher keeps the source's package type.
    let mut macros = patch::Macros::Keep;
    if method == WriteMethod::Patched {
        let source_format = source.map(|s| s.format);
        match (source_format, kind) {
            (Some(SourceFormat::Xlsm), OutputKind::Xlsx) => macros = patch::Macros::Drop,
            (Some(SourceFormat::Xlsx), OutputKind::Xlsx)
            | (Some(SourceFormat::Xlsm), OutputKind::Xlsm) => {}
            _ => {
                let from = source_format.map(SourceFormat::name).unwrap_or("xlsx");
                return Err(Error::Usage(format!(
                    "{}: the input is an .{from} workbook and is written back as one; \
                     name the output .{from}",
                    output.display()
                )));
            }
        }
    }
    let csv_sheet = match method {
        WriteMethod::Csv => Some(pick_sheet(workbook, csv_sheet, output)?),
        _ => None,
    };

    // Sheet names Excel refuses (other programs write them) are mended
    // in a copy; the patcher renames in the package's formulas itself.
    let fixes = match method {
        WriteMethod::Csv => Vec::new(),
        _ => sheet_names::sheet_name_fixes(workbook),
    };
    let mended;
    let workbook = if fixes.is_empty() {
        workbook
    } else {
        mended = sheet_names::renamed(workbook, &fixes, method == WriteMethod::NewXlsx)?;
        &mended
    };

    // Warnings known before writing: under --strict, stop before any work.
    let mut warnings = sheet_names::fix_warnings(&fixes);
    warnings.extend(match (method, csv_sheet) {
        (WriteMethod::Csv, Some(sheet)) => csv::csv_warnings(workbook, sheet),
        (WriteMethod::NewXlsx, _) => xlsx_new::package_warnings(workbook),
        _ if macros == patch::Macros::Drop => macro_free_warnings(workbook),
        _ => Vec::new(),
    });
    if options.strict && !warnings.is_empty() {
        return Err(strict_error(output, &warnings));
    }

    let same_as_source = match source {
        Some(s) => crate::io::same_file(&s.path, output),
        None => false,
    };
    if same_as_source && !options.in_place {
        return Err(Error::Usage(format!(
            "{} is the input file; sheetscript never overwrites its input. \
             Write to another file with -o, or pass --in-place to replace it \
             (a backup is kept)",
            output.display()
        )));
    }

    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::write(
            output,
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    let tmp = staging::temp_file_beside(output, &dir)?;

    let written = match (method, csv_sheet, source) {
        (WriteMethod::Csv, Some(sheet), _) => {
            csv::write_csv(sheet, tmp.path(), output, &options.csv, &options.progress)
                .map(|()| Vec::new())
        }
        (WriteMethod::Patched, _, Some(source)) => {
            patch::patch_package_as(
                &source.path,
                workbook,
                tmp.path(),
                &options.progress,
                macros,
            )
            .map_err(|e| match e {
                // Name the file the user asked for, not our temporary.
                Error::Write { path, message } if path == tmp.path() => {
                    Error::write(output, message)
                }
                e => e,
            })
        }
        _ => xlsx_new::write_new_xlsx(workbook, tmp.path(), output, &options.progress).map(
            |mut all| {
                // The package warnings are already in `warnings`.
                all.retain(|w| !warnings.contains(w));
                all
            },
        ),
    };
    // A failed write must not leave a half-drawn bar on the terminal.
    options.progress.finish();
    warnings.extend(written?);
    if options.strict && !warnings.is_empty() {
        return Err(strict_error(output, &warnings));
    }

    let backup = if same_as_source {
        let backup = backup_path(output);
        std::fs::copy(output, &backup).map_err(|e| {
            Error::write(
                output,
                format!("cannot keep a backup at {}: {e}", backup.display()),
            )
        })?;
        Some(backup)
    } else {
        None
    };
    tmp.persist(output)
        .map_err(|e| Error::write(output, e.error.to_string()))?;
    Ok(WriteReport {
        path: output.to_path_buf(),
        warnings,
        backup,
        method,
    })
}

/// What a macro-free copy of an .xlsm leaves out, known before writing.
fn macro_free_warnings(workbook: &Workbook) -> Vec<String> {
    workbook
        .package_features
        .iter()
        .filter(|f| f.as_str() == crate::model::workbook::VBA_MACROS)
        .map(|f| {
            format!(
                "not carried into an .xlsx workbook: {f} (the VBA project is left out; \
                 name the output .xlsm to keep it)"
            )
        })
        .collect()
}

/// The sheet a CSV output gets.
fn pick_sheet<'a>(workbook: &'a Workbook, name: Option<&str>, output: &Path) -> Result<&'a Sheet> {
    match name {
        Some(n) => workbook.sheet(n).ok_or_else(|| {
            Error::Usage(format!(
                "there is no sheet named \"{n}\"; the sheets are: {}",
                workbook.sheet_names().join(", ")
            ))
        }),
        None => workbook
            .sheets
            .first()
            .ok_or_else(|| Error::write(output, "the workbook has no sheets to write as CSV")),
    }
}

fn strict_error(output: &Path, warnings: &[String]) -> Error {
    let mut message = format!(
        "--strict: {} would not carry everything, so nothing was written:",
        output.display()
    );
    for w in warnings {
        message.push_str("\n  - ");
        message.push_str(w);
    }
    Error::Strict(message)
}

/// A free backup name beside `path`: `invoices.bak.xlsx`, or when that is
/// taken (an earlier in-place run) `invoices.bak-2.xlsx`, `-3`...: an older
/// backup may be the only copy of the original, so it is never replaced.
pub fn backup_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let mut n = 1u32;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let candidate = path.with_file_name(format!("{stem}.bak{suffix}{ext}"));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CellAddr, Number, Value};

    fn book() -> Workbook {
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        wb.sheets[0].set_value(CellAddr::new(0, 0), Value::Number(Number::from_i64(7)));
        wb
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".sheetscript-"))
            .collect()
    }

    #[test]
    fn format_follows_the_extension() {
        let dir = tempfile::tempdir().unwrap();
        let wb = book();
        let opts = WriteOptions::default();
        let r = write_workbook(&wb, &dir.path().join("a.xlsx"), &opts).unwrap();
        assert_eq!(r.method, WriteMethod::NewXlsx);
        let r = write_workbook(&wb, &dir.path().join("a.CSV"), &opts).unwrap();
        assert_eq!(r.method, WriteMethod::Csv);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.CSV")).unwrap(),
            "7\n"
        );
        for bad in ["a.ods", "a", "a.xlsm"] {
            let e = write_workbook(&wb, &dir.path().join(bad), &opts).unwrap_err();
            assert!(matches!(e, Error::Usage(_)), "{bad}: {e}");
        }
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn strict_refuses_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = book();
        wb.package_features.push("1 chart on Data".into());
        let out = dir.path().join("out.xlsx");
        let opts = WriteOptions {
            strict: true,
            ..WriteOptions::default()
        };
        let e = write_workbook(&wb, &out, &opts).unwrap_err();
        assert!(
            matches!(e, Error::Strict(ref m) if m.contains("1 chart on Data")),
            "{e}"
        );
        assert!(!out.exists());
        let r = write_workbook(&wb, &out, &WriteOptions::default()).unwrap();
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = book();
        // A column beyond Excel's last (XFD): the writer fails mid-way.
        wb.sheets[0].set_column_width(20_000, 12.0);
        let out = dir.path().join("out.xlsx");
        let e = write_workbook(&wb, &out, &WriteOptions::default()).unwrap_err();
        assert!(e.to_string().contains("Data!"), "{e}");
        assert!(!out.exists());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn text_beyond_a_cell_is_cut_with_a_warning_or_refused_under_strict() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = book();
        // 40,000 units, the cut falling inside a two-unit character.
        let long = format!("{}😀{}", "x".repeat(32_766), "y".repeat(40_000));
        wb.sheets[0].set_value(CellAddr::new(1, 0), Value::text(long));
        let out = dir.path().join("out.xlsx");
        let strict = WriteOptions {
            strict: true,
            ..WriteOptions::default()
        };
        let e = write_workbook(&wb, &out, &strict).unwrap_err();
        assert!(
            matches!(e, Error::Strict(ref m) if m.contains("32,767")),
            "{e}"
        );
        assert!(!out.exists());
        let r = write_workbook(&wb, &out, &WriteOptions::default()).unwrap();
        assert_eq!(
            r.warnings,
            ["Data: text longer than Excel's 32,767 characters cut to its first 32,767 (1 cell: A2)"]
        );
        let back = crate::io::read::read_workbook(&out, &Default::default()).unwrap();
        assert_eq!(
            back.sheets[0].value(CellAddr::new(1, 0)),
            &Value::Text("x".repeat(32_766).into())
        );
    }

    #[test]
    fn input_is_replaced_only_in_place_with_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "old\n").unwrap();
        let mut wb = book();
        wb.source = Some(crate::model::workbook::Source {
            path: input.clone(),
            format: crate::model::SourceFormat::Csv,
        });
        let relative_alias = dir.path().join(".").join("in.csv");
        let e = write_workbook(&wb, &relative_alias, &WriteOptions::default()).unwrap_err();
        assert!(
            matches!(e, Error::Usage(ref m) if m.contains("--in-place")),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "old\n");
        let opts = WriteOptions {
            in_place: true,
            ..WriteOptions::default()
        };
        let r = write_workbook(&wb, &input, &opts).unwrap();
        let backup = r.backup.unwrap();
        assert_eq!(backup, dir.path().join("in.bak.csv"));
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "old\n");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "7\n");

        // A second in-place write keeps the first backup untouched.
        wb.sheets[0].set_value(CellAddr::new(0, 0), Value::Number(Number::from_i64(8)));
        let r = write_workbook(&wb, &input, &opts).unwrap();
        assert_eq!(r.backup.unwrap(), dir.path().join("in.bak-2.csv"));
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "old\n");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("in.bak-2.csv")).unwrap(),
            "7\n"
        );
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "8\n");
    }

    #[cfg(unix)]
    #[test]
    fn output_gets_ordinary_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        write_workbook(&book(), &out, &WriteOptions::default()).unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        // The same mode as any new file under the current umask.
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let expected = std::fs::metadata(&plain).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, expected & 0o777);
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_workbook(&book(), &out, &WriteOptions::default()).unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}
