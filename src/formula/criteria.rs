//! Excel criteria matching, shared by every `*IF` / `*IFS` function
//! (COUNTIF, SUMIFS... in the math and statistical categories), the
//! database functions, wildcard lookups, and the evaluator's range
//! snapshots ([`CriteriaRange`], kept by `formula/eval.rs`). It is not an
//! Excel category, so it lives beside the evaluator rather than among
//! the categories in `functions/`.
//!
//! A criterion is either a value (`COUNTIF(A:A, 5)`) or text that may
//! start with a comparison operator (`">=100"`, `"<>"`, `"=abc*"`). The
//! rules follow Excel's documented behaviour:
//! - equality with a number matches number cells and numeric text cells;
//!   ordering operators only ever match number (and date) cells;
//! - text equality is case-insensitive and understands the wildcards `*`
//!   and `?`, with `~` escaping the next character;
//! - `"="` matches only truly empty cells, `""` matches empty cells and
//!   empty text, `"<>"` matches every non-empty cell;
//! - a reference to an empty cell as criterion counts as the number 0.

use super::functions::*;
use crate::formula::calc::parse_number_text;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A range argument of an `*IF(S)` function: its values row-major down
/// to the sheet's last stored row (rows below are empty, so `A:A` costs
/// the used rows, not a million positions). The values are shared: a
/// clone is cheap, and the engine keeps the snapshot of a range for every
/// formula that reads it until a cell in it changes, so 500 SUMIFS over
/// the same columns read them once.
#[derive(Debug, Clone)]
pub struct CriteriaRange {
    /// Height in cells.
    pub rows: u32,
    /// Width in cells.
    pub cols: u32,
    /// How many rows `values` holds (at most `rows`).
    stored_rows: u32,
    /// The values of the stored rows.
    values: Arc<StoredCells>,
    /// Positions (row-major) of each lower-cased text, built on first use
    /// and shared with the snapshot: an equality criterion then finds its
    /// rows without testing every cell.
    text_index: Arc<std::sync::OnceLock<TextIndex>>,
}

/// Positions of each lower-cased text of a range (aHash: built over every
/// cell of a column).
type TextIndex = HashMap<String, Vec<u32>, ahash::RandomState>;

/// The values of a criteria range's stored rows.
#[derive(Debug)]
enum StoredCells {
    /// `stored_rows * cols` values, row-major: the usual case, read
    /// straight by position.
    Dense(Vec<Value>),
    /// Only the non-empty values, by (row, col): for an area whose stored
    /// rows would hold more than [`MAX_DENSE_CELLS`] positions
    /// (`COUNTIF(A:XFD,"")` beside a stray cell at XFD1048576), so the
    /// cost is the used cells, not the grid.
    Sparse(BTreeMap<(u32, u32), Value>),
}

/// The most positions a criteria range holds densely (a few hundred MiB
/// of values); larger areas keep only their non-empty cells.
const MAX_DENSE_CELLS: u64 = super::calc::MAX_ARRAY_CELLS as u64;

/// Ranges wider than this are not kept between formulas (their column
/// stamps would cost more to compare than they save).
const MAX_CACHED_COLUMNS: u32 = 64;

impl CriteriaRange {
    /// Reads an argument: a reference, an array or a value.
    pub fn read(ctx: &mut CallContext, e: &Expr) -> Result<CriteriaRange, ErrorKind> {
        let v = ctx.eval(e);
        CriteriaRange::from_calc(ctx, v, None)
    }

    /// Reads a SUMIF-style `sum_range`: a reference is resized to
    /// `rows` x `cols` from its top-left cell, as Excel does.
    pub fn read_resized(
        ctx: &mut CallContext,
        e: &Expr,
        rows: u32,
        cols: u32,
    ) -> Result<CriteriaRange, ErrorKind> {
        let v = ctx.eval(e);
        CriteriaRange::from_calc(ctx, v, Some((rows, cols)))
    }

    fn from_calc(
        ctx: &mut CallContext,
        v: CalcValue,
        resize: Option<(u32, u32)>,
    ) -> Result<CriteriaRange, ErrorKind> {
        let mut area = match v {
            CalcValue::Ref(a) => a,
            CalcValue::Refs(v) if v.len() == 1 => v[0],
            CalcValue::Refs(_) => return Err(ErrorKind::Value),
            CalcValue::Value(Value::Error(k)) => return Err(k),
            other => {
                let a = ctx.to_array(other)?;
                return Ok(CriteriaRange {
                    rows: a.rows as u32,
                    cols: a.cols as u32,
                    stored_rows: a.rows as u32,
                    values: Arc::new(StoredCells::Dense(a.values)),
                    text_index: Arc::default(),
                });
            }
        };
        if let Some((rows, cols)) = resize {
            let max = crate::model::CellAddr::new(
                crate::model::address::MAX_ROWS - 1,
                crate::model::address::MAX_COLS - 1,
            );
            area.range.end = crate::model::CellAddr::new(
                (area.range.start.row + rows - 1).min(max.row),
                (area.range.start.col + cols - 1).min(max.col),
            );
        }
        // Dirty formulas in the range are computed first, so the column
        // stamps below describe the values the snapshot holds.
        ctx.ensure_area(area);
        let stamps = column_stamps(ctx, area);
        if let Some(stamps) = &stamps {
            if let Some(cached) = ctx.run.range_cache.get(area.sheet, area.range, stamps) {
                return Ok(cached.clone());
            }
        }
        let rows = area.range.rows();
        let cols = area.range.cols();
        let sheet_rows = ctx
            .workbook()
            .sheets
            .get(area.sheet)
            .map_or(0, |s| s.row_count());
        let stored_rows = sheet_rows.saturating_sub(area.range.start.row).min(rows);
        let values = if u64::from(stored_rows) * u64::from(cols) <= MAX_DENSE_CELLS {
            let mut values = vec![Value::Empty; stored_rows as usize * cols as usize];
            ctx.for_each_cell(area, false, |r, c, v| {
                values[r as usize * cols as usize + c as usize] = v.clone();
                Ok(())
            })?;
            StoredCells::Dense(values)
        } else {
            let mut values = BTreeMap::new();
            ctx.for_each_cell(area, false, |r, c, v| {
                values.insert((r, c), v.clone());
                Ok(())
            })?;
            StoredCells::Sparse(values)
        };
        let range = CriteriaRange {
            rows,
            cols,
            stored_rows,
            values: Arc::new(values),
            text_index: Arc::default(),
        };
        if let Some(stamps) = stamps {
            ctx.run
                .range_cache
                .insert(area.sheet, area.range, stamps, range.clone(), 1);
        }
        Ok(range)
    }

    /// The value at a position within the range.
    pub fn get(&self, row: u32, col: u32) -> &Value {
        static EMPTY: Value = Value::Empty;
        if row >= self.stored_rows || col >= self.cols {
            return &EMPTY;
        }
        match &*self.values {
            StoredCells::Dense(values) => &values[row as usize * self.cols as usize + col as usize],
            StoredCells::Sparse(values) => values.get(&(row, col)).unwrap_or(&EMPTY),
        }
    }

    /// The (row, col) positions of the non-empty values, row-major.
    fn stored_positions(&self) -> Box<dyn Iterator<Item = (u32, u32)> + '_> {
        match &*self.values {
            StoredCells::Dense(values) => {
                let cols = self.cols;
                Box::new(
                    values
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| !v.is_empty())
                        .map(move |(i, _)| {
                            ((i / cols as usize) as u32, (i % cols as usize) as u32)
                        }),
                )
            }
            StoredCells::Sparse(values) => Box::new(values.keys().copied()),
        }
    }

    /// The positions (row-major, as flat indices) of the text cells equal
    /// to `lower` ignoring case.
    /// Only dense ranges are indexed (sparse ones are not worth it).
    fn text_positions(&self, lower: &str) -> &[u32] {
        let index = self.text_index.get_or_init(|| {
            let mut index: TextIndex = HashMap::default();
            let mut key = String::new();
            if let StoredCells::Dense(values) = &*self.values {
                for (i, v) in values.iter().enumerate() {
                    if let Value::Text(t) = v {
                        // A million-row column holds a few distinct texts:
                        // lower-cased into one buffer, and allocated once
                        // per distinct text.
                        key.clear();
                        if t.is_ascii() {
                            key.push_str(t);
                            key.make_ascii_lowercase();
                        } else {
                            key.push_str(&t.to_lowercase());
                        }
                        match index.get_mut(key.as_str()) {
                            Some(positions) => positions.push(i as u32),
                            None => {
                                index.insert(key.clone(), vec![i as u32]);
                            }
                        }
                    }
                }
            }
            index
        });
        index.get(lower).map_or(&[], Vec::as_slice)
    }

    /// The non-empty values, row-major.
    pub fn stored(&self) -> Box<dyn Iterator<Item = &Value> + '_> {
        match &*self.values {
            StoredCells::Dense(values) => Box::new(values.iter().filter(|v| !v.is_empty())),
            StoredCells::Sparse(values) => Box::new(values.values().filter(|v| !v.is_empty())),
        }
    }

    /// Whether only the non-empty values are held.
    fn is_sparse(&self) -> bool {
        matches!(&*self.values, StoredCells::Sparse(_))
    }

    /// Number of positions in the range.
    pub fn size(&self) -> u64 {
        u64::from(self.rows) * u64::from(self.cols)
    }
}

/// The stamps of the columns an area covers, or `None` when the area is
/// too wide to keep between formulas.
pub(crate) fn column_stamps(ctx: &CallContext, area: Area) -> Option<Vec<u64>> {
    if area.range.cols() > MAX_CACHED_COLUMNS {
        return None;
    }
    let sheet = ctx.workbook().sheets.get(area.sheet)?;
    Some(
        (area.range.start.col..=area.range.end.col)
            .map(|c| sheet.column_version(c))
            .collect(),
    )
}

/// Where all criteria hold.
#[derive(Debug, Clone, Default)]
pub struct Matches {
    /// Positions (row-major) holding a value in some range where every
    /// criterion holds.
    pub positions: Vec<(u32, u32)>,
    /// How many further positions match: empty in every range (only
    /// non-zero when every criterion accepts an empty cell).
    pub empty_matches: u64,
}

impl Matches {
    /// Total number of matching positions.
    pub fn count(&self) -> u64 {
        self.positions.len() as u64 + self.empty_matches
    }
}

/// Finds the positions where every `(range, criterion)` pair holds.
/// All ranges (and `values`, the range being summed or averaged, when
/// given) must have the same shape, else `#VALUE!`.
pub fn match_all(
    pairs: &[(CriteriaRange, Criterion)],
    values: Option<&CriteriaRange>,
) -> Result<Matches, ErrorKind> {
    let Some((first, _)) = pairs.first() else {
        return Err(ErrorKind::Value);
    };
    let shape = (first.rows, first.cols);
    let all_ranges = || pairs.iter().map(|(r, _)| r).chain(values);
    if all_ranges().any(|r| (r.rows, r.cols) != shape) {
        return Err(ErrorKind::Value);
    }
    // Below every range's stored rows all cells are empty: those
    // positions are counted, not visited.
    let mut m = Matches::default();
    // An equality with plain text matches only cells holding that text
    // (never an empty one): look them up instead of testing every cell.
    let indexed = pairs
        .iter()
        .filter(|(r, _)| !r.is_sparse())
        .find_map(|(r, c)| c.plain_text_equality().map(|lower| (r, lower)));
    if let Some((range, lower)) = indexed {
        for &flat in range.text_positions(lower) {
            let (row, col) = (flat / shape.1, flat % shape.1);
            if pairs.iter().all(|(r, c)| c.matches(r.get(row, col))) {
                m.positions.push((row, col));
            }
        }
        return Ok(m);
    }
    let stored_rows = all_ranges().map(|r| r.stored_rows).max().unwrap_or(0);
    let mut stored_positions = 0u64;
    if all_ranges().any(CriteriaRange::is_sparse) {
        // A huge area: visit only the positions some range holds a value
        // at, never the grid between them.
        let held: std::collections::BTreeSet<(u32, u32)> =
            all_ranges().flat_map(|r| r.stored_positions()).collect();
        for (row, col) in held {
            stored_positions += 1;
            if pairs.iter().all(|(r, c)| c.matches(r.get(row, col))) {
                m.positions.push((row, col));
            }
        }
        if pairs.iter().all(|(_, c)| c.matches(&Value::Empty)) {
            m.empty_matches = first.size() - stored_positions;
        }
        return Ok(m);
    }
    for row in 0..stored_rows {
        for col in 0..shape.1 {
            if all_ranges().all(|r| r.get(row, col).is_empty()) {
                continue;
            }
            stored_positions += 1;
            if pairs.iter().all(|(r, c)| c.matches(r.get(row, col))) {
                m.positions.push((row, col));
            }
        }
    }
    if pairs.iter().all(|(_, c)| c.matches(&Value::Empty)) {
        m.empty_matches = first.size() - stored_positions;
    }
    Ok(m)
}

/// What an `*IF(S)` function does with the matching values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conditional {
    /// COUNTIF(S): how many positions match.
    Count,
    /// SUMIF(S).
    Sum,
    /// AVERAGEIF(S): `#DIV/0!` when no number matches.
    Average,
    /// MAXIFS: 0 when no number matches.
    Max,
    /// MINIFS: 0 when no number matches.
    Min,
}

/// Evaluates a criterion argument: one value, or an array of criteria
/// (an array constant or a multi-cell range) for which the function
/// returns an array of results (`SUMIF(A:A, {"x","y"}, B:B)` spills).
fn criteria_values(ctx: &mut CallContext, e: &Expr) -> Array {
    match ctx.eval(e) {
        CalcValue::Value(v) => Array::scalar(v),
        CalcValue::Ref(a) if a.is_cell() => Array::scalar(ctx.cell_value(a.sheet, a.range.start)),
        other => ctx
            .to_array(other)
            .unwrap_or_else(|k| Array::scalar(Value::Error(k))),
    }
}

/// The shared engine of every `*IF(S)` function. `pairs` are the
/// (criteria range, criterion) argument pairs, `values` the range whose
/// numbers are aggregated (`None` for counting). `values_resized` marks
/// the SUMIF/AVERAGEIF form, whose value range takes the criteria
/// range's shape from its own top-left cell.
pub fn conditional(
    ctx: &mut CallContext,
    what: Conditional,
    pairs: &[(&Expr, &Expr)],
    values: Option<&Expr>,
    values_resized: bool,
) -> EvalResult {
    let mut ranges = Vec::with_capacity(pairs.len());
    for (range, _) in pairs {
        ranges.push(CriteriaRange::read(ctx, range)?);
    }
    let values = match values {
        None => None,
        Some(e) if values_resized => Some(CriteriaRange::read_resized(
            ctx,
            e,
            ranges[0].rows,
            ranges[0].cols,
        )?),
        Some(e) => Some(CriteriaRange::read(ctx, e)?),
    };
    let crits: Vec<Array> = pairs.iter().map(|(_, c)| criteria_values(ctx, c)).collect();
    let rows = crits.iter().map(|a| a.rows).max().unwrap_or(1);
    let cols = crits.iter().map(|a| a.cols).max().unwrap_or(1);
    let mut results = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            let pick = |a: &Array| -> Value {
                let rr = if a.rows == 1 { 0 } else { r };
                let cc = if a.cols == 1 { 0 } else { c };
                if rr < a.rows && cc < a.cols {
                    a.get(rr, cc).clone()
                } else {
                    Value::Error(ErrorKind::NA)
                }
            };
            let pairs: Vec<(CriteriaRange, Criterion)> = ranges
                .iter()
                .zip(&crits)
                .map(|(range, crit)| (range.clone(), Criterion::parse(&pick(crit))))
                .collect();
            let v = match aggregate(what, &pairs, values.as_ref()) {
                Ok(n) => Value::Number(n),
                Err(k) => Value::Error(k),
            };
            results.push(v);
        }
    }
    if rows == 1 && cols == 1 {
        match results.pop().unwrap_or_default() {
            Value::Error(k) => Err(k),
            v => Ok(CalcValue::Value(v)),
        }
    } else {
        Ok(CalcValue::Array(Array {
            rows,
            cols,
            values: results,
        }))
    }
}

/// SUMIF / AVERAGEIF: `(range, criterion[, values])`, where `values`
/// defaults to `range` and takes its shape from its top-left cell.
pub fn conditional_single(ctx: &mut CallContext, what: Conditional, args: &[Expr]) -> EvalResult {
    let values = if CallContext::is_missing(args, 2) {
        &args[0]
    } else {
        &args[2]
    };
    conditional(ctx, what, &[(&args[0], &args[1])], Some(values), true)
}

/// SUMIFS / AVERAGEIFS / MAXIFS / MINIFS: `(values, range1, criterion1,
/// ...)`.
pub fn conditional_multi(ctx: &mut CallContext, what: Conditional, args: &[Expr]) -> EvalResult {
    let pairs = criteria_pairs(args, 1)?;
    conditional(ctx, what, &pairs, Some(&args[0]), false)
}

fn aggregate(
    what: Conditional,
    pairs: &[(CriteriaRange, Criterion)],
    values: Option<&CriteriaRange>,
) -> Result<Number, ErrorKind> {
    let m = match_all(pairs, values)?;
    if what == Conditional::Count {
        return Ok(Number::from_i64(m.count() as i64));
    }
    let Some(values) = values else {
        return Err(ErrorKind::Value);
    };
    let mut total = Number::ZERO;
    let mut count = 0i64;
    let mut best: Option<Number> = None;
    for (r, c) in &m.positions {
        let n = match values.get(*r, *c) {
            Value::Number(n) => *n,
            Value::Date(d) => date_number(d),
            Value::Error(k) => return Err(*k),
            _ => continue,
        };
        total = total + n;
        count += 1;
        best = Some(match best {
            None => n,
            Some(b) if (what == Conditional::Max) == (n > b) && n != b => n,
            Some(b) => b,
        });
    }
    match what {
        Conditional::Count => Ok(Number::from_i64(m.count() as i64)),
        Conditional::Sum => Ok(total),
        Conditional::Average => total
            .checked_div(Number::from_i64(count))
            .ok_or(ErrorKind::Div0),
        Conditional::Max | Conditional::Min => Ok(best.unwrap_or(Number::ZERO)),
    }
}

/// Splits `*IFS` arguments after the first `skip` into (range, criterion)
/// pairs. Excel refuses to save an odd count, so one can only come from
/// a hand-written formula: `#VALUE!`.
pub fn criteria_pairs(args: &[Expr], skip: usize) -> Result<Vec<(&Expr, &Expr)>, ErrorKind> {
    let rest = &args[skip.min(args.len())..];
    if rest.is_empty() || !rest.len().is_multiple_of(2) {
        return Err(ErrorKind::Value);
    }
    Ok(rest.chunks(2).map(|p| (&p[0], &p[1])).collect())
}

/// A comparison operator at the start of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionOp {
    /// `=` (or no operator at all).
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CriterionOp {
    /// Whether a comparison's outcome passes this operator.
    pub(crate) fn accepts(self, ord: Ordering) -> bool {
        match self {
            CriterionOp::Eq => ord == Ordering::Equal,
            CriterionOp::Ne => ord != Ordering::Equal,
            CriterionOp::Lt => ord == Ordering::Less,
            CriterionOp::Le => ord != Ordering::Greater,
            CriterionOp::Gt => ord == Ordering::Greater,
            CriterionOp::Ge => ord != Ordering::Less,
        }
    }
}

/// What the criterion compares against.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Number(Number),
    /// Lower-cased text; `wildcards` when it holds an unescaped `*`/`?` or a `~`.
    Text {
        lower: String,
    },
    Bool(bool),
    Error(ErrorKind),
    /// The bare `=` / `<>` (nothing after the operator).
    Nothing,
    /// The empty string criterion `""`.
    EmptyText,
}

/// A parsed criterion, ready to test many cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    op: CriterionOp,
    operand: Operand,
}

impl Criterion {
    /// Parses a criterion argument (a value, or text such as `">=100"`).
    pub fn parse(criterion: &Value) -> Criterion {
        let eq = |operand| Criterion {
            op: CriterionOp::Eq,
            operand,
        };
        match criterion {
            // Documented for COUNTIFS/AVERAGEIF: an empty criterion cell is 0.
            Value::Empty => eq(Operand::Number(Number::ZERO)),
            Value::Number(n) => eq(Operand::Number(*n)),
            Value::Date(d) => eq(Operand::Number(date_number(d))),
            Value::Bool(b) => eq(Operand::Bool(*b)),
            Value::Error(e) => eq(Operand::Error(*e)),
            Value::Text(t) => Criterion::parse_text(t),
        }
    }

    /// Parses a condition of a database criteria table: as [`parse`],
    /// except that plain text without an operator matches the cells that
    /// begin with it (`"East"` also matches `"Eastern"`), as Excel's
    /// database functions and Advanced Filter do.
    ///
    /// [`parse`]: Criterion::parse
    pub fn parse_database(criterion: &Value) -> Criterion {
        let mut c = Criterion::parse(criterion);
        let plain_text = matches!(criterion, Value::Text(t) if !t.starts_with(['=', '<', '>']));
        if let (true, Operand::Text { lower }) = (plain_text, &mut c.operand) {
            if !lower.ends_with('*') || lower.ends_with("~*") {
                lower.push('*');
            }
        }
        c
    }

    fn parse_text(text: &str) -> Criterion {
        let (op, rest) = if let Some(r) = text.strip_prefix("<>") {
            (CriterionOp::Ne, r)
        } else if let Some(r) = text.strip_prefix("<=") {
            (CriterionOp::Le, r)
        } else if let Some(r) = text.strip_prefix(">=") {
            (CriterionOp::Ge, r)
        } else if let Some(r) = text.strip_prefix('<') {
            (CriterionOp::Lt, r)
        } else if let Some(r) = text.strip_prefix('>') {
            (CriterionOp::Gt, r)
        } else if let Some(r) = text.strip_prefix('=') {
            (CriterionOp::Eq, r)
        } else {
            if text.is_empty() {
                return Criterion {
                    op: CriterionOp::Eq,
                    operand: Operand::EmptyText,
                };
            }
            (CriterionOp::Eq, text)
        };
        let had_operator = rest.len() != text.len();
        let operand = if rest.is_empty() && had_operator {
            Operand::Nothing
        } else if let Some(n) = parse_number_text(rest) {
            Operand::Number(n)
        } else if rest.eq_ignore_ascii_case("TRUE") {
            Operand::Bool(true)
        } else if rest.eq_ignore_ascii_case("FALSE") {
            Operand::Bool(false)
        } else if let Some(e) = ErrorKind::parse(rest) {
            Operand::Error(e)
        } else {
            Operand::Text {
                lower: rest.to_lowercase(),
            }
        };
        Criterion { op, operand }
    }

    /// The lower-cased text of an `=text` criterion without wildcards,
    /// which matches exactly the text cells equal to it ignoring case.
    fn plain_text_equality(&self) -> Option<&str> {
        match (&self.op, &self.operand) {
            (CriterionOp::Eq, Operand::Text { lower }) if !has_wildcards(lower) => Some(lower),
            _ => None,
        }
    }

    /// Whether a cell value satisfies the criterion.
    pub fn matches(&self, cell: &Value) -> bool {
        match &self.operand {
            Operand::Nothing => match self.op {
                CriterionOp::Eq => cell.is_empty(),
                CriterionOp::Ne => !cell.is_empty(),
                // `"<"`, `">="` and friends alone match nothing.
                _ => false,
            },
            Operand::EmptyText => matches!(cell, Value::Empty) || cell.as_text() == Some(""),
            Operand::Number(n) => {
                let cell_number = match cell {
                    Value::Number(_) | Value::Date(_) => as_calc_number(cell),
                    // Numeric text only counts for equality: `"<>23"`
                    // still counts a text "23" as different.
                    Value::Text(t) if self.op == CriterionOp::Eq => parse_number_text(t),
                    _ => None,
                };
                match cell_number.and_then(|c| c.partial_cmp(n)) {
                    Some(ord) => self.op.accepts(ord),
                    None => self.op == CriterionOp::Ne,
                }
            }
            Operand::Bool(b) => match cell {
                Value::Bool(c) => self.op.accepts(c.cmp(b)),
                _ => self.op == CriterionOp::Ne,
            },
            Operand::Error(e) => match cell {
                Value::Error(c) if matches!(self.op, CriterionOp::Eq | CriterionOp::Ne) => {
                    (c == e) == (self.op == CriterionOp::Eq)
                }
                _ => self.op == CriterionOp::Ne,
            },
            Operand::Text { lower } => match self.op {
                CriterionOp::Eq | CriterionOp::Ne => {
                    let equal = match cell {
                        Value::Text(t) if !has_wildcards(lower) => {
                            if t.is_ascii() {
                                t.eq_ignore_ascii_case(lower)
                            } else {
                                t.to_lowercase() == *lower
                            }
                        }
                        Value::Text(t) => wildcard_match_lower(lower, &t.to_lowercase()),
                        _ => false,
                    };
                    equal == (self.op == CriterionOp::Eq)
                }
                op => match cell {
                    Value::Text(t) => op.accepts(t.to_lowercase().as_str().cmp(lower)),
                    _ => false,
                },
            },
        }
    }
}

/// Whether a lower-cased criterion text holds a wildcard or an escape.
fn has_wildcards(lower: &str) -> bool {
    lower.contains(['*', '?', '~'])
}

/// Excel's wildcard match of a whole `text` against `pattern`,
/// case-insensitive: `*` any run, `?` one character, `~x` the literal `x`.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    wildcard_match_lower(&pattern.to_lowercase(), &text.to_lowercase())
}

/// [`wildcard_match`] for callers that already lower-cased both sides
/// (a criterion tested against many cells lower-cases its pattern once).
fn wildcard_match_lower(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Lit(char),
        One,
        Any,
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '~' => match chars.next() {
                Some(n) => Tok::Lit(n),
                None => Tok::Lit('~'),
            },
            '*' => Tok::Any,
            '?' => Tok::One,
            c => Tok::Lit(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // Iterative matcher with one backtrack point per `*`.
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Tok::One) => {
                p += 1;
                t += 1;
            }
            Some(Tok::Lit(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|k| *k == Tok::Any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: i64) -> Value {
        Value::Number(Number::from_i64(x))
    }
    fn t(s: &str) -> Value {
        Value::text(s)
    }
    fn m(crit: Value, cell: Value) -> bool {
        Criterion::parse(&crit).matches(&cell)
    }

    #[test]
    fn numeric_comparisons() {
        assert!(m(t(">=100"), n(100)));
        assert!(!m(t(">=100"), n(99)));
        assert!(m(t("<5"), n(-3)));
        assert!(!m(t(">5"), t("10")), "ordering never matches text");
        assert!(m(t("<>5"), n(4)));
        assert!(m(t("<>5"), t("abc")));
        assert!(m(t("<>5"), Value::Empty));
        assert!(!m(t("<>5"), n(5)));
        assert!(m(t("<>5"), t("5")), "text 5 differs from the number 5");
        assert!(!m(t("<="), t("")));
        assert!(!m(t(">"), t("abc")));
        assert!(m(t(">1.5"), Value::from_f64(1.75)));
        assert!(m(t(">=10%"), Value::from_f64(0.1)));
        assert!(m(t(">$1,000"), n(1001)));
    }

    #[test]
    fn number_equality_matches_numeric_text() {
        assert!(m(n(1), n(1)));
        assert!(m(n(1), t("1")));
        assert!(m(t("1"), t("1")));
        assert!(m(t("1"), n(1)));
        assert!(m(t("=1"), n(1)));
        assert!(!m(n(1), Value::Bool(true)));
    }

    #[test]
    fn blanks() {
        assert!(m(t("="), Value::Empty));
        assert!(!m(t("="), t("")));
        assert!(!m(t("="), n(0)));
        assert!(m(t(""), Value::Empty));
        assert!(m(t(""), t("")));
        assert!(!m(t(""), n(0)));
        assert!(m(t("<>"), n(0)));
        assert!(m(t("<>"), t("x")));
        assert!(!m(t("<>"), Value::Empty));
        // A reference to an empty cell as criterion is the number 0.
        assert!(m(Value::Empty, n(0)));
        assert!(!m(Value::Empty, Value::Empty));
    }

    #[test]
    fn text_and_wildcards() {
        assert!(m(t("apple"), t("APPLE")));
        assert!(m(t("a*"), t("Apricot")));
        assert!(m(t("*e"), t("apple")));
        assert!(m(t("a?c"), t("abc")));
        assert!(!m(t("a?c"), t("abbc")));
        assert!(m(t("*~**"), t("5*3")));
        assert!(!m(t("*~**"), t("53")));
        assert!(m(t("~?"), t("?")));
        assert!(!m(t("~?"), t("a")));
        assert!(m(t("<>a*"), t("banana")));
        assert!(!m(t("<>a*"), t("avocado")));
        assert!(m(t("<>a*"), n(3)));
        assert!(!m(t("apple"), n(1)));
        assert!(m(t(">b"), t("Cherry")));
        assert!(!m(t(">b"), t("apple")));
        assert!(!m(t(">b"), n(5)));
        assert!(m(t("*"), t("")));
        assert!(!m(t("*"), n(1)), "* only matches text");
    }

    #[test]
    fn booleans_errors_dates() {
        assert!(m(Value::Bool(true), Value::Bool(true)));
        assert!(m(t("TRUE"), Value::Bool(true)));
        assert!(!m(t("TRUE"), n(1)));
        assert!(m(t("#N/A"), Value::Error(ErrorKind::NA)));
        assert!(!m(t("#N/A"), Value::Error(ErrorKind::Div0)));
        let jan31 = Value::Date(crate::model::DateValue::from_date(
            chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
        ));
        assert!(m(t(">=2024-01-01"), jan31.clone()));
        assert!(m(t("<=1/31/2024"), jan31.clone()));
        assert!(!m(t(">1/31/2024"), jan31.clone()));
        assert!(m(t(">=45292"), jan31));
    }

    #[test]
    fn wildcard_matcher_backtracks() {
        assert!(wildcard_match("*a*b*c", "xxaxxbxxc"));
        assert!(!wildcard_match("*a*b*c", "xxaxxbxx"));
        assert!(wildcard_match("**", ""));
        assert!(wildcard_match("a*", "a"));
    }
}

#[cfg(test)]
mod cache_tests {
    use crate::formula::testing::{num, workbook_with};
    use crate::formula::{Engine, EngineOptions};
    use crate::model::{CellAddr, Value};

    /// Many SUMIFS share one snapshot of their ranges; a change to a cell
    /// in a range (by a user, or a formula recomputed there) must reach
    /// every one of them.
    #[test]
    fn shared_range_snapshots_follow_changes() {
        let wb = workbook_with(&[
            ("A1", "x"),
            ("A2", "y"),
            ("A3", "x"),
            ("B1", "10"),
            ("B2", "20"),
            ("B3", "=B1*3"),
            ("D1", "=SUMIFS(B:B,A:A,\"x\")"),
            ("D2", "=SUMIFS(B:B,A:A,\"y\")"),
            ("D3", "=COUNTIF(A:A,\"X\")"),
        ]);
        let mut engine = Engine::new(wb, EngineOptions::default());
        engine.recalc_all();
        let at = |e: &mut Engine, a: &str| e.value("Sheet1", CellAddr::parse(a).unwrap()).unwrap();
        assert_eq!(at(&mut engine, "D1"), num("40"));
        assert_eq!(at(&mut engine, "D2"), num("20"));
        assert_eq!(at(&mut engine, "D3"), num("2"));
        engine
            .set_value(
                "Sheet1",
                CellAddr::parse("B1").unwrap(),
                Value::Number(crate::model::Number::from_i64(100)),
            )
            .unwrap();
        engine
            .set_value(
                "Sheet1",
                CellAddr::parse("A2").unwrap(),
                Value::Text("x".into()),
            )
            .unwrap();
        engine.recalc_dirty();
        // B3 = B1*3 is recomputed inside the range before the SUMIFS read it.
        assert_eq!(at(&mut engine, "D1"), num("420"));
        assert_eq!(at(&mut engine, "D2"), num("0"));
        assert_eq!(at(&mut engine, "D3"), num("3"));
    }

    /// A stray cell at XFD1048576 makes the used range the whole grid:
    /// the criteria ranges keep only the stored cells, and blanks are
    /// counted as the area's size less the positions holding something.
    #[test]
    fn whole_sheet_ranges_beside_a_stray_last_cell_hold_only_stored_cells() {
        let grid: i64 = 1_048_576 * 16_384;
        let cases = [
            ("=COUNTIF(A:XFD,\"\")", num(&(grid - 4).to_string())),
            (
                "=COUNTIFS(A:XFD,\"\",A:XFD,\"<>x\")",
                num(&(grid - 4).to_string()),
            ),
            ("=COUNTIF(A:XFD,\"x\")", num("1")),
            ("=COUNTIF(A:XFD,\"<>x\")", num(&(grid - 1).to_string())),
            ("=SUMIF(A:XFD,\">0\")", num("6")),
            ("=SUMIFS(A:XFD,A:XFD,\"<4\")", num("-1")),
            ("=COUNTBLANK(A:XFD)", num(&(grid - 4).to_string())),
        ];
        for (formula, want) in cases {
            let wb = workbook_with(&[("A1", "1"), ("B1", "-2"), ("A2", "x"), ("XFD1048576", "5")]);
            assert_eq!(
                crate::formula::testing::eval_in(wb, "Sheet1", formula),
                want,
                "{formula}"
            );
        }
    }
}
