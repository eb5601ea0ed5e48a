//! What the result pages show of a run, built from the runner's
//! [`Outcome`]: the summary line, the printed lines, the warnings, the
//! changed cells per sheet and a small rendering of the changed sheets
//! with their number formats, the highlights' colours and the charts the
//! run added (drawn by [`crate::render`]).

use super::i18n::Lang;
use crate::batch::Outcome;
use crate::model::address::{column_letters, quote_sheet_name};
use crate::model::{CellAddr, RangeAddr, StyleId, Value, Workbook};
use crate::numfmt::{builtin_format_id, format_value_in};
use crate::render::{cell_looks, chart_svg, LookOptions};
use crate::script::check::Finding;
use crate::script::RunOutcome;
use serde::Serialize;
use std::collections::HashMap;

/// Changed cells listed per sheet; past it the page says how many more.
pub const MAX_LISTED: usize = 2_000;
/// Changed cells listed on the whole page, so a run that touches many
/// sheets still makes a page a browser opens.
const MAX_LISTED_ALL: usize = 10_000;
/// Changed sheets drawn as grids.
const MAX_GRIDS: usize = 8;
/// Rows of a change table shown at first; "show more" shows as many
/// again.
pub const PAGE_ROWS: usize = 25;
/// Rows and columns of a rendered sheet.
const GRID_ROWS: u32 = 40;
const GRID_COLS: u32 = 16;
/// Longest text shown in one rendered cell.
const CELL_CHARS: usize = 60;

/// The changes of one sheet, as the change table lists them.
#[derive(Debug, Serialize)]
pub struct SheetChanges {
    /// The sheet's name.
    pub name: String,
    /// Cell, old and new content of the listed cells.
    pub rows: Vec<[String; 3]>,
    /// What goes before a cell's address to name it on this sheet in an
    /// explain link (`'Q1 2026'%21`, URL-encoded).
    pub explain_prefix: String,
    /// How many more changed cells there are than are listed.
    pub unlisted: usize,
}

/// One sheet drawn as a small grid.
#[derive(Debug, Serialize)]
pub struct Grid {
    /// The sheet's name.
    pub name: String,
    /// Column letters.
    pub cols: Vec<String>,
    /// Row number and cells.
    pub rows: Vec<(u32, Vec<GridCell>)>,
    /// Rows and columns of the used range left out.
    pub more_rows: u32,
    /// See `more_rows`.
    pub more_cols: u32,
    /// See [`SheetChanges::explain_prefix`].
    pub explain_prefix: String,
    /// The charts the run added to the sheet, as SVG.
    pub charts: Vec<ChartView>,
    /// What could not be drawn (a chart over too many points, a highlight
    /// whose formula fails), so that nothing is left out unsaid.
    pub problems: Vec<String>,
}

/// One chart of a [`Grid`]'s sheet.
#[derive(Debug, Serialize)]
pub struct ChartView {
    /// The chart's name.
    pub name: String,
    /// The chart as an SVG element, its text escaped by the drawing
    /// library, ready to go into the page as it is.
    pub svg: String,
}

/// One cell of a [`Grid`].
#[derive(Debug, Serialize)]
pub struct GridCell {
    /// The value as Excel shows it with the cell's number format.
    pub text: String,
    /// `new` (the run filled an empty cell), `changed` (the run changed
    /// it), with `num` added for numbers, which align right.
    pub class: String,
    /// The highlights' look as CSS (fill, font colour, bold, data bar);
    /// empty when no highlight picks the cell.
    pub style: String,
    /// The cell's address (`H2`) when the run changed it, for its explain
    /// link; empty otherwise.
    pub cell: String,
}

/// One finding of the script's check, as the page lists it.
#[derive(Debug, Serialize)]
pub struct FindingView {
    /// `line:col`, empty when the finding has no one place.
    pub at: String,
    /// What is wrong.
    pub message: String,
    /// `did you mean "Net"?` when a name is close, or empty.
    pub suggestion: String,
}

/// The check's findings as the page lists them.
pub fn findings(found: &[Finding]) -> Vec<FindingView> {
    found
        .iter()
        .map(|f| {
            // The check's message ends in its suggestion; the page shows
            // the suggestion on its own.
            const MEANT: &str = "; did you mean ";
            let (message, suggestion) = match (f.message.rfind(MEANT), &f.suggestion) {
                (Some(at), _) => (f.message[..at].to_string(), f.message[at + 2..].to_string()),
                (None, Some(name)) => (f.message.clone(), format!("did you mean \"{name}\"?")),
                (None, None) => (f.message.clone(), String::new()),
            };
            FindingView {
                at: if f.line == 0 {
                    String::new()
                } else {
                    format!("{}:{}", f.line, f.column)
                },
                message,
                suggestion,
            }
        })
        .collect()
}

/// The sheet part of an explain link's `cell=` value: the sheet's name as
/// a formula writes it, then `!`, URL-encoded.
fn explain_prefix(sheet: &str) -> String {
    url_encode(&format!("{}!", quote_sheet_name(sheet)))
}

/// `text` with every byte but letters, digits and `-._~` written as `%XX`,
/// as a URL query value needs.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The summary line: how many cells changed and what the run added,
/// renamed or removed.
pub fn summary(outcome: &Outcome, lang: Lang) -> String {
    let events = match (&outcome.dry_run, outcome.detail.split_once("; ")) {
        (Some(run), _) => run.events().join("; "),
        (None, Some((_, events))) => events.to_string(),
        (None, None) => String::new(),
    };
    let mut line = format!(
        "{} {}",
        lang.count(outcome.changed),
        lang.word("cells_changed")
    );
    if !events.is_empty() {
        line.push_str("; ");
        line.push_str(&events);
    }
    line
}

/// The changed cells grouped by sheet, in the order the run reports them.
pub fn changes_by_sheet(run: &RunOutcome) -> Vec<SheetChanges> {
    let mut sheets: Vec<SheetChanges> = Vec::new();
    let mut listed = 0;
    for c in run.changes() {
        let at = match sheets.iter().position(|s| s.name == c.sheet) {
            Some(i) => i,
            None => {
                sheets.push(SheetChanges {
                    explain_prefix: explain_prefix(&c.sheet),
                    name: c.sheet.clone(),
                    rows: Vec::new(),
                    unlisted: 0,
                });
                sheets.len() - 1
            }
        };
        let sheet = &mut sheets[at];
        if sheet.rows.len() < MAX_LISTED && listed < MAX_LISTED_ALL {
            listed += 1;
            sheet.rows.push([c.cell, c.old, c.new]);
        } else {
            sheet.unlisted += 1;
        }
    }
    sheets
}

/// The changed sheets drawn as grids: the first rows and columns of each
/// one's used range, values shown with their number formats in `lang`'s
/// conventions, the changed cells marked, the highlights coloured as of
/// `today`, and the charts the run added beside them.
pub fn grids(
    run: &RunOutcome,
    changes: &[SheetChanges],
    lang: Lang,
    today: chrono::NaiveDate,
) -> Vec<Grid> {
    let workbook = &run.workbook;
    // The changed sheets, then those whose only news is a chart or a
    // highlight the run added: they would otherwise show nothing.
    let mut drawn: Vec<(&str, HashMap<&str, bool>)> = changes
        .iter()
        .map(|sc| {
            let marks = sc
                .rows
                .iter()
                .map(|[cell, old, _]| (cell.as_str(), old.is_empty()))
                .collect();
            (sc.name.as_str(), marks)
        })
        .collect();
    for sheet in &workbook.sheets {
        let decorated = !sheet.visuals.charts.is_empty() || !sheet.visuals.highlights.is_empty();
        if decorated && !drawn.iter().any(|(name, _)| *name == sheet.name) {
            drawn.push((sheet.name.as_str(), HashMap::new()));
        }
    }
    drawn
        .into_iter()
        .take(MAX_GRIDS)
        .filter_map(|(sheet_name, marks)| {
            let sheet = workbook.sheet(sheet_name)?;
            let used = sheet.used_range()?;
            let last_row = used.end.row.min(used.start.row + GRID_ROWS - 1);
            let last_col = used.end.col.min(used.start.col + GRID_COLS - 1);
            let cols: Vec<u32> = (used.start.col..=last_col).collect();
            let window = RangeAddr::new(used.start, CellAddr::new(last_row, last_col));
            let mut problems = Vec::new();
            let looks = cell_looks(workbook, sheet_name, window, &LookOptions::new(today))
                .unwrap_or_else(|e| {
                    problems.push(e.to_string());
                    Default::default()
                });
            let mut charts = Vec::new();
            for spec in &sheet.visuals.charts {
                match chart_svg(workbook, spec) {
                    Ok(svg) => charts.push(ChartView {
                        name: spec.title.clone().unwrap_or_else(|| spec.name.clone()),
                        svg,
                    }),
                    Err(e) => problems.push(e.to_string()),
                }
            }
            let rows = (used.start.row..=last_row)
                .map(|r| {
                    let cells = cols
                        .iter()
                        .map(|&c| {
                            let addr = CellAddr::new(r, c);
                            let name = format!("{}{}", column_letters(c), r + 1);
                            let cell = sheet.cell_or_empty(addr);
                            let text = shown(workbook, &cell.value, cell.style, lang);
                            let mut class = match marks.get(name.as_str()) {
                                Some(true) => "new".to_string(),
                                Some(false) => "changed".to_string(),
                                None => String::new(),
                            };
                            let cell_name = if class.is_empty() {
                                String::new()
                            } else {
                                name
                            };
                            if matches!(cell.value, Value::Number(_) | Value::Date(_)) {
                                class.push_str(if class.is_empty() { "num" } else { " num" });
                            }
                            let style = looks.get(&addr).map(|l| l.css()).unwrap_or_default();
                            GridCell {
                                text,
                                class,
                                style,
                                cell: cell_name,
                            }
                        })
                        .collect();
                    (r + 1, cells)
                })
                .collect();
            Some(Grid {
                name: sheet_name.to_string(),
                explain_prefix: explain_prefix(sheet_name),
                cols: cols.iter().map(|&c| column_letters(c)).collect(),
                rows,
                more_rows: used.end.row - last_row,
                more_cols: used.end.col - last_col,
                charts,
                problems,
            })
        })
        .collect()
}

/// A value as Excel shows it with the cell's number format. Czech Excel
/// writes a format's `,` and `.` as its own separators and the system
/// short date (built-in format 14) as `d.m.yyyy`.
fn shown(workbook: &Workbook, value: &Value, style: StyleId, lang: Lang) -> String {
    let code = &workbook.styles.get(style).number_format;
    let code = match lang {
        Lang::Cs if builtin_format_id(code) == Some(14) => "d.m.yyyy",
        _ => code.as_str(),
    };
    let text = format_value_in(value, code, workbook.date_system);
    let text = match value {
        Value::Number(_) => lang.localize_number(&text),
        _ => text,
    };
    if text.chars().count() > CELL_CHARS {
        let mut cut: String = text.chars().take(CELL_CHARS - 1).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{run_script, ScriptOptions};

    #[test]
    fn long_runs_are_listed_in_part_and_drawn_small() {
        let source =
            "let s = sheet(\"Sheet1\");\nfor i in 1..=2500 { s.set(`A${i}`, i * 1000); }\n";
        let mut wb = Workbook::new();
        wb.add_sheet("Sheet1").unwrap();
        let run = run_script(source, "t.rhai", wb, ScriptOptions::default()).unwrap();
        let sheets = changes_by_sheet(&run);
        assert_eq!(sheets.len(), 1);
        assert_eq!(
            (sheets[0].rows.len(), sheets[0].unlisted),
            (MAX_LISTED, 500)
        );
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let grid = &grids(&run, &sheets, Lang::Cs, today)[0];
        assert_eq!(grid.rows.len(), GRID_ROWS as usize);
        assert_eq!(grid.more_rows, 2500 - GRID_ROWS);
        let first = &grid.rows[1].1[0];
        assert_eq!(
            (first.text.as_str(), first.class.as_str()),
            ("2000", "new num")
        );
    }

    #[test]
    fn findings_show_their_place_and_suggestion_apart() {
        let found = crate::script::check_script("let x = 1;\nprnt(x);\n", "t.rhai", None).unwrap();
        let shown = findings(&found);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].at, "2:1");
        assert!(
            !shown[0].message.contains("did you mean"),
            "{}",
            shown[0].message
        );
        assert_eq!(shown[0].suggestion, "did you mean print?");
        assert_eq!(explain_prefix("Q1 2026"), "%27Q1%202026%27%21");
        assert_eq!(url_encode("Invoices!H2"), "Invoices%21H2");
    }

    #[test]
    fn a_sheet_with_only_a_chart_is_drawn() {
        let mut wb = Workbook::new();
        wb.add_sheet("Sheet1").unwrap();
        wb.add_sheet("Data").unwrap();
        let source = "let d = sheet(\"Data\");\nd.set(\"A1\", [\"k\", \"v\"]);\nd.set(\"A2\", [\"a\", 1]);\n";
        let run = run_script(source, "t.rhai", wb, ScriptOptions::default()).unwrap();
        let mut wb = run.workbook;
        wb.sheets.iter_mut().for_each(|s| s.clear_changes());
        let chart = "sheet(\"Data\").add_chart(\"column\", \"A1:B2\", #{ name: \"C\" });\n";
        let run = run_script(chart, "t.rhai", wb, ScriptOptions::default()).unwrap();
        let sheets = changes_by_sheet(&run);
        assert!(sheets.is_empty());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let drawn = grids(&run, &sheets, Lang::En, today);
        assert_eq!(drawn.len(), 1);
        assert_eq!((drawn[0].name.as_str(), drawn[0].charts.len()), ("Data", 1));
    }

    #[test]
    fn a_sheet_shows_its_chart_and_its_highlighted_cells() {
        let source = "let s = sheet(\"Sheet1\");\n\
            s.set(\"A1\", [\"Bucket\", \"Amount\"]);\n\
            s.set(\"A2\", [\"0-30\", 100]);\n\
            s.set(\"A3\", [\"90+\", 400]);\n\
            s.add_chart(\"column\", \"A1:B3\", #{ name: \"Age\", title: \"By age\" });\n\
            s.highlight(\"B2:B3\", \"> 90\", \"red\");\n\
            s.highlight(\"B2:B3\", \"> 200\", \"bold\");\n";
        let mut wb = Workbook::new();
        wb.add_sheet("Sheet1").unwrap();
        let run = run_script(source, "t.rhai", wb, ScriptOptions::default()).unwrap();
        let sheets = changes_by_sheet(&run);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let grid = &grids(&run, &sheets, Lang::En, today)[0];
        assert_eq!(grid.charts.len(), 1);
        assert_eq!(grid.charts[0].name, "By age");
        assert!(grid.charts[0].svg.starts_with("<svg"));
        assert!(grid.problems.is_empty(), "{:?}", grid.problems);
        let style = |row: usize| grid.rows[row].1[1].style.clone();
        assert_eq!(style(0), "");
        assert_eq!(style(1), "background-color:#FFC7CE;color:#9C0006;");
        assert_eq!(
            style(2),
            "background-color:#FFC7CE;color:#9C0006;font-weight:bold;"
        );
    }
}
