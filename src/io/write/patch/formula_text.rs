//! Sheet renames applied to formula text the run did not rewrite itself
//! (unchanged cells, defined names kept from the file, chart series).

use crate::formula::parser::quoted_run;
use crate::io::ooxml::xml::{attr, next_event, push_escaped, replace_attrs};
use crate::io::ooxml::PackageError;
use crate::model::address::quote_sheet_name;
use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer};
use std::io::BufRead;

/// Elements whose text is a formula: cell formulas, chart series
/// references, data-validation and conditional-format rules.
pub(super) const FORMULA_ELEMENTS: &[&str] = &["f", "formula", "formula1", "formula2"];

/// Reads the text of the element just opened in `part`, up to and
/// including its end tag, unescaped; returns the text and the end tag.
pub(super) fn read_element_text<R: BufRead>(
    reader: &mut Reader<R>,
    part: &str,
) -> Result<(String, BytesEnd<'static>), PackageError> {
    let mut raw = String::new();
    let mut buf = Vec::new();
    let end = loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| PackageError::xml(part, e))?;
        match event {
            Event::Text(t) => raw.push_str(&t),
            Event::CData(t) => {
                let mut bytes = Vec::new();
                push_escaped(&mut bytes, &t, false);
                raw.push_str(&String::from_utf8_lossy(&bytes));
            }
            Event::GeneralRef(r) => {
                raw.push('&');
                raw.push_str(&r);
                raw.push(';');
            }
            Event::End(e) => break e.into_owned(),
            Event::Eof => return Err(PackageError::xml(part, "an element is not closed")),
            _ => {}
        }
    };
    let text = quick_xml::escape::unescape(&raw)
        .map_err(|e| PackageError::xml(part, e))?
        .into_owned();
    Ok((text, end))
}

/// A whole XML part named `part` with sheet renames applied to the text
/// of every formula element (see [`FORMULA_ELEMENTS`]).
pub(super) fn rename_in_formula_elements(
    xml: &[u8],
    part: &str,
    renames: &[(String, String)],
) -> Result<Vec<u8>, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 64));
    let mut buf = Vec::new();
    let io = |e: std::io::Error| PackageError::part(part, e);
    loop {
        match next_event(&mut reader, &mut buf, part)? {
            Event::Eof => break,
            Event::Start(e) if FORMULA_ELEMENTS.contains(&e.local_name().as_ref()) => {
                writer.write_event(Event::Start(e)).map_err(io)?;
                let (text, end) = read_element_text(&mut reader, part)?;
                let renamed = rename_sheets_in_formula(&text, renames);
                push_escaped(writer.get_mut(), &renamed, false);
                writer.write_event(Event::End(end)).map_err(io)?;
            }
            Event::Start(e) if e.local_name().as_ref() == "worksheetSource" => {
                let e = rename_source_sheet(e, renames);
                writer.write_event(Event::Start(e)).map_err(io)?;
            }
            Event::Empty(e) if e.local_name().as_ref() == "worksheetSource" => {
                let e = rename_source_sheet(e, renames);
                writer.write_event(Event::Empty(e)).map_err(io)?;
            }
            other => writer.write_event(other).map_err(io)?,
        }
    }
    Ok(writer.into_inner())
}

/// `text` with every reference to a sheet in `renames` (`(old, new)`,
/// compared case-insensitively) pointing at the new name. A formula that
/// mentions none of the old names is returned as it was.
///
/// The formula engine's parser does the renaming, in two steps through
/// temporary names so that a swap (`A`→`B`, `B`→`A`) comes out right; a
/// formula the parser cannot read falls back to a token scan.
pub(super) fn rename_sheets_in_formula(text: &str, renames: &[(String, String)]) -> String {
    let lower = text.to_lowercase();
    if !renames
        .iter()
        .any(|(old, _)| lower.contains(&old.to_lowercase()))
    {
        return text.to_string();
    }
    rename_with_parser(text, renames).unwrap_or_else(|| scan_rename(text, renames))
}

fn rename_with_parser(text: &str, renames: &[(String, String)]) -> Option<String> {
    crate::formula::parse(text).ok()?;
    let temporary: Vec<String> = (0..renames.len())
        .map(|i| format!("sheetscript renaming {i}"))
        .collect();
    let mut current = text.to_string();
    let mut changed = false;
    for ((old, _), tmp) in renames.iter().zip(&temporary) {
        if let Some(renamed) = crate::formula::rename_sheet(&current, old, tmp) {
            current = renamed;
            changed = true;
        }
    }
    if !changed {
        return Some(text.to_string());
    }
    for ((_, new), tmp) in renames.iter().zip(&temporary) {
        if let Some(renamed) = crate::formula::rename_sheet(&current, tmp, new) {
            current = renamed;
        }
    }
    Some(current)
}

/// Renaming by scanning tokens: sheet prefixes (`Name!`, `'Na''me'!`)
/// outside string literals, not in references to other workbooks
/// (`[1]Sheet1!A1`).
fn scan_rename(text: &str, renames: &[(String, String)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '\\';
    let lookup = |name: &str| {
        renames
            .iter()
            .find(|(old, _)| old.to_lowercase() == name.to_lowercase())
            .map(|(_, new)| quote_sheet_name(new))
    };
    while i < chars.len() {
        let c = chars[i];
        let external = i > 0 && chars[i - 1] == ']';
        match c {
            '"' => {
                // A string literal, with "" as an escaped quote.
                let start = i;
                i = quoted_run(&chars, i).1;
                out.extend(&chars[start..i]);
            }
            '\'' => {
                let start = i;
                let name;
                (name, i) = quoted_run(&chars, i);
                match (chars.get(i), external) {
                    (Some('!'), false) => match lookup(&name) {
                        Some(new) => out.push_str(&new),
                        None => out.extend(&chars[start..i]),
                    },
                    _ => out.extend(&chars[start..i]),
                }
            }
            c if is_ident(c) && (i == 0 || !is_ident(chars[i - 1])) => {
                let start = i;
                while i < chars.len() && is_ident(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match (chars.get(i), external) {
                    (Some('!'), false) => match lookup(&word) {
                        Some(new) => out.push_str(&new),
                        None => out.push_str(&word),
                    },
                    _ => out.push_str(&word),
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// A pivot cache's `<worksheetSource sheet="...">` pointing at the new
/// name of a renamed sheet.
fn rename_source_sheet<'e>(e: BytesStart<'e>, renames: &[(String, String)]) -> BytesStart<'e> {
    let renamed = attr(&e, "sheet").and_then(|sheet| {
        renames
            .iter()
            .find(|(old, _)| old.eq_ignore_ascii_case(&sheet))
            .map(|(_, new)| new.clone())
    });
    match renamed {
        Some(new) => replace_attrs(&e, &[("sheet", Some(&new))]),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_follow_a_renamed_sheet() {
        let renames = vec![
            ("Data".to_string(), "Sales 2026".to_string()),
            ("Old's".to_string(), "Plain".to_string()),
        ];
        let cases = [
            ("SUM(Data!A1:A3)", "SUM('Sales 2026'!A1:A3)"),
            ("data!A1+'Old''s'!B2", "'Sales 2026'!A1+Plain!B2"),
            ("\"Data!A1\"&MyData!A1", "\"Data!A1\"&MyData!A1"),
            ("[1]Data!A1", "[1]Data!A1"),
            ("Data", "Data"),
            // Excel quotes a 3D span as a whole.
            ("SUM(Data:Other!A1)", "SUM('Sales 2026:Other'!A1)"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                rename_sheets_in_formula(input, &renames),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn swapped_names_are_renamed_at_once() {
        let renames = vec![
            ("A".to_string(), "B".to_string()),
            ("B".to_string(), "A".to_string()),
        ];
        assert_eq!(rename_sheets_in_formula("A!X1+B!X2", &renames), "B!X1+A!X2");
        assert_eq!(scan_rename("A!X1+B!X2", &renames), "B!X1+A!X2");
    }

    #[test]
    fn charts_and_pivot_caches_follow_a_renamed_sheet() {
        let renames = vec![("Data".to_string(), "Sales 2026".to_string())];
        let chart = br#"<c:chart xmlns:c="c"><c:ser><c:val><c:numRef><c:f>Data!$B$2:$B$9</c:f></c:numRef></c:val></c:ser></c:chart>"#;
        let out = String::from_utf8(
            rename_in_formula_elements(chart, "xl/charts/chart1.xml", &renames).unwrap(),
        )
        .unwrap();
        assert!(out.contains("<c:f>'Sales 2026'!$B$2:$B$9</c:f>"), "{out}");
        let pivot = br#"<pivotCacheDefinition><cacheSource type="worksheet"><worksheetSource ref="A1:C9" sheet="data"/></cacheSource></pivotCacheDefinition>"#;
        let out = String::from_utf8(
            rename_in_formula_elements(pivot, "xl/pivotCache/pivotCacheDefinition1.xml", &renames)
                .unwrap(),
        )
        .unwrap();
        assert!(
            out.contains(r#"<worksheetSource ref="A1:C9" sheet="Sales 2026"/>"#),
            "{out}"
        );
    }
}
