#!/bin/sh
# The audit page (`scm-shim audit --log LOG --format html FILE`) in a real browser: Debian's
# chromium, headless. Checks the page loads nothing from outside, that the DOM holds one row per
# legacy field in the table's order, that the filters run (the page's JSON parsed), that hostile
# text from a log neither ends the script nor adds markup, and takes a screenshot.
#   check_page.sh SCM_SHIM AUDIT_LOG HOSTILE_LOG OUT_DIR
# A missing chromium fails the test (tools/deps.sh installs it); every browser runs in its own
# process group with its own profile, and the group is killed after at most 60 s.
set -u
shim=$1 log=$2 hostile=$3 out=$4
fail() {
    echo "FAIL: $*"
    exit 1
}
command -v chromium >/dev/null 2>&1 ||
    fail "chromium not found: install Debian's chromium package (tools/deps.sh does)"
mkdir -p "$out" || fail "cannot create $out"
work=$(mktemp -d)
browser=""
# Kills what the last browser left behind: its whole process group, then anything still
# running with this test's profile directory (a helper that left the group).
reap() {
    [ -z "$browser" ] || kill -KILL -- "-$browser" 2>/dev/null
    for pid in $(pgrep -f -- "--user-data-dir=$work/profile" 2>/dev/null); do
        kill -KILL "$pid" 2>/dev/null
    done
    browser=""
}
trap 'reap; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# chromium_run URL FLAG...: runs headless (its own session, so one group to kill), waits at most
# 60 s, leaves stdout in $work/stdout; fails when it times out or fails.
chromium_run() {
    url=$1
    shift
    rm -rf "$work/profile"
    HOME=$work setsid chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --disable-default-apps --user-data-dir="$work/profile" \
        "$@" "$url" >"$work/stdout" 2>"$work/stderr" &
    browser=$!
    waited=0
    while kill -0 "$browser" 2>/dev/null; do
        waited=$((waited + 1))
        if [ $waited -gt 600 ]; then
            reap
            fail "chromium did not finish within 60 s ($url)"
        fi
        sleep 0.1
    done
    wait "$browser"
    rc=$?
    reap
    [ $rc -eq 0 ] || { tail -5 "$work/stderr"; fail "chromium exited $rc ($url)"; }
    leftover=$(pgrep -f -- "--user-data-dir=$work/profile")
    [ -z "$leftover" ] || fail "chromium processes outlived their run: $leftover"
}

page=$out/audit.html
"$shim" audit --log "$log" --values --format html "$page" 2>"$work/note"
status=$?
# The same go/no-go as the other formats: the log holds certificates that failed on one side.
[ $status -eq 3 ] || fail "audit --format html exited $status, want 3 (as --format csv)"
grep -qF "audit page written to $page" "$work/note" || fail "no note saying where the page is"
[ -s "$page" ] || fail "$page is empty"

# Self-contained: no URL, no src= other than data:.
if grep -n -i -E 'https?://' "$page"; then fail "the page names a URL"; fi
if grep -o -i -E "src=[\"']?[^\"' >]*" "$page" | grep -v -i -E "src=[\"']?data:"; then
    fail "the page loads a src= that is no data: URI"
fi

env -u SCM_SHIM_MAPPING "$shim" mapping --format json | sed -n 's/^ *"legacy": "\(.*\)",$/\1/p' \
    >"$work/fields.want"
[ -s "$work/fields.want" ] || fail "scm-shim mapping --format json listed no field"

chromium_run "file://$page" --dump-dom
grep -o '<tr data-field="[^"]*"' "$work/stdout" | sed 's/.*="\(.*\)"/\1/' >"$work/fields.got"
if ! cmp -s "$work/fields.want" "$work/fields.got"; then
    diff "$work/fields.want" "$work/fields.got" | head -10
    fail "the DOM holds $(wc -l <"$work/fields.got") field rows, want one per legacy field ($(wc -l <"$work/fields.want")), in order"
fi
grep -q '<form id="filters">' "$work/stdout" || fail "the filters did not run (form still hidden)"
fields=$(wc -l <"$work/fields.want")
grep -q "<output id=\"shown\">$fields of $fields fields</output>" "$work/stdout" ||
    fail "the filters do not show every field by default"

# Without JavaScript (the markup as written; chromium's --dump-dom needs scripts): every field
# row shows, the filters that would not work stay hidden.
shown=$(grep -c '<tr data-field="[^"]*">' "$page")
[ "$shown" -eq "$fields" ] || fail "without JavaScript $shown of $fields field rows show"
grep -q '<form id="filters" hidden>' "$page" || fail "without JavaScript the filters show"

# A text filter from the address: only the auth fields stay visible.
chromium_run "file://$page#q=auth" --dump-dom
visible=$(grep -o '<tr data-field="[^"]*">' "$work/stdout" | grep -c auth)
hidden=$(grep -c '<tr data-field="[^"]*" hidden=""' "$work/stdout")
want=$(grep -c auth "$work/fields.want")
if [ "$visible" -ne "$want" ] || [ "$hidden" -ne $((fields - want)) ]; then
    fail "#q=auth shows $visible rows and hides $hidden, want $want shown, $((fields - want)) hidden"
fi

# A class filter: only the fields with a mismatch, and only the mismatching certificates.
"$shim" audit --log "$log" --format csv 2>/dev/null |
    awk -F, 'NR > 1 && NF == 0 { exit } NR > 1 && $5 > 0 { print $1 }' >"$work/mismatch.want"
chromium_run "file://$page#classes=mismatch" --dump-dom
grep -o '<tr data-field="[^"]*">' "$work/stdout" | sed 's/.*="\(.*\)">/\1/' >"$work/mismatch.got"
cmp -s "$work/mismatch.want" "$work/mismatch.got" ||
    fail "#classes=mismatch shows fields '$(tr '\n' ' ' <"$work/mismatch.got")', want '$(tr '\n' ' ' <"$work/mismatch.want")'"
if grep -E '<tr data-result="mismatch" hidden|<tr data-result="[^m][^"]*">' "$work/stdout"; then
    fail "#classes=mismatch shows a certificate without a mismatch or hides one with"
fi
grep -q '<tr data-result="mismatch">' "$work/stdout" || fail "no mismatching certificate shown"

# Hostile text from a log: escaped in the markup and in the filters' JSON.
evil=$out/hostile.html
"$shim" audit --log "$hostile" --values --format html "$evil" 2>/dev/null
[ "$(grep -o -i '</script' "$evil" | wc -l)" -eq 2 ] ||
    fail "hostile text ended a script element or added one"
if grep -n -i '<img' "$evil"; then fail "hostile text added an element"; fi
chromium_run "file://$evil" --dump-dom
grep -q '<title>scm-shim audit</title>' "$work/stdout" || fail "hostile text ran as script"
grep -q '<form id="filters">' "$work/stdout" || fail "hostile text broke the filters' JSON"

shot=$out/audit-page.png
rm -f "$shot"
chromium_run "file://$page" "--screenshot=$shot" --window-size=1280,2000
[ -s "$shot" ] || fail "no screenshot written"
[ "$(head -c 4 "$shot" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "$shot is no PNG"
echo "screenshot: $shot ($(wc -c <"$shot") bytes)"
echo "ok: $fields field rows, filters, escaping"
