//! Dynamic-array formulas written back stay dynamic: their cells carry the
//! `cm` of the package's dynamic-array cell metadata, and a package that
//! has no metadata part gains one (with its relationship and content
//! type). Legacy array formulas are written with `t="array"` alone.

use super::zip_io::SourcePackage;
use crate::io::ooxml::metadata::{
    dynamic_array_cell_metadata, DYNAMIC_ARRAY_CM, DYNAMIC_ARRAY_METADATA, METADATA_CONTENT_TYPE,
    REL_SHEET_METADATA,
};
use crate::io::ooxml::part_names::{relative_target, resolve_target};
use crate::io::ooxml::relationships::Relationship;
use crate::io::ooxml::PackageError;
use crate::model::Workbook;
use std::collections::HashSet;

/// What writing the workbook's dynamic-array formulas takes.
#[derive(Debug, Default)]
pub(super) struct DynamicArrayPlan {
    /// The `cm` that marks a dynamic-array formula; `None` when none is
    /// written or the package cannot mark one.
    pub cm: Option<u32>,
    /// A metadata part to add: its name and content.
    pub new_part: Option<(String, Vec<u8>)>,
    /// The workbook relationship to it: (id, type, target).
    pub rel: Option<(String, String, String)>,
}

/// Plans the dynamic-array formulas of the changed cells of `workbook`
/// (every cell of a new sheet): the package's own dynamic-array `cm` when
/// its metadata part has one, else a new metadata part. A metadata part
/// without a dynamic-array record (rich values only) is left as it is and
/// the formulas are written as legacy arrays over their spill, with a
/// warning.
pub(super) fn plan_dynamic_arrays(
    package: &mut SourcePackage,
    workbook: &Workbook,
    wb_part: &str,
    wb_rels: &[Relationship],
    taken_rids: &[&str],
    entry_set: &HashSet<String>,
    warnings: &mut Vec<String>,
) -> Result<DynamicArrayPlan, PackageError> {
    let written = workbook.sheets.iter().any(|sheet| {
        sheet.array_formulas.iter().any(|(addr, f)| {
            f.is_dynamic()
                && (sheet.origin.is_none() || sheet.changed_cells().contains(addr))
                && sheet.cell(*addr).is_some_and(|c| c.formula.is_some())
        })
    });
    if !written {
        return Ok(DynamicArrayPlan::default());
    }
    if let Some(rel) = wb_rels.iter().find(|r| r.kind == REL_SHEET_METADATA) {
        let part = resolve_target(wb_part, &rel.target);
        if let Some(xml) = package.read(&part)? {
            let cm = dynamic_array_cell_metadata(&xml, &part)?.into_iter().min();
            if cm.is_none() {
                warnings.push(format!(
                    "{part} has no dynamic-array record, so the dynamic-array formulas \
                     written were saved as legacy (Ctrl+Shift+Enter) arrays over the cells \
                     they spilled into: Excel shows the same values but will not resize them"
                ));
            }
            return Ok(DynamicArrayPlan {
                cm,
                ..Default::default()
            });
        }
    }
    let dir = wb_part.rfind('/').map_or("", |i| &wb_part[..=i]);
    let name = (1..)
        .map(|n| match n {
            1 => format!("{dir}metadata.xml"),
            n => format!("{dir}metadata{n}.xml"),
        })
        .find(|n| !entry_set.iter().any(|e| e.eq_ignore_ascii_case(n)))
        .unwrap_or_default();
    let rid = (1..)
        .map(|n| format!("rId{n}"))
        .find(|id| !wb_rels.iter().any(|r| r.id == *id) && !taken_rids.contains(&id.as_str()))
        .unwrap_or_default();
    Ok(DynamicArrayPlan {
        cm: Some(DYNAMIC_ARRAY_CM),
        rel: Some((
            rid,
            REL_SHEET_METADATA.to_string(),
            relative_target(wb_part, &name),
        )),
        new_part: Some((name, DYNAMIC_ARRAY_METADATA.as_bytes().to_vec())),
    })
}

/// The content type to declare for the plan's new part, if any.
pub(super) fn content_type(plan: &DynamicArrayPlan) -> Option<(String, String)> {
    plan.new_part
        .as_ref()
        .map(|(name, _)| (name.clone(), METADATA_CONTENT_TYPE.to_string()))
}
