//! `sheetscript functions`: the script API reference, generated from the
//! functions the script engine registers.

use super::GlobalArgs;
use sheetscript::script::api_reference;
use sheetscript::{Error, Result};
use std::io::Write;

/// Arguments of `sheetscript functions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript functions            # the whole script API reference
  sheetscript functions table      # only entries whose name or doc mention \"table\"
  sheetscript functions round")]
pub struct FunctionsArgs {
    /// Show only entries whose signature or description contains this
    /// word (case-insensitive).
    pub filter: Option<String>,
}

/// Runs `sheetscript functions`.
pub fn execute(args: &FunctionsArgs, _global: &GlobalArgs) -> Result<()> {
    let filter = args.filter.as_deref().map(str::to_lowercase);
    let entries: Vec<_> = api_reference()
        .into_iter()
        .filter(|e| {
            filter.as_deref().is_none_or(|f| {
                e.signature.to_lowercase().contains(f) || e.doc.to_lowercase().contains(f)
            })
        })
        .collect();
    if entries.is_empty() {
        return Err(Error::Usage(format!(
            "no script function matches \"{}\"",
            args.filter.as_deref().unwrap_or_default()
        )));
    }
    let mut out = std::io::stdout().lock();
    for e in entries {
        // A closed pipe (`| head`) just ends the listing.
        if writeln!(out, "{}\n    {}", e.signature, e.doc).is_err() {
            break;
        }
    }
    Ok(())
}
