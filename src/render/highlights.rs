//! The highlights a run added to a sheet ([`Highlight`]), evaluated to the
//! look each cell would have in Excel: fill, font colour, bold, and the
//! length of a data bar. Rules are read as Excel reads them: operands and
//! formula rules are Excel formulas relative to the rule range's first
//! cell, comparisons are Excel's (an empty cell is 0 or `""`, text is
//! case-insensitive, an error never matches), and where rules disagree
//! the one added first wins, property by property.

use crate::formula::{
    calc::compare_values, shift_formula, CalcValue, Deadline, Engine, EngineOptions,
};
use crate::model::value::serial_from_date;
use crate::model::visuals::{Comparison, Highlight, HighlightRule};
use crate::model::{CellAddr, RangeAddr, Sheet, Value, Workbook};
use crate::numfmt::format_value_in;
use crate::Error;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// Excel's default colours where a rule names none (as rust_xlsxwriter
/// writes them): data bars, 2- and 3-colour scales.
const DATA_BAR: u32 = 0x638EC6;
const SCALE_2: [u32; 2] = [0xFFEF9C, 0x63BE7B];
const SCALE_3: [u32; 3] = [0xF8696B, 0xFFEB84, 0x63BE7B];

/// How a cell looks under the highlights that match it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CellLook {
    /// Background colour, `RRGGBB`.
    pub fill: Option<u32>,
    /// Text colour, `RRGGBB`.
    pub font: Option<u32>,
    /// Bold text.
    pub bold: bool,
    /// A data bar: its length as a share of the cell's width (0 to 1) and
    /// its colour.
    pub bar: Option<(f64, u32)>,
}

impl CellLook {
    /// The look as a CSS declaration list (`background-color:#FFC7CE;...`),
    /// empty when the cell looks as it is.
    pub fn css(&self) -> String {
        let mut out = String::new();
        if let Some((share, c)) = self.bar {
            let pct = (share * 100.0).clamp(0.0, 100.0);
            out.push_str(&format!(
                "background:linear-gradient(90deg,#{c:06X} {pct:.0}%,transparent {pct:.0}%);"
            ));
        } else if let Some(c) = self.fill {
            out.push_str(&format!("background-color:#{c:06X};"));
        }
        if let Some(c) = self.font {
            out.push_str(&format!("color:#{c:06X};"));
        }
        if self.bold {
            out.push_str("font-weight:bold;");
        }
        out
    }

    fn is_plain(&self) -> bool {
        *self == CellLook::default()
    }
}

/// What evaluating highlights may take.
#[derive(Debug, Clone)]
pub struct LookOptions {
    /// The day `TODAY()` and "older than N days" count from.
    pub today: chrono::NaiveDate,
    /// How long the formulas of all rules together may compute.
    pub time_limit: Duration,
}

impl LookOptions {
    /// Options for `today`, with a time limit of 10 seconds.
    pub fn new(today: chrono::NaiveDate) -> LookOptions {
        LookOptions {
            today,
            time_limit: Duration::from_secs(10),
        }
    }
}

/// The look of every cell of `window` on `sheet` that a highlight of the
/// sheet changes. Rules that compare a cell with the others of their
/// range (duplicates, top N, data bars, colour scales) look at the whole
/// range; formulas are computed only for the cells of `window`, so a
/// preview of a page of rows costs a page of formulas. An error names the
/// rule's range and formula (a formula that does not parse, or the time
/// limit).
pub fn cell_looks(
    wb: &Workbook,
    sheet: &str,
    window: RangeAddr,
    options: &LookOptions,
) -> Result<BTreeMap<CellAddr, CellLook>, Error> {
    let mut looks: BTreeMap<CellAddr, CellLook> = BTreeMap::new();
    let Some(s) = wb.sheet(sheet) else {
        return Ok(looks);
    };
    let mut formulas = Formulas::new(wb, options);
    for h in &s.visuals.highlights {
        let Some(cells) = intersect(h.range, window) else {
            continue;
        };
        let matched = RuleEval::new(wb, s, h, options)?;
        for row in cells.start.row..=cells.end.row {
            for col in cells.start.col..=cells.end.col {
                let at = CellAddr::new(row, col);
                let value = s.value(at);
                let Some(look) = matched.look(at, value, &mut formulas, sheet)? else {
                    continue;
                };
                let cell = looks.entry(at).or_default();
                // The rule added first wins where two set the same thing.
                if cell.fill.is_none() && cell.bar.is_none() {
                    cell.fill = look.fill;
                }
                cell.font = cell.font.or(look.font);
                cell.bold |= look.bold;
                if cell.bar.is_none() {
                    cell.bar = look.bar;
                }
            }
        }
    }
    looks.retain(|_, l| !l.is_plain());
    Ok(looks)
}

fn intersect(a: RangeAddr, b: RangeAddr) -> Option<RangeAddr> {
    let start = CellAddr::new(a.start.row.max(b.start.row), a.start.col.max(b.start.col));
    let end = CellAddr::new(a.end.row.min(b.end.row), a.end.col.min(b.end.col));
    (start.row <= end.row && start.col <= end.col).then_some(RangeAddr { start, end })
}

/// The values of `range` the sheet holds (a whole column stops at the
/// sheet's last row).
fn range_values<'a>(s: &'a Sheet, range: RangeAddr) -> impl Iterator<Item = &'a Value> + 'a {
    let clipped = s.used_range().and_then(|u| intersect(range, u));
    clipped.into_iter().flat_map(move |r| {
        (r.start.row..=r.end.row).flat_map(move |row| {
            (r.start.col..=r.end.col).map(move |col| s.value(CellAddr::new(row, col)))
        })
    })
}

/// The number a rule ranks or scales: numbers and dates only.
fn number_of(wb: &Workbook, v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(n.to_f64()),
        Value::Date(d) => Some(wb.date_system.number_of(d)),
        _ => None,
    }
}

/// Formula rules and operands, computed by one engine over a copy of the
/// workbook made when the first formula needs it.
struct Formulas<'a> {
    wb: &'a Workbook,
    options: &'a LookOptions,
    engine: Option<Engine>,
}

impl<'a> Formulas<'a> {
    fn new(wb: &'a Workbook, options: &'a LookOptions) -> Formulas<'a> {
        Formulas {
            wb,
            options,
            engine: None,
        }
    }

    /// `formula` (relative to `first`) computed for the cell `at` of
    /// `sheet`: a single value (the first of an array or range).
    fn value(
        &mut self,
        sheet: &str,
        first: CellAddr,
        at: CellAddr,
        formula: &str,
    ) -> Result<Value, Error> {
        if let Some(v) = constant(formula) {
            return Ok(v);
        }
        let moved = shift_formula(
            formula,
            i64::from(at.row) - i64::from(first.row),
            i64::from(at.col) - i64::from(first.col),
        );
        let options = self.options;
        let wb = self.wb;
        let engine = self.engine.get_or_insert_with(|| {
            Engine::new(
                wb.clone(),
                EngineOptions {
                    now: options.today.and_hms_opt(0, 0, 0),
                    deadline: Some(Deadline::after(options.time_limit)),
                    threads: Some(1),
                },
            )
        });
        let result = engine.eval_at(sheet, at, &moved)?;
        Ok(match result {
            CalcValue::Value(v) => v,
            CalcValue::Array(a) => a.get(0, 0).clone(),
            CalcValue::Ref(area) => engine
                .workbook()
                .sheets
                .get(area.sheet)
                .map(|s| s.value(area.range.start).clone())
                .unwrap_or_default(),
            CalcValue::Refs(_) | CalcValue::Lambda(_) => {
                Value::Error(crate::model::ErrorKind::Value)
            }
        })
    }
}

/// A plain number or quoted text operand, which needs no engine.
fn constant(formula: &str) -> Option<Value> {
    let t = formula.trim().trim_start_matches('=').trim();
    if let Ok(d) = t.parse::<rust_decimal::Decimal>() {
        return Some(Value::Number(d.into()));
    }
    let inner = t.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.replace("\"\"", "").contains('"')).then(|| Value::text(inner.replace("\"\"", "\"")))
}

/// Whether a formula rule's result highlights: TRUE or a number other
/// than 0 (Excel's rule); text, empty and errors do not.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => !n.is_zero(),
        Value::Date(d) => d.serial != 0.0,
        _ => false,
    }
}

/// One highlight, with what its rule needs from its whole range worked
/// out once.
struct RuleEval<'a> {
    wb: &'a Workbook,
    h: &'a Highlight,
    /// Duplicates / unique: how often each value occurs.
    counts: HashMap<Key, usize>,
    /// Top / bottom: the value a cell must reach.
    threshold: Option<f64>,
    /// Data bars and colour scales: the lowest and highest number.
    span: Option<(f64, f64)>,
    /// The 1900-system serial of today.
    today: f64,
}

/// A value as duplicates count it: text case-insensitively.
#[derive(Hash, PartialEq, Eq)]
enum Key {
    Number(u64),
    Text(String),
    Bool(bool),
}

fn key(wb: &Workbook, v: &Value) -> Option<Key> {
    match v {
        Value::Number(_) | Value::Date(_) => {
            number_of(wb, v).map(|f| Key::Number((f + 0.0).to_bits()))
        }
        Value::Text(t) => Some(Key::Text(t.to_lowercase())),
        Value::Bool(b) => Some(Key::Bool(*b)),
        Value::Empty | Value::Error(_) => None,
    }
}

impl<'a> RuleEval<'a> {
    fn new(
        wb: &'a Workbook,
        s: &'a Sheet,
        h: &'a Highlight,
        options: &LookOptions,
    ) -> Result<RuleEval<'a>, Error> {
        let mut eval = RuleEval {
            wb,
            h,
            counts: HashMap::new(),
            threshold: None,
            span: None,
            today: serial_from_date(options.today) as f64,
        };
        match &h.rule {
            HighlightRule::Duplicates | HighlightRule::Unique => {
                for v in range_values(s, h.range) {
                    if let Some(k) = key(wb, v) {
                        *eval.counts.entry(k).or_default() += 1;
                    }
                }
            }
            HighlightRule::Top {
                highest,
                count,
                percent,
            } => {
                let mut numbers: Vec<f64> = range_values(s, h.range)
                    .filter_map(|v| number_of(wb, v))
                    .collect();
                if !numbers.is_empty() {
                    numbers.sort_by(|a, b| {
                        if *highest {
                            b.total_cmp(a)
                        } else {
                            a.total_cmp(b)
                        }
                    });
                    let n = if *percent {
                        (numbers.len() * usize::from(*count) / 100).max(1)
                    } else {
                        usize::from(*count)
                    };
                    eval.threshold = Some(numbers[n.min(numbers.len()) - 1]);
                }
            }
            HighlightRule::DataBar | HighlightRule::ColorScale(_) => {
                eval.span = range_values(s, h.range)
                    .filter_map(|v| number_of(wb, v))
                    .fold(None, |acc, x| match acc {
                        None => Some((x, x)),
                        Some((lo, hi)) => Some((f64::min(lo, x), f64::max(hi, x))),
                    });
            }
            _ => {}
        }
        Ok(eval)
    }

    /// How the cell `at` holding `value` looks under this rule, `None`
    /// when the rule does not pick it.
    fn look(
        &self,
        at: CellAddr,
        value: &Value,
        formulas: &mut Formulas,
        sheet: &str,
    ) -> Result<Option<CellLook>, Error> {
        let style = &self.h.style;
        let styled = CellLook {
            fill: style.fill,
            font: style.font,
            bold: style.bold,
            bar: None,
        };
        let first = self.h.range.start;
        let named = |e: Error| -> Error {
            Error::Usage(format!(
                "highlight on {sheet}!{}: {e}",
                self.h.range.to_a1()
            ))
        };
        let picked = match &self.h.rule {
            HighlightRule::Cell(op, operand) => {
                let other = formulas.value(sheet, first, at, operand).map_err(named)?;
                compares(value, &other, *op)
            }
            HighlightRule::Between(a, b, inside) => {
                let a = formulas.value(sheet, first, at, a).map_err(named)?;
                let b = formulas.value(sheet, first, at, b).map_err(named)?;
                let (lo, hi) = if compare_values(&a, &b) == Ordering::Greater {
                    (b, a)
                } else {
                    (a, b)
                };
                let within = compares(value, &lo, Comparison::GreaterOrEqual)
                    && compares(value, &hi, Comparison::LessOrEqual);
                match value {
                    Value::Error(_) => false,
                    _ if matches!(lo, Value::Error(_)) || matches!(hi, Value::Error(_)) => false,
                    _ => within == *inside,
                }
            }
            HighlightRule::Contains(text) => {
                let shown = match value {
                    Value::Error(_) => None,
                    Value::Text(t) => Some(t.to_string()),
                    other => Some(format_value_in(other, "", self.wb.date_system)),
                };
                shown.is_some_and(|s| s.to_lowercase().contains(&text.to_lowercase()))
            }
            HighlightRule::OlderThanDays(days) => {
                let serial = match value {
                    Value::Date(d) => Some(d.serial),
                    Value::Number(n) => self.wb.date_system.serial_of(n.to_f64()),
                    _ => None,
                };
                serial.is_some_and(|s| s < self.today - f64::from(*days))
            }
            HighlightRule::Duplicates | HighlightRule::Unique => {
                let n = key(self.wb, value)
                    .and_then(|k| self.counts.get(&k))
                    .copied()
                    .unwrap_or(0);
                match self.h.rule {
                    HighlightRule::Duplicates => n > 1,
                    _ => n == 1,
                }
            }
            HighlightRule::Top { highest, .. } => match (number_of(self.wb, value), self.threshold)
            {
                (Some(v), Some(t)) => {
                    if *highest {
                        v >= t
                    } else {
                        v <= t
                    }
                }
                _ => false,
            },
            HighlightRule::Formula(text) => {
                let v = formulas.value(sheet, first, at, text).map_err(named)?;
                truthy(&v)
            }
            HighlightRule::DataBar => {
                let (Some(v), Some((lo, hi))) = (number_of(self.wb, value), self.span) else {
                    return Ok(None);
                };
                // Bars start at 0 when every value is positive, as Excel's
                // automatic minimum does.
                let lo = lo.min(0.0);
                let share = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
                return Ok(Some(CellLook {
                    bar: Some((share.clamp(0.0, 1.0), style.fill.unwrap_or(DATA_BAR))),
                    ..CellLook::default()
                }));
            }
            HighlightRule::ColorScale(points) => {
                let (Some(v), Some((lo, hi))) = (number_of(self.wb, value), self.span) else {
                    return Ok(None);
                };
                let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
                let colors: Vec<u32> = match (points, style.scale.len()) {
                    (2, n) if n >= 2 => style.scale[..2].to_vec(),
                    (2, _) => SCALE_2.to_vec(),
                    (_, n) if n >= 3 => style.scale[..3].to_vec(),
                    _ => SCALE_3.to_vec(),
                };
                return Ok(Some(CellLook {
                    fill: Some(scale_color(&colors, t)),
                    ..CellLook::default()
                }));
            }
        };
        Ok(picked.then_some(styled))
    }
}

/// Excel's comparison of a cell with an operand; an error on either side
/// never matches.
fn compares(value: &Value, operand: &Value, op: Comparison) -> bool {
    if matches!(value, Value::Error(_)) || matches!(operand, Value::Error(_)) {
        return false;
    }
    let o = compare_values(value, operand);
    match op {
        Comparison::Greater => o == Ordering::Greater,
        Comparison::GreaterOrEqual => o != Ordering::Less,
        Comparison::Less => o == Ordering::Less,
        Comparison::LessOrEqual => o != Ordering::Greater,
        Comparison::Equal => o == Ordering::Equal,
        Comparison::NotEqual => o != Ordering::Equal,
    }
}

/// The colour at `t` (0 to 1) along a scale of two or three colours.
fn scale_color(colors: &[u32], t: f64) -> u32 {
    let t = t.clamp(0.0, 1.0);
    let (a, b, t) = match colors {
        [low, high] => (*low, *high, t),
        [low, mid, _] if t <= 0.5 => (*low, *mid, t * 2.0),
        [_, mid, high] => (*mid, *high, (t - 0.5) * 2.0),
        _ => return colors.first().copied().unwrap_or(0xFFFFFF),
    };
    let channel = |shift: u32| -> u32 {
        let (x, y) = (
            f64::from((a >> shift) & 0xFF),
            f64::from((b >> shift) & 0xFF),
        );
        ((x + (y - x) * t).round() as u32) << shift
    };
    channel(16) | channel(8) | channel(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::visuals::HighlightStyle;
    use crate::model::{DateValue, ErrorKind};
    use chrono::NaiveDate;

    const RED_FILL: u32 = 0xFFC7CE;
    const RED_TEXT: u32 = 0x9C0006;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn red() -> HighlightStyle {
        HighlightStyle {
            fill: Some(RED_FILL),
            font: Some(RED_TEXT),
            ..HighlightStyle::default()
        }
    }

    /// Invoices: number in A, due date in B, amount in C, customer in D.
    fn invoices() -> Workbook {
        let mut wb = Workbook::new();
        wb.add_sheet("Invoices").unwrap();
        let s = wb.sheet_mut("Invoices").unwrap();
        let rows = [
            ("INV-1", day(2026, 11, 20), 120.0, "Acme"),
            ("INV-2", day(2026, 8, 1), 80.0, "Beta"),
            ("INV-3", day(2026, 9, 5), 0.0, "acme"),
            ("INV-4", day(2026, 9, 6), -15.5, "Gamma Bank"),
        ];
        for (c, h) in ["Invoice", "Due", "Amount", "Customer"].iter().enumerate() {
            s.set_value(CellAddr::new(0, c as u32), Value::text(*h));
        }
        for (i, (n, due, amount, who)) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            s.set_value(CellAddr::new(r, 0), Value::text(*n));
            s.set_value(CellAddr::new(r, 1), Value::Date(DateValue::from_date(*due)));
            s.set_value(CellAddr::new(r, 2), Value::from_f64(*amount));
            s.set_value(CellAddr::new(r, 3), Value::text(*who));
        }
        wb
    }

    fn add(wb: &mut Workbook, range: &str, rule: HighlightRule, style: HighlightStyle) {
        wb.sheet_mut("Invoices")
            .unwrap()
            .visuals
            .highlights
            .push(Highlight {
                range: RangeAddr::parse(range).unwrap(),
                rule,
                style,
            });
    }

    fn looks(wb: &Workbook) -> BTreeMap<CellAddr, CellLook> {
        let window = RangeAddr::parse("A1:Z100").unwrap();
        cell_looks(wb, "Invoices", window, &LookOptions::new(day(2026, 12, 5))).unwrap()
    }

    /// The cells of the invoices that `rule` over `range` picks.
    fn picks(range: &str, rule: HighlightRule) -> Vec<String> {
        let mut wb = invoices();
        add(&mut wb, range, rule, red());
        picked(&wb)
    }

    fn picked(wb: &Workbook) -> Vec<String> {
        looks(wb).keys().map(|a| a.to_a1()).collect()
    }

    #[test]
    fn a_due_date_over_90_days_ago_gets_the_red_fill() {
        let mut wb = invoices();
        add(&mut wb, "B2:B5", HighlightRule::OlderThanDays(90), red());
        let l = looks(&wb);
        // 2026-12-05 less 90 days is 2026-09-06: only 1 August and 5 September are older.
        assert_eq!(
            l.keys().map(|a| a.to_a1()).collect::<Vec<_>>(),
            ["B3", "B4"]
        );
        assert_eq!(
            l[&CellAddr::new(2, 1)].css(),
            "background-color:#FFC7CE;color:#9C0006;"
        );
    }

    #[test]
    fn cell_value_rules_compare_as_excel_does() {
        assert_eq!(
            picks(
                "C2:C5",
                HighlightRule::Cell(Comparison::Greater, "90".into())
            ),
            ["C2"]
        );
        assert_eq!(
            picks("C2:C5", HighlightRule::Cell(Comparison::Less, "0".into())),
            ["C5"]
        );
        // Text compares case-insensitively; an operand can be a cell.
        assert_eq!(
            picks(
                "D2:D5",
                HighlightRule::Cell(Comparison::Equal, "\"ACME\"".into())
            ),
            ["D2", "D4"]
        );
        assert_eq!(
            picks(
                "C2:C5",
                HighlightRule::Cell(Comparison::GreaterOrEqual, "$C$3".into())
            ),
            ["C2", "C3"]
        );
        // Between takes its bounds in either order; an error never matches.
        let mut wb = invoices();
        wb.sheet_mut("Invoices")
            .unwrap()
            .set_value(CellAddr::new(2, 2), Value::Error(ErrorKind::NA));
        add(
            &mut wb,
            "C2:C5",
            HighlightRule::Between("100".into(), "-20".into(), true),
            red(),
        );
        assert_eq!(picked(&wb), ["C4", "C5"]);
    }

    #[test]
    fn text_duplicates_and_top_rules_look_at_the_whole_range() {
        assert_eq!(
            picks("D2:D5", HighlightRule::Contains("bank".into())),
            ["D5"]
        );
        assert_eq!(picks("D2:D5", HighlightRule::Duplicates), ["D2", "D4"]);
        assert_eq!(picks("D2:D5", HighlightRule::Unique), ["D3", "D5"]);
        assert_eq!(
            picks(
                "C2:C5",
                HighlightRule::Top {
                    highest: true,
                    count: 2,
                    percent: false,
                }
            ),
            ["C2", "C3"]
        );
        assert_eq!(
            picks(
                "C2:C5",
                HighlightRule::Top {
                    highest: false,
                    count: 25,
                    percent: true,
                }
            ),
            ["C5"]
        );
        // The rule sees the whole range even when the window shows part of it.
        let mut wb = invoices();
        let lowest = HighlightRule::Top {
            highest: false,
            count: 25,
            percent: true,
        };
        add(&mut wb, "C2:C5", lowest, red());
        let window = RangeAddr::parse("A4:D5").unwrap();
        let l = cell_looks(&wb, "Invoices", window, &LookOptions::new(day(2026, 12, 5))).unwrap();
        assert_eq!(l.keys().map(|a| a.to_a1()).collect::<Vec<_>>(), ["C5"]);
    }

    #[test]
    fn formula_rules_move_with_the_cell_and_use_today() {
        let mut wb = invoices();
        // Whole rows of overdue invoices with an amount, as a script writes it.
        add(
            &mut wb,
            "A2:D5",
            HighlightRule::Formula("=AND($B2<TODAY()-90,$C2>0)".into()),
            red(),
        );
        assert_eq!(picked(&wb), ["A3", "B3", "C3", "D3"]);
        assert_eq!(
            picks("A2:A5", HighlightRule::Formula("=MOD(ROW(),2)=0".into())),
            ["A2", "A4"]
        );
        let mut wb = invoices();
        add(
            &mut wb,
            "A2:A5",
            HighlightRule::Formula("=SUM(".into()),
            red(),
        );
        let err = cell_looks(
            &wb,
            "Invoices",
            RangeAddr::parse("A1:D5").unwrap(),
            &LookOptions::new(day(2026, 12, 5)),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("Invoices!A2:A5"), "{err}");
    }

    #[test]
    fn data_bars_and_colour_scales_run_from_lowest_to_highest() {
        let mut wb = invoices();
        add(
            &mut wb,
            "C2:C5",
            HighlightRule::DataBar,
            HighlightStyle::default(),
        );
        let l = looks(&wb);
        let bar = |r: u32| l[&CellAddr::new(r, 2)].bar.unwrap();
        assert_eq!(bar(1), (1.0, DATA_BAR));
        assert_eq!(bar(4), (0.0, DATA_BAR));
        assert!((bar(2).0 - 95.5 / 135.5).abs() < 1e-9);
        let mut wb = invoices();
        let style = HighlightStyle {
            scale: vec![0xFF0000, 0x00FF00],
            ..HighlightStyle::default()
        };
        add(&mut wb, "C2:C5", HighlightRule::ColorScale(2), style);
        let l = looks(&wb);
        assert_eq!(l[&CellAddr::new(1, 2)].fill, Some(0x00FF00));
        assert_eq!(l[&CellAddr::new(4, 2)].fill, Some(0xFF0000));
        let mut wb = invoices();
        add(
            &mut wb,
            "C2:C5",
            HighlightRule::ColorScale(3),
            HighlightStyle::default(),
        );
        assert_eq!(looks(&wb)[&CellAddr::new(4, 2)].fill, Some(SCALE_3[0]));
    }

    #[test]
    fn the_rule_added_first_wins_where_two_set_the_same_thing() {
        let mut wb = invoices();
        add(
            &mut wb,
            "C2:C5",
            HighlightRule::Cell(Comparison::Greater, "90".into()),
            red(),
        );
        let bold_green = HighlightStyle {
            fill: Some(0xC6EFCE),
            bold: true,
            ..HighlightStyle::default()
        };
        add(
            &mut wb,
            "C2:C5",
            HighlightRule::Cell(Comparison::Greater, "50".into()),
            bold_green,
        );
        let l = looks(&wb);
        assert_eq!(
            l[&CellAddr::new(1, 2)].css(),
            "background-color:#FFC7CE;color:#9C0006;font-weight:bold;"
        );
        assert_eq!(
            l[&CellAddr::new(2, 2)].css(),
            "background-color:#C6EFCE;font-weight:bold;"
        );
    }
}
