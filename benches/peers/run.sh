#!/usr/bin/env bash
# Load + recalculate + save of the issue-12 ledger workbook by sheetscript,
# formualizer, IronCalc and headless LibreOffice, each run in its own process
# (wall time and peak RSS from /usr/bin/time), the median of PEERS_RUNS runs
# (default 3) per engine and size.
#
#   benches/peers/run.sh [ROWS...]        default: 10000 100000
#
# Besides the four engines it measures sheetscript with --threads 1 (the
# thread-scaling figure) and `run scripts/vat.rhai` on an invoices sheet of
# the same size (values only, the script's input), and prints the ratios.
# Workbooks and outputs live in a temporary folder removed at the end (a
# 1M-row workbook is about 60 MB). The peers build in target/peers, outside
# the main build. An engine that fails shows "failed" and its stderr is kept
# in the log printed at the end; it is never tabled as a time.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${PEERS_RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
for rows in "${sizes[@]}"; do
    [[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: rows must be whole numbers, not '$rows'" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time (GNU time) is needed for peak memory" >&2; exit 2; }

echo "building sheetscript and the peers (release)..." >&2
(cd "$repo" && cargo build --release --quiet --bin sheetscript)
(cd "$repo/benches/peers" && CARGO_TARGET_DIR="$repo/target/peers" cargo build --release --quiet)
(cd "$repo" && cargo bench --quiet --bench ledger --no-run)
sheetscript="$repo/target/release/sheetscript"
peers="$repo/target/peers/release/sheetscript-peers"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/failures.log"
diffs="$work/differences.log"
: >"$log"
: >"$diffs"

soffice_bin=$(command -v soffice || true)
lo_profile_source="$repo/../shared/libreoffice/profile/user"
[ -d "$lo_profile_source" ] || lo_profile_source=/work/shared/libreoffice/profile/user

# Runs one engine on one input: prints "SECONDS KIB" medians, or "failed".
# The output is removed before each run so every run writes a new file.
measure() {
    local engine=$1 input=$2 out="$work/out-$1.xlsx" samples="$work/samples" i
    : >"$samples"
    for ((i = 0; i < runs; i++)); do
        rm -rf "$out" "$work/lo-out" "$work/lo-profile"
        local cmd
        case $engine in
            sheetscript) cmd=("$sheetscript" recalc --quiet "$input" -o "$out") ;;
            sheetscript-1t) cmd=("$sheetscript" recalc --quiet --threads 1 "$input" -o "$out") ;;
            vat-script) cmd=("$sheetscript" run --quiet "$repo/scripts/vat.rhai" "$input" -o "$out") ;;
            formualizer | ironcalc) cmd=("$peers" "$engine" "$input" "$out") ;;
            libreoffice)
                # A fresh copy of the "always recalculate on load" profile.
                mkdir -p "$work/lo-profile"
                cp -r "$lo_profile_source" "$work/lo-profile/"
                cmd=("$soffice_bin" "-env:UserInstallation=file://$work/lo-profile" --headless
                    --norestore --convert-to xlsx --outdir "$work/lo-out" "$input")
                ;;
        esac
        if ! /usr/bin/time -f "%e %M" -o "$work/time" "${cmd[@]}" >/dev/null 2>"$work/stderr"; then
            { echo "== $engine, $(basename "$input"):"; tail -5 "$work/stderr"; } >>"$log"
            echo failed
            return
        fi
        if [ "$engine" = libreoffice ] && [ ! -s "$work/lo-out/$(basename "$input")" ]; then
            { echo "== libreoffice, $(basename "$input"): no output written"; tail -5 "$work/stderr"; } >>"$log"
            echo failed
            return
        fi
        tail -1 "$work/time" >>"$samples"
        if [ "$i" = 0 ] && [ "$engine" != vat-script ]; then
            [ "$engine" = libreoffice ] && out="$work/lo-out/$(basename "$input")"
            check_values "$engine" "$input" "$out"
        fi
    done
    local seconds kib
    seconds=$(cut -d' ' -f1 "$samples" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    kib=$(cut -d' ' -f2 "$samples" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    echo "$seconds $kib"
}

# Compares the cached values an engine wrote (the Summary's 100 totals and
# the last invoice row's three formulas, as `sheetscript show` reads them,
# table lines only, thousands separators dropped)
# with sheetscript's; a difference is listed under "differences" with both
# readings, so a fast wrong answer is not mistaken for a fast right one.
check_values() {
    local engine=$1 input=$2 out=$3 rows last
    rows=$(basename "$input" .xlsx)
    rows=${rows#ledger-}
    last=$((rows + 1))
    {
        "$sheetscript" show "$out" --sheet Summary --range B2:C51
        "$sheetscript" show "$out" --sheet Invoices --range "F$last:H$last"
    } 2>&1 | grep '│' | tr -d , >"$work/values-$engine" || true
    if [ "$engine" != sheetscript ] && ! cmp -s "$work/values-sheetscript" "$work/values-$engine"; then
        { echo "== $engine, $rows rows: cached values differ from sheetscript's"
          diff "$work/values-sheetscript" "$work/values-$engine" | head -8; } >>"$diffs"
    fi
}

cell() {
    if [ "$1" = failed ] || [ "$1" = skipped ]; then
        echo "$1"
    else
        awk -v s="${1% *}" -v k="${1#* }" 'BEGIN { printf "%.2f s, %.0f MB", s, k / 1024 }'
    fi
}

# "SECONDS KIB" of a faster engine over a slower one, as "2.1x".
ratio() {
    if [ "${#1}" -lt 3 ] || [ "${#2}" -lt 3 ] || [ "$1" = failed ] || [ "$2" = failed ] || [ "$1" = skipped ] || [ "$2" = skipped ]; then
        echo "n/a"
    else
        awk -v a="${1% *}" -v b="${2% *}" 'BEGIN { printf "%.1fx", b / a }'
    fi
}

table="| rows | sheetscript | sheetscript --threads 1 | formualizer | IronCalc | LibreOffice | run vat.rhai |
|---|---|---|---|---|---|---|"
ratios=""
for rows in "${sizes[@]}"; do
    input="$work/ledger-$rows.xlsx"
    invoices="$work/invoices-$rows.xlsx"
    (cd "$repo" && cargo bench --quiet --bench ledger -- "$rows" "$input") >&2
    (cd "$repo" && cargo bench --quiet --bench ledger -- --invoices "$rows" "$invoices") >&2
    row="| $rows"
    declare -A result=()
    for engine in sheetscript sheetscript-1t formualizer ironcalc libreoffice vat-script; do
        if [ "$engine" = libreoffice ] && [ -z "$soffice_bin" ]; then
            result[$engine]=skipped
        else
            echo "  $engine, $rows rows, $runs runs..." >&2
            if [ "$engine" = vat-script ]; then
                result[$engine]=$(measure "$engine" "$invoices")
            else
                result[$engine]=$(measure "$engine" "$input")
            fi
        fi
        row="$row | $(cell "${result[$engine]}")"
    done
    table="$table
$row |"
    ratios="$ratios
$rows rows: sheetscript $(ratio "${result[sheetscript]}" "${result[formualizer]}") faster than formualizer, \
$(ratio "${result[sheetscript]}" "${result[libreoffice]}") than LibreOffice, \
$(ratio "${result[sheetscript]}" "${result[ironcalc]}") than IronCalc; \
all cores $(ratio "${result[sheetscript]}" "${result[sheetscript-1t]}") faster than --threads 1"
    unset result
    rm -f "$input" "$invoices"
done

echo "load + recalculate + save, median of $runs runs, peak RSS ($(nproc) cores):"
echo "$table"
echo "$ratios"
if [ -s "$diffs" ]; then
    echo
    echo "differences:"
    cat "$diffs"
fi
if [ -s "$log" ]; then
    echo
    echo "failures:"
    cat "$log"
fi
