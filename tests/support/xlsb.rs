//! Excel binary workbooks (.xlsb) built record by record: BIFF12 records
//! (a record type and a size, each a little-endian base-128 number, then
//! the payload) in the parts calamine reads — the workbook part with its
//! sheet list, external-sheet table and defined names, its relationships,
//! and one part per sheet — with just the cells a test needs.

use std::io::Write;
use std::path::Path;

/// One sheet of an [`Xlsb`] workbook.
pub struct XlsbSheet {
    /// The sheet's name.
    pub name: String,
    /// The used range the sheet's dimension record claims: first row,
    /// last row, first column, last column, from 0.
    pub dimension: [u32; 4],
    /// Records between the start and end of the sheet data (see [`row`],
    /// [`real`], [`text`], [`formula_number`]).
    pub records: Vec<Vec<u8>>,
}

/// A workbook to write with [`write_xlsb`].
#[derive(Default)]
pub struct Xlsb {
    /// The sheets, in order.
    pub sheets: Vec<XlsbSheet>,
    /// Workbook-wide defined names: name and formula tokens.
    pub names: Vec<(String, Vec<u8>)>,
}

/// A record: its type and size as base-128 numbers, then `data`.
pub fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 6);
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    let mut size = data.len();
    loop {
        let low = (size & 0x7F) as u8;
        size >>= 7;
        if size == 0 {
            out.push(low);
            break;
        }
        out.push(low | 0x80);
    }
    out.extend_from_slice(data);
    out
}

/// A wide string: its length in UTF-16 units, then the units.
fn wide(text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// The start of row `row` (from 0); the cells after it are on that row.
pub fn row(row: u32) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend([0u8; 13]);
    record(0x0000, &data)
}

/// The start of row `row` (from 0), hidden: fDyZero set in its flags.
pub fn hidden_row(row: u32) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend([0u8; 13]);
    data[11] = 0x10;
    record(0x0000, &data)
}

/// A BrtBeginAFilter record: an autoFilter over rows and columns (from 0).
pub fn auto_filter(rows: (u32, u32), cols: (u32, u32)) -> Vec<u8> {
    let mut data = Vec::new();
    for n in [rows.0, rows.1, cols.0, cols.1] {
        data.extend(n.to_le_bytes());
    }
    record(0x00A1, &data)
}

/// Tokens of `SUBTOTAL(function, $A$first:$A$last)` (rows from 0).
pub fn subtotal_tokens(function: u16, rows: (u32, u32)) -> Vec<u8> {
    let mut t = int_token(function);
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

/// Column and style of a cell record, the style being 0.
fn cell_head(col: u32) -> Vec<u8> {
    let mut data = col.to_le_bytes().to_vec();
    data.extend([0u8; 4]);
    data
}

/// A number cell in column `col` (from 0) of the current row.
pub fn real(col: u32, value: f64) -> Vec<u8> {
    let mut data = cell_head(col);
    data.extend(value.to_le_bytes());
    record(0x0005, &data)
}

/// A text cell (not shared) in column `col` of the current row.
pub fn text(col: u32, value: &str) -> Vec<u8> {
    let mut data = cell_head(col);
    data.extend(wide(value));
    record(0x0006, &data)
}

/// An error cell whose error code is `code` (0x07 is `#DIV/0!`).
pub fn error(col: u32, code: u8) -> Vec<u8> {
    let mut data = cell_head(col);
    data.push(code);
    record(0x0003, &data)
}

/// A formula cell with cached number `cached` and tokens `rgce`.
pub fn formula_number(col: u32, cached: f64, rgce: &[u8]) -> Vec<u8> {
    let mut data = cell_head(col);
    data.extend(cached.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend((rgce.len() as u32).to_le_bytes());
    data.extend(rgce);
    data.extend(0u32.to_le_bytes());
    record(0x0009, &data)
}

/// Tokens of a reference to one cell, relative in row and column.
pub fn ref_token(row: u32, col: u16) -> Vec<u8> {
    let mut t = vec![0x24];
    t.extend(row.to_le_bytes());
    t.extend((col | 0xC000).to_le_bytes());
    t
}

/// Tokens of a whole number from 0 to 65535.
pub fn int_token(value: u16) -> Vec<u8> {
    let mut t = vec![0x1E];
    t.extend(value.to_le_bytes());
    t
}

/// The workbook part of `book`.
fn workbook_part(book: &Xlsb) -> Vec<u8> {
    let mut out = record(0x0083, &[]);
    out.extend(record(0x0099, &[0u8; 12]));
    out.extend(record(0x008F, &[]));
    for (i, sheet) in book.sheets.iter().enumerate() {
        let mut data = 0u32.to_le_bytes().to_vec();
        data.extend((i as u32 + 1).to_le_bytes());
        data.extend(wide(&format!("rId{}", i + 1)));
        data.extend(wide(&sheet.name));
        out.extend(record(0x009C, &data));
    }
    out.extend(record(0x0090, &[]));
    // One external-sheet entry per sheet, so ixti i is sheet i.
    let mut xti = (book.sheets.len() as u32).to_le_bytes().to_vec();
    for i in 0..book.sheets.len() as i32 {
        xti.extend(0u32.to_le_bytes());
        xti.extend(i.to_le_bytes());
        xti.extend(i.to_le_bytes());
    }
    out.extend(record(0x016A, &xti));
    for (name, rgce) in &book.names {
        let mut data = vec![0u8; 5];
        data.extend(0xFFFF_FFFFu32.to_le_bytes());
        data.extend(wide(name));
        data.extend((rgce.len() as u32).to_le_bytes());
        data.extend(rgce);
        data.extend(0u32.to_le_bytes());
        out.extend(record(0x0027, &data));
    }
    out.extend(record(0x009D, &[0u8; 26]));
    out.extend(record(0x0084, &[]));
    out
}

/// The part of one sheet.
fn sheet_part(sheet: &XlsbSheet) -> Vec<u8> {
    let mut out = record(0x0081, &[]);
    let [first_row, last_row, first_col, last_col] = sheet.dimension;
    let mut dim = first_row.to_le_bytes().to_vec();
    dim.extend(last_row.to_le_bytes());
    dim.extend(first_col.to_le_bytes());
    dim.extend(last_col.to_le_bytes());
    out.extend(record(0x0094, &dim));
    out.extend(record(0x0091, &[]));
    for r in &sheet.records {
        out.extend(r);
    }
    out.extend(record(0x0092, &[]));
    out.extend(record(0x0082, &[]));
    out
}

/// Writes `book` as an .xlsb package at `path`.
pub fn write_xlsb(path: &Path, book: &Xlsb) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let sheet_type = "application/vnd.ms-excel.worksheet";
    let overrides: String = (1..=book.sheets.len())
        .map(|i| {
            format!(
                r#"<Override PartName="/xl/worksheets/sheet{i}.bin" ContentType="{sheet_type}"/>"#
            )
        })
        .collect();
    let content_types = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>{overrides}</Types>"#
    );
    let relationships: String = (1..=book.sheets.len())
        .map(|i| {
            format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.bin"/>"#)
        })
        .collect();
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types.into_bytes()),
        ("_rels/.rels".into(), br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#.to_vec()),
        ("xl/workbook.bin".into(), workbook_part(book)),
        ("xl/_rels/workbook.bin.rels".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationships}</Relationships>"#).into_bytes()),
    ];
    for (i, sheet) in book.sheets.iter().enumerate() {
        parts.push((
            format!("xl/worksheets/sheet{}.bin", i + 1),
            sheet_part(sheet),
        ));
    }
    for (name, data) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(&data).unwrap();
    }
    zip.finish().unwrap();
}

/// A formula cell in column `col` with cached number `cached` whose
/// formula is only a pointer (PtgExp) to the shared or array formula of
/// the cell `to` (row, column): the token holds the row, the formula's
/// extra data (a PtgExtraCol) the column.
pub fn pointer(col: u32, cached: f64, to: (u32, u32)) -> Vec<u8> {
    let mut data = cell_head(col);
    data.extend(cached.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend(5u32.to_le_bytes());
    data.push(0x01);
    data.extend(to.0.to_le_bytes());
    data.extend(4u32.to_le_bytes());
    data.extend(to.1.to_le_bytes());
    record(0x0009, &data)
}

/// The range of a BrtShrFmla or BrtArrFmla: rows and columns from 0.
fn rfx(rows: (u32, u32), cols: (u32, u32)) -> Vec<u8> {
    let mut data = Vec::new();
    for n in [rows.0, rows.1, cols.0, cols.1] {
        data.extend(n.to_le_bytes());
    }
    data
}

/// A parsed formula: the token count, the tokens, no extra data.
fn parsed(rgce: &[u8]) -> Vec<u8> {
    let mut data = (rgce.len() as u32).to_le_bytes().to_vec();
    data.extend(rgce);
    data.extend(0u32.to_le_bytes());
    data
}

/// A BrtShrFmla record: `rgce` shared by the cells of rows `rows` and
/// columns `cols`; it follows the formula record of the first cell.
pub fn shared_formula(rows: (u32, u32), cols: (u32, u32), rgce: &[u8]) -> Vec<u8> {
    let mut data = rfx(rows, cols);
    data.extend(parsed(rgce));
    record(0x01AB, &data)
}

/// A BrtArrFmla record: the legacy array formula `rgce` entered over rows
/// `rows` and columns `cols`; it follows the formula record of the first
/// cell.
pub fn array_formula(rows: (u32, u32), cols: (u32, u32), rgce: &[u8]) -> Vec<u8> {
    let mut data = rfx(rows, cols);
    data.push(0);
    data.extend(parsed(rgce));
    record(0x01AA, &data)
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
pub fn ref_n(rows: i32, cols: i16) -> Vec<u8> {
    let mut t = vec![0x4C];
    t.extend(rows.to_le_bytes());
    t.extend(column_field(cols, true, true).to_le_bytes());
    t
}

/// Tokens of a shared formula's area (PtgAreaN, reference class) from an
/// absolute first cell (`first` = row, column) to a last cell `rows` and
/// `cols` away from the formula's cell: `$A$1:A1` filled down.
pub fn area_n_from_fixed(first: (u32, u16), rows: i32, cols: i16) -> Vec<u8> {
    let mut t = vec![0x2D];
    t.extend(first.0.to_le_bytes());
    t.extend(rows.to_le_bytes());
    t.extend(column_field(first.1 as i16, false, false).to_le_bytes());
    t.extend(column_field(cols, true, true).to_le_bytes());
    t
}

/// Tokens of an area relative in rows and columns as Excel writes one in
/// a cell's own formula (PtgArea, array class): rows and columns from 0.
pub fn relative_area(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
    let mut t = vec![0x65];
    t.extend(rows.0.to_le_bytes());
    t.extend(rows.1.to_le_bytes());
    t.extend(column_field(cols.0 as i16, true, true).to_le_bytes());
    t.extend(column_field(cols.1 as i16, true, true).to_le_bytes());
    t
}
