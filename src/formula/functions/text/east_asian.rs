//! ASC and DBCS (full-width and half-width forms of ASCII and katakana)
//! and PHONETIC.

use super::*;

/// Half-width katakana U+FF61..=U+FF9F and their full-width forms, in
/// code-point order.
const HALF_TO_FULL_KATAKANA: [char; 63] = [
    '。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', 'ー',
    'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ',
    'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ',
    'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ン', '゛', '゜',
];

/// The half-width voiced (dakuten) and semi-voiced (handakuten) marks.
const HALF_VOICED: char = 'ﾞ';
const HALF_SEMI_VOICED: char = 'ﾟ';

fn half_katakana(full: char) -> Option<char> {
    HALF_TO_FULL_KATAKANA
        .iter()
        .position(|&c| c == full)
        .and_then(|i| char::from_u32(0xFF61 + i as u32))
}

fn full_katakana(half: char) -> Option<char> {
    let i = (half as u32).checked_sub(0xFF61)? as usize;
    HALF_TO_FULL_KATAKANA.get(i).copied()
}

/// A voiced katakana as its unvoiced base and the half-width mark that
/// voices it (`ガ` is `カ` + `ﾞ`, `パ` is `ハ` + `ﾟ`).
fn split_voiced(c: char) -> Option<(char, char)> {
    let before = |n: u32| char::from_u32((c as u32).checked_sub(n)?);
    match c {
        'ヴ' => Some(('ウ', HALF_VOICED)),
        'ヷ' => Some(('ワ', HALF_VOICED)),
        'ヺ' => Some(('ヲ', HALF_VOICED)),
        _ => {
            // Each voiced form follows its base in Unicode; the ha row's
            // semi-voiced form comes second.
            if let Some(base) = before(1).filter(|&b| VOICED_BASES.contains(b)) {
                return Some((base, HALF_VOICED));
            }
            before(2)
                .filter(|&b| SEMI_VOICED_BASES.contains(b))
                .map(|b| (b, HALF_SEMI_VOICED))
        }
    }
}

/// Katakana whose voiced form is the next code point.
const VOICED_BASES: &str = "カキクケコサシスセソタチツテトハヒフヘホ";
/// Katakana whose semi-voiced form is two code points on.
const SEMI_VOICED_BASES: &str = "ハヒフヘホ";

/// ASC: full-width (double-byte) ASCII and katakana to half-width.
pub(crate) fn to_half_width(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c as u32 {
            0x3000 => out.push(' '),
            0xFF01..=0xFF5E => out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
            _ => {
                if let Some(h) = half_katakana(c) {
                    out.push(h);
                } else if let Some((base, mark)) = split_voiced(c) {
                    out.push(half_katakana(base).unwrap_or(base));
                    out.push(mark);
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// DBCS: half-width ASCII and katakana to full-width, a voiced mark
/// joining the katakana before it.
pub(crate) fn to_full_width(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c as u32 {
            0x20 => out.push('\u{3000}'),
            0x21..=0x7E => out.push(char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)),
            _ => match full_katakana(c) {
                Some(full) => {
                    let mark = chars.peek().copied();
                    let joined = mark.and_then(|m| join_voiced(full, m));
                    if let Some(j) = joined {
                        chars.next();
                        out.push(j);
                    } else {
                        out.push(full);
                    }
                }
                None => out.push(c),
            },
        }
    }
    out
}

/// The voiced katakana a full-width base and a half-width mark make.
fn join_voiced(base: char, mark: char) -> Option<char> {
    ('\u{30A1}'..='\u{30FA}').find(|&v| split_voiced(v) == Some((base, mark)))
}

pub(super) fn asc(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| match a.value(0) {
        Value::Text(s) => text_value(to_half_width(&s)),
        Value::Error(e) => Err(e),
        v => Ok(v),
    })
}

pub(super) fn dbcs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    lifted(ctx, args, |a| match a.value(0) {
        Value::Error(e) => Err(e),
        v => text_value(to_full_width(&to_text(&v)?)),
    })
}

/// PHONETIC: the furigana of the top-left cell of a reference. Files
/// carry no phonetic guide this model keeps, and Excel then gives the
/// cell's text (and empty text for a number).
pub(super) fn phonetic(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    match ctx.cell_value(area.sheet, area.range.start) {
        Value::Text(s) => Ok(CalcValue::text(s)),
        Value::Error(e) => Err(e),
        _ => Ok(CalcValue::text("")),
    }
}

#[cfg(test)]
mod tests {
    use super::{to_full_width, to_half_width};
    use crate::formula::testing::{eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn asc_narrows_ascii_and_katakana() {
        assert_eq!(to_half_width("ＥＸＣＥＬ　２０２４"), "EXCEL 2024");
        assert_eq!(to_half_width("エクセル"), "ｴｸｾﾙ");
        assert_eq!(to_half_width("ガパヴ"), "ｶﾞﾊﾟｳﾞ");
        assert_eq!(to_half_width("漢字ひらがな"), "漢字ひらがな");
        assert_eq!(to_half_width("ヵ"), "ヵ");
    }

    #[test]
    fn dbcs_widens_and_joins_voiced_marks() {
        assert_eq!(to_full_width("EXCEL 1"), "ＥＸＣＥＬ　１");
        assert_eq!(to_full_width("ｶﾞﾊﾟｳﾞｴｸｾﾙ"), "ガパヴエクセル");
        assert_eq!(to_full_width("ｰ｡"), "ー。");
        for s in ["テスト\u{3000}ゲーム", "ＡＢＣ"] {
            assert_eq!(to_full_width(&to_half_width(s)), s);
        }
    }

    #[test]
    fn the_functions_convert_their_argument() {
        assert_eq!(
            eval_str("=ASC(\"ＥＸＣＥＬ\")"),
            Value::Text("EXCEL".into())
        );
        assert_eq!(eval_str("=ASC(12)"), num("12"));
        assert_eq!(
            eval_str("=DBCS(\"EXCEL\")"),
            Value::Text("ＥＸＣＥＬ".into())
        );
        assert_eq!(eval_str("=DBCS(12)"), Value::Text("１２".into()));
        assert_eq!(eval_str("=ASC(1/0)"), Value::Error(ErrorKind::Div0));
        let cells = [("A1", "東京"), ("A2", "5")];
        assert_eq!(
            eval_with(&cells, "=PHONETIC(A1)"),
            Value::Text("東京".into())
        );
        assert_eq!(
            eval_with(&cells, "=PHONETIC(A1:A2)"),
            Value::Text("東京".into())
        );
        assert_eq!(eval_with(&cells, "=PHONETIC(A2)"), Value::Text("".into()));
    }
}
