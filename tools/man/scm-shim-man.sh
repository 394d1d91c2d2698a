#!/bin/sh
# scm-shim-man.sh - writes scm-shim(1) from the command's own help, so the page cannot drift:
# `scm-shim --help` names the commands, and `scm-shim COMMAND --help` gives each one's section.
#   scm-shim-man.sh SCM_SHIM VERSION OUT
set -eu
shim=$1 version=$2 out=$3
here=$(dirname "$0")
tmp="$out.tmp"
trap 'rm -f "$tmp" "$tmp.top"' EXIT
"$shim" --help >"$tmp.top"
# "audit" and "capture" have two lines each: one section per command.
commands=$(awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ && !seen[$1]++ { print $1 }' "$tmp.top")
[ -n "$commands" ] || { echo "$0: '$shim --help' lists no commands" >&2; exit 1; }
{
    for c in $commands; do
        echo "@@command $c"
        grep "^  $c " "$tmp.top"
        echo "@@help"
        "$shim" "$c" --help
    done
} | awk -v version="$version" -f "$here/roff.awk" -f "$here/help2roff.awk" >"$tmp"
mv "$tmp" "$out"
