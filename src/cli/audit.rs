//! `sheetscript audit`: print what Excel's error checking and a careful
//! reviewer would flag in a workbook, as lines or as JSON.

use super::args::{CsvArgs, GlobalArgs, ReadLimitArgs};
use super::common::{deadline, print_read_notes, print_warnings};
use sheetscript::analysis::audit::{audit, AuditReport, Finding, Level};
use sheetscript::formula::{has_uncached_formulas, uncached_note, Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::address::quote_sheet_name;
use sheetscript::progress::Progress;
use sheetscript::{Error, Result};
use std::path::PathBuf;

/// Runs of cells a line shows before saying how many more there are.
const RANGES_SHOWN: usize = 6;

/// Arguments of `sheetscript audit`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript audit samples/invoices.xlsx
  sheetscript audit month-end.xlsx --json > findings.json
  sheetscript audit month-end.xlsx --recalc

One line per finding: level, cells, kind and what is wrong, e.g.

  error    Sales!G33   error-value: =D33/B33 gives #DIV/0!; 1 more cell shows the error through it (G42)
  warning  Sales!E25   inconsistent-formula: =D25*0.2 differs from the formulas above and below it, which would read =D25*0.21 here
  warning  Sales!D42   total-omits-cells: =SUM(D2:D40) leaves out D41 (1 number just past the end of its range)

Kinds: error-value, circular-reference (errors); inconsistent-formula,
constant-among-formulas, total-omits-cells, number-as-text, reads-text,
hidden-feeds-visible, external-link (warnings); reads-empty,
volatile-functions, not-audited (info).

The values audited are the ones the file saved (formulas saved without a
result are computed first); --recalc computes every formula first.
Exit codes: 0 nothing at error level, 1 something at error level, 2 the
file cannot be read.")]
pub struct AuditArgs {
    /// The workbook (xlsx, xlsm, xlsb, xls, ods or CSV).
    pub file: PathBuf,
    /// Print the findings as JSON (for tools) instead of lines.
    #[arg(long)]
    pub json: bool,
    /// Compute every formula before auditing, trusting no saved result.
    #[arg(long)]
    pub recalc: bool,
    /// Stop calculating after this many seconds (0 for no limit); the
    /// exit code is then 1 and nothing is audited.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub timeout: u64,
    /// How to read a CSV input.
    #[command(flatten)]
    pub csv: CsvArgs,
    /// How much the input may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
}

/// Runs `sheetscript audit`; returns 1 when something at error level was
/// found.
pub fn execute(args: &AuditArgs, global: &GlobalArgs) -> Result<i32> {
    let options = ReadOptions {
        progress: Progress::for_terminal(global.quiet),
        csv: args.csv.to_options()?,
        limits: args.limits.to_limits(),
    };
    let mut workbook = read_workbook(&args.file, &options)?;
    if workbook.sheets.is_empty() {
        return Err(Error::Usage(format!(
            "{} has no sheets",
            args.file.display()
        )));
    }
    if args.recalc || has_uncached_formulas(&workbook) {
        let mut engine = Engine::new(
            workbook,
            EngineOptions {
                deadline: deadline(args.timeout),
                ..EngineOptions::default()
            },
        );
        let report = if args.recalc {
            engine.recalc_all()
        } else {
            let (count, report) = engine.recalc_uncached();
            engine
                .workbook_mut()
                .read_notes
                .extend(uncached_note("the workbook", count));
            report
        };
        report.check_time()?;
        print_warnings(&report.warnings(), global);
        workbook = engine.into_workbook();
    }
    print_read_notes(&workbook, &args.file, global);
    let report = audit(&workbook);
    if args.json {
        let json = serde_json::to_string_pretty(&report)
            .map_err(|e| Error::Usage(format!("the findings cannot be written as JSON: {e}")))?;
        println!("{json}");
    } else {
        print!("{}", render(&args.file.display().to_string(), &report));
    }
    Ok(i32::from(report.has_errors()))
}

/// The findings as lines: a summary, then one line per finding.
pub fn render(file: &str, report: &AuditReport) -> String {
    let counted = |level: Level, one: &str, many: &str| {
        let n = report.count(level);
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let mut out = format!(
        "{file}: {}, {}, {} ({} formula{} audited)\n",
        counted(Level::Error, "error", "errors"),
        counted(Level::Warning, "warning", "warnings"),
        counted(Level::Info, "note", "notes"),
        report.formulas,
        if report.formulas == 1 { "" } else { "s" }
    );
    let width = report
        .findings
        .iter()
        .map(|f| cells(f).chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for f in &report.findings {
        out.push_str(&format!(
            "{:<8} {:<width$}  {}: {}\n",
            f.level.name(),
            cells(f),
            f.kind.name(),
            f.message
        ));
    }
    for (kind, n) in &report.left_out {
        out.push_str(&format!(
            "… and {n} more {kind} finding{} (--json lists the same first ones; fix these and \
             audit again)\n",
            if *n == 1 { "" } else { "s" }
        ));
    }
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// `Sheet!D2:D40, F7 (+3 more)`: a finding's cells as a line shows them.
fn cells(f: &Finding) -> String {
    let sheet = quote_sheet_name(&f.sheet);
    let shown: Vec<&str> = f
        .cells
        .iter()
        .take(RANGES_SHOWN)
        .map(String::as_str)
        .collect();
    let more = f.cells.len().saturating_sub(RANGES_SHOWN) + f.ranges_left_out;
    let mut text = format!("{sheet}!{}", shown.join(","));
    if more > 0 {
        text.push_str(&format!(" (+{more} more)"));
    }
    text
}
