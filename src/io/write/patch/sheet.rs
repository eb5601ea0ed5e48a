//! Streaming rewrite of one worksheet part: the source XML is read event by
//! event and written straight back, except for the cells the run changed,
//! which are replaced (or inserted in row and column order) from the model.
//! Nothing is held in memory beyond the current element.

use super::cell::{encode_cell, parse_a1, parse_u32, push_a1, push_u32, FormulaKind};
use super::cell::{parse_range, push_range};
use super::cols::{merge_cols, ColEntry};
use super::formula_text::{read_element_text, rename_sheets_in_formula, FORMULA_ELEMENTS};
pub(super) use super::sheet_error::SheetError;
use super::sheet_parts::{rewrite_in_pieces, PIECE_BYTES};
use super::visuals::{self, SheetVisualEdit};
use crate::io::ooxml::xml::{push_escaped, replace_attrs};
use crate::io::pipe::pipelined;
use crate::model::{CellAddr, DateSystem, RangeAddr, Sheet};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};
use std::collections::{btree_set, BTreeSet, HashSet};
use std::io::{BufRead, Write};
use std::iter::Peekable;
use std::ops::Bound;

/// What to do to one worksheet part.
pub(super) struct SheetJob<'a> {
    /// The model sheet the new cell content comes from.
    pub sheet: &'a Sheet,
    /// Cells to write from the model, in row-major order: the changed
    /// cells of an existing sheet, every cell of a new one.
    pub cells: &'a BTreeSet<CellAddr>,
    /// The file's date system, for date serials.
    pub date_system: DateSystem,
    /// Sheet renames `(old, new)` to apply to formulas the run did not
    /// rewrite itself.
    pub renames: &'a [(String, String)],
    /// Whether `<cols>` is rebuilt from the model's column widths.
    pub write_cols: bool,
    /// Table parts to unlink from or link to the sheet, if any.
    pub table_parts: Option<&'a TablePartsEdit>,
    /// Frozen panes, a filter, highlights and a drawing to add, if any.
    pub visuals: Option<&'a SheetVisualEdit>,
    /// The cell metadata record (`cm`) that marks a dynamic-array formula
    /// in the package, if it has one.
    pub dynamic_cm: Option<u32>,
}

#[cfg(test)]
impl<'a> SheetJob<'a> {
    /// A job that writes `cells` of `sheet` and changes nothing else.
    pub(super) fn cells_only(sheet: &'a Sheet, cells: &'a BTreeSet<CellAddr>) -> SheetJob<'a> {
        SheetJob {
            sheet,
            cells,
            date_system: DateSystem::Excel1900,
            renames: &[],
            write_cols: false,
            table_parts: None,
            visuals: None,
            dynamic_cm: None,
        }
    }
}

/// A change to a worksheet's `<tableParts>`: relationship ids of tables
/// removed from it and of tables added to it.
#[derive(Debug, Default)]
pub(super) struct TablePartsEdit {
    pub remove: HashSet<String>,
    pub add: Vec<String>,
}

/// Namespaces a worksheet declares relationship ids in (transitional,
/// strict).
const REL_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
];

struct State<'a, W: Write> {
    job: &'a SheetJob<'a>,
    writer: Writer<W>,
    pending: Peekable<btree_set::Range<'a, CellAddr>>,
    scratch: Vec<u8>,
    /// `si` of shared formulas whose anchor cell was replaced: the other
    /// cells of those groups must get explicit formulas.
    broken_shared: HashSet<u32>,
    in_sheet_data: bool,
    cols_done: bool,
    row: Option<u32>,
    last_row: Option<u32>,
    last_col: Option<u32>,
    /// The current row has no changes: its events pass through unread.
    passthrough_row: bool,
    /// Namespace prefix of SpreadsheetML elements in this part (`""` or
    /// `"x:"`), for the elements we write.
    prefix: String,
    root_seen: bool,
    /// The prefix (`"r"`) the root binds to the relationships namespace.
    rel_prefix: Option<String>,
    /// Past `</sheetData>`: the elements that follow are counted in
    /// `tail_depth` (0 = a child of the root), to place `<tableParts>`.
    after_data: bool,
    tail_depth: usize,
    table_parts_done: bool,
    /// The job's frozen panes are written (or there are none).
    pane_done: bool,
    /// Inside the `<sheetView>` that got the job's panes: the file's own
    /// `<pane>` and `<selection>` are left out.
    in_frozen_view: bool,
    /// The job's elements after `<sheetData>` not yet written, by their
    /// place in the schema's order; built once the prefixes are known.
    tail: Option<Vec<(usize, Vec<u8>)>>,
    warnings: &'a mut Vec<String>,
}

/// A worksheet rewrite's result.
pub(super) type XmlResult<T> = Result<T, SheetError>;

fn xml_err(e: impl std::fmt::Display) -> SheetError {
    SheetError::Xml(e.to_string())
}

fn io_err(e: std::io::Error) -> SheetError {
    SheetError::Write(e)
}

/// Streams a worksheet part from `input` into `sink`, applying `job`.
/// The part is rewritten on a helper thread while this one writes
/// (deflates) the result; with `in_pieces` (a big part), its rows are cut
/// in pieces rewritten side by side on every thread allowed
/// ([`rewrite_in_pieces`]). With one thread allowed, everything runs here.
pub(super) fn rewrite_sheet<R: BufRead + Send, S: Write>(
    input: R,
    sink: &mut S,
    job: &SheetJob<'_>,
    warnings: &mut Vec<String>,
    in_pieces: bool,
) -> XmlResult<()> {
    if in_pieces && crate::threads::parallel() {
        let helpers = crate::threads::limit() - 1;
        return rewrite_in_pieces(input, sink, job, warnings, helpers, PIECE_BYTES).map(|_| ());
    }
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = false;
    pipelined(sink, |out| {
        rewrite_rest(job, None, &mut reader, out, None, warnings)
    })
}

/// What the rewrite of a part carries from one piece of it to the next
/// when the part is rewritten in pieces ([`super::sheet_parts`]): what the
/// elements before `<sheetData>` told, and what the rows so far did.
#[derive(Clone, Debug, Default)]
pub(super) struct Carried {
    prefix: String,
    rel_prefix: Option<String>,
    root_seen: bool,
    in_sheet_data: bool,
    cols_done: bool,
    pane_done: bool,
    table_parts_done: bool,
    /// The last row met, for the next rows' order and numbering.
    pub(super) last_row: Option<u32>,
    /// `si` of the shared formulas whose anchor was replaced so far.
    pub(super) broken_shared: HashSet<u32>,
}

impl Carried {
    /// The namespace prefix of the part's elements (`""` or `"x:"`).
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// What the part's start told, as if no row had been met yet.
    pub(super) fn without_rows(&self) -> Carried {
        Carried {
            last_row: None,
            broken_shared: HashSet::new(),
            ..self.clone()
        }
    }

    /// Whether the piece that gave this ended inside `<sheetData>`: the
    /// next piece starts with rows.
    pub(super) fn in_rows(&self) -> bool {
        self.in_sheet_data && self.root_seen
    }
}

/// How one piece of a part was rewritten by [`rewrite_piece`].
pub(super) struct Piece {
    /// The rewritten bytes.
    pub(super) out: Vec<u8>,
    /// The state after the piece.
    pub(super) carried: Carried,
    /// Warnings met, in order.
    pub(super) warnings: Vec<String>,
}

/// Rewrites one piece of a part: `bytes`, from the start of the part or of
/// a row, up to the start of a row or the end of the part, with the state
/// `from` the pieces before (`None` at the part's start), writing the changed cells of `rows` (from,
/// to: see [`cells_of_rows`]) that fall in it. A piece that ends inside
/// `<sheetData>` also writes the changed rows of its range that follow its
/// last row; the last piece checks that no changed cell is left.
pub(super) fn rewrite_piece(
    job: &SheetJob<'_>,
    from: Option<&Carried>,
    bytes: &[u8],
    rows: (Option<u32>, Option<u32>),
    last: bool,
) -> XmlResult<Piece> {
    let mut warnings = Vec::new();
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    // A piece may close elements opened before it.
    reader.config_mut().allow_unmatched_ends = true;
    let carried = {
        let writer = Writer::new(&mut out);
        let mut state = State::new(job, writer, cells_of_rows(job.cells, rows), &mut warnings);
        if let Some(from) = from {
            state.resume(from);
        }
        state.feed(&mut reader)?;
        if last {
            let carried = state.carried();
            state.finish()?;
            carried
        } else {
            if state.in_sheet_data {
                state.flush_rows_before(None)?;
            }
            state.carried()
        }
    };
    Ok(Piece {
        out,
        carried,
        warnings,
    })
}

/// Rewrites the rest of a part, from `reader` (at the start of a row or of
/// the part), with the state `from` the pieces before (`None` at the
/// part's start: the whole part), into `sink`: the changed cells from row
/// `first_row` on (all of them for `None`).
pub(super) fn rewrite_rest<R: BufRead, W: Write>(
    job: &SheetJob<'_>,
    from: Option<&Carried>,
    reader: &mut Reader<R>,
    sink: W,
    first_row: Option<u32>,
    warnings: &mut Vec<String>,
) -> XmlResult<()> {
    let pending = cells_of_rows(job.cells, (first_row, None));
    let mut state = State::new(job, Writer::new(sink), pending, warnings);
    if let Some(from) = from {
        state.resume(from);
    }
    state.feed(reader)?;
    state.finish()
}

/// The changed cells of the rows from `from` (included) to `to`
/// (excluded), row numbers from 0, `None` for no bound; in order.
fn cells_of_rows(
    cells: &BTreeSet<CellAddr>,
    (from, to): (Option<u32>, Option<u32>),
) -> btree_set::Range<'_, CellAddr> {
    let bound =
        |row: Option<u32>| row.map_or(Bound::Unbounded, |r| Bound::Included(CellAddr::new(r, 0)));
    let end = match to {
        Some(r) => Bound::Excluded(CellAddr::new(r, 0)),
        None => Bound::Unbounded,
    };
    cells.range((bound(from), end))
}

impl<'a, W: Write> State<'a, W> {
    fn new(
        job: &'a SheetJob<'a>,
        writer: Writer<W>,
        pending: btree_set::Range<'a, CellAddr>,
        warnings: &'a mut Vec<String>,
    ) -> State<'a, W> {
        State {
            job,
            writer,
            pending: pending.peekable(),
            scratch: Vec::with_capacity(256),
            broken_shared: HashSet::new(),
            in_sheet_data: false,
            cols_done: false,
            row: None,
            last_row: None,
            last_col: None,
            passthrough_row: false,
            prefix: String::new(),
            root_seen: false,
            rel_prefix: None,
            after_data: false,
            tail_depth: 0,
            table_parts_done: job.table_parts.is_none(),
            pane_done: job.visuals.is_none_or(|v| v.pane.is_empty()),
            in_frozen_view: false,
            tail: None,
            warnings,
        }
    }

    /// Takes up the state `from` the pieces before this one.
    fn resume(&mut self, from: &Carried) {
        self.prefix.clone_from(&from.prefix);
        self.rel_prefix.clone_from(&from.rel_prefix);
        self.root_seen = from.root_seen;
        self.in_sheet_data = from.in_sheet_data;
        self.cols_done = from.cols_done;
        self.pane_done = from.pane_done;
        self.table_parts_done = from.table_parts_done;
        self.last_row = from.last_row;
        self.broken_shared.clone_from(&from.broken_shared);
    }

    /// The state the next piece takes up. Only a piece that ends between
    /// rows (or at the end) hands over: the elements after `<sheetData>`
    /// are never cut.
    fn carried(&self) -> Carried {
        Carried {
            prefix: self.prefix.clone(),
            rel_prefix: self.rel_prefix.clone(),
            root_seen: self.root_seen,
            in_sheet_data: self.in_sheet_data,
            cols_done: self.cols_done,
            pane_done: self.pane_done,
            table_parts_done: self.table_parts_done,
            last_row: self.last_row,
            broken_shared: self.broken_shared.clone(),
        }
    }

    /// Checks that every changed cell was written, and flushes.
    fn finish(self) -> XmlResult<()> {
        let mut state = self;
        if state.pending.peek().is_some() {
            return Err(SheetError::NoSheetData);
        }
        state.writer.into_inner().flush().map_err(io_err)
    }

    /// Rewrites the events of `reader` up to its end.
    fn feed<R: BufRead>(&mut self, reader: &mut Reader<R>) -> XmlResult<()> {
        let mut buf = Vec::with_capacity(1024);
        loop {
            buf.clear();
            let event = reader.read_event_into(&mut buf).map_err(xml_err)?;
            if self.passthrough_row {
                if let Event::End(e) = &event {
                    if e.local_name().as_ref() == "row" {
                        self.passthrough_row = false;
                        self.row = None;
                    }
                }
                self.write(event)?;
                continue;
            }
            if self.after_data && self.tail_depth == 0 && self.job.visuals.is_some() {
                match &event {
                    Event::Start(e) | Event::Empty(e) => {
                        let local = e.local_name().as_ref().to_string();
                        if let Some(rank) = visuals::tail_rank(&local) {
                            self.write_tail(rank)?;
                        }
                        if local == "conditionalFormatting"
                            && self.job.renames.is_empty()
                            && matches!(event, Event::Start(_))
                        {
                            let Event::Start(e) = event else {
                                unreachable!("matched above")
                            };
                            self.pass_conditional_format(e.into_owned(), reader)?;
                            continue;
                        }
                        if local == "autoFilter"
                            && self.job.visuals.is_some_and(|v| v.auto_filter.is_some())
                        {
                            // The run's filter replaces the file's.
                            if let Event::Start(e) = &event {
                                let name = e.name().as_ref().to_string();
                                let mut skip = Vec::new();
                                reader
                                    .read_to_end_into(quick_xml::name::QName(&name), &mut skip)
                                    .map_err(xml_err)?;
                            }
                            continue;
                        }
                    }
                    Event::End(_) => self.write_tail(usize::MAX)?,
                    _ => {}
                }
            }
            if self.after_data {
                match &event {
                    Event::Start(e) | Event::Empty(e) if self.tail_depth == 0 => {
                        match e.local_name().as_ref() {
                            "tableParts" if !self.table_parts_done => {
                                let empty = matches!(event, Event::Empty(_));
                                self.replace_table_parts(empty, reader)?;
                                continue;
                            }
                            "extLst" => self.add_table_parts(Vec::new())?,
                            _ => {}
                        }
                    }
                    Event::End(_) if self.tail_depth == 0 => self.add_table_parts(Vec::new())?,
                    _ => {}
                }
                match &event {
                    Event::Start(e) => {
                        let consumed = !self.job.renames.is_empty()
                            && FORMULA_ELEMENTS.contains(&e.local_name().as_ref());
                        if !consumed {
                            self.tail_depth += 1;
                        }
                    }
                    Event::End(_) => self.tail_depth = self.tail_depth.saturating_sub(1),
                    _ => {}
                }
            }
            match event {
                Event::Eof => break,
                Event::Start(e) => self.start(e, false, reader)?,
                Event::Empty(e) => self.start(e, true, reader)?,
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        "row" if self.in_sheet_data => {
                            if let Some(r) = self.row.take() {
                                self.flush_cells_in_row(r, None)?;
                            }
                        }
                        "sheetView" => self.in_frozen_view = false,
                        "sheetData" => {
                            self.flush_rows_before(None)?;
                            self.in_sheet_data = false;
                            self.after_data = true;
                        }
                        _ => {}
                    }
                    self.write(Event::End(e))?;
                }
                other => self.write(other)?,
            }
        }
        Ok(())
    }

    fn write(&mut self, event: Event<'_>) -> XmlResult<()> {
        self.writer.write_event(event).map_err(io_err)
    }

    fn write_scratch(&mut self) -> XmlResult<()> {
        self.writer
            .get_mut()
            .write_all(&self.scratch)
            .map_err(io_err)?;
        self.scratch.clear();
        Ok(())
    }

    fn start<R: BufRead>(
        &mut self,
        e: BytesStart<'_>,
        empty: bool,
        reader: &mut Reader<R>,
    ) -> XmlResult<()> {
        if !self.root_seen {
            // The root element tells which prefix, if any, the part uses.
            self.root_seen = true;
            if let Some((p, _)) = e.name().as_ref().split_once(':') {
                self.prefix = format!("{p}:");
            }
            self.rel_prefix = e.attributes().with_checks(false).flatten().find_map(|a| {
                let key = a.key.as_ref();
                (REL_NAMESPACES.contains(&a.value.as_ref()) && key.starts_with("xmlns:"))
                    .then(|| key[6..].to_string())
            });
        }
        if !self.pane_done
            && matches!(
                e.local_name().as_ref(),
                "sheetFormatPr" | "cols" | "sheetData"
            )
        {
            // The file has no <sheetViews>: the frozen panes bring one.
            self.pane_done = true;
            let pane = self.job.visuals.map_or(&[][..], |v| &v.pane[..]);
            let fragment = visuals::sheet_views(pane, &self.prefix);
            self.scratch.extend_from_slice(&fragment);
            self.write_scratch()?;
        }
        match e.local_name().as_ref() {
            "sheetView" if !self.pane_done => {
                self.pane_done = true;
                let name = e.name().as_ref().to_string();
                self.write(Event::Start(e))?;
                let pane = self.job.visuals.map_or(&[][..], |v| &v.pane[..]);
                for element in pane {
                    let element = visuals::qualified(element, &self.prefix);
                    self.scratch.extend_from_slice(&element);
                }
                if empty {
                    self.scratch
                        .extend_from_slice(format!("</{name}>").as_bytes());
                } else {
                    self.in_frozen_view = true;
                }
                self.write_scratch()
            }
            "pane" | "selection" if self.in_frozen_view => {
                if !empty {
                    let name = e.name().as_ref().to_string();
                    let mut skip = Vec::new();
                    reader
                        .read_to_end_into(quick_xml::name::QName(&name), &mut skip)
                        .map_err(xml_err)?;
                }
                Ok(())
            }
            "c" if self.row.is_some() => self.cell(e, empty, reader),
            "row" if self.in_sheet_data => self.row_start(e, empty),
            name if !empty && !self.job.renames.is_empty() && FORMULA_ELEMENTS.contains(&name) => {
                self.write(Event::Start(e))?;
                self.rename_formula_text(reader)
            }
            "sheetData" => {
                self.write_cols_if_needed(Vec::new())?;
                if empty {
                    self.after_data = true;
                    if self.pending.peek().is_none() {
                        return self.write(Event::Empty(e));
                    }
                    let name = e.name().as_ref().as_bytes().to_vec();
                    self.write(Event::Start(e))?;
                    self.flush_rows_before(None)?;
                    self.scratch.extend_from_slice(b"</");
                    self.scratch.extend_from_slice(&name);
                    self.scratch.push(b'>');
                    self.write_scratch()
                } else {
                    self.in_sheet_data = true;
                    self.write(Event::Start(e))
                }
            }
            "dimension" if !self.in_sheet_data => {
                let e = self.grown_dimension(e)?;
                self.write(wrap(e, empty))
            }
            "cols" if self.job.write_cols && !self.cols_done => {
                let mut entries = Vec::new();
                if !empty {
                    let mut buf = Vec::new();
                    loop {
                        buf.clear();
                        match reader.read_event_into(&mut buf).map_err(xml_err)? {
                            Event::Start(c) | Event::Empty(c)
                                if c.local_name().as_ref() == "col" =>
                            {
                                entries.push(ColEntry::from_element(&c)?);
                            }
                            Event::End(c) if c.local_name().as_ref() == "cols" => break,
                            Event::Eof => return Err(xml_err("<cols> is not closed")),
                            _ => {}
                        }
                    }
                }
                self.write_cols_if_needed(entries)
            }
            _ => self.write(wrap(e, empty)),
        }
    }

    /// Writes the job's elements that come before schema position `rank`
    /// after `<sheetData>` (all of them for `usize::MAX`).
    fn write_tail(&mut self, rank: usize) -> XmlResult<()> {
        let Some(edit) = self.job.visuals else {
            return Ok(());
        };
        let tail = self.tail.get_or_insert_with(|| {
            visuals::tail_elements(edit, &self.prefix, self.rel_prefix.as_deref())
        });
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(tail)
            .into_iter()
            .partition(|(r, _)| *r < rank);
        *tail = later;
        for (_, bytes) in now {
            self.scratch.extend_from_slice(&bytes);
        }
        self.write_scratch()
    }

    /// Copies one of the file's `<conditionalFormatting>` elements, and
    /// drops the job's that are the same (an earlier run's).
    fn pass_conditional_format<R: BufRead>(
        &mut self,
        start: BytesStart<'static>,
        reader: &mut Reader<R>,
    ) -> XmlResult<()> {
        let mut copy = Writer::new(Vec::new());
        copy.write_event(Event::Start(start)).map_err(io_err)?;
        let mut depth = 1usize;
        let mut buf = Vec::new();
        while depth > 0 {
            buf.clear();
            let event = reader.read_event_into(&mut buf).map_err(xml_err)?;
            match &event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(xml_err("<conditionalFormatting> is not closed")),
                _ => {}
            }
            copy.write_event(event).map_err(io_err)?;
        }
        let copy = copy.into_inner();
        if let Some(edit) = self.job.visuals {
            let prefix = self.prefix.clone();
            let rel = self.rel_prefix.clone();
            let tail = self
                .tail
                .get_or_insert_with(|| visuals::tail_elements(edit, &prefix, rel.as_deref()));
            let same = visuals::rule_identity(&copy);
            tail.retain(|(_, e)| visuals::rule_identity(e) != same);
        }
        self.scratch.extend_from_slice(&copy);
        self.write_scratch()
    }

    /// Reads the file's `<tableParts>` and writes it back edited.
    fn replace_table_parts<R: BufRead>(
        &mut self,
        empty: bool,
        reader: &mut Reader<R>,
    ) -> XmlResult<()> {
        let mut kept: Vec<Vec<u8>> = Vec::new();
        let remove = self.job.table_parts.map(|t| &t.remove);
        if !empty {
            let mut buf = Vec::new();
            let mut depth = 0usize;
            loop {
                buf.clear();
                let event = reader.read_event_into(&mut buf).map_err(xml_err)?;
                match &event {
                    Event::Start(p) | Event::Empty(p)
                        if depth == 0 && p.local_name().as_ref() == "tablePart" =>
                    {
                        let id = p.attributes().with_checks(false).flatten().find_map(|a| {
                            (a.key.local_name().as_ref() == "id").then(|| a.value.to_string())
                        });
                        if !id.is_some_and(|id| remove.is_some_and(|r| r.contains(&id))) {
                            let mut raw = b"<".to_vec();
                            raw.extend_from_slice(AsRef::<str>::as_ref(p).as_bytes());
                            raw.extend_from_slice(b"/>");
                            kept.push(raw);
                        }
                    }
                    Event::End(_) if depth == 0 => break,
                    Event::Eof => return Err(xml_err("<tableParts> is not closed")),
                    _ => {}
                }
                match event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
            }
        }
        self.add_table_parts(kept)
    }

    /// Writes `<tableParts>` with `kept` (raw `<tablePart/>` elements of
    /// the file) and the job's new table parts, once, if there is any.
    fn add_table_parts(&mut self, kept: Vec<Vec<u8>>) -> XmlResult<()> {
        if self.table_parts_done {
            return Ok(());
        }
        self.table_parts_done = true;
        let add: &[String] = self.job.table_parts.map_or(&[], |t| &t.add);
        let count = kept.len() + add.len();
        if count == 0 {
            return Ok(());
        }
        let p = self.prefix.clone();
        let mut out = format!("<{p}tableParts count=\"{count}\">").into_bytes();
        for raw in kept {
            out.extend_from_slice(&raw);
        }
        for rid in add {
            let (r, declare) = match &self.rel_prefix {
                Some(r) => (r.as_str(), String::new()),
                None => ("r", format!(" xmlns:r=\"{}\"", REL_NAMESPACES[0])),
            };
            out.extend_from_slice(format!("<{p}tablePart{declare} {r}:id=\"").as_bytes());
            push_escaped(&mut out, rid, false);
            out.extend_from_slice(b"\"/>");
        }
        out.extend_from_slice(format!("</{p}tableParts>").as_bytes());
        self.scratch.extend_from_slice(&out);
        self.write_scratch()
    }

    /// Writes `<cols>` merged from the file's entries and the model's widths.
    fn write_cols_if_needed(&mut self, original: Vec<ColEntry>) -> XmlResult<()> {
        if !self.job.write_cols || self.cols_done {
            return Ok(());
        }
        self.cols_done = true;
        let entries = merge_cols(original, &self.job.sheet.column_widths);
        if entries.is_empty() {
            return Ok(());
        }
        let p = self.prefix.clone();
        self.scratch
            .extend_from_slice(format!("<{p}cols>").as_bytes());
        for entry in &entries {
            entry.encode(&mut self.scratch, &p);
        }
        self.scratch
            .extend_from_slice(format!("</{p}cols>").as_bytes());
        self.write_scratch()
    }

    /// The `<dimension>` element with its range grown to cover new cells.
    fn grown_dimension<'e>(&self, e: BytesStart<'e>) -> XmlResult<BytesStart<'e>> {
        let mut bounds: Option<RangeAddr> = None;
        for addr in self.job.cells {
            if self.job.sheet.cell(*addr).is_some_and(|c| !c.is_blank()) {
                bounds = Some(match bounds {
                    None => RangeAddr::cell(*addr),
                    Some(b) => union(b, RangeAddr::cell(*addr)),
                });
            }
        }
        let Some(bounds) = bounds else {
            return Ok(e);
        };
        let original = e
            .try_get_attribute("ref")
            .map_err(xml_err)?
            .and_then(|a| parse_range(a.value.as_bytes()));
        let grown = match original {
            Some(o) => union(o, bounds),
            None => bounds,
        };
        if Some(grown) == original {
            return Ok(e);
        }
        let mut text = Vec::new();
        push_range(&mut text, grown);
        Ok(replace_attrs(&e, &[("ref", Some(ascii(&text)))]))
    }

    fn row_start(&mut self, e: BytesStart<'_>, empty: bool) -> XmlResult<()> {
        let r = match e.try_get_attribute("r").map_err(xml_err)? {
            Some(a) => {
                parse_u32(a.value.as_bytes())
                    .filter(|r| *r >= 1)
                    .ok_or_else(|| xml_err("a row has a bad r attribute"))?
                    - 1
            }
            None => self.last_row.map_or(0, |r| r + 1),
        };
        if self.last_row.is_some_and(|last| r <= last) && !self.job.cells.is_empty() {
            // Cells are merged into the stream in order; out-of-order rows
            // would put edits in the wrong place or duplicate a row.
            return Err(SheetError::RowOutOfOrder {
                row: r + 1,
                previous: self.last_row.unwrap_or(0) + 1,
            });
        }
        self.last_row = Some(r);
        self.last_col = None;
        self.flush_rows_before(Some(r))?;
        let has_r = e.try_get_attribute("r").map_err(xml_err)?.is_some();
        let changes_here = self.pending.peek().is_some_and(|a| a.row == r);
        let mut r_text = Vec::new();
        push_u32(&mut r_text, r + 1);
        if !changes_here {
            let e = if has_r {
                e
            } else {
                replace_attrs(&e, &[("r", Some(ascii(&r_text)))])
            };
            if empty {
                return self.write(Event::Empty(e));
            }
            self.row = Some(r);
            self.passthrough_row = self.broken_shared.is_empty() && self.job.renames.is_empty();
            return self.write(Event::Start(e));
        }
        // Widen `spans` (a reader's optimisation hint) to the new cells.
        let mut spans_text = Vec::new();
        let spans = e.try_get_attribute("spans").map_err(xml_err)?;
        if let Some(spans) = &spans {
            let (mut lo, mut hi) = parse_spans(spans.value.as_bytes()).unwrap_or((u32::MAX, 0));
            let mut it = self.pending.clone();
            while let Some(a) = it.next().filter(|a| a.row == r) {
                lo = lo.min(a.col + 1);
                hi = hi.max(a.col + 1);
            }
            push_u32(&mut spans_text, lo);
            spans_text.push(b':');
            push_u32(&mut spans_text, hi);
        }
        let mut changes: Vec<(&str, Option<&str>)> = vec![("r", Some(ascii(&r_text)))];
        if spans.is_some() {
            changes.push(("spans", Some(ascii(&spans_text))));
        }
        let e = replace_attrs(&e, &changes);
        self.write(Event::Start(e))?;
        if empty {
            self.flush_cells_in_row(r, None)?;
            self.scratch
                .extend_from_slice(format!("</{}row>", self.prefix).as_bytes());
            self.write_scratch()
        } else {
            self.row = Some(r);
            Ok(())
        }
    }

    fn cell<R: BufRead>(
        &mut self,
        e: BytesStart<'_>,
        empty: bool,
        reader: &mut Reader<R>,
    ) -> XmlResult<()> {
        let row = self.row.unwrap_or(0);
        let r_attr = e.try_get_attribute("r").map_err(xml_err)?;
        let addr = match &r_attr {
            Some(a) => parse_a1(a.value.as_bytes())
                .ok_or_else(|| xml_err(format!("bad cell reference \"{}\"", a.value)))?,
            None => CellAddr::new(row, self.last_col.map_or(0, |c| c + 1)),
        };
        let has_r = r_attr.is_some();
        let out_of_place = addr.row != row || self.last_col.is_some_and(|last| addr.col <= last);
        if out_of_place && !self.job.cells.is_empty() {
            return Err(SheetError::CellOutOfPlace {
                cell: addr.to_a1(),
                row: row + 1,
            });
        }
        self.last_col = Some(addr.col);
        self.flush_cells_in_row(row, Some(addr.col))?;
        let replace = self.pending.peek() == Some(&&addr);
        if replace {
            self.pending.next();
            if !empty {
                let mut buf = Vec::new();
                let mut depth = 0usize;
                loop {
                    buf.clear();
                    let event = reader.read_event_into(&mut buf).map_err(xml_err)?;
                    match &event {
                        Event::Start(f) | Event::Empty(f) if f.local_name().as_ref() == "f" => {
                            let info = FormulaInfo::of(f)?;
                            // The model says whether the cell is an
                            // array formula and over what range.
                            if info.shared && info.reference.is_some() {
                                if let Some(si) = info.si {
                                    self.broken_shared.insert(si);
                                }
                            }
                        }
                        _ => {}
                    }
                    match event {
                        Event::Start(_) => depth += 1,
                        Event::End(c) if depth == 0 && c.local_name().as_ref() == "c" => break,
                        Event::End(_) => depth = depth.saturating_sub(1),
                        Event::Eof => return Err(xml_err("a cell is not closed")),
                        _ => {}
                    }
                }
            }
            return self.encode_model_cell(addr);
        }
        if !self.broken_shared.is_empty() && !empty {
            return self.maybe_expand_shared(e, addr, has_r, reader);
        }
        let e = if has_r {
            e
        } else {
            let mut a1 = Vec::new();
            push_a1(&mut a1, addr);
            replace_attrs(&e, &[("r", Some(ascii(&a1)))])
        };
        self.write(if empty {
            Event::Empty(e)
        } else {
            Event::Start(e)
        })
    }

    /// A cell that may belong to a shared formula whose anchor was
    /// replaced: buffered until its end, then written either unchanged or,
    /// if it was such a member, with its own formula from the model.
    fn maybe_expand_shared<R: BufRead>(
        &mut self,
        e: BytesStart<'_>,
        addr: CellAddr,
        has_r: bool,
        reader: &mut Reader<R>,
    ) -> XmlResult<()> {
        let mut events: Vec<Event<'static>> = Vec::new();
        let e = if has_r {
            e.into_owned()
        } else {
            let mut a1 = Vec::new();
            push_a1(&mut a1, addr);
            replace_attrs(&e, &[("r", Some(ascii(&a1)))]).into_owned()
        };
        events.push(Event::Start(e));
        let mut member = false;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let event = reader.read_event_into(&mut buf).map_err(xml_err)?;
            match &event {
                Event::Start(f) | Event::Empty(f) if f.local_name().as_ref() == "f" => {
                    let info = FormulaInfo::of(f)?;
                    if info.shared
                        && info.reference.is_none()
                        && info.si.is_some_and(|si| self.broken_shared.contains(&si))
                    {
                        member = true;
                    }
                }
                Event::Eof => return Err(xml_err("a cell is not closed")),
                _ => {}
            }
            let end = matches!(&event, Event::End(c) if c.local_name().as_ref() == "c");
            events.push(event.into_owned());
            if end {
                break;
            }
        }
        let model = self.job.sheet.cell(addr);
        if member && model.is_some_and(|c| c.formula.is_some()) {
            return self.encode_model_cell(addr);
        }
        if member {
            self.warnings.push(format!(
                "{}!{}: this cell shares its formula with a changed cell, but its own formula \
                 text is not known; it was left as it was and may now calculate differently",
                self.job.sheet.name,
                addr.to_a1()
            ));
        }
        for event in events {
            self.write(event)?;
        }
        Ok(())
    }

    /// Rewrites the text of a formula element for renamed sheets.
    fn rename_formula_text<R: BufRead>(&mut self, reader: &mut Reader<R>) -> XmlResult<()> {
        let (text, end) = read_element_text(reader, "worksheet")?;
        let renamed = rename_sheets_in_formula(&text, self.job.renames);
        push_escaped(&mut self.scratch, &renamed, false);
        self.write_scratch()?;
        self.write(Event::End(end))
    }

    fn encode_model_cell(&mut self, addr: CellAddr) -> XmlResult<()> {
        if let Some(cell) = self.job.sheet.cell(addr) {
            let kind = FormulaKind::of(self.job.sheet, addr, self.job.dynamic_cm);
            encode_cell(
                &mut self.scratch,
                &self.prefix,
                addr,
                cell,
                self.job.date_system,
                kind,
            );
        }
        self.write_scratch()
    }

    /// Writes pending changed cells of `row` that sort before `before_col`
    /// (all of the row's when `None`): cells the file does not have yet.
    fn flush_cells_in_row(&mut self, row: u32, before_col: Option<u32>) -> XmlResult<()> {
        while let Some(&&addr) = self.pending.peek() {
            if addr.row != row || before_col.is_some_and(|c| addr.col >= c) {
                break;
            }
            self.pending.next();
            if let Some(cell) = self.job.sheet.cell(addr) {
                encode_cell(
                    &mut self.scratch,
                    &self.prefix,
                    addr,
                    cell,
                    self.job.date_system,
                    FormulaKind::of(self.job.sheet, addr, self.job.dynamic_cm),
                );
            }
        }
        if self.scratch.is_empty() {
            return Ok(());
        }
        self.write_scratch()
    }

    /// Writes whole new rows for pending cells above row `limit` (all
    /// pending cells when `None`).
    fn flush_rows_before(&mut self, limit: Option<u32>) -> XmlResult<()> {
        while let Some(&&first) = self.pending.peek() {
            if limit.is_some_and(|l| first.row >= l) {
                break;
            }
            let mut row_xml = std::mem::take(&mut self.scratch);
            row_xml.push(b'<');
            row_xml.extend_from_slice(self.prefix.as_bytes());
            row_xml.extend_from_slice(b"row r=\"");
            push_u32(&mut row_xml, first.row + 1);
            row_xml.extend_from_slice(b"\">");
            let header = row_xml.len();
            while let Some(&&addr) = self.pending.peek() {
                if addr.row != first.row {
                    break;
                }
                self.pending.next();
                if let Some(cell) = self.job.sheet.cell(addr) {
                    encode_cell(
                        &mut row_xml,
                        &self.prefix,
                        addr,
                        cell,
                        self.job.date_system,
                        FormulaKind::of(self.job.sheet, addr, self.job.dynamic_cm),
                    );
                }
            }
            if row_xml.len() > header {
                row_xml.extend_from_slice(format!("</{}row>", self.prefix).as_bytes());
                self.scratch = row_xml;
                self.write_scratch()?;
            } else {
                row_xml.clear();
                self.scratch = row_xml;
            }
        }
        Ok(())
    }
}

fn wrap(e: BytesStart<'_>, empty: bool) -> Event<'_> {
    if empty {
        Event::Empty(e)
    } else {
        Event::Start(e)
    }
}

/// The attributes of an `<f>` element that matter for shared formulas.
struct FormulaInfo {
    shared: bool,
    si: Option<u32>,
    reference: Option<Vec<u8>>,
}

impl FormulaInfo {
    fn of(f: &BytesStart<'_>) -> XmlResult<FormulaInfo> {
        let mut info = FormulaInfo {
            shared: false,
            si: None,
            reference: None,
        };
        for attr in f.attributes().with_checks(false) {
            let attr = attr.map_err(xml_err)?;
            match attr.key.local_name().as_ref() {
                "t" => {
                    info.shared = attr.value == "shared";
                }
                "si" => info.si = parse_u32(attr.value.as_bytes()),
                "ref" => info.reference = Some(attr.value.as_bytes().to_vec()),
                _ => {}
            }
        }
        Ok(info)
    }
}

/// Bytes known to be ASCII (digits, letters) as text.
pub(super) fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

fn union(a: RangeAddr, b: RangeAddr) -> RangeAddr {
    RangeAddr::new(
        CellAddr::new(a.start.row.min(b.start.row), a.start.col.min(b.start.col)),
        CellAddr::new(a.end.row.max(b.end.row), a.end.col.max(b.end.col)),
    )
}

fn parse_spans(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lo = u32::MAX;
    let mut hi = 0;
    for span in text.split_ascii_whitespace() {
        let (a, b) = span.split_once(':')?;
        lo = lo.min(a.parse().ok()?);
        hi = hi.max(b.parse().ok()?);
    }
    (lo <= hi).then_some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Number, Value};

    fn run(xml: &str, sheet: &Sheet, write_cols: bool) -> String {
        let cells = sheet.changed_cells().clone();
        let job = SheetJob {
            write_cols,
            ..SheetJob::cells_only(sheet, &cells)
        };
        both_ways(xml, &job)
    }

    /// `xml` rewritten by `job` in one piece and in pieces side by side:
    /// the same bytes and warnings either way.
    fn both_ways(xml: &str, job: &SheetJob<'_>) -> String {
        let mut out = Vec::new();
        let mut warnings = Vec::new();
        rewrite_sheet(xml.as_bytes(), &mut out, job, &mut warnings, false).unwrap();
        let whole = (String::from_utf8(out).unwrap(), warnings);
        // In pieces as small as can be (one row each), on this thread
        // alone and beside helpers.
        for helpers in [0, 2] {
            let mut out = Vec::new();
            let mut warnings = Vec::new();
            rewrite_in_pieces(xml.as_bytes(), &mut out, job, &mut warnings, helpers, 1).unwrap();
            let pieces = (String::from_utf8(out).unwrap(), warnings);
            assert_eq!(whole, pieces, "rewritten in pieces, {helpers} helpers");
        }
        whole.0
    }

    fn num(n: i64) -> Value {
        Value::Number(Number::from_i64(n))
    }

    /// `xml` rewritten with no cell changes, only these part edits.
    fn with_edits(
        xml: &str,
        table_parts: Option<&TablePartsEdit>,
        visuals: Option<&SheetVisualEdit>,
    ) -> String {
        let sheet = Sheet::new("S");
        let cells = BTreeSet::new();
        let job = SheetJob {
            table_parts,
            visuals,
            ..SheetJob::cells_only(&sheet, &cells)
        };
        both_ways(xml, &job)
    }

    fn with_visuals(xml: &str, edit: &SheetVisualEdit) -> String {
        with_edits(xml, None, Some(edit))
    }

    fn visual_edit() -> SheetVisualEdit {
        SheetVisualEdit {
            pane: vec![
                br#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
                    .to_vec(),
                br#"<selection pane="bottomLeft"/>"#.to_vec(),
            ],
            auto_filter: RangeAddr::parse("A1:C9"),
            conditional: vec![br#"<conditionalFormatting sqref="C2:C9"><cfRule type="top10" dxfId="3" priority="1" rank="2"/></conditionalFormatting>"#.to_vec()],
            drawing_rid: Some("rId7".into()),
        }
    }

    #[test]
    fn visuals_land_in_schema_order_beside_the_files_own() {
        let xml = r#"<worksheet xmlns="m" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane xSplit="2" topLeftCell="C1" activePane="topRight" state="frozen"/><selection pane="topRight" activeCell="D4" sqref="D4"/><extLst/></sheetView></sheetViews><sheetData/><autoFilter ref="A1:B2"><filterColumn colId="0"/></autoFilter><mergeCells count="1"><mergeCell ref="E1:F1"/></mergeCells><conditionalFormatting sqref="A1"><cfRule type="cellIs" dxfId="0" priority="1" operator="equal"><formula>1</formula></cfRule></conditionalFormatting><dataValidations count="1"><dataValidation sqref="B2"/></dataValidations><pageMargins left="0.7"/><legacyDrawing r:id="rId1"/><tableParts count="1"><tablePart r:id="rId2"/></tableParts></worksheet>"#;
        let out = with_visuals(xml, &visual_edit());
        assert_eq!(
            out,
            r#"<worksheet xmlns="m" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/><extLst/></sheetView></sheetViews><sheetData/><autoFilter ref="A1:C9"/><mergeCells count="1"><mergeCell ref="E1:F1"/></mergeCells><conditionalFormatting sqref="A1"><cfRule type="cellIs" dxfId="0" priority="1" operator="equal"><formula>1</formula></cfRule></conditionalFormatting><conditionalFormatting sqref="C2:C9"><cfRule type="top10" dxfId="3" priority="1" rank="2"/></conditionalFormatting><dataValidations count="1"><dataValidation sqref="B2"/></dataValidations><pageMargins left="0.7"/><drawing r:id="rId7"/><legacyDrawing r:id="rId1"/><tableParts count="1"><tablePart r:id="rId2"/></tableParts></worksheet>"#
        );
    }

    #[test]
    fn a_prefixed_sheet_without_views_gets_them_in_the_main_namespace() {
        let xml = r#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1"/><x:sheetData><x:row r="1"/></x:sheetData><x:extLst/></x:worksheet>"#;
        let out = with_visuals(xml, &visual_edit());
        let main = crate::io::write::patch::visuals::MAIN_NS;
        assert_eq!(
            out,
            format!(
                r#"<x:worksheet xmlns:x="{main}"><x:dimension ref="A1"/><x:sheetViews><x:sheetView workbookViewId="0"><pane xmlns="{main}" ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection xmlns="{main}" pane="bottomLeft"/></x:sheetView></x:sheetViews><x:sheetData><x:row r="1"/></x:sheetData><x:autoFilter ref="A1:C9"/><conditionalFormatting xmlns="{main}" sqref="C2:C9"><cfRule type="top10" dxfId="3" priority="1" rank="2"/></conditionalFormatting><x:drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId7"/><x:extLst/></x:worksheet>"#
            )
        );
    }

    #[test]
    fn a_highlight_the_sheet_already_has_is_not_added_again() {
        let ours = br#"<conditionalFormatting sqref="C2:C9"><cfRule type="top10" dxfId="3" priority="1" rank="2"/></conditionalFormatting>"#;
        let other = br#"<conditionalFormatting sqref="A2:A9"><cfRule type="duplicateValues" dxfId="3" priority="2"/></conditionalFormatting>"#;
        let edit = SheetVisualEdit {
            conditional: vec![ours.to_vec(), other.to_vec()],
            ..SheetVisualEdit::default()
        };
        // An earlier run's copy, with another priority.
        let xml = r#"<worksheet xmlns="m"><sheetData/><conditionalFormatting sqref="C2:C9"><cfRule type="top10" dxfId="3" priority="7" rank="2"/></conditionalFormatting><pageMargins/></worksheet>"#;
        assert_eq!(
            with_visuals(xml, &edit),
            format!(
                r#"<worksheet xmlns="m"><sheetData/><conditionalFormatting sqref="C2:C9"><cfRule type="top10" dxfId="3" priority="7" rank="2"/></conditionalFormatting>{}<pageMargins/></worksheet>"#,
                String::from_utf8_lossy(other)
            )
        );
    }

    #[test]
    fn an_empty_view_is_opened_for_its_pane() {
        let xml = r#"<worksheet xmlns="m"><sheetViews><sheetView workbookViewId="0"/><sheetView workbookViewId="1"/></sheetViews><sheetData/></worksheet>"#;
        let edit = SheetVisualEdit {
            pane: visual_edit().pane,
            ..SheetVisualEdit::default()
        };
        assert_eq!(
            with_visuals(xml, &edit),
            r#"<worksheet xmlns="m"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView><sheetView workbookViewId="1"/></sheetViews><sheetData/></worksheet>"#
        );
    }

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/><sheetData><row r="1" spans="1:3" ht="20" customHeight="1"><c r="A1" s="2"><v>1</v></c><c r="C1" t="s"><v>0</v></c></row><row r="3"><c r="A3"><f t="shared" ref="A3:A5" si="0">B3*2</f><v>4</v></c></row><row r="4"><c r="A4"><f t="shared" si="0"/><v>6</v></c></row><row r="5"><c r="A5"><f t="shared" si="0"/><v>8</v></c></row></sheetData><pageMargins left="0.7"/></worksheet>"#;

    fn with_tables(xml: &str, remove: &[&str], add: &[&str]) -> String {
        let edit = TablePartsEdit {
            remove: remove.iter().map(|r| r.to_string()).collect(),
            add: add.iter().map(|r| r.to_string()).collect(),
        };
        with_edits(xml, Some(&edit), None)
    }

    #[test]
    fn table_parts_go_before_the_sheet_extensions_only() {
        let r = r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
        let xml = format!(
            r#"<worksheet {r}><sheetViews><sheetView><extLst/></sheetView></sheetViews><sheetData/><conditionalFormatting><cfRule><extLst/></cfRule></conditionalFormatting><pageMargins/><extLst><ext/></extLst></worksheet>"#
        );
        let out = with_tables(&xml, &[], &["rId3"]);
        assert_eq!(
            out,
            format!(
                r#"<worksheet {r}><sheetViews><sheetView><extLst/></sheetView></sheetViews><sheetData/><conditionalFormatting><cfRule><extLst/></cfRule></conditionalFormatting><pageMargins/><tableParts count="1"><tablePart r:id="rId3"/></tableParts><extLst><ext/></extLst></worksheet>"#
            )
        );
        // Existing parts are kept (less the removed ones), new ones appended.
        let xml = r#"<x:worksheet xmlns:x="m" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheetData><x:row r="1"/></x:sheetData><x:tableParts count="2"><x:tablePart rel:id="rId1"/><x:tablePart rel:id="rId2"/></x:tableParts></x:worksheet>"#;
        let out = with_tables(xml, &["rId1"], &["rId9"]);
        assert!(
            out.ends_with(r#"</x:sheetData><x:tableParts count="2"><x:tablePart rel:id="rId2"/><x:tablePart rel:id="rId9"/></x:tableParts></x:worksheet>"#),
            "{out}"
        );
        // The last table removed: the element goes.
        let out = with_tables(xml, &["rId1", "rId2"], &[]);
        assert!(out.ends_with("</x:sheetData></x:worksheet>"), "{out}");
        // No relationships prefix on the root: declared on the element.
        let out = with_tables("<worksheet><sheetData/></worksheet>", &[], &["rId1"]);
        assert!(out.contains(r#"<tablePart xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>"#), "{out}");
    }

    #[test]
    fn unchanged_sheet_streams_through_identically() {
        let sheet = Sheet::new("S");
        assert_eq!(run(XML, &sheet, false), XML);
    }

    #[test]
    fn prefixed_worksheets_and_entities_are_kept() {
        let xml = r#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="str"><x:f>"a&amp;b"&amp;"&lt;"</x:f><x:v>a&amp;b&lt;</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
        let sheet = Sheet::new("S");
        assert_eq!(run(xml, &sheet, false), xml);
        let mut sheet = Sheet::new("S");
        sheet.set_value(CellAddr::new(0, 1), num(2));
        sheet.set_value(CellAddr::new(2, 0), Value::Text("t".into()));
        let out = run(xml, &sheet, false);
        assert!(out.contains(r#"</x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row><x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t xml:space="preserve">t</x:t></x:is></x:c></x:row></x:sheetData>"#), "{out}");
    }

    #[test]
    fn rows_out_of_order_are_refused_not_guessed() {
        let xml = r#"<worksheet><sheetData><row r="5"><c r="A5"><v>1</v></c></row><row r="3"><c r="A3"><v>1</v></c></row></sheetData></worksheet>"#;
        let mut sheet = Sheet::new("S");
        sheet.set_value(CellAddr::new(2, 1), num(1));
        let cells = sheet.changed_cells().clone();
        let job = SheetJob::cells_only(&sheet, &cells);
        let (out, warnings) = (&mut Vec::new(), &mut Vec::new());
        let whole = rewrite_sheet(xml.as_bytes(), out, &job, warnings, false);
        // Row 3 starts a piece of its own: the order is checked between
        // pieces too.
        let pieces = rewrite_in_pieces(xml.as_bytes(), out, &job, warnings, 1, 1).map(|_| ());
        for err in [whole, pieces] {
            let err = err.unwrap_err().to_string();
            assert!(err.contains("row 3 comes after row 5"), "{err}");
        }
    }

    #[test]
    fn changed_and_new_cells_land_in_order() {
        let mut sheet = Sheet::new("S");
        sheet.load_cell(
            CellAddr::new(0, 0),
            crate::model::Cell {
                value: num(1),
                style: 2,
                formula: None,
            },
        );
        sheet.set_value(CellAddr::new(0, 0), num(10));
        sheet.set_value(CellAddr::new(0, 1), Value::Text("new".into()));
        sheet.set_value(CellAddr::new(0, 5), Value::Bool(false));
        sheet.set_value(CellAddr::new(1, 0), num(7));
        sheet.set_value(CellAddr::new(9, 1), num(9));
        let out = run(XML, &sheet, false);
        assert!(out.contains(r#"<dimension ref="A1:F10"/>"#), "{out}");
        assert!(out.contains(
            r#"<row r="1" spans="1:6" ht="20" customHeight="1"><c r="A1" s="2"><v>10</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve">new</t></is></c><c r="C1" t="s"><v>0</v></c><c r="F1" t="b"><v>0</v></c></row><row r="2"><c r="A2"><v>7</v></c></row><row r="3">"#
        ), "{out}");
        assert!(out.ends_with(r#"<row r="10"><c r="B10"><v>9</v></c></row></sheetData><pageMargins left="0.7"/></worksheet>"#), "{out}");
    }

    #[test]
    fn a_changed_shared_formula_anchor_gives_members_their_own_formulas() {
        let mut sheet = Sheet::new("S");
        for (r, f) in [(3, "B4*2"), (4, "B5*2")] {
            sheet.load_cell(
                CellAddr::new(r, 0),
                crate::model::Cell {
                    value: num(0),
                    formula: Some(f.into()),
                    style: 0,
                },
            );
        }
        sheet.set_formula(CellAddr::new(2, 0), "B3*3", num(6));
        let out = run(XML, &sheet, false);
        assert!(
            out.contains(r#"<c r="A3"><f>B3*3</f><v>6</v></c>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<c r="A4"><f>B4*2</f><v>0</v></c>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<c r="A5"><f>B5*2</f><v>0</v></c>"#),
            "{out}"
        );
        assert!(!out.contains("shared"), "{out}");
    }

    #[test]
    fn cleared_cells_disappear_and_cols_are_merged() {
        let mut sheet = Sheet::new("S");
        sheet.load_cell(
            CellAddr::new(0, 2),
            crate::model::Cell {
                value: Value::Text("x".into()),
                ..Default::default()
            },
        );
        sheet.clear(CellAddr::new(0, 2));
        sheet.set_column_width(2, 30.0);
        let xml = XML.replace(
            "<sheetData>",
            r#"<cols><col min="1" max="4" width="12" style="3"/></cols><sheetData>"#,
        );
        let out = run(&xml, &sheet, true);
        assert!(out.contains(r#"<cols><col min="1" max="2" width="12" style="3"/><col min="3" max="3" width="30" customWidth="1" style="3"/><col min="4" max="4" width="12" style="3"/></cols>"#), "{out}");
        assert!(
            out.contains(r#"<c r="A1" s="2"><v>1</v></c></row>"#),
            "{out}"
        );
    }
}
