//! `sheetscript eval`.

use super::GlobalArgs;
use crate::{Error, Result};

/// Arguments of `sheetscript eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {}

/// Runs `sheetscript eval`.
pub fn execute(_args: &EvalArgs, _global: &GlobalArgs) -> Result<()> {
    Err(Error::Usage("`eval` is not built yet".to_string()))
}
