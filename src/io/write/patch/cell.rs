//! Encoding one model cell as SpreadsheetML `<c>` XML, and the small byte
//! helpers (A1 references, XML escaping) the streaming rewriters share.

use crate::io::ooxml::xml::push_escaped;
use crate::model::RangeAddr;
use crate::model::{Cell, CellAddr, DateSystem, ErrorKind, Number, Sheet, Value};
use std::io::Write;

/// Appends the A1 form of `addr` (`AB12`) without allocating.
pub(super) fn push_a1(out: &mut Vec<u8>, addr: CellAddr) {
    push_col_letters(out, addr.col);
    push_u32(out, addr.row + 1);
}

/// Appends column letters for a zero-based column.
pub(super) fn push_col_letters(out: &mut Vec<u8>, col: u32) {
    let mut letters = [0u8; 4];
    let mut n = col + 1;
    let mut i = letters.len();
    while n > 0 && i > 0 {
        i -= 1;
        letters[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.extend_from_slice(&letters[i..]);
}

/// Appends a decimal integer.
pub(super) fn push_u32(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Parses an A1 cell reference (`$` signs allowed) into a zero-based
/// address; `None` for anything else.
pub(super) fn parse_a1(bytes: &[u8]) -> Option<CellAddr> {
    let mut i = 0;
    let mut col: u32 = 0;
    if bytes.first() == Some(&b'$') {
        i += 1;
    }
    let letters_start = i;
    while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(bytes[i].to_ascii_uppercase() - b'A' + 1))?;
        i += 1;
    }
    if i == letters_start || i - letters_start > 3 || col > crate::model::address::MAX_COLS {
        return None;
    }
    if bytes.get(i) == Some(&b'$') {
        i += 1;
    }
    let row = parse_u32(&bytes[i..])?;
    if row == 0 || row > crate::model::address::MAX_ROWS {
        return None;
    }
    Some(CellAddr::new(row - 1, col - 1))
}

/// Parses a plain unsigned decimal integer.
pub(super) fn parse_u32(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 10 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    u32::try_from(n).ok()
}

/// Parses `A1` or `A1:D20` (the forms `<dimension>` uses).
pub(super) fn parse_range(bytes: &[u8]) -> Option<RangeAddr> {
    match bytes.iter().position(|&b| b == b':') {
        Some(i) => Some(RangeAddr::new(
            parse_a1(&bytes[..i])?,
            parse_a1(&bytes[i + 1..])?,
        )),
        None => parse_a1(bytes).map(RangeAddr::cell),
    }
}

/// Appends `A1:D20` (or `A1` for one cell).
pub(super) fn push_range(out: &mut Vec<u8>, range: RangeAddr) {
    push_a1(out, range.start);
    if range.end != range.start {
        out.push(b':');
        push_a1(out, range.end);
    }
}

/// Whether Excel accepts this error in a `t="e"` cell; the newer or
/// sheetscript-only kinds are written as text instead so the file never
/// needs repair.
fn is_file_error(e: ErrorKind) -> bool {
    matches!(
        e,
        ErrorKind::Null
            | ErrorKind::Div0
            | ErrorKind::Value
            | ErrorKind::Ref
            | ErrorKind::Name
            | ErrorKind::Num
            | ErrorKind::NA
            | ErrorKind::GettingData
    )
}

/// How a formula cell's `<f>` is to be written.
#[derive(Debug, Clone, Copy, Default)]
pub(super) enum FormulaKind<'a> {
    /// A plain formula.
    #[default]
    Normal,
    /// An array formula whose result covers `range`; `dynamic` is the
    /// cell metadata record (`cm`) that marks a dynamic-array formula,
    /// `None` for a legacy (Ctrl+Shift+Enter) one.
    Array {
        /// The cells the result covers, anchor included.
        range: RangeAddr,
        /// The `cm` of a dynamic-array formula.
        dynamic: Option<u32>,
    },
    /// The first cell of a what-if data table, whose `<f t="dataTable">`
    /// (as the file wrote it) is written before its value: the table's
    /// other cells hold values only.
    DataTable {
        /// The `<f .../>` element.
        xml: &'a str,
    },
}

impl<'a> FormulaKind<'a> {
    /// How the formula at `addr` of `sheet` is written, from the model's
    /// array formulas; `dynamic_cm` is the cell metadata record that marks
    /// a dynamic-array formula in the package, `None` where it has none
    /// (a dynamic formula is then written as a legacy array over its
    /// spill, which shows the same values).
    pub(super) fn of(sheet: &'a Sheet, addr: CellAddr, dynamic_cm: Option<u32>) -> FormulaKind<'a> {
        if let Some(f) = sheet.array_formulas.get(&addr) {
            return FormulaKind::Array {
                range: f.range,
                dynamic: dynamic_cm.filter(|_| f.is_dynamic()),
            };
        }
        let table = sheet
            .data_tables
            .iter()
            .find(|t| t.range.start == addr)
            .and_then(|t| t.source_xml.as_deref());
        match table {
            Some(xml) => FormulaKind::DataTable { xml },
            None => FormulaKind::Normal,
        }
    }
}

/// Appends `<c>` for a model cell; writes nothing for a blank cell.
/// `prefix` is the namespace prefix the worksheet uses for SpreadsheetML
/// elements (`""` or `"x:"`).
pub(super) fn encode_cell(
    out: &mut Vec<u8>,
    prefix: &str,
    addr: CellAddr,
    cell: &Cell,
    date_system: DateSystem,
    formula_kind: FormulaKind,
) {
    let table_formula = match formula_kind {
        FormulaKind::DataTable { xml } if cell.formula.is_none() => Some(xml),
        _ => None,
    };
    if cell.is_blank() && table_formula.is_none() {
        return;
    }
    let p = prefix.as_bytes();
    let open = |out: &mut Vec<u8>, name: &[u8]| {
        out.push(b'<');
        out.extend_from_slice(p);
        out.extend_from_slice(name);
    };
    let close = |out: &mut Vec<u8>, name: &[u8]| {
        out.extend_from_slice(b"</");
        out.extend_from_slice(p);
        out.extend_from_slice(name);
        out.push(b'>');
    };
    open(out, b"c");
    out.extend_from_slice(b" r=\"");
    push_a1(out, addr);
    out.push(b'"');
    if cell.style != 0 {
        out.extend_from_slice(b" s=\"");
        push_u32(out, cell.style);
        out.push(b'"');
    }
    if let (
        Some(_),
        FormulaKind::Array {
            dynamic: Some(cm), ..
        },
    ) = (&cell.formula, formula_kind)
    {
        out.extend_from_slice(b" cm=\"");
        push_u32(out, cm);
        out.push(b'"');
    }
    let serial = |d: &crate::model::DateValue| date_system.number_of(d);
    match &cell.formula {
        Some(formula) => {
            let t: &[u8] = match &cell.value {
                Value::Text(_) => b" t=\"str\"",
                Value::Bool(_) => b" t=\"b\"",
                Value::Error(e) if is_file_error(*e) => b" t=\"e\"",
                Value::Error(_) => b" t=\"str\"",
                Value::Number(n) if !n.is_finite() => b" t=\"e\"",
                Value::Date(d) if !serial(d).is_finite() => b" t=\"e\"",
                _ => b"",
            };
            out.extend_from_slice(t);
            out.push(b'>');
            open(out, b"f");
            if let FormulaKind::Array { range, .. } = formula_kind {
                out.extend_from_slice(b" t=\"array\" ref=\"");
                out.extend_from_slice(range.to_a1().as_bytes());
                out.push(b'"');
            }
            out.push(b'>');
            push_escaped(out, &formula.text_at(addr), false);
            close(out, b"f");
            if !cell.value.is_empty() {
                open(out, b"v>");
                push_value_text(out, &cell.value, date_system);
                close(out, b"v");
            }
            close(out, b"c");
        }
        None => match &cell.value {
            Value::Empty => match table_formula {
                Some(xml) => {
                    out.push(b'>');
                    out.extend_from_slice(xml.as_bytes());
                    close(out, b"c");
                }
                None => out.extend_from_slice(b"/>"),
            },
            Value::Text(s) => {
                out.extend_from_slice(b" t=\"inlineStr\">");
                out.extend_from_slice(table_formula.unwrap_or_default().as_bytes());
                open(out, b"is>");
                open(out, b"t xml:space=\"preserve\">");
                push_escaped(out, s, true);
                close(out, b"t");
                close(out, b"is");
                close(out, b"c");
            }
            Value::Error(e) if !is_file_error(*e) => {
                out.extend_from_slice(b" t=\"inlineStr\">");
                out.extend_from_slice(table_formula.unwrap_or_default().as_bytes());
                open(out, b"is>");
                open(out, b"t>");
                out.extend_from_slice(e.as_str().as_bytes());
                close(out, b"t");
                close(out, b"is");
                close(out, b"c");
            }
            value => {
                let t: &[u8] = match value {
                    Value::Bool(_) => b" t=\"b\"",
                    Value::Error(_) => b" t=\"e\"",
                    Value::Number(n) if !n.is_finite() => b" t=\"e\"",
                    Value::Date(d) if !serial(d).is_finite() => b" t=\"e\"",
                    _ => b"",
                };
                out.extend_from_slice(t);
                out.push(b'>');
                out.extend_from_slice(table_formula.unwrap_or_default().as_bytes());
                open(out, b"v>");
                push_value_text(out, value, date_system);
                close(out, b"v");
                close(out, b"c");
            }
        },
    }
}

/// Appends the `<v>` content for a value.
fn push_value_text(out: &mut Vec<u8>, value: &Value, date_system: DateSystem) {
    match value {
        Value::Empty => {}
        Value::Number(n) => push_number(out, *n),
        Value::Date(d) => push_number(out, Number::float(date_system.number_of(d))),
        Value::Text(s) => push_escaped(out, s, false),
        Value::Bool(b) => out.push(if *b { b'1' } else { b'0' }),
        Value::Error(e) => out.extend_from_slice(e.as_str().as_bytes()),
    }
}

/// Appends a number as xsd:double text; a non-finite number becomes
/// `#NUM!` (the caller has already set `t="e"`).
fn push_number(out: &mut Vec<u8>, n: Number) {
    match n {
        Number::Exact(d) => {
            let _ = write!(out, "{}", d.normalize());
        }
        Number::Float(packed) => {
            let f = packed.get();
            if !f.is_finite() {
                out.extend_from_slice(b"#NUM!");
            } else if f == f.trunc() && f.abs() < 1e15 {
                let _ = write!(out, "{}", f as i64);
            } else {
                let _ = write!(out, "{n}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateKind, DateValue};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn enc(cell: Cell) -> String {
        let mut out = Vec::new();
        encode_cell(
            &mut out,
            "",
            CellAddr::new(1, 27),
            &cell,
            DateSystem::Excel1900,
            FormulaKind::Normal,
        );
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn references_round_trip() {
        for a1 in ["A1", "Z9", "AA10", "XFD1048576", "$B$2"] {
            let addr = parse_a1(a1.as_bytes()).unwrap();
            let mut out = Vec::new();
            push_a1(&mut out, addr);
            assert_eq!(String::from_utf8(out).unwrap(), a1.replace('$', ""));
        }
        assert_eq!(parse_a1(b"A0"), None);
        assert_eq!(parse_a1(b"XFE1"), None);
        assert_eq!(parse_a1(b"1A"), None);
    }

    #[test]
    fn values_encode_as_excel_writes_them() {
        let num = Cell {
            value: Value::Number(Number::Exact(Decimal::from_str("4.9250").unwrap())),
            style: 3,
            ..Cell::default()
        };
        assert_eq!(enc(num), r#"<c r="AB2" s="3"><v>4.925</v></c>"#);
        let text = Cell {
            value: Value::Text("a<b & _x0041_\r\u{fffe}\u{ffff}é".into()),
            ..Cell::default()
        };
        assert_eq!(
            enc(text),
            r#"<c r="AB2" t="inlineStr"><is><t xml:space="preserve">a&lt;b &amp; _x005F_x0041__x000D__xFFFE__xFFFF_é</t></is></c>"#
        );
        let formula = Cell {
            value: Value::Text("x".into()),
            formula: Some("A1&\"x\"".into()),
            style: 0,
        };
        assert_eq!(
            enc(formula),
            r#"<c r="AB2" t="str"><f>A1&amp;&quot;x&quot;</f><v>x</v></c>"#
        );
        let err = Cell {
            value: Value::Error(ErrorKind::Div0),
            ..Cell::default()
        };
        assert_eq!(enc(err), r#"<c r="AB2" t="e"><v>#DIV/0!</v></c>"#);
        let b = Cell {
            value: Value::Bool(true),
            ..Cell::default()
        };
        assert_eq!(enc(b), r#"<c r="AB2" t="b"><v>1</v></c>"#);
        assert_eq!(enc(Cell::default()), "");
    }

    #[test]
    fn dates_go_back_to_the_file_date_system() {
        let in_1904 = |serial: f64, kind: DateKind| {
            let cell = Cell {
                value: Value::Date(DateValue { serial, kind }),
                ..Cell::default()
            };
            let mut out = Vec::new();
            encode_cell(
                &mut out,
                "",
                CellAddr::new(0, 0),
                &cell,
                DateSystem::Excel1904,
                FormulaKind::Normal,
            );
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            in_1904(46353.5, DateKind::DateTime),
            r#"<c r="A1"><v>44891.5</v></c>"#
        );
        // A duration is a length: the same number in either system.
        assert_eq!(
            in_1904(10.5, DateKind::Duration),
            r#"<c r="A1"><v>10.5</v></c>"#
        );
    }
}
