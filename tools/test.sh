#!/bin/sh
# test.sh — the whole test suite: a normal build and an AddressSanitizer + UBSan build, each
# running every cmocka, fixture, CLI and corpus test through ctest; then a ThreadSanitizer build
# running the tests that lint on several threads (--jobs, and the earlier migrations one file
# alone reads).
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
jobs=$(nproc)
passed=0 failed=0
for variant in build:OFF build-asan:ON build-tsan:thread; do
	dir=${variant%%:*} sanitize=${variant##*:}
	echo "== $dir (sanitizers $sanitize)"
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDDLGUARD_SANITIZE="$sanitize" >/dev/null
	# ThreadSanitizer: the binary and the thread tests only
	targets=
	only=
	if [ "$sanitize" = thread ]; then
		targets="--target ddlguard test_jobs test_catalog"
		only="-R ^(test_jobs|cli_jobs_identical|test_catalog)\$"
	fi
	# shellcheck disable=SC2086
	cmake --build "$dir" -j"$jobs" $targets >/dev/null
	log="$dir/ctest.log"
	# shellcheck disable=SC2086
	if (cd "$dir" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
		ctest --output-on-failure -j"$jobs" $only) >"$log" 2>&1; then :; fi
	cat "$log"
	p=$(sed -n 's/.* tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$log" | tail -1)
	total=${p%% *} bad=${p##* }
	[ -n "$total" ] || { echo "ctest did not run in $dir"; exit 1; }
	passed=$((passed + total - bad)) failed=$((failed + bad))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
