//! What the calamine-backed readers share: loading cells under a size
//! budget, sheet metadata, and the generic range-based reading used for
//! xls and ods.

use super::convert::value_from_owned;
use super::limits::{Limit, OverLimit, ReadLimits};
use super::row_storage::RowStorage;
use crate::error::Error;
use crate::formula::shape::ShapeInterner;
use crate::model::sheet::SheetOrigin;
use crate::model::{Cell, CellAddr, RangeAddr, Sheet, Text, Value, Visibility};
use crate::progress::Progress;
use calamine::{Data, Dimensions, Range, Reader, SheetVisible};
use std::collections::HashSet;
use std::io::{Read, Seek};
use std::path::Path;

/// Loads cells into a sheet while counting the storage they take against
/// the [`ReadLimits`], so a hostile file claiming a huge sheet is refused
/// instead of exhausting memory.
pub(crate) struct CellLoader<'p> {
    path: &'p Path,
    limits: ReadLimits,
    slots: u64,
    text_bytes: u64,
    last_row: u32,
    row_len: u32,
    texts: TextPool,
    /// Rows begun so far.
    rows: u32,
    /// Rows made ready on a helper thread, for a big sheet.
    storage: Option<RowStorage>,
}

/// Rows of a sheet read before its rows are made ready on a helper
/// thread ([`RowStorage`]): a sheet of fewer rows reads in a fraction of
/// a second, where the helper's blocks would only add to the peak memory
/// (12 MB more on a 10k-row ledger).
const ROWS_BEFORE_STORAGE: u32 = 32_768;

/// Cell texts met so far, so cells repeating a text (a customer, a
/// currency, an account in every row of a CSV, xls, ods or xlsb, or the
/// inline strings of an xlsx) share one buffer instead of holding a copy
/// each. Holds at most [`TextPool::MOST`] distinct texts: past that a
/// column of unique texts (invoice numbers) would only grow the pool.
/// Hashed with aHash: quick on short texts, and randomly keyed, so texts
/// crafted to collide cannot make reading slow.
#[derive(Default)]
struct TextPool {
    texts: HashSet<Text, ahash::RandomState>,
}

impl TextPool {
    /// The most distinct texts the pool keeps.
    const MOST: usize = 1 << 16;

    /// An equal text met before, if any; otherwise `text` is kept for
    /// the cells to come (while the pool has room).
    fn met_before(&mut self, text: &Text) -> Option<Text> {
        if let Some(met) = self.texts.get(text.as_str()) {
            return Some(met.clone());
        }
        if self.texts.len() < Self::MOST {
            self.texts.insert(text.clone());
        }
        None
    }
}

impl<'p> CellLoader<'p> {
    /// A loader with an empty budget for the file at `path`.
    pub fn new(path: &'p Path, limits: &ReadLimits) -> Self {
        CellLoader {
            path,
            limits: *limits,
            slots: 0,
            text_bytes: 0,
            last_row: u32::MAX,
            row_len: 0,
            texts: TextPool::default(),
            rows: 0,
            storage: None,
        }
    }

    /// The limits this loader holds the file to.
    pub fn limits(&self) -> &ReadLimits {
        &self.limits
    }

    /// Puts a cell into `sheet` (skipping blank ones), refusing the file
    /// when the workbook grows beyond [`ReadLimits::max_cells`] cells of
    /// storage or [`ReadLimits::max_text_bytes`] of cell text, when one
    /// text or formula is longer than [`ReadLimits::max_string_bytes`], or
    /// when a cell lies outside Excel's grid.
    pub fn load(
        &mut self,
        sheet: &mut Sheet,
        row: u32,
        col: u32,
        mut cell: Cell,
    ) -> crate::Result<()> {
        if cell.is_blank() {
            return Ok(());
        }
        if row >= crate::model::address::MAX_ROWS || col >= crate::model::address::MAX_COLS {
            return Err(Error::unreadable(
                self.path,
                format!(
                    "sheet \"{}\" has a cell outside Excel's grid (row {}, column {})",
                    sheet.name,
                    row as u64 + 1,
                    col as u64 + 1
                ),
            ));
        }
        if row != self.last_row {
            // Rows of a table are as wide as each other: room for the
            // previous row's cells saves growing this one cell by cell.
            let previous_width = if self.last_row == u32::MAX {
                0
            } else {
                self.row_len as usize
            };
            self.last_row = row;
            self.row_len = sheet.row(row).len() as u32;
            self.rows += 1;
            if self.rows == ROWS_BEFORE_STORAGE {
                self.storage = RowStorage::start(previous_width);
            }
            if self.row_len == 0 {
                match self.storage.as_mut().and_then(|s| s.take(previous_width)) {
                    Some(storage) => sheet.give_row_storage(row, storage),
                    None => sheet.reserve_row(row, previous_width),
                }
            }
        }
        if col + 1 > self.row_len {
            self.slots += u64::from(col + 1 - self.row_len);
            self.row_len = col + 1;
            if self.slots > self.limits.max_cells {
                return Err(self.refuse(too_many_cells()));
            }
        }
        let addr = CellAddr::new(row, col);
        let text = cell.value.as_text().map_or(0, str::len) as u64;
        // A shape copied down a column is counted at each of its cells,
        // as when every cell held its text.
        let formula = cell
            .formula
            .as_ref()
            .map_or(0, |f| f.shape().literal().len()) as u64;
        self.check_string(sheet, addr, text)?;
        self.check_string(sheet, addr, formula)?;
        // A shared string is held once however many cells refer to it,
        // but counted once per cell: showing, converting or scripting the
        // cells spends its length once per cell, and this bounds that.
        self.text_bytes += text + formula;
        if self.text_bytes > self.limits.max_text_bytes {
            return Err(self.refuse(OverLimit::new(
                Limit::TextBytes,
                format!(
                    "sheet \"{}\", cell {addr}: the cells up to here hold",
                    sheet.name
                ),
            )));
        }
        if let Value::Text(text) = &cell.value {
            // A text already shared (an xlsx shared string) needs no pool.
            if !text.is_shared() {
                if let Some(met) = self.texts.met_before(text) {
                    cell.value = Value::Text(met);
                }
            }
        }
        sheet.load_cell(addr, cell);
        Ok(())
    }

    /// Refuses the file when a string of `len` bytes at `addr` is longer
    /// than [`ReadLimits::max_string_bytes`]; readers that gather a cell's
    /// text piece by piece call this as it grows.
    pub fn check_string(&self, sheet: &Sheet, addr: CellAddr, len: u64) -> crate::Result<()> {
        if len > self.limits.max_string_bytes {
            return Err(self.refuse(OverLimit::new(
                Limit::StringBytes,
                format!("sheet \"{}\", cell {addr} holds a string of", sheet.name),
            )));
        }
        Ok(())
    }

    /// The refusal of the file for going past a limit.
    pub fn refuse(&self, over: OverLimit) -> Error {
        over.refusal(self.path, &self.limits)
    }

    /// An [`Error::Unreadable`] for the file, about `sheet`.
    pub fn error(&self, sheet: &Sheet, message: impl std::fmt::Display) -> Error {
        Error::unreadable(self.path, format!("sheet \"{}\": {message}", sheet.name))
    }

    /// Starts a new sheet (row tracking restarts).
    pub fn next_sheet(&mut self) {
        self.last_row = u32::MAX;
        self.row_len = 0;
    }
}

/// Gives each named sheet the hidden rows a format's own records tell
/// (calamine does not) and its autoFilter range, so SUBTOTAL and
/// AGGREGATE leave those rows out as Excel does.
pub(crate) fn place_hidden_rows(
    wb: &mut crate::model::Workbook,
    found: impl IntoIterator<Item = (String, crate::model::HiddenRows, Option<RangeAddr>)>,
) {
    for (name, hidden, filter) in found {
        if let Some(sheet) = wb.sheets.iter_mut().find(|s| s.name == name) {
            sheet.hidden_rows = hidden;
            if sheet.auto_filter.is_none() {
                sheet.auto_filter = filter;
            }
        }
    }
}

/// The most bytes writing out the shared and array formulas of an xls or
/// xlsb (which calamine skips) may add to what calamine then reads: far
/// beyond any real workbook, low enough that a small hostile file pointing
/// a whole sheet of cells at one long formula cannot multiply itself into
/// gigabytes.
pub(crate) const FORMULA_EXPANSION_BUDGET: u64 = 256 << 20;

/// The shared and array formulas of an xls or xlsb written out into their
/// cells before calamine reads the file (xls/shared_formulas.rs,
/// xlsb_shared_formulas.rs).
#[derive(Debug, Default)]
pub(crate) struct WrittenOut {
    /// The legacy array formulas, by sheet name: each one's first cell and
    /// the range it was entered over.
    pub arrays: Vec<(String, CellAddr, RangeAddr)>,
    /// For each sheet with formulas left as values: its name, how many
    /// cells, and the first of them.
    pub left_as_values: Vec<(String, usize, CellAddr)>,
}

impl WrittenOut {
    /// Gives each sheet of `wb` its legacy array formulas (the first cell
    /// has the formula; the range is where the result is fitted), and
    /// names in a read note the cells whose shared or array formula could
    /// not be written out.
    pub fn place(self, wb: &mut crate::model::Workbook) {
        place_legacy_arrays(wb, self.arrays);
        for (sheet, count, first) in self.left_as_values {
            let note = unread_formulas_note(
                &sheet,
                count,
                first,
                "point to a shared or array formula the reader could not read",
            );
            wb.read_notes.push(note.clone());
            wb.package_features.push(note);
        }
    }
}

/// Puts right the comparisons of every formula of `wb`, read from an xls
/// or xlsb by calamine 0.38, which decodes PtgGe (0x0C, `>=`) as `>` and
/// PtgGt (0x0D, `>`) as `>=` (MS-XLS 2.5.198.25, the same numbers in
/// MS-XLSB): `=A1>=1` would be computed as `=A1>1`.
pub(crate) fn put_comparisons_right(wb: &mut crate::model::Workbook) {
    let names = wb
        .sheet_names()
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    // calamine writes sheet names unquoted: a `>` in one is no operator.
    let sheets: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| n.contains('>'))
        .collect();
    rewrite_formulas(wb, |formula| comparisons_put_right(formula, &sheets));
    for name in &mut wb.names {
        if let Some(text) = comparisons_put_right(&name.refers_to, &sheets) {
            name.refers_to = text;
        }
    }
}

/// Gives every formula cell of `wb` the formula `change` makes of its
/// formula, where it makes one.
pub(crate) fn rewrite_formulas(
    wb: &mut crate::model::Workbook,
    change: impl Fn(&str) -> Option<String>,
) {
    for sheet in &mut wb.sheets {
        let changed: Vec<_> = sheet
            .cells()
            .filter_map(|(addr, cell)| {
                let text = change(&cell.formula_text(addr)?)?;
                let mut cell = cell.clone();
                cell.formula = Some(text.into());
                Some((addr, cell))
            })
            .collect();
        for (addr, cell) in changed {
            sheet.load_cell(addr, cell);
        }
    }
}

/// `formula` with each `>` written `>=` and each `>=` written `>` outside
/// string literals and the names in `sheets` followed by `!`; `None` when
/// it holds neither.
fn comparisons_put_right(formula: &str, sheets: &[&str]) -> Option<String> {
    if !formula.contains('>') {
        return None;
    }
    let mut out = String::with_capacity(formula.len() + 4);
    let mut in_string = false;
    let mut rest = formula;
    let mut previous = None;
    while let Some(c) = rest.chars().next() {
        if !in_string {
            let sheet = sheets.iter().find(|s| {
                rest.strip_prefix(**s)
                    .is_some_and(|after| after.starts_with('!'))
            });
            if let Some(sheet) = sheet {
                out.push_str(sheet);
                rest = &rest[sheet.len()..];
                previous = None;
                continue;
            }
        }
        let mut len = c.len_utf8();
        match c {
            '"' => {
                in_string = !in_string;
                out.push(c);
            }
            '>' if !in_string && previous != Some('<') => {
                if rest[1..].starts_with('=') {
                    out.push('>');
                    len = 2;
                } else {
                    out.push_str(">=");
                }
            }
            _ => out.push(c),
        }
        previous = Some(c);
        rest = &rest[len..];
    }
    Some(out)
}

/// The range of sheet `sheet`'s `_xlnm._FilterDatabase` name, which xls
/// and xlsb files keep behind an autoFilter.
pub(crate) fn filter_database(wb: &crate::model::Workbook, sheet: &str) -> Option<RangeAddr> {
    wb.names.iter().find_map(|n| {
        let scoped = n.scope.as_deref() == Some(sheet);
        if !scoped || !n.name.eq_ignore_ascii_case("_xlnm._FilterDatabase") {
            return None;
        }
        let (_, range) = n.refers_to.rsplit_once('!')?;
        RangeAddr::parse(range)
    })
}

/// Going past [`ReadLimits::max_cells`].
pub(crate) fn too_many_cells() -> OverLimit {
    OverLimit::new(Limit::Cells, "the workbook holds")
}

/// The model's visibility for calamine's.
pub(crate) fn visibility(v: SheetVisible) -> Visibility {
    match v {
        SheetVisible::Visible => Visibility::Visible,
        SheetVisible::Hidden => Visibility::Hidden,
        SheetVisible::VeryHidden => Visibility::VeryHidden,
    }
}

/// A new model sheet for the `index`-th sheet of the file.
pub(crate) fn new_sheet(meta: &calamine::Sheet, index: usize) -> Sheet {
    let mut sheet = Sheet::new(meta.name.clone());
    sheet.visibility = visibility(meta.visible);
    sheet.origin = Some(SheetOrigin {
        name: meta.name.clone(),
        index,
    });
    sheet
}

/// A model range for calamine dimensions.
pub(crate) fn range_addr(d: &Dimensions) -> RangeAddr {
    RangeAddr::new(
        CellAddr::new(d.start.0, d.start.1),
        CellAddr::new(d.end.0, d.end.1),
    )
}

/// Why a password-protected workbook cannot be read, and what to do;
/// `how` says how it is protected (`encrypted`, `XOR-obfuscated`).
pub(crate) fn password_protected(how: &str) -> String {
    format!("the workbook is password-protected ({how}); remove the password in Excel or LibreOffice and save it again")
}

/// A plain-words reason for a calamine error.
pub(crate) fn reason(e: impl std::fmt::Display) -> String {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        password_protected("encrypted")
    } else {
        format!("the file is damaged or not a valid workbook ({text})")
    }
}

/// Plain-words reason for a sheet that failed to read.
pub(crate) fn sheet_error(path: &Path, sheet: &str, e: impl std::fmt::Display) -> Error {
    Error::unreadable(path, format!("sheet \"{sheet}\": {}", reason(e)))
}

/// Opens `source`, the file at `path` or a copy of it made in memory (an
/// xls or xlsb whose shared formulas were written out), as calamine's `R`,
/// with an empty workbook in the date system `is_1904` reports; `why` says
/// why calamine could not open it.
pub(crate) fn open_reader_from<R, RS>(
    path: &Path,
    source: RS,
    is_1904: fn(&R) -> bool,
    why: fn(R::Error) -> String,
) -> crate::Result<(R, crate::model::Workbook)>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let book: R =
        calamine::open_workbook_from_rs(source).map_err(|e| Error::unreadable(path, why(e)))?;
    let mut wb = crate::model::Workbook::new();
    if is_1904(&book) {
        wb.date_system = crate::model::DateSystem::Excel1904;
    }
    Ok((book, wb))
}

/// Opens `path` as calamine's `R` and reads its sheets into a new
/// workbook in the date system `is_1904` reports: the start every
/// calamine-backed reader shares.
pub(crate) fn open_book<R>(
    path: &Path,
    options: &super::ReadOptions,
    is_1904: fn(&R) -> bool,
) -> crate::Result<(R, crate::model::Workbook)>
where
    R: Reader<std::io::BufReader<std::fs::File>>,
    R::Error: std::fmt::Display,
{
    let file = std::fs::File::open(path)
        .map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
    open_book_from(path, std::io::BufReader::new(file), options, is_1904)
}

/// [`open_book`] over `source`, the file at `path` or a copy of it made in
/// memory.
pub(crate) fn open_book_from<R, RS>(
    path: &Path,
    source: RS,
    options: &super::ReadOptions,
    is_1904: fn(&R) -> bool,
) -> crate::Result<(R, crate::model::Workbook)>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let (mut book, mut wb) = open_reader_from::<R, RS>(path, source, is_1904, reason)?;
    let (sheets, unread_formulas) = read_ranges(
        path,
        &mut book,
        wb.date_system.offset_to_1900(),
        &options.progress,
        &options.limits,
    )?;
    wb.sheets = sheets;
    wb.read_notes.extend(unread_formulas.iter().cloned());
    wb.package_features.extend(unread_formulas);
    Ok((book, wb))
}

/// Gives the sheets the legacy array formulas a file holds that calamine
/// does not tell of (xls Array records, ods matrix formulas): each one's
/// sheet name, first cell (which holds the formula) and the range its
/// result is fitted to. An array whose first cell has no formula is none.
pub(crate) fn place_legacy_arrays(
    wb: &mut crate::model::Workbook,
    arrays: Vec<(String, crate::model::CellAddr, crate::model::RangeAddr)>,
) {
    for (name, first, range) in arrays {
        let Some(sheet) = wb.sheets.iter_mut().find(|s| s.name == name) else {
            continue;
        };
        if sheet.cell(first).is_some_and(|c| c.formula.is_some()) {
            sheet
                .array_formulas
                .insert(first, crate::model::ArrayFormula::legacy(range));
        }
    }
}

/// Reads every worksheet of a calamine reader through its dense value and
/// formula ranges (xls, ods: calamine builds those ranges when it opens
/// the file, so their readers check the file's size first). Returns the sheets in file order;
/// chart, dialog and macro sheets and VBA modules are skipped. `offset`
/// converts 1904-system serials. Also returns a note for each sheet whose
/// formulas could not be read (their values are kept).
pub(crate) fn read_ranges<R, RS>(
    path: &Path,
    book: &mut R,
    offset: f64,
    progress: &Progress,
    limits: &ReadLimits,
) -> crate::Result<(Vec<Sheet>, Vec<String>)>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let metas: Vec<calamine::Sheet> = book.sheets_metadata().to_vec();
    let file_label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut loader = CellLoader::new(path, limits);
    let mut sheets = Vec::with_capacity(metas.len());
    let mut unread_formulas = Vec::new();
    for (index, meta) in metas.iter().enumerate() {
        if meta.typ != calamine::SheetType::WorkSheet {
            continue;
        }
        let mut sheet = new_sheet(meta, index);
        let values = book
            .worksheet_range(&meta.name)
            .map_err(|e| sheet_error(path, &meta.name, e))?;
        if values.get_size().0 as u64 * values.get_size().1 as u64 > limits.max_cells {
            return Err(loader.refuse(too_many_cells()));
        }
        progress.start(
            &format!("Reading {file_label} [{}]", meta.name),
            values.height() as u64,
        );
        load_values(&mut loader, &mut sheet, values, offset, progress)?;
        // The formulas are fetched once the values are loaded and their
        // grid freed: calamine hands each over as a dense copy.
        // A formula failure (a token or record calamine does not know)
        // keeps the values: the cached results are still the file's data,
        // and the lost formulas are named.
        match book.worksheet_formula(&meta.name) {
            Ok(formulas) => {
                if let Some((count, first)) = load_formulas(&mut loader, &mut sheet, &formulas)? {
                    unread_formulas.push(unread_formulas_note(
                        &meta.name,
                        count,
                        first,
                        "hold a formula token the reader does not know",
                    ));
                }
            }
            Err(e) => unread_formulas.push(format!(
                "the formulas of sheet \"{}\" (their values are kept; the reader \
                 stopped on: {e})",
                meta.name
            )),
        }
        sheets.push(sheet);
    }
    Ok((sheets, unread_formulas))
}

fn load_values(
    loader: &mut CellLoader<'_>,
    sheet: &mut Sheet,
    values: Range<Data>,
    offset: f64,
    progress: &Progress,
) -> crate::Result<()> {
    loader.next_sheet();
    let (start_row, start_col) = values.start().unwrap_or((0, 0));
    sheet.reserve_rows(start_row as usize + values.height());
    let mut last_row = 0;
    for (r, c, data) in values.used_cells() {
        if r != last_row {
            progress.inc((r - last_row) as u64);
            last_row = r;
        }
        let value = value_from_owned(data.clone(), offset);
        let cell = Cell {
            value,
            formula: None,
            style: 0,
        };
        loader.load(sheet, start_row + r as u32, start_col + c as u32, cell)?;
    }
    Ok(())
}

/// Gives the cells of `formulas` their formulas; their cells may lie
/// outside the value range when calamine left the cached value empty.
/// Returns how many formulas calamine could not decode (it hands over a
/// sentence in their place, which must never become a formula) and the
/// first of their cells; those cells keep their values.
fn load_formulas(
    loader: &mut CellLoader<'_>,
    sheet: &mut Sheet,
    formulas: &Range<String>,
) -> crate::Result<Option<(usize, CellAddr)>> {
    loader.next_sheet();
    let (fr, fc) = formulas.start().unwrap_or((0, 0));
    let mut shapes = ShapeInterner::default();
    let mut undecoded: Option<(usize, CellAddr)> = None;
    for (r, c, f) in formulas.used_cells() {
        if f.is_empty() {
            continue;
        }
        let addr = CellAddr::new(fr + r as u32, fc + c as u32);
        if f.starts_with(CALAMINE_UNDECODED) {
            undecoded.get_or_insert((0, addr)).0 += 1;
            continue;
        }
        let cell = Cell {
            value: sheet.value(addr).clone(),
            formula: Some(shapes.formula(f.trim_start_matches('='), addr)),
            style: sheet.cell(addr).map_or(0, |c| c.style),
        };
        loader.load(sheet, addr.row, addr.col, cell)?;
    }
    Ok(undecoded)
}

/// What calamine's xls reader hands over instead of a formula it cannot
/// decode: "Unrecognised formula for cell (row, col): error".
const CALAMINE_UNDECODED: &str = "Unrecognised formula for cell";

/// The one wording for formulas a reader could not read, `count` cells of
/// `sheet` from `first` on, which `why`: a read note (the run's values
/// are not what Excel would compute once their inputs change) and a
/// package feature (a new workbook does not carry them).
pub(crate) fn unread_formulas_note(
    sheet: &str,
    count: usize,
    first: CellAddr,
    why: &str,
) -> String {
    format!(
        "{count} formula{} of sheet \"{sheet}\" from {} on, which {why}: their cells keep the \
         values the file saved and are not computed again",
        if count == 1 { "" } else { "s" },
        first.to_a1()
    )
}

/// Sheets that are not worksheets (chart, dialog and Excel 4 macro
/// sheets), named so the writers can say they are not carried: the model
/// holds worksheets only (a macro sheet's cells are a program, not data).
pub(crate) fn skipped_sheet_features(metas: &[calamine::Sheet]) -> Vec<String> {
    metas
        .iter()
        .filter_map(|meta| {
            let kind = match meta.typ {
                calamine::SheetType::ChartSheet => "chart sheet",
                calamine::SheetType::DialogSheet => "dialog sheet",
                calamine::SheetType::MacroSheet => "Excel 4 macro sheet",
                _ => return None,
            };
            Some(format!("{kind} \"{}\"", meta.name))
        })
        .collect()
}

/// Workbook-wide defined names as calamine reports them (xls, xlsb and ods
/// do not tell the sheet scope through calamine).
pub(crate) fn workbook_names(names: &[(String, String)]) -> Vec<crate::model::DefinedName> {
    names
        .iter()
        .map(|(name, refers_to)| crate::model::DefinedName {
            name: name.clone(),
            scope: None,
            refers_to: refers_to.trim_start_matches('=').to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::comparisons_put_right;

    #[test]
    fn comparisons_calamine_transposes_are_put_right() {
        let swap = |f: &str| comparisons_put_right(f, &["a>b"]);
        assert_eq!(swap("A1>1").as_deref(), Some("A1>=1"));
        assert_eq!(swap("A1>=1").as_deref(), Some("A1>1"));
        assert_eq!(
            swap("IF(A1<>B1,\">\",A1<=B1)&(C1>D1)").as_deref(),
            Some("IF(A1<>B1,\">\",A1<=B1)&(C1>=D1)")
        );
        assert_eq!(swap("a>b!A1>=1").as_deref(), Some("a>b!A1>1"));
        assert_eq!(swap("A1<1"), None);
    }
    use super::*;

    #[test]
    fn cells_repeating_a_text_share_one_buffer() {
        let mut loader = CellLoader::new(Path::new("book.csv"), &ReadLimits::default());
        let mut sheet = Sheet::new("Data");
        let text_cell = |s: &str| Cell {
            value: Value::text(String::from(s)),
            ..Cell::default()
        };
        for row in 0..3 {
            loader.load(&mut sheet, row, 0, text_cell("EUR")).unwrap();
            loader
                .load(&mut sheet, row, 1, text_cell(&format!("INV-{row}")))
                .unwrap();
        }
        let text = |row, col| match sheet.value(CellAddr::new(row, col)) {
            Value::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        };
        assert!(text(0, 0).shares_buffer(&text(2, 0)));
        assert_eq!(text(2, 0), "EUR");
        assert_eq!(text(2, 1), "INV-2");
    }
}
