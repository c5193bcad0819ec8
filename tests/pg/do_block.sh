#!/bin/sh
# do_block.sh DDLGUARD — what PostgreSQL does with the statements of a DO block, against a real
# server (run by run.sh, which sets DG_PG_CONNINFO), and that ddlguard says the same: a statement
# refused in a transaction block is refused inside a DO block even outside one, and a DO block
# that only does safe things runs.
set -u
bin=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# case NAME SQL SERVER_ERROR RULE: the server's error holds SERVER_ERROR ("" = the SQL runs) and
# ddlguard reports RULE on the file ("" = neither statement-fails nor
# ban-concurrent-index-creation-in-transaction)
case_() {
	name=$1 sql=$2 want_err=$3 want_rule=$4
	printf '%s\n' "$sql" >"$tmp/m.sql"
	psql "$DG_PG_CONNINFO" -X -q -v ON_ERROR_STOP=1 \
		-c "DROP TABLE IF EXISTS t; CREATE TABLE t (a int); INSERT INTO t VALUES (1)" >/dev/null 2>&1
	err=$(psql "$DG_PG_CONNINFO" -X -q -v ON_ERROR_STOP=1 -f "$tmp/m.sql" 2>&1 >/dev/null)
	if [ -n "$want_err" ]; then
		case $err in
		*"$want_err"*) ;;
		*) echo "FAIL $name: the server said '$err', expected '$want_err'"; fail=1 ;;
		esac
	elif [ -n "$err" ]; then
		echo "FAIL $name: the server refused it: $err"; fail=1
	fi
	got=$("$bin" --format gcc --fail-on never "$tmp/m.sql" 2>&1 |
		grep -o '\[statement-fails\]\|\[ban-concurrent-index-creation-in-transaction\]' | sort -u | tr -d '[]')
	if [ "$got" != "$want_rule" ]; then
		echo "FAIL $name: ddlguard reported '$got', expected '$want_rule'"; fail=1
	fi
	[ "$fail" -eq 0 ] && echo "ok $name"
}

case_ "CREATE INDEX CONCURRENTLY in a DO block" \
	'DO $$ BEGIN CREATE INDEX CONCURRENTLY t_a_idx ON t (a); END $$;' \
	"CREATE INDEX CONCURRENTLY cannot be executed from a function" statement-fails
case_ "EXECUTE of VACUUM in a DO block" \
	"DO \$\$ BEGIN EXECUTE 'VACUUM t'; END \$\$;" \
	"VACUUM cannot be executed from a function" statement-fails
case_ "DROP INDEX CONCURRENTLY in a procedure the migration calls" \
	'CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN DROP INDEX CONCURRENTLY IF EXISTS t_x_idx; END $$;
CALL p();' \
	"DROP INDEX CONCURRENTLY cannot be executed from a function" statement-fails
case_ "CREATE INDEX CONCURRENTLY in a DO block in a transaction block" \
	'BEGIN;
DO $$ BEGIN CREATE INDEX CONCURRENTLY t_a_idx ON t (a); END $$;
COMMIT;' \
	"CREATE INDEX CONCURRENTLY cannot run inside a transaction block" \
	ban-concurrent-index-creation-in-transaction
case_ "LOCK TABLE in a DO block outside a transaction block" \
	'DO $$ BEGIN LOCK TABLE t IN SHARE MODE; END $$;' \
	"" ""
case_ "a DO block of safe statements" \
	"DO \$\$ BEGIN CREATE INDEX t_a_idx ON t (a); ALTER TABLE t ADD COLUMN b int; EXECUTE 'SELECT 1'; END \$\$;" \
	"" ""
exit $fail
