#!/bin/sh
# shim/README.md names every source file of the library, so a newcomer finds each concern there.
set -eu
dir=${1:?usage: check_module_map.sh SHIM_DIR}
missing=0
for f in "$dir"/*.c; do
    name=$(basename "$f")
    pattern=$(printf '%s' "$name" | sed 's/\./\\./g')
    if ! grep -qE "(^|[^a-z0-9_])$pattern([^a-z0-9_]|\$)" "$dir/README.md"; then
        echo "shim/README.md does not name $name"
        missing=$((missing + 1))
    fi
done
[ "$missing" -eq 0 ] || exit 1
echo "shim/README.md names all $(ls "$dir"/*.c | wc -l) source files"
