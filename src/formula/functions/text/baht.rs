//! BAHTTEXT: a number as Thai words with the baht and satang units.

use super::*;

const DIGITS: [&str; 10] = [
    "ศูนย์",
    "หนึ่ง",
    "สอง",
    "สาม",
    "สี่",
    "ห้า",
    "หก",
    "เจ็ด",
    "แปด",
    "เก้า",
];
const TEN: &str = "สิบ";
/// "Twenty" takes its own word for two.
const TWENTY: &str = "ยี่สิบ";
/// A one after a ten ("eleven", "twenty-one"). Only after a ten: 101 is
/// หนึ่งร้อยหนึ่ง, the reading LibreOffice's BAHTTEXT also gives (Thai
/// usage varies; no Excel-computed 101 was at hand to settle it).
const ONE_AFTER_TEN: &str = "เอ็ด";
/// Hundred thousand, ten thousand, thousand, hundred.
const PLACES: [(u64, &str); 4] = [
    (100_000, "แสน"),
    (10_000, "หมื่น"),
    (1_000, "พัน"),
    (100, "ร้อย"),
];
const MILLION: &str = "ล้าน";
const MINUS: &str = "ลบ";
const BAHT: &str = "บาท";
const SATANG: &str = "สตางค์";
/// "Exactly": a whole number of baht.
const EXACT: &str = "ถ้วน";

/// Largest amount spelt out: beyond it a double no longer holds every
/// satang.
const LIMIT: f64 = 1e13;

/// The words of 1..=999_999.
fn block(out: &mut String, mut n: u64) {
    for (size, word) in PLACES {
        if n >= size {
            out.push_str(DIGITS[(n / size) as usize]);
            out.push_str(word);
            n %= size;
        }
    }
    let (tens, ones) = (n / 10, n % 10);
    match tens {
        0 => {}
        1 => out.push_str(TEN),
        2 => out.push_str(TWENTY),
        t => {
            out.push_str(DIGITS[t as usize]);
            out.push_str(TEN);
        }
    }
    match ones {
        0 => {}
        1 if tens > 0 => out.push_str(ONE_AFTER_TEN),
        o => out.push_str(DIGITS[o as usize]),
    }
}

/// The words of a whole number, millions grouped as Thai counts them.
fn whole(out: &mut String, n: u64) {
    if n >= 1_000_000 {
        whole(out, n / 1_000_000);
        out.push_str(MILLION);
    }
    let low = n % 1_000_000;
    if low > 0 {
        block(out, low);
    }
}

/// BAHTTEXT's text for an amount, `None` beyond the amounts spelt out.
pub(crate) fn baht_text(amount: f64) -> Option<String> {
    if !amount.is_finite() || amount.abs() >= LIMIT {
        return None;
    }
    let satang_total = (amount.abs() * 100.0).round() as u64;
    let (baht, satang) = (satang_total / 100, satang_total % 100);
    let mut out = String::new();
    if satang_total > 0 && amount < 0.0 {
        out.push_str(MINUS);
    }
    if baht > 0 {
        whole(&mut out, baht);
        out.push_str(BAHT);
    } else if satang == 0 {
        out.push_str(DIGITS[0]);
        out.push_str(BAHT);
    }
    if satang == 0 {
        out.push_str(EXACT);
    } else {
        block(&mut out, satang);
        out.push_str(SATANG);
    }
    Some(out)
}

pub(super) fn bahttext(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| {
        let n = match a.value(0) {
            Value::Error(e) => return Err(e),
            Value::Text(s) => to_number(&Value::Text(s))?,
            Value::Bool(_) => return Err(ErrorKind::Value),
            v => to_number(&v)?,
        };
        baht_text(n.to_f64())
            .ok_or(ErrorKind::Num)
            .and_then(text_value)
    })
}

#[cfg(test)]
mod tests {
    use super::baht_text;
    use crate::formula::testing::eval_str;
    use crate::model::{ErrorKind, Value};

    #[test]
    fn documented_examples() {
        // Microsoft's example, and the examples other spreadsheets
        // document for the same function.
        let cases = [
            (1234.0, "หนึ่งพันสองร้อยสามสิบสี่บาทถ้วน"),
            (120.0, "หนึ่งร้อยยี่สิบบาทถ้วน"),
            (0.75, "เจ็ดสิบห้าสตางค์"),
            (120.75, "หนึ่งร้อยยี่สิบบาทเจ็ดสิบห้าสตางค์"),
            (0.0, "ศูนย์บาทถ้วน"),
            (11.0, "สิบเอ็ดบาทถ้วน"),
            (21.0, "ยี่สิบเอ็ดบาทถ้วน"),
            (101.0, "หนึ่งร้อยหนึ่งบาทถ้วน"),
            (111.0, "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
            (1.0, "หนึ่งบาทถ้วน"),
            (-12.5, "ลบสิบสองบาทห้าสิบสตางค์"),
            (2_000_000.0, "สองล้านบาทถ้วน"),
            (11_000_000.0, "สิบเอ็ดล้านบาทถ้วน"),
        ];
        for (n, want) in cases {
            assert_eq!(baht_text(n).as_deref(), Some(want), "{n}");
        }
        assert_eq!(baht_text(1e14), None);
    }

    #[test]
    fn through_a_formula() {
        assert_eq!(
            eval_str("=BAHTTEXT(\"1234\")"),
            Value::Text("หนึ่งพันสองร้อยสามสิบสี่บาทถ้วน".into())
        );
        assert_eq!(eval_str("=BAHTTEXT(\"x\")"), Value::Error(ErrorKind::Value));
        assert_eq!(eval_str("=BAHTTEXT(1/0)"), Value::Error(ErrorKind::Div0));
    }
}
