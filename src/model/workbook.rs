//! The workbook: sheets in order, styles, defined names, tables, and where
//! it came from.

use super::address::{CellAddr, RangeAddr};
use super::error::ModelError;
use super::sheet::{RowsLeftOut, Sheet};
use super::style::StyleTable;
use super::value::{date_from_serial, serial_from_date, DateKind, DateValue, MAX_DATE_SERIAL};
use std::path::PathBuf;

/// Which day serial 0 stands for in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateSystem {
    /// Windows Excel: serial 1 is 1900-01-01.
    #[default]
    Excel1900,
    /// Old Mac Excel: serial 0 is 1904-01-01.
    Excel1904,
}

impl DateSystem {
    /// Days to add to a serial in this system to get the 1900-system
    /// serial the model uses.
    pub fn offset_to_1900(self) -> f64 {
        match self {
            DateSystem::Excel1900 => 0.0,
            DateSystem::Excel1904 => 1462.0,
        }
    }

    /// The number this system stores for a date value: a date or
    /// date-time is the model's 1900-system serial counted from this
    /// system's day 0; a time of day or a duration is a length, the same
    /// in both systems (as the readers take them). Formulas in a 1904
    /// workbook compute with these numbers, as Excel does.
    pub fn number_of(self, date: &DateValue) -> f64 {
        match date.kind {
            DateKind::Time | DateKind::Duration => date.serial,
            DateKind::Date | DateKind::DateTime => date.serial - self.offset_to_1900(),
        }
    }

    /// The date value of kind `kind` for a number this system stores: the
    /// inverse of [`DateSystem::number_of`].
    pub fn date_value(self, number: f64, kind: DateKind) -> DateValue {
        let serial = match kind {
            DateKind::Time | DateKind::Duration => number,
            DateKind::Date | DateKind::DateTime => number + self.offset_to_1900(),
        };
        DateValue { serial, kind }
    }

    /// The number this system stores for a 1900-system serial; `None`
    /// before this system's day 0 (a 1904 workbook cannot hold 1903).
    pub fn number_from_serial(self, serial: f64) -> Option<f64> {
        let number = serial - self.offset_to_1900();
        (number >= 0.0).then_some(number)
    }

    /// The model's 1900-system serial of a number this system stores for a
    /// date; `None` for a negative number, which no date has in either
    /// system (Excel shows `####`).
    pub fn serial_of(self, number: f64) -> Option<f64> {
        (number >= 0.0).then(|| number + self.offset_to_1900())
    }

    /// The first date a cell of this system can hold: 1900-01-01, or
    /// 1904-01-01 (Excel shows earlier ones as `####`).
    pub fn first_date(self) -> chrono::NaiveDate {
        let year = match self {
            DateSystem::Excel1900 => 1900,
            DateSystem::Excel1904 => 1904,
        };
        chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date")
    }

    /// Why a cell of this system cannot hold `date` (before its first
    /// date, or after 9999-12-31, Excel's last), or `None` when it can.
    /// The sentence starts with the date: "1890-01-01 is before ...".
    pub fn refuses(self, date: &DateValue) -> Option<String> {
        // Times of day and durations are lengths, in range in any system.
        if matches!(date.kind, DateKind::Time | DateKind::Duration) {
            return None;
        }
        let first = serial_from_date(self.first_date()) as f64;
        let why = if date.serial < first {
            format!(
                "is before {}, the first date {} workbook can hold",
                self.first_date().format("%Y-%m-%d"),
                match self {
                    DateSystem::Excel1900 => "an Excel",
                    DateSystem::Excel1904 => "this 1904-system",
                }
            )
        } else if date.serial >= (MAX_DATE_SERIAL + 1) as f64 {
            "is after 9999-12-31, the last date Excel can hold".to_string()
        } else {
            return None;
        };
        Some(format!("{} {why}", calendar_text(date.serial)))
    }
}

/// The calendar date of a 1900-system serial for messages, also outside
/// the range a cell can hold (where [`date_from_serial`] gives none):
/// counted in whole days from serial 0 or from 9999-12-31, the ends of
/// that range, so Excel's phantom 1900-02-29 is never crossed.
fn calendar_text(serial: f64) -> String {
    let day = serial.floor() as i64;
    let date = date_from_serial(day).or_else(|| {
        let (end, from) = if day < 0 {
            (0, day)
        } else {
            (MAX_DATE_SERIAL, day - MAX_DATE_SERIAL)
        };
        date_from_serial(end)?.checked_add_signed(chrono::Duration::try_days(from)?)
    });
    match date {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => format!("the date of serial {serial}"),
    }
}

/// Excel's iterative calculation (`calcPr iterate="1"`): circular
/// formulas are recomputed up to `max_count` times, stopping once no
/// value changes by more than `max_change`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iteration {
    /// `iterateCount`: at most this many passes (Excel's default 100).
    pub max_count: u32,
    /// `iterateDelta`: the change under which iteration stops (Excel's
    /// default 0.001).
    pub max_change: f64,
}

impl Default for Iteration {
    fn default() -> Iteration {
        Iteration {
            max_count: 100,
            max_change: 0.001,
        }
    }
}

/// The file format a workbook was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Office Open XML workbook.
    Xlsx,
    /// Office Open XML workbook with macros.
    Xlsm,
    /// Excel binary workbook.
    Xlsb,
    /// Excel 97-2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Comma- or semicolon-separated text.
    Csv,
}

impl SourceFormat {
    /// Whether the xlsx package patcher can write this format back.
    pub fn is_ooxml(self) -> bool {
        matches!(self, SourceFormat::Xlsx | SourceFormat::Xlsm)
    }

    /// Lower-case name, as used in file extensions.
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Xlsx => "xlsx",
            SourceFormat::Xlsm => "xlsm",
            SourceFormat::Xlsb => "xlsb",
            SourceFormat::Xls => "xls",
            SourceFormat::Ods => "ods",
            SourceFormat::Csv => "csv",
        }
    }
}

/// Excel's built-in names (`_xlnm.` + the name in xlsx), indexed by the
/// one-character code BIFF and calamine give them in xls files.
pub const BUILTIN_NAMES: [&str; 14] = [
    "Consolidate_Area",
    "Auto_Open",
    "Auto_Close",
    "Extract",
    "Database",
    "Criteria",
    "Print_Area",
    "Print_Titles",
    "Recorder",
    "Data_Form",
    "Auto_Activate",
    "Auto_Deactivate",
    "Sheet_Title",
    "_FilterDatabase",
];

/// A defined name such as `VatRate` referring to `Settings!$B$2`.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinedName {
    /// The name.
    pub name: String,
    /// The sheet the name is local to; `None` for a workbook-wide name.
    pub scope: Option<String>,
    /// What it refers to: formula text without `=`.
    pub refers_to: String,
}

/// An Excel table (ListObject).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Table name, unique in the workbook.
    pub name: String,
    /// Sheet holding the table.
    pub sheet: String,
    /// The whole table including header and totals rows.
    pub range: RangeAddr,
    /// Whether the first row holds column headers.
    pub header_row: bool,
    /// Whether the last row is a totals row.
    pub totals_row: bool,
    /// Column names in order.
    pub columns: Vec<String>,
}

impl Table {
    /// The rows holding data (without header and totals rows).
    pub fn data_range(&self) -> RangeAddr {
        let mut r = self.range;
        if self.header_row {
            r.start.row += 1;
        }
        if self.totals_row {
            r.end.row = r.end.row.saturating_sub(1);
        }
        r
    }

    /// Zero-based position of a column by name (case-insensitive).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.trim().eq_ignore_ascii_case(name.trim()))
    }
}

/// Whether `name` is a name Excel accepts for a table: a letter, `_` or
/// `\` first, then letters, digits, `_` and `.`; not a cell reference.
pub fn valid_table_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '\\');
    first_ok
        && name.chars().count() <= 255
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '\\')
        && CellAddr::parse(name).is_none()
        && !["c", "r"].contains(&name.to_lowercase().as_str())
}

/// Where the workbook was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The file path.
    pub path: PathBuf,
    /// The format detected from the content.
    pub format: SourceFormat,
}

/// A whole workbook.
#[derive(Debug, Clone, Default)]
pub struct Workbook {
    /// Sheets in tab order.
    pub sheets: Vec<Sheet>,
    /// Styles referred to by cells.
    pub styles: StyleTable,
    /// Defined names.
    pub names: Vec<DefinedName>,
    /// Excel tables.
    pub tables: Vec<Table>,
    /// Pivot tables with their caches, as the file saved them (xlsx only;
    /// GETPIVOTDATA reads them).
    pub pivot_tables: Vec<super::PivotTable>,
    /// Date system of the source file (the model always holds 1900-system
    /// serials; this tells writers what to convert back to).
    pub date_system: DateSystem,
    /// The file this workbook was read from, if any.
    pub source: Option<Source>,
    /// Features the source file holds that the model does not (charts,
    /// pivot tables, comments, macros...): carried by the xlsx patcher,
    /// named in a warning by any other writer.
    pub package_features: Vec<String>,
    /// Whether sheets, names or tables were added, removed or renamed since
    /// the file was read (the patcher must then rewrite the workbook part).
    pub structure_changed: bool,
    /// Names of tables the run removed with [`Workbook::remove_table`]: the
    /// xlsx patcher drops their parts. A table the file has but the model
    /// lacks for another reason (a reader that skipped it) is kept.
    pub removed_tables: Vec<String>,
    /// What the reader left out or decided that the user should hear of,
    /// in one line each (a CSV's title lines skipped above its header).
    pub read_notes: Vec<String>,
    /// The document's language as its properties name it (`cs-CZ`), when
    /// they do: a script's text order when no `--locale` is given.
    pub language: Option<String>,
    /// Other workbooks its formulas refer to (`[1]Rates!B2`), with the
    /// values Excel saved from them; `[n]` is position n-1.
    pub external_books: Vec<super::ExternalBook>,
    /// Iterative calculation, when the file was saved with it on: cycles
    /// are then computed by iteration instead of being errors.
    pub iteration: Option<Iteration>,
}

impl Workbook {
    /// Whether `row` (zero-based) of sheet `sheet` (an index) is left out
    /// of SUBTOTAL-like functions under `rule`. The file does not say why
    /// a row is hidden; a hidden row under the header of the sheet's
    /// autoFilter or among a table's data rows is taken as filtered out,
    /// since Excel hides rows there when filtering, and any other hidden
    /// row as hidden by hand.
    pub fn row_left_out(&self, sheet: usize, row: u32, rule: RowsLeftOut) -> bool {
        let Some(s) = self.sheets.get(sheet) else {
            return false;
        };
        if rule == RowsLeftOut::None || !s.hidden_rows.contains(row) {
            return false;
        }
        rule == RowsLeftOut::Hidden
            || s.auto_filter
                .is_some_and(|f| f.start.row < row && row <= f.end.row)
            || self.tables.iter().any(|t| {
                t.header_row && t.sheet.eq_ignore_ascii_case(&s.name) && {
                    let data = t.data_range();
                    data.start.row <= row && row <= data.end.row
                }
            })
    }

    /// An empty workbook with no sheets.
    pub fn new() -> Workbook {
        Workbook::default()
    }

    /// Why Excel would not accept `table` in this workbook: a name Excel
    /// does not allow for a table, the name of a defined name, or a range
    /// overlapping another table on its sheet. `None` when it would.
    pub fn table_problem(&self, table: &Table) -> Option<ModelError> {
        if !valid_table_name(&table.name) {
            return Some(ModelError::BadTableName(table.name.clone()));
        }
        if self
            .names
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(&table.name))
        {
            return Some(ModelError::TableNamedLikeAName(table.name.clone()));
        }
        let other = self.tables.iter().find(|o| {
            !std::ptr::eq(*o, table)
                && o.sheet.eq_ignore_ascii_case(&table.sheet)
                && o.range.intersects(&table.range)
        })?;
        Some(ModelError::TablesOverlap {
            table: table.name.clone(),
            range: table.range.to_a1(),
            other: other.name.clone(),
            other_range: other.range.to_a1(),
            sheet: table.sheet.clone(),
        })
    }

    /// Makes a block of a sheet an Excel table, after checking that Excel
    /// would accept it. Its column names come from its header cells when
    /// it is written.
    pub fn add_table(&mut self, table: Table) -> Result<(), ModelError> {
        if self.sheet(&table.sheet).is_none() {
            return Err(ModelError::NoSheet(table.sheet.clone()));
        }
        if self.table(&table.name).is_some() {
            return Err(ModelError::TableExists(table.name.clone()));
        }
        if self
            .removed_tables
            .iter()
            .any(|t| t.eq_ignore_ascii_case(&table.name))
        {
            return Err(ModelError::TableRemovedThisRun(table.name.clone()));
        }
        if table.header_row && table.range.start.row == table.range.end.row {
            return Err(ModelError::TableNeedsRows(table.name.clone()));
        }
        if let Some(problem) = self.table_problem(&table) {
            return Err(problem);
        }
        self.tables.push(table);
        self.structure_changed = true;
        Ok(())
    }

    /// Removes the table with this name (case-insensitive); its cells stay.
    pub fn remove_table(&mut self, name: &str) -> Result<Table, ModelError> {
        let i = self
            .tables
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| ModelError::NoTable(name.to_string()))?;
        let removed = self.tables.remove(i);
        self.removed_tables.push(removed.name.clone());
        self.structure_changed = true;
        Ok(removed)
    }

    /// The sheet with this name (case-insensitive, as Excel compares).
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheet_index(name).map(|i| &self.sheets[i])
    }

    /// The sheet with this name, for editing.
    pub fn sheet_mut(&mut self, name: &str) -> Option<&mut Sheet> {
        self.sheet_index(name).map(move |i| &mut self.sheets[i])
    }

    /// Position of the sheet with this name (case-insensitive).
    pub fn sheet_index(&self, name: &str) -> Option<usize> {
        // Called for every cell a script or formula addresses by sheet
        // name: ASCII names compare without allocating.
        let name = name.trim();
        self.sheets.iter().position(|s| {
            s.name.eq_ignore_ascii_case(name)
                || (!name.is_ascii() && s.name.to_lowercase() == name.to_lowercase())
        })
    }

    /// Sheet names in tab order.
    pub fn sheet_names(&self) -> Vec<&str> {
        self.sheets.iter().map(|s| s.name.as_str()).collect()
    }

    /// Table names in the order the tables were read or added.
    pub fn table_names(&self) -> Vec<&str> {
        self.tables.iter().map(|t| t.name.as_str()).collect()
    }

    /// Adds an empty sheet at the end and returns its index.
    pub fn add_sheet(&mut self, name: &str) -> Result<usize, ModelError> {
        validate_sheet_name(name)?;
        if self.sheet_index(name).is_some() {
            return Err(ModelError::SheetExists(name.to_string()));
        }
        self.sheets.push(Sheet::new(name));
        self.structure_changed = true;
        Ok(self.sheets.len() - 1)
    }

    /// Removes a sheet by name.
    pub fn remove_sheet(&mut self, name: &str) -> Result<Sheet, ModelError> {
        let i = self
            .sheet_index(name)
            .ok_or_else(|| ModelError::NoSheet(name.to_string()))?;
        if self.sheets.len() == 1 {
            return Err(ModelError::LastSheet);
        }
        let removed = self.sheets.remove(i);
        self.tables.retain(|t| t.sheet != removed.name);
        self.pivot_tables.retain(|p| p.sheet != removed.name);
        self.names
            .retain(|n| n.scope.as_deref() != Some(&removed.name));
        self.structure_changed = true;
        Ok(removed)
    }

    /// Renames a sheet in the sheet list, its tables and name scopes.
    /// Formula text that refers to the sheet is rewritten by the formula
    /// module (`formula::rename_sheet`), which calls this.
    pub fn rename_sheet_entry(&mut self, old: &str, new: &str) -> Result<(), ModelError> {
        validate_sheet_name(new)?;
        let i = self
            .sheet_index(old)
            .ok_or_else(|| ModelError::NoSheet(old.to_string()))?;
        if let Some(j) = self.sheet_index(new) {
            if j != i {
                return Err(ModelError::SheetExists(new.to_string()));
            }
        }
        let old_name = std::mem::replace(&mut self.sheets[i].name, new.to_string());
        for t in &mut self.tables {
            if t.sheet == old_name {
                t.sheet = new.to_string();
            }
        }
        for p in &mut self.pivot_tables {
            if p.sheet == old_name {
                p.sheet = new.to_string();
            }
        }
        for n in &mut self.names {
            if n.scope.as_deref() == Some(old_name.as_str()) {
                n.scope = Some(new.to_string());
            }
        }
        self.structure_changed = true;
        Ok(())
    }

    /// The table with this name (case-insensitive).
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
    }

    /// The defined name visible from `sheet` (a sheet-scoped name wins
    /// over a workbook-wide one).
    pub fn defined_name(&self, name: &str, sheet: Option<&str>) -> Option<&DefinedName> {
        let matches = |n: &&DefinedName| n.name.eq_ignore_ascii_case(name.trim());
        sheet
            .and_then(|s| {
                self.names.iter().filter(matches).find(|n| {
                    n.scope
                        .as_deref()
                        .is_some_and(|sc| sc.eq_ignore_ascii_case(s))
                })
            })
            .or_else(|| {
                self.names
                    .iter()
                    .filter(matches)
                    .find(|n| n.scope.is_none())
            })
    }

    /// Records that this workbook is what the file at `source` holds: the
    /// model owns the "changed since read" state, so the readers, which
    /// build the workbook through the same methods a script uses (and so
    /// raise [`Workbook::structure_changed`]), clear it here and nowhere else.
    pub fn mark_as_read(&mut self, source: Source) {
        self.source = Some(source);
        self.structure_changed = false;
    }

    /// Whether anything changed since the file was read.
    pub fn is_changed(&self) -> bool {
        self.structure_changed || self.sheets.iter().any(Sheet::is_changed)
    }
}

/// The package feature a VBA project is named by in
/// [`Workbook::package_features`].
pub const VBA_MACROS: &str = "VBA macros";

/// Checks a sheet name against Excel's rules: 1-31 characters, none of
/// `: \ / ? * [ ]`, not starting or ending with `'`, not `History`.
pub fn validate_sheet_name(name: &str) -> Result<(), ModelError> {
    if name.is_empty() {
        return Err(ModelError::EmptySheetName);
    }
    if name.chars().count() > 31 {
        return Err(ModelError::SheetNameTooLong(name.to_string()));
    }
    if let Some(c) = name.chars().find(|c| ":\\/?*[]".contains(*c)) {
        return Err(ModelError::SheetNameCharacter {
            name: name.to_string(),
            character: c,
        });
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return Err(ModelError::SheetNameApostrophe(name.to_string()));
    }
    if name.eq_ignore_ascii_case("history") {
        return Err(ModelError::ReservedSheetName);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hidden_rows_under_a_filter_or_in_a_table_count_as_filtered() {
        use super::*;
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let s = &mut wb.sheets[0];
        for row in [0, 2, 5, 11] {
            s.hidden_rows.hide(row);
        }
        s.auto_filter = RangeAddr::parse("A1:C4");
        wb.tables.push(Table {
            name: "T".into(),
            sheet: "data".into(),
            range: RangeAddr::parse("E10:F13").unwrap(),
            header_row: true,
            totals_row: true,
            columns: vec!["a".into(), "b".into()],
        });
        let out = |row, rule| wb.row_left_out(0, row, rule);
        assert!(out(2, RowsLeftOut::Filtered));
        assert!(out(11, RowsLeftOut::Filtered));
        // The header row and rows past the filter were hidden by hand.
        assert!(!out(0, RowsLeftOut::Filtered));
        assert!(!out(5, RowsLeftOut::Filtered));
        assert!(out(5, RowsLeftOut::Hidden));
        assert!(!out(1, RowsLeftOut::Hidden));
        assert!(!out(2, RowsLeftOut::None));
        assert!(!wb.row_left_out(7, 2, RowsLeftOut::Hidden));
    }

    #[test]
    fn each_date_system_names_the_dates_it_cannot_hold() {
        use super::DateSystem;
        use crate::model::DateValue;
        let date =
            |y, m, d| DateValue::from_date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let sys1900 = DateSystem::Excel1900;
        assert_eq!(
            sys1900.refuses(&date(1890, 1, 1)).unwrap(),
            "1890-01-01 is before 1900-01-01, the first date an Excel workbook can hold"
        );
        assert_eq!(
            sys1900.refuses(&date(1899, 12, 31)).unwrap()[..10],
            *"1899-12-31"
        );
        assert_eq!(sys1900.refuses(&date(1900, 1, 1)), None);
        assert_eq!(sys1900.refuses(&date(9999, 12, 31)), None);
        assert_eq!(
            sys1900.refuses(&date(10000, 1, 1)).unwrap(),
            "+10000-01-01 is after 9999-12-31, the last date Excel can hold"
        );
        let sys1904 = DateSystem::Excel1904;
        assert_eq!(
            sys1904.refuses(&date(1903, 12, 31)).unwrap(),
            "1903-12-31 is before 1904-01-01, the first date this 1904-system workbook can hold"
        );
        assert_eq!(sys1904.refuses(&date(1904, 1, 1)), None);
        assert_eq!(sys1904.number_of(&date(1904, 1, 1)), 0.0);
        assert_eq!(sys1904.serial_of(0.0), Some(1462.0));
        assert_eq!(sys1904.serial_of(-1.0), None);
        assert_eq!(sys1904.number_from_serial(1461.0), None);
    }

    use super::*;

    #[test]
    fn sheets_are_added_renamed_and_removed_by_rule() {
        let mut wb = Workbook::new();
        wb.add_sheet("Invoices").unwrap();
        wb.add_sheet("Summary").unwrap();
        assert!(wb.add_sheet("invoices").is_err());
        assert!(wb.add_sheet("a/b").is_err());
        wb.rename_sheet_entry("summary", "Totals 2026").unwrap();
        assert_eq!(wb.sheet_names(), vec!["Invoices", "Totals 2026"]);
        wb.remove_sheet("Invoices").unwrap();
        assert!(wb.remove_sheet("Totals 2026").is_err());
    }

    #[test]
    fn table_names_follow_excels_rules() {
        assert!(valid_table_name("Sales_2026") && valid_table_name("_t.x"));
        assert!(!valid_table_name("A1") && !valid_table_name("2x") && !valid_table_name("a b"));
        assert!(!valid_table_name("R") && !valid_table_name(""));
    }

    #[test]
    fn tables_are_added_only_where_excel_would_accept_them() {
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let table = |name: &str, range: &str| Table {
            name: name.into(),
            sheet: "Data".into(),
            range: RangeAddr::parse(range).unwrap(),
            header_row: true,
            totals_row: false,
            columns: Vec::new(),
        };
        wb.add_table(table("Sales", "A1:C10")).unwrap();
        assert!(wb.structure_changed);
        let mut read = wb.clone();
        read.mark_as_read(super::Source {
            path: "in.xlsx".into(),
            format: crate::model::SourceFormat::Xlsx,
        });
        assert!(!read.structure_changed && !read.is_changed());
        assert_eq!(read.source.map(|s| s.path), Some("in.xlsx".into()));
        let overlap = wb.add_table(table("Costs", "C5:D9")).unwrap_err();
        assert!(
            overlap.to_string().contains("overlaps table \"Sales\""),
            "{overlap}"
        );
        assert!(wb
            .add_table(table("sales", "F1:G3"))
            .unwrap_err()
            .to_string()
            .contains("already"));
        assert!(wb
            .add_table(table("B2", "F1:G3"))
            .unwrap_err()
            .to_string()
            .contains("not a name"));
        assert!(wb
            .add_table(table("Costs", "F1:G1"))
            .unwrap_err()
            .to_string()
            .contains("header row"));
        wb.remove_table("Sales").unwrap();
        assert!(wb
            .add_table(table("Sales", "A1:C10"))
            .unwrap_err()
            .to_string()
            .contains("removed"));
        wb.add_table(table("Costs", "C5:D9")).unwrap();
    }
}
