//! xlsx and xlsm through calamine's streaming cell reader: values, formulas
//! (shared formulas expanded) and style ids, plus merged ranges,
//! hyperlinks, and what [`super::ooxml`] reads from the package.

use super::calamine_common::{new_sheet, range_addr, reason, sheet_error, CellLoader};
use super::convert::{style_from_calamine, value_from_data};
use super::{ooxml, ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::sheet::Hyperlink;
use crate::model::{Cell, CellAddr, DateSystem, ErrorKind, Sheet, StyleTable, Value, Workbook};
use calamine::{Reader, SheetType, Xlsx, XlsxError, XlsxFormulaMetadata};
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Reader for Office Open XML workbooks.
pub(crate) struct XlsxReader;

type Book = Xlsx<BufReader<File>>;

impl WorkbookReader for XlsxReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let file =
            File::open(path).map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
        let mut book: Book = calamine::open_workbook_from_rs(BufReader::new(file))
            .map_err(|e| Error::unreadable(path, reason(e)))?;
        let mut wb = Workbook::new();
        if book.has_1904_epoch() {
            wb.date_system = DateSystem::Excel1904;
        }
        let offset = wb.date_system.offset_to_1900();
        let metas: Vec<calamine::Sheet> = book.sheets_metadata().to_vec();
        let file_label = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut loader = CellLoader::new(path);
        let mut palette_read = false;
        for (index, meta) in metas.iter().enumerate() {
            if meta.typ != SheetType::WorkSheet {
                continue;
            }
            let mut sheet = new_sheet(meta, index);
            let styles = match read_style_ids(&mut book, &meta.name) {
                Ok(Some((ids, palette))) => {
                    if !palette_read {
                        wb.styles = StyleTable::from_palette(
                            palette.iter().map(style_from_calamine).collect(),
                        );
                        palette_read = true;
                    }
                    ids
                }
                // A part that is not a worksheet (a dialog sheet saved as
                // one) holds no cells.
                Ok(None) => continue,
                Err(e) => return Err(sheet_error(path, &meta.name, e)),
            };
            options
                .progress
                .start(&format!("Reading {file_label} [{}]", meta.name), 0);
            read_cells(
                path,
                &mut book,
                &mut sheet,
                &styles,
                offset,
                &mut loader,
                options,
            )?;
            if let Ok(merged) = book.merge_cells_by_sheet_name(&meta.name) {
                sheet.merged = merged.iter().map(range_addr).collect();
            }
            if let Ok(links) = book.hyperlinks_by_sheet_name(&meta.name) {
                sheet.hyperlinks = links
                    .into_iter()
                    .filter_map(|h| {
                        let target = match (h.target, h.location) {
                            (Some(t), Some(l)) => format!("{t}#{l}"),
                            (Some(t), None) => t,
                            (None, Some(l)) => l,
                            (None, None) => return None,
                        };
                        Some(Hyperlink {
                            range: range_addr(&h.range),
                            target,
                            tooltip: h.tooltip,
                        })
                    })
                    .collect();
            }
            wb.sheets.push(sheet);
        }
        if wb.sheets.is_empty() {
            return Err(Error::unreadable(path, "the workbook has no worksheets"));
        }
        if !palette_read {
            wb.styles = StyleTable::new();
        }

        let all_names: Vec<String> = metas.iter().map(|m| m.name.clone()).collect();
        let file =
            File::open(path).map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
        let info =
            ooxml::inspect(file, &all_names).map_err(|e| Error::unreadable(path, reason(e)))?;
        wb.names = info.names;
        wb.tables = info.tables;
        wb.package_features = info.features;
        for (index, widths) in info.column_widths {
            if let Some(sheet) = wb
                .sheets
                .iter_mut()
                .find(|s| s.origin.as_ref().is_some_and(|o| o.index == index))
            {
                sheet.column_widths = widths;
            }
        }
        Ok(wb)
    }
}

/// Style ids of the sheet's explicitly styled cells in stream order, and
/// the workbook's cell-format palette. `None` when the part is not a
/// worksheet.
#[allow(clippy::type_complexity)]
fn read_style_ids(
    book: &mut Book,
    name: &str,
) -> Result<Option<(Vec<(u32, u32, u32)>, Vec<calamine::Style>)>, XlsxError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(XlsxError::NotAWorksheet(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let palette = reader.styles().to_vec();
    let mut ids = Vec::new();
    while let Some((r, c, id)) = reader.next_style_id()? {
        ids.push((r, c, id as u32));
    }
    Ok(Some((ids, palette)))
}

/// A shared formula's template and the cell its references are relative to.
struct SharedTemplate {
    formula: String,
    start: (u32, u32),
}

fn read_cells(
    path: &Path,
    book: &mut Book,
    sheet: &mut Sheet,
    styles: &[(u32, u32, u32)],
    offset: f64,
    loader: &mut CellLoader<'_>,
    options: &ReadOptions,
) -> crate::Result<()> {
    loader.next_sheet();
    let name = sheet.name.clone();
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| sheet_error(path, &name, e))?;
    let dims = reader.dimensions();
    let rows = (dims.end.0 as usize + 1).min(crate::model::address::MAX_ROWS as usize);
    sheet.reserve_rows(rows);
    options.progress.start(
        &format!(
            "Reading {} [{name}]",
            path.file_name().unwrap_or_default().to_string_lossy()
        ),
        rows as u64,
    );
    let mut templates: HashMap<usize, SharedTemplate> = HashMap::new();
    let mut pending: Vec<(u32, u32, usize)> = Vec::new();
    let mut style_iter = styles.iter().peekable();
    let mut unknown_errors = 0usize;
    let mut last_row = 0u32;
    loop {
        let record = match reader.next_cell_with_formula_metadata() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            // Newer error values (#SPILL!, #CALC!...) that calamine does
            // not know: the cell is skipped here and recovered below.
            Err(XlsxError::CellError(_)) => {
                unknown_errors += 1;
                if unknown_errors > 10_000_000 {
                    return Err(sheet_error(path, &name, "too many unreadable cells"));
                }
                continue;
            }
            Err(e) => return Err(sheet_error(path, &name, e)),
        };
        let (row, col) = record.pos;
        if row != last_row {
            options
                .progress
                .inc(u64::from(row.saturating_sub(last_row)));
            last_row = row;
        }
        let mut style = 0;
        while let Some(&&(r, c, id)) = style_iter.peek() {
            if (r, c) < (row, col) {
                style_iter.next();
            } else {
                if (r, c) == (row, col) {
                    style = id;
                    style_iter.next();
                }
                break;
            }
        }
        let formula: Option<Box<str>> = match record.formula {
            None => None,
            Some(XlsxFormulaMetadata::Normal { formula }) => Some(formula.into()),
            Some(XlsxFormulaMetadata::Shared {
                shared_index,
                formula,
                ..
            }) => {
                // The master's text is relative to the master cell itself,
                // which Excel does not always put at the top-left of `ref`.
                let start = (row, col);
                templates.insert(
                    shared_index,
                    SharedTemplate {
                        formula: formula.clone(),
                        start,
                    },
                );
                Some(formula.into())
            }
            Some(XlsxFormulaMetadata::SharedDerived { shared_index }) => {
                match templates.get(&shared_index) {
                    Some(t) => calamine::expand_shared_formula(&t.formula, t.start, (row, col))
                        .ok()
                        .map(Into::into),
                    None => {
                        pending.push((row, col, shared_index));
                        None
                    }
                }
            }
            Some(_) => None,
        };
        let value = value_from_data(record.value, offset);
        loader.load(
            sheet,
            row,
            col,
            Cell {
                value,
                formula,
                style,
            },
        )?;
    }
    drop(reader);
    // Derived cells written before their anchor (some generators do).
    let mut unresolved = false;
    for (row, col, si) in pending {
        unresolved |= !templates.contains_key(&si);
        if let Some(t) = templates.get(&si) {
            if let Ok(f) = calamine::expand_shared_formula(&t.formula, t.start, (row, col)) {
                let addr = CellAddr::new(row, col);
                let mut cell = sheet.cell_or_empty(addr).clone();
                cell.formula = Some(f.into());
                loader.load(sheet, row, col, cell)?;
            }
        }
    }
    if unknown_errors > 0 || unresolved {
        recover_error_cells(path, sheet, styles, loader)?;
    }
    Ok(())
}

/// Re-reads the sheet's XML for cells holding error values calamine does
/// not know (`#SPILL!`, `#CALC!`, `#FIELD!`...) with their formulas, and
/// for shared formulas whose anchor was such a cell.
fn recover_error_cells(
    path: &Path,
    sheet: &mut Sheet,
    styles: &[(u32, u32, u32)],
    loader: &mut CellLoader<'_>,
) -> crate::Result<()> {
    let origin = sheet.origin.clone().map(|o| o.index).unwrap_or(0);
    let cells =
        super::ooxml::error_cells(path, origin).map_err(|e| sheet_error(path, &sheet.name, e))?;
    let style_of: HashMap<(u32, u32), u32> =
        styles.iter().map(|&(r, c, id)| ((r, c), id)).collect();
    loader.next_sheet();
    for (row, col, error, formula) in cells {
        let addr = CellAddr::new(row, col);
        let mut cell = sheet.cell_or_empty(addr).clone();
        let mut changed = false;
        if let (Some(text), Value::Empty) = (&error, &cell.value) {
            cell.value = Value::Error(ErrorKind::parse(text).unwrap_or(ErrorKind::Unknown));
            cell.style = style_of.get(&(row, col)).copied().unwrap_or(0);
            changed = true;
        }
        if cell.formula.is_none() && formula.is_some() {
            cell.formula = formula.map(Into::into);
            changed = true;
        }
        if changed {
            loader.load(sheet, row, col, cell)?;
        }
    }
    Ok(())
}
