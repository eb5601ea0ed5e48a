//! Shared and array formulas of an .xlsb, which calamine does not read.
//!
//! Excel stores a formula filled down or across once, in a BrtShrFmla
//! record after the first cell's formula record, and gives every cell of
//! the fill only a pointer to it (PtgExp, with the first cell's row; its
//! column is in the formula's extra data, a PtgExtraCol); a Ctrl+Shift+Enter
//! array formula likewise sits in a BrtArrFmla record after its first
//! cell (MS-XLSB 2.4.785, 2.4.6, 2.5.98.40). calamine decodes the tokens of
//! a cell's own formula but skips those pointers, so such cells would
//! arrive as bare values: a run that changes their inputs would leave them
//! stale, and a written workbook would lose them.
//!
//! This module writes each shared formula out into the formula record of
//! every cell that points to it, its relative references (PtgRefN,
//! PtgAreaN, offsets from the cell) resolved for that cell, and an array
//! formula into its first cell, in a copy of the package made only when
//! some cell holds a pointer; calamine then reads the copy and decodes
//! every formula itself. The other cells of an array formula keep their
//! saved values; the reader records the array's range.

use super::calamine_common::WrittenOut;
use super::ptg::StoredFormula as Stored;
use super::xlsb_rows::{record_data, record_head, sheet_parts};
use crate::model::{CellAddr, RangeAddr};
use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read, Seek, Write};
use std::path::Path;

/// BrtRowHdr: the row the cell records after it are on.
const ROW_HEADER: u32 = 0x0000;
/// BrtFmlaString: a formula cell whose value is text.
const FORMULA_STRING: u32 = 0x0008;
/// BrtFmlaNum: a formula cell whose value is a number.
const FORMULA_NUMBER: u32 = 0x0009;
/// BrtFmlaBool: a formula cell whose value is TRUE or FALSE.
const FORMULA_BOOL: u32 = 0x000A;
/// BrtFmlaError: a formula cell whose value is an error.
const FORMULA_ERROR: u32 = 0x000B;
/// BrtArrFmla: a Ctrl+Shift+Enter array formula over a range.
const ARRAY_FORMULA: u32 = 0x01AA;
/// BrtShrFmla: a formula shared by a range of cells.
const SHARED_FORMULA: u32 = 0x01AB;
/// PtgExp: the cell's formula is the shared or array formula of another.
const PTG_EXP: u8 = 0x01;
/// The most token bytes a cell's formula may hold (MS-XLSB 2.5.98.4).
const MAX_TOKENS: usize = 16384;
/// Records longer than this are no formula of Excel's (a formula holds at
/// most 16,384 token bytes, a text value 32,767 characters): they are
/// copied as they are, never read whole.
const MAX_FORMULA_RECORD: u32 = 1 << 20;
/// Rows and columns of the grid: relative references wrap round them.
const ROWS: i64 = 0x10_0000;
const COLUMNS: i64 = 0x4000;

/// An .xlsb whose shared and array formulas were written out.
#[derive(Debug, Default)]
pub(super) struct Expanded {
    /// The package for calamine when it was rewritten; `None` to read the
    /// file itself.
    pub file: Option<Vec<u8>>,
    /// The array formulas found and the cells left as values.
    pub written: WrittenOut,
}

/// What the first walk over one sheet part found.
#[derive(Default)]
struct Scan {
    /// The shared and array formulas, by the cell whose record they follow.
    stored: HashMap<(u32, u32), Stored>,
    /// Cells holding a pointer that are not the other cells of an array.
    pointers: usize,
    /// The first of those cells.
    first: Option<CellAddr>,
}

/// Writes out the shared and array formulas of the .xlsb at `path` in a
/// copy of it, when some of its cells point to them. A package this
/// cannot walk is left to calamine to read or refuse. `budget` is the most
/// bytes the rewrite may add, and the most the stored formulas may take:
/// the cells past it keep their values, named in a note.
pub(super) fn expand(path: &Path, budget: u64) -> Expanded {
    let Ok(file) = std::fs::File::open(path) else {
        return Expanded::default();
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Expanded::default();
    };
    let mut sheets = Vec::new();
    let mut stored_bytes = 0u64;
    for (name, part) in sheet_parts(&mut zip) {
        let Ok(entry) = zip.by_name(&part) else {
            continue;
        };
        let scan = scan(BufReader::new(entry), budget, &mut stored_bytes);
        if scan.pointers > 0 {
            sheets.push((name, part, scan));
        }
    }
    if sheets.is_empty() {
        return Expanded::default();
    }
    let mut written = WrittenOut::default();
    for (name, _, scan) in &sheets {
        for (&(row, col), stored) in &scan.stored {
            if let Some(range) = stored.array {
                written
                    .arrays
                    .push((name.clone(), CellAddr::new(row, col), range));
            }
        }
    }
    written
        .arrays
        .sort_by(|a, b| (&a.0, a.1.row, a.1.col).cmp(&(&b.0, b.1.row, b.1.col)));
    match rebuild(&mut zip, &sheets, budget) {
        Some((copy, left)) => {
            written.left_as_values = left;
            Expanded {
                file: Some(copy),
                written,
            }
        }
        // The copy could not be made: every pointer stays a value.
        None => {
            written.left_as_values = sheets
                .iter()
                .filter_map(|(name, _, scan)| Some((name.clone(), scan.pointers, scan.first?)))
                .collect();
            Expanded {
                file: None,
                written,
            }
        }
    }
}

/// The package `zip` with the parts of `sheets` rewritten, and for each
/// sheet with cells left as values: its name, how many, the first.
#[allow(clippy::type_complexity)]
fn rebuild<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    sheets: &[(String, String, Scan)],
    budget: u64,
) -> Option<(Vec<u8>, Vec<(String, usize, CellAddr)>)> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut added = 0u64;
    let mut left = Vec::new();
    for i in 0..zip.len() {
        let name = zip.by_index_raw(i).ok()?.name().ok()?.into_owned();
        match sheets.iter().find(|(_, part, _)| *part == name) {
            Some((sheet, _, scan)) => {
                let entry = zip.by_index(i).ok()?;
                out.start_file(name.as_str(), options).ok()?;
                let mut rewrite = Rewrite::new(&scan.stored, budget, &mut added);
                rewrite.part(BufReader::new(entry), &mut out)?;
                if let Some(first) = rewrite.first {
                    left.push((sheet.clone(), rewrite.left, first));
                }
            }
            None => out.raw_copy_file(zip.by_index_raw(i).ok()?).ok()?,
        }
    }
    left.sort_by(|a, b| a.0.cmp(&b.0));
    Some((out.finish().ok()?.into_inner(), left))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at.checked_add(4)?)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn is_formula(typ: u32) -> bool {
    matches!(
        typ,
        FORMULA_STRING | FORMULA_NUMBER | FORMULA_BOOL | FORMULA_ERROR
    )
}

/// Where the formula (a CellParsedFormula) of a formula record starts:
/// after the cell (8 bytes), the value and two bytes of flags.
fn formula_at(typ: u32, data: &[u8]) -> Option<usize> {
    match typ {
        FORMULA_NUMBER => Some(18),
        FORMULA_BOOL | FORMULA_ERROR => Some(11),
        FORMULA_STRING => {
            let chars = usize::try_from(u32_at(data, 8)?).ok()?;
            chars.checked_mul(2)?.checked_add(14)
        }
        _ => None,
    }
}

/// The tokens and extra data of a parsed formula at the start of `data`:
/// a token count (4 bytes), the tokens, a size (4 bytes), the extra data.
/// The extra data is empty where the record ends after the tokens.
fn parsed(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let cce = usize::try_from(u32_at(data, 0)?).ok()?;
    let tokens = data.get(4..4usize.checked_add(cce)?)?;
    let rest = &data[4 + cce..];
    let extra = match u32_at(rest, 0) {
        Some(cb) => rest.get(4..4usize.checked_add(usize::try_from(cb).ok()?)?)?,
        None => &[],
    };
    Some((tokens, extra))
}

/// The cell a formula record's PtgExp points to, when its formula is
/// nothing but that pointer: the row from the token, the column from the
/// PtgExtraCol in the extra data (`None` when that is missing).
fn pointer_of(typ: u32, data: &[u8]) -> Option<(u32, Option<u32>)> {
    let (tokens, extra) = parsed(data.get(formula_at(typ, data)?..)?)?;
    (tokens.len() == 5 && tokens[0] == PTG_EXP)
        .then(|| (u32_at(tokens, 1).unwrap_or(0), u32_at(extra, 0)))
}

/// The formula of a BrtShrFmla or BrtArrFmla record: both start with the
/// range (first and last row, first and last column, 4 bytes each); the
/// array's has a byte of flags before its formula.
fn stored_formula(typ: u32, data: &[u8]) -> Option<Stored> {
    let (first_row, last_row) = (u32_at(data, 0)?, u32_at(data, 4)?);
    let (first_col, last_col) = (u32_at(data, 8)?, u32_at(data, 12)?);
    let at = if typ == ARRAY_FORMULA { 17 } else { 16 };
    let (tokens, extra) = parsed(data.get(at..)?)?;
    let array = if typ == ARRAY_FORMULA {
        let within = last_row < ROWS as u32 && last_col < COLUMNS as u32;
        if !within || last_row < first_row || last_col < first_col {
            return None;
        }
        Some(RangeAddr::new(
            CellAddr::new(first_row, first_col),
            CellAddr::new(last_row, last_col),
        ))
    } else {
        None
    };
    Some(Stored {
        tokens: tokens.to_vec(),
        extra: extra.to_vec(),
        array,
    })
}

/// The shared and array formulas of one sheet part, and how many cells
/// point to one (the other cells of an array not counted: they keep their
/// values in every format). Stops storing formulas once `stored_bytes`, the
/// bytes stored over all parts, would pass `budget`.
fn scan(mut part: impl Read, budget: u64, stored_bytes: &mut u64) -> Scan {
    let mut found = Scan::default();
    let mut row = 0u32;
    let mut last_formula: Option<(u32, u32)> = None;
    let mut data = Vec::new();
    while let Some((typ, len)) = record_head(&mut part) {
        let wanted =
            typ == ROW_HEADER || is_formula(typ) || typ == SHARED_FORMULA || typ == ARRAY_FORMULA;
        if !wanted || len > MAX_FORMULA_RECORD {
            let skipped =
                std::io::copy(&mut (&mut part).take(u64::from(len)), &mut std::io::sink());
            if skipped.ok() != Some(u64::from(len)) {
                break;
            }
            last_formula = None;
            continue;
        }
        if record_data(&mut part, len, &mut data).is_none() {
            break;
        }
        match typ {
            ROW_HEADER => row = u32_at(&data, 0).unwrap_or(row),
            SHARED_FORMULA | ARRAY_FORMULA => {
                let formula = last_formula.and_then(|at| Some((at, stored_formula(typ, &data)?)));
                if let Some((at, formula)) = formula {
                    *stored_bytes += (formula.tokens.len() + formula.extra.len()) as u64;
                    if *stored_bytes <= budget {
                        found.stored.insert(at, formula);
                    }
                }
            }
            _ => {
                let col = u32_at(&data, 0).unwrap_or(0);
                if let Some((to_row, to_col)) = pointer_of(typ, &data) {
                    let array_cell = to_col
                        .and_then(|to_col| found.stored.get(&(to_row, to_col)))
                        .and_then(|s| s.array)
                        .is_some_and(|range| range.start != CellAddr::new(row, col));
                    if !array_cell {
                        found.pointers += 1;
                        found.first.get_or_insert(CellAddr::new(row, col));
                    }
                }
                last_formula = Some((row, col));
                continue;
            }
        }
        last_formula = None;
    }
    found
}

/// The second walk over a sheet part: every record copied, the formula
/// records that point to a stored formula written out.
struct Rewrite<'a> {
    stored: &'a HashMap<(u32, u32), Stored>,
    budget: u64,
    /// Bytes added so far, over all parts.
    added: &'a mut u64,
    /// Cells left as values, and the first of them.
    left: usize,
    first: Option<CellAddr>,
}

impl<'a> Rewrite<'a> {
    /// A walk that writes out `stored`, adding at most `budget` bytes over
    /// all parts (`added` so far).
    fn new(stored: &'a HashMap<(u32, u32), Stored>, budget: u64, added: &'a mut u64) -> Self {
        Rewrite {
            stored,
            budget,
            added,
            left: 0,
            first: None,
        }
    }

    /// Copies `part` to `out`; `None` when `out` cannot be written.
    fn part(&mut self, mut part: impl Read, out: &mut impl Write) -> Option<()> {
        let mut row = 0u32;
        let mut data = Vec::new();
        while let Some((typ, len)) = record_head(&mut part) {
            if !(typ == ROW_HEADER || is_formula(typ)) || len > MAX_FORMULA_RECORD {
                write_head(out, typ, len)?;
                let copied = std::io::copy(&mut (&mut part).take(u64::from(len)), out).ok()?;
                if copied != u64::from(len) {
                    break;
                }
                continue;
            }
            if record_data(&mut part, len, &mut data).is_none() {
                // The part ends inside a record: hand on what there is, for
                // calamine to refuse as it would the original.
                write_head(out, typ, len)?;
                out.write_all(&data).ok()?;
                break;
            }
            let rewritten = if typ == ROW_HEADER {
                row = u32_at(&data, 0).unwrap_or(row);
                None
            } else {
                self.formula(typ, &data, row)
            };
            let data = rewritten.as_deref().unwrap_or(&data);
            write_head(out, typ, u32::try_from(data.len()).ok()?)?;
            out.write_all(data).ok()?;
        }
        Some(())
    }

    /// The formula record `data` (of type `typ`, on `row`) with its shared
    /// or array formula written out, when it points to one.
    fn formula(&mut self, typ: u32, data: &[u8], row: u32) -> Option<Vec<u8>> {
        let (to_row, to_col) = pointer_of(typ, data)?;
        let col = u32_at(data, 0)?;
        let stored = to_col.and_then(|to_col| self.stored.get(&(to_row, to_col)));
        let array_cell = stored
            .and_then(|s| s.array)
            .is_some_and(|range| range.start != CellAddr::new(row, col));
        if array_cell {
            return None;
        }
        let written = stored
            .and_then(|stored| written_out(typ, data, stored, (row, col)))
            .filter(|new| {
                *self.added += new.len().saturating_sub(data.len()) as u64;
                *self.added <= self.budget
            });
        if written.is_none() {
            self.left += 1;
            self.first.get_or_insert(CellAddr::new(row, col));
        }
        written
    }
}

/// Writes a record header: the type and the size, each a little-endian
/// base-128 number.
fn write_head(out: &mut impl Write, typ: u32, len: u32) -> Option<()> {
    let mut head = Vec::with_capacity(6);
    for (mut n, most) in [(typ, 2), (len, 4)] {
        for _ in 0..most {
            let low = (n & 0x7F) as u8;
            n >>= 7;
            if n == 0 {
                head.push(low);
                break;
            }
            head.push(low | 0x80);
        }
    }
    out.write_all(&head).ok()
}

/// The formula record `record` (of type `typ`) of the cell (`row`, `col`)
/// with `stored` written out in place of its pointer; `None` when the
/// shared formula holds a token this cannot step over or grows too long.
fn written_out(
    typ: u32,
    record: &[u8],
    stored: &Stored,
    (row, col): (u32, u32),
) -> Option<Vec<u8>> {
    // An array formula's tokens hold plain references: they are handed
    // on as they are.
    let tokens = match stored.array {
        Some(_) => stored.tokens.clone(),
        None => resolve_relative(&stored.tokens, (row, col))?,
    };
    if tokens.len() > MAX_TOKENS {
        return None;
    }
    let at = formula_at(typ, record)?;
    let mut data = record.get(..at)?.to_vec();
    data.extend_from_slice(&u32::try_from(tokens.len()).ok()?.to_le_bytes());
    data.extend_from_slice(&tokens);
    data.extend_from_slice(&u32::try_from(stored.extra.len()).ok()?.to_le_bytes());
    data.extend_from_slice(&stored.extra);
    Some(data)
}

/// The size of the data after the token at the start of `at` (MS-XLSB
/// 2.5.98.16); `None` for a token this does not step over (PtgArray,
/// tables, the PtgMem tokens, PtgElf and PtgSxName).
fn token_size(at: &[u8]) -> Option<usize> {
    let ptg = *at.first()?;
    let size = match ptg {
        // Operators, parentheses, a missing argument.
        0x03..=0x16 => 0,
        // PtgStr: a count of characters, then the UTF-16 characters.
        0x17 => 2 + 2 * usize::from(u16::from_le_bytes([*at.get(1)?, *at.get(2)?])),
        // PtgAttr: a kind and a word; Choose adds its jump table.
        0x19 => crate::io::read::ptg::attr_size(at)?,
        0x1C | 0x1D => 1,
        0x1E => 2,
        0x1F => 8,
        0x21..=0x7F => match ptg & 0x1F {
            0x01 => 2,                // PtgFunc
            0x02 => 3,                // PtgFuncVar
            0x03 => 4,                // PtgName
            0x04 | 0x0A | 0x0C => 6,  // PtgRef, PtgRefErr, PtgRefN
            0x05 | 0x0B | 0x0D => 12, // PtgArea, PtgAreaErr, PtgAreaN
            0x19 => 6,                // PtgNameX
            0x1A | 0x1C => 8,         // PtgRef3d, PtgRefErr3d
            0x1B | 0x1D => 14,        // PtgArea3d, PtgAreaErr3d
            _ => return None,
        },
        _ => return None,
    };
    Some(size)
}

/// A shared formula's tokens for the cell `base`: each relative
/// reference (PtgRefN, PtgAreaN, whose relative parts are offsets from the
/// cell) becomes a plain one (PtgRef, PtgArea) at the cell it reaches,
/// keeping its relative flags, rows wrapping round 1,048,576 and columns
/// round 16,384 as MS-XLSB 2.5.98.92 says. `None` for a token a shared
/// formula may not hold (3-D references, PtgNameX, errors of references)
/// or this cannot step over.
fn resolve_relative(tokens: &[u8], base: (u32, u32)) -> Option<Vec<u8>> {
    let mut out = tokens.to_vec();
    let mut i = 0;
    while i < out.len() {
        let ptg = out[i];
        let size = token_size(&out[i..])?;
        let end = i.checked_add(1 + size)?;
        if end > out.len() {
            return None;
        }
        if ptg >= 0x21 {
            let class = ptg & 0x60;
            let body = &mut out[i + 1..end];
            match ptg & 0x1F {
                0x0C => {
                    resolve_cell(body, base, 0, 4);
                    out[i] = class | 0x04;
                }
                0x0D => {
                    resolve_cell(body, base, 0, 8);
                    resolve_cell(body, base, 4, 10);
                    out[i] = class | 0x05;
                }
                0x0A | 0x0B | 0x19..=0x1D => return None,
                _ => {}
            }
        }
        i = end;
    }
    Some(out)
}

/// Resolves one row (4 bytes at `row_at` in `loc`) and its column (2 bytes
/// at `col_at`, whose bits 14 and 15 say whether the column and the row
/// are offsets) for the cell `base`, keeping the flags.
fn resolve_cell(loc: &mut [u8], (row, col): (u32, u32), row_at: usize, col_at: usize) {
    let column = u16::from_le_bytes([loc[col_at], loc[col_at + 1]]);
    if column & 0x8000 != 0 {
        let offset = i32::from_le_bytes([
            loc[row_at],
            loc[row_at + 1],
            loc[row_at + 2],
            loc[row_at + 3],
        ]);
        let resolved = (i64::from(row) + i64::from(offset)).rem_euclid(ROWS) as u32;
        loc[row_at..row_at + 4].copy_from_slice(&resolved.to_le_bytes());
    }
    if column & 0x4000 != 0 {
        let field = crate::io::read::ptg::resolve_column(column, col, COLUMNS as u32);
        loc[col_at..col_at + 2].copy_from_slice(&field.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u32, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        write_head(&mut out, typ, data.len() as u32).unwrap();
        out.extend(data);
        out
    }

    /// PtgRefN (value class) `rows` and `cols` away, relative in both.
    fn ref_n(rows: i32, cols: i16) -> Vec<u8> {
        let mut t = vec![0x4C];
        t.extend(rows.to_le_bytes());
        t.extend(((cols as u16 & 0x3FFF) | 0xC000).to_le_bytes());
        t
    }

    /// A BrtFmlaNum in column `col` whose formula is a pointer to `to`.
    fn pointer(col: u32, to: (u32, u32)) -> Vec<u8> {
        let mut data = col.to_le_bytes().to_vec();
        data.extend([0u8; 4 + 8 + 2]);
        data.extend(5u32.to_le_bytes());
        data.push(PTG_EXP);
        data.extend(to.0.to_le_bytes());
        data.extend(4u32.to_le_bytes());
        data.extend(to.1.to_le_bytes());
        record(FORMULA_NUMBER, &data)
    }

    fn row(row: u32) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend([0u8; 13]);
        record(ROW_HEADER, &data)
    }

    /// A sheet part whose A1:A3 share `=B1*2` saved from A1.
    fn one_shared_formula() -> Vec<u8> {
        let mut part = record(0x0091, &[]);
        let tokens = [ref_n(0, 1), vec![0x1E, 2, 0, 0x05]].concat();
        for r in 0..3 {
            part.extend(row(r));
            part.extend(pointer(0, (0, 0)));
            if r == 0 {
                let mut shared = Vec::new();
                for n in [0u32, 2, 0, 0] {
                    shared.extend(n.to_le_bytes());
                }
                shared.extend((tokens.len() as u32).to_le_bytes());
                shared.extend(&tokens);
                shared.extend(0u32.to_le_bytes());
                part.extend(record(SHARED_FORMULA, &shared));
            }
        }
        part.extend(record(0x0092, &[]));
        part
    }

    /// The formulas (tokens) of the formula records of `part`.
    fn formulas(part: &[u8]) -> Vec<Vec<u8>> {
        let mut part = part;
        let mut out = Vec::new();
        let mut data = Vec::new();
        while let Some((typ, len)) = record_head(&mut part) {
            record_data(&mut part, len, &mut data).unwrap();
            if is_formula(typ) {
                let at = formula_at(typ, &data).unwrap();
                out.push(parsed(&data[at..]).unwrap().0.to_vec());
            }
        }
        out
    }

    /// `part` rewritten with `budgets` for storing formulas and for growth.
    fn rewrite(part: &[u8], budgets: (u64, u64)) -> (Vec<u8>, usize, Option<CellAddr>) {
        let (stored, budget) = budgets;
        let scan = scan(part, stored, &mut 0);
        let mut added = 0;
        let mut rewrite = Rewrite::new(&scan.stored, budget, &mut added);
        let mut out = Vec::new();
        rewrite.part(part, &mut out).unwrap();
        (out, rewrite.left, rewrite.first)
    }

    #[test]
    fn relative_references_resolve_for_each_cell_and_wrap_round_the_grid() {
        // =A1*2 shared from B1: one column to the left.
        let tokens = [ref_n(0, -1), vec![0x1E, 2, 0, 0x05]].concat();
        let at_b5 = resolve_relative(&tokens, (4, 1)).unwrap();
        assert_eq!(at_b5[0], 0x44, "a plain PtgRef of the value class");
        assert_eq!(u32_at(&at_b5, 1), Some(4));
        assert_eq!(
            &at_b5[5..7],
            &0xC000u16.to_le_bytes(),
            "column A, flags kept"
        );
        assert_eq!(&at_b5[7..], &tokens[7..]);
        // From column A the offset wraps to the last column (XFD), from
        // row 1 a row up wraps to the last row.
        let up_left = [ref_n(-1, -1), vec![0x1E, 2, 0, 0x05]].concat();
        let at_a1 = resolve_relative(&up_left, (0, 0)).unwrap();
        assert_eq!(u32_at(&at_a1, 1), Some(0xF_FFFF));
        assert_eq!(&at_a1[5..7], &(0xC000u16 | 0x3FFF).to_le_bytes());
    }

    #[test]
    fn areas_resolve_both_corners_keeping_their_flags() {
        // SUM($A$1:A1) shared from C1: the last corner 0 rows, -2 columns.
        let mut tokens = vec![0x2D];
        tokens.extend(0u32.to_le_bytes());
        tokens.extend(0i32.to_le_bytes());
        tokens.extend(0u16.to_le_bytes());
        tokens.extend(((-2i16 as u16 & 0x3FFF) | 0xC000).to_le_bytes());
        tokens.extend([0x19, 0x10, 0, 0]);
        let at_c10 = resolve_relative(&tokens, (9, 2)).unwrap();
        assert_eq!(at_c10[0], 0x25);
        assert_eq!(u32_at(&at_c10, 1), Some(0));
        assert_eq!(u32_at(&at_c10, 5), Some(9));
        assert_eq!(&at_c10[9..13], &[0, 0, 0, 0xC0], "$A and A");
        assert_eq!(&at_c10[13..], &[0x19, 0x10, 0, 0]);
    }

    #[test]
    fn tokens_a_shared_formula_may_not_hold_stop_it() {
        // PtgRef3d is not allowed in a shared formula, PtgArray nowhere.
        assert_eq!(
            resolve_relative(&[0x3A, 0, 0, 0, 0, 0, 0, 0, 0], (0, 0)),
            None
        );
        assert_eq!(resolve_relative(&[0x40; 15], (0, 0)), None);
        // A token running past the end.
        assert_eq!(resolve_relative(&[0x1F, 0, 0], (0, 0)), None);
        // Strings and Choose tables are stepped over whole.
        let tokens = [0x17, 1, 0, b'h', 0, 0x19, 0x04, 1, 0, 4, 0, 8, 0];
        assert_eq!(
            resolve_relative(&tokens, (0, 0)).as_deref(),
            Some(&tokens[..])
        );
    }

    #[test]
    fn every_pointer_gets_the_formula_and_the_budget_stops_growth() {
        let part = one_shared_formula();
        let (out, left, first) = rewrite(&part, (1 << 20, 1 << 20));
        let written = formulas(&out);
        assert_eq!(written.len(), 3);
        for (r, tokens) in written.iter().enumerate() {
            assert_eq!(tokens[0], 0x44, "row {r}: a plain reference");
            assert_eq!(u32_at(tokens, 1), Some(r as u32));
            assert_eq!(&tokens[5..7], &0xC001u16.to_le_bytes(), "column B");
        }
        assert_eq!((left, first), (0, None));
        // Each cell grows by 2 bytes (6 more tokens, the 4 bytes of the
        // column's PtgExtraCol gone): a budget of 3 writes out the first.
        let (out, left, first) = rewrite(&part, (1 << 20, 3));
        assert_eq!(formulas(&out)[1], [PTG_EXP, 0, 0, 0, 0]);
        assert_eq!((left, first), (2, Some(CellAddr::new(1, 0))));
        // The shared formula's 11 bytes do not fit a budget of 10: no cell
        // gets it.
        let (_, left, first) = rewrite(&part, (10, 1 << 20));
        assert_eq!((left, first), (3, Some(CellAddr::new(0, 0))));
    }

    #[test]
    fn a_part_without_pointers_is_copied_as_it_is() {
        let mut part = row(0);
        let mut plain = 0u32.to_le_bytes().to_vec();
        plain.extend([0u8; 14]);
        plain.extend(3u32.to_le_bytes());
        plain.extend([0x1E, 7, 0]);
        plain.extend(0u32.to_le_bytes());
        part.extend(record(FORMULA_NUMBER, &plain));
        // A record whose type and size take two bytes each.
        part.extend(record(0x01E5, &[7u8; 200]));
        let scanned = scan(part.as_slice(), 1 << 20, &mut 0);
        assert_eq!(scanned.pointers, 0);
        let (out, left, _) = rewrite(&part, (1 << 20, 1 << 20));
        assert_eq!((out, left), (part, 0));
    }
}
