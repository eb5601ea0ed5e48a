//! The ```rhai examples of docs/SCRIPTING.md, which the tests run and
//! check: each starts with `// input: samples/x.xlsx [OPTIONS]`.

use super::root;

/// Every ```rhai block of the scripting guide, in order, as its text.
pub fn guide_examples() -> Vec<String> {
    let guide = std::fs::read_to_string(root().join("docs/SCRIPTING.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in guide.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```rhai") => current = Some(Vec::new()),
            (Some(b), "```") => {
                blocks.push(b.join("\n"));
                current = None;
            }
            (Some(b), l) => b.push(l),
            _ => {}
        }
    }
    blocks
}
