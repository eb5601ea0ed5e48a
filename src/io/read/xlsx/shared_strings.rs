//! The shared string table (`xl/sharedStrings.xml`): most cell text of an
//! xlsx lives here once and cells refer to it by index, so it is read
//! before any sheet.

use super::sheet::{preserves_space, trim_from};
use crate::io::ooxml::xml::{attr, resolve_reference, unescape_ooxml, unknown_entity};
use crate::io::ooxml::PackageError;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::BufRead;

/// Reads the shared string table: each `<si>` is plain `<t>` text or rich
/// text runs; phonetic guides (`<rPh>`) are not part of the text.
pub(crate) fn read_shared_strings<R: BufRead>(
    xml: R,
    part: &str,
) -> Result<Vec<String>, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut strings = Vec::new();
    let mut current: Option<String> = None;
    let mut in_t = false;
    let mut text_start: Option<(usize, bool)> = None;
    let mut in_phonetic = 0u32;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| PackageError::part(part, format!("damaged shared strings ({e})")))?;
        match event {
            Event::Start(ref e) => match e.local_name().as_ref() {
                "si" => current = Some(String::new()),
                "t" if in_phonetic == 0 => {
                    in_t = true;
                    text_start = current.as_ref().map(|s| (s.len(), preserves_space(e)));
                }
                "rPh" => in_phonetic += 1,
                "sst" => {
                    if let Some(n) = attr(e, "uniqueCount").and_then(|n| n.parse::<usize>().ok()) {
                        strings.reserve(n.min(1 << 20));
                    }
                }
                _ => {}
            },
            Event::Empty(ref e) if e.local_name().as_ref() == "si" => strings.push(String::new()),
            Event::Text(ref t) if in_t => {
                if let Some(s) = current.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::CData(ref t) if in_t => {
                if let Some(s) = current.as_mut() {
                    s.push_str(t);
                }
            }
            Event::GeneralRef(ref r) if in_t => {
                if let Some(s) = current.as_mut() {
                    match resolve_reference(r) {
                        Some(text) => text.push_to(s),
                        None => {
                            let which = format!("shared string {}", strings.len());
                            return Err(PackageError::part(part, unknown_entity(r, &which)));
                        }
                    }
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                "t" => {
                    in_t = false;
                    if let (Some((start, preserve)), Some(s)) =
                        (text_start.take(), current.as_mut())
                    {
                        if !preserve {
                            trim_from(s, start);
                        }
                    }
                }
                "rPh" => in_phonetic = in_phonetic.saturating_sub(1),
                "si" => {
                    if let Some(s) = current.take() {
                        strings.push(unescape_ooxml(&s).into_owned());
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_skip_phonetics_and_join_runs() {
        let xml = r#"<sst uniqueCount="3"><si><t xml:space="preserve"> plain</t></si><si><r><t xml:space="preserve">rich </t></r><r><rPr><b/></rPr><t>text</t></r></si><si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si><si/></sst>"#;
        let s = read_shared_strings(xml.as_bytes(), "xl/sharedStrings.xml").unwrap();
        assert_eq!(s, vec![" plain", "rich text", "漢字", ""]);
    }
}
