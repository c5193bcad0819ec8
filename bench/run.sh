#!/bin/sh
# run.sh [ROUNDS] — ddlguard's throughput, CPU time and peak memory beside squawk's
# (squawk-cli 2.66.0 from npm, installed into a temporary folder), and the libpg_query floor:
#   the corpus (../shared/corpus/real) as JSON, text and gcc; --jobs default vs --jobs 1;
#   one file of 1, 4, 16 and 50 MB; the pre-commit cases (a 1 KB file, the last file of a
#   700-migration directory); format detection in directories of 500 and 2000 migrations (time
#   per file); libpg_query alone (bench/pgq_floor.c).
# Each case runs each tool as one process, interleaved A B A B, ROUNDS rounds (default 5),
# medians and per-round ratios (bench/bench.py). Figures, not a test: the machine may be shared,
# so compare the columns of one run. BENCH_TIMEOUT (seconds, default 300) stops a run that
# takes longer; BENCH_CURVE_ROUNDS (default 3) the rounds of the single-file curve.
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-5}
corpus=../shared/corpus/real
[ -d "$corpus" ] || { echo "no corpus at $corpus"; exit 1; }
command -v npm >/dev/null || { echo "needs npm (Debian: apt-get install npm)"; exit 1; }
command -v python3 >/dev/null || { echo "needs python3"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake -S . -B bench/out/build -DCMAKE_BUILD_TYPE=Release -DDDLGUARD_TESTS=OFF >/dev/null
cmake --build bench/out/build -j"$(nproc)" --target ddlguard >/dev/null
ddlguard=$PWD/bench/out/build/ddlguard

# the libpg_query floor probe, against the same library ddlguard links, with ddlguard's own way
# of taking the tree (src/pgtree.c)
cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc bench/pgq_floor.c src/pgtree.c \
	src/arena.c -o "$tmp/pgq_floor" -lpg_query
# one run's wall time, CPU time and peak RSS, measured from a small process of its own
cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror bench/runone.c -o "$tmp/runone"

npm install --silent --no-audit --no-fund --prefix "$tmp/npm" squawk-cli@2.66.0 >/dev/null 2>&1 ||
	{ echo "could not install squawk-cli@2.66.0 from npm"; exit 1; }
# the native binary, not the node wrapper (whose start-up would be counted)
squawk=$(find "$tmp/npm/node_modules/@squawk-cli" -type f -name squawk -perm -u+x | head -1)
[ -n "$squawk" ] || squawk="$tmp/npm/node_modules/.bin/squawk"
echo "ddlguard $("$ddlguard" --version | cut -d' ' -f2), $("$squawk" --version)"

BENCH_ROUNDS=$rounds python3 bench/bench.py "$ddlguard" "$squawk" "$tmp/pgq_floor" "$tmp/runone" \
	"$(cd "$corpus" && pwd)" "$tmp"
