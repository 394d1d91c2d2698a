#!/bin/sh
# cmake --install puts the library, headers, pkg-config file and CMake package in place,
# and a consumer builds against them both ways; the installed scm-shim runs on the installed library.
set -eu
build=$1 src=$2 cc=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
lib=$(find "$work/prefix" -name 'libscmclient.so.1' | head -1)
[ -n "$lib" ] || { echo "libscmclient.so.1 not installed"; exit 1; }
libdir=$(dirname "$lib")
for f in include/scm_client.h include/scm_shim.h; do
    [ -f "$work/prefix/$f" ] || { echo "$f not installed"; exit 1; }
done
# find_package(scmshim)
cmake -S "$src/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_C_COMPILER="$cc" >/dev/null
cmake --build "$work/consumer" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer"
# pkg-config, as written: scmshim.pc names the prefix the install was made to
export PKG_CONFIG_PATH="$libdir/pkgconfig"
prefix=$(pkg-config --variable=prefix scmshim)
[ "$prefix" = "$work/prefix" ] || { echo "scmshim.pc: prefix=$prefix, installed to $work/prefix"; exit 1; }
# shellcheck disable=SC2046,SC2086
"$cc" -o "$work/pc" "$src/consumer/main.c" $(pkg-config --cflags --libs scmshim) ${SCM_EXTRA_LDFLAGS:-}
LD_LIBRARY_PATH="$libdir" "$work/pc"
# the installed scm-shim runs on the installed library, and doctor says so (exit 2: no configuration)
status=0
out=$(env -u LD_LIBRARY_PATH "$work/prefix/bin/scm-shim" doctor 2>/dev/null) || status=$?
real=$(cd "$libdir" && pwd -P)
echo "$out" | grep -q "^ok    library  *$real/libscmclient.so.1, version " ||
    { echo "doctor did not diagnose the installed library (status $status):"; echo "$out"; exit 1; }
echo "$out" | grep -q "^ok    frozen symbols" || { echo "$out"; exit 1; }
echo "3 passed, 0 failed"
