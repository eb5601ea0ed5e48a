//! Patching the workbook part (`xl/workbook.xml`), which the shared
//! [`crate::io::ooxml::workbook`] reads: the sheet list, defined names, the
//! calculation flag and the active tab.

use super::cell::parse_u32;
use crate::io::ooxml::workbook::{WbInfo, PART};
use crate::io::ooxml::xml::{
    attr, next_event, push_escaped, replace_attrs, skip_children, write_start,
};
use crate::io::ooxml::PackageError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// Appends a `<definedName>` element.
pub(super) fn push_defined_name(
    out: &mut Vec<u8>,
    prefix: &str,
    original: Option<&BytesStart<'_>>,
    name: &str,
    local_sheet_id: Option<usize>,
    text: &str,
) {
    let local = local_sheet_id.map(|i| i.to_string());
    let element = match original {
        Some(e) => replace_attrs(
            e,
            &[("name", Some(name)), ("localSheetId", local.as_deref())],
        ),
        None => {
            let mut e = BytesStart::new(format!("{prefix}definedName"));
            e.push_attribute(("name", name));
            if let Some(l) = &local {
                e.push_attribute(("localSheetId", l.as_str()));
            }
            e
        }
    };
    out.push(b'<');
    out.extend_from_slice(element.as_ref().as_bytes());
    out.push(b'>');
    push_escaped(out, text, false);
    out.extend_from_slice(format!("</{prefix}definedName>").as_bytes());
}

/// The changes to make to the workbook part.
pub(super) struct WbEdit {
    /// New content of `<sheets>`, or `None` to keep it.
    pub sheets_xml: Option<Vec<u8>>,
    /// New content of `<definedNames>` (empty: remove the element), or
    /// `None` to keep it.
    pub names_xml: Option<Vec<u8>>,
    /// Whether to ask Excel to recalculate everything on open.
    pub full_calc: bool,
    /// Number of sheets after the patch (to keep the active tab valid).
    pub sheet_count: usize,
}

/// Elements of `<workbook>` that come after `<calcPr>` in schema order.
const AFTER_CALC_PR: &[&str] = &[
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
];

/// Streams the workbook part applying `edit`.
pub(super) fn rewrite_workbook(
    xml: &[u8],
    info: &WbInfo,
    edit: &WbEdit,
) -> Result<Vec<u8>, PackageError> {
    let p = info.prefix.as_str();
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 512));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut names_done = edit.names_xml.as_ref().is_none_or(|n| n.is_empty());
    let mut calc_done = !edit.full_calc;
    let write_err = |e: std::io::Error| PackageError::part(PART, e);
    let insert_names = |out: &mut Vec<u8>, done: &mut bool| {
        if !*done {
            if let Some(names) = &edit.names_xml {
                out.extend_from_slice(format!("<{p}definedNames>").as_bytes());
                out.extend_from_slice(names);
                out.extend_from_slice(format!("</{p}definedNames>").as_bytes());
            }
            *done = true;
        }
    };
    loop {
        let event = next_event(&mut reader, &mut buf, PART)?;
        let (e, empty) = match event {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    insert_names(writer.get_mut(), &mut names_done);
                    if !calc_done {
                        writer.get_mut().extend_from_slice(
                            format!("<{p}calcPr fullCalcOnLoad=\"1\"/>").as_bytes(),
                        );
                        calc_done = true;
                    }
                }
                writer.write_event(Event::End(e)).map_err(write_err)?;
                continue;
            }
            other => {
                writer.write_event(other).map_err(write_err)?;
                continue;
            }
        };
        let local = e.local_name().as_ref().to_string();
        if depth == 1 {
            if local == "calcPr" || AFTER_CALC_PR.contains(&local.as_str()) {
                insert_names(writer.get_mut(), &mut names_done);
            }
            if AFTER_CALC_PR.contains(&local.as_str()) && !calc_done {
                writer
                    .get_mut()
                    .extend_from_slice(format!("<{p}calcPr fullCalcOnLoad=\"1\"/>").as_bytes());
                calc_done = true;
            }
        }
        let replacement: Option<&Vec<u8>> = match local.as_str() {
            "sheets" if depth == 1 => edit.sheets_xml.as_ref(),
            "definedNames" if depth == 1 => edit.names_xml.as_ref(),
            _ => None,
        };
        if let Some(content) = replacement {
            if !empty {
                skip_children(&mut reader, PART)?;
            }
            if local == "definedNames" {
                names_done = true;
                if content.is_empty() {
                    continue;
                }
            }
            let name = e.name().as_ref().to_string();
            let out = writer.get_mut();
            out.extend_from_slice(format!("<{name}>").as_bytes());
            out.extend_from_slice(content);
            out.extend_from_slice(format!("</{name}>").as_bytes());
            continue;
        }
        let e = match local.as_str() {
            "calcPr" if depth == 1 && edit.full_calc => {
                calc_done = true;
                replace_attrs(&e, &[("fullCalcOnLoad", Some("1"))])
            }
            "workbookView" => {
                let mut changes: Vec<(&str, Option<&str>)> = Vec::new();
                for key in ["activeTab", "firstSheet"] {
                    let v = attr(&e, key).and_then(|v| parse_u32(v.as_bytes()));
                    if v.is_some_and(|v| v as usize >= edit.sheet_count) {
                        changes.push((key, Some("0")));
                    }
                }
                if changes.is_empty() {
                    e
                } else {
                    replace_attrs(&e, &changes)
                }
            }
            _ => e,
        };
        write_start(&mut writer, e, empty, &mut depth).map_err(write_err)?;
    }
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::ooxml::workbook::parse_workbook;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="2"/></bookViews><sheets><sheet name="A &amp; B" sheetId="1" r:id="rId1"/><sheet name="C" sheetId="3" state="hidden" r:id="rId2"/><sheet name="D" sheetId="4" r:id="rId3"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'A &amp; B'!$A$1:$B$3</definedName><definedName name="Rate">C!$B$1</definedName></definedNames><pivotCaches><pivotCache cacheId="1" r:id="rId9"/></pivotCaches></workbook>"#;

    #[test]
    fn calc_flag_is_inserted_in_schema_order() {
        let info = parse_workbook(XML.as_bytes()).unwrap();
        let edit = WbEdit {
            sheets_xml: None,
            names_xml: None,
            full_calc: true,
            sheet_count: 2,
        };
        let out =
            String::from_utf8(rewrite_workbook(XML.as_bytes(), &info, &edit).unwrap()).unwrap();
        assert!(
            out.contains(r#"</definedNames><calcPr fullCalcOnLoad="1"/><pivotCaches>"#),
            "{out}"
        );
        assert!(out.contains(r#"<workbookView activeTab="0"/>"#), "{out}");
        let mut names = Vec::new();
        push_defined_name(&mut names, "", None, "Rate", Some(1), "D!$B$1");
        let edit = WbEdit {
            sheets_xml: Some(b"<sheet name=\"X\" sheetId=\"1\" r:id=\"rId1\"/>".to_vec()),
            names_xml: Some(names),
            full_calc: false,
            sheet_count: 3,
        };
        let out =
            String::from_utf8(rewrite_workbook(XML.as_bytes(), &info, &edit).unwrap()).unwrap();
        assert!(out.contains(r#"<sheets><sheet name="X" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="Rate" localSheetId="1">D!$B$1</definedName></definedNames><pivotCaches>"#), "{out}");
    }
}
