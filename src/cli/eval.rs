//! `sheetscript eval`: print one cell's computed value, or evaluate a
//! formula against a workbook.

use super::args::{parse_now, GlobalArgs, ReadLimitArgs};
use super::common::{deadline, load_engine, print_warnings};
use sheetscript::formula::{CalcValue, Engine};
use sheetscript::model::address::split_sheet_prefix;
use sheetscript::model::{CellAddr, Value};
use sheetscript::numfmt::format_value_in;
use sheetscript::progress::Progress;
use sheetscript::Result;
use std::path::PathBuf;

/// Arguments of `sheetscript eval`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript eval invoices.xlsx 'Summary!B7'
  sheetscript eval invoices.xlsx '=SUM(Invoices!D2:D100)'
  sheetscript eval invoices.xlsx '=VLOOKUP(\"ACME\",Clients!A:C,3,FALSE)' --sheet Invoices

A cell prints as Excel displays it (its number format applied; --raw for
the plain value). A formula result that is a range or an array prints one
row per line, values separated by tabs.")]
pub struct EvalArgs {
    /// The workbook to read.
    pub input: PathBuf,
    /// A cell such as `Sheet1!B7` (or `B7` on the first sheet), or a
    /// formula starting with `=`.
    pub target: String,
    /// The sheet a formula's unqualified references point to (default:
    /// the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The clock for TODAY() and NOW(), such as 2026-11-27T09:00:00.
    #[arg(long, value_name = "DATETIME", value_parser = parse_now)]
    pub now: Option<chrono::NaiveDateTime>,
    /// Print plain values without number formats.
    #[arg(long)]
    pub raw: bool,
    /// Stop calculating after this many seconds (0 for no limit); nothing
    /// is written then and the exit code is 1.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub timeout: u64,
    /// How much the input may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
}

/// Runs `sheetscript eval`.
pub fn execute(args: &EvalArgs, global: &GlobalArgs) -> Result<()> {
    let progress = Progress::for_terminal(global.quiet);
    let mut engine = load_engine(&args.input, args.now, &progress, args.limits.to_limits())?;
    engine.set_deadline(deadline(args.timeout));
    let target = args.target.trim();
    if !target.starts_with('=') {
        let (sheet, cell) = split_sheet_prefix(target);
        if let Some(addr) = CellAddr::parse(cell) {
            let sheet = sheet
                .or_else(|| args.sheet.clone())
                .unwrap_or_else(|| engine.workbook().sheets[0].name.clone());
            let report = engine.recalc_all();
            report.check_time()?;
            print_warnings(&report.warnings(), global);
            let value = engine.value(&sheet, addr)?;
            println!("{}", show(&engine, &sheet, addr, &value, args.raw));
            return Ok(());
        }
    }
    let report = engine.recalc_all();
    report.check_time()?;
    print_warnings(&report.warnings(), global);
    let result = engine.eval(args.sheet.as_deref(), target)?;
    for line in lines(&engine, result) {
        println!("{line}");
    }
    Ok(())
}

/// A cell's value as Excel shows it (or raw).
fn show(engine: &Engine, sheet: &str, addr: CellAddr, value: &Value, raw: bool) -> String {
    let wb = engine.workbook();
    let style = wb
        .sheet(sheet)
        .map(|s| s.cell_or_empty(addr).style)
        .unwrap_or(0);
    let code = &wb.styles.get(style).number_format;
    if raw || code.is_empty() {
        value.to_string()
    } else {
        format_value_in(value, code, wb.date_system)
    }
}

/// A result as lines of tab-separated values.
fn lines(engine: &Engine, result: CalcValue) -> Vec<String> {
    let wb = engine.workbook();
    match result {
        CalcValue::Value(v) => vec![v.to_string()],
        CalcValue::Array(a) => (0..a.rows)
            .map(|r| {
                a.row_slice(r)
                    .iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect(),
        CalcValue::Ref(area) => area_lines(wb, area),
        CalcValue::Refs(areas) => areas.into_iter().flat_map(|a| area_lines(wb, a)).collect(),
        // A LAMBDA left uncalled, as a cell would show it.
        CalcValue::Lambda(_) => vec!["#CALC!".to_string()],
    }
}

/// The values of an area, one row per line; whole columns and rows stop
/// at the sheet's used cells.
fn area_lines(wb: &sheetscript::model::Workbook, area: sheetscript::formula::Area) -> Vec<String> {
    let Some(sheet) = wb.sheets.get(area.sheet) else {
        return vec!["#REF!".to_string()];
    };
    let r = area.range;
    // Whole columns and rows print only as far as the sheet has cells.
    let used = sheet.used_range();
    let last_row = used.map_or(r.start.row, |u| r.end.row.min(u.end.row.max(r.start.row)));
    let last_col = used.map_or(r.start.col, |u| r.end.col.min(u.end.col.max(r.start.col)));
    (r.start.row..=last_row)
        .map(|row| {
            (r.start.col..=last_col)
                .map(|col| sheet.value(CellAddr::new(row, col)).to_string())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect()
}
