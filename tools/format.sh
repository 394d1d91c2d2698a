#!/bin/sh
# Checks that every C file we own matches .clang-format (exit 1 naming those that do not);
# with --fix, rewrites them. The frozen header and the copied legacy callers are not ours to change.
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' | grep -v -e '^include/scm_client\.h$' -e '^tests/abi/frozen/' \
    -e '^tests/legacy-callers/')
if [ "${1:-}" = "--fix" ]; then
    # shellcheck disable=SC2086
    clang-format -i $files
    exit 0
fi
bad=0
for f in $files; do
    if ! clang-format "$f" | cmp -s "$f" -; then
        echo "not formatted: $f (tools/format.sh --fix)"
        bad=$((bad + 1))
    fi
done
[ "$bad" -eq 0 ] || { echo "$bad file(s) differ from .clang-format"; exit 1; }
echo "clang-format: $(echo "$files" | wc -l) files as .clang-format says"
