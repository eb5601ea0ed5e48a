//! One pass over a worksheet part: cell values, formulas (shared formulas
//! expanded) and style ids, merged ranges, hyperlinks, column widths, and
//! whether the sheet has conditional formats or data validation.
//!
//! calamine exposes each of these through its own pass over the sheet XML;
//! parsing the XML once here makes reading a large sheet about as fast as
//! calamine reading its values alone.

use super::package::SheetXml;
use super::shared_strings::SharedStrings;
use crate::formula::shape::ShapeInterner;
use crate::io::ooxml::xml::{attr, resolve_reference, unescape_ooxml, unknown_entity};
use crate::io::pipe::{xml_events_ahead, EventsAhead};
use crate::io::read::calamine_common::CellLoader;
use crate::io::read::convert::{number_from_f64, serial_value};
use crate::io::read::limits::{is_item_too_long, ItemBudget, Limit, OverLimit};
use crate::model::{
    ArrayFormula, Cell, CellAddr, DataTable, ErrorKind, Formula, HiddenRows, Number, RangeAddr,
    Sheet, Value,
};
use crate::progress::Progress;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;

/// What a cell's style says about its number: plain, a date/time, or an
/// elapsed duration (`[h]:mm`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumberKind {
    /// A plain number.
    Plain,
    /// A date, time or date-time serial.
    Date,
    /// A duration in days.
    Duration,
}

/// Workbook-wide facts a sheet's cells refer to.
pub(crate) struct SheetContext<'a> {
    /// The shared string table.
    pub strings: &'a SharedStrings,
    /// By style id: how the style's number format shows numbers.
    pub number_kinds: &'a [NumberKind],
    /// Days to add to a date serial (1904-system files).
    pub date_offset: f64,
    /// The cells' `cm` values that mark a dynamic-array formula (from the
    /// package's metadata part); other array formulas are legacy ones.
    pub dynamic_arrays: &'a HashSet<u32>,
}

/// A hyperlink as the sheet part states it (`r:id` resolves through the
/// sheet's relationships).
#[derive(Debug, Default)]
pub(crate) struct RawHyperlink {
    pub range: Option<RangeAddr>,
    pub rel_id: Option<String>,
    pub location: Option<String>,
    pub tooltip: Option<String>,
}

/// Everything of a sheet part besides the cells.
#[derive(Debug, Default)]
pub(crate) struct SheetExtras {
    pub merged: Vec<RangeAddr>,
    pub hyperlinks: Vec<RawHyperlink>,
    pub column_widths: BTreeMap<u32, f64>,
    pub hidden_rows: HiddenRows,
    pub hidden_columns: Vec<(u32, u32)>,
    pub auto_filter: Option<RangeAddr>,
    pub conditional_formats: bool,
    pub data_validation: bool,
    /// The sheet's what-if data tables (`<f t="dataTable">`).
    pub data_tables: Vec<DataTable>,
}

/// A what-if data table from its first cell's `<f t="dataTable">`: `r1`
/// is the row input cell of a two-variable table (`dt2D`) and of a
/// row-oriented one-variable table (`dtr`), else the column input cell;
/// `r2` a two-variable table's column input cell; `del1`/`del2` mark an
/// input cell that was deleted (the table then has none to fill it by).
fn data_table(e: &BytesStart) -> Option<DataTable> {
    let range = RangeAddr::parse(&attr(e, "ref")?)?;
    let flag = |name: &str| attr(e, name).is_some_and(|v| v == "1" || v == "true");
    let input = |name: &str, deleted: &str| {
        (!flag(deleted))
            .then(|| attr(e, name).and_then(|a| CellAddr::parse(&a)))
            .flatten()
    };
    Some(DataTable::from_file(
        range,
        (input("r1", "del1"), input("r2", "del2")),
        flag("dt2D"),
        flag("dtr"),
        Some(format!("<{}/>", &e[..])),
    ))
}

/// What is being collected from the text events inside a cell.
#[derive(Clone, Copy, PartialEq)]
enum Collect {
    None,
    Value,
    Formula,
    Inline,
}

/// Per-cell state while its element is open.
struct PendingCell {
    row: u32,
    col: u32,
    style: u32,
    kind: CellType,
    value: String,
    formula: Option<String>,
    shared: Option<(String, Option<String>)>,
    /// The range an array formula anchored here covers.
    array: Option<RangeAddr>,
    /// The cell's metadata record (`cm`, one-based), which marks a
    /// dynamic-array formula.
    metadata: Option<u32>,
    has_inline: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum CellType {
    Number,
    Shared,
    Str,
    Inline,
    Bool,
    Error,
    Date,
}

/// Reads a worksheet part into `sheet`.
pub(crate) fn read_sheet(
    xml: SheetXml<'_>,
    ctx: &SheetContext<'_>,
    sheet: &mut Sheet,
    loader: &mut CellLoader<'_>,
    progress: &Progress,
) -> crate::Result<SheetExtras> {
    let (mut in_memory, mut streamed);
    let events: &mut dyn XmlEvents = match xml {
        SheetXml::Bytes(bytes) => {
            in_memory = InMemory(Reader::from_reader(bytes));
            &mut in_memory
        }
        SheetXml::Stream(stream) => {
            let budget = ItemBudget::new(stream, loader.limits().max_xml_item());
            if crate::threads::parallel() {
                // The XML is cut into events on a helper thread while the
                // cells are built here: about half of a read each.
                return xml_events_ahead(
                    Reader::from_reader(budget),
                    |reader| reader.get_mut().next_item(),
                    |events| read_events(events, ctx, sheet, loader, progress),
                );
            }
            streamed = Streamed(Reader::from_reader(budget));
            &mut streamed
        }
    };
    read_events(events, ctx, sheet, loader, progress)
}

/// A source of XML events: quick-xml borrows events from an in-memory part
/// without copying, but must copy them into a buffer when streaming, and
/// there hold each event to the reading limit of one XML item.
trait XmlEvents {
    fn next_event<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> quick_xml::Result<Event<'a>>;
}

struct InMemory<'s>(Reader<&'s [u8]>);

impl XmlEvents for InMemory<'_> {
    fn next_event<'a>(&'a mut self, _buf: &'a mut Vec<u8>) -> quick_xml::Result<Event<'a>> {
        self.0.read_event()
    }
}

struct Streamed<R>(Reader<ItemBudget<R>>);

impl XmlEvents for EventsAhead {
    fn next_event<'a>(&'a mut self, _buf: &'a mut Vec<u8>) -> quick_xml::Result<Event<'a>> {
        EventsAhead::next_event(self)
    }
}

impl<R: BufRead> XmlEvents for Streamed<R> {
    fn next_event<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> quick_xml::Result<Event<'a>> {
        self.0.get_mut().next_item();
        self.0.read_event_into(buf)
    }
}

fn read_events(
    reader: &mut dyn XmlEvents,
    ctx: &SheetContext<'_>,
    sheet: &mut Sheet,
    loader: &mut CellLoader<'_>,
    progress: &Progress,
) -> crate::Result<SheetExtras> {
    let mut buf = Vec::with_capacity(4096);
    let mut extras = SheetExtras::default();
    let mut formulas = SheetFormulas::default();
    let (mut row, mut next_col) = (0u32, 0u32);
    let mut last_progress_row = 0u32;
    let mut cell: Option<PendingCell> = None;
    let mut spare = String::new();
    let mut collect = Collect::None;
    let mut in_phonetic = 0u32;
    let mut text_start: Option<(usize, bool)> = None;
    let mut in_sheet_data = false;
    let mut complete: Option<PendingCell> = None;
    loop {
        let event = match reader.next_event(&mut buf) {
            Ok(event) => event,
            Err(e) if is_item_too_long(&e) => {
                let what = match &cell {
                    Some(c) => format!(
                        "sheet \"{}\", cell {} holds a string of",
                        sheet.name,
                        CellAddr::new(c.row, c.col)
                    ),
                    None => format!("sheet \"{}\" holds an XML item of", sheet.name),
                };
                return Err(loader.refuse(OverLimit::new(Limit::StringBytes, what)));
            }
            Err(e) => {
                return Err(loader.error(sheet, format!("the sheet XML is damaged ({e})")));
            }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    "c" if in_sheet_data => {
                        let (pos, style, kind, metadata) = cell_attrs(e);
                        // A reference off the grid (`A0`, `A-1`) must not
                        // put the cell somewhere else without a word.
                        let (crow, ccol) = match pos {
                            Some(Ok(p)) => p,
                            Some(Err(raw)) => {
                                return Err(loader.error(
                                    sheet,
                                    format!(
                                    "the cell reference \"{raw}\" is not a cell of Excel's grid"
                                ),
                                ))
                            }
                            None => (row, next_col),
                        };
                        next_col = ccol + 1;
                        spare.clear();
                        let pending = PendingCell {
                            row: crow,
                            col: ccol,
                            style,
                            kind,
                            value: std::mem::take(&mut spare),
                            formula: None,
                            shared: None,
                            array: None,
                            metadata,
                            has_inline: false,
                        };
                        if empty {
                            complete = Some(pending);
                        } else {
                            cell = Some(pending);
                        }
                    }
                    "row" if in_sheet_data => {
                        if let Some(raw) = attr(e, "r") {
                            // Row 0 or -1 was taken as row 1: moving data
                            // is worse than refusing the file.
                            row = match raw.trim().parse::<u32>() {
                                Ok(r) if (1..=crate::model::address::MAX_ROWS).contains(&r) => r - 1,
                                _ => {
                                    return Err(loader.error(
                                        sheet,
                                        format!("row number \"{raw}\" is not a row of Excel's grid (1 to 1048576)"),
                                    ))
                                }
                            };
                        }
                        next_col = 0;
                        if attr(e, "hidden").is_some_and(|h| h == "1" || h == "true") {
                            extras.hidden_rows.hide(row);
                        }
                        if row > last_progress_row {
                            progress.inc(u64::from(row - last_progress_row));
                            last_progress_row = row;
                        }
                        // `<row/>` has no end tag, where a row otherwise
                        // moves on: an unnumbered row after it is the next.
                        if empty {
                            row += 1;
                        }
                    }
                    "v" if cell.as_ref().is_some_and(|c| c.kind != CellType::Inline) && !empty => {
                        collect = Collect::Value
                    }
                    "f" if cell.is_some() => {
                        if let Some(c) = cell.as_mut() {
                            match attr(e, "t").as_deref() {
                                Some("shared") => {
                                    c.shared =
                                        Some((attr(e, "si").unwrap_or_default(), attr(e, "ref")));
                                }
                                Some("array") => {
                                    c.array = attr(e, "ref").and_then(|r| RangeAddr::parse(&r));
                                }
                                Some("dataTable") => extras.data_tables.extend(data_table(e)),
                                _ => {}
                            }
                            c.formula = Some(String::new());
                        }
                        if !empty {
                            collect = Collect::Formula;
                        }
                    }
                    "is" if cell.is_some() => {
                        if let Some(c) = cell.as_mut() {
                            c.has_inline = true;
                        }
                    }
                    "t" if cell.as_ref().is_some_and(|c| c.has_inline)
                        && in_phonetic == 0
                        && !empty =>
                    {
                        collect = Collect::Inline;
                        if let Some(c) = cell.as_mut() {
                            text_start = Some((c.value.len(), preserves_space(e)));
                        }
                    }
                    "rPh" if !empty => in_phonetic += 1,
                    "sheetData" => in_sheet_data = !empty,
                    "dimension" => {
                        if let Some(range) = attr(e, "ref").and_then(|r| RangeAddr::parse(&r)) {
                            // Some writers claim the whole grid here; past
                            // this many rows the vector's doubling is cheap.
                            sheet.reserve_rows((range.end.row as usize + 1).min(200_000));
                        }
                    }
                    "col" => read_col(e, &mut extras),
                    // The sheet's own filter comes first; later ones belong
                    // to custom views.
                    "autoFilter" if extras.auto_filter.is_none() => {
                        extras.auto_filter = attr(e, "ref").and_then(|r| RangeAddr::parse(&r));
                    }
                    "mergeCell" => {
                        if let Some(range) = attr(e, "ref").and_then(|r| RangeAddr::parse(&r)) {
                            extras.merged.push(range);
                        }
                    }
                    "hyperlink" => extras.hyperlinks.push(RawHyperlink {
                        range: attr(e, "ref").and_then(|r| RangeAddr::parse(&r)),
                        rel_id: attr(e, "id"),
                        location: attr(e, "location"),
                        tooltip: attr(e, "tooltip"),
                    }),
                    "conditionalFormatting" => extras.conditional_formats = true,
                    "dataValidation" | "dataValidations" => extras.data_validation = true,
                    _ => {}
                }
            }
            Event::Text(ref t) if collect != Collect::None => {
                if let Some(c) = cell.as_mut() {
                    let text = t.xml10_content();
                    match collect {
                        Collect::Formula => {
                            c.formula.get_or_insert_with(String::new).push_str(&text)
                        }
                        _ => c.value.push_str(&text),
                    }
                }
            }
            Event::CData(ref t) if collect != Collect::None => {
                if let Some(c) = cell.as_mut() {
                    match collect {
                        Collect::Formula => c.formula.get_or_insert_with(String::new).push_str(t),
                        _ => c.value.push_str(t),
                    }
                }
            }
            Event::GeneralRef(ref r) if collect != Collect::None => {
                if let Some(c) = cell.as_mut() {
                    let target = match collect {
                        Collect::Formula => c.formula.get_or_insert_with(String::new),
                        _ => &mut c.value,
                    };
                    match resolve_reference(r) {
                        Some(text) => text.push_to(target),
                        None => {
                            let at = CellAddr::new(c.row, c.col).to_a1();
                            return Err(
                                loader.error(sheet, unknown_entity(r, &format!("cell {at}")))
                            );
                        }
                    }
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                "v" | "f" => collect = Collect::None,
                "t" => {
                    collect = Collect::None;
                    if let (Some((start, preserve)), Some(c)) = (text_start.take(), cell.as_mut()) {
                        if !preserve {
                            trim_from(&mut c.value, start);
                        }
                    }
                }
                "rPh" => in_phonetic = in_phonetic.saturating_sub(1),
                "c" => {
                    collect = Collect::None;
                    complete = cell.take();
                }
                "row" => {
                    row += 1;
                    next_col = 0;
                }
                "sheetData" => in_sheet_data = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if collect != Collect::None {
            if let Some(c) = cell.as_ref() {
                // Gathered piece by piece, a cell's text is checked as it
                // grows, not once it is whole.
                let at = CellAddr::new(c.row, c.col);
                loader.check_string(sheet, at, c.value.len() as u64)?;
                let formula = c.formula.as_ref().map_or(0, String::len);
                loader.check_string(sheet, at, formula as u64)?;
            }
        }
        if let Some(pending) = complete.take() {
            let result = finish_cell(pending, ctx, sheet, loader, &mut formulas);
            spare = result?;
        }
        buf.clear();
    }
    // Cells of a shared group written before their anchor.
    for (r, c, si) in std::mem::take(&mut formulas.pending) {
        if let Some(f) = formulas.member(&si, (r, c)) {
            let addr = CellAddr::new(r, c);
            let mut existing = sheet.cell_or_empty(addr).clone();
            existing.formula = Some(f);
            loader.load(sheet, r, c, existing)?;
        }
    }
    Ok(extras)
}

/// The anchor of a shared-formula group: its text, position and shape
/// (`None` where its form is unsure: members then get their text expanded
/// one by one).
type SharedAnchor = (String, (u32, u32), Option<Formula>);

/// The formulas of a sheet being read: one shape per relative form, and
/// the anchors of its shared-formula groups.
#[derive(Default)]
struct SheetFormulas {
    shapes: ShapeInterner,
    /// By `si`: the group's anchor.
    templates: HashMap<String, SharedAnchor>,
    /// Members written before their group's anchor: (row, column, si).
    pending: Vec<(u32, u32, String)>,
}

impl SheetFormulas {
    /// The formula of a shared group's member at `pos`: the anchor's
    /// shape itself, or (past the sheet's edge, or for an unsure form)
    /// the text expanded for the member as Excel expands it.
    fn member(&mut self, si: &str, pos: (u32, u32)) -> Option<Formula> {
        let (template, start, shape) = self.templates.get(si)?;
        let addr = CellAddr::new(pos.0, pos.1);
        if let Some(f) = shape {
            if f.shape().anchor().is_none() || f.shape().render(addr).is_some() {
                return Some(f.clone());
            }
        }
        let text = calamine::expand_shared_formula(template, *start, pos).ok()?;
        Some(self.shapes.formula(&text, addr))
    }
}

/// A cell's position (`r`: `None` when absent, the text when it names no
/// cell of the grid), style id (`s`) and type (`t`), read without
/// allocating: this runs for every cell of the workbook.
type CellAttrs = (
    Option<Result<(u32, u32), String>>,
    u32,
    CellType,
    Option<u32>,
);

fn cell_attrs(e: &BytesStart<'_>) -> CellAttrs {
    let (mut pos, mut style, mut kind, mut metadata) = (None, 0, CellType::Number, None);
    for a in e.attributes().with_checks(false).flatten() {
        match a.key.local_name().as_ref() {
            "r" => {
                let raw = a.value.as_bytes();
                pos = Some(parse_a1(raw).ok_or_else(|| String::from_utf8_lossy(raw).into_owned()))
            }
            "s" => style = a.value.parse().unwrap_or(0),
            "cm" => metadata = a.value.parse().ok(),
            "t" => {
                kind = match a.value.as_ref() {
                    "s" => CellType::Shared,
                    "str" => CellType::Str,
                    "inlineStr" => CellType::Inline,
                    "b" => CellType::Bool,
                    "e" => CellType::Error,
                    "d" => CellType::Date,
                    _ => CellType::Number,
                }
            }
            _ => {}
        }
    }
    (pos, style, kind, metadata)
}

/// Zero-based (row, column) of an `A1` reference (no `$`, no sheet).
fn parse_a1(b: &[u8]) -> Option<(u32, u32)> {
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 || letters == b.len() {
        return None;
    }
    let mut col: u32 = 0;
    for &c in &b[..letters] {
        col = col * 26 + u32::from(c.to_ascii_uppercase() - b'A' + 1);
    }
    let mut row: u32 = 0;
    for &c in &b[letters..] {
        if !c.is_ascii_digit() || row > 100_000_000 {
            return None;
        }
        row = row * 10 + u32::from(c - b'0');
    }
    (row >= 1).then(|| (row - 1, col - 1))
}

/// A `<col>` width. A span over most of the grid marks a column style, not
/// a width anyone set; it is not worth 16k map entries (or a hostile loop).
fn read_col(e: &BytesStart<'_>, extras: &mut SheetExtras) {
    let num = |n: &str| attr(e, n).and_then(|v| v.parse::<f64>().ok());
    // Hidden spans are kept as runs, so hiding every column past the
    // data costs one entry; a hostile list of spans stops at 16,384.
    if attr(e, "hidden").is_some_and(|h| h == "1" || h == "true")
        && extras.hidden_columns.len() < 16_384
    {
        if let (Some(min), Some(max)) = (num("min"), num("max")) {
            let (min, max) = (min.max(1.0) as u32, max.min(16_384.0) as u32);
            if max >= min {
                extras.hidden_columns.push((min - 1, max - 1));
            }
        }
    }
    let widths = &mut extras.column_widths;
    if let (Some(min), Some(max), Some(width)) = (num("min"), num("max"), num("width")) {
        let (min, max) = (min.max(1.0) as u32, max.min(16_384.0) as u32);
        if max >= min && max - min < 1024 && widths.len() < 16_384 {
            for col in min..=max {
                widths.insert(col - 1, width);
            }
        }
    }
}

/// Builds the cell from what its element held and loads it.
fn finish_cell(
    c: PendingCell,
    ctx: &SheetContext<'_>,
    sheet: &mut Sheet,
    loader: &mut CellLoader<'_>,
    formulas: &mut SheetFormulas,
) -> crate::Result<String> {
    let pos = (c.row, c.col);
    if let Some(range) = c.array {
        let dynamic = c
            .metadata
            .is_some_and(|cm| ctx.dynamic_arrays.contains(&cm));
        let entry = if dynamic {
            ArrayFormula::dynamic(range)
        } else {
            ArrayFormula::legacy(range)
        };
        sheet
            .array_formulas
            .insert(CellAddr::new(c.row, c.col), entry);
    }
    let addr = CellAddr::new(c.row, c.col);
    let formula: Option<Formula> = match (c.formula, c.shared) {
        // The anchor's text is its own formula; the rest of the group is
        // relative to the anchor, which need not be the first cell of the
        // group's `ref` (Excel writes such groups after edits).
        (Some(text), Some((si, _))) if !text.is_empty() => {
            let shape = formulas.shapes.shareable(&text, addr);
            let own = shape
                .clone()
                .unwrap_or_else(|| formulas.shapes.formula(&text, addr));
            formulas.templates.insert(si, (text, pos, shape));
            Some(own)
        }
        (_, Some((si, _))) => {
            if formulas.templates.contains_key(&si) {
                formulas.member(&si, pos)
            } else {
                formulas.pending.push((c.row, c.col, si));
                None
            }
        }
        (Some(text), None) if !text.is_empty() => Some(formulas.shapes.formula(&text, addr)),
        _ => None,
    };
    let value = cell_value(c.kind, &c.value, c.style, ctx);
    loader.load(
        sheet,
        c.row,
        c.col,
        Cell {
            value,
            formula,
            style: c.style,
        },
    )?;
    // The text buffer is reused for the next cell.
    Ok(c.value)
}

fn cell_value(kind: CellType, raw: &str, style: u32, ctx: &SheetContext<'_>) -> Value {
    match kind {
        CellType::Shared => raw
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| ctx.strings.get(i))
            // The table's own text: every cell of the index shares it.
            .map_or(Value::Empty, |s| Value::Text(s.clone())),
        CellType::Str | CellType::Inline => {
            if raw.is_empty() && kind == CellType::Str {
                Value::text("")
            } else if raw.is_empty() {
                Value::Empty
            } else {
                Value::Text(unescape_ooxml(raw).into_owned().into())
            }
        }
        CellType::Bool => match raw.trim() {
            "1" | "true" => Value::Bool(true),
            "0" | "false" => Value::Bool(false),
            _ => Value::Empty,
        },
        CellType::Error => {
            if raw.trim().is_empty() {
                Value::Empty
            } else {
                Value::Error(ErrorKind::parse(raw).unwrap_or(ErrorKind::Unknown))
            }
        }
        CellType::Date => crate::io::read::convert::iso_datetime(raw).unwrap_or_else(|| {
            if raw.is_empty() {
                Value::Empty
            } else {
                Value::text(raw)
            }
        }),
        CellType::Number => {
            let t = raw.trim();
            if t.is_empty() {
                return Value::Empty;
            }
            let number_kind = ctx
                .number_kinds
                .get(style as usize)
                .copied()
                .unwrap_or(NumberKind::Plain);
            match number_kind {
                NumberKind::Plain => match parse_number(t) {
                    Some(n) => Value::Number(n),
                    None => Value::text(raw),
                },
                kind => match t.parse::<f64>() {
                    Ok(f) if f.is_finite() => {
                        serial_value(f, kind == NumberKind::Duration, ctx.date_offset)
                    }
                    _ => Value::text(raw),
                },
            }
        }
    }
}

/// The number in a `<v>`: whole numbers and short decimals are taken
/// exactly from their text; longer forms (Excel writes 17 digits, such as
/// `4.9249999999999998`) go through the float and its shortest decimal.
pub(super) fn parse_number(t: &str) -> Option<Number> {
    if let Some(n) = parse_short_decimal(t.as_bytes()) {
        return Some(n);
    }
    t.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(number_from_f64)
}

/// `-123.4500` style text with at most 15 digits, straight into a decimal
/// (trailing fraction zeros dropped); `None` for anything else.
fn parse_short_decimal(b: &[u8]) -> Option<Number> {
    let (negative, body) = match b.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, b),
    };
    let mut mantissa: i64 = 0;
    let mut digits = 0u32;
    let mut scale: Option<u32> = None;
    for &c in body {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if digits > 15 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(c - b'0');
                if let Some(s) = scale.as_mut() {
                    *s += 1;
                }
            }
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    let mut scale = scale.unwrap_or(0);
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    let mantissa = if negative { -mantissa } else { mantissa };
    Some(Number::Exact(Decimal::new(mantissa, scale)))
}

/// Whether a `<t>` keeps its surrounding whitespace (`xml:space="preserve"`).
pub(super) fn preserves_space(e: &BytesStart<'_>) -> bool {
    attr(e, "space").is_some_and(|v| v == "preserve")
}

/// Trims ASCII whitespace around the text pushed since `start`, as Excel
/// does for a `<t>` without `xml:space="preserve"` (NBSP stays).
pub(super) fn trim_from(s: &mut String, start: usize) {
    let segment = &s[start..];
    let trimmed = segment.trim_matches([' ', '\t', '\r', '\n']);
    if trimmed.len() != segment.len() {
        let owned = trimmed.to_string();
        s.truncate(start);
        s.push_str(&owned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read::ReadLimits;

    #[test]
    fn numbers_in_v_are_exact() {
        assert_eq!(parse_number("42").unwrap().to_string(), "42");
        assert_eq!(parse_number("-0.5").unwrap().to_string(), "-0.5");
        assert_eq!(
            parse_number("4.9249999999999998").unwrap().to_string(),
            "4.925"
        );
        assert_eq!(parse_number("1.5E-3").unwrap().to_string(), "0.0015");
        assert_eq!(parse_number("100.10").unwrap().to_string(), "100.1");
        assert_eq!(parse_number("-0").unwrap().to_string(), "0");
        assert_eq!(parse_number("1.").unwrap().to_string(), "1");
        assert_eq!(
            parse_number("123456789012345678").unwrap().to_string(),
            "123456789012345680"
        );
        assert!(parse_number("1.2.3").is_none());
        assert!(parse_number("abc").is_none());
    }

    #[test]
    fn rows_and_cells_off_the_grid_are_refused_not_moved() {
        let ctx = SheetContext {
            strings: &SharedStrings::default(),
            number_kinds: &[],
            date_offset: 0.0,
            dynamic_arrays: &HashSet::new(),
        };
        let path = std::path::Path::new("t.xlsx");
        let read = |rows: &str| {
            let xml = format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
            let mut sheet = Sheet::new("S");
            let mut loader = CellLoader::new(path, &ReadLimits::default());
            read_sheet(
                SheetXml::Bytes(xml.as_bytes()),
                &ctx,
                &mut sheet,
                &mut loader,
                &Progress::hidden(),
            )
            .map(|_| {
                sheet
                    .cells()
                    .map(|(a, _)| a.to_string())
                    .collect::<Vec<_>>()
            })
            .map_err(|e| e.to_string())
        };
        // Before: row 0 and cell A0 landed in row 1 beside its real data.
        let zero =
            read(r#"<row r="0"><c><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>"#);
        assert!(zero
            .unwrap_err()
            .contains("row number \"0\" is not a row of Excel's grid"));
        let negative = read(r#"<row r="-1"><c><v>1</v></c></row>"#);
        assert!(negative.unwrap_err().contains("row number \"-1\""));
        let a0 = read(r#"<row><c r="A0"><v>1</v></c></row>"#);
        assert!(a0
            .unwrap_err()
            .contains("the cell reference \"A0\" is not a cell"));
        assert_eq!(
            read(r#"<row r="3"><c><v>1</v></c><c r="C3"><v>2</v></c></row>"#).unwrap(),
            vec!["A3", "C3"]
        );
        // An empty `<row/>` is a row too: unnumbered rows after it follow
        // it (before: the next row took its place, one row too high).
        assert_eq!(
            read(r#"<row><c><v>1</v></c></row><row/><row><c><v>3</v></c></row><row r="7" hidden="1"/><row><c><v>8</v></c></row>"#)
                .unwrap(),
            vec!["A1", "A3", "A8"]
        );
    }

    #[test]
    fn streamed_and_in_memory_parts_read_the_same() {
        let xml = r#"<worksheet><dimension ref="A1:C2"/><cols><col min="1" max="1" width="12"/><col min="4" max="16384" hidden="1"/></cols><sheetData>
            <row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" s="1"><v>45000</v></c><c r="C1" t="inlineStr"><is><t> x </t></is></c></row>
            <row r="2" hidden="1"><c r="A2"><f t="array" ref="A2:A3">B1*2</f><v>90000.5</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c></row>
            <row r="7" hidden="true"/><row r="8" hidden="0"/>
            </sheetData><autoFilter ref="A1:C2"/><customSheetViews><customSheetView><autoFilter ref="A1:C9"/></customSheetView></customSheetViews><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>
            <hyperlinks><hyperlink ref="C1" location="Other!A1" tooltip="go"/></hyperlinks></worksheet>"#;
        let mut strings = SharedStrings::default();
        strings.push("zero");
        strings.push("Invoice");
        let kinds = [NumberKind::Plain, NumberKind::Date];
        let ctx = SheetContext {
            strings: &strings,
            number_kinds: &kinds,
            date_offset: 0.0,
            dynamic_arrays: &HashSet::new(),
        };
        let path = std::path::Path::new("t.xlsx");
        let read = |source: SheetXml<'_>| {
            let mut sheet = Sheet::new("S");
            let mut loader = CellLoader::new(path, &ReadLimits::default());
            let extras =
                read_sheet(source, &ctx, &mut sheet, &mut loader, &Progress::hidden()).unwrap();
            let cells: Vec<String> = sheet
                .cells()
                .map(|(a, c)| format!("{a}={:?}/{:?}/{}", c.value, c.formula, c.style))
                .collect();
            let arrays: Vec<String> = sheet
                .array_formulas
                .iter()
                .map(|(a, r)| format!("{a}:{}", r.range))
                .collect();
            (
                cells,
                extras.merged,
                extras.hyperlinks.len(),
                extras.column_widths,
                arrays,
                extras.hidden_rows,
                extras.auto_filter,
                extras.hidden_columns,
            )
        };
        let in_memory = read(SheetXml::Bytes(xml.as_bytes()));
        let mut stream = std::io::BufReader::with_capacity(7, xml.as_bytes());
        let streamed = read(SheetXml::Stream(&mut stream));
        assert_eq!(in_memory, streamed);
        let (cells, merged, links, widths, arrays, hidden, filter, hidden_columns) = in_memory;
        assert_eq!(hidden.rows().collect::<Vec<_>>(), vec![1, 6]);
        assert_eq!(hidden_columns, vec![(3, 16_383)], "one run for D to XFD");
        assert_eq!(filter.map(|f| f.to_a1()).as_deref(), Some("A1:C2"));
        assert_eq!(arrays, vec!["A2:A2:A3"]);
        assert_eq!(cells.len(), 6);
        assert!(cells[0].starts_with("A1=Text(\"Invoice\")"));
        assert!(cells[1].contains("Date(DateValue { serial: 45000.0, kind: Date })"));
        assert!(cells[2].starts_with("C1=Text(\"x\")"));
        assert!(cells[3].contains("Formula(\"B1*2\""), "{}", cells[3]);
        assert!(cells[5].contains("Error(NA)"));
        assert_eq!(merged[0].to_a1(), "A1:B1");
        assert_eq!(links, 1);
        assert_eq!(widths.get(&0), Some(&12.0));
    }

    #[test]
    fn a1_references_parse_without_allocating() {
        assert_eq!(parse_a1(b"A1"), Some((0, 0)));
        assert_eq!(parse_a1(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_a1(b"a10"), Some((9, 0)));
        assert_eq!(parse_a1(b"A0"), None);
        assert_eq!(parse_a1(b"1A"), None);
        assert_eq!(parse_a1(b"ABCD1"), None);
    }
}
