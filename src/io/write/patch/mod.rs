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
mod formula_text;
mod sheet;
mod styles;
mod tables;
mod workbook;

use crate::io::ooxml::content_types::{
    rewrite_content_types, CONTENT_TYPES_PART, CT_TABLE, CT_WORKSHEET,
};
use crate::io::ooxml::part_names::{relative_target, rels_part_for, resolve_target};
use crate::io::ooxml::relationships::{
    parse_rels, rewrite_rels, Relationship, REL_TABLE, REL_WORKSHEET,
};
use crate::io::ooxml::workbook::{parse_workbook, WbInfo, WbName};
use crate::io::ooxml::xml::{attr, replace_attrs};
use crate::io::ooxml::{package as zip_parts, PackageError};
use crate::io::pipe::{pipelined, read_ahead};
use crate::io::same_file;
use crate::model::{CellAddr, Sheet, Value, Visibility, Workbook};
use crate::progress::Progress;
use crate::{Error, Result};
use sheet::{rewrite_sheet, SheetJob, TablePartsEdit};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;
use workbook::WbEdit;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

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
    if same_file(source, target) {
        return Err(Error::write(
            target,
            "the output would overwrite the input workbook while it is being read",
        ));
    }
    let filled = fill_table_headers(workbook);
    let workbook = filled.as_ref().unwrap_or(workbook);
    let mut created = false;
    let result = patch(source, workbook, target, progress, &mut created);
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
            copy.sheets[i].set_value(addr, Value::Text(name));
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

/// One sheet of the patched workbook, in tab order.
enum Slot {
    /// A model sheet: index into `workbook.sheets`, and its entry in the
    /// source workbook part (`None` for a new sheet).
    Model(usize, Option<usize>),
    /// A source sheet the model does not hold (a chart sheet, say), kept.
    Kept(usize),
}

struct NewPart {
    name: String,
    model_index: usize,
}

fn patch(
    source: &Path,
    workbook: &Workbook,
    target: &Path,
    progress: &Progress,
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
        rels: new_rels,
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
    let tables = sync_tables(
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
    if !drop_parts.is_empty() || !new_parts.is_empty() || !tables.content_types.is_empty() {
        let mut add: Vec<(String, String)> = new_parts
            .iter()
            .map(|p| (p.name.clone(), CT_WORKSHEET.to_string()))
            .collect();
        add.extend(tables.content_types.iter().cloned());
        let xml = rewrite_content_types(&content_types, &drop_parts, &add).map_err(&unreadable)?;
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
        target,
        progress,
        &mut warnings,
        created,
    )?;
    Ok(warnings)
}

/// The source package: its zip archive and entry names.
struct SourcePackage {
    path: std::path::PathBuf,
    archive: ZipArchive<BufReader<File>>,
    /// Entry names as stored, in archive order.
    names: Vec<String>,
    /// The same names with `\` turned into `/`: some writers use `\`, and
    /// parts are looked up by the normalised name but written back under
    /// their own.
    normalized: Vec<String>,
    by_name: HashMap<String, String>,
}

impl SourcePackage {
    fn open(source: &Path) -> Result<SourcePackage> {
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
    fn read(&mut self, name: &str) -> std::result::Result<Option<Vec<u8>>, PackageError> {
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
const REWRITE_COMPRESSION_LEVEL: i64 = 3;

/// Options for a part the patcher writes itself.
fn new_entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(REWRITE_COMPRESSION_LEVEL))
}

/// Options for a rewritten entry: deflated, with the source entry's time.
fn options_like<R: Read + Seek>(archive: &mut ZipArchive<R>, i: usize) -> SimpleFileOptions {
    let mut options = new_entry_options();
    if let Ok(f) = archive.by_index_raw(i) {
        if let Some(t) = f.last_modified() {
            options = options.last_modified_time(t);
        }
        options = options.large_file(f.size() > u64::from(u32::MAX) / 2);
    }
    options
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

fn state_of(v: Visibility) -> Option<&'static str> {
    match v {
        Visibility::Visible => None,
        Visibility::Hidden => Some("hidden"),
        Visibility::VeryHidden => Some("veryHidden"),
    }
}

/// The content of `<sheets>` for the patched workbook.
fn sheets_content(
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

/// New `<definedNames>` content when the names or the sheet positions they
/// depend on changed; `None` to keep the file's element as it is.
fn defined_names(
    workbook: &Workbook,
    info: &WbInfo,
    slots: &[Slot],
    renames: &[(String, String)],
    warnings: &mut Vec<String>,
) -> Option<Vec<u8>> {
    // Sheet names by source position, and new positions by name.
    let old_sheet_name = |i: usize| info.sheets.get(i).map(|s| s.name.as_str());
    let new_position = |name: &str| {
        slots.iter().position(|s| match s {
            Slot::Model(mi, _) => workbook.sheets[*mi].name.eq_ignore_ascii_case(name),
            Slot::Kept(e) => info.sheets[*e].name.eq_ignore_ascii_case(name),
        })
    };
    let renamed = |old: &str| -> String {
        renames
            .iter()
            .find(|(o, _)| o.eq_ignore_ascii_case(old))
            .map_or_else(|| old.to_string(), |(_, n)| n.clone())
    };
    // The file's names with scopes as model sheet names.
    let file_names: Vec<(String, Option<String>, &WbName)> = info
        .names
        .iter()
        .map(|n| {
            let scope = n.local_sheet_id.and_then(old_sheet_name).map(renamed);
            (n.name.clone(), scope, n)
        })
        .collect();
    let same_scope = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    };
    let model_matches_file = workbook.names.iter().all(|m| {
        file_names.iter().any(|(n, scope, w)| {
            n.eq_ignore_ascii_case(&m.name) && same_scope(scope, &m.scope) && w.text == m.refers_to
        })
    });
    let file_names_kept = file_names.iter().all(|(n, scope, _)| {
        workbook
            .names
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(n) && same_scope(scope, &m.scope))
            || !workbook.structure_changed
    });
    let positions_same = file_names.iter().all(|(_, scope, w)| match scope {
        None => true,
        Some(s) => new_position(s) == w.local_sheet_id,
    });
    if model_matches_file && file_names_kept && positions_same && renames.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let mut written: Vec<(String, Option<String>)> = Vec::new();
    for m in &workbook.names {
        let local = match &m.scope {
            None => None,
            Some(s) => match new_position(s) {
                Some(p) => Some(p),
                None => {
                    warnings.push(format!(
                        "defined name \"{}\" is local to sheet \"{s}\", which is not in the \
                         workbook; it was left out",
                        m.name
                    ));
                    continue;
                }
            },
        };
        let original = file_names
            .iter()
            .find(|(n, scope, _)| n.eq_ignore_ascii_case(&m.name) && same_scope(scope, &m.scope))
            .map(|(_, _, w)| &w.element);
        workbook::push_defined_name(
            &mut out,
            &info.prefix,
            original,
            &m.name,
            local,
            &m.refers_to,
        );
        written.push((m.name.clone(), m.scope.clone()));
    }
    // Names the model does not carry (hidden filter ranges and the like):
    // kept unless the run removed them along with their sheet.
    for (name, scope, w) in &file_names {
        if written
            .iter()
            .any(|(n, s)| n.eq_ignore_ascii_case(name) && same_scope(s, scope))
        {
            continue;
        }
        if workbook.structure_changed && !w.hidden && !name.starts_with("_xlnm.") {
            continue;
        }
        let local = match scope {
            None => None,
            Some(s) => match new_position(s) {
                Some(p) => Some(p),
                None => continue,
            },
        };
        let text = formula_text::rename_sheets_in_formula(&w.text, renames);
        workbook::push_defined_name(&mut out, &info.prefix, Some(&w.element), name, local, &text);
    }
    Some(out)
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

/// What the patcher knows about the package when it syncs tables.
struct TableContext<'a> {
    info: &'a WbInfo,
    part_of_entry: &'a dyn Fn(usize) -> Option<(String, bool)>,
    slots: &'a [Slot],
    removed_parts: &'a [String],
    new_parts: &'a [NewPart],
}

/// The package changes that keep table parts in step with the model.
#[derive(Default)]
struct TablePlan {
    /// Content-type overrides to add, `(part, type)`.
    content_types: Vec<(String, String)>,
    /// Table parts to leave out.
    drop: Vec<String>,
    /// Entries written after the source's: new table parts and the
    /// relationship parts of sheets that had none.
    new_entries: Vec<(String, Vec<u8>)>,
    /// `<tableParts>` edits by model sheet index.
    sheet_edits: HashMap<usize, TablePartsEdit>,
}

/// One table part a worksheet links to.
struct LinkedTable {
    part: String,
    rid: String,
    sheet_part: String,
    model_sheet: Option<usize>,
}

/// Keeps table parts in step with `workbook.tables`: a table whose range
/// or columns changed is rewritten; a table the run created gets a new
/// part linked from its sheet; a table the run removed
/// (`Workbook::remove_table`, or with its sheet) is unlinked and left out.
/// A file table the model merely lacks is kept as it is.
fn sync_tables(
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
    let mut sheet_part_of: HashMap<usize, String> = HashMap::new();
    for slot in cx.slots {
        if let Slot::Model(mi, Some(e)) = slot {
            if let Some((part, true)) = (cx.part_of_entry)(*e) {
                sheet_part_of.insert(*mi, part);
            }
        }
    }
    for p in cx.new_parts {
        sheet_part_of.insert(p.model_index, p.name.clone());
    }
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
    let mut parts: HashMap<String, (Vec<u8>, crate::io::ooxml::tables::TablePart)> = HashMap::new();
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
                let empty = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
                    <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                    </Relationships>";
                let xml = rewrite_rels(empty, &rels_part, drop, add)?;
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

/// A minimal worksheet for a new sheet, with its merged ranges.
fn new_sheet_template(sheet: &Sheet) -> String {
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
struct SheetMap {
    slots: Vec<Slot>,
    removed_parts: Vec<String>,
    removed_rids: HashSet<String>,
}

/// Maps model sheets to the source's sheet entries by their origin (index,
/// checked against the name, then the name alone). Source worksheets the
/// model lacks count as removed only when the run changed the structure;
/// anything else the model lacks (chart sheets, say) is kept in place.
fn map_sheets(
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
struct NewSheets {
    parts: Vec<NewPart>,
    rels: Vec<(String, String, String)>,
    rid_of: HashMap<usize, String>,
    sheet_id_of: HashMap<usize, u32>,
}

/// Picks names and ids for new sheets that clash with nothing in the
/// package.
fn allocate_new_sheets(
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

/// Writes the target package: every source entry in order (copied raw,
/// replaced, streamed or dropped as `actions` says), then the new sheets.
#[allow(clippy::too_many_arguments)]
fn write_package(
    package: &mut SourcePackage,
    mut actions: HashMap<String, Action>,
    new_parts: &[NewPart],
    workbook: &Workbook,
    renames: &[(String, String)],
    tables: &TablePlan,
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
                };
                pipelined(&mut zip, |out| {
                    read_ahead(entry, |input| rewrite_sheet(input, out, &job, warnings))
                })
                .map_err(|m| {
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
        };
        pipelined(&mut zip, |out| {
            rewrite_sheet(template.as_bytes(), out, &job, warnings)
        })
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
