//! Excel 97-2003 (.xls) workbooks built record by record: a BIFF8
//! workbook stream inside a compound file, with just the records a test
//! needs (sheets, numbers, labels, formulas, defined names), and the
//! variants no writer of ours makes (XOR obfuscation, bare BIFF4 files,
//! broken records).

use std::io::Write;
use std::path::Path;

/// One sheet of a [`Biff8`] workbook.
pub struct BiffSheet {
    /// The sheet's name (BIFF8 allows up to 255 characters).
    pub name: String,
    /// Cell records of the sheet (see [`number`], [`label`], [`formula`]).
    pub cells: Vec<Vec<u8>>,
}

/// A BIFF8 workbook to write with [`write_xls`].
#[derive(Default)]
pub struct Biff8 {
    /// The sheets, in order.
    pub sheets: Vec<BiffSheet>,
    /// Defined names: (name, sheet position from 1 or 0 for the
    /// workbook, formula tokens).
    pub names: Vec<(String, u16, Vec<u8>)>,
    /// Records right after the globals' BOF (such as a FilePass).
    pub after_bof: Vec<Vec<u8>>,
}

/// A record: type, length, data.
pub fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = typ.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

fn bof(kind: u16) -> Vec<u8> {
    let mut data = vec![0x00, 0x06];
    data.extend(kind.to_le_bytes());
    data.extend([0u8; 12]);
    record(0x0809, &data)
}

fn cell_head(row: u16, col: u16) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(col.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data
}

/// A NUMBER cell.
pub fn number(row: u16, col: u16, value: f64) -> Vec<u8> {
    let mut data = cell_head(row, col);
    data.extend(value.to_le_bytes());
    record(0x0203, &data)
}

/// A LABEL cell holding Latin-1 `text` (up to 8,000 characters).
pub fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut data = cell_head(row, col);
    data.extend((text.len() as u16).to_le_bytes());
    data.push(0);
    data.extend(text.as_bytes());
    record(0x0204, &data)
}

/// A FORMULA cell with cached number `cached` and tokens `rgce`.
pub fn formula(row: u16, col: u16, cached: f64, rgce: &[u8]) -> Vec<u8> {
    let mut data = cell_head(row, col);
    data.extend(cached.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend(0u32.to_le_bytes());
    data.extend((rgce.len() as u16).to_le_bytes());
    data.extend(rgce);
    record(0x0006, &data)
}

/// A ROW record for `row`, hidden (fDyZero) or not.
pub fn row(row: u16, hidden: bool) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend([0, 0, 1, 0]); // colMic, colMac
    data.extend(300u16.to_le_bytes()); // height in twips
    data.extend([0u8; 4]);
    // Flags: fDyZero (0x20) in the first byte; the reserved bit that must
    // be 1 and ixfe 15 after it.
    data.extend([if hidden { 0x20 } else { 0 }, 0x01, 0x0F, 0x00]);
    record(0x0208, &data)
}

/// An AUTOFILTERINFO record: the sheet has an autoFilter over `columns`.
pub fn auto_filter_info(columns: u16) -> Vec<u8> {
    record(0x009D, &columns.to_le_bytes())
}

/// Tokens of `SUBTOTAL(function, area)` over rows `rows` (zero-based) of
/// column A of the formula's own sheet.
pub fn subtotal(function: u16, rows: (u16, u16)) -> Vec<u8> {
    let mut t = vec![0x1E];
    t.extend(function.to_le_bytes());
    t.push(0x25);
    t.extend(rows.0.to_le_bytes());
    t.extend(rows.1.to_le_bytes());
    t.extend(0u16.to_le_bytes());
    t.extend(0u16.to_le_bytes());
    // PtgFuncVar: two arguments, SUBTOTAL is function 344.
    t.push(0x22);
    t.push(2);
    t.extend(344u16.to_le_bytes());
    t
}

/// Tokens of a reference to one cell of the `ixti`-th sheet (the sheets
/// are listed in the external-sheet table in order, from 0).
pub fn ref3d(ixti: u16, row: u16, col: u16) -> Vec<u8> {
    let mut t = vec![0x3A];
    t.extend(ixti.to_le_bytes());
    t.extend(row.to_le_bytes());
    t.extend((col | 0xC000).to_le_bytes());
    t
}

/// Tokens of an absolute area `$A$r1:$B$r2`-style on the `ixti`-th sheet.
pub fn area3d(ixti: u16, rows: (u16, u16), cols: (u16, u16)) -> Vec<u8> {
    let mut t = vec![0x3B];
    t.extend(ixti.to_le_bytes());
    t.extend(rows.0.to_le_bytes());
    t.extend(rows.1.to_le_bytes());
    t.extend(cols.0.to_le_bytes());
    t.extend(cols.1.to_le_bytes());
    t
}

/// The workbook stream of `book`.
pub fn workbook_stream(book: &Biff8) -> Vec<u8> {
    let mut globals = bof(0x0005);
    for r in &book.after_bof {
        globals.extend(r);
    }
    globals.extend(record(0x0042, &1200u16.to_le_bytes()));
    let mut bound_at = Vec::new();
    for sheet in &book.sheets {
        bound_at.push(globals.len() + 4);
        let mut data = vec![0u8; 6];
        data.push(sheet.name.chars().count() as u8);
        data.push(1);
        data.extend(sheet.name.encode_utf16().flat_map(u16::to_le_bytes));
        globals.extend(record(0x0085, &data));
    }
    // This workbook's own SupBook, then one external-sheet entry per
    // sheet, so ixti i is sheet i.
    let mut own = (book.sheets.len() as u16).to_le_bytes().to_vec();
    own.extend([0x01, 0x04]);
    globals.extend(record(0x01AE, &own));
    let mut xti = (book.sheets.len() as u16).to_le_bytes().to_vec();
    for i in 0..book.sheets.len() as u16 {
        xti.extend(0u16.to_le_bytes());
        xti.extend(i.to_le_bytes());
        xti.extend(i.to_le_bytes());
    }
    globals.extend(record(0x0017, &xti));
    for (name, itab, rgce) in &book.names {
        let mut data = vec![0u8, 0, 0, name.len() as u8];
        data.extend((rgce.len() as u16).to_le_bytes());
        data.extend(0u16.to_le_bytes());
        data.extend(itab.to_le_bytes());
        data.extend([0u8; 4]);
        data.push(0);
        data.extend(name.as_bytes());
        data.extend(rgce);
        globals.extend(record(0x0018, &data));
    }
    globals.extend(record(0x000A, &[]));
    let mut stream = globals;
    for (sheet, at) in book.sheets.iter().zip(bound_at) {
        let pos = (stream.len() as u32).to_le_bytes();
        stream[at..at + 4].copy_from_slice(&pos);
        stream.extend(bof(0x0010));
        for cell in &sheet.cells {
            stream.extend(cell);
        }
        stream.extend(record(0x000A, &[]));
    }
    stream
}

/// Writes a compound file at `path` holding `stream` as its workbook.
pub fn write_compound(path: &Path, stream: &[u8]) {
    let mut compound = cfb::create(path).unwrap();
    let mut s = compound.create_stream("/Workbook").unwrap();
    s.write_all(stream).unwrap();
    drop(s);
    compound.flush().unwrap();
}

/// Writes `book` as an .xls file at `path`.
pub fn write_xls(path: &Path, book: &Biff8) {
    write_compound(path, &workbook_stream(book));
}

/// Tokens of a shared or array formula's pointer (PtgExp) to the cell
/// whose Formula record its ShrFmla or Array record follows.
pub fn pointer(row: u16, col: u16) -> Vec<u8> {
    let mut t = vec![0x01];
    t.extend(row.to_le_bytes());
    t.extend(col.to_le_bytes());
    t
}

/// A column field with the relative flags of a reference: `col` itself
/// (an offset when `col_relative`), bit 14 for the column, 15 for the row.
fn column_field(col: i16, col_relative: bool, row_relative: bool) -> u16 {
    (col as u16 & 0x3FFF)
        | if col_relative { 0x4000 } else { 0 }
        | if row_relative { 0x8000 } else { 0 }
}

/// Tokens of a shared formula's cell reference relative in row and
/// column (PtgRefN, value class): `rows` and `cols` away from the cell.
pub fn ref_n(rows: i16, cols: i16) -> Vec<u8> {
    let mut t = vec![0x4C];
    t.extend((rows as u16).to_le_bytes());
    t.extend(column_field(cols, true, true).to_le_bytes());
    t
}

/// Tokens of a shared formula's area (PtgAreaN, reference class) from an
/// absolute first cell (`first` = row, column) to a last cell `rows` and
/// `cols` away from the formula's cell: `$A$1:A1` copied down.
pub fn area_n_from_fixed(first: (u16, u16), rows: i16, cols: i16) -> Vec<u8> {
    let mut t = vec![0x2D];
    t.extend(first.0.to_le_bytes());
    t.extend((rows as u16).to_le_bytes());
    t.extend(column_field(first.1 as i16, false, false).to_le_bytes());
    t.extend(column_field(cols, true, true).to_le_bytes());
    t
}

/// A SHRFMLA record: `rgce` shared by the cells of rows `rows` and
/// columns `cols` (zero-based, inclusive).
pub fn shared_formula(rows: (u16, u16), cols: (u8, u8), rgce: &[u8]) -> Vec<u8> {
    let mut data = rows.0.to_le_bytes().to_vec();
    data.extend(rows.1.to_le_bytes());
    data.extend([cols.0, cols.1, 0, (rows.1 - rows.0 + 1) as u8]);
    data.extend((rgce.len() as u16).to_le_bytes());
    data.extend(rgce);
    record(0x04BC, &data)
}

/// An ARRAY record: the legacy array formula `rgce` entered over rows
/// `rows` and columns `cols`.
pub fn array_formula(rows: (u16, u16), cols: (u8, u8), rgce: &[u8]) -> Vec<u8> {
    let mut data = rows.0.to_le_bytes().to_vec();
    data.extend(rows.1.to_le_bytes());
    data.extend([cols.0, cols.1]);
    data.extend(0u16.to_le_bytes());
    data.extend([0u8; 4]);
    data.extend((rgce.len() as u16).to_le_bytes());
    data.extend(rgce);
    record(0x0221, &data)
}
