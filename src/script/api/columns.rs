//! Whole-column arithmetic and summaries, computed in Rust so a column
//! operation costs no per-row script call.

use super::*;

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
        "-",
        ["a: Column", "Column"],
        "Every value negated.",
        |a: Column| -> Res<Column> {
            ok(arith(
                Operand::Scalar(Number::ZERO),
                Op::Sub,
                Operand::Col(&a),
            ))
        }
    );
    api!(
        engine,
        "abs",
        ["column: Column", "Column"],
        "Every value without its sign.",
        |c: Column| -> Res<Column> {
            let mut out = Vec::with_capacity(c.len());
            for (i, v) in c.values.iter().enumerate() {
                out.push(match v {
                    Value::Empty => Value::Empty,
                    _ => Value::Number(ok(c.number(i))?.abs()),
                });
            }
            Ok(Column::new(c.name.clone(), out))
        }
    );
    FuncRegistration::new_getter("len")
        .with_params_info(["column: Column", "INT"])
        .with_comments(["/// Number of values."])
        .register_into_engine(engine, |c: &mut Column| c.len() as INT);
    FuncRegistration::new_getter("name")
        .with_params_info(["column: Column", "String"])
        .with_comments(["/// The column's header."])
        .register_into_engine(engine, |c: &mut Column| c.name.clone());
    api!(
        engine,
        "sum",
        ["column: Column", "Decimal"],
        "Sum of the values (empty counts as 0; text is an error naming the cell).",
        |c: Column| -> Res<Dynamic> { Ok(crate::script::values::number_to_dynamic(ok(c.sum())?)) }
    );
    api!(
        engine,
        "count",
        ["column: Column", "INT"],
        "Number of non-empty values.",
        |c: Column| c.count() as INT
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
        "min",
        ["column: Column", "?"],
        "Smallest value (dates stay dates).",
        |c: Column| -> Res<Dynamic> { Ok(to_dynamic(&ok(c.extreme(false))?)) }
    );
    api!(
        engine,
        "max",
        ["column: Column", "?"],
        "Largest value (dates stay dates).",
        |c: Column| -> Res<Dynamic> { Ok(to_dynamic(&ok(c.extreme(true))?)) }
    );
    FuncRegistration::new_index_getter()
        .with_params_info(["column: Column", "index: INT", "?"])
        .with_comments(["/// column[0]: one value by position."])
        .register_into_engine(engine, |c: &mut Column, i: INT| -> Res<Dynamic> {
            let idx = if i < 0 { c.len() as INT + i } else { i };
            match c.values.get(idx.max(0) as usize) {
                Some(v) if idx >= 0 => Ok(to_dynamic(v)),
                _ => fail(format!(
                    "index {i} is outside column \"{}\" ({} values)",
                    c.name,
                    c.len()
                )),
            }
        });
    api!(
        engine,
        "to_array",
        ["column: Column", "Array"],
        "The values as a list.",
        |c: Column| -> Array { c.values.iter().map(to_dynamic).collect() }
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
    api!(engine, "days_until", ["column: Column", "date: Date", "Column"], "Whole days from each date in the column to the given date (positive when the date is later).", |c: Column, d: Date| -> Res<Column> {
        let mut out = Vec::with_capacity(c.len());
        for (i, v) in c.values.iter().enumerate() {
            if v.is_empty() {
                out.push(Value::Empty);
                continue;
            }
            let from = value_date(v).map_err(|e| format!("{}: {e}", c.locate(i)))?;
            out.push(Value::Number(Number::from_i64(days_between(from, d.0))));
        }
        Ok(Column::new(c.name.clone(), out))
    });
    api!(
        engine,
        "with_format",
        ["column: Column", "format: String", "Column"],
        "The same column, written with this number format.",
        |c: Column, f: &str| -> Column {
            Column {
                format: Some(f.to_string()),
                ..c
            }
        }
    );
    api!(
        engine,
        "to_string",
        ["column: Column", "String"],
        "The header and first values, for printing.",
        |c: &mut Column| -> String {
            let vals: Vec<String> = c.values.iter().take(8).map(|v| v.to_string()).collect();
            format!(
                "column {} ({} values): {}{}",
                c.name,
                c.len(),
                vals.join(", "),
                if c.len() > 8 { ", ..." } else { "" }
            )
        }
    );
}
