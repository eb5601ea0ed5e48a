//! Package plumbing: relationships, content types, part names and the
//! extended properties (`docProps/app.xml`) sheet titles.

use super::cell::push_escaped;
use super::sheet::replace_attrs;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};
use std::collections::HashSet;

/// Relationship type of a worksheet part.
pub(super) const REL_WORKSHEET: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
/// Content type of a worksheet part.
pub(super) const CT_WORKSHEET: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";

/// One relationship of a part.
#[derive(Debug, Clone)]
pub(super) struct Rel {
    pub id: String,
    pub rel_type: String,
    pub target: String,
}

impl Rel {
    /// Whether the relationship type ends with `/{kind}` (the namespace
    /// differs between transitional and strict files).
    pub fn is(&self, kind: &str) -> bool {
        self.rel_type
            .rsplit('/')
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case(kind))
    }
}

fn xml_err(part: &str, e: impl std::fmt::Display) -> String {
    format!("{part}: malformed XML: {e}")
}

/// The text of an attribute, entities resolved.
pub(super) fn attr_value(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.as_ref() == key || a.key.local_name().as_ref() == key)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .ok()
            })
            .flatten()
    })
}

/// Parses a `.rels` part.
pub(super) fn parse_rels(xml: &[u8], part: &str) -> Result<Vec<Rel>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut rels = Vec::new();
    loop {
        buf.clear();
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_err(part, e))?
        {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                rels.push(Rel {
                    id: attr_value(&e, "Id").unwrap_or_default(),
                    rel_type: attr_value(&e, "Type").unwrap_or_default(),
                    target: attr_value(&e, "Target").unwrap_or_default(),
                });
            }
            _ => {}
        }
    }
    Ok(rels)
}

/// The `.rels` part holding the relationships of `part`.
pub(super) fn rels_part_for(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The zip entry name a relationship target of `source_part` points at.
pub(super) fn resolve_target(source_part: &str, target: &str) -> String {
    let target = target.split('#').next().unwrap_or_default();
    let mut segments: Vec<&str> = if let Some(abs) = target.strip_prefix('/') {
        return normalize(abs.split('/').collect());
    } else {
        source_part
            .rsplit_once('/')
            .map(|(dir, _)| dir.split('/').collect())
            .unwrap_or_default()
    };
    segments.extend(target.split('/'));
    normalize(segments)
}

fn normalize(segments: Vec<&str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for s in segments {
        match s {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// Streams an XML part, dropping top-level children that `drop` selects and
/// appending `extra` before the root's end tag.
fn filter_children(
    xml: &[u8],
    part: &str,
    drop: impl Fn(&BytesStart<'_>) -> bool,
    extra: &[u8],
) -> Result<Vec<u8>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + extra.len()));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut skipping: Option<usize> = None;
    let write_err = |e: std::io::Error| format!("{part}: {e}");
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_err(part, e))?;
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

/// A `.rels` part without the relationships in `drop_ids`, plus `add`
/// (`(id, type, target)`).
pub(super) fn rewrite_rels(
    xml: &[u8],
    part: &str,
    drop_ids: &HashSet<String>,
    add: &[(String, String, String)],
) -> Result<Vec<u8>, String> {
    let mut extra = Vec::new();
    for (id, rel_type, target) in add {
        extra.extend_from_slice(b"<Relationship Id=\"");
        push_escaped(&mut extra, id, false);
        extra.extend_from_slice(b"\" Type=\"");
        push_escaped(&mut extra, rel_type, false);
        extra.extend_from_slice(b"\" Target=\"");
        push_escaped(&mut extra, target, false);
        extra.extend_from_slice(b"\"/>");
    }
    filter_children(
        xml,
        part,
        |e| {
            e.local_name().as_ref() == "Relationship"
                && attr_value(e, "Id").is_some_and(|id| drop_ids.contains(&id))
        },
        &extra,
    )
}

/// `[Content_Types].xml` without overrides for `drop_parts` (entry names
/// without the leading `/`), plus overrides for `add` (`(part, type)`).
pub(super) fn rewrite_content_types(
    xml: &[u8],
    drop_parts: &HashSet<String>,
    add: &[(String, String)],
) -> Result<Vec<u8>, String> {
    let mut extra = Vec::new();
    for (part, content_type) in add {
        extra.extend_from_slice(b"<Override PartName=\"/");
        push_escaped(&mut extra, part, false);
        extra.extend_from_slice(b"\" ContentType=\"");
        push_escaped(&mut extra, content_type, false);
        extra.extend_from_slice(b"\"/>");
    }
    filter_children(
        xml,
        "[Content_Types].xml",
        |e| {
            e.local_name().as_ref() == "Override"
                && attr_value(e, "PartName").is_some_and(|p| {
                    drop_parts.contains(p.trim_start_matches('/'))
                        || drop_parts
                            .iter()
                            .any(|d| d.eq_ignore_ascii_case(p.trim_start_matches('/')))
                })
        },
        &extra,
    )
}

/// `docProps/app.xml` with the worksheet titles replaced: the
/// `Worksheets` heading's count and its run of `TitlesOfParts` entries
/// become `names`. Other headings (named ranges, charts) are kept.
pub(super) fn rewrite_app_titles(xml: &[u8], names: &[String]) -> Result<Vec<u8>, String> {
    const PART: &str = "docProps/app.xml";
    // First pass: the headings and their counts, to find the run of titles
    // that are worksheet names.
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut pairs: Vec<(String, usize)> = Vec::new();
    let mut text = String::new();
    loop {
        buf.clear();
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_err(PART, e))?
        {
            Event::Eof => break,
            Event::Start(e) => {
                stack.push(e.local_name().as_ref().to_string());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t),
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if stack.iter().any(|s| s == "HeadingPairs") {
                    match name.as_str() {
                        "lpstr" => pairs.push((text.clone(), 0)),
                        "i4" => {
                            if let Some(last) = pairs.last_mut() {
                                last.1 = text.trim().parse().unwrap_or(0);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let Some(ws_pos) = pairs.iter().position(|(n, _)| {
        n.eq_ignore_ascii_case("Worksheets") || n.eq_ignore_ascii_case("Arbeitsblätter")
    }) else {
        return Ok(xml.to_vec());
    };
    let first = pairs[..ws_pos].iter().map(|(_, c)| c).sum::<usize>();
    let old_count = pairs[ws_pos].1;
    let total_titles: usize = pairs.iter().map(|(_, c)| c).sum();
    let new_total = total_titles - old_count + names.len();

    // Second pass: rewrite.
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 256));
    let mut stack: Vec<String> = Vec::new();
    let mut pair_index = 0usize;
    let mut title_index = 0usize;
    let mut skip_text = false;
    let write_err = |e: std::io::Error| format!("{PART}: {e}");
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_err(PART, e))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let local = e.local_name().as_ref().to_string();
                let in_titles = stack.iter().any(|s| s == "TitlesOfParts");
                let in_pairs = stack.iter().any(|s| s == "HeadingPairs");
                stack.push(local.clone());
                if local == "vector" && in_titles {
                    let size = new_total.to_string();
                    let e = replace_attrs(&e, &[("size", Some(&size))]);
                    writer.write_event(Event::Start(e)).map_err(write_err)?;
                    continue;
                }
                if local == "i4" && in_pairs {
                    pair_index += 1;
                    writer.write_event(Event::Start(e)).map_err(write_err)?;
                    if pair_index == ws_pos + 1 {
                        writer
                            .get_mut()
                            .extend_from_slice(names.len().to_string().as_bytes());
                        skip_text = true;
                    }
                    continue;
                }
                if local == "lpstr" && in_titles {
                    let i = title_index;
                    title_index += 1;
                    if i == first {
                        // The worksheet run starts here: write all new names.
                        let prefix = e.name().as_ref().to_string();
                        for name in names {
                            let out = writer.get_mut();
                            out.extend_from_slice(format!("<{prefix}>").as_bytes());
                            push_escaped(out, name, false);
                            out.extend_from_slice(format!("</{prefix}>").as_bytes());
                        }
                    }
                    if i >= first && i < first + old_count {
                        skip_element(&mut reader)?;
                        stack.pop();
                        continue;
                    }
                }
                writer.write_event(Event::Start(e)).map_err(write_err)?;
            }
            Event::Text(t) if skip_text => {
                let _ = t;
            }
            Event::End(e) => {
                skip_text = false;
                if stack.last().is_some_and(|s| s == "vector")
                    && stack.iter().any(|s| s == "TitlesOfParts")
                    && title_index == first
                    && old_count == 0
                {
                    for name in names {
                        let out = writer.get_mut();
                        out.extend_from_slice(b"<vt:lpstr>");
                        push_escaped(out, name, false);
                        out.extend_from_slice(b"</vt:lpstr>");
                    }
                }
                stack.pop();
                writer.write_event(Event::End(e)).map_err(write_err)?;
            }
            other => writer.write_event(other).map_err(write_err)?,
        }
    }
    Ok(writer.into_inner())
}

fn skip_element(reader: &mut Reader<&[u8]>) -> Result<(), String> {
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_err("docProps/app.xml", e))?
        {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_part() {
        assert_eq!(
            resolve_target("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve_target("xl/worksheets/sheet1.xml", "../drawings/d1.xml"),
            "xl/drawings/d1.xml"
        );
        assert_eq!(resolve_target("", "/xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(
            rels_part_for("xl/workbook.xml"),
            "xl/_rels/workbook.xml.rels"
        );
    }

    #[test]
    fn rels_and_content_types_drop_and_add() {
        let rels = br#"<?xml version="1.0"?><Relationships xmlns="x"><Relationship Id="rId1" Type="t/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId9" Type="t/calcChain" Target="calcChain.xml"/></Relationships>"#;
        let drop: HashSet<String> = ["rId9".to_string()].into();
        let out = rewrite_rels(
            rels,
            "r",
            &drop,
            &[(
                "rId10".into(),
                "t/worksheet".into(),
                "worksheets/sheet2.xml".into(),
            )],
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains("calcChain"), "{out}");
        assert!(out.contains(r#"<Relationship Id="rId10" Type="t/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#), "{out}");
        assert_eq!(parse_rels(out.as_bytes(), "r").unwrap().len(), 2);
    }

    #[test]
    fn app_titles_follow_the_sheets() {
        let xml = br#"<Properties xmlns:vt="v"><HeadingPairs><vt:vector size="4" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>2</vt:i4></vt:variant><vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="3" baseType="lpstr"><vt:lpstr>A</vt:lpstr><vt:lpstr>B</vt:lpstr><vt:lpstr>Rate</vt:lpstr></vt:vector></TitlesOfParts></Properties>"#;
        let out = rewrite_app_titles(xml, &["A".into(), "B2".into(), "C".into()]).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(r#"<vt:i4>3</vt:i4>"#), "{out}");
        assert!(out.contains(r#"<vt:vector size="4" baseType="lpstr"><vt:lpstr>A</vt:lpstr><vt:lpstr>B2</vt:lpstr><vt:lpstr>C</vt:lpstr><vt:lpstr>Rate</vt:lpstr></vt:vector>"#), "{out}");
    }
}
