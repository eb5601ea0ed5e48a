//! OpenDocument spreadsheets (.ods) through calamine: values (ISO dates
//! and durations converted), formulas, defined names, and pictures,
//! charts and macros found from the zip entries; hidden rows, filter
//! ranges and array formulas (all legacy: OpenDocument has no dynamic
//! arrays) from content.xml (ods_bounds.rs, in the pass that checks it).

use super::calamine_common::{open_book, skipped_sheet_features, workbook_names};
use super::{openformula, ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::{CellAddr, ErrorKind, Value, Workbook};
use calamine::{Ods, Reader};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Reader for .ods workbooks.
pub(crate) struct OdsReader;

impl WorkbookReader for OdsReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let layout = super::ods_bounds::check_ods_content(path, &options.limits)?;
        // OpenDocument dates are ISO text: no serial epoch to convert.
        let (book, mut wb) = open_book::<Ods<BufReader<File>>>(path, options, |_| false)?;
        wb.names = workbook_names(book.defined_names());
        let hidden: Vec<_> = layout
            .hidden
            .into_iter()
            .map(|(name, rows)| {
                let filter = layout.filters.iter().find(|(s, _)| *s == name).map(|f| f.1);
                (name, rows, filter)
            })
            .collect();
        super::calamine_common::place_hidden_rows(&mut wb, hidden);
        wb.package_features.extend(ods_features(path));
        wb.package_features
            .extend(skipped_sheet_features(book.sheets_metadata()));
        let untranslated = translate_formulas(&mut wb);
        wb.package_features.extend(untranslated);
        super::calamine_common::place_legacy_arrays(&mut wb, layout.arrays);
        if wb.sheets.is_empty() {
            return Err(Error::unreadable(path, "the workbook has no sheets"));
        }
        Ok(wb)
    }
}

/// Most formulas listed by name in a warning; the rest are counted.
const LISTED_FORMULAS: usize = 5;

/// Rewrites every formula and defined name from OpenFormula (as calamine
/// hands them over) into Excel syntax. A formula that cannot be translated
/// is dropped as a formula and keeps its cached value; the returned
/// warnings (one per sheet, one for names) say where.
fn translate_formulas(wb: &mut Workbook) -> Vec<String> {
    let mut warnings = Vec::new();
    for sheet in &mut wb.sheets {
        let formulas: Vec<(CellAddr, String)> = sheet
            .cells()
            .filter_map(|(addr, cell)| cell.formula_text(addr).map(|f| (addr, f.into_owned())))
            .collect();
        let mut failed: Vec<(CellAddr, String)> = Vec::new();
        let mut shapes = crate::formula::shape::ShapeInterner::default();
        for (addr, text) in formulas {
            let Some(cell) = sheet.cell(addr) else {
                continue;
            };
            let mut cell = cell.clone();
            match openformula::translate_formula(&text) {
                Ok(excel) => {
                    cell.formula = Some(shapes.formula(&excel, addr));
                    // calamine hands LibreOffice's cached error results over
                    // as their text (`#N/A`); a formula's result is the error.
                    if let Value::Text(t) = &cell.value {
                        if let Some(kind) = ErrorKind::parse(t).filter(|_| t == t.trim()) {
                            cell.value = Value::Error(kind);
                        }
                    }
                }
                Err(why) => {
                    cell.formula = None;
                    failed.push((addr, why));
                }
            }
            sheet.load_cell(addr, cell);
        }
        if !failed.is_empty() {
            warnings.push(untranslated_warning(&sheet.name, &failed));
        }
    }
    let mut bad_names = Vec::new();
    wb.names
        .retain_mut(|name| match openformula::translate_named(&name.refers_to) {
            Ok(excel) => {
                name.refers_to = excel;
                true
            }
            Err(why) => {
                bad_names.push(format!("{} ({why})", name.name));
                false
            }
        });
    if !bad_names.is_empty() {
        warnings.push(format!(
            "{} defined name{} in OpenFormula syntax that could not be translated to Excel syntax: {}",
            bad_names.len(),
            if bad_names.len() == 1 { "" } else { "s" },
            bad_names.join("; ")
        ));
    }
    warnings
}

/// The warning for a sheet's untranslatable formulas, naming the first few
/// cells and why.
fn untranslated_warning(sheet: &str, failed: &[(CellAddr, String)]) -> String {
    let listed: Vec<String> = failed
        .iter()
        .take(LISTED_FORMULAS)
        .map(|(addr, why)| format!("{addr}: {why}"))
        .collect();
    let more = failed.len().saturating_sub(LISTED_FORMULAS);
    format!(
        "{} formula{} on \"{sheet}\" in OpenFormula syntax that could not be translated to Excel syntax (the cached values are kept): {}{}",
        failed.len(),
        if failed.len() == 1 { "" } else { "s" },
        listed.join("; "),
        if more > 0 { format!("; and {more} more") } else { String::new() }
    )
}

/// Pictures, charts and macros of an ods package, from its entry names.
fn ods_features(path: &Path) -> Vec<String> {
    let Ok(file) = File::open(path) else {
        return Vec::new();
    };
    let Ok(zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Vec::new();
    };
    let names = crate::io::ooxml::package::zip_names(&zip);
    let mut out = Vec::new();
    let pictures = names.iter().filter(|n| n.starts_with("Pictures/")).count();
    if pictures > 0 {
        out.push(format!(
            "{pictures} picture{}",
            if pictures == 1 { "" } else { "s" }
        ));
    }
    let objects = names
        .iter()
        .filter(|n| n.starts_with("Object ") && n.ends_with("/content.xml"))
        .count();
    if objects > 0 {
        out.push(format!(
            "{objects} chart{}",
            if objects == 1 { "" } else { "s" }
        ));
    }
    if names.iter().any(|n| n.starts_with("Basic/")) {
        out.push("macros".to_string());
    }
    out
}
