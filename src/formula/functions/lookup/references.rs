//! Building and inspecting references: INDEX, OFFSET, INDIRECT,
//! ROW(S)/COLUMN(S), CHOOSECOLS/CHOOSEROWS, ADDRESS, FORMULATEXT,
//! ANCHORARRAY, AREAS and SHEET(S).

use super::*;

pub(super) fn index(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let src = ctx.eval(&args[0]);
    let area_no = ctx.opt_int(args, 3, 1)?;
    let t = match src {
        CalcValue::Ref(a) if area_no == 1 => Table::Area(a),
        CalcValue::Ref(_) => return Err(ErrorKind::Ref),
        CalcValue::Refs(v) => {
            let i = usize::try_from(area_no - 1).map_err(|_| ErrorKind::Value)?;
            Table::Area(*v.get(i).ok_or(ErrorKind::Ref)?)
        }
        CalcValue::Array(a) if area_no == 1 => Table::Array(a),
        CalcValue::Value(Value::Error(k)) => return Err(k),
        CalcValue::Value(v) if area_no == 1 => Table::Array(Array::scalar(v)),
        _ => return Err(ErrorKind::Ref),
    };
    let row = ctx.opt_number(args, 1, Number::ZERO)?.to_f64().trunc();
    let col_given = !CallContext::is_missing(args, 2);
    let col = ctx.opt_number(args, 2, Number::ZERO)?.to_f64().trunc();
    if row < 0.0 || col < 0.0 {
        return Err(ErrorKind::Value);
    }
    let (mut r, mut c) = (row as usize, col as usize);
    let (rows, cols) = (t.rows(), t.cols());
    // A single row or column takes one index for either dimension.
    if !col_given && rows == 1 && cols > 1 {
        c = r;
        r = 1;
    } else if !col_given && cols == 1 {
        c = 1;
    }
    if r > rows || c > cols {
        return Err(ErrorKind::Ref);
    }
    match (r, c) {
        (0, 0) => Ok(whole(ctx, t)),
        (0, c) => Ok(slice(ctx, &t, true, c - 1)),
        (r, 0) => Ok(slice(ctx, &t, false, r - 1)),
        (r, c) => Ok(t.item(ctx, r - 1, c - 1)),
    }
}

pub(super) fn whole(_: &mut CallContext, t: Table) -> CalcValue {
    match t {
        Table::Area(a) => CalcValue::Ref(a),
        Table::Array(a) => CalcValue::Array(a),
    }
}

pub(super) fn offset(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let base = ctx.reference(&args[0])?;
    let dr = ctx.number(&args[1])?.to_f64().trunc() as i64;
    let dc = ctx.number(&args[2])?.to_f64().trunc() as i64;
    // A size between 0 and 1 counts as 1 (Excel rounds it away from 0).
    let size = |f: f64| -> i64 {
        let t = f.trunc() as i64;
        if t == 0 && f != 0.0 {
            f.signum() as i64
        } else {
            t
        }
    };
    let h = if CallContext::is_missing(args, 3) {
        base.range.rows() as i64
    } else {
        size(ctx.number(&args[3])?.to_f64())
    };
    let w = if CallContext::is_missing(args, 4) {
        base.range.cols() as i64
    } else {
        size(ctx.number(&args[4])?.to_f64())
    };
    if h == 0 || w == 0 {
        return Err(ErrorKind::Ref);
    }
    let r0 = base.range.start.row as i64 + dr;
    let c0 = base.range.start.col as i64 + dc;
    // Negative sizes extend up/left from the moved corner.
    let (r0, r1) = if h > 0 {
        (r0, r0 + h - 1)
    } else {
        (r0 + h + 1, r0)
    };
    let (c0, c1) = if w > 0 {
        (c0, c0 + w - 1)
    } else {
        (c0 + w + 1, c0)
    };
    if r0 < 0 || c0 < 0 || r1 >= MAX_ROWS as i64 || c1 >= MAX_COLS as i64 {
        return Err(ErrorKind::Ref);
    }
    Ok(CalcValue::Ref(Area {
        sheet: base.sheet,
        range: RangeAddr::new(
            CellAddr::new(r0 as u32, c0 as u32),
            CellAddr::new(r1 as u32, c1 as u32),
        ),
    }))
}

/// `R1C1`, `R[-1]C[2]`, `RC` relative to `at`.
pub(super) fn parse_r1c1(text: &str, at: CellAddr) -> Option<(u32, u32)> {
    let t = text.to_ascii_uppercase();
    let rest = t.strip_prefix('R')?;
    let (rpart, cpart) = rest.split_once('C')?;
    let part = |p: &str, base: u32| -> Option<u32> {
        if p.is_empty() {
            return Some(base);
        }
        if let Some(inner) = p.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            let d: i64 = inner.parse().ok()?;
            let v = base as i64 + d;
            return (v >= 0).then_some(v as u32);
        }
        let v: u32 = p.parse().ok()?;
        (v >= 1).then(|| v - 1)
    };
    Some((part(rpart, at.row)?, part(cpart, at.col)?))
}

pub(super) fn indirect(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let text = ctx.text(&args[0])?;
    let a1 = ctx.opt_bool(args, 1, true)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(ErrorKind::Ref);
    }
    if !a1 {
        let (sheet, body) = crate::model::address::split_sheet_prefix(text);
        let at = ctx.current_cell().unwrap_or_default();
        let mut corners = Vec::new();
        for part in body.split(':') {
            corners.push(parse_r1c1(part, at).ok_or(ErrorKind::Ref)?);
        }
        let s = match sheet {
            Some(name) => ctx.workbook().sheet_index(&name).ok_or(ErrorKind::Ref)?,
            None => ctx.current_sheet(),
        };
        let (a, b) = (corners[0], *corners.last().ok_or(ErrorKind::Ref)?);
        return Ok(CalcValue::Ref(Area {
            sheet: s,
            range: RangeAddr::new(CellAddr::new(a.0, a.1), CellAddr::new(b.0, b.1)),
        }));
    }
    let expr = crate::formula::parser::parse(text).map_err(|_| ErrorKind::Ref)?;
    match &expr {
        Ast::Ref(_) | Ast::Name { .. } | Ast::Table(_) | Ast::Binary(_, _, _) => {
            match ctx.eval(&expr) {
                v @ (CalcValue::Ref(_) | CalcValue::Refs(_)) => Ok(v),
                _ => Err(ErrorKind::Ref),
            }
        }
        _ => Err(ErrorKind::Ref),
    }
}

pub(super) fn position(ctx: &mut CallContext, args: &[Ast], is_row: bool) -> EvalResult {
    if CallContext::is_missing(args, 0) {
        let cell = ctx.current_cell().ok_or(ErrorKind::Value)?;
        let n = if is_row { cell.row } else { cell.col };
        return Ok(CalcValue::number(n as i64 + 1));
    }
    let area = ctx.reference(&args[0])?;
    let r = area.range;
    let (first, count) = if is_row {
        (r.start.row, r.rows())
    } else {
        (r.start.col, r.cols())
    };
    if count > 1 && ctx.in_array_mode() && count <= 1_048_576 {
        let vals: Vec<Value> = (0..count)
            .map(|i| Value::Number(Number::from_i64((first + i) as i64 + 1)))
            .collect();
        return Ok(CalcValue::Array(if is_row {
            Array::column(vals)
        } else {
            Array::row(vals)
        }));
    }
    Ok(CalcValue::number(first as i64 + 1))
}

pub(super) fn row(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    position(ctx, args, true)
}

pub(super) fn column(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    position(ctx, args, false)
}

pub(super) fn size(ctx: &mut CallContext, e: &Ast) -> Result<(usize, usize), ErrorKind> {
    match ctx.eval(e) {
        CalcValue::Ref(a) => Ok((a.range.rows() as usize, a.range.cols() as usize)),
        CalcValue::Refs(v) if v.len() == 1 => {
            Ok((v[0].range.rows() as usize, v[0].range.cols() as usize))
        }
        CalcValue::Refs(_) => Err(ErrorKind::Ref),
        CalcValue::Array(a) => Ok((a.rows, a.cols)),
        CalcValue::Value(Value::Error(k)) => Err(k),
        CalcValue::Value(_) => Ok((1, 1)),
        CalcValue::Lambda(_) => Err(ErrorKind::Calc),
    }
}

pub(super) fn rows(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    Ok(CalcValue::number(size(ctx, &args[0])?.0 as i64))
}

pub(super) fn columns(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    Ok(CalcValue::number(size(ctx, &args[0])?.1 as i64))
}

pub(super) fn choose_lines(ctx: &mut CallContext, args: &[Ast], cols: bool) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let n = if cols { a.cols } else { a.rows } as i64;
    let mut picks = Vec::new();
    for e in &args[1..] {
        let arr = ctx.array(e)?;
        for v in &arr.values {
            let i = to_number(v)?.to_f64().trunc() as i64;
            let idx = if i > 0 { i - 1 } else { n + i };
            if i == 0 || idx < 0 || idx >= n {
                return Err(ErrorKind::Value);
            }
            picks.push(idx as usize);
        }
    }
    Ok(CalcValue::Array(if cols {
        Array::from_fn(a.rows, picks.len(), |r, c| a.get(r, picks[c]).clone())
    } else {
        Array::from_fn(picks.len(), a.cols, |r, c| a.get(picks[r], c).clone())
    }))
}

pub(super) fn choosecols(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    choose_lines(ctx, args, true)
}

pub(super) fn chooserows(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    choose_lines(ctx, args, false)
}

pub(super) fn address(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let row = ctx.number(&args[0])?.to_f64().trunc();
    let col = ctx.number(&args[1])?.to_f64().trunc();
    let abs = ctx.opt_number(args, 2, Number::ONE)?.to_f64().trunc() as i64;
    let a1 = ctx.opt_bool(args, 3, true)?;
    let sheet = if CallContext::is_missing(args, 4) {
        None
    } else {
        Some(ctx.text(&args[4])?)
    };
    if !(1..=4).contains(&abs) || row < 1.0 || col < 1.0 {
        return Err(ErrorKind::Value);
    }
    if row > MAX_ROWS as f64 || col > MAX_COLS as f64 {
        return Err(ErrorKind::Value);
    }
    let (row_abs, col_abs) = (abs == 1 || abs == 2, abs == 1 || abs == 3);
    let (r, c) = (row as u32, col as u32);
    let text = if a1 {
        format!(
            "{}{}{}{}",
            if col_abs { "$" } else { "" },
            crate::model::address::column_letters(c - 1),
            if row_abs { "$" } else { "" },
            r
        )
    } else {
        let part = |abs: bool, n: u32| if abs { n.to_string() } else { format!("[{n}]") };
        format!("R{}C{}", part(row_abs, r), part(col_abs, c))
    };
    Ok(CalcValue::text(match sheet {
        Some(s) if !s.is_empty() => {
            format!("{}!{text}", crate::model::address::quote_sheet_name(&s))
        }
        _ => text,
    }))
}

pub(super) fn formulatext(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    let formula = ctx
        .workbook()
        .sheets
        .get(area.sheet)
        .and_then(|s| s.cell(area.range.start))
        .and_then(|c| c.formula_text(area.range.start))
        .ok_or(ErrorKind::NA)?;
    // Excel shows the formula without the storage prefixes.
    let text = formula
        .replace("_xlfn._xlws.", "")
        .replace("_xlfn.", "")
        .replace("_xlws.", "");
    Ok(CalcValue::text(format!("={text}")))
}

pub(super) fn anchorarray(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    if !area.is_cell() {
        return Err(ErrorKind::Ref);
    }
    let range = ctx
        .spill_range(area.sheet, area.range.start)
        .ok_or(ErrorKind::Ref)?;
    Ok(CalcValue::Ref(Area {
        sheet: area.sheet,
        range,
    }))
}

pub(super) fn areas(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    Ok(CalcValue::number(ctx.references(&args[0])?.len() as i64))
}

pub(super) fn sheet(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    if CallContext::is_missing(args, 0) {
        return Ok(CalcValue::number(ctx.current_sheet() as i64 + 1));
    }
    match ctx.eval(&args[0]) {
        CalcValue::Ref(a) => Ok(CalcValue::number(a.sheet as i64 + 1)),
        CalcValue::Refs(v) if !v.is_empty() => Ok(CalcValue::number(v[0].sheet as i64 + 1)),
        CalcValue::Value(Value::Text(name)) => ctx
            .workbook()
            .sheet_index(&name)
            .map(|i| CalcValue::number(i as i64 + 1))
            .ok_or(ErrorKind::NA),
        CalcValue::Value(Value::Error(k)) => Err(k),
        _ => Err(ErrorKind::NA),
    }
}

pub(super) fn sheets(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    if CallContext::is_missing(args, 0) {
        return Ok(CalcValue::number(ctx.workbook().sheets.len() as i64));
    }
    let areas = ctx.references(&args[0])?;
    let mut ids: Vec<usize> = areas.iter().map(|a| a.sheet).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(CalcValue::number(ids.len() as i64))
}

/// HYPERLINK's value is what the cell shows: the friendly name when given
/// (an empty cell shows 0, as Excel does), else the link location. The
/// link itself only matters to a click, which a batch run has not.
pub(super) fn hyperlink(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let location = ctx.scalar(&args[0]);
    let shown = if CallContext::is_missing(args, 1) {
        location
    } else {
        match ctx.scalar(&args[1]) {
            Value::Empty => Value::Number(Number::ZERO),
            v => v,
        }
    };
    match shown {
        Value::Error(k) => Err(k),
        Value::Empty => Ok(CalcValue::number(0)),
        v => Ok(CalcValue::Value(v)),
    }
}
