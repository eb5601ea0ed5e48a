//! Writes the model as a brand-new xlsx workbook with rust_xlsxwriter: for
//! inputs that cannot be patched (xls, xlsb, ods, CSV) and for new outputs.
//!
//! What is carried: values with their types, dates as dates with their
//! number formats, formulas with their cached results (so readers that do
//! not recalculate still see values), cell styles, merged ranges, defined
//! names, tables, hyperlinks, column widths and hidden sheets. Anything the
//! model holds but this writer cannot express becomes a warning; nothing is
//! dropped silently.
//!
//! Every sheet is written in rust_xlsxwriter's constant-memory mode: the
//! model is walked row by row, so only the current row is kept in memory
//! and a 100 000-row sheet costs no more than a 10-row one. Merged ranges,
//! tables and hyperlinks are placed when the walk reaches their first cell,
//! which is what that mode requires.

mod builtin_names;
mod date1904;
mod formats;

use crate::model::address::quote_sheet_name;
use crate::model::{
    CellAddr, DateSystem, ErrorKind, Number, RangeAddr, Sheet, Value, Visibility, Workbook,
};
use crate::progress::Progress;
use crate::{Error, Result};
use builtin_names::{builtin_name, place_builtin};
use date1904::mark_date1904;
use formats::{default_date_code, FormatCache};
use rust_xlsxwriter::{Formula, Table, TableColumn, Url, Worksheet, XlsxError};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Warnings for what a new workbook cannot carry, known before writing
/// (features of the source package the model does not hold).
pub fn package_warnings(workbook: &Workbook) -> Vec<String> {
    workbook
        .package_features
        .iter()
        .map(|f| format!("not carried into a new workbook: {f}"))
        .collect()
}

/// Writes `workbook` as a new xlsx file at `target`; `output` is the path
/// the user asked for, used in messages. Returns warnings about what could
/// not be carried exactly.
///
/// Numbers are written as IEEE doubles, the only number type xlsx has: an
/// exact decimal such as 0.1 is stored as the nearest double, which Excel
/// and every other reader show as 0.1 again.
pub fn write_new_xlsx(
    workbook: &Workbook,
    target: &Path,
    output: &Path,
    progress: &Progress,
) -> Result<Vec<String>> {
    let fail = |e: XlsxError| Error::write(output, e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut warnings = package_warnings(workbook);
    let mut formats = FormatCache::default();
    let first_visible = workbook
        .sheets
        .iter()
        .position(|s| s.visibility == Visibility::Visible);
    if first_visible.is_none() && !workbook.sheets.is_empty() {
        warnings.push(format!(
            "every sheet is hidden, which Excel does not allow: sheet \"{}\" is shown",
            workbook.sheets[0].name
        ));
    }
    for (index, sheet) in workbook.sheets.iter().enumerate() {
        let ws = book.add_worksheet_with_constant_memory().map_err(fail)?;
        ws.set_name(&sheet.name)
            .map_err(|e| Error::write(output, format!("sheet \"{}\": {e}", sheet.name)))?;
        if Some(index) == first_visible.or(Some(0)) {
            ws.set_active(true);
        } else {
            match sheet.visibility {
                Visibility::Visible => {}
                Visibility::Hidden => {
                    ws.set_hidden(true);
                }
                Visibility::VeryHidden => {
                    ws.set_very_hidden(true);
                }
            }
        }
        let mut writer = SheetWriter {
            workbook,
            sheet,
            ws,
            formats: &mut formats,
            warnings: Vec::new(),
            notes: BTreeMap::new(),
            table_headers: HashMap::new(),
            output,
        };
        writer.write(progress)?;
        crate::io::write::visuals::place_visuals(writer.ws, &sheet.visuals)
            .map_err(|why| Error::write(output, format!("sheet \"{}\": {why}", sheet.name)))?;
        warnings.extend(writer.finish_notes());
    }
    for name in &workbook.names {
        if let Some(builtin) = builtin_name(&name.name) {
            if let Err(why) = place_builtin(&mut book, builtin, name) {
                warnings.push(format!("{builtin} ({}) not carried: {why}", name.refers_to));
            }
            continue;
        }
        let full = match &name.scope {
            Some(sheet) => format!("{}!{}", quote_sheet_name(sheet), name.name),
            None => name.name.clone(),
        };
        if let Err(e) = book.define_name(&full, &format!("={}", name.refers_to)) {
            warnings.push(format!("defined name {full:?} not carried: {e}"));
        }
    }
    progress.start("Saving", 0);
    book.save(target).map_err(fail)?;
    if workbook.date_system == DateSystem::Excel1904 {
        mark_date1904(target).map_err(|why| Error::write(output, why.to_string()))?;
    }
    progress.finish();
    Ok(warnings)
}

/// Something placed when the row-major walk reaches its first cell.
enum Anchor<'a> {
    Table(&'a crate::model::Table),
    Merge(RangeAddr),
    Link(&'a crate::model::Hyperlink),
}

impl Anchor<'_> {
    fn start(&self) -> CellAddr {
        match self {
            Anchor::Table(t) => t.range.start,
            Anchor::Merge(r) => r.start,
            Anchor::Link(h) => h.range.start,
        }
    }
}

/// Writes one sheet in row order.
struct SheetWriter<'a> {
    workbook: &'a Workbook,
    sheet: &'a Sheet,
    ws: &'a mut Worksheet,
    formats: &'a mut FormatCache,
    warnings: Vec<String>,
    /// Cell-level notes, gathered so that a thousand error cells make one
    /// warning, not a thousand.
    notes: BTreeMap<Note, Vec<CellAddr>>,
    /// Header cells of the tables placed so far, with their column names:
    /// Excel repairs (and drops) a table whose header cell is not exactly
    /// its column name as text.
    table_headers: HashMap<CellAddr, String>,
    output: &'a Path,
}

/// Something about single cells the output carries differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Note {
    ErrorConstant,
    NewErrorKind,
    OpenFormula,
    NotFinite,
    TableHeader,
    NumericText,
    LongText,
    HugeArray,
}

impl Note {
    fn describe(self) -> &'static str {
        match self {
            Note::ErrorConstant => {
                "error values written as formulas such as =#N/A (the writer has no error-constant cell; the value is the same)"
            }
            Note::NewErrorKind => {
                "error values such as #SPILL! or #CALC! stored as text (the writer knows only the older error kinds)"
            }
            Note::OpenFormula => {
                "OpenDocument formulas not converted to Excel syntax; their values are written instead"
            }
            Note::NotFinite => "numbers too large for xlsx written as #NUM!",
            Note::NumericText => {
                "cached text results that read as numbers or booleans stored as such until Excel recalculates"
            }
            Note::HugeArray => {
                "array formulas over more cells than a formula's array may hold written as formulas of their first cell (the writer would fill every cell of the range)"
            }
            Note::LongText => {
                "text longer than Excel's 32,767 characters cut to its first 32,767"
            }
            Note::TableHeader => {
                "table header cells written as their column names (Excel requires header text to match)"
            }
        }
    }
}

/// Cells named in one warning before "and N more".
const NOTE_CELLS: usize = 5;

/// Error kinds rust_xlsxwriter can store as error results; the others are
/// newer than its writer and are stored as text.
fn storable_error(e: ErrorKind) -> bool {
    matches!(
        e,
        ErrorKind::Div0
            | ErrorKind::NA
            | ErrorKind::Name
            | ErrorKind::Null
            | ErrorKind::Num
            | ErrorKind::Ref
            | ErrorKind::Value
            | ErrorKind::GettingData
    )
}

/// A rust_xlsxwriter error at one cell as an [`Error::Write`] naming the
/// sheet and cell.
fn cell_error(output: &Path, sheet: &Sheet, addr: CellAddr, e: XlsxError) -> Error {
    Error::write(output, format!("{}!{addr}: {e}", sheet.name))
}

impl SheetWriter<'_> {
    fn note(&mut self, note: Note, addr: CellAddr) {
        self.notes.entry(note).or_default().push(addr);
    }

    /// The sheet's warnings, cell notes folded into one line per kind.
    fn finish_notes(self) -> Vec<String> {
        let mut out = self.warnings;
        for (note, cells) in self.notes {
            let mut list: Vec<String> = cells.iter().take(NOTE_CELLS).map(|a| a.to_a1()).collect();
            if cells.len() > NOTE_CELLS {
                list.push(format!("and {} more", cells.len() - NOTE_CELLS));
            }
            out.push(format!(
                "{}: {} ({} cell{}: {})",
                self.sheet.name,
                note.describe(),
                cells.len(),
                if cells.len() == 1 { "" } else { "s" },
                list.join(", ")
            ));
        }
        out
    }
    fn write(&mut self, progress: &Progress) -> Result<()> {
        let sheet = self.sheet;
        let mut anchors: Vec<Anchor> = Vec::new();
        anchors.extend(
            self.workbook
                .tables
                .iter()
                .filter(|t| t.sheet.eq_ignore_ascii_case(&sheet.name))
                .map(Anchor::Table),
        );
        anchors.extend(
            sheet
                .merged
                .iter()
                .filter(|m| m.start != m.end)
                .map(|m| Anchor::Merge(*m)),
        );
        anchors.extend(sheet.hyperlinks.iter().map(Anchor::Link));
        // Stable: at one cell a table comes before a merge before a link,
        // and the cell's own value is written after all of them.
        anchors.sort_by_key(|a| a.start());
        let mut pending = anchors.into_iter().peekable();

        for (col, width) in &sheet.column_widths {
            let col16 = u16::try_from(*col).unwrap_or(u16::MAX);
            self.ws
                .set_column_width(col16, *width)
                .map_err(|e| cell_error(self.output, self.sheet, CellAddr::new(0, *col), e))?;
        }

        // Row attributes go first: in constant-memory mode a row is final
        // once the writer moves past it.
        for row in sheet.hidden_rows.rows() {
            self.ws
                .set_row_hidden(row)
                .map_err(|e| cell_error(self.output, self.sheet, CellAddr::new(row, 0), e))?;
        }
        if let Some(filter) = sheet.auto_filter {
            let col16 = |c: u32| u16::try_from(c).unwrap_or(u16::MAX);
            self.ws
                .autofilter(
                    filter.start.row,
                    col16(filter.start.col),
                    filter.end.row,
                    col16(filter.end.col),
                )
                .map_err(|e| cell_error(self.output, self.sheet, filter.start, e))?;
        }

        let rows = sheet.row_count();
        progress.start(&format!("Writing {}", sheet.name), u64::from(rows));
        for r in 0..rows {
            for (c, cell) in sheet.row(r).iter().enumerate() {
                if cell.is_blank() {
                    continue;
                }
                let addr = CellAddr::new(r, c as u32);
                while let Some(anchor) = pending.next_if(|a| a.start() <= addr) {
                    self.place(anchor)?;
                }
                self.write_cell(addr, cell)?;
            }
            progress.inc(1);
        }
        for anchor in pending {
            self.place(anchor)?;
        }
        Ok(())
    }

    /// Places a table, merged range or hyperlink at its first cell.
    fn place(&mut self, anchor: Anchor) -> Result<()> {
        let sheet_name = &self.sheet.name;
        match anchor {
            Anchor::Table(t) => {
                let columns: Vec<TableColumn> = t
                    .columns
                    .iter()
                    .map(|c| TableColumn::new().set_header(c))
                    .collect();
                let table = Table::new()
                    .set_name(&t.name)
                    .set_header_row(t.header_row)
                    .set_total_row(t.totals_row)
                    .set_columns(&columns);
                let r = t.range;
                let placed = self.ws.add_table(
                    r.start.row,
                    r.start.col as u16,
                    r.end.row,
                    r.end.col as u16,
                    &table,
                );
                if placed.is_ok() && t.header_row {
                    for (i, name) in t.columns.iter().enumerate() {
                        let at = CellAddr::new(r.start.row, r.start.col + i as u32);
                        self.table_headers.insert(at, name.clone());
                    }
                }
                if let Err(e) = placed {
                    self.warnings.push(format!(
                        "table {} on {sheet_name}!{} not carried (its cells are): {e}",
                        t.name,
                        r.to_a1()
                    ));
                }
            }
            Anchor::Merge(m) => {
                let style = self.sheet.cell_or_empty(m.start).style;
                let format = self.formats.get(self.workbook, style, None).clone();
                if let Err(e) = self.ws.merge_range(
                    m.start.row,
                    m.start.col as u16,
                    m.end.row,
                    m.end.col as u16,
                    "",
                    &format,
                ) {
                    self.warnings.push(format!(
                        "merged range {sheet_name}!{} not carried: {e}",
                        m.to_a1()
                    ));
                }
            }
            Anchor::Link(h) => {
                let target = &h.target;
                let external = target.contains("://")
                    || ["mailto:", "file:", "tel:"]
                        .iter()
                        .any(|p| target.to_ascii_lowercase().starts_with(p));
                let url = if external {
                    Url::new(target.as_str())
                } else {
                    Url::new(format!("internal:{}", target.trim_start_matches('#')))
                };
                let start = h.range.start;
                let cell = self.sheet.cell_or_empty(start);
                let text = match &cell.value {
                    Value::Empty => target.clone(),
                    v => v.to_string(),
                };
                let format = self.formats.get(self.workbook, cell.style, None).clone();
                if let Err(e) = self.ws.write_url_with_options(
                    start.row,
                    start.col as u16,
                    url,
                    text,
                    h.tooltip.clone().unwrap_or_default(),
                    Some(&format),
                ) {
                    self.warnings.push(format!(
                        "hyperlink on {sheet_name}!{start} to {target} not carried: {e}"
                    ));
                }
            }
        }
        Ok(())
    }

    fn write_cell(&mut self, addr: CellAddr, cell: &crate::model::Cell) -> Result<()> {
        let (row, col) = (addr.row, addr.col as u16);
        let date_code = match &cell.value {
            Value::Date(d) if !self.workbook.styles.get(cell.style).is_date_format() => {
                Some(default_date_code(d.kind))
            }
            _ => None,
        };
        let format = self
            .formats
            .get(self.workbook, cell.style, date_code)
            .clone();
        let value = match &cell.value {
            Value::Number(n) if !n.is_finite() => {
                self.note(Note::NotFinite, addr);
                Value::Error(ErrorKind::Num)
            }
            Value::Text(s) => match within_cell_limit(s) {
                Some(cut) => {
                    self.note(Note::LongText, addr);
                    Value::text(cut)
                }
                None => cell.value.clone(),
            },
            v => v.clone(),
        };
        if let Some(name) = self.table_headers.remove(&addr) {
            if cell.value.as_text() != Some(name.as_str()) || cell.formula.is_some() {
                self.note(Note::TableHeader, addr);
            }
            return self
                .ws
                .write_string_with_format(row, col, &name, &format)
                .map(|_| ())
                .map_err(|e| cell_error(self.output, self.sheet, addr, e));
        }
        if let Some(formula) = cell.formula_text(addr).as_deref() {
            if formula.starts_with("of:") {
                self.note(Note::OpenFormula, addr);
            } else {
                let result = self.cached_result(addr, &value);
                let f = Formula::new(formula).set_result(result);
                // An array formula stays legacy or dynamic; the cells
                // its range covers are written with their own values next.
                let sheet = self.sheet;
                let array = sheet.array_formulas.get(&addr).filter(|array| {
                    let range = array.range;
                    let cells = u64::from(range.rows()) * u64::from(range.cols());
                    let fits = cells <= crate::formula::calc::MAX_ARRAY_CELLS as u64;
                    if !fits {
                        self.note(Note::HugeArray, addr);
                    }
                    fits
                });
                let written = match array {
                    Some(array) => {
                        // A range not anchored here is none Excel writes.
                        let end = if array.range.start == addr {
                            array.range.end
                        } else {
                            addr
                        };
                        let (last_row, last_col) = (end.row, end.col as u16);
                        if array.is_dynamic() {
                            self.ws.write_dynamic_array_formula_with_format(
                                row, col, last_row, last_col, f, &format,
                            )
                        } else {
                            self.ws.write_array_formula_with_format(
                                row, col, last_row, last_col, f, &format,
                            )
                        }
                    }
                    None => self.ws.write_formula_with_format(row, col, f, &format),
                };
                return written
                    .map(|_| ())
                    .map_err(|e| cell_error(self.output, self.sheet, addr, e));
            }
        }
        let written = match &value {
            Value::Empty => self.ws.write_blank(row, col, &format),
            Value::Number(n) => self
                .ws
                .write_number_with_format(row, col, n.to_f64(), &format),
            Value::Text(s) => self
                .ws
                .write_string_with_format(row, col, s.as_str(), &format),
            Value::Bool(b) => self.ws.write_boolean_with_format(row, col, *b, &format),
            Value::Date(d) => self.ws.write_number_with_format(
                row,
                col,
                self.workbook.date_system.number_of(d),
                &format,
            ),
            Value::Error(e) if !storable_error(*e) => {
                // `=#SPILL!` is no formula Excel knows (it would repair the
                // file): a newer error kind is kept as its text.
                self.note(Note::NewErrorKind, addr);
                self.ws
                    .write_string_with_format(row, col, e.as_str(), &format)
            }
            Value::Error(e) => {
                // xlsx has error constants but rust_xlsxwriter writes errors
                // only as formula results; `=#N/A` evaluates to the same
                // error everywhere.
                self.note(Note::ErrorConstant, addr);
                let f = Formula::new(e.as_str()).set_result(self.cached_result(addr, &value));
                self.ws.write_formula_with_format(row, col, f, &format)
            }
        };
        written
            .map(|_| ())
            .map_err(|e| cell_error(self.output, self.sheet, addr, e))
    }

    /// The cached result of a formula as rust_xlsxwriter stores it (it
    /// infers the type from the text).
    fn cached_result(&mut self, addr: CellAddr, value: &Value) -> String {
        match value {
            Value::Empty => String::new(),
            Value::Number(n) => shortest(*n),
            Value::Date(d) => self.workbook.date_system.number_of(d).to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Text(s) => {
                // rust_xlsxwriter types a result by parsing it; "00123" or
                // "1e5" would become a number.
                if s.trim().parse::<f64>().is_ok() || matches!(s.as_str(), "TRUE" | "FALSE") {
                    self.note(Note::NumericText, addr);
                }
                s.to_string()
            }
            Value::Error(e) => {
                if !storable_error(*e) {
                    self.note(Note::NewErrorKind, addr);
                }
                e.as_str().to_string()
            }
        }
    }
}

/// The most a cell holds, in UTF-16 units as Excel counts.
const MAX_CELL_TEXT: usize = 32_767;

/// The first [`MAX_CELL_TEXT`] UTF-16 units of `text` (never splitting a
/// character), or `None` when the whole text fits in a cell.
fn within_cell_limit(text: &str) -> Option<&str> {
    // Each character is at least one UTF-16 unit: short text fits.
    if text.len() <= MAX_CELL_TEXT {
        return None;
    }
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_TEXT {
            return Some(&text[..at]);
        }
    }
    None
}

/// A number as the shortest text that reads back as the same double.
fn shortest(n: Number) -> String {
    let f = n.to_f64();
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::style::{Alignment, Border, Edge, Font};
    use crate::model::style::{HAlign, LineStyle};
    use crate::model::Style;
    use crate::model::{DateValue, DefinedName, Hyperlink};
    use calamine::{Data, Reader, Xlsx};

    fn addr(a1: &str) -> CellAddr {
        CellAddr::parse(a1).unwrap()
    }

    fn sample() -> Workbook {
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        wb.add_sheet("Hidden").unwrap();
        wb.sheets[1].visibility = Visibility::Hidden;
        let money = wb.styles.intern(Style {
            number_format: "#,##0.00".into(),
            font: Font {
                bold: true,
                size: Some(rust_decimal::Decimal::new(11, 0)),
                ..Font::default()
            },
            fill: Some(0xFFFFFF00),
            border: Border {
                bottom: Edge {
                    style: LineStyle::Thin,
                    color: Some(0xFF000000),
                },
                ..Border::default()
            },
            alignment: Alignment {
                horizontal: HAlign::Right,
                rotation: 135,
                ..Alignment::default()
            },
        });
        let s = &mut wb.sheets[0];
        s.set_value(addr("A1"), Value::Text("Item".into()));
        // A header that is not its column name's text is written as the
        // name, or Excel would repair the file and drop the table.
        s.set_value(addr("B1"), Value::Number(Number::from_i64(2026)));
        s.set_value(addr("A2"), Value::Text("Tea".into()));
        s.set_value(addr("B2"), Value::Number(Number::from_f64(0.1)));
        s.set_style(addr("B2"), money);
        s.set_value(addr("A3"), Value::Text("Coffee".into()));
        s.set_value(addr("B3"), Value::Number(Number::from_f64(0.2)));
        s.set_formula(addr("B4"), "SUM(B2:B3)", Value::from_f64(0.3));
        s.set_formula(addr("C4"), "TEXT(B4,\"0\")", Value::Text("0".into()));
        s.set_value(
            addr("C2"),
            Value::Date(DateValue::from_date(
                chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            )),
        );
        s.set_value(addr("C3"), Value::Bool(true));
        s.set_value(addr("D2"), Value::Error(ErrorKind::NA));
        s.set_value(addr("A6"), Value::Text("merged".into()));
        s.merged.push(RangeAddr::parse("A6:C7").unwrap());
        s.set_value(addr("A9"), Value::Text("site".into()));
        s.hyperlinks.push(Hyperlink {
            range: RangeAddr::parse("A9").unwrap(),
            target: "https://example.com/".into(),
            tooltip: None,
        });
        s.set_column_width(0, 20.0);
        wb.tables.push(crate::model::Table {
            name: "Items".into(),
            sheet: "Data".into(),
            range: RangeAddr::parse("A1:B3").unwrap(),
            header_row: true,
            totals_row: false,
            columns: vec!["Item".into(), "Amount".into()],
        });
        for (name, scope, refers_to) in [
            ("Total", None, "Data!$B$4"),
            ("_xlnm.Print_Area", Some("Data"), "Data!$A$1:$D$9"),
            // xls print titles, as calamine names them.
            ("\u{7}", None, "Data!$1:$1"),
            ("_xlnm.Auto_Open", None, "Data!$A$1"),
            ("Rate", Some("Data"), "Data!$B$2"),
        ] {
            wb.names.push(DefinedName {
                name: name.into(),
                scope: scope.map(String::from),
                refers_to: refers_to.into(),
            });
        }
        wb.sheets[1].set_value(addr("A1"), Value::Text("secret".into()));
        wb
    }

    /// One part of the written package as text.
    fn part(path: &Path, name: &str) -> String {
        let file = std::fs::File::open(path).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    }

    #[test]
    fn a_1904_workbook_is_written_as_one_with_its_own_serials() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.xlsx");
        let mut wb = Workbook::new();
        wb.date_system = DateSystem::Excel1904;
        wb.add_sheet("Data").unwrap();
        let day = DateValue::from_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
        let s = &mut wb.sheets[0];
        s.set_value(addr("A1"), Value::Date(day));
        // A formula result on a date is a 1904 serial in a 1904 workbook.
        s.set_formula(addr("B1"), "A1+1", Value::Number(Number::from_i64(44867)));
        s.set_formula(addr("C1"), "A1", Value::Date(day));
        write_new_xlsx(&wb, &path, &path, &Progress::hidden()).unwrap();
        let workbook = part(&path, "xl/workbook.xml");
        assert!(
            workbook.contains("<workbookPr date1904=\"1\""),
            "{workbook}"
        );
        let xml = part(&path, "xl/worksheets/sheet1.xml");
        assert!(xml.contains("<v>44866</v>"), "{xml}");
        assert!(xml.contains("<f>A1+1</f><v>44867</v>"), "{xml}");
        assert!(xml.contains("<f>A1</f><v>44866</v>"), "{xml}");
        // Our own reader sees the same dates again.
        let back = crate::io::read::read_workbook(&path, &Default::default()).unwrap();
        assert_eq!(back.date_system, DateSystem::Excel1904);
        assert_eq!(back.sheets[0].value(addr("A1")), &Value::Date(day));
    }

    #[test]
    fn hidden_rows_and_the_filter_range_are_written_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.xlsx");
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let s = &mut wb.sheets[0];
        for row in 0..6 {
            s.set_value(
                CellAddr::new(row, 0),
                Value::Number(Number::from_i64(row.into())),
            );
        }
        // Row 3 holds data, row 9 none: both stay hidden.
        s.hidden_rows.hide(2);
        s.hidden_rows.hide(8);
        s.auto_filter = RangeAddr::parse("A1:A6");
        write_new_xlsx(&wb, &path, &path, &Progress::hidden()).unwrap();
        let back = crate::io::read::read_workbook(&path, &Default::default()).unwrap();
        let sheet = &back.sheets[0];
        assert_eq!(sheet.hidden_rows.rows().collect::<Vec<_>>(), vec![2, 8]);
        assert_eq!(
            sheet.auto_filter.map(|f| f.to_a1()).as_deref(),
            Some("A1:A6")
        );
        assert_eq!(
            sheet.value(CellAddr::new(2, 0)),
            &Value::Number(Number::from_i64(2))
        );
    }

    #[test]
    fn newer_error_constants_are_text_not_formulas() {
        // `=#SPILL!` is no formula Excel accepts; the error's text is kept.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.xlsx");
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        wb.sheets[0].set_value(addr("A1"), Value::Error(ErrorKind::Spill));
        wb.sheets[0].set_value(addr("A2"), Value::Error(ErrorKind::Div0));
        let warnings = write_new_xlsx(&wb, &path, &path, &Progress::hidden()).unwrap();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("#SPILL! or #CALC! stored as text") && w.ends_with("A1)")),
            "{warnings:?}"
        );
        let xml = part(&path, "xl/worksheets/sheet1.xml");
        assert!(!xml.contains("<f>#SPILL!</f>"), "{xml}");
        assert!(xml.contains("<f>#DIV/0!</f>"), "{xml}");
        let mut x: Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let data = x.worksheet_range("Data").unwrap();
        assert_eq!(data.get((0, 0)), Some(&Data::String("#SPILL!".into())));
    }

    #[test]
    fn values_formulas_and_structure_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.xlsx");
        let mut wb = sample();
        wb.package_features.push("2 charts on Data".into());
        let warnings = write_new_xlsx(&wb, &path, &path, &Progress::hidden()).unwrap();
        assert!(warnings.iter().any(|w| w.contains("2 charts on Data")));
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("Data: error values written as formulas")
                    && w.ends_with("(1 cell: D2)")),
            "{warnings:?}"
        );

        let mut x: Xlsx<_> = calamine::open_workbook(&path).unwrap();
        assert_eq!(x.sheet_names(), vec!["Data", "Hidden"]);
        let hidden = x
            .sheets_metadata()
            .iter()
            .find(|s| s.name == "Hidden")
            .unwrap()
            .visible;
        assert_eq!(hidden, calamine::SheetVisible::Hidden);
        let data = x.worksheet_range("Data").unwrap();
        assert_eq!(data.get((1, 1)), Some(&Data::Float(0.1)));
        assert_eq!(data.get((0, 1)), Some(&Data::String("Amount".into())));
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("table header") && w.ends_with("(1 cell: B1)")),
            "{warnings:?}"
        );
        assert_eq!(data.get((3, 1)), Some(&Data::Float(0.3)));
        assert_eq!(data.get((2, 2)), Some(&Data::Bool(true)));
        assert!(matches!(data.get((1, 2)), Some(Data::DateTime(d)) if d.as_f64() == 46112.0));
        assert_eq!(data.get((5, 0)), Some(&Data::String("merged".into())));
        assert_eq!(data.get((8, 0)), Some(&Data::String("site".into())));
        assert_eq!(
            data.get((1, 3)),
            Some(&Data::Error(calamine::CellErrorType::NA))
        );
        let formulas = x.worksheet_formula("Data").unwrap();
        assert_eq!(
            formulas.get_value((3, 1)).map(String::as_str),
            Some("SUM(B2:B3)")
        );
        let merged = x.merge_cells_by_sheet_name("Data").unwrap();
        assert_eq!(merged.len(), 1);
        assert_eq!((merged[0].start, merged[0].end), ((5, 0), (6, 2)));
        x.load_tables().unwrap();
        assert_eq!(x.table_names(), vec![&"Items".to_string()]);
        assert!(x
            .defined_names()
            .iter()
            .any(|(n, r)| n == "Total" && r == "Data!$B$4"));
    }

    #[test]
    fn formats_carry_number_format_font_fill_border_and_alignment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("styled.xlsx");
        write_new_xlsx(&sample(), &path, &path, &Progress::hidden()).unwrap();
        let styles = part(&path, "xl/styles.xml");
        assert!(styles.contains("#,##0.00") || styles.contains("numFmtId=\"4\""));
        assert!(styles.contains("<b/>"));
        assert!(styles.contains("FFFFFF00"));
        assert!(styles.contains("<bottom style=\"thin\">"));
        assert!(styles.contains("horizontal=\"right\""));
        assert!(styles.contains("textRotation=\"135\""));
        assert!(
            styles.contains("yyyy-mm-dd"),
            "date without format gets ISO"
        );
    }

    #[test]
    fn built_in_formats_go_by_their_ids_and_read_back_as_excel_shows_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("builtin.xlsx");
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let short_date = wb.styles.intern(Style::with_number_format("m/d/yyyy"));
        let dollars = wb.styles.intern(Style::with_number_format(
            crate::numfmt::builtin_format(7).unwrap(),
        ));
        let s = &mut wb.sheets[0];
        let day = DateValue::from_date(chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        s.set_value(addr("A1"), Value::Date(day));
        s.set_style(addr("A1"), short_date);
        s.set_value(addr("A2"), Value::Number(Number::from_i64(5)));
        s.set_style(addr("A2"), dollars);
        // A date on a non-date built-in format still gets a date code.
        s.set_value(addr("A3"), Value::Date(day));
        s.set_style(addr("A3"), dollars);
        write_new_xlsx(&wb, &path, &path, &Progress::hidden()).unwrap();
        let styles = part(&path, "xl/styles.xml");
        assert!(styles.contains(r#"numFmtId="14""#), "{styles}");
        assert!(styles.contains(r#"numFmtId="7""#), "{styles}");
        assert!(!styles.contains("m/d/yyyy"), "{styles}");
        let back = crate::io::read::read_workbook(&path, &Default::default()).unwrap();
        let format_of = |a1| {
            let cell = back.sheets[0].cell_or_empty(addr(a1));
            back.styles.get(cell.style).number_format.clone()
        };
        assert_eq!(format_of("A1"), "m/d/yyyy");
        assert_eq!(format_of("A2"), crate::numfmt::builtin_format(7).unwrap());
        assert!(back
            .styles
            .get(back.sheets[0].cell_or_empty(addr("A3")).style)
            .is_date_format());
    }

    #[test]
    fn large_sheet_writes_in_row_order() {
        let mut wb = Workbook::new();
        wb.add_sheet("Big").unwrap();
        let s = &mut wb.sheets[0];
        for r in 0..5_000u32 {
            for c in 0..10u32 {
                s.set_value(
                    CellAddr::new(r, c),
                    Value::Number(Number::from_i64(i64::from(r * c))),
                );
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.xlsx");
        write_new_xlsx(&wb, &path, &path, &Progress::hidden()).unwrap();
        let mut x: Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let data = x.worksheet_range("Big").unwrap();
        assert_eq!(data.get_size(), (5_000, 10));
        assert_eq!(data.get((4_999, 9)), Some(&Data::Float(44_991.0)));
    }
}
