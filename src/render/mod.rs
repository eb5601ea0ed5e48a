//! Pictures of what a run added to a workbook, for people who look rather
//! than read: the charts as SVG ([`chart_svg`]) and the highlights as the
//! fill, font colour and weight each cell would show ([`highlights`]).
//!
//! They are computed from the model alone, beside the writers (which put
//! the same charts and rules into the file for Excel to draw): the web
//! page's preview shows them before anything is written, and nothing here
//! depends on the server.

pub mod chart_svg;
pub mod highlights;

pub use chart_svg::{chart_data, chart_svg, ChartData, SeriesData, MAX_CHART_POINTS};
pub use highlights::{cell_looks, CellLook, LookOptions};
