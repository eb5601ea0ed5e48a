//! Running the `sheetscript` binary as a user would, from the
//! repository's root, and the paths of the samples and scripts it is run
//! on.

use super::handmade::one_sheet_xlsx;
use super::readback::{grid, Grid};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sample workbook's path.
pub fn sample(name: &str) -> PathBuf {
    root().join("samples").join(name)
}

/// A script's path.
pub fn script(name: &str) -> PathBuf {
    root().join("scripts").join(name)
}

/// The fenced blocks of one language (```rhai, ```toml) in a document of
/// the repository, such as `docs/SCRIPTING.md`, in order.
pub fn fenced_blocks(doc: &str, language: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(doc)).expect("the document is there");
    let opening = format!("```{language}");
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        match (&mut current, line.trim_end()) {
            (None, l) if l == opening => current = Some(Vec::new()),
            (Some(b), "```") => {
                blocks.push(b.join("\n"));
                current = None;
            }
            (Some(b), l) => b.push(l),
            _ => {}
        }
    }
    blocks
}

/// Runs `sheetscript` with `args`.
pub fn sheetscript(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sheetscript"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("binary runs")
}

/// Runs `sheetscript recalc input -o output` with `extra` arguments.
pub fn recalc_into(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "recalc",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    sheetscript(&args)
}

/// Runs `sheetscript recalc` on `input` with `-o out.xlsx` in the same
/// folder; returns that path and the run.
pub fn recalc(input: &Path) -> (PathBuf, Output) {
    let out = input.with_file_name("out.xlsx");
    let run = recalc_into(input, &out, &[]);
    (out, run)
}

/// [`recalc`] that must succeed: the workbook written and what the run
/// said on stderr (notes and warnings).
pub fn recalc_ok(input: &Path) -> (PathBuf, String) {
    let (out, run) = recalc(input);
    let said = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{}: {said}", input.display());
    (out, said)
}

/// Writes `body` as a script beside `input` and runs it on `input` with
/// `-o out.xlsx` in the same folder; returns that path and the run.
pub fn run_script(input: &Path, body: &str) -> (PathBuf, Output) {
    let dir = input.parent().expect("the input is in a folder");
    let script = dir.join("change.rhai");
    std::fs::write(&script, body).unwrap();
    let out = dir.join("out.xlsx");
    let run = sheetscript(&[
        "run",
        script.to_str().unwrap(),
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    (out, run)
}

/// [`run_script`] that must succeed: the workbook written and what the
/// run said on stderr (a script's `print` lines, then the summary).
pub fn run_script_ok(input: &Path, body: &str) -> (PathBuf, String) {
    let (out, run) = run_script(input, body);
    let said = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{body}: {said}");
    (out, said)
}

/// Runs and insists on success, returning stdout.
pub fn ok(args: &[&str]) -> String {
    let out = sheetscript(args);
    assert!(
        out.status.success(),
        "sheetscript {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes a one-row sheet "Data" of `cells` (`<c>` elements) as a
/// hand-made xlsx in `dir`, runs `sheetscript recalc` on it, insists on
/// success and returns what it said on stderr and the sheet it wrote.
pub fn recalc_one_row(dir: &Path, cells: &str) -> (String, Grid) {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{cells}</row></sheetData></worksheet>"#
    );
    let book = one_sheet_xlsx(dir, "row.xlsx", &sheet);
    let out_file = dir.join("row-recalculated.xlsx");
    let out = recalc_into(&book, &out_file, &[]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    (err, grid(&out_file, "Data"))
}

/// The most address space a capped run may take: what no test may need
/// more than.
pub const MEMORY_CAP: u64 = 2 << 30;

/// `sheetscript show FILE --quiet` as its own process with its address
/// space capped at [`MEMORY_CAP`], so an unbounded allocation fails the
/// run instead of the machine.
pub fn show_capped(file: &Path) -> Output {
    let file = file.to_str().expect("a UTF-8 path");
    sheetscript_capped(&["show", file, "--quiet"])
}

/// Runs `sheetscript` with `args` from the repository's root, its
/// address space capped at [`MEMORY_CAP`].
pub fn sheetscript_capped(args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_sheetscript"));
    command.args(args).current_dir(root());
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the
    // parent.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_CAP,
                rlim_max: MEMORY_CAP,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.output().expect("sheetscript starts")
}
