#!/bin/sh
# Every global symbol the library's objects define is either one of the frozen or public
# names shim/symbols.txt lists (scm_*, exported) or an internal scm__ one: no other name can
# clash with a program's or another library's.
set -eu
symbols=$1
shift
public=$(awk '!/^#/ && NF == 2 && ($2 == "frozen" || $2 == "public") {print $1}' "$symbols" | sort)
defined=$(nm -g --defined-only "$@" | awk 'NF == 3 {print $3}' | sort -u)
bad=$(echo "$defined" | grep -v '^scm__' | comm -23 - /dev/fd/3 3<<EOF_LIST
$public
EOF_LIST
)
if [ -n "$bad" ]; then
    echo "global symbols neither listed public nor named scm__:"
    echo "$bad"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "internal names: $(echo "$defined" | grep -c '^scm__') scm__ symbols, the rest listed public"
echo "1 passed, 0 failed"
