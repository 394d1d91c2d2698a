#!/bin/sh
# The library exports exactly what shim/symbols.txt lists: its frozen and public symbols under
# SCMSHIM_1, its private (scm__) ones under SCMSHIM_PRIVATE, and nothing else.
set -eu
lib=$1 symbols=$2
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
[ "$soname" = "libscmclient.so.1" ] || { echo "SONAME is '$soname'"; echo "0 passed, 1 failed"; exit 1; }
listed() { awk -v want="$1" '!/^#/ && (NF == 2 || NF == 3) && $2 ~ want {print $1}' "$symbols" | sort; }
defined=$(nm -D --defined-only --with-symbol-versions "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}')
node() { echo "$defined" | sed -n "s/@@*$1\$//p" | sort; }
failed=0
check() { # what, actual, expected
    if [ "$2" != "$3" ]; then
        echo "$1 differ from $symbols (< listed, > exported):"
        echo "$2" | diff - /dev/fd/3 3<<EOF_LIST | sed -e 's/^</>/;t' -e 's/^>/</' || true
$3
EOF_LIST
        failed=1
    fi
}
check "SCMSHIM_1 symbols" "$(node SCMSHIM_1)" "$(listed '^(frozen|public)$')"
check "SCMSHIM_PRIVATE symbols" "$(node SCMSHIM_PRIVATE)" "$(listed '^private$')"
other=$(echo "$defined" | grep -v -e '@@*SCMSHIM_1$' -e '@@*SCMSHIM_PRIVATE$' || true)
[ -z "$other" ] || { echo "exported outside both nodes:"; echo "$other"; failed=1; }
if [ $failed = 0 ]; then
    echo "exports: $(node SCMSHIM_1 | wc -l) public and $(node SCMSHIM_PRIVATE | wc -l) private symbols as listed"
    echo "1 passed, 0 failed"
else
    echo "0 passed, 1 failed"
    exit 1
fi
