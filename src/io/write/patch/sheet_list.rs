//! The sheet list of the patched workbook: which source sheet each model
//! sheet continues, which source sheets the run removed, and the part
//! names and ids of new sheets, so nothing clashes with the package.

use crate::io::ooxml::part_names::relative_target;
use crate::io::ooxml::relationships::{Relationship, REL_WORKSHEET};
use crate::io::ooxml::workbook::WbInfo;
use crate::io::ooxml::xml::replace_attrs;
use crate::model::{Sheet, Visibility, Workbook};
use crate::{Error, Result};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// One sheet of the patched workbook, in tab order.
pub(super) enum Slot {
    /// A model sheet: index into `workbook.sheets`, and its entry in the
    /// source workbook part (`None` for a new sheet).
    Model(usize, Option<usize>),
    /// A source sheet the model does not hold (a chart sheet, say), kept.
    Kept(usize),
}

pub(super) struct NewPart {
    /// Its entry name.
    pub(super) name: String,
    /// The model sheet written into it.
    pub(super) model_index: usize,
}

pub(super) fn state_of(v: Visibility) -> Option<&'static str> {
    match v {
        Visibility::Visible => None,
        Visibility::Hidden => Some("hidden"),
        Visibility::VeryHidden => Some("veryHidden"),
    }
}

/// The content of `<sheets>` for the patched workbook.
pub(super) fn sheets_content(
    slots: &[Slot],
    workbook: &Workbook,
    info: &WbInfo,
    new_rid_of: &HashMap<usize, String>,
    new_sheet_id_of: &HashMap<usize, u32>,
) -> Vec<u8> {
    let p = &info.prefix;
    let mut out = Vec::new();
    for slot in slots {
        let element = match slot {
            Slot::Kept(e) => info.sheets[*e].element.clone(),
            Slot::Model(mi, Some(e)) => {
                let sheet = &workbook.sheets[*mi];
                replace_attrs(
                    &info.sheets[*e].element,
                    &[
                        ("name", Some(sheet.name.as_str())),
                        ("state", state_of(sheet.visibility)),
                    ],
                )
            }
            Slot::Model(mi, None) => {
                let sheet = &workbook.sheets[*mi];
                let mut e = quick_xml::events::BytesStart::new(format!("{p}sheet"));
                e.push_attribute(("name", sheet.name.as_str()));
                e.push_attribute(("sheetId", new_sheet_id_of[mi].to_string().as_str()));
                if let Some(state) = state_of(sheet.visibility) {
                    e.push_attribute(("state", state));
                }
                let key = format!("{}:id", info.rel_prefix);
                e.push_attribute((key.as_str(), new_rid_of[mi].as_str()));
                e
            }
        };
        out.push(b'<');
        out.extend_from_slice(element.as_ref().as_bytes());
        out.extend_from_slice(b"/>");
    }
    out
}

/// A minimal worksheet for a new sheet, with its merged ranges.
pub(super) fn new_sheet_template(sheet: &Sheet) -> String {
    let mut merges = String::new();
    if !sheet.merged.is_empty() {
        merges.push_str(&format!("<mergeCells count=\"{}\">", sheet.merged.len()));
        for m in &sheet.merged {
            merges.push_str(&format!("<mergeCell ref=\"{}\"/>", m.to_a1()));
        }
        merges.push_str("</mergeCells>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <dimension ref=\"A1\"/><sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>\
         <sheetFormatPr defaultRowHeight=\"15\"/><sheetData/>{merges}\
         <pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" \
         footer=\"0.3\"/></worksheet>"
    )
}

/// Where each sheet of the patched workbook comes from, and which source
/// sheets the run removed.
pub(super) struct SheetMap {
    /// The sheets of the patched workbook in tab order.
    pub(super) slots: Vec<Slot>,
    /// Parts of the source worksheets the run removed.
    pub(super) removed_parts: Vec<String>,
    /// Their relationship ids in the workbook part's rels.
    pub(super) removed_rids: HashSet<String>,
}

/// Maps model sheets to the source's sheet entries by their origin (index,
/// checked against the name, then the name alone). Source worksheets the
/// model lacks count as removed only when the run changed the structure;
/// anything else the model lacks (chart sheets, say) is kept in place.
pub(super) fn map_sheets(
    workbook: &Workbook,
    info: &WbInfo,
    part_of_entry: &dyn Fn(usize) -> Option<(String, bool)>,
    source: &Path,
    target: &Path,
) -> Result<SheetMap> {
    let unreadable = |m: String| Error::unreadable(source, m);
    let mut slots = Vec::new();
    let mut mapped = vec![false; info.sheets.len()];
    for (mi, sheet) in workbook.sheets.iter().enumerate() {
        let entry = match &sheet.origin {
            None => None,
            Some(origin) => {
                let at = if info
                    .sheets
                    .get(origin.index)
                    .is_some_and(|e| e.name == origin.name)
                {
                    Some(origin.index)
                } else {
                    info.sheets
                        .iter()
                        .position(|e| e.name.eq_ignore_ascii_case(&origin.name))
                };
                let at = at.ok_or_else(|| {
                    unreadable(format!(
                        "sheet \"{}\" (\"{}\" when read) is no longer in the file; was it \
                         changed since it was read?",
                        sheet.name, origin.name
                    ))
                })?;
                if std::mem::replace(&mut mapped[at], true) {
                    return Err(Error::write(
                        target,
                        format!(
                            "two sheets of the run came from the same sheet \"{}\"",
                            origin.name
                        ),
                    ));
                }
                if sheet.is_changed() && !part_of_entry(at).is_some_and(|(_, ws)| ws) {
                    return Err(Error::write(
                        target,
                        format!("sheet \"{}\" is not a worksheet in the source file and cannot take cell changes", sheet.name),
                    ));
                }
                Some(at)
            }
        };
        slots.push(Slot::Model(mi, entry));
    }
    let mut removed_parts: Vec<String> = Vec::new();
    let mut removed_rids: HashSet<String> = HashSet::new();
    for (i, entry) in info.sheets.iter().enumerate() {
        if mapped[i] {
            continue;
        }
        let part = part_of_entry(i);
        if workbook.structure_changed && part.as_ref().is_some_and(|(_, ws)| *ws) {
            if let Some((p, _)) = part {
                removed_parts.push(p);
            }
            removed_rids.insert(entry.rid.clone());
        } else {
            slots.insert(i.min(slots.len()), Slot::Kept(i));
        }
    }
    Ok(SheetMap {
        slots,
        removed_parts,
        removed_rids,
    })
}

/// Part names, relationship ids and sheet ids for the run's new sheets.
pub(super) struct NewSheets {
    /// The new worksheet parts.
    pub(super) parts: Vec<NewPart>,
    /// Their relationships from the workbook part, `(id, type, target)`.
    pub(super) rels: Vec<(String, String, String)>,
    /// Relationship id by model sheet index.
    pub(super) rid_of: HashMap<usize, String>,
    /// `sheetId` by model sheet index.
    pub(super) sheet_id_of: HashMap<usize, u32>,
}

/// Picks names and ids for new sheets that clash with nothing in the
/// package.
pub(super) fn allocate_new_sheets(
    added: &[usize],
    info: &WbInfo,
    wb_rels: &[Relationship],
    entry_set: &HashSet<String>,
    wb_part: &str,
) -> NewSheets {
    let mut new_parts: Vec<NewPart> = Vec::new();
    let mut new_rels: Vec<(String, String, String)> = Vec::new();
    let mut new_rid_of: HashMap<usize, String> = HashMap::new();
    let first_sheet_id = info.sheets.iter().map(|s| s.sheet_id).max().unwrap_or(0) + 1;
    let mut new_sheet_id_of: HashMap<usize, u32> = HashMap::new();
    let rel_ids: HashSet<&str> = wb_rels.iter().map(|r| r.id.as_str()).collect();
    let mut n = 1usize;
    let mut r = 1usize;
    for (sheet_id, &mi) in (first_sheet_id..).zip(added) {
        while entry_set.contains(&format!("xl/worksheets/sheet{n}.xml"))
            || new_parts
                .iter()
                .any(|p| p.name == format!("xl/worksheets/sheet{n}.xml"))
        {
            n += 1;
        }
        let name = format!("xl/worksheets/sheet{n}.xml");
        while rel_ids.contains(format!("rId{r}").as_str())
            || new_rels.iter().any(|(id, _, _)| *id == format!("rId{r}"))
        {
            r += 1;
        }
        let rid = format!("rId{r}");
        let target_rel = relative_target(wb_part, &name);
        new_rels.push((rid.clone(), REL_WORKSHEET.to_string(), target_rel));
        new_rid_of.insert(mi, rid);
        new_sheet_id_of.insert(mi, sheet_id);
        new_parts.push(NewPart {
            name,
            model_index: mi,
        });
    }
    NewSheets {
        parts: new_parts,
        rels: new_rels,
        rid_of: new_rid_of,
        sheet_id_of: new_sheet_id_of,
    }
}
