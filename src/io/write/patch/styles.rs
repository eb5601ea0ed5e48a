//! Appending the run's new cell styles to `xl/styles.xml`. The file's own
//! entries keep their positions (cells refer to them by index); new number
//! formats, fonts, fills, borders and cell formats go at the end of their
//! lists and the `count` attributes follow.

use super::cell::{parse_u32, push_u32};
use crate::io::ooxml::xml::{push_escaped, replace_attrs};
use crate::io::ooxml::PackageError;
use crate::model::style::{Border, Edge, Font, HAlign, LineStyle, VAlign};
use crate::model::{Style, StyleTable};
use quick_xml::events::Event;
use quick_xml::{Reader, Writer};

/// What the file's styles part already holds.
#[derive(Debug, Default)]
pub(super) struct StylesSummary {
    /// Number of cell formats (`<xf>` in `<cellXfs>`).
    pub cell_xfs: u32,
    fonts: u32,
    fills: u32,
    borders: u32,
    cell_style_xfs: u32,
    num_fmts: Vec<(u32, String)>,
}

/// How errors name the styles part.
const PART: &str = "styles.xml";

fn xml_err(e: impl std::fmt::Display) -> PackageError {
    PackageError::xml(PART, e)
}

/// Reads the counts and number formats of a styles part.
pub(super) fn summarize(xml: &[u8]) -> Result<StylesSummary, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut summary = StylesSummary::default();
    let mut stack: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let (e, empty) = match reader.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            _ => continue,
        };
        let name = e.local_name().as_ref().to_string();
        let parent = stack.last().map(String::as_str);
        match (parent, name.as_str()) {
            (Some("cellXfs"), "xf") => summary.cell_xfs += 1,
            (Some("fonts"), "font") => summary.fonts += 1,
            (Some("fills"), "fill") => summary.fills += 1,
            (Some("borders"), "border") => summary.borders += 1,
            (Some("cellStyleXfs"), "xf") => summary.cell_style_xfs += 1,
            (Some("numFmts"), "numFmt") => {
                let mut id = None;
                let mut code = String::new();
                for attr in e.attributes().with_checks(false).flatten() {
                    match attr.key.local_name().as_ref() {
                        "numFmtId" => id = parse_u32(attr.value.as_bytes()),
                        "formatCode" => {
                            code = attr
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_err(xml_err)?
                                .into_owned()
                        }
                        _ => {}
                    }
                }
                if let Some(id) = id {
                    summary.num_fmts.push((id, code));
                }
            }
            _ => {}
        }
        if !empty {
            stack.push(name);
        }
    }
    Ok(summary)
}

/// New entries for each list, as XML fragments.
#[derive(Default)]
struct Additions {
    num_fmts: Vec<u8>,
    num_fmt_count: u32,
    fonts: Vec<Font>,
    fills: Vec<u32>,
    borders: Vec<Border>,
    xfs: Vec<u8>,
    xf_count: u32,
}

/// `xml` with styles `summary.cell_xfs..=last_id` of `table` appended.
pub(super) fn append_styles(
    xml: &[u8],
    summary: &StylesSummary,
    table: &StyleTable,
    last_id: u32,
) -> Result<Vec<u8>, PackageError> {
    let mut add = Additions::default();
    let mut formats = summary.num_fmts.clone();
    let mut next_fmt = formats
        .iter()
        .map(|(id, _)| id + 1)
        .max()
        .unwrap_or(0)
        .max(164);
    let base = Bases::of(summary);
    for id in summary.cell_xfs..=last_id {
        let style = table.get(id);
        let num_fmt_id = number_format_id(style, &mut formats, &mut next_fmt, &mut add);
        let font_id = if style.font == Font::default() {
            0
        } else {
            base.fonts + index_of(&mut add.fonts, &style.font)
        };
        let fill_id = match style.fill {
            None => 0,
            Some(argb) => base.fills + index_of(&mut add.fills, &argb),
        };
        let border_id = if style.border == Border::default() {
            0
        } else {
            base.borders + index_of(&mut add.borders, &style.border)
        };
        push_xf(&mut add.xfs, style, num_fmt_id, font_id, fill_id, border_id);
        add.xf_count += 1;
    }
    rewrite(xml, summary, &add)
}

/// Where new fonts, fills and borders start. A styles part without them
/// (a bare `<styleSheet/>`, as some generators write) first gets Excel's
/// defaults, which index 0 of each list (and new cell formats) refer to:
/// one font, the `none` and `gray125` fills, one empty border.
struct Bases {
    fonts: u32,
    fills: u32,
    borders: u32,
}

impl Bases {
    fn of(summary: &StylesSummary) -> Bases {
        Bases {
            fonts: summary.fonts.max(1),
            fills: if summary.fills == 0 { 2 } else { summary.fills },
            borders: summary.borders.max(1),
        }
    }
}

fn index_of<T: PartialEq + Clone>(list: &mut Vec<T>, item: &T) -> u32 {
    match list.iter().position(|x| x == item) {
        Some(i) => i as u32,
        None => {
            list.push(item.clone());
            (list.len() - 1) as u32
        }
    }
}

fn number_format_id(
    style: &Style,
    formats: &mut Vec<(u32, String)>,
    next: &mut u32,
    add: &mut Additions,
) -> u32 {
    let code = style.number_format.as_str();
    if code.is_empty() || code.eq_ignore_ascii_case("general") {
        return 0;
    }
    if let Some((id, _)) = formats.iter().find(|(_, c)| c == code) {
        return *id;
    }
    if let Some(id) = crate::numfmt::builtin_format_id(code) {
        return id;
    }
    let id = *next;
    *next += 1;
    formats.push((id, code.to_string()));
    add.num_fmts.extend_from_slice(b"<numFmt numFmtId=\"");
    push_u32(&mut add.num_fmts, id);
    add.num_fmts.extend_from_slice(b"\" formatCode=\"");
    push_escaped(&mut add.num_fmts, code, false);
    add.num_fmts.extend_from_slice(b"\"/>");
    add.num_fmt_count += 1;
    id
}

fn push_argb(out: &mut Vec<u8>, argb: u32) {
    out.extend_from_slice(format!("<color rgb=\"{argb:08X}\"/>").as_bytes());
}

fn push_font(out: &mut Vec<u8>, font: &Font) {
    out.extend_from_slice(b"<font>");
    if font.bold {
        out.extend_from_slice(b"<b/>");
    }
    if font.italic {
        out.extend_from_slice(b"<i/>");
    }
    if font.strikethrough {
        out.extend_from_slice(b"<strike/>");
    }
    if font.underline {
        out.extend_from_slice(b"<u/>");
    }
    let size = font
        .size
        .map_or_else(|| "11".to_string(), |s| s.normalize().to_string());
    out.extend_from_slice(format!("<sz val=\"{size}\"/>").as_bytes());
    match font.color {
        Some(c) => push_argb(out, c),
        None => out.extend_from_slice(b"<color theme=\"1\"/>"),
    }
    out.extend_from_slice(b"<name val=\"");
    push_escaped(out, font.name.as_deref().unwrap_or("Calibri"), false);
    out.extend_from_slice(b"\"/><family val=\"2\"/></font>");
}

fn push_fill(out: &mut Vec<u8>, argb: u32) {
    out.extend_from_slice(
        format!(
            "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"{argb:08X}\"/><bgColor indexed=\"64\"/></patternFill></fill>"
        )
        .as_bytes(),
    );
}

fn push_edge(out: &mut Vec<u8>, tag: &str, edge: &Edge) {
    let style = match edge.style {
        LineStyle::None => {
            out.extend_from_slice(format!("<{tag}/>").as_bytes());
            return;
        }
        LineStyle::Thin => "thin",
        LineStyle::Medium => "medium",
        LineStyle::Thick => "thick",
        LineStyle::Double => "double",
        LineStyle::Dashed => "dashed",
        LineStyle::Dotted => "dotted",
        LineStyle::Hair => "hair",
        LineStyle::Other => "dashDot",
    };
    out.extend_from_slice(format!("<{tag} style=\"{style}\">").as_bytes());
    match edge.color {
        Some(c) => push_argb(out, c),
        None => out.extend_from_slice(b"<color indexed=\"64\"/>"),
    }
    out.extend_from_slice(format!("</{tag}>").as_bytes());
}

fn push_border(out: &mut Vec<u8>, border: &Border) {
    out.extend_from_slice(b"<border>");
    push_edge(out, "left", &border.left);
    push_edge(out, "right", &border.right);
    push_edge(out, "top", &border.top);
    push_edge(out, "bottom", &border.bottom);
    out.extend_from_slice(b"<diagonal/></border>");
}

fn push_xf(out: &mut Vec<u8>, style: &Style, num_fmt: u32, font: u32, fill: u32, border: u32) {
    out.extend_from_slice(
        format!(
            "<xf numFmtId=\"{num_fmt}\" fontId=\"{font}\" fillId=\"{fill}\" borderId=\"{border}\" xfId=\"0\""
        )
        .as_bytes(),
    );
    for (flag, on) in [
        ("applyNumberFormat", num_fmt != 0),
        ("applyFont", font != 0),
        ("applyFill", fill != 0),
        ("applyBorder", border != 0),
    ] {
        if on {
            out.extend_from_slice(format!(" {flag}=\"1\"").as_bytes());
        }
    }
    let a = &style.alignment;
    if *a == Default::default() {
        out.extend_from_slice(b"/>");
        return;
    }
    out.extend_from_slice(b" applyAlignment=\"1\"><alignment");
    let horizontal = match a.horizontal {
        HAlign::General => None,
        HAlign::Left => Some("left"),
        HAlign::Center => Some("center"),
        HAlign::Right => Some("right"),
        HAlign::Justify => Some("justify"),
        HAlign::CenterContinuous => Some("centerContinuous"),
        HAlign::Fill => Some("fill"),
        HAlign::Distributed => Some("distributed"),
    };
    if let Some(h) = horizontal {
        out.extend_from_slice(format!(" horizontal=\"{h}\"").as_bytes());
    }
    let vertical = match a.vertical {
        VAlign::Bottom => None,
        VAlign::Top => Some("top"),
        VAlign::Center => Some("center"),
        VAlign::Justify => Some("justify"),
        VAlign::Distributed => Some("distributed"),
    };
    if let Some(v) = vertical {
        out.extend_from_slice(format!(" vertical=\"{v}\"").as_bytes());
    }
    if a.rotation != 0 {
        out.extend_from_slice(format!(" textRotation=\"{}\"", a.rotation).as_bytes());
    }
    if a.wrap_text {
        out.extend_from_slice(b" wrapText=\"1\"");
    }
    if a.indent != 0 {
        out.extend_from_slice(format!(" indent=\"{}\"", a.indent).as_bytes());
    }
    if a.shrink_to_fit {
        out.extend_from_slice(b" shrinkToFit=\"1\"");
    }
    out.extend_from_slice(b"/></xf>");
}

/// Streams the styles part, adding the new entries at the end of each list.
fn rewrite(xml: &[u8], summary: &StylesSummary, add: &Additions) -> Result<Vec<u8>, PackageError> {
    let base = Bases::of(summary);
    let mut fonts = Vec::new();
    if summary.fonts == 0 {
        push_font(&mut fonts, &Font::default());
    }
    for f in &add.fonts {
        push_font(&mut fonts, f);
    }
    let mut fills = Vec::new();
    if summary.fills == 0 {
        fills.extend_from_slice(
            b"<fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>",
        );
    }
    for f in &add.fills {
        push_fill(&mut fills, *f);
    }
    let mut borders = Vec::new();
    if summary.borders == 0 {
        push_border(&mut borders, &Border::default());
    }
    for b in &add.borders {
        push_border(&mut borders, b);
    }
    // New cell formats refer to cell style 0 (`xfId="0"`).
    let style_xfs: &[u8] = if summary.cell_style_xfs == 0 {
        b"<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    } else {
        b""
    };
    let num_fmt_total = summary.num_fmts.len() as u32 + add.num_fmt_count;
    // (list element, new entries, new total), in the order the schema
    // wants them in <styleSheet>.
    let lists: [(&str, &[u8], u32); 6] = [
        ("numFmts", &add.num_fmts, num_fmt_total),
        ("fonts", &fonts, base.fonts + add.fonts.len() as u32),
        ("fills", &fills, base.fills + add.fills.len() as u32),
        ("borders", &borders, base.borders + add.borders.len() as u32),
        ("cellStyleXfs", style_xfs, 1),
        ("cellXfs", &add.xfs, summary.cell_xfs + add.xf_count),
    ];
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 1024));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    // Which lists the file has; a missing one with new entries is created
    // at its place in the schema order.
    let mut seen = [false; 6];
    let mut prefix = String::new();
    let w = |writer: &mut Writer<Vec<u8>>, ev: Event<'_>| {
        writer
            .write_event(ev)
            .map_err(|e| PackageError::part(PART, e))
    };
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(xml_err)?;
        match &event {
            Event::Start(e) | Event::Empty(e) if depth == 0 => {
                // Created lists take the root's namespace prefix.
                let name = e.name().as_ref().to_string();
                if let Some((p, _)) = name.split_once(':') {
                    prefix = format!("{p}:");
                }
            }
            Event::Start(e) | Event::Empty(e) if depth == 1 => {
                let order = schema_order(e.local_name().as_ref());
                create_missing(writer.get_mut(), &lists, &mut seen, &prefix, order);
                if let Some(i) = lists
                    .iter()
                    .position(|(n, _, _)| *n == e.local_name().as_ref())
                {
                    seen[i] = true;
                }
            }
            Event::End(_) if depth == 1 => {
                create_missing(writer.get_mut(), &lists, &mut seen, &prefix, usize::MAX);
            }
            _ => {}
        }
        match event {
            Event::Eof => break,
            Event::Start(e) => handle_start(&mut writer, Event::Start(e), &lists, &mut depth)?,
            Event::Empty(e) => handle_start(&mut writer, Event::Empty(e), &lists, &mut depth)?,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    if let Some((_, frag, _)) =
                        lists.iter().find(|(n, _, _)| *n == e.local_name().as_ref())
                    {
                        writer.get_mut().extend_from_slice(frag);
                    }
                }
                w(&mut writer, Event::End(e))?;
            }
            other => w(&mut writer, other)?,
        }
    }
    Ok(writer.into_inner())
}

/// Position of a `<styleSheet>` child in the schema's sequence.
fn schema_order(local_name: &str) -> usize {
    const ORDER: [&str; 11] = [
        "numFmts",
        "fonts",
        "fills",
        "borders",
        "cellStyleXfs",
        "cellXfs",
        "cellStyles",
        "dxfs",
        "tableStyles",
        "colors",
        "extLst",
    ];
    ORDER
        .iter()
        .position(|n| *n == local_name)
        .unwrap_or(usize::MAX)
}

/// Writes each list the file lacks that has new entries and comes before
/// schema position `before`.
fn create_missing(
    out: &mut Vec<u8>,
    lists: &[(&str, &[u8], u32); 6],
    seen: &mut [bool; 6],
    prefix: &str,
    before: usize,
) {
    for (i, (name, frag, total)) in lists.iter().enumerate() {
        if seen[i] || frag.is_empty() || schema_order(name) >= before {
            continue;
        }
        seen[i] = true;
        out.extend_from_slice(format!("<{prefix}{name} count=\"{total}\">").as_bytes());
        out.extend_from_slice(frag);
        out.extend_from_slice(format!("</{prefix}{name}>").as_bytes());
    }
}

fn handle_start(
    writer: &mut Writer<Vec<u8>>,
    event: Event<'_>,
    lists: &[(&str, &[u8], u32); 6],
    depth: &mut usize,
) -> Result<(), PackageError> {
    let (e, empty) = match event {
        Event::Start(e) => (e, false),
        Event::Empty(e) => (e, true),
        _ => unreachable!("only element starts are handled here"),
    };
    let list = if *depth == 1 {
        lists.iter().find(|(n, _, _)| *n == e.local_name().as_ref())
    } else {
        None
    };
    let result = match list {
        Some((_, frag, total)) if !frag.is_empty() => {
            let count = total.to_string();
            let e = replace_attrs(&e, &[("count", Some(&count))]);
            if empty {
                let name = e.name().as_ref().to_string();
                writer
                    .write_event(Event::Start(e))
                    .map_err(|e| PackageError::part(PART, e))?;
                let out = writer.get_mut();
                out.extend_from_slice(frag);
                out.extend_from_slice(b"</");
                out.extend_from_slice(name.as_bytes());
                out.push(b'>');
                return Ok(());
            }
            writer.write_event(Event::Start(e))
        }
        _ if empty => writer.write_event(Event::Empty(e)),
        _ => writer.write_event(Event::Start(e)),
    };
    if !empty {
        *depth += 1;
    }
    result.map_err(|e| PackageError::part(PART, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0"?><styleSheet xmlns="x"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="2"><fill/><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#;

    #[test]
    fn new_styles_are_appended_with_counts() {
        let summary = summarize(XML.as_bytes()).unwrap();
        assert_eq!(summary.cell_xfs, 2);
        let mut table = StyleTable::from_palette(vec![
            Style::default(),
            Style::with_number_format("mm-dd-yy"),
        ]);
        let mut bold = Style::with_number_format("#,##0.00 [$EUR]");
        bold.font.bold = true;
        bold.fill = Some(0xFFFFFF00);
        let id = table.intern(bold);
        let out = String::from_utf8(append_styles(XML.as_bytes(), &summary, &table, id).unwrap())
            .unwrap();
        assert!(out.contains(r##"<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00 [$EUR]"/></numFmts><fonts count="2">"##), "{out}");
        assert!(out.contains(r#"<fills count="3"><fill/><fill/><fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/>"#), "{out}");
        assert!(out.contains(r#"<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164" fontId="1" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/></cellXfs>"#), "{out}");
        assert!(
            out.contains(r#"<borders count="1"><border/></borders>"#),
            "{out}"
        );
    }

    #[test]
    fn a_bare_stylesheet_gets_the_lists_it_lacks() {
        // Some generators write an empty <styleSheet>: a new date format
        // must still land, with Excel's default entries before it.
        const BARE: &str =
            r#"<?xml version="1.0"?><x:styleSheet xmlns:x="m"><x:dxfs count="0"/></x:styleSheet>"#;
        let summary = summarize(BARE.as_bytes()).unwrap();
        let mut table = StyleTable::new();
        let id = table.intern(Style::with_number_format("dd.mm.yyyy"));
        let out = String::from_utf8(append_styles(BARE.as_bytes(), &summary, &table, id).unwrap())
            .unwrap();
        assert_eq!(
            out,
            concat!(
                r#"<?xml version="1.0"?><x:styleSheet xmlns:x="m">"#,
                r#"<x:numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></x:numFmts>"#,
                r#"<x:fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/></font></x:fonts>"#,
                r#"<x:fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></x:fills>"#,
                r#"<x:borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></x:borders>"#,
                r#"<x:cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></x:cellStyleXfs>"#,
                r#"<x:cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></x:cellXfs>"#,
                r#"<x:dxfs count="0"/></x:styleSheet>"#
            ),
        );
    }
}
