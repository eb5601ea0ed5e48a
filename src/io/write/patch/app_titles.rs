//! The extended properties part (`docProps/app.xml`) lists the sheet
//! titles; Excel shows them in the file's properties, so they follow the
//! sheets when the run adds, removes or renames one.

use crate::io::ooxml::xml::{next_event, push_escaped, replace_attrs, skip_children};
use crate::io::ooxml::PackageError;
use quick_xml::events::Event;
use quick_xml::{Reader, Writer};

/// `docProps/app.xml` with the worksheet titles replaced: the
/// `Worksheets` heading's count and its run of `TitlesOfParts` entries
/// become `names`. Other headings (named ranges, charts) are kept.
pub(super) fn rewrite_app_titles(xml: &[u8], names: &[String]) -> Result<Vec<u8>, PackageError> {
    const PART: &str = "docProps/app.xml";
    // First pass: the headings and their counts, to find the run of titles
    // that are worksheet names.
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut pairs: Vec<(String, usize)> = Vec::new();
    let mut text = String::new();
    loop {
        match next_event(&mut reader, &mut buf, PART)? {
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
    let write_err = |e: std::io::Error| PackageError::part(PART, e);
    loop {
        let event = next_event(&mut reader, &mut buf, PART)?;
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
                        skip_children(&mut reader, PART)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_titles_follow_the_sheets() {
        let xml = br#"<Properties xmlns:vt="v"><HeadingPairs><vt:vector size="4" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>2</vt:i4></vt:variant><vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="3" baseType="lpstr"><vt:lpstr>A</vt:lpstr><vt:lpstr>B</vt:lpstr><vt:lpstr>Rate</vt:lpstr></vt:vector></TitlesOfParts></Properties>"#;
        let out = rewrite_app_titles(xml, &["A".into(), "B2".into(), "C".into()]).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(r#"<vt:i4>3</vt:i4>"#), "{out}");
        assert!(out.contains(r#"<vt:vector size="4" baseType="lpstr"><vt:lpstr>A</vt:lpstr><vt:lpstr>B2</vt:lpstr><vt:lpstr>C</vt:lpstr><vt:lpstr>Rate</vt:lpstr></vt:vector>"#), "{out}");
    }
}
