//! Every ```rhai example in docs/SCRIPTING.md runs: the first line names
//! the sample input and any options (`// input: samples/x.xlsx --set a=b`).

mod support;

use support::*;

#[test]
fn every_example_in_the_scripting_guide_runs() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = fenced_blocks("docs/SCRIPTING.md", "rhai");
    assert!(blocks.len() >= 12, "found {} examples", blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        let header = block.lines().next().unwrap_or_default();
        let spec = header.strip_prefix("// input: ").unwrap_or_else(|| {
            panic!(
                "example {} does not start with `// input: ...`:\n{block}",
                i + 1
            )
        });
        let mut words = spec.split_whitespace();
        let input = words.next().unwrap();
        let path = dir.path().join(format!("example{}.rhai", i + 1));
        std::fs::write(&path, block).unwrap();
        let mut args = vec![
            "run",
            path.to_str().unwrap(),
            input,
            "--dry-run",
            "--today",
            "2026-11-30",
        ];
        args.extend(words);
        let out = sheetscript(&args);
        assert!(
            out.status.success(),
            "example {} failed:\n{block}\n---\n{}",
            i + 1,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
