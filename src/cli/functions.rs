//! `sheetscript functions`: the script API reference, generated from the
//! functions the script engine registers, or with `--excel` the Excel
//! functions the formula engine knows, generated from its registry so the
//! list can never drift from what formulas can call.

use super::GlobalArgs;
use sheetscript::formula::functions;
use sheetscript::script::{api_reference, FORMAT_HELP};
use sheetscript::{Error, Result};
use std::io::Write;

/// Arguments of `sheetscript functions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript functions            # the whole script API reference
  sheetscript functions table      # only entries whose name or doc mention \"table\"
  sheetscript functions round
  sheetscript functions header     # the //! header a script describes itself with
  sheetscript functions --excel    # every Excel function formulas can use
  sheetscript functions --excel date")]
pub struct FunctionsArgs {
    /// Show only entries whose signature or description contains this
    /// word (case-insensitive).
    pub filter: Option<String>,
    /// List the Excel functions formulas can use (name, then what it
    /// does) instead of the script API.
    #[arg(long)]
    pub excel: bool,
}

/// Runs `sheetscript functions`.
pub fn execute(args: &FunctionsArgs, _global: &GlobalArgs) -> Result<()> {
    let filter = args.filter.as_deref().map(str::to_lowercase);
    let mentions = |text: &str| {
        filter
            .as_deref()
            .is_none_or(|f| text.to_lowercase().contains(f))
    };
    if args.excel {
        let lines = excel_function_lines()
            .into_iter()
            .filter(|line| mentions(line))
            .collect();
        return print_listing(lines, "Excel", args);
    }
    let mut entries: Vec<String> = api_reference()
        .into_iter()
        .filter(|e| mentions(&e.signature) || mentions(&e.doc))
        .map(|e| format!("{}\n    {}", e.signature, e.doc))
        .collect();
    let header = header_section();
    if mentions(&header) {
        entries.push(header);
    }
    print_listing(entries, "script", args)
}

/// Prints a listing's entries; none is a usage error naming the filter
/// and which functions (`what`: "script", "Excel") were searched.
fn print_listing(entries: Vec<String>, what: &str, args: &FunctionsArgs) -> Result<()> {
    if entries.is_empty() {
        return Err(Error::Usage(format!(
            "no {what} function matches \"{}\"",
            args.filter.as_deref().unwrap_or_default()
        )));
    }
    let mut out = std::io::stdout().lock();
    for entry in entries {
        // A closed pipe (`| head`) just ends the listing.
        if writeln!(out, "{entry}").is_err() {
            break;
        }
    }
    Ok(())
}

/// The script header's format, as an entry of the listing: its heading,
/// then the format indented as an entry's doc is.
fn header_section() -> String {
    let body: Vec<String> = FORMAT_HELP.lines().map(|l| format!("    {l}")).collect();
    format!(
        "Script header (//! lines at the top of a script)\n{}",
        body.join("\n")
    )
}

/// One line per registered Excel function, by name: `NAME  doc`.
fn excel_function_lines() -> Vec<String> {
    let names = functions::names();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    names
        .into_iter()
        .filter_map(functions::lookup)
        .map(|f| format!("{:width$}  {}", f.name, f.doc))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_excel_function_has_a_line_with_its_doc() {
        let lines = excel_function_lines();
        assert_eq!(lines.len(), functions::names().len());
        let sum = lines.iter().find(|l| l.starts_with("SUM ")).unwrap();
        assert!(sum.trim_end().len() > "SUM".len() + 2, "{sum}");
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "sorted by name");
    }
}
