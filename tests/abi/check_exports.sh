#!/bin/sh
# The library exports exactly the symbols in exports.txt (frozen ones plus scm_shim_*).
set -eu
lib=$1 expected=$2
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
[ "$soname" = "libscmclient.so.1" ] || { echo "SONAME is '$soname'"; echo "0 passed, 1 failed"; exit 1; }
actual=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort)
if [ "$actual" = "$(sort "$expected")" ]; then
    echo "exports: $(echo "$actual" | wc -l) symbols as listed"
    echo "1 passed, 0 failed"
else
    echo "exported symbols differ from $expected:"
    echo "$actual" | diff "$expected" - || true
    echo "0 passed, 1 failed"
    exit 1
fi
