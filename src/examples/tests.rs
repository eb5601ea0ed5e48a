use super::*;
use chrono::NaiveDate;

/// A scripts folder with `double.rhai` (B = A * 2 on sheet Data, and a
/// total in B1 of a new sheet Sum) and the given examples of it.
fn scripts(examples: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("double.rhai"),
        r#"let t = table("Data");
t["Twice"] = t.Amount * param("factor", 2);
t.save();
let s = add_sheet("Sum");
s.set("A1", ["Total", t.Twice.sum()]);
assert(t.Amount.sum() >= 0, "the amounts are negative");
"#,
    )
    .unwrap();
    let folder = dir.path().join("examples").join("double");
    std::fs::create_dir_all(&folder).unwrap();
    for (name, text) in examples {
        std::fs::write(folder.join(name), text).unwrap();
    }
    dir
}

const SHEET: &str = r#"
[sheets]
Data = [["Amount"], [1.25], [2.50]]
"#;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn verdict(dir: &tempfile::TempDir, name: &str) -> Verdict {
    let script = dir.path().join("double.rhai");
    let file = dir.path().join("examples/double").join(name);
    run_example(&script, &file, day())
}

#[test]
fn finds_examples_from_a_folder_a_script_an_examples_folder_or_a_file() {
    let dir = scripts(&[("b.toml", SHEET), ("a.toml", SHEET), ("notes.txt", "")]);
    let script = dir.path().join("double.rhai");
    let folder = dir.path().join("examples/double");
    let both = vec![folder.join("a.toml"), folder.join("b.toml")];
    for path in [
        dir.path().to_path_buf(),
        script.clone(),
        folder.clone(),
        dir.path().join("examples"),
    ] {
        let found = find(&path).unwrap();
        assert_eq!(found.len(), 1, "{}", path.display());
        assert_eq!(found[0].script, script);
        assert_eq!(found[0].examples, both, "{}", path.display());
    }
    let one = find(&folder.join("b.toml")).unwrap();
    assert_eq!(one[0].examples, [folder.join("b.toml")]);
}

#[test]
fn examples_without_their_script_are_named() {
    let dir = scripts(&[("a.toml", SHEET)]);
    std::fs::create_dir_all(dir.path().join("examples/vta")).unwrap();
    let e = find(dir.path()).unwrap_err().to_string();
    assert!(e.contains("vta") && e.contains("does not exist"), "{e}");
    let e = find(&dir.path().join("nowhere")).unwrap_err().to_string();
    assert!(e.contains("no such file or folder"), "{e}");
}

#[test]
fn passes_fails_with_each_difference_or_is_unusable() {
    let dir = scripts(&[
        (
            "right.toml",
            &format!("{SHEET}[expect.Data]\nB1 = [[\"Twice\"], [2.50], [5]]\n[expect.Sum]\nA1 = [\"Total\", 7.50]\n"),
        ),
        (
            "factor.toml",
            &format!("{SHEET}[set]\nfactor = 3\n[expect.Sum]\nB1 = 11.25\n"),
        ),
        (
            "wrong.toml",
            &format!("{SHEET}[expect.Data]\nB3 = 5.01\n[expect.Summary]\nA1 = 1\n"),
        ),
        (
            "refused.toml",
            "fails = \"the amounts are negative\"\n[sheets]\nData = [[\"Amount\"], [-1]]\n",
        ),
        (
            "not-refused.toml",
            &format!("fails = \"the amounts are negative\"\n{SHEET}"),
        ),
        (
            "missing-input.toml",
            "input = \"nothing.xlsx\"\n[expect.Sum]\nB1 = 1\n",
        ),
        ("bad.toml", &format!("{SHEET}[expect.Sum]\nB1 = [1, [2]]\n")),
    ]);
    assert!(matches!(verdict(&dir, "right.toml"), Verdict::Passed));
    assert!(matches!(verdict(&dir, "factor.toml"), Verdict::Passed));
    assert!(matches!(verdict(&dir, "refused.toml"), Verdict::Passed));
    let Verdict::Failed(lines) = verdict(&dir, "wrong.toml") else {
        panic!("wrong.toml should fail")
    };
    assert_eq!(
        lines,
        [
            "Data!B3: expected 5.01, got 5.00",
            "sheet \"Summary\": expected the sheet, got no such sheet (the workbook has \"Data\", \"Sum\")"
        ]
    );
    let Verdict::Failed(lines) = verdict(&dir, "not-refused.toml") else {
        panic!("not-refused.toml should fail")
    };
    assert!(lines[0].contains("but it went through"), "{lines:?}");
    for name in ["missing-input.toml", "bad.toml"] {
        let Verdict::Unusable(why) = verdict(&dir, name) else {
            panic!("{name} should be unusable")
        };
        assert!(why.contains(name), "{why}");
    }
}

#[test]
fn a_declared_parameter_is_checked_as_run_checks_it() {
    let dir = scripts(&[(
        "typo.toml",
        &format!("{SHEET}[set]\nfactr = 3\n[expect.Sum]\nB1 = 11.25\n"),
    )]);
    let script = dir.path().join("double.rhai");
    let source = std::fs::read_to_string(&script).unwrap();
    std::fs::write(
        &script,
        format!("//! # Double\n//! param factor: number = 2 \"Factor\"\n{source}"),
    )
    .unwrap();
    let Verdict::Unusable(why) = verdict(&dir, "typo.toml") else {
        panic!("a misspelt parameter is refused")
    };
    assert!(why.contains("no parameter \"factr\""), "{why}");
}

#[test]
fn sheets_in_an_example_become_a_workbook_with_formulas() {
    let sheets = vec![spec::InlineSheet {
        name: "Data".into(),
        rows: vec![
            vec![Some(Figure::Text("Amount".into())), None],
            vec![
                Some(Figure::Number {
                    value: rust_decimal::Decimal::new(125, 2),
                    written: "1.25".into(),
                }),
                Some(Figure::Text("=A2*2".into())),
            ],
        ],
    }];
    let wb = workbook_of(&sheets).unwrap();
    let s = &wb.sheets[0];
    assert_eq!(s.value(CellAddr::new(0, 0)), &Value::text("Amount"));
    assert!(s.value(CellAddr::new(0, 1)).is_empty());
    assert_eq!(s.formula_text(CellAddr::new(1, 1)).as_deref(), Some("A2*2"));
}
