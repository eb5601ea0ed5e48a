//! Workbooks with Excel 4 macro sheets (`xl/macrosheets/`), which
//! calamine refuses outright when it opens the workbook. The metadata copy
//! calamine reads ([`super::package::Package::metadata_copy`]) declares
//! each macro sheet a worksheet, so calamine gives the sheet list, the
//! 1904 flag and the cell formats as always; the reader then skips the
//! macro sheets (programs, not data) with a warning.

use crate::io::ooxml::part_names::resolve_target;
use crate::io::ooxml::relationships::{parse_rels, REL_WORKSHEET};
use crate::io::ooxml::PackageError;
use std::collections::HashSet;

/// Whether a relationship type names an Excel 4 macro sheet.
fn is_macro_sheet(kind: &str) -> bool {
    let last = kind.rsplit('/').next().unwrap_or("");
    last.eq_ignore_ascii_case("macrosheet")
        || last.eq_ignore_ascii_case("xlMacrosheet")
        || last.eq_ignore_ascii_case("xlIntlMacrosheet")
}

/// The workbook's relationships (`rels`, the part `rels_part` of workbook
/// part `workbook_part`) with every macro sheet declared a worksheet, and
/// the part names of those macro sheets (empty when there are none, the
/// relationships then returned unchanged).
pub(crate) fn declared_as_worksheets(
    rels: Vec<u8>,
    rels_part: &str,
    workbook_part: &str,
) -> Result<(Vec<u8>, HashSet<String>), PackageError> {
    let parsed = parse_rels(&rels, rels_part)?;
    let macro_sheets: HashSet<String> = parsed
        .iter()
        .filter(|r| is_macro_sheet(&r.kind))
        .map(|r| resolve_target(workbook_part, &r.target))
        .collect();
    if macro_sheets.is_empty() {
        return Ok((rels, macro_sheets));
    }
    let mut text = String::from_utf8_lossy(&rels).into_owned();
    for kind in parsed.iter().map(|r| &r.kind).filter(|k| is_macro_sheet(k)) {
        text = text.replace(&format!("\"{kind}\""), &format!("\"{REL_WORKSHEET}\""));
    }
    Ok((text.into_bytes(), macro_sheets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_sheets_are_declared_worksheets_and_named() {
        let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>"#;
        let (out, parts) = declared_as_worksheets(
            rels.to_vec(),
            "xl/_rels/workbook.xml.rels",
            "xl/workbook.xml",
        )
        .unwrap();
        assert_eq!(
            parts.into_iter().collect::<Vec<_>>(),
            ["xl/macrosheets/sheet1.xml"]
        );
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains("xlMacrosheet"), "{out}");
        assert_eq!(out.matches(REL_WORKSHEET).count(), 2, "{out}");
    }

    #[test]
    fn a_workbook_without_macro_sheets_is_left_alone() {
        let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let (out, parts) = declared_as_worksheets(
            rels.to_vec(),
            "xl/_rels/workbook.xml.rels",
            "xl/workbook.xml",
        )
        .unwrap();
        assert!(parts.is_empty());
        assert_eq!(out, rels);
    }
}
