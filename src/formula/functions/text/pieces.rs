//! Taking text apart and putting it together: lengths, slices, case,
//! CONCATENATE, substitution and searching (LEN, MID, SUBSTITUTE, FIND,
//! ...), and character codes. Joins of ranges are in `joins.rs`.

use super::*;

pub(super) fn len(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        Ok(Value::Number(Number::from_i64(
            a.text(0)?.chars().count() as i64
        )))
    })
}

pub(super) fn left(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let n = count(a.opt_int(1, 1)?)?;
        Ok(Value::Text(core::left(&s, n).into()))
    })
}

pub(super) fn right(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let n = count(a.opt_int(1, 1)?)?;
        Ok(Value::Text(core::right(&s, n).into()))
    })
}

pub(super) fn mid(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let start = position(a.int(1)?)?;
        let n = count(a.int(2)?)?;
        Ok(Value::Text(core::mid(&s, start, n).into()))
    })
}

/// A one-argument text-to-text function, lifted over arrays.
pub(super) fn map_text(ctx: &mut CallContext, args: &[Expr], f: fn(&str) -> String) -> EvalResult {
    lifted(ctx, args, |a| Ok(Value::Text(f(&a.text(0)?).into())))
}

pub(super) fn trim(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, core::trim)
}

pub(super) fn clean(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, core::clean)
}

pub(super) fn upper(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, str::to_uppercase)
}

pub(super) fn lower(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, str::to_lowercase)
}

pub(super) fn proper(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_text(ctx, args, core::proper)
}

pub(super) fn concatenate(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let mut out = String::new();
        for i in 0..a.0.len() {
            out.push_str(&a.text(i)?);
        }
        text_value(out)
    })
}

pub(super) fn substitute(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

pub(super) fn replace(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let start = position(a.int(1)?)?;
        let n = count(a.int(2)?)?;
        let new = a.text(3)?;
        text_value(core::replace(&s, start, n, &new))
    })
}

/// FIND and SEARCH: the same argument rules, a different matcher.
pub(super) fn locate(
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

pub(super) fn find(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    locate(ctx, args, core::find)
}

pub(super) fn search(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    locate(ctx, args, core::search)
}

pub(super) fn exact(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| Ok(Value::Bool(a.text(0)? == a.text(1)?)))
}

pub(super) fn rept(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let s = a.text(0)?;
        let n = count(a.int(1)?)?;
        core::rept(&s, n).map(Value::text)
    })
}

pub(super) fn char_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| core::char_of(a.int(0)?).map(Value::text))
}

pub(super) fn code(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        core::code_of(&a.text(0)?).map(|c| Value::Number(Number::from_i64(c)))
    })
}

pub(super) fn unichar(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| core::unichar(a.int(0)?).map(Value::text))
}

pub(super) fn unicode(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        core::unicode_of(&a.text(0)?).map(|c| Value::Number(Number::from_i64(c)))
    })
}
