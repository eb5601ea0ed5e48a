//! Defined names of the patched workbook: kept as the file wrote them
//! unless the run changed a name or the sheet positions their scope
//! depends on.

use super::sheet_list::Slot;
use super::{formula_text, workbook};
use crate::io::ooxml::workbook::{WbInfo, WbName};
use crate::model::Workbook;

/// New `<definedNames>` content when the names or the sheet positions they
/// depend on changed; `None` to keep the file's element as it is.
pub(super) fn defined_names(
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
