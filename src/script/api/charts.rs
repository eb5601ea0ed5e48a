//! Charts and highlights on a sheet handle: `sheet.add_chart(kind, data,
//! options)` and `sheet.highlight(range, rule, style)`. They are kept on
//! the model sheet ([`SheetVisuals`]) and written by both writers.

use super::sheet::Sheet;
use super::{fail, flag_option, known_options, ok, text_option, texts, Res};
use crate::model::visuals::{
    ChartKind, ChartSpec, Comparison, Highlight, HighlightRule, HighlightStyle, LegendPosition,
    SeriesSpec, SheetRange,
};
use crate::model::{CellAddr, RangeAddr};
use crate::script::table::number_format;
use rhai::{Dynamic, Engine, Map};

/// Default chart size in pixels (Excel's default).
const DEFAULT_WIDTH: u32 = 480;
const DEFAULT_HEIGHT: u32 = 288;
/// Largest chart side in pixels: a chart as wide as 100 screens is a typo.
const MAX_SIDE: u32 = 20_000;

/// Registers `add_chart`, `remove_chart` and `highlight` on a sheet handle.
pub(super) fn register_charts(engine: &mut Engine) {
    api!(
        engine,
        "add_chart",
        ["sheet: Sheet", "kind: String", "data: String", "options: Map", "()"],
        "Adds a chart (column, bar, line, pie, doughnut, scatter) of a range or Excel table whose first row holds the headers; options: name, title, categories, series, stacked, x_title, y_title, legend, number_format, at, width, height. A chart of the same name is replaced.",
        |s: &mut Sheet, kind: &str, data: &str, options: Map| -> Res<()> {
            add_chart(s, kind, data, &options)
        }
    );
    api!(
        engine,
        "add_chart",
        ["sheet: Sheet", "kind: String", "data: String", "()"],
        "Adds a chart of a range or Excel table: categories from its first column, one series per other column.",
        |s: &mut Sheet, kind: &str, data: &str| -> Res<()> { add_chart(s, kind, data, &Map::new()) }
    );
    api!(
        engine,
        "highlight",
        ["sheet: Sheet", "range: String", "rule: String", "style: Dynamic", "()"],
        "Highlights the cells of a range that meet a rule (\"> 90\", \"between 1 and 5\", \"contains Bank\", \"older than 90 days\", \"duplicates\", \"unique\", \"top 5\", \"bottom 10%\", \"=$F2<TODAY()\", \"data bar\", \"color scale\", \"3 color scale\") in a style (\"red\", \"yellow\", \"green\", \"bold\", \"red text\", or #{fill, font, bold, colors}).",
        |s: &mut Sheet, range: &str, rule: &str, style: Dynamic| -> Res<()> {
            highlight(s, range, rule, &style)
        }
    );
    api!(
        engine,
        "highlight",
        ["sheet: Sheet", "range: String", "rule: String", "()"],
        "Highlights the cells of a range that meet a rule in light red with dark red text.",
        |s: &mut Sheet, range: &str, rule: &str| -> Res<()> {
            highlight(s, range, rule, &Dynamic::from("red"))
        }
    );
}

/// The options a chart takes, for the message naming an unknown one.
const CHART_OPTIONS: [&str; 12] = [
    "name",
    "title",
    "categories",
    "series",
    "stacked",
    "x_title",
    "y_title",
    "legend",
    "number_format",
    "at",
    "width",
    "height",
];

fn text(options: &Map, key: &str) -> Res<Option<String>> {
    text_option(options, "add_chart", key)
}

fn size_option(options: &Map, key: &str, default: u32) -> Res<u32> {
    match options.get(key) {
        None => Ok(default),
        Some(v) => match v.as_int() {
            Ok(n) if (1..=i64::from(MAX_SIDE)).contains(&n) => Ok(n as u32),
            _ => fail(format!(
                "add_chart option {key}: expected a whole number of pixels from 1 to {MAX_SIDE}"
            )),
        },
    }
}

fn add_chart(s: &Sheet, kind: &str, data: &str, options: &Map) -> Res<()> {
    known_options(options, "add_chart", &CHART_OPTIONS)?;
    let stacked = flag_option(options, "add_chart", "stacked")?;
    let Some(kind) = ChartKind::parse(kind, stacked) else {
        return fail(format!(
            "add_chart: unknown chart kind \"{kind}\"; the kinds are {}",
            ChartKind::NAMES
        ));
    };
    let own = s.name()?;
    let (data_sheet, block) = data_block(s, data)?;
    if block.rows() < 2 {
        return fail(format!(
            "add_chart: {data_sheet}!{} needs a header row and at least one row of data",
            block.to_a1()
        ));
    }
    let headers: Vec<String> = {
        let bk = s.book.borrow();
        (block.start.col..=block.end.col)
            .map(|c| {
                bk.current(&data_sheet, CellAddr::new(block.start.row, c))
                    .to_string()
            })
            .collect()
    };
    let column_of = |name: &str| -> Res<u32> {
        match headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        {
            Some(i) => Ok(block.start.col + i as u32),
            None => fail(format!(
                "add_chart: no column \"{name}\" in the header row of {data_sheet}!{}; its headers are {}",
                block.to_a1(),
                headers.join(", ")
            )),
        }
    };
    let first_data = block.start.row + 1;
    let column_range = |col: u32| SheetRange {
        sheet: data_sheet.clone(),
        range: RangeAddr::new(
            CellAddr::new(first_data, col),
            CellAddr::new(block.end.row, col),
        ),
    };
    let category_col = match text(options, "categories")? {
        Some(name) => column_of(&name)?,
        None => block.start.col,
    };
    let series_cols: Vec<u32> = match options.get("series") {
        Some(v) => texts(v, "add_chart option series")?
            .iter()
            .map(|n| column_of(n))
            .collect::<Res<_>>()?,
        None => (block.start.col..=block.end.col)
            .filter(|c| *c != category_col)
            .collect(),
    };
    if series_cols.is_empty() {
        return fail(format!(
            "add_chart: {data_sheet}!{} has no column of values besides its categories",
            block.to_a1()
        ));
    }
    let series = series_cols
        .iter()
        .map(|&c| SeriesSpec {
            name: Some(SheetRange {
                sheet: data_sheet.clone(),
                range: RangeAddr::new(
                    CellAddr::new(block.start.row, c),
                    CellAddr::new(block.start.row, c),
                ),
            }),
            values: column_range(c),
        })
        .collect();
    let legend = match text(options, "legend")?.as_deref().map(str::trim) {
        None => LegendPosition::default(),
        Some(p) => match p.to_ascii_lowercase().as_str() {
            "right" => LegendPosition::Right,
            "left" => LegendPosition::Left,
            "top" => LegendPosition::Top,
            "bottom" => LegendPosition::Bottom,
            "none" => LegendPosition::None,
            _ => {
                return fail(format!(
                    "add_chart option legend: \"{p}\" is not right, left, top, bottom or none"
                ))
            }
        },
    };
    let anchor = match text(options, "at")? {
        Some(at) => CellAddr::parse(&at)
            .ok_or_else(|| format!("add_chart option at: \"{at}\" is not a cell address"))?,
        // Beside the data, one column apart, when the data is on this sheet.
        None if data_sheet == own => CellAddr::new(block.start.row, block.end.col + 2),
        None => CellAddr::new(0, 0),
    };
    let title = text(options, "title")?;
    let explicit = match text(options, "name")? {
        Some(n) if !n.trim().is_empty() => Some(n.trim().to_string()),
        Some(_) => return fail("add_chart option name: the name is empty"),
        None => None,
    };
    let series_names: Vec<&str> = series_cols
        .iter()
        .map(|c| headers[(c - block.start.col) as usize].as_str())
        .collect();
    // Unnamed charts get a name from their title or series, made unique
    // on the sheet in the order added, so a re-run names them alike.
    let base = title
        .clone()
        .unwrap_or_else(|| format!("{} of {}", kind.label(), series_names.join(", ")));
    let taken: Vec<String> = {
        let bk = s.book.borrow();
        ok(bk.sheet(&own))?
            .visuals
            .charts
            .iter()
            .map(|c| c.name.to_lowercase())
            .collect()
    };
    let name = explicit.unwrap_or_else(|| {
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            name = format!("{base} ({n})");
            n += 1;
        }
        name
    });
    let spec = ChartSpec {
        name: name.clone(),
        kind,
        categories: Some(column_range(category_col)),
        series,
        title,
        x_title: text(options, "x_title")?,
        y_title: text(options, "y_title")?,
        legend,
        number_format: text(options, "number_format")?.map(|f| number_format(&f)),
        anchor,
        width: size_option(options, "width", DEFAULT_WIDTH)?,
        height: size_option(options, "height", DEFAULT_HEIGHT)?,
    };
    let note = format!("added chart \"{name}\" to sheet \"{own}\"");
    ok(s.book.borrow_mut().visuals_mut(&own, note))?.put_chart(spec);
    Ok(())
}

/// The sheet and block a chart's data names: an Excel table (without its
/// totals row), else a range on this sheet or a qualified one, clipped to
/// the cells in use.
fn data_block(s: &Sheet, data: &str) -> Res<(String, RangeAddr)> {
    let bk = s.book.borrow();
    if let Some(t) = bk.workbook().table(data.trim()) {
        let mut range = t.range;
        if t.totals_row && range.end.row > range.start.row {
            range.end.row -= 1;
        }
        return Ok((t.sheet.clone(), range));
    }
    drop(bk);
    let (sheet, range) = s.range(data)?;
    let clipped = s.book.borrow().clip(&sheet, range);
    Ok((sheet, clipped))
}

fn highlight(s: &Sheet, range: &str, rule: &str, style: &Dynamic) -> Res<()> {
    let own = s.name()?;
    let (sheet, range) = s.range(range)?;
    if sheet != own {
        return fail(format!(
            "highlight: {sheet}!{} is on another sheet; call highlight on sheet(\"{sheet}\")",
            range.to_a1()
        ));
    }
    let rule = parse_rule(rule)?;
    let style = parse_style(style)?;
    let note = format!("highlighted {own}!{}", range.to_a1());
    ok(s.book.borrow_mut().visuals_mut(&own, note))?
        .highlights
        .push(Highlight { range, rule, style });
    Ok(())
}

/// What a rule text may be, for messages.
const RULES: &str = "\"> 90\", \">= 0\", \"< 0\", \"<= 5\", \"= 0\", \"<> 0\", \"between 1 and 5\", \
    \"not between 1 and 5\", \"contains TEXT\", \"older than 90 days\", \"duplicates\", \"unique\", \
    \"top 5\", \"bottom 5\", \"top 10%\", a formula such as \"=$F2<TODAY()\", \"data bar\", \
    \"color scale\", \"3 color scale\"";

/// Parses a highlight rule as a script writes it.
pub(crate) fn parse_rule(text: &str) -> Res<HighlightRule> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let bad = || -> Res<HighlightRule> {
        fail(format!(
            "highlight: \"{text}\" is no rule; rules are {RULES}"
        ))
    };
    if let Some(f) = t.strip_prefix('=') {
        if f.trim().is_empty() {
            return bad();
        }
        return Ok(HighlightRule::Formula(t.to_string()));
    }
    for (op, cmp) in [
        (">=", Comparison::GreaterOrEqual),
        ("<=", Comparison::LessOrEqual),
        ("<>", Comparison::NotEqual),
        (">", Comparison::Greater),
        ("<", Comparison::Less),
    ] {
        if let Some(rest) = t.strip_prefix(op) {
            return Ok(HighlightRule::Cell(cmp, operand(rest)?));
        }
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    let original: Vec<&str> = t.split_whitespace().collect();
    match words.as_slice() {
        ["between", ..] | ["not", "between", ..] => {
            let inside = words[0] == "between";
            let rest = &original[if inside { 1 } else { 2 }..];
            let and = rest.iter().position(|w| w.eq_ignore_ascii_case("and"));
            match and {
                Some(i) if i > 0 && i + 1 < rest.len() => Ok(HighlightRule::Between(
                    operand(&rest[..i].join(" "))?,
                    operand(&rest[i + 1..].join(" "))?,
                    inside,
                )),
                _ => bad(),
            }
        }
        ["contains", ..] if original.len() > 1 => {
            let rest = t[8..].trim();
            let rest = rest
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .unwrap_or(rest);
            Ok(HighlightRule::Contains(rest.to_string()))
        }
        ["older", "than", n, "days" | "day"] => match n.parse::<u32>() {
            Ok(n) => Ok(HighlightRule::OlderThanDays(n)),
            Err(_) => bad(),
        },
        ["duplicates" | "duplicate"] => Ok(HighlightRule::Duplicates),
        ["unique"] => Ok(HighlightRule::Unique),
        ["top" | "bottom", n] => {
            let (n, percent) = match n.strip_suffix('%') {
                Some(p) => (p, true),
                None => (*n, false),
            };
            match n.parse::<u16>() {
                Ok(count) if count > 0 && (!percent || count <= 100) => Ok(HighlightRule::Top {
                    highest: words[0] == "top",
                    count,
                    percent,
                }),
                _ => bad(),
            }
        }
        ["data", "bar" | "bars"] | ["databar"] => Ok(HighlightRule::DataBar),
        ["color" | "colour", "scale"] | ["2", "color" | "colour", "scale"] => {
            Ok(HighlightRule::ColorScale(2))
        }
        ["3", "color" | "colour", "scale"] => Ok(HighlightRule::ColorScale(3)),
        _ => bad(),
    }
}

/// A rule's operand as Excel formula text: a number, a cell reference, a
/// date (`2026-11-30`), `today`, a quoted text, or bare text (quoted).
fn operand(text: &str) -> Res<String> {
    let t = text.trim();
    if t.is_empty() {
        return fail("highlight: a comparison needs a value after its operator");
    }
    if t.parse::<rust_decimal::Decimal>().is_ok() {
        return Ok(t.to_string());
    }
    if t.eq_ignore_ascii_case("today") || t.eq_ignore_ascii_case("today()") {
        return Ok("TODAY()".to_string());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        use chrono::Datelike;
        return Ok(format!("DATE({},{},{})", d.year(), d.month(), d.day()));
    }
    if t.starts_with('"') && t.ends_with('"') && t.len() >= 2 {
        return Ok(t.to_string());
    }
    if RangeAddr::parse(&t.replace('$', "")).is_some() && !t.contains(':') {
        return Ok(t.to_string());
    }
    Ok(format!("\"{}\"", t.replace('"', "\"\"")))
}

/// Colour names a style may use, `RRGGBB`.
const COLORS: [(&str, u32); 14] = [
    ("red", 0xFF0000),
    ("dark red", 0x9C0006),
    ("light red", 0xFFC7CE),
    ("green", 0x00B050),
    ("dark green", 0x006100),
    ("light green", 0xC6EFCE),
    ("yellow", 0xFFFF00),
    ("light yellow", 0xFFEB9C),
    ("orange", 0xFFC000),
    ("blue", 0x4472C4),
    ("light blue", 0xDDEBF7),
    ("grey", 0xBFBFBF),
    ("white", 0xFFFFFF),
    ("black", 0x000000),
];

/// A colour by name or `#RRGGBB`.
fn color(text: &str) -> Res<u32> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix('#') {
        if hex.len() == 6 {
            if let Ok(v) = u32::from_str_radix(hex, 16) {
                return Ok(v);
            }
        }
    }
    let lower = t.to_ascii_lowercase().replace("gray", "grey");
    match COLORS.iter().find(|(n, _)| *n == lower) {
        Some((_, v)) => Ok(*v),
        None => fail(format!(
            "highlight: \"{t}\" is no colour; use #RRGGBB or one of {}",
            COLORS.map(|(n, _)| n).join(", ")
        )),
    }
}

/// A highlight style: a preset name or a map of fill, font, bold, colors.
pub(crate) fn parse_style(style: &Dynamic) -> Res<HighlightStyle> {
    if style.is_string() {
        let name = style.to_string().trim().to_ascii_lowercase();
        let (fill, font, bold) = match name.as_str() {
            "red" => (Some(0xFFC7CE), Some(0x9C0006), false),
            "yellow" => (Some(0xFFEB9C), Some(0x9C5700), false),
            "green" => (Some(0xC6EFCE), Some(0x006100), false),
            "bold" => (None, None, true),
            "red text" => (None, Some(0xFF0000), false),
            "red bold" => (None, Some(0xFF0000), true),
            _ => {
                return fail(format!(
                    "highlight: \"{name}\" is no style; use red, yellow, green, bold, red text, \
                     red bold, or #{{fill: \"#FFC7CE\", font: \"#9C0006\", bold: true}}"
                ))
            }
        };
        return Ok(HighlightStyle {
            fill,
            font,
            bold,
            scale: Vec::new(),
        });
    }
    let Some(map) = style.clone().try_cast::<Map>() else {
        return fail(format!(
            "highlight: the style must be a name or a map, found {}",
            style.type_name()
        ));
    };
    let mut out = HighlightStyle::default();
    for (key, v) in &map {
        match key.as_str() {
            "fill" => out.fill = Some(color(&v.to_string())?),
            "font" => out.font = Some(color(&v.to_string())?),
            "bold" => {
                out.bold = v
                    .as_bool()
                    .map_err(|_| "highlight style bold: expected true or false")?
            }
            "colors" | "colours" => {
                out.scale = texts(v, "highlight style colors")?
                    .iter()
                    .map(|c| color(c))
                    .collect::<Res<_>>()?
            }
            other => {
                return fail(format!(
                "highlight: unknown style key \"{other}\"; the keys are fill, font, bold, colors"
            ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_as_written() {
        assert_eq!(
            parse_rule("> 90").unwrap(),
            HighlightRule::Cell(Comparison::Greater, "90".into())
        );
        assert_eq!(
            parse_rule("<>Paid").unwrap(),
            HighlightRule::Cell(Comparison::NotEqual, "\"Paid\"".into())
        );
        assert_eq!(
            parse_rule("not between 1 and $B$1").unwrap(),
            HighlightRule::Between("1".into(), "$B$1".into(), false)
        );
        assert_eq!(
            parse_rule("< 2026-11-30").unwrap(),
            HighlightRule::Cell(Comparison::Less, "DATE(2026,11,30)".into())
        );
        assert_eq!(
            parse_rule("contains \"Bank a.s.\"").unwrap(),
            HighlightRule::Contains("Bank a.s.".into())
        );
        assert_eq!(
            parse_rule("older than 90 days").unwrap(),
            HighlightRule::OlderThanDays(90)
        );
        assert_eq!(
            parse_rule("bottom 10%").unwrap(),
            HighlightRule::Top {
                highest: false,
                count: 10,
                percent: true
            }
        );
        assert_eq!(
            parse_rule("=$F2<TODAY()").unwrap(),
            HighlightRule::Formula("=$F2<TODAY()".into())
        );
        assert_eq!(
            parse_rule("3 colour scale").unwrap(),
            HighlightRule::ColorScale(3)
        );
        for bad in ["", "=", "over 90", "top 0", "top 120%", "between 1", ">"] {
            let err = parse_rule(bad).unwrap_err().to_string();
            assert!(err.contains("highlight"), "{bad}: {err}");
        }
    }

    /// Runs `src` over a sheet "Data" holding a header row and three rows
    /// at B3:D6 (Customer, Net, Days).
    fn run(src: &str) -> crate::Result<crate::script::RunOutcome> {
        use crate::model::{Number, Value, Workbook};
        let mut wb = Workbook::new();
        wb.add_sheet("Data").unwrap();
        let s = wb.sheet_mut("Data").unwrap();
        let rows = [
            ["Customer", "Net", "Days"],
            ["Acme", "100", "5"],
            ["Bolt", "20", "95"],
            ["Cara", "7", "40"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let value = match v.parse::<rust_decimal::Decimal>() {
                    Ok(d) => Value::Number(Number::Exact(d)),
                    Err(_) => Value::Text(v.to_string().into()),
                };
                s.set_value(CellAddr::new(r as u32 + 2, c as u32 + 1), value);
            }
        }
        crate::script::run_script(src, "t.rhai", wb, crate::script::ScriptOptions::default())
    }

    #[test]
    fn a_chart_takes_its_columns_by_header_and_is_replaced_by_name() {
        let o = run(r#"
            let s = sheet("Data");
            s.add_chart("column", "B3:D6", #{ name: "Nets", series: ["Net"], title: "First" });
            s.add_chart("bar", "B3:D6", #{ name: "nets", series: ["Net", "Days"], stacked: true });
            s.add_chart("pie", "Data!B3:D6", #{ series: "Days" });
            s.add_chart("pie", "Data!B3:D6", #{ series: "Days" });
            s.add_chart("line", "Data!B3:D6", #{ title: "Pie of Days" });
            s.rename("Ledger");
        "#)
        .unwrap();
        let charts = &o.workbook.sheet("Ledger").unwrap().visuals.charts;
        let names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["nets", "Pie of Days", "Pie of Days (2)", "Pie of Days (3)"]
        );
        let bar = &charts[0];
        assert_eq!(
            (bar.name.as_str(), bar.kind),
            ("nets", ChartKind::BarStacked)
        );
        let cats = bar.categories.as_ref().unwrap();
        assert_eq!(
            (cats.sheet.as_str(), cats.range.to_a1().as_str()),
            ("Ledger", "B4:B6")
        );
        let values: Vec<String> = bar.series.iter().map(|s| s.values.range.to_a1()).collect();
        assert_eq!(values, ["C4:C6", "D4:D6"]);
        assert_eq!(bar.series[0].name.as_ref().unwrap().range.to_a1(), "C3");
        // Beside the data, one column apart.
        assert_eq!(bar.anchor.to_a1(), "F3");
        assert_eq!(
            (charts[1].name.as_str(), charts[1].kind),
            ("Pie of Days", ChartKind::Pie)
        );
    }

    #[test]
    fn chart_and_highlight_mistakes_name_what_is_wrong() {
        for (src, says) in [
            (
                r#"sheet("Data").add_chart("radar", "B3:D6")"#,
                "unknown chart kind \"radar\"",
            ),
            (
                r#"sheet("Data").add_chart("line", "B3:D6", #{ colour: "red" })"#,
                "unknown option \"colour\"",
            ),
            (
                r#"sheet("Data").add_chart("line", "B3:D6", #{ series: ["Gross"] })"#,
                "no column \"Gross\"",
            ),
            (
                r#"sheet("Data").add_chart("line", "B3:D3")"#,
                "needs a header row and at least one row",
            ),
            (
                r#"sheet("Data").add_chart("line", "B3:D6", #{ width: 0 })"#,
                "whole number of pixels",
            ),
            (
                r#"sheet("Data").highlight("C4:C6", "over 90")"#,
                "is no rule",
            ),
            (
                r#"sheet("Data").highlight("C4:C6", "> 9", "pink")"#,
                "is no style",
            ),
            (
                r#"add_sheet("Other"); sheet("Data").highlight("Other!A1:A3", "> 9")"#,
                "on another sheet",
            ),
        ] {
            let err = run(src).unwrap_err().to_string();
            assert!(err.contains(says), "{src}: {err}");
        }
    }

    #[test]
    fn styles_take_presets_maps_and_refuse_the_unknown() {
        let red = parse_style(&Dynamic::from("red")).unwrap();
        assert_eq!((red.fill, red.font), (Some(0xFFC7CE), Some(0x9C0006)));
        let mut map = Map::new();
        map.insert("fill".into(), Dynamic::from("#00FF00"));
        map.insert("bold".into(), Dynamic::from(true));
        let custom = parse_style(&Dynamic::from(map)).unwrap();
        assert_eq!((custom.fill, custom.bold), (Some(0x00FF00), true));
        assert!(parse_style(&Dynamic::from("purple")).is_err());
        let mut map = Map::new();
        map.insert("fill".into(), Dynamic::from("mauve"));
        assert!(parse_style(&Dynamic::from(map)).is_err());
    }
}
