//! Script errors in words a person can act on: the typed failures of the
//! book, tables and values (each message written once, here), and their
//! rendering as `file:line:column`, the line itself, a caret under the
//! spot, and a plain sentence.

use super::suggest::{unknown, unknown_listing};
use crate::model::RangeAddr;
use rhai::{EvalAltResult, Position};
use std::time::Duration;

/// What a book, table or value operation of a script could not do. The
/// API turns it into the script's error (see the `From` below), so the
/// wording lives only here.
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    /// A name that matches nothing of its kind (sheet, table, column,
    /// defined name), listing the candidates and the closest.
    #[error("{}", unknown(what, name, &as_strs(candidates)))]
    Unknown {
        /// What was looked up: "sheet", "column"...
        what: &'static str,
        /// The name given.
        name: String,
        /// The names there are.
        candidates: Vec<String>,
    },
    /// A range operation that would touch more cells than a run may (a
    /// whole sheet beside a stray cell at XFD1048576).
    #[error("{what} over {sheet}!{range} would touch {cells} cells, more than the limit of {limit}; name a smaller range")]
    RangeTooLarge {
        /// The call: "values", "fill_formula"...
        what: &'static str,
        /// The sheet.
        sheet: String,
        /// The range as clipped to the sheet's used cells.
        range: RangeAddr,
        /// How many cells it holds.
        cells: u64,
        /// The most cells one operation may touch.
        limit: u64,
    },
    /// A name that is neither a table nor a sheet.
    #[error("{}{}", unknown_listing("table or sheet", "sheets", name, &as_strs(sheets)), tables_listing(tables))]
    NoTableOrSheet {
        /// The name given.
        name: String,
        /// The sheets there are.
        sheets: Vec<String>,
        /// The Excel tables there are.
        tables: Vec<String>,
    },
    /// A column a table does not have.
    #[error("table {table}: {}", unknown("column", name, &as_strs(columns)))]
    NoColumn {
        /// The table's name.
        table: String,
        /// The column asked for.
        name: String,
        /// The table's columns.
        columns: Vec<String>,
    },
    /// A handle on a sheet the script removed.
    #[error("this sheet was removed earlier in the script")]
    SheetRemoved,
    /// A write into an attached workbook.
    #[error("the attached workbook \"{0}\" is read-only; write results into the main workbook")]
    ReadOnly(String),
    /// An address without a sheet where no sheet is implied.
    #[error("\"{text}\" does not say which sheet; write it as 'Sheet'!{addr} or use sheet(\"...\").range(\"{addr}\")")]
    NoSheetSaid {
        /// The reference as written.
        text: String,
        /// Its address part.
        addr: String,
    },
    /// A defined name whose target does not resolve.
    #[error("the name {name} refers to {refers}: {source}")]
    InDefinedName {
        /// The defined name.
        name: String,
        /// What it refers to.
        refers: String,
        /// Why that does not resolve.
        source: Box<ScriptError>,
    },
    /// Text that is no reference at all, in a workbook without names.
    #[error("\"{0}\" is not a cell, range, defined name or table")]
    NotAReference(String),
    /// A table write onto data the script did not write.
    #[error("{what} would replace data on sheet \"{sheet}\" ({}{}) that the script was not asked to change; \
             write to an empty place, or call allow_overwrite() first to replace it",
             cells.join(", "), if *more { ", ..." } else { "" })]
    WouldOverwrite {
        /// The call that would write.
        what: String,
        /// The sheet.
        sheet: String,
        /// The first cells holding data.
        cells: Vec<String>,
        /// Whether there are more such cells.
        more: bool,
    },
    /// A date the workbook's date system cannot show.
    #[error("{cell}: {why}; to keep it, write it as text (cell = d.to_string())")]
    UnshowableDate {
        /// The cell, `Sheet!A1`.
        cell: String,
        /// Why the date system refuses it.
        why: String,
    },
    /// An empty formula.
    #[error("a formula cannot be empty")]
    EmptyFormula,
    /// A column width Excel does not allow.
    #[error("column width {0} is outside Excel's 0 to 255")]
    WidthOutOfRange(f64),
    /// A table that formulas still name.
    #[error("formulas refer to table \"{table}\" by name ({cell}: ={formula}); removing the table would break them")]
    TableInUse {
        /// The table.
        table: String,
        /// The first cell whose formula names it.
        cell: String,
        /// That formula.
        formula: String,
    },
    /// What the workbook or its formula engine refused, in its words.
    #[error(transparent)]
    Workbook(#[from] crate::Error),
    /// What the workbook model refused (a table Excel would not accept,
    /// a sheet name it does not allow), in the model's words.
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    /// A script value no cell can hold.
    #[error("cannot put {0} into a cell (use a number, text, date, true/false or ())")]
    NotACellValue(String),
    /// A cell value where a number is needed; `found` says what it is.
    #[error("expected a number, found {found}")]
    NotANumber {
        /// `text "abc"`, `TRUE`, `the error #N/A`.
        found: String,
    },
    /// A cell value where a date is needed.
    #[error("expected a date, found {found}")]
    NotADate {
        /// `the number 5.5`, `text "abc"`...
        found: String,
    },
    /// A date serial outside Excel's calendar.
    #[error("date serial {0} is out of Excel's range")]
    SerialOutOfRange(f64),
    /// A number beyond exact decimal arithmetic.
    #[error("the number {0} is too large for exact arithmetic")]
    TooLarge(crate::model::Number),
    /// A failure at one place (a cell, or a row of a computed column).
    #[error("{place}: {source}")]
    At {
        /// `Invoices!E17` or `row 3 of column "Net"`.
        place: String,
        /// What went wrong there.
        source: Box<ScriptError>,
    },
    /// A division by zero in column arithmetic.
    #[error("division by zero")]
    DivisionByZero,
    /// Average of a column with nothing in it.
    #[error("column \"{0}\" has no values to average")]
    NothingToAverage(String),
    /// An average beyond the number range.
    #[error("the average is out of range")]
    AverageOutOfRange,
    /// Column arithmetic on columns of different lengths.
    #[error(
        "columns \"{left}\" ({left_len} rows) and \"{right}\" ({right_len} rows) differ in length"
    )]
    LengthsDiffer {
        /// The left column.
        left: String,
        /// Its length.
        left_len: usize,
        /// The right column.
        right: String,
        /// Its length.
        right_len: usize,
    },
    /// A column set into a table of another length.
    #[error("column \"{column}\" has {values} values but table {table} has {rows} rows")]
    ColumnLength {
        /// The column.
        column: String,
        /// Its number of values.
        values: usize,
        /// The table.
        table: String,
        /// The table's rows.
        rows: usize,
    },
    /// A sheet with nothing on it where a table was wanted.
    #[error("sheet {0} is empty")]
    EmptySheet(String),
    /// A sheet without a header row.
    #[error("sheet {0} has no header row")]
    NoHeaderRow(String),
    /// A sheet without a row holding the wanted headers.
    #[error("sheet {sheet} has no row with the headers {}", headers.join(", "))]
    NoRowWithHeaders {
        /// The sheet.
        sheet: String,
        /// The headers wanted.
        headers: Vec<String>,
    },
    /// A summary spec that is not one.
    #[error("\"{0}\" is not a summary; write e.g. \"sum Net\", \"count\", \"average Net\", \"min Due Date\", \"max Net as Largest\"")]
    NotASummary(String),
    /// A summary other than count without a column.
    #[error("\"{spec}\" needs a column, e.g. \"{op} Net\"")]
    SummaryNeedsColumn {
        /// The summary as written.
        spec: String,
        /// Its operation word.
        op: String,
    },
    /// A pivot whose rows times columns would be more cells than one
    /// range operation may touch (a distinct key on every row, both
    /// ways).
    #[error("pivot would make at least {rows} rows of {columns} columns, more than the limit of {limit} cells; pivot on columns with fewer distinct values")]
    PivotTooLarge {
        /// The rows made so far.
        rows: usize,
        /// The columns of each row.
        columns: usize,
        /// The most cells.
        limit: u64,
    },
    /// A pivot value missing from the columns given.
    #[error("pivot: {cell} holds \"{value}\", which is not among the columns given")]
    PivotValueNotListed {
        /// Where the value is.
        cell: String,
        /// The value.
        value: String,
    },
    /// `save` of a table that was not read from a sheet.
    #[error("table {0} was not read from a sheet; write it with write_table(...) instead")]
    NotFromSheet(String),
    /// No room right of a table for a new column.
    #[error("sheet \"{0}\" has no free column right of the table for a new column")]
    NoFreeColumn(String),
    /// A `--set` value that could be read more than one way.
    #[error("{0}")]
    Ambiguous(String),
    /// A `--set` date such as 1/2/2026.
    #[error("\"{0}\" could be day/month or month/day: write the date as 2026-11-30 or 30.11.2026")]
    DayOrMonth(String),
}

/// A book, table or value operation's result.
pub type ScriptResult<T> = Result<T, ScriptError>;

impl ScriptError {
    /// This error, said to have happened at `place`.
    pub fn at(self, place: impl Into<String>) -> ScriptError {
        ScriptError::At {
            place: place.into(),
            source: Box::new(self),
        }
    }
}

/// The one place a typed failure becomes the script's error.
impl From<ScriptError> for Box<EvalAltResult> {
    fn from(e: ScriptError) -> Self {
        e.to_string().into()
    }
}

fn as_strs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

/// `; the tables are: A, B` when there are tables.
fn tables_listing(tables: &[String]) -> String {
    if tables.is_empty() {
        String::new()
    } else {
        format!("; the tables are: {}", tables.join(", "))
    }
}

/// The error of a native call that would build a list of `values`
/// values (lists within it counted too, as the script engine counts
/// them) past the script's list limit of `limit`: refused before it is
/// built, and like the engine's own size errors no `try` can catch it.
/// `what` names the call, such as `values("Data!A:P")`.
pub fn list_too_large(what: &str, values: u64, limit: usize) -> Box<EvalAltResult> {
    EvalAltResult::ErrorDataTooLarge(
        format!(
            "{what} would make a list of {values} values, more than the limit of {limit} a \
             script's lists may hold (lists within lists count together); name a smaller \
             range, or let a formula add it up (calc(\"=SUM(...)\"))"
        ),
        Position::NONE,
    )
    .into()
}

/// The limits a message about a run's stop names.
#[derive(Debug, Clone, Copy)]
pub struct Stops {
    /// The run's time limit.
    pub timeout: Option<Duration>,
    /// The most values in a list.
    pub max_array_size: usize,
    /// The most keys in a map.
    pub max_map_size: usize,
    /// The most bytes in a text.
    pub max_string_size: usize,
}

impl Stops {
    /// The limits of a run with these options.
    pub fn of(options: &super::ScriptOptions) -> Stops {
        Stops {
            timeout: options.timeout,
            max_array_size: options.limits.max_array_size,
            max_map_size: options.limits.max_map_size,
            max_string_size: options.limits.max_string_size,
        }
    }
}

/// The sentence for the script engine's own size errors (which say only
/// "Size of array/BLOB"), naming the limit; ours pass as they are.
fn too_large(what: &str, stops: Option<&Stops>) -> String {
    let limit =
        |pick: fn(&Stops) -> usize| stops.map_or(String::new(), |s| format!(" of {}", pick(s)));
    match what {
        "Size of array/BLOB" => format!(
            "stopped: a list grew past the limit{} values a script's lists may hold (lists \
             within lists count together)",
            limit(|s| s.max_array_size)
        ),
        "Size of object map" => format!(
            "stopped: a map grew past the limit{} keys a script's maps may hold (maps within \
             maps count together)",
            limit(|s| s.max_map_size)
        ),
        "Length of string" => format!(
            "stopped: a text grew past the limit{} bytes a script's texts may hold",
            limit(|s| s.max_string_size)
        ),
        ours => format!("stopped: {ours}"),
    }
}

/// Renders a parse or run error of the script `file` (its text is
/// `source`); `stops` gives the limits its message names.
pub fn render_error(e: &EvalAltResult, file: &str, source: &str, stops: &Stops) -> String {
    let (pos, message) = describe(e, Some(stops));
    let (Some(line), Some(col)) = (pos.line(), pos.position().or(Some(1))) else {
        return format!("{file}: {message}");
    };
    at_line(file, source, line, col, &message)
}

/// `file:line:col: message`, then the line of `source` and a caret under
/// the column (1-based, counted in characters).
pub fn at_line(file: &str, source: &str, line: usize, col: usize, message: &str) -> String {
    let text = source.lines().nth(line.saturating_sub(1));
    with_line(file, text, line, col, message)
}

/// Like [`at_line`], given the line's text (`None` past the end).
pub fn with_line(file: &str, text: Option<&str>, line: usize, col: usize, message: &str) -> String {
    let mut out = format!("{file}:{line}:{col}: {message}");
    if let Some(text) = text {
        let number = line.to_string();
        let pad = " ".repeat(number.len());
        let caret_pad: String = text
            .chars()
            .take(col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!("\n {number} | {text}\n {pad} | {caret_pad}^"));
    }
    out
}

/// The plain sentence for an error, without its position.
pub fn message(e: &EvalAltResult) -> String {
    describe(e, None).1
}

/// The position to show and the sentence for an error, looking through
/// calls of the script's own functions to where it really happened.
fn describe(e: &EvalAltResult, stops: Option<&Stops>) -> (Position, String) {
    use EvalAltResult as E;
    match e {
        E::ErrorInFunctionCall(name, src, inner, pos) => {
            let (ipos, msg) = describe(inner, stops);
            if src.is_empty() && !ipos.is_none() {
                (ipos, msg)
            } else if !src.is_empty() {
                (*pos, format!("in {name} (from {src}): {msg}"))
            } else {
                (*pos, msg)
            }
        }
        E::ErrorInModule(name, inner, pos) => {
            let (_, msg) = describe(inner, stops);
            (*pos, format!("in module {name}: {msg}"))
        }
        E::ErrorTerminated(token, pos) if token.to_string() == super::TIMEOUT_TOKEN => {
            let secs = stops.and_then(|s| s.timeout).map_or(0, |t| t.as_secs());
            (*pos, format!("stopped: the script ran longer than the time limit of {secs} s (--timeout); it was here"))
        }
        E::ErrorTooManyOperations(pos) => (*pos, "stopped: the script did more operations than allowed; is there an endless loop?".into()),
        E::ErrorStackOverflow(pos) => (*pos, "stopped: functions call each other too deeply; is there endless recursion?".into()),
        E::ErrorDataTooLarge(what, pos) => (*pos, too_large(what, stops)),
        E::ErrorFunctionNotFound(sig, pos) => (*pos, function_not_found(sig)),
        E::ErrorVariableNotFound(name, pos) => (*pos, format!("there is no variable \"{name}\" (if it is a parameter, give it with --set {name}=...)")),
        E::ErrorModuleNotFound(name, pos) => (*pos, format!("cannot import \"{name}\": modules load only from the --lib folders")),
        E::ErrorParsing(kind, pos) => (*pos, format!("syntax error: {kind}")),
        E::ErrorArithmetic(msg, pos) => (*pos, format!("arithmetic error: {msg}")),
        other => (other.position(), plain_error(other)),
    }
}

fn type_word(t: &str) -> &str {
    let t = t.trim();
    if t.contains("ImmutableString") || t.contains("&str") {
        return "text";
    }
    match t {
        "string" | "&str" | "ImmutableString" => "text",
        "decimal" | "rust_decimal::Decimal" | "Decimal" => "a number",
        "i64" | "INT" => "a whole number",
        "()" => "an empty value",
        "bool" => "true/false",
        "array" => "a list",
        "map" => "a map",
        other => other.rsplit("::").next().unwrap_or(other),
    }
}

/// `* (string, decimal)` becomes "cannot use * with text and a number".
fn function_not_found(sig: &str) -> String {
    let (name, args) = match sig.split_once(" (") {
        Some((n, a)) => (n.trim(), a.trim_end_matches(')')),
        None => (sig.trim(), ""),
    };
    let types: Vec<&str> = if args.is_empty() {
        Vec::new()
    } else {
        args.split(',').map(type_word).collect()
    };
    if name.starts_with("..") {
        return format!(
            "a range needs whole numbers, found {} (cell numbers are decimals: use .to_int(), e.g. 1..=n.to_int())",
            types.join(" and ")
        );
    }
    let is_op = name.chars().all(|c| "+-*/%<>=!&|^".contains(c));
    if is_op && !types.is_empty() {
        return format!(
            "cannot use {name} with {} (is a cell empty or holding text where a number is expected?)",
            types.join(" and ")
        );
    }
    if types.is_empty() {
        format!("there is no function {name}() (see `sheetscript functions`)")
    } else {
        format!(
            "there is no function {name} taking {} (see `sheetscript functions`)",
            types.join(", ")
        )
    }
}

/// An error's message without its position (the caller adds its own).
pub fn plain_error(e: &EvalAltResult) -> String {
    match e {
        EvalAltResult::ErrorRuntime(d, _) => d.to_string(),
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => plain_error(inner),
        other => {
            let s = other.to_string();
            match s.rfind(" (line ") {
                Some(p) => s[..p].to_string(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_errors_are_explained() {
        assert_eq!(
            function_not_found("* (string, rust_decimal::Decimal)"),
            "cannot use * with text and a number (is a cell empty or holding text where a number is expected?)"
        );
        assert!(function_not_found("frobnicate (i64)").contains("no function frobnicate"));
    }
}
