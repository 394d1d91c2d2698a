#!/bin/sh
# cpack -G DEB builds the three packages; each holds exactly its files and says its name,
# version and dependencies; unpacked into a temporary root (never installed), the -dev package
# builds a legacy sample program through scmshim.pc, which then runs on the unpacked library
# against the emulator, and the unpacked scm-shim runs on that library too.
#   check_packages.sh BUILD TESTS_DIR CC EMULATOR FIXTURES LIBDIR VERSION SOVERSION
set -u
build=$1 tests=$2 cc=$3 emulator=$4 fixtures=$5 libdir=$6 version=$7 soversion=$8
work=$(mktemp -d)
emu_pid=
trap '[ -z "$emu_pid" ] || { kill $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null; }; rm -rf "$work"' \
    EXIT INT TERM
failed=0 passed=0
fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}
lib=libscmclient$soversion
usrlib=./usr/$libdir

cpack -G DEB -B "$work/pkgs" --config "$build/CPackConfig.cmake" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; echo "0 passed, 1 failed"; exit 1; }

# The expected files of each package, symbolic links with their targets.
cat >"$work/$lib.want" <<EOF
$usrlib/libscmclient.so.$soversion -> libscmclient.so.$version
$usrlib/libscmclient.so.$version
./usr/share/doc/$lib/copyright
EOF
cat >"$work/libscmclient-dev.want" <<EOF
./usr/include/scm_client.h
./usr/include/scm_shim.h
$usrlib/cmake/scmshim/scmshimConfig.cmake
$usrlib/cmake/scmshim/scmshimConfigVersion.cmake
$usrlib/cmake/scmshim/scmshimTargets-CONFIG.cmake
$usrlib/cmake/scmshim/scmshimTargets.cmake
$usrlib/libscmclient.so -> libscmclient.so.$soversion
$usrlib/pkgconfig/scmshim.pc
./usr/share/doc/libscmclient-dev/copyright
./usr/share/man/man3/libscmclient.3.gz
EOF
{
    echo ./usr/bin/scm-shim
    echo ./usr/share/bash-completion/completions/scm-shim
    echo ./usr/share/doc/scm-shim/copyright
    echo ./usr/share/man/man1/scm-shim.1.gz
} >"$work/scm-shim.want"

exact="$lib (= $version)"
for pkg in $lib libscmclient-dev scm-shim; do
    deb=$(ls "$work/pkgs/${pkg}_${version}_"*.deb 2>/dev/null)
    [ -f "$deb" ] || { fail "$pkg: no ${pkg}_${version}_*.deb"; continue; }
    dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' |
        sed 's/scmshimTargets-[a-z]*\.cmake/scmshimTargets-CONFIG.cmake/' | sort >"$work/$pkg.got"
    sort "$work/$pkg.want" | diff -u - "$work/$pkg.got" >"$work/$pkg.diff" ||
        { fail "$pkg: files (- expected, + packaged)"; cat "$work/$pkg.diff"; }
    [ "$(dpkg-deb -f "$deb" Package)" = "$pkg" ] || fail "$pkg: Package is $(dpkg-deb -f "$deb" Package)"
    [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "$pkg: Version $(dpkg-deb -f "$deb" Version)"
    for field in Maintainer Section Description; do
        [ -n "$(dpkg-deb -f "$deb" $field)" ] || fail "$pkg: no $field"
    done
    depends=$(dpkg-deb -f "$deb" Depends)
    case $pkg in
        "$lib") want="libc6 libcjson1 libcurl4 libsqlite3-0 libssl3" ;;
        libscmclient-dev) want="$exact" ;;
        scm-shim) want="$exact libc6 libcjson1" ;;
    esac
    # Each dependency a package of its own, with its version constraint where one is expected.
    got=$(echo "$depends" | tr ',' '\n' | sed 's/^ *//' |
        awk -v exact="$exact" '$0 == exact { print; next } { print $1 }' | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$want" ] || fail "$pkg: Depends: $depends (want $want)"
    dpkg-deb -x "$deb" "$work/root" || fail "$pkg: dpkg-deb -x"
    passed=$((passed + 1))
done

# scmshim.pc names /usr; with the root as sysroot it builds the unchanged sample program, C89.
root="$work/root"
export PKG_CONFIG_LIBDIR="$root/usr/$libdir/pkgconfig"
prefix=$(pkg-config --variable=prefix scmshim)
[ "$prefix" = /usr ] || fail "scmshim.pc: prefix=$prefix, not /usr"
export PKG_CONFIG_SYSROOT_DIR="$root"
# shellcheck disable=SC2046
"$cc" -std=c89 -pedantic -o "$work/cert_report" "$tests/legacy-callers/cert_report.c" \
    $(pkg-config --cflags --libs scmshim) || fail "cert_report does not build from the -dev package"
export LD_LIBRARY_PATH="$root/usr/$libdir"
ldd "$work/cert_report" | grep -q "libscmclient.so.$soversion => $root/usr/$libdir/" ||
    fail "cert_report does not load the unpacked library: $(ldd "$work/cert_report" | grep scmclient)"

# The sample program's report-v3 case, against the emulator, on the unpacked library.
project=0a1b2c3d4e5f60718293a4b5c6d7e8f9 ak=HPUAEXAMPLEAKID00001 sk=exampleSecretKey0123456789abcdefEXAMPLE
"$emulator" --fixtures "$fixtures" --port 0 --port-file "$work/port" --project-id $project --ak $ak \
    --sk $sk --exit-with-parent >/dev/null 2>&1 &
emu_pid=$!
i=0
while [ ! -s "$work/port" ]; do
    i=$((i + 1))
    [ $i -le 100 ] || { fail "emulator did not start"; break; }
    sleep 0.1
done
case=$tests/callers/cases/report-v3
# shellcheck disable=SC2046
env -u SCM_SHIM_BACKEND -u SCM_SHIM_MAPPING -u SCM_SHIM_CAPTURE -u SCM_TOKEN -u HUAWEICLOUD_SDK_REGION \
    SCM_ENDPOINT="http://127.0.0.1:$(cat "$work/port")" SCM_PROJECT_ID=$project SCM_AK=$ak SCM_SK=$sk \
    "$work/cert_report" $(sed 's/^cert_report //' "$case/cmd") >"$work/report.out" 2>"$work/report.err"
status=$?
[ "$status" = "$(cat "$case/status")" ] || { fail "cert_report exit $status"; head -5 "$work/report.err"; }
diff "$case/expected" "$work/report.out" >"$work/report.diff" ||
    { fail "cert_report output (< expected, > got)"; head -20 "$work/report.diff"; }

# The unpacked command: its version three ways, and doctor finds the unpacked library.
shim="$root/usr/bin/scm-shim"
for arg in version --version -V; do
    out=$("$shim" $arg)
    [ "$out" = "scm-shim $version" ] || fail "scm-shim $arg says '$out'"
done
real=$(cd "$root/usr/$libdir" && pwd -P)
"$shim" doctor 2>/dev/null | grep -q "^ok    library  *$real/libscmclient.so.$soversion, version $version" ||
    fail "scm-shim doctor does not run on the unpacked library"

[ $failed -eq 0 ] && passed=$((passed + 1))
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
