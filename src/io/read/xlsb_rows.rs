//! What calamine does not tell about an .xlsb: the rows each sheet hides
//! (a row header record's fDyZero flag) and its autoFilter range, read
//! from the sheet parts' BIFF12 records, for SUBTOTAL and AGGREGATE.

use crate::io::ooxml::package::read_bounded;
use crate::io::ooxml::part_names::resolve_target;
use crate::io::ooxml::relationships::parse_rels;
use crate::model::address::{MAX_COLS, MAX_ROWS};
use crate::model::{CellAddr, HiddenRows, RangeAddr};
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// BrtRowHdr: a row's height and flags.
const ROW_HEADER: u32 = 0x0000;
/// fDyZero, in the flags byte at offset 11 of a BrtRowHdr: the row is
/// hidden (MS-XLSB 2.4.761).
const ROW_HIDDEN: u8 = 0x10;
/// BrtBeginAFilter: the sheet's autoFilter, starting with its range.
const AUTO_FILTER: u32 = 0x00A1;
/// BrtBundleSh: one sheet of the workbook part: state, tab id,
/// relationship id, name.
const BUNDLE_SHEET: u32 = 0x009C;
/// Largest workbook part or relationships part read whole.
const MAX_META_PART: u64 = 64 << 20;

/// The rows one sheet hides and its autoFilter range.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct SheetRows {
    /// The sheet's name.
    pub name: String,
    /// Rows whose row header has fDyZero set.
    pub hidden: HiddenRows,
    /// The range of its BrtBeginAFilter record.
    pub auto_filter: Option<RangeAddr>,
}

/// The sheets of the .xlsb at `path` that hide rows; none where the
/// package cannot be walked (calamine then says what is wrong).
pub(crate) fn hidden_rows(path: &Path) -> Vec<SheetRows> {
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (name, part) in sheet_parts(&mut zip) {
        let Ok(entry) = zip.by_name(&part) else {
            continue;
        };
        let mut rows = sheet_rows(BufReader::new(entry));
        if !rows.hidden.is_empty() {
            rows.name = name;
            found.push(rows);
        }
    }
    found
}

/// The name and part of each sheet the workbook part of the .xlsb package
/// `zip` lists, in order; none where the package cannot be walked.
pub(crate) fn sheet_parts<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Vec<(String, String)> {
    let workbook = "xl/workbook.bin";
    let rels = "xl/_rels/workbook.bin.rels";
    let (Ok(Some(book)), Ok(Some(rels_xml))) = (
        read_bounded(zip, workbook, workbook, MAX_META_PART),
        read_bounded(zip, rels, rels, MAX_META_PART),
    ) else {
        return Vec::new();
    };
    let Ok(relationships) = parse_rels(&rels_xml, rels) else {
        return Vec::new();
    };
    bundle_sheets(&book)
        .into_iter()
        .filter_map(|(rel_id, name)| {
            let rel = relationships
                .iter()
                .find(|r| r.id == rel_id && !r.external)?;
            Some((name, resolve_target(workbook, &rel.target)))
        })
        .collect()
}

/// The relationship id and name of each sheet the workbook part lists.
fn bundle_sheets(book: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut records = std::io::Cursor::new(book);
    let mut data = Vec::new();
    while let Some((typ, len)) = record_head(&mut records) {
        if typ != BUNDLE_SHEET {
            if records
                .seek(std::io::SeekFrom::Current(i64::from(len)))
                .is_err()
            {
                break;
            }
            continue;
        }
        if record_data(&mut records, len, &mut data).is_none() {
            break;
        }
        let Some((rel_id, rest)) = wide_string(data.get(8..).unwrap_or_default()) else {
            continue;
        };
        if let Some((name, _)) = wide_string(rest) {
            out.push((rel_id, name));
        }
    }
    out
}

/// The hidden rows and autoFilter of one sheet part.
fn sheet_rows(mut part: impl Read) -> SheetRows {
    let mut rows = SheetRows::default();
    let mut data = Vec::new();
    while let Some((typ, len)) = record_head(&mut part) {
        if typ != ROW_HEADER && typ != AUTO_FILTER {
            if std::io::copy(&mut (&mut part).take(u64::from(len)), &mut std::io::sink()).ok()
                != Some(u64::from(len))
            {
                break;
            }
            continue;
        }
        if record_data(&mut part, len, &mut data).is_none() {
            break;
        }
        let u32_at = |i: usize| {
            data.get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        if typ == AUTO_FILTER {
            let within = |r: u32, c: u32| r < MAX_ROWS && c < MAX_COLS;
            if let (Some(r1), Some(r2), Some(c1), Some(c2)) =
                (u32_at(0), u32_at(4), u32_at(8), u32_at(12))
            {
                if within(r1, c1) && within(r2, c2) && r1 <= r2 && c1 <= c2 {
                    rows.auto_filter = Some(RangeAddr {
                        start: CellAddr::new(r1, c1),
                        end: CellAddr::new(r2, c2),
                    });
                }
            }
        } else if let (Some(row), Some(flags)) = (u32_at(0), data.get(11)) {
            if flags & ROW_HIDDEN != 0 && row < MAX_ROWS {
                rows.hidden.hide(row);
            }
        }
    }
    rows
}

/// An XLWideString at the start of `data` (a length in UTF-16 units, then
/// the units) and what follows it.
fn wide_string(data: &[u8]) -> Option<(String, &[u8])> {
    let count = u32::from_le_bytes(data.get(0..4)?.try_into().ok()?) as usize;
    let bytes = data.get(4..4 + count.checked_mul(2)?)?;
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|u| u16::from_le_bytes([u[0], u[1]]))
        .collect();
    Some((String::from_utf16_lossy(&units), &data[4 + count * 2..]))
}

/// A record's type and size, each a little-endian base-128 number (type
/// up to 2 bytes, size up to 4).
pub(crate) fn record_head(stream: &mut impl Read) -> Option<(u32, u32)> {
    let mut number = |most: u32| -> Option<u32> {
        let mut value = 0u32;
        for i in 0..most {
            let mut byte = [0u8; 1];
            stream.read_exact(&mut byte).ok()?;
            value |= u32::from(byte[0] & 0x7F) << (7 * i);
            if byte[0] & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    };
    let typ = number(2)?;
    let len = number(4)?;
    Some((typ, len))
}

/// Reads the `len` bytes of a record's data into `data`.
pub(crate) fn record_data(stream: &mut impl Read, len: u32, data: &mut Vec<u8>) -> Option<()> {
    data.clear();
    stream.take(u64::from(len)).read_to_end(data).ok()?;
    (data.len() == len as usize).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u8, data: &[u8]) -> Vec<u8> {
        let mut out = vec![typ, data.len() as u8];
        out.extend(data);
        out
    }

    fn row_header(row: u32, hidden: bool) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend([0u8; 6]);
        data.extend([0, if hidden { ROW_HIDDEN } else { 0 }, 0]);
        record(0, &data)
    }

    #[test]
    fn hidden_rows_and_the_filter_range_are_read() {
        let mut part = row_header(0, false);
        part.extend(row_header(2, true));
        part.extend(row_header(3, true));
        // A two-byte record type (BrtBeginAFilter, 0xA1) and its range.
        let mut filter = vec![0xA1, 0x01, 16];
        for n in [0u32, 4, 0, 1] {
            filter.extend(n.to_le_bytes());
        }
        part.extend(filter);
        part.extend(record(0x05, &[0u8; 16]));
        let rows = sheet_rows(part.as_slice());
        assert_eq!(rows.hidden.rows().collect::<Vec<_>>(), [2, 3]);
        assert_eq!(rows.auto_filter, RangeAddr::parse("A1:B5"));
    }
}
