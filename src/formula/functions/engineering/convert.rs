//! CONVERT(number, from_unit, to_unit): a number from one unit of
//! measure to another of the same quantity. Unit names are
//! case-sensitive; a name that is no unit, a prefix on a unit that takes
//! none, or two units of different quantities are `#N/A`, as in Excel.

use super::atp_float;
use super::units::{Prefixes, Quantity, Scale, Unit, BINARY_PREFIXES, DECIMAL_PREFIXES, UNITS};
use crate::formula::functions::*;

/// A unit as named in a CONVERT argument: the unit and the factor its
/// prefix brings (1 without one).
struct Named {
    unit: Unit,
    prefix: f64,
}

fn exact(name: &str) -> Option<Unit> {
    UNITS.iter().find(|u| u.names.contains(&name)).copied()
}

/// The unit a name stands for: an exact name first (`pc` is a parsec,
/// not a pico-something), then a prefix on a unit that takes it.
fn lookup(name: &str) -> Option<Named> {
    if let Some(unit) = exact(name) {
        return Some(Named { unit, prefix: 1.0 });
    }
    for (prefix, factor) in BINARY_PREFIXES {
        if let Some(unit) = name.strip_prefix(prefix).and_then(exact) {
            if unit.prefixes == Prefixes::DecimalAndBinary {
                return Some(Named {
                    unit,
                    prefix: *factor,
                });
            }
        }
    }
    for (prefix, factor) in DECIMAL_PREFIXES {
        let Some(unit) = name.strip_prefix(prefix).and_then(exact) else {
            continue;
        };
        let prefix = match unit.prefixes {
            Prefixes::No => continue,
            Prefixes::Decimal(power) => factor.powi(power),
            Prefixes::DecimalAndBinary => *factor,
        };
        return Some(Named { unit, prefix });
    }
    None
}

/// A temperature on one scale in degrees Celsius.
fn to_celsius(v: f64, scale: Scale) -> f64 {
    match scale {
        Scale::Celsius => v,
        Scale::Fahrenheit => (v - 32.0) * 5.0 / 9.0,
        Scale::Kelvin => v - 273.15,
        Scale::Rankine => v * 5.0 / 9.0 - 273.15,
        Scale::Reaumur => v * 1.25,
    }
}

/// A temperature in degrees Celsius on another scale.
fn from_celsius(c: f64, scale: Scale) -> f64 {
    match scale {
        Scale::Celsius => c,
        Scale::Fahrenheit => c * 9.0 / 5.0 + 32.0,
        Scale::Kelvin => c + 273.15,
        Scale::Rankine => (c + 273.15) * 9.0 / 5.0,
        Scale::Reaumur => c * 0.8,
    }
}

/// Whether a scale starts at absolute zero, so that converting between
/// two such scales is a plain factor (no round trip through 273.15).
fn absolute(scale: Scale) -> bool {
    matches!(scale, Scale::Kelvin | Scale::Rankine)
}

fn convert_temperature(v: f64, from: Scale, to: Scale) -> f64 {
    if absolute(from) && absolute(to) {
        let kelvin = |s: Scale| if s == Scale::Rankine { 5.0 / 9.0 } else { 1.0 };
        return v * kelvin(from) / kelvin(to);
    }
    from_celsius(to_celsius(v, from), to)
}

/// A unit argument as text: numbers as written; errors pass through.
fn unit_name(ctx: &mut CallContext, e: &Expr) -> Result<String, ErrorKind> {
    to_text(&ctx.value(e)?)
}

pub(super) fn convert_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let number = atp_float(ctx, &args[0])?;
    let from = unit_name(ctx, &args[1])?;
    let to = unit_name(ctx, &args[2])?;
    let (Some(from), Some(to)) = (lookup(&from), lookup(&to)) else {
        return Err(ErrorKind::NA);
    };
    if from.unit.quantity != to.unit.quantity {
        return Err(ErrorKind::NA);
    }
    if from.unit.quantity == Quantity::Temperature {
        let (Some(f), Some(t)) = (from.unit.scale, to.unit.scale) else {
            return Err(ErrorKind::NA);
        };
        let v = convert_temperature(number * from.prefix, f, t) / to.prefix;
        return Ok(CalcValue::float(v));
    }
    let from_factor = from.unit.factor * from.prefix;
    let to_factor = to.unit.factor * to.prefix;
    Ok(CalcValue::float(number * from_factor / to_factor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::testing::{assert_formula_close, err, eval_str, num};

    #[test]
    fn microsofts_examples() {
        assert_formula_close("=CONVERT(1,\"lbm\",\"kg\")", 0.45359237, 1e-12);
        assert_eq!(eval_str("=CONVERT(68,\"F\",\"C\")"), num("20"));
        assert_eq!(eval_str("=CONVERT(2.5,\"ft\",\"sec\")"), err(ErrorKind::NA));
        assert_formula_close(
            "=CONVERT(CONVERT(100,\"ft\",\"m\"),\"ft\",\"m\")",
            9.290304,
            1e-12,
        );
    }

    #[test]
    fn prefixes_scale_by_the_units_dimension() {
        assert_formula_close("=CONVERT(1,\"km\",\"mi\")", 0.621371192237334, 1e-14);
        assert_formula_close("=CONVERT(1,\"km2\",\"m2\")", 1e6, 1e-14);
        assert_formula_close("=CONVERT(1,\"km^3\",\"m3\")", 1e9, 1e-14);
        assert_formula_close("=CONVERT(1,\"dam\",\"m\")", 10.0, 1e-14);
        assert_formula_close("=CONVERT(1,\"har\",\"m2\")", 10_000.0, 1e-14);
        assert_formula_close("=CONVERT(1,\"ms\",\"s\")", 0.001, 1e-14);
        assert_formula_close("=CONVERT(0.05,\"Mg\",\"g\")", 50_000.0, 1e-14);
        assert_formula_close("=CONVERT(1,\"mbyte\",\"bit\")", 0.008, 1e-14);
        assert_formula_close("=CONVERT(1,\"kK\",\"C\")", 726.85, 1e-12);
        // A name that is a unit is never read as a prefix.
        assert_formula_close("=CONVERT(1,\"pc\",\"ly\")", 3.261_563_777, 1e-9);
        assert_formula_close("=CONVERT(1,\"Pa\",\"atm\")", 9.869_232_667e-6, 1e-14);
    }

    #[test]
    fn binary_prefixes_are_for_information() {
        // LibreOffice's documented example, which follows Excel's rules.
        assert_eq!(eval_str("=CONVERT(256,\"Gibit\",\"Mibyte\")"), num("32768"));
        assert_eq!(eval_str("=CONVERT(1,\"kibyte\",\"byte\")"), num("1024"));
        assert_eq!(eval_str("=CONVERT(1,\"kim\",\"m\")"), err(ErrorKind::NA));
    }

    #[test]
    fn units_without_prefixes_refuse_them() {
        for name in [
            "Mmi", "kft", "MC", "MHP", "Mlbm", "kha", "Mly2", "Mly3", "kyr",
        ] {
            assert!(lookup(name).is_none(), "{name}");
        }
        for name in [
            "Mmph", "Muk_pt", "MmmHg", "Mpc", "Mu", "MeV", "Mp", "kWh", "GW",
        ] {
            assert!(lookup(name).is_some(), "{name}");
        }
    }

    #[test]
    fn temperatures() {
        assert_eq!(eval_str("=CONVERT(100,\"C\",\"F\")"), num("212"));
        assert_eq!(eval_str("=CONVERT(-40,\"fah\",\"cel\")"), num("-40"));
        assert_formula_close("=CONVERT(1,\"C\",\"K\")", 274.15, 1e-12);
        assert_formula_close("=CONVERT(1,\"F\",\"kel\")", 255.927_777_777_778, 1e-12);
        assert_formula_close("=CONVERT(1,\"Rank\",\"K\")", 0.555_555_555_555_556, 1e-14);
        assert_formula_close("=CONVERT(1,\"Reau\",\"K\")", 274.4, 1e-12);
        assert_eq!(eval_str("=CONVERT(0,\"K\",\"Rank\")"), num("0"));
    }

    #[test]
    fn every_quantity_converts_through_its_base() {
        let cases = [
            ("sg", "g", 14_593.902_937_206_4),
            ("ozm", "g", 28.349_523_125),
            ("uk_ton", "g", 1_016_046.908_8),
            ("Nmi", "m", 1852.0),
            ("survey_mi", "m", 1_609.347_218_694_44),
            ("Pica", "m", 0.000_352_777_777_777_778),
            ("yr", "day", 365.25),
            ("psi", "Pa", 6_894.757_293_168_36),
            ("Torr", "Pa", 133.322_368_421_053),
            ("lbf", "N", 4.448_221_615_260_5),
            ("HPh", "J", 2_684_519.537_696_17),
            ("BTU", "J", 1_055.055_852_62),
            ("HP", "W", 745.699_871_582_27),
            ("ga", "T", 1e-4),
            ("tsp", "m3", 4.928_921_593_75e-6),
            ("uk_gal", "l", 4.546_09),
            ("barrel", "l", 158.987_294_928),
            ("us_acre", "m2", 4_046.872_609_874_25),
            ("Morgen", "m2", 2500.0),
            ("admkn", "m/s", 0.514_773_333_333_333),
            ("mph", "m/h", 1609.344),
            ("byte", "bit", 8.0),
        ];
        for (from, to, want) in cases {
            assert_formula_close(&format!("=CONVERT(1,\"{from}\",\"{to}\")"), want, 1e-13);
        }
    }

    #[test]
    fn error_kinds() {
        assert_eq!(eval_str("=CONVERT(1,\"m\",\"g\")"), err(ErrorKind::NA));
        assert_eq!(eval_str("=CONVERT(1,\"M\",\"m\")"), err(ErrorKind::NA));
        assert_eq!(eval_str("=CONVERT(1,\"\",\"m\")"), err(ErrorKind::NA));
        assert_eq!(eval_str("=CONVERT(1,\"m \",\"m\")"), err(ErrorKind::NA));
        assert_eq!(
            eval_str("=CONVERT(\"a\",\"m\",\"ft\")"),
            err(ErrorKind::Value)
        );
        assert_eq!(
            eval_str("=CONVERT(TRUE,\"m\",\"ft\")"),
            err(ErrorKind::Value)
        );
        assert_eq!(eval_str("=CONVERT(1,1/0,\"ft\")"), err(ErrorKind::Div0));
    }
}
