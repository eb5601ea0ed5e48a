//! The workbook's metadata part (`xl/metadata.xml`), as far as dynamic
//! arrays need it: which cell metadata records (a cell's `cm="N"`) mark a
//! formula as a dynamic-array formula, and the part to add when a package
//! that has none gains one.
//!
//! A cell's `cm` is a one-based index into `cellMetadata`'s blocks (MS-OI29500
//! says so where ECMA-376 is silent). A block's record `<rc t v>` names a
//! metadata type by its one-based position in `metadataTypes` and, for a
//! type of that name, the zero-based block `v` of `futureMetadata`. The
//! `XLDAPR` type's future blocks hold, in an extension, the
//! `dynamicArrayProperties` whose `fDynamic="1"` makes the formula dynamic;
//! an array formula without it is a legacy (Ctrl+Shift+Enter) one.

use super::xml::attr;
use super::PackageError;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashSet;

/// The relationship type from the workbook part to its metadata part.
pub(crate) const REL_SHEET_METADATA: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata";

/// The content type of a metadata part.
pub(crate) const METADATA_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml";

/// The metadata type that carries dynamic-array properties.
const DYNAMIC_ARRAY_TYPE: &str = "XLDAPR";

/// The `cm` value [`DYNAMIC_ARRAY_METADATA`] gives dynamic-array formulas.
pub(crate) const DYNAMIC_ARRAY_CM: u32 = 1;

/// A metadata part holding one cell metadata record, number
/// [`DYNAMIC_ARRAY_CM`], that marks a formula as a dynamic array: what a
/// package gets when a dynamic-array formula is written into it and it has
/// no metadata part of its own.
pub(crate) const DYNAMIC_ARRAY_METADATA: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
    r#"xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">"#,
    r#"<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" "#,
    r#"copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" "#,
    r#"clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>"#,
    r#"<futureMetadata name="XLDAPR" count="1"><bk><extLst>"#,
    r#"<ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">"#,
    r#"<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk>"#,
    r#"</futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata>"#,
    r#"</metadata>"#
);

/// Where the parser is inside the part.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    Other,
    DynamicFuture,
    CellMetadata,
}

/// The `cm` values (one-based) whose cell metadata marks a formula as a
/// dynamic-array formula.
pub(crate) fn dynamic_array_cell_metadata(
    xml: &[u8],
    part: &str,
) -> Result<HashSet<u32>, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut type_names: Vec<String> = Vec::new();
    // Per future block of the dynamic-array type: whether it says fDynamic.
    let mut future_dynamic: Vec<bool> = Vec::new();
    // Per cell metadata block: its records (type, value index).
    let mut cell_blocks: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut section = Section::Other;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| PackageError::xml(part, e))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    "metadataType" => type_names.push(attr(e, "name").unwrap_or_default()),
                    "futureMetadata" if !empty => {
                        section = if attr(e, "name").as_deref() == Some(DYNAMIC_ARRAY_TYPE) {
                            Section::DynamicFuture
                        } else {
                            Section::Other
                        }
                    }
                    "cellMetadata" if !empty => section = Section::CellMetadata,
                    "bk" => match section {
                        Section::DynamicFuture => future_dynamic.push(false),
                        Section::CellMetadata => cell_blocks.push(Vec::new()),
                        Section::Other => {}
                    },
                    "dynamicArrayProperties" if section == Section::DynamicFuture => {
                        let on = attr(e, "fDynamic").is_some_and(|v| v == "1" || v == "true");
                        if let Some(last) = future_dynamic.last_mut() {
                            *last |= on;
                        }
                    }
                    "rc" if section == Section::CellMetadata => {
                        let number = |name| attr(e, name).and_then(|v| v.trim().parse().ok());
                        if let (Some(block), Some(t), Some(v)) =
                            (cell_blocks.last_mut(), number("t"), number("v"))
                        {
                            block.push((t, v));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e)
                if matches!(e.local_name().as_ref(), "futureMetadata" | "cellMetadata") =>
            {
                section = Section::Other
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let is_dynamic = |&(t, v): &(u32, u32)| {
        let named = t
            .checked_sub(1)
            .and_then(|i| type_names.get(i as usize))
            .is_some_and(|name| name == DYNAMIC_ARRAY_TYPE);
        named && future_dynamic.get(v as usize).copied().unwrap_or(false)
    };
    Ok(cell_blocks
        .iter()
        .enumerate()
        .filter(|(_, records)| records.iter().any(is_dynamic))
        .map(|(i, _)| i as u32 + 1)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_written_for_new_dynamic_formulas_marks_its_record_dynamic() {
        let found = dynamic_array_cell_metadata(DYNAMIC_ARRAY_METADATA.as_bytes(), "m").unwrap();
        assert_eq!(found, HashSet::from([DYNAMIC_ARRAY_CM]));
    }

    #[test]
    fn only_records_of_the_dynamic_array_type_with_f_dynamic_count() {
        // Type 1 is rich values, type 2 dynamic arrays; future block 0 is
        // not dynamic, block 1 is. Cell block 1 points at type 1, block 2
        // at a non-dynamic future block, block 3 at the dynamic one.
        let xml = r#"<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">
          <metadataTypes count="2"><metadataType name="XLRICHVALUE"/><metadataType name="XLDAPR"/></metadataTypes>
          <futureMetadata name="XLRICHVALUE" count="1"><bk><extLst><ext uri="x"/></extLst></bk></futureMetadata>
          <futureMetadata name="XLDAPR" count="2">
            <bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="0"/></ext></extLst></bk>
            <bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk>
          </futureMetadata>
          <cellMetadata count="3"><bk><rc t="1" v="1"/></bk><bk><rc t="2" v="0"/></bk><bk><rc t="2" v="1"/></bk></cellMetadata>
        </metadata>"#;
        let found = dynamic_array_cell_metadata(xml.as_bytes(), "m").unwrap();
        assert_eq!(found, HashSet::from([3]));
    }

    #[test]
    fn damaged_xml_names_the_part() {
        let err = dynamic_array_cell_metadata(b"<metadata><cellMetadata></bk>", "xl/metadata.xml")
            .unwrap_err();
        assert!(err.to_string().contains("xl/metadata.xml"), "{err}");
    }
}
