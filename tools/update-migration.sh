#!/bin/sh
# Rewrites MIGRATION.md's field table from the mapping table: update-migration.sh [SCM_SHIM_BINARY]
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build/gcc/tools/scm-shim/scm-shim}
table=$(mktemp)
trap 'rm -f "$table"' EXIT
env -u SCM_SHIM_MAPPING "$bin" mapping --format markdown >"$table"
awk -v table="$table" '
    /<!-- mapping-table:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /<!-- mapping-table:end -->/ { skip = 0 }
    !skip { print }
' MIGRATION.md >MIGRATION.md.new
mv MIGRATION.md.new MIGRATION.md
