//! Keeping table parts (`xl/tables/tableN.xml`) in step with the model: a
//! table whose range or columns the run changed gets its `ref`, filter and
//! `<tableColumns>` rewritten (existing columns keep their ids, formulas
//! and other attributes); a table the run created gets a new part; the
//! rest of a part stays as written.

use super::cell::{parse_range, push_range};
use crate::io::ooxml::tables::{parse_table_part, TablePart};
use crate::io::ooxml::xml::{
    attr, is_ooxml_escape, push_escaped, replace_attrs, unescape_ooxml, write_start,
};
use crate::io::ooxml::PackageError;
use crate::model::{CellAddr, RangeAddr, Sheet, Table, Value, Workbook};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};
use std::collections::HashSet;

/// How errors name a table part.
const PART: &str = "table part";

/// Reads the identity and columns of a table part; `None` if it has no
/// usable, named `<table>` element (such a part is left as it is).
pub(super) fn read_table_part(xml: &[u8]) -> Option<TablePart> {
    parse_table_part(xml, "table part")
        .ok()
        .flatten()
        .filter(|t| !t.name.is_empty())
}

/// The column names a table part must declare for `table`: one per column
/// of its range. A header cell holding text is the name (Excel requires
/// the two to agree, and a header edited in the sheet renames the column);
/// otherwise the model's name, else Excel's `ColumnN`. Names are made
/// unique (case-insensitively) the way Excel does, with a number suffix.
pub(super) fn part_columns(table: &Table, sheet: Option<&Sheet>) -> Vec<String> {
    let width = (table.range.end.col - table.range.start.col + 1) as usize;
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(width);
    for i in 0..width {
        let addr = CellAddr::new(table.range.start.row, table.range.start.col + i as u32);
        let from_cell = match (table.header_row, sheet.map(|s| s.value(addr))) {
            (true, Some(Value::Text(t))) if !t.trim().is_empty() => Some(t.to_string()),
            _ => None,
        };
        let base = from_cell
            .or_else(|| {
                table
                    .columns
                    .get(i)
                    .filter(|n| !n.trim().is_empty())
                    .cloned()
            })
            .unwrap_or_else(|| format!("Column{}", i + 1));
        let mut name = base.clone();
        let mut k = 2;
        while !seen.insert(name.to_lowercase()) {
            name = format!("{base}{k}");
            k += 1;
        }
        out.push(name);
    }
    out
}

/// Header cells that must be written for the sheet to agree with the table
/// parts: `(cell, column name)` for every header cell of `table` that is
/// empty (or holds text other than its column's unique name).
pub(super) fn header_fills(table: &Table, sheet: &Sheet) -> Vec<(CellAddr, String)> {
    if !table.header_row {
        return Vec::new();
    }
    part_columns(table, Some(sheet))
        .into_iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let addr = CellAddr::new(table.range.start.row, table.range.start.col + i as u32);
            match sheet.value(addr) {
                Value::Empty => Some((addr, name)),
                Value::Text(t) if *t != name => Some((addr, name)),
                _ => None,
            }
        })
        .collect()
}

/// A column name in the form a `<tableColumn name>` holds: characters an
/// attribute cannot keep (line breaks, tabs, other controls) and a literal
/// `_xHHHH_` in Excel's `_xhhhh_` escape, as Excel writes them. The result
/// is plain text still to be XML-escaped.
fn column_attr(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, c) in name.char_indices() {
        let literal_escape = c == '_' && is_ooxml_escape(&name.as_bytes()[i..]);
        if c.is_control() || literal_escape {
            out.push_str(&format!("_x{:04x}_", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Why `table` cannot be written as a table part (Excel would repair the
/// file), as a warning; `None` when it can.
pub(super) fn refusal(workbook: &Workbook, table: &Table) -> Option<String> {
    workbook
        .table_problem(table)
        .map(|p| format!("{p}; its cells were written but it was not made a table"))
}

/// The filter range of a table: the table without its totals row.
fn filter_range(table: &Table) -> RangeAddr {
    let mut filter = table.range;
    if table.totals_row {
        filter.end.row = filter.end.row.saturating_sub(1);
    }
    filter
}

fn range_text(range: RangeAddr) -> String {
    let mut out = Vec::new();
    push_range(&mut out, range);
    String::from_utf8_lossy(&out).into_owned()
}

/// A new table part for `table` with the workbook-wide `id`.
pub(super) fn new_table_part(table: &Table, id: u32, columns: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<table \
          xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" id=\"",
    );
    out.extend_from_slice(id.to_string().as_bytes());
    out.extend_from_slice(b"\" name=\"");
    push_escaped(&mut out, &table.name, false);
    out.extend_from_slice(b"\" displayName=\"");
    push_escaped(&mut out, &table.name, false);
    out.extend_from_slice(b"\" ref=\"");
    out.extend_from_slice(range_text(table.range).as_bytes());
    out.push(b'"');
    if !table.header_row {
        out.extend_from_slice(b" headerRowCount=\"0\"");
    }
    if table.totals_row {
        out.extend_from_slice(b" totalsRowCount=\"1\"");
    } else {
        out.extend_from_slice(b" totalsRowShown=\"0\"");
    }
    out.push(b'>');
    if table.header_row {
        out.extend_from_slice(b"<autoFilter ref=\"");
        out.extend_from_slice(range_text(filter_range(table)).as_bytes());
        out.extend_from_slice(b"\"/>");
    }
    out.extend_from_slice(format!("<tableColumns count=\"{}\">", columns.len()).as_bytes());
    for (i, name) in columns.iter().enumerate() {
        out.extend_from_slice(format!("<tableColumn id=\"{}\" name=\"", i + 1).as_bytes());
        push_escaped(&mut out, &column_attr(name), false);
        out.extend_from_slice(b"\"/>");
    }
    out.extend_from_slice(
        b"</tableColumns><tableStyleInfo name=\"TableStyleMedium2\" showFirstColumn=\"0\" \
          showLastColumn=\"0\" showRowStripes=\"1\" showColumnStripes=\"0\"/></table>",
    );
    out
}

/// One `<tableColumn>` of a part, as its events.
struct OldColumn {
    name: String,
    events: Vec<Event<'static>>,
}

/// Reads the children of `<tableColumns>` up to its end tag.
fn read_columns(reader: &mut Reader<&[u8]>) -> Result<Vec<OldColumn>, PackageError> {
    let mut columns: Vec<OldColumn> = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| PackageError::xml(PART, e))?
            .into_owned();
        match &event {
            Event::Eof => return Err(PackageError::part(PART, "<tableColumns> is not closed")),
            Event::End(_) if depth == 0 => return Ok(columns),
            Event::Start(e) | Event::Empty(e)
                if depth == 0 && e.local_name().as_ref() == "tableColumn" =>
            {
                columns.push(OldColumn {
                    name: unescape_ooxml(&attr(e, "name").unwrap_or_default()).into_owned(),
                    events: Vec::new(),
                });
            }
            _ => {}
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        if let Some(c) = columns.last_mut() {
            c.events.push(event);
        }
    }
}

/// For each wanted column, the index of the part's column it continues:
/// the one with its name (case-insensitive), else the one at the same
/// position whose name is wanted nowhere (a renamed column).
fn column_mapping(old: &[String], columns: &[String]) -> Vec<Option<usize>> {
    let lower: Vec<String> = columns.iter().map(|c| c.to_lowercase()).collect();
    let old_lower: Vec<String> = old.iter().map(|c| c.to_lowercase()).collect();
    let mut used = vec![false; old.len()];
    let mut pick: Vec<Option<usize>> = lower
        .iter()
        .map(|n| {
            let j = old_lower.iter().position(|o| o == n)?;
            used[j] = true;
            Some(j)
        })
        .collect();
    for (i, p) in pick.iter_mut().enumerate() {
        if p.is_none() && i < old.len() && !used[i] && !lower.contains(&old_lower[i]) {
            used[i] = true;
            *p = Some(i);
        }
    }
    pick
}

/// Writes `<tableColumns>` for `columns`: a column the part already has
/// (by name, else the one at the same position whose name is not wanted
/// elsewhere) keeps its element with the name updated; others are new
/// with fresh ids.
fn write_columns(
    writer: &mut Writer<Vec<u8>>,
    start: &BytesStart<'_>,
    old: Vec<OldColumn>,
    columns: &[String],
) -> Result<(), PackageError> {
    let io = |e: std::io::Error| PackageError::part(PART, e);
    let old_names: Vec<String> = old.iter().map(|c| c.name.clone()).collect();
    let pick = column_mapping(&old_names, columns);
    let mut next_id = old
        .iter()
        .filter_map(|c| match c.events.first() {
            Some(Event::Start(e) | Event::Empty(e)) => attr(e, "id")?.parse::<u32>().ok(),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        + 1;
    let prefix = match start.name().as_ref().split_once(':') {
        Some((p, _)) => format!("{p}:"),
        None => String::new(),
    };
    let count = columns.len().to_string();
    let head = replace_attrs(start, &[("count", Some(&count))]);
    writer.write_event(Event::Start(head)).map_err(io)?;
    let mut old: Vec<Option<OldColumn>> = old.into_iter().map(Some).collect();
    for (name, p) in columns.iter().zip(pick) {
        let name = &column_attr(name);
        match p.and_then(|j| old[j].take()) {
            Some(column) => {
                let mut events = column.events.into_iter();
                match events.next() {
                    Some(Event::Start(e)) => writer
                        .write_event(Event::Start(replace_attrs(&e, &[("name", Some(name))])))
                        .map_err(io)?,
                    Some(Event::Empty(e)) => writer
                        .write_event(Event::Empty(replace_attrs(&e, &[("name", Some(name))])))
                        .map_err(io)?,
                    _ => {}
                }
                for event in events {
                    writer.write_event(event).map_err(io)?;
                }
            }
            None => {
                let mut e = BytesStart::new(format!("{prefix}tableColumn"));
                e.push_attribute(("id", next_id.to_string().as_str()));
                e.push_attribute(("name", name.as_str()));
                next_id += 1;
                writer.write_event(Event::Empty(e)).map_err(io)?;
            }
        }
    }
    let end = format!("</{prefix}tableColumns>");
    writer.get_mut().extend_from_slice(end.as_bytes());
    Ok(())
}

/// The table part with its range set to the model table's and, when they
/// differ from the part's, its columns set to `columns`.
pub(super) fn rewrite_table(
    xml: &[u8],
    table: &Table,
    columns: &[String],
) -> Result<Vec<u8>, PackageError> {
    let range = range_text(table.range);
    let filter_text = range_text(filter_range(table));
    // Filter columns are numbered by position: they follow their column.
    let old_names = read_table_part(xml).map(|t| t.columns).unwrap_or_default();
    let new_position: Vec<Option<usize>> = {
        let pick = column_mapping(&old_names, columns);
        (0..old_names.len())
            .map(|j| pick.iter().position(|p| *p == Some(j)))
            .collect()
    };
    let columns_stay = new_position.iter().enumerate().all(|(j, p)| *p == Some(j));
    let mut in_filter = false;
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 16));
    let mut depth = 0usize;
    let io = |e: std::io::Error| PackageError::part(PART, e);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| PackageError::xml(PART, e))?;
        let (e, empty) = match event {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    in_filter = false;
                }
                writer.write_event(Event::End(e)).map_err(io)?;
                continue;
            }
            other => {
                writer.write_event(other).map_err(io)?;
                continue;
            }
        };
        if in_filter && depth == 2 && e.local_name().as_ref() == "filterColumn" {
            let moved = attr(&e, "colId")
                .and_then(|c| c.trim().parse::<usize>().ok())
                .and_then(|c| new_position.get(c).copied().flatten());
            let Some(at) = moved else {
                // The filtered column is gone, and its filter with it.
                if !empty {
                    reader
                        .read_to_end(e.name())
                        .map_err(|x| PackageError::xml(PART, x))?;
                }
                continue;
            };
            let at = at.to_string();
            let e = replace_attrs(&e, &[("colId", Some(&at))]);
            write_start(&mut writer, e, empty, &mut depth).map_err(io)?;
            continue;
        }
        if (depth == 1 || in_filter && depth == 2) && e.local_name().as_ref() == "sortState" {
            // The last sort's record (its arrows): kept only while its
            // columns and rows are still where it says.
            let inside = attr(&e, "ref")
                .and_then(|r| parse_range(r.as_bytes()))
                .is_some_and(|r| {
                    let t = table.range;
                    r.start.row >= t.start.row
                        && r.end.row <= t.end.row
                        && r.start.col >= t.start.col
                        && r.end.col <= t.end.col
                });
            if !(columns_stay && inside) {
                if !empty {
                    reader
                        .read_to_end(e.name())
                        .map_err(|x| PackageError::xml(PART, x))?;
                }
                continue;
            }
        }
        if depth == 1 && e.local_name().as_ref() == "autoFilter" && !empty {
            in_filter = true;
        }
        if depth == 1 && e.local_name().as_ref() == "tableColumns" {
            let old = if empty {
                Vec::new()
            } else {
                read_columns(&mut reader)?
            };
            let same =
                old.len() == columns.len() && old.iter().zip(columns).all(|(o, c)| o.name == *c);
            if same {
                writer.write_event(Event::Start(e.borrow())).map_err(io)?;
                for column in old {
                    for event in column.events {
                        writer.write_event(event).map_err(io)?;
                    }
                }
                writer.write_event(Event::End(e.to_end())).map_err(io)?;
            } else {
                write_columns(&mut writer, &e, old, columns)?;
            }
            continue;
        }
        let e = match (depth, e.local_name().as_ref()) {
            (0, "table") => replace_attrs(&e, &[("ref", Some(&range))]),
            (1, "autoFilter") => replace_attrs(&e, &[("ref", Some(&filter_text))]),
            _ => e,
        };
        write_start(&mut writer, e, empty, &mut depth).map_err(io)?;
    }
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(range: &str, columns: &[&str]) -> Table {
        Table {
            name: "Invoices".into(),
            sheet: "S".into(),
            range: RangeAddr::parse(range).unwrap(),
            header_row: true,
            totals_row: false,
            columns: columns.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_grown_table_gets_a_new_ref() {
        let xml = br#"<table xmlns="x" id="1" name="T" displayName="Invoices" ref="A1:C5" totalsRowShown="0"><autoFilter ref="A1:C5"/><tableColumns count="3"><tableColumn id="1" name="a"/><tableColumn id="2" name="b"/><tableColumn id="3" name="c"/></tableColumns></table>"#;
        let part = read_table_part(xml).unwrap();
        assert_eq!(
            (part.name.as_str(), part.range.to_a1().as_str(), part.id),
            ("Invoices", "A1:C5", Some(1))
        );
        assert_eq!(part.columns, ["a", "b", "c"]);
        let t = table("A1:C9", &["a", "b", "c"]);
        let out = String::from_utf8(rewrite_table(xml, &t, &t.columns).unwrap()).unwrap();
        assert!(
            out.contains(r#"ref="A1:C9" totalsRowShown="0"><autoFilter ref="A1:C9"/><tableColumns count="3"><tableColumn id="1" name="a"/>"#),
            "{out}"
        );
    }

    #[test]
    fn a_widened_table_keeps_its_columns_and_appends_new_ones() {
        let xml = br#"<x:table xmlns:x="x" id="4" displayName="T" ref="A1:B5"><x:autoFilter ref="A1:B5"/><x:tableColumns count="2"><x:tableColumn id="7" name="Net" totalsRowFunction="sum"/><x:tableColumn id="2" name="Gross"><x:calculatedColumnFormula>T[Net]*2</x:calculatedColumnFormula></x:tableColumn></x:tableColumns><x:tableStyleInfo name="S"/></x:table>"#;
        let t = table("A1:D5", &["Net", "Gross", "Fee", "Net"]);
        let columns = part_columns(&t, None);
        assert_eq!(columns, ["Net", "Gross", "Fee", "Net2"]);
        let out = String::from_utf8(rewrite_table(xml, &t, &columns).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<x:table xmlns:x="x" id="4" displayName="T" ref="A1:D5"><x:autoFilter ref="A1:D5"/><x:tableColumns count="4"><x:tableColumn id="7" name="Net" totalsRowFunction="sum"/><x:tableColumn id="2" name="Gross"><x:calculatedColumnFormula>T[Net]*2</x:calculatedColumnFormula></x:tableColumn><x:tableColumn id="8" name="Fee"/><x:tableColumn id="9" name="Net2"/></x:tableColumns><x:tableStyleInfo name="S"/></x:table>"#
        );
        // A renamed column keeps its element; a dropped one goes.
        let t = table("A1:A5", &["Amount"]);
        let out = String::from_utf8(rewrite_table(xml, &t, &t.columns).unwrap()).unwrap();
        assert!(
            out.contains(r#"<x:tableColumns count="1"><x:tableColumn id="7" name="Amount" totalsRowFunction="sum"/></x:tableColumns>"#),
            "{out}"
        );
    }

    #[test]
    fn line_breaks_in_column_names_use_excels_escape() {
        // Excel writes a header's line break as `_x000a_` in the part.
        let xml = br#"<table id="1" displayName="T" ref="A1:A5"><tableColumns count="1"><tableColumn id="1" name="Net_x000a_EUR"/></tableColumns></table>"#;
        assert_eq!(read_table_part(xml).unwrap().columns, ["Net\nEUR"]);
        let t = table("A1:B5", &["Net\nEUR", "Gross\nEUR _x0041_"]);
        let out = String::from_utf8(rewrite_table(xml, &t, &t.columns).unwrap()).unwrap();
        assert!(
            out.contains(r#"<tableColumn id="1" name="Net_x000a_EUR"/><tableColumn id="2" name="Gross_x000a_EUR _x005f_x0041_"/>"#),
            "{out}"
        );
        let back = read_table_part(out.as_bytes()).unwrap();
        assert_eq!(back.columns, t.columns);
    }

    #[test]
    fn filters_follow_their_columns() {
        let xml = br#"<table id="1" displayName="T" ref="A1:C5"><autoFilter ref="A1:C5"><filterColumn colId="0"><filters><filter val="x"/></filters></filterColumn><filterColumn colId="2"><filters blank="1"/></filterColumn></autoFilter><tableColumns count="3"><tableColumn id="1" name="a"/><tableColumn id="2" name="b"/><tableColumn id="3" name="c"/></tableColumns></table>"#;
        // Column a dropped, c moved first.
        let t = table("A1:B5", &["c", "b"]);
        let out = String::from_utf8(rewrite_table(xml, &t, &t.columns).unwrap()).unwrap();
        assert!(
            out.contains(r#"<autoFilter ref="A1:B5"><filterColumn colId="0"><filters blank="1"/></filterColumn></autoFilter><tableColumns count="2"><tableColumn id="3" name="c"/><tableColumn id="2" name="b"/></tableColumns>"#),
            "{out}"
        );
        // A renamed column (same place, new name) keeps its filter.
        let t = table("A1:C5", &["new", "b", "c"]);
        let out = String::from_utf8(rewrite_table(xml, &t, &t.columns).unwrap()).unwrap();
        assert!(
            out.contains(r#"<filterColumn colId="0"><filters><filter val="x"/></filters></filterColumn><filterColumn colId="2">"#),
            "{out}"
        );
        assert!(out.contains(r#"<tableColumn id="1" name="new"/>"#), "{out}");
    }

    #[test]
    fn a_sort_record_goes_when_its_columns_or_rows_moved() {
        let xml = br#"<table id="1" displayName="T" ref="A1:B9"><autoFilter ref="A1:B9"/><sortState ref="A2:B9"><sortCondition ref="B2:B9"/></sortState><tableColumns count="2"><tableColumn id="1" name="a"/><tableColumn id="2" name="b"/></tableColumns></table>"#;
        let grown = table("A1:C12", &["a", "b", "c"]);
        let out = String::from_utf8(rewrite_table(xml, &grown, &grown.columns).unwrap()).unwrap();
        assert!(out.contains(r#"<sortState ref="A2:B9">"#), "{out}");
        let shrunk = table("A1:B5", &["a", "b"]);
        let out = String::from_utf8(rewrite_table(xml, &shrunk, &shrunk.columns).unwrap()).unwrap();
        assert!(!out.contains("sort"), "{out}");
        let moved = table("A1:B9", &["b", "a"]);
        let out = String::from_utf8(rewrite_table(xml, &moved, &moved.columns).unwrap()).unwrap();
        assert!(!out.contains("sort"), "{out}");
    }

    #[test]
    fn header_cells_name_the_columns_and_empty_ones_are_filled() {
        let mut sheet = Sheet::new("S");
        sheet.set_value(CellAddr::new(0, 0), Value::Text("Date".into()));
        let t = table("A1:C3", &["When", "Amount"]);
        assert_eq!(
            part_columns(&t, Some(&sheet)),
            ["Date", "Amount", "Column3"]
        );
        assert_eq!(
            header_fills(&t, &sheet),
            [
                (CellAddr::new(0, 1), "Amount".to_string()),
                (CellAddr::new(0, 2), "Column3".to_string())
            ]
        );
    }

    #[test]
    fn new_parts_are_complete_and_well_formed() {
        let mut t = table("B2:C6", &["a&b", "c"]);
        t.name = "Sales".into();
        t.totals_row = true;
        let xml = String::from_utf8(new_table_part(&t, 3, &t.columns)).unwrap();
        assert!(xml.contains(r#"id="3" name="Sales" displayName="Sales" ref="B2:C6" totalsRowCount="1"><autoFilter ref="B2:C5"/><tableColumns count="2"><tableColumn id="1" name="a&amp;b"/>"#), "{xml}");
        let back = read_table_part(xml.as_bytes()).unwrap();
        assert_eq!(back.columns, ["a&b", "c"]);
    }
}
