//! Write-back into the user's own xlsx/xlsm by patching the package.
//!
//! The source package is copied entry by entry into the target. An entry
//! the run did not change is copied byte for byte with its compressed data
//! untouched, so charts, drawings, pivot caches, comments, VBA projects,
//! themes and anything else we do not understand survive exactly. Only the
//! parts that must change are rewritten, each by streaming its XML:
//! changed worksheets, `styles.xml` when new styles were interned, the
//! workbook part (sheet list, defined names, `fullCalcOnLoad`), its
//! relationships, `[Content_Types].xml` and `docProps/app.xml` when sheets
//! were added, removed or renamed. `xl/calcChain.xml` is dropped whenever a
//! cell changed, because a stale chain makes Excel report corruption.

mod app_titles;
mod cell;
mod cols;
mod dynamic_arrays;
mod formula_text;
mod macros;
mod names;
mod sheet;
mod sheet_error;
mod sheet_list;
mod sheet_parts;
mod styles;
mod table_sync;
mod tables;
mod visuals;
mod workbook;
mod zip_io;

use crate::io::ooxml::content_types::{
    has_default, rewrite_content_types, CONTENT_TYPES_PART, CT_RELATIONSHIPS, CT_WORKSHEET,
};
use crate::io::ooxml::part_names::{rels_part_for, resolve_target};
use crate::io::ooxml::relationships::{parse_rels, rewrite_rels, Relationship};
use crate::io::ooxml::workbook::parse_workbook;
use crate::io::ooxml::xml::attr;
use crate::io::ooxml::PackageError;
use crate::io::same_file;
use crate::model::{CellAddr, Value, Workbook};
use crate::progress::Progress;
use crate::{Error, Result};
use names::defined_names;
use sheet_list::{
    allocate_new_sheets, map_sheets, sheets_content, state_of, NewSheets, SheetMap, Slot,
};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use table_sync::{sync_tables, TableContext};
use visuals::{model_sheet_parts, plan_visuals, VisualContext};
use workbook::WbEdit;
use zip_io::{write_package, SourcePackage};

/// Largest XML part (other than worksheets, which are streamed) read into
/// memory; anything bigger is not a plausible workbook part.
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Writes `workbook` (read from the xlsx/xlsm at `source`) to `target` by
/// copying the source package and changing only what the run changed.
/// Returns warnings (plain sentences). `target` must be a different file
/// from `source`; on error nothing is left at `target`.
pub fn patch_package(
    source: &Path,
    workbook: &Workbook,
    target: &Path,
    progress: &Progress,
) -> Result<Vec<String>> {
    patch_package_as(source, workbook, target, progress, Macros::Keep)
}

/// What a patch does with the source's VBA project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Macros {
    /// Copied like any other part (an .xlsm stays an .xlsm).
    Keep,
    /// Left out, with the workbook declared plain: a macro-free copy that
    /// Excel opens as .xlsx.
    Drop,
}

/// [`patch_package`], saying what happens to the VBA project.
pub fn patch_package_as(
    source: &Path,
    workbook: &Workbook,
    target: &Path,
    progress: &Progress,
    macros: Macros,
) -> Result<Vec<String>> {
    if same_file(source, target) {
        return Err(Error::write(
            target,
            "the output would overwrite the input workbook while it is being read",
        ));
    }
    let filled = fill_table_headers(workbook);
    let workbook = filled.as_ref().unwrap_or(workbook);
    let mut created = false;
    let result = patch(source, workbook, target, progress, macros, &mut created);
    if result.is_err() && created {
        let _ = std::fs::remove_file(target);
    }
    result
}

/// A copy of `workbook` with the empty header cells of its tables holding
/// their column names (Excel repairs a file whose table headers disagree
/// with its table parts); `None` when every header is already written.
fn fill_table_headers(workbook: &Workbook) -> Option<Workbook> {
    let fills: Vec<(usize, Vec<(CellAddr, String)>)> = workbook
        .tables
        .iter()
        .filter_map(|t| {
            let i = workbook.sheet_index(&t.sheet)?;
            if tables::refusal(workbook, t).is_some() {
                return None;
            }
            let fills = tables::header_fills(t, &workbook.sheets[i]);
            (!fills.is_empty()).then_some((i, fills))
        })
        .collect();
    if fills.is_empty() {
        return None;
    }
    let mut copy = workbook.clone();
    for (i, cells) in fills {
        for (addr, name) in cells {
            copy.sheets[i].set_value(addr, Value::text(name));
        }
    }
    Some(copy)
}

/// What happens to one entry of the source package.
enum Action {
    /// Copied byte for byte.
    Copy,
    /// Left out.
    Drop,
    /// Replaced by these bytes.
    Replace(Vec<u8>),
    /// Streamed through the worksheet rewriter with this model sheet.
    Sheet(usize),
}

fn patch(
    source: &Path,
    workbook: &Workbook,
    target: &Path,
    progress: &Progress,
    macros: Macros,
    created: &mut bool,
) -> Result<Vec<String>> {
    let unreadable = |e: PackageError| Error::unreadable(source, e.to_string());
    let missing = |m: String| Error::unreadable(source, m);
    let mut package = SourcePackage::open(source)?;
    let mut warnings = Vec::new();
    let entry_set: HashSet<String> = package.normalized.iter().cloned().collect();

    let content_types = package
        .read(CONTENT_TYPES_PART)
        .map_err(&unreadable)?
        .ok_or_else(|| missing("no [Content_Types].xml: not an xlsx/xlsm package".into()))?;
    let root_rels_xml = package
        .read("_rels/.rels")
        .map_err(&unreadable)?
        .ok_or_else(|| missing("no _rels/.rels: not an xlsx/xlsm package".into()))?;
    let root_rels = parse_rels(&root_rels_xml, "_rels/.rels").map_err(&unreadable)?;
    let wb_part = root_rels
        .iter()
        .find(|r| r.is("officeDocument"))
        .map(|r| resolve_target("", &r.target))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let wb_xml = package
        .read(&wb_part)
        .map_err(&unreadable)?
        .ok_or_else(|| missing(format!("the workbook part {wb_part} is missing")))?;
    let info = parse_workbook(&wb_xml).map_err(&unreadable)?;
    let wb_rels_part = rels_part_for(&wb_part);
    let wb_rels_xml = package
        .read(&wb_rels_part)
        .map_err(&unreadable)?
        .ok_or_else(|| missing(format!("{wb_rels_part} is missing")))?;
    let wb_rels = parse_rels(&wb_rels_xml, &wb_rels_part).map_err(&unreadable)?;
    let rel_by_id: HashMap<&str, &Relationship> =
        wb_rels.iter().map(|r| (r.id.as_str(), r)).collect();
    let part_of_entry = |i: usize| -> Option<(String, bool)> {
        let rel = rel_by_id.get(info.sheets[i].rid.as_str())?;
        Some((resolve_target(&wb_part, &rel.target), rel.is("worksheet")))
    };

    let SheetMap {
        slots,
        removed_parts,
        removed_rids,
    } = map_sheets(workbook, &info, &part_of_entry, source, target)?;
    let renames: Vec<(String, String)> = slots
        .iter()
        .filter_map(|s| match s {
            Slot::Model(mi, Some(e)) if workbook.sheets[*mi].name != info.sheets[*e].name => {
                Some((
                    info.sheets[*e].name.clone(),
                    workbook.sheets[*mi].name.clone(),
                ))
            }
            _ => None,
        })
        .collect();
    let added: Vec<usize> = slots
        .iter()
        .filter_map(|s| match s {
            Slot::Model(mi, None) => Some(*mi),
            _ => None,
        })
        .collect();
    let cells_changed = workbook
        .sheets
        .iter()
        .any(|s| !s.changed_cells().is_empty())
        || !added.is_empty()
        || !removed_parts.is_empty()
        || !renames.is_empty();

    let NewSheets {
        parts: new_parts,
        rels: mut new_rels,
        rid_of: new_rid_of,
        sheet_id_of: new_sheet_id_of,
    } = allocate_new_sheets(&added, &info, &wb_rels, &entry_set, &wb_part);

    // Parts to drop.
    let mut drop_parts: HashSet<String> = HashSet::new();
    let mut drop_rids: HashSet<String> = removed_rids.clone();
    if cells_changed {
        for rel in wb_rels.iter().filter(|r| r.is("calcChain")) {
            drop_parts.insert(resolve_target(&wb_part, &rel.target));
            drop_rids.insert(rel.id.clone());
        }
    }
    for part in &removed_parts {
        drop_parts.insert(part.clone());
        drop_parts.insert(rels_part_for(part));
    }
    if macros == Macros::Drop {
        let project = macros::vba_project(&mut package, &wb_part, &wb_rels).map_err(&unreadable)?;
        drop_parts.extend(project.parts);
        drop_rids.extend(project.rids);
    }

    let mut actions: HashMap<String, Action> = HashMap::new();
    // Worksheets to stream.
    for slot in &slots {
        if let Slot::Model(mi, Some(e)) = slot {
            let sheet = &workbook.sheets[*mi];
            if sheet.is_changed() || !renames.is_empty() {
                if let Some((part, true)) = part_of_entry(*e) {
                    actions.insert(part, Action::Sheet(*mi));
                }
            }
        }
    }

    // Styles.
    let max_style = max_written_style(workbook, &added);
    if let Some(max_style) = max_style {
        if let Some(rel) = wb_rels.iter().find(|r| r.is("styles")) {
            let part = resolve_target(&wb_part, &rel.target);
            if let Some(xml) = package.read(&part).map_err(&unreadable)? {
                let summary = styles::summarize(&xml).map_err(&unreadable)?;
                if max_style >= summary.cell_xfs {
                    let patched =
                        styles::append_styles(&xml, &summary, &workbook.styles, max_style)
                            .map_err(&unreadable)?;
                    actions.insert(part, Action::Replace(patched));
                }
            }
        } else if max_style > 0 {
            warnings.push(
                "the source file has no styles part, so cell formatting of changed cells was \
                 not written"
                    .to_string(),
            );
        }
    }

    let taken_rids: Vec<&str> = new_rels.iter().map(|(id, _, _)| id.as_str()).collect();
    let dynamic_arrays = dynamic_arrays::plan_dynamic_arrays(
        &mut package,
        workbook,
        &wb_part,
        &wb_rels,
        &taken_rids,
        &entry_set,
        &mut warnings,
    )
    .map_err(&unreadable)?;
    new_rels.extend(dynamic_arrays.rel.clone());
    let metadata_type = dynamic_arrays::content_type(&dynamic_arrays);

    // Workbook part.
    let structure = !added.is_empty() || !removed_parts.is_empty() || !renames.is_empty();
    let visibility_changed = slots.iter().any(|s| match s {
        Slot::Model(mi, Some(e)) => {
            state_of(workbook.sheets[*mi].visibility)
                != attr(&info.sheets[*e].element, "state")
                    .filter(|s| s != "visible")
                    .as_deref()
        }
        _ => false,
    });
    let order_changed = slots.iter().enumerate().any(|(pos, s)| match s {
        Slot::Model(_, Some(e)) | Slot::Kept(e) => *e != pos,
        Slot::Model(_, None) => false,
    });
    let sheets_xml = (structure || visibility_changed || order_changed)
        .then(|| sheets_content(&slots, workbook, &info, &new_rid_of, &new_sheet_id_of));
    let names_xml = defined_names(workbook, &info, &slots, &renames, &mut warnings);
    if cells_changed || sheets_xml.is_some() || names_xml.is_some() {
        let edit = WbEdit {
            sheets_xml,
            names_xml,
            full_calc: cells_changed,
            sheet_count: slots.len(),
        };
        let xml = workbook::rewrite_workbook(&wb_xml, &info, &edit).map_err(&unreadable)?;
        actions.insert(wb_part.clone(), Action::Replace(xml));
    }
    if !drop_rids.is_empty() || !new_rels.is_empty() {
        let xml = rewrite_rels(&wb_rels_xml, &wb_rels_part, &drop_rids, &new_rels)
            .map_err(&unreadable)?;
        actions.insert(wb_rels_part.clone(), Action::Replace(xml));
    }
    let mut tables = sync_tables(
        &mut package,
        workbook,
        &TableContext {
            info: &info,
            part_of_entry: &part_of_entry,
            slots: &slots,
            removed_parts: &removed_parts,
            new_parts: &new_parts,
        },
        &mut actions,
        &mut warnings,
    )
    .map_err(&unreadable)?;
    drop_parts.extend(tables.drop.iter().cloned());
    tables.new_entries.extend(dynamic_arrays.new_part);
    let visual_cx = VisualContext {
        styles_part: wb_rels
            .iter()
            .find(|r| r.is("styles"))
            .map(|r| resolve_target(&wb_part, &r.target)),
        sheet_parts: model_sheet_parts(&slots, &part_of_entry, &new_parts),
        new_parts: &new_parts,
    };
    let visuals = plan_visuals(
        &mut package,
        workbook,
        &visual_cx,
        &mut actions,
        &mut tables.new_entries,
        &mut warnings,
    )
    .map_err(&unreadable)?;
    drop_parts.extend(visuals.drop.iter().cloned());
    let declare_plain = macros == Macros::Drop;
    if !drop_parts.is_empty()
        || !new_parts.is_empty()
        || !tables.content_types.is_empty()
        || !visuals.content_types.is_empty()
        || metadata_type.is_some()
        || declare_plain
    {
        let mut add: Vec<(String, String)> = new_parts
            .iter()
            .map(|p| (p.name.clone(), CT_WORKSHEET.to_string()))
            .collect();
        add.extend(tables.content_types.iter().cloned());
        add.extend(visuals.content_types.iter().cloned());
        add.extend(metadata_type);
        if !has_default(&content_types, "rels") {
            // This package types each relationship part by itself.
            for (name, _) in tables
                .new_entries
                .iter()
                .filter(|(n, _)| n.ends_with(".rels"))
            {
                add.push((name.clone(), CT_RELATIONSHIPS.to_string()));
            }
        }
        let mut overrides_dropped = drop_parts.clone();
        if declare_plain {
            // The workbook's override is replaced: macro-enabled to plain.
            overrides_dropped.insert(wb_part.clone());
            add.push((wb_part.clone(), macros::CT_PLAIN_WORKBOOK.to_string()));
        }
        let mut xml =
            rewrite_content_types(&content_types, &overrides_dropped, &add).map_err(&unreadable)?;
        if declare_plain {
            xml = macros::without_vba_default(&xml).map_err(&unreadable)?;
        }
        actions.insert(CONTENT_TYPES_PART.to_string(), Action::Replace(xml));
    }
    if structure {
        if let Some(rel) = root_rels.iter().find(|r| r.is("extended-properties")) {
            let part = resolve_target("", &rel.target);
            if let Some(xml) = package.read(&part).map_err(&unreadable)? {
                let titles: Vec<String> = slots
                    .iter()
                    .filter_map(|s| match s {
                        Slot::Model(mi, _) => Some(workbook.sheets[*mi].name.clone()),
                        Slot::Kept(e) => part_of_entry(*e)
                            .filter(|(_, ws)| *ws)
                            .map(|_| info.sheets[*e].name.clone()),
                    })
                    .collect();
                let patched = app_titles::rewrite_app_titles(&xml, &titles).map_err(&unreadable)?;
                actions.insert(part, Action::Replace(patched));
            }
        }
    }
    if !renames.is_empty() {
        rename_in_other_parts(&mut package, &renames, &mut actions).map_err(&unreadable)?;
        warnings.push(format!(
            "renamed sheet{} {}: references in formulas, data validations, conditional \
             formats, defined names, charts and pivot-table sources were updated; \
             references held elsewhere (hyperlinks, macros, other workbooks) were not",
            if renames.len() == 1 { "" } else { "s" },
            renames
                .iter()
                .map(|(o, n)| format!("\"{o}\" to \"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for part in &drop_parts {
        actions.insert(part.clone(), Action::Drop);
    }
    for sheet in &workbook.sheets {
        if sheet.origin.is_none() && !sheet.hyperlinks.is_empty() {
            warnings.push(format!(
                "the hyperlinks of new sheet \"{}\" were not written",
                sheet.name
            ));
        }
    }

    write_package(
        &mut package,
        actions,
        &new_parts,
        workbook,
        &renames,
        &tables,
        &visuals.sheet_edits,
        dynamic_arrays.cm,
        target,
        progress,
        &mut warnings,
        created,
    )?;
    Ok(warnings)
}

/// The highest style id any written cell carries, if any cell is written.
fn max_written_style(workbook: &Workbook, added: &[usize]) -> Option<u32> {
    let mut max = None;
    for (i, sheet) in workbook.sheets.iter().enumerate() {
        let new = added.contains(&i);
        let ids: Box<dyn Iterator<Item = u32>> = if new {
            Box::new(sheet.cells().map(|(_, c)| c.style))
        } else {
            Box::new(
                sheet
                    .changed_cells()
                    .iter()
                    .filter_map(|a| sheet.cell(*a).map(|c| c.style)),
            )
        };
        for id in ids {
            max = Some(max.map_or(id, |m: u32| m.max(id)));
        }
    }
    max
}

/// Charts refer to sheets by name in their series formulas (`<c:f>`) and
/// pivot caches in their source (`<worksheetSource sheet>`): with a sheet
/// renamed, those parts are rewritten too.
fn rename_in_other_parts(
    package: &mut SourcePackage,
    renames: &[(String, String)],
    actions: &mut HashMap<String, Action>,
) -> std::result::Result<(), PackageError> {
    for name in package.normalized.clone() {
        let refers_to_sheets = name.ends_with(".xml")
            && (name.starts_with("xl/charts/chart")
                || name.starts_with("xl/pivotCache/pivotCacheDefinition"));
        if !refers_to_sheets || actions.contains_key(&name) {
            continue;
        }
        let Some(xml) = package.read(&name)? else {
            continue;
        };
        let patched = formula_text::rename_in_formula_elements(&xml, &name, renames)?;
        if patched != xml {
            actions.insert(name, Action::Replace(patched));
        }
    }
    Ok(())
}
