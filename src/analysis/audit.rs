//! `sheetscript audit`: what Excel's error checking and a careful
//! reviewer would flag in a workbook, each finding with its level, its
//! kind, its cells (runs such as `D2:D40`) and a plain message.
//!
//! The audit reads the values the workbook holds (the caller decides
//! whether they are the saved ones or recomputed) and the formulas' trees;
//! it computes nothing itself. What a formula reads comes from the
//! engine's own reading ([`areas_read`]), so the audit and the dependency
//! graph cannot disagree about a defined name or a table.
//!
//! Every check is linear in the cells, or bounded: look-ups of what
//! formulas read stop after [`MAX_LOOKUPS`] cells and say so, lists of cells
//! are cut after [`MAX_RANGES`] runs and findings of one kind after
//! [`MAX_FINDINGS_PER_KIND`], each cut counted.

use crate::formula::ast::{BinaryOp, Expr, RefShape, Reference, UnaryOp};
use crate::formula::calc::parse_number_text;
use crate::formula::eval::reference_range;
use crate::formula::printer::{shift_corners, walk};
use crate::formula::shape::relative_form;
use crate::formula::{areas_read, functions, parse, shape_tree, ShapeTree};
use crate::model::address::quote_sheet_name;
use crate::model::external::split_external_sheet;
use crate::model::formula::{render_form, ShapeRef};
use crate::model::{
    CellAddr, ErrorKind, FormulaShape, RangeAddr, RowsLeftOut, Sheet, Value, Visibility, Workbook,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Cells the audit looks at in range look-ups (what formulas read: other
/// formulas, errors, hidden formulas, text numbers) at most; past it the
/// look-ups stop with a note, so no sheet of whole-row references can
/// make the audit quadratic.
pub const MAX_LOOKUPS: usize = 20_000_000;

/// Runs of cells a finding lists at most; the count says how many cells
/// there are in all.
pub const MAX_RANGES: usize = 20;

/// Findings of one kind listed at most; the rest are counted.
pub const MAX_FINDINGS_PER_KIND: usize = 200;

/// Formulas calling volatile functions on one sheet from which they are
/// worth a note: Excel recomputes every one of them at every change.
pub const MANY_VOLATILE: usize = 100;

/// Cells a volatile formula may read before it is worth a note.
pub const LARGE_VOLATILE_READ: u64 = 100_000;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Wrong as it stands: an error value, a circular reference.
    Error,
    /// Probably wrong: a figure to check before trusting it.
    Warning,
    /// Worth knowing: slow or fragile, or not audited.
    Info,
}

impl Level {
    /// The level's name as printed (`error`, `warning`, `info`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A cell showing an error value that no cell it reads shows: where
    /// the errors come from.
    ErrorValue,
    /// Formulas reading themselves, directly or round a loop.
    CircularReference,
    /// A formula whose relative (R1C1) form differs from the formulas on
    /// both sides of it, which agree with each other.
    InconsistentFormula,
    /// A number typed between formulas of one form: a typed-over formula.
    ConstantAmongFormulas,
    /// A SUM-like range that stops short of numbers just past its end.
    TotalOmitsCells,
    /// Text that reads as a number, where a formula reads it or numbers
    /// surround it.
    NumberAsText,
    /// Arithmetic on a cell holding text.
    ReadsText,
    /// Arithmetic on an empty cell with nothing around it (info: Excel's
    /// rule for it is off by default).
    ReadsEmpty,
    /// Formulas in hidden rows, columns or sheets feeding a visible one.
    HiddenFeedsVisible,
    /// Formulas reading another workbook.
    ExternalLink,
    /// Volatile functions in many cells or over large ranges.
    VolatileFunctions,
    /// Formulas sheetscript cannot read, so not audited.
    NotAudited,
}

impl Kind {
    /// The kind's name as printed and in JSON (`inconsistent-formula`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::ErrorValue => "error-value",
            Kind::CircularReference => "circular-reference",
            Kind::InconsistentFormula => "inconsistent-formula",
            Kind::ConstantAmongFormulas => "constant-among-formulas",
            Kind::TotalOmitsCells => "total-omits-cells",
            Kind::NumberAsText => "number-as-text",
            Kind::ReadsText => "reads-text",
            Kind::ReadsEmpty => "reads-empty",
            Kind::HiddenFeedsVisible => "hidden-feeds-visible",
            Kind::ExternalLink => "external-link",
            Kind::VolatileFunctions => "volatile-functions",
            Kind::NotAudited => "not-audited",
        }
    }

    /// The level a finding of this kind has (a circular reference under
    /// iterative calculation is a warning instead: Excel computes it on
    /// purpose).
    pub fn level(self) -> Level {
        match self {
            Kind::ErrorValue | Kind::CircularReference => Level::Error,
            Kind::InconsistentFormula
            | Kind::ConstantAmongFormulas
            | Kind::TotalOmitsCells
            | Kind::NumberAsText
            | Kind::ReadsText
            | Kind::HiddenFeedsVisible
            | Kind::ExternalLink => Level::Warning,
            // Excel's own rule for it is off by default: templates and
            // sparse inputs read blanks on purpose often enough.
            Kind::ReadsEmpty | Kind::VolatileFunctions | Kind::NotAudited => Level::Info,
        }
    }
}

/// One thing the audit flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub level: Level,
    /// What it is about.
    pub kind: Kind,
    /// The sheet of its (first) cells.
    pub sheet: String,
    /// Its cells as runs (`D2:D40`), cells on another sheet written with
    /// their sheet; at most [`MAX_RANGES`].
    pub cells: Vec<String>,
    /// How many cells in all.
    pub cell_count: usize,
    /// Runs left out of `cells` past [`MAX_RANGES`].
    pub ranges_left_out: usize,
    /// What is wrong, in plain words, naming the first cell's formula.
    pub message: String,
}

/// What the audit found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AuditReport {
    /// The findings, errors first, then by sheet, kind and cell.
    pub findings: Vec<Finding>,
    /// Per kind, findings left out past [`MAX_FINDINGS_PER_KIND`].
    pub left_out: BTreeMap<String, usize>,
    /// Formula cells looked at.
    pub formulas: usize,
    /// Where the audit could not look everywhere (the circular-reference
    /// search stopped at its bound).
    pub notes: Vec<String>,
}

impl AuditReport {
    /// How many findings have `level` (those left out past the cap not
    /// counted).
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether anything at error level was found.
    pub fn has_errors(&self) -> bool {
        self.count(Level::Error) > 0
    }
}

/// Audits `wb` as its cells stand.
pub fn audit(wb: &Workbook) -> AuditReport {
    let mut a = Auditor::new(wb);
    a.formula_pass();
    a.neighbour_pass();
    a.error_sources();
    a.circular_references();
    a.volatile_findings();
    a.finish()
}

/// A cell of the workbook: sheet index and address.
type At = (usize, CellAddr);

/// Cells of one sheet by (column, row), each with what is known of it,
/// for range queries.
type CellMap<V> = BTreeMap<(u32, u32), V>;

/// Cells of one sheet by (column, row).
type CellSet = CellMap<()>;

/// The entries of `map` inside `range`, at most `limit`, in column order.
/// The look-up jumps from one column holding entries to the next, so a
/// whole-row range costs the columns in use, not the grid's 16,384 or
/// every entry of the map. Each step costs one from `budget`; none is
/// taken once it is spent.
fn entries_in<V: Copy>(
    map: &CellMap<V>,
    range: RangeAddr,
    limit: usize,
    budget: &mut usize,
) -> Vec<(CellAddr, V)> {
    let mut out = Vec::new();
    let mut col = range.start.col;
    while col <= range.end.col && out.len() < limit && *budget > 0 {
        *budget -= 1;
        // The next column holding an entry at or below the first row.
        let Some((&(c, _), _)) = map.range((col, range.start.row)..).next() else {
            break;
        };
        if c > range.end.col {
            break;
        }
        for (&(_, r), &v) in map.range((c, range.start.row)..=(c, range.end.row)) {
            if out.len() >= limit || *budget == 0 {
                break;
            }
            *budget -= 1;
            out.push((CellAddr::new(r, c), v));
        }
        col = c + 1;
    }
    out
}

/// The runs a set of cells makes: columns of consecutive rows first, then
/// runs of the same rows in neighbouring columns joined into blocks.
fn runs(mut cells: Vec<CellAddr>) -> Vec<RangeAddr> {
    cells.sort_by_key(|a| (a.col, a.row));
    cells.dedup();
    let mut down: Vec<RangeAddr> = Vec::new();
    for a in cells {
        if let Some(last) = down.last_mut() {
            if last.end.col == a.col && last.end.row + 1 == a.row {
                last.end.row = a.row;
                continue;
            }
        }
        down.push(RangeAddr::cell(a));
    }
    down.sort_by_key(|r| (r.start.row, r.end.row, r.start.col));
    let mut blocks: Vec<RangeAddr> = Vec::new();
    for r in down {
        if let Some(last) = blocks.last_mut() {
            let same_rows = last.start.row == r.start.row && last.end.row == r.end.row;
            if same_rows && last.end.col + 1 == r.start.col {
                last.end.col = r.end.col;
                continue;
            }
        }
        blocks.push(r);
    }
    blocks.sort_by_key(|r| (r.start.row, r.start.col));
    blocks
}

/// Whether text reads as a plain number (`1234.50`, `-12`, `1,234`,
/// `15%`): what Excel's "number stored as text" means, not dates or times,
/// which text holds on purpose more often than not.
fn is_number_text(text: &str) -> bool {
    let t = text.trim();
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let body = body.strip_suffix('%').unwrap_or(body);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && body.chars().filter(|&c| c == '.').count() <= 1
        && parse_number_text(t).is_some()
}

/// A formula's text for a message as Excel shows it: `=` first, without
/// the `_xlfn.` prefixes files store newer functions under, cut after 80
/// characters.
fn shown(text: &str) -> String {
    let mut out = format!(
        "={}",
        text.replace("_xlfn._xlws.", "").replace("_xlfn.", "")
    );
    if out.chars().count() > 80 {
        out = out.chars().take(79).collect::<String>() + "…";
    }
    out
}

/// Cells grouped under one finding while the checks run.
struct Group {
    level: Level,
    message: String,
    cells: Vec<At>,
}

/// The forms of formulas, numbered so that neighbours compare by number:
/// a formula's literal text with its references as offsets from its cell,
/// which is the R1C1 form Excel's consistency check compares.
#[derive(Default)]
struct Forms {
    ids: HashMap<(Box<str>, Box<[ShapeRef]>), u32>,
    forms: Vec<(Box<str>, Box<[ShapeRef]>)>,
    /// Per shape: its form when that does not depend on the cell.
    by_shape: HashMap<*const FormulaShape, u32>,
}

impl Forms {
    fn intern(&mut self, literal: &str, refs: &[ShapeRef]) -> u32 {
        let key: (Box<str>, Box<[ShapeRef]>) = (literal.into(), refs.into());
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.forms.len() as u32;
        self.forms.push(key.clone());
        self.ids.insert(key, id);
        id
    }

    /// The form of the formula at `addr` of `sheet`, or `None` for a cell
    /// without formula or one whose form cannot be told without guessing.
    fn of(&mut self, sheet: &Sheet, addr: CellAddr) -> Option<u32> {
        let shape = sheet.cell(addr)?.formula.as_ref()?.shape();
        let ptr = Arc::as_ptr(shape);
        if let Some(&id) = self.by_shape.get(&ptr) {
            return Some(id);
        }
        if !shape.refs().is_empty() {
            let id = self.intern(shape.literal(), shape.refs());
            self.by_shape.insert(ptr, id);
            return Some(id);
        }
        // A formula kept as text reads the same everywhere; its relative
        // form depends on where it stands, unless it has no reference.
        let (literal, refs) = relative_form(shape.literal(), addr)?;
        let id = self.intern(&literal, &refs);
        if refs.is_empty() {
            self.by_shape.insert(ptr, id);
        }
        Some(id)
    }

    /// The formula of form `id` as it would read at `addr`.
    fn render(&self, id: u32, addr: CellAddr) -> Option<String> {
        let (literal, refs) = &self.forms[id as usize];
        render_form(literal, refs, addr)
    }
}

/// Why a formula cell is out of sight, if it is.
fn hidden_because(wb: &Workbook, sheet: usize, addr: CellAddr) -> Option<&'static str> {
    let s = &wb.sheets[sheet];
    if s.visibility != Visibility::Visible {
        Some("on a hidden sheet")
    } else if s.hidden_rows.contains(addr.row)
        && !wb.row_left_out(sheet, addr.row, RowsLeftOut::Filtered)
    {
        Some("in a hidden row")
    } else if s.column_hidden(addr.col) {
        Some("in a hidden column")
    } else {
        None
    }
}

/// Functions whose range arguments make a total.
const TOTALS: &[&str] = &[
    "SUM",
    "SUBTOTAL",
    "AGGREGATE",
    "AVERAGE",
    "COUNT",
    "COUNTA",
    "MIN",
    "MAX",
    "PRODUCT",
];

/// The audit while its checks run: what each has gathered for the next.
struct Auditor<'a> {
    wb: &'a Workbook,
    forms: Forms,
    /// Per shape, its tree parsed once (`None`: parse each cell's text).
    trees: HashMap<*const FormulaShape, Option<ShapeTree>>,
    /// The findings so far by (kind, sheet, what groups cells into one).
    groups: BTreeMap<(Kind, usize, String), Group>,
    /// Per sheet, the cells showing an error value.
    errors: Vec<CellSet>,
    /// Error cells and the first error cell each reads.
    error_parent: HashMap<At, At>,
    /// Per sheet, text numbers no formula has been seen reading yet.
    text_numbers: Vec<CellSet>,
    /// Per sheet, hidden formulas not yet seen feeding a visible one.
    hidden_formulas: Vec<CellSet>,
    /// Per sheet, volatile formula cells and the functions they call.
    volatile: Vec<(Vec<CellAddr>, BTreeSet<String>)>,
    /// Formula cells looked at.
    formulas: usize,
    /// Per sheet, its used range (found once: it costs a pass over the
    /// cells).
    used: Vec<Option<RangeAddr>>,
    /// Cells range look-ups may still look at (see [`MAX_LOOKUPS`]).
    budget: usize,
    /// Where the audit could not look everywhere.
    notes: Vec<String>,
}

impl<'a> Auditor<'a> {
    fn new(wb: &'a Workbook) -> Auditor<'a> {
        let n = wb.sheets.len();
        let mut a = Auditor {
            wb,
            forms: Forms::default(),
            trees: HashMap::new(),
            groups: BTreeMap::new(),
            errors: vec![CellSet::new(); n],
            error_parent: HashMap::new(),
            text_numbers: vec![CellSet::new(); n],
            hidden_formulas: vec![CellSet::new(); n],
            volatile: vec![(Vec::new(), BTreeSet::new()); n],
            formulas: 0,
            used: wb.sheets.iter().map(Sheet::used_range).collect(),
            budget: MAX_LOOKUPS,
            notes: Vec::new(),
        };
        for (si, sheet) in wb.sheets.iter().enumerate() {
            for (addr, cell) in sheet.cells() {
                let key = (addr.col, addr.row);
                match &cell.value {
                    // A cell on a circular reference is reported as one.
                    Value::Error(e) if *e != ErrorKind::Circular => {
                        a.errors[si].insert(key, ());
                    }
                    Value::Text(t) if cell.formula.is_none() && is_number_text(t) => {
                        a.text_numbers[si].insert(key, ());
                    }
                    _ => {}
                }
                if cell.formula.is_some() && hidden_because(wb, si, addr).is_some() {
                    a.hidden_formulas[si].insert(key, ());
                }
            }
        }
        a
    }

    /// Notes `cell` under the finding `(kind, sheet, key)`, whose message
    /// `message` makes from its first cell.
    fn add(&mut self, kind: Kind, at: At, key: String, message: impl FnOnce() -> String) {
        let group = self
            .groups
            .entry((kind, at.0, key))
            .or_insert_with(|| Group {
                level: kind.level(),
                message: message(),
                cells: Vec::new(),
            });
        group.cells.push(at);
    }

    fn name(&self, at: At, from_sheet: usize) -> String {
        if at.0 == from_sheet {
            at.1.to_a1()
        } else {
            format!(
                "{}!{}",
                quote_sheet_name(&self.wb.sheets[at.0].name),
                at.1.to_a1()
            )
        }
    }

    /// The tree of the formula at `addr` of `sheet` and the offset to move
    /// it by; `None` when it does not parse.
    fn tree(&mut self, sheet: usize, addr: CellAddr) -> Option<(Arc<Expr>, (i64, i64))> {
        let formula = self.wb.sheets[sheet].cell(addr)?.formula.as_ref()?;
        let shape = formula.shape();
        let cached = self
            .trees
            .entry(Arc::as_ptr(shape))
            .or_insert_with(|| shape_tree(shape));
        match cached {
            Some((expr, Some(anchor))) => Some((
                expr.clone(),
                (
                    i64::from(addr.row) - i64::from(anchor.row),
                    i64::from(addr.col) - i64::from(anchor.col),
                ),
            )),
            Some((expr, None)) => Some((expr.clone(), (0, 0))),
            None => parse(&formula.text_at(addr))
                .ok()
                .map(|e| (Arc::new(e), (0, 0))),
        }
    }

    fn formula_text(&self, at: At) -> String {
        self.wb.sheets[at.0]
            .formula_text(at.1)
            .map(|t| shown(&t))
            .unwrap_or_default()
    }

    /// The cells a reference of the formula at `at` (moved by `offset`)
    /// spans, when they are cells (not whole rows or columns) of one sheet.
    fn referenced(&self, at: At, r: &Reference, offset: (i64, i64)) -> Option<(usize, RangeAddr)> {
        if r.shape != RefShape::Cells {
            return None;
        }
        let sheet = match &r.sheet {
            None => at.0,
            Some(spec) if spec.last.is_none() => self.wb.sheet_index(&spec.first)?,
            Some(_) => return None,
        };
        let (start, end) = shift_corners(r, offset.0, offset.1)?;
        let moved = Reference {
            sheet: None,
            start,
            end,
            shape: r.shape,
        };
        Some((sheet, reference_range(&moved)))
    }

    /// Every formula once: what it reads and how.
    fn formula_pass(&mut self) {
        let wb = self.wb;
        for (si, sheet) in wb.sheets.iter().enumerate() {
            for (addr, cell) in sheet.cells() {
                if cell.formula.is_none() {
                    continue;
                }
                self.formulas += 1;
                let at = (si, addr);
                let Some((expr, offset)) = self.tree(si, addr) else {
                    self.add(Kind::NotAudited, at, String::new(), || {
                        "sheetscript cannot read these formulas, so they were not audited"
                            .to_string()
                    });
                    continue;
                };
                let (areas, volatile) = areas_read(wb, si, &expr, offset);
                self.check_calls(at, &expr);
                if volatile {
                    self.note_volatile(at, &expr, &areas);
                }
                self.check_operands(at, &expr, offset);
                self.check_totals(at, &expr, offset);
                self.check_what_it_reads(at, &areas);
            }
        }
    }

    /// External links in the formula at `at`.
    fn check_calls(&mut self, at: At, expr: &Expr) {
        let mut books = BTreeSet::new();
        walk(expr, &mut |node| {
            let qualifier = match node {
                Expr::Ref(r) => r.sheet.as_ref().map(|s| s.first.as_str()),
                Expr::Name { sheet, .. } => sheet.as_deref(),
                _ => None,
            };
            if let Some(q) = qualifier.filter(|q| q.starts_with('[')) {
                let book = split_external_sheet(q)
                    .and_then(|(i, _)| self.wb.external_books.get(i))
                    .map_or_else(
                        || q.split(']').next().unwrap_or(q).to_string() + "]",
                        |b| b.target.clone(),
                    );
                books.insert(book);
            }
        });
        for book in books {
            self.add(Kind::ExternalLink, at, book.clone(), || {
                format!(
                    "reads another workbook, {book}: its values are the ones saved when the \
                     link was last refreshed, not the workbook as it is now"
                )
            });
        }
    }

    fn note_volatile(&mut self, at: At, expr: &Expr, areas: &[(usize, RangeAddr)]) {
        let mut names = BTreeSet::new();
        walk(expr, &mut |node| {
            if let Expr::Call { name, .. } = node {
                let volatile = matches!(name.as_str(), "INDIRECT" | "OFFSET")
                    || functions::lookup(name).is_some_and(|f| f.volatile);
                if volatile {
                    names.insert(name.clone());
                }
            }
        });
        let read: u64 = areas
            .iter()
            .filter_map(|&(s, r)| {
                let used = (*self.used.get(s)?)?;
                let start = CellAddr::new(
                    r.start.row.max(used.start.row),
                    r.start.col.max(used.start.col),
                );
                let end = CellAddr::new(r.end.row.min(used.end.row), r.end.col.min(used.end.col));
                (start.row <= end.row && start.col <= end.col).then(|| {
                    u64::from(end.row - start.row + 1) * u64::from(end.col - start.col + 1)
                })
            })
            .sum();
        let list = names.iter().cloned().collect::<Vec<_>>().join(", ");
        if read > LARGE_VOLATILE_READ {
            let text = self.formula_text(at);
            self.add(Kind::VolatileFunctions, at, format!("large {list}"), || {
                format!(
                    "{text} calls {list} and reads {read} cells: Excel recomputes it at every \
                     change anywhere in the workbook"
                )
            });
        }
        let (cells, all) = &mut self.volatile[at.0];
        cells.push(at.1);
        all.extend(names);
    }

    /// Arithmetic on a cell holding text, or on an empty cell with nothing
    /// around it.
    fn check_operands(&mut self, at: At, expr: &Expr, offset: (i64, i64)) {
        let mut operands: Vec<Reference> = Vec::new();
        let mut guarded = false;
        walk(expr, &mut |node| {
            let mut push = |e: &Expr| {
                let mut e = e;
                while let Expr::Paren(inner) = e {
                    e = inner;
                }
                if let Expr::Ref(r) = e {
                    operands.push(r.clone());
                }
            };
            match node {
                Expr::Binary(
                    BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow,
                    a,
                    b,
                ) => {
                    push(a);
                    push(b);
                }
                Expr::Unary(UnaryOp::Neg, a) => push(a),
                // IF, IFERROR, ISNUMBER, ISTEXT...: the formula looks at
                // what it reads before (or instead of) trusting it.
                Expr::Call { name, .. } if name.starts_with("IF") || name.starts_with("IS") => {
                    guarded = true
                }
                _ => {}
            }
        });
        if guarded {
            return;
        }
        for r in operands {
            let Some((si, range)) = self.referenced(at, &r, offset).filter(|_| r.end.is_none())
            else {
                continue;
            };
            let target = (si, range.start);
            let wb = self.wb;
            let form = self.forms.of(&wb.sheets[at.0], at.1);
            let sheet = &wb.sheets[target.0];
            let cell = sheet.cell(target.1);
            let empty = |a: Option<CellAddr>| {
                a.and_then(|a| sheet.cell(a))
                    .is_none_or(|c| c.value.is_empty() && c.formula.is_none())
            };
            let key_offset = format!(
                "{form:?}:{}:{}:{}",
                target.0,
                i64::from(target.1.row) - i64::from(at.1.row),
                i64::from(target.1.col) - i64::from(at.1.col)
            );
            match cell.map(|c| &c.value) {
                // Typed text only: a formula's text (a label, or `""` for
                // a blank) is made on purpose.
                Some(Value::Text(t))
                    if cell.is_some_and(|c| c.formula.is_none()) && !is_number_text(t) =>
                {
                    let (text, name) = (self.formula_text(at), self.name(target, at.0));
                    let t = t.to_string();
                    self.add(Kind::ReadsText, at, key_offset, || {
                        format!("{text} does arithmetic on {name}, which holds the text \"{t}\"")
                    });
                }
                None | Some(Value::Empty)
                    if empty(Some(target.1))
                        && empty(
                            target
                                .1
                                .row
                                .checked_sub(1)
                                .map(|r| CellAddr::new(r, target.1.col)),
                        )
                        && empty(Some(CellAddr::new(target.1.row + 1, target.1.col))) =>
                {
                    let (text, name) = (self.formula_text(at), self.name(target, at.0));
                    // One finding per formula, however many blanks it reads.
                    self.add(Kind::ReadsEmpty, at, format!("{form:?}"), || {
                        format!(
                            "{text} reads {name}, which is empty, as are the cells above and \
                             below it"
                        )
                    });
                }
                _ => {}
            }
        }
    }

    /// Whether the formula at `at` was copied to a neighbour down its
    /// column (`down`) or along its row: a moving window such as
    /// `SUM(D2:D4)` copied down is no total, though a total copied across
    /// a totals row still is one.
    fn copied(&mut self, at: At, down: bool) -> bool {
        let sheet = &self.wb.sheets[at.0];
        let Some(own) = self.forms.of(sheet, at.1) else {
            return false;
        };
        let a = at.1;
        let around = if down {
            [
                a.row.checked_sub(1).map(|r| CellAddr::new(r, a.col)),
                Some(CellAddr::new(a.row + 1, a.col)),
            ]
        } else {
            [
                a.col.checked_sub(1).map(|c| CellAddr::new(a.row, c)),
                Some(CellAddr::new(a.row, a.col + 1)),
            ]
        };
        around
            .into_iter()
            .flatten()
            .any(|n| self.forms.of(sheet, n) == Some(own))
    }

    /// SUM-like ranges that stop short of numbers just past an end.
    fn check_totals(&mut self, at: At, expr: &Expr, offset: (i64, i64)) {
        let mut ranges = Vec::new();
        walk(expr, &mut |node| {
            if let Expr::Call { name, args } = node {
                if TOTALS.contains(&name.as_str()) {
                    for arg in args {
                        if let Expr::Ref(r) = arg {
                            ranges.push(r.clone());
                        }
                    }
                }
            }
        });
        for r in ranges {
            let Some((si, range)) = self.referenced(at, &r, offset).filter(|_| r.end.is_some())
            else {
                continue;
            };
            if self.copied(at, range.cols() == 1) {
                continue;
            }
            let omitted = self.omitted(at, si, range);
            if omitted.is_empty() {
                continue;
            }
            let text = self.formula_text(at);
            let list = runs(omitted.clone())
                .iter()
                .map(|r| {
                    self.name((si, r.start), at.0)
                        .replace(&r.start.to_a1(), &r.to_a1())
                })
                .collect::<Vec<_>>()
                .join(", ");
            let count = omitted.len();
            self.add(
                Kind::TotalOmitsCells,
                at,
                format!("{}:{}", at.1, range),
                || {
                    format!(
                        "{text} leaves out {list} ({count} number{} just past the end of its \
                     range)",
                        if count == 1 { "" } else { "s" }
                    )
                },
            );
        }
    }

    /// The cells like the range's own right past either end of `range` on
    /// sheet `si` (a column's or a row's), which a total at `at` omits:
    /// numbers past its end, formulas of its own form past either end.
    fn omitted(&mut self, at: At, si: usize, range: RangeAddr) -> Vec<CellAddr> {
        let sheet = &self.wb.sheets[si];
        let column = range.cols() == 1 && range.rows() >= 2;
        let row = range.rows() == 1 && range.cols() >= 2;
        if !column && !row {
            return Vec::new();
        }
        let step = |a: CellAddr, forward: bool| -> Option<CellAddr> {
            match (column, forward) {
                (true, true) => Some(CellAddr::new(a.row.checked_add(1)?, a.col)),
                (true, false) => Some(CellAddr::new(a.row.checked_sub(1)?, a.col)),
                (false, true) => Some(CellAddr::new(a.row, a.col.checked_add(1)?)),
                (false, false) => Some(CellAddr::new(a.row, a.col.checked_sub(1)?)),
            }
        };
        let mut out = Vec::new();
        for (edge, forward) in [(range.end, true), (range.start, false)] {
            let edge_form = self.forms.of(sheet, edge);
            let mut next = step(edge, forward);
            while let Some(a) = next {
                if (si, a) == at || out.len() >= 1000 {
                    break;
                }
                let Some(cell) = sheet.cell(a) else { break };
                // Past the end, any number: rows appended under a block
                // are what a total misses. Before the start only the
                // block's own formulas: the numbers left of a row's sum
                // are more often other measures (a quantity, a rate).
                let like = match &cell.formula {
                    None => forward && matches!(cell.value, Value::Number(_) | Value::Date(_)),
                    Some(_) => edge_form.is_some() && self.forms.of(sheet, a) == edge_form,
                };
                if !like {
                    break;
                }
                out.push(a);
                next = step(a, forward);
            }
        }
        out
    }

    /// Text numbers and hidden formulas among what the formula at `at`
    /// reads, and the first error cell it reads.
    fn check_what_it_reads(&mut self, at: At, areas: &[(usize, RangeAddr)]) {
        let visible = hidden_because(self.wb, at.0, at.1).is_none();
        let reader = self.name(at, usize::MAX);
        let showing_error = matches!(self.wb.sheets[at.0].value(at.1), Value::Error(_));
        for &(si, range) in areas {
            if si >= self.wb.sheets.len() {
                continue;
            }
            let texts = entries_in(&self.text_numbers[si], range, usize::MAX, &mut self.budget);
            for (a, ()) in texts {
                self.text_numbers[si].remove(&(a.col, a.row));
                let t = self.wb.sheets[si].value(a).to_string();
                let reader = reader.clone();
                self.add(
                    Kind::NumberAsText,
                    (si, a),
                    format!("read by {reader}"),
                    || {
                        format!(
                            "holds a number as text (\"{}\"), and {reader} reads it: SUM and the \
                         other totals leave text out",
                            t.trim()
                        )
                    },
                );
            }
            if visible {
                let fed = entries_in(
                    &self.hidden_formulas[si],
                    range,
                    usize::MAX,
                    &mut self.budget,
                );
                for (a, ()) in fed {
                    self.hidden_formulas[si].remove(&(a.col, a.row));
                    let why = hidden_because(self.wb, si, a).unwrap_or("hidden");
                    let text = self.formula_text(at);
                    let reader = reader.clone();
                    self.add(
                        Kind::HiddenFeedsVisible,
                        (si, a),
                        format!("{why} {reader}"),
                        || format!("formulas {why} feed the visible {reader} ({text})"),
                    );
                }
            }
            if showing_error && !self.error_parent.contains_key(&at) {
                let errs = entries_in(&self.errors[si], range, 2, &mut self.budget);
                if let Some(&(e, ())) = errs.iter().find(|&&(e, ())| (si, e) != at) {
                    self.error_parent.insert(at, (si, e));
                }
            }
        }
    }

    /// Inconsistent formulas, numbers typed among formulas and text
    /// numbers among numbers: each cell against its neighbours.
    fn neighbour_pass(&mut self) {
        let wb = self.wb;
        for (si, sheet) in wb.sheets.iter().enumerate() {
            let in_array = |a: CellAddr| sheet.array_formulas.values().any(|r| r.range.contains(a));
            for (addr, cell) in sheet.cells() {
                let sides = [
                    (
                        addr.row.checked_sub(1).map(|r| CellAddr::new(r, addr.col)),
                        CellAddr::new(addr.row + 1, addr.col),
                        "above and below",
                    ),
                    (
                        addr.col.checked_sub(1).map(|c| CellAddr::new(addr.row, c)),
                        CellAddr::new(addr.row, addr.col + 1),
                        "left and right",
                    ),
                ];
                match &cell.formula {
                    Some(_) => {
                        let Some(own) = self.forms.of(sheet, addr) else {
                            continue;
                        };
                        for (before, after, side) in &sides {
                            let Some(before) = before else { continue };
                            let around = self.forms.of(sheet, *before);
                            if around.is_none()
                                || around != self.forms.of(sheet, *after)
                                || around == Some(own)
                                || sheet.array_formulas.contains_key(&addr)
                            {
                                continue;
                            }
                            let expected = around.and_then(|f| self.forms.render(f, addr));
                            let text = self.formula_text((si, addr));
                            self.add(
                                Kind::InconsistentFormula,
                                (si, addr),
                                format!("{own} {around:?} {side}"),
                                || match expected {
                                    Some(e) => format!(
                                        "{text} differs from the formulas {side} it, which \
                                         would read {} here",
                                        shown(&e)
                                    ),
                                    None => format!("{text} differs from the formulas {side} it"),
                                },
                            );
                            break;
                        }
                    }
                    None => {
                        let number = matches!(cell.value, Value::Number(_) | Value::Date(_));
                        let number_text = matches!(&cell.value, Value::Text(_))
                            && self.text_numbers[si].contains_key(&(addr.col, addr.row));
                        if !number && !number_text {
                            continue;
                        }
                        for (before, after, side) in &sides {
                            let Some(before) = before else { continue };
                            if number {
                                let around = self.forms.of(sheet, *before);
                                if around.is_none()
                                    || around != self.forms.of(sheet, *after)
                                    || in_array(addr)
                                {
                                    continue;
                                }
                                let expected = around.and_then(|f| self.forms.render(f, addr));
                                let value = cell.value.to_string();
                                self.add(
                                    Kind::ConstantAmongFormulas,
                                    (si, addr),
                                    format!("{around:?} {side}"),
                                    || {
                                        format!(
                                            "the number {value} is typed where the formulas \
                                             {side} it would compute {}: a formula typed over?",
                                            expected
                                                .map_or_else(|| "a value".into(), |e| shown(&e))
                                        )
                                    },
                                );
                                break;
                            }
                            let is_number = |a: CellAddr| {
                                matches!(sheet.value(a), Value::Number(_) | Value::Date(_))
                            };
                            if is_number(*before) && is_number(*after) {
                                self.text_numbers[si].remove(&(addr.col, addr.row));
                                let t = cell.value.to_string();
                                self.add(
                                    Kind::NumberAsText,
                                    (si, addr),
                                    format!("among numbers {side}"),
                                    || {
                                        format!(
                                            "holds a number as text (\"{}\") among numbers {side} \
                                             it: SUM and the other totals leave it out",
                                            t.trim()
                                        )
                                    },
                                );
                                break;
                            }
                        }
                    }
                }
            }
        }
    }

    /// Error values, each traced to the cell it comes from: a constant
    /// error, or a formula that reads no error itself.
    fn error_sources(&mut self) {
        // Per source: the cells whose errors come from it.
        let mut reached: BTreeMap<At, Vec<At>> = BTreeMap::new();
        let mut root_of: HashMap<At, At> = HashMap::new();
        for (si, set) in self.errors.iter().enumerate() {
            for &(col, row) in set.keys() {
                let start = (si, CellAddr::new(row, col));
                let mut path = vec![start];
                let mut here = start;
                let root = loop {
                    if let Some(&r) = root_of.get(&here) {
                        break r;
                    }
                    match self.error_parent.get(&here) {
                        // Round a loop of errors: the first cell met again
                        // stands for the loop.
                        Some(&next) if path.contains(&next) => break next,
                        Some(&next) => {
                            path.push(next);
                            here = next;
                        }
                        None => break here,
                    }
                };
                for p in path {
                    root_of.insert(p, root);
                }
                let entry = reached.entry(root).or_default();
                if start != root {
                    entry.push(start);
                }
            }
        }
        for (source, followers) in reached {
            let sheet = &self.wb.sheets[source.0];
            let cell = sheet.cell_or_empty(source.1);
            let error = cell.value.to_string();
            let form = self.forms.of(sheet, source.1);
            let text = self.formula_text(source);
            let key = format!("{error} {form:?} {}", followers.len().min(1));
            let sample: Vec<String> = followers
                .iter()
                .take(3)
                .map(|&f| self.name(f, source.0))
                .collect();
            let more = followers.len();
            let base = if cell.formula.is_some() {
                format!("{text} gives {error}")
            } else {
                format!("holds the error value {error} as a constant")
            };
            let group = self
                .groups
                .entry((Kind::ErrorValue, source.0, key))
                .or_insert_with(|| Group {
                    level: Level::Error,
                    message: base,
                    cells: Vec::new(),
                });
            group.cells.push(source);
            if more > 0 {
                group.message = format!(
                    "{}; {more} more cell{} the error through {} ({}{})",
                    group.message.split("; ").next().unwrap_or_default(),
                    if more == 1 { " shows" } else { "s show" },
                    if group.cells.len() == 1 { "it" } else { "them" },
                    sample.join(", "),
                    if more > 3 { ", …" } else { "" }
                );
            }
        }
    }

    /// Formulas reading themselves round a loop (Tarjan's strongly
    /// connected components over formula cells).
    fn circular_references(&mut self) {
        let wb = self.wb;
        let mut nodes: Vec<At> = Vec::new();
        let mut ids: Vec<CellMap<u32>> = vec![CellMap::new(); wb.sheets.len()];
        for (si, sheet) in wb.sheets.iter().enumerate() {
            for (addr, cell) in sheet.cells() {
                if cell.formula.is_some() {
                    ids[si].insert((addr.col, addr.row), nodes.len() as u32);
                    nodes.push((si, addr));
                }
            }
        }
        // The formulas `v` reads that are not done yet: a formula whose
        // loop search has ended is taken out of `ids`, since no new loop
        // can pass through it, so a running total over a column of
        // formulas costs a look-up per formula, not the whole column.
        let successors = |me: &mut Self, ids: &[CellMap<u32>], v: u32| -> Vec<u32> {
            let at = nodes[v as usize];
            let Some((expr, offset)) = me.tree(at.0, at.1) else {
                return Vec::new();
            };
            let (areas, _) = areas_read(wb, at.0, &expr, offset);
            let mut out = Vec::new();
            for (si, r) in areas {
                if let Some(index) = ids.get(si) {
                    let found = entries_in(index, r, usize::MAX, &mut me.budget);
                    out.extend(found.into_iter().map(|(_, id)| id));
                }
            }
            out
        };
        let n = nodes.len();
        const UNSEEN: u32 = u32::MAX;
        let mut index = vec![UNSEEN; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        let mut next = 0u32;
        let mut loops: Vec<Vec<u32>> = Vec::new();
        for root in 0..n as u32 {
            if index[root as usize] != UNSEEN {
                continue;
            }
            let mut calls: Vec<(u32, Vec<u32>, usize)> = Vec::new();
            let mut enter = Some(root);
            loop {
                if let Some(w) = enter.take() {
                    index[w as usize] = next;
                    low[w as usize] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    calls.push((w, successors(self, &ids, w), 0));
                }
                let Some(frame) = calls.last_mut() else {
                    break;
                };
                let v = frame.0;
                if frame.2 < frame.1.len() {
                    let w = frame.1[frame.2];
                    frame.2 += 1;
                    if index[w as usize] == UNSEEN {
                        enter = Some(w);
                    } else if on_stack[w as usize] {
                        low[v as usize] = low[v as usize].min(index[w as usize]);
                    }
                    continue;
                }
                let (v, succ, _) = calls.pop().expect("a frame");
                if let Some(parent) = calls.last() {
                    let p = parent.0 as usize;
                    low[p] = low[p].min(low[v as usize]);
                }
                if low[v as usize] == index[v as usize] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        let (si, a) = nodes[w as usize];
                        ids[si].remove(&(a.col, a.row));
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    if component.len() > 1 || succ.contains(&v) {
                        loops.push(component);
                    }
                }
            }
        }
        let iterative = wb.iteration.is_some();
        for component in loops {
            let mut cells: Vec<At> = component.iter().map(|&i| nodes[i as usize]).collect();
            cells.sort();
            let first = cells[0];
            let names: Vec<String> = cells
                .iter()
                .take(4)
                .map(|&c| self.name(c, first.0))
                .collect();
            let looped = if cells.len() == 1 {
                format!("{} reads itself", self.formula_text(first))
            } else {
                format!(
                    "{} formulas read each other round a loop ({}{})",
                    cells.len(),
                    names.join(" → "),
                    if cells.len() > 4 { " → …" } else { "" }
                )
            };
            let message = if iterative {
                format!(
                    "{looped}; the workbook has iterative calculation on, so Excel computes it \
                     on purpose"
                )
            } else {
                format!("{looped}; Excel warns of a circular reference and shows 0")
            };
            self.groups.insert(
                (Kind::CircularReference, first.0, format!("{}", first.1)),
                Group {
                    level: if iterative {
                        Level::Warning
                    } else {
                        Level::Error
                    },
                    message,
                    cells,
                },
            );
        }
    }

    fn volatile_findings(&mut self) {
        for si in 0..self.volatile.len() {
            let (cells, names) = std::mem::take(&mut self.volatile[si]);
            if cells.len() < MANY_VOLATILE {
                continue;
            }
            let list = names.into_iter().collect::<Vec<_>>().join(", ");
            let count = cells.len();
            for a in cells {
                self.add(Kind::VolatileFunctions, (si, a), "many".into(), || {
                    format!(
                        "{count} formulas call volatile functions ({list}): Excel recomputes \
                         every one of them at every change anywhere in the workbook"
                    )
                });
            }
        }
    }

    fn finish(mut self) -> AuditReport {
        let wb = self.wb;
        if self.budget == 0 {
            self.notes.push(format!(
                "the audit stopped following what formulas read after {MAX_LOOKUPS} cells: \
                 circular references, hidden formulas feeding visible ones, text numbers \
                 read by formulas and the sources of errors past that were not looked for"
            ));
        }
        let mut findings: Vec<(usize, (u32, u32), Finding)> = Vec::new();
        for ((kind, sheet, _), group) in self.groups {
            let here: Vec<CellAddr> = group
                .cells
                .iter()
                .filter(|c| c.0 == sheet)
                .map(|c| c.1)
                .collect();
            let mut names: Vec<String> = runs(here.clone()).iter().map(RangeAddr::to_a1).collect();
            let mut elsewhere: BTreeMap<usize, Vec<CellAddr>> = BTreeMap::new();
            for c in group.cells.iter().filter(|c| c.0 != sheet) {
                elsewhere.entry(c.0).or_default().push(c.1);
            }
            for (s, cells) in elsewhere {
                let prefix = quote_sheet_name(&wb.sheets[s].name);
                names.extend(runs(cells).iter().map(|r| format!("{prefix}!{r}")));
            }
            let first = here
                .iter()
                .min_by_key(|a| (a.row, a.col))
                .map_or((0, 0), |a| (a.row, a.col));
            let mut count = group.cells.clone();
            count.sort();
            count.dedup();
            let ranges_left_out = names.len().saturating_sub(MAX_RANGES);
            names.truncate(MAX_RANGES);
            findings.push((
                sheet,
                first,
                Finding {
                    level: group.level,
                    kind,
                    sheet: wb.sheets[sheet].name.clone(),
                    cells: names,
                    cell_count: count.len(),
                    ranges_left_out,
                    message: group.message,
                },
            ));
        }
        findings.sort_by_key(|(sheet, first, f)| (f.level, *sheet, f.kind, *first));
        let mut per_kind: HashMap<Kind, usize> = HashMap::new();
        let mut left_out: BTreeMap<String, usize> = BTreeMap::new();
        let mut kept = Vec::new();
        for (_, _, f) in findings {
            let n = per_kind.entry(f.kind).or_default();
            *n += 1;
            if *n > MAX_FINDINGS_PER_KIND {
                *left_out.entry(f.kind.name().to_string()).or_default() += 1;
            } else {
                kept.push(f);
            }
        }
        AuditReport {
            findings: kept,
            left_out,
            formulas: self.formulas,
            notes: self.notes,
        }
    }
}

#[cfg(test)]
mod tests;
