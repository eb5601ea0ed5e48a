//! The REGEX functions (REGEXTEST, REGEXEXTRACT, REGEXREPLACE).

use super::*;

/// The 0/1 case-sensitivity argument of the REGEX functions (1 ignores
/// case).
pub(super) fn regex_case(a: &Args, i: usize) -> Result<bool, ErrorKind> {
    match a.opt_int(i, 0)? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(ErrorKind::Value),
    }
}

pub(super) fn regextest(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let text = a.text(0)?;
        let re = core::regex(&a.text(1)?, regex_case(a, 2)?)?;
        Ok(Value::Bool(re.is_match(&text)))
    })
}

pub(super) fn regexextract(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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
            .map(|m| Value::text(m.as_str()))
            .collect(),
        2 => {
            let caps = re.captures(&text).ok_or(ErrorKind::NA)?;
            caps.iter()
                .skip(1)
                .map(|g| Value::text(g.map_or("", |g| g.as_str())))
                .collect()
        }
        _ => return Err(ErrorKind::Value),
    };
    if texts.is_empty() {
        return Err(ErrorKind::NA);
    }
    Ok(CalcValue::Array(Array::row(texts)))
}

pub(super) fn regexreplace(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let text = a.text(0)?;
        let re = core::regex(&a.text(1)?, regex_case(a, 4)?)?;
        let rep = a.text(2)?;
        let occurrence = a.opt_int(3, 0)?;
        text_value(core::regex_replace(&text, &re, &rep, occurrence))
    })
}
