#!/usr/bin/env bash
# Fuzzes the formula engine, the xlsx sheet reader and the CSV reader, one
# target after another, each for SECONDS (default 300), and prints the
# executions and findings per target.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs a nightly toolchain and cargo-fuzz (`rustup toolchain install
# nightly`, `cargo install cargo-fuzz`) and python3 for the seeds. The
# corpus grows in fuzz/corpus/TARGET (kept between runs, ignored by git);
# a crash, timeout or out-of-memory input lands in fuzz/artifacts/TARGET/,
# to be replayed with `cargo +nightly fuzz run -s none TARGET FILE` and
# turned into a test in tests/fuzz_regressions.rs.
set -uo pipefail

seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(formula xlsx_sheet csv)

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz_dir")
cd "$repo" || exit 2

# Safe Rust needs no address sanitizer, and without it each run is several
# times faster; the fuzz build keeps to its own corner of target/.
build=(-s none --target-dir "$repo/target/fuzz")

"$fuzz_dir/seeds.py" "$fuzz_dir/seeds" || exit 2
mkdir -p "$fuzz_dir/logs"
if ! cargo +nightly fuzz build "${build[@]}" >"$fuzz_dir/logs/build.log" 2>&1; then
    tail -30 "$fuzz_dir/logs/build.log"
    exit 2
fi

# The binary calculates on a 256 MiB stack (src/main.rs, WORK_STACK);
# libFuzzer runs the target on the main thread, so give it the same.
ulimit -s 262144

summary=()
status=0
for target in "${targets[@]}"; do
    mkdir -p "$fuzz_dir/corpus/$target"
    dictionary=()
    [ -f "$fuzz_dir/seeds/$target.dict" ] && dictionary=("-dict=$fuzz_dir/seeds/$target.dict")
    log="$fuzz_dir/logs/$target.log"
    echo "== $target: $seconds s (log: $log)"
    cargo +nightly fuzz run "${build[@]}" "$target" \
        "$fuzz_dir/corpus/$target" "$fuzz_dir/seeds/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 "${dictionary[@]}" >"$log" 2>&1
    code=$?
    executions=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    corpus=$(find "$fuzz_dir/corpus/$target" -type f | wc -l)
    if [ "$code" -eq 0 ]; then
        outcome="no finding"
    else
        status=1
        outcome="FINDING: $(grep -a -m1 -o 'SUMMARY: .*\|ERROR: libFuzzer: [a-z-]*\|panicked at [^ ]*' "$log" || echo "exit $code")"
        outcome="$outcome; input: $(grep -a -o "artifacts/$target/[^ ]*" "$log" | tail -1)"
    fi
    summary+=("$target: ${executions:-?} executions, corpus $corpus, $outcome")
done
rm -f /dev/shm/sheetscript-fuzz-* 2>/dev/null

echo
printf '%s\n' "${summary[@]}"
exit $status
