//! The workbook part (`xl/workbook.xml`): the sheet list with each
//! sheet's relationship id, and the defined names with their scope. The
//! reader takes names and sheet parts from it; the patcher also keeps each
//! element as written, to write back the attributes it does not model.

use super::xml::{attr, next_event};
use super::PackageError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// How errors name the workbook part, whatever its entry name.
pub(crate) const PART: &str = "workbook part";

/// One `<sheet>` entry of the workbook part.
#[derive(Debug, Clone)]
pub(crate) struct WbSheet {
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
pub(crate) struct WbName {
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
pub(crate) struct WbInfo {
    /// Sheets in tab order.
    pub sheets: Vec<WbSheet>,
    /// Defined names in file order.
    pub names: Vec<WbName>,
    /// The namespace prefix of SpreadsheetML elements (`""` or `"x:"`).
    pub prefix: String,
    /// The prefix bound to the relationships namespace (`"r"` usually).
    pub rel_prefix: String,
}

/// Parses the sheet list and defined names.
pub(crate) fn parse_workbook(xml: &[u8]) -> Result<WbInfo, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut info = WbInfo {
        rel_prefix: "r".to_string(),
        ..WbInfo::default()
    };
    let mut current_name: Option<WbName> = None;
    let mut root_seen = false;
    loop {
        match next_event(&mut reader, &mut buf, PART)? {
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
                    name: attr(&e, "name").unwrap_or_default(),
                    sheet_id: attr(&e, "sheetId")
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .unwrap_or(0),
                    rid: attr(&e, "id").unwrap_or_default(),
                    element: e.into_owned(),
                });
            }
            Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                current_name = Some(WbName {
                    name: attr(&e, "name").unwrap_or_default(),
                    local_sheet_id: attr(&e, "localSheetId")
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .map(|v| v as usize),
                    text: String::new(),
                    hidden: attr(&e, "hidden").is_some_and(|v| v == "1" || v == "true"),
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
                        .map_err(|e| PackageError::xml(PART, e))?
                        .into_owned();
                    info.names.push(n);
                }
            }
            _ => {}
        }
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_and_names_are_read() {
        let xml = r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A &amp; B" sheetId="1" r:id="rId1"/><sheet name="C" sheetId="3" state="hidden" r:id="rId2"/></sheets>
            <definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'A &amp; B'!$A$1:$B$3</definedName>
            <definedName name="Local" localSheetId="1">'R&amp;D'!$A$1:$A$3</definedName></definedNames></workbook>"#;
        let info = parse_workbook(xml.as_bytes()).unwrap();
        assert_eq!(info.sheets.len(), 2);
        assert_eq!(info.sheets[0].name, "A & B");
        assert_eq!(info.sheets[1].rid, "rId2");
        assert_eq!(info.sheets[1].sheet_id, 3);
        assert_eq!(info.names[0].text, "'A & B'!$A$1:$B$3");
        assert_eq!(info.names[0].local_sheet_id, Some(0));
        assert!(info.names[0].hidden);
        assert_eq!(info.names[1].text, "'R&D'!$A$1:$A$3");
        assert_eq!(info.rel_prefix, "r");
        assert_eq!(info.prefix, "");
    }
}
