//! Excel criteria matching, shared by every `*IF` / `*IFS` function.
//!
//! A criterion is either a value (`COUNTIF(A:A, 5)`) or text that may
//! start with a comparison operator (`">=100"`, `"<>"`, `"=abc*"`). The
//! rules follow Excel's documented behaviour:
//! - equality with a number matches number cells and numeric text cells;
//!   ordering operators only ever match number (and date) cells;
//! - text equality is case-insensitive and understands the wildcards `*`
//!   and `?`, with `~` escaping the next character;
//! - `"="` matches only truly empty cells, `""` matches empty cells and
//!   empty text, `"<>"` matches every non-empty cell;
//! - a reference to an empty cell as criterion counts as the number 0.

use crate::model::{ErrorKind, Number, Value};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::str::FromStr;

/// A comparison operator at the start of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionOp {
    /// `=` (or no operator at all).
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CriterionOp {
    fn accepts(self, ord: Ordering) -> bool {
        match self {
            CriterionOp::Eq => ord == Ordering::Equal,
            CriterionOp::Ne => ord != Ordering::Equal,
            CriterionOp::Lt => ord == Ordering::Less,
            CriterionOp::Le => ord != Ordering::Greater,
            CriterionOp::Gt => ord == Ordering::Greater,
            CriterionOp::Ge => ord != Ordering::Less,
        }
    }
}

/// What the criterion compares against.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Number(Number),
    /// Lower-cased text; `wildcards` when it holds an unescaped `*`/`?` or a `~`.
    Text {
        lower: String,
    },
    Bool(bool),
    Error(ErrorKind),
    /// The bare `=` / `<>` (nothing after the operator).
    Nothing,
    /// The empty string criterion `""`.
    EmptyText,
}

/// A parsed criterion, ready to test many cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    op: CriterionOp,
    operand: Operand,
}

impl Criterion {
    /// Parses a criterion argument (a value, or text such as `">=100"`).
    pub fn new(criterion: &Value) -> Criterion {
        let eq = |operand| Criterion {
            op: CriterionOp::Eq,
            operand,
        };
        match criterion {
            // Documented for COUNTIFS/AVERAGEIF: an empty criterion cell is 0.
            Value::Empty => eq(Operand::Number(Number::ZERO)),
            Value::Number(n) => eq(Operand::Number(*n)),
            Value::Date(d) => eq(Operand::Number(Number::from_f64(d.serial))),
            Value::Bool(b) => eq(Operand::Bool(*b)),
            Value::Error(e) => eq(Operand::Error(*e)),
            Value::Text(t) => Criterion::parse_text(t),
        }
    }

    fn parse_text(text: &str) -> Criterion {
        let (op, rest) = if let Some(r) = text.strip_prefix("<>") {
            (CriterionOp::Ne, r)
        } else if let Some(r) = text.strip_prefix("<=") {
            (CriterionOp::Le, r)
        } else if let Some(r) = text.strip_prefix(">=") {
            (CriterionOp::Ge, r)
        } else if let Some(r) = text.strip_prefix('<') {
            (CriterionOp::Lt, r)
        } else if let Some(r) = text.strip_prefix('>') {
            (CriterionOp::Gt, r)
        } else if let Some(r) = text.strip_prefix('=') {
            (CriterionOp::Eq, r)
        } else {
            if text.is_empty() {
                return Criterion {
                    op: CriterionOp::Eq,
                    operand: Operand::EmptyText,
                };
            }
            (CriterionOp::Eq, text)
        };
        let had_operator = rest.len() != text.len();
        let operand = if rest.is_empty() && had_operator {
            Operand::Nothing
        } else if let Some(n) = parse_number_text(rest) {
            Operand::Number(n)
        } else if rest.eq_ignore_ascii_case("TRUE") {
            Operand::Bool(true)
        } else if rest.eq_ignore_ascii_case("FALSE") {
            Operand::Bool(false)
        } else if let Some(e) = ErrorKind::parse(rest) {
            Operand::Error(e)
        } else {
            Operand::Text {
                lower: rest.to_lowercase(),
            }
        };
        Criterion { op, operand }
    }

    /// Whether a cell value satisfies the criterion.
    pub fn matches(&self, cell: &Value) -> bool {
        match &self.operand {
            Operand::Nothing => match self.op {
                CriterionOp::Eq => cell.is_empty(),
                CriterionOp::Ne => !cell.is_empty(),
                // `"<"` alone compares with empty text: only text cells
                // can be ordered against it.
                op => match cell {
                    Value::Text(t) => op.accepts(t.as_str().cmp("")),
                    _ => false,
                },
            },
            Operand::EmptyText => matches!(cell, Value::Empty) || cell.as_text() == Some(""),
            Operand::Number(n) => {
                let cell_number = match cell {
                    Value::Number(_) | Value::Date(_) => cell.as_number(),
                    // Numeric text only counts for (in)equality.
                    Value::Text(t) if matches!(self.op, CriterionOp::Eq | CriterionOp::Ne) => {
                        parse_number_text(t)
                    }
                    _ => None,
                };
                match cell_number.and_then(|c| c.partial_cmp(n)) {
                    Some(ord) => self.op.accepts(ord),
                    None => self.op == CriterionOp::Ne,
                }
            }
            Operand::Bool(b) => match cell {
                Value::Bool(c) => self.op.accepts(c.cmp(b)),
                _ => self.op == CriterionOp::Ne,
            },
            Operand::Error(e) => match cell {
                Value::Error(c) if matches!(self.op, CriterionOp::Eq | CriterionOp::Ne) => {
                    (c == e) == (self.op == CriterionOp::Eq)
                }
                _ => self.op == CriterionOp::Ne,
            },
            Operand::Text { lower } => match self.op {
                CriterionOp::Eq | CriterionOp::Ne => {
                    let equal = match cell {
                        Value::Text(t) => wildcard_match(lower, &t.to_lowercase()),
                        _ => false,
                    };
                    equal == (self.op == CriterionOp::Eq)
                }
                op => match cell {
                    Value::Text(t) => op.accepts(t.to_lowercase().as_str().cmp(lower)),
                    _ => false,
                },
            },
        }
    }
}

/// Reads criterion text as a number the way Excel reads typed input:
/// plain and scientific numbers, `1,234.5`, `$100`, `12%`, and dates
/// (`2024-01-31`, `1/31/2024`) as serials.
pub fn parse_number_text(text: &str) -> Option<Number> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let (negative, body) = match t.strip_prefix('-') {
        Some(r) => (true, r.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (percent, body) = match body.strip_suffix('%') {
        Some(r) => (true, r.trim_end()),
        None => (false, body),
    };
    let body = body.strip_prefix('$').unwrap_or(body);
    if let Some(n) = parse_plain_number(body) {
        let mut n = if negative { -n } else { n };
        if percent {
            n = n.checked_div(Number::from_i64(100))?;
        }
        return Some(n);
    }
    if negative || percent {
        return None;
    }
    parse_date_text(t).map(Number::from_i64)
}

fn parse_plain_number(body: &str) -> Option<Number> {
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    // Thousands separators are only valid in the integer part.
    let cleaned: String = if body.contains(',') {
        let int_part = body.split(['.', 'e', 'E']).next().unwrap_or("");
        let groups: Vec<&str> = int_part.split(',').collect();
        if groups[0].is_empty() || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
        body.replace(',', "")
    } else {
        body.to_string()
    };
    if !cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    if cleaned.contains(['e', 'E']) {
        if let Ok(d) = Decimal::from_scientific(&cleaned) {
            return Some(Number::Exact(d.normalize()));
        }
        let f: f64 = cleaned.parse().ok()?;
        return f.is_finite().then(|| Number::from_f64(f));
    }
    match Decimal::from_str(&cleaned) {
        Ok(d) => Some(Number::Exact(d)),
        Err(_) => {
            let f: f64 = cleaned.parse().ok()?;
            f.is_finite().then(|| Number::from_f64(f))
        }
    }
}

/// Dates written in criteria: ISO `2024-01-31` and US `1/31/2024`.
fn parse_date_text(t: &str) -> Option<i64> {
    use chrono::NaiveDate;
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%m/%d/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d-%b-%Y"))
        .ok()?;
    Some(crate::model::value::serial_from_date(date))
}

/// Case-sensitive wildcard match of a whole `text` against `pattern`
/// (callers lower-case both): `*` any run, `?` one character, `~x` the
/// literal `x`.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Lit(char),
        One,
        Any,
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '~' => match chars.next() {
                Some(n) => Tok::Lit(n),
                None => Tok::Lit('~'),
            },
            '*' => Tok::Any,
            '?' => Tok::One,
            c => Tok::Lit(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // Iterative matcher with one backtrack point per `*`.
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Tok::One) => {
                p += 1;
                t += 1;
            }
            Some(Tok::Lit(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|k| *k == Tok::Any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: i64) -> Value {
        Value::Number(Number::from_i64(x))
    }
    fn t(s: &str) -> Value {
        Value::Text(s.to_string())
    }
    fn m(crit: Value, cell: Value) -> bool {
        Criterion::new(&crit).matches(&cell)
    }

    #[test]
    fn numeric_comparisons() {
        assert!(m(t(">=100"), n(100)));
        assert!(!m(t(">=100"), n(99)));
        assert!(m(t("<5"), n(-3)));
        assert!(!m(t(">5"), t("10")), "ordering never matches text");
        assert!(m(t("<>5"), n(4)));
        assert!(m(t("<>5"), t("abc")));
        assert!(m(t("<>5"), Value::Empty));
        assert!(!m(t("<>5"), n(5)));
        assert!(m(t(">1.5"), Value::from_f64(1.75)));
        assert!(m(t(">=10%"), Value::from_f64(0.1)));
        assert!(m(t(">$1,000"), n(1001)));
    }

    #[test]
    fn number_equality_matches_numeric_text() {
        assert!(m(n(1), n(1)));
        assert!(m(n(1), t("1")));
        assert!(m(t("1"), t("1")));
        assert!(m(t("1"), n(1)));
        assert!(m(t("=1"), n(1)));
        assert!(!m(n(1), Value::Bool(true)));
    }

    #[test]
    fn blanks() {
        assert!(m(t("="), Value::Empty));
        assert!(!m(t("="), t("")));
        assert!(!m(t("="), n(0)));
        assert!(m(t(""), Value::Empty));
        assert!(m(t(""), t("")));
        assert!(!m(t(""), n(0)));
        assert!(m(t("<>"), n(0)));
        assert!(m(t("<>"), t("x")));
        assert!(!m(t("<>"), Value::Empty));
        // A reference to an empty cell as criterion is the number 0.
        assert!(m(Value::Empty, n(0)));
        assert!(!m(Value::Empty, Value::Empty));
    }

    #[test]
    fn text_and_wildcards() {
        assert!(m(t("apple"), t("APPLE")));
        assert!(m(t("a*"), t("Apricot")));
        assert!(m(t("*e"), t("apple")));
        assert!(m(t("a?c"), t("abc")));
        assert!(!m(t("a?c"), t("abbc")));
        assert!(m(t("*~**"), t("5*3")));
        assert!(!m(t("*~**"), t("53")));
        assert!(m(t("~?"), t("?")));
        assert!(!m(t("~?"), t("a")));
        assert!(m(t("<>a*"), t("banana")));
        assert!(!m(t("<>a*"), t("avocado")));
        assert!(m(t("<>a*"), n(3)));
        assert!(!m(t("apple"), n(1)));
        assert!(m(t(">b"), t("Cherry")));
        assert!(!m(t(">b"), t("apple")));
        assert!(!m(t(">b"), n(5)));
        assert!(m(t("*"), t("")));
        assert!(!m(t("*"), n(1)), "* only matches text");
    }

    #[test]
    fn booleans_errors_dates() {
        assert!(m(Value::Bool(true), Value::Bool(true)));
        assert!(m(t("TRUE"), Value::Bool(true)));
        assert!(!m(t("TRUE"), n(1)));
        assert!(m(t("#N/A"), Value::Error(ErrorKind::NA)));
        assert!(!m(t("#N/A"), Value::Error(ErrorKind::Div0)));
        let jan31 = Value::Date(crate::model::DateValue::from_date(
            chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
        ));
        assert!(m(t(">=2024-01-01"), jan31.clone()));
        assert!(m(t("<=1/31/2024"), jan31.clone()));
        assert!(!m(t(">1/31/2024"), jan31.clone()));
        assert!(m(t(">=45292"), jan31));
    }

    #[test]
    fn wildcard_matcher_backtracks() {
        assert!(wildcard_match("*a*b*c", "xxaxxbxxc"));
        assert!(!wildcard_match("*a*b*c", "xxaxxbxx"));
        assert!(wildcard_match("**", ""));
        assert!(wildcard_match("a*", "a"));
    }
}
