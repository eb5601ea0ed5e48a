//! Reading and patching the workbook part (`xl/workbook.xml`): the sheet
//! list, defined names, the calculation flag and the active tab.

use super::cell::{parse_u32, push_escaped};
use super::package::attr_value;
use super::sheet::replace_attrs;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// One `<sheet>` entry of the workbook part.
#[derive(Debug, Clone)]
pub(super) struct WbSheet {
    /// The tab name.
    pub name: String,
    /// `sheetId`.
    pub sheet_id: u32,
    /// The relationship id of its part.
    pub rid: String,
    /// The element as written, to keep attributes we do not model.
    pub element: BytesStart<'static>,
}

/// One `<definedName>` of the workbook part.
#[derive(Debug, Clone)]
pub(super) struct WbName {
    /// The name.
    pub name: String,
    /// Position of the sheet it is local to.
    pub local_sheet_id: Option<usize>,
    /// Its formula text, unescaped.
    pub text: String,
    /// Whether Excel hides it (filter ranges and the like).
    pub hidden: bool,
    /// The element as written.
    pub element: BytesStart<'static>,
}

/// What the workbook part says.
#[derive(Debug, Clone, Default)]
pub(super) struct WbInfo {
    /// Sheets in tab order.
    pub sheets: Vec<WbSheet>,
    /// Defined names in file order.
    pub names: Vec<WbName>,
    /// The namespace prefix of SpreadsheetML elements (`""` or `"x:"`).
    pub prefix: String,
    /// The prefix bound to the relationships namespace (`"r"` usually).
    pub rel_prefix: String,
}

fn xml_err(e: impl std::fmt::Display) -> String {
    format!("workbook part: malformed XML: {e}")
}

/// Parses the sheet list and defined names.
pub(super) fn parse_workbook(xml: &[u8]) -> Result<WbInfo, String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut info = WbInfo {
        rel_prefix: "r".to_string(),
        ..WbInfo::default()
    };
    let mut current_name: Option<WbName> = None;
    let mut root_seen = false;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if !root_seen => {
                root_seen = true;
                let name = e.name().as_ref().to_string();
                if let Some((p, _)) = name.split_once(':') {
                    info.prefix = format!("{p}:");
                }
                for a in e.attributes().with_checks(false).flatten() {
                    if a.value.as_ref()
                        == "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
                    {
                        if let Some(p) = a.key.as_ref().strip_prefix("xmlns:") {
                            info.rel_prefix = p.to_string();
                        }
                    }
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                info.sheets.push(WbSheet {
                    name: attr_value(&e, "name").unwrap_or_default(),
                    sheet_id: attr_value(&e, "sheetId")
                        .and_then(|v| parse_u32(v.as_bytes()))
                        .unwrap_or(0),
                    rid: attr_value(&e, "id").unwrap_or_default(),
                    element: e.into_owned(),
                });
            }
            Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                current_name = Some(WbName {
                    name: attr_value(&e, "name").unwrap_or_default(),
                    local_sheet_id: attr_value(&e, "localSheetId")
                        .and_then(|v| parse_u32(v.as_bytes()))
                        .map(|v| v as usize),
                    text: String::new(),
                    hidden: attr_value(&e, "hidden").is_some_and(|v| v == "1" || v == "true"),
                    element: e.into_owned(),
                });
            }
            Event::Text(t) => {
                if let Some(n) = &mut current_name {
                    n.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(n) = &mut current_name {
                    n.text.push('&');
                    n.text.push_str(&r);
                    n.text.push(';');
                }
            }
            Event::End(e) if e.local_name().as_ref() == "definedName" => {
                if let Some(mut n) = current_name.take() {
                    n.text = quick_xml::escape::unescape(&n.text)
                        .map_err(xml_err)?
                        .into_owned();
                    info.names.push(n);
                }
            }
            _ => {}
        }
    }
    Ok(info)
}

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
) -> Result<Vec<u8>, String> {
    let p = info.prefix.as_str();
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 512));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut names_done = edit.names_xml.as_ref().is_none_or(|n| n.is_empty());
    let mut calc_done = !edit.full_calc;
    let write_err = |e: std::io::Error| format!("workbook part: {e}");
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
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(xml_err)?;
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
                skip_children(&mut reader)?;
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
                    let v = attr_value(&e, key).and_then(|v| parse_u32(v.as_bytes()));
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
        if empty {
            writer.write_event(Event::Empty(e)).map_err(write_err)?;
        } else {
            depth += 1;
            writer.write_event(Event::Start(e)).map_err(write_err)?;
        }
    }
    Ok(writer.into_inner())
}

fn skip_children(reader: &mut Reader<&[u8]>) -> Result<(), String> {
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(xml_err("an element is not closed")),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="2"/></bookViews><sheets><sheet name="A &amp; B" sheetId="1" r:id="rId1"/><sheet name="C" sheetId="3" state="hidden" r:id="rId2"/><sheet name="D" sheetId="4" r:id="rId3"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'A &amp; B'!$A$1:$B$3</definedName><definedName name="Rate">C!$B$1</definedName></definedNames><pivotCaches><pivotCache cacheId="1" r:id="rId9"/></pivotCaches></workbook>"#;

    #[test]
    fn sheets_and_names_are_read() {
        let info = parse_workbook(XML.as_bytes()).unwrap();
        assert_eq!(info.sheets.len(), 3);
        assert_eq!(info.sheets[0].name, "A & B");
        assert_eq!(info.sheets[1].rid, "rId2");
        assert_eq!(info.sheets[1].sheet_id, 3);
        assert_eq!(info.names[0].text, "'A & B'!$A$1:$B$3");
        assert_eq!(info.names[0].local_sheet_id, Some(0));
        assert!(info.names[0].hidden);
        assert_eq!(info.rel_prefix, "r");
    }

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
