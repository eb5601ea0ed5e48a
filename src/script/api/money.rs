//! Money arithmetic: Excel's rounding modes and reading amounts typed
//! with either decimal separator.

use super::{fail, number_arg, ok, Res};
use crate::model::Number;
use crate::script::table::{round_column, Column, Rounding};
use crate::script::values::{describe, dynamic_number};
use rhai::plugin::*;
use rhai::{Array, Dynamic, Engine, EvalAltResult, FuncRegistration, INT};
use rust_decimal::Decimal;

/// `round`, `round_up`, `round_down` and `round_bankers` on numbers, whole
/// numbers and columns, each through [`Rounding::apply`] (the formula
/// engine's ROUND, ROUNDUP and ROUNDDOWN).
fn register_rounding(engine: &mut Engine) {
    let digits_of = |digits: INT| digits.clamp(-400, 400) as i32;
    for (name, rounding, what) in [
        ("round", Rounding::HalfAway, "half away from zero like Excel's ROUND: round(2.345, 2) is 2.35, round(1250, -2) is 1300"),
        ("round_up", Rounding::Up, "away from zero, like Excel's ROUNDUP: round_up(2.341, 2) is 2.35"),
        ("round_down", Rounding::Down, "toward zero, like Excel's ROUNDDOWN: round_down(2.349, 2) is 2.34"),
        ("round_bankers", Rounding::Bankers, "half to even (banker's rounding): round_bankers(2.345, 2) is 2.34"),
    ] {
        let decimal = move |x: Decimal, digits: INT| -> Res<Decimal> {
            let rounded = rounding.apply(Number::Exact(x), digits_of(digits));
            ok(crate::script::values::to_decimal(rounded))
        };
        let whole = move |x: INT, digits: INT| -> Res<INT> {
            let rounded = rounding.apply(Number::from_i64(x), digits_of(digits));
            rounded
                .to_i64()
                .ok_or_else(|| format!("{name}: {x} rounded is beyond a whole number").into())
        };
        let doc = format!("/// Rounds {what}; negative digits round to tens, hundreds, ...");
        FuncRegistration::new(name)
            .with_params_info(["x: Decimal", "digits: INT", "Decimal"])
            .with_comments([doc.as_str()])
            .register_into_engine(engine, decimal);
        FuncRegistration::new(name)
            .with_params_info(["x: Decimal", "Decimal"])
            .with_comments(["/// Rounds to a whole number (digits 0)."])
            .register_into_engine(engine, move |x: Decimal| decimal(x, 0));
        FuncRegistration::new(name)
            .with_params_info(["x: INT", "digits: INT", "INT"])
            .with_comments([doc.as_str()])
            .register_into_engine(engine, whole);
        FuncRegistration::new(name)
            .with_params_info(["column: Column", "digits: INT", "Column"])
            .with_comments([format!("/// Every value rounded {what}.").as_str()])
            .register_into_engine(engine, move |c: Column, digits: INT| -> Res<Column> {
                ok(round_column(&c, digits_of(digits), rounding))
            });
    }
}

/// Registers rounding, `num` and the sum of a list.
pub(super) fn register_money(engine: &mut Engine) {
    register_rounding(engine);
    engine.register_global_module(exported_module!(amount_functions).into());
    api!(
        engine,
        "sum",
        ["values: Array", "Decimal"],
        "Sum of a list of numbers (() counts as 0).",
        |a: Array| -> Res<Dynamic> {
            let mut total = Number::ZERO;
            for (i, x) in a.iter().enumerate() {
                if x.is_unit() {
                    continue;
                }
                total = total + number_arg(x, &format!("sum: item {}", i + 1))?;
            }
            Ok(crate::script::values::number_to_dynamic(total))
        }
    );
}

/// Reading amounts, which needs no workbook: the reference comes from
/// these signatures and doc lines.
#[export_module]
mod amount_functions {
    use super::*;

    /// A number from a number or from text such as "1234.50", "1234,50" or "-1 234,50"; "1,234" (1234 or 1.234?) and anything else is an error.
    #[rhai_fn(return_raw)]
    pub fn num(value: Dynamic) -> Result<Decimal, Box<EvalAltResult>> {
        if let Some(n) = dynamic_number(&value) {
            return ok(crate::script::values::to_decimal(n));
        }
        if value.is_string() {
            // One reading for `1234.50`, `1234,50` and `1 234,50`;
            // `1,234` is refused rather than guessed.
            use crate::model::number_text::{parse_number_text, NumberTextError};
            let s = value.to_string();
            return parse_number_text(&s).map_err(|e| match e {
                NumberTextError::Ambiguous(why) => format!("num: {why}").into(),
                NumberTextError::NotANumber => format!("num: \"{s}\" is not a number").into(),
            });
        }
        if value.is_unit() {
            return Ok(Decimal::ZERO);
        }
        fail(format!(
            "num: expected a number, found {}",
            describe(&value)
        ))
    }
}
