//! `sheetscript convert`.

use super::GlobalArgs;
use crate::{Error, Result};

/// Arguments of `sheetscript convert`.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {}

/// Runs `sheetscript convert`.
pub fn execute(_args: &ConvertArgs, _global: &GlobalArgs) -> Result<()> {
    Err(Error::Usage("`convert` is not built yet".to_string()))
}
