#!/bin/sh
# verify.sh [BUILD_DIR] — how long `ddlguard verify` takes on the demo (fixtures/demo) and on a
# generated dbmate directory of 300 migrations (each up/down/up with snapshots and observed
# locks), each on its own throwaway cluster (initdb included). Figures, not a test.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
ddlguard=$build/ddlguard
[ -x "$ddlguard" ] || { echo "no $ddlguard: build first (cmake --build $build)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/db/migrations"
i=1
while [ $i -le 300 ]; do
	v=$(printf '2024%06d' $i)
	f="$tmp/db/migrations/${v}_step_$i.sql"
	case $((i % 3)) in
	1) printf -- '-- migrate:up\nCREATE TABLE t%d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());\nCREATE INDEX t%d_name_idx ON t%d (name);\n\n-- migrate:down\nDROP TABLE t%d;\n' $i $i $i $i >"$f" ;;
	2) p=$((i - 1)); printf -- '-- migrate:up\nALTER TABLE t%d ADD COLUMN note text;\nALTER TABLE t%d ADD CONSTRAINT t%d_note_len CHECK (length(note) < 100) NOT VALID;\n\n-- migrate:down\nALTER TABLE t%d DROP COLUMN note;\n' $p $p $p $p >"$f" ;;
	0) p=$((i - 2)); printf -- '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY t%d_created_idx ON t%d (created_at);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY t%d_created_idx;\n' $p $p $p >"$f" ;;
	esac
	i=$((i + 1))
done

run() {
	label=$1
	shift
	start=$(date +%s.%N)
	"$ddlguard" verify -q --no-config --fail-on never "$@" >"$tmp/out" 2>&1 || true
	end=$(date +%s.%N)
	printf '%-34s %6.2f s  (%s findings)\n' "$label" "$(awk "BEGIN { print $end - $start }")" "$(wc -l <"$tmp/out")"
}
run "demo (7 migrations)" fixtures/demo/db/migrations
run "generated (300 migrations)" "$tmp/db/migrations"
start=$(date +%s.%N)
"$ddlguard" verify -q --no-config --fail-on never "$tmp/does-not-exist" >/dev/null 2>&1 || true
end=$(date +%s.%N)
printf '%-34s %6.2f s\n' "cluster start and stop alone" "$(awk "BEGIN { print $end - $start }")"
