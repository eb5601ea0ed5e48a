//! Finding a table's block on a sheet: its header row (one or two rows,
//! merged or not) and how far its columns and rows reach.

use super::normalize;
use crate::model::{CellAddr, RangeAddr, Sheet};
use crate::script::book::Book;
use crate::script::errors::{ScriptError, ScriptResult};

/// Finds a table on a sheet: its header row is the first row (within the
/// first 200) holding every wanted header (forgiving match), or with no
/// wanted headers the first row with two or more filled cells (a title
/// above the table, merged or not, is not its header). A header of two
/// rows (a merged group over sub-headers, or cells merged down across
/// both) is read as one: the range starts at its bottom row. The table
/// spans the contiguous header cells, widened to neighbouring columns
/// that hold data under a blank header, and its rows run down to the
/// first fully empty row.
pub fn find_block(book: &Book, sheet: &str, wanted: &[String]) -> ScriptResult<RangeAddr> {
    let s = book
        .workbook()
        .sheet(sheet)
        .ok_or_else(|| ScriptError::Unknown {
            what: "sheet",
            name: sheet.to_string(),
            candidates: Vec::new(),
        })?;
    let Some(used) = s.used_range() else {
        return Err(ScriptError::EmptySheet(sheet.to_string()));
    };
    let wanted_n: Vec<String> = wanted.iter().map(|w| normalize(w)).collect();
    let last_scan = used.end.row.min(used.start.row + 200);
    let texts_of = |r: u32| -> Vec<(u32, String)> {
        (0..s.row(r).len() as u32)
            .filter_map(|c| {
                let text = header_text(s, CellAddr::new(r, c))?;
                Some((c, normalize(&text)))
            })
            .collect()
    };
    let widest = (used.start.row..=last_scan)
        .map(|r| s.row(r).iter().filter(|c| !c.value.is_empty()).count())
        .max()
        .unwrap_or(0);
    for r in used.start.row..=last_scan {
        let texts = texts_of(r);
        if texts.is_empty() {
            continue;
        }
        let anchor = if wanted_n.is_empty() {
            let filled = s.row(r).iter().filter(|c| !c.value.is_empty()).count();
            (filled >= 2 || widest < 2).then_some(texts[0].0)
        } else if wanted_n.iter().all(|w| texts.iter().any(|(_, t)| t == w)) {
            texts
                .iter()
                .find(|(_, t)| *t == wanted_n[0])
                .map(|(c, _)| *c)
        } else {
            None
        };
        let Some(anchor) = anchor else { continue };
        let header = header_bottom(s, r);
        let named = |c: u32| (r..=header).any(|hr| header_text(s, CellAddr::new(hr, c)).is_some());
        let mut first = anchor;
        while first > 0 && named(first - 1) {
            first -= 1;
        }
        let mut last = anchor;
        while last + 1 < crate::model::address::MAX_COLS && named(last + 1) {
            last += 1;
        }
        let has_data = |c: u32, end: u32| {
            (header + 1..=end).any(|row| {
                s.row(row)
                    .get(c as usize)
                    .is_some_and(|x| !x.value.is_empty())
            })
        };
        let mut end = header;
        // Rows and columns grow together: a column with data under a blank
        // header belongs to the table, and may reach rows further down.
        loop {
            while end < used.end.row {
                let next = s.row(end + 1);
                if !(first..=last)
                    .any(|c| next.get(c as usize).is_some_and(|x| !x.value.is_empty()))
                {
                    break;
                }
                end += 1;
            }
            let before = (first, last);
            while last + 1 < crate::model::address::MAX_COLS && has_data(last + 1, end) {
                last += 1;
            }
            while first > 0 && has_data(first - 1, end) {
                first -= 1;
            }
            if (first, last) == before {
                break;
            }
        }
        return Ok(RangeAddr::new(
            CellAddr::new(header, first),
            CellAddr::new(end, last),
        ));
    }
    Err(if wanted.is_empty() {
        ScriptError::NoHeaderRow(sheet.to_string())
    } else {
        ScriptError::NoRowWithHeaders {
            sheet: sheet.to_string(),
            headers: wanted.to_vec(),
        }
    })
}

/// The text a header cell shows: its own value, or, under a merge, the
/// merge's (a name merged down over two header rows belongs to both).
pub(super) fn header_text(sheet: &Sheet, addr: CellAddr) -> Option<String> {
    let own = sheet.value(addr);
    let value = if own.is_empty() {
        let merge = sheet.merged.iter().find(|m| m.contains(addr))?;
        sheet.value(merge.start)
    } else {
        own
    };
    let text = value.to_string().trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// The last row of a header starting at `row`: further down when a cell
/// of the row is merged down, or a group merged across has sub-headers
/// under it.
fn header_bottom(sheet: &Sheet, row: u32) -> u32 {
    let mut bottom = row;
    for m in sheet.merged.iter().filter(|m| m.start.row == row) {
        bottom = bottom.max(m.end.row);
        let across = m.end.col > m.start.col;
        let below = m.end.row + 1;
        if across
            && (m.start.col..=m.end.col).any(|c| !sheet.value(CellAddr::new(below, c)).is_empty())
        {
            bottom = bottom.max(below);
        }
    }
    // A two-row header at most: deeper merges are layout, not headers.
    bottom.min(row + 1)
}
