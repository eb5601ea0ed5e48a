//! External link parts (`xl/externalLinks/externalLinkN.xml`): the other
//! workbook's sheet names, the names formulas here use from it, and the
//! values Excel read from it when the link was last refreshed
//! (`<sheetDataSet>`). The workbook part lists them in
//! `<externalReferences>`; formulas call the first one `[1]`.

use super::xml::{attr, next_event};
use super::PackageError;
use crate::model::CellAddr;
use quick_xml::events::Event;
use quick_xml::Reader;

/// One saved cell of an external sheet, as the part writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExternalCell {
    /// Position of its sheet in [`ExternalLinkPart::sheet_names`].
    pub sheet: usize,
    /// The cell.
    pub addr: CellAddr,
    /// The `t` attribute (`n` when absent): `n`, `s`/`str`, `b`, `e`.
    pub kind: String,
    /// The text of `<v>`.
    pub text: String,
}

/// A defined name of the external workbook.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExternalDefinedName {
    /// The name.
    pub name: String,
    /// `sheetId`: the position of the sheet it is local to.
    pub sheet: Option<usize>,
    /// `refersTo`, without its leading `=`.
    pub refers_to: String,
}

/// What an external link part says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ExternalLinkPart {
    /// The relationship id of the linked file's path (`externalBook r:id`);
    /// `None` for links that are not to a workbook (DDE, OLE).
    pub rid: Option<String>,
    /// The external workbook's sheets in order.
    pub sheet_names: Vec<String>,
    /// Its defined names.
    pub names: Vec<ExternalDefinedName>,
    /// The saved cells.
    pub cells: Vec<ExternalCell>,
}

/// Reads the external link part named `part`.
pub(crate) fn parse_external_link(
    xml: &[u8],
    part: &str,
) -> Result<ExternalLinkPart, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut link = ExternalLinkPart::default();
    let mut sheet: Option<usize> = None;
    let mut cell: Option<ExternalCell> = None;
    let mut in_value = false;
    loop {
        match next_event(&mut reader, &mut buf, part)? {
            Event::Eof => return Ok(link),
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "externalBook" => link.rid = attr(&e, "id"),
                "sheetName" => link.sheet_names.push(attr(&e, "val").unwrap_or_default()),
                "definedName" => link.names.push(ExternalDefinedName {
                    name: attr(&e, "name").unwrap_or_default(),
                    sheet: attr(&e, "sheetId").and_then(|v| v.trim().parse().ok()),
                    refers_to: attr(&e, "refersTo")
                        .map(|r| r.trim_start_matches('=').to_string())
                        .unwrap_or_default(),
                }),
                "sheetData" => sheet = attr(&e, "sheetId").and_then(|v| v.trim().parse().ok()),
                "cell" => {
                    cell = match (sheet, attr(&e, "r").and_then(|r| CellAddr::parse(&r))) {
                        (Some(sheet), Some(addr)) => Some(ExternalCell {
                            sheet,
                            addr,
                            kind: attr(&e, "t").unwrap_or_else(|| "n".to_string()),
                            text: String::new(),
                        }),
                        _ => None,
                    };
                }
                "v" => in_value = cell.is_some(),
                _ => {}
            },
            Event::Text(t) if in_value => {
                if let Some(c) = cell.as_mut() {
                    let text = t.xml10_content();
                    c.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) if in_value => {
                if let (Some(c), Some(resolved)) =
                    (cell.as_mut(), super::xml::resolve_reference(&r))
                {
                    resolved.push_to(&mut c.text);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "v" => in_value = false,
                "cell" => link.cells.extend(cell.take()),
                "sheetData" => sheet = None,
                _ => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_names_and_saved_cells_are_read() {
        let xml = r#"<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1">
            <sheetNames><sheetName val="Rates"/><sheetName val="Q1 &amp; Q2"/></sheetNames>
            <definedNames><definedName name="FxRate" refersTo="=Rates!$B$2"/><definedName name="Local" refersTo="='Q1 &amp; Q2'!$A$1" sheetId="1"/></definedNames>
            <sheetDataSet><sheetData sheetId="0"><row r="2"><cell r="B2"><v>1.25</v></cell><cell r="C2" t="str"><v>EUR &amp; USD</v></cell></row></sheetData>
            <sheetData sheetId="1" refreshError="1"><row r="1"><cell r="A1" t="e"><v>#N/A</v></cell><cell r="B1" t="b"><v>1</v></cell></row></sheetData></sheetDataSet>
            </externalBook></externalLink>"#;
        let link =
            parse_external_link(xml.as_bytes(), "xl/externalLinks/externalLink1.xml").unwrap();
        assert_eq!(link.rid.as_deref(), Some("rId1"));
        assert_eq!(link.sheet_names, ["Rates", "Q1 & Q2"]);
        assert_eq!(link.names[0].refers_to, "Rates!$B$2");
        assert_eq!(link.names[0].sheet, None);
        assert_eq!(link.names[1].sheet, Some(1));
        assert_eq!(link.names[1].refers_to, "'Q1 & Q2'!$A$1");
        assert_eq!(link.cells.len(), 4);
        assert_eq!(link.cells[0].addr, CellAddr::parse("B2").unwrap());
        assert_eq!(
            (link.cells[0].kind.as_str(), link.cells[0].text.as_str()),
            ("n", "1.25")
        );
        assert_eq!(link.cells[1].text, "EUR & USD");
        assert_eq!((link.cells[2].sheet, link.cells[2].kind.as_str()), (1, "e"));
    }

    #[test]
    fn broken_xml_names_the_part() {
        let err = parse_external_link(
            b"<externalLink><a></b>",
            "xl/externalLinks/externalLink1.xml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("externalLink1.xml"), "{err}");
    }
}
