//! Criteria matching shared by COUNTIF, SUMIF, AVERAGEIFS and friends.

use super::*;
use crate::formula::calc::{compare_values, parse_number_text};
use std::cmp::Ordering;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new(
    "COUNTIF",
    2,
    2,
    "Counts the cells of a range that meet a criterion",
    countif,
)];

/// A parsed criterion such as `">=10"`, `"<>x"`, `"a*"` or `5`.
#[derive(Debug, Clone)]
pub struct Criterion {
    op: Ordering2,
    target: Value,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ordering2 {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Criterion {
    /// Parses a criterion value as Excel does.
    pub fn parse(v: &Value) -> Criterion {
        let Value::Text(s) = v else {
            return Criterion {
                op: Ordering2::Eq,
                target: v.clone(),
            };
        };
        let (op, rest) = if let Some(r) = s.strip_prefix(">=") {
            (Ordering2::Ge, r)
        } else if let Some(r) = s.strip_prefix("<=") {
            (Ordering2::Le, r)
        } else if let Some(r) = s.strip_prefix("<>") {
            (Ordering2::Ne, r)
        } else if let Some(r) = s.strip_prefix('>') {
            (Ordering2::Gt, r)
        } else if let Some(r) = s.strip_prefix('<') {
            (Ordering2::Lt, r)
        } else if let Some(r) = s.strip_prefix('=') {
            (Ordering2::Eq, r)
        } else {
            (Ordering2::Eq, s.as_str())
        };
        let target = if rest.is_empty() {
            Value::Text(String::new())
        } else if let Some(n) = parse_number_text(rest) {
            Value::Number(n)
        } else if rest.eq_ignore_ascii_case("TRUE") {
            Value::Bool(true)
        } else if rest.eq_ignore_ascii_case("FALSE") {
            Value::Bool(false)
        } else if let Some(e) = ErrorKind::parse(rest) {
            Value::Error(e)
        } else {
            Value::Text(rest.to_string())
        };
        Criterion { op, target }
    }

    /// Whether a cell value meets the criterion.
    pub fn matches(&self, v: &Value) -> bool {
        let same_type = matches!(
            (v, &self.target),
            (Value::Number(_) | Value::Date(_), Value::Number(_))
                | (Value::Text(_), Value::Text(_))
                | (Value::Bool(_), Value::Bool(_))
                | (Value::Error(_), Value::Error(_))
        );
        if let (Value::Text(t), Ordering2::Eq | Ordering2::Ne) = (&self.target, self.op) {
            let hit = match v {
                Value::Empty => t.is_empty(),
                Value::Text(s) => wildcard_match(t, s),
                _ => false,
            };
            return if self.op == Ordering2::Eq { hit } else { !hit };
        }
        if !same_type {
            return self.op == Ordering2::Ne;
        }
        let ord = compare_values(v, &self.target);
        match self.op {
            Ordering2::Eq => ord == Ordering::Equal,
            Ordering2::Ne => ord != Ordering::Equal,
            Ordering2::Lt => ord == Ordering::Less,
            Ordering2::Le => ord != Ordering::Greater,
            Ordering2::Gt => ord == Ordering::Greater,
            Ordering2::Ge => ord != Ordering::Less,
        }
    }
}

/// Excel's wildcard match, case-insensitive: `*` any run, `?` one
/// character, `~` escapes the next.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == '~' && pi + 1 < p.len() && p[pi + 1] == t[ti] {
            pi += 2;
            ti += 1;
        } else if pi < p.len() && (p[pi] == '?' || (p[pi] == t[ti] && p[pi] != '*' && p[pi] != '~'))
        {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

fn countif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let crit = Criterion::parse(&ctx.scalar(&args[1]));
    let mut n = 0i64;
    match ctx.eval(&args[0]) {
        CalcValue::Ref(area) => {
            let matches_empty = crit.matches(&Value::Empty);
            let mut stored = 0i64;
            ctx.for_each_cell(area, false, |_, _, v| {
                stored += 1;
                n += crit.matches(v) as i64;
                Ok(())
            })?;
            if matches_empty {
                // Empty cells are not visited; count them from the size.
                let total = area.range.rows() as i64 * area.range.cols() as i64;
                n += total - stored;
            }
        }
        other => {
            let a = ctx.to_array(other)?;
            n = a.values.iter().filter(|v| crit.matches(v)).count() as i64;
        }
    }
    Ok(CalcValue::number(n))
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;
    use crate::formula::testing::{eval_with, num};

    #[test]
    fn countif_matches_operators_and_wildcards() {
        let cells = [
            ("A1", "5"),
            ("A2", "15"),
            ("A3", "apple"),
            ("A4", "Apricot"),
        ];
        assert_eq!(eval_with(&cells, "=COUNTIF(A1:A4,\">=10\")"), num("1"));
        assert_eq!(eval_with(&cells, "=COUNTIF(A1:A4,\"a*\")"), num("2"));
        assert_eq!(eval_with(&cells, "=COUNTIF(A1:A5,\"\")"), num("1"));
        assert_eq!(eval_with(&cells, "=COUNTIF(A1:A4,5)"), num("1"));
        assert!(wildcard_match("a?c~*", "abc*"));
    }
}
