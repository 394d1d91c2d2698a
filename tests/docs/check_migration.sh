#!/bin/sh
# MIGRATION.md's field table is exactly what the mapping table generates.
set -eu
bin=$1 doc=$2
want=$(env -u SCM_SHIM_MAPPING "$bin" mapping --format markdown)
have=$(sed -n '/<!-- mapping-table:begin -->/,/<!-- mapping-table:end -->/p' "$doc" | sed '1d;$d')
if [ "$want" = "$have" ]; then
    echo "1 passed, 0 failed"
else
    echo "MIGRATION.md's field table is stale; run tools/update-migration.sh"
    printf '%s\n' "$want" >/tmp/scmshim-want.$$
    printf '%s\n' "$have" | diff /tmp/scmshim-want.$$ - || true
    rm -f /tmp/scmshim-want.$$
    echo "0 passed, 1 failed"
    exit 1
fi
