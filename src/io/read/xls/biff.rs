//! What calamine does not tell about an Excel 97-2003 (.xls) file, read
//! from the records of its workbook stream: the sheet each defined name
//! belongs to, whether the file is XOR-obfuscated (the oldest Excel
//! password protection, which calamine takes for plain data), and whether
//! it holds a VBA project; how many cells calamine will build for each
//! sheet, checked against the reading limits before calamine opens the
//! file; the rows each sheet hides (for SUBTOTAL and AGGREGATE); and the
//! raw BIFF2-4 files of Excel 2.x to 4.0, which are no
//! compound file at all.

use super::super::limits::{Limit, OverLimit, ReadLimits};
use crate::model::{CellAddr, HiddenRows};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// BOF, the first record of every BIFF substream (BIFF5 and BIFF8).
pub(super) const BOF: u16 = 0x0809;
/// EOF, the last record of a substream.
pub(super) const EOF: u16 = 0x000A;
/// FilePass: the workbook is encrypted or obfuscated.
pub(super) const FILE_PASS: u16 = 0x002F;
/// Lbl: one defined name.
const LBL: u16 = 0x0018;
/// BoundSheet8: a sheet's name and where its substream starts.
pub(super) const BOUND_SHEET: u16 = 0x0085;
/// Dimensions: the used range a sheet claims.
const DIMENSIONS: u16 = 0x0200;
/// Row: a row's height and flags.
const ROW: u16 = 0x0208;
/// fDyZero, in the flags byte at offset 12 of a Row record: the row is
/// hidden (MS-XLS 2.4.221).
const ROW_HIDDEN: u8 = 0x20;
/// AutoFilterInfo: the sheet has an autoFilter (its range is the sheet's
/// `_FilterDatabase` name).
const AUTO_FILTER_INFO: u16 = 0x009D;
/// MulRk: several numbers on one row.
const MUL_RK: u16 = 0x00BD;
/// Cell records calamine reads, each starting with row and column:
/// Formula, Number, Label, RString, BoolErr, RK, LabelSst.
const CELLS: [u16; 7] = [0x0006, 0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD];

/// The workbook-wide records of an .xls file that calamine does not hand
/// out.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Globals {
    /// For each defined name, in file order (calamine's order): the
    /// 1-based position of the sheet it belongs to, 0 for a workbook-wide
    /// name.
    pub name_sheets: Vec<u16>,
    /// The workbook is XOR-obfuscated: protected by a password in the
    /// oldest way, its records unreadable without it.
    pub xor_obfuscated: bool,
    /// The file holds a VBA project (the `_VBA_PROJECT_CUR` storage).
    pub has_vba: bool,
    /// The workbook is encrypted or obfuscated (it has a FilePass record).
    pub encrypted: bool,
    /// The sheets: name and where their substream starts in the stream.
    pub sheets: Vec<(String, u32)>,
}

/// Reads the workbook globals of the compound file at `path`; `None`
/// when the file is no compound file holding a workbook stream this scan
/// can read (calamine then says what is wrong).
pub(crate) fn read_globals(path: &Path) -> Option<Globals> {
    let (mut compound, stream_path) = compound_workbook(path)?;
    let has_vba = compound.is_storage("/_VBA_PROJECT_CUR");
    let stream = compound.open_stream(&stream_path).ok()?;
    let mut globals = scan_globals(BufReader::new(stream))?;
    globals.has_vba = has_vba;
    Some(globals)
}

/// Walks the records of the globals substream (up to its EOF record).
fn scan_globals(mut stream: impl Read + Seek) -> Option<Globals> {
    let mut globals = Globals::default();
    let mut biff8 = true;
    let mut first = true;
    let mut data = Vec::with_capacity(256);
    loop {
        let mut head = [0u8; 4];
        if stream.read_exact(&mut head).is_err() {
            break;
        }
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]);
        if first && typ != BOF {
            return None;
        }
        match typ {
            BOF | FILE_PASS | LBL | BOUND_SHEET => {
                record_data(&mut stream, len, &mut data)?;
                let u16_at =
                    |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
                match typ {
                    BOF if first => biff8 = u16_at(0) == Some(0x0600),
                    // BIFF5 knows XOR obfuscation only; BIFF8 says which.
                    FILE_PASS => {
                        globals.encrypted = true;
                        globals.xor_obfuscated = !biff8 || u16_at(0) == Some(0);
                    }
                    // Lbl: flags, shortcut key, lengths, then `itab` at 8
                    // in BIFF5 and BIFF8 alike.
                    LBL => globals.name_sheets.push(u16_at(8).unwrap_or(0)),
                    BOUND_SHEET => {
                        if let Some(p) = data.get(0..4) {
                            let position = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
                            globals.sheets.push((sheet_name(&data, biff8), position));
                        }
                    }
                    _ => {}
                }
            }
            EOF => break,
            _ => {
                stream
                    .seek(std::io::SeekFrom::Current(i64::from(len)))
                    .ok()?;
            }
        }
        first = false;
    }
    Some(globals)
}

/// Refuses the .xls at `path` when calamine would build more cells than
/// `limits` allow. calamine builds every sheet when it opens the file: it
/// reserves room for the cells a sheet's Dimensions record claims (whose
/// row count is 32 bits in BIFF8) and then makes a dense grid over the
/// rectangle its cells span, for the values and again for the formulas
/// (columns are 16 bits in a cell record, so a file can place a cell at
/// column 65536). The file is walked record by record, as calamine walks
/// it; a stream this walk cannot read is left to calamine to refuse.
pub(crate) fn check_sheet_sizes(path: &Path, limits: &ReadLimits) -> Result<(), OverLimit> {
    let mut dense = 0u64;
    let mut sheets = SheetStreams::open(path);
    while let Some((name, stream)) = sheets.next_sheet() {
        let Some(size) = sheet_size(stream) else {
            continue;
        };
        if size.claimed > limits.max_cells {
            return Err(OverLimit::new(
                Limit::Cells,
                format!("sheet \"{name}\": its Dimensions record claims"),
            ));
        }
        for span in [size.values, size.formulas].into_iter().flatten() {
            dense = dense.saturating_add(span.cells());
            if dense > limits.max_cells {
                return Err(OverLimit::new(
                    Limit::Cells,
                    format!(
                        "sheet \"{name}\": with its cells spread over {}:{}, the workbook holds",
                        CellAddr::new(span.first.0, span.first.1),
                        CellAddr::new(span.last.0, span.last.1),
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The rows a sheet hides and whether it has an autoFilter.
#[derive(Debug, Default)]
pub(crate) struct SheetRows {
    /// The sheet's name.
    pub name: String,
    /// Rows whose Row record has fDyZero set.
    pub hidden: HiddenRows,
    /// The sheet has an AutoFilterInfo record.
    pub auto_filter: bool,
}

/// The rows each sheet of the .xls at `path` hides, for the sheets that
/// hide any; none when the stream cannot be walked (calamine then says
/// what is wrong) or is encrypted. The file does not say whether a
/// filter or the user hid a row; the autoFilter range (the sheet's
/// `_FilterDatabase` name) tells SUBTOTAL which.
pub(crate) fn hidden_rows(path: &Path) -> Vec<SheetRows> {
    let mut found = Vec::new();
    let mut sheets = SheetStreams::open(path);
    while let Some((name, stream)) = sheets.next_sheet() {
        let mut rows = SheetRows {
            name,
            ..SheetRows::default()
        };
        let wanted = |typ| typ == ROW || typ == AUTO_FILTER_INFO;
        let walked = walk_sheet(stream, wanted, |typ, data| {
            if typ == AUTO_FILTER_INFO {
                rows.auto_filter = true;
                return;
            }
            let row = data.get(0..2).map(|b| u16::from_le_bytes([b[0], b[1]]));
            if let (Some(row), Some(flags)) = (row, data.get(12)) {
                if flags & ROW_HIDDEN != 0 {
                    rows.hidden.hide(u32::from(row));
                }
            }
        });
        if walked.is_some() && !rows.hidden.is_empty() {
            found.push(rows);
        }
    }
    found
}

/// The sheet substreams of an .xls workbook stream, one after another,
/// each positioned at its BOF; none for a file that is no compound file
/// with a readable workbook stream, or whose records are encrypted.
struct SheetStreams {
    stream: Option<BufReader<cfb::Stream<std::fs::File>>>,
    sheets: std::vec::IntoIter<(String, u32)>,
}

impl SheetStreams {
    fn open(path: &Path) -> SheetStreams {
        let opened = compound_workbook(path).and_then(|(mut compound, stream_path)| {
            let mut stream = BufReader::new(compound.open_stream(&stream_path).ok()?);
            let globals = scan_globals(&mut stream)?;
            // Encrypted records: calamine refuses the file for its password.
            (!globals.encrypted).then_some((stream, globals.sheets))
        });
        match opened {
            Some((stream, sheets)) => SheetStreams {
                stream: Some(stream),
                sheets: sheets.into_iter(),
            },
            None => SheetStreams {
                stream: None,
                sheets: Vec::new().into_iter(),
            },
        }
    }

    /// The next sheet's name and its stream at the sheet's BOF, skipping
    /// sheets whose position lies outside the stream.
    fn next_sheet(&mut self) -> Option<(String, &mut BufReader<cfb::Stream<std::fs::File>>)> {
        let stream = self.stream.as_mut()?;
        for (name, position) in self.sheets.by_ref() {
            if stream.seek(SeekFrom::Start(u64::from(position))).is_ok() {
                return Some((name, stream));
            }
        }
        None
    }
}

/// The compound file at `path` and the path of its workbook stream
/// (whose reader needs the compound file kept open).
fn compound_workbook(path: &Path) -> Option<(cfb::CompoundFile<std::fs::File>, String)> {
    let file = std::fs::File::open(path).ok()?;
    let compound = cfb::CompoundFile::open(file).ok()?;
    let stream_name = compound
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .find(|n| n.eq_ignore_ascii_case("Workbook") || n.eq_ignore_ascii_case("Book"))?;
    Some((compound, format!("/{stream_name}")))
}

/// The name a BoundSheet8 record gives, for messages (`?` where it
/// cannot be read).
pub(super) fn sheet_name(data: &[u8], biff8: bool) -> String {
    let Some(&count) = data.get(6) else {
        return "?".to_string();
    };
    let count = usize::from(count);
    if biff8 {
        let wide = data.get(7).is_some_and(|flags| flags & 1 == 1);
        let chars = data.get(8..).unwrap_or_default();
        if wide {
            let units: Vec<u16> = chars
                .chunks_exact(2)
                .take(count)
                .map(|u| u16::from_le_bytes([u[0], u[1]]))
                .collect();
            return String::from_utf16_lossy(&units);
        }
        return chars.iter().take(count).map(|&b| char::from(b)).collect();
    }
    let chars = data.get(7..).unwrap_or_default();
    chars.iter().take(count).map(|&b| char::from(b)).collect()
}

/// The rectangle a set of cells spans: first and last row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    first: (u32, u32),
    last: (u32, u32),
}

impl Span {
    fn of(span: &mut Option<Span>, row: u32, col: u32) {
        let s = span.get_or_insert(Span {
            first: (row, col),
            last: (row, col),
        });
        s.first = (s.first.0.min(row), s.first.1.min(col));
        s.last = (s.last.0.max(row), s.last.1.max(col));
    }

    /// The cells of a dense grid over the span.
    fn cells(&self) -> u64 {
        u64::from(self.last.0 - self.first.0 + 1) * u64::from(self.last.1 - self.first.1 + 1)
    }
}

/// What calamine builds for one sheet.
#[derive(Debug, Default, PartialEq, Eq)]
struct SheetSize {
    /// The cells its Dimensions record claims, as calamine counts them.
    claimed: u64,
    /// The rectangle of the cells with values (and of formula cells,
    /// whose value calamine may leave out).
    values: Option<Span>,
    /// The rectangle of the formula cells.
    formulas: Option<Span>,
}

/// Walks one sheet substream from its BOF to its EOF, skipping the
/// substreams nested in it (embedded charts) as calamine does, and hands
/// `visit` the type and data of each record `wanted` picks; `None` when
/// the stream ends inside a record.
fn walk_sheet(
    stream: &mut (impl Read + Seek),
    wanted: impl Fn(u16) -> bool,
    mut visit: impl FnMut(u16, &[u8]),
) -> Option<()> {
    let mut data = Vec::with_capacity(256);
    let mut seen_bof = false;
    let mut nested = 0usize;
    while let Some((typ, len)) = record_head(stream) {
        if nested > 0 || !wanted(typ) {
            match typ {
                BOF if seen_bof => nested += 1,
                BOF => seen_bof = true,
                EOF if nested > 0 => nested -= 1,
                EOF => break,
                _ => {}
            }
            stream.seek(SeekFrom::Current(i64::from(len))).ok()?;
            continue;
        }
        record_data(stream, len, &mut data)?;
        visit(typ, &data);
    }
    Some(())
}

/// What calamine builds for one sheet, from its substream.
fn sheet_size(stream: &mut (impl Read + Seek)) -> Option<SheetSize> {
    let mut size = SheetSize::default();
    let wanted = |typ| typ == DIMENSIONS || typ == MUL_RK || CELLS.contains(&typ);
    walk_sheet(stream, wanted, |typ, data| {
        let u16_at = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match typ {
            DIMENSIONS => size.claimed = size.claimed.max(claimed_cells(data)),
            MUL_RK if data.len() >= 6 => {
                let (Some(row), Some(first)) = (u16_at(0), u16_at(2)) else {
                    return;
                };
                let last = u16_at(data.len() - 2).unwrap_or(first);
                if last >= first {
                    Span::of(&mut size.values, row, first);
                    Span::of(&mut size.values, row, last);
                }
            }
            _ => {
                let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) else {
                    return;
                };
                Span::of(&mut size.values, row, col);
                if typ == 0x0006 {
                    Span::of(&mut size.formulas, row, col);
                }
            }
        }
    })?;
    Some(size)
}

/// The cells calamine reserves room for from a Dimensions record: its
/// rows and columns, counted in 32-bit arithmetic as calamine counts them
/// (a first row past the last one wraps round to four billion rows).
fn claimed_cells(data: &[u8]) -> u64 {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let (first_row, row_end, mut first_col, col_end) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return 0,
    };
    if first_col > 0xFF || col_end < first_col {
        first_col = 0;
    }
    if row_end == 0 || col_end == 0 {
        return 1;
    }
    let rows = (row_end - 1).wrapping_sub(first_row).wrapping_add(1);
    let cols = (col_end - 1).wrapping_sub(first_col).wrapping_add(1);
    u64::from(rows) * u64::from(cols)
}

/// Reads the `len` bytes of a record's data into `data`.
fn record_data(stream: &mut impl Read, len: u16, data: &mut Vec<u8>) -> Option<()> {
    data.clear();
    stream.take(u64::from(len)).read_to_end(data).ok()?;
    Some(())
}

/// The type and length of the next record.
fn record_head(stream: &mut impl Read) -> Option<(u16, u16)> {
    let mut head = [0u8; 4];
    stream.read_exact(&mut head).ok()?;
    Some((
        u16::from_le_bytes([head[0], head[1]]),
        u16::from_le_bytes([head[2], head[3]]),
    ))
}

/// What a file that starts with a BIFF2-4 BOF record is, when it is one:
/// Excel 2.x to 4.0 wrote their worksheets and workbooks as a bare record
/// stream, not inside a compound file, and no reader here reads them.
pub(crate) fn old_excel_kind(head: &[u8]) -> Option<&'static str> {
    let typ = u16::from_le_bytes([*head.first()?, *head.get(1)?]);
    let len = u16::from_le_bytes([*head.get(2)?, *head.get(3)?]);
    if !(4..=32).contains(&len) || head.len() < 4 + usize::from(len) {
        return None;
    }
    // The sheet type: 0x10 worksheet, 0x20 chart, 0x40 macro sheet,
    // 0x100 Excel 4.0 workbook.
    let kind = u16::from_le_bytes([head[6], head[7]]);
    if !matches!(kind, 0x10 | 0x20 | 0x40 | 0x100) {
        return None;
    }
    match typ {
        0x0009 => Some("an Excel 2.x worksheet"),
        0x0209 => Some("an Excel 3.0 worksheet"),
        0x0409 if kind == 0x100 => Some("an Excel 4.0 workbook"),
        0x0409 => Some("an Excel 4.0 worksheet"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn lbl(itab: u16) -> Vec<u8> {
        let mut data = vec![0u8; 14];
        data[8..10].copy_from_slice(&itab.to_le_bytes());
        record(LBL, &data)
    }

    #[test]
    fn names_keep_their_sheet_and_obfuscation_is_seen() {
        let bof8 = record(BOF, &[0, 6, 5, 0, 0, 0, 0, 0]);
        let mut stream = bof8.clone();
        stream.extend(record(0x0042, &[0xE4, 0x04]));
        stream.extend(lbl(0));
        stream.extend(lbl(2));
        stream.extend(record(EOF, &[]));
        stream.extend(lbl(1)); // a sheet substream's: not read
        let globals = scan_globals(Cursor::new(stream)).unwrap();
        assert_eq!(globals.name_sheets, [0, 2]);
        assert!(!globals.xor_obfuscated);

        let mut xor = bof8.clone();
        xor.extend(record(FILE_PASS, &[0, 0, 0x34, 0x12, 0x78, 0x56]));
        assert!(scan_globals(Cursor::new(xor)).unwrap().xor_obfuscated);
        let mut rc4 = bof8;
        rc4.extend(record(FILE_PASS, &[1, 0, 1, 0]));
        assert!(!scan_globals(Cursor::new(rc4)).unwrap().xor_obfuscated);
        assert_eq!(scan_globals(Cursor::new(record(0x0042, &[0, 0]))), None);
    }

    #[test]
    fn old_excel_files_are_told_by_their_first_record() {
        let biff4_book = record(0x0409, &[0, 0, 0, 1, 0, 0]);
        assert_eq!(old_excel_kind(&biff4_book), Some("an Excel 4.0 workbook"));
        let biff3 = record(0x0209, &[0, 0, 0x10, 0, 0, 0]);
        assert_eq!(old_excel_kind(&biff3), Some("an Excel 3.0 worksheet"));
        assert_eq!(old_excel_kind(b"\x09\x04ab"), None);
        assert_eq!(old_excel_kind(b"a;b\n"), None);
    }
}
