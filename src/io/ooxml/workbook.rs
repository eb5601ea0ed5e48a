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
    /// The relationship ids of `<externalReference>`s in order: formulas'
    /// `[1]` is the first.
    pub external_rids: Vec<String>,
    /// Iterative calculation, when `<calcPr iterate="1">` turns it on.
    pub iteration: Option<crate::model::Iteration>,
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
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "externalReference" => {
                info.external_rids.push(attr(&e, "id").unwrap_or_default());
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "calcPr" => {
                info.iteration = iteration_of(&e);
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

/// The iterative calculation a `<calcPr>` turns on, with Excel's
/// defaults for what it leaves out; `None` when `iterate` is off.
fn iteration_of(e: &BytesStart<'_>) -> Option<crate::model::Iteration> {
    let on = attr(e, "iterate").is_some_and(|v| matches!(v.trim(), "1" | "true"));
    if !on {
        return None;
    }
    let default = crate::model::Iteration::default();
    Some(crate::model::Iteration {
        // Excel accepts 1 to 32767 passes; a file saying more is held to
        // that, so a hostile count cannot make the run endless.
        max_count: attr(e, "iterateCount")
            .and_then(|v| v.trim().parse::<u32>().ok())
            .map_or(default.max_count, |n| n.clamp(1, 32_767)),
        max_change: attr(e, "iterateDelta")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|d| d.is_finite() && *d >= 0.0)
            .unwrap_or(default.max_change),
    })
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
        assert!(info.external_rids.is_empty());
        assert_eq!(info.iteration, None);
    }

    #[test]
    fn external_references_and_iteration_are_read() {
        let xml = r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets>
            <externalReferences><externalReference r:id="rId7"/><externalReference r:id="rId9"/></externalReferences>
            <calcPr calcId="191029" iterate="1" iterateCount="50" iterateDelta="0.0001"/></workbook>"#;
        let info = parse_workbook(xml.as_bytes()).unwrap();
        assert_eq!(info.external_rids, ["rId7", "rId9"]);
        let it = info.iteration.unwrap();
        assert_eq!((it.max_count, it.max_change), (50, 0.0001));
        let defaults = parse_workbook(br#"<workbook><calcPr iterate="true"/></workbook>"#).unwrap();
        assert_eq!(defaults.iteration, Some(crate::model::Iteration::default()));
        let off = parse_workbook(br#"<workbook><calcPr iterate="0" iterateCount="5"/></workbook>"#)
            .unwrap();
        assert_eq!(off.iteration, None);
    }
}
