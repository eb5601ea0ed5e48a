//! `[Content_Types].xml`: the content type of every part. A part the
//! patcher adds needs an override here and a part it drops must lose its
//! own, or Excel reports the file as damaged.

use super::xml::{attr, filter_children, push_escaped};
use super::PackageError;
use std::collections::HashSet;

/// The name of the content types part.
pub(crate) const CONTENT_TYPES_PART: &str = "[Content_Types].xml";
/// Content type of a worksheet part.
pub(crate) const CT_WORKSHEET: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
/// Content type of a table part.
pub(crate) const CT_TABLE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml";

/// Content type of a drawing part (the shapes and charts over a sheet).
pub(crate) const CT_DRAWING: &str = "application/vnd.openxmlformats-officedocument.drawing+xml";
/// Content type of a chart part.
pub(crate) const CT_CHART: &str =
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";

/// Content type of a relationships part.
pub(crate) const CT_RELATIONSHIPS: &str =
    "application/vnd.openxmlformats-package.relationships+xml";

/// Whether `[Content_Types].xml` gives parts ending in `.{extension}` a
/// default type (most packages do for `rels` and `xml`; a part without
/// one needs its own override).
pub(crate) fn has_default(xml: &[u8], extension: &str) -> bool {
    let mut reader = quick_xml::Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "Default"
                    && attr(&e, "Extension").is_some_and(|x| x.eq_ignore_ascii_case(extension)) =>
            {
                return true;
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return false,
            _ => {}
        }
    }
}

/// `[Content_Types].xml` without overrides for `drop_parts` (entry names
/// without the leading `/`, compared case-insensitively as part names
/// are), plus overrides for `add` (`(part, type)`).
pub(crate) fn rewrite_content_types(
    xml: &[u8],
    drop_parts: &HashSet<String>,
    add: &[(String, String)],
) -> Result<Vec<u8>, PackageError> {
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
        CONTENT_TYPES_PART,
        |e| {
            e.local_name().as_ref() == "Override"
                && attr(e, "PartName").is_some_and(|p| {
                    let p = p.trim_start_matches('/');
                    drop_parts.contains(p) || drop_parts.iter().any(|d| d.eq_ignore_ascii_case(p))
                })
        },
        &extra,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_found_by_extension() {
        let xml = br#"<Types xmlns="x"><Default Extension="XML" ContentType="application/xml"/><Override PartName="/_rels/.rels" ContentType="r"/></Types>"#;
        assert!(has_default(xml, "xml"));
        assert!(!has_default(xml, "rels"));
    }

    #[test]
    fn overrides_are_dropped_and_added() {
        let xml = br#"<Types xmlns="x"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/calcChain.xml" ContentType="c"/><Override PartName="/xl/workbook.xml" ContentType="w"/></Types>"#;
        let drop: HashSet<String> = ["xl/CALCCHAIN.xml".to_string()].into();
        let add = [("xl/tables/table1.xml".to_string(), CT_TABLE.to_string())];
        let out = String::from_utf8(rewrite_content_types(xml, &drop, &add).unwrap()).unwrap();
        assert!(!out.contains("calcChain"), "{out}");
        assert!(out.contains(r#"<Override PartName="/xl/workbook.xml" ContentType="w"/><Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/></Types>"#), "{out}");
    }
}
