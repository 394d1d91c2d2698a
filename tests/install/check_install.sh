#!/bin/sh
# cmake --install puts the library, headers, pkg-config file and CMake package in place,
# and a consumer builds against them both ways.
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
# pkg-config
PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --exists scmshim
# shellcheck disable=SC2046
"$cc" -o "$work/pc" "$src/consumer/main.c" $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --define-prefix --cflags --libs scmshim) \
    ${SCM_EXTRA_LDFLAGS:-}
LD_LIBRARY_PATH="$libdir" "$work/pc"
echo "2 passed, 0 failed"
