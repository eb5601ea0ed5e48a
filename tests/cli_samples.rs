//! The committed samples are exactly what the generator writes, and their
//! data has the properties the sample scripts rely on.

#[path = "../examples/make_samples.rs"]
mod make_samples;

use std::path::Path;

#[test]
fn committed_samples_match_the_generator_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    make_samples::write_all(dir.path()).unwrap();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let fresh = std::fs::read(entry.path()).unwrap();
        let old = std::fs::read(committed.join(&name))
            .unwrap_or_else(|e| panic!("samples/{}: {e}", name.to_string_lossy()));
        assert!(
            fresh == old,
            "samples/{} differs from the generator's output; run `cargo run --example make_samples`",
            name.to_string_lossy()
        );
        compared += 1;
    }
    assert_eq!(compared, 6);
}

#[test]
fn invoice_ages_fill_every_bucket_as_of_month_end() {
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mut buckets = [0; 5];
    for inv in make_samples::invoices() {
        let overdue = (as_of - inv.due).num_days();
        let bucket = match overdue {
            i64::MIN..=0 => 0,
            1..=30 => 1,
            31..=60 => 2,
            61..=90 => 3,
            _ => 4,
        };
        buckets[bucket] += 1;
    }
    assert!(buckets.iter().all(|&n| n > 0), "{buckets:?}");
}
