//! The path a lookup took and the rows a conditional aggregate counted.
//!
//! Each is found by asking the engine the question the function answered,
//! in the cell's own context: a VLOOKUP's row is the MATCH of its value in
//! the table's first column (with the VLOOKUP's match type), an XLOOKUP's
//! the XMATCH with its match and search modes, a SUMIFS's rows the
//! COUNTIFS of its criteria. So the path shown is the engine's own
//! answer, found by the same code that computed the cell.

use super::walk::{area_name, area_reference, calc_shown, print, scalar, shown};
use super::{Choice, Condition, CriteriaCount, LookupPath};
use crate::formula::ast::Expr;
use crate::formula::calc::{to_bool, to_number, Area, CalcValue};
use crate::formula::Engine;
use crate::model::{CellAddr, ErrorKind, RangeAddr, Value};
use crate::Result;

/// Whether `name` is a lookup whose path [`lookup`] traces.
pub(super) fn is_lookup(name: &str) -> bool {
    matches!(
        name,
        "VLOOKUP" | "HLOOKUP" | "XLOOKUP" | "MATCH" | "XMATCH" | "INDEX"
    )
}

/// Whether `name` is a conditional aggregate [`criteria`] counts.
pub(super) fn is_criteria(name: &str) -> bool {
    matches!(
        name,
        "SUMIF"
            | "COUNTIF"
            | "AVERAGEIF"
            | "SUMIFS"
            | "COUNTIFS"
            | "AVERAGEIFS"
            | "MAXIFS"
            | "MINIFS"
    )
}

/// Evaluates `e` in the cell `at`.
fn eval(engine: &mut Engine, at: (usize, CellAddr), e: &Expr) -> Result<CalcValue> {
    engine.eval_in_cell(at.0, at.1, e)
}

/// Evaluates `e` in the cell `at` down to one value.
fn value_of(engine: &mut Engine, at: (usize, CellAddr), e: &Expr) -> Result<Value> {
    let v = eval(engine, at, e)?;
    Ok(scalar(engine.workbook(), &v))
}

/// The one area `e` refers to, if it refers to one.
fn area_of(engine: &mut Engine, at: (usize, CellAddr), e: &Expr) -> Result<Option<Area>> {
    Ok(match eval(engine, at, e)? {
        CalcValue::Ref(area) => Some(area),
        CalcValue::Refs(areas) if areas.len() == 1 => Some(areas[0]),
        _ => None,
    })
}

/// A whole number from a value (`None` for an error or text).
fn whole(v: &Value) -> Option<i64> {
    to_number(v).ok().map(|n| n.to_f64().trunc() as i64)
}

/// An optional argument: `None` when omitted.
fn optional(args: &[Expr], i: usize) -> Option<&Expr> {
    args.get(i).filter(|a| !matches!(a, Expr::Missing))
}

/// The cell `offset` (0-based) steps into `area` along its rows when
/// `down`, along its columns otherwise.
fn step(area: Area, offset: u32, down: bool) -> Option<CellAddr> {
    let r = area.range;
    let cell = if down {
        CellAddr::new(r.start.row.checked_add(offset)?, r.start.col)
    } else {
        CellAddr::new(r.start.row, r.start.col.checked_add(offset)?)
    };
    r.contains(cell).then_some(cell)
}

/// Traces the lookup `e` (a call of `name` with `args`) in the cell
/// `at`: what it looked for, where, what matched; and the area its
/// result was taken from, which the explanation shows as a precedent.
pub(super) fn lookup(
    engine: &mut Engine,
    at: (usize, CellAddr),
    e: &Expr,
    name: &str,
    args: &[Expr],
) -> Result<Option<(LookupPath, Option<Area>)>> {
    let result_value = eval(engine, at, e)?;
    let result = calc_shown(&result_value, engine.workbook());
    let mut path = LookupPath {
        function: name.to_string(),
        looked_for: None,
        within: String::new(),
        mode: None,
        position: None,
        matched: None,
        taken: None,
        result,
    };
    let taken = match name {
        "VLOOKUP" | "HLOOKUP" => {
            if args.len() < 3 {
                return Ok(None);
            }
            let down = name == "VLOOKUP";
            let approximate = match optional(args, 3) {
                Some(a) => to_bool(&value_of(engine, at, a)?).unwrap_or(true),
                None => true,
            };
            let wanted = looked_for(engine, at, &args[0])?;
            path.mode = Some(exact_mode(!approximate, &wanted));
            path.looked_for = Some(wanted);
            let index = whole(&value_of(engine, at, &args[2])?);
            let Some(table) = area_of(engine, at, &args[1])? else {
                path.within = print(&args[1]);
                return Ok(Some((path, None)));
            };
            // The first column (row) of the table, where the value is
            // looked for.
            let r = table.range;
            let keys = Area {
                sheet: table.sheet,
                range: if down {
                    RangeAddr::new(r.start, CellAddr::new(r.end.row, r.start.col))
                } else {
                    RangeAddr::new(r.start, CellAddr::new(r.start.row, r.end.col))
                },
            };
            path.within = area_name(engine.workbook(), keys.sheet, keys.range);
            let match_type = Expr::Number(i64::from(approximate).into());
            let found = position(
                engine,
                at,
                "MATCH",
                vec![
                    args[0].clone(),
                    area_reference(engine.workbook(), keys),
                    match_type,
                ],
            )?;
            let Some(pos) = found else {
                return Ok(Some((path, None)));
            };
            let matched = step(keys, pos - 1, down);
            path.position = Some(format!("{} {pos}", if down { "row" } else { "column" }));
            path.matched =
                matched.map(|c| area_name(engine.workbook(), table.sheet, RangeAddr::cell(c)));
            // The index-th column (row) of the table at the match.
            let step_in = index.and_then(|i| u32::try_from(i.checked_sub(1)?).ok());
            match (matched, step_in) {
                (Some(m), Some(i)) => {
                    let cell = if down {
                        CellAddr::new(m.row, r.start.col.saturating_add(i))
                    } else {
                        CellAddr::new(r.start.row.saturating_add(i), m.col)
                    };
                    r.contains(cell).then_some(Area {
                        sheet: table.sheet,
                        range: RangeAddr::cell(cell),
                    })
                }
                _ => None,
            }
        }
        "XLOOKUP" => {
            if args.len() < 3 {
                return Ok(None);
            }
            path.looked_for = Some(looked_for(engine, at, &args[0])?);
            path.mode = Some(xmatch_mode(engine, at, optional(args, 4))?);
            let keys = area_of(engine, at, &args[1])?;
            let Some(keys) = keys else {
                path.within = print(&args[1]);
                return Ok(Some((path, None)));
            };
            path.within = area_name(engine.workbook(), keys.sheet, keys.range);
            let mut question = vec![args[0].clone(), args[1].clone()];
            question.push(optional(args, 4).cloned().unwrap_or(Expr::Missing));
            question.push(optional(args, 5).cloned().unwrap_or(Expr::Missing));
            let Some(pos) = position(engine, at, "XMATCH", question)? else {
                return Ok(Some((path, None)));
            };
            let down = keys.range.cols() == 1;
            path.position = Some(format!("{} {pos}", if down { "row" } else { "column" }));
            path.matched = step(keys, pos - 1, down)
                .map(|c| area_name(engine.workbook(), keys.sheet, RangeAddr::cell(c)));
            // The row (column) of the return array at the match.
            match area_of(engine, at, &args[2])? {
                Some(ret) => {
                    let r = ret.range;
                    let range = if down {
                        let row = r.start.row.checked_add(pos - 1).filter(|&x| x <= r.end.row);
                        row.map(|row| {
                            RangeAddr::new(
                                CellAddr::new(row, r.start.col),
                                CellAddr::new(row, r.end.col),
                            )
                        })
                    } else {
                        let col = r.start.col.checked_add(pos - 1).filter(|&x| x <= r.end.col);
                        col.map(|col| {
                            RangeAddr::new(
                                CellAddr::new(r.start.row, col),
                                CellAddr::new(r.end.row, col),
                            )
                        })
                    };
                    range.map(|range| Area {
                        sheet: ret.sheet,
                        range,
                    })
                }
                None => None,
            }
        }
        "MATCH" | "XMATCH" => {
            if args.len() < 2 {
                return Ok(None);
            }
            path.looked_for = Some(looked_for(engine, at, &args[0])?);
            path.mode = Some(if name == "MATCH" {
                match optional(args, 2) {
                    Some(a) => match whole(&value_of(engine, at, a)?) {
                        Some(0) => exact_mode(true, path.looked_for.as_ref().expect("set above")),
                        Some(n) if n < 0 => "approximate, descending".to_string(),
                        _ => "approximate, ascending".to_string(),
                    },
                    None => "approximate, ascending".to_string(),
                }
            } else {
                xmatch_mode(engine, at, optional(args, 2))?
            });
            let Some(keys) = area_of(engine, at, &args[1])? else {
                path.within = print(&args[1]);
                return Ok(Some((path, None)));
            };
            path.within = area_name(engine.workbook(), keys.sheet, keys.range);
            let pos = whole(&scalar(engine.workbook(), &result_value)).filter(|&p| p >= 1);
            if let Some(pos) = pos {
                let down = keys.range.cols() == 1;
                path.position = Some(format!("{} {pos}", if down { "row" } else { "column" }));
                path.matched = u32::try_from(pos - 1)
                    .ok()
                    .and_then(|p| step(keys, p, down))
                    .map(|c| area_name(engine.workbook(), keys.sheet, RangeAddr::cell(c)));
            }
            None
        }
        "INDEX" => {
            if args.is_empty() {
                return Ok(None);
            }
            path.within = match area_of(engine, at, &args[0])? {
                Some(a) => area_name(engine.workbook(), a.sheet, a.range),
                None => print(&args[0]),
            };
            let row = match optional(args, 1) {
                Some(a) => whole(&value_of(engine, at, a)?),
                None => None,
            };
            let col = match optional(args, 2) {
                Some(a) => whole(&value_of(engine, at, a)?),
                None => None,
            };
            path.position = match (row, col) {
                (Some(r), Some(c)) => Some(format!("row {r}, column {c}")),
                (Some(r), None) => Some(format!("row {r}")),
                (None, Some(c)) => Some(format!("column {c}")),
                (None, None) => None,
            };
            match result_value {
                CalcValue::Ref(area) => Some(area),
                _ => None,
            }
        }
        _ => return Ok(None),
    };
    let wb = engine.workbook();
    let result = scalar(wb, &result_value);
    if let Value::Error(kind) = result {
        // The lookup failed on its own arguments (a match type of 1/0, a
        // return array of another size): no path was taken, whatever a
        // match of its value would find.
        let held = taken
            .filter(|a| a.is_cell())
            .map(|a| wb.sheets[a.sheet].value(a.range.start));
        if held != Some(&Value::Error(kind)) && !(kind == ErrorKind::NA && path.position.is_none())
        {
            path.position = None;
            path.matched = None;
            return Ok(Some((path, None)));
        }
    }
    if let Some(area) = taken {
        path.taken = Some(area_name(wb, area.sheet, area.range));
        if area.is_cell() {
            // The result (an empty cell gives 0) as the cell it came from
            // formats it.
            let cell = wb.sheets[area.sheet].cell_or_empty(area.range.start);
            path.result = shown(&result, &wb.styles.get(cell.style).number_format, wb);
        }
    }
    Ok(Some((path, taken)))
}

/// The value a lookup looks for, shown without a number format.
fn looked_for(engine: &mut Engine, at: (usize, CellAddr), e: &Expr) -> Result<super::Shown> {
    let v = eval(engine, at, e)?;
    Ok(calc_shown(&v, engine.workbook()))
}

/// VLOOKUP's, HLOOKUP's and MATCH's match type in words: an exact match
/// of text takes `*` and `?` as wildcards.
fn exact_mode(exact: bool, wanted: &super::Shown) -> String {
    let wildcards = wanted.kind == "text" && wanted.raw.contains(['*', '?']);
    match (exact, wildcards) {
        (true, true) => "exact, with wildcards",
        (true, false) => "exact",
        (false, _) => "approximate",
    }
    .to_string()
}

/// XLOOKUP's and XMATCH's match mode in words.
fn xmatch_mode(engine: &mut Engine, at: (usize, CellAddr), mode: Option<&Expr>) -> Result<String> {
    let n = match mode {
        Some(e) => whole(&value_of(engine, at, e)?),
        None => Some(0),
    };
    Ok(match n {
        Some(0) => "exact",
        Some(-1) => "exact or next smaller",
        Some(1) => "exact or next larger",
        Some(2) => "wildcard",
        Some(3) => "regular expression",
        _ => "invalid match mode",
    }
    .to_string())
}

/// The 1-based position `function` (MATCH or XMATCH) gives for `args`,
/// `None` when nothing matched.
fn position(
    engine: &mut Engine,
    at: (usize, CellAddr),
    function: &str,
    args: Vec<Expr>,
) -> Result<Option<u32>> {
    let call = Expr::Call {
        name: function.to_string(),
        args,
    };
    let found = value_of(engine, at, &call)?;
    Ok(whole(&found)
        .filter(|&p| p >= 1)
        .and_then(|p| u32::try_from(p).ok()))
}

/// How many rows met the criteria of the call of `name` with `args`.
pub(super) fn criteria(
    engine: &mut Engine,
    at: (usize, CellAddr),
    name: &str,
    args: &[Expr],
) -> Result<Option<CriteriaCount>> {
    // Where the (range, criterion) pairs start: after the range summed
    // for the -IFS functions, from the first argument for the others.
    let first = match name {
        "SUMIFS" | "AVERAGEIFS" | "MAXIFS" | "MINIFS" => 1,
        _ => 0,
    };
    let single = matches!(name, "SUMIF" | "COUNTIF" | "AVERAGEIF");
    let pairs: Vec<&[Expr]> = if single {
        args.get(0..2).into_iter().collect()
    } else {
        args.get(first..)
            .unwrap_or(&[])
            .chunks(2)
            .filter(|c| c.len() == 2)
            .collect()
    };
    if pairs.is_empty() {
        return Ok(None);
    }
    let count = Expr::Call {
        name: "COUNTIFS".into(),
        args: pairs.iter().flat_map(|p| p.iter().cloned()).collect(),
    };
    let matched = value_of(engine, at, &count)?;
    let mut of = 0;
    let mut unit = "cells";
    let mut conditions = Vec::new();
    for (i, pair) in pairs.iter().enumerate() {
        let range = match area_of(engine, at, &pair[0])? {
            Some(area) => {
                if i == 0 {
                    let wb = engine.workbook();
                    of = wb.sheets.get(area.sheet).map_or(0, |s| area.value_count(s));
                    unit = match (area.range.rows(), area.range.cols()) {
                        (_, 1) => "rows",
                        (1, _) => "columns",
                        _ => "cells",
                    };
                }
                area_name(engine.workbook(), area.sheet, area.range)
            }
            None => print(&pair[0]),
        };
        let criterion = value_of(engine, at, &pair[1])?;
        conditions.push(Condition {
            range,
            criterion: shown(&criterion, "", engine.workbook()),
        });
    }
    Ok(Some(CriteriaCount {
        function: name.to_string(),
        matched: matched.to_string(),
        of,
        unit,
        conditions,
    }))
}

/// The branch a call of IF, IFERROR or IFNA took in the cell `at`; `None`
/// for other functions, or when the test is no single value (an array
/// IF takes a branch per element).
pub(super) fn choice(
    engine: &mut Engine,
    at: (usize, CellAddr),
    name: &str,
    args: &[Expr],
) -> Result<Option<Choice>> {
    let (Some(test), true) = (args.first(), matches!(name, "IF" | "IFERROR" | "IFNA")) else {
        return Ok(None);
    };
    let tested = eval(engine, at, test)?;
    if matches!(&tested, CalcValue::Array(a) if a.rows * a.cols > 1) {
        return Ok(None);
    }
    let value = scalar(engine.workbook(), &tested);
    // The argument taken, by position; `None`: the choice gave an error.
    let branch = match (name, &value) {
        ("IF", Value::Error(_)) => None,
        ("IF", v) => match to_bool(v) {
            Ok(true) => Some(1),
            Ok(false) => Some(2),
            Err(_) => None,
        },
        ("IFERROR", Value::Error(_)) | ("IFNA", Value::Error(ErrorKind::NA)) => Some(1),
        _ => Some(0),
    };
    let taken = match branch {
        None => {
            let call = Expr::Call {
                name: name.to_string(),
                args: args.to_vec(),
            };
            format!("the error {}", value_of(engine, at, &call)?)
        }
        Some(i) => match optional(args, i) {
            Some(e) => print(e),
            // IF without its value if false gives FALSE; an omitted
            // value gives 0.
            None if args.len() <= i => "FALSE".to_string(),
            None => "0".to_string(),
        },
    };
    Ok(Some(Choice {
        function: name.to_string(),
        test: print(test),
        value: shown(&value, "", engine.workbook()),
        taken,
    }))
}
