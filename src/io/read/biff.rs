//! What calamine does not tell about an Excel 97-2003 (.xls) file, read
//! from the records of its workbook stream: the sheet each defined name
//! belongs to, whether the file is XOR-obfuscated (the oldest Excel
//! password protection, which calamine takes for plain data), and whether
//! it holds a VBA project; and the raw BIFF2-4 files of Excel 2.x to 4.0,
//! which are no compound file at all.

use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// BOF, the first record of every BIFF substream (BIFF5 and BIFF8).
const BOF: u16 = 0x0809;
/// EOF, the last record of a substream.
const EOF: u16 = 0x000A;
/// FilePass: the workbook is encrypted or obfuscated.
const FILE_PASS: u16 = 0x002F;
/// Lbl: one defined name.
const LBL: u16 = 0x0018;

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
}

/// Reads the workbook globals of the compound file at `path`; `None`
/// when the file is no compound file holding a workbook stream this scan
/// can read (calamine then says what is wrong).
pub(crate) fn read_globals(path: &Path) -> Option<Globals> {
    let file = std::fs::File::open(path).ok()?;
    let mut compound = cfb::CompoundFile::open(file).ok()?;
    let stream_name = compound
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .find(|n| n.eq_ignore_ascii_case("Workbook") || n.eq_ignore_ascii_case("Book"))?;
    let has_vba = compound.is_storage("/_VBA_PROJECT_CUR");
    let stream = compound.open_stream(format!("/{stream_name}")).ok()?;
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
            BOF | FILE_PASS | LBL => {
                data.clear();
                stream
                    .by_ref()
                    .take(u64::from(len))
                    .read_to_end(&mut data)
                    .ok()?;
                let u16_at =
                    |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
                match typ {
                    BOF if first => biff8 = u16_at(0) == Some(0x0600),
                    // BIFF5 knows XOR obfuscation only; BIFF8 says which.
                    FILE_PASS => globals.xor_obfuscated = !biff8 || u16_at(0) == Some(0),
                    // Lbl: flags, shortcut key, lengths, then `itab` at 8
                    // in BIFF5 and BIFF8 alike.
                    LBL => globals.name_sheets.push(u16_at(8).unwrap_or(0)),
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
