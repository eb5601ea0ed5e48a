//! What the tests find outside the repository: the shared corpus
//! (`../shared/corpus`) and headless LibreOffice as an independent reader
//! of what we write (see `../shared/libreoffice/README.md`). Where either
//! is absent a test skips with a message, except under CI (the `CI`
//! variable set), where the absence fails the test: a check must not pass
//! on nothing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Says that `what` is absent and the test is skipped, or fails the test
/// under CI.
pub fn skip(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is absent, and CI is set: the test would pass on nothing");
    }
    eprintln!("{what} is absent: skipping");
}

/// `../shared/corpus/<rel>` (a file or folder), or `None` after [`skip`]
/// when it is not there.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        skip(&path.display().to_string());
        None
    }
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

/// The LibreOffice binary, or `None` after [`skip`] when it is not
/// installed.
pub fn soffice() -> Option<PathBuf> {
    let found = ["soffice", "libreoffice"].iter().find_map(|name| {
        let ok = Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| PathBuf::from(name))
    });
    if found.is_none() {
        skip("LibreOffice (soffice)");
    }
    found
}

/// Converts `file` with headless LibreOffice (user profile in `profile`)
/// to `filter` (e.g. a `csv:...` filter string) in `outdir`.
pub fn soffice_convert(
    soffice: &Path,
    profile: &Path,
    filter: &str,
    outdir: &Path,
    file: &Path,
) -> std::process::Output {
    Command::new(soffice)
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
        .arg(file)
        .output()
        .expect("soffice runs")
}

/// The first sheet of `book` as LibreOffice shows it, as CSV rows;
/// `recalc` uses the shared profile that recalculates every formula on
/// load.
pub fn libreoffice_rows(soffice: &Path, book: &Path, dir: &Path, recalc: bool) -> Vec<Vec<String>> {
    let profile = dir.join(if recalc { "recalc" } else { "plain" });
    if recalc {
        // LibreOffice writes into its profile: use a copy.
        std::fs::create_dir_all(&profile).unwrap();
        let shared =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/libreoffice/profile/user");
        let copied = Command::new("cp")
            .arg("-r")
            .arg(&shared)
            .arg(&profile)
            .status();
        assert!(copied.is_ok_and(|s| s.success()), "copy the recalc profile");
    }
    let out = dir.join(if recalc { "lo-recalc" } else { "lo-plain" });
    let o = soffice_convert(
        soffice,
        &profile,
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        &out,
        book,
    );
    assert!(o.status.success(), "{o:?}");
    let csv = out.join(book.with_extension("csv").file_name().unwrap());
    let text = std::fs::read_to_string(&csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}
