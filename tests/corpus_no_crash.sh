#!/bin/sh
# corpus_no_crash.sh BINARY CORPUS — lints every *.sql of the shared corpus: the tool must not
# crash or trip a sanitizer, must say nothing on stderr, and must account for every file.
set -u
bin=$1 corpus=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
expected=$(find "$corpus" -name '.*' -prune -o -type f -iname '*.sql' -print | wc -l)
"$bin" --format json --fail-on never "$corpus" >"$out" 2>"$err"
status=$?
if [ "$status" -ne 0 ]; then
	echo "corpus: ddlguard exited with $status"; head -c 4000 "$err"; exit 1
fi
if [ -s "$err" ]; then
	echo "corpus: unexpected stderr:"; head -c 4000 "$err"; exit 1
fi
checked=$(grep -o '"files_checked":[0-9]*' "$out" | head -n 1 | cut -d: -f2)
if [ "$checked" != "$expected" ]; then
	echo "corpus: $expected files in the corpus, $checked checked"; exit 1
fi
findings=$(grep -o '"rule":"[^"]*","severity"' "$out" | wc -l)
echo "corpus: $checked files checked, $findings findings, no crash"
