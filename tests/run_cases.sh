#!/bin/sh
# Runs programs against scm-emulator, one folder per case: the legacy sample programs,
# unchanged, and the scm-shim command.
#   run_cases.sh EMULATOR FIXTURES BIN_DIRS CASES_DIR     (BIN_DIRS: dirs separated by ':')
# A case folder holds: cmd (program and arguments), expected (stdout), status (exit code),
# api (v2, v3 or none: which API every request of the run must have hit, from the emulator's
# log), and optionally stdin, stderr (exact expected stderr) and env (VAR=value lines; VAR=
# unsets). @EMU@ (in env and cmd) is the emulator URL, @CERTS@ (in cmd) the fixtures folder.
# $SCM_TEST_WRAPPER, when set, prefixes each program (valgrind). SCM_CASES_UPDATE=1 records
# each run's stdout, status, api (and stderr, where the case checks it) as its expectation.
# A v3 field class that is the mapping table's own is written @class@ in expected files
# (stdout is compared with such classes replaced), so that a class changed in mapping.json
# changes no case; a class the run gives otherwise (captured, another table) stays written out.
set -u
emulator=$1 fixtures=$2 bindirs=$3 cases=$4
work=$(mktemp -d)
trap 'kill $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null; rm -rf "$work"' EXIT INT TERM

project=0a1b2c3d4e5f60718293a4b5c6d7e8f9 ak=HPUAEXAMPLEAKID00001
sk=exampleSecretKey0123456789abcdefEXAMPLE token=callers-test-token
"$emulator" --fixtures "$fixtures" --port 0 --port-file "$work/port" --log "$work/requests.log" \
    --project-id $project --ak $ak --sk $sk --token $token >/dev/null &
emu_pid=$!
i=0
while [ ! -s "$work/port" ]; do
    i=$((i + 1))
    [ $i -le 100 ] || { echo "emulator did not start"; exit 1; }
    sleep 0.1
done
port=$(cat "$work/port")

# "field<TAB>class" for each row of the built-in table, from scm-shim when it is one of the
# programs (the sample programs print no classes).
: >"$work/classes"
for dir in $(echo "$bindirs" | tr ':' ' '); do
    if [ -x "$dir/scm-shim" ]; then
        env -u SCM_SHIM_MAPPING "$dir/scm-shim" mapping --format json | awk -F '"' '
            /^ *"legacy": "/ { name = $4 }
            /^ *"class": "/ { print name "\t" $4 }' >"$work/classes"
        break
    fi
done

# Rewrites file's lines "name": "class" inside the "fields" object of a report (not the legacy backend's) to
# "name": "@class@" where class is the table's class for name (a legacy report says exact).
table_classes_out() {
    awk -F '\t' '
        FILENAME == ARGV[1] { cls[$1] = $2; next }
        /"backend": "/ { legacy = /"backend": "legacy"/ }
        !legacy && /"fields": \{$/ { infields = 1; print; next }
        infields && /^ *\},?$/ { infields = 0 }
        infields && match($0, /"[^"]+": "[^"]+"/) {
            split(substr($0, RSTART, RLENGTH), kv, "\"")
            if (kv[2] in cls && cls[kv[2]] == kv[4])
                sub(/: "[^"]+"/, ": \"@class@\"")
        }
        { print }' "$work/classes" "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

passed=0 failed=0
for case in "$cases"/*/; do
    name=$(basename "$case")
    before=$(wc -l <"$work/requests.log" 2>/dev/null || echo 0)
    (
        # The legacy callers read SCM_AK and SCM_SK themselves; scm-shim takes the SDKs' chain.
        export SCM_ENDPOINT="http://127.0.0.1:$port" SCM_PROJECT_ID=$project SCM_AK=$ak SCM_SK=$sk \
            HUAWEICLOUD_SDK_AK=$ak HUAWEICLOUD_SDK_SK=$sk
        unset SCM_TOKEN SCM_SHIM_BACKEND SCM_SHIM_ANNOTATE SCM_SHIM_MAPPING HUAWEICLOUD_SDK_REGION \
            HUAWEICLOUD_SDK_DOMAIN_ID
        if [ -f "$case/env" ]; then
            while IFS= read -r line; do
                case $line in
                    *=) unset "${line%=}" ;;
                    *=*) export "$(echo "$line" | sed "s#@EMU@#http://127.0.0.1:$port#")" ;;
                esac
            done < "$case/env"
        fi
        set -- $(sed "s#@CERTS@#$fixtures#g; s#@EMU@#http://127.0.0.1:$port#g" "$case/cmd")
        prog=$1
        shift
        for dir in $(echo "$bindirs" | tr ':' ' '); do
            [ -x "$dir/$prog" ] && prog="$dir/$prog" && break
        done
        input=/dev/null
        [ -f "$case/stdin" ] && input="$case/stdin"
        ${SCM_TEST_WRAPPER:-} "$prog" "$@" <"$input" >"$work/$name.out" 2>"$work/$name.err"
        echo $? >"$work/$name.status"
    )
    # The APIs the run hit, from the requests it added to the log: "v2", "v3", "v2 v3" or "none".
    hit=$(tail -n +$((before + 1)) "$work/requests.log" 2>/dev/null |
        sed -n 's/.*"api":"\([a-z0-9]*\)".*/\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//')
    [ -n "$hit" ] || hit=none
    echo "$hit" >"$work/$name.api"
    table_classes_out "$work/$name.out"
    if [ "${SCM_CASES_UPDATE:-}" = 1 ]; then
        # Records what ran as the expectation; review the diff before committing it.
        cp "$work/$name.out" "$case/expected"
        cp "$work/$name.status" "$case/status"
        cp "$work/$name.api" "$case/api"
        [ ! -f "$case/stderr" ] || cp "$work/$name.err" "$case/stderr"
    fi
    if cmp -s "$work/$name.out" "$case/expected" && cmp -s "$work/$name.status" "$case/status" &&
        cmp -s "$work/$name.api" "$case/api" &&
        { [ ! -f "$case/stderr" ] || cmp -s "$work/$name.err" "$case/stderr"; }; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: exit $(cat "$work/$name.status") (want $(cat "$case/status")), api $hit (want $(cat "$case/api"))"
        diff "$case/expected" "$work/$name.out" | head -20
        head -5 "$work/$name.err"
        [ ! -f "$case/stderr" ] || diff "$case/stderr" "$work/$name.err" | head -5
    fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
