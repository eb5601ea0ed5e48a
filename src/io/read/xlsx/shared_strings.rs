//! The shared string table (`xl/sharedStrings.xml`): most cell text of an
//! xlsx lives here once and cells refer to it by index, so it is read
//! before any sheet.

use super::sheet::{preserves_space, trim_from};
use crate::io::ooxml::xml::{attr, resolve_reference, unescape_ooxml, unknown_entity};
use crate::io::ooxml::PackageError;
use crate::io::read::limits::{is_item_too_long, ItemBudget, Limit, OverLimit, ReadLimits};
use crate::model::Text;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::BufRead;

/// The shared string table, each string held once as a [`Text`] that
/// every cell referring to it shares: a string referenced by 12,000 cells
/// costs its length once, not 12,000 times.
#[derive(Debug, Default)]
pub(crate) struct SharedStrings {
    strings: Vec<Text>,
    text_bytes: u64,
}

impl SharedStrings {
    /// The `index`-th string, if the table has one.
    pub fn get(&self, index: usize) -> Option<&Text> {
        self.strings.get(index)
    }

    /// Appends a string.
    pub fn push(&mut self, s: impl Into<Text>) {
        let s = s.into();
        self.text_bytes += s.len() as u64;
        self.strings.push(s);
    }

    /// How many strings the table holds.
    pub fn len(&self) -> usize {
        self.strings.len()
    }
}

/// Why the shared string table was not read.
#[derive(Debug)]
pub(crate) enum SharedStringsError {
    /// The part is damaged.
    Damaged(PackageError),
    /// The part goes past a reading limit.
    Over(OverLimit),
}

/// Reads the shared string table: each `<si>` is plain `<t>` text or rich
/// text runs; phonetic guides (`<rPh>`) are not part of the text. A table
/// past the `limits` (one string, the count of strings, their text
/// together) is refused before it is held; the counts the table claims
/// for itself only size a first allocation.
pub(crate) fn read_shared_strings<R: BufRead>(
    xml: R,
    part: &str,
    limits: &ReadLimits,
) -> Result<SharedStrings, SharedStringsError> {
    let mut reader = Reader::from_reader(ItemBudget::new(xml, limits.max_xml_item()));
    let mut buf = Vec::new();
    let mut strings = SharedStrings::default();
    let mut current: Option<String> = None;
    let mut in_t = false;
    let mut text_start: Option<(usize, bool)> = None;
    let mut in_phonetic = 0u32;
    let damaged = |detail: String| SharedStringsError::Damaged(PackageError::part(part, detail));
    let long_string = |index: usize| {
        SharedStringsError::Over(OverLimit::new(
            Limit::StringBytes,
            format!("shared string {index} of {part} is a string of"),
        ))
    };
    loop {
        reader.get_mut().next_item();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) if is_item_too_long(&e) => return Err(long_string(strings.len())),
            Err(e) => return Err(damaged(format!("damaged shared strings ({e})"))),
        };
        let mut ended = false;
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
                        strings.strings.reserve(n.min(1 << 20));
                    }
                }
                _ => {}
            },
            Event::Empty(ref e) if e.local_name().as_ref() == "si" => {
                current = Some(String::new());
                ended = true;
            }
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
                            return Err(damaged(unknown_entity(r, &which)));
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
                "si" => ended = true,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if current
            .as_ref()
            .is_some_and(|s| s.len() as u64 > limits.max_string_bytes)
        {
            return Err(long_string(strings.len()));
        }
        if ended {
            if let Some(s) = current.take() {
                if strings.len() as u64 >= limits.max_shared_strings {
                    return Err(SharedStringsError::Over(OverLimit::new(
                        Limit::SharedStrings,
                        format!("the shared string table ({part}) holds"),
                    )));
                }
                strings.push(unescape_ooxml(&s));
                if strings.text_bytes > limits.max_text_bytes {
                    return Err(SharedStringsError::Over(OverLimit::new(
                        Limit::TextBytes,
                        format!("the shared string table ({part}) holds"),
                    )));
                }
            }
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
        let s = read_shared_strings(
            xml.as_bytes(),
            "xl/sharedStrings.xml",
            &ReadLimits::default(),
        )
        .unwrap();
        let all: Vec<&str> = (0..s.len())
            .filter_map(|i| s.get(i))
            .map(|t| t.as_str())
            .collect();
        assert_eq!(all, vec![" plain", "rich text", "漢字", ""]);
        assert_eq!(s.get(4), None);
    }

    #[test]
    fn tables_past_the_limits_are_refused_and_claims_do_not_allocate() {
        let limits = ReadLimits {
            max_string_bytes: 8,
            max_shared_strings: 3,
            max_text_bytes: 12,
            ..ReadLimits::default()
        };
        let read = |xml: &str| match read_shared_strings(xml.as_bytes(), "sst.xml", &limits) {
            Ok(s) => Ok(s.len()),
            Err(SharedStringsError::Over(over)) => Err(over.limit),
            Err(SharedStringsError::Damaged(e)) => panic!("{e}"),
        };
        // A table claiming four billion strings holds one.
        assert_eq!(
            read(r#"<sst uniqueCount="4000000000"><si><t>a</t></si></sst>"#),
            Ok(1)
        );
        assert_eq!(
            read("<sst><si><t>123456789</t></si></sst>"),
            Err(Limit::StringBytes)
        );
        assert_eq!(
            read("<sst><si><r><t>12345</t></r><r><t>6789</t></r></si></sst>"),
            Err(Limit::StringBytes)
        );
        assert_eq!(
            read("<sst><si><t>a</t></si><si/><si><t>b</t></si><si><t>c</t></si></sst>"),
            Err(Limit::SharedStrings)
        );
        assert_eq!(
            read("<sst><si><t>12345678</t></si><si><t>12345</t></si></sst>"),
            Err(Limit::TextBytes)
        );
    }
}
