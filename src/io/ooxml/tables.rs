//! Table parts (`xl/tables/tableN.xml`): an Excel table's name, range,
//! header and totals rows and column names. The reader turns them into
//! model tables and the patcher compares them with the model's, so both
//! must read a part, and decode its column names, the same way.

use super::xml::{attr, next_event, unescape_ooxml};
use super::PackageError;
use crate::model::RangeAddr;
use quick_xml::events::Event;
use quick_xml::Reader;

/// What a table part declares.
#[derive(Debug, Clone)]
pub(crate) struct TablePart {
    /// `displayName` (the name formulas use), else `name`; empty when the
    /// part has neither.
    pub name: String,
    /// `ref`: the whole table, header and totals rows included.
    pub range: RangeAddr,
    /// The workbook-wide table id.
    pub id: Option<u32>,
    /// Whether the first row is a header row (`headerRowCount` not `0`).
    pub header_row: bool,
    /// Whether the last row is a totals row (`totalsRowCount` not `0`).
    pub totals_row: bool,
    /// `<tableColumn name>`s in order, Excel's `_xHHHH_` escapes decoded.
    pub columns: Vec<String>,
}

/// Reads the table part named `part`; `None` when it has no `<table>`
/// element with a usable `ref`.
pub(crate) fn parse_table_part(xml: &[u8], part: &str) -> Result<Option<TablePart>, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut table: Option<TablePart> = None;
    loop {
        match next_event(&mut reader, &mut buf, part)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "table" => {
                let Some(range) = attr(&e, "ref").and_then(|r| RangeAddr::parse(&r)) else {
                    return Ok(None);
                };
                table = Some(TablePart {
                    name: attr(&e, "displayName")
                        .or_else(|| attr(&e, "name"))
                        .unwrap_or_default(),
                    range,
                    id: attr(&e, "id").and_then(|i| i.trim().parse().ok()),
                    header_row: attr(&e, "headerRowCount").is_none_or(|c| c != "0"),
                    totals_row: attr(&e, "totalsRowCount").is_some_and(|c| c != "0"),
                    columns: Vec::new(),
                });
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "tableColumn" => {
                if let Some(t) = table.as_mut() {
                    let name = attr(&e, "name").unwrap_or_default();
                    t.columns.push(unescape_ooxml(&name).into_owned());
                }
            }
            Event::Eof => return Ok(table),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_read_header_totals_and_columns() {
        let xml = br#"<table id="1" name="T" displayName="Sales" ref="A1:C5" totalsRowCount="1">
            <tableColumns count="3"><tableColumn id="1" name="Item"/><tableColumn id="2" name="Net_x000a_EUR"/><tableColumn id="3" name="Price"/></tableColumns></table>"#;
        let t = parse_table_part(xml, "xl/tables/table1.xml")
            .unwrap()
            .unwrap();
        assert_eq!((t.name.as_str(), t.id), ("Sales", Some(1)));
        assert_eq!(t.range.to_a1(), "A1:C5");
        assert!(t.header_row && t.totals_row);
        assert_eq!(t.columns, vec!["Item", "Net\nEUR", "Price"]);
        let no_ref = br#"<table id="2" displayName="X"/>"#;
        assert!(parse_table_part(no_ref, "t").unwrap().is_none());
        let err = parse_table_part(b"<table ref=\"A1:B2\"></tablex>", "xl/tables/t.xml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("xl/tables/t.xml: malformed XML"), "{err}");
    }
}
