//! Text around delimiters: TEXTBEFORE, TEXTAFTER and TEXTSPLIT, whose
//! delimiter argument may list alternatives.

use super::*;

/// Which side of the delimiter TEXTBEFORE/TEXTAFTER keep.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Before,
    After,
}

/// A 0/1 switch argument (`#VALUE!` for anything else).
pub(super) fn switch(a: &Args, i: usize) -> Result<bool, ErrorKind> {
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

pub(super) fn text_around(ctx: &mut CallContext, args: &[Expr], side: Side) -> EvalResult {
    let delims = delimiters(ctx, &args[1])?;
    // An error in `if_not_found` only matters when it is used, so it is
    // kept as a value until then.
    let fallback = match args.get(5) {
        None | Some(Expr::Missing) => None,
        Some(e) => Some(match ctx.scalar(e) {
            Value::Empty => Value::text(""),
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
                Side::Before => text[..start].into(),
                Side::After => text[end..].into(),
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
pub(super) fn head_with_placeholder(head: &[Expr]) -> Vec<Expr> {
    let mut v = head.to_vec();
    if v.len() > 1 {
        v[1] = Expr::Text(String::new());
    }
    v
}

pub(super) fn textbefore(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    text_around(ctx, args, Side::Before)
}

pub(super) fn textafter(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    text_around(ctx, args, Side::After)
}

pub(super) fn textsplit(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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
        Some(s) => Value::text(s.as_str()),
        None => pad.clone(),
    });
    Ok(CalcValue::Array(arr))
}
