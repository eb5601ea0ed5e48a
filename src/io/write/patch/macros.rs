//! A macro-free copy of an .xlsm: what `convert book.xlsm -o book.xlsx`
//! leaves out. Excel refuses a package named .xlsx that holds a VBA
//! project or declares its workbook macro-enabled, so the project part,
//! the parts only it points at (its signatures) and its relationship go,
//! and the workbook part gets the plain workbook content type.

use super::zip_io::SourcePackage;
use crate::io::ooxml::part_names::{rels_part_for, resolve_target};
use crate::io::ooxml::relationships::{parse_rels, Relationship};
use crate::io::ooxml::PackageError;
use std::collections::HashSet;

/// The content type of a workbook part without macros.
pub(super) const CT_PLAIN_WORKBOOK: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

/// The VBA project of a package: its parts (with their relationship
/// parts) and the ids of the workbook relationships pointing at it.
pub(super) struct VbaProject {
    /// Parts to leave out.
    pub parts: HashSet<String>,
    /// Workbook relationship ids to leave out.
    pub rids: HashSet<String>,
}

/// Finds the VBA project the workbook part `wb_part` points at through
/// `wb_rels`; empty when there is none.
pub(super) fn vba_project(
    package: &mut SourcePackage,
    wb_part: &str,
    wb_rels: &[Relationship],
) -> Result<VbaProject, PackageError> {
    let mut project = VbaProject {
        parts: HashSet::new(),
        rids: HashSet::new(),
    };
    for rel in wb_rels.iter().filter(|r| r.is("vbaProject") && !r.external) {
        project.rids.insert(rel.id.clone());
        let part = resolve_target(wb_part, &rel.target);
        let rels_part = rels_part_for(&part);
        // Its own relationships point at the project's signatures.
        if let Some(xml) = package.read(&rels_part)? {
            for signature in parse_rels(&xml, &rels_part)? {
                if !signature.external {
                    project
                        .parts
                        .insert(resolve_target(&part, &signature.target));
                }
            }
            project.parts.insert(rels_part);
        }
        project.parts.insert(part);
    }
    Ok(project)
}

/// The content type a VBA project part has.
const CT_VBA_PROJECT: &str = "application/vnd.ms-office.vbaProject";

/// `[Content_Types].xml` without a default content type that makes every
/// `.bin` part a VBA project (Excel writes one in an .xlsm; its other
/// `.bin` parts, such as printer settings, have overrides of their own).
pub(super) fn without_vba_default(xml: &[u8]) -> Result<Vec<u8>, PackageError> {
    crate::io::ooxml::xml::filter_children(
        xml,
        crate::io::ooxml::content_types::CONTENT_TYPES_PART,
        |e| {
            e.local_name().as_ref() == "Default"
                && crate::io::ooxml::xml::attr(e, "ContentType")
                    .is_some_and(|t| t.eq_ignore_ascii_case(CT_VBA_PROJECT))
        },
        b"",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vba_default_goes_and_other_defaults_stay() {
        let xml = br#"<Types xmlns="x"><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default Extension="xml" ContentType="application/xml"/></Types>"#;
        let out = String::from_utf8(without_vba_default(xml).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<Types xmlns="x"><Default Extension="xml" ContentType="application/xml"/></Types>"#
        );
    }
}
