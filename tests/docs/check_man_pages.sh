#!/bin/sh
# The generated man pages are complete and clean: libscmclient(3) documents every symbol of
# the SCMSHIM_1 version node (shim/symbols.txt) and, in its ENVIRONMENT section, every variable
# the library's sources name (SCM_SHIM_* and HUAWEICLOUD_SDK_* string literals in shim/*.c);
# groff, and man where installed, render both pages without a warning.
#   check_man_pages.sh SOURCE_DIR MAN_DIR
set -u
src=$1 man=$2
lib3="$man/libscmclient.3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}

awk '/^scm_/ && ($2 == "frozen" || $2 == "public") { print $1 }' "$src/shim/symbols.txt" >"$work/symbols"
[ -s "$work/symbols" ] || fail "no SCMSHIM_1 symbol found in shim/symbols.txt"
while read -r name; do
    grep -qE "(^|[^a-z0-9_])$name\(" "$lib3" || fail "libscmclient.3 does not declare $name()"
done <"$work/symbols"

awk '/^\.SH ENVIRONMENT/ { on = 1; next } /^\.SH / { on = 0 } on' "$lib3" >"$work/env"
vars=$(grep -ohE '"(SCM_SHIM_[A-Z0-9_]+|HUAWEICLOUD_SDK_[A-Z0-9_]+)' "$src"/shim/*.c | tr -d '"' | sort -u)
[ -n "$vars" ] || fail "no variable found in shim/*.c"
for var in $vars; do
    case $var in
        *_) pattern=$var ;; # a prefix, such as HUAWEICLOUD_SDK_REGION_SCM_<REGION>
        *) pattern="$var([^A-Z0-9_]|\$)" ;;
    esac
    grep -qE "$pattern" "$work/env" || fail "libscmclient.3's ENVIRONMENT does not name $var"
done

for page in "$lib3" "$man/scm-shim.1"; do
    LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" >"$work/groff" 2>&1 ||
        fail "groff failed on $page"
    [ ! -s "$work/groff" ] || { fail "groff warns on $page:"; cat "$work/groff"; }
    if command -v man >/dev/null; then
        LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >/dev/null 2>"$work/man" ||
            fail "man -l failed on $page"
        [ ! -s "$work/man" ] || { fail "man -l warns on $page:"; cat "$work/man"; }
    fi
done

echo "$(wc -l <"$work/symbols") symbols, $(echo "$vars" | wc -l) variables, 2 pages checked: $failed failed"
[ $failed -eq 0 ]
