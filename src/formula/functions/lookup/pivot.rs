//! GETPIVOTDATA: a value a pivot table shows, computed from the records of
//! its pivot cache as Excel computes it when it refreshes the table. Only
//! xlsx files carry pivot tables into the model; elsewhere there is no
//! pivot table to find and the answer is `#REF!`, as in Excel.

use super::*;
use crate::formula::ast::Expr as Ast;
use crate::formula::functions::util::{average, product_of, stdev, sum_of, tidy, variance};
use crate::formula::parser::quoted_run;
use crate::model::pivot::{FieldSource, PivotTable, PivotValue, ShownAs, Summary};
use crate::model::DateSystem;

/// `GETPIVOTDATA(data_field, pivot_table, [field1, item1], ...)`.
pub(super) fn getpivotdata(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let data_field = ctx.text(&args[0])?;
    let area = ctx.reference(&args[1]).map_err(|_| ErrorKind::Ref)?;
    if !args.len().is_multiple_of(2) {
        return Err(ErrorKind::Ref);
    }
    let mut pairs = Vec::with_capacity(args.len() / 2 - 1);
    for pair in args[2..].chunks(2) {
        let field = ctx.text(&pair[0])?;
        // `{"Mar","Apr"}` names several items of one field.
        let items = match ctx.eval(&pair[1]) {
            CalcValue::Array(a) => a.values,
            other => vec![ctx.to_scalar(other)],
        };
        if let Some(Value::Error(k)) = items.iter().find(|v| matches!(v, Value::Error(_))) {
            return Err(*k);
        }
        pairs.push((field, items));
    }
    let system = ctx.date_system();
    let book = ctx.workbook();
    let sheet = &book.sheets.get(area.sheet).ok_or(ErrorKind::Ref)?.name;
    // A range over several pivot tables means the one made last; the
    // file keeps no creation order, so the last one read stands for it.
    let pivot = book
        .pivot_tables
        .iter()
        .rev()
        .find(|p| &p.sheet == sheet && p.range.intersects(&area.range))
        .ok_or(ErrorKind::Ref)?;
    match pivot_value(pivot, &data_field, &pairs, system)? {
        Shown::Value(v) => Ok(CalcValue::Value(v)),
        Shown::Formula(text) => {
            let expr = crate::formula::parser::parse(&text).map_err(|_| ErrorKind::Ref)?;
            match ctx.scalar(&expr) {
                Value::Error(k) => Err(k),
                v => Ok(CalcValue::Value(v)),
            }
        }
    }
}

/// What a pivot table shows for a request: a value, or a calculated
/// field's formula with the sums it reads written in, still to compute.
#[derive(Debug, PartialEq)]
enum Shown {
    Value(Value),
    Formula(String),
}

/// The value `pivot` shows for data field `data_field` at the items
/// `pairs` name (`(field, items)`: several items of a field are taken
/// together); `#REF!` when it shows none there.
fn pivot_value(
    pivot: &PivotTable,
    data_field: &str,
    pairs: &[(String, Vec<Value>)],
    system: DateSystem,
) -> Result<Shown, ErrorKind> {
    if pivot.not_computed.is_some() {
        return Err(ErrorKind::Ref);
    }
    let cache = &pivot.cache;
    let wanted = data_field.trim();
    let data = pivot
        .data_fields
        .iter()
        .find(|d| same_text(&d.name, wanted))
        .or_else(|| {
            pivot
                .data_fields
                .iter()
                .find(|d| same_text(&cache.fields[d.field].name, wanted))
        })
        .ok_or(ErrorKind::Ref)?;
    if matches!(data.shown_as, ShownAs::Other(_)) {
        return Err(ErrorKind::Ref);
    }
    // Each pair as (cache field, item indices).
    let mut chosen: Vec<(usize, Vec<u32>)> = Vec::with_capacity(pairs.len());
    for (name, wanted_items) in pairs {
        let field = (0..cache.fields.len())
            .find(|&f| same_text(&pivot.captions[f], name))
            .or_else(|| (0..cache.fields.len()).find(|&f| same_text(&cache.fields[f].name, name)))
            .ok_or(ErrorKind::Ref)?;
        if chosen.iter().any(|c| c.0 == field) {
            return Err(ErrorKind::Ref);
        }
        let items = &cache.fields[field].items;
        let mut indices = Vec::with_capacity(wanted_items.len());
        for item in wanted_items {
            let index = items
                .iter()
                .position(|i| item_matches(i, item, system))
                .ok_or(ErrorKind::Ref)? as u32;
            if pivot.is_hidden(field, index) {
                return Err(ErrorKind::Ref);
            }
            indices.push(index);
        }
        if pivot.page_fields.contains(&field) {
            // A report filter's item is shown only while it is the one
            // item the filter lets through.
            if pivot.hidden[field].len() + 1 != items.len() {
                return Err(ErrorKind::Ref);
            }
        } else if !pivot.row_fields.contains(&field) && !pivot.col_fields.contains(&field) {
            return Err(ErrorKind::Ref);
        }
        chosen.push((field, indices));
    }
    let named = |fields: &[usize]| -> Vec<bool> {
        fields
            .iter()
            .map(|f| chosen.iter().any(|c| c.0 == *f))
            .collect()
    };
    shown_on_axis(
        pivot,
        &pivot.row_fields,
        &named(&pivot.row_fields),
        pivot.col_grand_totals,
    )?;
    shown_on_axis(
        pivot,
        &pivot.col_fields,
        &named(&pivot.col_fields),
        pivot.row_grand_totals,
    )?;
    let matches = |record: usize, fields: &[usize]| {
        chosen
            .iter()
            .filter(|c| fields.contains(&c.0))
            .all(|(field, indices)| match cache.value(record, *field) {
                Some((Some(i), _)) => indices.contains(&i),
                Some((None, v)) => indices
                    .iter()
                    .any(|&i| cache.fields[*field].items.get(i as usize) == Some(v)),
                None => false,
            })
    };
    let shown: Vec<usize> = (0..cache.records.len())
        .filter(|&r| pivot.shows_record(r) && matches(r, &pivot.page_fields))
        .collect();
    // The row and the column the pair names must both be in the layout;
    // where they cross with no record the cell is blank.
    for axis in [&pivot.row_fields, &pivot.col_fields] {
        if !shown.iter().any(|&r| matches(r, axis)) {
            return Err(ErrorKind::Ref);
        }
    }
    let in_row: Vec<usize> = shown
        .iter()
        .copied()
        .filter(|&r| matches(r, &pivot.row_fields))
        .collect();
    let in_column: Vec<usize> = shown
        .iter()
        .copied()
        .filter(|&r| matches(r, &pivot.col_fields))
        .collect();
    let records: Vec<usize> = in_row
        .iter()
        .copied()
        .filter(|&r| matches(r, &pivot.col_fields))
        .collect();
    if records.is_empty() {
        return Ok(Shown::Value(Value::Empty));
    }
    let summary = |records: &[usize]| summarise(pivot, data.field, data.summary, records, system);
    match &cache.fields[data.field].source {
        FieldSource::Formula(formula) if data.shown_as == ShownAs::Normal => {
            calculated(pivot, formula, &records, system).map(Shown::Formula)
        }
        FieldSource::Formula(_) | FieldSource::Unsupported(_) => Err(ErrorKind::Ref),
        _ => {
            let value = summary(&records)?;
            let ratio = |shown: Value, whole: Value| -> Result<Value, ErrorKind> {
                let (Value::Number(part), Value::Number(whole)) = (shown, whole) else {
                    return Err(ErrorKind::Value);
                };
                if whole.is_zero() {
                    return Err(ErrorKind::Div0);
                }
                Ok(Value::Number(tidy(Number::from_f64(
                    part.to_f64() / whole.to_f64(),
                ))))
            };
            match data.shown_as {
                ShownAs::Normal => Ok(value),
                ShownAs::PercentOfTotal => ratio(value, summary(&shown)?),
                ShownAs::PercentOfRow => ratio(value, summary(&in_row)?),
                ShownAs::PercentOfColumn => ratio(value, summary(&in_column)?),
                ShownAs::Index => {
                    let (Value::Number(row), Value::Number(column)) =
                        (summary(&in_row)?, summary(&in_column)?)
                    else {
                        return Err(ErrorKind::Value);
                    };
                    let scaled = match (value, summary(&shown)?) {
                        (Value::Number(v), Value::Number(g)) => v.to_f64() * g.to_f64(),
                        _ => return Err(ErrorKind::Value),
                    };
                    ratio(
                        Value::Number(Number::from_f64(scaled)),
                        Value::Number(Number::from_f64(row.to_f64() * column.to_f64())),
                    )
                }
                ShownAs::Other(_) => Err(ErrorKind::Ref),
            }
            .map(Shown::Value)
        }
    }
}

/// Whether an axis shows the line that names its `fields` where `named`
/// says: the outermost ones must be named (an inner item alone is under
/// several outer ones); a partial line is a subtotal, shown when the last
/// named field has subtotals on; none named is the grand total.
fn shown_on_axis(
    pivot: &PivotTable,
    fields: &[usize],
    named: &[bool],
    grand_total: bool,
) -> Result<(), ErrorKind> {
    let given = named.iter().filter(|n| **n).count();
    if given == fields.len() {
        return Ok(());
    }
    let outer_named = named[..given].iter().all(|n| *n);
    let shown = if given == 0 {
        grand_total
    } else {
        pivot.subtotals[fields[given - 1]]
    };
    if outer_named && shown {
        Ok(())
    } else {
        Err(ErrorKind::Ref)
    }
}

/// Text equal ignoring case and surrounding blanks, as Excel matches
/// field and item names.
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
}

/// Whether a cache item is the item a GETPIVOTDATA argument names: text
/// by its words (numbers and dates by their value, as Excel asks them to
/// be given, or by their digits), TRUE/FALSE, `(blank)` for a blank.
fn item_matches(item: &PivotValue, wanted: &Value, system: DateSystem) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    match (item, wanted) {
        (PivotValue::Text(t), Value::Text(w)) => same_text(t, w),
        (PivotValue::Text(t), Value::Number(n)) => same_text(t, &n.to_string()),
        (PivotValue::Number(n), Value::Number(w)) => n == w,
        (PivotValue::Number(n), Value::Text(w)) => {
            w.trim().parse::<f64>().is_ok_and(|w| close(n.to_f64(), w))
        }
        (PivotValue::Number(n), Value::Date(d)) => close(n.to_f64(), system.number_of(d)),
        (PivotValue::Date(d), Value::Date(w)) => close(*d, w.serial),
        (PivotValue::Date(d), Value::Number(w)) => {
            system.serial_of(w.to_f64()).is_some_and(|w| close(*d, w))
        }
        (PivotValue::Bool(b), Value::Bool(w)) => b == w,
        (PivotValue::Bool(b), Value::Text(w)) => same_text(if *b { "TRUE" } else { "FALSE" }, w),
        (PivotValue::Missing, Value::Text(w)) => same_text("(blank)", w),
        _ => false,
    }
}

/// The data field's summary of `field` over `records`.
fn summarise(
    pivot: &PivotTable,
    field: usize,
    summary: Summary,
    records: &[usize],
    system: DateSystem,
) -> Result<Value, ErrorKind> {
    let mut numbers = Vec::new();
    let mut count = 0usize;
    let mut error = None;
    for &r in records {
        let (_, v) = pivot.cache.value(r, field).ok_or(ErrorKind::Ref)?;
        match v {
            PivotValue::Missing => continue,
            PivotValue::Number(n) => numbers.push(*n),
            PivotValue::Date(d) => numbers.push(Number::from_f64(
                system.number_from_serial(*d).unwrap_or(*d),
            )),
            PivotValue::Error(k) => {
                error.get_or_insert(*k);
            }
            PivotValue::Text(_) | PivotValue::Bool(_) => {}
        }
        count += 1;
    }
    if summary == Summary::Count {
        return Ok(Value::Number(Number::from_i64(count as i64)));
    }
    if let Some(k) = error {
        return Err(k);
    }
    let extreme = |max: bool| {
        numbers
            .iter()
            .copied()
            .reduce(|a, b| if (b > a) == max { b } else { a })
            .unwrap_or(Number::ZERO)
    };
    let n = match summary {
        Summary::Sum => sum_of(&numbers),
        Summary::Count => unreachable!("counted above"),
        Summary::CountNums => Number::from_i64(numbers.len() as i64),
        Summary::Average => average(&numbers)?,
        Summary::Max => extreme(true),
        Summary::Min => extreme(false),
        Summary::Product if numbers.is_empty() => Number::ZERO,
        Summary::Product => product_of(&numbers),
        Summary::StdDev => stdev(&numbers, true)?,
        Summary::StdDevP => stdev(&numbers, false)?,
        Summary::Var => variance(&numbers, true)?,
        Summary::VarP => variance(&numbers, false)?,
    };
    Ok(Value::Number(tidy(n)))
}

/// A calculated field's formula with each field it names replaced by the
/// field's sum over `records` (Excel computes calculated fields from the
/// sums of the fields, whatever the data field's summary).
fn calculated(
    pivot: &PivotTable,
    formula: &str,
    records: &[usize],
    system: DateSystem,
) -> Result<String, ErrorKind> {
    let fields = &pivot.cache.fields;
    let sum_of_field = |name: &str| -> Result<Option<String>, ErrorKind> {
        let Some(f) = fields.iter().position(|f| same_text(&f.name, name)) else {
            return Ok(None);
        };
        match summarise(pivot, f, Summary::Sum, records, system)? {
            Value::Number(n) => Ok(Some(format!("({n})"))),
            _ => Err(ErrorKind::Ref),
        }
    };
    let chars: Vec<char> = formula.trim_start_matches('=').chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            // A text literal, copied whole.
            let start = i;
            i = quoted_run(&chars, i).1;
            out.extend(&chars[start..i]);
        } else if c == '\'' {
            let name;
            (name, i) = quoted_run(&chars, i);
            out.push_str(&sum_of_field(&name)?.ok_or(ErrorKind::Ref)?);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.')) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let is_call = chars[i..].iter().find(|c| !c.is_whitespace()) == Some(&'(');
            match (is_call, sum_of_field(&word)?) {
                (false, Some(sum)) => out.push_str(&sum),
                _ => out.push_str(&word),
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::testing::{eval_in, workbook_with};
    use crate::model::pivot::{CacheCell, CacheField, PivotCache, PivotDataField};
    use crate::model::{RangeAddr, Workbook};
    use std::sync::Arc;

    fn text(s: &str) -> PivotValue {
        PivotValue::Text(s.to_string())
    }

    fn n(v: f64) -> PivotValue {
        PivotValue::Number(Number::from_f64(v))
    }

    /// Sales by Region (rows) and Quarter (columns), a Month report
    /// filter, a calculated field Double = Amount*2:
    ///
    /// | Region | Quarter | Month    | Amount |
    /// | North  | Q1      | 2024-01  | 10     |
    /// | North  | Q2      | 2024-04  | 20     |
    /// | South  | Q1      | 2024-01  | 5      |
    /// | South  | Q1      | 2024-02  | 7.5    |
    /// | East   | Q2      | 2024-05  | 100    | (East hidden)
    fn sales_pivot() -> PivotTable {
        let cache = PivotCache {
            calculated_items: false,
            fields: vec![
                CacheField {
                    name: "Region".into(),
                    items: vec![text("North"), text("South"), text("East")],
                    source: FieldSource::Records(0),
                },
                CacheField {
                    name: "Quarter".into(),
                    items: vec![text("Q1"), text("Q2")],
                    source: FieldSource::Records(1),
                },
                CacheField {
                    name: "Month".into(),
                    items: vec![
                        PivotValue::Date(45292.0),
                        PivotValue::Date(45323.0),
                        PivotValue::Date(45383.0),
                        PivotValue::Date(45413.0),
                    ],
                    source: FieldSource::Records(2),
                },
                CacheField {
                    name: "Amount".into(),
                    items: Vec::new(),
                    source: FieldSource::Records(3),
                },
                CacheField {
                    name: "Double".into(),
                    items: Vec::new(),
                    source: FieldSource::Formula("= Amount * 2".into()),
                },
            ],
            records: [
                (0, 0, 0, 10.0),
                (0, 1, 2, 20.0),
                (1, 0, 0, 5.0),
                (1, 0, 1, 7.5),
                (2, 1, 3, 100.0),
            ]
            .iter()
            .map(|&(r, q, m, a)| {
                vec![
                    CacheCell::Shared(r),
                    CacheCell::Shared(q),
                    CacheCell::Shared(m),
                    CacheCell::Inline(n(a)),
                ]
            })
            .collect(),
        };
        let data = |name: &str, field, summary| PivotDataField {
            name: name.into(),
            field,
            summary,
            shown_as: ShownAs::Normal,
        };
        PivotTable {
            name: "Sales".into(),
            sheet: "Sheet1".into(),
            range: RangeAddr::parse("D3:H8").unwrap(),
            cache: Arc::new(cache),
            captions: ["Region", "Quarter", "Month", "Amount", "Double"]
                .map(String::from)
                .to_vec(),
            row_fields: vec![0],
            col_fields: vec![1],
            page_fields: vec![2],
            hidden: vec![vec![2], vec![], vec![], vec![], vec![]],
            subtotals: vec![true; 5],
            data_fields: vec![
                data("Sum of Amount", 3, Summary::Sum),
                data("Count of Amount", 3, Summary::Count),
                data("Max of Amount", 3, Summary::Max),
                data("Average of Amount", 3, Summary::Average),
                data("StdDev of Amount", 3, Summary::StdDev),
                data("Sum of Double", 4, Summary::Sum),
            ],
            row_grand_totals: true,
            col_grand_totals: true,
            not_computed: None,
        }
    }

    fn book(pivot: PivotTable) -> Workbook {
        let mut wb = workbook_with(&[("A1", "North"), ("A2", "Q1")]);
        wb.pivot_tables.push(pivot);
        wb
    }

    fn eval(pivot: PivotTable, formula: &str) -> Value {
        eval_in(book(pivot), "Sheet1", formula)
    }

    fn number(v: &Value) -> f64 {
        v.as_number().map(|n| n.to_f64()).unwrap_or(f64::NAN)
    }

    #[test]
    fn totals_and_items_from_the_records() {
        let cases = [
            // Grand total: East is hidden, so 10+20+5+7.5.
            ("=GETPIVOTDATA(\"Sum of Amount\",D3)", 42.5),
            // The source field's name and any case name the data field.
            ("=GETPIVOTDATA(\"amount\",E5)", 42.5),
            (
                "=GETPIVOTDATA(\"SUM OF AMOUNT\",$D$3:$E$4,\"region\",\"north\")",
                30.0,
            ),
            (
                "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",A1,\"Quarter\",A2)",
                10.0,
            ),
            (
                "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Quarter\",\"Q1\",\"Region\",\"South\")",
                12.5,
            ),
            (
                "=GETPIVOTDATA(\"Count of Amount\",D3,\"Quarter\",\"Q1\")",
                3.0,
            ),
            (
                "=GETPIVOTDATA(\"Max of Amount\",D3,\"Region\",\"South\")",
                7.5,
            ),
            (
                "=GETPIVOTDATA(\"Average of Amount\",D3,\"Region\",\"South\")",
                6.25,
            ),
            // Calculated field: Amount's sum, doubled.
            (
                "=GETPIVOTDATA(\"Sum of Double\",D3,\"Region\",\"North\")",
                60.0,
            ),
            ("=GETPIVOTDATA(\"Double\",D3)", 85.0),
        ];
        for (formula, want) in cases {
            let got = eval(sales_pivot(), formula);
            assert!((number(&got) - want).abs() < 1e-12, "{formula}: {got:?}");
        }
        let sd = number(&eval(
            sales_pivot(),
            "=GETPIVOTDATA(\"StdDev of Amount\",D3,\"Quarter\",\"Q1\")",
        ));
        // STDEV(10, 5, 7.5) = 2.5
        assert!((sd - 2.5).abs() < 1e-12, "{sd}");
    }

    #[test]
    fn values_shown_as_shares_of_totals() {
        // North in Q1: 10 of the 42.5 shown, of North's 30, of Q1's 22.5.
        let at = "D3,\"Region\",\"North\",\"Quarter\",\"Q1\"";
        let cases = [
            (ShownAs::PercentOfTotal, at, 10.0 / 42.5),
            (ShownAs::PercentOfRow, at, 10.0 / 30.0),
            (ShownAs::PercentOfColumn, at, 10.0 / 22.5),
            (ShownAs::Index, at, 10.0 * 42.5 / (30.0 * 22.5)),
            // Totals: North's row total is all of North's row; the grand
            // total is all of the total.
            (ShownAs::PercentOfRow, "D3,\"Region\",\"North\"", 1.0),
            (
                ShownAs::PercentOfColumn,
                "D3,\"Region\",\"North\"",
                30.0 / 42.5,
            ),
            (ShownAs::PercentOfTotal, "D3", 1.0),
        ];
        for (shown_as, args, want) in cases {
            let mut p = sales_pivot();
            p.data_fields[0].shown_as = shown_as.clone();
            let got = eval(p, &format!("=GETPIVOTDATA(\"Sum of Amount\",{args})"));
            assert!(
                (number(&got) - want).abs() < 1e-12,
                "{shown_as:?} {args}: {got:?}"
            );
        }
        // Counts as shares: South's 2 records of the 4 shown.
        let mut p = sales_pivot();
        p.data_fields[1].shown_as = ShownAs::PercentOfTotal;
        let got = eval(
            p,
            "=GETPIVOTDATA(\"Count of Amount\",D3,\"Region\",\"South\")",
        );
        assert!((number(&got) - 0.5).abs() < 1e-12, "{got:?}");
    }

    #[test]
    fn what_the_table_does_not_show_is_ref() {
        let r = Value::Error(ErrorKind::Ref);
        for formula in [
            // No pivot table at the reference, or not a reference.
            "=GETPIVOTDATA(\"Sum of Amount\",A1)",
            "=GETPIVOTDATA(\"Sum of Amount\",\"D3\")",
            // No such data field, field or item; a hidden item.
            "=GETPIVOTDATA(\"Sum of Price\",D3)",
            "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Colour\",\"Red\")",
            "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"West\")",
            "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"East\")",
            // A pair without its item, a field twice.
            "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\")",
            "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"North\",\"Region\",\"South\")",
            // A report filter showing all months shows no single month.
            "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Month\",DATE(2024,1,1))",
        ] {
            assert_eq!(eval(sales_pivot(), formula), r, "{formula}");
        }
        // A row and column that both show but never meet: a blank cell.
        assert_eq!(
            eval(sales_pivot(), "=ISBLANK(GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"South\",\"Quarter\",\"Q2\"))"),
            Value::Bool(true)
        );
        // Values the cache cannot give: shown as a share of the total,
        // or in a table with a top-10 filter.
        let mut p = sales_pivot();
        p.data_fields[0].shown_as = ShownAs::Other("runTotal".into());
        assert_eq!(eval(p, "=GETPIVOTDATA(\"Sum of Amount\",D3)"), r);
        let mut p = sales_pivot();
        p.data_fields[5].shown_as = ShownAs::PercentOfTotal;
        assert_eq!(eval(p, "=GETPIVOTDATA(\"Sum of Double\",D3)"), r);
        let mut p = sales_pivot();
        p.not_computed = Some("label or value filters".into());
        assert_eq!(eval(p, "=GETPIVOTDATA(\"Count of Amount\",D3)"), r);
        // Without grand totals or subtotals they cannot be asked for.
        let mut p = sales_pivot();
        p.col_grand_totals = false;
        assert_eq!(
            eval(p, "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Quarter\",\"Q1\")"),
            r
        );
        let mut p = sales_pivot();
        p.row_grand_totals = false;
        assert_eq!(
            eval(
                p.clone(),
                "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"North\")"
            ),
            r
        );
        assert_eq!(
            number(&eval(
                p,
                "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"North\",\"Quarter\",\"Q2\")"
            )),
            20.0
        );
    }

    #[test]
    fn several_items_of_a_field_are_taken_together() {
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",{\"North\",\"South\"},\"Quarter\",\"Q1\")";
        assert_eq!(number(&eval(sales_pivot(), f)), 22.5);
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",{\"North\",\"East\"})";
        assert_eq!(eval(sales_pivot(), f), Value::Error(ErrorKind::Ref));
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",1/0)";
        assert_eq!(eval(sales_pivot(), f), Value::Error(ErrorKind::Div0));
    }

    #[test]
    fn report_filters_and_nested_rows() {
        // The filter lets January only through: only January records
        // count, and naming January is then allowed.
        let mut p = sales_pivot();
        p.hidden[2] = vec![1, 2, 3];
        assert_eq!(
            number(&eval(p.clone(), "=GETPIVOTDATA(\"Sum of Amount\",D3)")),
            15.0
        );
        assert_eq!(
            number(&eval(
                p.clone(),
                "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Month\",DATE(2024,1,1))"
            )),
            15.0
        );
        assert_eq!(
            number(&eval(
                p.clone(),
                "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Month\",45292)"
            )),
            15.0
        );
        // North has no record in January: its row is not shown.
        assert_eq!(
            eval(
                p,
                "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"North\",\"Quarter\",\"Q2\")"
            ),
            Value::Error(ErrorKind::Ref)
        );
        // Region then Month on rows: an inner item alone is ambiguous, an
        // outer one alone is its subtotal unless subtotals are off.
        let mut p = sales_pivot();
        p.page_fields.clear();
        p.row_fields = vec![0, 2];
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Month\",DATE(2024,1,1))";
        assert_eq!(eval(p.clone(), f), Value::Error(ErrorKind::Ref));
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"South\",\"Month\",DATE(2024,2,1))";
        assert_eq!(number(&eval(p.clone(), f)), 7.5);
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Region\",\"South\")";
        assert_eq!(number(&eval(p.clone(), f)), 12.5);
        p.subtotals[0] = false;
        assert_eq!(eval(p, f), Value::Error(ErrorKind::Ref));
    }

    #[test]
    fn dates_grouped_by_month_are_named_by_their_month() {
        use crate::model::pivot::{GroupBy, RangeBase, RangeGroup};
        // Month grouped in place by months, on the rows; no filter.
        let mut p = sales_pivot();
        let mut cache = (*p.cache).clone();
        let month = &mut cache.fields[2];
        let dates = std::mem::take(&mut month.items);
        month.items = [
            "<1/1/2024",
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
            ">5/1/2024",
        ]
        .map(text)
        .to_vec();
        month.source = FieldSource::Range {
            base: RangeBase::Column {
                column: 2,
                items: dates,
            },
            group: RangeGroup {
                by: GroupBy::Months,
                start: 45292.0,
                end: 45413.0,
                interval: 1.0,
            },
        };
        p.cache = Arc::new(cache);
        p.page_fields.clear();
        p.hidden = vec![Vec::new(); 5];
        p.row_fields = vec![2];
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Month\",\"jan\")";
        assert_eq!(number(&eval(p.clone(), f)), 15.0);
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Month\",\"May\",\"Quarter\",\"Q2\")";
        assert_eq!(number(&eval(p.clone(), f)), 100.0);
        // March has no record: no row for it.
        let f = "=GETPIVOTDATA(\"Sum of Amount\",D3,\"Month\",\"Mar\")";
        assert_eq!(eval(p, f), Value::Error(ErrorKind::Ref));
    }

    #[test]
    fn items_match_numbers_dates_and_text_as_excel() {
        let sys = DateSystem::Excel1900;
        let five = Value::Number(Number::from_i64(5));
        assert!(item_matches(&n(5.0), &five, sys));
        assert!(item_matches(&n(5.0), &Value::Text("5".into()), sys));
        assert!(item_matches(&text("5"), &five, sys));
        assert!(!item_matches(
            &text("Straße"),
            &Value::Text("STRASSE".into()),
            sys
        ));
        assert!(item_matches(
            &text("Čechy"),
            &Value::Text("čECHY".into()),
            sys
        ));
        assert!(item_matches(
            &PivotValue::Date(45292.0),
            &Value::Number(Number::from_i64(45292)),
            sys
        ));
        assert!(item_matches(
            &PivotValue::Date(45292.0),
            &Value::Number(Number::from_i64(45292 - 1462)),
            DateSystem::Excel1904
        ));
        assert!(item_matches(
            &PivotValue::Bool(true),
            &Value::Text("true".into()),
            sys
        ));
        assert!(item_matches(
            &PivotValue::Missing,
            &Value::Text("(blank)".into()),
            sys
        ));
        assert!(!item_matches(&text("North"), &five, sys));
    }

    #[test]
    fn calculated_fields_read_quoted_and_bare_names() {
        let p = sales_pivot();
        let records = [0, 1];
        let sys = DateSystem::Excel1900;
        assert_eq!(
            calculated(&p, "='Amount'*2+Amount", &records, sys).unwrap(),
            "(30)*2+(30)"
        );
        assert_eq!(
            calculated(&p, "IF(Amount>0,\"Amount\",ROUND(Amount,0))", &records, sys).unwrap(),
            "IF((30)>0,\"Amount\",ROUND((30),0))"
        );
        assert_eq!(
            calculated(&p, "'Nope'*2", &records, sys),
            Err(ErrorKind::Ref)
        );
    }
}
