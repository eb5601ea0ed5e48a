//! What a script asks a sheet to show beyond its cells: charts, conditional
//! formats (highlights), frozen panes and a filter. Both writers carry
//! these: a new workbook through rust_xlsxwriter, a patched one as new
//! parts and elements beside the user's own.

use super::{CellAddr, RangeAddr};

/// The charts, highlights and views a run added to one sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetVisuals {
    /// Charts in the order added; names are unique (case-insensitively).
    pub charts: Vec<ChartSpec>,
    /// Conditional formats in the order added.
    pub highlights: Vec<Highlight>,
    /// The first cell below and right of the frozen panes.
    pub freeze: Option<CellAddr>,
    /// An autofilter the run put on the sheet.
    pub filter: Option<RangeAddr>,
}

impl SheetVisuals {
    /// Whether the run added nothing.
    pub fn is_empty(&self) -> bool {
        self.charts.is_empty()
            && self.highlights.is_empty()
            && self.freeze.is_none()
            && self.filter.is_none()
    }

    /// Adds `chart`, replacing one of the same name.
    pub fn put_chart(&mut self, chart: ChartSpec) {
        match self
            .charts
            .iter_mut()
            .find(|c| c.name.eq_ignore_ascii_case(&chart.name))
        {
            Some(old) => *old = chart,
            None => self.charts.push(chart),
        }
    }
}

/// The kinds of chart a script can add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars side by side.
    Column,
    /// Vertical bars stacked.
    ColumnStacked,
    /// Horizontal bars side by side.
    Bar,
    /// Horizontal bars stacked.
    BarStacked,
    /// Lines.
    Line,
    /// A pie of the first series.
    Pie,
    /// A ring of the first series.
    Doughnut,
    /// Points at (x, y): categories are the x values.
    Scatter,
}

impl ChartKind {
    /// The kind a script names (`"column"`, `"bar"`, `"pie"`, ...), with
    /// `stacked` for stacked bars and columns; `None` for an unknown name.
    pub fn parse(name: &str, stacked: bool) -> Option<ChartKind> {
        let name = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let kind = match name.as_str() {
            "column" => ChartKind::Column,
            "column_stacked" | "stacked_column" => ChartKind::ColumnStacked,
            "bar" => ChartKind::Bar,
            "bar_stacked" | "stacked_bar" => ChartKind::BarStacked,
            "line" => ChartKind::Line,
            "pie" => ChartKind::Pie,
            "doughnut" | "donut" => ChartKind::Doughnut,
            "scatter" => ChartKind::Scatter,
            _ => return None,
        };
        Some(match (kind, stacked) {
            (ChartKind::Column, true) => ChartKind::ColumnStacked,
            (ChartKind::Bar, true) => ChartKind::BarStacked,
            (k, _) => k,
        })
    }

    /// The kind's name as a chart title would say it.
    pub fn label(self) -> &'static str {
        match self {
            ChartKind::Column => "Column",
            ChartKind::ColumnStacked => "Stacked column",
            ChartKind::Bar => "Bar",
            ChartKind::BarStacked => "Stacked bar",
            ChartKind::Line => "Line",
            ChartKind::Pie => "Pie",
            ChartKind::Doughnut => "Doughnut",
            ChartKind::Scatter => "Scatter",
        }
    }

    /// The names `parse` takes, for messages.
    pub const NAMES: &'static str = "column, bar, line, pie, doughnut, scatter (column and bar \
                                     also stacked: \"column_stacked\" or stacked: true)";
}

/// A block of cells on a named sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRange {
    /// The sheet's name.
    pub sheet: String,
    /// The cells.
    pub range: RangeAddr,
}

/// One series of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSpec {
    /// The cell holding the series name (its column header), if any.
    pub name: Option<SheetRange>,
    /// The values.
    pub values: SheetRange,
}

/// Where a chart's legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LegendPosition {
    /// To the right of the plot (Excel's default).
    #[default]
    Right,
    /// Left of the plot.
    Left,
    /// Above the plot.
    Top,
    /// Below the plot.
    Bottom,
    /// No legend.
    None,
}

/// A chart a script added to a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// The chart's name (shown in Excel's selection pane); a re-run that
    /// adds a chart of the same name to the sheet replaces it.
    pub name: String,
    /// What kind of chart.
    pub kind: ChartKind,
    /// The category labels (the x values of a scatter chart).
    pub categories: Option<SheetRange>,
    /// The series, at least one.
    pub series: Vec<SeriesSpec>,
    /// The title above the chart.
    pub title: Option<String>,
    /// The category axis title.
    pub x_title: Option<String>,
    /// The value axis title.
    pub y_title: Option<String>,
    /// Where the legend goes.
    pub legend: LegendPosition,
    /// Number format of the values (axis labels).
    pub number_format: Option<String>,
    /// The cell the chart's top-left corner sits on.
    pub anchor: CellAddr,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl ChartSpec {
    /// Follows a rename of sheet `old` to `new` in the ranges it shows.
    pub fn rename_sheet(&mut self, old: &str, new: &str) {
        let ranges = self
            .series
            .iter_mut()
            .flat_map(|s| std::iter::once(&mut s.values).chain(s.name.as_mut()))
            .chain(self.categories.as_mut());
        for r in ranges {
            if r.sheet.eq_ignore_ascii_case(old) {
                r.sheet = new.to_string();
            }
        }
    }
}

/// A conditional format: the cells of `range` that meet `rule` show in
/// `style`.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlight {
    /// The cells the rule applies to.
    pub range: RangeAddr,
    /// Which cells are highlighted.
    pub rule: HighlightRule,
    /// How they look.
    pub style: HighlightStyle,
}

/// Comparison operators of a cell-value rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `=`
    Equal,
    /// `<>`
    NotEqual,
}

/// Which cells a highlight picks. Operands are Excel formula text (`90`,
/// `"Paid"`, `$B$1`), relative to the range's first cell.
#[derive(Debug, Clone, PartialEq)]
pub enum HighlightRule {
    /// The cell's value compared with an operand.
    Cell(Comparison, String),
    /// The value between two operands (inclusive); `false`: not between.
    Between(String, String, bool),
    /// Text containing this text.
    Contains(String),
    /// Dates more than this many days before the day the file is opened.
    OlderThanDays(u32),
    /// Values that occur more than once in the range.
    Duplicates,
    /// Values that occur once in the range.
    Unique,
    /// The N highest (`true`) or lowest values, or percent of them.
    Top {
        /// Highest (`true`) or lowest.
        highest: bool,
        /// How many.
        count: u16,
        /// `count` is a percentage of the cells.
        percent: bool,
    },
    /// A formula true for the cells to highlight (`=$F2<TODAY()`).
    Formula(String),
    /// A bar in each cell as long as its value.
    DataBar,
    /// A colour from low to high (two colours) or through a middle one.
    ColorScale(u8),
}

/// How highlighted cells look; colours are `RRGGBB`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HighlightStyle {
    /// Background colour.
    pub fill: Option<u32>,
    /// Text colour.
    pub font: Option<u32>,
    /// Bold text.
    pub bold: bool,
    /// Colour scales: the colours of the lowest, middle and highest values.
    pub scale: Vec<u32>,
}
