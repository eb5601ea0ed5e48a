//! A big worksheet part rewritten in pieces side by side. The original's
//! XML is cut, as it is unpacked, into pieces of about a megabyte that each
//! start at a `<row>`; the pieces are rewritten on helper threads and on
//! this one, whichever is free, and written (deflated) here in order.
//! Unpacking, cutting and deflating stay one stream each; parsing and
//! rewriting the rows, most of the work, is shared.
//!
//! The bytes are the same as the one-piece rewrite's ([`super::sheet`]):
//! a piece starts with what the part's start told (its prefix, whether
//! `<cols>` is written) and writes the changed cells of its own rows, the
//! new rows between its last row and the next piece's first included.
//! What the rows before it did is known only once they are rewritten: when
//! it mattered — a shared formula broken above it, a row out of order —
//! the piece is rewritten again in order with the state the pieces before
//! it left, as the one-piece rewrite would have.
//!
//! A piece is cut only before a `<row>` start tag with an `r` attribute
//! (its number), and never where a comment, CDATA section or processing
//! instruction (which could hold such text) has been met: from there, or
//! from the end of `<sheetData>`, the rest of the part is rewritten in one
//! piece, streamed.

use super::cell::parse_u32;
use super::sheet::{rewrite_piece, rewrite_rest, Carried, Piece, SheetError, SheetJob, XmlResult};
use crate::io::pipe::pipelined;
use memchr::memmem;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;
use std::io::{BufRead, Cursor, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, TrySendError};
use std::sync::Mutex;

/// Bytes of the original in a piece, at least (it ends at the next row):
/// large enough that handing a piece over costs nothing, small enough
/// that the pieces in flight cost little memory.
pub(super) const PIECE_BYTES: usize = 1 << 20;

/// Bytes a piece may grow to while no row to end it at is found; past
/// this the rest is rewritten in one piece, streamed.
const MAX_PIECE_BYTES: usize = 16 << 20;

/// Bytes read after a row's `<` to read its start tag whole.
const TAG_BYTES: usize = 4096;

/// Pieces cut and not yet written, at most (each about 2.3 MB with its
/// rewritten bytes).
const IN_FLIGHT: usize = 8;

/// Rewrites the part from `input` into `sink` in pieces of about
/// `piece_bytes`, with `helpers` helper threads beside this one. Returns
/// how many pieces were rewritten side by side (0: the part was rewritten
/// in one piece).
pub(super) fn rewrite_in_pieces<R: BufRead + Send, S: Write>(
    input: R,
    sink: &mut S,
    job: &SheetJob<'_>,
    warnings: &mut Vec<String>,
    helpers: usize,
    piece_bytes: usize,
) -> XmlResult<usize> {
    let mut cutter = Cutter::new(input, piece_bytes);
    let Some(prefix) = cutter.root_prefix()? else {
        return cutter
            .rewrite_rest(sink, job, None, None, warnings)
            .map(|()| 0);
    };
    cutter.row_tag = format!("<{prefix}row").into_bytes();
    cutter.data_end = format!("</{prefix}sheetData").into_bytes();
    // The part's start, up to its first row, tells the pieces the state
    // they start with.
    let Some(head) = cutter.next_piece(None)? else {
        return cutter
            .rewrite_rest(sink, job, None, None, warnings)
            .map(|()| 0);
    };
    let rows = (None, Some(head.next_row));
    let start = match rewrite_piece(job, None, &head.bytes, rows, false) {
        Ok(piece) if piece.carried.in_rows() && piece.carried.prefix() == prefix => piece,
        // Not a part whose rows can be cut where they were (its first
        // row is not in <sheetData>, say): in one piece from the start.
        _ => {
            cutter.unread(head.bytes);
            return cutter
                .rewrite_rest(sink, job, None, None, warnings)
                .map(|()| 0);
        }
    };
    sink.write_all(&start.out)?;
    warnings.extend(start.warnings);
    // What each piece starts with: what the start told, no rows yet.
    let template = start.carried.without_rows();
    let mut carried = start.carried;
    let mut first_row = head.next_row;
    let mut order = Order::default();
    let (work_tx, work_rx) = sync_channel::<Work>(IN_FLIGHT);
    let (done_tx, done_rx) = sync_channel::<(Work, XmlResult<Piece>)>(IN_FLIGHT);
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|scope| -> XmlResult<()> {
        let handles: Vec<_> = (0..helpers)
            .map(|_| {
                let (work_rx, done_tx, template) = (&work_rx, done_tx.clone(), &template);
                scope.spawn(move || {
                    while let Some(work) = take(work_rx, true) {
                        let piece =
                            rewrite_piece(job, Some(template), &work.bytes, work.rows, false);
                        // A closed channel: this thread's pieces are not
                        // wanted any more.
                        if done_tx.send((work, piece)).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        drop(done_tx);
        let mut cutting = true;
        let result = loop {
            while let Ok((work, piece)) = done_rx.try_recv() {
                order.done.insert(work.index, (work, piece));
            }
            if let Some((work, piece)) = order.done.remove(&order.written) {
                order.written += 1;
                let piece = match settle(job, &carried, &work, piece) {
                    Ok(piece) => piece,
                    Err(e) => break Err(e),
                };
                carried.last_row = piece.carried.last_row;
                carried.broken_shared.extend(piece.carried.broken_shared);
                warnings.extend(piece.warnings);
                if let Err(e) = sink.write_all(&piece.out) {
                    break Err(SheetError::Write(e));
                }
                continue;
            }
            if cutting && order.cut - order.written < IN_FLIGHT {
                match cutter.next_piece(Some(first_row)) {
                    Ok(Some(cut)) => {
                        let work = Work {
                            index: order.cut,
                            rows: (Some(first_row), Some(cut.next_row)),
                            mentions_shared: memmem::find(&cut.bytes, b"shared").is_some(),
                            first_row,
                            bytes: cut.bytes,
                        };
                        first_row = cut.next_row;
                        order.cut += 1;
                        // Helpers gone (they only go when the channel
                        // closes or they panicked): done here.
                        if let Err(TrySendError::Full(work) | TrySendError::Disconnected(work)) =
                            work_tx.try_send(work)
                        {
                            let piece =
                                rewrite_piece(job, Some(&template), &work.bytes, work.rows, false);
                            order.done.insert(work.index, (work, piece));
                        }
                    }
                    Ok(None) => cutting = false,
                    Err(e) => break Err(e),
                }
                continue;
            }
            if let Some(work) = take(&work_rx, false) {
                let piece = rewrite_piece(job, Some(&template), &work.bytes, work.rows, false);
                order.done.insert(work.index, (work, piece));
                continue;
            }
            if order.written == order.cut {
                break Ok(());
            }
            match done_rx.recv() {
                Ok((work, piece)) => {
                    order.done.insert(work.index, (work, piece));
                }
                // Every helper stopped with pieces left: one panicked
                // (joined below) or a piece was lost.
                Err(_) => {
                    break Err(SheetError::Write(std::io::Error::other(
                        "the threads rewriting the sheet stopped",
                    )))
                }
            }
        };
        // Closing both channels lets the helpers stop.
        drop(work_tx);
        drop(done_rx);
        for handle in handles {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        result
    })?;
    cutter.rewrite_rest(sink, job, Some(&carried), Some(first_row), warnings)?;
    Ok(order.cut)
}

/// `piece` past the XML declaration (and byte order mark) it starts with.
fn after_declaration(piece: &[u8]) -> &[u8] {
    let piece = piece.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(piece);
    if !piece.starts_with(b"<?xml") {
        return piece;
    }
    match memmem::find(piece, b"?>") {
        Some(end) => &piece[end + 2..],
        None => piece,
    }
}

/// Takes the next piece to rewrite: waiting for one (a helper) or only if
/// one is there (this thread). `None` once the pieces have ended.
fn take(work: &Mutex<Receiver<Work>>, wait: bool) -> Option<Work> {
    if wait {
        let receiver = work.lock().unwrap_or_else(|e| e.into_inner());
        receiver.recv().ok()
    } else {
        let receiver = work.try_lock().ok()?;
        receiver.try_recv().ok()
    }
}

/// The piece as the one-piece rewrite would give it: `piece`, rewritten
/// without the state of the pieces before it, unless that state mattered;
/// then rewritten again with `carried`.
fn settle(
    job: &SheetJob<'_>,
    carried: &Carried,
    work: &Work,
    piece: XmlResult<Piece>,
) -> XmlResult<Piece> {
    // A shared formula broken above may have members here.
    let broken_above = work.mentions_shared && !carried.broken_shared.is_empty();
    // Rows out of order, or a piece that failed: the error as met in order.
    let out_of_order = carried.last_row.is_some_and(|last| work.first_row <= last);
    if broken_above || out_of_order || piece.is_err() {
        return rewrite_piece(job, Some(carried), &work.bytes, work.rows, false);
    }
    piece
}

/// A piece to rewrite.
struct Work {
    /// Its place among the pieces.
    index: usize,
    /// The original's bytes, from a row's start to the next piece's.
    bytes: Vec<u8>,
    /// The rows whose changed cells it writes: from its first row to the
    /// next piece's.
    rows: (Option<u32>, Option<u32>),
    /// Its first row (from 0).
    first_row: u32,
    /// Whether its bytes name shared formulas at all.
    mentions_shared: bool,
}

/// The pieces cut, written, and rewritten but waiting for those before.
#[derive(Default)]
struct Order {
    cut: usize,
    written: usize,
    done: BTreeMap<usize, (Work, XmlResult<Piece>)>,
}

/// A piece cut from the original.
struct Cut {
    bytes: Vec<u8>,
    /// The row (from 0) the next piece starts with.
    next_row: u32,
}

/// Reads the original and cuts it before rows.
struct Cutter<R> {
    input: R,
    /// Read and not cut yet.
    buf: Vec<u8>,
    /// The input has ended.
    ended: bool,
    piece_bytes: usize,
    /// `<` and the qualified name of a row, once known.
    row_tag: Vec<u8>,
    /// The start of `</sheetData>`'s tag, once known.
    data_end: Vec<u8>,
}

impl<R: BufRead + Send> Cutter<R> {
    fn new(input: R, piece_bytes: usize) -> Cutter<R> {
        Cutter {
            input,
            buf: Vec::new(),
            ended: false,
            piece_bytes,
            row_tag: Vec::new(),
            data_end: Vec::new(),
        }
    }

    /// Reads until `buf` holds `len` bytes or the input ends.
    fn fill(&mut self, len: usize) -> XmlResult<()> {
        while self.buf.len() < len && !self.ended {
            let data = self.input.fill_buf()?;
            if data.is_empty() {
                self.ended = true;
                break;
            }
            let n = data.len();
            self.buf.extend_from_slice(data);
            self.input.consume(n);
        }
        Ok(())
    }

    /// The namespace prefix (`""`, `"x:"`) of the part's root element,
    /// `None` if it is not found in the first piece.
    fn root_prefix(&mut self) -> XmlResult<Option<String>> {
        self.fill(self.piece_bytes.max(TAG_BYTES))?;
        let mut reader = Reader::from_reader(&self.buf[..]);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    let name = e.name();
                    let name: &str = name.as_ref();
                    return Ok(Some(match name.split_once(':') {
                        Some((p, _)) => format!("{p}:"),
                        None => String::new(),
                    }));
                }
                Ok(Event::Eof) | Err(_) => return Ok(None),
                Ok(_) => {}
            }
        }
    }

    /// The next piece, of at least `piece_bytes` (any length for the
    /// part's start, `first_row` `None`), ending before a row; `None`
    /// where no more can be cut.
    fn next_piece(&mut self, first_row: Option<u32>) -> XmlResult<Option<Cut>> {
        let min = if first_row.is_some() {
            self.piece_bytes
        } else {
            0
        };
        let mut from = min.max(1);
        loop {
            self.fill(from + self.piece_bytes + TAG_BYTES)?;
            let found = memmem::find(&self.buf[from.min(self.buf.len())..], &self.row_tag)
                .map(|at| from + at);
            let Some(at) = found else {
                if self.ended || self.buf.len() > MAX_PIECE_BYTES {
                    return Ok(None);
                }
                // Look again from where a tag cut in two could start.
                from = self.buf.len().saturating_sub(self.row_tag.len());
                continue;
            };
            let piece = &self.buf[..at];
            let body = match first_row {
                None => after_declaration(piece),
                Some(_) => piece,
            };
            // A comment, CDATA section or processing instruction could
            // hold the text of a row tag; past the rows' end no rows are
            // cut: the rest in one piece.
            if memmem::find(body, b"<!").is_some()
                || memmem::find(body, b"<?").is_some()
                || memmem::find(piece, &self.data_end).is_some()
            {
                return Ok(None);
            }
            match self.row_number(at) {
                Some(row) if first_row.is_none_or(|first| row > first) => {
                    let rest = self.buf.split_off(at);
                    let bytes = std::mem::replace(&mut self.buf, rest);
                    return Ok(Some(Cut {
                        bytes,
                        next_row: row,
                    }));
                }
                // Not a row start tag with a number: look further.
                _ => from = at + 1,
            }
            if from > MAX_PIECE_BYTES {
                return Ok(None);
            }
        }
    }

    /// The number (from 0) of the row whose start tag is at `at`, if it is
    /// one with an `r` attribute.
    fn row_number(&self, at: usize) -> Option<u32> {
        let tag = &self.buf[at..self.buf.len().min(at + TAG_BYTES)];
        let mut reader = Reader::from_reader(tag);
        let (Ok(Event::Start(e)) | Ok(Event::Empty(e))) = reader.read_event() else {
            return None;
        };
        if e.name().as_ref().as_bytes() != &self.row_tag[1..] {
            return None;
        }
        let r = e.try_get_attribute("r").ok()??;
        parse_u32(r.value.as_bytes())?.checked_sub(1)
    }

    /// Puts `bytes` back before what is left to read.
    fn unread(&mut self, mut bytes: Vec<u8>) {
        bytes.append(&mut self.buf);
        self.buf = bytes;
    }

    /// Rewrites what is left of the part in one piece, streamed, with the
    /// state `from` the pieces before and the changed cells from
    /// `first_row` on.
    fn rewrite_rest<S: Write>(
        self,
        sink: &mut S,
        job: &SheetJob<'_>,
        from: Option<&Carried>,
        first_row: Option<u32>,
        warnings: &mut Vec<String>,
    ) -> XmlResult<()> {
        let mut reader = Reader::from_reader(Cursor::new(self.buf).chain(self.input));
        reader.config_mut().check_end_names = false;
        // A piece may close elements opened before it.
        reader.config_mut().allow_unmatched_ends = true;
        pipelined(sink, |out| {
            rewrite_rest(job, from, &mut reader, out, first_row, warnings)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::sheet::rewrite_sheet;
    use super::*;
    use crate::model::{Cell, CellAddr, Number, Sheet, Value};
    use std::collections::BTreeSet;

    fn num(n: i64) -> Value {
        Value::Number(Number::from_i64(n))
    }

    /// A sheet part of `rows` rows (`r` numbers 2, 4, 6, ...), each with a
    /// number in A and, in B, a formula shared down from B2.
    fn part(prefix: &str, rows: u32) -> String {
        let p = prefix;
        let mut xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<{p}worksheet xmlns{colon}{name}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><{p}dimension ref="A2:B{last}"/><{p}sheetData>"#,
            colon = if p.is_empty() { "" } else { ":" },
            name = p.trim_end_matches(':'),
            last = rows * 2,
        );
        for i in 1..=rows {
            let r = i * 2;
            let f = if i == 1 {
                format!(
                    r#"<{p}f t="shared" ref="B2:B{}" si="0">A2*2</{p}f>"#,
                    rows * 2
                )
            } else {
                format!(r#"<{p}f t="shared" si="0"/>"#)
            };
            xml.push_str(&format!(
                r#"<{p}row r="{r}" spans="1:2"><{p}c r="A{r}"><{p}v>{i}</{p}v></{p}c><{p}c r="B{r}">{f}<{p}v>{}</{p}v></{p}c></{p}row>"#,
                i * 2
            ));
        }
        xml.push_str(&format!(
            r#"</{p}sheetData><{p}pageMargins left="0.7"/></{p}worksheet>"#
        ));
        xml
    }

    /// One way's rewritten bytes or error (as text), warnings, and pieces.
    type Way = (Result<String, String>, Vec<String>, usize);

    /// `xml` rewritten by `job` in one piece, then in pieces of
    /// `piece_bytes` beside 0 and 2 helpers.
    fn three_ways(xml: &str, job: &SheetJob<'_>, piece_bytes: usize) -> [Way; 3] {
        let way = |helpers: Option<usize>| {
            let (mut out, mut warnings) = (Vec::new(), Vec::new());
            let result = match helpers {
                None => {
                    rewrite_sheet(xml.as_bytes(), &mut out, job, &mut warnings, false).map(|()| 0)
                }
                Some(helpers) => rewrite_in_pieces(
                    xml.as_bytes(),
                    &mut out,
                    job,
                    &mut warnings,
                    helpers,
                    piece_bytes,
                ),
            };
            match result {
                Ok(pieces) => (Ok(String::from_utf8(out).unwrap()), warnings, pieces),
                Err(e) => (Err(e.to_string()), warnings, 0),
            }
        };
        [way(None), way(Some(0)), way(Some(2))]
    }

    /// `sheet`'s changes written into `xml` in one piece and in pieces of
    /// `piece_bytes`: the same bytes and warnings; returns the bytes and
    /// how many pieces were cut.
    fn same_in_pieces(xml: &str, sheet: &Sheet, piece_bytes: usize) -> (String, usize) {
        let cells: BTreeSet<CellAddr> = sheet.changed_cells().clone();
        let [whole, alone, beside] =
            three_ways(xml, &SheetJob::cells_only(sheet, &cells), piece_bytes);
        for (way, helpers) in [(&alone, 0), (&beside, 2)] {
            assert_eq!(way.0, whole.0, "{helpers} helpers");
            assert_eq!(way.1, whole.1, "{helpers} helpers");
        }
        (whole.0.unwrap(), beside.2)
    }

    #[test]
    fn changed_and_new_rows_land_in_their_pieces() {
        for prefix in ["", "x:"] {
            let xml = part(prefix, 400);
            let mut sheet = Sheet::new("S");
            // Before the first row, in rows of the file, between rows
            // (perhaps between two pieces), and after the last row.
            for (row, col) in [
                (0, 0),
                (9, 0),
                (10, 2),
                (11, 1),
                (401, 0),
                (650, 3),
                (900, 0),
            ] {
                sheet.set_value(CellAddr::new(row, col), num(i64::from(row)));
            }
            let (out, pieces) = same_in_pieces(&xml, &sheet, 200);
            assert!(pieces > 50, "{pieces} pieces");
            assert!(out.contains(&format!(r#"<{prefix}row r="901">"#)));
            let (_, one) = same_in_pieces(&xml, &sheet, 1 << 20);
            assert_eq!(one, 0, "a small part is one piece");
        }
    }

    #[test]
    fn a_shared_formula_broken_in_one_piece_is_expanded_in_the_next() {
        let xml = part("", 300);
        let mut sheet = Sheet::new("S");
        for i in 2..=300u32 {
            let r = i * 2 - 1;
            sheet.load_cell(
                CellAddr::new(r, 1),
                Cell {
                    value: num(0),
                    formula: Some(format!("A{}*2", r + 1).into()),
                    style: 0,
                },
            );
        }
        // The anchor's formula changes: every member gets its own.
        sheet.set_formula(CellAddr::new(1, 1), "A2*3", num(3));
        let (out, pieces) = same_in_pieces(&xml, &sheet, 300);
        assert!(pieces > 20, "{pieces} pieces");
        assert!(!out.contains("shared"));
        assert!(out.contains(r#"<c r="B600"><f>A600*2</f>"#));
    }

    #[test]
    fn rows_without_numbers_and_comments_are_not_cut_where_unsure() {
        let numbered = part("", 200);
        let mut sheet = Sheet::new("S");
        sheet.set_value(CellAddr::new(199, 0), num(7));
        // Rows without `r`: numbered from the row before, never cut at.
        let unnumbered = numbered.replacen(r#"<row r="100" "#, "<row ", 1);
        let unnumbered = unnumbered.replacen(r#"<row r="102" "#, "<row ", 1);
        let (out, pieces) = same_in_pieces(&unnumbered, &sheet, 100);
        assert!(pieces > 20, "{pieces} pieces");
        // The row after row 98 is row 99.
        assert!(out.contains(r#"<row spans="1:2" r="99">"#));
        // A comment that holds a row tag: from there, one piece.
        let commented = numbered.replacen(
            r#"<row r="300" "#,
            r#"<!-- <row r="9999"> --><row r="300" "#,
            1,
        );
        let (out, pieces) = same_in_pieces(&commented, &sheet, 100);
        assert!(pieces > 20 && pieces < 200, "{pieces} pieces");
        assert!(out.contains(r#"<!-- <row r="9999"> -->"#));
    }

    #[test]
    fn errors_are_the_ones_met_in_order() {
        let mut sheet = Sheet::new("S");
        // Cells of a row with changes are checked.
        sheet.set_value(CellAddr::new(149, 2), num(1));
        let cells = sheet.changed_cells().clone();
        let job = SheetJob::cells_only(&sheet, &cells);
        let broken = part("", 100).replacen(r#"<row r="150" "#, r#"<row r="15x" "#, 1);
        let misplaced = part("", 100).replacen(r#"<c r="A150">"#, r#"<c r="A9">"#, 1);
        for (xml, expected) in [(broken, "bad r attribute"), (misplaced, "A9")] {
            let [whole, alone, beside] = three_ways(&xml, &job, 64);
            let error = whole.0.unwrap_err();
            assert!(error.contains(expected), "{error}");
            assert_eq!(alone.0, Err(error.clone()));
            assert_eq!(beside.0, Err(error));
        }
    }
}
