#!/bin/sh
# The library exports exactly the symbols in exports.txt (frozen ones plus scm_shim_*) under
# SCMSHIM_1, and nothing else but scm__ symbols under SCMSHIM_PRIVATE for its own tools and tests.
set -eu
lib=$1 expected=$2
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
[ "$soname" = "libscmclient.so.1" ] || { echo "SONAME is '$soname'"; echo "0 passed, 1 failed"; exit 1; }
defined=$(nm -D --defined-only --with-symbol-versions "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}')
actual=$(echo "$defined" | sed -n 's/@@*SCMSHIM_1$//p' | sort)
private=$(echo "$defined" | sed -n 's/@@*SCMSHIM_PRIVATE$//p' | sort)
other=$(echo "$defined" | grep -v '@@*SCMSHIM_1$' | grep -v '@@*SCMSHIM_PRIVATE$' || true)
stray=$(echo "$private" | grep -v '^scm__' || true)
failed=0
if [ "$actual" != "$(sort "$expected")" ]; then
    echo "SCMSHIM_1 symbols differ from $expected:"
    echo "$actual" | diff "$expected" - || true
    failed=1
fi
if [ -n "$other$stray" ]; then
    echo "exported outside SCMSHIM_1 and the scm__ names of SCMSHIM_PRIVATE:"
    echo "$other$stray"
    failed=1
fi
if [ $failed = 0 ]; then
    echo "exports: $(echo "$actual" | wc -l) public symbols as listed, $(echo "$private" | wc -l) private"
    echo "1 passed, 0 failed"
else
    echo "0 passed, 1 failed"
    exit 1
fi
