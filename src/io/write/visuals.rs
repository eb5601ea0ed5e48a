//! A sheet's charts, highlights and frozen panes as rust_xlsxwriter
//! objects: the one place that maps [`SheetVisuals`] onto them. A new
//! workbook places them on its worksheets; the patcher places them on a
//! scratch workbook and transplants the parts and elements it produces
//! (see `patch::visuals`), so both write paths write the same XML.

use crate::model::visuals::{
    ChartKind, ChartSpec, Comparison, Highlight, HighlightRule, HighlightStyle, LegendPosition,
    SheetRange, SheetVisuals,
};
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartRange, ChartType, Color, ConditionalFormat2ColorScale,
    ConditionalFormat3ColorScale, ConditionalFormatCell, ConditionalFormatCellRule,
    ConditionalFormatDataBar, ConditionalFormatDuplicate, ConditionalFormatFormula,
    ConditionalFormatText, ConditionalFormatTextRule, ConditionalFormatTop,
    ConditionalFormatTopRule, Format, Formula, Worksheet, XlsxError,
};

/// Places the charts, highlights and frozen panes of `visuals` on `ws`
/// (the filter is the model sheet's `auto_filter`, which the writers place
/// themselves). An error names the chart or range it is about.
pub(crate) fn place_visuals(ws: &mut Worksheet, visuals: &SheetVisuals) -> Result<(), String> {
    if let Some(at) = visuals.freeze {
        ws.set_freeze_panes(at.row, col16(at.col))
            .map_err(|e| format!("freezing panes at {at}: {e}"))?;
    }
    for h in &visuals.highlights {
        place_highlight(ws, h).map_err(|e| format!("highlight on {}: {e}", h.range.to_a1()))?;
    }
    for spec in &visuals.charts {
        let chart = build_chart(spec);
        ws.insert_chart(spec.anchor.row, col16(spec.anchor.col), &chart)
            .map_err(|e| format!("chart \"{}\": {e}", spec.name))?;
    }
    Ok(())
}

fn col16(col: u32) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

fn chart_range(r: &SheetRange) -> ChartRange {
    ChartRange::new_from_range(
        &r.sheet,
        r.range.start.row,
        col16(r.range.start.col),
        r.range.end.row,
        col16(r.range.end.col),
    )
}

/// The end of the alt text of every chart a script adds.
pub(crate) const MADE_BY: &str = "(made by sheetscript)";

/// The rust_xlsxwriter chart for `spec`.
pub(crate) fn build_chart(spec: &ChartSpec) -> Chart {
    let mut chart = Chart::new(match spec.kind {
        ChartKind::Column => ChartType::Column,
        ChartKind::ColumnStacked => ChartType::ColumnStacked,
        ChartKind::Bar => ChartType::Bar,
        ChartKind::BarStacked => ChartType::BarStacked,
        ChartKind::Line => ChartType::Line,
        ChartKind::Pie => ChartType::Pie,
        ChartKind::Doughnut => ChartType::Doughnut,
        ChartKind::Scatter => ChartType::Scatter,
    });
    chart.set_name(&spec.name);
    // The alt text says who made the chart: a re-run replaces only charts
    // that say so, never one of the user's that has the same name.
    let about = spec.title.as_deref().unwrap_or(&spec.name);
    chart.set_alt_text(format!("{about} {MADE_BY}"));
    chart.set_width(spec.width).set_height(spec.height);
    for s in &spec.series {
        let series = chart.add_series();
        series.set_values(&chart_range(&s.values));
        if let Some(c) = &spec.categories {
            series.set_categories(&chart_range(c));
        }
        if let Some(n) = &s.name {
            series.set_name(&chart_range(n));
        }
    }
    if let Some(t) = &spec.title {
        chart.title().set_name(t);
    }
    let round = matches!(spec.kind, ChartKind::Pie | ChartKind::Doughnut);
    if !round {
        // rust_xlsxwriter names axes by position: a bar chart's values
        // run along its x axis.
        let horizontal = matches!(spec.kind, ChartKind::Bar | ChartKind::BarStacked);
        let (category, value) = if horizontal {
            (ChartAxisSide::Y, ChartAxisSide::X)
        } else {
            (ChartAxisSide::X, ChartAxisSide::Y)
        };
        if let Some(t) = &spec.x_title {
            axis(&mut chart, category).set_name(t);
        }
        if let Some(t) = &spec.y_title {
            axis(&mut chart, value).set_name(t);
        }
        if let Some(f) = &spec.number_format {
            axis(&mut chart, value).set_num_format(f);
        }
    }
    match spec.legend {
        LegendPosition::None => {
            chart.legend().set_hidden();
        }
        p => {
            chart.legend().set_position(match p {
                LegendPosition::Left => ChartLegendPosition::Left,
                LegendPosition::Top => ChartLegendPosition::Top,
                LegendPosition::Bottom => ChartLegendPosition::Bottom,
                _ => ChartLegendPosition::Right,
            });
        }
    }
    chart
}

/// Which of a chart's two axes.
#[derive(Clone, Copy)]
enum ChartAxisSide {
    X,
    Y,
}

fn axis(chart: &mut Chart, side: ChartAxisSide) -> &mut rust_xlsxwriter::ChartAxis {
    match side {
        ChartAxisSide::X => chart.x_axis(),
        ChartAxisSide::Y => chart.y_axis(),
    }
}

/// The differential format of a highlight style.
fn dxf(style: &HighlightStyle) -> Format {
    let mut f = Format::new();
    if let Some(fill) = style.fill {
        f = f.set_background_color(Color::RGB(fill));
    }
    if let Some(font) = style.font {
        f = f.set_font_color(Color::RGB(font));
    }
    if style.bold {
        f = f.set_bold();
    }
    f
}

fn place_highlight(ws: &mut Worksheet, h: &Highlight) -> Result<(), XlsxError> {
    let r = h.range;
    let (r1, c1, r2, c2) = (r.start.row, col16(r.start.col), r.end.row, col16(r.end.col));
    let format = dxf(&h.style);
    let f = |text: &str| Formula::new(text);
    match &h.rule {
        HighlightRule::Cell(op, v) => {
            let v = f(v);
            let rule = match op {
                Comparison::Greater => ConditionalFormatCellRule::GreaterThan(v),
                Comparison::GreaterOrEqual => ConditionalFormatCellRule::GreaterThanOrEqualTo(v),
                Comparison::Less => ConditionalFormatCellRule::LessThan(v),
                Comparison::LessOrEqual => ConditionalFormatCellRule::LessThanOrEqualTo(v),
                Comparison::Equal => ConditionalFormatCellRule::EqualTo(v),
                Comparison::NotEqual => ConditionalFormatCellRule::NotEqualTo(v),
            };
            let cf = ConditionalFormatCell::new()
                .set_rule(rule)
                .set_format(format);
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::Between(a, b, inside) => {
            let rule = if *inside {
                ConditionalFormatCellRule::Between(f(a), f(b))
            } else {
                ConditionalFormatCellRule::NotBetween(f(a), f(b))
            };
            let cf = ConditionalFormatCell::new()
                .set_rule(rule)
                .set_format(format);
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::Contains(text) => {
            let cf = ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::Contains(text.clone()))
                .set_format(format);
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::OlderThanDays(days) => {
            let cell = r.start.to_a1();
            let rule = format!("=AND(ISNUMBER({cell}),{cell}<TODAY()-{days})");
            let cf = ConditionalFormatFormula::new()
                .set_rule(rule.as_str())
                .set_format(format);
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::Duplicates | HighlightRule::Unique => {
            let mut cf = ConditionalFormatDuplicate::new().set_format(format);
            if h.rule == HighlightRule::Unique {
                cf = cf.invert();
            }
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::Top {
            highest,
            count,
            percent,
        } => {
            let rule = match (highest, percent) {
                (true, false) => ConditionalFormatTopRule::Top(*count),
                (false, false) => ConditionalFormatTopRule::Bottom(*count),
                (true, true) => ConditionalFormatTopRule::TopPercent(*count),
                (false, true) => ConditionalFormatTopRule::BottomPercent(*count),
            };
            let cf = ConditionalFormatTop::new()
                .set_rule(rule)
                .set_format(format);
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::Formula(text) => {
            let cf = ConditionalFormatFormula::new()
                .set_rule(text.as_str())
                .set_format(format);
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::DataBar => {
            // The classic bar is plain `<dataBar>`: no worksheet extension
            // list, which the patcher would have to merge with the file's.
            let mut cf = ConditionalFormatDataBar::new().use_classic_style();
            if let Some(fill) = h.style.fill {
                cf = cf.set_fill_color(Color::RGB(fill));
            }
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::ColorScale(2) => {
            let mut cf = ConditionalFormat2ColorScale::new();
            if let [low, high, ..] = h.style.scale[..] {
                cf = cf
                    .set_minimum_color(Color::RGB(low))
                    .set_maximum_color(Color::RGB(high));
            }
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
        HighlightRule::ColorScale(_) => {
            let mut cf = ConditionalFormat3ColorScale::new();
            if let [low, mid, high, ..] = h.style.scale[..] {
                cf = cf
                    .set_minimum_color(Color::RGB(low))
                    .set_midpoint_color(Color::RGB(mid))
                    .set_maximum_color(Color::RGB(high));
            }
            ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
        }
    }
    Ok(())
}
