#!/bin/sh
# bench/run.sh [--node] [BUILD_DIR]: builds a Release tree (default ${SCM_BUILD_DIR:-build}/bench;
# an existing BUILD_DIR is built as configured), runs the benchmarks of issue 13 (bench/RESULTS.md)
# against scm-emulator on 127.0.0.1, prints a table of results and targets, and exits 1 when a
# target is missed, 2 when a benchmark cannot run. Each ratio is measured in one run, against one
# emulator. --node also installs the official Node SDK core from npm into a temporary directory
# and measures it; never by default.
set -eu
cd "$(dirname "$0")/.."
node=0
if [ "${1:-}" = --node ]; then
    node=1
    shift
fi
tools/deps.sh
build=${1:-${SCM_BUILD_DIR:-build}/bench}
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSCM_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target bench_convert bench_shim bench_memory \
    bench_bare_token bench_bare_sign scm-emulator scm-shim >/dev/null
bin=$build/bench
emu=$build/tools/emulator/scm-emulator
shim=$build/tools/scm-shim/scm-shim
certs=tests/data/certs
cert=scs7788354407554

# The emulator's test credentials (tests/support/emu.h).
project=0a1b2c3d4e5f60718293a4b5c6d7e8f9
ak=HPUAEXAMPLEAKID00001
sk=exampleSecretKey0123456789abcdefEXAMPLE
token="emu-test-token-0001"
# The library's own settings come from the benchmarks alone, not from the caller's shell.
for v in $(env | sed -n 's/^\(SCM_[A-Z0-9_]*\)=.*/\1/p'); do
    unset "$v"
done
SCM_PROJECT_ID=$project
export SCM_PROJECT_ID
tok="SCM_TOKEN=$token"
# The benchmark programs pass SCM_AK and SCM_SK in scm_config, as the sample legacy programs do;
# scm-shim takes the SDKs' variables.
aksk="SCM_AK=$ak SCM_SK=$sk HUAWEICLOUD_SDK_AK=$ak HUAWEICLOUD_SDK_SK=$sk"

work=$(mktemp -d)
emu_pid=""
cleanup() {
    if [ -n "$emu_pid" ]; then
        kill "$emu_pid" 2>/dev/null || true
        wait "$emu_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    echo "bench/run.sh: $*" >&2
    for f in "$work"/*.err; do
        [ -s "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
    done
    exit 2
}

# emu_start ARGS...: the emulator on $fix and a free port of 127.0.0.1, logging every request
# to $work/emu.log (emptied); sets and exports SCM_ENDPOINT.
emu_start() {
    rm -f "$work/port"
    : >"$work/emu.log"
    "$emu" --fixtures "$fix" --bind 127.0.0.1 --port 0 --port-file "$work/port" \
        --project-id "$project" --ak "$ak" --sk "$sk" --token "$token" --log "$work/emu.log" \
        "$@" >/dev/null 2>>"$work/emu.err" &
    emu_pid=$!
    i=0
    while [ ! -s "$work/port" ]; do
        kill -0 "$emu_pid" 2>/dev/null || fail "scm-emulator did not start"
        i=$((i + 1))
        [ "$i" -lt 200 ] || fail "scm-emulator did not write its port file"
        sleep 0.05
    done
    SCM_ENDPOINT="http://127.0.0.1:$(cat "$work/port")"
    export SCM_ENDPOINT
}

# emu_stop: stops the emulator; fails unless it answered every request of its log with 200.
emu_stop() {
    kill "$emu_pid"
    wait "$emu_pid" || fail "scm-emulator exited with status $?"
    emu_pid=""
    non200=$(grep -vc '"status":200,' "$work/emu.log" || true)
    [ "$non200" -eq 0 ] || fail "$non200 request(s) not answered 200 (see $work/emu.log)"
}

# val KEY LINE: the value of KEY in a key=value line.
val() {
    printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# le A B / ge A B: numeric comparisons of decimals.
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

missed=0
: >"$work/table"
# row NAME RESULT TARGET MET(yes|no|info)
row() {
    printf '%-40s %-44s %-10s %s\n' "$1" "$2" "$3" "$4" >>"$work/table"
    [ "$4" != no ] || missed=$((missed + 1))
}
verdict() { if "$@"; then echo yes; else echo no; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# thousands N: N with thousands separators.
thousands() { printf '%s' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

echo "== scmshim benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), build $build" \
    "($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")), commit" \
    "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
# CPUs' worth of work other processes do during one second: callgrind's counts do not care,
# the wall-clock and CPU-time results (4 and 6) move with it.
busy=$( (head -1 /proc/stat; sleep 1; head -1 /proc/stat) | awk -v n="$(nproc)" '
    { t = 0; for (i = 2; i <= 9; i++) t += $i; idle = $5 + $6 }
    NR == 1 { t0 = t; i0 = idle }
    NR == 2 { printf "%.2f", (1 - (idle - i0) / (t - t0)) * n }')
echo "   $(nproc) CPUs: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);" \
    "$busy CPUs busy with other work before the run"

# ---- fixtures, made at run time from tests/data/certs ----
# 13 copies of each bundled pair, IDs <id>-<k>, with their id / cert_id members rewritten: 208
# certificates; the per-call benchmarks use the 64 of copies 0-3, the fleet audit all 208
# (13 rounds of 16, so the speed-up is not cut by a last, partial round).
fix=$work/fix
mkdir "$fix"
copies=13
for src in "$certs"/*/; do
    orig=$(basename "$src")
    (cd "$fix" && seq -f "$orig-%g" 0 $((copies - 1)) | xargs mkdir)
    for f in v3.json legacy.json; do
        [ -f "$src$f" ] || continue
        awk -v orig="$orig" -v dir="$fix" -v f="$f" -v copies="$copies" '
            { line[NR] = $0 }
            END {
                for (k = 0; k < copies; k++) {
                    id = orig "-" k
                    out = dir "/" id "/" f
                    for (i = 1; i <= NR; i++) {
                        s = line[i]
                        if (s ~ /"(cert_)?id": *"/)
                            sub(orig, id, s)
                        print s > out
                    }
                    close(out)
                }
            }' "$src$f"
    done
done
ids64=$(cd "$fix" && for d in *-[0-3]; do echo "$d"; done)
[ "$(echo "$ids64" | wc -l)" -eq 64 ] || fail "expected 64 per-call fixture IDs"
(cd "$fix" && for d in *-*; do echo "$d"; done) >"$work/fleet_ids"
[ "$(wc -l <"$work/fleet_ids")" -eq 208 ] || fail "expected 208 fleet fixture IDs"
# wide<K>: $cert's v3 body, its id wide<K>, with K unknown top-level members before its own.
for k in 1000 3000; do
    mkdir "$fix/wide$k"
    awk -v k="$k" -v orig="$cert" '
        /"id": *"/ { sub(orig, "wide" k) }
        !done && sub(/^[[:space:]]*\{/, "") {
            printf "{"
            for (i = 0; i < k; i++)
                printf "\"x_unknown_member_%05d\":\"value %05d of the padding\",", i, i
            done = 1
        }
        { print }' "$certs/$cert/v3.json" >"$fix/wide$k/v3.json"
    grep -q '"x_unknown_member_00000"' "$fix/wide$k/v3.json" || fail "cannot make wide$k"
done

# ---- instructions per call: callgrind on the client process only ----
# ir_total N ENV PROG ARGS...: the instructions of one whole client run under callgrind, the
# argument CALLS replaced by N; ENV is a list of NAME=VALUE words for the client.
ir_total() {
    n=$1 e=$2
    shift 2
    for a; do
        shift
        [ "$a" = CALLS ] && a=$n
        set -- "$@" "$a"
    done
    # shellcheck disable=SC2086
    env $e valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" \
        >"$work/cg.stdout" 2>"$work/cg.err" || fail "$* failed under callgrind"
    awk '/^totals:/ { print $2 }' "$work/cg.out"
}
# ir_call N ENV PROG ARGS...: steady-state instructions per call, (run(2N) - run(N)) / N:
# start-up, the check of every ID and first-call costs cancel.
ir_call() {
    n=$1
    shift
    a=$(ir_total "$n" "$@")
    b=$(ir_total $((2 * n)) "$@")
    echo $(((b - a) / n))
}
n=128
# shellcheck disable=SC2086
set -- $ids64
emu_start
echo "== 1. instructions per call (callgrind, client process only, (run of $((2 * n)) - run of $n) / $n," \
    "64 IDs, one emulator)"
shim_tok=$(ir_call $n "$tok" "$bin/bench_shim" struct CALLS "$@")
bare_tok=$(ir_call $n "$tok" "$bin/bench_bare_token" CALLS "$@")
shim_sig=$(ir_call $n "$aksk" "$bin/bench_shim" struct CALLS "$@")
bare_sig=$(ir_call $n "$aksk" "$bin/bench_bare_sign" CALLS "$@")
shim_tok_j=$(ir_call $n "$tok" "$bin/bench_shim" json CALLS "$@")
bare_tok_j=$(ir_call $n "$tok" "$bin/bench_bare_token" --json CALLS "$@")
shim_sig_j=$(ir_call $n "$aksk" "$bin/bench_shim" json CALLS "$@")
bare_sig_j=$(ir_call $n "$aksk" "$bin/bench_bare_sign" --json CALLS "$@")
printf '   %-28s %12s %12s %8s\n' "" "shim Ir" "bare Ir" "ratio"
# pair LABEL SHIM BARE TARGET: prints and records one shim/bare ratio.
pair() {
    r=$(ratio "$2" "$3")
    printf '   %-28s %12s %12s %8s\n' "$1" "$2" "$3" "${r}x"
    row "1 Ir per call, $1" "$(thousands "$2") / $(thousands "$3") = ${r}x" "<= ${4}x" \
        "$(verdict le "$r" "$4")"
}
pair "struct, token" "$shim_tok" "$bare_tok" 1.25
pair "struct, AK/SK" "$shim_sig" "$bare_sig" 1.10
pair "JSON, token" "$shim_tok_j" "$bare_tok_j" 1.15
pair "JSON, AK/SK" "$shim_sig_j" "$bare_sig_j" 1.15

# ---- 2. linearity in the unknown v3 members ----
echo "== 2. linearity ($cert's v3 body with 1,000 and 3,000 unknown top-level members, struct, AK/SK)"
w1=$(ir_call 1 "$aksk" "$bin/bench_shim" struct CALLS wide1000)
w3=$(ir_call 1 "$aksk" "$bin/bench_shim" struct CALLS wide3000)
bw1=$(ir_call 1 "$aksk" "$bin/bench_bare_sign" CALLS wide1000)
bw3=$(ir_call 1 "$aksk" "$bin/bench_bare_sign" CALLS wide3000)
r=$(ratio "$w3" "$w1")
echo "   shim: $w1 Ir (1,000, $(wc -c <"$fix/wide1000/v3.json") bytes), $w3 Ir (3,000," \
    "$(wc -c <"$fix/wide3000/v3.json") bytes): ${r}x; bare signing client $bw1 -> $bw3 Ir:" \
    "$(ratio "$bw3" "$bw1")x"
row "2 unknown members 1,000 -> 3,000" "$(thousands "$w3") / $(thousands "$w1") = ${r}x" \
    "<= 3.3x" "$(verdict le "$r" 3.3)"

# ---- 3. shadow mode ----
# With an audit log: shadow mode exists to write it, and without one a call compares nothing.
echo "== 3. shadowed call vs the two single-backend calls (struct, AK/SK, with an audit log)"
v3=$(ir_call $n "$aksk" "$bin/bench_shim" struct CALLS "$@")
legacy=$(ir_call $n "$aksk SCM_SHIM_BACKEND=legacy" "$bin/bench_shim" struct CALLS "$@")
shadow=$(ir_call $n "$aksk SCM_SHIM_SHADOW=1 SCM_SHIM_AUDIT_LOG=$work/shadow-audit.log" \
    "$bin/bench_shim" struct CALLS "$@")
[ -s "$work/shadow-audit.log" ] || fail "the shadowed calls wrote no audit line"
r=$(ratio "$shadow" $((v3 + legacy)))
echo "   v3 $v3 Ir, legacy $legacy Ir, shadowed $shadow Ir per call"
row "3 shadowed vs v3 + legacy" "$(thousands "$shadow") / $(thousands $((v3 + legacy))) = ${r}x" \
    "<= 1.05x" "$(verdict le "$r" 1.05)"

# ---- conversion alone (info): where a call's instructions go, for whoever optimises ----
conv() {
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" --toggle-collect="$2" \
        "$bin/bench_convert" "$1" 500 "$certs/$cert/v3.json" >/dev/null 2>"$work/cg.err" ||
        fail "bench_convert $1 failed"
    awk '/^totals:/ { printf "%.0f", $2 / 500 }' "$work/cg.out"
}
conv_shim=$(conv shim bench_shim_loop)
conv_floor=$(conv floor bench_floor_loop)
echo "   (info) scm_shim_convert $conv_shim Ir vs the cJSON floor $conv_floor Ir per conversion"
row "1 conversion alone vs cJSON floor (info)" \
    "$(thousands "$conv_shim") / $(thousands "$conv_floor") = $(ratio "$conv_shim" "$conv_floor")x" "" info

# ---- 5. memory: 100,000 calls in one process; a shorter run under valgrind memcheck ----
echo "== 5. memory (100,000 JSON calls in one process, AK/SK, 64 IDs; 2,000 under valgrind memcheck)"
# shellcheck disable=SC2086
line=$(env $aksk "$bin/bench_memory" 100000 1000 "$@" 2>"$work/memory.err") ||
    fail "bench_memory failed"
echo "   VmHWM after 1,000 calls $(val hwm_kib_at "$line") KiB, after 100,000" \
    "$(val hwm_kib_end "$line") KiB; VmRSS $(val rss_kib_at "$line") -> $(val rss_kib_end "$line") KiB"
growth=$(val growth_kib "$line")
row "5 peak RSS growth, 1,000 -> 100,000 calls" "$growth KiB" "< 256 KiB" \
    "$(verdict [ "$growth" -lt 256 ])"
# shellcheck disable=SC2086
env $aksk valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
    "$bin/bench_memory" 2000 1000 "$@" >/dev/null 2>"$work/memcheck.err" &&
    memcheck=0 || memcheck=$?
[ "$memcheck" -eq 0 ] || [ "$memcheck" -eq 99 ] || fail "bench_memory under valgrind failed"
lost() {
    l=$(sed -n "s/.*$1 lost: \([0-9,]*\) bytes.*/\1/p" "$work/memcheck.err" | tr -d , | tail -1)
    echo "${l:-0}"
}
errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$work/memcheck.err" | tr -d , | tail -1)
leaks="$errors errors; lost $(lost definitely)/$(lost indirectly)/$(lost possibly) B"
echo "   valgrind memcheck, 2,000 calls: $errors errors; lost bytes: definitely $(lost definitely)," \
    "indirectly $(lost indirectly), possibly $(lost possibly)"
row "5 valgrind memcheck, 2,000 calls" "$leaks" "all 0" "$(verdict [ "$memcheck" -eq 0 ])"

# ---- 6. the official Node SDK core (--node only) ----
if [ "$node" -eq 1 ]; then
    echo "== 6. official Node SDK core vs the shim: CPU per signed GET (2,000 calls each, 64 IDs)"
    if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
        fail "--node needs node and npm"
    fi
    # uuid: the core requires it without declaring it.
    npm install --prefix "$work/node" --no-audit --no-fund --no-save \
        @huaweicloud/huaweicloud-sdk-core uuid >"$work/npm.err" 2>&1 || fail "npm install failed"
    sdk_version=$(sed -n 's/^ *"version": *"\(.*\)".*/\1/p' \
        "$work/node/node_modules/@huaweicloud/huaweicloud-sdk-core/package.json" | head -1)
    # shellcheck disable=SC2086
    line_n=$(env $aksk node bench/node_sdk.js "$work/node" 2000 "$@" 2>"$work/node.err") ||
        fail "the Node SDK benchmark failed"
    # shellcheck disable=SC2086
    line_s=$(env $aksk "$bin/bench_shim" json 2000 "$@" 2>"$work/shim.err") ||
        fail "bench_shim failed"
    cn=$(val cpu_us_per_call "$line_n") cs=$(val cpu_us_per_call "$line_s")
    r=$(awk -v a="$cn" -v b="$cs" 'BEGIN { printf "%.1f", a / b }')
    echo "   huaweicloud-sdk-core $sdk_version: $cn us CPU per call (max RSS" \
        "$(val maxrss_kib "$line_n") KiB); shim (JSON API): $cs us"
    row "6 Node SDK core CPU per call / shim's" "$cn / $cs us = ${r}x" "(>= 15x)" info
fi
emu_stop

# ---- 4. fleet audit: 208 certificates (13 rounds of 16), 20 ms latency, concurrency 1 vs 16 ----
echo "== 4. fleet audit (scm-shim audit, 208 certificates, AK/SK, emulator --latency-ms 20)"
emu_start --latency-ms 20
# audit_run N: wall seconds of one audit at concurrency N; checks every certificate was compared.
audit_run() {
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    env $aksk "$shim" audit --ids "$work/fleet_ids" --concurrency "$1" --format csv \
        >"$work/audit$1.csv" 2>"$work/audit.err" || fail "scm-shim audit --concurrency $1 failed"
    t1=$(date +%s.%N)
    # The csv's per-field rows: field,match,captured,expected,mismatch,error,examples.
    compared=$(awk -F, '$1 == "cert_id" && $2 ~ /^[0-9]+$/ { print $2 + $3 + $4 + $5 }' \
        "$work/audit$1.csv")
    [ "$compared" = 208 ] || fail "audit --concurrency $1 compared $compared certificates, not 208"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
fleet16=$(audit_run 16)
fleet1=$(audit_run 1)
emu_stop
speedup=$(awk -v a="$fleet1" -v b="$fleet16" 'BEGIN { printf "%.1f", a / b }')
echo "   concurrency 1: $fleet1 s, concurrency 16: $fleet16 s, speed-up ${speedup}x"
row "4 fleet audit speed-up, 16 vs 1" "$fleet1 s / $fleet16 s = ${speedup}x" ">= 14x" \
    "$(verdict ge "$speedup" 14)"

echo
printf '%-40s %-44s %-10s %s\n' "benchmark" "result" "target" "met"
sort -s -n -k1,1 "$work/table"
if [ "$missed" -gt 0 ]; then
    echo "$missed target(s) missed"
    exit 1
fi
echo "every target met"
