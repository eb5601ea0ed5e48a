//! The files of deploy/ say what the binary does: the Kubernetes Job's
//! command runs as its pods would, the Slurm array script runs as its
//! tasks would, every option the scripts pass exists, and the container
//! file copies what is there with the toolchain the crate asks for.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

fn deploy(name: &str) -> String {
    std::fs::read_to_string(root().join("deploy").join(name)).unwrap()
}

/// A month-end folder like the manifests expect: `scripts/vat.rhai` and
/// `in/` with `count` copies of the invoice sample.
fn month_end(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir.join("scripts")).unwrap();
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::copy(script("vat.rhai"), dir.join("scripts/vat.rhai")).unwrap();
    for i in 0..count {
        std::fs::copy(
            sample("invoices.xlsx"),
            dir.join(format!("in/branch-{i}.xlsx")),
        )
        .unwrap();
    }
}

/// The names of the files in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The value after `key:` on the manifest's first line that has it.
fn yaml_value<'a>(manifest: &'a str, key: &str) -> &'a str {
    manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no {key} in the manifest"))
        .trim()
}

#[test]
fn the_indexed_job_pods_process_every_file_once() {
    let manifest = deploy("k8s-indexed-job.yaml");
    // The container's args are a flow list of quoted strings: JSON.
    let args: Vec<String> = serde_json::from_str(yaml_value(&manifest, "args")).unwrap();
    let completions: usize = yaml_value(&manifest, "completions").parse().unwrap();
    assert_eq!(yaml_value(&manifest, "completionMode"), "Indexed");
    let count_at = manifest.find("name: SHEETSCRIPT_SHARD_COUNT").unwrap();
    let count = yaml_value(&manifest[count_at..], "value").trim_matches('"');
    assert_eq!(
        count,
        completions.to_string(),
        "the shard count is the completions"
    );
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    month_end(data, 9);
    for index in 0..completions {
        // What the pod would run, its volume mounted at our folder.
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                a.replace("/data/", &format!("{}/", data.display()))
                    .replace("$(SHARD_INDEX)", &index.to_string())
            })
            .collect();
        let o = Command::new(env!("CARGO_BIN_EXE_sheetscript"))
            .args(&args)
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .env("SHEETSCRIPT_SHARD_COUNT", count)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "pod {index}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let all: Vec<String> = (0..9).map(|i| format!("branch-{i}.xlsx")).collect();
    assert_eq!(names(&data.join("out")), all);
    let reports: Vec<String> = (0..completions).map(|i| format!("shard-{i}.csv")).collect();
    assert_eq!(names(&data.join("reports")), reports);
    assert_eq!(names(&data.join("changes")).len(), 9);
}

#[test]
fn the_slurm_array_tasks_process_every_file_once() {
    let text = deploy("slurm-array.sh");
    let array = text
        .lines()
        .find_map(|l| l.strip_prefix("#SBATCH --array="))
        .unwrap();
    let (first, last) = array.split_once('-').unwrap();
    let (first, last): (u32, u32) = (first.parse().unwrap(), last.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    month_end(data, 11);
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_sheetscript"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for id in first..=last {
        let o = Command::new("bash")
            .arg(root().join("deploy/slurm-array.sh"))
            .env("PATH", &path)
            .env("SCRIPT", data.join("scripts/vat.rhai"))
            .env("IN", data.join("in"))
            .env("OUT", data.join("out"))
            .env("REPORTS", data.join("reports"))
            .env("SLURM_ARRAY_TASK_ID", id.to_string())
            .env("SLURM_ARRAY_TASK_MIN", first.to_string())
            .env("SLURM_ARRAY_TASK_MAX", last.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", (last - first + 1).to_string())
            .env("SLURM_CPUS_PER_TASK", "1")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "task {id}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let mut all: Vec<String> = (0..11).map(|i| format!("branch-{i}.xlsx")).collect();
    all.sort();
    assert_eq!(names(&data.join("out")), all);
    let rows: usize = names(&data.join("reports"))
        .iter()
        .map(|r| {
            let t = std::fs::read_to_string(data.join("reports").join(r)).unwrap();
            t.lines().count() - 1
        })
        .sum();
    assert_eq!(rows, 11, "each file in one report");
}

/// The `--options` a deploy file passes to `sheetscript run`.
fn options_passed(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_command = false;
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if line.contains("sheetscript run") {
            in_command = true;
        }
        if in_command {
            for word in line.split_whitespace() {
                let word = word.trim_matches(|c| c == '\'' || c == '"');
                if let Some(flag) = word.strip_prefix("--") {
                    out.push(flag.split('=').next().unwrap().to_string());
                }
            }
            if !line.trim_end().ends_with('\\') {
                in_command = false;
            }
        }
    }
    out
}

#[test]
fn every_option_the_scripts_pass_exists() {
    let help = ok(&["run", "--help"]);
    for file in ["slurm-array.sh", "parallel.sh"] {
        let options = options_passed(&deploy(file));
        assert!(options.len() >= 4, "{file}: {options:?}");
        for o in options {
            assert!(
                help.contains(&format!("--{o}")),
                "{file}: --{o} is not an option of run"
            );
        }
    }
    assert!(deploy("parallel.sh").contains("--shard {}/8"));
}

#[test]
fn the_container_file_builds_from_what_is_there() {
    let file = deploy("Containerfile");
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let rust_version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    assert!(
        file.contains(&format!("rust:{rust_version}-")),
        "the build image is the crate's rust-version {rust_version}"
    );
    let known = [
        "FROM",
        "WORKDIR",
        "COPY",
        "RUN",
        "USER",
        "ENTRYPOINT",
        "CMD",
    ];
    for line in file
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let instruction = line.split_whitespace().next().unwrap();
        assert!(known.contains(&instruction), "unknown instruction: {line}");
        if instruction == "COPY" && !line.contains("--from=") {
            let parts: Vec<&str> = line.split_whitespace().collect();
            for source in &parts[1..parts.len() - 1] {
                assert!(
                    root().join(source).exists(),
                    "COPY {source}: not in the repository"
                );
            }
        }
        if instruction == "ENTRYPOINT" || instruction == "CMD" {
            let list = line.split_once(' ').unwrap().1;
            let _: Vec<String> = serde_json::from_str(list).expect("exec form is a JSON list");
        }
    }
    assert!(file.contains("ENTRYPOINT [\"sheetscript\"]"));
}
