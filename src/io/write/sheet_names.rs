//! Sheet names Excel would refuse (longer than 31 characters, holding
//! `: \ / ? * [ ]` or a control character, starting or ending with an
//! apostrophe, empty, or `History`), as other programs write them: before
//! an xlsx is written each is shortened or mended to a name of its own,
//! and every formula, defined name, table and link that names the sheet
//! follows it.

use crate::formula::printer::rename_sheet;
use crate::model::workbook::validate_sheet_name;
use crate::model::Workbook;

/// The longest sheet name Excel accepts, in characters.
const MAX_SHEET_NAME: usize = 31;

/// Each sheet whose name Excel would refuse, with the name it gets:
/// `(old, new)` in sheet order; empty when every name is fine.
pub(crate) fn sheet_name_fixes(workbook: &Workbook) -> Vec<(String, String)> {
    let mut taken: Vec<String> = workbook
        .sheets
        .iter()
        .filter(|s| validate_sheet_name(&s.name).is_ok() && !has_control(&s.name))
        .map(|s| s.name.to_lowercase())
        .collect();
    let mut fixes = Vec::new();
    for (i, sheet) in workbook.sheets.iter().enumerate() {
        if validate_sheet_name(&sheet.name).is_ok() && !has_control(&sheet.name) {
            continue;
        }
        let base = mended(&sheet.name, i);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!("~{n}");
            let room = MAX_SHEET_NAME - suffix.chars().count();
            name = format!("{}{suffix}", base.chars().take(room).collect::<String>());
            n += 1;
        }
        taken.push(name.to_lowercase());
        fixes.push((sheet.name.clone(), name));
    }
    fixes
}

/// The warning for each fix.
pub(crate) fn fix_warnings(fixes: &[(String, String)]) -> Vec<String> {
    fixes
        .iter()
        .map(|(old, new)| {
            format!(
                "sheet \"{}\" is renamed \"{new}\": Excel allows no such sheet name \
                 (at most 31 characters, none of : \\ / ? * [ ]); formulas and names \
                 referring to it follow",
                old.escape_debug()
            )
        })
        .collect()
}

/// A copy of `workbook` with the sheets renamed as `fixes` says, in its
/// formulas (when `formulas`: the patcher renames in the package's XML
/// itself), defined names, tables and internal links.
pub(crate) fn renamed(
    workbook: &Workbook,
    fixes: &[(String, String)],
    formulas: bool,
) -> crate::Result<Workbook> {
    let mut copy = workbook.clone();
    for (old, new) in fixes {
        // Rename the entry by position: the old name may be one the model
        // cannot look up by (it is not a valid name).
        let Some(i) = copy.sheets.iter().position(|s| &s.name == old) else {
            continue;
        };
        let interim = format!("\u{1}{i}");
        copy.sheets[i].name = interim.clone();
        for t in &mut copy.tables {
            if &t.sheet == old {
                t.sheet = interim.clone();
            }
        }
        for n in &mut copy.names {
            if n.scope.as_ref() == Some(old) {
                n.scope = Some(interim.clone());
            }
        }
        copy.rename_sheet_entry(&interim, new)?;
        for n in &mut copy.names {
            if let Some(text) = rename_sheet(&n.refers_to, old, new) {
                n.refers_to = text;
            }
        }
        for sheet in &mut copy.sheets {
            for link in &mut sheet.hyperlinks {
                // An internal link's target is a reference (`'Sheet'!A1`),
                // with or without a leading `#`.
                let lower = link.target.to_ascii_lowercase();
                let external = lower.contains("://")
                    || ["mailto:", "file:", "tel:"]
                        .iter()
                        .any(|p| lower.starts_with(p));
                let hash = if link.target.starts_with('#') {
                    "#"
                } else {
                    ""
                };
                if !external {
                    let reference = link.target.trim_start_matches('#');
                    if let Some(text) = rename_sheet(reference, old, new) {
                        link.target = format!("{hash}{text}");
                    }
                }
            }
            if !formulas {
                continue;
            }
            let changed: Vec<_> = sheet
                .cells()
                .filter_map(|(addr, cell)| {
                    let text = rename_sheet(&cell.formula_text(addr)?, old, new)?;
                    Some((addr, text, cell.value.clone()))
                })
                .collect();
            for (addr, text, value) in changed {
                sheet.set_formula(addr, &text, value);
            }
        }
    }
    Ok(copy)
}

/// Whether a name holds a character no XML document may hold, or one
/// Excel does not show.
fn has_control(name: &str) -> bool {
    name.chars().any(char::is_control)
}

/// `name` mended to Excel's rules (the `index`-th sheet's): forbidden and
/// control characters become `_`, apostrophes at either end go, and the
/// rest is cut to 31 characters.
fn mended(name: &str, index: usize) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if ":\\/?*[]".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut out: String = cleaned
        .trim_matches('\'')
        .chars()
        .take(MAX_SHEET_NAME)
        .collect();
    out = out.trim_end_matches('\'').to_string();
    if out.is_empty() {
        out = format!("Sheet{}", index + 1);
    }
    if out.eq_ignore_ascii_case("history") {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CellAddr, DefinedName, Value};

    #[test]
    fn long_and_forbidden_names_are_mended_uniquely() {
        let mut wb = Workbook::new();
        let long = "Quarterly revenue by region and product line";
        for name in [long, "Quarterly revenue by region and", "a/b", "Data"] {
            wb.sheets.push(crate::model::Sheet::new(name));
        }
        wb.sheets
            .push(crate::model::Sheet::new(format!("{long} 2")));
        let fixes = sheet_name_fixes(&wb);
        assert_eq!(
            fixes,
            [
                (
                    long.to_string(),
                    "Quarterly revenue by region a~2".to_string()
                ),
                ("a/b".to_string(), "a_b".to_string()),
                (
                    format!("{long} 2"),
                    "Quarterly revenue by region a~3".to_string()
                ),
            ]
        );
        for (_, new) in &fixes {
            validate_sheet_name(new).unwrap();
        }
    }

    #[test]
    fn formulas_and_names_follow_the_renamed_sheet() {
        let long = "A sheet name longer than thirty-one";
        let mut wb = Workbook::new();
        wb.sheets.push(crate::model::Sheet::new(long));
        wb.sheets.push(crate::model::Sheet::new("Sum"));
        wb.sheets[1].set_formula(
            CellAddr::new(0, 0),
            &format!("SUM('{long}'!A1:A3)"),
            Value::Empty,
        );
        wb.names.push(DefinedName {
            name: "Rate".into(),
            scope: Some(long.into()),
            refers_to: format!("'{long}'!$B$1"),
        });
        let fixes = sheet_name_fixes(&wb);
        let copy = renamed(&wb, &fixes, true).unwrap();
        let new = "A sheet name longer than thirty";
        assert_eq!(copy.sheets[0].name, new);
        assert_eq!(
            copy.sheets[1]
                .cell(CellAddr::new(0, 0))
                .unwrap()
                .formula_text(CellAddr::new(0, 0))
                .as_deref(),
            Some(format!("SUM('{new}'!A1:A3)").as_str())
        );
        assert_eq!(copy.names[0].scope.as_deref(), Some(new));
        assert_eq!(copy.names[0].refers_to, format!("'{new}'!$B$1"));
    }
}
