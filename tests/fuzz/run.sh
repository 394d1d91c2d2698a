#!/bin/sh
# run.sh SECONDS [BUILD_DIR] - builds the libFuzzer harnesses (clang, ASan+UBSan) and runs
# each for SECONDS seconds on a temporary copy of its seed corpus, so the repository is
# never written to. Artifacts (crash-*, leak-*, timeout-*, oom-*) and logs go to a
# temporary folder, kept and printed when a harness fails. Exit status 1 when any failed.
set -eu

usage() {
    echo "usage: $0 SECONDS [BUILD_DIR]   (BUILD_DIR default: \${SCM_BUILD_DIR:-build}/fuzz)" >&2
    exit 2
}
case $# in 1 | 2) ;; *) usage ;; esac
seconds=$1
case $seconds in '' | *[!0-9]*) usage ;; esac
[ "$seconds" -gt 0 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${2:-$root/${SCM_BUILD_DIR:-build}/fuzz}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
harnesses="convert legacy mapping headers jsontree"

command -v clang >/dev/null || { echo "run.sh: clang (with libFuzzer) is needed" >&2; exit 2; }

echo "== fuzz: configuring and building in $build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSCM_WERROR=ON -DSCM_SANITIZE=ON -DSCM_FUZZ=ON >/dev/null
targets=
for h in $harnesses; do targets="$targets fuzz_$h"; done
# shellcheck disable=SC2086 # one word per target
cmake --build "$build" -j "$(nproc)" --target $targets >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/scmshim-fuzz.XXXXXX")
passed=0
failed=0
for h in $harnesses; do
    mkdir -p "$work/$h/corpus" "$work/$h/artifacts"
    cp -R "$here/corpus/$h/." "$work/$h/corpus/"
    log=$work/$h/fuzz.log
    echo "== fuzz_$h: $seconds s"
    rc=0
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
        "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict="$here/json.dict" -print_final_stats=1 -artifact_prefix="$work/$h/artifacts/" \
        "$work/$h/corpus" >"$log" 2>&1 || rc=$?
    # The last status line and the final counters: runs, coverage, corpus, speed.
    grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1 || true
    grep -E '^(Done [0-9]+ runs|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb))' "$log" || true
    if [ "$rc" -eq 0 ] && [ -z "$(ls -A "$work/$h/artifacts")" ]; then
        passed=$((passed + 1))
        echo "fuzz_$h: passed"
    else
        failed=$((failed + 1))
        tail -n 60 "$log"
        echo "fuzz_$h: FAILED (exit $rc); artifacts and log in $work/$h"
        ls -l "$work/$h/artifacts"
    fi
    rm -rf "$work/$h/corpus"
done

if [ "$failed" -eq 0 ]; then
    rm -rf "$work"
else
    echo "fuzz artifacts: $work"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
