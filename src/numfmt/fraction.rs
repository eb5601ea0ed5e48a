//! Fraction sections (`# ?/?`, `?/8`): a whole part, a numerator and a
//! denominator that is either written in the code or the closest one
//! Excel finds with as many digits as the code has placeholders.

use super::number::IntWriter;
use super::section::{Ph, Tok, FILL_MARK};
use crate::model::number::Number;

/// Where a fraction's parts sit in a section. Literals may stand between
/// the numerator, the bar and the denominator (`# ?? / ??`, `#=/=#`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FractionLayout {
    /// The numerator's placeholders: `num_start..num_end`.
    num_start: usize,
    /// End (exclusive) of the numerator's placeholders.
    num_end: usize,
    /// The `/` token.
    slash: usize,
    /// Start of the denominator's placeholders or number.
    den_start: usize,
    /// End (exclusive) of the denominator's placeholders or number.
    den_end: usize,
    /// A literal denominator (`?/8`), if any.
    fixed_den: Option<u64>,
    /// Index of the whole part's last placeholder, if there is a whole
    /// part.
    last_whole: Option<usize>,
}

impl FractionLayout {
    /// Finds a `/` with digit placeholders before it and placeholders or
    /// a number after it, literals allowed in between.
    pub(super) fn of(tokens: &[Tok]) -> Option<FractionLayout> {
        let is_digit = |t: &Tok| matches!(t, Tok::Digit(_));
        let is_lit = |t: &Tok| matches!(t, Tok::Lit(_));
        for (slash, t) in tokens.iter().enumerate() {
            if *t != Tok::Slash {
                continue;
            }
            let mut num_end = slash;
            while num_end > 0 && is_lit(&tokens[num_end - 1]) {
                num_end -= 1;
            }
            let mut num_start = num_end;
            while num_start > 0 && is_digit(&tokens[num_start - 1]) {
                num_start -= 1;
            }
            if num_start == num_end {
                continue;
            }
            let mut den_start = slash + 1;
            // Literals before the denominator, unless one starts a fixed
            // denominator (`?/8`, `?/ 16`).
            while let Some(Tok::Lit(lit)) = tokens.get(den_start) {
                if lit.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                    break;
                }
                den_start += 1;
            }
            let mut den_end = den_start;
            while den_end < tokens.len() && is_digit(&tokens[den_end]) {
                den_end += 1;
            }
            let mut fixed_den = None;
            if den_end == den_start {
                let Some(Tok::Lit(lit)) = tokens.get(den_start) else {
                    continue;
                };
                let lit = lit.trim_start();
                let mut digits: String = lit.chars().take_while(|c| c.is_ascii_digit()).collect();
                den_end = den_start + 1;
                // `10` arrives as the literal 1 and the placeholder 0.
                if digits.len() == lit.len() {
                    while let Some(t) = tokens.get(den_end) {
                        match t {
                            Tok::Digit(Ph::Zero) => digits.push('0'),
                            Tok::Lit(l) if l.chars().all(|c| c.is_ascii_digit()) => {
                                digits.push_str(l)
                            }
                            _ => break,
                        }
                        den_end += 1;
                    }
                }
                match digits.parse::<u64>() {
                    Ok(d) if d > 0 => fixed_den = Some(d),
                    _ => continue,
                }
            }
            let last_whole = tokens[..num_start].iter().rposition(is_digit);
            return Some(FractionLayout {
                num_start,
                num_end,
                slash,
                den_start,
                den_end,
                fixed_den,
                last_whole,
            });
        }
        None
    }
}

/// The placeholders among `tokens`.
fn placeholders(tokens: &[Tok]) -> impl Iterator<Item = Ph> + '_ {
    tokens.iter().filter_map(|t| match t {
        Tok::Digit(ph) => Some(*ph),
        _ => None,
    })
}

/// How many characters a token takes when a hidden fraction leaves its
/// width blank.
fn width(t: &Tok) -> usize {
    match t {
        Tok::Lit(s) => s.chars().count(),
        _ => 1,
    }
}

/// Renders `# ?/?`-style fractions: optional whole part, numerator, and
/// a denominator that is either fixed (`?/8`) or chosen as Excel does,
/// with at most as many digits as it has placeholders.
/// `tokens` are the section's, laid out as `layout`.
///
/// Excel's rules when parts are zero, as its TEXT gives them:
/// - a whole number hides the fraction unless the numerator has a `0`
///   placeholder; the hidden part (from after the whole part's last
///   placeholder to the denominator's end) becomes spaces when any
///   placeholder is `?`, and nothing otherwise, and a zero whole part
///   then shows `0`;
/// - a zero whole part beside a shown fraction shows what its
///   placeholders show for nothing (a `?` shows `0` when the fraction is
///   zero too), and when that is no digit the literals between it and
///   the numerator become spaces if the whole part or the numerator has
///   a `?`, and vanish otherwise (`#:#/#` shows 0.75 as `3/4`);
/// - a zero numerator shows one `0`; a denominator with `0`
///   placeholders is padded with zeros on the left (`004`), one with `?`
///   or `#` is aligned left.
pub(super) fn render_fraction(tokens: &[Tok], layout: &FractionLayout, abs: Number) -> String {
    let num_places = layout.num_end - layout.num_start;
    let den_places = layout.den_end - layout.den_start;
    let x = abs.to_f64();
    let has_whole = layout.last_whole.is_some();
    let (mut whole, frac) = if has_whole {
        (x.trunc(), x - x.trunc())
    } else {
        (0.0, x)
    };
    let (mut num, den) = match layout.fixed_den {
        Some(d) => ((frac * d as f64).round() as u64, d),
        None => best_fraction(frac, 10u64.pow(den_places.clamp(1, 15) as u32) - 1),
    };
    if has_whole && num == den {
        whole += 1.0;
        num = 0;
    }
    let whole_digits = if whole == 0.0 {
        Vec::new()
    } else {
        format!("{whole:.0}").into_bytes()
    };
    let num_digits = num.to_string().into_bytes();
    let den_digits = den.to_string().into_bytes();

    let whole_ph: Vec<Ph> = placeholders(&tokens[..layout.num_start]).collect();
    let num_ph: Vec<Ph> = placeholders(&tokens[layout.num_start..layout.num_end]).collect();
    let den_ph: Vec<Ph> = if layout.fixed_den.is_some() {
        Vec::new()
    } else {
        placeholders(&tokens[layout.den_start..layout.den_end]).collect()
    };
    let any_space = [&whole_ph, &num_ph, &den_ph]
        .iter()
        .any(|p| p.contains(&Ph::Space));
    let any_space_whole_or_num = whole_ph.contains(&Ph::Space) || num_ph.contains(&Ph::Space);
    let hidden = has_whole && num == 0 && !num_ph.contains(&Ph::Zero);
    // The whole part's last placeholder shows a zero whole part as `0`
    // when nothing else shows a digit.
    let force_zero = whole_digits.is_empty()
        && match whole_ph.last() {
            Some(Ph::Space) => num == 0,
            Some(Ph::Hash) => hidden,
            _ => false,
        };
    let whole_blank = whole_digits.is_empty() && !force_zero && !whole_ph.contains(&Ph::Zero);
    let after_whole = layout.last_whole.map_or(layout.num_start, |w| w + 1);
    let zero_pad_den = den_ph.contains(&Ph::Zero);

    let mut out = String::new();
    let mut whole_writer = IntWriter::new(&whole_digits, whole_ph.len(), false);
    let mut num_writer = IntWriter::new(&num_digits, num_places, false);
    let mut den_writer = IntWriter::new(&den_digits, den_places, false);
    let mut den_seen = 0;
    let mut blank_width = 0;
    for (i, t) in tokens.iter().enumerate() {
        if hidden && (after_whole..layout.den_end).contains(&i) {
            blank_width += width(t);
            if i + 1 == layout.den_end && any_space {
                out.extend(std::iter::repeat_n(' ', blank_width));
            }
            continue;
        }
        if whole_blank && (after_whole..layout.num_start).contains(&i) {
            if any_space_whole_or_num {
                out.extend(std::iter::repeat_n(' ', width(t)));
            }
            continue;
        }
        match t {
            Tok::Digit(ph) if i < layout.num_start => {
                let ph = if force_zero && Some(i) == layout.last_whole {
                    Ph::Zero
                } else {
                    *ph
                };
                whole_writer.write(ph, &mut out);
            }
            Tok::Digit(ph) if i < layout.num_end => num_writer.write(*ph, &mut out),
            // Placeholders after the fraction (`0/0/0`) stand for nothing.
            Tok::Digit(ph) if i >= layout.den_end => out.push_str(ph.fill()),
            Tok::Digit(_) if layout.fixed_den.is_some() => out.push('0'),
            Tok::Digit(ph) if zero_pad_den => den_writer.write(*ph, &mut out),
            Tok::Digit(ph) => {
                match den_digits.get(den_seen) {
                    Some(&c) => out.push(char::from(c)),
                    None => out.push_str(ph.fill()),
                }
                den_seen += 1;
                // Extra denominator digits follow the last placeholder.
                if i + 1 == layout.den_end && den_digits.len() > den_seen {
                    out.extend(den_digits[den_seen..].iter().map(|&c| char::from(c)));
                }
            }
            Tok::Slash => out.push('/'),
            Tok::Lit(s) => out.push_str(s),
            Tok::Percent => out.push('%'),
            Tok::Point => out.push('.'),
            Tok::Comma => out.push(','),
            Tok::Fill => out.push(FILL_MARK),
            _ => {}
        }
    }
    out
}

/// The fraction Excel shows for `x` with denominators up to `max_den`:
/// the last continued-fraction convergent that fits (so 0.01 with `??`
/// is 0/1, not 1/99).
fn best_fraction(x: f64, max_den: u64) -> (u64, u64) {
    let (mut p2, mut p1) = (0u64, 1u64);
    let (mut q2, mut q1) = (1u64, 0u64);
    let mut b = x;
    let (mut p, mut q) = (x.floor() as u64, 1u64);
    for _ in 0..64 {
        let a = b.floor();
        let pn = (a as u64).saturating_mul(p1).saturating_add(p2);
        let qn = (a as u64).saturating_mul(q1).saturating_add(q2);
        if qn > max_den {
            break;
        }
        (p, q) = (pn, qn);
        // Excel stops once the fraction is as good as a double can tell.
        if b - a < 5e-8 || (x - p as f64 / q as f64).abs() < 1e-13 {
            break;
        }
        b = 1.0 / (b - a);
        (p2, p1) = (p1, pn);
        (q2, q1) = (q1, qn);
    }
    (p, q)
}

#[cfg(test)]
mod tests {
    use crate::numfmt::tests::{assert_table, f};

    #[test]
    fn fractions() {
        // Excel's outputs, as collected by the SSF and numfmt projects.
        let cases: &[(&str, f64, &str)] = &[
            ("# ?/?", 1.0, "1    "),
            ("# ?/?", -1.2, "-1 1/5"),
            ("# ?/?", 12.3, "12 1/3"),
            ("# ?/?", 123.45, "123 4/9"),
            ("# ?/?", -123.456, "-123 1/2"),
            ("# ?/?", 1234.567, "1234 4/7"),
            ("# ?/?", 0.3, " 2/7"),
            ("# ?/?", 1.3, "1 1/3"),
            ("# ?/?", 2.3, "2 2/7"),
            ("# ??/??", 1.0, "1      "),
            ("# ??/??", -1.2, "-1  1/5 "),
            ("# ??/??", 12.3, "12  3/10"),
            ("# ??/??", -12.34, "-12 17/50"),
            ("# ??/??", -123.456, "-123 26/57"),
            ("# ??/??", 1234.567, "1234 55/97"),
            ("# ??/??", -1234.5678, "-1234 46/81"),
            ("# ??/??", 12345.6789, "12345 55/81"),
            ("# ???/???", -1.2, "-1   1/5  "),
            ("# ???/???", -123.456, "-123  57/125"),
            ("# ???/???", -1234.5678, "-1234  67/118"),
            ("# ???/???", -12345.67891, "-12345 573/844"),
            ("# ?/2", -1.2, "-1    "),
            ("# ?/2", 12.3, "12 1/2"),
            ("# ?/4", -1.2, "-1 1/4"),
            ("# ?/4", 123.45, "123 2/4"),
            ("# ?/8", -12.34, "-12 3/8"),
            ("# ??/16", -1.2, "-1  3/16"),
            ("# ?/10", 1.0, "1     "),
            ("# ??/100", 1.0, "1       "),
            ("# ??/100", -123.456, "-123 46/100"),
            ("??/??", 1.0, " 1/1 "),
            ("??/??", -1.2, "- 6/5 "),
            ("??/??", 123.45, "2469/20"),
            ("??/??", -1234.5678, "-100000/81"),
            ("# ??/?????????", 0.123251512342345, " 480894/3901729  "),
            ("# ?? / ?????????", 0.123251512342345, " 480894 / 3901729  "),
            ("0/0", 0.0, "0/1"),
            ("0/0", 12.345, "37/3"),
            ("0 0/0", 0.0, "0 0/1"),
            ("0 0/0", 1.0, "1 0/1"),
            ("0 0/0", 12.345, "12 1/3"),
            ("?/?", 0.0, "0/1"),
            ("?/?", 123.0, "123/1"),
            ("? ?/?", 0.0, "0    "),
            ("? ?/?", 123.0, "123    "),
            ("#/#", 0.0, "0/1"),
            ("# #/#", 0.0, "0"),
            ("# #/#", 123.0, "123"),
            ("# #/#", 12.345, "12 1/3"),
        ];
        assert_table(cases);
        // Excel's TEXT results from poi's NumberFormatTests.xlsx, kept
        // here for runs without the corpus.
        let laid_out: &[(&str, f64, &str)] = &[
            ("|#\\:#/#|", 0.75, "|3/4|"),
            ("|#-#-#\\:#/#|", 0.75, "|--3/4|"),
            ("|#\\:?=/=#|", 0.75, "| 3=/=4|"),
            ("|?\\:?0=/=#|", 0.75, "|   3=/=4|"),
            ("|0\\:#=/=#|", 0.75, "|0:3=/=4|"),
            ("|#\\:? ?0#/000", 23.75, "|2:3  03/004"),
            ("|#\\:? ?0#/000", 0.0, "|:0  00/001"),
            ("|#\\:0=/=#|", 0.0, "|0=/=1|"),
            ("|?\\:0=/=#|", 0.0, "|0:0=/=1|"),
            ("|#\\:#=/=0|", 1.0, "|1|"),
            ("|?\\:#=/=#|", 1.0, "|1      |"),
            ("|#\\:0=/=#|", 1.0, "|1:0=/=1|"),
            ("|#_#=/=#|", 3.75, "|15 =/=4|"),
        ];
        assert_table(laid_out);
        assert_eq!(f("1.25", "# ?/8"), "1 2/8");
        assert_eq!(f("0.5", "# ?/?"), " 1/2");
    }
}
