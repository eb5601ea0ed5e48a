//! XML helpers every OOXML part needs: attribute lookup, XML and Excel
//! `_xHHHH_` escaping in both directions, and streaming edits of a part's
//! top-level children. One rule each, so a name the reader decodes is the
//! name the patcher writes back.

use super::PackageError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};
use std::io::Write;

/// An attribute's value by local name (`r:id` is found as `id`: the
/// prefix bound to a namespace differs between writers), entities
/// resolved; the first one when a broken element repeats it.
pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Appends `text` escaped for XML character data or a double-quoted
/// attribute. With `ooxml`, characters XML 1.0 cannot carry (controls,
/// U+FFFE, U+FFFF, and a literal `_xHHHH_` that would otherwise be
/// decoded) are written in Excel's `_xHHHH_` form, as Excel itself does in
/// cell text; without it (names, attributes) they are dropped.
pub(crate) fn push_escaped(out: &mut Vec<u8>, text: &str, ooxml: bool) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement: Option<&[u8]> = match b {
            b'&' => Some(b"&amp;"),
            b'<' => Some(b"&lt;"),
            b'>' => Some(b"&gt;"),
            b'"' => Some(b"&quot;"),
            _ => None,
        };
        if let Some(r) = replacement {
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(r);
            start = i + 1;
        } else if b < 0x20 && !(b == b'\t' || b == b'\n') || (b == b'\r' && ooxml) {
            out.extend_from_slice(&bytes[start..i]);
            if ooxml {
                let _ = write!(out, "_x{:04X}_", b);
            }
            // Without the OOXML escape there is no way to carry a control
            // character in XML 1.0, so it is dropped.
            start = i + 1;
        } else if b == 0xEF
            && bytes.get(i + 1) == Some(&0xBF)
            && matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
        {
            // U+FFFE and U+FFFF are not XML characters either.
            out.extend_from_slice(&bytes[start..i]);
            if ooxml {
                let _ = write!(out, "_xFF{:02X}_", 0xC0 | (bytes[i + 2] & 0x3F));
            }
            start = i + 3;
        } else if ooxml && b == b'_' && is_ooxml_escape(&bytes[i..]) {
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(b"_x005F_");
            start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

/// What an entity or character reference in text stands for: one
/// character (`&#233;`) or one of XML's five predefined entities (`&amp;`).
pub(crate) enum Reference {
    /// A character reference.
    Char(char),
    /// A predefined entity's text.
    Text(&'static str),
}

impl Reference {
    /// Appends what the reference stands for.
    pub(crate) fn push_to(&self, out: &mut String) {
        match self {
            Reference::Char(c) => out.push(*c),
            Reference::Text(t) => out.push_str(t),
        }
    }
}

/// Resolves a reference met in text; `None` for an entity no XML document
/// defines without a DTD (spreadsheet programs never write one) or a
/// character reference to no character.
pub(crate) fn resolve_reference(r: &quick_xml::events::BytesRef<'_>) -> Option<Reference> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(Reference::Char(c)),
        Ok(None) => quick_xml::escape::resolve_predefined_entity(r).map(Reference::Text),
        Err(_) => None,
    }
}

/// The words for a reference [`resolve_reference`] could not resolve in
/// `place` (`cell B7`, `shared string 12`): reading it as nothing would
/// lose the text without a word.
pub(crate) fn unknown_entity(r: &quick_xml::events::BytesRef<'_>, place: &str) -> String {
    format!(
        "{place} holds the XML reference \"&{};\", which stands for no character; \
         the file was not written by a spreadsheet program",
        &**r
    )
}

/// Whether `bytes` starts with a literal `_xHHHH_`.
pub(crate) fn is_ooxml_escape(bytes: &[u8]) -> bool {
    bytes.len() >= 7
        && bytes[1] == b'x'
        && bytes[2..6].iter().all(u8::is_ascii_hexdigit)
        && bytes[6] == b'_'
}

/// Resolves OOXML's `_xHHHH_` escapes (`_x000D_` for a carriage return).
pub(crate) fn unescape_ooxml(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("_x") {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let hex = tail.get(2..6);
        let decoded = hex
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(ch) => {
                out.push(ch);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// A copy of `e` with some attributes replaced (`Some`) or removed (`None`);
/// a replaced attribute the element lacks is appended. Values are plain
/// text (escaped here).
pub(crate) fn replace_attrs<'e>(
    e: &BytesStart<'_>,
    changes: &[(&str, Option<&str>)],
) -> BytesStart<'e> {
    let mut out = BytesStart::new(e.name().as_ref().to_string());
    let mut seen = vec![false; changes.len()];
    for attr in e.attributes().with_checks(false).flatten() {
        match changes.iter().position(|(k, _)| *k == attr.key.as_ref()) {
            Some(i) => {
                seen[i] = true;
                if let Some(v) = changes[i].1 {
                    out.push_attribute((attr.key.as_ref(), v));
                }
            }
            None => out.push_attribute(attr),
        }
    }
    for (i, (k, v)) in changes.iter().enumerate() {
        if let (false, Some(v)) = (seen[i], v) {
            out.push_attribute((*k, *v));
        }
    }
    out
}

/// The next event of `part`, read into `buf` (cleared first), its parse
/// error named as the part's.
pub(crate) fn next_event<'b, R: std::io::BufRead>(
    reader: &mut Reader<R>,
    buf: &'b mut Vec<u8>,
    part: &str,
) -> Result<Event<'b>, PackageError> {
    buf.clear();
    reader
        .read_event_into(buf)
        .map_err(|e| PackageError::xml(part, e))
}

/// Writes an element start as it was read, `<e/>` or `<e>`; an opened
/// element adds one to `depth`, which the streaming rewriters track to
/// know which level they are at.
pub(crate) fn write_start(
    writer: &mut Writer<Vec<u8>>,
    e: BytesStart<'_>,
    empty: bool,
    depth: &mut usize,
) -> std::io::Result<()> {
    if empty {
        writer.write_event(Event::Empty(e))
    } else {
        *depth += 1;
        writer.write_event(Event::Start(e))
    }
}

/// Skips the children of the element just started, through its end tag.
pub(crate) fn skip_children(reader: &mut Reader<&[u8]>, part: &str) -> Result<(), PackageError> {
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        match next_event(reader, &mut buf, part)? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(PackageError::xml(part, "an element is not closed")),
            _ => {}
        }
    }
}

/// Streams an XML part, dropping top-level children that `drop` selects and
/// appending `extra` before the root's end tag.
pub(crate) fn filter_children(
    xml: &[u8],
    part: &str,
    drop: impl Fn(&BytesStart<'_>) -> bool,
    extra: &[u8],
) -> Result<Vec<u8>, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + extra.len()));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut skipping: Option<usize> = None;
    let write_err = |e: std::io::Error| PackageError::part(part, e);
    loop {
        let event = next_event(&mut reader, &mut buf, part)?;
        if let Some(d) = skipping {
            match &event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == d {
                        skipping = None;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                if depth == 1 && drop(&e) {
                    skipping = Some(depth);
                    depth += 1;
                    continue;
                }
                depth += 1;
                writer.write_event(Event::Start(e)).map_err(write_err)?;
            }
            Event::Empty(e) => {
                if depth == 1 && drop(&e) {
                    continue;
                }
                writer.write_event(Event::Empty(e)).map_err(write_err)?;
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    writer.get_mut().extend_from_slice(extra);
                }
                writer.write_event(Event::End(e)).map_err(write_err)?;
            }
            other => writer.write_event(other).map_err(write_err)?,
        }
    }
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ooxml_escapes_resolve() {
        assert_eq!(unescape_ooxml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_ooxml("_x_y_"), "_x_y_");
        assert_eq!(unescape_ooxml("plain"), "plain");
    }

    #[test]
    fn attributes_match_on_their_local_name() {
        let mut reader = Reader::from_str(r#"<sheet name="A &amp; B" r:id="rId3"/>"#);
        let Ok(Event::Empty(e)) = reader.read_event() else {
            panic!("no element")
        };
        assert_eq!(attr(&e, "name").as_deref(), Some("A & B"));
        assert_eq!(attr(&e, "id").as_deref(), Some("rId3"));
        assert_eq!(attr(&e, "state"), None);
    }
}
