//! Logical functions: IF, IFS, IFERROR, IFNA, AND, OR, XOR, NOT, SWITCH,
//! CHOOSE, TRUE, FALSE, LET, and LAMBDA with its helpers (lambda.rs).

mod lambda;

use super::*;
use crate::formula::lambda::Local;
use crate::formula::operators::broadcast;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new("IF", 1, 3, "Chooses a value by a condition", if_),
    FunctionSpec::new("IFS", 2, MANY, "The value of the first true condition", ifs),
    FunctionSpec::new(
        "IFERROR",
        2,
        2,
        "The value, or a fallback when it is an error",
        iferror,
    ),
    FunctionSpec::new(
        "IFNA",
        2,
        2,
        "The value, or a fallback when it is #N/A",
        ifna,
    ),
    FunctionSpec::new("AND", 1, MANY, "TRUE when every argument is true", and),
    FunctionSpec::new("OR", 1, MANY, "TRUE when any argument is true", or),
    FunctionSpec::new(
        "XOR",
        1,
        MANY,
        "TRUE when an odd number of arguments are true",
        xor,
    ),
    FunctionSpec::new("NOT", 1, 1, "Reverses a logical value", not),
    FunctionSpec::new(
        "SWITCH",
        3,
        MANY,
        "The result paired with the first matching value",
        switch,
    ),
    FunctionSpec::new(
        "CHOOSE",
        2,
        MANY,
        "The value at a position in the argument list",
        choose,
    ),
    FunctionSpec::new("TRUE", 0, 0, "The logical value TRUE", true_),
    FunctionSpec::new("FALSE", 0, 0, "The logical value FALSE", false_),
    FunctionSpec::new(
        "LET",
        3,
        MANY,
        "Names intermediate results for use in a formula",
        let_,
    ),
    FunctionSpec::new(
        "LAMBDA",
        1,
        254,
        "A function of named parameters, called with values",
        lambda::lambda,
    ),
    FunctionSpec::new(
        "ISOMITTED",
        1,
        1,
        "TRUE when a LAMBDA parameter was left out of the call",
        lambda::isomitted,
    ),
    FunctionSpec::new(
        "MAP",
        2,
        MANY,
        "An array of a LAMBDA's value for each element of arrays",
        lambda::map,
    ),
    FunctionSpec::new(
        "REDUCE",
        2,
        3,
        "Folds an array into one result with a LAMBDA",
        lambda::reduce,
    ),
    FunctionSpec::new(
        "SCAN",
        2,
        3,
        "Every intermediate result of folding an array with a LAMBDA",
        lambda::scan,
    ),
    FunctionSpec::new(
        "BYROW",
        2,
        2,
        "A column of a LAMBDA's value for each row",
        lambda::byrow,
    ),
    FunctionSpec::new(
        "BYCOL",
        2,
        2,
        "A row of a LAMBDA's value for each column",
        lambda::bycol,
    ),
    FunctionSpec::new(
        "MAKEARRAY",
        3,
        3,
        "An array of given size filled by a LAMBDA of row and column",
        lambda::makearray,
    ),
];

/// A branch's value; an omitted branch (`IF(c,,x)`) is 0.
fn branch(ctx: &mut CallContext, e: Option<&Expr>, cond: bool) -> CalcValue {
    match e {
        Some(Expr::Missing) => CalcValue::number(0),
        Some(e) => ctx.eval(e),
        None => CalcValue::bool(cond),
    }
}

fn if_(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cond = ctx.lift(&args[0]);
    if let CalcValue::Array(a) = cond {
        // Array condition: choose element by element.
        let t = operand_values(ctx, args.get(1), true)?;
        let f = operand_values(ctx, args.get(2), false)?;
        let picked = broadcast(CalcValue::Array(a), t, |c, t| match to_bool(c) {
            Ok(true) => t.clone(),
            Ok(false) => Value::Bool(false),
            Err(e) => Value::Error(e),
        });
        let mask = broadcast(cond_array(ctx, &args[0])?, f, |c, f| match to_bool(c) {
            Ok(false) => f.clone(),
            _ => Value::Empty,
        });
        return Ok(broadcast(picked, mask, |p, m| {
            if matches!(m, Value::Empty) {
                p.clone()
            } else {
                m.clone()
            }
        }));
    }
    let c = ctx.to_scalar(cond);
    let c = to_bool(&c)?;
    Ok(branch(ctx, if c { args.get(1) } else { args.get(2) }, c))
}

fn cond_array(ctx: &mut CallContext, e: &Expr) -> EvalResult {
    Ok(ctx.lift(e))
}

fn operand_values(ctx: &mut CallContext, e: Option<&Expr>, which: bool) -> EvalResult {
    let v = branch(ctx, e, which);
    match v {
        CalcValue::Ref(a) if a.is_cell() => {
            Ok(CalcValue::Value(ctx.cell_value(a.sheet, a.range.start)))
        }
        CalcValue::Ref(_) | CalcValue::Refs(_) => Ok(CalcValue::Array(ctx.to_array(v)?)),
        v => Ok(v),
    }
}

fn ifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    if !args.len().is_multiple_of(2) {
        return Err(ErrorKind::Value);
    }
    for pair in args.chunks(2) {
        if ctx.boolean(&pair[0])? {
            return Ok(ctx.eval(&pair[1]));
        }
    }
    Err(ErrorKind::NA)
}

/// The value of an argument with references read (so an error in a
/// referenced cell is seen).
fn resolved(ctx: &mut CallContext, e: &Expr) -> CalcValue {
    match ctx.lift(e) {
        v @ (CalcValue::Ref(_) | CalcValue::Refs(_)) => CalcValue::Value(ctx.to_scalar(v)),
        v => v,
    }
}

fn iferror(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    catch(ctx, args, |_| true)
}

fn ifna(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    catch(ctx, args, |k| k == ErrorKind::NA)
}

fn catch(ctx: &mut CallContext, args: &[Expr], hit: fn(ErrorKind) -> bool) -> EvalResult {
    match resolved(ctx, &args[0]) {
        CalcValue::Value(Value::Error(k)) if hit(k) => Ok(branch(ctx, Some(&args[1]), false)),
        CalcValue::Array(a)
            if a.values
                .iter()
                .any(|v| matches!(v, Value::Error(k) if hit(*k))) =>
        {
            let fallback = ctx.scalar(&args[1]);
            Ok(CalcValue::Array(Array {
                rows: a.rows,
                cols: a.cols,
                values: a
                    .values
                    .into_iter()
                    .map(|v| match v {
                        Value::Error(k) if hit(k) => fallback.clone(),
                        v => v,
                    })
                    .collect(),
            }))
        }
        CalcValue::Value(Value::Empty) => Ok(CalcValue::number(0)),
        v => Ok(v),
    }
}

/// Folds the logical values of the arguments: booleans and numbers in
/// references and arrays count, text there is skipped; direct text must
/// read as TRUE/FALSE. No logical value at all is `#VALUE!`.
fn fold_logical(
    ctx: &mut CallContext,
    args: &[Expr],
    mut f: impl FnMut(bool),
) -> Result<(), ErrorKind> {
    let mut any = false;
    for a in args {
        ctx.for_each_value(a, |v, direct| {
            match v {
                Value::Bool(b) => f(*b),
                Value::Number(n) => f(!n.is_zero()),
                Value::Date(d) => f(!date_number(d).is_zero()),
                Value::Error(k) => return Err(*k),
                Value::Text(s) if direct && !s.is_empty() => f(to_bool(v)?),
                Value::Empty if direct => f(false),
                _ => return Ok(()),
            }
            any = true;
            Ok(())
        })?;
    }
    if any {
        Ok(())
    } else {
        Err(ErrorKind::Value)
    }
}

fn and(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut all = true;
    fold_logical(ctx, args, |b| all &= b)?;
    Ok(CalcValue::bool(all))
}

fn or(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut any = false;
    fold_logical(ctx, args, |b| any |= b)?;
    Ok(CalcValue::bool(any))
}

fn xor(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut odd = false;
    fold_logical(ctx, args, |b| odd ^= b)?;
    Ok(CalcValue::bool(odd))
}

fn not(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    ctx.map_value(&args[0], |v| Ok(Value::Bool(!to_bool(v)?)))
}

fn switch(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let subject = ctx.value(&args[0])?;
    let rest = &args[1..];
    let pairs = rest.len() / 2;
    for i in 0..pairs {
        let candidate = ctx.value(&rest[2 * i])?;
        if values_equal(&subject, &candidate) && same_kind(&subject, &candidate) {
            return Ok(ctx.eval(&rest[2 * i + 1]));
        }
    }
    if !rest.len().is_multiple_of(2) {
        return Ok(ctx.eval(&rest[rest.len() - 1]));
    }
    Err(ErrorKind::NA)
}

/// Whether two values are of one kind for SWITCH/MATCH equality (an
/// empty cell only equals empty, 0 or "").
fn same_kind(a: &Value, b: &Value) -> bool {
    use Value::*;
    matches!(
        (a, b),
        (Number(_) | Date(_), Number(_) | Date(_))
            | (Text(_), Text(_))
            | (Bool(_), Bool(_))
            | (Empty, _)
            | (_, Empty)
    )
}

fn choose(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let idx = ctx.lift(&args[0]);
    if let CalcValue::Array(a) = idx {
        let mut values = Vec::with_capacity(a.values.len());
        for v in &a.values {
            let i = to_number(v)?.to_i64().ok_or(ErrorKind::Value)?;
            if i < 1 || i as usize >= args.len() {
                values.push(Value::Error(ErrorKind::Value));
            } else {
                values.push(ctx.scalar(&args[i as usize]));
            }
        }
        return Ok(CalcValue::Array(Array {
            rows: a.rows,
            cols: a.cols,
            values,
        }));
    }
    let v = ctx.to_scalar(idx);
    let i = to_number(&v)?.to_f64().trunc();
    if i < 1.0 || i as usize >= args.len() {
        return Err(ErrorKind::Value);
    }
    match &args[i as usize] {
        Expr::Missing => Ok(CalcValue::number(0)),
        e => Ok(ctx.eval(e)),
    }
}

fn true_(_: &mut CallContext, _: &[Expr]) -> EvalResult {
    Ok(CalcValue::bool(true))
}

fn false_(_: &mut CallContext, _: &[Expr]) -> EvalResult {
    Ok(CalcValue::bool(false))
}

fn let_(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    if args.len().is_multiple_of(2) {
        return Err(ErrorKind::Value);
    }
    let base = ctx.locals.len();
    let mut result = Ok(CalcValue::Value(Value::Empty));
    for pair in args[..args.len() - 1].chunks(2) {
        let Expr::Name { sheet: None, name } = &pair[0] else {
            result = Err(ErrorKind::Value);
            break;
        };
        let v = ctx.eval(&pair[1]);
        ctx.locals.push(Local::new(name, v));
    }
    if result.is_ok() {
        result = Ok(ctx.eval(&args[args.len() - 1]));
    }
    ctx.locals.truncate(base);
    result
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn if_short_circuits() {
        assert_eq!(eval_str("=IF(1>2,1/0,\"no\")"), t("no"));
        assert_eq!(eval_str("=IF(TRUE,5)"), num("5"));
        assert_eq!(eval_str("=IF(FALSE,5)"), Value::Bool(false));
        assert_eq!(eval_str("=IF(TRUE,,5)"), num("0"));
        assert_eq!(eval_str("=IF(\"x\",1,2)"), Value::Error(ErrorKind::Value));
        assert_eq!(eval_str("=SUM(IF({1,0,1},{10,20,30},1))"), num("41"));
    }

    #[test]
    fn error_catchers_distinguish_kinds() {
        assert_eq!(eval_str("=IFERROR(1/0,7)"), num("7"));
        assert_eq!(eval_str("=IFNA(1/0,7)"), Value::Error(ErrorKind::Div0));
        assert_eq!(eval_str("=IFNA(NA(),7)"), num("7"));
        assert_eq!(
            eval_with(&[("A1", "=1/0")], "=IFERROR(A1,\"bad\")"),
            t("bad")
        );
    }

    #[test]
    fn boolean_folds_follow_excel() {
        assert_eq!(eval_str("=AND(TRUE,1,\"TRUE\")"), Value::Bool(true));
        assert_eq!(eval_str("=OR(FALSE,0)"), Value::Bool(false));
        assert_eq!(eval_str("=XOR(TRUE,TRUE,TRUE)"), Value::Bool(true));
        assert_eq!(
            eval_with(&[("A1", "x")], "=AND(A1:A2)"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(
            eval_with(&[("A1", "x"), ("A2", "TRUE")], "=AND(A1:A2)"),
            Value::Bool(true)
        );
        assert_eq!(eval_str("=NOT(0)"), Value::Bool(true));
    }

    #[test]
    fn choosers_pick_by_value_and_position() {
        assert_eq!(eval_str("=IFS(1>2,\"a\",2>1,\"b\")"), t("b"));
        assert_eq!(eval_str("=IFS(1>2,\"a\")"), Value::Error(ErrorKind::NA));
        assert_eq!(eval_str("=SWITCH(2,1,\"one\",2,\"two\")"), t("two"));
        assert_eq!(eval_str("=SWITCH(3,1,\"one\",\"other\")"), t("other"));
        assert_eq!(
            eval_str("=SWITCH(3,1,\"one\")"),
            Value::Error(ErrorKind::NA)
        );
        assert_eq!(eval_str("=CHOOSE(2,\"a\",\"b\",\"c\")"), t("b"));
        assert_eq!(
            eval_str("=CHOOSE(4,\"a\",\"b\",\"c\")"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(eval_with(&[("B1", "3")], "=SUM(CHOOSE(2,A1,B1))"), num("3"));
        assert_eq!(eval_str("=TRUE()"), Value::Bool(true));
    }

    #[test]
    fn let_binds_names() {
        assert_eq!(eval_str("=LET(x,2,y,x*3,x+y)"), num("8"));
        assert_eq!(eval_str("=LET(x,2,LET(x,5,x)+x)"), num("7"));
    }
}
