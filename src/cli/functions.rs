//! `sheetscript functions`.

use super::GlobalArgs;
use crate::{Error, Result};

/// Arguments of `sheetscript functions`.
#[derive(Debug, clap::Args)]
pub struct FunctionsArgs {}

/// Runs `sheetscript functions`.
pub fn execute(_args: &FunctionsArgs, _global: &GlobalArgs) -> Result<()> {
    Err(Error::Usage("`functions` is not built yet".to_string()))
}
