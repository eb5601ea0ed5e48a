//! Script errors in words a person can act on: `file:line:column`, the
//! line itself, a caret under the spot, and a plain sentence.

use rhai::{EvalAltResult, Position};
use std::time::Duration;

/// Renders a parse or run error of the script `file` (its text is
/// `source`).
pub fn render_error(
    e: &EvalAltResult,
    file: &str,
    source: &str,
    timeout: Option<Duration>,
) -> String {
    let (pos, message) = describe(e, timeout);
    let (Some(line), Some(col)) = (pos.line(), pos.position().or(Some(1))) else {
        return format!("{file}: {message}");
    };
    let mut out = format!("{file}:{line}:{col}: {message}");
    if let Some(text) = source.lines().nth(line - 1) {
        let number = line.to_string();
        let pad = " ".repeat(number.len());
        let caret_pad: String = text
            .chars()
            .take(col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!("\n {number} | {text}\n {pad} | {caret_pad}^"));
    }
    out
}

/// The plain sentence for an error, without its position.
pub fn message(e: &EvalAltResult) -> String {
    describe(e, None).1
}

/// The position to show and the sentence for an error, looking through
/// calls of the script's own functions to where it really happened.
fn describe(e: &EvalAltResult, timeout: Option<Duration>) -> (Position, String) {
    use EvalAltResult as E;
    match e {
        E::ErrorInFunctionCall(name, src, inner, pos) => {
            let (ipos, msg) = describe(inner, timeout);
            if src.is_empty() && !ipos.is_none() {
                (ipos, msg)
            } else if !src.is_empty() {
                (*pos, format!("in {name} (from {src}): {msg}"))
            } else {
                (*pos, msg)
            }
        }
        E::ErrorInModule(name, inner, pos) => {
            let (_, msg) = describe(inner, timeout);
            (*pos, format!("in module {name}: {msg}"))
        }
        E::ErrorTerminated(token, pos) if token.to_string() == super::TIMEOUT_TOKEN => {
            let secs = timeout.map_or(0, |t| t.as_secs());
            (*pos, format!("stopped: the script ran longer than the time limit of {secs} s (--timeout); it was here"))
        }
        E::ErrorTooManyOperations(pos) => (*pos, "stopped: the script did more operations than allowed; is there an endless loop?".into()),
        E::ErrorStackOverflow(pos) => (*pos, "stopped: functions call each other too deeply; is there endless recursion?".into()),
        E::ErrorDataTooLarge(what, pos) => (*pos, format!("stopped: {what} is larger than allowed")),
        E::ErrorFunctionNotFound(sig, pos) => (*pos, function_not_found(sig)),
        E::ErrorVariableNotFound(name, pos) => (*pos, format!("there is no variable \"{name}\" (if it is a parameter, give it with --set {name}=...)")),
        E::ErrorModuleNotFound(name, pos) => (*pos, format!("cannot import \"{name}\": modules load only from the --lib folders")),
        E::ErrorParsing(kind, pos) => (*pos, format!("syntax error: {kind}")),
        E::ErrorArithmetic(msg, pos) => (*pos, format!("arithmetic error: {msg}")),
        other => (other.position(), plain_error(other)),
    }
}

fn type_word(t: &str) -> &str {
    let t = t.trim();
    if t.contains("ImmutableString") || t.contains("&str") {
        return "text";
    }
    match t {
        "string" | "&str" | "ImmutableString" => "text",
        "decimal" | "rust_decimal::Decimal" | "Decimal" => "a number",
        "i64" | "INT" => "a whole number",
        "()" => "an empty value",
        "bool" => "true/false",
        "array" => "a list",
        "map" => "a map",
        other => other.rsplit("::").next().unwrap_or(other),
    }
}

/// `* (string, decimal)` becomes "cannot use * with text and a number".
fn function_not_found(sig: &str) -> String {
    let (name, args) = match sig.split_once(" (") {
        Some((n, a)) => (n.trim(), a.trim_end_matches(')')),
        None => (sig.trim(), ""),
    };
    let types: Vec<&str> = if args.is_empty() {
        Vec::new()
    } else {
        args.split(',').map(type_word).collect()
    };
    if name.starts_with("..") {
        return format!(
            "a range needs whole numbers, found {} (cell numbers are decimals: use .to_int(), e.g. 1..=n.to_int())",
            types.join(" and ")
        );
    }
    let is_op = name.chars().all(|c| "+-*/%<>=!&|^".contains(c));
    if is_op && !types.is_empty() {
        return format!(
            "cannot use {name} with {} (is a cell empty or holding text where a number is expected?)",
            types.join(" and ")
        );
    }
    if types.is_empty() {
        format!("there is no function {name}() (see `sheetscript functions`)")
    } else {
        format!(
            "there is no function {name} taking {} (see `sheetscript functions`)",
            types.join(", ")
        )
    }
}

/// An error's message without its position (the caller adds its own).
pub fn plain_error(e: &EvalAltResult) -> String {
    match e {
        EvalAltResult::ErrorRuntime(d, _) => d.to_string(),
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => plain_error(inner),
        other => {
            let s = other.to_string();
            match s.rfind(" (line ") {
                Some(p) => s[..p].to_string(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_errors_are_explained() {
        assert_eq!(
            function_not_found("* (string, rust_decimal::Decimal)"),
            "cannot use * with text and a number (is a cell empty or holding text where a number is expected?)"
        );
        assert!(function_not_found("frobnicate (i64)").contains("no function frobnicate"));
    }
}
