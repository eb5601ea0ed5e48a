//! [`Expr`] back to formula text, and the rewrites that work on the tree:
//! shifting relative references when a formula is filled to another cell,
//! and renaming or removing a sheet.

use super::ast::*;
use super::lambda::{bare_param, same_param};
use super::parser::{parse, parse_col_part};
use crate::model::address::{column_letters, quote_sheet_name, MAX_COLS, MAX_ROWS};
use crate::model::ErrorKind;

/// Prints an expression as formula text (without the leading `=`).
pub fn print(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, &mut Vec::new());
    out
}

fn write_sheet(out: &mut String, sheet: &SheetSpec) {
    match &sheet.last {
        None => out.push_str(&quote_sheet_name(&sheet.first)),
        Some(last) => {
            let a = quote_sheet_name(&sheet.first);
            let b = quote_sheet_name(last);
            if a.starts_with('\'') || b.starts_with('\'') {
                out.push('\'');
                out.push_str(&sheet.first.replace('\'', "''"));
                out.push(':');
                out.push_str(&last.replace('\'', "''"));
                out.push('\'');
            } else {
                out.push_str(&a);
                out.push(':');
                out.push_str(&b);
            }
        }
    }
    out.push('!');
}

fn write_col(out: &mut String, c: &CellRef) {
    if c.col_abs {
        out.push('$');
    }
    out.push_str(&column_letters(c.col));
}

fn write_row(out: &mut String, c: &CellRef) {
    if c.row_abs {
        out.push('$');
    }
    out.push_str(&(c.row + 1).to_string());
}

/// Prints a reference as written (`'Q1'!$A$1:B2`, `C:C`, `2:3`).
pub fn print_reference(r: &Reference) -> String {
    let mut out = String::new();
    write_reference(&mut out, r);
    out
}

fn write_reference(out: &mut String, r: &Reference) {
    if let Some(s) = &r.sheet {
        write_sheet(out, s);
    }
    let end = r.end.unwrap_or(r.start);
    match r.shape {
        RefShape::Cells => {
            write_col(out, &r.start);
            write_row(out, &r.start);
            if let Some(e) = &r.end {
                out.push(':');
                write_col(out, e);
                write_row(out, e);
            }
        }
        RefShape::Columns => {
            write_col(out, &r.start);
            out.push(':');
            write_col(out, &end);
        }
        RefShape::Rows => {
            write_row(out, &r.start);
            out.push(':');
            write_row(out, &end);
        }
    }
}

fn escape_table_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '#' | '\'') {
            out.push('\'');
        }
        out.push(c);
    }
    out
}

fn write_table(out: &mut String, t: &TableRef) {
    if let Some(name) = &t.table {
        out.push_str(name);
    }
    let item_text = |i: &TableItem| match i {
        TableItem::All => "[#All]",
        TableItem::Data => "[#Data]",
        TableItem::Headers => "[#Headers]",
        TableItem::Totals => "[#Totals]",
        TableItem::ThisRow => "[#This Row]",
    };
    let only_this_row = t.items == [TableItem::ThisRow];
    if only_this_row && t.last_column.is_none() {
        out.push_str("[@");
        if let Some(c) = &t.first_column {
            let esc = escape_table_text(c);
            if c.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
                out.push_str(&esc);
            } else {
                out.push('[');
                out.push_str(&esc);
                out.push(']');
            }
        }
        out.push(']');
        return;
    }
    let mut parts: Vec<String> = t.items.iter().map(|i| item_text(i).to_string()).collect();
    if let Some(c) = &t.first_column {
        let mut p = format!("[{}]", escape_table_text(c));
        if let Some(l) = &t.last_column {
            p.push_str(&format!(":[{}]", escape_table_text(l)));
        }
        parts.push(p);
    }
    if parts.len() == 1 && t.last_column.is_none() {
        out.push_str(&parts[0]);
    } else if parts.is_empty() {
        out.push_str("[]");
    } else {
        out.push('[');
        out.push_str(&parts.join(","));
        out.push(']');
    }
}

/// Whether `e` is a name spelled as column letters (`N`, `$AB`).
fn is_column_like_name(e: &Expr) -> bool {
    matches!(e, Expr::Name { name, .. } if parse_col_part(name).is_some())
}

/// Writes an expression as files store it: functions newer than Excel
/// 2007 with their storage prefix (`_xlfn.LAMBDA`), and the names LET
/// and LAMBDA bind with `_xlpm.`. `scope` holds the names bound around
/// `e`.
fn write_expr(out: &mut String, e: &Expr, scope: &mut Vec<String>) {
    match e {
        Expr::Number(n) => out.push_str(&n.to_string()),
        Expr::Text(s) => {
            out.push('"');
            out.push_str(&s.replace('"', "\"\""));
            out.push('"');
        }
        Expr::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Expr::Error(k) => out.push_str(k.as_str()),
        Expr::Ref(r) => write_reference(out, r),
        Expr::Name { sheet, name } => {
            if let Some(s) = sheet {
                out.push_str(&quote_sheet_name(s));
                out.push('!');
            } else if in_scope(scope, name) {
                write_bound_name(out, name);
                return;
            }
            out.push_str(name);
        }
        Expr::Table(t) => write_table(out, t),
        Expr::Unary(op, inner) => {
            out.push(match op {
                UnaryOp::Neg => '-',
                UnaryOp::Plus => '+',
                UnaryOp::ImplicitIntersection => '@',
            });
            write_expr(out, inner, scope);
        }
        Expr::Percent(inner) => {
            write_expr(out, inner, scope);
            out.push('%');
        }
        Expr::Binary(op, l, r) => {
            // A name that is also a column's letters, ranged with what
            // follows (`N :B(...)`), would read back as the columns `N:B`.
            let parenthesised = *op == BinaryOp::Range && is_column_like_name(l);
            if parenthesised {
                out.push('(');
            }
            write_expr(out, l, scope);
            if parenthesised {
                out.push(')');
            }
            out.push_str(op.symbol());
            write_expr(out, r, scope);
        }
        Expr::Array(rows) => {
            out.push('{');
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                for (j, item) in row.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    write_expr(out, item, scope);
                }
            }
            out.push('}');
        }
        Expr::Call { name, args } => {
            if in_scope(scope, name) {
                // A LET name or parameter holding a LAMBDA, called.
                write_bound_name(out, name);
            } else {
                out.push_str(storage_prefix(name));
                out.push_str(name);
            }
            let binders = match name.as_str() {
                // LET(name, value, ..., calculation)
                "LET" => args.len().saturating_sub(1),
                // LAMBDA(parameter, ..., calculation)
                "LAMBDA" => args.len().saturating_sub(1),
                _ => 0,
            };
            let depth = scope.len();
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let binds = i < binders && (name == "LAMBDA" || i % 2 == 0);
                match a {
                    Expr::Name { sheet: None, name } if binds => {
                        write_bound_name(out, name);
                        scope.push(name.clone());
                    }
                    a => write_expr(out, a, scope),
                }
            }
            scope.truncate(depth);
            out.push(')');
        }
        Expr::Invoke { callee, args } => {
            write_expr(out, callee, scope);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_expr(out, a, scope);
            }
            out.push(')');
        }
        Expr::Missing => {}
        Expr::Paren(inner) => {
            out.push('(');
            write_expr(out, inner, scope);
            out.push(')');
        }
        Expr::Bound(i) => out.push_str(&format!("ARG{}", i + 1)),
    }
}

/// Whether a name is bound by an enclosing LET or LAMBDA.
fn in_scope(scope: &[String], name: &str) -> bool {
    scope.iter().any(|s| same_param(s, name))
}

/// A LET name or LAMBDA parameter as files store it: `_xlpm.x`.
fn write_bound_name(out: &mut String, name: &str) {
    out.push_str("_xlpm.");
    out.push_str(bare_param(name));
}

/// Calls `f` on every node of the tree, children first.
pub fn walk_mut(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    match e {
        Expr::Unary(_, a) | Expr::Percent(a) | Expr::Paren(a) => walk_mut(a, f),
        Expr::Binary(_, a, b) => {
            walk_mut(a, f);
            walk_mut(b, f);
        }
        Expr::Array(rows) => rows.iter_mut().flatten().for_each(|x| walk_mut(x, f)),
        Expr::Call { args, .. } => args.iter_mut().for_each(|x| walk_mut(x, f)),
        Expr::Invoke { callee, args } => {
            walk_mut(callee, f);
            args.iter_mut().for_each(|x| walk_mut(x, f));
        }
        _ => {}
    }
    f(e);
}

/// Calls `f` on every node of the tree.
pub fn walk(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    match e {
        Expr::Unary(_, a) | Expr::Percent(a) | Expr::Paren(a) => walk(a, f),
        Expr::Binary(_, a, b) => {
            walk(a, f);
            walk(b, f);
        }
        Expr::Array(rows) => rows.iter().flatten().for_each(|x| walk(x, f)),
        Expr::Call { args, .. } => args.iter().for_each(|x| walk(x, f)),
        Expr::Invoke { callee, args } => {
            walk(callee, f);
            args.iter().for_each(|x| walk(x, f));
        }
        _ => {}
    }
    f(e);
}

fn shift_part(v: u32, abs: bool, delta: i64, max: u32) -> Option<u32> {
    if abs {
        return Some(v);
    }
    let n = v as i64 + delta;
    (0..max as i64).contains(&n).then_some(n as u32)
}

/// Moves every relative reference by `rows` and `cols`, as when a formula
/// is copied from one cell to another; references pushed off the sheet
/// become `#REF!`.
pub fn shift(expr: &Expr, rows: i64, cols: i64) -> Expr {
    let mut e = expr.clone();
    walk_mut(&mut e, &mut |node| {
        if let Expr::Ref(r) = node {
            match shift_corners(r, rows, cols) {
                Some((start, end)) => {
                    r.start = start;
                    r.end = end;
                }
                None => *node = Expr::Error(ErrorKind::Ref),
            }
        }
    });
    e
}

/// The corners of `r` moved by `rows` and `cols` (relative parts only),
/// or `None` when one falls off the sheet (`#REF!`).
pub(crate) fn shift_corners(
    r: &Reference,
    rows: i64,
    cols: i64,
) -> Option<(CellRef, Option<CellRef>)> {
    let move_corner = |mut c: CellRef| {
        if r.shape != RefShape::Columns {
            c.row = shift_part(c.row, c.row_abs, rows, MAX_ROWS)?;
        }
        if r.shape != RefShape::Rows {
            c.col = shift_part(c.col, c.col_abs, cols, MAX_COLS)?;
        }
        Some(c)
    };
    let start = move_corner(r.start)?;
    let end = match r.end {
        Some(end) => Some(move_corner(end)?),
        None => None,
    };
    Some((start, end))
}

/// Formula text filled from one cell to another: the text with relative
/// references moved by (`rows`, `cols`). Text that does not parse is
/// returned unchanged.
pub fn shift_formula(text: &str, rows: i64, cols: i64) -> String {
    match parse(text) {
        Ok(e) => print(&shift(&e, rows, cols)),
        Err(_) => text.trim_start_matches('=').to_string(),
    }
}

/// Points references to sheet `old` at sheet `new` (case-insensitive
/// match); returns whether anything changed.
pub fn rename_sheet_in_expr(expr: &mut Expr, old: &str, new: &str) -> bool {
    let mut changed = false;
    walk_mut(expr, &mut |node| match node {
        Expr::Ref(Reference { sheet: Some(s), .. }) => {
            if s.first.eq_ignore_ascii_case(old) {
                s.first = new.to_string();
                changed = true;
            }
            if let Some(l) = s.last.as_mut() {
                if l.eq_ignore_ascii_case(old) {
                    *l = new.to_string();
                    changed = true;
                }
            }
        }
        Expr::Name { sheet: Some(s), .. } if s.eq_ignore_ascii_case(old) => {
            *s = new.to_string();
            changed = true;
        }
        _ => {}
    });
    changed
}

/// Formula text with references to sheet `old` renamed to `new`; `None`
/// when the text does not mention the sheet (or does not parse).
pub fn rename_sheet(text: &str, old: &str, new: &str) -> Option<String> {
    let mut e = parse(text).ok()?;
    rename_sheet_in_expr(&mut e, old, new).then(|| print(&e))
}

/// Replaces references to sheet `name` by `#REF!` (the sheet was
/// deleted); returns whether anything changed.
pub fn remove_sheet_in_expr(expr: &mut Expr, name: &str) -> bool {
    let mut changed = false;
    walk_mut(expr, &mut |node| {
        let hit = match node {
            Expr::Ref(Reference { sheet: Some(s), .. }) => {
                s.first.eq_ignore_ascii_case(name)
                    || s.last
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case(name))
            }
            Expr::Name { sheet: Some(s), .. } => s.eq_ignore_ascii_case(name),
            _ => false,
        };
        if hit {
            *node = Expr::Error(ErrorKind::Ref);
            changed = true;
        }
    });
    changed
}

/// A formula's stored text as Excel shows it in the formula bar: without
/// the storage prefixes of newer functions (`_xlfn.`, `_xlws.`), of
/// LAMBDA and LET names (`_xlpm.`, `_xlop.`) and of functions passed by
/// name (`_xleta.`); text in quotes and quoted sheet names are kept as
/// they are.
pub fn display_text(stored: &str) -> String {
    const PREFIXES: [&str; 5] = ["_xlfn.", "_xlws.", "_xlpm.", "_xlop.", "_xleta."];
    let mut out = String::with_capacity(stored.len());
    let mut quote: Option<char> = None;
    let mut rest = stored;
    while let Some(c) = rest.chars().next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {
                // A prefix starts a name: not inside one (`my_xlfn.x`).
                let starts_name = out
                    .chars()
                    .next_back()
                    .is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '.'));
                let prefix = PREFIXES.iter().find(|p| {
                    rest.get(..p.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(p))
                });
                if let (true, Some(p)) = (starts_name, prefix) {
                    rest = &rest[p.len()..];
                    continue;
                }
                if let Some(reference) = anchor_array(rest).filter(|_| starts_name) {
                    out.push_str(reference);
                    out.push('#');
                    rest = &rest["ANCHORARRAY(".len() + reference.len() + 1..];
                    continue;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The reference of `ANCHORARRAY(C1)` at the start of `text`, which
/// Excel shows as `C1#`.
fn anchor_array(text: &str) -> Option<&str> {
    const CALL: &str = "ANCHORARRAY(";
    let head = text.get(..CALL.len())?;
    if !head.eq_ignore_ascii_case(CALL) {
        return None;
    }
    let inner = &text[CALL.len()..];
    let reference = &inner[..inner.find(')')?];
    let plain = !reference.is_empty()
        && reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '!' | '_' | '.'));
    plain.then_some(reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_show_without_storage_prefixes() {
        assert_eq!(
            display_text("_xlfn.XLOOKUP(\"_xlfn.x\",A:A,B:B)"),
            "XLOOKUP(\"_xlfn.x\",A:A,B:B)"
        );
        assert_eq!(
            display_text("_xlfn.LET(_xlpm.f,_xlfn._xlws.SORT(A1:A3),_xlpm.f)"),
            "LET(f,SORT(A1:A3),f)"
        );
        assert_eq!(
            display_text("SUM('_xlfn.x'!A1)+my_xlfn.y"),
            "SUM('_xlfn.x'!A1)+my_xlfn.y"
        );
        assert_eq!(
            display_text("_xlfn.BYROW(A1:B2,_xleta.SUM)"),
            "BYROW(A1:B2,SUM)"
        );
    }

    #[test]
    fn filling_moves_relative_references_only() {
        assert_eq!(shift_formula("=C2*D2", 1, 0), "C3*D3");
        assert_eq!(shift_formula("=$C$2*D$2+$E2", 3, 1), "$C$2*E$2+$E5");
        assert_eq!(shift_formula("SUM(A:A)", 5, 1), "SUM(B:B)");
        assert_eq!(shift_formula("A1+1", -1, 0), "#REF!+1");
    }

    #[test]
    fn lambdas_and_let_print_as_files_store_them() {
        let stored = "_xlfn.LAMBDA(_xlpm.x,_xlpm.x*2)";
        assert_eq!(print(&parse(stored).unwrap()), stored);
        assert_eq!(
            print(&parse("=LAMBDA(x,x+1)(2)").unwrap()),
            "_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(2)"
        );
        assert_eq!(
            print(&parse("=LET(f,LAMBDA(n,n*rate),f(A1)+n)").unwrap()),
            "_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.n,_xlpm.n*rate),_xlpm.F(A1)+n)"
        );
        assert_eq!(
            print(&parse("=BYROW(A1:B2,_xleta.SUM)").unwrap()),
            "_xlfn.BYROW(A1:B2,_xleta.SUM)"
        );
        assert_eq!(
            shift_formula("=MAP(A1:A3,LAMBDA(v,v+B1))", 1, 0),
            "_xlfn.MAP(A2:A4,_xlfn.LAMBDA(_xlpm.v,_xlpm.v+B2))"
        );
    }

    #[test]
    fn renaming_a_sheet_rewrites_references() {
        assert_eq!(
            rename_sheet("=Data!A1+'data'!B2+C3", "Data", "Sales 2026").as_deref(),
            Some("'Sales 2026'!A1+'Sales 2026'!B2+C3")
        );
        assert_eq!(rename_sheet("=A1", "Data", "X"), None);
        let mut e = parse("=Data!A1+1").unwrap();
        assert!(remove_sheet_in_expr(&mut e, "data"));
        assert_eq!(print(&e), "#REF!+1");
    }
}
