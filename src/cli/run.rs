//! `sheetscript run`.

use super::GlobalArgs;
use crate::{Error, Result};

/// Arguments of `sheetscript run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {}

/// Runs `sheetscript run`.
pub fn execute(_args: &RunArgs, _global: &GlobalArgs) -> Result<()> {
    Err(Error::Usage("`run` is not built yet".to_string()))
}
