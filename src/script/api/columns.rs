//! Whole-column arithmetic and summaries, computed in Rust so a column
//! operation costs no per-row script call.

use super::{cell_value, fail, number_arg, ok, Res};
use crate::model::{Number, Value};
use crate::script::errors;
use crate::script::table::{arith, Column, Op, Operand};
use crate::script::values::{days_between, to_dynamic, value_date, Date};
use rhai::plugin::*;
use rhai::{
    Array, Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, NativeCallContext, INT,
};

/// Registers column arithmetic, the summaries that read the column as
/// numbers, `map`, and the pure functions of [`column_functions`].
pub(super) fn register_column(engine: &mut Engine) {
    fn op_reg(engine: &mut Engine, sym: &'static str, op: Op) {
        FuncRegistration::new(sym)
            .with_params_info(["a: Column", "b: Column", "Column"])
            .with_comments(["/// Value by value, in Rust (no per-row script)."])
            .register_into_engine(engine, move |a: Column, b: Column| -> Res<Column> {
                ok(arith(Operand::Col(&a), op, Operand::Col(&b)))
            });
        FuncRegistration::new(sym)
            .with_params_info(["a: Column", "b: number", "Column"])
            .with_comments(["/// Every value with one number."])
            .register_into_engine(engine, move |a: Column, b: Dynamic| -> Res<Column> {
                let n = number_arg(&b, sym)?;
                ok(arith(Operand::Col(&a), op, Operand::Scalar(n)))
            });
        FuncRegistration::new(sym)
            .with_params_info(["a: number", "b: Column", "Column"])
            .with_comments(["/// One number with every value."])
            .register_into_engine(engine, move |a: Dynamic, b: Column| -> Res<Column> {
                let n = number_arg(&a, sym)?;
                ok(arith(Operand::Scalar(n), op, Operand::Col(&b)))
            });
    }
    op_reg(engine, "+", Op::Add);
    op_reg(engine, "-", Op::Sub);
    op_reg(engine, "*", Op::Mul);
    op_reg(engine, "/", Op::Div);
    api!(
        engine,
        "sum",
        ["column: Column", "Decimal"],
        "Sum of the values (empty counts as 0; text is an error naming the cell).",
        |c: Column| -> Res<Dynamic> { Ok(crate::script::values::number_to_dynamic(ok(c.sum())?)) }
    );
    api!(
        engine,
        "average",
        ["column: Column", "Decimal"],
        "Mean of the non-empty values.",
        |c: Column| -> Res<Dynamic> {
            Ok(crate::script::values::number_to_dynamic(ok(c.average())?))
        }
    );
    api!(
        engine,
        "map",
        ["column: Column", "f: FnPtr", "Column"],
        "A column of f(value) for each value (runs the closure per value).",
        |ctx: NativeCallContext, c: Column, f: FnPtr| -> Res<Column> {
            let mut out = Vec::with_capacity(c.len());
            for (i, v) in c.values.iter().enumerate() {
                let r: Dynamic = f
                    .call_within_context(&ctx, (to_dynamic(v),))
                    .map_err(|e| format!("{}: {}", c.locate(i), errors::plain_error(&e)))?;
                out.push(cell_value(&r)?);
            }
            Ok(c.with_values(out))
        }
    );
    engine.register_global_module(exported_module!(column_functions).into());
}

/// Column functions that need neither the workbook nor a closure: the
/// reference comes from these signatures and doc lines.
#[export_module]
mod column_functions {
    use super::*;

    /// Every value negated.
    #[rhai_fn(name = "-", return_raw)]
    pub fn negated(a: Column) -> Result<Column, Box<EvalAltResult>> {
        ok(arith(
            Operand::Scalar(Number::ZERO),
            Op::Sub,
            Operand::Col(&a),
        ))
    }

    /// Every value without its sign.
    #[rhai_fn(return_raw)]
    pub fn abs(column: Column) -> Result<Column, Box<EvalAltResult>> {
        let mut out = Vec::with_capacity(column.len());
        for (i, v) in column.values.iter().enumerate() {
            out.push(match v {
                Value::Empty => Value::Empty,
                _ => Value::Number(ok(column.number(i))?.abs()),
            });
        }
        Ok(Column::new(column.name.clone(), out))
    }

    /// Number of values.
    #[rhai_fn(get = "len", pure)]
    pub fn len(column: &mut Column) -> INT {
        column.len() as INT
    }

    /// The column's header.
    #[rhai_fn(get = "name", pure)]
    pub fn name(column: &mut Column) -> String {
        column.name.clone()
    }

    /// Number of non-empty values.
    pub fn count(column: Column) -> INT {
        column.count() as INT
    }

    /// Smallest value (dates stay dates).
    #[rhai_fn(return_raw)]
    pub fn min(column: Column) -> Result<Dynamic, Box<EvalAltResult>> {
        Ok(to_dynamic(&ok(column.extreme(false))?))
    }

    /// Largest value (dates stay dates).
    #[rhai_fn(return_raw)]
    pub fn max(column: Column) -> Result<Dynamic, Box<EvalAltResult>> {
        Ok(to_dynamic(&ok(column.extreme(true))?))
    }

    /// column[0]: one value by position.
    #[rhai_fn(index_get, pure, return_raw)]
    pub fn value_at(column: &mut Column, index: INT) -> Result<Dynamic, Box<EvalAltResult>> {
        let idx = if index < 0 {
            column.len() as INT + index
        } else {
            index
        };
        match column.values.get(idx.max(0) as usize) {
            Some(v) if idx >= 0 => Ok(to_dynamic(v)),
            _ => fail(format!(
                "index {index} is outside column \"{}\" ({} values)",
                column.name,
                column.len()
            )),
        }
    }

    /// The values as a list.
    #[rhai_fn(return_raw)]
    pub fn to_array(ctx: NativeCallContext, column: Column) -> Result<Array, Box<EvalAltResult>> {
        let what = || format!("to_array() of column \"{}\"", column.name);
        crate::script::api::list_fits(&ctx, what, column.len() as u64)?;
        Ok(column.values.iter().map(to_dynamic).collect())
    }

    /// Whole days from each date in the column to the given date (positive when the date is later).
    #[rhai_fn(return_raw)]
    pub fn days_until(column: Column, date: Date) -> Result<Column, Box<EvalAltResult>> {
        let mut out = Vec::with_capacity(column.len());
        for (i, v) in column.values.iter().enumerate() {
            if v.is_empty() {
                out.push(Value::Empty);
                continue;
            }
            let from = value_date(v).map_err(|e| format!("{}: {e}", column.locate(i)))?;
            out.push(Value::Number(Number::from_i64(days_between(from, date.0))));
        }
        Ok(Column::new(column.name.clone(), out))
    }

    /// The same column, written with this number format.
    pub fn with_format(column: Column, format: &str) -> Column {
        Column {
            format: Some(format.to_string()),
            ..column
        }
    }

    /// The header and first values, for printing.
    #[rhai_fn(pure)]
    pub fn to_string(column: &mut Column) -> String {
        let vals: Vec<String> = column
            .values
            .iter()
            .take(8)
            .map(|v| v.to_string())
            .collect();
        format!(
            "column {} ({} values): {}{}",
            column.name,
            column.len(),
            vals.join(", "),
            if column.len() > 8 { ", ..." } else { "" }
        )
    }
}
