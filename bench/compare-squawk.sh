#!/bin/sh
# compare-squawk.sh [RUNS] — lints ../shared/corpus/real with ddlguard and with squawk (the native
# binary of the squawk-cli npm package, installed into a temporary folder), interleaved, and prints
# files, bytes, median wall time, peak memory and the ratios. Figures, not a test: this machine is
# noisy, so compare the two columns of one run rather than numbers across runs.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
corpus=../shared/corpus/real
[ -d "$corpus" ] || { echo "no corpus at $corpus"; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake -S . -B bench/out/build -DCMAKE_BUILD_TYPE=Release -DDDLGUARD_TESTS=OFF >/dev/null
cmake --build bench/out/build -j"$(nproc)" >/dev/null
ddlguard=bench/out/build/ddlguard

(cd "$tmp" && npm install --silent --no-audit --no-fund --prefix . squawk-cli >/dev/null 2>&1) ||
	{ echo "could not install squawk-cli from npm"; exit 1; }
squawk=$(find "$tmp/node_modules/@squawk-cli" -type f -name squawk -perm -u+x | head -1)
[ -n "$squawk" ] || squawk="$tmp/node_modules/.bin/squawk"

find "$corpus" -type f -iname '*.sql' | LC_ALL=C sort >"$tmp/files"
files=$(wc -l <"$tmp/files")
bytes=$(tr '\n' '\0' <"$tmp/files" | xargs -0 cat | wc -c)

# one process over every file for each tool, as a whole-repository audit runs
measure() { # name command… → appends "wall_s peak_kib" to $tmp/$name
	name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>&1 || true
	cat "$tmp/t" >>"$tmp/$name"
}
i=0
while [ "$i" -lt "$runs" ]; do
	measure ddlguard sh -c "tr '\n' '\0' <'$tmp/files' | xargs -0 '$ddlguard' --fail-on never"
	measure squawk sh -c "tr '\n' '\0' <'$tmp/files' | xargs -0 '$squawk'"
	i=$((i + 1))
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
dg_wall=$(cut -d' ' -f1 "$tmp/ddlguard" | median)
sq_wall=$(cut -d' ' -f1 "$tmp/squawk" | median)
dg_mem=$(cut -d' ' -f2 "$tmp/ddlguard" | sort -n | tail -1)
sq_mem=$(cut -d' ' -f2 "$tmp/squawk" | sort -n | tail -1)

echo "corpus: $files files, $bytes bytes ($corpus), $runs interleaved runs each"
echo "squawk: $("$squawk" --version 2>/dev/null | head -1)"
printf '%-10s %14s %16s\n' tool "median wall s" "peak RSS KiB"
printf '%-10s %14s %16s\n' ddlguard "$dg_wall" "$dg_mem"
printf '%-10s %14s %16s\n' squawk "$sq_wall" "$sq_mem"
awk -v a="$dg_wall" -v b="$sq_wall" -v c="$dg_mem" -v d="$sq_mem" 'BEGIN {
	printf "ratio squawk/ddlguard: wall %.2fx, peak memory %.2fx\n", (a > 0 ? b / a : 0), (c > 0 ? d / c : 0) }'
