//! Keeping the package's table parts in step with the model's tables:
//! which parts to rewrite, add, unlink or drop, and the relationship and
//! content-type changes that go with them.

use super::sheet::TablePartsEdit;
use super::sheet_list::{NewPart, Slot};
use super::visuals::model_sheet_parts;
use super::zip_io::SourcePackage;
use super::{tables, Action};
use crate::io::ooxml::content_types::CT_TABLE;
use crate::io::ooxml::part_names::{relative_target, rels_part_for, resolve_target};
use crate::io::ooxml::relationships::{
    parse_rels, rewrite_rels, Relationship, EMPTY_RELS, REL_TABLE,
};
use crate::io::ooxml::tables::TablePart;
use crate::io::ooxml::workbook::WbInfo;
use crate::io::ooxml::PackageError;
use crate::model::Workbook;
use std::collections::{HashMap, HashSet};

/// What the patcher knows about the package when it syncs tables.
pub(super) struct TableContext<'a> {
    /// What the workbook part says.
    pub(super) info: &'a WbInfo,
    /// A source sheet's part, and whether it is a worksheet.
    pub(super) part_of_entry: &'a dyn Fn(usize) -> Option<(String, bool)>,
    /// The sheets of the patched workbook.
    pub(super) slots: &'a [Slot],
    /// Worksheet parts the run removed.
    pub(super) removed_parts: &'a [String],
    /// Worksheet parts the run adds.
    pub(super) new_parts: &'a [NewPart],
}

/// The package changes that keep table parts in step with the model.
#[derive(Default)]
pub(super) struct TablePlan {
    /// Content-type overrides to add, `(part, type)`.
    pub(super) content_types: Vec<(String, String)>,
    /// Table parts to leave out.
    pub(super) drop: Vec<String>,
    /// Entries written after the source's: new table parts and the
    /// relationship parts of sheets that had none (and, added later, the
    /// new chart and drawing parts of `visuals`).
    pub(super) new_entries: Vec<(String, Vec<u8>)>,
    /// `<tableParts>` edits by model sheet index.
    pub(super) sheet_edits: HashMap<usize, TablePartsEdit>,
}

/// One table part a worksheet links to.
struct LinkedTable {
    /// The table part.
    part: String,
    /// Its relationship id in the sheet's rels.
    rid: String,
    /// The worksheet part linking it.
    sheet_part: String,
    /// The model sheet continuing that worksheet, if any.
    model_sheet: Option<usize>,
}

/// Keeps table parts in step with `workbook.tables`: a table whose range
/// or columns changed is rewritten; a table the run created gets a new
/// part linked from its sheet; a table the run removed
/// (`Workbook::remove_table`, or with its sheet) is unlinked and left out.
/// A file table the model merely lacks is kept as it is.
pub(super) fn sync_tables(
    package: &mut SourcePackage,
    workbook: &Workbook,
    cx: &TableContext<'_>,
    actions: &mut HashMap<String, Action>,
    warnings: &mut Vec<String>,
) -> std::result::Result<TablePlan, PackageError> {
    let mut plan = TablePlan::default();
    if workbook.tables.is_empty() && !workbook.structure_changed {
        // Nothing to write, unlink or drop (a removed sheet or table sets
        // `structure_changed`).
        return Ok(plan);
    }
    // Every worksheet's part and relationships, and the tables it links.
    let sheet_part_of = model_sheet_parts(cx.slots, cx.part_of_entry, cx.new_parts);
    let mut sheet_rels: HashMap<String, (Option<Vec<u8>>, Vec<Relationship>)> = HashMap::new();
    let mut linked: Vec<LinkedTable> = Vec::new();
    for e in 0..cx.info.sheets.len() {
        let Some((sheet_part, true)) = (cx.part_of_entry)(e) else {
            continue;
        };
        let rels_part = rels_part_for(&sheet_part);
        let Some(xml) = package.read(&rels_part)? else {
            continue;
        };
        let rels = parse_rels(&xml, &rels_part)?;
        let model_sheet = cx.slots.iter().find_map(|s| match s {
            Slot::Model(mi, Some(x)) if *x == e => Some(*mi),
            _ => None,
        });
        for rel in rels.iter().filter(|r| r.is("table")) {
            linked.push(LinkedTable {
                part: resolve_target(&sheet_part, &rel.target),
                rid: rel.id.clone(),
                sheet_part: sheet_part.clone(),
                model_sheet,
            });
        }
        sheet_rels.insert(sheet_part, (Some(xml), rels));
    }
    // Table ids are unique across the package, so read every table part.
    let mut max_id = 0u32;
    let mut parts: HashMap<String, (Vec<u8>, TablePart)> = HashMap::new();
    let table_part_names: Vec<String> = package
        .normalized
        .iter()
        .filter(|n| n.starts_with("xl/tables/") && n.ends_with(".xml"))
        .cloned()
        .chain(linked.iter().map(|l| l.part.clone()))
        .collect();
    for name in table_part_names {
        if parts.contains_key(&name) {
            continue;
        }
        let Some(xml) = package.read(&name)? else {
            continue;
        };
        if let Some(t) = tables::read_table_part(&xml) {
            max_id = max_id.max(t.id.unwrap_or(0));
            parts.insert(name, (xml, t));
        }
    }
    let sheet_of = |mi: Option<usize>| mi.map(|i| &workbook.sheets[i]);
    let mut found: HashSet<String> = HashSet::new();
    let mut rels_drop: HashMap<String, HashSet<String>> = HashMap::new();
    let mut rels_add: HashMap<String, Vec<(String, String, String)>> = HashMap::new();
    for l in &linked {
        if cx.removed_parts.contains(&l.sheet_part) {
            plan.drop.push(l.part.clone());
            plan.drop.push(rels_part_for(&l.part));
            continue;
        }
        let Some((xml, pt)) = parts.get(&l.part) else {
            continue;
        };
        if let Some(table) = workbook.table(&pt.name) {
            found.insert(table.name.to_lowercase());
            let columns = tables::part_columns(table, sheet_of(l.model_sheet));
            if table.range != pt.range || columns != pt.columns {
                let patched = tables::rewrite_table(xml, table, &columns)
                    .map_err(|e| PackageError::part(&l.part, e))?;
                actions.insert(l.part.clone(), Action::Replace(patched));
            }
        } else if workbook
            .removed_tables
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&pt.name))
        {
            let Some(mi) = l.model_sheet else {
                continue;
            };
            plan.drop.push(l.part.clone());
            plan.drop.push(rels_part_for(&l.part));
            plan.sheet_edits
                .entry(mi)
                .or_default()
                .remove
                .insert(l.rid.clone());
            rels_drop
                .entry(l.sheet_part.clone())
                .or_default()
                .insert(l.rid.clone());
        }
    }
    // Tables the run created.
    let mut taken: HashSet<String> = package.normalized.iter().cloned().collect();
    let mut n = 1usize;
    for table in &workbook.tables {
        if found.contains(&table.name.to_lowercase()) {
            continue;
        }
        let Some(mi) = workbook.sheet_index(&table.sheet) else {
            warnings.push(format!(
                "table \"{}\" is on sheet \"{}\", which is not in the workbook; it was not \
                 written",
                table.name, table.sheet
            ));
            continue;
        };
        let Some(sheet_part) = sheet_part_of.get(&mi) else {
            warnings.push(format!(
                "table \"{}\": sheet \"{}\" is not a worksheet of the file; the table was \
                 not written",
                table.name, table.sheet
            ));
            continue;
        };
        if let Some(why) = tables::refusal(workbook, table) {
            warnings.push(why);
            continue;
        }
        while taken.contains(&format!("xl/tables/table{n}.xml")) {
            n += 1;
        }
        let part = format!("xl/tables/table{n}.xml");
        taken.insert(part.clone());
        max_id += 1;
        let columns = tables::part_columns(table, Some(&workbook.sheets[mi]));
        plan.new_entries.push((
            part.clone(),
            tables::new_table_part(table, max_id, &columns),
        ));
        plan.content_types
            .push((part.clone(), CT_TABLE.to_string()));
        let (_, rels) = sheet_rels
            .entry(sheet_part.clone())
            .or_insert((None, Vec::new()));
        let adds = rels_add.entry(sheet_part.clone()).or_default();
        let mut r = 1usize;
        let rid = loop {
            let rid = format!("rId{r}");
            if !rels.iter().any(|x| x.id == rid) && !adds.iter().any(|(id, _, _)| *id == rid) {
                break rid;
            }
            r += 1;
        };
        adds.push((
            rid.clone(),
            REL_TABLE.to_string(),
            relative_target(sheet_part, &part),
        ));
        plan.sheet_edits.entry(mi).or_default().add.push(rid);
    }
    // Relationship parts of the sheets whose tables changed.
    let changed: HashSet<&String> = rels_drop.keys().chain(rels_add.keys()).collect();
    for sheet_part in changed {
        let rels_part = rels_part_for(sheet_part);
        let no_drop = HashSet::new();
        let drop = rels_drop.get(sheet_part).unwrap_or(&no_drop);
        let add = rels_add.get(sheet_part).map_or(&[][..], Vec::as_slice);
        match sheet_rels.get(sheet_part).and_then(|(xml, _)| xml.as_ref()) {
            Some(xml) => {
                let patched = rewrite_rels(xml, &rels_part, drop, add)?;
                actions.insert(rels_part, Action::Replace(patched));
            }
            None => {
                let xml = rewrite_rels(EMPTY_RELS, &rels_part, drop, add)?;
                plan.new_entries.push((rels_part, xml));
            }
        }
    }
    // Sheets whose `<tableParts>` change are streamed even without cell edits.
    for mi in plan.sheet_edits.keys() {
        if let Some(part) = sheet_part_of.get(mi) {
            if !cx.new_parts.iter().any(|p| p.name == *part) {
                actions.entry(part.clone()).or_insert(Action::Sheet(*mi));
            }
        }
    }
    Ok(plan)
}
