//! `sheetscript report merge`: the batch reports of several shards (or
//! machines) as one.

use super::args::GlobalArgs;
use super::common::print_warnings;
use sheetscript::batch::report;
use sheetscript::Result;
use std::path::PathBuf;

/// Arguments of `sheetscript report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// What to do with reports.
    #[command(subcommand)]
    pub action: ReportAction,
}

/// What `sheetscript report` does.
#[derive(Debug, clap::Subcommand)]
pub enum ReportAction {
    /// Merge batch reports (.csv or .json, as --report wrote them) into
    /// one, sorted by file.
    #[command(after_help = "EXAMPLES:
  sheetscript report merge reports/shard-*.csv -o batch.csv
  sheetscript report merge a.json b.csv -o batch.json

A file named in more than one report is kept each time, with a warning.")]
    Merge {
        /// The reports to merge.
        #[arg(required = true, value_name = "REPORT")]
        reports: Vec<PathBuf>,
        /// The merged report (.csv or .json).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// Runs `sheetscript report`.
pub fn execute(args: &ReportArgs, global: &GlobalArgs) -> Result<()> {
    match &args.action {
        ReportAction::Merge { reports, output } => {
            report::Format::of(output, "-o")?;
            let read = reports
                .iter()
                .map(|r| report::read(r))
                .collect::<Result<Vec<_>>>()?;
            let (rows, warnings) = report::merge(read);
            print_warnings(&warnings, global);
            report::write(output, &rows)?;
            if !global.quiet {
                println!(
                    "wrote {}: {} file(s) from {} report(s)",
                    output.display(),
                    rows.len(),
                    reports.len()
                );
            }
            Ok(())
        }
    }
}
