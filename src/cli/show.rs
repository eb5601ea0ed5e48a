//! `sheetscript show`: a summary line per sheet, then the cells as a
//! terminal table with values as the user sees them in Excel.

use super::args::{CsvArgs, GlobalArgs, ReadLimitArgs};
use super::common::print_read_notes;
use sheetscript::formula::{has_uncached_formulas, uncached_note, Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::address::{column_letters, split_sheet_prefix};
use sheetscript::model::{CellAddr, RangeAddr, Sheet, Value, Visibility, Workbook};
use sheetscript::numfmt::{format_cell_in, Formatted};
use sheetscript::progress::Progress;
use sheetscript::{Error, Result};
use std::path::PathBuf;

/// Rows shown per sheet when no `--range` is given.
pub const DEFAULT_ROWS: u32 = 50;

/// Widest a column is drawn; longer texts are cut with `…`.
const MAX_WIDTH: usize = 40;

/// Arguments of `sheetscript show`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript show samples/invoices.xlsx
  sheetscript show samples/invoices.xlsx --sheet Summary
  sheetscript show samples/ledger.xlsx --range Ledger!A1:E10
  sheetscript show samples/bank-statement.csv --rows 10
  sheetscript show export.csv --delimiter ';' --decimal-comma --encoding windows-1250
  sheetscript show vypis.csv --header-row 4")]
pub struct ShowArgs {
    /// The workbook (xlsx, xlsm, xlsb, xls, ods or CSV).
    pub file: PathBuf,
    /// Show only this sheet.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Show only these cells, such as `A1:F20` or `Summary!A1:B4`
    /// (without a sheet: the `--sheet` sheet, or the first).
    #[arg(long, value_name = "RANGE")]
    pub range: Option<String>,
    /// Rows shown per sheet when no --range is given.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_ROWS)]
    pub rows: u32,
    /// How to read a CSV input.
    #[command(flatten)]
    pub csv: CsvArgs,
    /// How much the input may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
}

/// Runs `sheetscript show`.
pub fn execute(args: &ShowArgs, global: &GlobalArgs) -> Result<()> {
    let options = ReadOptions {
        progress: Progress::for_terminal(global.quiet),
        csv: args.csv.to_options()?,
        limits: args.limits.to_limits(),
    };
    let mut workbook = read_workbook(&args.file, &options)?;
    if has_uncached_formulas(&workbook) {
        // Show what Excel would show, not blanks, for formulas saved
        // without a result.
        let mut engine = Engine::new(workbook, EngineOptions::default());
        let (count, _) = engine.recalc_uncached();
        workbook = engine.into_workbook();
        workbook
            .read_notes
            .extend(uncached_note("the workbook", count));
    }
    print_read_notes(&workbook, &args.file, global);
    print!("{}", render(&workbook, args)?);
    Ok(())
}

/// The whole `show` output for `workbook`.
pub fn render(workbook: &Workbook, args: &ShowArgs) -> Result<String> {
    let (range_sheet, range) = match &args.range {
        Some(text) => {
            let (sheet, addr) = split_sheet_prefix(text);
            let range = RangeAddr::parse(addr).ok_or_else(|| {
                Error::Usage(format!(
                    "--range {text}: not a cell range (expected something like A1:F20)"
                ))
            })?;
            (sheet, Some(range))
        }
        None => (None, None),
    };
    let wanted = range_sheet.or_else(|| args.sheet.clone());
    let sheets: Vec<&Sheet> = match &wanted {
        Some(name) => vec![find_sheet(workbook, name)?],
        None if range.is_some() => workbook.sheets.iter().take(1).collect(),
        None => workbook.sheets.iter().collect(),
    };

    let mut out = String::new();
    let kind = workbook
        .source
        .as_ref()
        .map(|s| format!(" ({})", s.format.name()))
        .unwrap_or_default();
    let file = workbook
        .source
        .as_ref()
        .map(|s| s.path.display().to_string())
        .unwrap_or_default();
    let title = if file.is_empty() {
        String::new()
    } else {
        format!("{file}{kind}: ")
    };
    out.push_str(&format!(
        "{title}{} sheet{}\n",
        workbook.sheets.len(),
        plural(workbook.sheets.len())
    ));
    for sheet in &workbook.sheets {
        out.push_str(&summary_line(workbook, sheet));
        out.push('\n');
    }
    for sheet in sheets {
        out.push('\n');
        out.push_str(&format!("── {} ──\n", sheet.name));
        out.push_str(&render_cells(workbook, sheet, range, args.rows));
    }
    Ok(out)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn find_sheet<'a>(workbook: &'a Workbook, name: &str) -> Result<&'a Sheet> {
    workbook.sheet(name).ok_or_else(|| {
        Error::Usage(format!(
            "there is no sheet named \"{name}\"; the sheets are: {}",
            workbook.sheet_names().join(", ")
        ))
    })
}

/// `  Invoices  A1:G41 (41 rows × 7 columns), 0 formulas, table Invoices, hidden`
pub fn summary_line(workbook: &Workbook, sheet: &Sheet) -> String {
    let mut parts = Vec::new();
    match sheet.used_range() {
        Some(r) => parts.push(format!(
            "{} ({} row{} × {} column{})",
            r.to_a1(),
            r.rows(),
            plural(r.rows() as usize),
            r.cols(),
            plural(r.cols() as usize)
        )),
        None => parts.push("empty".to_string()),
    }
    let formulas = sheet.formula_count();
    parts.push(format!("{formulas} formula{}", plural(formulas)));
    let tables: Vec<&str> = workbook
        .tables
        .iter()
        .filter(|t| t.sheet.eq_ignore_ascii_case(&sheet.name))
        .map(|t| t.name.as_str())
        .collect();
    if !tables.is_empty() {
        parts.push(format!(
            "table{} {}",
            plural(tables.len()),
            tables.join(", ")
        ));
    }
    match sheet.visibility {
        Visibility::Visible => {}
        Visibility::Hidden => parts.push("hidden".to_string()),
        Visibility::VeryHidden => parts.push("very hidden".to_string()),
    }
    format!("  {}: {}", sheet.name, parts.join(", "))
}

/// Whether Excel right-aligns this value by default.
fn right_aligned(value: &Value) -> bool {
    matches!(value, Value::Number(_) | Value::Date(_))
}

fn cut(text: &str) -> String {
    // Line breaks inside a cell would break the table.
    let flat = text.replace(['\r', '\n', '\t'], " ");
    if flat.chars().count() > MAX_WIDTH {
        let mut s: String = flat.chars().take(MAX_WIDTH - 1).collect();
        s.push('…');
        s
    } else {
        flat
    }
}

/// The cells of `range` (default: the used range, first `max_rows` rows)
/// as a table with column letters and row numbers.
pub fn render_cells(
    workbook: &Workbook,
    sheet: &Sheet,
    range: Option<RangeAddr>,
    max_rows: u32,
) -> String {
    let Some(used) = sheet.used_range() else {
        return "(empty sheet)\n".to_string();
    };
    let (area, limit) = match range {
        // Whole rows or columns stop at the used range.
        Some(r) => (
            RangeAddr::new(
                r.start,
                CellAddr::new(r.end.row.min(used.end.row), r.end.col.min(used.end.col)),
            ),
            u32::MAX,
        ),
        None => (used, max_rows),
    };
    if area.start.row > area.end.row || area.start.col > area.end.col {
        return "(no cells in that range)\n".to_string();
    }
    let shown_rows = area.rows().min(limit);
    let cols: Vec<u32> = (area.start.col..=area.end.col).collect();
    // Per cell: its text, right-aligned or not, and the `*` fill of its
    // format (spread once the column's width is known).
    let mut grid: Vec<Vec<(String, bool, Option<Formatted>)>> =
        Vec::with_capacity(shown_rows as usize);
    for r in area.start.row..area.start.row + shown_rows {
        let row = cols
            .iter()
            .map(|&c| {
                let cell = sheet.cell_or_empty(CellAddr::new(r, c));
                let style = workbook.styles.get(cell.style);
                let formatted =
                    format_cell_in(&cell.value, &style.number_format, workbook.date_system);
                let text = cut(&formatted.text);
                let fill =
                    (formatted.fill.is_some() && text == formatted.text).then_some(formatted);
                (text, right_aligned(&cell.value), fill)
            })
            .collect();
        grid.push(row);
    }
    let row_label_width = (area.start.row + shown_rows).to_string().len();
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            grid.iter()
                .map(|row| row[i].0.chars().count())
                .chain([column_letters(c).len()])
                .max()
                .unwrap_or(1)
        })
        .collect();

    let mut out = String::new();
    out.push_str(&" ".repeat(row_label_width));
    for (i, &c) in cols.iter().enumerate() {
        out.push_str(" │ ");
        out.push_str(&pad(&column_letters(c), widths[i], false));
    }
    trim_line_end(&mut out);
    out.push('\n');
    out.push_str(&"─".repeat(row_label_width));
    for w in &widths {
        out.push_str("─┼─");
        out.push_str(&"─".repeat(*w));
    }
    out.push('\n');
    for (k, row) in grid.iter().enumerate() {
        let label = (area.start.row + k as u32 + 1).to_string();
        out.push_str(&pad(&label, row_label_width, true));
        for (i, (text, right, fill)) in row.iter().enumerate() {
            out.push_str(" │ ");
            match fill {
                Some(formatted) => out.push_str(&formatted.fill_to(widths[i])),
                None => out.push_str(&pad(text, widths[i], *right)),
            }
        }
        trim_line_end(&mut out);
        out.push('\n');
    }
    if shown_rows < area.rows() {
        let more = area.rows() - shown_rows;
        out.push_str(&format!(
            "… {more} more row{} (rows {}-{}); use --range or --rows to see them\n",
            plural(more as usize),
            area.start.row + shown_rows + 1,
            area.end.row + 1
        ));
    }
    out
}

/// Drops the trailing spaces of the line being built: noise in a terminal
/// and in diffs.
fn trim_line_end(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
}

fn pad(text: &str, width: usize, right: bool) -> String {
    let len = text.chars().count();
    let fill = " ".repeat(width.saturating_sub(len));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sheetscript::model::Number;

    fn book() -> Workbook {
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        wb.add_sheet("Notes").unwrap();
        wb.sheets[1].visibility = Visibility::Hidden;
        let s = &mut wb.sheets[0];
        s.set_value(CellAddr::new(0, 0), Value::Text("Item".into()));
        s.set_value(CellAddr::new(0, 1), Value::Text("Amount".into()));
        for r in 1..=60u32 {
            s.set_value(CellAddr::new(r, 0), Value::text(format!("item {r}")));
            s.set_value(
                CellAddr::new(r, 1),
                Value::Number(Number::from_i64(i64::from(r) * 100)),
            );
        }
        s.set_formula(
            CellAddr::new(61, 1),
            "SUM(B2:B61)",
            Value::from_f64(183000.0),
        );
        wb
    }

    fn args(range: Option<&str>, sheet: Option<&str>) -> ShowArgs {
        ShowArgs {
            file: PathBuf::from("x.xlsx"),
            sheet: sheet.map(String::from),
            range: range.map(String::from),
            rows: DEFAULT_ROWS,
            csv: CsvArgs::default(),
            limits: ReadLimitArgs::default(),
        }
    }

    #[test]
    fn summary_names_size_formulas_and_visibility() {
        let wb = book();
        assert_eq!(
            summary_line(&wb, &wb.sheets[0]),
            "  Data: A1:B62 (62 rows × 2 columns), 1 formula"
        );
        assert_eq!(
            summary_line(&wb, &wb.sheets[1]),
            "  Notes: empty, 0 formulas, hidden"
        );
    }

    #[test]
    fn long_sheets_are_cut_with_a_note_and_numbers_align_right() {
        let wb = book();
        let text = render(&wb, &args(None, Some("data"))).unwrap();
        assert!(text.contains("  │ A       │ B\n"), "{text}");
        assert!(text.contains(" 2 │ item 1  │    100\n"), "{text}");
        assert!(text.contains("50 │ item 49 │   4900\n"), "{text}");
        assert!(!text.contains("item 50 "));
        assert!(text.contains("… 12 more rows (rows 51-62)"), "{text}");
    }

    #[test]
    fn a_range_shows_exactly_those_cells() {
        let wb = book();
        let text = render(&wb, &args(Some("Data!B60:C70"), None)).unwrap();
        assert!(text.contains("60 │   5900\n"), "{text}");
        assert!(text.contains("62 │ 183000"), "{text}");
        assert!(!text.contains("more row"));
        let e = render(&wb, &args(Some("Nope!A1"), None)).unwrap_err();
        assert!(e.to_string().contains("Data, Notes"), "{e}");
        assert!(render(&wb, &args(Some("A1:??"), None)).is_err());
    }
}
