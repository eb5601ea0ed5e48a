//! Number systems: BASE/DECIMAL and Roman numerals (ROMAN/ARABIC).

use crate::formula::functions::util::NumResult;
use crate::formula::functions::*;

pub(super) fn roman_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = ctx.number(&args[0])?;
    let form = if CallContext::is_missing(args, 1) {
        0
    } else {
        match ctx.value(&args[1])? {
            Value::Bool(true) => 0,
            Value::Bool(false) => 4,
            v => to_number(&v)?.to_i64().ok_or(ErrorKind::Value)?,
        }
    };
    let n = n.to_i64().ok_or(ErrorKind::Value)?;
    Ok(CalcValue::text(roman(n, form)?))
}

pub(super) fn arabic_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let t = ctx.text(&args[0])?;
    Ok(CalcValue::number(arabic(&t)?))
}

pub(super) fn base_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = ctx.number(&args[0])?;
    let radix = ctx.number(&args[1])?;
    let min_len = ctx.opt_number(args, 2, Number::ZERO)?;
    if n < Number::ZERO
        || n.to_f64() >= 9_007_199_254_740_992.0
        || !(2.0..=36.0).contains(&radix.to_f64().trunc())
        || !(0.0..=255.0).contains(&min_len.to_f64())
    {
        return Err(ErrorKind::Num);
    }
    let (mut n, radix) = (n.to_f64().trunc() as u64, radix.to_f64().trunc() as u64);
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(std::char::from_digit((n % radix) as u32, radix as u32).unwrap_or('0'));
        n /= radix;
    }
    let mut s: String = digits.iter().rev().collect::<String>().to_uppercase();
    if s.is_empty() {
        s.push('0');
    }
    let width = min_len.to_f64().trunc() as usize;
    if s.len() < width {
        s = format!("{}{s}", "0".repeat(width - s.len()));
    }
    Ok(CalcValue::text(s))
}

pub(super) fn decimal_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let text = ctx.text(&args[0])?;
    let radix = ctx.number(&args[1])?.to_f64().trunc();
    if !(2.0..=36.0).contains(&radix) || text.len() > 255 {
        return Err(ErrorKind::Num);
    }
    let mut acc = 0f64;
    for c in text.chars() {
        let d = c.to_digit(radix as u32).ok_or(ErrorKind::Num)?;
        acc = acc * radix + f64::from(d);
    }
    Ok(CalcValue::float(acc))
}

/// ROMAN: `n` in 0..=3999 as a Roman numeral; `form` 0 (classic) to 4
/// (most concise) allows subtractive pairs further apart, as Excel does.
pub fn roman(n: i64, form: i64) -> Result<String, ErrorKind> {
    if !(0..=3999).contains(&n) || !(0..=4).contains(&form) {
        return Err(ErrorKind::Value);
    }
    const CHARS: [char; 7] = ['M', 'D', 'C', 'L', 'X', 'V', 'I'];
    const VALUES: [i64; 7] = [1000, 500, 100, 50, 10, 5, 1];
    const MAX_INDEX: usize = 6;
    let mut out = String::new();
    let mut val = n;
    for i in 0..=MAX_INDEX / 2 {
        let mut index = 2 * i;
        let digit = val / VALUES[index];
        if digit % 5 == 4 {
            let index2 = if digit == 4 { index - 1 } else { index - 2 };
            let mut steps = 0;
            // Each step of `form` lets a smaller numeral do the subtracting.
            while steps < form && index < MAX_INDEX {
                steps += 1;
                if VALUES[index2] - VALUES[index + 1] <= val {
                    index += 1;
                } else {
                    steps = form;
                }
            }
            out.push(CHARS[index]);
            out.push(CHARS[index2]);
            val = val + VALUES[index] - VALUES[index2];
        } else {
            if digit > 4 {
                out.push(CHARS[index - 1]);
            }
            for _ in 0..digit % 5 {
                out.push(CHARS[index]);
            }
            val %= VALUES[index];
        }
    }
    Ok(out)
}

/// ARABIC: a Roman numeral (any case, optional leading minus) as a
/// number; anything else is #VALUE!.
pub fn arabic(text: &str) -> NumResult {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    if body.len() > 255 {
        return Err(ErrorKind::Value);
    }
    let mut total = 0i64;
    let mut prev = 0i64;
    for c in body.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return Err(ErrorKind::Value),
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    Ok(Number::from_i64(if neg { -total } else { total }))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::formula::testing::{eval_str, num};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn roman_forms() {
        assert_eq!(roman(499, 0).unwrap(), "CDXCIX");
        assert_eq!(roman(499, 1).unwrap(), "LDVLIV");
        assert_eq!(roman(499, 2).unwrap(), "XDIX");
        assert_eq!(roman(499, 3).unwrap(), "VDIV");
        assert_eq!(roman(499, 4).unwrap(), "ID");
        assert_eq!(roman(3999, 0).unwrap(), "MMMCMXCIX");
        assert_eq!(roman(0, 0).unwrap(), "");
        assert_eq!(roman(4000, 0), Err(ErrorKind::Value));
        assert_eq!(arabic("mcmxii"), Ok(Number::from_i64(1912)));
        assert_eq!(arabic("-IV"), Ok(Number::from_i64(-4)));
        assert_eq!(arabic(""), Ok(Number::ZERO));
        assert_eq!(arabic("ABC"), Err(ErrorKind::Value));
    }

    #[test]
    fn bases_and_series() {
        assert_eq!(eval_str("=BASE(7,2)"), Value::Text("111".into()));
        assert_eq!(eval_str("=BASE(100,16)"), Value::Text("64".into()));
        assert_eq!(eval_str("=BASE(15,2,10)"), Value::Text("0000001111".into()));
        assert_eq!(eval_str("=BASE(-1,2)"), Value::Error(ErrorKind::Num));
        assert_eq!(eval_str("=DECIMAL(\"FF\",16)"), num("255"));
        assert_eq!(eval_str("=DECIMAL(\"111\",2)"), num("7"));
        assert_eq!(eval_str("=DECIMAL(\"12\",2)"), Value::Error(ErrorKind::Num));
        assert_eq!(eval_str("=SERIESSUM(2,0,1,{1,2,3})"), num("17"));
        assert_eq!(
            eval_str("=SERIESSUM(0,0,2,{1,2,3})"),
            Value::Error(ErrorKind::Num)
        );
    }
}
