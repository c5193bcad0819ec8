#!/bin/sh
# run.sh — starts a throwaway PostgreSQL 15 (unix socket only, temporary directory, unprivileged
# user when run as root), runs the lock-model check against it, and removes everything at the end.
# Usage: run.sh PROGRAM [ARGS...]   (PROGRAM gets the libpq connection string in DG_PG_CONNINFO)
# Exits 77 (ctest SKIP) only when no server can be started, and not in CI (CI=true): there the
# proof must run, so a missing server is a failure.
set -u
SKIP=77
if [ -n "${CI:-}" ] && [ "${CI}" != "false" ]; then
	SKIP=1
fi
prog=$1
shift

PGBIN=${DG_PG_BIN:-}
if [ -z "$PGBIN" ]; then
	for v in 15; do
		[ -x /usr/lib/postgresql/$v/bin/initdb ] && PGBIN=/usr/lib/postgresql/$v/bin
	done
fi
if [ -z "$PGBIN" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "pg: installing postgresql-15" >&2
	apt-get update -qq >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		postgresql-15 >/dev/null 2>&1
	[ -x /usr/lib/postgresql/15/bin/initdb ] && PGBIN=/usr/lib/postgresql/15/bin
fi
if [ -z "$PGBIN" ]; then
	echo "SKIP: PostgreSQL 15 server binaries not found (install the Debian package postgresql-15)"
	exit $SKIP
fi

as_user() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	# initdb refuses to run as root: the server runs as nobody in a directory it owns (under
	# /tmp, which nobody can reach whatever TMPDIR says)
	tmp=$(mktemp -d /tmp/ddlguard-pg.XXXXXX) || exit 1
	chmod 755 "$tmp"
	chown nobody "$tmp"
	if command -v runuser >/dev/null 2>&1; then
		as_user() { runuser -u nobody -- "$@"; }
	else
		as_user() { su -s /bin/sh nobody -c '"$0" "$@"' -- "$@"; }
	fi
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ddlguard-pg.XXXXXX") || exit 1
fi
cleanup() {
	if [ -f "$tmp/data/postmaster.pid" ]; then
		as_user "$PGBIN/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if ! as_user "$PGBIN/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --no-locale \
	>"$tmp/initdb.log" 2>&1; then
	cat "$tmp/initdb.log"
	echo "SKIP: initdb failed, no server to test against"
	exit $SKIP
fi
as_user mkdir "$tmp/ts"
if ! as_user "$PGBIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 30 \
	-o "-c listen_addresses='' -c unix_socket_directories='$tmp' -c fsync=off -c port=54329 \
	    -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off" \
	start >/dev/null 2>&1; then
	cat "$tmp/server.log" 2>/dev/null
	echo "SKIP: the PostgreSQL server did not start"
	exit $SKIP
fi
DG_PG_CONNINFO="host=$tmp port=54329 user=postgres dbname=postgres" DG_PG_TABLESPACE_DIR="$tmp/ts" \
	"$prog" "$@"
rc=$?
[ $rc -eq $SKIP ] && rc=1 # the server ran: the check itself may not skip
exit $rc
