//! The rhai scripting engine, its sandbox limits, and the script API.
//!
//! [`run_script`] runs a script over a workbook and hands back the
//! changed workbook and a change report; nothing is written here, so a
//! failed run leaves no trace. Scripts cannot touch files, the network or
//! processes: rhai has no such functions and none are registered;
//! `import` reads only from the `--lib` folders.

pub(crate) mod api;
pub(crate) mod book;
pub(crate) mod changes;
pub(crate) mod collation;
mod errors;
pub mod header;
mod suggest;
pub(crate) mod table;
pub(crate) mod values;

pub use changes::{Change, ChangeLog};
pub use errors::{render_error, ScriptError, ScriptResult, Stops};
pub use header::{AttachmentSpec, ParamKind, ParamSpec, ScriptHeader, FORMAT_HELP, TODAY};

use crate::formula::Deadline;
use crate::model::Workbook;
use crate::{Error, Result};
pub use book::StartValues;
use book::{Book, SharedBook};
use chrono::NaiveDateTime;
use rhai::module_resolvers::{DummyModuleResolver, FileModuleResolver};
use rhai::{Dynamic, Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Sandbox limits for one run.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Most operations a script may perform (0 = no limit).
    pub max_operations: u64,
    /// Deepest nesting of function calls.
    pub max_call_levels: usize,
    /// Longest string in bytes.
    pub max_string_size: usize,
    /// Longest list.
    pub max_array_size: usize,
    /// Largest map.
    pub max_map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 5_000_000_000,
            max_call_levels: 64,
            max_string_size: 16 * 1024 * 1024,
            max_array_size: 2_000_000,
            max_map_size: 1_000_000,
        }
    }
}

/// How to run a script.
#[derive(Debug, Clone, Default)]
pub struct ScriptOptions {
    /// `--set name=value` pairs, typed on the way in (number, date, text).
    pub params: Vec<(String, String)>,
    /// Folders `import` may read modules from; none means no `import`.
    pub lib_dirs: Vec<PathBuf>,
    /// Stop a run that takes longer (None = no time limit).
    pub timeout: Option<Duration>,
    /// The clock for `today()`; the system clock when `None`.
    pub now: Option<NaiveDateTime>,
    /// Operation, call depth and size limits.
    pub limits: Limits,
    /// Other workbooks the script may read (`--attach name=file`), by
    /// name.
    pub attached: Vec<(String, Workbook)>,
    /// Which formula results the run starts from: the saved ones (formulas
    /// saved without a result are computed), or all recomputed.
    pub start: StartValues,
    /// The language whose order text sorts and groups in (`--locale`, a
    /// tag such as `cs-CZ`); `None` keeps Excel's plain order.
    pub locale: Option<String>,
    /// The name of the file the script runs on, as `input_name()`
    /// returns it (`brno.xlsx`); `None` when the workbook has no file.
    pub input_name: Option<String>,
    /// What each line the script prints starts with (`FILE: `), so the
    /// lines of a batch's files can be told apart; `None` prints them as
    /// they are.
    pub print_prefix: Option<String>,
    /// Keeps the printed lines for the caller (the web page shows each
    /// run's own) instead of writing them to stderr.
    pub capture_prints: Option<PrintCapture>,
}

/// The lines one run printed (`print`, `debug`, `log`), kept for the
/// caller. Bounded: past [`PrintCapture::MAX_BYTES`] further lines are
/// counted, not kept, so a script printing in a loop cannot fill memory.
#[derive(Debug, Clone, Default)]
pub struct PrintCapture(std::sync::Arc<std::sync::Mutex<CapturedLines>>);

#[derive(Debug, Default)]
struct CapturedLines {
    lines: Vec<String>,
    bytes: usize,
    dropped: usize,
}

impl PrintCapture {
    /// The most text kept; later lines are only counted.
    pub const MAX_BYTES: usize = 1 << 20;

    /// Keeps one line.
    fn push(&self, line: String) {
        // A poisoned lock only means another print panicked mid-push;
        // the lines kept so far are still whole.
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if kept.bytes + line.len() > Self::MAX_BYTES {
            kept.dropped += 1;
            return;
        }
        kept.bytes += line.len();
        kept.lines.push(line);
    }

    /// The lines kept, and how many more were printed past the limit.
    pub fn lines(&self) -> (Vec<String>, usize) {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        (kept.lines.clone(), kept.dropped)
    }
}

/// Where a run's printed lines go: stderr, after the batch's file-name
/// prefix, or into the caller's [`PrintCapture`].
#[derive(Clone, Default)]
pub(crate) struct Printer {
    prefix: Option<String>,
    capture: Option<PrintCapture>,
}

impl Printer {
    fn of(options: &ScriptOptions) -> Printer {
        Printer {
            prefix: options.print_prefix.clone(),
            capture: options.capture_prints.clone(),
        }
    }

    /// Prints one line the script printed.
    pub(crate) fn line(&self, text: &str) {
        let prefix = self.prefix.as_deref().unwrap_or("");
        match &self.capture {
            Some(c) => c.push(format!("{prefix}{text}")),
            None => eprintln!("{prefix}{text}"),
        }
    }
}

/// What a successful run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// The workbook with the script's changes.
    pub workbook: Workbook,
    /// What the cells held before the run, and the sheets added, renamed
    /// or removed.
    pub log: ChangeLog,
    /// What recalculating the workbook's formulas could not do (unknown
    /// functions, circular references), and matches that found far
    /// fewer rows than they could, for the user to check.
    pub warnings: Vec<String>,
    /// What the run did that is worth knowing but not wrong, such as
    /// empty cells counted as 0 in a computed column.
    pub notes: Vec<String>,
}

impl RunOutcome {
    /// Every cell whose content changed, with old and new content.
    pub fn changes(&self) -> impl Iterator<Item = Change> + '_ {
        self.log.changes(&self.workbook)
    }

    /// How many cells changed.
    pub fn change_count(&self) -> usize {
        self.log.count(&self.workbook)
    }

    /// Sheets added, renamed or removed, in order.
    pub fn events(&self) -> &[String] {
        self.log.events()
    }
}

const TIMEOUT_TOKEN: &str = "sheetscript-timeout";

/// An engine with the sandbox limits and the whole API registered.
/// The attached workbooks come back too, for their warnings.
fn build_engine(
    book: &SharedBook,
    options: &ScriptOptions,
    attached: Vec<(String, Workbook)>,
    deadline: Option<Deadline>,
) -> Result<(Engine, Scope<'static>, Vec<SharedBook>)> {
    let mut engine = Engine::new();
    let l = &options.limits;
    engine
        .set_max_operations(l.max_operations)
        .set_max_call_levels(l.max_call_levels)
        .set_max_string_size(l.max_string_size)
        .set_max_array_size(l.max_array_size)
        .set_max_map_size(l.max_map_size)
        .set_max_expr_depths(128, 64);
    let watch = SizeWatch::new(l);
    // `on_var` is marked volatile in rhai, not deprecated.
    #[allow(deprecated)]
    engine.on_var(move |name, _, context| {
        watch.check(context.scope().get(name))?;
        Ok(None)
    });
    let printer = Printer::of(options);
    let p = printer.clone();
    engine.on_print(move |s| p.line(s));
    let p = printer.clone();
    engine.on_debug(move |s, _, pos| p.line(&format!("{pos:?}: {s}")));
    if let Some(deadline) = deadline {
        engine.on_progress(move |ops| {
            (ops % 1024 == 0 && Instant::now() > deadline.at).then(|| Dynamic::from(TIMEOUT_TOKEN))
        });
    }
    if options.lib_dirs.is_empty() {
        engine.set_module_resolver(DummyModuleResolver::new());
    } else {
        engine.set_module_resolver(LibResolver::new(&options.lib_dirs));
    }
    let mut params = BTreeMap::new();
    let mut scope = Scope::new();
    for (name, raw) in &options.params {
        if !is_identifier(name) {
            return Err(Error::Usage(format!(
                "--set {name}=...: \"{name}\" is not a usable name (letters, digits and _; not starting with a digit)"
            )));
        }
        let v = api::parse_param(raw)
            .map_err(|why| Error::Usage(format!("--set {name}={raw}: {why}")))?;
        scope.push_constant_dynamic(name.clone(), v.clone());
        params.insert(name.clone(), v);
    }
    let mut books = Vec::with_capacity(attached.len());
    for (name, wb) in attached {
        let label = format!("attached workbook \"{name}\"");
        let mut b = Book::new(wb, book.borrow().now, options.start, &label, deadline)
            .map_err(|e| Error::Script(format!("{label}: {e}")))?;
        b.read_only = Some(name.clone());
        books.push((name, Rc::new(RefCell::new(b))));
    }
    let attached = books;
    let run = api::RunContext {
        params: Rc::new(params),
        input_name: options.input_name.clone(),
        printer,
    };
    api::register(&mut engine, book, &attached, run);
    let attached = attached.into_iter().map(|(_, b)| b).collect();
    Ok((engine, scope, attached))
}

/// The size checks rhai leaves out: it measures a value when it passes
/// through a function or an operator, but `m[k] = v` adding a key
/// measures only `v`, so a loop of such writes would grow a map without
/// bound. Every read of a variable holding a map checks its keys (one
/// comparison), and now and then a read measures the whole value, lists
/// and maps within it included; the reads between two such measures are
/// as many as the value last measured held, so measuring costs a few
/// steps a read however large the data, and a map growing inside
/// another is stopped before it is twice the limit.
struct SizeWatch {
    limits: Limits,
    reads: std::cell::Cell<u64>,
    next_measure: std::cell::Cell<u64>,
}

impl SizeWatch {
    /// Reads between two measures of a small value.
    const EVERY: u64 = 1024;

    fn new(limits: &Limits) -> SizeWatch {
        SizeWatch {
            limits: limits.clone(),
            reads: Default::default(),
            next_measure: Default::default(),
        }
    }

    /// Checks the value of the variable being read, if it has one.
    fn check(&self, value: Option<&Dynamic>) -> std::result::Result<(), Box<EvalAltResult>> {
        let Some(value) = value else {
            return Ok(());
        };
        if let Some(map) = value.read_lock::<rhai::Map>() {
            if over(map.len(), self.limits.max_map_size) {
                return Err(too_large("Size of object map"));
            }
        }
        let reads = self.reads.get() + 1;
        self.reads.set(reads);
        if reads < self.next_measure.get() {
            return Ok(());
        }
        let mut size = DataSize::default();
        size.add(value);
        let l = &self.limits;
        if over(size.values, l.max_array_size) {
            return Err(too_large("Size of array/BLOB"));
        }
        if over(size.keys, l.max_map_size) {
            return Err(too_large("Size of object map"));
        }
        if over(size.bytes, l.max_string_size) {
            return Err(too_large("Length of string"));
        }
        let measured = (size.values + size.keys) as u64;
        self.next_measure.set(reads + Self::EVERY.max(measured));
        Ok(())
    }
}

/// Whether `n` is past `limit` (0 for none).
fn over(n: usize, limit: usize) -> bool {
    limit > 0 && n > limit
}

/// What a value holds, counted as the script engine counts for its
/// limits: values of lists and keys of maps at every depth, and the
/// bytes of every text.
#[derive(Default)]
struct DataSize {
    values: usize,
    keys: usize,
    bytes: usize,
}

impl DataSize {
    fn add(&mut self, value: &Dynamic) {
        if let Some(list) = value.read_lock::<rhai::Array>() {
            for v in list.iter() {
                self.values += 1;
                self.add(v);
            }
        } else if let Some(map) = value.read_lock::<rhai::Map>() {
            for v in map.values() {
                self.keys += 1;
                self.add(v);
            }
        } else if let Some(text) = value.read_lock::<rhai::ImmutableString>() {
            self.bytes += text.len();
        }
    }
}

/// The script engine's own error for a value past a size limit, in its
/// own words (which [`render_error`] turns into a sentence).
fn too_large(what: &str) -> Box<EvalAltResult> {
    EvalAltResult::ErrorDataTooLarge(what.into(), Position::NONE).into()
}

/// Runs `source` (from the file named `file_name`, for messages) over
/// `workbook`. The options are taken, not borrowed, so the attached
/// workbooks move into the run instead of being copied.
pub fn run_script(
    source: &str,
    file_name: &str,
    workbook: Workbook,
    mut options: ScriptOptions,
) -> Result<RunOutcome> {
    let attached = std::mem::take(&mut options.attached);
    let options = &options;
    let now = options
        .now
        .unwrap_or_else(|| chrono::Local::now().naive_local());
    let order = match &options.locale {
        Some(l) => Some(
            crate::model::collation::TextOrder::new(l)
                .map_err(|e| Error::Usage(format!("--locale {l}: {e}")))?,
        ),
        None => None,
    };
    let _order = collation::OrderGuard::set(order);
    // Numbers a script takes from dates (column arithmetic, a date-time
    // read as a number) are in the workbook's date system, as its formulas
    // compute, so they are right when written back into it.
    let _dates = crate::formula::calc::CalcDateSystem::set(workbook.date_system);
    // One clock for the whole run: the formulas computed before the
    // script's first line, the script's own operations, and every
    // recalculation and `calc()` it causes.
    let deadline = options.timeout.map(Deadline::after);
    let book = Book::new(workbook, now, options.start, "the workbook", deadline)
        .map_err(|e| Error::Script(format!("{file_name}: before the first line: {e}")))?;
    let book: SharedBook = Rc::new(RefCell::new(book));
    let (engine, mut scope, attached) = build_engine(&book, options, attached, deadline)?;
    let ast = compile(&engine, &scope, source, file_name, options)?;
    guarded(file_name, || {
        engine
            .run_ast_with_scope(&mut scope, &ast)
            .map_err(|e| Error::Script(render_error(&e, file_name, source, &Stops::of(options))))
    })?;
    drop(engine);
    drop(scope);
    let mut book = Rc::try_unwrap(book)
        .map_err(|_| Error::Script("internal: the script still holds the workbook".into()))?
        .into_inner();
    book.finish()
        .map_err(|e| Error::Script(format!("{file_name}: after the last line: {e}")))?;
    let mut warnings = book.warnings();
    let mut notes = book.notes();
    for other in attached {
        warnings.extend(other.borrow().warnings());
        notes.extend(other.borrow().notes());
    }
    let (workbook, log) = book.into_parts();
    Ok(RunOutcome {
        workbook,
        log,
        warnings,
        notes,
    })
}

/// Compiles `source` as a run with `options` would, without a workbook:
/// a script that cannot be parsed is reported once, before any file is
/// read, rather than failing every file of a batch.
pub fn check_script(source: &str, file_name: &str, options: &ScriptOptions) -> Result<()> {
    let book = Book::new(
        Workbook::new(),
        NaiveDateTime::default(),
        options.start,
        "the syntax check",
        None,
    )
    .map_err(|e| Error::Script(format!("{file_name}: {e}")))?;
    let book: SharedBook = Rc::new(RefCell::new(book));
    let (engine, scope, _) = build_engine(&book, options, Vec::new(), None)?;
    compile(&engine, &scope, source, file_name, options).map(drop)
}

/// Parses a script for `engine`. A script that cannot be parsed runs on
/// no file at all, so it is a usage error (exit 2), rendered with the
/// line and a caret.
fn compile(
    engine: &Engine,
    scope: &Scope,
    source: &str,
    file_name: &str,
    options: &ScriptOptions,
) -> Result<rhai::AST> {
    engine.compile_with_scope(scope, source).map_err(|e| {
        Error::Usage(render_error(
            &EvalAltResult::from(e),
            file_name,
            source,
            &Stops::of(options),
        ))
    })
}

/// Runs a script, turning a panic in one of our functions (a bug of ours,
/// not of the script) into an error like any other: the run stops,
/// nothing is written, and the engine and book are dropped, not reused.
fn guarded<T>(file_name: &str, run: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(panic) => Err(Error::Script(format!(
            "{file_name}: sheetscript failed inside one of its own functions ({}); nothing \
             was written. This is a bug in sheetscript: please report it with the script",
            Error::panic_detail(panic.as_ref())
        ))),
    }
}

/// Whether `name` can be a script variable.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One entry of the script API reference.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiEntry {
    /// How it is called: `round(x: Decimal, digits: INT) -> Decimal` or
    /// `Table.len -> INT`.
    pub signature: String,
    /// One-line description.
    pub doc: String,
}

/// The API reference, generated from the functions the engine registers.
pub fn api_reference() -> Vec<ApiEntry> {
    let book = Book::new(
        Workbook::new(),
        NaiveDateTime::default(),
        StartValues::Cached,
        "the reference",
        None,
    )
    .expect("an empty workbook has nothing to compute");
    let book: SharedBook = Rc::new(RefCell::new(book));
    let mut engine = Engine::new();
    api::register(&mut engine, &book, &[], api::RunContext::default());
    let json = engine
        .gen_fn_metadata_to_json(false)
        .unwrap_or_else(|_| "{}".into());
    let meta: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let mut out = Vec::new();
    for f in meta["functions"].as_array().into_iter().flatten() {
        let name = f["name"].as_str().unwrap_or_default();
        let params: Vec<(String, String)> = f["params"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or("_").to_string(),
                    friendly_type(p["type"].as_str().unwrap_or("?")),
                )
            })
            .collect();
        let ret = friendly_type(f["returnType"].as_str().unwrap_or("()"));
        let doc = f["docComments"]
            .as_array()
            .and_then(|d| d.first())
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .trim_start_matches("///")
            .trim()
            .to_string();
        let arg = |p: &(String, String)| format!("{}: {}", p.0, p.1);
        let signature = if let Some(prop) = name.strip_prefix("get$") {
            format!(
                "{}.{prop} -> {ret}",
                params.first().map_or("?", |p| p.1.as_str())
            )
        } else if name == "index$get$" {
            format!("{}[{}] -> {ret}", params[0].1, arg(&params[1]))
        } else if name == "index$set$" {
            format!("{}[{}] = {}", params[0].1, arg(&params[1]), arg(&params[2]))
        } else {
            let args: Vec<String> = params.iter().map(arg).collect();
            let r = if ret == "()" {
                String::new()
            } else {
                format!(" -> {ret}")
            };
            format!("{name}({}){r}", args.join(", "))
        };
        out.push(ApiEntry { signature, doc });
    }
    // Named functions first, operators (`+`, `==`...) at the end.
    out.sort_by_key(|e| {
        let operator = !e.signature.starts_with(|c: char| c.is_alphabetic());
        (operator, e.signature.to_lowercase())
    });
    out.dedup();
    out
}

/// Type names as an accountant reads them.
fn friendly_type(t: &str) -> String {
    // Plugin functions report their Rust types: a receiver's `&mut`
    // and a fallible function's `Result` say nothing to a script.
    let t = t.strip_prefix("&mut ").unwrap_or(t);
    if let Some(inner) = t
        .strip_prefix("Result<")
        .and_then(|r| r.strip_suffix(", Box<EvalAltResult>>"))
    {
        return friendly_type(inner);
    }
    match t {
        "i64" | "INT" => "Integer".into(),
        "Decimal" | "number" => "Number".into(),
        "?" | "Dynamic" => "Any".into(),
        "String" | "&str" => "Text".into(),
        "Array" => "List".into(),
        "FnPtr" => "Closure".into(),
        other => other.to_string(),
    }
}

/// Module resolver that loads `import "name"` from the `--lib` folders
/// only: no absolute paths, no `..`.
struct LibResolver {
    dirs: Vec<FileModuleResolver>,
}

impl LibResolver {
    fn new(dirs: &[PathBuf]) -> LibResolver {
        LibResolver {
            dirs: dirs.iter().map(FileModuleResolver::new_with_path).collect(),
        }
    }
}

impl ModuleResolver for LibResolver {
    fn resolve(
        &self,
        engine: &Engine,
        source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> std::result::Result<Shared<Module>, Box<EvalAltResult>> {
        let p = Path::new(path);
        let safe = p
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !safe {
            return Err(EvalAltResult::ErrorModuleNotFound(
                format!(
                    "{path} (modules are imported by name from the --lib folders, without / or ..)"
                ),
                pos,
            )
            .into());
        }
        let mut last = None;
        for r in &self.dirs {
            match r.resolve(engine, source, path, pos) {
                Ok(m) => return Ok(m),
                Err(e) if matches!(*e, EvalAltResult::ErrorModuleNotFound(..)) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last
            .unwrap_or_else(|| EvalAltResult::ErrorModuleNotFound(path.to_string(), pos).into()))
    }
}

#[cfg(test)]
mod tests;
