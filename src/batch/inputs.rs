//! From the command line's inputs to jobs: files, folders (walked for
//! workbooks) and patterns the shell left unexpanded (`exports/*.xls`),
//! each file with a key (its name, or its path inside a named folder)
//! that names its output and picks its shard.

use super::Job;
use crate::io::{file_identity, same_file};
use crate::{Error, Result};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The extensions of the files a folder is searched for.
pub const WORKBOOK_EXTENSIONS: [&str; 6] = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"];

/// How deep folders are walked: far beyond any real filing, and a bound
/// on a loop that links could otherwise make.
const MAX_DEPTH: usize = 32;

/// One input file and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file, as found: the folder or pattern given joined with the
    /// name found in it.
    pub path: PathBuf,
    /// Its name for outputs and shards, with `/` between folders: the
    /// file's name, or its path inside a folder given as an input. The
    /// same file has the same key however the arguments are ordered or
    /// where the folder is mounted.
    pub key: String,
}

/// The files `args` name: a file as it is (one that does not exist
/// fails as that file's job, not the batch), a folder's workbooks at any
/// depth (hidden files and Excel's `~$` lock files left out, and so are
/// the files and folders in `skip`: what this batch writes), a pattern's
/// matches. Sorted by key, each file once.
pub fn expand(args: &[PathBuf], skip: &[PathBuf]) -> Result<Vec<Input>> {
    let mut found = Vec::new();
    for arg in args {
        let before = found.len();
        if arg.is_dir() {
            walk(arg, "", skip, 0, &mut found)?;
            if found.len() == before {
                return Err(Error::Usage(format!(
                    "{}: no workbooks in this folder (looked for .{} files)",
                    arg.display(),
                    WORKBOOK_EXTENSIONS.join(", .")
                )));
            }
        } else if !arg.exists() && is_pattern(arg) {
            matching(arg, &mut found)?;
        } else {
            found.push(Input {
                path: arg.clone(),
                key: name_of(arg),
            });
        }
    }
    found.sort_by(|a, b| (&a.key, &a.path).cmp(&(&b.key, &b.path)));
    let mut unique: Vec<Input> = Vec::with_capacity(found.len());
    for input in found {
        let again = unique
            .iter()
            .rev()
            .take_while(|u| u.key == input.key)
            .any(|u| same_file(&u.path, &input.path));
        if !again {
            unique.push(input);
        }
    }
    Ok(unique)
}

/// A file's name, lossily as text.
fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Whether `name` is a workbook a folder walk takes.
fn is_workbook_name(name: &str) -> bool {
    if name.starts_with('.') || name.starts_with("~$") {
        return false;
    }
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            WORKBOOK_EXTENSIONS
                .iter()
                .any(|w| e.eq_ignore_ascii_case(w))
        })
}

/// Adds the workbooks under `dir` (whose path inside the folder given is
/// `prefix`) to `found`.
fn walk(
    dir: &Path,
    prefix: &str,
    skip: &[PathBuf],
    depth: usize,
    found: &mut Vec<Input>,
) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::Usage(format!(
            "{}: folders nest deeper than {MAX_DEPTH} levels",
            dir.display()
        )));
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::unreadable(dir, format!("cannot list the folder: {e}")))?;
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let key = format!("{prefix}{name}");
        // A link to a folder is not followed: it could lead back up.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if name.starts_with('.') || skip.iter().any(|s| same_file(s, &path)) {
                continue;
            }
            walk(&path, &format!("{key}/"), skip, depth + 1, found)?;
        } else if is_workbook_name(&name)
            && path.is_file()
            && !skip.iter().any(|s| same_file(s, &path))
        {
            found.push(Input { path, key });
        }
    }
    Ok(())
}

/// Whether the last part of `path` is a pattern (`*`, `?`).
fn is_pattern(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(['*', '?']))
}

/// Adds the files matching the pattern `pattern` (wildcards in its last
/// part only) to `found`; a pattern that matches nothing is an error.
fn matching(pattern: &Path, found: &mut Vec<Input>) -> Result<()> {
    let dir = match pattern.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if dir.to_string_lossy().contains(['*', '?']) {
        return Err(Error::Usage(format!(
            "{}: a pattern may have * and ? in the file name only; name the folders",
            pattern.display()
        )));
    }
    let wanted = name_of(pattern);
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::unreadable(dir, format!("cannot list the folder: {e}")))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.starts_with("~$") && wildcard_match(&wanted, n))
        .collect();
    names.sort();
    let before = found.len();
    for name in names {
        let path = if pattern.parent().is_some_and(|p| !p.as_os_str().is_empty()) {
            dir.join(&name)
        } else {
            PathBuf::from(&name)
        };
        if path.is_file() {
            found.push(Input { path, key: name });
        }
    }
    if found.len() == before {
        return Err(Error::Usage(format!(
            "{}: no file matches this pattern",
            pattern.display()
        )));
    }
    Ok(())
}

/// Whether `name` matches `pattern`, where `*` stands for any run of
/// characters and `?` for one.
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // The classic greedy match with one back-track point: linear in
    // practice, and never exponential.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

/// How a batch names what it writes.
#[derive(Debug, Clone, Default)]
pub struct Naming {
    /// The folder outputs go to, mirroring the folders given as inputs.
    pub out_dir: PathBuf,
    /// Added to each output's name before the extension (`-checked`).
    pub suffix: String,
    /// The outputs' extension (`xlsx`, `csv`); `None` keeps the input's
    /// where it can be written (xlsx, xlsm, csv), else xlsx.
    pub extension: Option<String>,
    /// The folder of the change reports (one `NAME.changes.csv` an
    /// input), if any.
    pub changes_dir: Option<PathBuf>,
}

/// A job and the key of its input.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The input's key (see [`Input::key`]).
    pub key: String,
    /// The job.
    pub job: Job,
}

/// Where `input`'s output and change report go under `naming`.
fn destinations(input: &Input, naming: &Naming) -> (PathBuf, Option<PathBuf>) {
    let (folder, file) = match input.key.rsplit_once('/') {
        Some((folder, file)) => (Some(folder), file),
        None => (None, input.key.as_str()),
    };
    let path = Path::new(file);
    let stem = path
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
    let extension = naming.extension.clone().unwrap_or_else(|| {
        let own = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match own.as_deref() {
            Some(e @ ("xlsx" | "xlsm" | "csv")) => e.to_string(),
            _ => "xlsx".to_string(),
        }
    });
    let place = |root: &Path, name: String| match folder {
        Some(f) => root.join(f).join(name),
        None => root.join(name),
    };
    let output = place(
        &naming.out_dir,
        format!("{stem}{}.{extension}", naming.suffix),
    );
    let changes = naming
        .changes_dir
        .as_deref()
        .map(|d| place(d, format!("{stem}{}.changes.csv", naming.suffix)));
    (output, changes)
}

/// Leaves out of `inputs` the files this batch itself writes (outputs
/// written beside the inputs, `--suffix -checked`, would otherwise be
/// inputs of the next run) and returns them.
pub fn leave_out_own_outputs(inputs: &mut Vec<Input>, naming: &Naming) -> Vec<Input> {
    let written: HashSet<PathBuf> = inputs
        .iter()
        .flat_map(|i| {
            let (output, changes) = destinations(i, naming);
            std::iter::once(output).chain(changes)
        })
        .filter_map(|p| file_identity(&p))
        .collect();
    // An input that is its own output is refused by `plan`, not left
    // out.
    let (own, kept): (Vec<Input>, Vec<Input>) =
        std::mem::take(inputs)
            .into_iter()
            .partition(|i| match file_identity(&i.path) {
                Some(id) => {
                    written.contains(&id)
                        && file_identity(&destinations(i, naming).0).as_ref() != Some(&id)
                }
                None => false,
            });
    *inputs = kept;
    own
}

/// The jobs for `inputs` named by `naming`. Two inputs whose outputs (or
/// change reports) would have one name, or an output that would replace
/// an input, are refused before anything runs: one would silently take
/// the other's place.
pub fn plan(inputs: &[Input], naming: &Naming) -> Result<Vec<Planned>> {
    let read: HashMap<PathBuf, &Input> = inputs
        .iter()
        .filter_map(|i| Some((file_identity(&i.path)?, i)))
        .collect();
    let mut taken: HashMap<PathBuf, &Input> = HashMap::new();
    let mut planned = Vec::with_capacity(inputs.len());
    for input in inputs {
        let (output, changes) = destinations(input, naming);
        for written in std::iter::once(&output).chain(changes.as_ref()) {
            let identity = file_identity(written).unwrap_or_else(|| written.clone());
            if let Some(other) = taken.insert(identity.clone(), input) {
                return Err(Error::Usage(format!(
                    "{} and {} would both be written to {}; give them different names or \
                     run them into separate --out-dir folders",
                    other.path.display(),
                    input.path.display(),
                    written.display()
                )));
            }
            if let Some(i) = read.get(&identity) {
                return Err(Error::Usage(format!(
                    "writing {} would replace the input {}; choose another --out-dir or a --suffix",
                    written.display(),
                    i.path.display()
                )));
            }
        }
        planned.push(Planned {
            key: input.key.clone(),
            job: Job {
                input: input.path.clone(),
                output: Some(output),
                in_place: false,
                changes,
            },
        });
    }
    Ok(planned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_runs_and_single_characters() {
        assert!(wildcard_match("*.xlsx", "brno.xlsx"));
        assert!(wildcard_match("b??o.*", "brno.xlsx"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXbYbZc"));
        assert!(!wildcard_match("*.xlsx", "brno.xls"));
        assert!(!wildcard_match("a*b", "ac"));
        // A long name against many stars stays quick.
        let name = "a".repeat(5000);
        assert!(!wildcard_match("*a*a*a*a*a*b", &name));
    }

    #[test]
    fn folders_are_walked_for_workbooks_with_keys_inside_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("in/2026")).unwrap();
        std::fs::create_dir_all(root.join("in/out")).unwrap();
        for f in [
            "in/b.xlsx",
            "in/a.CSV",
            "in/notes.txt",
            "in/~$b.xlsx",
            "in/.hidden.xlsx",
            "in/2026/c.ods",
            "in/out/old.xlsx",
        ] {
            std::fs::write(root.join(f), b"x").unwrap();
        }
        let found = expand(&[root.join("in")], &[root.join("in/out")]).unwrap();
        let keys: Vec<&str> = found.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["2026/c.ods", "a.CSV", "b.xlsx"]);
        // The same file named twice, and by a pattern, is one input.
        let again = expand(
            &[
                root.join("in/b.xlsx"),
                root.join("in/*.xlsx"),
                root.join("in/./b.xlsx"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(again.len(), 1, "{again:?}");
        assert!(expand(&[root.join("in/*.xlsb")], &[]).is_err());
        assert!(expand(&[root.join("in/out/../2026/none")], &[]).is_ok());
    }

    #[test]
    fn outputs_mirror_keys_and_collisions_are_refused() {
        let inputs = [
            Input {
                path: "x/2026/a.xls".into(),
                key: "2026/a.xls".into(),
            },
            Input {
                path: "y/b.csv".into(),
                key: "b.csv".into(),
            },
        ];
        let naming = Naming {
            out_dir: "out".into(),
            suffix: "-checked".into(),
            changes_dir: Some("changes".into()),
            ..Naming::default()
        };
        let jobs = plan(&inputs, &naming).unwrap();
        assert_eq!(
            jobs[0].job.output.as_deref(),
            Some(Path::new("out/2026/a-checked.xlsx"))
        );
        assert_eq!(
            jobs[0].job.changes.as_deref(),
            Some(Path::new("changes/2026/a-checked.changes.csv"))
        );
        assert_eq!(
            jobs[1].job.output.as_deref(),
            Some(Path::new("out/b-checked.csv"))
        );
        let clash = [
            Input {
                path: "x/a.xls".into(),
                key: "a.xls".into(),
            },
            Input {
                path: "x/a.xlsx".into(),
                key: "a.xlsx".into(),
            },
        ];
        let err = plan(&clash, &naming).unwrap_err().to_string();
        assert!(err.contains("would both be written to"), "{err}");
    }

    #[test]
    fn outputs_beside_their_inputs_are_not_inputs_again() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["a.xlsx", "a-checked.xlsx", "b.xlsx"] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        let mut inputs = expand(&[dir.path().to_path_buf()], &[]).unwrap();
        let naming = Naming {
            out_dir: dir.path().to_path_buf(),
            suffix: "-checked".into(),
            ..Naming::default()
        };
        let own = leave_out_own_outputs(&mut inputs, &naming);
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].key, "a-checked.xlsx");
        let keys: Vec<&str> = inputs.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["a.xlsx", "b.xlsx"]);
        assert_eq!(plan(&inputs, &naming).unwrap().len(), 2);
        // Without a suffix each output would replace its input.
        let err = plan(
            &inputs,
            &Naming {
                suffix: String::new(),
                ..naming
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("would replace the input"), "{err}");
    }
}
