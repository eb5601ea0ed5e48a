//! Functions as values: a LAMBDA with the LET names it closes over, or a
//! built-in function named without parentheses (`BYROW(A1:C3,SUM)`,
//! stored in files as `_xleta.SUM`), and how the evaluator calls them.
//!
//! A LAMBDA's parameters bind like LET's names ([`Local`]); the helpers
//! (MAP, REDUCE, BYROW, ...) and GROUPBY call a function value through
//! [`CallContext::invoke`].

use super::ast::Expr;
use super::calc::CalcValue;
use super::eval::CallContext;
use super::functions::FunctionSpec;
use crate::model::{ErrorKind, Value};
use std::rc::Rc;

/// Deepest nesting of LAMBDA calls (a named LAMBDA calling itself):
/// deeper calls give `#NUM!`, as Excel does when a recursion exhausts
/// its stack, instead of overflowing ours.
pub const MAX_LAMBDA_DEPTH: usize = 120;

/// A name bound by LET or by a LAMBDA call.
#[derive(Debug, Clone, PartialEq)]
pub struct Local {
    /// The name as written (`x` or `_xlpm.x`).
    pub name: String,
    /// Its value; a reference stays a reference.
    pub value: CalcValue,
    /// A LAMBDA parameter the call left out (`LAMBDA(x,y,...)(1,)`),
    /// which ISOMITTED tells apart.
    pub omitted: bool,
}

impl Local {
    /// A bound name.
    pub fn new(name: &str, value: CalcValue) -> Local {
        Local {
            name: name.to_string(),
            value,
            omitted: false,
        }
    }
}

/// A function value.
#[derive(Debug)]
pub enum Callable {
    /// `LAMBDA(params..., body)` and the LET names in scope where it was
    /// made (the body sees those, never the caller's).
    Lambda {
        /// Parameter names as written.
        params: Vec<String>,
        /// The calculation.
        body: Expr,
        /// The names in scope where the LAMBDA was evaluated.
        captured: Vec<Local>,
    },
    /// A built-in function passed by name.
    Builtin(&'static FunctionSpec),
}

impl PartialEq for Callable {
    /// Two function values are equal only when they are the same value.
    fn eq(&self, other: &Callable) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Callable {
    /// How many arguments a call passes: a LAMBDA's parameter count, a
    /// built-in's fewest (PERCENTOF takes two).
    pub fn arity(&self) -> usize {
        match self {
            Callable::Lambda { params, .. } => params.len(),
            Callable::Builtin(spec) => spec.min_args.max(1),
        }
    }
}

/// A parameter or LET name without the `_xlpm.` (or optional-parameter
/// `_xlop.`) prefix files store it with.
pub fn bare_param(name: &str) -> &str {
    for prefix in ["_xlpm.", "_xlop."] {
        if name.len() > prefix.len() && name[..prefix.len()].eq_ignore_ascii_case(prefix) {
            return &name[prefix.len()..];
        }
    }
    name
}

/// Whether two bound names are the same name (`x` and `_xlpm.X`).
pub fn same_param(a: &str, b: &str) -> bool {
    bare_param(a).eq_ignore_ascii_case(bare_param(b))
}

/// A built-in function passed by name: `SUM`, or `_xleta.SUM` as files
/// store it.
pub fn eta_function(name: &str) -> Option<&'static FunctionSpec> {
    let bare = match name.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("_xleta.") => &name[7..],
        _ => name,
    };
    super::functions::lookup(&super::ast::normalize_function_name(bare))
}

impl CallContext<'_> {
    /// A LAMBDA value from its arguments: names first, the calculation
    /// last. A parameter that is not a plain name, or a name given twice,
    /// is `#VALUE!`.
    pub fn make_lambda(&self, args: &[Expr]) -> Result<CalcValue, ErrorKind> {
        let (body, names) = args.split_last().ok_or(ErrorKind::Value)?;
        let mut params: Vec<String> = Vec::with_capacity(names.len());
        for p in names {
            let Expr::Name { sheet: None, name } = p else {
                return Err(ErrorKind::Value);
            };
            if params.iter().any(|q| same_param(q, name)) {
                return Err(ErrorKind::Value);
            }
            params.push(name.clone());
        }
        Ok(CalcValue::Lambda(Rc::new(Callable::Lambda {
            params,
            body: body.clone(),
            captured: self.locals.clone(),
        })))
    }

    /// The function value an argument gives (`LAMBDA(...)`, a name bound
    /// to one, or a function named bare); `#VALUE!` for anything else.
    pub fn callable(&mut self, e: &Expr) -> Result<Rc<Callable>, ErrorKind> {
        match self.eval(e) {
            CalcValue::Lambda(f) => Ok(f),
            CalcValue::Value(Value::Error(k)) => Err(k),
            _ => Err(ErrorKind::Value),
        }
    }

    /// Calls a function value with computed arguments. `None` marks an
    /// argument left out (`F(1,)`). A LAMBDA given more or fewer
    /// arguments than it has parameters is `#VALUE!`; calls nested deeper
    /// than [`MAX_LAMBDA_DEPTH`] are `#NUM!`.
    pub fn invoke(&mut self, f: &Callable, args: Vec<Option<CalcValue>>) -> CalcValue {
        match f {
            Callable::Builtin(spec) => {
                let exprs: Vec<Expr> = (0..args.len()).map(Expr::Bound).collect();
                let values = args
                    .into_iter()
                    .map(|a| a.unwrap_or(CalcValue::Value(Value::Empty)))
                    .collect();
                let saved = std::mem::replace(&mut self.bound, values);
                let r = self.call_spec(spec, &exprs);
                self.bound = saved;
                r
            }
            Callable::Lambda {
                params,
                body,
                captured,
            } => {
                if args.len() != params.len() {
                    return CalcValue::error(ErrorKind::Value);
                }
                if self.lambda_depth >= MAX_LAMBDA_DEPTH || self.out_of_time() {
                    return CalcValue::error(ErrorKind::Num);
                }
                let mut scope = captured.clone();
                scope.extend(params.iter().zip(args).map(|(name, a)| Local {
                    name: name.clone(),
                    omitted: a.is_none(),
                    value: a.unwrap_or(CalcValue::Value(Value::Empty)),
                }));
                let saved_locals = std::mem::replace(&mut self.locals, scope);
                // The body's own arguments are not the caller's.
                let saved_bound = std::mem::take(&mut self.bound);
                self.lambda_depth += 1;
                let r = self.eval(body);
                self.lambda_depth -= 1;
                self.bound = saved_bound;
                self.locals = saved_locals;
                r
            }
        }
    }

    /// Calls a function value with the arguments of a call as written:
    /// each evaluated, an empty one left out.
    pub fn invoke_exprs(&mut self, f: &Callable, args: &[Expr]) -> CalcValue {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(match a {
                Expr::Missing => None,
                e => Some(self.eval(e)),
            });
        }
        self.invoke(f, values)
    }

    /// Calls a function value with one value per parameter, a result
    /// reduced to one value: a multi-value result of a helper's call is
    /// `#CALC!` (Excel's nested-array error).
    pub fn invoke_scalar(&mut self, f: &Callable, args: Vec<CalcValue>) -> Value {
        let r = self.invoke(f, args.into_iter().map(Some).collect());
        self.single_value(r)
    }

    /// One value from a function's result: a single cell's or a 1x1
    /// array's value, `#CALC!` for more (a nested array) or a function.
    pub fn single_value(&mut self, r: CalcValue) -> Value {
        match r {
            CalcValue::Value(v) => v,
            CalcValue::Array(a) if a.rows * a.cols == 1 => {
                a.values.into_iter().next().unwrap_or_default()
            }
            CalcValue::Ref(area) if area.is_cell() => self.cell_value(area.sheet, area.range.start),
            CalcValue::Array(_) | CalcValue::Ref(_) | CalcValue::Lambda(_) => {
                Value::Error(ErrorKind::Calc)
            }
            CalcValue::Refs(_) => Value::Error(ErrorKind::Value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_prefixes_are_not_part_of_a_name() {
        assert_eq!(bare_param("_xlpm.net"), "net");
        assert_eq!(bare_param("_XLOP.y"), "y");
        assert_eq!(bare_param("x"), "x");
        assert!(same_param("_xlpm.Rate", "rate"));
        assert!(eta_function("_xleta.SUM").is_some());
        assert!(eta_function("average").is_some());
        assert!(eta_function("NOPE").is_none());
    }
}
