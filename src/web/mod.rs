//! `sheetscript serve`: a local web page where an assistant picks a
//! script, drops a workbook on it, previews what it would change and
//! downloads the result.
//!
//! Every run goes through the batch runner ([`crate::batch::run_jobs`]),
//! as `run` does, so the page and the command line cannot disagree: a
//! preview is a dry run, a run writes the result and its change report
//! into the job's private folder ([`jobs`]). Runs are blocking work and
//! go to threads of their own, at most `--max-runs` at once; the others
//! wait, and their page says so while they do.
//!
//! The templates, stylesheet and script are compiled into the binary;
//! nothing is fetched at run time. minijinja renders the templates: no
//! procedural macros and a small dependency tree, with HTML escaping on
//! by default for `.html` templates.

pub mod catalogue;
pub mod i18n;
pub mod jobs;
pub mod security;
pub mod view;

use crate::batch::{run_jobs, Attachment, Job, ScriptTask, Settings, Silent, Task};
use crate::formula::{explain, target_cell, Deadline, Engine, EngineOptions, ExplainOptions};
use crate::io::read::{detect_format, read_workbook, ReadLimits, ReadOptions};
use crate::io::write::{write_workbook, WriteOptions};
use crate::model::SourceFormat;
use crate::script::{check_script, PrintCapture, ScriptOptions};
use crate::{Error, Result};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use catalogue::Script;
use chrono::NaiveDate;
use i18n::Lang;
use jobs::{JobDir, JobStore};
use minijinja::{context, Environment};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folders whose `.rhai` scripts the page offers.
    pub scripts: Vec<PathBuf>,
    /// Where to listen; loopback unless a token is set.
    pub addr: SocketAddr,
    /// The access token every request must show, when set.
    pub token: Option<String>,
    /// Largest request body (the uploads together), in bytes.
    pub max_upload: u64,
    /// Runs at once; more wait their turn.
    pub max_runs: usize,
    /// How long one run may take; no limit when `None`.
    pub timeout: Option<Duration>,
    /// The day runs take as today (`--today`); the clock's when `None`.
    pub today: Option<NaiveDate>,
    /// How long a run's results wait for download.
    pub keep: Duration,
    /// How much an uploaded workbook may make the reader hold.
    pub limits: ReadLimits,
}

impl Config {
    /// The defaults: 127.0.0.1:8080, 100 MB uploads, 2 runs at once, a
    /// minute a run, results kept 30 minutes.
    pub fn new(scripts: Vec<PathBuf>) -> Config {
        Config {
            scripts,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            max_upload: 100 * 1_000_000,
            max_runs: 2,
            timeout: Some(Duration::from_secs(60)),
            today: None,
            keep: Duration::from_secs(30 * 60),
            limits: ReadLimits::default(),
        }
    }

    /// Refuses a configuration that would be unsafe or cannot work: a
    /// network address without a token, no runs allowed, a missing
    /// scripts folder.
    pub fn check(&self) -> Result<()> {
        if !self.addr.ip().is_loopback() && self.token.is_none() {
            return Err(Error::Usage(format!(
                "--bind {}: serving beyond this computer needs an access token; add --token \
                 SECRET and give the people who use the page the address with ?token=SECRET",
                self.addr.ip()
            )));
        }
        if self
            .token
            .as_ref()
            .is_some_and(|t| t.len() < 8 || !is_token_text(t))
        {
            return Err(Error::Usage(
                "--token: use at least 8 characters of letters, digits, - and _".into(),
            ));
        }
        if self.max_runs == 0 {
            return Err(Error::Usage("--max-runs: at least 1".into()));
        }
        if self.max_upload == 0 {
            return Err(Error::Usage("--max-upload: at least 1 MB".into()));
        }
        catalogue::check_folders(&self.scripts)
    }
}

/// Whether a token can travel in a URL and a cookie as it is.
fn is_token_text(t: &str) -> bool {
    t.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Most runs waiting for a turn; past it a run is refused with 503, so
/// a flood of uploads cannot fill the disk while it waits.
const MAX_WAITING: usize = 32;

/// What every request handler shares.
struct Server {
    config: Config,
    templates: Environment<'static>,
    jobs: JobStore,
    runs: Arc<Semaphore>,
    waiting: AtomicUsize,
}

type Shared = Arc<Server>;

/// Runs the server until Ctrl-C: binds, calls `listening` with the
/// address it got (the real port when the configuration asks for port
/// 0), and serves. Blocks the calling thread.
pub fn serve(config: Config, listening: impl FnOnce(SocketAddr)) -> Result<()> {
    config.check()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let addr = config.addr;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
        let (app, server) = app(config)?;
        // Results nobody downloaded go when their time is up.
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(30));
            loop {
                every.tick().await;
                server.jobs.sweep();
            }
        });
        let stop = stop_signal()?;
        listening(local);
        axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
            .map_err(|e| Error::Usage(format!("the server stopped: {e}")))
    })
}

/// Ctrl-C, or on Unix the TERM a service manager or container runtime
/// stops a server with; either ends the server cleanly, which deletes
/// the files it kept. On Unix the handlers are in place when this
/// returns, so a signal sent as soon as the server says it listens is
/// not missed.
fn stop_signal() -> Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let handler = |kind| {
            signal(kind).map_err(|e| Error::Usage(format!("cannot handle stop signals: {e}")))
        };
        let mut term = handler(SignalKind::terminate())?;
        let mut interrupt = handler(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// The page's routes, for [`serve`] and for tests that call them
/// without a socket.
pub fn router(config: Config) -> Result<Router> {
    config.check()?;
    Ok(app(config)?.0)
}

fn app(config: Config) -> Result<(Router, Shared)> {
    let server = Arc::new(Server {
        runs: Arc::new(Semaphore::new(config.max_runs)),
        jobs: JobStore::new(config.keep)?,
        templates: templates(),
        waiting: AtomicUsize::new(0),
        config,
    });
    // The multipart reader stops at the limit (413); the form's own
    // fields and boundaries get a little room beyond the files.
    let body_limit = usize::try_from(server.config.max_upload)
        .unwrap_or(usize::MAX)
        .saturating_add(FORM_ROOM);
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/", get(index))
        .route("/scripts/{id}", get(script_form))
        .route("/scripts/{id}/{action}", post(submit_form))
        .route("/downloads/{job}/{file}", get(download))
        .route("/jobs/{job}/explain", get(explain_cell))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(server.clone(), guard))
        .with_state(server.clone());
    Ok((router, server))
}

/// Room for the form's text fields and multipart boundaries beyond the
/// uploaded files.
const FORM_ROOM: usize = 1 << 20;

/// The templates, compiled into the binary.
fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, text) in [
        ("top.html", include_str!("templates/top.html")),
        ("bottom.html", include_str!("templates/bottom.html")),
        ("index.html", include_str!("templates/index.html")),
        ("form.html", include_str!("templates/form.html")),
        ("queued.html", include_str!("templates/queued.html")),
        ("error.html", include_str!("templates/error.html")),
        ("result.html", include_str!("templates/result.html")),
        ("explain.html", include_str!("templates/explain.html")),
        ("findings.html", include_str!("templates/findings.html")),
    ] {
        // The templates are ours and a unit test renders each one, so
        // one that does not parse cannot ship.
        env.add_template(name, text)
            .expect("the page's templates parse");
    }
    env
}

/// Checks the access token on every request, remembers a language or
/// token given in the query as a cookie, and adds the headers every
/// page gets.
async fn guard(State(server): State<Shared>, request: Request, next: Next) -> Response {
    let query = request.uri().query().map(str::to_string);
    let mut set_token = false;
    if let Some(token) = &server.config.token {
        match security::token_given(request.headers(), query.as_deref(), token) {
            Some(from_query) => set_token = from_query,
            None => {
                return (
                    StatusCode::UNAUTHORIZED,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    "This page needs its access token: open the address you were given, \
                     which ends in ?token=..., or send Authorization: Bearer TOKEN.\n",
                )
                    .into_response();
            }
        }
    }
    let lang = security::query_value(query.as_deref(), "lang").and_then(Lang::of_tag);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let (true, Some(token)) = (set_token, &server.config.token) {
        add_cookie(headers, security::TOKEN_COOKIE, token);
    }
    if let Some(lang) = lang {
        add_cookie(headers, security::LANG_COOKIE, lang.tag());
    }
    for (name, value) in [
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        // Not "no-referrer": under it Chromium sends `Origin: null` with
        // the page's own forms, and the cross-site check refuses them.
        ("referrer-policy", "same-origin"),
        (
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Adds a cookie for this site only, out of reach of the page's script.
fn add_cookie(headers: &mut HeaderMap, name: &str, value: &str) {
    let cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.append(header::SET_COOKIE, v);
    }
}

/// The language of a request: `?lang=`, else the cookie a switch set,
/// else the browser's preference.
fn lang_of(headers: &HeaderMap, query: Option<&str>) -> Lang {
    security::query_value(query, "lang")
        .and_then(Lang::of_tag)
        .or_else(|| security::cookie(headers, security::LANG_COOKIE).and_then(|l| Lang::of_tag(&l)))
        .unwrap_or_else(|| {
            Lang::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}

/// What every page template gets besides its own values.
struct Frame<'a> {
    lang: Lang,
    /// The page the language switches go to.
    here: &'a str,
    title: &'a str,
}

impl Server {
    /// Renders one template of the page's body.
    fn part(&self, name: &str, lang: Lang, values: minijinja::Value) -> String {
        let words = lang.words();
        let ctx = context! { w => words, ..values };
        self.templates
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .unwrap_or_else(|e| format!("<pre id=\"error\">internal: page {name}: {e}</pre>"))
    }

    /// The top of a page, up to its body's content.
    fn top(&self, frame: &Frame<'_>) -> String {
        self.part(
            "top.html",
            frame.lang,
            context! {
                lang => frame.lang.tag(),
                here => frame.here,
                title => frame.title,
                css => include_str!("assets/style.css"),
            },
        )
    }

    /// The end of a page.
    fn bottom(&self, lang: Lang) -> String {
        self.part(
            "bottom.html",
            lang,
            context! { js => include_str!("assets/page.js") },
        )
    }

    /// A whole page around `content`.
    fn page(&self, status: StatusCode, frame: &Frame<'_>, content: &str) -> Response {
        let html = format!("{}{content}{}", self.top(frame), self.bottom(frame.lang));
        html_response(status, html)
    }

    /// A page that says what went wrong, in `pre#error`.
    fn error_page(
        &self,
        status: StatusCode,
        lang: Lang,
        script: Option<&Script>,
        message: &str,
    ) -> Response {
        let (id, title) = script.map_or((String::new(), "sheetscript".to_string()), |s| {
            (s.id.clone(), s.title())
        });
        let here = if id.is_empty() {
            "/".to_string()
        } else {
            format!("/scripts/{id}")
        };
        let content = self.part(
            "error.html",
            lang,
            context! { id => id, title => title, message => message },
        );
        self.page(
            status,
            &Frame {
                lang,
                here: &here,
                title: &title,
            },
            &content,
        )
    }
}

fn html_response(status: StatusCode, html: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

async fn not_found(State(server): State<Shared>, request: Request) -> Response {
    let lang = lang_of(request.headers(), request.uri().query());
    server.error_page(
        StatusCode::NOT_FOUND,
        lang,
        None,
        &format!("{}: there is no such page here", request.uri().path()),
    )
}

/// GET `/`: the scripts, with their titles and descriptions.
async fn index(State(server): State<Shared>, request: Request) -> Response {
    let lang = lang_of(request.headers(), request.uri().query());
    let scripts: Vec<_> = catalogue::list(&server.config.scripts)
        .iter()
        .map(|s| {
            let (description, error) = match &s.header {
                Ok(h) => (h.description.clone(), String::new()),
                Err(e) => (String::new(), e.clone()),
            };
            context! { id => s.id, title => s.title(), description => description, error => error }
        })
        .collect();
    let content = server.part("index.html", lang, context! { scripts => scripts });
    let title = lang.word("title");
    server.page(
        StatusCode::OK,
        &Frame {
            lang,
            here: "/",
            title,
        },
        &content,
    )
}

/// GET `/scripts/{id}`: the script's form, built from its header.
async fn script_form(
    State(server): State<Shared>,
    UrlPath(id): UrlPath<String>,
    request: Request,
) -> Response {
    let headers = request.headers();
    let lang = lang_of(headers, request.uri().query());
    let script = match server.script(&id, lang) {
        Ok(s) => s,
        Err(not_found) => return *not_found,
    };
    let existing = security::cookie(headers, security::CSRF_COOKIE).filter(|c| c.len() == 32);
    let csrf = match existing.clone().map_or_else(jobs::random_id, Ok) {
        Ok(c) => c,
        Err(e) => {
            return server.error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                lang,
                Some(&script),
                &e.to_string(),
            )
        }
    };
    let today = server.today();
    let (description, params, attachments, header_error) = match &script.header {
        Ok(h) => {
            let params: Vec<_> = h
                .params
                .iter()
                .map(|p| {
                    let value = match (&p.kind, p.default.as_deref()) {
                        (crate::script::ParamKind::Date, Some(crate::script::header::TODAY)) => {
                            today.format("%Y-%m-%d").to_string()
                        }
                        // A number as the page's language writes it
                        // (`0,02` in Czech); both forms are read back.
                        (crate::script::ParamKind::Number, Some(d)) => lang.localize_number(d),
                        (_, d) => d.unwrap_or("").to_string(),
                    };
                    let (kind, input, choices) = match &p.kind {
                        crate::script::ParamKind::Number => ("number", "text", vec![]),
                        crate::script::ParamKind::Date => ("date", "date", vec![]),
                        crate::script::ParamKind::Text => ("text", "text", vec![]),
                        crate::script::ParamKind::Choice(c) => ("choice", "select", c.clone()),
                    };
                    context! {
                        name => p.name, label => p.label, kind => kind, input => input,
                        choices => choices, value => value, required => p.default.is_none(),
                    }
                })
                .collect();
            let attachments: Vec<_> = h
                .attachments
                .iter()
                .map(|a| context! { name => a.name, label => a.label })
                .collect();
            (h.description.clone(), params, attachments, String::new())
        }
        Err(e) => (String::new(), vec![], vec![], e.clone()),
    };
    let findings = if header_error.is_empty() {
        let script = script.clone();
        tokio::task::spawn_blocking(move || script_findings(&script, None))
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let title = script.title();
    let content = server.part(
        "form.html",
        lang,
        context! {
            id => script.id, title => title, description => description, params => params,
            attachments => attachments, csrf => csrf, header_error => header_error,
            findings => findings,
        },
    );
    let here = format!("/scripts/{}", script.id);
    let mut response = server.page(
        StatusCode::OK,
        &Frame {
            lang,
            here: &here,
            title: &title,
        },
        &content,
    );
    if existing.is_none() {
        add_cookie(response.headers_mut(), security::CSRF_COOKIE, &csrf);
    }
    response
}

/// What `check` finds in the script, against `workbook` when one is
/// given: the page lists it before a run. A script that cannot be read
/// is left to the run, which names the problem.
fn script_findings(
    script: &Script,
    workbook: Option<crate::model::Workbook>,
) -> Vec<view::FindingView> {
    let Ok(source) = catalogue::read_source(&script.path) else {
        return Vec::new();
    };
    let name = catalogue::file_name(&script.path);
    let found = match check_script(&source, &name, workbook) {
        Ok(found) => found,
        // The workbook could not be prepared in time: the script alone.
        Err(_) => check_script(&source, &name, None).unwrap_or_default(),
    };
    view::findings(&found)
}

impl Server {
    /// The script `id` of the scripts folders, or the page saying there
    /// is none.
    fn script(&self, id: &str, lang: Lang) -> std::result::Result<Script, Box<Response>> {
        catalogue::find(&self.config.scripts, id).ok_or_else(|| {
            Box::new(self.error_page(
                StatusCode::NOT_FOUND,
                lang,
                None,
                &format!("there is no script \"{id}\" in the scripts folders"),
            ))
        })
    }

    /// The day a run takes as today.
    fn today(&self) -> NaiveDate {
        self.config
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// Preview or run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Preview,
    Run,
}

/// POST `/scripts/{id}/preview` and `/scripts/{id}/run`.
async fn submit_form(
    State(server): State<Shared>,
    UrlPath((id, action)): UrlPath<(String, String)>,
    request: Request,
) -> Response {
    let mode = match action.as_str() {
        "preview" => Mode::Preview,
        "run" => Mode::Run,
        _ => return not_found(State(server), request).await,
    };
    let headers = request.headers().clone();
    submit(server, id, headers, request, mode).await
}

/// An uploaded file, saved in the job's folder under a name of ours.
#[derive(Debug)]
struct Upload {
    /// Where it was saved.
    path: PathBuf,
    /// The name the browser sent, for messages and the result's name
    /// only: it never touches the file system.
    name: String,
    /// Its size in bytes.
    size: u64,
}

/// What the form sent.
#[derive(Debug, Default)]
struct Form {
    csrf: Option<String>,
    workbook: Option<Upload>,
    attachments: Vec<(String, Upload)>,
    params: Vec<(String, String)>,
}

/// A request refused before any run, with its status and message.
struct Refused(StatusCode, String);

/// Warnings a result page lists; a workbook with thousands of broken
/// formulas still makes a page a browser opens.
const MAX_WARNINGS: usize = 500;

/// Longest text field of the form.
const MAX_FIELD: usize = 64 << 10;

/// Reads the form, saving each file into `dir` as it arrives, so an
/// upload is never held in memory whole.
async fn read_form(
    mut multipart: Multipart,
    dir: &Path,
    limit: u64,
) -> std::result::Result<Form, Refused> {
    use tokio::io::AsyncWriteExt;
    let too_large = || {
        Refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the upload is larger than this server takes ({} MB); whoever started it can raise \
                 the limit with --max-upload MB",
                limit / 1_000_000
            ),
        )
    };
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            Refused(
                StatusCode::BAD_REQUEST,
                format!("the form could not be read: {}", e.body_text()),
            )
        }
    };
    let mut form = Form::default();
    let mut total: u64 = 0;
    let mut files = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or("").to_string();
        let is_file = name == "workbook" || name.starts_with("attach:");
        if is_file {
            files += 1;
            // Our own name: the field's position, never the browser's.
            let path = dir.join(format!("upload-{files}"));
            let sent_name = field.file_name().map(display_file_name).unwrap_or_default();
            let mut file = tokio::fs::File::create(&path).await.map_err(|e| {
                Refused(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("cannot save the upload: {e}"),
                )
            })?;
            let mut size = 0u64;
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                size += chunk.len() as u64;
                total += chunk.len() as u64;
                if total > limit {
                    return Err(too_large());
                }
                file.write_all(&chunk).await.map_err(|e| {
                    Refused(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("cannot save the upload: {e}"),
                    )
                })?;
            }
            file.flush().await.map_err(|e| {
                Refused(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("cannot save the upload: {e}"),
                )
            })?;
            let upload = Upload {
                path,
                name: sent_name,
                size,
            };
            match name.strip_prefix("attach:") {
                Some(a) => form.attachments.push((a.to_string(), upload)),
                None => form.workbook = Some(upload),
            }
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            if text.len() + chunk.len() > MAX_FIELD {
                return Err(Refused(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "the form field \"{name}\" is longer than {} KiB",
                        MAX_FIELD >> 10
                    ),
                ));
            }
            text.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(text).map_err(|_| {
            Refused(
                StatusCode::BAD_REQUEST,
                format!("the form field \"{name}\" is not UTF-8 text"),
            )
        })?;
        if name == "csrf" {
            form.csrf = Some(text);
        } else if let Some(p) = name.strip_prefix("param:") {
            form.params.push((p.to_string(), text));
        } else {
            return Err(Refused(
                StatusCode::BAD_REQUEST,
                format!("the form has a field \"{name}\" this page does not know"),
            ));
        }
    }
    Ok(form)
}

/// The last part of the name a browser sent (some send a whole path),
/// kept only for showing and for naming the result.
fn display_file_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    last.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// POST preview or run: reads the form, checks it, and runs the script
/// now or, when `--max-runs` runs are going, when one ends (the page
/// then starts at once, saying it waits, and the result follows).
async fn submit(
    server: Shared,
    id: String,
    headers: HeaderMap,
    request: Request,
    mode: Mode,
) -> Response {
    let lang = lang_of(&headers, request.uri().query());
    let script = match server.script(&id, lang) {
        Ok(s) => s,
        Err(not_found) => return *not_found,
    };
    let refuse = |Refused(status, message): Refused| {
        server.error_page(status, lang, Some(&script), &message)
    };
    if let Some(why) = security::cross_site(&headers) {
        return refuse(Refused(StatusCode::FORBIDDEN, why));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > server.config.max_upload.saturating_add(FORM_ROOM as u64)) {
        return refuse(Refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the upload is larger than this server takes ({} MB); whoever started it can \
                 raise the limit with --max-upload MB",
                server.config.max_upload / 1_000_000
            ),
        ));
    }
    let multipart =
        match <Multipart as axum::extract::FromRequest<Shared>>::from_request(request, &server)
            .await
        {
            Ok(m) => m,
            Err(e) => {
                return refuse(Refused(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "send the page's form (multipart/form-data): {}",
                        e.body_text()
                    ),
                ))
            }
        };
    let job = match server.jobs.new_job() {
        Ok(j) => j,
        Err(e) => return refuse(Refused(StatusCode::SERVICE_UNAVAILABLE, e.to_string())),
    };
    let form = match read_form(multipart, job.path(), server.config.max_upload).await {
        Ok(f) => f,
        Err(r) => return refuse(r),
    };
    let cookie = security::cookie(&headers, security::CSRF_COOKIE);
    let csrf_ok = matches!((&form.csrf, &cookie), (Some(f), Some(c)) if !c.is_empty() && security::same_secret(f, c));
    if !csrf_ok {
        return refuse(Refused(
            StatusCode::FORBIDDEN,
            "this form is not from this page (its security token is missing or old); open the \
             script's page again and send the form from there"
                .into(),
        ));
    }
    let frame_here = format!("/scripts/{}", script.id);
    let title = script.title();
    if let Ok(permit) = server.runs.clone().try_acquire_owned() {
        let (status, content) =
            run_in_thread(server.clone(), script, form, job, mode, lang, permit).await;
        return server.page(
            status,
            &Frame {
                lang,
                here: &frame_here,
                title: &title,
            },
            &content,
        );
    }
    if server.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        server.waiting.fetch_sub(1, Ordering::SeqCst);
        return refuse(Refused(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{MAX_WAITING} runs are already waiting; try again in a few minutes"),
        ));
    }
    // The page starts now, saying the run waits; the rest follows when
    // it has run. Its status is sent before the run, so it is 200 even
    // when the run then fails (the page still shows `pre#error`).
    let head = format!(
        "{}{}",
        server.top(&Frame {
            lang,
            here: &frame_here,
            title: &title,
        }),
        server.part("queued.html", lang, context! {})
    );
    let rest = {
        let server = server.clone();
        async move {
            let waited = Waiting(server.clone());
            let permit = server.runs.clone().acquire_owned().await;
            drop(waited);
            let content = match permit {
                Ok(permit) => {
                    run_in_thread(server.clone(), script, form, job, mode, lang, permit)
                        .await
                        .1
                }
                Err(_) => server.part(
                    "error.html",
                    lang,
                    context! { id => id, title => title, message => "the server is stopping" },
                ),
            };
            Ok::<_, std::convert::Infallible>(format!("{content}{}", server.bottom(lang)))
        }
    };
    use futures_util::StreamExt;
    let body = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(head) })
        .chain(futures_util::stream::once(rest));
    let mut response = Response::new(Body::from_stream(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Counts a run as waiting while it lives.
struct Waiting(Shared);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs the job on a thread of its own (with the runner's deep stack),
/// holding `permit` until it ends, and renders what the page shows.
async fn run_in_thread(
    server: Shared,
    script: Script,
    form: Form,
    job: JobDir,
    mode: Mode,
    lang: Lang,
    permit: tokio::sync::OwnedSemaphorePermit,
) -> (StatusCode, String) {
    let (send, receive) = tokio::sync::oneshot::channel();
    let worker = server.clone();
    let started = std::thread::Builder::new()
        .name("sheetscript-web-run".into())
        .stack_size(crate::batch::WORK_STACK)
        .spawn(move || {
            let result = execute(&worker, &script, form, job, mode, lang);
            drop(permit);
            let _ = send.send(result);
        });
    if let Err(e) = started {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            server.part(
                "error.html",
                lang,
                context! { message => format!("cannot start the run: {e}") },
            ),
        );
    }
    match receive.await {
        Ok(result) => result,
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            server.part(
                "error.html",
                lang,
                context! { message => "the run stopped on an internal error; please report it" },
            ),
        ),
    }
}

/// A failed run's message with the job folder's files named as the
/// person knows them: the names their browser sent.
fn as_sent(message: &str, names: &[(&Path, &str)], dir: &Path) -> String {
    let mut out = message.to_string();
    for (path, name) in names {
        out = out.replace(&path.display().to_string(), name);
    }
    out.replace(&format!("{}/", dir.display()), "")
}

/// The download names of a run's result: `invoices-vat.xlsx` and
/// `invoices-vat-changes.csv`, from the workbook's name (its letters and
/// digits, Czech accents dropped) and the script's id.
pub fn result_names(sent: &str, script: &str, macros: bool) -> (String, String) {
    let stem = sent.rsplit_once('.').map_or(sent, |(s, _)| s);
    let mut name = String::new();
    for c in stem.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c);
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
        if name.len() >= 60 {
            break;
        }
    }
    let name = name.trim_end_matches('-');
    let name = if name.is_empty() { "workbook" } else { name };
    let ext = if macros { "xlsm" } else { "xlsx" };
    (
        format!("{name}-{script}.{ext}"),
        format!("{name}-{script}-changes.csv"),
    )
}

/// A Czech (and common Western) accented letter as its plain letter.
fn fold_accent(c: char) -> char {
    const GROUPS: [(&str, char); 24] = [
        ("áäàâ", 'a'),
        ("čć", 'c'),
        ("ď", 'd'),
        ("éěëèê", 'e'),
        ("íïìî", 'i'),
        ("ľĺ", 'l'),
        ("ňń", 'n'),
        ("óöòô", 'o'),
        ("řŕ", 'r'),
        ("šś", 's'),
        ("ť", 't'),
        ("úůüùû", 'u'),
        ("ýÿ", 'y'),
        ("žź", 'z'),
        ("ÁÄÀÂ", 'A'),
        ("ČĆ", 'C'),
        ("Ď", 'D'),
        ("ÉĚËÈÊ", 'E'),
        ("ÍÏÌÎ", 'I'),
        ("ŇŃ", 'N'),
        ("ÓÖÒÔ", 'O'),
        ("ŘŔ", 'R'),
        ("ŠŚ", 'S'),
        ("ÚŮÜÙÛ", 'U'),
    ];
    match c {
        'Ť' => 'T',
        'Ý' | 'Ÿ' => 'Y',
        'Ž' | 'Ź' => 'Z',
        'Ľ' | 'Ĺ' => 'L',
        _ => GROUPS
            .iter()
            .find(|(from, _)| from.contains(c))
            .map_or(c, |(_, to)| *to),
    }
}

/// Runs one job through the batch runner and renders its page: the
/// form's values checked against the script's header, the uploads as
/// the input and attached workbooks, a dry run for a preview, and for a
/// run the result and its change report kept for download.
fn execute(
    server: &Server,
    script: &Script,
    form: Form,
    job: JobDir,
    mode: Mode,
    lang: Lang,
) -> (StatusCode, String) {
    let mut findings: Vec<view::FindingView> = Vec::new();
    let fail = |message: String, printed: String, findings: &[view::FindingView]| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            server.part(
                "error.html",
                lang,
                context! {
                    id => script.id, title => script.title(), message => message,
                    printed => printed, findings => findings,
                },
            ),
        )
    };
    let header = match &script.header {
        Ok(h) => h,
        Err(e) => return fail(e.clone(), String::new(), &findings),
    };
    let Some(workbook) = form.workbook.filter(|w| w.size > 0 || !w.name.is_empty()) else {
        return fail(
            "no workbook was sent: choose one or drop it on the page".into(),
            String::new(),
            &findings,
        );
    };
    let shown_name = if workbook.name.is_empty() {
        "workbook".to_string()
    } else {
        workbook.name.clone()
    };
    if workbook.size == 0 {
        return fail(
            format!("{shown_name}: the file is empty"),
            String::new(),
            &findings,
        );
    }
    // Parameters left empty take their defaults, as if not given.
    let given: Vec<(String, String)> = form
        .params
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let today = server.today();
    // Checked here first for a message in the form's words; the task's
    // own check below is the command line's, and passes the same values.
    if let Err(e) = header.check_params(&given, today) {
        return fail(
            e.to_string().replace("--set ", ""),
            String::new(),
            &findings,
        );
    }
    let mut names: Vec<(&Path, &str)> = vec![(&workbook.path, &shown_name)];
    let mut attach = Vec::new();
    for a in &header.attachments {
        match form
            .attachments
            .iter()
            .find(|(n, u)| n == &a.name && u.size > 0)
        {
            Some((_, upload)) => {
                names.push((&upload.path, &upload.name));
                attach.push(Attachment {
                    name: a.name.clone(),
                    path: upload.path.clone(),
                    csv: Default::default(),
                });
            }
            None => {
                return fail(
                    format!(
                        "this script needs the workbook \"{}\" ({}): choose it in the form",
                        a.name, a.label
                    ),
                    String::new(),
                    &findings,
                )
            }
        }
    }
    if let Some((n, _)) = form
        .attachments
        .iter()
        .find(|(n, _)| !header.attachments.iter().any(|a| &a.name == n))
    {
        return fail(
            format!("this script takes no workbook \"{n}\""),
            String::new(),
            &findings,
        );
    }
    let source = match catalogue::read_source(&script.path) {
        Ok(s) => s,
        Err(e) => return fail(e.to_string(), String::new(), &findings),
    };
    let read = ReadOptions {
        limits: server.config.limits,
        ..ReadOptions::default()
    };
    // The check against the sent workbook's names; a workbook that cannot
    // be read is named by the run below.
    findings = script_findings(script, read_workbook(&workbook.path, &read).ok());
    let macros = detect_format(&workbook.path).is_ok_and(|f| f == SourceFormat::Xlsm);
    let (result_name, changes_name) = result_names(&shown_name, &script.id, macros);
    let output = job
        .path()
        .join(if macros { "result.xlsm" } else { "result.xlsx" });
    let changes = job.path().join("changes.csv");
    let prints = PrintCapture::default();
    let task = ScriptTask {
        source,
        script_name: catalogue::file_name(&script.path),
        options: ScriptOptions {
            params: given,
            timeout: server.config.timeout,
            now: server.config.today.and_then(|d| d.and_hms_opt(0, 0, 0)),
            input_name: Some(shown_name.clone()),
            capture_prints: Some(prints.clone()),
            ..ScriptOptions::default()
        },
        attach,
        workbook_locale: true,
    };
    // The checks `run` makes before reading any file: parameters and
    // attachments against the header, and the script's syntax.
    let task = match task.prepare() {
        Ok(t) => Task::Run(Box::new(t)),
        Err(e) => {
            return fail(
                as_sent(&e.to_string(), &names, job.path()),
                String::new(),
                &findings,
            )
        }
    };
    let run_job = Job {
        input: workbook.path.clone(),
        output: (mode == Mode::Run).then(|| output.clone()),
        in_place: false,
        changes: (mode == Mode::Run).then(|| changes.clone()),
    };
    let settings = Settings {
        read,
        keep_dry_run: true,
        ..Settings::default()
    };
    let outcome = run_jobs(std::slice::from_ref(&run_job), &task, &settings, &Silent)
        .pop()
        .expect("one job gives one outcome");
    let (printed, printed_cut) = prints.lines();
    let printed = printed.join("\n");
    if let Some(error) = &outcome.error {
        return fail(
            as_sent(&error.to_string(), &names, job.path()),
            printed,
            &findings,
        );
    }
    let mut warnings: Vec<String> = outcome
        .warnings
        .iter()
        .take(MAX_WARNINGS)
        .map(|w| as_sent(w, &names, job.path()))
        .collect();
    if outcome.warnings.len() > MAX_WARNINGS {
        warnings.push(format!(
            "… {} more warnings; the command line's `run` prints them all",
            outcome.warnings.len() - MAX_WARNINGS
        ));
    }
    let summary = view::summary(&outcome, lang);
    let (sheets, grids) = match &outcome.dry_run {
        Some(run) => {
            let sheets = view::changes_by_sheet(run);
            let grids = view::grids(run, &sheets, lang, server.today());
            (sheets, grids)
        }
        None => (Vec::new(), Vec::new()),
    };
    // A preview keeps its result for explanations of its cells.
    let mut explain_base = String::new();
    if let (Mode::Preview, Some(run)) = (mode, &outcome.dry_run) {
        match write_workbook(&run.workbook, &output, &WriteOptions::default()) {
            Ok(_) => explain_base = format!("/jobs/{}/explain?cell=", job.id),
            Err(e) => warnings.push(format!(
                "the cells cannot be explained: the previewed result could not be kept ({})",
                as_sent(&e.to_string(), &names, job.path())
            )),
        }
    }
    let mut values = context! {
        id => script.id, title => script.title(), summary => summary, printed => printed,
        printed_cut => printed_cut, warnings => warnings, sheets => sheets, grids => grids,
        page => view::PAGE_ROWS, findings => findings, explain_base => explain_base,
    };
    if mode == Mode::Run {
        let href = |name: &str| format!("/downloads/{}/{name}", job.id);
        values = context! {
            download => context! { href => href(&result_name), name => result_name },
            changes_csv => context! { href => href(&changes_name), name => changes_name },
            keep_minutes => server.jobs.keep_time().as_secs().div_ceil(60),
            ..values
        };
        server
            .jobs
            .keep(job, vec![(result_name, output), (changes_name, changes)]);
    } else if !explain_base.is_empty() {
        // Only the result is kept: the uploads are not needed any more.
        for (upload, _) in &names {
            let _ = std::fs::remove_file(upload);
        }
        server.jobs.keep_preview(job, output);
    }
    (StatusCode::OK, server.part("result.html", lang, values))
}

/// GET `/jobs/{job}/explain?cell=Sheet!B7`: why a cell of a preview's
/// result holds its value, as `sheetscript explain` prints it, in
/// `pre#explain`. The workbook is the one the preview kept in its job's
/// folder, found by the job's random id; the request names only the cell.
async fn explain_cell(
    State(server): State<Shared>,
    UrlPath(job): UrlPath<String>,
    request: Request,
) -> Response {
    let query = request.uri().query();
    let lang = lang_of(request.headers(), query);
    let cell = security::query_text(query, "cell").unwrap_or_default();
    let Some((kept, path)) = server.jobs.preview_copy(&job) else {
        return server.error_page(
            StatusCode::NOT_FOUND,
            lang,
            None,
            &format!(
                "this preview is no longer here; its cells can be explained for {} minutes. \
                 Preview the script again.",
                server.jobs.keep_time().as_secs().div_ceil(60)
            ),
        );
    };
    // An explanation recalculates the workbook: it waits its turn as a run does.
    let Ok(permit) = server.runs.clone().acquire_owned().await else {
        return server.error_page(
            StatusCode::SERVICE_UNAVAILABLE,
            lang,
            None,
            "the server is stopping",
        );
    };
    let (send, receive) = tokio::sync::oneshot::channel();
    let worker = server.clone();
    let target = cell.clone();
    let started = std::thread::Builder::new()
        .name("sheetscript-web-explain".into())
        .stack_size(crate::batch::WORK_STACK)
        .spawn(move || {
            let result = explain_preview(&worker, &path, &target).map_err(|e| {
                let message = as_sent(&e.to_string(), &[(&path, "the preview")], kept.path());
                (matches!(e, Error::Usage(_)), message)
            });
            drop(kept);
            drop(permit);
            let _ = send.send(result);
        });
    let result = match started {
        Ok(_) => receive.await.unwrap_or_else(|_| {
            Err((
                false,
                "the explanation stopped on an internal error; please report it".into(),
            ))
        }),
        Err(e) => Err((false, format!("cannot start the explanation: {e}"))),
    };
    match result {
        Ok(text) => {
            let here = format!("/jobs/{job}/explain?cell={}", view::url_encode(&cell));
            let content = server.part(
                "explain.html",
                lang,
                context! { cell => cell, text => text },
            );
            server.page(
                StatusCode::OK,
                &Frame {
                    lang,
                    here: &here,
                    title: &cell,
                },
                &content,
            )
        }
        Err((usage, message)) => {
            let status = if usage {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            server.error_page(status, lang, None, &message)
        }
    }
}

/// Reads the preview's result at `path`, recalculates it as `explain`
/// does and explains `target`.
fn explain_preview(server: &Server, path: &Path, target: &str) -> Result<String> {
    let read = ReadOptions {
        limits: server.config.limits,
        ..ReadOptions::default()
    };
    let workbook = read_workbook(path, &read)?;
    // A cell that is no cell is said before any calculation.
    target_cell(&workbook, target, None)?;
    let mut engine = Engine::new(
        workbook,
        EngineOptions {
            now: server.config.today.and_then(|d| d.and_hms_opt(0, 0, 0)),
            deadline: server.config.timeout.map(Deadline::after),
            threads: Some(1),
        },
    );
    engine.recalc_all().check_time()?;
    let explanation = explain(&mut engine, target, None, &ExplainOptions::default())?;
    Ok(explanation.to_text())
}

/// GET `/downloads/{job}/{file}`: a run's result or change report, once.
async fn download(
    State(server): State<Shared>,
    UrlPath((job, file)): UrlPath<(String, String)>,
    request: Request,
) -> Response {
    let lang = lang_of(request.headers(), request.uri().query());
    let gone = || {
        server.error_page(
            StatusCode::NOT_FOUND,
            lang,
            None,
            &format!(
                "{file}: this download is no longer here; each file downloads once and waits {} \
                 minutes at most. Run the script again to get it.",
                server.jobs.keep_time().as_secs().div_ceil(60)
            ),
        )
    };
    let Some(taken) = server.jobs.take(&job, &file) else {
        return gone();
    };
    let Ok(bytes) = tokio::fs::read(&taken.path).await else {
        return gone();
    };
    let _ = tokio::fs::remove_file(&taken.path).await;
    drop(taken);
    let content_type = match file.rsplit_once('.').map(|(_, e)| e) {
        Some("xlsm") => "application/vnd.ms-excel.sheet.macroEnabled.12",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    // The name is ours (letters, digits, - and _), so it needs no quoting.
    let disposition = format!("attachment; filename=\"{file}\"");
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_names_say_what_the_file_is() {
        assert_eq!(
            result_names("invoices.xlsx", "vat", false),
            (
                "invoices-vat.xlsx".into(),
                "invoices-vat-changes.csv".into()
            )
        );
        assert_eq!(
            result_names("Výpis účtu 11.csv", "bank", false).0,
            "Vypis-uctu-11-bank.xlsx"
        );
        assert_eq!(
            result_names(&display_file_name("../../etc/passwd"), "x", true).0,
            "passwd-x.xlsm"
        );
        assert_eq!(result_names("", "vat", false).0, "workbook-vat.xlsx");
        assert_eq!(
            display_file_name("C:\\Users\\a\\faktury.xlsx"),
            "faktury.xlsx"
        );
    }

    #[test]
    fn a_network_address_needs_a_token() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::new(vec![dir.path().to_path_buf()]);
        assert!(config.check().is_ok());
        config.addr = "0.0.0.0:8080".parse().unwrap();
        assert!(config.check().unwrap_err().to_string().contains("--token"));
        config.token = Some("short".into());
        assert!(config.check().is_err());
        config.token = Some("a-long-enough-token".into());
        assert!(config.check().is_ok());
        config.scripts = vec![dir.path().join("missing")];
        assert!(config.check().is_err());
    }

    #[test]
    fn every_template_renders_in_both_languages() {
        let server = Server {
            config: Config::new(vec![]),
            templates: templates(),
            jobs: JobStore::new(Duration::from_secs(1)).unwrap(),
            runs: Arc::new(Semaphore::new(1)),
            waiting: AtomicUsize::new(0),
        };
        for lang in [Lang::En, Lang::Cs] {
            for name in [
                "index.html",
                "form.html",
                "queued.html",
                "error.html",
                "result.html",
                "explain.html",
            ] {
                let html = server.part(name, lang, context! { id => "vat", title => "VAT" });
                assert!(!html.contains("internal: page"), "{name}: {html}");
            }
            let top = server.top(&Frame {
                lang,
                here: "/",
                title: "x",
            });
            assert!(top.contains(&format!("<html lang=\"{}\">", lang.tag())));
        }
    }
}
