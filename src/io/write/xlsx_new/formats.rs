//! Model styles as rust_xlsxwriter formats: number format, font, fill,
//! borders and alignment, one format per distinct style.

use crate::model::style::{HAlign, LineStyle, VAlign};
use crate::model::{DateKind, Style, StyleId, Workbook};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatUnderline};
use std::collections::HashMap;

/// rust_xlsxwriter formats by model style, so each distinct style (and
/// date fallback) becomes one format.
#[derive(Default)]
pub(super) struct FormatCache {
    formats: HashMap<(StyleId, Option<&'static str>), Format>,
}

impl FormatCache {
    /// The format for `id`; `date_code` replaces a number format that does
    /// not display dates, for date values.
    pub(super) fn get(
        &mut self,
        workbook: &Workbook,
        id: StyleId,
        date_code: Option<&'static str>,
    ) -> &Format {
        self.formats.entry((id, date_code)).or_insert_with(|| {
            let style = workbook.styles.get(id);
            let format = to_format(style);
            match date_code {
                // Index 0 clears a built-in id, which would win over the code.
                Some(code) => format.set_num_format_index(0).set_num_format(code),
                None => format,
            }
        })
    }
}

/// The number format a date value gets when its style has none.
pub(super) fn default_date_code(kind: DateKind) -> &'static str {
    match kind {
        DateKind::Date => "yyyy-mm-dd",
        DateKind::DateTime => "yyyy-mm-dd hh:mm:ss",
        DateKind::Time => "hh:mm:ss",
        DateKind::Duration => "[h]:mm:ss",
    }
}

fn color(argb: u32) -> Color {
    Color::RGB(argb & 0x00FF_FFFF)
}

fn border(style: LineStyle) -> FormatBorder {
    match style {
        LineStyle::None => FormatBorder::None,
        LineStyle::Thin => FormatBorder::Thin,
        LineStyle::Medium => FormatBorder::Medium,
        LineStyle::Thick => FormatBorder::Thick,
        LineStyle::Double => FormatBorder::Double,
        LineStyle::Dashed => FormatBorder::Dashed,
        LineStyle::Dotted => FormatBorder::Dotted,
        LineStyle::Hair => FormatBorder::Hair,
        // The model does not say which patterned line; a dash keeps the
        // edge visible and patterned.
        LineStyle::Other => FormatBorder::DashDot,
    }
}

/// Converts a model style into a rust_xlsxwriter format.
fn to_format(style: &Style) -> Format {
    let mut f = Format::new();
    let code = style.number_format.as_str();
    if !code.is_empty() && !code.eq_ignore_ascii_case("general") {
        // A built-in format goes by its id, as Excel writes it, so Excel
        // shows it in the reader's locale (id 14 is the short date).
        f = match crate::numfmt::builtin_format_id(code).and_then(|id| u8::try_from(id).ok()) {
            Some(id) => f.set_num_format_index(id),
            None => f.set_num_format(code),
        };
    }
    let font = &style.font;
    if let Some(name) = &font.name {
        f = f.set_font_name(name);
    }
    if let Some(size) = font.size.and_then(|s| s.to_f64()) {
        f = f.set_font_size(size);
    }
    if font.bold {
        f = f.set_bold();
    }
    if font.italic {
        f = f.set_italic();
    }
    if font.underline {
        f = f.set_underline(FormatUnderline::Single);
    }
    if font.strikethrough {
        f = f.set_font_strikethrough();
    }
    if let Some(c) = font.color {
        f = f.set_font_color(color(c));
    }
    if let Some(c) = style.fill {
        f = f.set_background_color(color(c));
    }
    let b = &style.border;
    let edges = [
        (
            &b.left,
            Format::set_border_left as fn(Format, FormatBorder) -> Format,
            Format::set_border_left_color as fn(Format, Color) -> Format,
        ),
        (
            &b.right,
            Format::set_border_right,
            Format::set_border_right_color,
        ),
        (&b.top, Format::set_border_top, Format::set_border_top_color),
        (
            &b.bottom,
            Format::set_border_bottom,
            Format::set_border_bottom_color,
        ),
    ];
    for (edge, set_style, set_color) in edges {
        if edge.style != LineStyle::None {
            f = set_style(f, border(edge.style));
            if let Some(c) = edge.color {
                f = set_color(f, color(c));
            }
        }
    }
    let a = &style.alignment;
    let horizontal = match a.horizontal {
        HAlign::General => None,
        HAlign::Left => Some(FormatAlign::Left),
        HAlign::Center => Some(FormatAlign::Center),
        HAlign::Right => Some(FormatAlign::Right),
        HAlign::Justify => Some(FormatAlign::Justify),
        HAlign::CenterContinuous => Some(FormatAlign::CenterAcross),
        HAlign::Fill => Some(FormatAlign::Fill),
        HAlign::Distributed => Some(FormatAlign::Distributed),
    };
    if let Some(h) = horizontal {
        f = f.set_align(h);
    }
    let vertical = match a.vertical {
        VAlign::Bottom => None,
        VAlign::Top => Some(FormatAlign::Top),
        VAlign::Center => Some(FormatAlign::VerticalCenter),
        VAlign::Justify => Some(FormatAlign::VerticalJustify),
        VAlign::Distributed => Some(FormatAlign::VerticalDistributed),
    };
    if let Some(v) = vertical {
        f = f.set_align(v);
    }
    if a.wrap_text {
        f = f.set_text_wrap();
    }
    if a.indent > 0 {
        f = f.set_indent(a.indent);
    }
    if a.shrink_to_fit {
        f = f.set_shrink();
    }
    // xlsx stores downward rotation as 91..=180 and stacked text as 255;
    // rust_xlsxwriter takes -90..=90 and 270.
    match a.rotation {
        0 => {}
        r @ 1..=90 => f = f.set_rotation(r as i16),
        r @ 91..=180 => f = f.set_rotation(90 - r as i16),
        255 => f = f.set_rotation(270),
        _ => {}
    }
    f
}
