#!/bin/sh
# libscmclient-man.sh - writes libscmclient(3) from the export list, the public headers and
# README.md's variable table (lib2roff.awk does the work); fails on any non-ASCII byte left.
#   libscmclient-man.sh SOURCE_DIR VERSION OUT
set -eu
src=$1 version=$2 out=$3
tmp="$out.tmp"
here=$(dirname "$0")
trap 'rm -f "$tmp"' EXIT
LC_ALL=C awk -v version="$version" -f "$here/roff.awk" -f "$here/lib2roff.awk" "$src/shim/symbols.txt" \
    "$src/include/scm_client.h" "$src/include/scm_shim.h" "$src/README.md" >"$tmp"
if LC_ALL=C grep -n '[^ -~]' "$tmp" >&2; then
    echo "$0: non-ASCII text above: give lib2roff.awk its roff name" >&2
    exit 1
fi
mv "$tmp" "$out"
