//! `sheetscript definitions`: rhai definition files for the script API,
//! for editors with rhai tooling, written from the same registrations
//! as `sheetscript functions`.

use super::GlobalArgs;
use sheetscript::script::write_definitions;
use sheetscript::{Error, Result};
use std::path::PathBuf;

/// Arguments of `sheetscript definitions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript definitions .rhai/definitions
  sheetscript definitions ~/finance-scripts/.rhai/definitions

Writes one .d.rhai file per module (the script API in __static__.d.rhai,
rhai's own functions and operators beside it), replacing files of the same
name. docs/SCRIPTING.md says how to use them in VS Code.")]
pub struct DefinitionsArgs {
    /// The folder to write the definition files into (made if missing).
    pub dir: PathBuf,
}

/// Runs `sheetscript definitions`.
pub fn execute(args: &DefinitionsArgs, global: &GlobalArgs) -> Result<()> {
    let files = write_definitions(&args.dir)
        .map_err(|e| Error::write(&args.dir, format!("cannot write the definitions: {e}")))?;
    if !global.quiet {
        for f in files {
            println!("wrote {}", f.display());
        }
    }
    Ok(())
}
