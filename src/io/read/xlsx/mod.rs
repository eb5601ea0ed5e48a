//! xlsx and xlsm, one folder as calamine keeps one per format. The
//! [`package`] the shared OOXML layer opens gives shared strings, names,
//! tables, hyperlink targets and package [`features`]; calamine reads a
//! metadata-only copy of it (sheet list and visibility, the 1904 flag,
//! the cell formats converted to styles); the sheets are then read in one
//! pass each by [`sheet`].

pub(crate) mod features;
mod macro_sheets;
mod package;
mod shared_strings;
mod sheet;

use super::calamine_common::{new_sheet, reason, sheet_error, CellLoader};
use super::convert::{number_format_code, style_from_calamine};
use super::{ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::sheet::Hyperlink;
use crate::model::style::is_date_format;
use crate::model::{DateSystem, StyleTable, Workbook};
use calamine::{Reader, SheetType, Xlsx};
use package::Package;
use shared_strings::SharedStringsError;
use sheet::{read_sheet, NumberKind, SheetContext};
use std::io::{Cursor, Read, Seek};
use std::path::Path;

/// Reader for Office Open XML workbooks.
pub(crate) struct XlsxReader;

impl WorkbookReader for XlsxReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let limits = &options.limits;
        let mut package = Package::open(path).map_err(|e| Error::unreadable(path, reason(e)))?;
        let (metadata, macro_parts) = package
            .metadata_copy()
            .map_err(|e| Error::unreadable(path, reason(e)))?;
        let mut book: Xlsx<Cursor<Vec<u8>>> =
            calamine::open_workbook_from_rs(Cursor::new(metadata))
                .map_err(|e| Error::unreadable(path, reason(e)))?;
        let mut wb = Workbook::new();
        if book.has_1904_epoch() {
            wb.date_system = DateSystem::Excel1904;
        }
        let metas: Vec<calamine::Sheet> = book.sheets_metadata().to_vec();
        let palette = cell_formats(&mut book, &metas);
        drop(book);
        let number_kinds: Vec<NumberKind> = palette.iter().map(number_kind).collect();
        wb.styles = StyleTable::from_palette(palette.iter().map(style_from_calamine).collect());

        let all_names: Vec<String> = metas.iter().map(|m| m.name.clone()).collect();
        wb.names = package.take_names(&all_names);
        let strings = package.shared_strings(limits).map_err(|e| match e {
            SharedStringsError::Damaged(e) => Error::unreadable(path, reason(e)),
            SharedStringsError::Over(over) => over.refusal(path, limits),
        })?;
        // A damaged metadata part costs the dynamic arrays their kind, not
        // the workbook: their formulas are then read as legacy arrays.
        let dynamic_arrays = package.dynamic_array_cell_metadata().unwrap_or_else(|e| {
            wb.read_notes.push(format!(
                "the metadata part cannot be read ({e}), so array formulas are taken as \
                 legacy (Ctrl+Shift+Enter) arrays, fitted to their saved ranges"
            ));
            Default::default()
        });
        let ctx = SheetContext {
            strings: &strings,
            number_kinds: &number_kinds,
            date_offset: wb.date_system.offset_to_1900(),
            dynamic_arrays: &dynamic_arrays,
        };
        let file_label = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut loader = CellLoader::new(path, limits);
        let (mut conditional, mut validation) = (0, 0);
        let mut notes = Vec::new();
        let mut what_if_tables = Vec::new();
        let mut skipped = Vec::new();
        for (index, meta) in metas.iter().enumerate() {
            if meta.typ != SheetType::WorkSheet {
                continue;
            }
            if package
                .sheet_part(index)
                .is_some_and(|p| macro_parts.contains(p))
            {
                skipped.push(format!("Excel 4 macro sheet \"{}\"", meta.name));
                continue;
            }
            let mut sheet = new_sheet(meta, index);
            options
                .progress
                .start(&format!("Reading {file_label} [{}]", meta.name), 0);
            loader.next_sheet();
            let extras = package
                .with_sheet(index, |xml| {
                    read_sheet(xml, &ctx, &mut sheet, &mut loader, &options.progress)
                })
                .map_err(|e| sheet_error(path, &meta.name, e))?;
            let Some(extras) = extras else { continue };
            let extras = extras?;
            let (tables, targets) = package
                .sheet_relations(index, &meta.name)
                .map_err(|e| sheet_error(path, &meta.name, e))?;
            wb.tables.extend(tables);
            match package.sheet_pivot_tables(index, &meta.name) {
                Ok((pivots, left_out)) => {
                    wb.pivot_tables.extend(pivots);
                    wb.read_notes.extend(left_out);
                }
                // A damaged pivot table costs GETPIVOTDATA (#REF!), not
                // the workbook: the patcher carries its parts untouched.
                Err(e) => wb.read_notes.push(format!(
                    "the pivot tables of sheet \"{}\" cannot be read ({e}), so \
                     GETPIVOTDATA over them gives #REF!",
                    meta.name
                )),
            }
            sheet.merged = extras.merged;
            sheet.column_widths = extras.column_widths;
            sheet.hidden_rows = extras.hidden_rows;
            sheet.hidden_columns = extras.hidden_columns;
            sheet.auto_filter = extras.auto_filter;
            sheet.hyperlinks = extras
                .hyperlinks
                .into_iter()
                .filter_map(|h| {
                    let url = h.rel_id.and_then(|id| targets.get(&id).cloned());
                    let target = match (url, h.location) {
                        (Some(u), Some(l)) => format!("{u}#{l}"),
                        (Some(u), None) => u,
                        (None, Some(l)) => l,
                        (None, None) => return None,
                    };
                    Some(Hyperlink {
                        range: h.range?,
                        target,
                        tooltip: h.tooltip,
                    })
                })
                .collect();
            for table in &extras.data_tables {
                if table.sources(table.range.start).is_none() {
                    notes.push(super::data_table_note(&sheet.name, table.range));
                }
                what_if_tables.push(super::data_table_feature(&sheet.name, table.range));
            }
            sheet.data_tables = extras.data_tables;
            conditional += usize::from(extras.conditional_formats);
            validation += usize::from(extras.data_validation);
            wb.sheets.push(sheet);
        }
        if wb.sheets.is_empty() {
            return Err(Error::unreadable(path, "the workbook has no worksheets"));
        }
        wb.read_notes.extend(notes);
        wb.package_features = package.features(conditional, validation);
        wb.package_features.extend(skipped);
        wb.package_features.extend(what_if_tables);
        wb.language = package.language();
        wb.iteration = package.iteration();
        wb.external_books = package
            .external_books()
            .map_err(|e| Error::unreadable(path, reason(e)))?;
        Ok(wb)
    }
}

/// The workbook's cell formats (`xf` records) in file order, which calamine
/// hands out with a worksheet's cell reader.
fn cell_formats<R: Read + Seek>(
    book: &mut Xlsx<R>,
    metas: &[calamine::Sheet],
) -> Vec<calamine::Style> {
    for meta in metas.iter().filter(|m| m.typ == SheetType::WorkSheet) {
        if let Ok(reader) = book.worksheet_cells_reader(&meta.name) {
            return reader.styles().to_vec();
        }
    }
    Vec::new()
}

/// How a cell format shows numbers: elapsed-time formats (`[h]:mm`) hold
/// durations, other date/time formats hold dates.
fn number_kind(style: &calamine::Style) -> NumberKind {
    let code = number_format_code(style).unwrap_or("");
    if !is_date_format(code) {
        return NumberKind::Plain;
    }
    let lower = code.to_ascii_lowercase();
    if ["[h", "[m", "[s"].iter().any(|p| lower.contains(p)) {
        NumberKind::Duration
    } else {
        NumberKind::Date
    }
}
