//! Keeping table parts (`xl/tables/tableN.xml`) in step with the model: a
//! table whose range the run grew or shrank gets its `ref` (and its
//! filter's) rewritten; everything else in the part stays as written.

use super::package::attr_value;
use super::sheet::{parse_range, push_range, replace_attrs};
use crate::model::{RangeAddr, Table};
use quick_xml::events::Event;
use quick_xml::{Reader, Writer};

/// The name and range a table part declares.
pub(super) fn table_identity(xml: &[u8]) -> Option<(String, RangeAddr)> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "table" => {
                let name = attr_value(&e, "displayName").or_else(|| attr_value(&e, "name"))?;
                let range = parse_range(attr_value(&e, "ref")?.as_bytes())?;
                return Some((name, range));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The table part with its range set to the model table's.
pub(super) fn rewrite_table(xml: &[u8], table: &Table) -> Result<Vec<u8>, String> {
    let mut range = Vec::new();
    push_range(&mut range, table.range);
    let range = String::from_utf8_lossy(&range).into_owned();
    let mut filter = table.range;
    if table.totals_row {
        filter.end.row = filter.end.row.saturating_sub(1);
    }
    let mut filter_text = Vec::new();
    push_range(&mut filter_text, filter);
    let filter_text = String::from_utf8_lossy(&filter_text).into_owned();
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 16));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let io = |e: std::io::Error| format!("table part: {e}");
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("table part: malformed XML: {e}"))?;
        let (e, empty) = match event {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                writer.write_event(Event::End(e)).map_err(io)?;
                continue;
            }
            other => {
                writer.write_event(other).map_err(io)?;
                continue;
            }
        };
        let e = match (depth, e.local_name().as_ref()) {
            (0, "table") => replace_attrs(&e, &[("ref", Some(&range))]),
            (1, "autoFilter") => replace_attrs(&e, &[("ref", Some(&filter_text))]),
            _ => e,
        };
        if empty {
            writer.write_event(Event::Empty(e)).map_err(io)?;
        } else {
            depth += 1;
            writer.write_event(Event::Start(e)).map_err(io)?;
        }
    }
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grown_table_gets_a_new_ref() {
        let xml = br#"<table xmlns="x" id="1" name="T" displayName="Invoices" ref="A1:C5" totalsRowShown="0"><autoFilter ref="A1:C5"/><tableColumns count="3"><tableColumn id="1" name="a"/></tableColumns></table>"#;
        let (name, range) = table_identity(xml).unwrap();
        assert_eq!(
            (name.as_str(), range.to_a1().as_str()),
            ("Invoices", "A1:C5")
        );
        let table = Table {
            name: "Invoices".into(),
            sheet: "S".into(),
            range: RangeAddr::parse("A1:C9").unwrap(),
            header_row: true,
            totals_row: false,
            columns: vec!["a".into(), "b".into(), "c".into()],
        };
        let out = String::from_utf8(rewrite_table(xml, &table).unwrap()).unwrap();
        assert!(
            out.contains(r#"ref="A1:C9" totalsRowShown="0"><autoFilter ref="A1:C9"/>"#),
            "{out}"
        );
    }
}
