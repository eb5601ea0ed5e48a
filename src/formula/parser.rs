//! Formula text to [`Expr`]: a recursive-descent parser over characters.
//!
//! Excel's grammar is context-sensitive in ways a separate token stream
//! handles badly (`1:3` is a row range, `A1 B1` an intersection, `,` a
//! union inside parentheses but an argument separator in a call), so the
//! parser reads characters directly. It never panics: bad input is a
//! [`ParseError`] naming the position.

use super::ast::*;
use crate::model::address::{column_from_letters, MAX_COLS, MAX_ROWS};
use crate::model::{ErrorKind, Number};
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// A formula that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Character position (zero-based, after any leading `=`).
    pub position: usize,
    /// What was expected or found.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at character {}", self.message, self.position + 1)
    }
}

impl std::error::Error for ParseError {}

/// The longest formula Excel accepts, in characters (without the `=`).
pub const MAX_FORMULA_CHARS: usize = 8_192;

/// Parses formula text, with or without the leading `=`.
///
/// A formula longer than Excel's [`MAX_FORMULA_CHARS`] is refused: that
/// bounds every tree the parser builds (an operator chain such as
/// `1+1+…+1` nests one level per operator) to a depth that evaluating and
/// printing, which recurse, handle on a thread with a stack of 64 MiB or
/// more, as the `sheetscript` binary runs its work.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let body = text.trim_start();
    let body = body.strip_prefix('=').unwrap_or(body);
    let length = body.chars().count();
    if length > MAX_FORMULA_CHARS {
        return Err(ParseError {
            position: MAX_FORMULA_CHARS,
            message: format!(
                "the formula is {length} characters long, more than the {MAX_FORMULA_CHARS} Excel allows"
            ),
        });
    }
    let mut p = Parser {
        chars: body.chars().collect(),
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    if p.at_end() {
        return Err(p.error("the formula is empty"));
    }
    let expr = p.expr(false)?;
    p.skip_ws();
    if !p.at_end() {
        return Err(p.error(&format!("unexpected '{}'", p.chars[p.pos])));
    }
    Ok(expr)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 200;

pub(crate) fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '\\'
}

pub(crate) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '\\' | '?' | '$')
}

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn error(&self, message: &str) -> ParseError {
        ParseError {
            position: self.pos,
            message: message.to_string(),
        }
    }

    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), ParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(&format!(
                "expected '{c}'{}",
                match self.peek() {
                    Some(f) => format!(", found '{f}'"),
                    None => " before the end".to_string(),
                }
            )))
        }
    }

    /// An expression; `union` makes `,` the union operator (inside
    /// parentheses) instead of an argument separator.
    fn expr(&mut self, union: bool) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("the formula is nested too deeply"));
        }
        let r = self.binary(0, union);
        self.depth -= 1;
        r
    }

    fn peek_binary_op(&self, union: bool) -> Option<(BinaryOp, usize)> {
        let c = self.peek()?;
        let next = self.peek_at(1);
        Some(match c {
            '+' => (BinaryOp::Add, 1),
            '-' => (BinaryOp::Sub, 1),
            '*' => (BinaryOp::Mul, 1),
            '/' => (BinaryOp::Div, 1),
            '^' => (BinaryOp::Pow, 1),
            '&' => (BinaryOp::Concat, 1),
            '=' => (BinaryOp::Eq, 1),
            '<' if next == Some('>') => (BinaryOp::Ne, 2),
            '<' if next == Some('=') => (BinaryOp::Le, 2),
            '<' => (BinaryOp::Lt, 1),
            '>' if next == Some('=') => (BinaryOp::Ge, 2),
            '>' => (BinaryOp::Gt, 1),
            ':' => (BinaryOp::Range, 1),
            ',' if union => (BinaryOp::Union, 1),
            _ => return None,
        })
    }

    fn starts_operand(&self) -> bool {
        self.peek()
            .is_some_and(|c| is_name_start(c) || matches!(c, '$' | '\'' | '(' | '['))
    }

    fn binary(&mut self, min_prec: u8, union: bool) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let save = self.pos;
            let had_space = self.skip_ws();
            let (op, len) = match self.peek_binary_op(union) {
                Some(x) => x,
                None if had_space && self.starts_operand() && is_reference_like(&left) => {
                    (BinaryOp::Intersect, 0)
                }
                None => {
                    self.pos = save;
                    break;
                }
            };
            let prec = op.precedence();
            if prec < min_prec {
                self.pos = save;
                break;
            }
            self.pos += len;
            self.skip_ws();
            let right = self.binary_rhs(prec, union)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn binary_rhs(&mut self, prec: u8, union: bool) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("the formula is nested too deeply"));
        }
        // Left-associative: the right side binds only tighter operators.
        let r = self.binary(prec + 1, union);
        self.depth -= 1;
        r
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        self.skip_ws();
        let op = match self.peek() {
            Some('-') => Some(UnaryOp::Neg),
            Some('+') => Some(UnaryOp::Plus),
            Some('@') if !matches!(self.peek_at(1), Some(']')) => {
                Some(UnaryOp::ImplicitIntersection)
            }
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 1;
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.error("the formula is nested too deeply"));
            }
            let inner = self.unary();
            self.depth -= 1;
            return Ok(Expr::Unary(op, Box::new(inner?)));
        }
        let mut e = self.primary()?;
        // A call of the function a LAMBDA gives: `LAMBDA(x,x+1)(2)`.
        while self.peek() == Some('(') && matches!(e, Expr::Call { .. } | Expr::Invoke { .. }) {
            self.pos += 1;
            let args = self.arguments("LAMBDA")?;
            e = Expr::Invoke {
                callee: Box::new(e),
                args,
            };
        }
        // The spill operator: `B2#` is the range B2's array spilled into,
        // which files store as `_xlfn.ANCHORARRAY(B2)`.
        if self.peek() == Some('#') && matches!(e, Expr::Ref(_) | Expr::Name { .. }) {
            self.pos += 1;
            e = Expr::Call {
                name: "ANCHORARRAY".to_string(),
                args: vec![e],
            };
        }
        loop {
            let save = self.pos;
            self.skip_ws();
            if self.eat('%') {
                e = Expr::Percent(Box::new(e));
            } else {
                self.pos = save;
                break;
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(self.error("expected a value before the end"));
        };
        match c {
            '(' => {
                self.pos += 1;
                self.skip_ws();
                let inner = self.expr(true)?;
                self.skip_ws();
                self.expect(')')?;
                Ok(Expr::Paren(Box::new(inner)))
            }
            '{' => self.array_constant(),
            '"' => Ok(Expr::Text(self.string_literal()?)),
            '#' => {
                let e = self.error_literal()?;
                Ok(Expr::Error(e))
            }
            '\'' => {
                let sheet = self.quoted_sheet()?;
                self.sheet_qualified(sheet)
            }
            '[' => {
                if let Some(book) = self.external_book_prefix() {
                    return self.external(book);
                }
                let t = self.table_spec(None)?;
                Ok(Expr::Table(t))
            }
            c if c.is_ascii_digit() || c == '.' => {
                if let Some(r) = self.try_row_range(None)? {
                    return Ok(r);
                }
                self.number()
            }
            '$' => {
                if let Some(r) = self.try_row_range(None)? {
                    return Ok(r);
                }
                self.word_expr()
            }
            c if is_name_start(c) => self.word_expr(),
            _ => Err(self.error(&format!("unexpected '{c}'"))),
        }
    }

    /// `[1]` before a sheet name or `!`: another workbook, as files write
    /// references to it (`[1]Rates!B2`, `[1]!FxRate`). Reads it and gives
    /// it back as written; `None` (nothing read) for a table reference.
    fn external_book_prefix(&mut self) -> Option<String> {
        let mut end = self.pos + 1;
        while self.chars.get(end).is_some_and(|c| c.is_ascii_digit()) {
            end += 1;
        }
        let after = self.chars.get(end + 1).copied();
        let is_book = end > self.pos + 1
            && self.chars.get(end) == Some(&']')
            && after.is_some_and(|c| c == '!' || is_name_start(c));
        if !is_book {
            return None;
        }
        let book: String = self.chars[self.pos..=end].iter().collect();
        self.pos = end + 1;
        Some(book)
    }

    /// After `[1]`: a reference to one of its sheets, one of its names
    /// (`[1]!FxRate`, held as a name scoped to the sheet `[1]`) or one of
    /// its functions (`[1]!HsGetValue(...)`, which no workbook here
    /// defines: the cell keeps the value Excel saved).
    fn external(&mut self, book: String) -> Result<Expr, ParseError> {
        if self.eat('!') {
            let word = self.read_word();
            if word.is_empty() {
                return Err(self.error("expected a name after the workbook"));
            }
            if self.eat('(') {
                return self.call(format!("{book}!{word}"));
            }
            return Ok(Expr::Name {
                sheet: Some(book),
                name: word,
            });
        }
        let sheet = self.read_word();
        if !self.eat('!') {
            return Err(self.error("expected '!' after the sheet name"));
        }
        self.sheet_qualified(SheetSpec {
            first: format!("{book}{sheet}"),
            last: None,
        })
    }

    fn number(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.pos += 1;
        }
        if matches!(self.peek(), Some('e' | 'E'))
            && (self.peek_at(1).is_some_and(|c| c.is_ascii_digit())
                || (matches!(self.peek_at(1), Some('+' | '-'))
                    && self.peek_at(2).is_some_and(|c| c.is_ascii_digit())))
        {
            self.pos += 2;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        let n = if text.contains(['e', 'E']) {
            text.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Number::from_f64)
        } else {
            Decimal::from_str(&text)
                .ok()
                .map(Number::Exact)
                .or_else(|| text.parse::<f64>().ok().map(Number::from_f64))
        };
        match n {
            Some(n) => Ok(Expr::Number(n)),
            None => Err(ParseError {
                position: start,
                message: format!("'{text}' is not a number"),
            }),
        }
    }

    fn string_literal(&mut self) -> Result<String, ParseError> {
        self.quoted('"', "the text is missing its closing quote")
    }

    /// Reads text between `quote` characters, a doubled quote standing
    /// for one (Excel's rule for both "text" and 'sheet names').
    fn quoted(&mut self, quote: char, unclosed: &str) -> Result<String, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(ParseError {
                        position: start,
                        message: unclosed.into(),
                    })
                }
                Some(c) if c == quote && self.peek_at(1) == Some(quote) => {
                    s.push(quote);
                    self.pos += 2;
                }
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(s);
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn error_literal(&mut self) -> Result<ErrorKind, ParseError> {
        let rest: String = self.chars[self.pos..].iter().take(16).collect();
        let upper = rest.to_ascii_uppercase();
        let mut best: Option<ErrorKind> = None;
        for e in ErrorKind::ALL {
            if upper.starts_with(e.as_str())
                && best.is_none_or(|b| b.as_str().len() < e.as_str().len())
            {
                best = Some(e);
            }
        }
        match best {
            Some(e) => {
                self.pos += e.as_str().chars().count();
                Ok(e)
            }
            None => Err(self.error("unknown error value")),
        }
    }

    fn quoted_sheet(&mut self) -> Result<SheetSpec, ParseError> {
        let s = self.quoted('\'', "the sheet name is missing its closing quote")?;
        if !self.eat('!') {
            return Err(self.error("expected '!' after the sheet name"));
        }
        Ok(split_3d(&s))
    }

    fn read_word(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// An identifier-led expression: a function call, a sheet prefix, a
    /// table reference, a boolean, a cell/column reference or a name.
    fn word_expr(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        let word = self.read_word();
        if word.is_empty() {
            return Err(self.error("expected a name or reference"));
        }
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                return self.call(word);
            }
            Some('!') => {
                self.pos += 1;
                return self.sheet_qualified(SheetSpec {
                    first: word,
                    last: None,
                });
            }
            Some('[') => {
                let t = self.table_spec(Some(word))?;
                return Ok(Expr::Table(t));
            }
            Some(':') => {
                // A 3-D span `Jan:Dec!A1`?
                let save = self.pos;
                self.pos += 1;
                let second = self.read_word();
                if !second.is_empty() && self.eat('!') {
                    return self.sheet_qualified(SheetSpec {
                        first: word,
                        last: Some(second),
                    });
                }
                self.pos = save;
            }
            _ => {}
        }
        if let Some(r) = self.reference_from_word(&word, start, None)? {
            return Ok(r);
        }
        if word.eq_ignore_ascii_case("TRUE") {
            return Ok(Expr::Bool(true));
        }
        if word.eq_ignore_ascii_case("FALSE") {
            return Ok(Expr::Bool(false));
        }
        if word.contains('$') {
            return Err(ParseError {
                position: start,
                message: format!("'{word}' is not a valid reference"),
            });
        }
        Ok(Expr::Name {
            sheet: None,
            name: word,
        })
    }

    /// After `Sheet!`: a reference, `#REF!` or a sheet-scoped name.
    fn sheet_qualified(&mut self, sheet: SheetSpec) -> Result<Expr, ParseError> {
        match self.peek() {
            Some('#') => {
                let e = self.error_literal()?;
                Ok(Expr::Error(e))
            }
            Some(c) if c.is_ascii_digit() || c == '$' => {
                if let Some(r) = self.try_row_range(Some(sheet.clone()))? {
                    return Ok(r);
                }
                let start = self.pos;
                let word = self.read_word();
                match self.reference_from_word(&word, start, Some(sheet))? {
                    Some(r) => Ok(r),
                    None => Err(ParseError {
                        position: start,
                        message: format!("'{word}' is not a valid reference"),
                    }),
                }
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos;
                let word = self.read_word();
                match self.reference_from_word(&word, start, Some(sheet.clone()))? {
                    Some(r) => Ok(r),
                    None => Ok(Expr::Name {
                        sheet: Some(sheet.first),
                        name: word,
                    }),
                }
            }
            _ => Err(self.error("expected a reference after the sheet name")),
        }
    }

    /// Turns a word into a cell or column reference (and a following
    /// `:corner` into a range); `None` when the word is no reference.
    fn reference_from_word(
        &mut self,
        word: &str,
        start: usize,
        sheet: Option<SheetSpec>,
    ) -> Result<Option<Expr>, ParseError> {
        // `A1.:B10`: the word reader keeps the dot of a trim-range
        // operator (dots are name characters), so it is taken off here.
        let (word, trim_leading) = match word.strip_suffix('.') {
            Some(bare)
                if self.peek() == Some(':')
                    && (parse_cell_ref(bare).is_some() || parse_col_part(bare).is_some()) =>
            {
                (bare, true)
            }
            _ => (word, false),
        };
        if let Some(cell) = parse_cell_ref(word) {
            let save = self.pos;
            if self.eat(':') {
                let trim_trailing = self.eat('.');
                let w2 = self.read_word();
                if let Some(end) = parse_cell_ref(&w2) {
                    let area = Expr::Ref(Reference {
                        sheet,
                        start: cell,
                        end: Some(end),
                        shape: RefShape::Cells,
                    });
                    return Ok(Some(trim_operator(area, trim_leading, trim_trailing)));
                }
                self.pos = save;
            }
            if trim_leading {
                return Err(ParseError {
                    position: start,
                    message: format!("'{word}.:' needs a cell after the colon"),
                });
            }
            return Ok(Some(Expr::Ref(Reference {
                sheet,
                start: cell,
                end: None,
                shape: RefShape::Cells,
            })));
        }
        if let Some((col, abs)) = parse_col_part(word) {
            let save = self.pos;
            if self.eat(':') {
                let trim_trailing = self.eat('.');
                let w2 = self.read_word();
                if let Some((col2, abs2)) = parse_col_part(&w2) {
                    let area = Expr::Ref(Reference {
                        sheet,
                        start: CellRef {
                            row: 0,
                            col,
                            row_abs: true,
                            col_abs: abs,
                        },
                        end: Some(CellRef {
                            row: MAX_ROWS - 1,
                            col: col2,
                            row_abs: true,
                            col_abs: abs2,
                        }),
                        shape: RefShape::Columns,
                    });
                    return Ok(Some(trim_operator(area, trim_leading, trim_trailing)));
                }
            }
            self.pos = save;
        }
        if trim_leading {
            return Err(ParseError {
                position: start,
                message: format!("'{word}.:' needs a column after the colon"),
            });
        }
        Ok(None)
    }

    /// `1:3` or `$2:$2`, when the text here is a row range.
    fn try_row_range(&mut self, sheet: Option<SheetSpec>) -> Result<Option<Expr>, ParseError> {
        let save = self.pos;
        let row1 = self.row_part();
        if let Some((r1, a1)) = row1 {
            let trim_leading = self.eat('.');
            if self.eat(':') {
                let trim_trailing = self.eat('.');
                if let Some((r2, a2)) = self.row_part() {
                    if !self.peek().is_some_and(is_name_char) {
                        let area = Expr::Ref(Reference {
                            sheet,
                            start: CellRef {
                                row: r1,
                                col: 0,
                                row_abs: a1,
                                col_abs: true,
                            },
                            end: Some(CellRef {
                                row: r2,
                                col: MAX_COLS - 1,
                                row_abs: a2,
                                col_abs: true,
                            }),
                            shape: RefShape::Rows,
                        });
                        return Ok(Some(trim_operator(area, trim_leading, trim_trailing)));
                    }
                }
            }
        }
        self.pos = save;
        Ok(None)
    }

    fn row_part(&mut self) -> Option<(u32, bool)> {
        let abs = self.eat('$');
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        let n: u32 = digits.parse().ok()?;
        (1..=MAX_ROWS).contains(&n).then(|| (n - 1, abs))
    }

    fn call(&mut self, raw_name: String) -> Result<Expr, ParseError> {
        let name = normalize_function_name(&raw_name);
        // Without its storage prefix the name must still read as a name
        // (`_xlfn.2AO(` would print as `2AO(`, which reads as a number).
        let had_prefix = name.len() != raw_name.trim().len();
        if had_prefix && !name.starts_with(|c: char| c.is_alphabetic() || c == '_' || c == '\\') {
            return Err(self.error(&format!("\"{raw_name}\" is not a function name")));
        }
        let args = self.arguments(&name)?;
        Ok(Expr::Call { name, args })
    }

    /// The arguments of a call after its `(`, up to its `)`.
    fn arguments(&mut self, name: &str) -> Result<Vec<Expr>, ParseError> {
        let mut args = Vec::new();
        self.skip_ws();
        if self.eat(')') {
            return Ok(args);
        }
        loop {
            self.skip_ws();
            if matches!(self.peek(), Some(',') | Some(')')) {
                args.push(Expr::Missing);
            } else {
                args.push(self.expr(false)?);
            }
            self.skip_ws();
            if self.eat(',') {
                continue;
            }
            if self.eat(')') {
                break;
            }
            return Err(match self.peek() {
                Some(c) => self.error(&format!("expected ',' or ')' in {name}(), found '{c}'")),
                None => self.error(&format!("{name}( is missing its closing ')'")),
            });
        }
        Ok(args)
    }

    fn array_constant(&mut self) -> Result<Expr, ParseError> {
        self.pos += 1;
        let mut rows = vec![Vec::new()];
        loop {
            self.skip_ws();
            let neg = self.eat('-');
            if !neg {
                self.eat('+');
            }
            let item = match self.peek() {
                Some('"') => Expr::Text(self.string_literal()?),
                Some('#') => Expr::Error(self.error_literal()?),
                Some(c) if c.is_ascii_digit() || c == '.' => self.number()?,
                Some(c) if c.is_alphabetic() => {
                    let w = self.read_word();
                    if w.eq_ignore_ascii_case("TRUE") {
                        Expr::Bool(true)
                    } else if w.eq_ignore_ascii_case("FALSE") {
                        Expr::Bool(false)
                    } else {
                        return Err(self.error("an array constant holds only constants"));
                    }
                }
                _ => return Err(self.error("expected a constant in the array")),
            };
            let item = match (neg, item) {
                (true, Expr::Number(n)) => Expr::Number(-n),
                (true, _) => return Err(self.error("only numbers can be negated in an array")),
                (false, item) => item,
            };
            rows.last_mut().expect("one row").push(item);
            self.skip_ws();
            if self.eat(',') {
                continue;
            }
            if self.eat(';') {
                rows.push(Vec::new());
                continue;
            }
            if self.eat('}') {
                break;
            }
            return Err(self.error("expected ',', ';' or '}' in the array"));
        }
        let cols = rows[0].len();
        if rows.iter().any(|r| r.len() != cols) {
            return Err(self.error("the rows of the array have different lengths"));
        }
        Ok(Expr::Array(rows))
    }

    /// Reads the text of one `[...]` part, with `'` escaping `[ ] # '`.
    /// The text inside `[...]`, unescaped, and whether its first
    /// character was escaped (`['#Items]` names a column, `[#Data]` an item).
    fn bracket_text(&mut self) -> Result<(String, bool), ParseError> {
        self.expect('[')?;
        let mut s = String::new();
        let mut escaped_first = false;
        loop {
            match self.peek() {
                None => return Err(self.error("a table reference is missing its ']'")),
                Some('\'') => {
                    self.pos += 1;
                    if let Some(c) = self.peek() {
                        escaped_first |= s.is_empty();
                        s.push(c);
                        self.pos += 1;
                    }
                }
                Some(']') => {
                    self.pos += 1;
                    return Ok((s, escaped_first));
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn table_spec(&mut self, table: Option<String>) -> Result<TableRef, ParseError> {
        let mut t = TableRef {
            table,
            items: Vec::new(),
            first_column: None,
            last_column: None,
        };
        let open = self.pos;
        self.pos += 1;
        self.skip_ws();
        let nested =
            self.peek() == Some('[') || (self.peek() == Some('@') && self.peek_at(1) == Some('['));
        if !nested {
            self.pos = open;
            let (text, escaped_first) = self.bracket_text()?;
            let part = TablePart {
                text: text.trim(),
                literal: escaped_first,
            };
            apply_table_part(&mut t, part, false).map_err(|m| ParseError {
                position: open,
                message: m,
            })?;
            return Ok(t);
        }
        if self.eat('@') {
            t.items.push(TableItem::ThisRow);
        }
        let mut after_colon = false;
        loop {
            self.skip_ws();
            let part_at = self.pos;
            let (text, escaped_first) = self.bracket_text()?;
            let part = TablePart {
                text: &text,
                literal: escaped_first,
            };
            apply_table_part(&mut t, part, after_colon).map_err(|m| ParseError {
                position: part_at,
                message: m,
            })?;
            self.skip_ws();
            if self.eat(',') {
                after_colon = false;
                continue;
            }
            if self.eat(':') {
                after_colon = true;
                continue;
            }
            self.expect(']')?;
            return Ok(t);
        }
    }
}

/// One bracketed part of a table reference: its text, and whether it is
/// a column name to the letter (its first character was escaped, so a
/// leading `#` or `@` is part of the name).
struct TablePart<'a> {
    text: &'a str,
    literal: bool,
}

fn apply_table_part(t: &mut TableRef, part: TablePart, second: bool) -> Result<(), String> {
    let text = part.text;
    if part.literal {
        return apply_table_column(t, text, second);
    }
    if let Some(item) = text.strip_prefix('#') {
        let item = match item.to_ascii_lowercase().as_str() {
            "all" => TableItem::All,
            "data" => TableItem::Data,
            "headers" => TableItem::Headers,
            "totals" => TableItem::Totals,
            "this row" => TableItem::ThisRow,
            other => return Err(format!("unknown table item '#{other}'")),
        };
        t.items.push(item);
        return Ok(());
    }
    let col = if let Some(rest) = text.strip_prefix('@') {
        t.items.push(TableItem::ThisRow);
        rest.trim()
    } else {
        text
    };
    apply_table_column(t, col, second)
}

/// Sets the first (or, after `:`, the last) column of `t`.
fn apply_table_column(t: &mut TableRef, col: &str, second: bool) -> Result<(), String> {
    if col.is_empty() {
        return Ok(());
    }
    if second {
        t.last_column = Some(col.to_string());
    } else {
        t.first_column = Some(col.to_string());
    }
    Ok(())
}

fn split_3d(s: &str) -> SheetSpec {
    match s.split_once(':') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => SheetSpec {
            first: a.to_string(),
            last: Some(b.to_string()),
        },
        _ => SheetSpec {
            first: s.to_string(),
            last: None,
        },
    }
}

/// A quoted run of formula text starting at `chars[start]` (a `"` text
/// literal or a `'` quoted name, the quote doubled inside it): its
/// content with the doubled quotes made single, and the position after
/// the closing quote (the end when it never closes). Tools that scan
/// formula text without parsing it (renaming a sheet, a pivot table's
/// calculated field) read quotes the way the parser does.
pub fn quoted_run(chars: &[char], start: usize) -> (String, usize) {
    let quote = chars[start];
    let mut content = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == quote {
            if chars.get(i + 1) != Some(&quote) {
                return (content, i + 1);
            }
            i += 1;
        }
        content.push(chars[i]);
        i += 1;
    }
    (content, chars.len())
}

/// `A1`, `$A$1`, `a1` (no sheet) as a [`CellRef`].
pub fn parse_cell_ref(word: &str) -> Option<CellRef> {
    let b = word.as_bytes();
    let mut i = 0;
    let col_abs = b.first() == Some(&b'$');
    if col_abs {
        i += 1;
    }
    let ls = i;
    while i < b.len() && b[i].is_ascii_alphabetic() {
        i += 1;
    }
    let col = column_from_letters(&word[ls..i])?;
    let row_abs = b.get(i) == Some(&b'$');
    if row_abs {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != b.len() || ds == i {
        return None;
    }
    let row: u32 = word[ds..].parse().ok()?;
    if row == 0 || row > MAX_ROWS {
        return None;
    }
    Some(CellRef {
        row: row - 1,
        col,
        row_abs,
        col_abs,
    })
}

pub(crate) fn parse_col_part(word: &str) -> Option<(u32, bool)> {
    let (abs, letters) = match word.strip_prefix('$') {
        Some(l) => (true, l),
        None => (false, word),
    };
    Some((column_from_letters(letters)?, abs))
}

/// A range written with a trim-range operator (`A1.:B10`, `A1:.B10`,
/// `A1.:.B10`) as the call files store it (`_xlfn._TRO_LEADING(A1:B10)`,
/// `_TRO_TRAILING`, `_TRO_ALL`); a plain range stays as it is.
fn trim_operator(area: Expr, leading: bool, trailing: bool) -> Expr {
    let name = match (leading, trailing) {
        (false, false) => return area,
        (true, false) => TRIM_LEADING,
        (false, true) => TRIM_TRAILING,
        (true, true) => TRIM_ALL,
    };
    Expr::Call {
        name: name.to_string(),
        args: vec![area],
    }
}

fn is_reference_like(e: &Expr) -> bool {
    match e {
        Expr::Ref(_) | Expr::Name { .. } | Expr::Table(_) => true,
        Expr::Paren(inner) => is_reference_like(inner),
        Expr::Binary(BinaryOp::Range | BinaryOp::Intersect | BinaryOp::Union, _, _) => true,
        Expr::Call { name, .. } => {
            matches!(
                name.as_str(),
                "INDIRECT"
                    | "OFFSET"
                    | "INDEX"
                    | "CHOOSE"
                    | "IF"
                    | TRIM_LEADING
                    | TRIM_TRAILING
                    | TRIM_ALL
            )
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn quoted_runs_undouble_their_quotes() {
        let chars: Vec<char> = "'It''s'!A1&\"a\"\"b\"&'open".chars().collect();
        assert_eq!(quoted_run(&chars, 0), ("It's".to_string(), 7));
        assert_eq!(quoted_run(&chars, 11), ("a\"b".to_string(), 17));
        assert_eq!(quoted_run(&chars, 18), ("open".to_string(), chars.len()));
    }

    use super::*;
    use crate::formula::printer::print;

    fn roundtrip(s: &str) -> String {
        print(&parse(s).unwrap_or_else(|e| panic!("{s}: {e}")))
    }

    #[test]
    fn trim_range_operators_print_as_files_store_them() {
        for (written, stored) in [
            ("A1:.B10", "_xlfn._TRO_TRAILING(A1:B10)"),
            ("A1.:B10", "_xlfn._TRO_LEADING(A1:B10)"),
            ("A1.:.B10", "_xlfn._TRO_ALL(A1:B10)"),
            ("$A$1:.$B$10", "_xlfn._TRO_TRAILING($A$1:$B$10)"),
            ("A:.A", "_xlfn._TRO_TRAILING(A:A)"),
            ("A.:.C", "_xlfn._TRO_ALL(A:C)"),
            ("1.:3", "_xlfn._TRO_LEADING(1:3)"),
            ("Data!A2:.C99", "_xlfn._TRO_TRAILING(Data!A2:C99)"),
            ("'Q 1'!A.:B", "_xlfn._TRO_LEADING('Q 1'!A:B)"),
            ("SUM(B:.B)*2", "SUM(_xlfn._TRO_TRAILING(B:B))*2"),
        ] {
            assert_eq!(roundtrip(written), stored, "{written}");
            // The stored form reads back to the same tree.
            assert_eq!(roundtrip(stored), stored, "{stored}");
            assert_eq!(parse(written).unwrap(), parse(stored).unwrap(), "{written}");
        }
        // Without the colon the dotted word stays a name, as before.
        assert!(matches!(parse("A1.").unwrap(), Expr::Name { .. }));
        assert!(parse("A1.:").is_err());
        assert!(parse("A1.:+2").is_err());
    }

    #[test]
    fn other_workbooks_parse_and_print_back() {
        for f in [
            "[1]Rates!B2*2",
            "SUM([2]Sheet1!$A$1:$A$3)",
            "'[1]Q1 Sales'!A1",
            "[1]!FxRate",
            "[1]!HSGETVALUE(\"a\",B2)",
        ] {
            let e = parse(f).unwrap_or_else(|err| panic!("{f}: {err}"));
            assert_eq!(crate::formula::print(&e), f);
        }
        match parse("[1]!FxRate").unwrap() {
            Expr::Name { sheet, name } => {
                assert_eq!((sheet.as_deref(), name.as_str()), (Some("[1]"), "FxRate"))
            }
            other => panic!("{other:?}"),
        }
        // Table references are not taken for workbooks.
        assert!(matches!(parse("[@Net]*2").unwrap(), Expr::Binary(..)));
        assert!(parse("[1]Rates").is_err());
    }

    #[test]
    fn parses_and_prints_back() {
        for f in [
            "SUM(A1:B2,3)",
            "-2^2",
            "1+2*3-4/5",
            "'Sales 2026'!$A$1*2",
            "Sheet1:Sheet3!A1",
            "SUM(C:C)+SUM(2:3)",
            "IF(A1>=10,\"big \"\"x\"\"\",FALSE)",
            "{1,2;3,-4.5}",
            "Invoices[Net]",
            "Invoices[[#Totals],[Net]]",
            "[@Net]*2",
            "Invoices[[Net]:[Vat]]",
            "SUM((A1:A3,C1:C3))",
            "A1:A3 A2:C2",
            "#N/A",
            "10%",
            "_xlfn.XLOOKUP(1,A:A,B:B)",
            "IF(A1,,2)",
            "A1:INDEX(B:B,3)",
            "MyName*2",
            "@A1:A3",
        ] {
            assert_eq!(roundtrip(f), f, "{f}");
        }
        assert_eq!(
            roundtrip("=_xlfn.XLOOKUP(1, A1:A3 ,B1:B3)"),
            "_xlfn.XLOOKUP(1,A1:A3,B1:B3)"
        );
        // Printed as files store it: a newer function gains its prefix.
        assert_eq!(
            roundtrip("=xlookup(1,A1:A3,B1:B3)"),
            "_xlfn.XLOOKUP(1,A1:A3,B1:B3)"
        );
        assert_eq!(roundtrip("= 1 + 2"), "1+2");
        assert_eq!(roundtrip("Sheet1!#REF!"), "#REF!");
    }

    #[test]
    fn the_spill_operator_is_stored_as_anchorarray() {
        assert_eq!(roundtrip("SUM(B2#)"), "SUM(_xlfn.ANCHORARRAY(B2))");
        assert_eq!(
            roundtrip("ROWS(Sheet2!$C$4#)*2"),
            "ROWS(_xlfn.ANCHORARRAY(Sheet2!$C$4))*2"
        );
        assert!(parse("=SUM(B2#REF!)").is_err());
    }

    #[test]
    fn precedence_follows_excel() {
        let e = parse("-2^2").unwrap();
        assert!(matches!(e, Expr::Binary(BinaryOp::Pow, _, _)));
        let e = parse("1&2=\"12\"").unwrap();
        assert!(matches!(e, Expr::Binary(BinaryOp::Eq, _, _)));
        let e = parse("2^3^2").unwrap();
        match e {
            Expr::Binary(BinaryOp::Pow, l, _) => {
                assert!(matches!(*l, Expr::Binary(BinaryOp::Pow, _, _)))
            }
            _ => panic!("left-associative"),
        }
    }

    #[test]
    fn bad_formulas_are_errors_with_positions() {
        for f in [
            "", "=SUM(1,", "=(1+2", "=\"abc", "=1+", "={1,2;3}", "=A1 +* 2", "=#FOO",
        ] {
            assert!(parse(f).is_err(), "{f}");
        }
        let e = parse("=SUM(1,2))").unwrap_err();
        assert_eq!(e.position, 8);
        let deep = format!("={}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse(&deep).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_errors_without_panic(text in "\\PC{0,40}") {
            let _ = parse(&text);
        }

        #[test]
        fn printing_is_a_fixed_point(text in "[-+*/^&=<>(),:;{}\"A-C1-3$!. %@]{1,24}") {
            if let Ok(e) = parse(&text) {
                let printed = print(&e);
                let again = parse(&printed).expect("printed formulas parse");
                proptest::prop_assert_eq!(print(&again), printed);
            }
        }
    }
}
