//! Text functions (LEN, LEFT, CONCAT, TEXT, ...).
//!
//! Scalar functions lift over arrays element by element (`LEN({"a","bc"})`
//! is `{1,2}`); references reduce to one cell by implicit intersection, as
//! elsewhere in the evaluator. The rules themselves live in
//! [`crate::formula::text_core`].

use super::*;
use crate::formula::text_core as core;
use crate::numfmt::format_text_in;

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
];

/// An argument after evaluation for an element-wise call.
enum Lifted {
    /// Written empty (`F(1,,3)`) or not given.
    Missing,
    /// One value.
    Scalar(Value),
    /// An array to map over.
    Array(Array),
}

/// The arguments of one element-wise call; `None` marks a missing one.
struct Args<'a>(&'a [Option<Value>]);

impl Args<'_> {
    /// Whether argument `i` was given (and not written empty).
    fn present(&self, i: usize) -> bool {
        matches!(self.0.get(i), Some(Some(_)))
    }

    /// Argument `i` as a value (empty when missing).
    fn value(&self, i: usize) -> Value {
        match self.0.get(i) {
            Some(Some(v)) => v.clone(),
            _ => Value::Empty,
        }
    }

    /// Argument `i` as text.
    fn text(&self, i: usize) -> Result<String, ErrorKind> {
        to_text(&self.value(i))
    }

    /// Argument `i` as a number.
    fn number(&self, i: usize) -> Result<Number, ErrorKind> {
        to_number(&self.value(i))
    }

    /// Argument `i` truncated toward zero (saturating for huge values).
    fn int(&self, i: usize) -> Result<i64, ErrorKind> {
        Ok(truncate(self.number(i)?))
    }

    /// Optional integer argument.
    fn opt_int(&self, i: usize, default: i64) -> Result<i64, ErrorKind> {
        if self.present(i) {
            self.int(i)
        } else {
            Ok(default)
        }
    }

    /// Optional boolean argument.
    fn opt_bool(&self, i: usize, default: bool) -> Result<bool, ErrorKind> {
        if self.present(i) {
            to_bool(&self.value(i))
        } else {
            Ok(default)
        }
    }
}

/// A number truncated toward zero, saturating at the i64 range.
fn truncate(n: Number) -> i64 {
    n.to_i64()
        .unwrap_or(if n < Number::ZERO { i64::MIN } else { i64::MAX })
}

/// A number rounded down to an integer, saturating at the i64 range.
fn floor_int(n: Number) -> i64 {
    truncate(n.round_with(0, rust_decimal::RoundingStrategy::ToNegativeInfinity))
}

/// A non-negative count from an integer argument (`#VALUE!` below 0).
fn count(n: i64) -> Result<usize, ErrorKind> {
    usize::try_from(n).map_err(|_| ErrorKind::Value)
}

/// A 1-based position (`#VALUE!` below 1).
fn position(n: i64) -> Result<usize, ErrorKind> {
    if n < 1 {
        Err(ErrorKind::Value)
    } else {
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
}

/// Calls `f` once on scalar arguments, or element-wise when some
/// argument is an array (scalars and single rows/columns broadcast;
/// positions outside an argument's shape are `#N/A`, as in Excel).
fn lifted(
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
fn text_value(s: String) -> Result<Value, ErrorKind> {
    core::check_length(s).map(Value::Text)
}

/// Every value of an argument in row-major order, empty cells included.
fn all_values(ctx: &mut CallContext, e: &Expr) -> Result<Vec<Value>, ErrorKind> {
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
    }
}

/// The texts of a delimiter argument (a text, or a range or array of
/// alternatives); an error among them is the result.
fn delimiters(ctx: &mut CallContext, e: &Expr) -> Result<Vec<String>, ErrorKind> {
    all_values(ctx, e)?.iter().map(to_text).collect()
}

fn len(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        Ok(Value::Number(Number::from_i64(
            a.text(0)?.chars().count() as i64
        )))
    })
}

fn left(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let n = count(a.opt_int(1, 1)?)?;
        Ok(Value::Text(core::left(&s, n)))
    })
}

fn right(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let n = count(a.opt_int(1, 1)?)?;
        Ok(Value::Text(core::right(&s, n)))
    })
}

fn mid(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let start = position(a.int(1)?)?;
        let n = count(a.int(2)?)?;
        Ok(Value::Text(core::mid(&s, start, n)))
    })
}

/// A one-argument text-to-text function, lifted over arrays.
fn map_text(ctx: &mut CallContext, args: &[Expr], f: fn(&str) -> String) -> EvalResult {
    lifted(ctx, args, |a| Ok(Value::Text(f(&a.text(0)?))))
}

fn trim(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, core::trim)
}

fn clean(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, core::clean)
}

fn upper(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, str::to_uppercase)
}

fn lower(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, str::to_lowercase)
}

fn proper(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, core::proper)
}

fn concat(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut out = String::new();
    for a in args {
        for v in all_values(ctx, a)? {
            out.push_str(&to_text(&v)?);
            if out.len() > core::MAX_TEXT_CHARS * 4 {
                return Err(ErrorKind::Value);
            }
        }
    }
    Ok(CalcValue::Value(text_value(out)?))
}

fn concatenate(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let mut out = String::new();
        for i in 0..a.0.len() {
            out.push_str(&a.text(i)?);
        }
        text_value(out)
    })
}

fn textjoin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let delims = delimiters(ctx, &args[0])?;
    let ignore_empty = if CallContext::is_missing(args, 1) {
        false
    } else {
        ctx.boolean(&args[1])?
    };
    let mut pieces = Vec::new();
    for a in &args[2..] {
        for v in all_values(ctx, a)? {
            let s = to_text(&v)?;
            if !(ignore_empty && s.is_empty()) {
                pieces.push(s);
            }
        }
    }
    let mut out = String::new();
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 && !delims.is_empty() {
            out.push_str(&delims[(i - 1) % delims.len()]);
        }
        out.push_str(p);
        if out.len() > core::MAX_TEXT_CHARS * 4 {
            return Err(ErrorKind::Value);
        }
    }
    Ok(CalcValue::Value(text_value(out)?))
}

fn substitute(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let old = a.text(1)?;
        let new = a.text(2)?;
        let instance = if a.present(3) {
            Some(position(a.int(3)?)?)
        } else {
            None
        };
        text_value(core::substitute(&s, &old, &new, instance))
    })
}

fn replace(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let start = position(a.int(1)?)?;
        let n = count(a.int(2)?)?;
        let new = a.text(3)?;
        text_value(core::replace(&s, start, n, &new))
    })
}

/// FIND and SEARCH: the same argument rules, a different matcher.
fn locate(
    ctx: &mut CallContext,
    args: &[Expr],
    how: fn(&str, &str, usize) -> Option<usize>,
) -> EvalResult {
    lifted(ctx, args, |a| {
        let needle = a.text(0)?;
        let hay = a.text(1)?;
        let start = position(a.opt_int(2, 1)?)?;
        how(&needle, &hay, start)
            .map(|p| Value::Number(Number::from_i64(p as i64)))
            .ok_or(ErrorKind::Value)
    })
}

fn find(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    locate(ctx, args, core::find)
}

fn search(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    locate(ctx, args, core::search)
}

fn exact(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| Ok(Value::Bool(a.text(0)? == a.text(1)?)))
}

fn rept(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let n = count(a.int(1)?)?;
        core::rept(&s, n).map(Value::Text)
    })
}

fn text(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let system = ctx.date_system();
    lifted(ctx, args, |a| {
        let v = match a.value(0) {
            Value::Error(e) => return Err(e),
            Value::Empty => Value::Number(Number::ZERO),
            // Text that reads as a number is formatted as that number.
            Value::Text(s) => match to_number(&Value::Text(s.clone())) {
                Ok(n) => Value::Number(n),
                Err(_) => Value::Text(s),
            },
            // The number the workbook's formulas see (`TEXT(A1,"0")` is
            // a 1904 serial in a 1904 workbook).
            Value::Date(d) => Value::Number(date_number(&d)),
            v => v,
        };
        let code = a.text(1)?;
        format_text_in(&v, &code, system)
            .ok_or(ErrorKind::Value)
            .and_then(text_value)
    })
}

/// VALUE's reading of text: Excel's number coercion, plus a currency
/// symbol written after the number (`23€`).
fn value_of_text(s: &str) -> Result<Number, ErrorKind> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ErrorKind::Value);
    }
    if let Ok(n) = to_number(&Value::Text(t.to_string())) {
        return Ok(n);
    }
    for sym in ['€', '£', '$'] {
        let stripped = t
            .strip_suffix(sym)
            .or_else(|| t.strip_prefix(sym))
            .map(str::trim);
        if let Some(rest) = stripped.filter(|r| !r.is_empty()) {
            if let Ok(n) = to_number(&Value::Text(rest.to_string())) {
                return Ok(n);
            }
        }
    }
    Err(ErrorKind::Value)
}

fn value(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| match a.value(0) {
        Value::Error(e) => Err(e),
        Value::Bool(_) => Err(ErrorKind::Value),
        Value::Text(s) => value_of_text(&s).map(Value::Number),
        v => to_number(&v).map(Value::Number),
    })
}

fn numbervalue(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let sep = |i: usize, default: char| -> Result<char, ErrorKind> {
            if a.present(i) {
                a.text(i)?.chars().next().ok_or(ErrorKind::Value)
            } else {
                Ok(default)
            }
        };
        let decimal = sep(1, '.')?;
        let group = sep(2, ',')?;
        core::numbervalue(&s, decimal, group).map(Value::Number)
    })
}

fn fixed(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let n = a.number(0)?;
        let decimals = a.opt_int(1, 2)?;
        let no_commas = a.opt_bool(2, false)?;
        core::fixed(n, decimals, no_commas).map(Value::Text)
    })
}

fn dollar(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let n = a.number(0)?;
        let decimals = a.opt_int(1, 2)?;
        core::dollar(n, decimals).map(Value::Text)
    })
}

fn char_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| core::char_of(a.int(0)?).map(Value::Text))
}

fn code(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        core::code_of(&a.text(0)?).map(|c| Value::Number(Number::from_i64(c)))
    })
}

fn unichar(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| core::unichar(a.int(0)?).map(Value::Text))
}

fn unicode(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        core::unicode_of(&a.text(0)?).map(|c| Value::Number(Number::from_i64(c)))
    })
}

/// Which side of the delimiter TEXTBEFORE/TEXTAFTER keep.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
}

/// A 0/1 switch argument (`#VALUE!` for anything else).
fn switch(a: &Args, i: usize) -> Result<bool, ErrorKind> {
    if !a.present(i) {
        return Ok(false);
    }
    match a.value(i) {
        Value::Bool(b) => Ok(b),
        _ => match a.int(i)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(ErrorKind::Value),
        },
    }
}

fn text_around(ctx: &mut CallContext, args: &[Expr], side: Side) -> EvalResult {
    let delims = delimiters(ctx, &args[1])?;
    // An error in `if_not_found` only matters when it is used, so it is
    // kept as a value until then.
    let fallback = match args.get(5) {
        None | Some(Expr::Missing) => None,
        Some(e) => Some(match ctx.scalar(e) {
            Value::Empty => Value::Text(String::new()),
            v => v,
        }),
    };
    let head = head_with_placeholder(&args[..args.len().min(5)]);
    lifted(ctx, &head, |a| {
        let text = a.text(0)?;
        // The instance rounds down (-1.2 is the second from the end).
        let instance = if a.present(2) {
            floor_int(a.number(2)?)
        } else {
            1
        };
        let ignore_case = switch(a, 3)?;
        let match_end = switch(a, 4)?;
        let text_len = text.chars().count() as i64;
        if instance == 0 || instance.unsigned_abs() > text_len.max(1) as u64 {
            return Err(ErrorKind::Value);
        }
        // Excel rejects an explicit instance when every delimiter is
        // longer than the text.
        let shortest = delims.iter().map(|d| d.chars().count()).min().unwrap_or(0) as i64;
        if a.present(2) && shortest > text_len {
            return Err(ErrorKind::Value);
        }
        match core::delimiter_at(&text, &delims, instance, ignore_case, match_end) {
            Some((start, end)) => Ok(Value::Text(match side {
                Side::Before => text[..start].to_string(),
                Side::After => text[end..].to_string(),
            })),
            None => match &fallback {
                Some(Value::Error(e)) => Err(*e),
                Some(v) => Ok(v.clone()),
                None => Err(ErrorKind::NA),
            },
        }
    })
}

/// The delimiter argument is consumed separately (it may be an array of
/// alternatives, never lifted): an empty text stands in its place.
fn head_with_placeholder(head: &[Expr]) -> Vec<Expr> {
    let mut v = head.to_vec();
    if v.len() > 1 {
        v[1] = Expr::Text(String::new());
    }
    v
}

fn textbefore(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    text_around(ctx, args, Side::Before)
}

fn textafter(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    text_around(ctx, args, Side::After)
}

fn textsplit(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let text = ctx.text(&args[0])?;
    let given = |i: usize| !CallContext::is_missing(args, i);
    let cols = if given(1) {
        delimiters(ctx, &args[1])?
    } else {
        Vec::new()
    };
    let rows = if given(2) {
        delimiters(ctx, &args[2])?
    } else {
        Vec::new()
    };
    if (cols.is_empty() && rows.is_empty()) || cols.iter().chain(rows.iter()).any(|d| d.is_empty())
    {
        return Err(ErrorKind::Value);
    }
    let ignore_empty = if given(3) {
        ctx.boolean(&args[3])?
    } else {
        false
    };
    let ignore_case = if given(4) {
        match ctx.int(&args[4])? {
            0 => false,
            1 => true,
            _ => return Err(ErrorKind::Value),
        }
    } else {
        false
    };
    let pad = if given(5) {
        ctx.scalar(&args[5])
    } else {
        Value::Error(ErrorKind::NA)
    };
    let pieces = core::textsplit(&text, &cols, &rows, ignore_empty, ignore_case);
    if pieces.is_empty() {
        return Err(ErrorKind::Calc);
    }
    let width = pieces.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let arr = Array::from_fn(pieces.len(), width, |r, c| match pieces[r].get(c) {
        Some(s) => Value::Text(s.clone()),
        None => pad.clone(),
    });
    Ok(CalcValue::Array(arr))
}

fn t_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| match a.value(0) {
        Value::Text(s) => Ok(Value::Text(s)),
        Value::Error(e) => Err(e),
        _ => Ok(Value::Text(String::new())),
    })
}

/// A value as VALUETOTEXT and ARRAYTOTEXT write it: errors as their
/// names, text quoted in strict form.
fn value_as_text(v: &Value, strict: bool) -> String {
    match v {
        Value::Text(s) if strict => format!("\"{}\"", s.replace('"', "\"\"")),
        Value::Error(e) => e.as_str().to_string(),
        v => to_text(v).unwrap_or_default(),
    }
}

/// The 0/1 format argument of VALUETOTEXT and ARRAYTOTEXT.
fn strict_format(ctx: &mut CallContext, args: &[Expr]) -> Result<bool, ErrorKind> {
    if CallContext::is_missing(args, 1) {
        return Ok(false);
    }
    match ctx.int(&args[1])? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(ErrorKind::Value),
    }
}

fn valuetotext(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let strict = strict_format(ctx, args)?;
    let v = ctx.scalar(&args[0]);
    Ok(CalcValue::text(value_as_text(&v, strict)))
}

fn arraytotext(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let strict = strict_format(ctx, args)?;
    let v = ctx.eval(&args[0]);
    let arr = ctx.to_array(v)?;
    let out = if strict {
        let rows: Vec<String> = (0..arr.rows)
            .map(|r| {
                arr.row_slice(r)
                    .iter()
                    .map(|v| value_as_text(v, true))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        format!("{{{}}}", rows.join(";"))
    } else {
        arr.values
            .iter()
            .map(|v| value_as_text(v, false))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(CalcValue::Value(text_value(out)?))
}

/// The 0/1 case-sensitivity argument of the REGEX functions (1 ignores
/// case).
fn regex_case(a: &Args, i: usize) -> Result<bool, ErrorKind> {
    match a.opt_int(i, 0)? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(ErrorKind::Value),
    }
}

fn regextest(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let text = a.text(0)?;
        let re = core::regex(&a.text(1)?, regex_case(a, 2)?)?;
        Ok(Value::Bool(re.is_match(&text)))
    })
}

fn regexextract(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let given = |i: usize| !CallContext::is_missing(args, i);
    let text = ctx.text(&args[0])?;
    let pattern = ctx.text(&args[1])?;
    let mode = if given(2) { ctx.int(&args[2])? } else { 0 };
    let ignore_case = if given(3) {
        match ctx.int(&args[3])? {
            0 => false,
            1 => true,
            _ => return Err(ErrorKind::Value),
        }
    } else {
        false
    };
    let re = core::regex(&pattern, ignore_case)?;
    let texts: Vec<Value> = match mode {
        0 => {
            let m = re.find(&text).ok_or(ErrorKind::NA)?;
            return Ok(CalcValue::text(m.as_str()));
        }
        1 => re
            .find_iter(&text)
            .map(|m| Value::Text(m.as_str().to_string()))
            .collect(),
        2 => {
            let caps = re.captures(&text).ok_or(ErrorKind::NA)?;
            caps.iter()
                .skip(1)
                .map(|g| Value::Text(g.map_or(String::new(), |g| g.as_str().to_string())))
                .collect()
        }
        _ => return Err(ErrorKind::Value),
    };
    if texts.is_empty() {
        return Err(ErrorKind::NA);
    }
    Ok(CalcValue::Array(Array::row(texts)))
}

fn regexreplace(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let text = a.text(0)?;
        let re = core::regex(&a.text(1)?, regex_case(a, 4)?)?;
        let rep = a.text(2)?;
        let occurrence = a.opt_int(3, 0)?;
        text_value(core::regex_replace(&text, &re, &rep, occurrence))
    })
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_calc, eval_str, eval_with, num};
    use crate::formula::CalcValue;
    use crate::model::{ErrorKind, Value};

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    const VALUE: Value = Value::Error(ErrorKind::Value);

    #[test]
    fn len_counts_characters() {
        assert_eq!(eval_str("=LEN(\"héllo\")"), num("5"));
        assert_eq!(eval_str("=LEN(12.5)"), num("4"));
        assert_eq!(eval_str("=LEN(\"\")"), num("0"));
        assert_eq!(eval_str("=LEN(TRUE)"), num("4"));
        assert_eq!(eval_str("=LEN(1/0)"), Value::Error(ErrorKind::Div0));
        assert_eq!(eval_str("=LEN(0.1+0.2)"), num("3"));
    }

    #[test]
    fn left_right_mid() {
        assert_eq!(eval_str("=LEFT(\"A wonderful world\")"), text("A"));
        assert_eq!(eval_str("=LEFT(\"A wonderful world\",3)"), text("A w"));
        assert_eq!(eval_str("=LEFT(\"abc\",-1)"), VALUE);
        assert_eq!(eval_str("=LEFT(\"abc\",3.7)"), text("abc"));
        assert_eq!(eval_str("=RIGHT(\"abc\",2)"), text("bc"));
        assert_eq!(eval_str("=RIGHT(\"abc\",-2)"), VALUE);
        assert_eq!(eval_str("=RIGHT(123)"), text("3"));
        assert_eq!(
            eval_str("=MID(\"A Wonderful World\",3,100)"),
            text("Wonderful World")
        );
        assert_eq!(
            eval_str("=MID(\"A Wonderful World\",1.3,7.3)"),
            text("A Wonde")
        );
        assert_eq!(eval_str("=MID(\"abc\",0,2)"), VALUE);
        assert_eq!(eval_str("=MID(\"abc\",2,-3)"), VALUE);
        assert_eq!(eval_str("=MID(\"abc\",10,0)"), text(""));
        assert_eq!(eval_with(&[("A1", "abc")], "=LEFT(A1,B1)"), text(""));
    }

    #[test]
    fn case_and_cleanup() {
        assert_eq!(eval_str("=TRIM(\"  a   b  \")"), text("a b"));
        assert_eq!(eval_str("=UPPER(\"straße\")"), text("STRASSE"));
        assert_eq!(eval_str("=LOWER(\"ABC\")"), text("abc"));
        assert_eq!(
            eval_str("=PROPER(\"this is a TITLE\")"),
            text("This Is A Title")
        );
        assert_eq!(eval_str("=CLEAN(\"a\"&CHAR(7)&\"b\")"), text("ab"));
        assert_eq!(eval_str("=LOWER(\"#DIV/0!\")"), text("#div/0!"));
    }

    #[test]
    fn scalar_functions_lift_over_arrays() {
        match eval_calc("=LEN({\"a\",\"bc\";\"def\",\"\"})") {
            CalcValue::Array(a) => {
                assert_eq!((a.rows, a.cols), (2, 2));
                assert_eq!(a.values, vec![num("1"), num("2"), num("3"), num("0")]);
            }
            other => panic!("{other:?}"),
        }
        match eval_calc("=LEFT(\"abcdef\",{1,2,3})") {
            CalcValue::Array(a) => assert_eq!(a.values, vec![text("a"), text("ab"), text("abc")]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ranges_lift_in_array_mode() {
        let cells = [("A1", "a"), ("A2", "bb"), ("A3", "ccc")];
        assert_eq!(eval_with(&cells, "=SUM(LEN(A1:A3))"), num("6"));
        assert_eq!(eval_with(&cells, "=SUM(--(LEFT(A1:A3)=\"b\"))"), num("1"));
    }

    #[test]
    fn joining() {
        assert_eq!(eval_str("=CONCAT(\"a\",1,TRUE)"), text("a1TRUE"));
        assert_eq!(
            eval_with(&[("A1", "123"), ("C1", "NEXT")], "=CONCAT(A1:C1)"),
            text("123NEXT")
        );
        assert_eq!(eval_str("=CONCAT({\"a\",\"b\";\"c\",\"d\"})"), text("abcd"));
        assert_eq!(
            eval_str("=CONCAT(\"a\",1/0)"),
            Value::Error(ErrorKind::Div0)
        );
        assert_eq!(
            eval_str("=CONCATENATE(\"Hello\",\" \",\"World\")"),
            text("Hello World")
        );
        assert_eq!(eval_str("=CONCATENATE(0.1+0.2,\"\")"), text("0.3"));
        assert_eq!(
            eval_str("=CONCAT(REPT(\"a\",20000),REPT(\"b\",20000))"),
            VALUE
        );
        let days = [
            ("A1", ","),
            ("C1", "Monday"),
            ("E1", "Wednesday"),
            ("A2", "0"),
        ];
        assert_eq!(
            eval_with(&days, "=TEXTJOIN(A1,TRUE,C1:F1)"),
            text("Monday,Wednesday")
        );
        assert_eq!(
            eval_with(&days, "=TEXTJOIN(A1,FALSE,C1:F1)"),
            text("Monday,,Wednesday,")
        );
        assert_eq!(
            eval_with(&days, "=TEXTJOIN(A2,TRUE,C1:F1)"),
            text("Monday0Wednesday")
        );
        assert_eq!(
            eval_with(&days, "=TEXTJOIN(B1,TRUE,C1:F1)"),
            text("MondayWednesday")
        );
        assert_eq!(
            eval_str("=TEXTJOIN({\"-\",\"+\"},TRUE,1,2,3,4)"),
            text("1-2+3-4")
        );
        assert_eq!(
            eval_str("=TEXTJOIN(#N/A,TRUE,\"a\")"),
            Value::Error(ErrorKind::NA)
        );
        assert_eq!(
            eval_str("=TEXTJOIN(\",\",TRUE,\"a\",1/0)"),
            Value::Error(ErrorKind::Div0)
        );
    }

    #[test]
    fn substitute_replace_find_search() {
        let t = "\"My old, very old fears\"";
        assert_eq!(
            eval_str(&format!("=SUBSTITUTE({t},\"old\",\"new\")")),
            text("My new, very new fears")
        );
        assert_eq!(
            eval_str(&format!("=SUBSTITUTE({t},\"old\",\"new\",2)")),
            text("My old, very new fears")
        );
        assert_eq!(
            eval_str(&format!("=SUBSTITUTE({t},\"old\",\"new\",0)")),
            VALUE
        );
        assert_eq!(
            eval_str(&format!("=SUBSTITUTE({t},\"old\",\"new\",\"x\")")),
            VALUE
        );
        assert_eq!(
            eval_str("=SUBSTITUTE(123,2,\"qwerty\",1)"),
            text("1qwerty3")
        );
        assert_eq!(
            eval_str("=REPLACE(\"abcdefghijk\",6,5,\"*\")"),
            text("abcde*k")
        );
        assert_eq!(eval_str("=REPLACE(\"abc\",0,1,\"x\")"), VALUE);
        assert_eq!(eval_str("=FIND(\"ana\",\"Banana\")"), num("2"));
        assert_eq!(eval_str("=FIND(\"Ana\",\"Banana\")"), VALUE);
        assert_eq!(eval_str("=FIND(TRUE,TRUE)"), num("1"));
        assert_eq!(eval_str("=FIND(2,123)"), num("2"));
        assert_eq!(eval_str("=FIND(\"Hey\",\"Hey Jude\",0)"), VALUE);
        assert_eq!(eval_str("=SEARCH(\"ns*i\",\"Einstein\")"), num("3"));
        assert_eq!(eval_str("=SEARCH(\"~?\",\"Late?\")"), num("5"));
        assert_eq!(eval_str("=SEARCH(\"Y\",\"Y not Y yes\",3)"), num("7"));
        assert_eq!(eval_str("=SEARCHB(\"b\",\"ABC\")"), num("2"));
    }

    #[test]
    fn exact_and_rept() {
        assert_eq!(eval_str("=EXACT(\"Hwy\",\"HWY\")"), Value::Bool(false));
        assert_eq!(eval_str("=EXACT(1,\"1\")"), Value::Bool(true));
        assert_eq!(eval_str("=EXACT(TRUE,\"TRUE\")"), Value::Bool(true));
        assert_eq!(eval_str("=EXACT(TRUE,1)"), Value::Bool(false));
        assert_eq!(eval_str("=EXACT(\"e \",\"e\")"), Value::Bool(false));
        assert_eq!(eval_str("=REPT(\"ab\",2.9)"), text("abab"));
        assert_eq!(eval_str("=REPT(\"ab\",-1)"), VALUE);
        assert_eq!(eval_str("=REPT(\"ab\",TRUE)"), text("ab"));
        assert_eq!(eval_str("=REPT(\"ab\",\"x\")"), VALUE);
        assert_eq!(eval_str("=REPT(#N/A,\"x\")"), Value::Error(ErrorKind::NA));
        assert_eq!(eval_str("=REPT(\"Hwllo\",123456789)"), VALUE);
    }

    #[test]
    fn text_formats_values() {
        assert_eq!(eval_str("=TEXT(1234.567,\"#,##0.00\")"), text("1,234.57"));
        assert_eq!(eval_str("=TEXT(2.675,\"0.00\")"), text("2.68"));
        assert_eq!(eval_str("=TEXT(0.256,\"0.0%\")"), text("25.6%"));
        assert_eq!(eval_str("=TEXT(46353,\"yyyy-mm-dd\")"), text("2026-11-27"));
        assert_eq!(
            eval_str("=TEXT(46353,\"dddd, mmmm d\")"),
            text("Friday, November 27")
        );
        assert_eq!(eval_str("=TEXT(\"12.5\",\"0.00\")"), text("12.50"));
        assert_eq!(eval_str("=TEXT(\"abc\",\"0.00\")"), text("abc"));
        assert_eq!(
            eval_str("=TEXT(\"abc\",\"\"\"<\"\"@\"\">\"\"\")"),
            text("<abc>")
        );
        assert_eq!(eval_str("=TEXT(TRUE,\"0\")"), text("TRUE"));
        assert_eq!(eval_str("=TEXT(-1,\"yyyy\")"), VALUE);
        assert_eq!(
            eval_str("=TEXT(1/3,\"General\")"),
            text("0.333333333333333")
        );
        assert_eq!(eval_str("=TEXT(1/0,\"0\")"), Value::Error(ErrorKind::Div0));
        assert_eq!(eval_str("=TEXT(B9,\"0.00\")"), text("0.00"));
    }

    #[test]
    fn value_and_numbervalue() {
        assert_eq!(eval_str("=VALUE(\"123\")"), num("123"));
        assert_eq!(eval_str("=VALUE(\"40%\")"), num("0.4"));
        assert_eq!(eval_str("=VALUE(\"23€\")"), num("23"));
        assert_eq!(eval_str("=VALUE(\"$1,234.50\")"), num("1234.5"));
        assert_eq!(eval_str("=VALUE(\"123,456.67\")"), num("123456.67"));
        assert_eq!(eval_str("=VALUE(\"12,34\")"), VALUE);
        assert_eq!(eval_str("=VALUE(\"qwerty\")"), VALUE);
        assert_eq!(eval_str("=VALUE(\"\")"), VALUE);
        assert_eq!(eval_str("=VALUE(TRUE)"), VALUE);
        assert_eq!(eval_str("=VALUE(B2)"), num("0"));
        assert_eq!(eval_str("=VALUE(12)"), num("12"));
        assert_eq!(eval_str("=VALUE(\"12:00\")"), num("0.5"));
        assert_eq!(
            eval_str("=NUMBERVALUE(\"2.500,27\",\",\",\".\")"),
            num("2500.27")
        );
        assert_eq!(eval_str("=NUMBERVALUE(\"3.5%\")"), num("0.035"));
        assert_eq!(eval_str("=NUMBERVALUE(\"\")"), num("0"));
        assert_eq!(eval_str("=NUMBERVALUE(\"1.2.3\")"), VALUE);
        assert_eq!(eval_str("=NUMBERVALUE(\"1\",\"\")"), VALUE);
    }

    #[test]
    fn fixed_dollar_char_code() {
        assert_eq!(eval_str("=FIXED(1234.567,1)"), text("1,234.6"));
        assert_eq!(eval_str("=FIXED(1234.567,-1)"), text("1,230"));
        assert_eq!(eval_str("=FIXED(-1234.567,-1,TRUE)"), text("-1230"));
        assert_eq!(eval_str("=FIXED(44.332)"), text("44.33"));
        assert_eq!(eval_str("=DOLLAR(1234.567)"), text("$1,234.57"));
        assert_eq!(eval_str("=DOLLAR(-1234.567,1)"), text("($1,234.6)"));
        assert_eq!(eval_str("=CHAR(65)"), text("A"));
        assert_eq!(eval_str("=CHAR(128)"), text("€"));
        assert_eq!(eval_str("=CHAR(0)"), VALUE);
        assert_eq!(eval_str("=CODE(\"A\")"), num("65"));
        assert_eq!(eval_str("=CODE(\"\")"), VALUE);
        assert_eq!(eval_str("=UNICHAR(12398)"), text("の"));
        assert_eq!(eval_str("=UNICODE(TRUE)"), num("84"));
        assert_eq!(eval_str("=UNICODE(B1)"), VALUE);
    }

    #[test]
    fn textbefore_and_textafter() {
        let t = "\"123 the 456 the 891\"";
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"the\")")),
            text(" 456 the 891")
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"the\",2)")),
            text(" 891")
        );
        assert_eq!(
            eval_str(&format!("=TEXTBEFORE({t},\"the\",-1)")),
            text("123 the 456 ")
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"the\",-2)")),
            text(" 456 the 891")
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"THE\")")),
            Value::Error(ErrorKind::NA)
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"THE\",2,1,0,1/0)")),
            text(" 891")
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"THE\",2,0,0,\"@\")")),
            text("@")
        );
        assert_eq!(eval_str(&format!("=TEXTAFTER({t},\"the\",0)")), VALUE);
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"the\",-1.2)")),
            text(" 456 the 891")
        );
        assert_eq!(
            eval_str(&format!("=TEXTBEFORE({t},\"the\",1.6)")),
            text("123 ")
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"the\",5,1,0,\"x\")")),
            text("x")
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"Hello\",1,1,1)")),
            text("")
        );
        assert_eq!(
            eval_str(&format!("=TEXTBEFORE({t},\"Hello\",1,1,1)")),
            text("123 the 456 the 891")
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"Hello\",-1,1,1)")),
            text("123 the 456 the 891")
        );
        assert_eq!(
            eval_str(&format!("=TEXTAFTER({t},\"Hello\",-1,1,2)")),
            VALUE
        );
        assert_eq!(
            eval_str("=TEXTAFTER(\"del\",\"deli\")"),
            Value::Error(ErrorKind::NA)
        );
        assert_eq!(eval_str("=TEXTAFTER(\"del\",\"deli\",1)"), VALUE);
        assert_eq!(eval_str("=TEXTAFTER(TRUE,\"r\",1,1)"), text("UE"));
        assert_eq!(eval_str("=TEXTBEFORE(123,1)"), text(""));
        assert_eq!(
            eval_str("=TEXTAFTER(\"Email - me@x.com\",\"- \",-1,,1)"),
            text("me@x.com")
        );
        assert_eq!(
            eval_str("=TEXTBEFORE(\"you@x.com\",\"- \",-1,,1)"),
            text("")
        );
        assert_eq!(eval_str("=TEXTAFTER(\"a;b,c\",{\",\",\";\"})"), text("b,c"));
        assert_eq!(
            eval_with(&[("A1", "x")], "=TEXTAFTER(A1,\"y\",1,0,0,B1)"),
            text("")
        );
    }

    #[test]
    fn textsplit_spills() {
        match eval_calc("=TEXTSPLIT(\"1,2,3;2,3;4,5,6,7\",\",\",\";\")") {
            CalcValue::Array(a) => {
                assert_eq!((a.rows, a.cols), (3, 4));
                assert_eq!(a.get(0, 3), &Value::Error(ErrorKind::NA));
                assert_eq!(a.get(2, 3), &text("7"));
            }
            other => panic!("{other:?}"),
        }
        match eval_calc("=TEXTSPLIT(\"1,,2\",\",\",,TRUE)") {
            CalcValue::Array(a) => assert_eq!(a.values, vec![text("1"), text("2")]),
            other => panic!("{other:?}"),
        }
        match eval_calc("=TEXTSPLIT(\"a,b;c\",\",\",\";\",FALSE,0,\"-\")") {
            CalcValue::Array(a) => assert_eq!(a.get(1, 1), &text("-")),
            other => panic!("{other:?}"),
        }
        assert_eq!(eval_str("=TEXTSPLIT(\"Hello\",\"\")"), VALUE);
        assert_eq!(eval_str("=TEXTSPLIT(\"Hello\",)"), VALUE);
    }

    #[test]
    fn t_valuetotext_arraytotext() {
        assert_eq!(eval_str("=T(\"abc\")"), text("abc"));
        assert_eq!(eval_str("=T(123)"), text(""));
        assert_eq!(eval_str("=T(1/0)"), Value::Error(ErrorKind::Div0));
        assert_eq!(eval_str("=VALUETOTEXT(1/0)"), text("#DIV/0!"));
        assert_eq!(eval_str("=ARRAYTOTEXT({1,#N/A})"), text("1, #N/A"));
        assert_eq!(eval_str("=VALUETOTEXT(\"a\",1)"), text("\"a\""));
        assert_eq!(eval_str("=VALUETOTEXT(1.2345)"), text("1.2345"));
        assert_eq!(
            eval_str("=ARRAYTOTEXT({12,0.1;\"x\",FALSE})"),
            text("12, 0.1, x, FALSE")
        );
        assert_eq!(
            eval_str("=ARRAYTOTEXT({12,0.1;\"x\",FALSE},1)"),
            text("{12,0.1;\"x\",FALSE}")
        );
    }

    #[test]
    fn regex_functions() {
        assert_eq!(
            eval_str("=REGEXEXTRACT(\"LonelyPlanet\",\"[A-Z][a-z]+\")"),
            text("Lonely")
        );
        match eval_calc("=REGEXEXTRACT(\"LonelyPlanet\",\"[A-Z][a-z]+\",1)") {
            CalcValue::Array(a) => assert_eq!(a.values, vec![text("Lonely"), text("Planet")]),
            other => panic!("{other:?}"),
        }
        match eval_calc("=REGEXEXTRACT(\"ab-12\",\"([a-z]+)-([0-9]+)\",2)") {
            CalcValue::Array(a) => assert_eq!(a.values, vec![text("ab"), text("12")]),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            eval_str("=REGEXEXTRACT(\"abc\",\"[0-9]\")"),
            Value::Error(ErrorKind::NA)
        );
        assert_eq!(
            eval_str("=REGEXREPLACE(\"JamesBond\",\"([A-Z][a-z]+)([A-Z][a-z]+)\",\"$2, $1 $2\")"),
            text("Bond, James Bond")
        );
        assert_eq!(
            eval_str("=REGEXTEST(\"Mr. Sherlock Holmes\",\"[A-Z]her\")"),
            Value::Bool(true)
        );
        assert_eq!(
            eval_str("=REGEXTEST(\"Mr. Sherlock Holmes\",\"[0-9]+\")"),
            Value::Bool(false)
        );
        assert_eq!(eval_str("=REGEXTEST(\"ABC\",\"abc\",1)"), Value::Bool(true));
        assert_eq!(eval_str("=REGEXTEST(\"ABC\",\"(\")"), VALUE);
    }
}
