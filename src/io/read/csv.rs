//! CSV as back offices produce it: `,` or `;` delimited, decimal comma or
//! point, UTF-8 (with or without BOM) or Windows-1250/1252, ISO and
//! `d.m.yyyy` dates. One sheet named after the file.

use super::calamine_common::CellLoader;
use super::limits::{Limit, OverLimit, ReadLimits};
use super::{CsvOptions, ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::number_text::{parse_with_mark, DecimalMark};
use crate::model::sheet::SheetOrigin;
use crate::model::{Cell, DateKind, DateValue, Number, Sheet, Style, Value, Workbook};
use chrono::{NaiveDate, NaiveDateTime};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1250, WINDOWS_1252};
use std::borrow::Cow;
use std::path::Path;

/// Reader for comma/semicolon separated text.
pub(crate) struct CsvReader;

impl WorkbookReader for CsvReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let size = std::fs::metadata(path)
            .map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?
            .len();
        // The file is read whole, and its text is the cells' text.
        if size > options.limits.max_text_bytes {
            return Err(OverLimit::new(Limit::TextBytes, "the CSV file holds")
                .refusal(path, &options.limits));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
        let name = sheet_name_for(path);
        options.progress.start(
            &format!(
                "Reading {}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
            0,
        );
        let mut loader = CellLoader::new(path, &options.limits);
        let wb =
            parse_csv_within(&bytes, &name, &options.csv, &mut loader).map_err(|e| match e {
                CsvError::Refused(e) => e,
                e => Error::unreadable(path, e.to_string()),
            })?;
        if let Some(sheet) = wb.sheets.first() {
            options.progress.inc(u64::from(sheet.row_count()));
        }
        Ok(wb)
    }
}

/// Why a CSV text could not be read as a sheet; the reader adds the path.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CsvError {
    /// `--header-row 0`.
    #[error("the header row is counted from 1")]
    HeaderRowZero,
    /// A header row below the last line.
    #[error("the header row {row} is past the end of the file ({lines} line(s))")]
    HeaderPastEnd {
        /// The header row asked for.
        row: usize,
        /// Lines in the file.
        lines: usize,
    },
    /// A quote that is never closed would swallow the rest of the file.
    #[error(
        "line {line}: a quote (\") opened on this line is never closed, so the rest of the \
         file would become one cell"
    )]
    UnclosedQuote {
        /// The line the quote opens on.
        line: u64,
    },
    /// The csv parser's own error.
    #[error("line {line}: {source}")]
    Parse {
        /// The line, preamble included.
        line: u64,
        /// What the parser says.
        source: ::csv::Error,
    },
    /// More rows than a sheet holds.
    #[error("more than {} rows, Excel's limit", crate::model::address::MAX_ROWS)]
    TooManyRows,
    /// More fields on a line than a sheet has columns.
    #[error("line {line}: more columns than Excel allows")]
    TooManyColumns {
        /// The line.
        line: u64,
    },
    /// The file goes past a reading limit; the error names the file.
    #[error("{0}")]
    Refused(Error),
}

/// A valid sheet name from the file stem: characters Excel forbids become
/// `_`, cut to 31 characters.
fn sheet_name_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| if ":\\/?*[]".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    name = name.trim_matches('\'').to_string();
    if name.is_empty() {
        name = "Sheet1".to_string();
    }
    if name.eq_ignore_ascii_case("history") {
        name.push('_');
    }
    name
}

/// Parses CSV bytes into a one-sheet workbook under the default
/// [`ReadLimits`] (a refusal names the sheet where it would name the file).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn parse_csv(
    bytes: &[u8],
    sheet_name: &str,
    options: &CsvOptions,
) -> Result<Workbook, CsvError> {
    let limits = ReadLimits::default();
    let mut loader = CellLoader::new(Path::new(sheet_name), &limits);
    parse_csv_within(bytes, sheet_name, options, &mut loader)
}

/// Parses CSV bytes into a one-sheet workbook, its cells loaded through
/// `loader` (which holds them to the reading limits). Lines above the
/// header row (a bank's title, account number, period) are left out of the
/// sheet so the table starts at A1, and named in a note of the workbook.
pub(crate) fn parse_csv_within(
    bytes: &[u8],
    sheet_name: &str,
    options: &CsvOptions,
    loader: &mut CellLoader<'_>,
) -> Result<Workbook, CsvError> {
    let text = decode(bytes, options.encoding);
    let layout = detect_layout(&text, options.delimiter);
    let delimiter = layout.delimiter;
    let header = match options.header_row {
        Some(0) => return Err(CsvError::HeaderRowZero),
        Some(n) => {
            let n = n as usize;
            let lines = text.lines().count();
            if n > lines {
                return Err(CsvError::HeaderPastEnd { row: n, lines });
            }
            n - 1
        }
        None => layout.header_line,
    };
    let body_start = line_offset(&text, header);
    let body = &text[body_start..];
    // The csv parser gathers a whole record before handing it over: a
    // field or a line past the limits is refused before it is gathered.
    if let Some(over) = oversized_record(body.as_bytes(), delimiter, loader.limits()) {
        let (line, over) = over;
        return Err(match over {
            Some(over) => CsvError::Refused(loader.refuse(over)),
            None => CsvError::TooManyColumns {
                line: line + header as u64,
            },
        });
    }
    let decimal_comma = options
        .decimal_comma
        .unwrap_or_else(|| delimiter != b',' && detect_decimal_comma(body, delimiter));

    let mut wb = Workbook::new();
    if header > 0 {
        let skipped: Vec<&str> = text
            .lines()
            .take(header)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let first = skipped.first().map_or(String::new(), |l| {
            let short: String = l.chars().take(60).collect();
            format!(
                ": \"{short}{}\"",
                if short.len() < l.len() { "…" } else { "" }
            )
        });
        wb.read_notes.push(format!(
            "skipped {} line(s) above the header row (line {}){first}; --header-row N chooses another",
            header,
            header + 1
        ));
    }
    let mut sheet = Sheet::new(sheet_name);
    sheet.origin = Some(SheetOrigin {
        name: sheet_name.to_string(),
        index: 0,
    });
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut record = ::csv::StringRecord::new();
    let mut row = 0u32;
    let mut date_styles: [Option<u32>; 3] = [None; 3];
    // Messages count lines of the file, preamble included.
    let line_of = |record: &::csv::StringRecord, row: u32| {
        record.position().map_or(u64::from(row) + 1, |p| p.line()) + header as u64
    };
    // Where the last record starts, and whether one of its fields runs
    // over a line break: a quote that never closes takes in the rest of
    // the file as one field.
    let mut last: Option<(u64, u64, bool)> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                last = record
                    .position()
                    .map(|p| (p.byte(), p.line(), record.iter().any(|f| f.contains('\n'))));
            }
            Ok(false) => {
                if let Some((byte, line, true)) = last {
                    let rest = body.get(byte as usize..).unwrap_or("");
                    if rest.matches('"').count() % 2 == 1 {
                        return Err(CsvError::UnclosedQuote {
                            line: line + header as u64,
                        });
                    }
                }
                break;
            }
            Err(e) => {
                let line = e.position().map_or(u64::from(row) + 1, |p| p.line()) + header as u64;
                return Err(CsvError::Parse { line, source: e });
            }
        }
        if row >= crate::model::address::MAX_ROWS {
            return Err(CsvError::TooManyRows);
        }
        for (col, field) in record.iter().enumerate() {
            if col as u32 >= crate::model::address::MAX_COLS {
                return Err(CsvError::TooManyColumns {
                    line: line_of(&record, row),
                });
            }
            let (value, form) = parse_field(field, decimal_comma);
            if value.is_empty() {
                continue;
            }
            let style = match form {
                Some(form) => *date_styles[form as usize].get_or_insert_with(|| {
                    wb.styles.intern(Style::with_number_format(form.code()))
                }),
                None => 0,
            };
            loader
                .load(
                    &mut sheet,
                    row,
                    col as u32,
                    Cell {
                        value,
                        formula: None,
                        style,
                    },
                )
                .map_err(CsvError::Refused)?;
        }
        row += 1;
    }
    wb.sheets.push(sheet);
    Ok(wb)
}

/// The first record of `text` the csv parser must not gather, with the
/// line it starts on (counted from 1): one whose field is longer than
/// [`ReadLimits::max_string_bytes`] (the limit it goes past), or one with
/// more fields than a sheet has columns (`None`). Follows the parser's
/// quoting: a quote opens a quoted field only at the start of a field.
fn oversized_record(
    text: &[u8],
    delimiter: u8,
    limits: &ReadLimits,
) -> Option<(u64, Option<OverLimit>)> {
    #[derive(PartialEq)]
    enum State {
        Start,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::Start;
    let (mut line, mut field_line) = (1u64, 1u64);
    let (mut field_start, mut fields) = (0usize, 1u32);
    for (i, &b) in text.iter().enumerate() {
        let ends_field = b == delimiter && state != State::Quoted;
        let ends_record = (b == b'\n' || b == b'\r') && state != State::Quoted;
        if ends_field || ends_record || i + 1 == text.len() {
            if (i - field_start) as u64 > limits.max_string_bytes {
                let what = format!("line {field_line} holds a field of");
                return Some((field_line, Some(OverLimit::new(Limit::StringBytes, what))));
            }
            field_start = i + 1;
            field_line = line;
        }
        if b == b'\n' {
            line += 1;
            if state != State::Quoted {
                field_line = line;
            }
        }
        if ends_record {
            state = State::Start;
            fields = 1;
            continue;
        }
        if ends_field {
            state = State::Start;
            fields += 1;
            if fields > crate::model::address::MAX_COLS {
                return Some((line, None));
            }
            continue;
        }
        state = match (state, b) {
            (State::Start, b'"') | (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            _ => State::Plain,
        };
    }
    None
}

/// The byte offset at which zero-based line `n` of `text` starts.
fn line_offset(text: &str, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    text.match_indices('\n')
        .nth(n - 1)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// Decodes with the given encoding, or detects one: a BOM or valid UTF-8
/// means UTF-8, otherwise Windows-1250 or 1252, whichever reads as more
/// plausible letters.
/// UTF-16 text, little- or big-endian, with or without a BOM (Excel's
/// "Unicode text" and some bank exports): by its BOM, or, without one,
/// by the NUL byte beside nearly every character of the text's Latin
/// letters, digits and separators.
pub(crate) fn utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return (enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE).then_some(enc);
    }
    let pairs = bytes.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |offset: usize| {
        bytes
            .iter()
            .skip(offset)
            .step_by(2)
            .take(pairs)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 9 && even * 10 <= pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 9 && odd * 10 <= pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

fn decode<'a>(bytes: &'a [u8], encoding: Option<&'static Encoding>) -> Cow<'a, str> {
    let encoding = encoding.unwrap_or_else(|| detect_encoding(bytes));
    // decode() strips a BOM of any UTF kind and replaces invalid bytes.
    encoding.decode(bytes).0
}

fn detect_encoding(bytes: &[u8]) -> &'static Encoding {
    if let Some(enc) = utf16(bytes) {
        return enc;
    }
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    // Bytes whose letters are common in Czech, Slovak and Polish under
    // 1250 (š ž ě ř ů ň ą ł ś ź ť ľ, Š Ž Ś Ź Ť Ľ Ą Ł) against bytes whose
    // letters are common in western languages under 1252 (à ê å ñ æ ã õ û
    // ¿ ¡ À Å Æ Ñ Ø). Letters both code pages share decide nothing.
    const CENTRAL: &[u8] = &[
        0x9A, 0x9E, 0x8A, 0x8E, 0xEC, 0xCC, 0xF8, 0xD8, 0xF9, 0xD9, 0xF2, 0xD2, 0xB9, 0xA5, 0xB3,
        0xA3, 0x9C, 0x8C, 0x9F, 0x8F, 0x9D, 0x8D, 0xBE, 0xBC, 0xE8, 0xC8, 0xEF, 0xCF,
    ];
    const WESTERN: &[u8] = &[
        0xE0, 0xC0, 0xEA, 0xE5, 0xC5, 0xF1, 0xD1, 0xE6, 0xC6, 0xE3, 0xF5, 0xFB, 0xBF, 0xA1,
    ];
    let (mut central, mut western) = (0usize, 0usize);
    for &b in bytes.iter().filter(|&&b| b >= 0x80) {
        if CENTRAL.contains(&b) {
            central += 1;
        }
        if WESTERN.contains(&b) {
            western += 1;
        }
    }
    if central > western {
        WINDOWS_1250
    } else {
        WINDOWS_1252
    }
}

/// How a CSV file is laid out: its delimiter and the zero-based line of
/// its header row.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Layout {
    delimiter: u8,
    header_line: usize,
}

/// How many lines detection looks at: enough for any bank's preamble and
/// a good sample of rows.
const SAMPLE_LINES: usize = 60;

/// Finds the delimiter (unless given) and the header row: the first line
/// from which the number of fields stays the same, for the delimiter that
/// keeps it so over the most lines. A title such as `Výpis z účtu ... Fio
/// banka, a.s.` above a `;` table splits into two fields at its comma,
/// but only that one line does, so it does not decide. `;` wins ties (a
/// `,` may be a decimal comma). Without any consistent split the file is
/// one column and starts at its first line.
fn detect_layout(text: &str, given: Option<u8>) -> Layout {
    let candidates: &[u8] = match &given {
        Some(d) => std::slice::from_ref(d),
        None => b";\t,|",
    };
    let mut best: Option<(Layout, i64)> = None;
    for &cand in candidates {
        let records = sample_records(text, cand);
        let counts: Vec<usize> = records.iter().map(|r| r.delimiters).collect();
        if let Some((mut start, score)) = consistent_from(&counts) {
            if best.is_none_or(|(_, b)| score > b) {
                let width = counts[start];
                // A header one field short of rows that all end with an
                // empty field (`a;b` over `1;2;`) is the header, not a
                // preamble line.
                if start > 0
                    && counts[start - 1] + 1 == width
                    && records[start..]
                        .iter()
                        .filter(|r| r.delimiters == width)
                        .all(|r| r.trailing)
                {
                    start -= 1;
                }
                // Only narrower lines above are a preamble: a wider one
                // is a header whose rows leave trailing fields out, and
                // is kept.
                let header_line = if counts[..start].iter().all(|&c| c < width) {
                    records[start].line
                } else {
                    0
                };
                best = Some((
                    Layout {
                        delimiter: cand,
                        header_line,
                    },
                    score,
                ));
            }
        }
    }
    best.map_or(
        Layout {
            delimiter: given.unwrap_or(b','),
            header_line: 0,
        },
        |(l, _)| l,
    )
}

/// One record of the sample: the zero-based line it starts on, how many
/// delimiters it holds outside quotes, and whether it ends with one (an
/// empty last field, as some exports write on every row but the header).
#[derive(Debug, Clone, Copy)]
struct Record {
    line: usize,
    delimiters: usize,
    trailing: bool,
}

/// The first [`SAMPLE_LINES`] records that are not blank. A quoted field
/// may span lines, as our own writer writes a cell holding a line break,
/// so records are not lines.
fn sample_records(text: &str, delim: u8) -> Vec<Record> {
    let mut out = Vec::new();
    let mut rec = Record {
        line: 0,
        delimiters: 0,
        trailing: false,
    };
    let (mut line, mut quoted, mut blank) = (0usize, false, true);
    for b in text.bytes() {
        match b {
            b'"' => {
                quoted = !quoted;
                blank = false;
                rec.trailing = false;
            }
            b'\n' => {
                line += 1;
                if !quoted {
                    if !blank {
                        out.push(rec);
                        if out.len() == SAMPLE_LINES {
                            return out;
                        }
                    }
                    rec = Record {
                        line,
                        delimiters: 0,
                        trailing: false,
                    };
                    blank = true;
                }
            }
            b if b == delim && !quoted => {
                rec.delimiters += 1;
                rec.trailing = true;
                blank = false;
            }
            b' ' | b'\r' | b'\t' => {}
            _ => {
                blank = false;
                rec.trailing = false;
            }
        }
    }
    if !blank {
        out.push(rec);
    }
    out
}

/// The first position from which the delimiter counts stay equal (a
/// tenth of the lines after it may differ: a footer, a note, a quoted
/// line break), with a score: lines that agree, less lines that do not,
/// in thousands, plus the number of delimiters (wider tables win ties).
fn consistent_from(counts: &[usize]) -> Option<(usize, i64)> {
    for (start, &width) in counts.iter().enumerate() {
        if width == 0 {
            continue;
        }
        let rest = &counts[start..];
        // Below a preamble there is a header and at least one row, and a
        // preamble is short next to its table: otherwise the lines that
        // split are the odd ones out (a one-column list with a comma in
        // its last names), and nothing is skipped.
        let preamble_fits = start == 0 || (rest.len() >= 2 && (start <= 10 || start <= rest.len()));
        if !preamble_fits {
            continue;
        }
        let agree = rest.iter().filter(|&&c| c == width).count();
        let differ = rest.len() - agree;
        if differ <= (rest.len() - 1) / 10 {
            return Some((start, (agree as i64 - differ as i64) * 1000 + width as i64));
        }
    }
    None
}

/// Whether numbers in the text use a decimal comma: more fields look like
/// `1234,56` than like `1234.56`.
fn detect_decimal_comma(text: &str, delimiter: u8) -> bool {
    let (mut comma, mut point) = (0usize, 0usize);
    for line in text.lines().take(1000) {
        for field in line.split(delimiter as char) {
            let f = field.trim().trim_matches('"');
            if parse_number(f, true).is_some() && f.contains(',') {
                comma += 1;
            } else if parse_number(f, false).is_some() && f.contains('.') && !f.contains(',') {
                // `1.234` reads either way; only a fraction that is not a
                // group of three digits counts for the point.
                let frac = f.rsplit('.').next().unwrap_or("");
                if frac.len() != 3 || f.matches('.').count() > 1 {
                    point += 1;
                }
            }
        }
    }
    comma > point
}

/// A date form found in a field, remembered as the cell's number format so
/// the value shows as it was written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DateForm {
    Iso = 0,
    IsoTime = 1,
    Dotted = 2,
}

impl DateForm {
    fn code(self) -> &'static str {
        match self {
            DateForm::Iso => "yyyy-mm-dd",
            DateForm::IsoTime => "yyyy-mm-dd hh:mm:ss",
            DateForm::Dotted => "d.m.yyyy",
        }
    }
}

/// The value of one field and, for a date, the form it was written in.
fn parse_field(field: &str, decimal_comma: bool) -> (Value, Option<DateForm>) {
    let t = field.trim();
    if t.is_empty() {
        return (Value::Empty, None);
    }
    if let Some(n) = parse_number(t, decimal_comma) {
        return (Value::Number(n), None);
    }
    if let Some((d, form)) = parse_date(t) {
        return (Value::Date(d), Some(form));
    }
    match t {
        "TRUE" => (Value::Bool(true), None),
        "FALSE" => (Value::Bool(false), None),
        _ => match field.strip_prefix('\'') {
            // The writer's guard against CSV injection (see
            // `io::starts_like_a_formula`): the text is what follows.
            Some(rest) if crate::io::needs_csv_guard(rest) => (Value::text(rest), None),
            _ => (Value::text(field), None),
        },
    }
}

/// An exact number: digits with an optional sign, fraction and thousands
/// groups (`1,234.56`, or `1.234,56` / `-1 234,56` with a decimal comma,
/// the space plain or no-break). Leading zeros (`00123`) are codes, not
/// numbers.
fn parse_number(t: &str, decimal_comma: bool) -> Option<Number> {
    let mark = if decimal_comma {
        DecimalMark::Comma
    } else {
        DecimalMark::Point
    };
    let int_digits = t
        .trim_start_matches(['-', '+'])
        .split(if decimal_comma { ',' } else { '.' })
        .next()
        .unwrap_or("");
    if int_digits.len() > 1 && int_digits.starts_with('0') {
        return None;
    }
    parse_with_mark(t, mark).map(Number::Exact)
}

/// ISO dates and date-times (`2026-01-31`, `2026-01-31 10:30:00`) and
/// `d.m.yyyy` dates (`31.1.2026`, `31. 1. 2026`).
fn parse_date(t: &str) -> Option<(DateValue, DateForm)> {
    let b = t.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()?;
        return Some((DateValue::from_date(d), DateForm::Iso));
    }
    if b.len() > 10 && b[4] == b'-' && (b[10] == b' ' || b[10] == b'T') {
        for fmt in [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
                return Some((DateValue::from_datetime(dt), DateForm::IsoTime));
            }
        }
        return None;
    }
    if t.contains('.') && t.len() <= 14 {
        let parts: Vec<&str> = t.split('.').map(str::trim).collect();
        if parts.len() == 3
            && parts[2].len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
        {
            let day: u32 = parts[0].parse().ok()?;
            let month: u32 = parts[1].parse().ok()?;
            let year: i32 = parts[2].parse().ok()?;
            let d = NaiveDate::from_ymd_opt(year, month, day)?;
            let mut v = DateValue::from_date(d);
            v.kind = DateKind::Date;
            return Some((v, DateForm::Dotted));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CellAddr;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn read(bytes: &[u8]) -> Workbook {
        parse_csv(bytes, "Data", &CsvOptions::default()).unwrap()
    }

    fn cell(wb: &Workbook, a1: &str) -> Value {
        wb.sheets[0].value(CellAddr::parse(a1).unwrap()).clone()
    }

    fn num(s: &str) -> Value {
        Value::Number(Number::Exact(Decimal::from_str(s).unwrap()))
    }

    #[test]
    fn the_writers_guard_against_formula_text_is_taken_off() {
        let wb = read(b"Note,Code\n'=HYPERLINK(1),'-5\n'plain,x\n");
        assert_eq!(cell(&wb, "A2"), Value::Text("=HYPERLINK(1)".into()));
        assert_eq!(cell(&wb, "B2"), Value::Text("-5".into()));
        assert_eq!(cell(&wb, "A3"), Value::Text("'plain".into()));
    }

    #[test]
    fn a_quote_that_never_closes_is_refused_naming_its_line() {
        let err = parse_csv(
            b"Item;Note\nDesk;\"oak\nChair;plain\nLamp;x\n",
            "Data",
            &CsvOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 2: a quote"), "{err}");
        // A closed field over two lines, and a quote inside a plain field,
        // are data.
        let wb = read(b"Item;Note\nDesk;\"oak\nwood\"\nScreen;24\" wide\n");
        assert_eq!(cell(&wb, "B2"), Value::Text("oak\nwood".into()));
        assert_eq!(cell(&wb, "B3"), Value::Text("24\" wide".into()));
    }

    #[test]
    fn utf16_text_is_read_with_or_without_a_bom() {
        let text = "Účet;Částka\n311;100,50\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [
            [&[0xFF, 0xFE][..], &le].concat(),
            le,
            [&[0xFE, 0xFF][..], &be].concat(),
            be,
        ] {
            let wb = read(&bytes);
            assert_eq!(cell(&wb, "A1"), Value::Text("Účet".into()));
            assert_eq!(cell(&wb, "B2"), num("100.50"));
        }
    }

    #[test]
    fn comma_delimited_utf8_with_quotes() {
        let wb = read(b"Item,Amount,Note\n\"Desk, oak\",1234.50,\"said \"\"hi\"\"\"\n");
        assert_eq!(cell(&wb, "A2"), Value::Text("Desk, oak".into()));
        assert_eq!(cell(&wb, "B2"), num("1234.50"));
        assert_eq!(cell(&wb, "C2"), Value::Text("said \"hi\"".into()));
    }

    #[test]
    fn semicolon_with_decimal_comma_and_bom() {
        let wb = read("\u{feff}Položka;Částka\nStůl;1.234,56\nŽidle;99,9\nKód;00123\n".as_bytes());
        assert_eq!(cell(&wb, "A1"), Value::Text("Položka".into()));
        assert_eq!(cell(&wb, "B2"), num("1234.56"));
        assert_eq!(cell(&wb, "B3"), num("99.9"));
        assert_eq!(cell(&wb, "B4"), Value::Text("00123".into()));
    }

    #[test]
    fn windows_1250_is_told_from_1252() {
        let (czech, _, _) = WINDOWS_1250.encode("Účet;Částka\nŘeřicha žluťoučká;12,5\n");
        let wb = read(&czech);
        assert_eq!(cell(&wb, "A2"), Value::Text("Řeřicha žluťoučká".into()));
        assert_eq!(cell(&wb, "B2"), num("12.5"));
        let (french, _, _) = WINDOWS_1252.encode("Libellé,Montant\nCafé à emporter,3.50\n");
        let wb = read(&french);
        assert_eq!(cell(&wb, "A2"), Value::Text("Café à emporter".into()));
        assert_eq!(cell(&wb, "B2"), num("3.50"));
    }

    #[test]
    fn explicit_options_override_detection() {
        let opts = CsvOptions {
            delimiter: Some(b';'),
            decimal_comma: Some(false),
            encoding: Some(WINDOWS_1252),
            header_row: None,
        };
        let wb = parse_csv(b"a;1.5\nb;2,5", "X", &opts).unwrap();
        assert_eq!(cell(&wb, "B1"), num("1.5"));
        assert_eq!(cell(&wb, "B2"), Value::Text("2,5".into()));
    }

    #[test]
    fn dates_in_iso_and_dotted_forms() {
        let wb = read(b"2026-01-31;31.1.2026;31.01.2026;2026-01-31 10:30:00;32.1.2026\n");
        let d = Value::Date(DateValue::from_date(
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        ));
        assert_eq!(cell(&wb, "A1"), d);
        assert_eq!(cell(&wb, "B1"), d);
        assert_eq!(cell(&wb, "C1"), d);
        assert_eq!(cell(&wb, "D1").to_string(), "2026-01-31 10:30:00");
        assert_eq!(cell(&wb, "E1"), Value::Text("32.1.2026".into()));
        let style = wb.sheets[0]
            .cell(CellAddr::parse("B1").unwrap())
            .unwrap()
            .style;
        assert_eq!(wb.styles.get(style).number_format, "d.m.yyyy");
    }

    #[test]
    fn numbers_are_exact_and_codes_stay_text() {
        assert_eq!(
            parse_number("0.1", false),
            Some(Number::Exact(Decimal::from_str("0.1").unwrap()))
        );
        assert_eq!(
            parse_number("-1,234.5", false).unwrap().to_string(),
            "-1234.5"
        );
        assert_eq!(parse_number("1 234,5", true).unwrap().to_string(), "1234.5");
        assert!(parse_number("12,34,5", false).is_none());
        assert!(parse_number("007", false).is_none());
        assert!(parse_number("1e5", false).is_none());
        assert!(parse_number("12.", false).is_none());
        assert_eq!(parse_number("0", false).unwrap().to_string(), "0");
    }

    fn detect_delimiter(text: &str) -> u8 {
        detect_layout(text, None).delimiter
    }

    #[test]
    fn delimiter_detection_prefers_consistent_splits() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a;b\n1,5;2,5\n"), b';');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(detect_delimiter("\"x;y\",b\n1,2\n"), b',');
        assert_eq!(detect_delimiter("one column\nonly\n"), b',');
    }

    #[test]
    fn what_is_not_a_preamble_is_kept() {
        // A quoted line break (our own writer's output) is one record.
        assert_eq!(
            detect_layout("\"a\nb\",\n-336.9,-1827.7\n", None),
            Layout {
                delimiter: b',',
                header_line: 0
            }
        );
        // A header wider than its rows (trailing empty fields left out).
        assert_eq!(detect_layout("a,b,c\n1,2\n3,4\n", None).header_line, 0);
        // Rows that end with an empty field under a header that does not.
        assert_eq!(detect_layout("a;b\n1;2;\n3;4;\n", None).header_line, 0);
        assert_eq!(
            detect_layout("Title\n\na;b\n1;2;\n3;4;\n", None).header_line,
            2
        );
        // A one-column list whose last names hold a comma.
        let names: String = (0..30).map(|i| format!("Name {i}\n")).collect();
        assert_eq!(
            detect_layout(&(names.clone() + "Novák, Jan\n"), None).header_line,
            0
        );
        assert_eq!(
            detect_layout(&(names + "Novák, Jan\nDvořák, Petr\n"), None).header_line,
            0
        );
        // Blank lines are not records; the header's line is counted.
        assert_eq!(
            detect_layout("Title\n\n\na;b\n1;2\n", None),
            Layout {
                delimiter: b';',
                header_line: 3
            }
        );
    }

    /// A statement as Fio banka exports it: a title with a comma, the
    /// account and period as `;` pairs, a blank line, then the table.
    fn fio_statement() -> String {
        let mut s = String::from(
            "Výpis z účtu 2900123456/2010 Fio banka, a.s.\r\nObdobí;1.11.2026 - 30.11.2026\r\n\r\n",
        );
        s.push_str("Datum;Objem;Měna;Protiúčet;VS;Poznámka\r\n");
        s.push_str("3.11.2026;-1 234,50;CZK;123456789/0300;2026001;Nájem, listopad\r\n");
        s.push_str("15.11.2026;12\u{a0}500,00;CZK;2000145399/2010;2026002;\r\n");
        s.push_str("30.11.2026;-4,50;CZK;;;Poplatek\r\n");
        s.push_str("30.11.2026;1 000 000,01;CZK;;;\r\n");
        s
    }

    #[test]
    fn bank_statement_preamble_is_skipped_and_header_found() {
        let text = fio_statement();
        assert_eq!(
            detect_layout(&text, None),
            Layout {
                delimiter: b';',
                header_line: 3
            }
        );
        let (bytes, _, unmappable) = WINDOWS_1250.encode(&text);
        assert!(!unmappable);
        let wb = read(&bytes);
        assert_eq!(cell(&wb, "A1"), Value::Text("Datum".into()));
        assert_eq!(cell(&wb, "F1"), Value::Text("Poznámka".into()));
        assert_eq!(cell(&wb, "B2"), num("-1234.50"));
        assert_eq!(cell(&wb, "B3"), num("12500.00"));
        assert_eq!(cell(&wb, "B4"), num("-4.50"));
        assert_eq!(cell(&wb, "B5"), num("1000000.01"));
        assert_eq!(cell(&wb, "F2"), Value::Text("Nájem, listopad".into()));
        assert_eq!(
            cell(&wb, "A5"),
            Value::Date(DateValue::from_date(
                NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
            ))
        );
        assert_eq!(cell(&wb, "E2"), num("2026001"));
        // A narrow no-break space groups too (UTF-8 only: 1250 lacks it).
        let narrow = text.replace("1 000 000,01", "1\u{202f}000\u{202f}000,01");
        assert_eq!(cell(&read(narrow.as_bytes()), "B5"), num("1000000.01"));
        assert_eq!(wb.read_notes.len(), 1);
        assert!(
            wb.read_notes[0].contains("skipped 3 line(s) above the header row (line 4)")
                && wb.read_notes[0].contains("Výpis z účtu"),
            "{:?}",
            wb.read_notes
        );
    }

    #[test]
    fn header_row_option_overrides_detection() {
        let text = fio_statement();
        let opts = CsvOptions {
            header_row: Some(2),
            delimiter: Some(b';'),
            ..CsvOptions::default()
        };
        let wb = parse_csv(text.as_bytes(), "X", &opts).unwrap();
        assert_eq!(cell(&wb, "A1"), Value::Text("Období".into()));
        assert_eq!(cell(&wb, "A2"), Value::Text("Datum".into()));
        let first = CsvOptions {
            header_row: Some(1),
            ..CsvOptions::default()
        };
        let wb = parse_csv(b"Title, with comma\na;b\n1;2\n", "X", &first).unwrap();
        assert_eq!(cell(&wb, "A1"), Value::Text("Title, with comma".into()));
        assert!(wb.read_notes.is_empty());
        let past = CsvOptions {
            header_row: Some(9),
            ..CsvOptions::default()
        };
        let err = parse_csv(b"a;b\n1;2\n", "X", &past)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("header row 9") && err.contains("2 line(s)"),
            "{err}"
        );
        let zero = CsvOptions {
            header_row: Some(0),
            ..CsvOptions::default()
        };
        assert!(parse_csv(b"a;b\n", "X", &zero).is_err());
    }

    #[test]
    fn errors_count_lines_of_the_file() {
        let err = parse_csv(b"Title\n\na;b\n1;2\n", "X", &CsvOptions::default());
        // No error here: the title is skipped.
        assert_eq!(err.unwrap().read_notes.len(), 1);
    }

    #[test]
    fn sheet_names_are_made_valid() {
        assert_eq!(
            sheet_name_for(Path::new("/tmp/bank [2026].csv")),
            "bank _2026_"
        );
        assert_eq!(sheet_name_for(Path::new("history.csv")), "history_");
    }
}
