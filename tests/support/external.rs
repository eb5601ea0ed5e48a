//! What the tests find outside the repository: the shared corpus
//! (`../shared/corpus`) and headless LibreOffice as an independent reader
//! of what we write (see `../shared/libreoffice/README.md`). Where either
//! is absent a test skips with a message, except under CI (the `CI`
//! variable set), where the absence fails the test: a check must not pass
//! on nothing. Every test reaches the corpus and LibreOffice through here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Says that `what` is absent and the test is skipped, or fails the test
/// under CI.
pub fn skip(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is absent, and CI is set: the test would pass on nothing");
    }
    eprintln!("{what} is absent: skipping");
}

/// `../shared/<rel>`, the folder shared beside the repository.
fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

/// `../shared/corpus/<rel>` (a file or folder), or `None` after [`skip`]
/// when it is not there.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let path = shared("corpus").join(rel);
    if path.exists() {
        Some(path)
    } else {
        skip(&path.display().to_string());
        None
    }
}

/// The files under the corpus folder `rel` (recursively) whose extension
/// is one of `exts` (lower case), sorted; `None` after [`skip`] when the
/// folder is absent or holds no such file, so a walk over the corpus
/// cannot pass on an empty list.
pub fn corpus_files(rel: &str, exts: &[&str]) -> Option<Vec<PathBuf>> {
    let dir = corpus(rel)?;
    let files = files_with(&dir, exts);
    if files.is_empty() {
        skip(&format!("any {exts:?} file in {}", dir.display()));
        return None;
    }
    Some(files)
}

/// The files under `dir` (recursively) whose extension is one of `exts`
/// (lower case), sorted.
pub fn files_with(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for p in entries.flatten().map(|e| e.path()) {
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e.to_ascii_lowercase().as_str()))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The longest one LibreOffice run may take: a first start builds its
/// profile, later ones convert in seconds; past this it is hung.
pub const LIBREOFFICE_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs `command` to its end or until `timeout` (then kills it); returns
/// whether it exited successfully and what it printed, for messages.
fn run_bounded(mut command: Command, timeout: Duration) -> (bool, String) {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return (false, format!("cannot start: {e}")),
    };
    // Read the pipes beside the wait, so a chatty child cannot block on
    // a full pipe while we wait for it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() < timeout => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let printed = format!(
        "stdout: {}\nstderr: {}",
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default()
    );
    match status {
        Some(s) => (s.success(), format!("{s}\n{printed}")),
        None => (false, format!("stopped after {timeout:?}\n{printed}")),
    }
}

/// The LibreOffice binary, or `None` after [`skip`] when it is not
/// installed.
pub fn soffice() -> Option<PathBuf> {
    let found = ["soffice", "libreoffice"].iter().find_map(|name| {
        let mut command = Command::new(name);
        command.arg("--version");
        let (ok, _) = run_bounded(command, LIBREOFFICE_TIMEOUT);
        ok.then(|| PathBuf::from(name))
    });
    if found.is_none() {
        skip("LibreOffice (soffice)");
    }
    found
}

/// The shared LibreOffice profile that recalculates every formula on
/// load, or `None` after [`skip`] when it is not there.
pub fn recalc_profile() -> Option<PathBuf> {
    let path = shared("libreoffice/profile/user");
    if path.is_dir() {
        Some(path)
    } else {
        skip(&path.display().to_string());
        None
    }
}

/// What one LibreOffice conversion produced.
#[derive(Debug)]
pub struct Converted {
    /// The files it wrote for the input: `STEM.EXT`, or `STEM-SHEET.EXT`
    /// per sheet when the filter exports every sheet.
    pub files: Vec<PathBuf>,
    /// Its exit status and what it printed.
    pub log: String,
}

/// Converts `file` with headless LibreOffice (user profile in `profile`)
/// to `filter` (`xlsx`, `ods` or a `csv:...` filter string) in `outdir`.
/// Succeeds only when LibreOffice exits successfully within
/// [`LIBREOFFICE_TIMEOUT`] AND wrote a non-empty output file for `file`:
/// LibreOffice exits 0 on a file it could not open, writing nothing.
pub fn libreoffice_convert(
    soffice: &Path,
    profile: &Path,
    filter: &str,
    outdir: &Path,
    file: &Path,
) -> Result<Converted, String> {
    let mut command = Command::new(soffice);
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(outdir)
        .arg(file);
    let (ok, log) = run_bounded(command, LIBREOFFICE_TIMEOUT);
    let what = format!("LibreOffice {filter} of {}", file.display());
    if !ok {
        return Err(format!("{what} failed: {log}"));
    }
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let ext = filter.split(':').next().unwrap_or(filter);
    let whole = format!("{stem}.{ext}");
    let per_sheet = format!("{stem}-");
    let mut files: Vec<PathBuf> = std::fs::read_dir(outdir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let named = name == whole.as_str()
            || (name.starts_with(&per_sheet) && name.ends_with(&format!(".{ext}")));
        named && std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
    });
    files.sort();
    if files.is_empty() {
        return Err(format!("{what} wrote no {ext} file: {log}"));
    }
    Ok(Converted { files, log })
}

/// Converts every sheet of `book` with LibreOffice (a fresh profile) to
/// its own UTF-8 CSV file `STEM-SHEET.csv` in `outdir`; fails the test
/// when the conversion does not succeed.
pub fn libreoffice_sheets_csv(soffice: &Path, outdir: &Path, book: &Path) -> Converted {
    let profile = tempfile::tempdir().unwrap();
    libreoffice_convert(
        soffice,
        profile.path(),
        // UTF-8, every sheet to its own file.
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        outdir,
        book,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The first sheet of `book` as LibreOffice shows it, as CSV rows;
/// `recalc` uses the shared profile that recalculates every formula on
/// load.
pub fn libreoffice_rows(soffice: &Path, book: &Path, dir: &Path, recalc: bool) -> Vec<Vec<String>> {
    let profile = dir.join(if recalc { "recalc" } else { "plain" });
    if recalc {
        // LibreOffice writes into its profile: use a copy.
        std::fs::create_dir_all(&profile).unwrap();
        let shared = recalc_profile().expect("the recalc profile");
        let copied = Command::new("cp")
            .arg("-r")
            .arg(&shared)
            .arg(&profile)
            .status();
        assert!(copied.is_ok_and(|s| s.success()), "copy the recalc profile");
    }
    let out = dir.join(if recalc { "lo-recalc" } else { "lo-plain" });
    let converted = libreoffice_convert(
        soffice,
        &profile,
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        &out,
        book,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let csv = out.join(book.with_extension("csv").file_name().unwrap());
    let text = std::fs::read_to_string(&csv)
        .unwrap_or_else(|e| panic!("{}: {e}; {}", csv.display(), converted.log));
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The pages of `pdf` as pictures: `(width, height, RGB bytes)` per page
/// at `dpi`, drawn by poppler's `pdftoppm` in `dir`; `None` after
/// [`skip`] when pdftoppm is not installed.
pub fn pdf_pages(pdf: &Path, dir: &Path, dpi: u32) -> Option<Vec<(usize, usize, Vec<u8>)>> {
    let mut command = Command::new("pdftoppm");
    command
        .args(["-r", &dpi.to_string()])
        .arg(pdf)
        .arg(dir.join("page"));
    let (ok, log) = run_bounded(command, LIBREOFFICE_TIMEOUT);
    if !ok {
        if log.starts_with("cannot start") {
            skip("pdftoppm (poppler-utils)");
            return None;
        }
        panic!("pdftoppm of {} failed: {log}", pdf.display());
    }
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ppm"))
        .collect();
    pages.sort();
    Some(
        pages
            .iter()
            .map(|p| read_ppm(&std::fs::read(p).unwrap()))
            .collect(),
    )
}

/// A binary PPM (`P6`, 8 bits a channel) as `(width, height, RGB bytes)`.
fn read_ppm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    // The header is four whitespace-separated fields: P6 width height max.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6", "not a binary PPM");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = bytes[at + 1..].to_vec();
    assert_eq!(pixels.len(), w * h * 3, "PPM size");
    (w, h, pixels)
}

/// The first of `names` found on the `PATH`, or `None` after [`skip`].
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        skip(&format!(
            "{} (Debian's chromium and chromium-driver)",
            names.join(" or ")
        ));
    }
    found
}

/// Chromium for the browser test, or `None` after [`skip`].
pub fn chromium() -> Option<PathBuf> {
    on_path(&["chromium", "chromium-browser"])
}

/// chromedriver for the browser test, or `None` after [`skip`].
pub fn chromedriver() -> Option<PathBuf> {
    on_path(&["chromedriver"])
}
