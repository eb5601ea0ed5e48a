//! `sheetscript recalc`.

use super::GlobalArgs;
use crate::{Error, Result};

/// Arguments of `sheetscript recalc`.
#[derive(Debug, clap::Args)]
pub struct RecalcArgs {}

/// Runs `sheetscript recalc`.
pub fn execute(_args: &RecalcArgs, _global: &GlobalArgs) -> Result<()> {
    Err(Error::Usage("`recalc` is not built yet".to_string()))
}
