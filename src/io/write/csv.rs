//! Writes one sheet as CSV: plain data for other programs, not a picture of
//! the sheet. Numbers in plain decimal form (no thousands separators,
//! currency signs or exponents), dates and times in ISO form, booleans as
//! TRUE/FALSE, errors as Excel writes them, formulas as their cached values.

use crate::model::{CellAddr, ErrorKind, Number, Sheet, Value, Workbook};
use crate::progress::Progress;
use crate::{Error, Result};
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
    ];
    for (n, what) in counts {
        if n > 0 {
            warnings.push(format!(
                "{n} {what} on \"{}\" not carried into CSV",
                sheet.name
            ));
        }
    }
    for f in &workbook.package_features {
        warnings.push(format!("not carried into CSV: {f}"));
    }
    warnings
}

/// Writes `sheet` as comma-separated UTF-8 text to `target` (`output` is
/// the path the user asked for, used in messages). The grid starts at A1 so
/// that positions are kept.
pub fn write_csv(sheet: &Sheet, target: &Path, output: &Path, progress: &Progress) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| Error::write(output, e.to_string());
    // Readers (ours included) guess the delimiter from the text: an
    // unquoted `;`, tab or `|` in a field could win over the comma, so a
    // sheet with such text has its text fields quoted.
    let ambiguous = sheet
        .cells()
        .any(|(_, c)| matches!(&c.value, Value::Text(t) if t.contains([';', '\t', '|'])));
    let quote = if ambiguous {
        ::csv::QuoteStyle::NonNumeric
    } else {
        ::csv::QuoteStyle::Necessary
    };
    let mut w = ::csv::WriterBuilder::new()
        .quote_style(quote)
        .from_path(target)
        .map_err(|e| fail(&e))?;
    if let Some(used) = sheet.used_range() {
        let width = used.end.col as usize + 1;
        progress.start(
            &format!("Writing {}", sheet.name),
            u64::from(used.end.row) + 1,
        );
        let mut record: Vec<String> = Vec::with_capacity(width);
        for r in 0..=used.end.row {
            record.clear();
            record.extend((0..width).map(|c| csv_text(sheet.value(CellAddr::new(r, c as u32)))));
            w.write_record(&record).map_err(|e| fail(&e))?;
            progress.inc(1);
        }
    }
    w.flush().map_err(|e| fail(&e))?;
    progress.finish();
    Ok(())
}

/// A value as CSV data: like its plain display, but numbers never in
/// exponent form (`1E+30` would be read back as text by some programs).
fn csv_text(value: &Value) -> String {
    match value {
        Value::Number(Number::Float(x)) if !x.is_finite() => ErrorKind::Num.as_str().to_string(),
        // Rust prints every finite double in plain decimal form.
        Value::Number(Number::Float(x)) => x.to_string(),
        Value::Number(Number::Exact(d)) => d.normalize().to_string(),
        v => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        s.set_value(CellAddr::new(2, 0), Value::Number(Number::Float(1e22)));
        s.set_value(CellAddr::new(2, 1), Value::Number(Number::Float(1.5e-10)));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_csv(&wb.sheets[0], &path, &path, &Progress::hidden()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "\"Name, with comma\",,1234567.5\n,2026-11-30,2469135\n10000000000000000000000,0.00000000015,\n"
        );
        let warnings = csv_warnings(&wb, &wb.sheets[0]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("\"Other\""));
        assert!(warnings[1].contains("1 formula"));
    }

    #[test]
    fn text_with_another_delimiter_is_quoted() {
        // `;,0` reads as two fields split at the `;`; `";",0` does not.
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let s = &mut wb.sheets[0];
        s.set_value(CellAddr::new(0, 0), Value::Text(";".into()));
        s.set_value(CellAddr::new(0, 1), Value::Number(Number::ZERO));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_csv(&wb.sheets[0], &path, &path, &Progress::hidden()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "\";\",0\n");
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
}
