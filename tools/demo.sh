#!/bin/sh
# The demo: starts the bundled SCM emulator on a free port with the bundled fixtures and
# runs the unchanged legacy sample programs through libscmclient.so.1.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
build=${SCM_BUILD_DIR:-build}/demo
echo "== building the library, the emulator and the sample programs in $build (about a minute the first time)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
echo "== built"

work=$(mktemp -d)
trap 'kill $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null; rm -rf "$work"' EXIT INT TERM
# The sample legacy programs read SCM_AK and SCM_SK themselves; scm-shim, like the official
# SDKs, takes HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or ~/.huaweicloud/credentials).
export SCM_PROJECT_ID=0a1b2c3d4e5f60718293a4b5c6d7e8f9 SCM_AK=HPUAEXAMPLEAKID00001 \
    SCM_SK=exampleSecretKey0123456789abcdefEXAMPLE
export HUAWEICLOUD_SDK_AK="$SCM_AK" HUAWEICLOUD_SDK_SK="$SCM_SK"
"$build/tools/emulator/scm-emulator" --fixtures tests/data/certs --port 0 --port-file "$work/port" \
    --log "$work/requests.log" --project-id "$SCM_PROJECT_ID" --ak "$SCM_AK" --sk "$SCM_SK" >/dev/null &
emu_pid=$!
while [ ! -s "$work/port" ]; do sleep 0.1; done
export SCM_ENDPOINT="http://127.0.0.1:$(cat "$work/port")"
bin="$build/tests/callers"

shim="$build/tools/scm-shim/scm-shim"
id=scs7788354407554

echo "== emulator at $SCM_ENDPOINT (fixtures: tests/data/certs)"
echo
echo "== cert_report $id, SCM_SHIM_BACKEND=legacy (GET /v2/{project_id}/scm/cert/{id})"
SCM_SHIM_BACKEND=legacy "$bin/cert_report" $id | tee "$work/legacy.txt"
echo
echo "== the same unchanged binary on the default v3 backend (GET /v3/scm/certificates/{id}): what differs"
"$bin/cert_report" $id >"$work/v3.txt"
diff "$work/legacy.txt" "$work/v3.txt" || true
echo
echo "== why: the field report of the v3 answer (scm-shim get --annotate), per field class"
"$shim" get --annotate $id | sed -n '/"_shim"/,$p' | head -40
echo
echo "== cert_json $id on v3: the legacy layout, MUILT_DOMAIN spelling included"
"$bin/cert_json" $id
echo
echo "== bulk_status on v3 over every bundled certificate and one unknown ID"
{ ls tests/data/certs; echo scs0000000000000; } | "$bin/bulk_status" 2>&1 || true
echo
echo "== requests the emulator saw, by API"
sed -n 's/.*"api":"\([a-z0-9]*\)".*/\1/p' "$work/requests.log" | sort | uniq -c
