//! Text functions (LEN, LEFT, CONCAT, TEXT, ...).
//!
//! Scalar functions lift over arrays element by element (`LEN({"a","bc"})`
//! is `{1,2}`); references reduce to one cell by implicit intersection, as
//! elsewhere in the evaluator. The rules themselves live in
//! [`crate::formula::text_core`].

mod baht;
mod conversion;
mod east_asian;
mod joins;
mod pieces;
mod regex;
mod splitting;

use super::*;
use crate::formula::text_core as core;
use crate::numfmt::format_text_in;
use baht::*;
use conversion::*;
use east_asian::*;
use joins::*;
use pieces::*;
use regex::*;
use splitting::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new("LEN", 1, 1, "Number of characters in a text", len),
    FunctionSpec::new(
        "LENB",
        1,
        1,
        "Number of characters (as LEN in single-byte languages)",
        len,
    ),
    FunctionSpec::new("LEFT", 1, 2, "First characters of a text", left),
    FunctionSpec::new(
        "LEFTB",
        1,
        2,
        "First characters (as LEFT in single-byte languages)",
        left,
    ),
    FunctionSpec::new("RIGHT", 1, 2, "Last characters of a text", right),
    FunctionSpec::new(
        "RIGHTB",
        1,
        2,
        "Last characters (as RIGHT in single-byte languages)",
        right,
    ),
    FunctionSpec::new("MID", 3, 3, "Characters from the middle of a text", mid),
    FunctionSpec::new(
        "MIDB",
        3,
        3,
        "Characters from the middle (as MID in single-byte languages)",
        mid,
    ),
    FunctionSpec::new(
        "TRIM",
        1,
        1,
        "Removes outer spaces and repeated inner spaces",
        trim,
    ),
    FunctionSpec::new(
        "CLEAN",
        1,
        1,
        "Removes non-printable characters (codes 0-31)",
        clean,
    ),
    FunctionSpec::new("UPPER", 1, 1, "Text in upper case", upper),
    FunctionSpec::new("LOWER", 1, 1, "Text in lower case", lower),
    FunctionSpec::new(
        "PROPER",
        1,
        1,
        "Capitalises the first letter of each word",
        proper,
    ),
    FunctionSpec::new("CONCAT", 1, MANY, "Joins texts, ranges and arrays", concat),
    FunctionSpec::new("CONCATENATE", 1, MANY, "Joins texts", concatenate),
    FunctionSpec::new(
        "TEXTJOIN",
        3,
        MANY,
        "Joins texts with a delimiter, optionally skipping empty ones",
        textjoin,
    ),
    FunctionSpec::new(
        "SUBSTITUTE",
        3,
        4,
        "Replaces occurrences of a text (all, or the n-th)",
        substitute,
    ),
    FunctionSpec::new(
        "REPLACE",
        4,
        4,
        "Replaces characters at a position",
        replace,
    ),
    FunctionSpec::new(
        "REPLACEB",
        4,
        4,
        "Replaces characters (as REPLACE in single-byte languages)",
        replace,
    ),
    FunctionSpec::new("FIND", 2, 3, "Position of a text, case-sensitive", find),
    FunctionSpec::new(
        "FINDB",
        2,
        3,
        "Position of a text (as FIND in single-byte languages)",
        find,
    ),
    FunctionSpec::new(
        "SEARCH",
        2,
        3,
        "Position of a text, ignoring case, with wildcards",
        search,
    ),
    FunctionSpec::new(
        "SEARCHB",
        2,
        3,
        "Position of a text (as SEARCH in single-byte languages)",
        search,
    ),
    FunctionSpec::new(
        "EXACT",
        2,
        2,
        "Whether two texts are identical (case-sensitive)",
        exact,
    ),
    FunctionSpec::new("REPT", 2, 2, "Repeats a text", rept),
    FunctionSpec::new(
        "TEXT",
        2,
        2,
        "A value formatted with a number-format code",
        text,
    ),
    FunctionSpec::new("VALUE", 1, 1, "The number a text stands for", value),
    FunctionSpec::new(
        "NUMBERVALUE",
        1,
        3,
        "A number from text with given decimal and group separators",
        numbervalue,
    ),
    FunctionSpec::new(
        "FIXED",
        1,
        3,
        "A number rounded and written with a fixed number of decimals",
        fixed,
    ),
    FunctionSpec::new("DOLLAR", 1, 2, "A number written as currency", dollar),
    FunctionSpec::new(
        "CHAR",
        1,
        1,
        "The character with a code (Windows-1252)",
        char_fn,
    ),
    FunctionSpec::new(
        "CODE",
        1,
        1,
        "The code of the first character (Windows-1252)",
        code,
    ),
    FunctionSpec::new(
        "UNICHAR",
        1,
        1,
        "The character with a Unicode code point",
        unichar,
    ),
    FunctionSpec::new(
        "UNICODE",
        1,
        1,
        "The Unicode code point of the first character",
        unicode,
    ),
    FunctionSpec::new(
        "TEXTBEFORE",
        2,
        6,
        "The text before a delimiter",
        textbefore,
    ),
    FunctionSpec::new("TEXTAFTER", 2, 6, "The text after a delimiter", textafter),
    FunctionSpec::new(
        "TEXTSPLIT",
        2,
        6,
        "Splits a text into rows and columns at delimiters",
        textsplit,
    ),
    FunctionSpec::new("T", 1, 1, "The value if it is text, else empty text", t_fn),
    FunctionSpec::new(
        "VALUETOTEXT",
        1,
        2,
        "A value as text (0 concise, 1 strict with quotes)",
        valuetotext,
    ),
    FunctionSpec::new(
        "ARRAYTOTEXT",
        1,
        2,
        "An array as text (0 concise list, 1 strict array constant)",
        arraytotext,
    ),
    FunctionSpec::new(
        "REGEXTEST",
        2,
        3,
        "Whether a text matches a regular expression",
        regextest,
    ),
    FunctionSpec::new(
        "REGEXEXTRACT",
        2,
        4,
        "The first match, all matches or the groups of a regular expression",
        regexextract,
    ),
    FunctionSpec::new(
        "REGEXREPLACE",
        3,
        5,
        "Replaces matches of a regular expression",
        regexreplace,
    ),
    FunctionSpec::new(
        "ASC",
        1,
        1,
        "Full-width (double-byte) letters and katakana to half-width",
        asc,
    ),
    FunctionSpec::new(
        "DBCS",
        1,
        1,
        "Half-width letters and katakana to full-width (double-byte)",
        dbcs,
    ),
    FunctionSpec::new(
        "PHONETIC",
        1,
        1,
        "The phonetic (furigana) text of a cell: its text when it has none",
        phonetic,
    ),
    FunctionSpec::new(
        "BAHTTEXT",
        1,
        1,
        "A number as Thai text with baht and satang",
        bahttext,
    ),
];
/// An argument after evaluation for an element-wise call.
pub(super) enum Lifted {
    /// Written empty (`F(1,,3)`) or not given.
    Missing,
    /// One value.
    Scalar(Value),
    /// An array to map over.
    Array(Array),
}

/// The arguments of one element-wise call; `None` marks a missing one.
pub(super) struct Args<'a>(&'a [Option<Value>]);

impl Args<'_> {
    /// Whether argument `i` was given (and not written empty).
    pub(super) fn present(&self, i: usize) -> bool {
        matches!(self.0.get(i), Some(Some(_)))
    }

    /// Argument `i` as a value (empty when missing).
    pub(super) fn value(&self, i: usize) -> Value {
        match self.0.get(i) {
            Some(Some(v)) => v.clone(),
            _ => Value::Empty,
        }
    }

    /// Argument `i` as text.
    pub(super) fn text(&self, i: usize) -> Result<String, ErrorKind> {
        to_text(&self.value(i))
    }

    /// Argument `i` as a number.
    pub(super) fn number(&self, i: usize) -> Result<Number, ErrorKind> {
        to_number(&self.value(i))
    }

    /// Argument `i` truncated toward zero (saturating for huge values).
    pub(super) fn int(&self, i: usize) -> Result<i64, ErrorKind> {
        Ok(truncate(self.number(i)?))
    }

    /// Optional integer argument.
    pub(super) fn opt_int(&self, i: usize, default: i64) -> Result<i64, ErrorKind> {
        if self.present(i) {
            self.int(i)
        } else {
            Ok(default)
        }
    }

    /// Optional boolean argument.
    pub(super) fn opt_bool(&self, i: usize, default: bool) -> Result<bool, ErrorKind> {
        if self.present(i) {
            to_bool(&self.value(i))
        } else {
            Ok(default)
        }
    }
}

/// A number truncated toward zero, saturating at the i64 range.
pub(super) fn truncate(n: Number) -> i64 {
    n.to_i64()
        .unwrap_or(if n < Number::ZERO { i64::MIN } else { i64::MAX })
}

/// A number rounded down to an integer, saturating at the i64 range.
pub(super) fn floor_int(n: Number) -> i64 {
    truncate(n.round_with(0, rust_decimal::RoundingStrategy::ToNegativeInfinity))
}

/// A non-negative count from an integer argument (`#VALUE!` below 0).
pub(super) fn count(n: i64) -> Result<usize, ErrorKind> {
    usize::try_from(n).map_err(|_| ErrorKind::Value)
}

/// A 1-based position (`#VALUE!` below 1).
pub(super) fn position(n: i64) -> Result<usize, ErrorKind> {
    if n < 1 {
        Err(ErrorKind::Value)
    } else {
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
}

/// Calls `f` once on scalar arguments, or element-wise when some
/// argument is an array (scalars and single rows/columns broadcast;
/// positions outside an argument's shape are `#N/A`, as in Excel).
pub(super) fn lifted(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(&Args) -> Result<Value, ErrorKind>,
) -> EvalResult {
    let mut evaluated = Vec::with_capacity(args.len());
    for a in args {
        evaluated.push(match a {
            Expr::Missing => Lifted::Missing,
            // In array mode (`SUMPRODUCT(LEN(A1:A3))`) a range lifts too.
            _ => match ctx.lift(a) {
                CalcValue::Array(arr) if arr.rows * arr.cols != 1 => Lifted::Array(arr),
                v => Lifted::Scalar(ctx.to_scalar(v)),
            },
        });
    }
    let arrays: Vec<&Array> = evaluated
        .iter()
        .filter_map(|l| match l {
            Lifted::Array(a) => Some(a),
            _ => None,
        })
        .collect();
    if arrays.is_empty() {
        let values: Vec<Option<Value>> = evaluated
            .into_iter()
            .map(|l| match l {
                Lifted::Scalar(v) => Some(v),
                _ => None,
            })
            .collect();
        return f(&Args(&values)).map(CalcValue::Value);
    }
    // A dimension of 1 stretches to fit; others make the result as big
    // as the largest.
    let size = |pick: fn(&Array) -> usize| {
        arrays
            .iter()
            .map(|a| pick(a))
            .filter(|&n| n != 1)
            .max()
            .unwrap_or(1)
    };
    let rows = size(|a| a.rows);
    let cols = size(|a| a.cols);
    let result = Array::from_fn(rows, cols, |r, c| {
        let values: Vec<Option<Value>> = evaluated
            .iter()
            .map(|l| match l {
                Lifted::Missing => None,
                Lifted::Scalar(v) => Some(v.clone()),
                Lifted::Array(a) => {
                    let rr = if a.rows == 1 { 0 } else { r };
                    let cc = if a.cols == 1 { 0 } else { c };
                    Some(if rr < a.rows && cc < a.cols {
                        a.get(rr, cc).clone()
                    } else {
                        Value::Error(ErrorKind::NA)
                    })
                }
            })
            .collect();
        f(&Args(&values)).unwrap_or_else(Value::Error)
    });
    Ok(CalcValue::Array(result))
}

/// A text result, `#VALUE!` past the cell limit.
pub(super) fn text_value(s: String) -> Result<Value, ErrorKind> {
    core::check_length(s).map(Value::text)
}

/// Every value of an argument in row-major order, empty cells included.
pub(super) fn all_values(ctx: &mut CallContext, e: &Expr) -> Result<Vec<Value>, ErrorKind> {
    if matches!(e, Expr::Missing) {
        return Ok(vec![Value::Empty]);
    }
    match ctx.eval(e) {
        CalcValue::Value(v) => Ok(vec![v]),
        CalcValue::Array(a) => Ok(a.values),
        CalcValue::Ref(area) => Ok(ctx.area_array(area).values),
        CalcValue::Refs(areas) => {
            let mut out = Vec::new();
            for area in areas {
                out.extend(ctx.area_array(area).values);
            }
            Ok(out)
        }
        CalcValue::Lambda(_) => Err(ErrorKind::Calc),
    }
}

/// The texts of a delimiter argument (a text, or a range or array of
/// alternatives); an error among them is the result.
pub(super) fn delimiters(ctx: &mut CallContext, e: &Expr) -> Result<Vec<String>, ErrorKind> {
    all_values(ctx, e)?.iter().map(to_text).collect()
}

#[cfg(test)]
mod tests;
