//! What can be known about a script without running it (`sheetscript
//! check`, and the web page before a run): syntax errors; calls of
//! functions that do not exist or with the wrong number of arguments,
//! measured against what the engine registers and what the script
//! defines; `param("x")` names its `//!` header does not declare; and,
//! given a workbook, the literal sheet, table and column names that are
//! not there.
//!
//! A finding must be a sure one: a name the script itself creates (a
//! sheet it adds, a column it sets), tests for (`has_sheet`, `in`) or
//! reaches inside `try`, or that it could change in ways not visible in
//! its text, is left alone. Only string literals are checked; a name
//! computed at run time is the run's to judge.

use super::book::{Book, SharedBook};
use super::errors::{message, plain_error, with_line};
use super::header::ScriptHeader;
use super::suggest::closest;
use super::{reference_engine, registered_functions, RegisteredFn, ScriptError, StartValues};
use crate::formula::Deadline;
use crate::model::address::split_sheet_prefix;
use crate::model::Workbook;
use crate::script::table::Table;
use crate::{Error, Result};
use rhai::{ASTFlags, ASTNode, Expr, FnCallExpr, OptimizationLevel, Position, Stmt, AST};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use std::time::Duration;

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The script does not compile.
    Syntax,
    /// The `//!` header cannot be read.
    Header,
    /// A call of a function nothing defines.
    UnknownFunction,
    /// A call with a number of arguments no function of that name takes.
    WrongArguments,
    /// `param("x")` where the header declares parameters, but not `x`.
    UndeclaredParameter,
    /// `workbook("x")` where the header declares attachments, but not `x`.
    UndeclaredAttachment,
    /// A sheet the workbook does not have.
    UnknownSheet,
    /// A table (or sheet) the workbook does not have.
    UnknownTable,
    /// A column a table of the workbook does not have.
    UnknownColumn,
    /// A cell reference or defined name that does not resolve.
    UnknownReference,
}

/// One problem found in a script, at a place in its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// The line, from 1; 0 when the problem has no one place.
    pub line: usize,
    /// The column on that line, from 1, in characters.
    pub column: usize,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The name probably meant, when one is close.
    pub suggestion: Option<String>,
}

impl Finding {
    /// `file:line:col: message`, the line and a caret under the place.
    pub fn render(&self, file: &str, source: &str) -> String {
        let text = source.lines().nth(self.line.saturating_sub(1));
        self.render_at(file, text)
    }

    /// Like [`Finding::render`], given the text of the finding's line.
    fn render_at(&self, file: &str, text: Option<&str>) -> String {
        if self.line == 0 {
            format!("{file}: {}", self.message)
        } else {
            with_line(file, text, self.line, self.column, &self.message)
        }
    }
}

/// Every finding rendered as [`Finding::render`] does, a blank line after
/// each; the script's lines are found once, however many findings.
pub fn render_findings(findings: &[Finding], file: &str, source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::new();
    for f in findings {
        let text = f.line.checked_sub(1).and_then(|i| lines.get(i)).copied();
        out.push_str(&f.render_at(file, text));
        out.push_str("\n\n");
    }
    out
}

impl Finding {
    fn at(kind: FindingKind, pos: Position, message: String, suggestion: Option<String>) -> Self {
        Finding {
            kind,
            line: pos.line().unwrap_or(0),
            column: pos.position().unwrap_or(1),
            message,
            suggestion,
        }
    }
}

/// How long preparing a workbook for the check may take (its formulas
/// saved without a result are computed, as a run computes them).
const WORKBOOK_TIME: Duration = Duration::from_secs(60);

/// rhai's keywords that look like calls; they take any arguments.
const KEYWORDS: &[&str] = &[
    "print",
    "debug",
    "type_of",
    "eval",
    "Fn",
    "call",
    "curry",
    "is_shared",
    "is_def_var",
    "is_def_fn",
];

/// Calls that create the sheet or table names among their text
/// arguments.
const CREATORS: &[&str] = &[
    "add_sheet",
    "rename_sheet",
    "rename",
    "write_table",
    "add_table",
];

/// Methods of a sheet that leave its cells as they are, so a table read
/// from it keeps its columns.
const SHEET_READERS: &[&str] = &[
    "name",
    "get",
    "values",
    "formula",
    "format",
    "bold",
    "width",
    "table",
    "last_row",
    "to_string",
    "add_chart",
    "highlight",
];

/// Table methods that call a closure with each row of the table.
const ROW_METHODS: &[&str] = &["filter", "add_column"];

/// Table methods whose first argument names a column.
const COLUMN_METHODS: &[&str] = &["col", "sum", "format", "rename_column"];

/// Checks `source` (the script `script_name`, for messages), against
/// `workbook` when one is given. The findings come in the order of the
/// text; none means the check found nothing to object to. An error only
/// when the workbook cannot be prepared (a formula past the time limit).
pub fn check_script(
    source: &str,
    script_name: &str,
    workbook: Option<Workbook>,
) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let header = match ScriptHeader::parse(source, script_name) {
        Ok(h) => h,
        Err(e) => {
            findings.push(header_finding(&e.to_string(), script_name));
            ScriptHeader::default()
        }
    };
    let mut engine = reference_engine();
    // The run's limits, so what the check compiles the run compiles.
    engine.set_max_expr_depths(super::MAX_EXPR_DEPTH, super::MAX_FN_EXPR_DEPTH);
    // The tree as written: no constant folded, no dead branch dropped.
    engine.set_optimization_level(OptimizationLevel::None);
    let ast = match engine.compile(source) {
        Ok(ast) => ast,
        Err(e) => {
            let pos = e.position();
            let sentence = message(&rhai::EvalAltResult::from(e));
            findings.push(Finding::at(FindingKind::Syntax, pos, sentence, None));
            return Ok(findings);
        }
    };
    let book = match workbook {
        Some(wb) => {
            let now = chrono::Local::now().naive_local();
            let deadline = Some(Deadline::after(WORKBOOK_TIME));
            let book = Book::new(wb, now, StartValues::Cached, "the workbook", deadline)
                .map_err(|e| Error::Script(format!("the workbook: {e}")))?;
            Some(Rc::new(RefCell::new(book)))
        }
        None => None,
    };
    let known = Known::new(registered_functions(&engine, true), &ast);
    let facts = Facts::gather(&ast);
    let mut checker = Checker {
        known: &known,
        facts: &facts,
        header: &header,
        book: book.as_ref(),
        tables: HashMap::new(),
        suggested: HashMap::new(),
        findings,
    };
    ast.walk(&mut |path: &[ASTNode]| {
        checker.visit(path);
        true
    });
    checker.row_closures(&ast);
    let mut findings = checker.findings;
    findings.sort_by_key(|f| (f.line, f.column));
    findings.dedup();
    Ok(findings)
}

/// The sentence for a `what` (parameter, attachment) the header does
/// not declare, with the line that would (`hint`), and the declared name
/// probably meant.
fn undeclared<'d>(
    what: &str,
    name: &str,
    hint: &str,
    declared: &[&'d str],
) -> (String, Option<&'d str>) {
    let near = closest(name, declared);
    let mut msg = format!(
        "the header declares no {what} \"{name}\" (that takes `{hint}`); it declares {}",
        declared.join(", ")
    );
    if let Some(n) = near {
        msg.push_str(&format!("; did you mean \"{n}\"?"));
    }
    (msg, near)
}

/// The header's error (`script:3: why\n  line`) as a finding on its line.
fn header_finding(text: &str, script_name: &str) -> Finding {
    let first = text.lines().next().unwrap_or(text);
    let rest = first
        .strip_prefix(script_name)
        .and_then(|r| r.strip_prefix(':'));
    let parsed = rest.and_then(|r| {
        let (line, why) = r.split_once(':')?;
        Some((line.trim().parse::<usize>().ok()?, why.trim()))
    });
    let (line, message) = match parsed {
        Some((line, why)) => (line, why.to_string()),
        None => (0, text.to_string()),
    };
    Finding {
        kind: FindingKind::Header,
        line,
        column: 1,
        message: format!("header: {message}"),
        suggestion: None,
    }
}

/// The functions a call may reach: the engine's and the script's own.
struct Known {
    native: HashMap<String, Vec<RegisteredFn>>,
    /// The script's functions by name, with their numbers of parameters.
    script: HashMap<String, BTreeSet<usize>>,
    /// Names of properties with a getter (`len`, `columns`...).
    getters: HashSet<String>,
    /// Every name a call could mean, for suggestions.
    callable: Vec<String>,
}

impl Known {
    fn new(functions: Vec<RegisteredFn>, ast: &AST) -> Known {
        let mut native: HashMap<String, Vec<RegisteredFn>> = HashMap::new();
        let mut getters = HashSet::new();
        for f in functions {
            if let Some(prop) = f.name.strip_prefix("get$") {
                getters.insert(prop.to_string());
            }
            native.entry(f.name.clone()).or_default().push(f);
        }
        let mut script: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for f in ast.iter_functions() {
            script
                .entry(f.name.to_string())
                .or_default()
                .insert(f.params.len());
        }
        let mut callable: Vec<String> = native
            .keys()
            .chain(script.keys())
            .map(String::as_str)
            .filter(|n| is_plain_name(n))
            .chain(KEYWORDS.iter().copied())
            .map(str::to_string)
            .collect();
        callable.sort_unstable();
        callable.dedup();
        Known {
            native,
            script,
            getters,
            callable,
        }
    }

    /// The argument counts native functions named `name` take.
    fn native_counts(&self, name: &str) -> BTreeSet<usize> {
        self.native
            .get(name)
            .into_iter()
            .flatten()
            .map(|f| f.params.len())
            .collect()
    }
}

/// A name a script can write as a call: not an operator, a property or
/// an anonymous function.
fn is_plain_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with("anon$")
}

/// What a variable is given, as far as the check can tell.
#[derive(Debug, Clone, PartialEq)]
enum Init {
    /// `table("Name")` or `table("Name", [headers])`.
    Table(String),
    /// `sheet(...)` or `add_sheet(...)`, with the name (lower case) when
    /// it is written as text.
    Sheet(Option<String>),
    /// A text literal.
    Text(String),
    /// Anything else, or a second binding of the same name.
    Other,
}

/// What the script says about its names, gathered before any check so
/// that a name created late in the text is known early.
#[derive(Default)]
struct Facts {
    /// Every binding of each variable name (lets, assignments, loop and
    /// function parameters).
    bindings: HashMap<String, Vec<Init>>,
    /// Keys of map literals and properties assigned: a method call of
    /// that name may be a function held in a map.
    map_keys: HashSet<String>,
    /// Sheet and table names (lower case) the script creates.
    created: HashSet<String>,
    /// A sheet or table may be created under a name not in the text.
    created_unseen: bool,
    /// Names (lower case) the script tests for before using them.
    guarded: HashSet<String>,
    /// Sheets (lower case) whose cells the script may change, so tables
    /// read from them may gain columns.
    written: HashSet<String>,
    /// The script may change the cells of any sheet.
    written_unseen: bool,
    /// Columns (normalised) the script sets on tables read from each
    /// source (lower case).
    new_columns: HashMap<String, HashSet<String>>,
    /// Sources whose tables the script's own methods may change.
    open_sources: HashSet<String>,
    /// The functions the script defines.
    script_fns: HashSet<String>,
    /// Closures called with the rows of a table source (`t.filter(|r|
    /// ...)`): the closure's function name, the position of its row
    /// among its parameters, and the source.
    row_closures: Vec<(String, usize, String)>,
}

impl Facts {
    fn gather(ast: &AST) -> Facts {
        let mut facts = Facts::default();
        for f in ast.iter_functions() {
            facts.script_fns.insert(f.name.to_string());
            for p in f.params {
                facts.bind(p, Init::Other);
            }
        }
        ast.walk(&mut |path: &[ASTNode]| {
            facts.note_binding(path);
            true
        });
        ast.walk(&mut |path: &[ASTNode]| {
            facts.note_use(path);
            true
        });
        facts
    }

    fn bind(&mut self, name: &str, init: Init) {
        self.bindings
            .entry(name.to_string())
            .or_default()
            .push(init);
    }

    /// What the variable named `name` holds, when it is bound once.
    fn single(&self, name: &str) -> Option<&Init> {
        match self.bindings.get(name).map(Vec::as_slice) {
            Some([one]) => Some(one),
            _ => None,
        }
    }

    /// The text `e` is: a literal, or a variable bound once to one.
    fn text_of<'e>(&'e self, e: &'e Expr) -> Option<&'e str> {
        match e {
            Expr::StringConstant(s, _) => Some(s.as_str()),
            Expr::Variable(v, ..) => match self.single(&v.1) {
                Some(Init::Text(t)) => Some(t.as_str()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The table source (lower case) a chain base reads: a variable bound
    /// once to `table("Name")`, or the call itself.
    fn source_of(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Variable(v, ..) if v.2.is_empty() => match self.single(&v.1) {
                Some(Init::Table(name)) => Some(name.to_lowercase()),
                _ => None,
            },
            Expr::FnCall(f, _) => match init_of(f) {
                Init::Table(name) => Some(name.to_lowercase()),
                _ => None,
            },
            _ => None,
        }
    }

    fn note_binding(&mut self, path: &[ASTNode]) {
        let Some(node) = path.last() else { return };
        match node {
            ASTNode::Stmt(Stmt::Var(x, ..)) => {
                let init = match &x.1 {
                    Expr::FnCall(f, _) => init_of(f),
                    Expr::StringConstant(s, _) => Init::Text(s.to_string()),
                    _ => Init::Other,
                };
                self.bind(&x.0.name, init);
            }
            ASTNode::Stmt(Stmt::Assignment(x)) => {
                if let Expr::Variable(v, ..) = &x.1.lhs {
                    self.bind(&v.1, Init::Other);
                }
                self.note_assigned_keys(&x.1.lhs);
            }
            ASTNode::Stmt(Stmt::For(x, _)) => {
                self.bind(&x.0.name, Init::Other);
                if let Some(counter) = &x.1 {
                    self.bind(&counter.name, Init::Other);
                }
            }
            ASTNode::Stmt(Stmt::TryCatch(x, _)) => {
                if let Expr::Variable(v, ..) = &x.expr {
                    self.bind(&v.1, Init::Other);
                }
            }
            ASTNode::Expr(Expr::Map(m, _)) => {
                for (key, _) in m.0.iter() {
                    self.map_keys.insert(key.name.to_string());
                }
            }
            _ => {}
        }
    }

    /// Properties and keys assigned anywhere in `target` (`m.f = ...`).
    fn note_assigned_keys(&mut self, target: &Expr) {
        match target {
            Expr::Property(p, _) => {
                self.map_keys.insert(p.2.to_string());
            }
            Expr::Dot(x, ..) | Expr::Index(x, ..) => {
                if let Expr::StringConstant(s, _) = &x.rhs {
                    self.map_keys.insert(s.to_string());
                }
                self.note_assigned_keys(&x.lhs);
                self.note_assigned_keys(&x.rhs);
            }
            _ => {}
        }
    }

    fn note_use(&mut self, path: &[ASTNode]) {
        let Some(node) = path.last() else { return };
        match node {
            ASTNode::Stmt(Stmt::Assignment(x)) => self.note_assignment(&x.1.lhs),
            ASTNode::Expr(Expr::FnCall(f, _)) | ASTNode::Stmt(Stmt::FnCall(f, _))
                if !f.is_qualified() && !f.is_operator_call() =>
            {
                let args: Vec<&Expr> = f.args.iter().collect();
                self.note_call(&f.name, &args, Some(path));
            }
            ASTNode::Expr(e @ (Expr::Dot(..) | Expr::Index(..))) if !is_continuation(e, path) => {
                if let Some((base, Accessor::Method(m))) = chain_start(e) {
                    let args: Vec<&Expr> = std::iter::once(base).chain(m.args.iter()).collect();
                    self.note_call(&m.name, &args, None);
                    if let Some(source) = self.source_of(base) {
                        self.note_table_call(&source, &m.name, m.args.first(), m.args.get(1));
                        if ROW_METHODS.contains(&m.name.as_str()) {
                            for (closure, row) in m.args.iter().filter_map(closure_name) {
                                self.row_closures.push((closure, row, source.clone()));
                            }
                        }
                    }
                }
            }
            ASTNode::Expr(e @ Expr::Variable(v, ..)) => {
                if let Some(Init::Sheet(name)) = self.single(&v.1).cloned() {
                    if !only_reads_sheet(e, path) {
                        self.sheet_written(name);
                    }
                }
            }
            _ => {}
        }
    }

    /// `t["X"] = ...` and `t.X = ...` set a column on a table source;
    /// `s["A1"] = ...` writes into a sheet.
    fn note_assignment(&mut self, target: &Expr) {
        let (Expr::Index(x, ..) | Expr::Dot(x, ..)) = target else {
            return;
        };
        let name = match &x.rhs {
            Expr::StringConstant(s, _) => Some(s.to_string()),
            Expr::Property(p, _) => Some(p.2.to_string()),
            _ => None,
        };
        if let Some(source) = self.source_of(&x.lhs) {
            match name {
                Some(n) => self.new_column(&source, &n),
                None => {
                    self.open_sources.insert(source);
                }
            }
        } else if let Expr::Variable(v, ..) = &x.lhs {
            if let Some(Init::Sheet(name)) = self.single(&v.1).cloned() {
                self.sheet_written(name);
            }
        }
    }

    /// The sheet named `name` (lower case; `None` when not known) may
    /// change.
    fn sheet_written(&mut self, name: Option<String>) {
        match name {
            Some(n) => {
                self.written.insert(n);
            }
            None => self.written_unseen = true,
        }
    }

    fn new_column(&mut self, source: &str, column: &str) {
        self.new_columns
            .entry(source.to_string())
            .or_default()
            .insert(normalise(column));
    }

    /// A call (function or method form) on a table source.
    fn note_table_call(
        &mut self,
        source: &str,
        method: &str,
        first: Option<&Expr>,
        second: Option<&Expr>,
    ) {
        if self.script_fns.contains(method) {
            // The script's own function may change the table it is
            // given as `this`.
            self.open_sources.insert(source.to_string());
            return;
        }
        match method {
            "add_column" => match first.and_then(|e| self.text_of(e)).map(str::to_string) {
                Some(c) => self.new_column(source, &c),
                None => {
                    self.open_sources.insert(source.to_string());
                }
            },
            "rename_column" => match second.and_then(|e| self.text_of(e)).map(str::to_string) {
                Some(c) => self.new_column(source, &c),
                None => {
                    self.open_sources.insert(source.to_string());
                }
            },
            _ => {}
        }
    }

    /// A call with its arguments (a method's receiver first).
    fn note_call(&mut self, name: &str, args: &[&Expr], path: Option<&[ASTNode]>) {
        if CREATORS.contains(&name) {
            self.note_creation(name, args);
        }
        match name {
            "has_sheet" | "contains" | "is_def_var" => {
                for a in args {
                    if let Some(t) = self.text_of(a) {
                        self.guarded.insert(t.to_lowercase());
                    }
                }
            }
            "set_value" => match args.first().and_then(|a| self.text_of(a)) {
                Some(r) => {
                    let (sheet, _) = split_sheet_prefix(r);
                    match sheet {
                        Some(s) => {
                            self.written.insert(s.to_lowercase());
                        }
                        // A defined name may point into any sheet.
                        None => self.written_unseen = true,
                    }
                }
                None => self.written_unseen = true,
            },
            "sheet" => match path {
                Some(path) => self.note_sheet_handle(args, path),
                // workbook().sheet("X") and the like: taken as written.
                None => {
                    let name = args.get(1).and_then(|a| self.text_of(a));
                    self.sheet_written(name.map(str::to_lowercase));
                }
            },
            _ => {}
        }
        // Function-call style on a table variable changes it as the
        // method would (`add_column(t, "X", ...)`).
        if let Some(source) = args.first().and_then(|a| self.source_of(a)) {
            if path.is_some() {
                self.note_table_call(&source, name, args.get(1).copied(), args.get(2).copied());
            }
        }
    }

    /// `sheet("X")`: the sheet counts as written unless the handle is
    /// only used to read or format.
    fn note_sheet_handle(&mut self, args: &[&Expr], path: &[ASTNode]) {
        let name = args
            .first()
            .and_then(|a| self.text_of(a))
            .map(str::to_lowercase);
        let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
        let read_only = match parent {
            // let s = sheet("X"): judged by the methods called on `s`
            // (note_method_on and note_assignment mark a write).
            Some(ASTNode::Stmt(Stmt::Var(x, ..))) => self.single(&x.0.name).is_some(),
            Some(ASTNode::Expr(p @ Expr::Dot(..))) => match chain_start(p) {
                Some((_, Accessor::Method(m))) => SHEET_READERS.contains(&m.name.as_str()),
                _ => false,
            },
            _ => false,
        };
        if !read_only {
            self.sheet_written(name);
        }
    }

    /// Collects the names a creating call makes; a name not written as
    /// text means any name may be made.
    fn note_creation(&mut self, name: &str, args: &[&Expr]) {
        for a in args {
            self.collect_texts(a);
        }
        let name_at = match name {
            "add_sheet" => 0,
            _ => 1,
        };
        let Some(arg) = args.get(name_at) else {
            return;
        };
        if self.text_of(arg).is_some() {
            return;
        }
        // sheet.write_table(table, "H1"): a sheet's own method names a
        // cell, not a sheet.
        let on_sheet = match args.first() {
            Some(Expr::Variable(v, ..)) => matches!(self.single(&v.1), Some(Init::Sheet(_))),
            Some(Expr::FnCall(f, _)) => matches!(init_of(f), Init::Sheet(_)),
            _ => false,
        };
        if !(name == "write_table" && on_sheet) {
            self.created_unseen = true;
        }
    }

    fn collect_texts(&mut self, e: &Expr) {
        if let Some(t) = self.text_of(e) {
            self.created.insert(t.to_lowercase());
            return;
        }
        match e {
            Expr::Array(items, _) => items.iter().for_each(|i| self.collect_texts(i)),
            Expr::Map(m, _) => m.0.iter().for_each(|(_, v)| self.collect_texts(v)),
            _ => {}
        }
    }
}

/// The function name of a closure written as an argument (`|r| ...`),
/// and how many values it captures: rhai curries them in front of the
/// closure's own parameters.
fn closure_name(e: &Expr) -> Option<(String, usize)> {
    match e {
        Expr::DynamicConstant(d, _) => d
            .read_lock::<rhai::FnPtr>()
            .map(|f| (f.fn_name().to_string(), 0)),
        // A capturing closure: `{ share captured; Fn(...).curry(captured) }`.
        Expr::Stmt(block) => match block.statements().last()? {
            Stmt::Expr(e) => closure_name(e),
            Stmt::FnCall(f, _) => curried(f),
            _ => None,
        },
        Expr::FnCall(f, _) => curried(f),
        _ => None,
    }
}

/// `curry(closure, captured...)`: the closure and its captured count.
fn curried(f: &FnCallExpr) -> Option<(String, usize)> {
    if f.name != "curry" {
        return None;
    }
    let (name, before) = closure_name(f.args.first()?)?;
    Some((name, before + f.args.len() - 1))
}

/// What a call gives a variable.
fn init_of(f: &FnCallExpr) -> Init {
    if f.is_qualified() {
        return Init::Other;
    }
    match (f.name.as_str(), f.args.first()) {
        ("table", Some(Expr::StringConstant(s, _))) if f.args.len() == 1 => {
            Init::Table(s.to_string())
        }
        ("sheet" | "add_sheet", first) if f.args.len() == 1 => Init::Sheet(match first {
            Some(Expr::StringConstant(s, _)) => Some(s.to_lowercase()),
            _ => None,
        }),
        _ => Init::Other,
    }
}

/// Column names as a table matches them: case and spaces ignored.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first step of a chain after its base.
enum Accessor<'a> {
    /// `.name`
    Property(&'a str, Position),
    /// `.name(args)`
    Method(&'a FnCallExpr),
    /// `[expr]`
    Index(&'a Expr),
}

/// The base of the chain `e` starts and its first step.
fn chain_start(e: &Expr) -> Option<(&Expr, Accessor<'_>)> {
    let (x, options, dot) = match e {
        Expr::Dot(x, o, _) => (x, *o, true),
        Expr::Index(x, o, _) => (x, *o, false),
        _ => return None,
    };
    // Without BREAK the right side continues the chain, its left side
    // being this step; with it, the right side is the whole step.
    let step = match &x.rhs {
        Expr::Dot(r, ..) | Expr::Index(r, ..) if !options.intersects(ASTFlags::BREAK) => &r.lhs,
        other => other,
    };
    let accessor = match (dot, step) {
        (true, Expr::Property(p, pos)) => Accessor::Property(p.2.as_str(), *pos),
        (true, Expr::MethodCall(m, _)) => Accessor::Method(m),
        (false, index) => Accessor::Index(index),
        _ => return None,
    };
    Some((&x.lhs, accessor))
}

/// Whether `e` continues the chain of its parent rather than starting
/// one.
fn is_continuation(e: &Expr, path: &[ASTNode]) -> bool {
    let Some(ASTNode::Expr(parent)) = path.len().checked_sub(2).and_then(|i| path.get(i)) else {
        return false;
    };
    match parent {
        Expr::Dot(x, o, _) | Expr::Index(x, o, _) => {
            !o.intersects(ASTFlags::BREAK) && std::ptr::eq(&x.rhs, e)
        }
        _ => false,
    }
}

/// Whether the sheet handle `var` is used here only to read or format
/// (`s.name`, `s["A1"]`, `s.bold(...)`); passed on, copied or written
/// through, the sheet may change.
fn only_reads_sheet(var: &Expr, path: &[ASTNode]) -> bool {
    let Some(ASTNode::Expr(parent)) = path.len().checked_sub(2).and_then(|i| path.get(i)) else {
        return false;
    };
    let (Expr::Dot(x, ..) | Expr::Index(x, ..)) = parent else {
        return false;
    };
    if !std::ptr::eq(&x.lhs, var) || is_continuation(parent, &path[..path.len() - 1]) {
        return false;
    }
    match chain_start(parent) {
        Some((_, Accessor::Method(m))) => SHEET_READERS.contains(&m.name.as_str()),
        // A write through `s["A1"] = ...` is seen on the assignment.
        Some((_, Accessor::Property(..) | Accessor::Index(_))) => true,
        None => false,
    }
}

/// Whether a node of `path` is a `try` block: what it reaches may be
/// expected to fail.
fn in_try(path: &[ASTNode]) -> bool {
    path.iter()
        .any(|n| matches!(n, ASTNode::Stmt(Stmt::TryCatch(..))))
}

/// Whether `e` is the target of the assignment that is its parent.
fn is_assigned(e: &Expr, path: &[ASTNode]) -> bool {
    let Some(ASTNode::Stmt(Stmt::Assignment(x))) =
        path.len().checked_sub(2).and_then(|i| path.get(i))
    else {
        return false;
    };
    std::ptr::eq(&x.1.lhs, e)
}

struct Checker<'c> {
    known: &'c Known,
    facts: &'c Facts,
    header: &'c ScriptHeader,
    book: Option<&'c SharedBook>,
    /// Tables read from the workbook by source (lower case); `None`
    /// when the source is not one to check columns of.
    tables: HashMap<String, Option<Table>>,
    /// The name suggested for each unknown function so far: a script
    /// repeating one misspelling is compared with every name once.
    suggested: HashMap<String, Option<String>>,
    findings: Vec<Finding>,
}

impl Checker<'_> {
    fn visit(&mut self, path: &[ASTNode]) {
        let Some(node) = path.last() else { return };
        match node {
            ASTNode::Expr(Expr::FnCall(f, pos)) | ASTNode::Stmt(Stmt::FnCall(f, pos))
                if !f.is_qualified() && !f.is_operator_call() =>
            {
                self.call(f, *pos, path);
            }
            ASTNode::Expr(Expr::MethodCall(m, pos)) => self.method_arity(m, *pos),
            ASTNode::Expr(e @ (Expr::Dot(..) | Expr::Index(..))) if !is_continuation(e, path) => {
                self.chain(e, path);
            }
            _ => {}
        }
    }

    fn push(
        &mut self,
        kind: FindingKind,
        pos: Position,
        message: String,
        suggestion: Option<&str>,
    ) {
        self.findings.push(Finding::at(
            kind,
            pos,
            message,
            suggestion.map(str::to_string),
        ));
    }

    /// A function-style call: it exists and takes this many arguments;
    /// then what its literal arguments name.
    fn call(&mut self, f: &FnCallExpr, pos: Position, path: &[ASTNode]) {
        let name = f.name.as_str();
        let count = f.args.len();
        if !KEYWORDS.contains(&name) {
            let natives = self.known.native_counts(name);
            let scripts = self.known.script.get(name);
            if natives.is_empty() && scripts.is_none() {
                self.unknown_function(name, pos);
                return;
            }
            let takes = natives.contains(&count) || scripts.is_some_and(|s| s.contains(&count));
            if !takes {
                self.wrong_count(name, count, false, pos);
                return;
            }
        }
        if self.known.script.contains_key(name) {
            // The script's own function of an API name: not ours to read.
            return;
        }
        let first = f.args.first();
        let text = first.and_then(|a| self.facts.text_of(a).map(|t| (t, a.position())));
        match (name, text) {
            ("param", Some((p, at))) => self.param(p, at),
            ("workbook", Some((w, at))) => self.attachment(w, at),
            ("sheet", Some((s, at))) if count == 1 => self.sheet(s, at, path),
            ("table", Some((t, at))) => {
                let headers = f.args.get(1);
                self.table(t, headers, at, path);
            }
            ("value" | "values" | "set_value", Some((r, at))) => self.reference(r, at, path),
            _ => {}
        }
        // Function style on a table: `sum(inv, "Net")`.
        if let Some(source) = first.and_then(|a| self.facts.source_of(a)) {
            let rest: Vec<&Expr> = f.args.iter().skip(1).collect();
            self.table_method(&source, name, &rest, path);
        }
    }

    /// A method call takes its receiver as the first argument of a
    /// native function, or is one of the script's functions (with
    /// `this`).
    fn method_arity(&mut self, m: &FnCallExpr, pos: Position) {
        let name = m.name.as_str();
        if KEYWORDS.contains(&name) || self.facts.map_keys.contains(name) {
            return;
        }
        let count = m.args.len();
        let natives = self.known.native_counts(name);
        let scripts = self.known.script.get(name);
        if natives.is_empty() && scripts.is_none() {
            self.unknown_function(name, pos);
            return;
        }
        let takes = natives.contains(&(count + 1))
            || scripts.is_some_and(|s| s.contains(&count) || s.contains(&(count + 1)));
        if !takes {
            self.wrong_count(name, count + 1, true, pos);
        }
    }

    fn unknown_function(&mut self, name: &str, pos: Position) {
        let known = self.known;
        let near = self
            .suggested
            .entry(name.to_string())
            .or_insert_with(|| {
                let names: Vec<&str> = known.callable.iter().map(String::as_str).collect();
                closest(name, &names).map(str::to_string)
            })
            .clone();
        let near = near.as_deref();
        let mut msg = format!("there is no function {name} (see `sheetscript functions`)");
        if let Some(n) = near {
            msg.push_str(&format!("; did you mean {n}?"));
        }
        self.push(FindingKind::UnknownFunction, pos, msg, near);
    }

    fn wrong_count(&mut self, name: &str, given: usize, method: bool, pos: Position) {
        let mut counts = self.known.native_counts(name);
        if let Some(s) = self.known.script.get(name) {
            counts.extend(s.iter().copied());
        }
        let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
        let takes = match counts.as_slice() {
            [one] => format!("{one} argument{}", if one == "1" { "" } else { "s" }),
            [init @ .., last] => format!("{} or {last} arguments", init.join(", ")),
            [] => "no arguments".to_string(),
        };
        let mut msg = format!(
            "{name} takes {takes}, given {given}{}",
            if method {
                " (counting the value before the dot)"
            } else {
                ""
            }
        );
        let signatures: Vec<String> = self
            .known
            .native
            .get(name)
            .into_iter()
            .flatten()
            .filter(|f| !f.doc.is_empty())
            .map(RegisteredFn::signature)
            .take(4)
            .collect();
        if !signatures.is_empty() {
            msg.push_str(&format!(": {}", signatures.join("; ")));
        }
        self.push(FindingKind::WrongArguments, pos, msg, None);
    }

    fn param(&mut self, name: &str, at: Position) {
        let declared: Vec<&str> = self.header.params.iter().map(|p| p.name.as_str()).collect();
        if declared.is_empty() || declared.contains(&name) {
            return;
        }
        let hint = format!("//! param {name}: number ...");
        let (msg, near) = undeclared("parameter", name, &hint, &declared);
        self.push(FindingKind::UndeclaredParameter, at, msg, near);
    }

    fn attachment(&mut self, name: &str, at: Position) {
        let declared: Vec<&str> = self
            .header
            .attachments
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        if declared.is_empty() || declared.iter().any(|d| d.eq_ignore_ascii_case(name.trim())) {
            return;
        }
        let hint = format!("//! attach {name} \"...\"");
        let (msg, near) = undeclared("attachment", name, &hint, &declared);
        self.push(FindingKind::UndeclaredAttachment, at, msg, near);
    }

    /// Whether a sheet or table name is one the check may judge: the
    /// script neither creates nor tests for it, nor reaches it in `try`.
    fn judged(&self, name: &str, path: &[ASTNode]) -> bool {
        let lower = name.to_lowercase();
        self.book.is_some()
            && !self.facts.created_unseen
            && !self.facts.created.contains(&lower)
            && !self.facts.guarded.contains(&lower)
            && !in_try(path)
    }

    fn sheet(&mut self, name: &str, at: Position, path: &[ASTNode]) {
        if !self.judged(name, path) {
            return;
        }
        let Some(book) = self.book else { return };
        let found = book.borrow().sheet_name(name);
        if let Err(e) = found {
            self.workbook_error(FindingKind::UnknownSheet, &e, at);
        }
    }

    fn table(&mut self, name: &str, headers: Option<&Expr>, at: Position, path: &[ASTNode]) {
        if !self.judged(name, path) {
            return;
        }
        let Some(book) = self.book else { return };
        let wanted: Option<Vec<String>> = match headers {
            None => Some(Vec::new()),
            Some(Expr::Array(items, _)) => items
                .iter()
                .map(|i| self.facts.text_of(i).map(str::to_string))
                .collect(),
            Some(_) => None,
        };
        let Some(wanted) = wanted else { return };
        let Err(e) = super::api::load_table(book, name, &wanted) else {
            return;
        };
        let mut text = format!("in the workbook: {}", plain_error(&e));
        if !wanted.is_empty() {
            self.push(FindingKind::UnknownColumn, at, text, None);
            return;
        }
        // The run's message suggests among the sheets; a table name may
        // be the one meant.
        let names: Vec<String> = {
            let bk = book.borrow();
            let wb = bk.workbook();
            let tables = wb.table_names().into_iter().map(|t| t.to_string());
            bk.sheet_names().into_iter().chain(tables).collect()
        };
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let near = closest(name, &names);
        if let Some(n) = near.filter(|_| !text.contains("did you mean")) {
            text.push_str(&format!("; did you mean \"{n}\"?"));
        }
        self.push(FindingKind::UnknownTable, at, text, near);
    }

    fn reference(&mut self, text: &str, at: Position, path: &[ASTNode]) {
        let (sheet, _) = split_sheet_prefix(text);
        let named = sheet.as_deref().unwrap_or(text);
        if !self.judged(named, path) || !self.judged(text, path) {
            return;
        }
        let Some(book) = self.book else { return };
        let resolved = book.borrow().resolve(text, None);
        if let Err(e) = resolved {
            let kind = match &e {
                ScriptError::Unknown { what: "sheet", .. } => FindingKind::UnknownSheet,
                _ => FindingKind::UnknownReference,
            };
            self.workbook_error(kind, &e, at);
        }
    }

    fn workbook_error(&mut self, kind: FindingKind, e: &ScriptError, at: Position) {
        let near = match e {
            ScriptError::Unknown {
                name, candidates, ..
            } => {
                let c: Vec<&str> = candidates.iter().map(String::as_str).collect();
                closest(name, &c).map(str::to_string)
            }
            _ => None,
        };
        self.push(kind, at, format!("in the workbook: {e}"), near.as_deref());
    }

    /// A chain `base.step...`: a column read from a table source.
    fn chain(&mut self, e: &Expr, path: &[ASTNode]) {
        let Some((base, step)) = chain_start(e) else {
            return;
        };
        let Some(source) = self.facts.source_of(base) else {
            return;
        };
        match step {
            Accessor::Property(p, pos) => {
                if !self.known.getters.contains(p) {
                    self.column(&source, p, pos, path);
                }
            }
            Accessor::Index(index) => {
                if let Expr::StringConstant(c, pos) = index {
                    if !is_assigned(e, path) {
                        self.column(&source, c, *pos, path);
                    }
                }
            }
            Accessor::Method(m) => {
                let args: Vec<&Expr> = m.args.iter().collect();
                self.table_method(&source, &m.name, &args, path);
            }
        }
    }

    /// The fields closures read from the rows of a table source: `r.Net`,
    /// `r["VAT Rate"]` where `r` is the closure's row.
    fn row_closures(&mut self, ast: &AST) {
        for (closure, at, source) in &self.facts.row_closures {
            let Some(row) = ast
                .iter_functions()
                .find(|f| f.name == closure)
                .and_then(|f| f.params.get(*at).map(|p| p.to_string()))
            else {
                continue;
            };
            // Only this closure's body: a name it shares with another
            // closure's row means another table there.
            // (rhai's clone_functions_only_filtered keeps every function
            // when the copy starts empty, so the copy is cut down after.)
            let mut body = ast.clone_functions_only();
            body.retain_functions(|_, _, name, _| name == closure);
            body.walk(&mut |path: &[ASTNode]| {
                self.row_field(path, &row, source);
                true
            });
        }
    }

    /// A field of the closure's row `row` read at the end of `path`.
    fn row_field(&mut self, path: &[ASTNode], row: &str, source: &str) {
        let Some(ASTNode::Expr(e @ (Expr::Dot(..) | Expr::Index(..)))) = path.last() else {
            return;
        };
        if is_continuation(e, path) {
            return;
        }
        let Some((Expr::Variable(v, ..), step)) = chain_start(e) else {
            return;
        };
        if v.1 != row || !v.2.is_empty() {
            return;
        }
        match step {
            Accessor::Property(p, pos) if !self.known.getters.contains(p) => {
                self.column(source, p, pos, path);
            }
            Accessor::Index(Expr::StringConstant(c, pos)) if !is_assigned(e, path) => {
                self.column(source, c, *pos, path);
            }
            _ => {}
        }
    }

    /// A table method whose arguments name columns.
    fn table_method(&mut self, source: &str, method: &str, args: &[&Expr], path: &[ASTNode]) {
        if self.known.script.contains_key(method) {
            return;
        }
        let columns: Vec<&Expr> = match (method, args) {
            (m, [first, ..]) if COLUMN_METHODS.contains(&m) => vec![*first],
            ("filter", [first, _]) => vec![*first],
            ("select" | "group_by", [first, ..]) => match first {
                Expr::Array(items, _) => items.iter().collect(),
                other => vec![*other],
            },
            _ => return,
        };
        for c in columns {
            if let Expr::StringConstant(name, pos) = c {
                self.column(source, name, *pos, path);
            }
        }
    }

    /// Checks that the table read from `source` has column `name`.
    fn column(&mut self, source: &str, name: &str, at: Position, path: &[ASTNode]) {
        if in_try(path) || self.facts.guarded.contains(&name.to_lowercase()) {
            return;
        }
        if self
            .facts
            .new_columns
            .get(source)
            .is_some_and(|c| c.contains(&normalise(name)))
        {
            return;
        }
        let Some(table) = self.source_table(source) else {
            return;
        };
        if let Err(e) = table.index(name) {
            let near = match &e {
                ScriptError::NoColumn { columns, .. } => {
                    let c: Vec<&str> = columns.iter().map(String::as_str).collect();
                    closest(name, &c).map(str::to_string)
                }
                _ => None,
            };
            self.push(
                FindingKind::UnknownColumn,
                at,
                format!("in the workbook: {e}"),
                near.as_deref(),
            );
        }
    }

    /// The table a source reads from the workbook, when its columns can
    /// be trusted to be the ones the script sees.
    fn source_table(&mut self, source: &str) -> Option<&Table> {
        if !self.tables.contains_key(source) {
            let table = self.load_source(source);
            self.tables.insert(source.to_string(), table);
        }
        self.tables.get(source).and_then(Option::as_ref)
    }

    fn load_source(&self, source: &str) -> Option<Table> {
        let facts = self.facts;
        let book = self.book?;
        if facts.created_unseen
            || facts.written_unseen
            || facts.created.contains(source)
            || facts.guarded.contains(source)
            || facts.open_sources.contains(source)
        {
            return None;
        }
        let table = super::api::load_table(book, source, &[]).ok()?;
        let sheet = table.home.as_ref()?.sheet.to_lowercase();
        if facts.written.contains(&sheet) || facts.created.contains(&sheet) {
            return None;
        }
        Some(table)
    }
}

#[cfg(test)]
mod tests;
