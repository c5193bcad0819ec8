#!/bin/sh
# test.sh — the whole test suite: a normal build and an AddressSanitizer + UBSan build, each
# running every cmocka, fixture, CLI and corpus test through ctest.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
jobs=$(nproc)
passed=0 failed=0
for variant in build:OFF build-asan:ON; do
	dir=${variant%%:*} sanitize=${variant##*:}
	echo "== $dir (sanitizers $sanitize)"
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDDLGUARD_SANITIZE="$sanitize" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	log="$dir/ctest.log"
	if (cd "$dir" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j"$jobs") >"$log" 2>&1; then :; fi
	cat "$log"
	p=$(sed -n 's/.* tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$log" | tail -1)
	total=${p%% *} bad=${p##* }
	[ -n "$total" ] || { echo "ctest did not run in $dir"; exit 1; }
	passed=$((passed + total - bad)) failed=$((failed + bad))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
