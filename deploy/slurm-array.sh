#!/bin/bash
# One script over a folder of workbooks, split between the tasks of a
# Slurm job array: task i takes share i+1 of the array's tasks
# (`--shard auto` reads SLURM_ARRAY_TASK_ID, _MIN, _STEP and _COUNT).
# The folders must be on a file system every node sees.
#
#   sbatch deploy/slurm-array.sh
#   # when all tasks are done:
#   sheetscript report merge "$REPORTS"/shard-*.csv -o batch.csv
#
# Submitting it again redoes only the files whose output is missing or
# older than input and script (a failed task resumes); add --force to
# redo everything.
#SBATCH --job-name=sheetscript-month-end
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=sheetscript-%A_%a.log
set -euo pipefail

SCRIPT=${SCRIPT:-/shared/month-end/vat.rhai}
IN=${IN:-/shared/month-end/in}
OUT=${OUT:-/shared/month-end/out}
REPORTS=${REPORTS:-/shared/month-end/reports}

sheetscript run "$SCRIPT" "$IN" --out-dir "$OUT" --shard auto \
    --jobs "${SLURM_CPUS_PER_TASK:-1}" \
    --report "$REPORTS/shard-${SLURM_ARRAY_TASK_ID}.csv" --quiet
