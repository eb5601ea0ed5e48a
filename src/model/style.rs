//! Cell styles: number format, font, fill, border, alignment.
//!
//! Styles live once in the workbook's [`StyleTable`]; cells refer to them by
//! [`StyleId`]. For an xlsx input the ids are the file's own cell-format
//! (`xf`) indices, so an unchanged cell keeps its exact style on write-back
//! and a new style is appended after the file's own.

use rust_decimal::Decimal;
use std::collections::HashMap;

/// Index of a style in the workbook's [`StyleTable`]; 0 is the default.
pub type StyleId = u32;

/// A colour as ARGB (`0xFF000000` is opaque black).
pub type Argb = u32;

/// Font properties that matter for finance workbooks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Font {
    /// Font family name, such as `Calibri`.
    pub name: Option<String>,
    /// Size in points.
    pub size: Option<Decimal>,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Underline (any style).
    pub underline: bool,
    /// Strike-through.
    pub strikethrough: bool,
    /// Font colour.
    pub color: Option<Argb>,
}

/// Horizontal alignment of cell content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HAlign {
    /// Excel's default: text left, numbers right.
    #[default]
    General,
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
    /// Justify.
    Justify,
    /// Centre across selection.
    CenterContinuous,
    /// Fill.
    Fill,
    /// Distributed.
    Distributed,
}

/// Vertical alignment of cell content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum VAlign {
    /// Bottom (Excel's default).
    #[default]
    Bottom,
    /// Top.
    Top,
    /// Centre.
    Center,
    /// Justify.
    Justify,
    /// Distributed.
    Distributed,
}

/// Alignment and text control.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Alignment {
    /// Horizontal alignment.
    pub horizontal: HAlign,
    /// Vertical alignment.
    pub vertical: VAlign,
    /// Wrap text.
    pub wrap_text: bool,
    /// Indent level.
    pub indent: u8,
    /// Text rotation in degrees (0-180), or 255 for stacked text.
    pub rotation: u16,
    /// Shrink to fit.
    pub shrink_to_fit: bool,
}

/// Line style of one cell edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum LineStyle {
    /// No line.
    #[default]
    None,
    /// Thin.
    Thin,
    /// Medium.
    Medium,
    /// Thick.
    Thick,
    /// Double.
    Double,
    /// Dashed.
    Dashed,
    /// Dotted.
    Dotted,
    /// Hair.
    Hair,
    /// Any of Excel's other patterned lines.
    Other,
}

/// One cell edge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Edge {
    /// Line style.
    pub style: LineStyle,
    /// Line colour.
    pub color: Option<Argb>,
}

/// The four cell edges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Border {
    /// Left edge.
    pub left: Edge,
    /// Right edge.
    pub right: Edge,
    /// Top edge.
    pub top: Edge,
    /// Bottom edge.
    pub bottom: Edge,
}

/// A complete cell style.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Style {
    /// Number format code, such as `#,##0.00 [$EUR]` or `yyyy-mm-dd`;
    /// empty for `General`.
    pub number_format: String,
    /// Font.
    pub font: Font,
    /// Solid fill colour, if any.
    pub fill: Option<Argb>,
    /// Borders.
    pub border: Border,
    /// Alignment.
    pub alignment: Alignment,
}

impl Style {
    /// A style with only a number format.
    pub fn with_number_format(code: &str) -> Style {
        Style {
            number_format: code.to_string(),
            ..Style::default()
        }
    }

    /// Whether the number format displays dates or times.
    pub fn is_date_format(&self) -> bool {
        is_date_format(&self.number_format)
    }
}

/// Whether a number format code displays a date or time (`d`, `m`, `y`,
/// `h`, `s` outside quotes, brackets and escapes; `[h]` durations count).
pub fn is_date_format(code: &str) -> bool {
    let mut in_quotes = false;
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            _ if in_quotes => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let mut inner = String::new();
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    inner.push(c);
                }
                let lower = inner.to_ascii_lowercase();
                if ["h", "hh", "m", "mm", "s", "ss"].contains(&lower.as_str()) {
                    return true;
                }
            }
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' => return true,
            _ => {}
        }
    }
    false
}

/// The workbook's styles, interned: equal styles share one id.
#[derive(Debug, Clone)]
pub struct StyleTable {
    styles: Vec<Style>,
    index: HashMap<Style, StyleId>,
}

impl Default for StyleTable {
    fn default() -> Self {
        StyleTable::new()
    }
}

impl StyleTable {
    /// A table holding only the default style (id 0).
    pub fn new() -> StyleTable {
        StyleTable::from_palette(vec![Style::default()])
    }

    /// A table whose ids are the positions in `palette` (an xlsx file's
    /// cell formats, in file order). Duplicates keep their own ids.
    pub fn from_palette(mut palette: Vec<Style>) -> StyleTable {
        if palette.is_empty() {
            palette.push(Style::default());
        }
        let mut index = HashMap::new();
        for (i, s) in palette.iter().enumerate() {
            index.entry(s.clone()).or_insert(i as StyleId);
        }
        StyleTable {
            styles: palette,
            index,
        }
    }

    /// The style for an id (the default style for an unknown id).
    pub fn get(&self, id: StyleId) -> &Style {
        self.styles.get(id as usize).unwrap_or(&self.styles[0])
    }

    /// The id of `style`, adding it when new.
    pub fn intern(&mut self, style: Style) -> StyleId {
        if let Some(&id) = self.index.get(&style) {
            return id;
        }
        let id = self.styles.len() as StyleId;
        self.styles.push(style.clone());
        self.index.insert(style, id);
        id
    }

    /// Number of styles.
    pub fn len(&self) -> usize {
        self.styles.len()
    }

    /// Always false: the default style is always present.
    pub fn is_empty(&self) -> bool {
        self.styles.is_empty()
    }

    /// All styles in id order.
    pub fn iter(&self) -> impl Iterator<Item = (StyleId, &Style)> {
        self.styles
            .iter()
            .enumerate()
            .map(|(i, s)| (i as StyleId, s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_are_recognised() {
        for code in [
            "yyyy-mm-dd",
            "d.m.yyyy",
            "[h]:mm:ss",
            "h:mm AM/PM",
            "mmm-yy",
        ] {
            assert!(is_date_format(code), "{code}");
        }
        for code in [
            "",
            "General",
            "#,##0.00",
            "0%",
            "\"days\" 0",
            "[Red]#,##0",
            "0.00E+00",
            "#,##0 [$EUR]",
        ] {
            assert!(!is_date_format(code), "{code}");
        }
    }

    #[test]
    fn interning_reuses_ids_and_keeps_palette_positions() {
        let mut t =
            StyleTable::from_palette(vec![Style::default(), Style::with_number_format("0.00")]);
        assert_eq!(t.intern(Style::with_number_format("0.00")), 1);
        assert_eq!(t.intern(Style::with_number_format("0%")), 2);
        assert_eq!(t.get(2).number_format, "0%");
        assert_eq!(t.get(99), &Style::default());
    }
}
