//! `explain("Summary!B7")`: why a cell holds its value, from a script,
//! as the text `sheetscript explain` prints or as a map of the same tree.

use super::{fail, flag_option, known_options, ok, Res};
use crate::formula::{ExplainOptions, Explanation};
use crate::script::book::SharedBook;
use rhai::{Array, Dynamic, Engine, Map};

/// The options `explain` takes.
const OPTIONS: [&str; 3] = ["depth", "width", "data"];

/// A level or width option: a whole number from 1 to 10,000.
fn count_option(options: &Map, key: &str, default: usize) -> Res<usize> {
    match options.get(key) {
        None => Ok(default),
        Some(v) => match v.as_int() {
            Ok(n) if (1..=10_000).contains(&n) => Ok(n as usize),
            _ => fail(format!(
                "explain option {key}: expected a whole number from 1 to 10000"
            )),
        },
    }
}

/// The explanation as a script value: maps, lists, text, whole numbers
/// and booleans, shaped as `sheetscript explain --json` prints it.
fn to_script(explanation: &Explanation) -> Res<Dynamic> {
    let json = serde_json::to_value(explanation)
        .map_err(|e| format!("explain: the explanation could not be converted: {e}"))?;
    Ok(json_to_dynamic(json))
}

fn json_to_dynamic(v: serde_json::Value) -> Dynamic {
    match v {
        serde_json::Value::Null => Dynamic::UNIT,
        serde_json::Value::Bool(b) => Dynamic::from(b),
        // The tree holds counts only; its values are text (shown, raw).
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from(i),
            None => Dynamic::from(n.to_string()),
        },
        serde_json::Value::String(s) => Dynamic::from(s),
        serde_json::Value::Array(items) => {
            Dynamic::from_array(items.into_iter().map(json_to_dynamic).collect::<Array>())
        }
        serde_json::Value::Object(fields) => Dynamic::from_map(
            fields
                .into_iter()
                .map(|(k, v)| (k.into(), json_to_dynamic(v)))
                .collect::<Map>(),
        ),
    }
}

/// Registers `explain(cell)` and `explain(cell, options)`.
pub(super) fn register_explain(engine: &mut Engine, book: &SharedBook) {
    let b = book.clone();
    api!(
        engine,
        "explain",
        ["cell: String", "String"],
        "Why a cell holds its value, as the text `sheetscript explain` prints: explain(\"Summary!B7\").",
        move |cell: &str| -> Res<String> {
            let explanation = ok(b.borrow_mut().explain(cell, &ExplainOptions::default()))?;
            Ok(explanation.to_text().trim_end().to_string())
        }
    );
    let b = book.clone();
    api!(
        engine,
        "explain",
        ["cell: String", "options: Map", "Dynamic"],
        "explain(\"Summary!B7\", #{depth: 2, width: 5, data: true}): with data, a map of the tree (root, children, value.shown...) instead of text.",
        move |cell: &str, options: Map| -> Res<Dynamic> {
            known_options(&options, "explain", &OPTIONS)?;
            let defaults = ExplainOptions::default();
            let wanted = ExplainOptions {
                depth: count_option(&options, "depth", defaults.depth)?,
                width: count_option(&options, "width", defaults.width)?,
            };
            let data = flag_option(&options, "explain", "data")?;
            let explanation = ok(b.borrow_mut().explain(cell, &wanted))?;
            if data {
                to_script(&explanation)
            } else {
                Ok(Dynamic::from(explanation.to_text().trim_end().to_string()))
            }
        }
    );
}
