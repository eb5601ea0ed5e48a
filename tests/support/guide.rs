//! The ```rhai examples of docs/SCRIPTING.md, which the tests run and
//! check: each starts with `// input: samples/x.xlsx [OPTIONS]`.

use super::binary::fenced_blocks;

/// Every ```rhai block of the scripting guide, in order, as its text.
pub fn guide_examples() -> Vec<String> {
    fenced_blocks("docs/SCRIPTING.md", "rhai")
}
