#!/bin/sh
# Builds the Debian packages: libscmclient1 (the library), libscmclient-dev (headers, .so link,
# scmshim.pc, CMake package, libscmclient(3)) and scm-shim (the command, scm-shim(1)). Installs
# what is missing first (tools/deps.sh), then configures a Release build for /usr in
# build/package (SCM_BUILD_DIR moves build/) and runs `cpack -G DEB` (cmake/Packaging.cmake).
# The packages land in build/package/packages; nothing is installed on this machine.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
build=${SCM_BUILD_DIR:-build}/package
# No RPATH in a packaged binary: /usr/lib/<triplet> is on the loader's path.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_SKIP_INSTALL_RPATH=ON -DSCM_BUILD_TESTS=OFF -DSCM_BUILD_EMULATOR=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
rm -rf "$build/packages"
cpack -G DEB -B "$build/packages" --config "$build/CPackConfig.cmake" >"$build/cpack.log" 2>&1 ||
    { cat "$build/cpack.log"; exit 1; }
rm -rf "$build/packages/_CPack_Packages"
ls "$build"/packages/*.deb
