#!/bin/sh
# bench/run.sh [BUILD_DIR]: builds a Release tree (default ${SCM_BUILD_DIR:-build}/bench; an
# existing BUILD_DIR is built as configured), runs the five benchmarks of bench/RESULTS.md
# against scm-emulator on 127.0.0.1, prints a table of results and targets, and exits 1 when
# a target is missed. Each benchmark measures its ratio in one run so machine noise cancels.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
build=${1:-${SCM_BUILD_DIR:-build}/bench}
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSCM_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target bench_convert bench_calls bench_shadow \
    bench_memory scm-emulator scm-shim >/dev/null
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

# Benchmark 2 pins client and emulator to different CPUs: a round trip then includes a real
# wake-up on another CPU, as with a remote service, and the kernel cannot move the two
# between "same CPU" (~30 us a GET) and "different CPUs" (~75 us) mid-run.
client_cpu=0
emu_cpu=$(($(nproc) > 1 ? 1 : 0))
all_cpus=0-$(($(nproc) - 1))

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

# emu_start FIXTURES CPUS ARGS...: the emulator on a free port of 127.0.0.1; sets endpoint.
emu_start() {
    fixtures=$1 cpus=$2
    shift 2
    rm -f "$work/port"
    taskset -c "$cpus" "$emu" --fixtures "$fixtures" --bind 127.0.0.1 --port 0 \
        --port-file "$work/port" --project-id "$project" "$@" >/dev/null 2>>"$work/emu.err" &
    emu_pid=$!
    i=0
    while [ ! -s "$work/port" ]; do
        kill -0 "$emu_pid" 2>/dev/null || fail "scm-emulator did not start"
        i=$((i + 1))
        [ "$i" -lt 200 ] || fail "scm-emulator did not write its port file"
        sleep 0.05
    done
    endpoint="http://127.0.0.1:$(cat "$work/port")"
}

emu_stop() {
    kill "$emu_pid"
    wait "$emu_pid" || fail "scm-emulator exited with status $?"
    emu_pid=""
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
    printf '%-36s %-44s %-14s %s\n' "$1" "$2" "$3" "$4" >>"$work/table"
    [ "$4" != no ] || missed=$((missed + 1))
}
verdict() { if "$@"; then echo yes; else echo no; fi; }

echo "== scmshim benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), build $build" \
    "($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt"))"
# CPUs' worth of work other processes do during one second: wall-clock results need ~0.
busy=$( (head -1 /proc/stat; sleep 1; head -1 /proc/stat) | awk -v n="$(nproc)" '
    { t = 0; for (i = 2; i <= 9; i++) t += $i; idle = $5 + $6 }
    NR == 1 { t0 = t; i0 = idle }
    NR == 2 { printf "%.2f", (1 - (idle - i0) / (t - t0)) * n }')
echo "   $(nproc) CPUs: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);" \
    "$busy CPUs busy with other work before the run"
if awk -v b="$busy" 'BEGIN { exit !(b > 0.3) }'; then
    echo "   warning: the machine is busy; the wall-clock results of 2 are then unreliable"
fi

# ---- 1. conversion: instructions per v3 body -> legacy body, shim vs cJSON floor ----
echo "== 1. conversion cost (callgrind, Ir per conversion of $certs/$cert/v3.json)"
iters=500
# ir MODE FUNCTION: instructions per iteration spent in FUNCTION (and its callees).
ir() {
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
        --toggle-collect="$2" "$bin/bench_convert" "$1" "$iters" "$certs/$cert/v3.json" \
        >/dev/null 2>"$work/callgrind.err" || fail "bench_convert $1 failed"
    awk -v n="$iters" '/^totals:/ { printf "%.0f", $2 / n }' "$work/callgrind.out"
}
conv_shim=$(ir shim bench_shim_loop)
conv_parts=$(ir parts bench_parts_loop)
conv_floor=$(ir floor bench_floor_loop)
conv_compact=$(ir floor-compact bench_floor_loop)
printf '   %-34s %10s    %-30s %10s\n' "shim stage" "Ir" "floor stage" "Ir"
for pair in parse:parse convert:build write:print free:free; do
    s=${pair%%:*}
    f=${pair##*:}
    ir_s=$(ir parts "bench_parts_$s")
    ir_f=$(ir floor "bench_floor_$f")
    printf '   %-34s %10s    %-30s %10s\n' "$s" "$ir_s" "$f" "$ir_f"
done
printf '   %-34s %10s    %-30s %10s\n' "parts total (internal calls)" "$conv_parts" \
    "floor total (cJSON_Print)" "$conv_floor"
printf '   %-34s %10s    %-30s %10s\n' "scm_shim_convert()" "$conv_shim" \
    "floor, cJSON_PrintUnformatted" "$conv_compact"
ratio=$(awk -v a="$conv_shim" -v b="$conv_floor" 'BEGIN { printf "%.2f", a / b }')
row "1 conversion, scm_shim_convert" "$conv_shim / $conv_floor Ir = ${ratio}x" "<= 1.30x" \
    "$(verdict le "$ratio" 1.30)"
row "1 conversion, internal stages (info)" "$conv_parts / $conv_floor Ir = $(awk -v a="$conv_parts" \
    -v b="$conv_floor" 'BEGIN { printf "%.2f", a / b }')x" "" info

# ---- 2. call overhead on loopback: frozen interface vs plain libcurl GETs ----
calls=2000
rounds=15
# calls_run LABEL CLIENT_CPU EMU_CPU EMU_AUTH_ARGS -- CLIENT_ENV...: one bench_calls run;
# checks from the emulator's log that each side used one TCP connection for every request.
calls_run() {
    label=$1 ccpu=$2 ecpu=$3
    shift 3
    emu_args=""
    while [ "$1" != -- ]; do
        emu_args="$emu_args $1"
        shift
    done
    shift
    rm -f "$work/calls.log"
    # shellcheck disable=SC2086
    emu_start "$certs" "$ecpu" --log "$work/calls.log" $emu_args
    line=$(env SCM_ENDPOINT="$endpoint" SCM_PROJECT_ID="$project" "$@" taskset -c "$ccpu" \
        "$bin/bench_calls" "$cert" "$calls" "$rounds" 2>"$work/calls.err") ||
        fail "bench_calls ($label) failed"
    emu_stop
    per_side=$(val total_per_side "$line")
    floor_port=$(val floor_port "$line")
    sed -n 's/.*"client_port":\([0-9]*\).*/\1/p' "$work/calls.log" | sort | uniq -c >"$work/ports"
    shim_conns=$(awk -v f="$floor_port" '$2 != f' "$work/ports" | wc -l)
    shim_reqs=$(awk -v f="$floor_port" '$2 != f { n += $1 } END { print n + 0 }' "$work/ports")
    floor_reqs=$(awk -v f="$floor_port" '$2 == f { print $1 }' "$work/ports")
    non200=$(grep -vc '"status":200,' "$work/calls.log" || true)
    echo "   $label: shim $(val shim_us "$line") us/call, plain GET $(val floor_us "$line") us/call" \
        "(medians of $rounds rounds of $calls), ratio $(val ratio "$line");" \
        "emulator log: shim $shim_reqs requests on $shim_conns connection(s)," \
        "GETs $floor_reqs on port $floor_port, $non200 not 200"
    sed 's/^/     /' "$work/calls.err"
    conns_ok=no
    if [ "$shim_conns" -eq 1 ] && [ "$shim_reqs" -eq "$per_side" ] &&
        [ "${floor_reqs:-0}" -eq "$per_side" ] && [ "$non200" -eq 0 ]; then
        conns_ok=yes
    fi
}
echo "== 2. call overhead on loopback ($calls sequential calls vs $calls plain GETs on one easy handle," \
    "client on CPU $client_cpu, emulator on CPU $emu_cpu)"
calls_run "AK/SK" "$client_cpu" "$emu_cpu" --ak "$ak" --sk "$sk" -- SCM_AK="$ak" SCM_SK="$sk"
r=$(val ratio "$line")
row "2 calls, AK/SK" "$(val shim_us "$line") / $(val floor_us "$line") us = ${r}x" "<= 1.15x" \
    "$(verdict le "$r" 1.15)"
row "2 calls, AK/SK: TCP connections" "$shim_conns for $shim_reqs calls" "1" "$conns_ok"
calls_run "no auth" "$client_cpu" "$emu_cpu" --no-auth -- SCM_TOKEN="$token"
r=$(val ratio "$line")
row "2 calls, --no-auth" "$(val shim_us "$line") / $(val floor_us "$line") us = ${r}x" "<= 1.15x" \
    "$(verdict le "$r" 1.15)"
row "2 calls, --no-auth: TCP connections" "$shim_conns for $shim_reqs calls" "1" "$conns_ok"
# The client's own instructions per call (callgrind; the emulator's are not counted): the
# noise-free view of where the difference comes from.
emu_start "$certs" "$all_cpus" --ak "$ak" --sk "$sk"
client_ir() {
    SCM_ENDPOINT="$endpoint" SCM_PROJECT_ID="$project" SCM_AK="$ak" SCM_SK="$sk" \
        valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --toggle-collect="$1" \
        "$bin/bench_calls" "$cert" 450 1 >/dev/null 2>"$work/callgrind.err" ||
        fail "bench_calls under callgrind failed"
    awk '/^totals:/ { printf "%.0f", $2 / 500 }' "$work/callgrind.out"
}
ir_shim=$(client_ir scm_query_cert_details_json)
ir_get=$(client_ir curl_easy_perform)
emu_stop
echo "   client instructions per call (callgrind, AK/SK, 500 calls): shim $ir_shim Ir, plain GET $ir_get Ir"
row "2 calls, client Ir per call (info)" "$ir_shim / $ir_get Ir = $(awk -v a="$ir_shim" \
    -v b="$ir_get" 'BEGIN { printf "%.2f", a / b }')x" "" info
calls_run "AK/SK, same CPU" "$client_cpu" "$client_cpu" --ak "$ak" --sk "$sk" -- \
    SCM_AK="$ak" SCM_SK="$sk"
row "2 calls, AK/SK, one CPU (info)" \
    "$(val shim_us "$line") / $(val floor_us "$line") us = $(val ratio "$line")x" "" info

# ---- 3. shadow latency: shadowed vs unshadowed calls, 50 ms on both APIs ----
echo "== 3. shadow latency (emulator --latency-ms 50, 40 calls each, interleaved)"
emu_start "$certs" "$all_cpus" --ak "$ak" --sk "$sk" --latency-ms 50
line=$(SCM_ENDPOINT="$endpoint" SCM_PROJECT_ID="$project" SCM_AK="$ak" SCM_SK="$sk" \
    SCM_SHIM_AUDIT_LOG="$work/audit.log" "$bin/bench_shadow" "$cert" 40 2>"$work/shadow.err") ||
    fail "bench_shadow failed"
emu_stop
audited=$(wc -l <"$work/audit.log")
echo "   shadowed $(val shadowed_ms "$line") ms, unshadowed $(val plain_ms "$line") ms (medians);" \
    "means $(val shadowed_mean_ms "$line") / $(val plain_mean_ms "$line") ms; slowest" \
    "$(val shadowed_max_ms "$line") / $(val plain_max_ms "$line") ms; $audited audit lines"
r=$(val ratio "$line")
row "3 shadow latency" "$(val shadowed_ms "$line") / $(val plain_ms "$line") ms = ${r}x" "<= 1.20x" \
    "$(verdict le "$r" 1.20)"
[ "$audited" -eq 41 ] || fail "expected 41 audit lines (40 calls and a warm-up), got $audited"

# ---- 4. fleet audit: 2,000 certificates, 20 ms latency, concurrency 1 vs 16 ----
echo "== 4. fleet audit (scm-shim audit, 2000 certificates, emulator --latency-ms 20)"
fleet=$work/fleet
mkdir "$fleet"
# 125 copies of each bundled pair, IDs <id>-<k>, with their id / cert_id members rewritten.
for src in "$certs"/*/; do
    orig=$(basename "$src")
    (cd "$fleet" && seq -f "$orig-%g" 0 124 | xargs mkdir)
    for f in v3.json legacy.json; do
        [ -f "$src$f" ] || continue
        awk -v orig="$orig" -v dir="$fleet" -v f="$f" '
            { line[NR] = $0 }
            END {
                for (k = 0; k < 125; k++) {
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
ls "$fleet" >"$work/ids"
[ "$(wc -l <"$work/ids")" -eq 2000 ] || fail "expected 2000 fixture folders"
emu_start "$fleet" "$all_cpus" --ak "$ak" --sk "$sk" --latency-ms 20
# audit_run N: wall seconds of one audit at concurrency N; checks every certificate was compared.
audit_run() {
    t0=$(date +%s.%N)
    SCM_ENDPOINT="$endpoint" SCM_PROJECT_ID="$project" SCM_AK="$ak" SCM_SK="$sk" \
        "$shim" audit --ids "$work/ids" --concurrency "$1" --format csv \
        >"$work/audit$1.csv" 2>"$work/audit.err" || fail "scm-shim audit --concurrency $1 failed"
    t1=$(date +%s.%N)
    # The csv's per-field rows: field,match,captured,expected,mismatch,error,examples.
    compared=$(awk -F, '$1 == "cert_id" && $2 ~ /^[0-9]+$/ { print $2 + $3 + $4 + $5 }' \
        "$work/audit$1.csv")
    [ "$compared" = 2000 ] || fail "audit --concurrency $1 compared $compared certificates, not 2000"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
fleet16=$(audit_run 16)
fleet1=$(audit_run 1)
emu_stop
speedup=$(awk -v a="$fleet1" -v b="$fleet16" 'BEGIN { printf "%.1f", a / b }')
echo "   concurrency 1: $fleet1 s, concurrency 16: $fleet16 s, speed-up ${speedup}x"
row "4 fleet audit, 2000 certs" "$fleet1 s / $fleet16 s = ${speedup}x" ">= 10x" \
    "$(verdict ge "$speedup" 10)"

# ---- 5. memory: 100,000 calls in one process; a shorter run under valgrind memcheck ----
echo "== 5. memory (100000 calls in one process, v3 backend, no latency; 2000 under valgrind)"
emu_start "$certs" "$all_cpus" --ak "$ak" --sk "$sk"
# shellcheck disable=SC2046
line=$(SCM_ENDPOINT="$endpoint" SCM_PROJECT_ID="$project" SCM_AK="$ak" SCM_SK="$sk" \
    "$bin/bench_memory" 100000 1000 $(ls "$certs") 2>"$work/memory.err") ||
    fail "bench_memory failed"
echo "   VmHWM after 1000 calls $(val hwm_kib_at "$line") KiB, after 100000" \
    "$(val hwm_kib_end "$line") KiB; VmRSS $(val rss_kib_at "$line") -> $(val rss_kib_end "$line") KiB"
growth=$(val growth_kib "$line")
row "5 memory, peak RSS growth" "$growth KiB (1000 -> 100000 calls)" "< 1024 KiB" \
    "$(verdict [ "$growth" -lt 1024 ])"
# shellcheck disable=SC2046
SCM_ENDPOINT="$endpoint" SCM_PROJECT_ID="$project" SCM_AK="$ak" SCM_SK="$sk" \
    valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
    "$bin/bench_memory" 2000 1000 $(ls "$certs") >/dev/null 2>"$work/memcheck.err" &&
    memcheck=0 || memcheck=$?
emu_stop
[ "$memcheck" -eq 0 ] || [ "$memcheck" -eq 99 ] || fail "bench_memory under valgrind failed"
lost() {
    n=$(sed -n "s/.*$1 lost: \([0-9,]*\) bytes.*/\1/p" "$work/memcheck.err" | tr -d , | tail -1)
    echo "${n:-0}"
}
leaks="definitely $(lost definitely), indirectly $(lost indirectly), possibly $(lost possibly)"
echo "   valgrind memcheck, 2000 calls: $(grep -E 'ERROR SUMMARY' "$work/memcheck.err" | sed 's/^==[0-9]*== //')"
echo "   lost bytes: $leaks"
row "5 memory, valgrind leaks (bytes)" "$leaks" "all 0" "$(verdict [ "$memcheck" -eq 0 ])"

echo
printf '%-36s %-44s %-14s %s\n' "benchmark" "result" "target" "met"
cat "$work/table"
if [ "$missed" -gt 0 ]; then
    echo "$missed target(s) missed"
    exit 1
fi
echo "every target met"
