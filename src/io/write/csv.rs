//! Writes one sheet as CSV: plain data for other programs, not a picture of
//! the sheet. Numbers in plain decimal form (no thousands separators,
//! currency signs or exponents), dates and times in ISO form, booleans as
//! TRUE/FALSE, errors as Excel writes them, formulas as their cached values.
//!
//! For a spreadsheet set to Czech (or another decimal-comma locale) the
//! same data goes out as that Excel reads it on a double click: `;`
//! between fields, a decimal comma, `d.m.yyyy` dates, and UTF-8 with a
//! BOM (without one Excel assumes the ANSI code page) or Windows-1250;
//! see [`CsvWriteOptions`].

use crate::io::starts_like_a_formula;
use crate::model::{CellAddr, DateKind, ErrorKind, Number, Sheet, Value, Workbook};
use crate::progress::Progress;
use crate::{Error, Result};
use encoding_rs::{Encoding, UTF_8};
use std::path::Path;

/// Warnings for what a CSV file of `sheet` cannot carry from `workbook`.
pub fn csv_warnings(workbook: &Workbook, sheet: &Sheet) -> Vec<String> {
    let mut warnings = Vec::new();
    let others: Vec<&str> = workbook
        .sheets
        .iter()
        .filter(|s| !std::ptr::eq(*s, sheet) && s.used_range().is_some())
        .map(|s| s.name.as_str())
        .collect();
    if !others.is_empty() {
        warnings.push(format!(
            "CSV holds one sheet: only \"{}\" is written, not {}",
            sheet.name,
            others
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let formulas = sheet.formula_count();
    if formulas > 0 {
        warnings.push(format!(
            "{formulas} formula(s) on \"{}\" written as their values",
            sheet.name
        ));
    }
    let tables = workbook
        .tables
        .iter()
        .filter(|t| t.sheet.eq_ignore_ascii_case(&sheet.name))
        .count();
    let counts = [
        (sheet.merged.len(), "merged range(s)"),
        (sheet.hyperlinks.len(), "hyperlink(s)"),
        (tables, "table definition(s)"),
        (sheet.hidden_rows.len(), "hidden row mark(s)"),
        (sheet.visuals.charts.len(), "chart(s)"),
        (sheet.visuals.highlights.len(), "highlight(s)"),
    ];
    for (n, what) in counts {
        if n > 0 {
            warnings.push(format!(
                "{n} {what} on \"{}\" not carried into CSV",
                sheet.name
            ));
        }
    }
    let formula_like = sheet
        .cells()
        .filter(|(_, c)| matches!(&c.value, Value::Text(t) if starts_like_a_formula(t)))
        .count();
    if formula_like > 0 {
        warnings.push(format!(
            "{formula_like} text cell(s) on \"{}\" begin like a formula (=, +, -, @): written \
             with a leading ' so a spreadsheet opening the CSV shows them as text instead of \
             running them",
            sheet.name
        ));
    }
    for f in &workbook.package_features {
        warnings.push(format!("not carried into CSV: {f}"));
    }
    warnings
}

/// How to write CSV: the default is plain data (`,`, decimal point, ISO
/// dates, UTF-8 without BOM); [`CsvWriteOptions::for_locale`] gives what
/// a locale's Excel opens correctly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CsvWriteOptions {
    /// Field delimiter.
    pub delimiter: u8,
    /// Numbers with a decimal comma (`1234,5`).
    pub decimal_comma: bool,
    /// Dates as `d.m.yyyy` (and `d.m.yyyy h:mm:ss`) instead of ISO.
    pub dotted_dates: bool,
    /// Text encoding; only UTF-8 and single-byte ASCII-compatible code
    /// pages such as Windows-1250 are offered.
    pub encoding: &'static Encoding,
    /// Start a UTF-8 file with a byte order mark, which is how Excel tells
    /// UTF-8 from the ANSI code page.
    pub bom: bool,
}

impl Default for CsvWriteOptions {
    /// Plain data for other programs.
    fn default() -> Self {
        CsvWriteOptions {
            delimiter: b',',
            decimal_comma: false,
            dotted_dates: false,
            encoding: UTF_8,
            bom: false,
        }
    }
}

impl CsvWriteOptions {
    /// What Excel set to `locale` (a BCP 47 tag such as `cs-CZ`) opens on
    /// a double click: for Czech and Slovak `;`, decimal comma, `d.m.yyyy`
    /// and UTF-8 with BOM; `None` for a locale with no preset here (its
    /// CSV stays plain data).
    pub fn for_locale(locale: &str) -> Option<CsvWriteOptions> {
        let language = locale.split(['-', '_']).next()?.to_ascii_lowercase();
        match language.as_str() {
            "cs" | "sk" => Some(CsvWriteOptions {
                delimiter: b';',
                decimal_comma: true,
                dotted_dates: true,
                encoding: UTF_8,
                bom: true,
            }),
            _ => None,
        }
    }
}

/// Writes `sheet` as CSV text to `target` (`output` is the path the user
/// asked for, used in messages). The grid starts at A1 so that positions
/// are kept. A character the chosen encoding cannot hold is an error
/// naming the cell, not a `?` in the file.
pub fn write_csv(
    sheet: &Sheet,
    target: &Path,
    output: &Path,
    options: &CsvWriteOptions,
    progress: &Progress,
) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| Error::write(output, e.to_string());
    let delim = options.delimiter as char;
    // Readers (ours included) guess the delimiter from the text: an
    // unquoted `;`, `,`, tab or `|` in a field could win over the real
    // delimiter, so a sheet with such text has its text fields quoted.
    let others: Vec<char> = [',', ';', '\t', '|']
        .into_iter()
        .filter(|&c| c != delim)
        .collect();
    let ambiguous = sheet
        .cells()
        .any(|(_, c)| matches!(&c.value, Value::Text(t) if t.contains(others.as_slice())));
    let file = std::fs::File::create(target).map_err(|e| fail(&e))?;
    let mut file = std::io::BufWriter::new(file);
    if options.bom && options.encoding == UTF_8 {
        std::io::Write::write_all(&mut file, b"\xEF\xBB\xBF").map_err(|e| fail(&e))?;
    }
    // Fields are quoted here, where it is known which are text.
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(options.delimiter)
        .quote_style(::csv::QuoteStyle::Never)
        .from_writer(file);
    if let Some(used) = sheet.used_range() {
        let width = used.end.col as usize + 1;
        progress.start(
            &format!("Writing {}", sheet.name),
            u64::from(used.end.row) + 1,
        );
        let mut record: Vec<Vec<u8>> = Vec::with_capacity(width);
        for r in 0..=used.end.row {
            record.clear();
            for c in 0..width {
                let addr = CellAddr::new(r, c as u32);
                let value = sheet.value(addr);
                let mut text = csv_text(value, options);
                if matches!(value, Value::Text(t) if crate::io::needs_csv_guard(t)) {
                    text.insert(0, '\'');
                }
                let needs_quotes = text.contains([delim, '"', '\r', '\n'])
                    || (ambiguous && matches!(value, Value::Text(_)));
                if needs_quotes {
                    text = format!("\"{}\"", text.replace('"', "\"\""));
                }
                let (bytes, _, unmappable) = options.encoding.encode(&text);
                if unmappable {
                    let bad = text
                        .chars()
                        .find(|ch| options.encoding.encode(&ch.to_string()).2)
                        .unwrap_or('?');
                    return Err(Error::write(
                        output,
                        format!(
                            "{}!{}: \"{bad}\" cannot be written in {}; choose --csv-encoding utf-8",
                            sheet.name,
                            addr,
                            options.encoding.name()
                        ),
                    ));
                }
                record.push(bytes.into_owned());
            }
            w.write_record(&record).map_err(|e| fail(&e))?;
            progress.inc(1);
        }
    }
    w.flush().map_err(|e| fail(&e))?;
    progress.finish();
    Ok(())
}

/// A value as CSV data: like its plain display, but numbers never in
/// exponent form (`1E+30` would be read back as text by some programs),
/// with the decimal mark and date form of `options`.
fn csv_text(value: &Value, options: &CsvWriteOptions) -> String {
    let number = |s: String| {
        if options.decimal_comma {
            s.replace('.', ",")
        } else {
            s
        }
    };
    match value {
        Value::Number(Number::Float(x)) if !x.get().is_finite() => {
            ErrorKind::Num.as_str().to_string()
        }
        // Rust prints every finite double in plain decimal form.
        Value::Number(Number::Float(x)) => number(x.get().to_string()),
        Value::Number(Number::Exact(d)) => number(d.normalize().to_string()),
        Value::Date(d) if options.dotted_dates => match d.kind {
            DateKind::Date => d.date().map(|x| x.format("%-d.%-m.%Y").to_string()),
            DateKind::DateTime => d
                .datetime()
                .map(|x| x.format("%-d.%-m.%Y %-H:%M:%S").to_string()),
            DateKind::Time | DateKind::Duration => None,
        }
        .unwrap_or_else(|| value.to_string()),
        v => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first sheet of `wb` as plain CSV (the default options).
    fn write_plain(wb: &Workbook) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_csv(
            &wb.sheets[0],
            &path,
            &path,
            &CsvWriteOptions::default(),
            &Progress::hidden(),
        )
        .unwrap();
        std::fs::read_to_string(&path).unwrap()
    }
    use crate::model::DateValue;

    #[test]
    fn values_are_plain_data() {
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        wb.add_sheet("Other").unwrap();
        wb.sheets[1].set_value(CellAddr::new(0, 0), Value::Text("x".into()));
        let s = &mut wb.sheets[0];
        s.set_value(CellAddr::new(0, 0), Value::Text("Name, with comma".into()));
        s.set_value(
            CellAddr::new(0, 2),
            Value::Number(Number::Exact("1234567.5".parse().unwrap())),
        );
        s.set_value(
            CellAddr::new(1, 1),
            Value::Date(DateValue::from_date(
                chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            )),
        );
        s.set_formula(CellAddr::new(1, 2), "C1*2", Value::from_f64(2469135.0));
        s.set_value(CellAddr::new(2, 0), Value::Number(Number::float(1e22)));
        s.set_value(CellAddr::new(2, 1), Value::Number(Number::float(1.5e-10)));
        let written = write_plain(&wb);
        assert_eq!(
            written,
            "\"Name, with comma\",,1234567.5\n,2026-11-30,2469135\n10000000000000000000000,0.00000000015,\n"
        );
        let warnings = csv_warnings(&wb, &wb.sheets[0]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("\"Other\""));
        assert!(warnings[1].contains("1 formula"));
    }

    #[test]
    fn text_that_looks_like_a_formula_is_written_as_text() {
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let s = &mut wb.sheets[0];
        for (c, text) in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "@SUM(1)",
            "-",
            "plain",
            "'-",
        ]
        .iter()
        .enumerate()
        {
            s.set_value(CellAddr::new(0, c as u32), Value::text(*text));
        }
        s.set_value(CellAddr::new(1, 0), Value::Number(Number::from_i64(-5)));
        let written = write_plain(&wb);
        // The `|` makes every text field quoted (see write_csv); a
        // negative number is a number, not text.
        assert_eq!(
            written,
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+cmd|' /C calc'!A0\",\"'@SUM(1)\",\"'-\",\"plain\",\"''-\"\n-5,,,,,\n"
        );
        let warnings = csv_warnings(&wb, &wb.sheets[0]);
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("4 text cell(s) on \"Data\" begin like a formula")),
            "{warnings:?}"
        );
    }

    #[test]
    fn text_with_another_delimiter_is_quoted() {
        // `;,0` reads as two fields split at the `;`; `";",0` does not.
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let s = &mut wb.sheets[0];
        s.set_value(CellAddr::new(0, 0), Value::Text(";".into()));
        s.set_value(CellAddr::new(0, 1), Value::Number(Number::ZERO));
        let written = write_plain(&wb);
        assert_eq!(written, "\";\",0\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, written).unwrap();
        let back = crate::io::read::read_workbook(&path, &Default::default()).unwrap();
        assert_eq!(
            back.sheets[0].value(CellAddr::new(0, 0)),
            &Value::Text(";".into())
        );
        assert_eq!(
            back.sheets[0].value(CellAddr::new(0, 1)),
            &Value::Number(Number::ZERO)
        );
    }

    fn czech_sheet() -> Workbook {
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let s = &mut wb.sheets[0];
        let row: [Value; 5] = [
            Value::Text("Dvořák & Syn, a.s.".into()),
            Value::Number(Number::Exact("-1234.5".parse().unwrap())),
            Value::Date(DateValue::from_date(
                chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            )),
            Value::Text("Nájem; listopad".into()),
            Value::Number(Number::float(0.125)),
        ];
        for (c, v) in row.into_iter().enumerate() {
            s.set_value(CellAddr::new(0, c as u32), v);
        }
        wb
    }

    #[test]
    fn czech_excel_gets_semicolons_decimal_commas_and_dotted_dates() {
        let wb = czech_sheet();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let cs = CsvWriteOptions::for_locale("cs-CZ").unwrap();
        write_csv(&wb.sheets[0], &path, &path, &cs, &Progress::hidden()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}\"Dvořák & Syn, a.s.\";-1234,5;3.11.2026;\"Nájem; listopad\";0,125\n"
        );
        // Read back as it was written.
        let back = crate::io::read::read_workbook(&path, &Default::default()).unwrap();
        let s = &back.sheets[0];
        assert_eq!(
            s.value(CellAddr::new(0, 1)),
            wb.sheets[0].value(CellAddr::new(0, 1))
        );
        assert_eq!(
            s.value(CellAddr::new(0, 2)),
            wb.sheets[0].value(CellAddr::new(0, 2))
        );
        assert_eq!(
            s.value(CellAddr::new(0, 3)),
            wb.sheets[0].value(CellAddr::new(0, 3))
        );
        assert_eq!(CsvWriteOptions::for_locale("en-US"), None);
    }

    #[test]
    fn windows_1250_output_refuses_what_it_cannot_hold() {
        let mut wb = czech_sheet();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let opts = CsvWriteOptions {
            encoding: encoding_rs::WINDOWS_1250,
            bom: false,
            ..CsvWriteOptions::for_locale("cs").unwrap()
        };
        write_csv(&wb.sheets[0], &path, &path, &opts, &Progress::hidden()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let (text, _, bad) = encoding_rs::WINDOWS_1250.decode(&bytes);
        assert!(!bad);
        assert!(
            text.starts_with("\"Dvořák & Syn, a.s.\";-1234,5;"),
            "{text}"
        );
        wb.sheets[0].set_value(CellAddr::new(1, 1), Value::Text("東京".into()));
        let err = write_csv(&wb.sheets[0], &path, &path, &opts, &Progress::hidden())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Data!B2") && err.contains("windows-1250"),
            "{err}"
        );
    }
}
