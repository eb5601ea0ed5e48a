//! Workbooks with Excel 4 macro sheets (`xl/macrosheets/`), which
//! calamine refuses outright when it opens the workbook. What the reader
//! needs from calamine (the sheet list, the 1904 flag, the cell formats)
//! is then read from a small stand-in package built in memory: the
//! workbook part, its relationships with each macro sheet's declared a
//! worksheet's, the styles, and an empty part for every sheet. The
//! worksheets are read from the real package as always; the macro sheets
//! (programs, not data) are skipped with a warning.

use crate::io::ooxml::package::{read_bounded, zip_names};
use crate::io::ooxml::part_names::{part_key, rels_part_for, resolve_target};
use crate::io::ooxml::relationships::{parse_rels, REL_WORKSHEET};
use crate::io::ooxml::PackageError;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Seek, Write};

/// Largest part copied into the stand-in (workbook, relationships,
/// styles).
const MAX_PART: u64 = 64 << 20;

/// The stand-in package's bytes, and the part names of the macro sheets.
pub(crate) type StandIn = (Vec<u8>, HashSet<String>);

/// The stand-in package of the workbook in `zip`; `None` when it has no
/// macro sheet.
pub(crate) fn stand_in<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> Result<Option<StandIn>, PackageError> {
    let lookup: HashMap<String, String> = zip_names(zip)
        .into_iter()
        .map(|n| (part_key(&n), n))
        .collect();
    let mut read = |part: &str| -> Result<Option<Vec<u8>>, PackageError> {
        match lookup.get(&part_key(part)) {
            Some(name) => read_bounded(zip, name, part, MAX_PART),
            None => Ok(None),
        }
    };
    let Some(root_rels) = read("_rels/.rels")? else {
        return Ok(None);
    };
    let wb_part = parse_rels(&root_rels, "_rels/.rels")?
        .iter()
        .find(|r| r.is("officeDocument"))
        .map(|r| resolve_target("", &r.target))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let wb_rels_part = rels_part_for(&wb_part);
    let (Some(wb_xml), Some(wb_rels)) = (read(&wb_part)?, read(&wb_rels_part)?) else {
        return Ok(None);
    };
    let rels = parse_rels(&wb_rels, &wb_rels_part)?;
    let is_macro_sheet = |kind: &str| {
        let last = kind.rsplit('/').next().unwrap_or("");
        last.eq_ignore_ascii_case("macrosheet")
            || last.eq_ignore_ascii_case("xlMacrosheet")
            || last.eq_ignore_ascii_case("xlIntlMacrosheet")
    };
    let macro_sheets: HashSet<String> = rels
        .iter()
        .filter(|r| is_macro_sheet(&r.kind))
        .map(|r| resolve_target(&wb_part, &r.target))
        .collect();
    if macro_sheets.is_empty() {
        return Ok(None);
    }
    let mut rels_text = String::from_utf8_lossy(&wb_rels).into_owned();
    for kind in rels.iter().map(|r| &r.kind).filter(|k| is_macro_sheet(k)) {
        rels_text = rels_text.replace(&format!("\"{kind}\""), &format!("\"{REL_WORKSHEET}\""));
    }
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("_rels/.rels".to_string(), root_rels),
        (wb_part.clone(), wb_xml),
        (wb_rels_part, rels_text.into_bytes()),
    ];
    for rel in &rels {
        let part = resolve_target(&wb_part, &rel.target);
        if rel.is("styles") {
            if let Some(xml) = read(&part)? {
                parts.push((part, xml));
            }
        } else if rel.is("worksheet") || is_macro_sheet(&rel.kind) {
            let empty = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#;
            parts.push((part, empty.as_bytes().to_vec()));
        }
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let write_error =
        |e: &dyn std::fmt::Display| PackageError::part("stand-in package", e.to_string());
    for (name, bytes) in parts {
        out.start_file(name, stored).map_err(|e| write_error(&e))?;
        out.write_all(&bytes).map_err(|e| write_error(&e))?;
    }
    let bytes = out.finish().map_err(|e| write_error(&e))?.into_inner();
    Ok(Some((bytes, macro_sheets)))
}
