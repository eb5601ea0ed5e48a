//! The reading limits for an ods, checked before calamine sees it.
//! calamine parses every table of `content.xml` when it opens the file and
//! expands what the XML only counts: a cell repeated across columns and
//! rows (`table:number-columns-repeated`, `table:number-rows-repeated`)
//! becomes that many cells, each with its own copy of the text, and
//! `<text:s text:c="2000000000"/>` becomes that many spaces. A 1.5 KB file
//! can so ask for 10⁹ cells or a 2 GB string. This pass reads the XML
//! once, counting what calamine would build, and refuses the file past a
//! limit without building any of it. The same pass notes what calamine
//! does not tell: the rows each table hides and the ranges with filter
//! buttons, for SUBTOTAL and AGGREGATE.

use super::limits::{is_item_too_long, ItemBudget, Limit, OverLimit, ReadLimits};
use crate::error::Error;
use crate::model::address::{MAX_COLS, MAX_ROWS};
use crate::model::{CellAddr, HiddenRows, RangeAddr};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// What an ods's content.xml tells that calamine does not: the rows it
/// hides, its filter ranges and its array formulas.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct HiddenLayout {
    /// Per table that hides any: its name and the rows it hides
    /// (`table:visibility` "collapse" or "filter").
    pub hidden: Vec<(String, HiddenRows)>,
    /// Per table: the range of a database range showing filter buttons
    /// (an autoFilter).
    pub filters: Vec<(String, RangeAddr)>,
    /// Array (matrix) formulas: the table, the anchor and the range the
    /// anchor's `table:number-matrix-rows-spanned` and
    /// `table:number-matrix-columns-spanned` give it. OpenDocument has no
    /// dynamic arrays: each is a legacy array over its range.
    pub arrays: Vec<(String, CellAddr, RangeAddr)>,
}

/// Refuses the ods at `path` when calamine would build more than the
/// `limits` allow from it, or would drop cells that lie past Excel's grid;
/// else the rows it hides. A package without a readable `content.xml` is
/// left to calamine to refuse.
pub(crate) fn check_ods_content(path: &Path, limits: &ReadLimits) -> crate::Result<HiddenLayout> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(HiddenLayout::default());
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(HiddenLayout::default());
    };
    if is_encrypted(&mut zip) {
        return Err(Error::unreadable(
            path,
            super::calamine_common::password_protected("encrypted"),
        ));
    }
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(HiddenLayout::default());
    };
    scan(BufReader::with_capacity(1 << 16, content), limits).map_err(|refusal| match refusal {
        Refusal::Over(over) => over.refusal(path, limits),
        Refusal::OffGrid { sheet, row, col } => Error::unreadable(
            path,
            format!("sheet \"{sheet}\" has a cell outside Excel's grid (row {row}, column {col})"),
        ),
        Refusal::Damaged(detail) => Error::unreadable(
            path,
            format!("the file is damaged or not a valid workbook (content.xml: {detail})"),
        ),
    })
}

/// Whether the package's manifest declares encrypted parts: a
/// password-protected ods, whose content.xml is ciphertext that would
/// otherwise be reported as damaged XML.
fn is_encrypted<R: std::io::Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> bool {
    use std::io::Read;
    let Ok(manifest) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = Vec::new();
    // The declaration sits beside each entry; a manifest is a few KB.
    if manifest.take(4 << 20).read_to_end(&mut text).is_err() {
        return false;
    }
    text.windows(b"encryption-data".len())
        .any(|w| w == b"encryption-data")
}

/// Why the scan refuses the file.
#[derive(Debug, PartialEq)]
enum Refusal {
    Over(OverLimit),
    /// A cell with content past the grid, counted from 1.
    OffGrid {
        sheet: String,
        row: u64,
        col: u64,
    },
    /// The XML does not parse.
    Damaged(String),
}

/// What calamine builds for one table, counted as the XML is read.
#[derive(Default)]
struct Table {
    name: String,
    /// Rows so far, repeats included (capped at the grid, as calamine
    /// caps them).
    rows: u64,
    /// Where the first row with content starts and the last one ends.
    first_row: Option<u64>,
    end_row: u64,
    /// The columns with content, over every row.
    first_col: u64,
    end_col: u64,
}

/// The row being read.
#[derive(Default)]
struct Row {
    repeats: u64,
    /// Whether calamine cuts the row's repeats at the end of the grid.
    cut: bool,
    /// Columns calamine stores for the row so far.
    stored: u64,
    /// Empty columns stored only if a cell follows them.
    pending_empty: u64,
    has_content: bool,
}

/// The cell being read.
struct CellScan {
    repeats: u64,
    has_content: bool,
    /// Whether the cell's text is its content (`office:value-type` string
    /// without `office:string-value`), not an attribute.
    text_in_content: bool,
    /// Bytes of text the cell holds (its value and formula).
    text: u64,
    /// Nesting of `office:annotation`, whose text is not the cell's.
    in_annotation: u32,
    /// Whether a paragraph was seen (the next one adds a line break).
    paragraphs: u32,
    /// The (rows, columns) an array formula anchored here spans.
    matrix: Option<(u64, u64)>,
}

fn scan(xml: impl BufRead, limits: &ReadLimits) -> Result<HiddenLayout, Refusal> {
    let mut layout = HiddenLayout::default();
    let mut hidden = HiddenRows::default();
    let mut reader = Reader::from_reader(ItemBudget::new(xml, limits.max_xml_item()));
    // Parsed as calamine parses it, so what it reads is what is counted.
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.trim_text(false);
    let mut buf = Vec::new();
    let mut table: Option<Table> = None;
    let mut sheet = String::new();
    let mut row = Row::default();
    let mut cell: Option<CellScan> = None;
    let (mut stored_cells, mut expanded_cells, mut text_bytes) = (0u64, 0u64, 0u64);
    loop {
        reader.get_mut().next_item();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) if is_item_too_long(&e) => {
                let what = match &table {
                    Some(t) => format!("sheet \"{}\" holds a string or XML item of", t.name),
                    None => "content.xml holds an XML item of".to_string(),
                };
                return Err(Refusal::Over(OverLimit::new(Limit::StringBytes, what)));
            }
            Err(e) => return Err(Refusal::Damaged(e.to_string())),
        };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => match e.name().as_ref() {
                "table:table" => {
                    hidden = HiddenRows::default();
                    sheet = attr(e, "table:name").unwrap_or_default();
                    table = Some(Table {
                        name: attr(e, "table:name").unwrap_or_default(),
                        first_col: u64::MAX,
                        ..Table::default()
                    });
                }
                "table:table-row" if table.is_some() => {
                    let t = table.as_mut().expect("checked");
                    let repeats = number(e, "table:number-rows-repeated").unwrap_or(1);
                    let within = repeats.min(u64::from(MAX_ROWS).saturating_sub(t.rows));
                    // Rows past the grid: calamine drops them, which is
                    // only safe while they are empty.
                    row = Row {
                        repeats: within,
                        cut: within < repeats,
                        ..Row::default()
                    };
                    let visibility = attr(e, "table:visibility");
                    if matches!(visibility.as_deref(), Some("collapse" | "filter")) {
                        // Within the grid, so at most a million rows.
                        for r in t.rows..t.rows + row.repeats {
                            hidden.hide(r as u32);
                        }
                    }
                    t.rows += row.repeats;
                }
                "table:table-cell" | "table:covered-table-cell" if table.is_some() => {
                    let t = table.as_ref().expect("checked");
                    let scanned = start_cell(e);
                    // calamine stores the empty cells before this one, then
                    // this one as often as it repeats, within the grid.
                    let room = u64::from(MAX_COLS).saturating_sub(row.stored);
                    row.stored += row.pending_empty.min(room);
                    row.pending_empty = 0;
                    let room = u64::from(MAX_COLS).saturating_sub(row.stored);
                    if scanned.has_content && (scanned.repeats > room || row.cut) {
                        let (row_number, col) = if row.cut {
                            (u64::from(MAX_ROWS) + 1, row.stored + 1)
                        } else {
                            (t.rows - row.repeats + 1, u64::from(MAX_COLS) + 1)
                        };
                        return Err(Refusal::OffGrid {
                            sheet: t.name.clone(),
                            row: row_number,
                            col,
                        });
                    }
                    if let (Some((rows, cols)), true) = (scanned.matrix, scanned.has_content) {
                        // Both within the grid here (checked above).
                        let (r, c) = (t.rows - row.repeats, row.stored);
                        if r < u64::from(MAX_ROWS) && c < u64::from(MAX_COLS) {
                            let end_row = (r + rows - 1).min(u64::from(MAX_ROWS) - 1);
                            let end_col = (c + cols - 1).min(u64::from(MAX_COLS) - 1);
                            let anchor = CellAddr::new(r as u32, c as u32);
                            let end = CellAddr::new(end_row as u32, end_col as u32);
                            layout.arrays.push((
                                t.name.clone(),
                                anchor,
                                RangeAddr::new(anchor, end),
                            ));
                        }
                    }
                    cell = Some(scanned);
                    if empty {
                        finish_cell(&mut cell, &mut row, table.as_mut(), limits, &mut text_bytes)?;
                    }
                }
                "table:database-range" => {
                    let buttons = attr(e, "table:display-filter-buttons");
                    let target = attr(e, "table:target-range-address");
                    if let (Some("true"), Some(target)) = (buttons.as_deref(), target) {
                        layout.filters.extend(ods_range(&target));
                    }
                }
                "office:annotation" if !empty => {
                    if let Some(c) = cell.as_mut() {
                        c.in_annotation += 1;
                    }
                }
                name => {
                    if let Some(c) = cell.as_mut().filter(|c| c.text_in_content) {
                        if c.in_annotation == 0 {
                            c.text = c.text.saturating_add(match name {
                                "text:s" => number(e, "text:c").unwrap_or(1),
                                "text:tab" | "text:line-break" => 1,
                                "text:p" => {
                                    c.paragraphs += 1;
                                    u64::from(c.paragraphs > 1)
                                }
                                _ => 0,
                            });
                            check_text(c, &row, table.as_ref(), limits)?;
                        }
                    }
                }
            },
            Event::Text(ref t) => {
                if let Some(c) = cell.as_mut().filter(|c| c.text_in_content) {
                    if c.in_annotation == 0 {
                        c.text = c.text.saturating_add(t.len() as u64);
                        check_text(c, &row, table.as_ref(), limits)?;
                    }
                }
            }
            Event::GeneralRef(_) => {
                if let Some(c) = cell.as_mut().filter(|c| c.text_in_content) {
                    c.text = c.text.saturating_add(4);
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                "office:annotation" => {
                    if let Some(c) = cell.as_mut() {
                        c.in_annotation = c.in_annotation.saturating_sub(1);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    finish_cell(&mut cell, &mut row, table.as_mut(), limits, &mut text_bytes)?;
                }
                "table:table-row" => {
                    if let Some(t) = table.as_mut() {
                        stored_cells = stored_cells.saturating_add(row.stored);
                        if row.has_content {
                            t.first_row.get_or_insert(t.rows - row.repeats);
                            t.end_row = t.rows;
                        }
                    }
                }
                "table:table" => {
                    if !hidden.is_empty() {
                        layout
                            .hidden
                            .push((sheet.clone(), std::mem::take(&mut hidden)));
                    }
                    if let Some(t) = table.take() {
                        if let Some(first) = t.first_row {
                            let width = t.end_col.saturating_sub(t.first_col);
                            let cells = (t.end_row - first).saturating_mul(width);
                            expanded_cells = expanded_cells.saturating_add(cells);
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if stored_cells.max(expanded_cells) > limits.max_cells {
            let what = format!(
                "sheet \"{sheet}\": with its repeated rows and columns, the workbook holds"
            );
            return Err(Refusal::Over(OverLimit::new(Limit::Cells, what)));
        }
        buf.clear();
    }
    Ok(layout)
}

/// The sheet and range of an OpenDocument range address such as
/// `Sheet1.A1:Sheet1.C9` or `$'My Sheet'.$A$1:.$C$9`.
fn ods_range(address: &str) -> Option<(String, RangeAddr)> {
    let (start, end) = address.split_once(':')?;
    let split = |part: &str| -> Option<(String, String)> {
        let (sheet, cell) = part.rsplit_once('.')?;
        let sheet = sheet.trim_start_matches('$');
        let sheet = match sheet.strip_prefix('\'') {
            Some(quoted) => quoted.strip_suffix('\'')?.replace("''", "'"),
            None => sheet.to_string(),
        };
        Some((sheet, cell.replace('$', "")))
    };
    let (sheet, first) = split(start)?;
    let (_, last) = split(end)?;
    Some((sheet, RangeAddr::parse(&format!("{first}:{last}"))?))
}

/// What a cell's start tag tells.
fn start_cell(e: &BytesStart<'_>) -> CellScan {
    let mut scanned = CellScan {
        repeats: 1,
        has_content: false,
        text_in_content: false,
        text: 0,
        in_annotation: 0,
        paragraphs: 0,
        matrix: None,
    };
    let (mut matrix_rows, mut matrix_cols) = (None, None);
    let mut is_string = false;
    let mut has_string_value = false;
    for a in e.attributes().with_checks(false).flatten() {
        match a.key.as_ref() {
            "table:number-columns-repeated" => {
                scanned.repeats = parse_count(&a.value).unwrap_or(1);
            }
            "office:value" | "office:boolean-value" => scanned.has_content = true,
            "office:string-value" | "office:date-value" | "office:time-value" => {
                scanned.has_content = true;
                has_string_value |= a.key.as_ref() == "office:string-value";
                scanned.text += a.value.len() as u64;
            }
            "table:formula" => {
                scanned.has_content = true;
                scanned.text += a.value.len() as u64;
            }
            "table:number-matrix-rows-spanned" => matrix_rows = parse_count(&a.value),
            "table:number-matrix-columns-spanned" => matrix_cols = parse_count(&a.value),
            "office:value-type" | "calcext:value-type" => {
                if matches!(a.value.as_ref(), "string" | "error") {
                    is_string = true;
                    scanned.has_content = true;
                }
            }
            _ => {}
        }
    }
    scanned.text_in_content = is_string && !has_string_value;
    if let (Some(rows), Some(cols)) = (matrix_rows, matrix_cols) {
        scanned.matrix = (rows > 0 && cols > 0).then_some((rows, cols));
    }
    scanned
}

/// Counts a finished cell into its row and table.
fn finish_cell(
    cell: &mut Option<CellScan>,
    row: &mut Row,
    table: Option<&mut Table>,
    limits: &ReadLimits,
    text_bytes: &mut u64,
) -> Result<(), Refusal> {
    let (Some(c), Some(t)) = (cell.take(), table) else {
        return Ok(());
    };
    let repeats = c
        .repeats
        .min(u64::from(MAX_COLS).saturating_sub(row.stored));
    if !c.has_content {
        row.pending_empty = repeats;
        return Ok(());
    }
    row.has_content = true;
    t.first_col = t.first_col.min(row.stored);
    row.stored += repeats;
    t.end_col = t.end_col.max(row.stored);
    // Each repeat holds its own copy of the text.
    let copies = repeats.saturating_mul(row.repeats);
    *text_bytes = text_bytes.saturating_add(c.text.saturating_mul(copies));
    if *text_bytes > limits.max_text_bytes {
        let what = format!(
            "sheet \"{}\": with its repeated rows and columns, the cells up to {} hold",
            t.name,
            position(row, t, row.stored - repeats)
        );
        return Err(Refusal::Over(OverLimit::new(Limit::TextBytes, what)));
    }
    Ok(())
}

/// Refuses a cell whose text has grown past the limit of one string.
fn check_text(
    c: &CellScan,
    row: &Row,
    table: Option<&Table>,
    limits: &ReadLimits,
) -> Result<(), Refusal> {
    if c.text <= limits.max_string_bytes {
        return Ok(());
    }
    let what = match table {
        Some(t) => format!(
            "sheet \"{}\", cell {} holds a string of",
            t.name,
            position(row, t, row.stored)
        ),
        None => "a cell holds a string of".to_string(),
    };
    Err(Refusal::Over(OverLimit::new(Limit::StringBytes, what)))
}

/// The A1 address of column `col` (from 0) of the row being read.
fn position(row: &Row, table: &Table, col: u64) -> String {
    let first_row = table.rows.saturating_sub(row.repeats);
    CellAddr::new(
        first_row.min(u64::from(MAX_ROWS) - 1) as u32,
        col.min(u64::from(MAX_COLS) - 1) as u32,
    )
    .to_a1()
}

/// A count attribute; a value that is no count is calamine's to refuse.
fn number(e: &BytesStart<'_>, name: &str) -> Option<u64> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| parse_count(&a.value))
}

/// A count such as `1048576`, saturating past `u64`.
fn parse_count(raw: &str) -> Option<u64> {
    let text = raw.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.bytes().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// An attribute's text.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(tables: &str) -> String {
        format!(
            r#"<office:document-content><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    fn check(xml: &str, limits: &ReadLimits) -> Result<(), Refusal> {
        scan(xml.as_bytes(), limits).map(|_| ())
    }

    #[test]
    fn matrix_formulas_are_noted_where_they_stand() {
        // Row 1 empty; row 2: two empty cells, then a matrix formula over
        // 3 rows and 2 columns (C2:D4); a spanned count of 0 is no array.
        let xml = content(
            r#"<table:table table:name="Data"><table:table-row><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:formula="of:=A1:B3" table:number-matrix-rows-spanned="3" table:number-matrix-columns-spanned="2" office:value-type="float" office:value="1"/><table:table-cell table:formula="of:=1" table:number-matrix-rows-spanned="0" table:number-matrix-columns-spanned="1" office:value-type="float" office:value="1"/></table:table-row></table:table>"#,
        );
        let layout = scan(xml.as_bytes(), &ReadLimits::default()).unwrap();
        let c2 = CellAddr::parse("C2").unwrap();
        assert_eq!(
            layout.arrays,
            [("Data".to_string(), c2, RangeAddr::parse("C2:D4").unwrap())]
        );
    }

    #[test]
    fn hidden_rows_and_filter_ranges_are_noted() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="Data"><table:table-row><table:table-cell/></table:table-row><table:table-row table:visibility="filter" table:number-rows-repeated="2"><table:table-cell/></table:table-row><table:table-row><table:table-cell/></table:table-row><table:table-row table:visibility="collapse"><table:table-cell/></table:table-row></table:table><table:table table:name="Other"><table:table-row><table:table-cell/></table:table-row></table:table><table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" table:target-range-address="Data.A1:Data.A5" table:display-filter-buttons="true"/><table:database-range table:target-range-address="Other.A1:Other.B2"/></table:database-ranges></office:spreadsheet></office:body></office:document-content>"#;
        let layout = scan(xml.as_bytes(), &ReadLimits::default()).unwrap();
        assert_eq!(layout.hidden.len(), 1);
        assert_eq!(layout.hidden[0].0, "Data");
        assert_eq!(layout.hidden[0].1.rows().collect::<Vec<_>>(), [1, 2, 4]);
        assert_eq!(
            layout.filters,
            [("Data".to_string(), RangeAddr::parse("A1:A5").unwrap())]
        );
        assert_eq!(
            ods_range("$'It''s'.$A$1:.$C$9"),
            Some(("It's".to_string(), RangeAddr::parse("A1:C9").unwrap()))
        );
    }

    fn limit_of(result: Result<(), Refusal>) -> Option<Limit> {
        match result {
            Err(Refusal::Over(over)) => Some(over.limit),
            _ => None,
        }
    }

    #[test]
    fn repeats_count_as_the_cells_calamine_builds() {
        let limits = ReadLimits {
            max_cells: 1000,
            ..ReadLimits::default()
        };
        let value = r#"<table:table-cell office:value-type="float" office:value="1"#;
        // 40 rows of 20 repeated cells: 800 cells.
        let fits = content(&format!(
            r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="40">{value}" table:number-columns-repeated="20"/></table:table-row></table:table>"#
        ));
        assert_eq!(check(&fits, &limits), Ok(()));
        // 10⁹ cells from two counts.
        let bomb = content(&format!(
            r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="1000000">{value}" table:number-columns-repeated="1000"/></table:table-row></table:table>"#
        ));
        assert_eq!(limit_of(check(&bomb, &limits)), Some(Limit::Cells));
        // Empty rows and columns the way LibreOffice pads a sheet cost
        // nothing, even to the end of the grid.
        let padded = content(&format!(
            r#"<table:table table:name="T"><table:table-row>{value}"/><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#
        ));
        assert_eq!(check(&padded, &limits), Ok(()));
        // Empty rows between two with content are built too.
        let gap = content(&format!(
            r#"<table:table table:name="T"><table:table-row>{value}"/></table:table-row><table:table-row table:number-rows-repeated="5000"><table:table-cell/></table:table-row><table:table-row>{value}"/></table:table-row></table:table>"#
        ));
        assert_eq!(limit_of(check(&gap, &limits)), Some(Limit::Cells));
    }

    #[test]
    fn spaces_and_repeated_text_count_as_text() {
        let limits = ReadLimits {
            max_string_bytes: 100,
            max_text_bytes: 1000,
            ..ReadLimits::default()
        };
        let spaces = |n: u64| {
            content(&format!(
                r#"<table:table table:name="T"><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="{n}"/>b</text:p><office:annotation><text:p>{}</text:p></office:annotation></table:table-cell></table:table-row></table:table>"#,
                "n".repeat(500)
            ))
        };
        assert_eq!(check(&spaces(50), &limits), Ok(()));
        assert_eq!(
            limit_of(check(&spaces(2_000_000_000), &limits)),
            Some(Limit::StringBytes)
        );
        let repeated = content(
            r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="10"><table:table-cell office:value-type="string" office:string-value="0123456789" table:number-columns-repeated="11"/></table:table-row></table:table>"#,
        );
        assert_eq!(limit_of(check(&repeated, &limits)), Some(Limit::TextBytes));
    }

    #[test]
    fn content_past_the_grid_is_refused_not_dropped() {
        let beyond = content(
            r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#,
        );
        assert_eq!(
            check(&beyond, &ReadLimits::default()),
            Err(Refusal::OffGrid {
                sheet: "T".into(),
                row: 1_048_577,
                col: 1
            })
        );
    }
}
