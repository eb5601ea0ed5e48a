#!/bin/bash
# One script over a folder of workbooks on several machines over ssh, with
# GNU parallel: 8 shares, run one at a time on each machine named after -S
# (each using all of its cores), the folders on a file system every
# machine mounts at the same path. Shares wait for a free machine, so
# more shares than machines balance the load.
#
#   deploy/parallel.sh                      # then:
#   sheetscript report merge /shared/month-end/reports/shard-*.csv -o batch.csv
set -euo pipefail

parallel --will-cite -S 1/alpha,1/beta,1/gamma --halt never \
    'sheetscript run /shared/month-end/vat.rhai /shared/month-end/in --out-dir /shared/month-end/out --shard {}/8 --report /shared/month-end/reports/shard-{}.csv --quiet' \
    ::: 1 2 3 4 5 6 7 8
