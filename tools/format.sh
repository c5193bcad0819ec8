#!/bin/sh
# format.sh [--check] — formats every tracked C file with the committed .clang-format;
# --check only lists the files that would change (exit 1 when any would).
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h')
if [ "${1:-}" = "--check" ]; then
	bad=0
	for f in $files; do
		clang-format "$f" | cmp -s - "$f" || { echo "$f"; bad=1; }
	done
	exit $bad
fi
clang-format -i $files
