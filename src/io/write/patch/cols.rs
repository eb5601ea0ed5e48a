//! Column widths (`<cols>`): the file's `<col>` runs are kept as written
//! and split only where the run gave a column another width, so widths
//! and styles of untouched columns survive byte for byte.

use super::cell::{parse_u32, push_u32};
use super::sheet::SheetError;
use quick_xml::events::BytesStart;
use std::collections::BTreeMap;

/// One `<col>` element: a run of one-based columns and its other
/// attributes as written in the file.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ColEntry {
    min: u32,
    max: u32,
    attrs: Vec<(String, String)>,
}

impl ColEntry {
    pub(super) fn from_element(e: &BytesStart<'_>) -> Result<ColEntry, SheetError> {
        let mut entry = ColEntry {
            min: 0,
            max: 0,
            attrs: Vec::new(),
        };
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|e| SheetError::Xml(e.to_string()))?;
            match attr.key.as_ref() {
                "min" => entry.min = parse_u32(attr.value.as_bytes()).unwrap_or(0),
                "max" => entry.max = parse_u32(attr.value.as_bytes()).unwrap_or(0),
                key => entry.attrs.push((key.to_string(), attr.value.into_owned())),
            }
        }
        if entry.min == 0 || entry.max < entry.min {
            return Err(SheetError::Xml(
                "a <col> element has a bad min/max".to_string(),
            ));
        }
        Ok(entry)
    }

    fn width(&self) -> Option<f64> {
        self.attrs
            .iter()
            .find(|(k, _)| k == "width")
            .and_then(|(_, v)| v.parse().ok())
    }

    fn with_width(&self, col: u32, width: f64) -> ColEntry {
        let mut attrs: Vec<(String, String)> = self
            .attrs
            .iter()
            .filter(|(k, _)| k != "width" && k != "customWidth")
            .cloned()
            .collect();
        attrs.insert(0, ("width".to_string(), format!("{width}")));
        attrs.insert(1, ("customWidth".to_string(), "1".to_string()));
        ColEntry {
            min: col,
            max: col,
            attrs,
        }
    }

    pub(super) fn encode(&self, out: &mut Vec<u8>, prefix: &str) {
        out.push(b'<');
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(b"col min=\"");
        push_u32(out, self.min);
        out.extend_from_slice(b"\" max=\"");
        push_u32(out, self.max);
        out.push(b'"');
        for (k, v) in &self.attrs {
            out.push(b' ');
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b"=\"");
            out.extend_from_slice(v.as_bytes());
            out.push(b'"');
        }
        out.extend_from_slice(b"/>");
    }
}

/// The file's `<col>` runs with the model's widths applied: a run is split
/// only where one of its columns got a different width.
pub(super) fn merge_cols(mut entries: Vec<ColEntry>, widths: &BTreeMap<u32, f64>) -> Vec<ColEntry> {
    for (&col0, &width) in widths {
        let col = col0 + 1;
        match entries.iter().position(|e| e.min <= col && col <= e.max) {
            Some(i) => {
                let entry = entries[i].clone();
                if entry.width().is_some_and(|w| (w - width).abs() < 1e-9) {
                    continue;
                }
                let mut pieces = Vec::new();
                if entry.min < col {
                    pieces.push(ColEntry {
                        max: col - 1,
                        ..entry.clone()
                    });
                }
                pieces.push(entry.with_width(col, width));
                if col < entry.max {
                    pieces.push(ColEntry {
                        min: col + 1,
                        ..entry.clone()
                    });
                }
                entries.splice(i..=i, pieces);
            }
            None => {
                let at = entries.partition_point(|e| e.max < col);
                let blank = ColEntry {
                    min: col,
                    max: col,
                    attrs: Vec::new(),
                };
                entries.insert(at, blank.with_width(col, width));
            }
        }
    }
    entries
}
