//! Headless LibreOffice as an independent reader of what we write (see
//! `../shared/libreoffice/README.md`), shared by the tests that open our
//! output in it. Tests skip where `soffice()` finds no LibreOffice.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The LibreOffice binary, when installed.
pub fn soffice() -> Option<PathBuf> {
    ["soffice", "libreoffice"].iter().find_map(|name| {
        let ok = Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| PathBuf::from(name))
    })
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
    let o = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
        ])
        .arg(&out)
        .arg(book)
        .output()
        .expect("soffice runs");
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
