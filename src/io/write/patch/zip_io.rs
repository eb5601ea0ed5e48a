//! The two zips of a patch: the source package read entry by entry
//! (small parts whole, with a size cap) and the target written in the
//! source's order, each entry copied raw, replaced, streamed through the
//! worksheet rewriter or dropped as the plan says.

use super::sheet::{rewrite_sheet, SheetJob};
use super::sheet_list::{new_sheet_template, NewPart};
use super::table_sync::TablePlan;
use super::visuals::SheetVisualEdit;
use super::{Action, MAX_PART_BYTES};
use crate::io::ooxml::{package as zip_parts, PackageError};
use crate::model::{CellAddr, Workbook};
use crate::progress::Progress;
use crate::{Error, Result};
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The source package: its zip archive and entry names.
pub(super) struct SourcePackage {
    /// The file, for errors.
    pub(super) path: std::path::PathBuf,
    /// The open zip.
    pub(super) archive: ZipArchive<BufReader<File>>,
    /// Entry names as stored, in archive order.
    pub(super) names: Vec<String>,
    /// The same names with `\` turned into `/`: some writers use `\`, and
    /// parts are looked up by the normalised name but written back under
    /// their own.
    pub(super) normalized: Vec<String>,
    /// Stored name by normalised name.
    pub(super) by_name: HashMap<String, String>,
}

impl SourcePackage {
    pub(super) fn open(source: &Path) -> Result<SourcePackage> {
        let unreadable = |m: String| Error::unreadable(source, m);
        let file = File::open(source).map_err(|e| unreadable(format!("cannot open: {e}")))?;
        let mut archive = ZipArchive::new(BufReader::new(file))
            .map_err(|e| unreadable(format!("not an xlsx/xlsm package (zip): {e}")))?;
        let names: Vec<String> = (0..archive.len())
            .map(|i| {
                archive
                    .by_index_raw(i)
                    .map(|f| String::from_utf8_lossy(f.name_raw()).into_owned())
                    .map_err(|e| unreadable(format!("zip entry {i}: {e}")))
            })
            .collect::<Result<_>>()?;
        let normalized: Vec<String> = names.iter().map(|n| n.replace('\\', "/")).collect();
        let by_name = normalized
            .iter()
            .zip(&names)
            .map(|(n, o)| (n.clone(), o.clone()))
            .collect();
        Ok(SourcePackage {
            path: source.to_path_buf(),
            archive,
            names,
            normalized,
            by_name,
        })
    }

    /// Reads a whole (small) part, `None` if absent.
    pub(super) fn read(
        &mut self,
        name: &str,
    ) -> std::result::Result<Option<Vec<u8>>, PackageError> {
        match self.by_name.get(name) {
            Some(original) => {
                zip_parts::read_bounded(&mut self.archive, original, name, MAX_PART_BYTES)
            }
            None => Ok(None),
        }
    }
}

/// How hard rewritten parts are compressed. Deflate's search for matches
/// was a fifth of a 100k-row write-back at the default level 6. Measured
/// on a 100k-row sheet with two new columns: level 6 took 1.78 s for a
/// 5.0 MB file, level 3 1.45 s for 5.5 MB, level 1 1.37 s for 8.0 MB.
pub(super) const REWRITE_COMPRESSION_LEVEL: i64 = 3;

/// Unpacked size from which a sheet part's rows are cut in pieces
/// rewritten side by side: below it, one piece would hold them all.
const PIECES_FROM_BYTES: u64 = 2 << 20;

/// Bytes unpacked at a time from a sheet part being rewritten.
const STREAM_BUFFER: usize = 256 * 1024;

/// Options for a part the patcher writes itself.
pub(super) fn new_entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(REWRITE_COMPRESSION_LEVEL))
}

/// Options for a rewritten entry: deflated, with the source entry's time.
pub(super) fn options_like<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    i: usize,
) -> SimpleFileOptions {
    let mut options = new_entry_options();
    if let Ok(f) = archive.by_index_raw(i) {
        if let Some(t) = f.last_modified() {
            options = options.last_modified_time(t);
        }
        options = options.large_file(f.size() > u64::from(u32::MAX) / 2);
    }
    options
}

/// Writes the target package: every source entry in order (copied raw,
/// replaced, streamed or dropped as `actions` says), then the new sheets.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_package(
    package: &mut SourcePackage,
    mut actions: HashMap<String, Action>,
    new_parts: &[NewPart],
    workbook: &Workbook,
    renames: &[(String, String)],
    tables: &TablePlan,
    visuals: &HashMap<usize, SheetVisualEdit>,
    dynamic_cm: Option<u32>,
    target: &Path,
    progress: &Progress,
    warnings: &mut Vec<String>,
    created: &mut bool,
) -> Result<()> {
    let unreadable = |m: String| Error::unreadable(&package.path, m);
    let out = File::create(target).map_err(|e| Error::write(target, e.to_string()))?;
    *created = true;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(256 * 1024, out));
    let write_err =
        |part: &str, e: &dyn std::fmt::Display| Error::write(target, format!("{part}: {e}"));
    progress.start(
        "Writing workbook",
        (package.names.len() + new_parts.len() + tables.new_entries.len()) as u64,
    );
    let date_system = workbook.date_system;
    let empty = BTreeSet::new();
    for i in 0..package.names.len() {
        let (name, normal) = (&package.names[i], &package.normalized[i]);
        match actions.remove(normal).unwrap_or(Action::Copy) {
            Action::Copy => {
                let file = package
                    .archive
                    .by_index_raw(i)
                    .map_err(|e| unreadable(format!("{name}: {e}")))?;
                zip.raw_copy_file(file).map_err(|e| write_err(name, &e))?;
            }
            Action::Drop => {}
            Action::Replace(bytes) => {
                let options = options_like(&mut package.archive, i);
                zip.start_file(name.as_str(), options)
                    .map_err(|e| write_err(name, &e))?;
                zip.write_all(&bytes).map_err(|e| write_err(name, &e))?;
            }
            Action::Sheet(mi) => {
                let sheet = &workbook.sheets[mi];
                let options = options_like(&mut package.archive, i);
                zip.start_file(name.as_str(), options)
                    .map_err(|e| write_err(name, &e))?;
                let entry = package
                    .archive
                    .by_index(i)
                    .map_err(|e| unreadable(format!("{name}: {e}")))?;
                let job = SheetJob {
                    sheet,
                    cells: if sheet.is_changed() {
                        sheet.changed_cells()
                    } else {
                        &empty
                    },
                    date_system,
                    renames,
                    write_cols: sheet.layout_changed(),
                    table_parts: tables.sheet_edits.get(&mi),
                    visuals: visuals.get(&mi),
                    dynamic_cm,
                };
                let in_pieces = entry.size() >= PIECES_FROM_BYTES;
                // Unpacked by whoever cuts the XML into events.
                let input = BufReader::with_capacity(STREAM_BUFFER, entry);
                rewrite_sheet(input, &mut zip, &job, warnings, in_pieces).map_err(|m| {
                    Error::write(target, format!("sheet \"{}\" ({name}): {m}", sheet.name))
                })?;
            }
        }
        progress.inc(1);
    }
    for part in new_parts {
        let sheet = &workbook.sheets[part.model_index];
        let options = new_entry_options();
        zip.start_file(part.name.as_str(), options)
            .map_err(|e| write_err(&part.name, &e))?;
        let cells: BTreeSet<CellAddr> = sheet.cells().map(|(a, _)| a).collect();
        let template = new_sheet_template(sheet);
        let job = SheetJob {
            sheet,
            cells: &cells,
            date_system,
            renames: &[],
            write_cols: !sheet.column_widths.is_empty(),
            table_parts: tables.sheet_edits.get(&part.model_index),
            visuals: visuals.get(&part.model_index),
            dynamic_cm,
        };
        rewrite_sheet(template.as_bytes(), &mut zip, &job, warnings, false)
            .map_err(|m| Error::write(target, format!("new sheet \"{}\": {m}", sheet.name)))?;
        progress.inc(1);
    }
    for (name, bytes) in &tables.new_entries {
        let options = new_entry_options();
        zip.start_file(name.as_str(), options)
            .map_err(|e| write_err(name, &e))?;
        zip.write_all(bytes).map_err(|e| write_err(name, &e))?;
        progress.inc(1);
    }
    let out = zip.finish().map_err(|e| write_err("zip directory", &e))?;
    let file = out
        .into_inner()
        .map_err(|e| Error::write(target, e.error().to_string()))?;
    file.sync_all()
        .map_err(|e| Error::write(target, e.to_string()))?;
    Ok(())
}
