//! Between text and other values: TEXT, VALUE, NUMBERVALUE, FIXED,
//! DOLLAR, T, VALUETOTEXT and ARRAYTOTEXT.

use super::*;

pub(super) fn text(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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
pub(super) fn value_of_text(s: &str) -> Result<Number, ErrorKind> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ErrorKind::Value);
    }
    if let Ok(n) = to_number(&Value::text(t)) {
        return Ok(n);
    }
    for sym in ['€', '£', '$'] {
        let stripped = t
            .strip_suffix(sym)
            .or_else(|| t.strip_prefix(sym))
            .map(str::trim);
        if let Some(rest) = stripped.filter(|r| !r.is_empty()) {
            if let Ok(n) = to_number(&Value::text(rest)) {
                return Ok(n);
            }
        }
    }
    Err(ErrorKind::Value)
}

pub(super) fn value(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| match a.value(0) {
        Value::Error(e) => Err(e),
        Value::Bool(_) => Err(ErrorKind::Value),
        Value::Text(s) => value_of_text(&s).map(Value::Number),
        v => to_number(&v).map(Value::Number),
    })
}

pub(super) fn numbervalue(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn fixed(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let n = a.number(0)?;
        let decimals = a.opt_int(1, 2)?;
        let no_commas = a.opt_bool(2, false)?;
        core::fixed(n, decimals, no_commas).map(Value::text)
    })
}

pub(super) fn dollar(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let n = a.number(0)?;
        let decimals = a.opt_int(1, 2)?;
        core::dollar(n, decimals).map(Value::text)
    })
}

pub(super) fn t_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| match a.value(0) {
        Value::Text(s) => Ok(Value::Text(s)),
        Value::Error(e) => Err(e),
        _ => Ok(Value::text("")),
    })
}

/// A value as VALUETOTEXT and ARRAYTOTEXT write it: errors as their
/// names, text quoted in strict form.
pub(super) fn value_as_text(v: &Value, strict: bool) -> String {
    match v {
        Value::Text(s) if strict => format!("\"{}\"", s.replace('"', "\"\"")),
        Value::Error(e) => e.as_str().to_string(),
        v => to_text(v).unwrap_or_default(),
    }
}

/// The 0/1 format argument of VALUETOTEXT and ARRAYTOTEXT.
pub(super) fn strict_format(ctx: &mut CallContext, args: &[Expr]) -> Result<bool, ErrorKind> {
    if CallContext::is_missing(args, 1) {
        return Ok(false);
    }
    match ctx.int(&args[1])? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(ErrorKind::Value),
    }
}

pub(super) fn valuetotext(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let strict = strict_format(ctx, args)?;
    let v = ctx.scalar(&args[0]);
    Ok(CalcValue::text(value_as_text(&v, strict)))
}

pub(super) fn arraytotext(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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
