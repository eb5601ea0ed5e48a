//! The bridge to the formula engine: Excel functions and formulas called
//! from a script, with lists and columns passed as ranges.

use super::sheet::Sheet;
use super::{cell_value, list_fits, ok, rows_array, rows_size, Res};
use crate::formula::CalcValue;
use crate::model::Value;
use crate::script::book::SharedBook;
use crate::script::table::Column;
use crate::script::values::to_dynamic;
use rhai::{Array, Dynamic, Engine, FuncRegistration, NativeCallContext};

/// A script value as a formula argument: lists of lists become arrays,
/// a column a one-column array.
fn calc_arg(d: &Dynamic) -> Res<CalcValue> {
    if let Some(c) = d.clone().try_cast::<Column>() {
        return Ok(CalcValue::Array(crate::formula::Array::column(
            c.values.to_vec(),
        )));
    }
    if let Some(arr) = d.clone().try_cast::<Array>() {
        let rows: Vec<Vec<Value>> = if arr.iter().any(|x| x.is_array()) {
            arr.iter()
                .map(|r| {
                    r.clone()
                        .try_cast::<Array>()
                        .unwrap_or_else(|| vec![r.clone()])
                        .iter()
                        .map(cell_value)
                        .collect::<Res<Vec<_>>>()
                })
                .collect::<Res<_>>()?
        } else {
            vec![arr.iter().map(cell_value).collect::<Res<Vec<_>>>()?]
        };
        return crate::formula::Array::from_rows(rows)
            .map(CalcValue::Array)
            .ok_or_else(|| {
                "a list passed to an Excel function must be non-empty and rectangular".into()
            });
    }
    Ok(CalcValue::Value(cell_value(d)?))
}

/// A formula result as a script value: a single value, or a list of rows
/// for an array or range, refused before it is built when it would be
/// more than a script's list may hold. `what` names the call.
fn calc_result(
    ctx: &NativeCallContext,
    what: &str,
    book: &SharedBook,
    v: CalcValue,
) -> Res<Dynamic> {
    let too_many = |rows: usize, cols: usize| {
        let size = rows_size(rows as u64, cols as u64);
        list_fits(
            ctx,
            || format!("the result of {what} ({rows} rows of {cols})"),
            size,
        )
    };
    let rows = match v {
        CalcValue::Value(v) => return Ok(to_dynamic(&v)),
        CalcValue::Lambda(_) => {
            return Ok(to_dynamic(&Value::Error(crate::model::ErrorKind::Calc)))
        }
        CalcValue::Array(a) => {
            too_many(a.rows, a.cols)?;
            (0..a.rows)
                .map(|r| a.row_slice(r).to_vec())
                .collect::<Vec<_>>()
        }
        CalcValue::Ref(area) => {
            let mut bk = book.borrow_mut();
            let name = bk
                .workbook()
                .sheets
                .get(area.sheet)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            // Whole columns and rows stop at the sheet's stored cells, as
            // in formulas (the engine refused areas over its limit).
            let shape = bk
                .workbook()
                .sheets
                .get(area.sheet)
                .map_or((1, 1), |s| area.value_shape(s));
            let mut range = area.range;
            range.end = crate::model::CellAddr::new(
                range.start.row + shape.0 - 1,
                range.start.col + shape.1 - 1,
            );
            if !area.is_cell() {
                too_many(shape.0 as usize, shape.1 as usize)?;
            }
            let block = ok(bk.block(&name, range))?;
            if area.is_cell() {
                return Ok(to_dynamic(&block[0][0]));
            }
            block
        }
        CalcValue::Refs(_) => {
            return Ok(Dynamic::from(
                crate::model::ErrorKind::Value.as_str().to_string(),
            ))
        }
    };
    Ok(Dynamic::from_array(rows_array(rows)))
}

/// Calls an Excel function with script values as its arguments.
fn excel_call(
    ctx: &NativeCallContext,
    book: &SharedBook,
    name: &str,
    args: &[Dynamic],
) -> Res<Dynamic> {
    let args = args.iter().map(calc_arg).collect::<Res<Vec<_>>>()?;
    let r = ok(book.borrow_mut().call(name, args))?;
    calc_result(ctx, &format!("excel(\"{name}\", ...)"), book, r)
}

/// Registers `excel(...)`, `calc(...)`, `allow_overwrite()` and `excel_functions()`.
pub(super) fn register_excel(engine: &mut Engine, book: &SharedBook) {
    macro_rules! excel_n {
        ($($a:ident),*) => {{
            let b = book.clone();
            let params = ["name: String" $(, concat!(stringify!($a), ": Dynamic"))*, "Dynamic"];
            FuncRegistration::new("excel")
                .with_params_info(params)
                .with_comments(["/// Calls an Excel function by name through the formula engine: excel(\"PMT\", rate, n, pv). Lists and columns are passed as ranges."])
                .register_into_engine(engine, move |ctx: NativeCallContext, name: &str $(, $a: Dynamic)*| -> Res<Dynamic> {
                    excel_call(&ctx, &b, name, &[$($a),*])
                });
        }};
    }
    excel_n!();
    excel_n!(a);
    excel_n!(a, b);
    excel_n!(a, b, c);
    excel_n!(a, b, c, d);
    excel_n!(a, b, c, d, e);
    excel_n!(a, b, c, d, e, f);
    let b = book.clone();
    api!(engine, "calc", ["formula: String", "Dynamic"], "Evaluates an Excel formula against the workbook as it is now: calc(\"=SUM(Invoices!E2:E41)\").", move |ctx: NativeCallContext, f: &str| -> Res<Dynamic> {
        let r = ok(b.borrow_mut().eval(None, f))?;
        calc_result(&ctx, &format!("calc(\"{f}\")"), &b, r)
    });
    api!(
        engine,
        "calc",
        ["sheet: Sheet", "formula: String", "Dynamic"],
        "Evaluates an Excel formula on this sheet: sheet.calc(\"=SUM(E2:E41)\").",
        |ctx: NativeCallContext, s: &mut Sheet, f: &str| -> Res<Dynamic> {
            let name = s.name()?;
            let r = ok(s.book.borrow_mut().eval(Some(&name), f))?;
            calc_result(&ctx, &format!("calc(\"{f}\")"), &s.book, r)
        }
    );
    let b = book.clone();
    api!(
        engine,
        "allow_overwrite",
        ["()"],
        "Lets the table writes after it (write_table) replace cells that held data before the run; without it such a write stops the run naming the cells.",
        move || {
            b.borrow_mut().overwrite_allowed = true;
        }
    );
    let b = book.clone();
    api!(
        engine,
        "excel_functions",
        ["List"],
        "Names of every Excel function the formula engine knows.",
        move || -> Array {
            b.borrow()
                .function_names()
                .into_iter()
                .map(|n| Dynamic::from(n.to_string()))
                .collect()
        }
    );
}
