#!/bin/sh
# Checks the formatting (tools/format.sh), then builds and runs every test: gcc build, clang
# with ASan+UBSan, the integration tests under valgrind memcheck, the thread test under
# ThreadSanitizer, and a short run of each fuzzer.
# Installs missing Debian packages first.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
jobs=$(nproc)
build=${SCM_BUILD_DIR:-build}

echo "== clang-format: every C file as .clang-format says"
tools/format.sh

echo "== gcc, -Wall -Wextra -Werror: all tests"
cmake -S . -B "$build/gcc" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCM_WERROR=ON >/dev/null
cmake --build "$build/gcc" -j "$jobs"
ctest --test-dir "$build/gcc" --output-on-failure -j "$jobs"

echo "== clang, AddressSanitizer + UndefinedBehaviorSanitizer: all tests"
cmake -S . -B "$build/asan" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DSCM_WERROR=ON \
    -DSCM_SANITIZE=ON >/dev/null
cmake --build "$build/asan" -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$build/asan" --output-on-failure -j "$jobs"

echo "== valgrind memcheck: integration tests"
cmake -S . -B "$build/valgrind" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DSCM_WERROR=ON \
    "-DSCM_TEST_WRAPPER=valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible" \
    >/dev/null
cmake --build "$build/valgrind" -j "$jobs"
ctest --test-dir "$build/valgrind" --output-on-failure -j "$jobs" -L integration --timeout 1200
echo "== clang, ThreadSanitizer: 16 threads with their own clients in shadow mode"
cmake -S . -B "$build/tsan" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DSCM_WERROR=ON \
    -DSCM_TSAN=ON >/dev/null
cmake --build "$build/tsan" -j "$jobs" --target test_threads scm-emulator
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    ctest --test-dir "$build/tsan" --output-on-failure -R '^integration\.threads$'

echo "== libFuzzer: 60 s for each harness (conversion, legacy parser, mapping loader, response headers)"
tests/fuzz/run.sh 60 "$build/fuzz"

echo "== all test runs passed"
