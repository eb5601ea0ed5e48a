//! Building the tree: from a cell's formula to what it reads, level by
//! level, within the depth, the width and [`MAX_NODES`].

use super::paths::{self, is_criteria, is_lookup};
use super::{
    ExplainOptions, Explanation, Folded, FoldedBy, Node, NodeKind, RangeSummary, Shown, MAX_NODES,
};
use crate::formula::ast::{BinaryOp, CellRef, Expr, RefShape, Reference, SheetSpec};
use crate::formula::calc::{Area, CalcValue};
use crate::formula::lambda::same_param;
use crate::formula::printer::{display_text, walk};
use crate::formula::Engine;
use crate::model::address::{column_letters, quote_sheet_name, MAX_COLS, MAX_ROWS};
use crate::model::formula::ShapeRef;
use crate::model::{CellAddr, RangeAddr, Value, Workbook};
use crate::numfmt::{format_value_in, NumberFormat};
use crate::Result;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Functions whose result is a reference computed at run time: their
/// result is what the formula reads, not their arguments' cells.
const REFERENCE_FUNCTIONS: &[&str] = &[
    "OFFSET",
    "INDIRECT",
    "ANCHORARRAY",
    "TRIMRANGE",
    crate::formula::ast::TRIM_LEADING,
    crate::formula::ast::TRIM_TRAILING,
    crate::formula::ast::TRIM_ALL,
];

/// Builds the explanation of `sheet`!`addr`.
pub(super) fn explain_cell(
    engine: &mut Engine,
    sheet: usize,
    addr: CellAddr,
    options: &ExplainOptions,
    cells_budget: u64,
) -> Result<Explanation> {
    let mut walker = Walker {
        engine,
        options: *options,
        cells_left: cells_budget,
        seen: HashSet::new(),
        on_path: Vec::new(),
        nodes: 0,
        folded: [0; 3],
    };
    let root = walker.cell_node(sheet, addr, None, 0)?;
    let [by_depth, by_width, by_limit] = walker.folded;
    Ok(Explanation {
        target: area_name(walker.engine.workbook(), sheet, RangeAddr::cell(addr)),
        depth: options.depth,
        width: options.width,
        root,
        folded_by_depth: by_depth,
        folded_by_width: by_width,
        folded_by_limit: by_limit,
        saved: None,
    })
}

/// One thing a formula reads, before it becomes a node.
#[derive(Debug, Clone)]
pub(super) enum Item {
    /// Cells of this workbook; `label` is how the formula named them
    /// when not by address.
    Area { label: Option<String>, area: Area },
    /// A value that is no cell here: a defined name holding a constant or
    /// a formula (`inner`, read in the cell's context), another
    /// workbook's saved value.
    Value {
        label: String,
        formula: Option<String>,
        value: Shown,
        inner: Option<(Arc<Expr>, (usize, CellAddr))>,
    },
}

impl Item {
    fn key(&self) -> String {
        match self {
            Item::Area { area, .. } => format!("{}!{}", area.sheet, area.range),
            Item::Value { label, .. } => format!("={label}"),
        }
    }
}

/// What walking one formula gathers: what it reads, its lookups and
/// criteria, and the LET and LAMBDA names in scope on the way.
#[derive(Default)]
struct Gathered {
    items: Vec<Item>,
    keys: HashSet<String>,
    lookups: Vec<super::LookupPath>,
    criteria: Vec<super::CriteriaCount>,
    choices: Vec<super::Choice>,
    locals: Vec<String>,
}

impl Gathered {
    fn push(&mut self, item: Item) {
        if self.keys.insert(item.key()) {
            self.items.push(item);
        }
    }

    fn is_local(&self, name: &str) -> bool {
        self.locals.iter().any(|l| same_param(l, name))
    }

    /// Whether `e` reads a LET or LAMBDA name: it cannot be evaluated
    /// apart from the formula then.
    fn mentions_local(&self, e: &Expr) -> bool {
        if self.locals.is_empty() {
            return false;
        }
        let mut found = false;
        walk(e, &mut |x| {
            if let Expr::Name { sheet: None, name } = x {
                found |= self.is_local(name);
            }
        });
        found
    }
}

struct Walker<'e> {
    engine: &'e mut Engine,
    options: ExplainOptions,
    /// Cells and ranges explained so far (sheet, range).
    seen: HashSet<(usize, RangeAddr)>,
    /// The nodes from the root to the one being built.
    on_path: Vec<(usize, RangeAddr)>,
    nodes: usize,
    /// Cells the ranges still to come may count.
    cells_left: u64,
    /// Precedents folded by depth, width and the node limit.
    folded: [usize; 3],
}

impl Walker<'_> {
    fn fold(&mut self, node: &mut Node, count: usize, by: FoldedBy) {
        if count == 0 {
            return;
        }
        self.folded[by as usize] += count;
        node.folded = Some(Folded { count, by });
    }

    /// Folds the precedents of a node at the depth; met again higher up,
    /// it is explained there rather than said to be shown above.
    fn fold_by_depth(&mut self, node: &mut Node, key: (usize, RangeAddr), count: usize) {
        if count > 0 {
            self.seen.remove(&key);
        }
        self.fold(node, count, FoldedBy::Depth);
    }

    /// Marks a node met before; true when it is, so its precedents are
    /// not walked again.
    fn met_before(&mut self, node: &mut Node, key: (usize, RangeAddr)) -> bool {
        if self.on_path.contains(&key) {
            node.circular = true;
            return true;
        }
        if !self.seen.insert(key) {
            node.shown_above = true;
            return true;
        }
        false
    }

    fn cell_node(
        &mut self,
        sheet: usize,
        addr: CellAddr,
        label: Option<String>,
        depth: usize,
    ) -> Result<Node> {
        self.nodes += 1;
        let wb = self.engine.workbook();
        let mut node = Node::new(
            NodeKind::Cell,
            label,
            area_name(wb, sheet, RangeAddr::cell(addr)),
        );
        node.value = Some(cell_shown(wb, sheet, addr));
        node.formula = wb.sheets[sheet]
            .formula_text(addr)
            .map(|text| format!("={}", display_text(&text)));
        let key = (sheet, RangeAddr::cell(addr));
        if self.met_before(&mut node, key) {
            return Ok(node);
        }
        let wb = self.engine.workbook();
        let items = if let Some(anchor) = self.engine.spill_anchor(sheet, addr) {
            node.spilled_from = Some(area_name(wb, sheet, RangeAddr::cell(anchor)));
            node.legacy_array = wb.sheets[sheet]
                .array_formulas
                .get(&anchor)
                .filter(|array| !array.is_dynamic())
                .map(|array| area_name(wb, sheet, array.range));
            if depth >= self.options.depth {
                self.fold_by_depth(&mut node, key, 1);
                return Ok(node);
            }
            vec![Item::Area {
                label: None,
                area: Area {
                    sheet,
                    range: RangeAddr::cell(anchor),
                },
            }]
        } else if let Some((tree, _)) = self.engine.formula_tree(sheet, addr) {
            if depth >= self.options.depth {
                let count = precedents_written(wb, &tree);
                self.fold_by_depth(&mut node, key, count);
                return Ok(node);
            }
            let mut gathered = Gathered::default();
            self.gather(&tree, (sheet, addr), &mut gathered)?;
            node.lookups = gathered.lookups;
            node.criteria = gathered.criteria;
            node.choices = gathered.choices;
            gathered.items
        } else if let Some((table, (formula, headings))) = data_table_of(wb, sheet, addr) {
            let name = |a: CellAddr| area_name(wb, sheet, RangeAddr::cell(a));
            let inputs: Vec<String> = headings
                .iter()
                .map(|(input, heading)| format!("{} = {}", name(*input), name(*heading)))
                .collect();
            node.data_table = Some(format!(
                "filled by the what-if data table {}: {} computed with {}",
                area_name(wb, sheet, table),
                name(formula),
                inputs.join(" and ")
            ));
            if depth >= self.options.depth {
                self.fold_by_depth(&mut node, key, 1 + headings.len());
                return Ok(node);
            }
            std::iter::once(formula)
                .chain(headings.iter().map(|(_, heading)| *heading))
                .map(|cell| Item::Area {
                    label: None,
                    area: Area {
                        sheet,
                        range: RangeAddr::cell(cell),
                    },
                })
                .collect()
        } else {
            return Ok(node);
        };
        self.on_path.push(key);
        let children = self.children(&mut node, items, depth);
        self.on_path.pop();
        children?;
        Ok(node)
    }

    fn range_node(&mut self, area: Area, label: Option<String>, depth: usize) -> Result<Node> {
        self.nodes += 1;
        let wb = self.engine.workbook();
        let mut node = Node::new(
            NodeKind::Range,
            label,
            area_name(wb, area.sheet, area.range),
        );
        let key = (area.sheet, area.range);
        if self.met_before(&mut node, key) {
            return Ok(node);
        }
        let wb = self.engine.workbook();
        let cells = wb.sheets.get(area.sheet).map_or(0, |s| area.value_count(s));
        if cells > self.cells_left {
            node.not_counted = true;
            return Ok(node);
        }
        self.cells_left -= cells;
        let (mut summary, sources, sum_format) = summarise(self.engine, area);
        if summary.numbers > 0 || summary.errors > 0 {
            let sum = self.sum_of(area)?;
            let wb = self.engine.workbook();
            summary.sum = Some(shown(&sum, &sum_format, wb));
        }
        node.range = Some(summary);
        if sources.is_empty() {
            return Ok(node);
        }
        if depth >= self.options.depth {
            self.fold_by_depth(&mut node, key, sources.len());
            return Ok(node);
        }
        let items = sources
            .iter()
            .map(|s| Item::Area {
                label: None,
                area: Area {
                    sheet: area.sheet,
                    range: RangeAddr::cell(s.cell),
                },
            })
            .collect();
        self.on_path.push(key);
        let children = self.children(&mut node, items, depth);
        self.on_path.pop();
        children?;
        for (child, source) in node.children.iter_mut().zip(&sources) {
            if source.others > 0 {
                child.same_formula_cells = Some(source.others);
            }
        }
        Ok(node)
    }

    fn value_node(
        &mut self,
        label: String,
        formula: Option<String>,
        value: Shown,
        inner: Option<(Arc<Expr>, (usize, CellAddr))>,
        depth: usize,
    ) -> Result<Node> {
        self.nodes += 1;
        let mut node = Node::new(NodeKind::Value, None, label);
        node.formula = formula;
        node.value = Some(value);
        let Some((expr, at)) = inner else {
            return Ok(node);
        };
        if depth >= self.options.depth {
            let count = precedents_written(self.engine.workbook(), &expr);
            self.fold(&mut node, count, FoldedBy::Depth);
            return Ok(node);
        }
        let mut gathered = Gathered::default();
        self.gather(&expr, at, &mut gathered)?;
        node.lookups = gathered.lookups;
        node.criteria = gathered.criteria;
        node.choices = gathered.choices;
        self.children(&mut node, gathered.items, depth)?;
        Ok(node)
    }

    /// Makes the nodes of `items` below `node`, within the width and the
    /// node limit.
    fn children(&mut self, node: &mut Node, items: Vec<Item>, depth: usize) -> Result<()> {
        let total = items.len();
        for (i, item) in items.into_iter().enumerate() {
            if i >= self.options.width {
                self.fold(node, total - i, FoldedBy::Width);
                break;
            }
            if self.nodes >= MAX_NODES {
                self.fold(node, total - i, FoldedBy::Limit);
                break;
            }
            let child = match item {
                Item::Area { label, area } if area.range.start == area.range.end => {
                    self.cell_node(area.sheet, area.range.start, label, depth + 1)?
                }
                Item::Area { label, area } => self.range_node(area, label, depth + 1)?,
                Item::Value {
                    label,
                    formula,
                    value,
                    inner,
                } => self.value_node(label, formula, value, inner, depth + 1)?,
            };
            node.children.push(child);
        }
        Ok(())
    }

    /// Walks `e`, a formula (part) of the cell `at`, gathering what it
    /// reads in the order it is written.
    fn gather(&mut self, e: &Expr, at: (usize, CellAddr), out: &mut Gathered) -> Result<()> {
        match e {
            Expr::Ref(r) => {
                let label = r
                    .sheet
                    .as_ref()
                    .and_then(|s| s.last.as_ref())
                    .map(|_| print(e));
                self.reference(e, label, at, out)?;
            }
            Expr::Table(_) => self.reference(e, Some(print(e)), at, out)?,
            Expr::Name { sheet, name } => {
                if sheet.is_none() && out.is_local(name) {
                    return Ok(());
                }
                self.name(e, sheet.as_deref(), name, at, out)?;
            }
            Expr::Binary(BinaryOp::Range | BinaryOp::Intersect, l, r) => {
                if out.mentions_local(e) {
                    self.gather(l, at, out)?;
                    self.gather(r, at, out)?;
                } else {
                    self.reference(e, Some(print(e)), at, out)?;
                }
            }
            Expr::Binary(_, l, r) => {
                self.gather(l, at, out)?;
                self.gather(r, at, out)?;
            }
            Expr::Unary(_, a) | Expr::Percent(a) | Expr::Paren(a) => self.gather(a, at, out)?,
            Expr::Array(rows) => {
                for x in rows.iter().flatten() {
                    self.gather(x, at, out)?;
                }
            }
            Expr::Invoke { callee, args } => {
                self.gather(callee, at, out)?;
                for a in args {
                    self.gather(a, at, out)?;
                }
            }
            Expr::Call { name, args } => self.call(e, name, args, at, out)?,
            Expr::Number(_)
            | Expr::Text(_)
            | Expr::Bool(_)
            | Expr::Error(_)
            | Expr::Missing
            | Expr::Bound(_) => {}
        }
        Ok(())
    }

    fn call(
        &mut self,
        e: &Expr,
        name: &str,
        args: &[Expr],
        at: (usize, CellAddr),
        out: &mut Gathered,
    ) -> Result<()> {
        let scope = out.locals.len();
        match name {
            // LET(name1, value1, ..., body): each name is in scope from
            // the value after it.
            "LET" => {
                let (body, pairs) = args.split_last().unwrap_or((&Expr::Missing, &[]));
                for pair in pairs.chunks(2) {
                    if let [Expr::Name { name, .. }, value] = pair {
                        self.gather(value, at, out)?;
                        out.locals.push(name.clone());
                    }
                }
                self.gather(body, at, out)?;
            }
            "LAMBDA" => {
                if let Some((body, params)) = args.split_last() {
                    for p in params {
                        if let Expr::Name { name, .. } = p {
                            out.locals.push(name.clone());
                        }
                    }
                    self.gather(body, at, out)?;
                }
            }
            _ if REFERENCE_FUNCTIONS.contains(&name) => {
                if !out.mentions_local(e) {
                    self.reference(e, Some(print(e)), at, out)?;
                }
                // The first argument only places the result (OFFSET's
                // base) or is the result itself: it is not read, except
                // INDIRECT's text.
                let skip = usize::from(name != "INDIRECT");
                for a in args.iter().skip(skip) {
                    self.gather(a, at, out)?;
                }
            }
            _ => {
                for a in args {
                    self.gather(a, at, out)?;
                }
                if out.mentions_local(e) {
                    // A lookup inside LET or LAMBDA reads values bound
                    // only while the formula runs: its path is not traced.
                } else if is_lookup(name) {
                    if let Some((path, taken)) = paths::lookup(self.engine, at, e, name, args)? {
                        out.lookups.push(path);
                        if let Some(area) = taken {
                            out.push(Item::Area { label: None, area });
                        }
                    }
                } else if is_criteria(name) {
                    if let Some(count) = paths::criteria(self.engine, at, name, args)? {
                        out.criteria.push(count);
                    }
                } else if let Some(choice) = paths::choice(self.engine, at, name, args)? {
                    out.choices.push(choice);
                }
            }
        }
        out.locals.truncate(scope);
        Ok(())
    }

    /// A reference (cell, range, table column, computed reference): the
    /// areas it resolves to in the cell's context, or the value it gives
    /// when it is no area of this workbook.
    fn reference(
        &mut self,
        e: &Expr,
        label: Option<String>,
        at: (usize, CellAddr),
        out: &mut Gathered,
    ) -> Result<()> {
        match self.engine.eval_in_cell(at.0, at.1, e)? {
            CalcValue::Ref(area) => out.push(Item::Area { label, area }),
            CalcValue::Refs(areas) => {
                for area in areas {
                    out.push(Item::Area {
                        label: label.clone(),
                        area,
                    });
                }
            }
            other => {
                let wb = self.engine.workbook();
                out.push(Item::Value {
                    label: label.unwrap_or_else(|| print(e)),
                    formula: None,
                    value: calc_shown(&other, wb),
                    inner: None,
                });
            }
        }
        Ok(())
    }

    /// A defined name: the cells it refers to, or the value of its
    /// constant or formula. Names that are no defined name (a function
    /// passed by name, an unknown name) read no cell.
    fn name(
        &mut self,
        e: &Expr,
        sheet: Option<&str>,
        name: &str,
        at: (usize, CellAddr),
        out: &mut Gathered,
    ) -> Result<()> {
        let wb = self.engine.workbook();
        let scope = sheet.unwrap_or(wb.sheets[at.0].name.as_str());
        let Some(def) = wb.defined_name(name, Some(scope)) else {
            return Ok(());
        };
        let definition = def.refers_to.trim_start_matches('=').to_string();
        let label = print(e);
        match self.engine.eval_in_cell(at.0, at.1, e)? {
            CalcValue::Ref(area) => out.push(Item::Area {
                label: Some(label),
                area,
            }),
            CalcValue::Refs(areas) => {
                for area in areas {
                    out.push(Item::Area {
                        label: Some(label.clone()),
                        area,
                    });
                }
            }
            other => {
                let wb = self.engine.workbook();
                let inner = crate::formula::parse(&definition)
                    .ok()
                    .map(|x| (Arc::new(x), at));
                out.push(Item::Value {
                    label,
                    formula: Some(format!("={}", display_text(&definition))),
                    value: calc_shown(&other, wb),
                    inner,
                });
            }
        }
        Ok(())
    }

    /// The SUM of `area`, as the engine computes it.
    fn sum_of(&mut self, area: Area) -> Result<Value> {
        let reference = area_reference(self.engine.workbook(), area);
        let call = Expr::Call {
            name: "SUM".into(),
            args: vec![reference],
        };
        let value = self
            .engine
            .eval_in_cell(area.sheet, area.range.start, &call)?;
        Ok(scalar(self.engine.workbook(), &value))
    }
}

impl Node {
    fn new(kind: NodeKind, label: Option<String>, address: String) -> Node {
        Node {
            kind,
            label,
            address,
            formula: None,
            value: None,
            range: None,
            not_counted: false,
            same_formula_cells: None,
            spilled_from: None,
            legacy_array: None,
            data_table: None,
            lookups: Vec::new(),
            criteria: Vec::new(),
            choices: Vec::new(),
            shown_above: false,
            circular: false,
            folded: None,
            children: Vec::new(),
        }
    }
}

/// A cell of a range that stands for others: the first cell of each
/// formula the range holds (with how many other cells hold it), and each
/// formula whose array spilled into the range.
struct Source {
    cell: CellAddr,
    others: u64,
}

/// Counts what `area` holds (up to the sheet's used cells for whole
/// columns and rows) and finds its sources; also gives the number format
/// its SUM is shown in: its first number's, unless that shows dates.
fn summarise(engine: &Engine, area: Area) -> (RangeSummary, Vec<Source>, String) {
    let wb = engine.workbook();
    let sheet = &wb.sheets[area.sheet];
    let (rows, cols) = area.value_shape(sheet);
    let start = area.range.start;
    let end = CellAddr::new(start.row + rows - 1, start.col + cols - 1);
    let counted = RangeAddr::new(start, end);
    let mut summary = RangeSummary {
        cells: u64::from(rows) * u64::from(cols),
        counted: (counted != area.range).then(|| area_name(wb, area.sheet, counted)),
        numbers: 0,
        text: 0,
        logical: 0,
        errors: 0,
        empty: 0,
        formulas: 0,
        sum: None,
    };
    let mut sum_format: Option<String> = None;
    let mut sources: Vec<Source> = Vec::new();
    let mut by_form: HashMap<(&str, &[ShapeRef]), usize> = HashMap::new();
    let mut anchors: HashSet<CellAddr> = HashSet::new();
    let mut filled = 0u64;
    for row in start.row..=end.row {
        let cells = sheet.row(row);
        let last = (end.col as usize + 1).min(cells.len());
        for (col, cell) in cells.iter().enumerate().take(last).skip(start.col as usize) {
            let addr = CellAddr::new(row, col as u32);
            match &cell.value {
                Value::Empty => {
                    if cell.formula.is_none() {
                        continue;
                    }
                    summary.empty += 1;
                }
                Value::Number(_) | Value::Date(_) => {
                    summary.numbers += 1;
                    if sum_format.is_none() {
                        let code = &wb.styles.get(cell.style).number_format;
                        let dates = NumberFormat::parse(code).is_date();
                        sum_format = Some(if dates { String::new() } else { code.clone() });
                    }
                }
                Value::Text(_) => summary.text += 1,
                Value::Bool(_) => summary.logical += 1,
                Value::Error(_) => summary.errors += 1,
            }
            filled += 1;
            match &cell.formula {
                Some(formula) => {
                    summary.formulas += 1;
                    let shape = formula.shape();
                    match by_form.get(&(shape.literal(), shape.refs())) {
                        Some(&i) => sources[i].others += 1,
                        None => {
                            by_form.insert((shape.literal(), shape.refs()), sources.len());
                            sources.push(Source {
                                cell: addr,
                                others: 0,
                            });
                        }
                    }
                }
                None => {
                    if let Some(anchor) = engine.spill_anchor(area.sheet, addr) {
                        if !counted.contains(anchor) && anchors.insert(anchor) {
                            sources.push(Source {
                                cell: anchor,
                                others: 0,
                            });
                        }
                    }
                }
            }
        }
    }
    summary.empty += summary.cells - filled.min(summary.cells);
    (summary, sources, sum_format.unwrap_or_default())
}

/// How many distinct things `tree` reads, as written (for a node whose
/// precedents are folded: counting them must not cost their walk).
fn precedents_written(wb: &Workbook, tree: &Expr) -> usize {
    let mut written = HashSet::new();
    walk(tree, &mut |e| {
        let counts = match e {
            Expr::Ref(_) | Expr::Table(_) => true,
            Expr::Name { name, .. } => wb.names.iter().any(|n| n.name.eq_ignore_ascii_case(name)),
            Expr::Call { name, .. } => REFERENCE_FUNCTIONS.contains(&name.as_str()),
            _ => false,
        };
        if counts {
            written.insert(print(e));
        }
    });
    written.len()
}

/// An expression as Excel shows it.
pub(super) fn print(e: &Expr) -> String {
    display_text(&crate::formula::printer::print(e))
}

/// `Sheet!A1`, `Sheet!A1:B9`, `Sheet!C:C` or `Sheet!2:2`, the sheet
/// quoted when it must be.
pub(super) fn area_name(wb: &Workbook, sheet: usize, range: RangeAddr) -> String {
    let name = wb.sheets.get(sheet).map_or("?", |s| s.name.as_str());
    let whole_columns = range.start.row == 0 && range.end.row == MAX_ROWS - 1;
    let whole_rows = range.start.col == 0 && range.end.col == MAX_COLS - 1;
    let place = if whole_columns && !whole_rows {
        format!(
            "{}:{}",
            column_letters(range.start.col),
            column_letters(range.end.col)
        )
    } else if whole_rows && !whole_columns {
        format!("{}:{}", range.start.row + 1, range.end.row + 1)
    } else {
        range.to_a1()
    };
    format!("{}!{place}", quote_sheet_name(name))
}

/// An expression referring to `area` from any sheet.
pub(super) fn area_reference(wb: &Workbook, area: Area) -> Expr {
    let name = wb.sheets.get(area.sheet).map_or("", |s| s.name.as_str());
    let corner = |a: CellAddr| CellRef {
        row: a.row,
        col: a.col,
        row_abs: true,
        col_abs: true,
    };
    Expr::Ref(Reference {
        sheet: Some(SheetSpec {
            first: name.to_string(),
            last: None,
        }),
        start: corner(area.range.start),
        end: (area.range.start != area.range.end).then(|| corner(area.range.end)),
        shape: RefShape::Cells,
    })
}

/// A calculated value reduced to one value, as a cell would show it: a
/// one-cell reference's value, an array's first value.
pub(super) fn scalar(wb: &Workbook, value: &CalcValue) -> Value {
    match value {
        CalcValue::Value(v) => v.clone(),
        CalcValue::Ref(area) if area.is_cell() => wb
            .sheets
            .get(area.sheet)
            .map_or(Value::Error(crate::model::ErrorKind::Ref), |s| {
                s.value(area.range.start).clone()
            }),
        CalcValue::Array(a) => a.values.first().cloned().unwrap_or_default(),
        CalcValue::Lambda(_) => Value::Error(crate::model::ErrorKind::Calc),
        CalcValue::Ref(_) | CalcValue::Refs(_) => Value::Error(crate::model::ErrorKind::Value),
    }
}

/// A calculated value shown without a number format; an array says its
/// size.
pub(super) fn calc_shown(value: &CalcValue, wb: &Workbook) -> Shown {
    match value {
        CalcValue::Array(a) if a.rows * a.cols > 1 => Shown {
            shown: format!("an array of {} × {} values", a.rows, a.cols),
            raw: String::new(),
            kind: "array",
        },
        other => shown(&scalar(wb, other), "", wb),
    }
}

/// The value of `sheet`!`addr` with its number format.
pub(super) fn cell_shown(wb: &Workbook, sheet: usize, addr: CellAddr) -> Shown {
    let cell = wb.sheets[sheet].cell_or_empty(addr);
    shown(&cell.value, &wb.styles.get(cell.style).number_format, wb)
}

/// `value` with the number format `code` (`""`: General).
pub(super) fn shown(value: &Value, code: &str, wb: &Workbook) -> Shown {
    let kind = match value {
        Value::Empty => "empty",
        Value::Number(_) => "number",
        Value::Text(_) => "text",
        Value::Bool(_) => "logical",
        Value::Date(_) => "date",
        Value::Error(_) => "error",
    };
    Shown {
        shown: format_value_in(value, code, wb.date_system),
        raw: value.to_string(),
        kind,
    }
}

/// The data table that fills `addr` of `sheet`, if one does: its range,
/// the formula cell whose result fills the cell and, per input cell, the
/// heading cell whose value it takes.
#[allow(clippy::type_complexity)]
fn data_table_of(
    wb: &crate::model::Workbook,
    sheet: usize,
    addr: CellAddr,
) -> Option<(RangeAddr, (CellAddr, Vec<(CellAddr, CellAddr)>))> {
    let table = wb.sheets[sheet]
        .data_tables
        .iter()
        .find(|t| t.range.contains(addr))?;
    let (formula, row_value, column_value) = table.sources(addr)?;
    let headings = [
        (table.row_input, row_value),
        (table.column_input, column_value),
    ]
    .into_iter()
    .filter_map(|(input, heading)| Some((input?, heading?)))
    .collect();
    Some((table.range, (formula, headings)))
}
