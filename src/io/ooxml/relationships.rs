//! Relationship parts (`_rels/*.rels`): how one part points at another.
//! The reader follows them to find sheets, shared strings and tables; the
//! patcher follows the same ones and rewrites them when it adds or drops a
//! part.

use super::xml::{attr, filter_children, next_event, push_escaped};
use super::PackageError;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashSet;

/// Relationship type of a worksheet part.
pub(crate) const REL_WORKSHEET: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
/// Relationship type of a table part.
pub(crate) const REL_TABLE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table";
/// Relationship type of a sheet's drawing part.
pub(crate) const REL_DRAWING: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing";
/// Relationship type of a chart part (from a drawing).
pub(crate) const REL_CHART: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";

/// A relationship part with no relationships, for a part that gets its
/// first one.
pub(crate) const EMPTY_RELS: &[u8] =
    b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
    <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
    </Relationships>";

/// One relationship of a part.
#[derive(Debug, Clone)]
pub(crate) struct Relationship {
    /// `Id`, which the source part refers to (`r:id="rId3"`).
    pub id: String,
    /// `Type`, a URI ending in the kind (`.../worksheet`).
    pub kind: String,
    /// `Target`, relative to the source part's folder unless external.
    pub target: String,
    /// Whether the target is outside the package (a hyperlink's URL).
    pub external: bool,
}

impl Relationship {
    /// Whether the relationship type ends with `/{kind}` (the namespace
    /// differs between transitional and strict files).
    pub fn is(&self, kind: &str) -> bool {
        self.kind
            .rsplit('/')
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case(kind))
    }
}

/// Parses a `.rels` part named `part`.
pub(crate) fn parse_rels(xml: &[u8], part: &str) -> Result<Vec<Relationship>, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut rels = Vec::new();
    loop {
        match next_event(&mut reader, &mut buf, part)? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                rels.push(Relationship {
                    id: attr(&e, "Id").unwrap_or_default(),
                    kind: attr(&e, "Type").unwrap_or_default(),
                    target: attr(&e, "Target").unwrap_or_default(),
                    external: attr(&e, "TargetMode").is_some_and(|m| m == "External"),
                });
            }
            _ => {}
        }
    }
    Ok(rels)
}

/// A `.rels` part without the relationships in `drop_ids`, plus `add`
/// (`(id, type, target)`).
pub(crate) fn rewrite_rels(
    xml: &[u8],
    part: &str,
    drop_ids: &HashSet<String>,
    add: &[(String, String, String)],
) -> Result<Vec<u8>, PackageError> {
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
                && attr(e, "Id").is_some_and(|id| drop_ids.contains(&id))
        },
        &extra,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rels_drop_and_add() {
        let rels = br#"<?xml version="1.0"?><Relationships xmlns="x"><Relationship Id="rId1" Type="t/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId9" Type="t/calcChain" Target="calcChain.xml"/><Relationship Id="rId5" Type="t/hyperlink" Target="https://example.com/?a=1&amp;b=2" TargetMode="External"/></Relationships>"#;
        let parsed = parse_rels(rels, "r").unwrap();
        assert!(parsed[0].is("worksheet") && !parsed[0].external);
        assert_eq!(parsed[2].target, "https://example.com/?a=1&b=2");
        assert!(parsed[2].external);
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
        assert!(
            out.contains(r#"<Relationship Id="rId10" Type="t/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#),
            "{out}"
        );
        assert_eq!(parse_rels(out.as_bytes(), "r").unwrap().len(), 3);
        let err = parse_rels(b"<Relationships><Relationship Id=\"a\"", "xl/_rels/x.rels");
        assert!(err.is_err() || err.unwrap().is_empty());
    }
}
