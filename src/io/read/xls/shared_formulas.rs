//! Shared and array formulas of an .xls, which calamine does not read.
//!
//! Excel 97-2003 stores a formula copied down or across once, in a ShrFmla
//! record after the first cell's Formula record, and gives every cell of
//! the copy only a pointer to it (PtgExp); a Ctrl+Shift+Enter array
//! formula likewise sits in an Array record after its first cell. calamine
//! decodes the tokens of a cell's own formula but skips those pointers, so
//! such cells would arrive as bare values: a run that changes their inputs
//! would leave them stale, and a written workbook would lose them.
//!
//! This module writes each shared formula out into the Formula record of
//! every cell that points to it, its relative references (PtgRefN,
//! PtgAreaN) resolved for that cell, and an array formula into its first
//! cell, in a copy of the workbook stream. calamine then reads the copy
//! and decodes every formula itself (functions, names, strings): one
//! decoder for all formulas. The other cells of an array formula keep
//! their saved values; the reader records the array's range.
//!
//! Only BIFF8 (Excel 97 and later) is written out; the tokens of BIFF5
//! differ, and its shared formulas are named in a read note instead.

use super::biff::{BOF, BOUND_SHEET, EOF, FILE_PASS};
use super::references::{fix_references, SheetTable};
use crate::io::read::calamine_common::WrittenOut;
use crate::io::read::ptg::StoredFormula as Stored;
use crate::model::{CellAddr, DataTable, RangeAddr};
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

/// Formula: one cell's formula and saved value.
const FORMULA: u16 = 0x0006;
/// ShrFmla: a formula shared by a range of cells.
const SHARED_FORMULA: u16 = 0x04BC;
/// Array: a Ctrl+Shift+Enter array formula over a range.
const ARRAY: u16 = 0x0221;
/// The most data a BIFF8 record may hold.
const MAX_RECORD: usize = 8224;
/// Where a Formula record's token count stands (row, column, format,
/// value, flags and the unused chn field come first).
const FORMULA_CCE: usize = 20;
/// PtgExp: the cell's formula is the shared or array formula whose first
/// cell the token names.
const PTG_EXP: u8 = 0x01;
/// Table: a what-if data table over a range, after its first cell.
const TABLE: u16 = 0x0236;
/// PtgTbl: the cell is part of the data table whose first cell the token
/// names.
const PTG_TBL: u8 = 0x02;
/// Number: a cell holding a number.
const NUMBER: u16 = 0x0203;
/// ExternSheet: the sheet references 3-D tokens index.
const EXTERN_SHEET: u16 = 0x0017;
/// SupBook: a workbook the sheet references point into.
const SUPBOOK: u16 = 0x01AE;

/// An .xls whose shared and array formulas were written out.
#[derive(Debug, Default)]
pub(super) struct Expanded {
    /// The compound file for calamine: the file itself, or a copy with
    /// its workbook stream rewritten.
    pub file: Vec<u8>,
    /// The array formulas found and the cells left as values.
    pub written: WrittenOut,
    /// The what-if data tables, by sheet name; their cells arrive as the
    /// numbers the file saved, for the engine to fill.
    pub data_tables: Vec<(String, DataTable)>,
    /// The references to other sheets calamine prints wrongly, by sheet
    /// name and cell: the texts its markers stand for (references.rs).
    pub references: Vec<(String, CellAddr, Vec<String>)>,
}

/// Writes out the shared and array formulas of the .xls compound file
/// `file` in a copy of it, when some of its cells hold them. A file this
/// cannot read is handed on as it is, for calamine to read or refuse.
/// `budget` is the most bytes the rewrite may add to the workbook stream:
/// a small hostile file can point a whole sheet of cells at one long
/// formula; the cells past the budget keep their values, named in a note.
pub(super) fn expand(file: Vec<u8>, budget: u64) -> Expanded {
    match rewritten(&file, budget) {
        Some((Some(copy), expanded)) => Expanded {
            file: copy,
            ..expanded
        },
        Some((None, expanded)) => Expanded { file, ..expanded },
        None => Expanded {
            file,
            ..Expanded::default()
        },
    }
}

/// The compound file `file` with its workbook stream rewritten (`None`
/// when it needs no rewriting), and what the rewrite found; `None` when
/// the file cannot be read as a BIFF8 compound file.
fn rewritten(file: &[u8], budget: u64) -> Option<(Option<Vec<u8>>, Expanded)> {
    let mut compound = cfb::CompoundFile::open(Cursor::new(file)).ok()?;
    let stream_path = compound
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .find(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.eq_ignore_ascii_case("Workbook") || n.eq_ignore_ascii_case("Book")
            })
        })?;
    let mut stream = Vec::new();
    compound
        .open_stream(&stream_path)
        .ok()?
        .read_to_end(&mut stream)
        .ok()?;
    drop(compound);
    let (new_stream, expanded) = expand_stream(&stream, budget)?;
    let Some(new_stream) = new_stream else {
        return Some((None, expanded));
    };
    let mut copy = cfb::CompoundFile::open(Cursor::new(file.to_vec())).ok()?;
    let mut out = copy.create_stream(&stream_path).ok()?;
    out.write_all(&new_stream).ok()?;
    drop(out);
    copy.flush().ok()?;
    Some((Some(copy.into_inner().into_inner()), expanded))
}

/// One record of the workbook stream: its type, where its header starts
/// and its data.
struct Record<'a> {
    typ: u16,
    start: usize,
    data: &'a [u8],
}

/// The records of `stream` up to the first one that runs past its end.
fn records(stream: &[u8]) -> impl Iterator<Item = Record<'_>> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let head = stream.get(at..at + 4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        let record = Record {
            typ,
            start: at,
            data,
        };
        at += 4 + len;
        Some(record)
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}

/// The cell a Formula record's PtgExp points to, when its formula is
/// nothing but that pointer.
fn pointer_of(formula: &[u8]) -> Option<(u16, u16)> {
    let cce = u16_at(formula, FORMULA_CCE)?;
    let tokens = formula.get(FORMULA_CCE + 2..)?;
    (cce == 5 && tokens.first() == Some(&PTG_EXP)).then(|| {
        (
            u16_at(tokens, 1).unwrap_or(0),
            u16_at(tokens, 3).unwrap_or(0),
        )
    })
}

/// Whether a Formula record is a cell of a data table (its formula is a
/// PtgTbl alone).
fn is_table_cell(formula: &[u8]) -> bool {
    u16_at(formula, FORMULA_CCE) == Some(5) && formula.get(FORMULA_CCE + 2) == Some(&PTG_TBL)
}

/// A data table cell's Formula record as a Number record of the value it
/// saved; `None` when that value is no number (text, a truth value or an
/// error: the cell then stays as it is, named as a formula not read).
fn table_cell_as_number(formula: &[u8]) -> Option<Vec<u8>> {
    // The value's last two bytes are 0xFFFF when it is no number.
    if formula.get(12..14)? == [0xFF, 0xFF] {
        return None;
    }
    Some(formula.get(..14)?.to_vec())
}

/// A data table from its Table record (MS-XLS 2.4.319): the range, flags
/// (fRw: a one-variable table's input is a row input cell; fTbl2: two
/// variables; fDeleted1/2: an input cell was deleted) and the two input
/// cells, the row input cell first.
fn data_table(data: &[u8]) -> Option<DataTable> {
    let range = RangeAddr::new(
        CellAddr::new(u32::from(u16_at(data, 0)?), u32::from(*data.get(4)?)),
        CellAddr::new(u32::from(u16_at(data, 2)?), u32::from(*data.get(5)?)),
    );
    let flags = *data.get(6)?;
    let cell = |at: usize, deleted: u8| -> Option<CellAddr> {
        (flags & deleted == 0).then_some(())?;
        Some(CellAddr::new(
            u32::from(u16_at(data, at)?),
            u32::from(u16_at(data, at + 2)?),
        ))
    };
    Some(DataTable::from_file(
        range,
        (cell(8, 0x10), cell(12, 0x20)),
        flags & 0x08 != 0,
        flags & 0x04 != 0,
        None,
    ))
}

/// The substreams of a workbook stream: which top-level substream (0 is
/// the globals) each record belongs to, counting nested ones (charts in a
/// sheet) as part of their sheet.
struct Substreams {
    index: usize,
    depth: usize,
}

impl Substreams {
    fn new() -> Substreams {
        Substreams { index: 0, depth: 0 }
    }

    /// The substream of the record of type `typ`, the one after it counted
    /// once its EOF is passed.
    fn step(&mut self, typ: u16, first: bool) -> usize {
        match typ {
            BOF if first => {}
            BOF if self.depth == 0 => {
                self.index += 1;
                self.depth = 1;
            }
            BOF => self.depth += 1,
            EOF => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.index
    }
}

/// Rewrites a BIFF8 workbook stream; `None` when it is no BIFF8 stream or
/// is encrypted (the rewritten stream is `None` when nothing needed it).
fn expand_stream(stream: &[u8], budget: u64) -> Option<(Option<Vec<u8>>, Expanded)> {
    let first = records(stream).next()?;
    if first.typ != BOF || u16_at(first.data, 0) != Some(0x0600) {
        return None;
    }
    // The sheets' names by where their substream starts.
    let mut sheet_at: HashMap<usize, String> = HashMap::new();
    let mut stored: HashMap<(usize, u16, u16), Stored> = HashMap::new();
    let mut names: HashMap<usize, String> = HashMap::new();
    let mut pointers = 0usize;
    let mut formulas = 0usize;
    let mut sheet_table = SheetTable::default();
    let mut tables: Vec<(usize, DataTable)> = Vec::new();
    let mut substreams = Substreams::new();
    let mut last_formula: Option<(u16, u16)> = None;
    for (n, record) in records(stream).enumerate() {
        let index = substreams.step(record.typ, n == 0);
        match record.typ {
            FILE_PASS => return None,
            BOUND_SHEET if index == 0 => {
                let name = super::biff::sheet_name(record.data, true);
                sheet_table.names.push(name.clone());
                if let Some(p) = record.data.get(0..4) {
                    let at = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize;
                    sheet_at.insert(at, name);
                }
            }
            EXTERN_SHEET if index == 0 => sheet_table.read_extern_sheet(record.data),
            SUPBOOK if index == 0 => sheet_table.read_supbook(record.data),
            BOF if substreams.depth == 1 && index > 0 => {
                if let Some(name) = sheet_at.get(&record.start) {
                    names.insert(index, name.clone());
                }
            }
            FORMULA => {
                formulas += 1;
                last_formula = Some((u16_at(record.data, 0)?, u16_at(record.data, 2)?));
                pointers +=
                    usize::from(pointer_of(record.data).is_some() || is_table_cell(record.data));
            }
            TABLE => {
                if let Some(table) = data_table(record.data) {
                    tables.push((index, table));
                }
            }
            SHARED_FORMULA | ARRAY => {
                let Some((row, col)) = last_formula else {
                    continue;
                };
                if let Some(formula) = stored_formula(record.typ, record.data) {
                    stored.insert((index, row, col), formula);
                }
            }
            _ => {}
        }
        if record.typ != FORMULA {
            last_formula = None;
        }
    }
    let mut expanded = Expanded::default();
    if pointers == 0 && formulas == 0 {
        return Some((None, expanded));
    }
    let sheet_name = |index: usize| {
        names
            .get(&index)
            .cloned()
            .unwrap_or_else(|| format!("sheet {index}"))
    };
    for (&(index, row, col), formula) in &stored {
        if let Some(range) = formula.array {
            expanded.written.arrays.push((
                sheet_name(index),
                CellAddr::new(u32::from(row), u32::from(col)),
                range,
            ));
        }
    }
    expanded
        .written
        .arrays
        .sort_by(|a, b| (&a.0, a.1.row, a.1.col).cmp(&(&b.0, b.1.row, b.1.col)));
    expanded.data_tables = tables
        .into_iter()
        .map(|(index, table)| (sheet_name(index), table))
        .collect();

    let mut out = Vec::with_capacity(stream.len() + stream.len() / 4);
    let mut moved: HashMap<usize, usize> = HashMap::new();
    let mut sheet_positions: Vec<usize> = Vec::new();
    let mut left: HashMap<usize, (usize, CellAddr)> = HashMap::new();
    let mut substreams = Substreams::new();
    let mut end = 0;
    let mut added = 0u64;
    let mut references: Vec<(usize, CellAddr, Vec<String>)> = Vec::new();
    let mut rewrote = false;
    for (n, record) in records(stream).enumerate() {
        let index = substreams.step(record.typ, n == 0);
        end = record.start + 4 + record.data.len();
        if record.typ == BOF && sheet_at.contains_key(&record.start) {
            moved.insert(record.start, out.len());
        }
        if record.typ == BOUND_SHEET && index == 0 {
            sheet_positions.push(out.len() + 4);
        }
        let pointer = (record.typ == FORMULA)
            .then(|| pointer_of(record.data))
            .flatten();
        let table_cell = record.typ == FORMULA && is_table_cell(record.data);
        let written = match pointer {
            None if table_cell => table_cell_as_number(record.data).map(|data| (NUMBER, data)),
            Some((row, col)) => {
                let cell = (u16_at(record.data, 0)?, u16_at(record.data, 2)?);
                let formula = stored.get(&(index, row, col));
                let written = formula
                    .and_then(|f| written_out(record.data, f, cell))
                    .filter(|data| {
                        let grows = data.len().saturating_sub(record.data.len()) as u64;
                        added += grows;
                        added <= budget
                    });
                // A cell of an array formula other than its first keeps its
                // value, as in every format; any other pointer not written
                // out leaves a formula behind as a value.
                let array_cell = formula.is_some_and(|f| f.array.is_some()) && (row, col) != cell;
                if written.is_none() && !array_cell {
                    let addr = CellAddr::new(u32::from(cell.0), u32::from(cell.1));
                    left.entry(index).or_insert((0, addr)).0 += 1;
                }
                written.map(|data| (FORMULA, data))
            }
            None => None,
        };
        // Every formula's references put right for calamine.
        let written = match written {
            Some((NUMBER, data)) => Some((NUMBER, data)),
            _ if record.typ == FORMULA => {
                let mut data = written.map_or_else(|| record.data.to_vec(), |(_, d)| d);
                let cell = (u16_at(&data, 0)?, u16_at(&data, 2)?);
                let cce = usize::from(u16_at(&data, FORMULA_CCE)?);
                if let Some(tokens) = data.get_mut(FORMULA_CCE + 2..FORMULA_CCE + 2 + cce) {
                    match fix_references(tokens, &sheet_table) {
                        Some(texts) if !texts.is_empty() => references.push((
                            index,
                            CellAddr::new(u32::from(cell.0), u32::from(cell.1)),
                            texts,
                        )),
                        _ => {}
                    }
                }
                Some((FORMULA, data))
            }
            other => other,
        };
        match written.filter(|(typ, data)| *typ != record.typ || data[..] != *record.data) {
            Some((typ, data)) => {
                rewrote = true;
                out.extend_from_slice(&typ.to_le_bytes());
                out.extend_from_slice(&(data.len() as u16).to_le_bytes());
                out.extend_from_slice(&data);
            }
            None => out.extend_from_slice(&stream[record.start..end]),
        }
    }
    out.extend_from_slice(&stream[end..]);
    // BoundSheet8 records hold where each sheet's substream starts.
    for at in sheet_positions {
        let Some(old) = out.get(at..at + 4) else {
            continue;
        };
        let old = u32::from_le_bytes([old[0], old[1], old[2], old[3]]) as usize;
        if let Some(&new) = moved.get(&old) {
            out[at..at + 4].copy_from_slice(&u32::try_from(new).ok()?.to_le_bytes());
        }
    }
    let mut left: Vec<_> = left
        .into_iter()
        .map(|(index, (count, first))| (sheet_name(index), count, first))
        .collect();
    left.sort_by(|a, b| a.0.cmp(&b.0));
    expanded.references = references
        .into_iter()
        .map(|(index, cell, texts)| (sheet_name(index), cell, texts))
        .collect();
    expanded.written.left_as_values = left;
    Some((rewrote.then_some(out), expanded))
}

/// The formula of a ShrFmla or Array record.
fn stored_formula(typ: u16, data: &[u8]) -> Option<Stored> {
    // Both start with the range (RefU: first and last row, first and last
    // column as bytes); then ShrFmla has two bytes, Array six, before the
    // formula's token count.
    let first_row = u32::from(u16_at(data, 0)?);
    let last_row = u32::from(u16_at(data, 2)?);
    let first_col = u32::from(*data.get(4)?);
    let last_col = u32::from(*data.get(5)?);
    let cce_at = if typ == ARRAY { 12 } else { 8 };
    let cce = usize::from(u16_at(data, cce_at)?);
    let tokens = data.get(cce_at + 2..cce_at + 2 + cce)?.to_vec();
    let extra = data.get(cce_at + 2 + cce..)?.to_vec();
    let array = (typ == ARRAY && last_row >= first_row && last_col >= first_col).then(|| {
        RangeAddr::new(
            CellAddr::new(first_row, first_col),
            CellAddr::new(last_row, last_col),
        )
    });
    if typ == ARRAY && array.is_none() {
        return None;
    }
    Some(Stored {
        tokens,
        extra,
        array,
    })
}

/// The Formula record `record` with `formula` written out for its cell
/// (`row`, `col`); `None` when the formula does not fit a record, holds a
/// token this cannot step over, or is an array formula and the cell is
/// not its first.
fn written_out(record: &[u8], formula: &Stored, (row, col): (u16, u16)) -> Option<Vec<u8>> {
    let tokens = match formula.array {
        Some(range) => {
            let first = range.start;
            if (u32::from(row), u32::from(col)) != (first.row, first.col) {
                return None;
            }
            formula.tokens.clone()
        }
        None => resolve_relative(&formula.tokens, row, col)?,
    };
    let mut data = record.get(..FORMULA_CCE)?.to_vec();
    // fShrFmla (bit 3 of the flags at 14): the formula is its own now.
    data[14] &= !0x08;
    data.extend_from_slice(&u16::try_from(tokens.len()).ok()?.to_le_bytes());
    data.extend_from_slice(&tokens);
    data.extend_from_slice(&formula.extra);
    (data.len() <= MAX_RECORD).then_some(data)
}

/// The size of the data after the token at the start of `at`, for the
/// tokens a shared formula may hold (MS-XLS SharedParsedFormula: no
/// pointer, array, 3-D, error or memory token); `None` for any other.
fn token_size(at: &[u8]) -> Option<usize> {
    let ptg = *at.first()?;
    let allowed = match ptg {
        0x03..=0x17 | 0x19 | 0x1C..=0x1F => true,
        // PtgFunc, PtgFuncVar, PtgName, PtgRef, PtgArea, PtgRefN, PtgAreaN.
        0x20..=0x7F => matches!(ptg & 0x1F, 0x01..=0x05 | 0x0C | 0x0D),
        _ => false,
    };
    allowed.then(|| super::references::token_size(at)).flatten()
}

/// A shared formula's tokens for the cell (`row`, `col`): each relative
/// reference (PtgRefN, PtgAreaN, whose relative parts are offsets from the
/// cell) becomes a plain one (PtgRef, PtgArea) at the coordinates it
/// reaches, keeping its relative flags, so the formula reads as Excel
/// shows it in that cell. Rows wrap round 65,536 and columns round 256, as
/// MS-XLS says Excel resolves them.
fn resolve_relative(tokens: &[u8], row: u16, col: u16) -> Option<Vec<u8>> {
    let mut out = tokens.to_vec();
    let mut i = 0;
    while i < out.len() {
        let ptg = out[i];
        let size = token_size(&out[i..])?;
        if i + 1 + size > out.len() {
            return None;
        }
        if (0x20..=0x7F).contains(&ptg) {
            let class = ptg & 0x60;
            match ptg & 0x1F {
                0x0C => {
                    out[i] = class | 0x04;
                    resolve_cell(&mut out[i + 1..i + 5], row, col, 0, 2);
                }
                0x0D => {
                    out[i] = class | 0x05;
                    let area = &mut out[i + 1..i + 9];
                    resolve_cell(area, row, col, 0, 4);
                    resolve_cell(area, row, col, 2, 6);
                }
                _ => {}
            }
        }
        i += 1 + size;
    }
    Some(out)
}

/// Resolves one row (at `row_at` in `loc`) and its column (at `col_at`,
/// whose bits 14 and 15 say whether the column and the row are offsets)
/// for the cell (`row`, `col`).
fn resolve_cell(loc: &mut [u8], row: u16, col: u16, row_at: usize, col_at: usize) {
    let column = u16::from_le_bytes([loc[col_at], loc[col_at + 1]]);
    let col_relative = column & 0x4000 != 0;
    let row_relative = column & 0x8000 != 0;
    if row_relative {
        let offset = u16::from_le_bytes([loc[row_at], loc[row_at + 1]]);
        loc[row_at..row_at + 2].copy_from_slice(&row.wrapping_add(offset).to_le_bytes());
    }
    if col_relative {
        let field = crate::io::read::ptg::resolve_column(column, u32::from(col), 256);
        loc[col_at..col_at + 2].copy_from_slice(&field.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_resolve_for_each_cell() {
        // =A1*2 shared from B1: PtgRefN with row offset 0, column offset -1
        // (both relative), PtgInt 2, PtgMul.
        let col = (0x3FFFu16 & (-1i16 as u16)) | 0xC000;
        let mut tokens = vec![0x4C, 0, 0];
        tokens.extend(col.to_le_bytes());
        tokens.extend([0x1E, 2, 0, 0x05]);
        let at_b5 = resolve_relative(&tokens, 4, 1).unwrap();
        assert_eq!(at_b5[0], 0x44, "a plain PtgRef of the value class");
        assert_eq!(u16_at(&at_b5, 1), Some(4));
        assert_eq!(u16_at(&at_b5, 3), Some(0xC000), "column A, flags kept");
        assert_eq!(&at_b5[5..], &tokens[5..]);
        // From column A the offset wraps to the last column (IV).
        let at_a1 = resolve_relative(&tokens, 0, 0).unwrap();
        assert_eq!(u16_at(&at_a1, 3), Some(0xC000 | 255));
    }

    #[test]
    fn an_absolute_part_stays_and_areas_resolve_both_corners() {
        // SUM($A1:$A3) shared: rows relative (0 and +2), columns absolute.
        let mut tokens = vec![0x2D];
        tokens.extend(0u16.to_le_bytes());
        tokens.extend(2u16.to_le_bytes());
        tokens.extend(0x8000u16.to_le_bytes());
        tokens.extend(0x8000u16.to_le_bytes());
        tokens.extend([0x19, 0x10, 0, 0]);
        let at_row_10 = resolve_relative(&tokens, 9, 3).unwrap();
        assert_eq!(at_row_10[0], 0x25);
        assert_eq!(u16_at(&at_row_10, 1), Some(9));
        assert_eq!(u16_at(&at_row_10, 3), Some(11));
        assert_eq!(u16_at(&at_row_10, 5), Some(0x8000));
        assert_eq!(u16_at(&at_row_10, 7), Some(0x8000));
    }

    #[test]
    fn tokens_a_shared_formula_may_not_hold_stop_the_rewrite() {
        // PtgRef3d is not allowed in a shared formula.
        assert_eq!(resolve_relative(&[0x3A, 0, 0, 0, 0, 0, 0], 0, 0), None);
        // A token running past the end.
        assert_eq!(resolve_relative(&[0x1F, 0, 0], 0, 0), None);
        // Strings and Choose tables are stepped over whole.
        let tokens = [0x17, 2, 0, b'h', b'i', 0x19, 0x04, 1, 0, 4, 0, 8, 0];
        assert_eq!(
            resolve_relative(&tokens, 0, 0).as_deref(),
            Some(&tokens[..])
        );
    }

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    /// A workbook stream with one sheet, "Data", whose A1:A3 share
    /// `=B1*2` saved from A1.
    fn one_shared_formula() -> Vec<u8> {
        let bof = |kind: u16| {
            let mut data = vec![0x00, 0x06];
            data.extend(kind.to_le_bytes());
            data.extend([0u8; 12]);
            record(BOF, &data)
        };
        let formula = |row: u16| {
            let mut data = row.to_le_bytes().to_vec();
            data.extend([0u8; 18]);
            data.extend(5u16.to_le_bytes());
            data.extend([PTG_EXP, 0, 0, 0, 0]);
            record(FORMULA, &data)
        };
        let mut sheet_entry = vec![0u8; 6];
        sheet_entry.extend([4, 0]);
        sheet_entry.extend(b"Data");
        let mut stream = bof(0x0005);
        let entry_at = stream.len() + 4;
        stream.extend(record(BOUND_SHEET, &sheet_entry));
        stream.extend(record(EOF, &[]));
        let sheet_at = stream.len() as u32;
        stream[entry_at..entry_at + 4].copy_from_slice(&sheet_at.to_le_bytes());
        stream.extend(bof(0x0010));
        stream.extend(formula(0));
        // ShrFmla over A1:A3: =B1*2 (PtgRefN 0 rows, +1 column; PtgInt 2; PtgMul).
        let mut shared = vec![0, 0, 2, 0, 0, 0, 0, 3, 9, 0, 0x4C, 0, 0];
        shared.extend((0xC001u16).to_le_bytes());
        shared.extend([0x1E, 2, 0, 0x05]);
        stream.extend(record(SHARED_FORMULA, &shared));
        stream.extend(formula(1));
        stream.extend(formula(2));
        stream.extend(record(EOF, &[]));
        stream
    }

    #[test]
    fn every_pointer_gets_the_formula_and_the_budget_stops_growth() {
        let stream = one_shared_formula();
        let (rewritten, expanded) = expand_stream(&stream, 1 << 20).unwrap();
        let rewritten = rewritten.unwrap();
        let formulas: Vec<Vec<u8>> = records(&rewritten)
            .filter(|r| r.typ == FORMULA)
            .map(|r| r.data[FORMULA_CCE + 2..].to_vec())
            .collect();
        assert_eq!(formulas.len(), 3);
        for (row, tokens) in formulas.iter().enumerate() {
            assert_eq!(tokens[0], 0x44, "row {row}: a plain reference");
            assert_eq!(u16_at(tokens, 1), Some(row as u16));
            assert_eq!(u16_at(tokens, 3), Some(0xC001), "column B");
        }
        assert!(expanded.written.left_as_values.is_empty());

        // Each cell grows by 4 bytes: a budget of 4 writes out the first.
        let (_, expanded) = expand_stream(&stream, 4).unwrap();
        assert_eq!(
            expanded.written.left_as_values,
            [("Data".to_string(), 2, CellAddr::new(1, 0))]
        );
    }

    #[test]
    fn a_stream_without_pointers_is_left_alone() {
        let mut stream = one_shared_formula();
        // Make every pointer a plain number token (PtgNum needs 8 bytes, so
        // use PtgInt 7 and padding the record length allows).
        let at: Vec<usize> = records(&stream)
            .filter(|r| r.typ == FORMULA)
            .map(|r| r.start + 4 + FORMULA_CCE + 2)
            .collect();
        for i in at {
            stream[i..i + 5].copy_from_slice(&[0x1E, 7, 0, 0x15, 0x15]);
        }
        let (rewritten, expanded) = expand_stream(&stream, 1 << 20).unwrap();
        assert!(rewritten.is_none());
        assert!(expanded.written.arrays.is_empty() && expanded.written.left_as_values.is_empty());
    }
}
