#!/bin/sh
# Secrets never appear in any output: runs every command, both backends, shadow mode with an
# audit log holding values, and the error paths, all at SCM_SHIM_LOG=debug with canary
# credentials, then greps everything written (stdout, stderr, audit and emulator logs).
#   check_secrets.sh EMULATOR FIXTURES CALLER_DIR SCM_SHIM
set -u
emulator=$1 fixtures=$2 callers=$3 shim=$4
ak=CANARYAK7f3e9d0a sk=CANARYSK5b1c-secret-9f token=CANARYTOKEN91adx sts=CANARYSTS44e2x
work=$(mktemp -d)
out="$work/out"
mkdir "$out"
trap 'kill $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null; rm -rf "$work"' EXIT INT TERM

"$emulator" --fixtures "$fixtures" --port 0 --port-file "$work/port" --log "$out/emulator.log" \
    --project-id p1 --ak $ak --sk $sk --token $token >"$out/emulator.stdout" 2>"$out/emulator.stderr" &
emu_pid=$!
while [ ! -s "$work/port" ]; do sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"

n=0
# run NAME ENV... -- PROGRAM ARGS...: every output of every run is kept for the grep.
run() {
    name=$1
    shift
    n=$((n + 1))
    env SCM_SHIM_LOG=debug SCM_ENDPOINT="$url" SCM_PROJECT_ID=p1 "$@" \
        <"$fixtures/../fleet-ids.txt" >"$out/$n-$name.stdout" 2>"$out/$n-$name.stderr"
}
# The three sources of keys: a program's own (the sample programs read SCM_AK and SCM_SK), the
# SDKs' variables, with a security token that then travels too, and the SDKs' credentials file.
aksk="SCM_AK=$ak SCM_SK=$sk HUAWEICLOUD_SDK_SECURITY_TOKEN=$sts"
sdk="HUAWEICLOUD_SDK_AK=$ak HUAWEICLOUD_SDK_SK=$sk HUAWEICLOUD_SDK_SECURITY_TOKEN=$sts"
printf '[basic]\nak = %s\nsk = %s\nsecurity_token = %s\n[global]\nak = %s\nsk = %s\nsecurity_token = %s\n' \
    $ak $sk $sts $ak $sk $sts >"$work/credentials"
file="HUAWEICLOUD_SDK_CREDENTIALS_FILE=$work/credentials"
shadow="SCM_SHIM_SHADOW=1 SCM_SHIM_AUDIT_VALUES=1 SCM_SHIM_AUDIT_LOG=$out/audit.log"
id=scs7788354407554
for backend in v3 legacy; do
    for auth in "$aksk" "$sdk" "$file" "SCM_TOKEN=$token"; do
        # shellcheck disable=SC2086
        {
            run report SCM_SHIM_BACKEND=$backend $auth $shadow "$callers/cert_report" $id scs0000000000000
            run json SCM_SHIM_BACKEND=$backend $auth $shadow SCM_SHIM_ANNOTATE=1 "$callers/cert_json" $id
            run bulk SCM_SHIM_BACKEND=$backend $auth $shadow "$callers/bulk_status"
            run get SCM_SHIM_BACKEND=$backend $auth "$shim" get --annotate $id
            run audit $auth "$shim" audit --values --format json --ids -
            run doctor SCM_SHIM_BACKEND=$backend $auth "$shim" doctor
        }
    done
done
# Failures: a wrong secret (401), no service (network), an unusable configuration.
run wrong-sk SCM_AK=$ak SCM_SK=wrong-$sk "$callers/cert_report" $id
run wrong-token SCM_TOKEN=wrong-$token "$callers/cert_report" $id
run no-service SCM_AK=$ak SCM_SK=$sk SCM_ENDPOINT=http://127.0.0.1:1 "$callers/cert_report" $id
run bad-config SCM_AK=$ak SCM_SK=$sk SCM_SHIM_BACKEND=bogus "$callers/cert_report" $id
run bad-header SCM_TOKEN="$token
X" "$callers/cert_report" $id
run doctor-bad HUAWEICLOUD_SDK_AK=$ak HUAWEICLOUD_SDK_SK=wrong-$sk "$shim" doctor
printf '[global]\nak = %s\n' $ak >"$work/half"
run doctor-half-file HUAWEICLOUD_SDK_CREDENTIALS_FILE="$work/half" "$shim" doctor
run convert $sdk "$shim" convert "$fixtures/$id/v3.json"
run diff $sdk "$shim" diff --values "$fixtures/$id/legacy.json" "$fixtures/$id/v3.json"
run audit-log "$shim" audit --log "$out/audit.log" --values

kill $emu_pid
wait $emu_pid 2>/dev/null
[ -s "$out/audit.log" ] || { echo "no audit log was written"; echo "0 passed, 1 failed"; exit 1; }
grep -q "ok-aksk" "$out/emulator.log" && grep -q "ok-token" "$out/emulator.log" ||
    { echo "the runs did not authenticate both ways"; echo "0 passed, 1 failed"; exit 1; }
# The token went out with the keys it belongs to (the emulator logs each request's headers' names).
grep -q -i "x-security-token" "$out/emulator.log" ||
    { echo "no request carried a security token"; echo "0 passed, 1 failed"; exit 1; }
grep -q "scmshim: debug:" "$out"/*.stderr || { echo "no debug output was produced"; exit 1; }
leaks=$(grep -l -e $ak -e $sk -e $token -e $sts "$out"/* 2>/dev/null)
if [ -n "$leaks" ]; then
    echo "secrets found in:"
    for f in $leaks; do
        echo "  $(basename "$f"): $(grep -o -e $ak -e $sk -e $token -e $sts "$f" | sort -u | tr '\n' ' ')"
    done
    echo "0 passed, 1 failed"
    exit 1
fi
echo "$n runs, $(cat "$out"/* | wc -c) bytes of output, no secret in any"
echo "1 passed, 0 failed"
