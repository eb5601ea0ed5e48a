//! Excel 97-2003 (.xls) through calamine: values, formulas, merged ranges,
//! workbook-wide defined names and the 1904 date system; hidden rows and
//! the autoFilter from the file's own records (biff.rs); shared and array
//! formulas, which calamine skips, written out into their cells before
//! calamine reads the file (shared_formulas.rs); the comparisons calamine
//! decodes transposed (`>` for `>=`) put right.

pub(super) mod biff;
mod references;
mod shared_formulas;

use super::calamine_common::{
    open_book_from, range_addr, skipped_sheet_features, workbook_names, FORMULA_EXPANSION_BUDGET,
};
use super::{ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::address::quote_sheet_name;
use crate::model::workbook::BUILTIN_NAMES;
use crate::model::{DefinedName, Workbook};
use calamine::{Reader, Xls};
use std::io::Cursor;
use std::path::Path;

/// Reader for BIFF (.xls) workbooks.
pub(crate) struct XlsReader;

impl WorkbookReader for XlsReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let globals = biff::read_globals(path);
        if globals.as_ref().is_some_and(|g| g.xor_obfuscated) {
            // calamine takes the obfuscated records for plain ones and
            // stops on nonsense such as "Codepage D7CC not found".
            return Err(Error::unreadable(
                path,
                super::calamine_common::password_protected("XOR-obfuscated"),
            ));
        }
        biff::check_sheet_sizes(path, &options.limits)
            .map_err(|over| over.refusal(path, &options.limits))?;
        let file = std::fs::read(path)
            .map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
        let expanded = shared_formulas::expand(
            file,
            FORMULA_EXPANSION_BUDGET.min(options.limits.max_text_bytes),
        );
        let (mut book, mut wb) = open_book_from::<Xls<Cursor<Vec<u8>>>, _>(
            path,
            Cursor::new(expanded.file),
            options,
            |b| b.has_1904_epoch(),
        )?;
        expanded.written.place(&mut wb);
        for (name, table) in expanded.data_tables {
            if let Some(sheet) = wb.sheets.iter_mut().find(|s| s.name == name) {
                if table.sources(table.range.start).is_none() {
                    wb.read_notes
                        .push(super::data_table_note(&name, table.range));
                }
                wb.package_features
                    .push(super::data_table_feature(&name, table.range));
                sheet.data_tables.push(table);
            }
        }
        for sheet in &mut wb.sheets {
            if let Ok(merged) = book.merge_cells_by_sheet_name(&sheet.name) {
                sheet.merged = merged.iter().map(range_addr).collect();
            }
        }
        put_references_right(&mut wb, expanded.references);
        super::calamine_common::put_comparisons_right(&mut wb);
        quote_formula_sheets(&mut wb);
        let all_sheets: Vec<String> = book
            .sheets_metadata()
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let sheet_names: Vec<String> = wb.sheet_names().iter().map(|s| s.to_string()).collect();
        let defined = workbook_names(book.defined_names());
        // Each name's sheet, where the scan found one Lbl record per name.
        let scopes: Vec<Option<String>> = match &globals {
            Some(g) if g.name_sheets.len() == defined.len() => g
                .name_sheets
                .iter()
                .map(|&i| all_sheets.get(usize::from(i).checked_sub(1)?).cloned())
                .collect(),
            _ => Vec::new(),
        };
        let (names, unreadable) = xls_names(defined, &scopes, &sheet_names);
        wb.names = names;
        wb.package_features.extend(unreadable);
        let hidden: Vec<_> = biff::hidden_rows(path)
            .into_iter()
            .map(|rows| {
                let filter = rows
                    .auto_filter
                    .then(|| super::calamine_common::filter_database(&wb, &rows.name))
                    .flatten();
                (rows.name, rows.hidden, filter)
            })
            .collect();
        super::calamine_common::place_hidden_rows(&mut wb, hidden);
        wb.package_features
            .extend(skipped_sheet_features(book.sheets_metadata()));
        if globals.map_or_else(|| has_vba_project(&mut book), |g| g.has_vba) {
            wb.package_features
                .push(crate::model::workbook::VBA_MACROS.to_string());
        }
        if wb.sheets.is_empty() {
            return Err(Error::unreadable(path, "the workbook has no worksheets"));
        }
        Ok(wb)
    }
}

/// Writes the references to other sheets into the formulas calamine
/// printed with markers in their place (references.rs).
fn put_references_right(
    wb: &mut Workbook,
    references: Vec<(String, crate::model::CellAddr, Vec<String>)>,
) {
    for (name, addr, texts) in references {
        let Some(sheet) = wb.sheets.iter_mut().find(|s| s.name == name) else {
            continue;
        };
        let Some(mut cell) = sheet.cell(addr).cloned() else {
            continue;
        };
        let Some(text) = cell.formula_text(addr) else {
            continue;
        };
        cell.formula = Some(references::put_markers_right(&text, &texts).into());
        sheet.load_cell(addr, cell);
    }
}

/// Whether calamine finds a VBA project: a project it cannot parse (an
/// error, even a panic) is still one, named so that no writer drops it
/// silently, and never stops the cells from being read.
fn has_vba_project(book: &mut Xls<Cursor<Vec<u8>>>) -> bool {
    let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| book.vba_project()));
    !matches!(found, Ok(Ok(None)))
}

/// calamine writes a reference to another sheet as `Orig Sched!A1`,
/// which is no formula when the name needs quotes (a space, a dash):
/// every formula gets its sheet names quoted as Excel writes them.
fn quote_formula_sheets(wb: &mut Workbook) {
    let mut quoted: Vec<(String, String)> = wb
        .sheets
        .iter()
        .map(|s| {
            (
                format!("{}!", s.name),
                format!("{}!", quote_sheet_name(&s.name)),
            )
        })
        .filter(|(plain, quoted)| plain != quoted)
        .collect();
    if quoted.is_empty() {
        return;
    }
    // At one place the longest name wins ("My Sheet 1" over "Sheet 1").
    quoted.sort_by_key(|(plain, _)| std::cmp::Reverse(plain.len()));
    super::calamine_common::rewrite_formulas(wb, |formula| with_quoted_sheets(formula, &quoted));
}

/// `formula` with each `plain` sheet prefix that starts a token (outside
/// string literals and quoted names) replaced by its `quoted` form;
/// `None` when there is none.
fn with_quoted_sheets(formula: &str, quoted: &[(String, String)]) -> Option<String> {
    let mut out = String::with_capacity(formula.len() + 8);
    let mut changed = false;
    let mut in_string = false;
    let mut in_quote = false;
    let mut token_start = true;
    let mut rest = formula;
    while let Some(c) = rest.chars().next() {
        if !in_string && !in_quote && token_start {
            if let Some((plain, q)) = quoted.iter().find(|(p, _)| rest.starts_with(p.as_str())) {
                out.push_str(q);
                rest = &rest[plain.len()..];
                changed = true;
                token_start = false;
                continue;
            }
        }
        match c {
            '"' if !in_quote => in_string = !in_string,
            '\'' if !in_string => in_quote = !in_quote,
            _ => {}
        }
        token_start = !in_string && !in_quote && "(,=+-*/&^<>;{% :".contains(c);
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    changed.then_some(out)
}

/// calamine's xls names in the form an xlsx file holds them, so that an
/// xls read and the xlsx written from it give the same model: built-in
/// names (stored as a control character) become `_xlnm.Print_Area` and
/// the like, local to the sheet they point at; sheet names with spaces in
/// a reference are quoted (`'Orig Sched'!$A$1`: unquoted, it is no
/// formula); whole rows and columns (`$A$1:$IV$9`, BIFF8's full width)
/// are written as `$1:$9`. `scopes` holds each name's sheet (`None`
/// for a workbook-wide name; empty when unknown): two sheets may each
/// have a name of their own called the same. Names whose formula calamine
/// cannot decode (it gives `Unsupported ptg: ..` as the text), and a
/// second name of the same scope and name, are left out and returned as
/// package features, so writers warn instead of writing a name Excel
/// would reject.
fn xls_names(
    names: Vec<DefinedName>,
    scopes: &[Option<String>],
    sheets: &[String],
) -> (Vec<DefinedName>, Vec<String>) {
    let mut kept: Vec<DefinedName> = Vec::new();
    let mut unreadable = Vec::new();
    for (i, mut n) in names.into_iter().enumerate() {
        let mut chars = n.name.chars();
        let builtin = match (chars.next(), chars.next()) {
            (Some(c), None) => BUILTIN_NAMES.get(c as usize).copied(),
            _ => None,
        };
        if n.refers_to.starts_with("Unsupported ptg") {
            let shown = builtin.map_or_else(|| n.name.clone(), |b| format!("_xlnm.{b}"));
            unreadable.push(format!(
                "defined name {shown} (its formula could not be read)"
            ));
            continue;
        }
        let mut sheet = None;
        if let Some((prefix, rest)) = n.refers_to.split_once('!') {
            if sheets.iter().any(|s| s == prefix) {
                sheet = Some(prefix.to_string());
                n.refers_to = format!("{}!{}", quote_sheet_name(prefix), full_lines(rest));
            }
        }
        let scope = scopes.get(i).cloned().flatten();
        if let Some(b) = builtin {
            n.name = format!("_xlnm.{b}");
            n.scope = scope.or(sheet);
        } else {
            n.scope = scope;
        }
        let twice = kept
            .iter()
            .any(|k| k.scope == n.scope && k.name.eq_ignore_ascii_case(&n.name));
        if twice {
            let whose = n
                .scope
                .as_deref()
                .map_or_else(|| "the workbook".to_string(), |s| format!("sheet \"{s}\""));
            unreadable.push(format!(
                "defined name {} (a second name of that name for {whose})",
                n.name
            ));
            continue;
        }
        kept.push(n);
    }
    (kept, unreadable)
}

/// `$A$1:$IV$9` as `$1:$9` and `$B$1:$C$65536` as `$B:$C`: BIFF8 has no
/// whole-row or whole-column reference and stores them as these ranges.
fn full_lines(range: &str) -> String {
    let Some((a, b)) = range.split_once(':') else {
        return range.to_string();
    };
    let split = |cell: &str| -> Option<(String, String)> {
        let t = cell.strip_prefix('$')?;
        let i = t.find('$')?;
        Some((t[..i].to_string(), t[i + 1..].to_string()))
    };
    match (split(a), split(b)) {
        (Some((c1, r1)), Some((c2, r2))) if c1 == "A" && c2 == "IV" => format!("${r1}:${r2}"),
        (Some((c1, r1)), Some((c2, r2))) if r1 == "1" && r2 == "65536" => format!("${c1}:${c2}"),
        _ => range.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(name: &str, refers_to: &str) -> DefinedName {
        DefinedName {
            name: name.into(),
            scope: None,
            refers_to: refers_to.into(),
        }
    }

    #[test]
    fn names_take_their_xlsx_form() {
        let sheets = vec!["Orig Sched".to_string(), "Data".to_string()];
        let (names, unreadable) = xls_names(
            vec![
                name("\u{6}", "Orig Sched!$A$1:$P$38"),
                name("\u{7}", "Orig Sched!$A$1:$IV$9"),
                name("\u{7}", "Data!$A$1:$B$65536"),
                name("\r", "#REF!$B$18:$U$18"),
                name("TITLE", "Orig Sched!$A$1:$O$9"),
                name("_Order1", "Unsupported ptg: 1e"),
            ],
            &[],
            &sheets,
        );
        let shown: Vec<String> = names
            .iter()
            .map(|n| format!("{:?} {} = {}", n.scope, n.name, n.refers_to))
            .collect();
        assert_eq!(
            shown,
            [
                "Some(\"Orig Sched\") _xlnm.Print_Area = 'Orig Sched'!$A$1:$P$38",
                "Some(\"Orig Sched\") _xlnm.Print_Titles = 'Orig Sched'!$1:$9",
                "Some(\"Data\") _xlnm.Print_Titles = Data!$A:$B",
                "None _xlnm._FilterDatabase = #REF!$B$18:$U$18",
                "None TITLE = 'Orig Sched'!$A$1:$O$9",
            ]
        );
        assert_eq!(unreadable.len(), 1);
        assert!(unreadable[0].contains("_Order1"), "{unreadable:?}");
    }

    #[test]
    fn names_of_one_name_keep_their_sheets() {
        // Two sheets each with their own Business_Line, as Excel allows;
        // a true duplicate is left out with a word.
        let sheets = vec!["Loans".to_string(), "Look-Up".to_string()];
        let scopes = [
            None,
            Some("Loans".to_string()),
            Some("Look-Up".to_string()),
            Some("Look-Up".to_string()),
        ];
        let (names, unreadable) = xls_names(
            vec![
                name("Business_Line", "Look-Up!$A$6:$A$12"),
                name("Business_Line", "Look-Up!$A$6:$A$12"),
                name("Business_Line", "Look-Up!$A$6:$A$12"),
                name("business_line", "Look-Up!$A$1"),
            ],
            &scopes,
            &sheets,
        );
        let shown: Vec<String> = names
            .iter()
            .map(|n| format!("{:?} {}", n.scope, n.name))
            .collect();
        assert_eq!(
            shown,
            [
                "None Business_Line",
                "Some(\"Loans\") Business_Line",
                "Some(\"Look-Up\") Business_Line"
            ]
        );
        assert_eq!(
            unreadable,
            ["defined name business_line (a second name of that name for sheet \"Look-Up\")"]
        );
    }

    #[test]
    fn formulas_quote_the_sheet_names_that_need_it() {
        let quoted = [
            ("My Sheet 1!".to_string(), "'My Sheet 1'!".to_string()),
            ("Sheet 1!".to_string(), "'Sheet 1'!".to_string()),
        ];
        assert_eq!(
            with_quoted_sheets("SUM(Sheet 1!A1,My Sheet 1!B2)&\"Sheet 1!\"", &quoted).as_deref(),
            Some("SUM('Sheet 1'!A1,'My Sheet 1'!B2)&\"Sheet 1!\"")
        );
        assert_eq!(with_quoted_sheets("'Sheet 1'!A1+Data!A1", &quoted), None);
    }
}
