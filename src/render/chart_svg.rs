//! A chart a run added ([`ChartSpec`]) drawn as SVG with `plotters`, from
//! the values its ranges hold in the workbook: what Excel will draw when it
//! opens the file, close enough for a person to check the run before
//! writing it. Excel's conventions are kept where they change what one
//! sees: empty cells are gaps, text counts as 0, a bar chart's first
//! category is at the bottom, a pie takes the first series and the size of
//! each value.

use crate::model::visuals::{ChartKind, ChartSpec, LegendPosition, SheetRange};
use crate::model::{CellAddr, Value, Workbook};
use crate::numfmt::format_value_in;
use crate::Error;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Most points (categories) one chart preview draws: a chart of a
/// 100,000-row column is unreadable as a picture and costly to send; it is
/// refused with a message rather than drawn in part.
pub const MAX_CHART_POINTS: usize = 5_000;

/// Excel's default series colours (the Office theme's accents 1 to 6), so
/// the preview shows the colours the file will show.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x44, 0x72, 0xC4),
    RGBColor(0xED, 0x7D, 0x31),
    RGBColor(0xA5, 0xA5, 0xA5),
    RGBColor(0xFF, 0xC0, 0x00),
    RGBColor(0x5B, 0x9B, 0xD5),
    RGBColor(0x70, 0xAD, 0x47),
];

/// The colour of the `i`-th series (or pie slice), cycling the palette.
pub fn series_color(i: usize) -> (u8, u8, u8) {
    let c = PALETTE[i % PALETTE.len()];
    (c.0, c.1, c.2)
}

fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// One series of a chart with its values read from the workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesData {
    /// The name shown in the legend.
    pub name: String,
    /// One value a point; `None` where the cell is empty or an error
    /// (a gap, as Excel draws it).
    pub values: Vec<Option<f64>>,
}

/// What a chart shows, read from the workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    /// The category labels as Excel shows the cells (`1`, `2`, ... where
    /// the chart has no categories or fewer than points).
    pub categories: Vec<String>,
    /// The x values of a scatter chart (1, 2, ... without categories).
    pub x_values: Vec<Option<f64>>,
    /// The series, at least one.
    pub series: Vec<SeriesData>,
}

impl ChartData {
    /// How many points the chart has: its longest series.
    pub fn points(&self) -> usize {
        self.series
            .iter()
            .map(|s| s.values.len())
            .max()
            .unwrap_or(0)
    }
}

/// The cells of `r` the sheet holds (a whole column stops at the sheet's
/// last row), row by row; an error for a sheet that is not there or more
/// than [`MAX_CHART_POINTS`] cells.
fn cells_of(wb: &Workbook, chart: &str, r: &SheetRange) -> Result<Vec<(CellAddr, Value)>, Error> {
    let sheet = wb.sheet(&r.sheet).ok_or_else(|| {
        Error::Usage(format!(
            "chart \"{chart}\": its range {}!{} is on a sheet the workbook does not have",
            r.sheet,
            r.range.to_a1()
        ))
    })?;
    let Some(used) = sheet.used_range() else {
        return Ok(Vec::new());
    };
    let end_row = r.range.end.row.min(used.end.row);
    let end_col = r.range.end.col.min(used.end.col);
    if end_row < r.range.start.row || end_col < r.range.start.col {
        return Ok(Vec::new());
    }
    let count =
        (end_row - r.range.start.row + 1) as usize * (end_col - r.range.start.col + 1) as usize;
    if count > MAX_CHART_POINTS {
        return Err(Error::Usage(format!(
            "chart \"{chart}\": {}!{} holds {count} values; the preview draws at most {MAX_CHART_POINTS} points",
            r.sheet,
            r.range.to_a1()
        )));
    }
    let mut out = Vec::with_capacity(count);
    for row in r.range.start.row..=end_row {
        for col in r.range.start.col..=end_col {
            let at = CellAddr::new(row, col);
            out.push((at, sheet.value(at).clone()));
        }
    }
    Ok(out)
}

/// A cell's value as Excel shows it (its number format applied).
fn shown(wb: &Workbook, sheet: &str, at: CellAddr, value: &Value) -> String {
    let style = wb
        .sheet(sheet)
        .map(|s| s.cell_or_empty(at).style)
        .unwrap_or(0);
    format_value_in(value, &wb.styles.get(style).number_format, wb.date_system)
}

/// The number a chart plots for a cell: dates as the workbook's serials,
/// text and booleans as 0 (as Excel plots them), empty cells and errors
/// as gaps.
fn plotted(wb: &Workbook, value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => Some(n.to_f64()).filter(|f| f.is_finite()),
        Value::Date(d) => Some(wb.date_system.number_of(d)),
        Value::Text(_) | Value::Bool(_) => Some(0.0),
        Value::Empty | Value::Error(_) => None,
    }
}

/// Reads the values `spec` shows from `wb`.
pub fn chart_data(wb: &Workbook, spec: &ChartSpec) -> Result<ChartData, Error> {
    let mut series = Vec::with_capacity(spec.series.len());
    for (i, s) in spec.series.iter().enumerate() {
        let values: Vec<Option<f64>> = cells_of(wb, &spec.name, &s.values)?
            .iter()
            .map(|(_, v)| plotted(wb, v))
            .collect();
        let name = match &s.name {
            Some(n) => cells_of(wb, &spec.name, n)?
                .first()
                .map(|(at, v)| shown(wb, &n.sheet, *at, v))
                .unwrap_or_default(),
            None => String::new(),
        };
        let name = if name.is_empty() {
            format!("Series {}", i + 1)
        } else {
            name
        };
        series.push(SeriesData { name, values });
    }
    if series.is_empty() {
        return Err(Error::Usage(format!(
            "chart \"{}\" has no series to draw",
            spec.name
        )));
    }
    let points = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let category_cells = match &spec.categories {
        Some(c) => cells_of(wb, &spec.name, c)?
            .into_iter()
            .map(|(at, v)| (c.sheet.as_str(), at, v))
            .collect(),
        None => Vec::new(),
    };
    let categories = (0..points)
        .map(|i| match category_cells.get(i) {
            Some((sheet, at, v)) => shown(wb, sheet, *at, v),
            None => (i + 1).to_string(),
        })
        .collect();
    let x_values = (0..points)
        .map(|i| match category_cells.get(i) {
            Some((_, _, v)) => match v {
                Value::Number(_) | Value::Date(_) => plotted(wb, v),
                _ => None,
            },
            None if spec.categories.is_none() => Some((i + 1) as f64),
            None => None,
        })
        .collect();
    Ok(ChartData {
        categories,
        x_values,
        series,
    })
}

/// `spec` drawn as an SVG document of its size, from the values in `wb`.
/// An error names the chart: a range on a missing sheet, more points than
/// [`MAX_CHART_POINTS`], or no series.
pub fn chart_svg(wb: &Workbook, spec: &ChartSpec) -> Result<String, Error> {
    let data = chart_data(wb, spec)?;
    let format = |v: f64| -> String {
        match &spec.number_format {
            Some(code) if !code.is_empty() => {
                format_value_in(&Value::from_f64(v), code, wb.date_system)
            }
            _ => format_value_in(&Value::from_f64(v), "", wb.date_system),
        }
    };
    let (width, height) = (spec.width.clamp(120, 4_000), spec.height.clamp(90, 4_000));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&root, spec, &data, &format).map_err(|e| {
            Error::Usage(format!("chart \"{}\" could not be drawn: {e}", spec.name))
        })?;
        root.present()
            .map_err(|e| Error::Usage(format!("chart \"{}\": {e}", spec.name)))?;
    }
    Ok(svg)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type DrawResult = Result<(), Box<dyn std::error::Error + 'static>>;

fn draw(
    root: &Area,
    spec: &ChartSpec,
    data: &ChartData,
    format: &dyn Fn(f64) -> String,
) -> DrawResult {
    root.fill(&WHITE)?;
    let titled = match &spec.title {
        Some(t) => root.titled(t, ("sans-serif", 18))?,
        None => root.clone(),
    };
    match spec.kind {
        ChartKind::Pie | ChartKind::Doughnut => draw_round(&titled, spec, data),
        kind => {
            let plot = beside_legend(&titled, spec.legend, data)?;
            match kind {
                ChartKind::Scatter => draw_scatter(&plot, spec, data, format),
                ChartKind::Line => draw_line(&plot, spec, data, format),
                _ => draw_bars(&plot, spec, data, format),
            }
        }
    }
}

/// Rough width in pixels of `text` in the 12-pixel label font (the SVG
/// backend cannot measure text; the browser lays it out).
fn text_width(text: &str) -> i32 {
    text.chars().count() as i32 * 7
}

/// Draws the legend (a swatch and name per series) on the side the spec
/// asks for, outside the plot as Excel places it, and returns the area
/// left for the plot.
fn beside_legend<'a>(
    area: &Area<'a>,
    at: LegendPosition,
    data: &ChartData,
) -> Result<Area<'a>, Box<dyn std::error::Error>> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
    let entry = |name: &str| 10 + 6 + text_width(name) + 14;
    let swatch = |area: &Area, j: usize, x: i32, y: i32| -> DrawResult {
        area.draw(&Rectangle::new(
            [(x, y - 5), (x + 10, y + 5)],
            color(j).filled(),
        ))?;
        let style = label_font().pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(names[j].to_string(), (x + 16, y), style))?;
        Ok(())
    };
    Ok(match at {
        LegendPosition::None => area.clone(),
        LegendPosition::Top | LegendPosition::Bottom => {
            let strip = 26;
            let (plot, legend) = if at == LegendPosition::Top {
                let (l, p) = area.split_vertically(strip);
                (p, l)
            } else {
                area.split_vertically(h - strip)
            };
            let total: i32 = names.iter().map(|n| entry(n)).sum();
            let mut x = ((w - total) / 2).max(4);
            for (j, n) in names.iter().enumerate() {
                swatch(&legend, j, x, strip / 2)?;
                x += entry(n);
            }
            plot
        }
        LegendPosition::Left | LegendPosition::Right => {
            let side = (names.iter().map(|n| entry(n)).max().unwrap_or(0) + 8).min(w / 3);
            let (plot, legend) = if at == LegendPosition::Left {
                let (l, p) = area.split_horizontally(side);
                (p, l)
            } else {
                area.split_horizontally(w - side)
            };
            let mut y = (h / 2 - names.len() as i32 * 9).max(12);
            for j in 0..names.len() {
                swatch(&legend, j, 4, y)?;
                y += 18;
            }
            plot
        }
    })
}

fn label_font() -> TextStyle<'static> {
    TextStyle::from(("sans-serif", 12).into_font()).color(&BLACK)
}

/// A chart builder whose left label area is `left` pixels wide (the
/// widest label the axis there shows).
fn builder<'a, 'b>(root: &'a Area<'b>, left: i32) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let (w, _) = root.dim_in_pixel();
    let left = (left + 14).clamp(40, (w as i32 * 2 / 5).max(40));
    let mut b = ChartBuilder::on(root);
    b.margin(12).x_label_area_size(40).y_label_area_size(left);
    b
}

/// The widest of the value axis's labels, roughly.
fn value_label_width(lo: f64, hi: f64, format: &dyn Fn(f64) -> String) -> i32 {
    text_width(&format(lo)).max(text_width(&format(hi)))
}

/// The lowest and highest value the value axis must show, 0 included
/// (as Excel's axis starts at 0 for bars), with a little room above.
fn value_span(lows_and_highs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
    for v in lows_and_highs {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo == hi {
        return (lo, lo + 1.0);
    }
    let room = (hi - lo) * 0.05;
    (
        if lo < 0.0 { lo - room } else { lo },
        if hi > 0.0 { hi + room } else { hi },
    )
}

/// Which category labels fit along `pixels`: every `step`-th one.
fn label_step(count: usize, pixels: i32, per_label: i32) -> usize {
    let fit = (pixels / per_label.max(1)).max(1) as usize;
    count.div_ceil(fit).max(1)
}

fn draw_bars(
    root: &Area,
    spec: &ChartSpec,
    data: &ChartData,
    format: &dyn Fn(f64) -> String,
) -> DrawResult {
    let stacked = matches!(spec.kind, ChartKind::ColumnStacked | ChartKind::BarStacked);
    let horizontal = matches!(spec.kind, ChartKind::Bar | ChartKind::BarStacked);
    let n = data.points();
    let k = data.series.len();
    // Each bar: (series, category, from, to) in value units.
    let mut bars = Vec::new();
    for i in 0..n {
        let (mut up, mut down) = (0.0, 0.0);
        for (j, s) in data.series.iter().enumerate() {
            let Some(v) = s.values.get(i).copied().flatten() else {
                continue;
            };
            if stacked {
                let base = if v >= 0.0 { &mut up } else { &mut down };
                bars.push((j, i, *base, *base + v));
                *base += v;
            } else {
                bars.push((j, i, 0.0, v));
            }
        }
    }
    let (lo, hi) = value_span(bars.iter().flat_map(|b| [b.2, b.3]));
    // Where bar (series j of category i) sits across its category.
    let slot = |j: usize, i: usize| -> (f64, f64) {
        let (gap, width) = (0.15, 0.7);
        if stacked {
            (i as f64 + gap, i as f64 + gap + width)
        } else {
            let w = width / k as f64;
            let start = i as f64 + gap + w * j as f64;
            (start, start + w)
        }
    };
    let cats = 0.0..n.max(1) as f64;
    let value_labels = |v: &f64| format(*v);
    let (ranges, left) = if horizontal {
        let widest = data
            .categories
            .iter()
            .map(|c| text_width(c))
            .max()
            .unwrap_or(0);
        ((lo..hi, cats), widest)
    } else {
        ((cats, lo..hi), value_label_width(lo, hi, format))
    };
    let mut chart = builder(root, left).build_cartesian_2d(ranges.0, ranges.1)?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(TRANSPARENT);
    let (category_title, value_title) = (
        spec.x_title.clone().unwrap_or_default(),
        spec.y_title.clone().unwrap_or_default(),
    );
    // The category axis carries no ticks of its own: the labels are
    // written at the categories' middles below.
    if horizontal {
        mesh.disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&value_labels)
            .x_desc(value_title)
            .y_desc(category_title);
    } else {
        mesh.disable_x_mesh()
            .x_labels(0)
            .y_label_formatter(&value_labels)
            .x_desc(category_title)
            .y_desc(value_title);
    }
    mesh.draw()?;
    for j in 0..k {
        let rects = bars.iter().filter(|b| b.0 == j).map(|&(_, i, a, b)| {
            let (from, to) = slot(j, i);
            let corners = if horizontal {
                [(a, from), (b, to)]
            } else {
                [(from, a), (to, b)]
            };
            Rectangle::new(corners, color(j).filled())
        });
        chart.draw_series(rects)?;
    }
    if !horizontal {
        return category_labels_below(root, &mut chart, &data.categories, lo);
    }
    let (_, top) = chart.backend_coord(&(lo, n as f64));
    let (_, bottom) = chart.backend_coord(&(lo, 0.0));
    let step = label_step(n, bottom - top, 14);
    // The chart maps to the whole picture's pixels; `root` draws from its
    // own corner.
    let (bx, by) = root.get_base_pixel();
    for i in (0..n).step_by(step) {
        let (x, y) = chart.backend_coord(&(lo, i as f64 + 0.5));
        let style = label_font().pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(
            data.categories[i].clone(),
            (x - 6 - bx, y - by),
            style,
        ))?;
    }
    Ok(())
}

/// Writes the category labels under a chart whose x axis runs over the
/// categories (category `i` centred at `i + 0.5`).
fn category_labels_below(
    root: &Area,
    chart: &mut ChartContext<
        SVGBackend,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    categories: &[String],
    bottom: f64,
) -> DrawResult {
    let n = categories.len();
    let (left, _) = chart.backend_coord(&(0.0, bottom));
    let (right, _) = chart.backend_coord(&(n as f64, bottom));
    let widest = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(1) as i32;
    let step = label_step(n, right - left, widest * 7 + 6);
    for i in (0..n).step_by(step) {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, bottom));
        let style = label_font().pos(Pos::new(HPos::Center, VPos::Top));
        let (bx, by) = root.get_base_pixel();
        root.draw(&Text::new(
            categories[i].clone(),
            (x - bx, y + 6 - by),
            style,
        ))?;
    }
    Ok(())
}

fn draw_line(
    root: &Area,
    spec: &ChartSpec,
    data: &ChartData,
    format: &dyn Fn(f64) -> String,
) -> DrawResult {
    let n = data.points();
    let (lo, hi) = value_span(
        data.series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied()),
    );
    let left = value_label_width(lo, hi, format);
    let mut chart = builder(root, left).build_cartesian_2d(0.0..n.max(1) as f64, lo..hi)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .disable_x_mesh()
        .x_labels(0)
        .y_label_formatter(&|v| format(*v))
        .x_desc(spec.x_title.clone().unwrap_or_default())
        .y_desc(spec.y_title.clone().unwrap_or_default())
        .draw()?;
    for (j, s) in data.series.iter().enumerate() {
        let style = color(j).stroke_width(2);
        // A gap (empty cell) breaks the line, as Excel draws it.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, v) in s.values.iter().chain(std::iter::once(&None)).enumerate() {
            match v {
                Some(v) => run.push((i as f64 + 0.5, *v)),
                None if !run.is_empty() => {
                    chart.draw_series(LineSeries::new(std::mem::take(&mut run), style))?;
                }
                None => {}
            }
        }
        let marks =
            s.values.iter().enumerate().filter_map(|(i, v)| {
                v.map(|v| Circle::new((i as f64 + 0.5, v), 3, color(j).filled()))
            });
        chart.draw_series(marks)?;
    }
    category_labels_below(root, &mut chart, &data.categories, lo)?;
    Ok(())
}

fn draw_scatter(
    root: &Area,
    spec: &ChartSpec,
    data: &ChartData,
    format: &dyn Fn(f64) -> String,
) -> DrawResult {
    let points: Vec<Vec<(f64, f64)>> = data
        .series
        .iter()
        .map(|s| {
            s.values
                .iter()
                .zip(&data.x_values)
                .filter_map(|(y, x)| Some(((*x)?, (*y)?)))
                .collect()
        })
        .collect();
    let xs = points.iter().flatten().map(|p| p.0);
    let (x_lo, x_hi) = xs
        .clone()
        .fold(None, |acc: Option<(f64, f64)>, x| match acc {
            None => Some((x, x)),
            Some((a, b)) => Some((a.min(x), b.max(x))),
        })
        .map(|(a, b)| if a == b { (a - 1.0, b + 1.0) } else { (a, b) })
        .unwrap_or((0.0, 1.0));
    let (lo, hi) = value_span(points.iter().flatten().map(|p| p.1));
    let left = value_label_width(lo, hi, format);
    let mut chart = builder(root, left).build_cartesian_2d(x_lo..x_hi, lo..hi)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .y_label_formatter(&|v| format(*v))
        .x_desc(spec.x_title.clone().unwrap_or_default())
        .y_desc(spec.y_title.clone().unwrap_or_default())
        .draw()?;
    for (j, pts) in points.iter().enumerate() {
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, color(j).filled())))?;
    }
    Ok(())
}

/// A pie or doughnut of the first series: one slice a category, the size
/// of each value (Excel draws a negative value by its size too); empty
/// and zero values get no slice.
fn draw_round(root: &Area, spec: &ChartSpec, data: &ChartData) -> DrawResult {
    let area = root.clone();
    let (w, h) = area.dim_in_pixel();
    let center = ((w / 2) as i32, (h / 2) as i32);
    let radius = (w.min(h) as f64 / 2.0 - 40.0).max(10.0);
    let first = &data.series[0];
    let mut sizes = Vec::new();
    let mut colors = Vec::new();
    let mut labels = Vec::new();
    for (i, v) in first.values.iter().enumerate() {
        if let Some(v) = v.filter(|v| *v != 0.0) {
            sizes.push(v.abs());
            colors.push(color(i));
            labels.push(data.categories[i].clone());
        }
    }
    if sizes.is_empty() {
        let style = label_font().pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new("(no values)".to_string(), center, style))?;
        return Ok(());
    }
    let mut pie = Pie::new(&center, &radius, &sizes, &colors, &labels);
    pie.start_angle(-90.0);
    pie.label_style(label_font());
    pie.percentages(("sans-serif", 11).into_font().color(&WHITE));
    if spec.kind == ChartKind::Doughnut {
        pie.donut_hole(radius * 0.5);
    }
    area.draw(&pie)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::visuals::SeriesSpec;
    use crate::model::{RangeAddr, Style};

    fn range(sheet: &str, a1: &str) -> SheetRange {
        SheetRange {
            sheet: sheet.into(),
            range: RangeAddr::parse(a1).unwrap(),
        }
    }

    /// An ageing table: buckets in A2:A5, amounts in B2:B5 and C2:C5.
    fn ageing() -> Workbook {
        let mut wb = Workbook::new();
        wb.add_sheet("Ageing").unwrap();
        let money = wb.styles.intern(Style::with_number_format("#,##0.00"));
        let s = wb.sheet_mut("Ageing").unwrap();
        let rows: [(&str, f64, f64); 4] = [
            ("0-30", 100.0, 40.0),
            ("31-60", 250.0, 10.0),
            ("61-90", 50.0, 0.0),
            ("over 90", 400.0, 20.0),
        ];
        s.set_value(CellAddr::new(0, 0), Value::text("Bucket"));
        s.set_value(CellAddr::new(0, 1), Value::text("Acme"));
        s.set_value(CellAddr::new(0, 2), Value::text("Beta"));
        for (i, (bucket, a, b)) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            s.set_value(CellAddr::new(r, 0), Value::text(*bucket));
            s.set_value(CellAddr::new(r, 1), Value::from_f64(*a));
            s.set_value(CellAddr::new(r, 2), Value::from_f64(*b));
            s.set_style(CellAddr::new(r, 1), money);
        }
        wb
    }

    fn spec(kind: ChartKind, series: &[&str]) -> ChartSpec {
        ChartSpec {
            name: "Ageing".into(),
            kind,
            categories: Some(range("Ageing", "A2:A5")),
            series: series
                .iter()
                .map(|col| SeriesSpec {
                    name: Some(range("Ageing", &format!("{col}1"))),
                    values: range("Ageing", &format!("{col}2:{col}5")),
                })
                .collect(),
            title: Some("Receivables by age".into()),
            x_title: None,
            y_title: None,
            legend: LegendPosition::Bottom,
            number_format: Some("#,##0".into()),
            anchor: CellAddr::new(1, 8),
            width: 640,
            height: 360,
        }
    }

    /// The `<rect>` elements of colour `fill`: (x, y, width, height).
    fn rects(svg: &str, fill: &str) -> Vec<(f64, f64, f64, f64)> {
        let attr = |tag: &str, name: &str| -> f64 {
            let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[start..].split('"').next().unwrap().parse().unwrap()
        };
        svg.split("<rect")
            .skip(1)
            .map(|t| t.split("/>").next().unwrap())
            .filter(|t| t.contains(&format!("fill=\"{fill}\"")))
            .map(|t| {
                (
                    attr(t, "x"),
                    attr(t, "y"),
                    attr(t, "width"),
                    attr(t, "height"),
                )
            })
            .collect()
    }

    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .map(|t| {
                t.split_once('>')
                    .unwrap()
                    .1
                    .split("</text>")
                    .next()
                    .unwrap()
                    .trim()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn a_column_chart_has_one_bar_per_bucket_as_high_as_its_amount() {
        let svg = chart_svg(&ageing(), &spec(ChartKind::Column, &["B"])).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        // The legend's sample is a rect of the series colour too.
        let bars: Vec<_> = rects(&svg, "#4472C4")
            .into_iter()
            .filter(|r| r.2 > 12.0)
            .collect();
        assert_eq!(bars.len(), 4, "{svg}");
        let heights: Vec<f64> = bars.iter().map(|r| r.3).collect();
        // 100, 250, 50, 400: each bar's height over the first one's.
        for (h, ratio) in heights.iter().zip([1.0, 2.5, 0.5, 4.0]) {
            assert!((h / heights[0] - ratio).abs() < 0.03, "{heights:?}");
        }
        // Bars stand on one baseline and go left to right in order.
        let bottoms: Vec<f64> = bars.iter().map(|r| r.1 + r.3).collect();
        assert!(
            bottoms.iter().all(|b| (b - bottoms[0]).abs() <= 1.0),
            "{bottoms:?}"
        );
        assert!(bars.windows(2).all(|w| w[0].0 < w[1].0));
        let labels = texts(&svg);
        for t in [
            "0-30",
            "31-60",
            "61-90",
            "over 90",
            "Receivables by age",
            "Acme",
        ] {
            assert!(labels.iter().any(|l| l == t), "{t} in {labels:?}");
        }
        // The value axis in the chart's number format.
        assert!(
            labels.iter().any(|l| l == "400" || l == "300"),
            "{labels:?}"
        );
    }

    /// The `<text>` elements with their x and y.
    fn placed_texts(svg: &str) -> Vec<(String, f64, f64)> {
        svg.split("<text")
            .skip(1)
            .map(|t| {
                let (tag, rest) = t.split_once('>').unwrap();
                let attr = |name: &str| -> f64 {
                    let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    tag[start..].split('"').next().unwrap().parse().unwrap()
                };
                let text = rest.split("</text>").next().unwrap().trim().to_string();
                (text, attr("x"), attr("y"))
            })
            .collect()
    }

    #[test]
    fn category_labels_sit_at_their_bars_under_a_title_and_legend() {
        for kind in [ChartKind::Column, ChartKind::Bar] {
            let svg = chart_svg(&ageing(), &spec(kind, &["B"])).unwrap();
            let bars: Vec<_> = rects(&svg, "#4472C4")
                .into_iter()
                .filter(|r| r.2 > 12.0 && r.3 > 12.0)
                .collect();
            let labels = placed_texts(&svg);
            let label = |t: &str| labels.iter().find(|l| l.0 == t).unwrap().clone();
            let (first, last) = (label("0-30"), label("over 90"));
            if kind == ChartKind::Column {
                let middle = |r: &(f64, f64, f64, f64)| r.0 + r.2 / 2.0;
                assert!(
                    (first.1 - middle(&bars[0])).abs() <= 2.0,
                    "{first:?} {bars:?}"
                );
                assert!(
                    (last.1 - middle(&bars[3])).abs() <= 2.0,
                    "{last:?} {bars:?}"
                );
            } else {
                let middle = |r: &(f64, f64, f64, f64)| r.1 + r.3 / 2.0;
                assert!(
                    (first.2 - middle(&bars[0])).abs() <= 2.0,
                    "{first:?} {bars:?}"
                );
                assert!(
                    (last.2 - middle(&bars[3])).abs() <= 2.0,
                    "{last:?} {bars:?}"
                );
            }
        }
    }

    #[test]
    fn stacked_bars_put_each_customer_on_the_last_and_first_category_lowest() {
        let svg = chart_svg(&ageing(), &spec(ChartKind::BarStacked, &["B", "C"])).unwrap();
        let acme: Vec<_> = rects(&svg, "#4472C4")
            .into_iter()
            .filter(|r| r.3 > 12.0)
            .collect();
        let beta: Vec<_> = rects(&svg, "#ED7D31")
            .into_iter()
            .filter(|r| r.3 > 12.0 && r.2 > 0.5)
            .collect();
        assert_eq!(acme.len(), 4, "{svg}");
        // Beta's 0 in 61-90 draws nothing visible.
        assert_eq!(beta.len(), 3, "{svg}");
        // Horizontal: widths carry the amounts; the first bucket is at the bottom.
        assert!((acme[1].2 / acme[0].2 - 2.5).abs() < 0.03);
        assert!(acme[0].1 > acme[3].1, "{acme:?}");
        // Beta's bar starts where Acme's ends, on the same row.
        assert!(
            (beta[0].0 - (acme[0].0 + acme[0].2)).abs() <= 1.0,
            "{acme:?} {beta:?}"
        );
        assert!((beta[0].1 - acme[0].1).abs() <= 1.0);
    }

    #[test]
    fn every_kind_draws_and_names_its_categories() {
        let wb = ageing();
        for kind in [
            ChartKind::Column,
            ChartKind::ColumnStacked,
            ChartKind::Bar,
            ChartKind::BarStacked,
            ChartKind::Line,
            ChartKind::Pie,
            ChartKind::Doughnut,
        ] {
            let svg = chart_svg(&wb, &spec(kind, &["B", "C"])).unwrap();
            let labels = texts(&svg);
            assert!(
                labels.iter().any(|l| l == "over 90"),
                "{kind:?}: {labels:?}"
            );
        }
    }

    #[test]
    fn a_pie_has_one_slice_per_value_with_its_share() {
        let svg = chart_svg(&ageing(), &spec(ChartKind::Pie, &["B"])).unwrap();
        assert_eq!(svg.matches("<polygon").count(), 4, "{svg}");
        let labels = texts(&svg);
        // 400 of 800 is half the pie.
        assert!(labels.iter().any(|l| l.starts_with("50")), "{labels:?}");
        assert!(labels.iter().any(|l| l.starts_with("12.5")), "{labels:?}");
    }

    #[test]
    fn a_scatter_chart_puts_points_at_their_x_and_y() {
        let mut wb = ageing();
        let s = wb.sheet_mut("Ageing").unwrap();
        for (r, x) in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0)] {
            s.set_value(CellAddr::new(r, 0), Value::from_f64(x));
        }
        let svg = chart_svg(&wb, &spec(ChartKind::Scatter, &["B"])).unwrap();
        let data = chart_data(&wb, &spec(ChartKind::Scatter, &["B"])).unwrap();
        assert_eq!(
            data.x_values,
            vec![Some(1.0), Some(2.0), Some(4.0), Some(8.0)]
        );
        assert_eq!(svg.matches("<circle").count(), 4, "four points: {svg}");
    }

    #[test]
    fn gaps_text_and_formats_are_read_as_excel_draws_them() {
        let mut wb = ageing();
        let s = wb.sheet_mut("Ageing").unwrap();
        s.set_value(CellAddr::new(2, 1), Value::Empty);
        s.set_value(CellAddr::new(3, 1), Value::text("n/a"));
        let data = chart_data(&wb, &spec(ChartKind::Line, &["B"])).unwrap();
        assert_eq!(
            data.series[0].values,
            vec![Some(100.0), None, Some(0.0), Some(400.0)]
        );
        assert_eq!(data.series[0].name, "Acme");
    }

    #[test]
    fn charts_beyond_the_point_limit_or_on_missing_sheets_are_refused_with_a_message() {
        let mut wb = ageing();
        wb.sheet_mut("Ageing")
            .unwrap()
            .set_value(CellAddr::new(9_999, 1), Value::from_f64(1.0));
        let mut big = spec(ChartKind::Column, &["B"]);
        big.series[0].values = range("Ageing", "B:B");
        let err = chart_svg(&wb, &big).unwrap_err().to_string();
        assert!(
            err.contains("\"Ageing\"") && err.contains("10000 values"),
            "{err}"
        );
        let mut gone = spec(ChartKind::Column, &["B"]);
        gone.series[0].values = range("Gone", "B2:B5");
        let err = chart_svg(&wb, &gone).unwrap_err().to_string();
        assert!(err.contains("Gone!B2:B5"), "{err}");
    }

    #[test]
    fn labels_are_escaped_for_a_page() {
        let mut wb = ageing();
        wb.sheet_mut("Ageing")
            .unwrap()
            .set_value(CellAddr::new(1, 0), Value::text("<script>x</script>"));
        let svg = chart_svg(&wb, &spec(ChartKind::Column, &["B"])).unwrap();
        assert!(
            !svg.contains("<script>") && svg.contains("&lt;script&gt;"),
            "{svg}"
        );
    }
}
