#!/bin/sh
# jobs_identical.sh BINARY SOURCE_DIR [CORPUS] — --jobs 1 and --jobs 4 write the same bytes
# (stdout, stderr, exit status) in every format and mode, over fixtures/ and, when the shared
# corpus is there, a slice of its repositories. JUnit's time attributes are the only figures
# that differ from run to run: they are blanked on both sides.
set -u
bin=$1 src=$2 corpus=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 cases=0

# compare NAME ARGS...: one run with --jobs 1, one with --jobs 4
compare() {
	name=$1
	shift
	for j in 1 4; do
		"$bin" --jobs "$j" "$@" >"$tmp/out.$j" 2>"$tmp/err.$j" </dev/null
		echo "exit $?" >>"$tmp/err.$j"
		sed 's/time="[0-9.]*"/time=""/g' "$tmp/out.$j" >"$tmp/norm.$j"
	done
	cases=$((cases + 1))
	if ! cmp -s "$tmp/norm.1" "$tmp/norm.4" || ! cmp -s "$tmp/err.1" "$tmp/err.4"; then
		echo "FAIL: $name: --jobs 1 and --jobs 4 differ"
		diff "$tmp/norm.1" "$tmp/norm.4" | head -20
		diff "$tmp/err.1" "$tmp/err.4" | head -20
		fail=1
	elif [ ! -s "$tmp/out.1" ]; then
		echo "FAIL: $name: no output at all (the comparison would prove nothing)"
		fail=1
	fi
}

# every format and mode over one set of paths
all_modes() {
	label=$1
	shift
	for f in text json sarif gcc github gitlab junit markdown; do
		compare "$label --format $f" --no-config --format "$f" --fail-on never "$@"
	done
	compare "$label --summary" --no-config --summary "$@"
	compare "$label --quiet" --no-config --quiet "$@"
	compare "$label --locks" --no-config --locks "$@"
	compare "$label --locks json" --no-config --locks --format json "$@"
	# --fix verifies each fix by linting again: fixtures only (minutes over the corpus)
	[ "$label" = fixtures ] && compare "$label --fix --diff" --no-config --fix --diff "$@"
	# the baseline each writes, then the report against it
	for j in 1 4; do
		"$bin" --jobs "$j" --no-config --write-baseline "$tmp/base.$j" "$@" >/dev/null 2>&1
	done
	cases=$((cases + 1))
	if ! cmp -s "$tmp/base.1" "$tmp/base.4" || [ ! -s "$tmp/base.1" ]; then
		echo "FAIL: $label: --write-baseline differs with --jobs 4 (or is empty)"
		fail=1
	fi
	compare "$label --baseline" --no-config --format json --baseline "$tmp/base.1" "$@"
}

cd "$src" || exit 1
all_modes fixtures fixtures
# configuration files as found (per-directory settings) rather than --no-config
compare "fixtures with configuration" --format json fixtures
# standard input between files: read once, in its place
compare "stdin" --no-config --format json --stdin-filename db/migrate/001.sql \
	fixtures/syntax-error - fixtures/renaming-column

if [ -n "$corpus" ] && [ -d "$corpus/real" ]; then
	# a slice: five repositories (some 700 files, small and large directories)
	set --
	for d in $(ls "$corpus/real" | grep -v '\.tsv$' | sed -n 2,6p); do
		set -- "$@" "$corpus/real/$d"
	done
	all_modes corpus "$@"
else
	echo "corpus: not found, the corpus slice is skipped"
fi
[ "$fail" -eq 0 ] && echo "jobs: $cases cases, --jobs 1 and --jobs 4 identical"
exit "$fail"
