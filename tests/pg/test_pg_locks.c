/* test_pg_locks.c — the lock model against a real PostgreSQL server (started by run.sh).
 *
 * For every statement kind of cases.h the server runs it once on a fresh schema with rows:
 * inside BEGIN it reads the backend's own relation locks from pg_locks (strongest per relation,
 * indexes included), the rows it read from pg_stat_xact_user_tables, and — while the
 * transaction is still open — whether a probe session (lock_timeout 100ms) can SELECT, INSERT and
 * UPDATE each table; and whether pg_class.relfilenode changed (then it rolls back). Statements that
 * refuse transaction blocks run outside one while a blocker session holds, on one modeled relation
 * at a time, the weakest lock that conflicts with the model's mode: the statement must wait there
 * with that mode. Statements the server refuses (EXPECT_ERROR) must be claimed to fail.
 *
 * The server's observations are compared with three readings of the statement by the model:
 *   same file  the setup as the earlier statements of the statement's own file;
 *   memory     the setup as an earlier migration of the same directory (schema memory: one
 *              struct dg_catalog over 001_setup.sql then 002_case.sql); a SETUP_HERE case keeps
 *              its own setup in 002 (SET TimeZone, an index created in the same migration);
 *   lone       the statement alone, no memory. The model may not know everything here, so a
 *              difference is accepted only where it hedges: the relation's row carries a note,
 *              or it is a "(table of index …)" row, or — for a relation the model does not name
 *              at all, or for a claim about the whole statement — some row of the statement
 *              carries a note. Every unhedged claim must match the server.
 * In "same file" and "memory" every difference fails. Both sides are printed: the server is
 * right. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "cases.h"
#include "ddlguard/ddlguard.h"
#include "locks.h"

#define SKIP 77

enum { M_FILE, M_MEMORY, M_LONE, N_MODES };
static const char *const mode_label[N_MODES] = {"same file", "memory", "lone"};

static PGconn *conn;  /* runs the setup and the statement (or holds the blocker's locks) */
static PGconn *conn2; /* runs the NO_TX statements */
static PGconn *conn3; /* probe session, lock_timeout 100ms */
static PGconn *conn4; /* a second blocker session (NO_TX) */
static int server_failures, hedged[N_MODES];
static int mode_failures[N_MODES];
static int server_major = 15;
static bool dirty = true; /* the schema is not the base setup's (a case committed something) */

/* mode < 0: a problem of the server run or the harness, not of one reading of the model */
static void failf(int mode, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (mode >= 0) {
		printf("FAIL [%s] %s: ", mode_label[mode], name);
		mode_failures[mode]++;
	} else {
		printf("FAIL %s: ", name);
		server_failures++;
	}
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int total_failures(void)
{
	int n = server_failures;
	for (int m = 0; m < N_MODES; m++)
		n += mode_failures[m];
	return n;
}

/* Runs SQL; returns the error message (static buffer) or NULL on success. */
static const char *exec_on(PGconn *c, const char *sql)
{
	static char err[1024];
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(r);
		return NULL;
	}
	snprintf(err, sizeof(err), "%s", PQresultErrorMessage(r));
	err[strcspn(err, "\n")] = '\0';
	PQclear(r);
	return err;
}

static const char *exec(const char *sql)
{
	return exec_on(conn, sql);
}

static PGresult *query(const char *sql)
{
	PGresult *r = PQexec(conn, sql);

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "query failed: %s: %s", sql, PQresultErrorMessage(r));
		exit(1);
	}
	return r;
}

/* ---- the catalog before the statement, and what the server did ------------------------------ */

struct rel {
	unsigned oid, table_oid; /* table_oid: for an index, its table */
	char name[64];
	char kind;
	unsigned long filenode;
	double tuples;
	char first_col[64], pk_col[64]; /* for the probes ("" when none) */
	/* server side */
	int server_mode;
	long rows_read;
	unsigned long filenode_after;
	bool gone;
	bool probed, read_blocked, insert_blocked, update_blocked;
	/* model side (one reading at a time) */
	int model_mode;
	bool modeled, rewrite, scan, blocks_reads, blocks_writes;
	bool noted;   /* some row naming it carries a note */
	bool via_toi; /* named only as "(table of index …)" */
};

static struct rel rels[256];
static size_t n_rels;

static struct rel *by_oid(unsigned oid)
{
	for (size_t i = 0; i < n_rels; i++)
		if (rels[i].oid == oid)
			return &rels[i];
	return NULL;
}

static struct rel *by_name(const char *name)
{
	for (size_t i = 0; i < n_rels; i++)
		if (strcmp(rels[i].name, name) == 0)
			return &rels[i];
	return NULL;
}

static void snapshot(void)
{
	PGresult *r = query(
	    "SELECT c.oid, c.relname, c.relkind, c.relfilenode, COALESCE(i.indrelid, 0), "
	    "c.reltuples, COALESCE((SELECT attname FROM pg_attribute a WHERE a.attrelid = c.oid "
	    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum LIMIT 1), ''), "
	    "COALESCE((SELECT a.attname FROM pg_index k JOIN pg_attribute a ON a.attrelid = "
	    "k.indrelid AND a.attnum = k.indkey[0] WHERE k.indrelid = c.oid AND k.indisprimary), '') "
	    "FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid "
	    "WHERE c.relnamespace = 'public'::regnamespace");

	n_rels = 0;
	for (int i = 0; i < PQntuples(r) && n_rels < 256; i++) {
		struct rel *x = &rels[n_rels++];
		memset(x, 0, sizeof(*x));
		x->oid = (unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10);
		snprintf(x->name, sizeof(x->name), "%s", PQgetvalue(r, i, 1));
		x->kind = PQgetvalue(r, i, 2)[0];
		x->filenode = strtoul(PQgetvalue(r, i, 3), NULL, 10);
		x->table_oid = (unsigned)strtoul(PQgetvalue(r, i, 4), NULL, 10);
		x->tuples = strtod(PQgetvalue(r, i, 5), NULL);
		snprintf(x->first_col, sizeof(x->first_col), "%s", PQgetvalue(r, i, 6));
		snprintf(x->pk_col, sizeof(x->pk_col), "%s", PQgetvalue(r, i, 7));
	}
	PQclear(r);
}

static void read_rows(bool baseline)
{
	PGresult *r = query("SELECT relid, seq_tup_read + COALESCE(idx_tup_fetch, 0) FROM "
			    "pg_stat_xact_user_tables");

	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *x = by_oid((unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10));
		long v = strtol(PQgetvalue(r, i, 1), NULL, 10);
		if (x)
			x->rows_read = baseline ? -v : x->rows_read + v;
	}
	PQclear(r);
}

static void read_locks(void)
{
	PGresult *r = query("SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND "
			    "locktype = 'relation' AND granted");

	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *x = by_oid((unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10));
		int m = (int)dg_lock_mode_from_pg(PQgetvalue(r, i, 1));
		if (x && m > x->server_mode)
			x->server_mode = m;
	}
	PQclear(r);
	read_rows(false);
}

static void read_filenodes(void)
{
	PGresult *r = query("SELECT oid, relfilenode FROM pg_class WHERE relnamespace = "
			    "'public'::regnamespace");

	for (size_t k = 0; k < n_rels; k++)
		rels[k].gone = true;
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *x = by_oid((unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10));
		if (x) {
			x->gone = false;
			x->filenode_after = strtoul(PQgetvalue(r, i, 1), NULL, 10);
		}
	}
	PQclear(r);
}

/* Probe sessions (lock_timeout 100ms): the probes of one kind run at once, one per session,
 * each in its own transaction. A probe is blocked when the server gave up waiting for a lock
 * (55P03 lock_not_available); any other outcome, an error included, means the statement did not
 * block it. */
#define MAX_PROBES 64
static PGconn *probe_conn[MAX_PROBES];
static const char *probe_conninfo;

static void run_probes(char sql[][512], bool *blocked[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[560];
		if (!probe_conn[i]) {
			probe_conn[i] = PQconnectdb(probe_conninfo);
			if (PQstatus(probe_conn[i]) != CONNECTION_OK ||
			    exec_on(probe_conn[i], "SET lock_timeout = '100ms'")) {
				fprintf(stderr, "cannot connect a probe session: %s",
					PQerrorMessage(probe_conn[i]));
				exit(1);
			}
		}
		snprintf(buf, sizeof(buf), "BEGIN; %s", sql[i]);
		if (!PQsendQuery(probe_conn[i], buf)) {
			fprintf(stderr, "cannot send a probe: %s", PQerrorMessage(probe_conn[i]));
			exit(1);
		}
	}
	for (size_t i = 0; i < n; i++) {
		PGresult *r;
		*blocked[i] = false;
		while ((r = PQgetResult(probe_conn[i]))) {
			const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			if (PQresultStatus(r) == PGRES_FATAL_ERROR && state &&
			    strcmp(state, "55P03") == 0)
				*blocked[i] = true;
			PQclear(r);
		}
		PQclear(PQexec(probe_conn[i], "ROLLBACK"));
	}
}

/* While the statement's transaction is open: a SELECT by primary key (planning it locks every
 * index of the table; on a partitioned or inheritance parent, its children), an INSERT and an
 * UPDATE on every table, partitioned table and materialized view (reads only: a materialized
 * view takes no writes) that existed before the statement. */
static void probe_all(void)
{
	static char sql[MAX_PROBES][512];
	bool *blocked[MAX_PROBES];

	size_t n = 0;

	/* all at once: a probe touches no row another probe locks (the UPDATE's row 42, or no
	 * row; the INSERT's NULLs conflict with no key) */
	for (int kind = 0; kind < 3; kind++) {
		for (size_t i = 0; i < n_rels && n < MAX_PROBES; i++) {
			struct rel *x = &rels[i];
			const char *key = x->pk_col[0] ? x->pk_col : x->first_col;

			if (x->kind != 'r' && x->kind != 'p' && x->kind != 'm')
				continue;
			x->probed = true;
			if (kind == 0 && x->pk_col[0]) {
				snprintf(sql[n], sizeof(sql[n]),
					 "SELECT 1 FROM \"%s\" WHERE \"%s\" = 42", x->name,
					 x->pk_col);
				blocked[n++] = &x->read_blocked;
			} else if (kind == 0) {
				snprintf(sql[n], sizeof(sql[n]), "SELECT 1 FROM \"%s\" LIMIT 1",
					 x->name);
				blocked[n++] = &x->read_blocked;
			} else if (x->kind == 'm') {
				continue;
			} else if (kind == 1) {
				snprintf(sql[n], sizeof(sql[n]),
					 "INSERT INTO \"%s\" DEFAULT VALUES", x->name);
				blocked[n++] = &x->insert_blocked;
			} else if (key[0]) {
				snprintf(
				    sql[n], sizeof(sql[n]),
				    x->pk_col[0]
					? "UPDATE \"%s\" SET \"%s\" = \"%s\" WHERE \"%s\" = 42"
					: "UPDATE \"%s\" SET \"%s\" = \"%s\" WHERE \"%s\" IS NULL",
				    x->name, key, key, key);
				blocked[n++] = &x->update_blocked;
			}
		}
	}
	run_probes(sql, blocked, n);
}

/* ---- the model's side -------------------------------------------------------------------------
 */

static const char *mode_name(int m)
{
	static const char *const names[] = {"none",
					    "ACCESS SHARE",
					    "ROW SHARE",
					    "ROW EXCLUSIVE",
					    "SHARE UPDATE EXCLUSIVE",
					    "SHARE",
					    "SHARE ROW EXCLUSIVE",
					    "EXCLUSIVE",
					    "ACCESS EXCLUSIVE"};
	return m >= 0 && m <= 8 ? names[m] : "?";
}

static bool has_storage(char kind)
{
	return kind == 'r' || kind == 'm' || kind == 'i' || kind == 'S' || kind == 't';
}

static bool strict_kind(char kind)
{
	return kind == 'r' || kind == 'p' || kind == 'm' || kind == 'v' || kind == 'f';
}

static bool is_index(char kind)
{
	return kind == 'i' || kind == 'I';
}

/* The three readings of the case by the model; sl[m] is the statement's entry or NULL. */
struct models {
	struct dg_lock_report rep[N_MODES];
	const struct dg_stmt_locks *sl[N_MODES];
	bool any_note[N_MODES];
};

static void build_models(const struct tcase *tc, struct models *m)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_catalog *cat = dg_catalog_new();
	struct dg_lock_report setup_rep;
	const char *setup = tc->setup ? tc->setup : "";
	bool here = (tc->flags & SETUP_HERE) != 0;
	char *file;

	memset(m, 0, sizeof(*m));
	/* the model answers for the server's version; the statement runs as the server runs it:
	 * in a transaction block unless it refuses one (or the case runs outside one) */
	dg_config_set_pg_version(cfg, server_major);
	dg_config_set_assume_in_transaction(cfg, !(tc->flags & (NO_TX | AUTOCOMMIT)));

	/* same file: the setup, then the statement */
	file = malloc(strlen(base_setup) + strlen(setup) + strlen(tc->sql) + 8);
	sprintf(file, "%s%s\n%s;\n", base_setup, setup, tc->sql);
	dg_locks_buffer(cfg, "case.sql", file, strlen(file), &m->rep[M_FILE]);
	free(file);

	/* memory: an earlier migration of the same directory created the schema */
	file = malloc(strlen(base_setup) + strlen(setup) + 8);
	sprintf(file, "%s%s\n", base_setup, here ? "" : setup);
	dg_locks_buffer_with(cfg, cat, "migrations/001_setup.sql", file, strlen(file), &setup_rep);
	dg_lock_report_clear(&setup_rep);
	free(file);
	file = malloc(strlen(setup) + strlen(tc->sql) + 8);
	sprintf(file, "%s\n%s;\n", here ? setup : "", tc->sql);
	dg_locks_buffer_with(cfg, cat, "migrations/002_case.sql", file, strlen(file),
			     &m->rep[M_MEMORY]);
	free(file);

	/* lone: the statement alone */
	file = malloc(strlen(tc->sql) + 8);
	sprintf(file, "%s;\n", tc->sql);
	dg_locks_buffer(cfg, "case.sql", file, strlen(file), &m->rep[M_LONE]);
	free(file);

	dg_catalog_free(cat);
	dg_config_free(cfg);
	for (int k = 0; k < N_MODES; k++) {
		struct dg_lock_report *r = &m->rep[k];
		const struct dg_stmt_locks *sl = r->n_stmts ? &r->stmts[r->n_stmts - 1] : NULL;
		if (!sl || strncmp(sl->text, tc->sql, 10) != 0) {
			failf(k, tc->name,
			      "the statement did not parse as the last one of the file");
			continue;
		}
		m->sl[k] = sl;
		for (size_t i = 0; i < sl->n_rows; i++)
			if (sl->rows[i].note)
				m->any_note[k] = true;
	}
}

static void models_clear(struct models *m)
{
	for (int k = 0; k < N_MODES; k++)
		dg_lock_report_clear(&m->rep[k]);
}

static bool collecting; /* apply_model only to learn the targets: report nothing */

/* Applies one reading's rows to `rels`. */
static void apply_model(int mode, const struct tcase *tc, const struct dg_stmt_locks *sl)
{
	for (size_t i = 0; i < n_rels; i++) {
		struct rel *x = &rels[i];
		x->model_mode = 0;
		x->modeled = x->rewrite = x->scan = x->blocks_reads = x->blocks_writes = false;
		x->noted = x->via_toi = false;
	}
	for (size_t k = 0; sl && k < sl->n_rows; k++) {
		const struct dg_lock_row *row = &sl->rows[k];
		struct rel *x;
		char name[256];
		bool toi = false;

		if (strcmp(row->role, "new") == 0 ||
		    /* rows that name no relation: every table of …, the indexes of … */
		    strcmp(row->role, "every") == 0)
			continue;
		if (strncmp(row->relation, "(table of index ", 16) == 0) {
			struct rel *idx;
			snprintf(name, sizeof(name), "%s", row->relation + 16);
			name[strcspn(name, ")")] = '\0';
			idx = by_name(strchr(name, '.') ? strchr(name, '.') + 1 : name);
			x = idx ? by_oid(idx->table_oid) : NULL;
			toi = true;
		} else {
			const char *dot = strchr(row->relation, '.');
			x = by_name(dot ? dot + 1 : row->relation);
		}
		if (!x) {
			if (collecting)
				continue;
			failf(mode, tc->name, "the model names \"%s\" (%s), which does not exist",
			      row->relation, row->role);
			continue;
		}
		/* with the setup in view (same file, memory) the index is known: its table must
		 * be named */
		if (toi && x && mode != M_LONE && !collecting)
			failf(mode, tc->name, "\"%s\": the setup created that index on \"%s\"",
			      row->relation, x->name);
		if (!x->modeled)
			x->via_toi = toi;
		else if (!toi)
			x->via_toi = false;
		x->modeled = true;
		if (row->strength > x->model_mode)
			x->model_mode = row->strength;
		x->rewrite |= row->rewrite;
		x->scan |= row->scan;
		x->blocks_reads |= row->blocks_reads;
		x->blocks_writes |= row->blocks_writes;
		x->noted |= row->note != NULL;
	}
}

/* A difference on relation x (NULL: on the whole statement). In lone mode it is accepted when
 * the model hedges it (see the header comment); otherwise it fails. */
static void differs(int mode, const struct tcase *tc, const struct models *m, const struct rel *x,
		    const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	bool excused;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	excused = mode == M_LONE && ((x && x->modeled && (x->noted || x->via_toi)) ||
				     ((!x || !x->modeled) && m->any_note[mode]));
	if (excused) {
		printf("hedged [%s] %s: %s\n", mode_label[mode], tc->name, msg);
		hedged[mode]++;
	} else {
		failf(mode, tc->name, "%s", msg);
	}
}

static void compare(int mode, const struct tcase *tc, const struct models *m, bool check_locks)
{
	for (size_t i = 0; i < n_rels; i++) {
		struct rel *x = &rels[i];
		bool changed;

		if (check_locks) {
			const struct rel *tab = is_index(x->kind) ? by_oid(x->table_oid) : NULL;
			if (x->modeled && x->model_mode != x->server_mode)
				differs(mode, tc, m, x, "\"%s\": server %s, model %s", x->name,
					mode_name(x->server_mode), mode_name(x->model_mode));
			else if (!x->modeled && x->server_mode && strict_kind(x->kind))
				differs(mode, tc, m, x, "\"%s\": server %s, model does not name it",
					x->name, mode_name(x->server_mode));
			else if (!x->modeled && tab && x->server_mode > tab->server_mode)
				differs(mode, tc, m, x,
					"index \"%s\": server %s (its table \"%s\" %s), model does "
					"not name it",
					x->name, mode_name(x->server_mode), tab->name,
					mode_name(tab->server_mode));
			if (x->probed) {
				bool writes = x->insert_blocked || x->update_blocked;
				if (x->read_blocked != x->blocks_reads ||
				    (x->kind != 'm' && writes != x->blocks_writes))
					differs(mode, tc, m, x,
						"\"%s\": probes: SELECT %s, INSERT %s, UPDATE %s; "
						"model: reads %s, writes %s",
						x->name, x->read_blocked ? "blocked" : "ran",
						x->kind == 'm'	    ? "-"
						: x->insert_blocked ? "blocked"
								    : "ran",
						x->kind == 'm'	    ? "-"
						: x->update_blocked ? "blocked"
								    : "ran",
						x->blocks_reads ? "blocked" : "not blocked",
						x->blocks_writes ? "blocked" : "not blocked");
			}
		}
		if (x->gone || !has_storage(x->kind))
			continue;
		changed = x->filenode_after != x->filenode;
		if (x->modeled) {
			bool want = x->rewrite || (tc->flags & NEW_STORAGE);
			if (changed != want)
				differs(mode, tc, m, x, "\"%s\": relfilenode %s, model says %s",
					x->name, changed ? "changed" : "unchanged",
					x->rewrite ? "rewrite" : "no rewrite");
		} else if (changed && x->kind != 'i' && x->kind != 't') {
			differs(mode, tc, m, x,
				"\"%s\": relfilenode changed, model does not name it", x->name);
		}
		if (check_locks && x->modeled && !(tc->flags & NO_SCAN_CHECK) &&
		    (x->kind == 'r' || x->kind == 'm') && x->tuples > 0) {
			bool scanned = x->rows_read >= (long)x->tuples;
			/* the roles a statement reads through a query or a validation: their
			 * scan is checked unless the case leaves it to the planner */
			bool planner = x->server_mode &&
				       x->server_mode <= 1 /* only ACCESS SHARE: read */ &&
				       (tc->flags & NO_READ_SCAN);
			if (scanned != x->scan && !planner)
				differs(mode, tc, m, x,
					"\"%s\": server read %ld of %.0f rows, model says %s",
					x->name, x->rows_read, x->tuples,
					x->scan ? "scan" : "no scan");
		}
	}
}

/* ---- statements that refuse transaction blocks --------------------------------------------------
 */

/* What the server did while a blocker held `held` on `name`. */
struct wait_obs {
	char name[64];
	int held;	   /* the mode the blocker held */
	char waited[64];   /* the relation the statement waited on, "" if none */
	int waited_mode;   /* its mode, 0 if it never waited */
	bool completed;	   /* it finished without waiting for a relation lock */
	bool handed_over;  /* the lock passed to a fresh blocker at a wait point */
	bool not_measured; /* no way to hold that lock on this relation */
};

static struct wait_obs obs[DG_LOCK_MAX_RELS * 2];
static size_t n_obs;

static int weakest_conflicting(int mode)
{
	int b = 1;
	while (b < 8 && !dg_lock_conflicts((enum dg_lock_mode)b, (enum dg_lock_mode)mode))
		b++;
	return b;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000 * 1000};
	nanosleep(&ts, NULL);
}

/* Session c takes on relation x the lock `held`: on a table by LOCK TABLE; on an index by
 * planning a query on its table (a SELECT takes ACCESS SHARE on every index, an UPDATE ROW
 * EXCLUSIVE). False when there is no way to hold that mode on it; *err on a failure. */
static bool hold(PGconn *c, const struct rel *x, int held, const char **err)
{
	char sql[512];
	const struct rel *tab = is_index(x->kind) ? by_oid(x->table_oid) : NULL;

	*err = NULL;
	if (!is_index(x->kind))
		snprintf(sql, sizeof(sql), "LOCK TABLE \"%s\" IN %s MODE", x->name,
			 mode_name(held));
	else if (tab && held == 1)
		snprintf(sql, sizeof(sql), "SELECT 1 FROM \"%s\" LIMIT 0", tab->name);
	else if (tab && held == 3 && tab->first_col[0])
		snprintf(sql, sizeof(sql), "UPDATE \"%s\" SET \"%s\" = \"%s\" WHERE \"%s\" IS NULL",
			 tab->name, tab->first_col, tab->first_col, tab->first_col);
	else
		return false;
	*err = exec_on(c, sql);
	return true;
}

/* A blocker session holds `held` on x, then the statement starts in the second session: the
 * first relation lock it waits for that conflicts shows in pg_locks, not granted. When it waits
 * for older transactions instead (CONCURRENTLY's wait points, where the blocker is one of them),
 * a fresh blocker session takes the same lock — the statement does not wait for transactions
 * younger than its wait — and the old one lets go, so the statement moves on to its next lock
 * while the lock is still held. */
static void measure_wait(const struct tcase *tc, const struct rel *x, int held, const char *pid,
			 struct wait_obs *o)
{
	char sql[512];
	const char *err;
	PGconn *b = conn, *h = conn4;
	int handovers = 0;

	memset(o, 0, sizeof(*o));
	snprintf(o->name, sizeof(o->name), "%s", x->name);
	o->held = held;
	exec_on(b, "BEGIN");
	if (!hold(b, x, held, &err) || err) {
		if (err)
			failf(-1, tc->name, "blocker on \"%s\": %s", x->name, err);
		o->not_measured = true;
		exec_on(b, "ROLLBACK");
		return;
	}
	if (!PQsendQuery(conn2, tc->sql)) {
		failf(-1, tc->name, "cannot send: %s", PQerrorMessage(conn2));
		exec_on(b, "ROLLBACK");
		return;
	}
	for (int tries = 0; tries < 300; tries++) {
		PGresult *r;
		bool other_wait = false;
		snprintf(sql, sizeof(sql),
			 "SELECT locktype, relation, mode FROM pg_locks WHERE pid = %s AND NOT "
			 "granted",
			 pid);
		r = PQexec(conn3, sql);
		for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
			if (strcmp(PQgetvalue(r, i, 0), "relation") == 0) {
				struct rel *w =
				    by_oid((unsigned)strtoul(PQgetvalue(r, i, 1), NULL, 10));
				snprintf(o->waited, sizeof(o->waited), "%s",
					 w ? w->name : "(a relation the harness does not know)");
				o->waited_mode = (int)dg_lock_mode_from_pg(PQgetvalue(r, i, 2));
			} else {
				other_wait = true;
			}
		}
		PQclear(r);
		if (o->waited_mode)
			break;
		if (other_wait && handovers < 4) {
			exec_on(h, "BEGIN");
			exec_on(h, "SET LOCAL lock_timeout = '1s'");
			if (!hold(h, x, held, &err) || err) {
				exec_on(h, "ROLLBACK");
				break;
			}
			exec_on(b, "ROLLBACK");
			{
				PGconn *t = b;
				b = h;
				h = t;
			}
			handovers++;
			o->handed_over = true;
			continue;
		}
		PQconsumeInput(conn2);
		if (!PQisBusy(conn2)) {
			o->completed = true;
			break;
		}
		sleep_ms(10);
	}
	exec_on(b, "ROLLBACK");
	{
		PGresult *r;
		while ((r = PQgetResult(conn2))) {
			if (PQresultStatus(r) != PGRES_COMMAND_OK &&
			    PQresultStatus(r) != PGRES_TUPLES_OK)
				failf(-1, tc->name, "outside a transaction block it failed: %s",
				      PQresultErrorMessage(r));
			PQclear(r);
		}
	}
}

static void compare_waits(int mode, const struct tcase *tc, const struct models *m)
{
	for (size_t i = 0; i < n_obs; i++) {
		const struct wait_obs *o = &obs[i];
		const struct rel *x = by_name(o->name);
		const struct rel *w = o->waited[0] ? by_name(o->waited) : NULL;
		if (!x || o->not_measured)
			continue;
		if (o->waited_mode && w == x) {
			if (!x->modeled || x->model_mode != o->waited_mode)
				differs(mode, tc, m, x,
					"\"%s\": holding %s, the server waits for %s, model %s",
					x->name, mode_name(o->held), mode_name(o->waited_mode),
					x->modeled ? mode_name(x->model_mode) : "nothing");
		} else if (o->waited_mode) {
			if (!w || !w->modeled || w->model_mode != o->waited_mode)
				differs(mode, tc, m, w,
					"holding %s on \"%s\", the server waits for %s on \"%s\", "
					"model %s",
					mode_name(o->held), x->name, mode_name(o->waited_mode),
					o->waited,
					w && w->modeled ? mode_name(w->model_mode) : "nothing");
		} else if (o->completed && !o->handed_over) {
			/* (after a handover, a lock the statement takes once nothing can use
			 * the relation any more — DROP INDEX CONCURRENTLY's ACCESS EXCLUSIVE on
			 * the dead index — cannot be held against it: inconclusive) */
			if (x->modeled && dg_lock_conflicts((enum dg_lock_mode)o->held,
							    (enum dg_lock_mode)x->model_mode))
				differs(mode, tc, m, x,
					"\"%s\": holding %s, the statement never waited; model %s",
					x->name, mode_name(o->held), mode_name(x->model_mode));
		}
	}
}

/* ---- one case ----------------------------------------------------------------------------------
 */

static const char *reset(const struct tcase *tc)
{
	const char *err;

	if ((err = exec(reset_sql)) || (err = exec(base_setup)) ||
	    (tc->setup && ((err = exec(tc->setup)) || (err = exec("ANALYZE")))))
		return err;
	return NULL;
}

static void run_no_tx(const struct tcase *tc, const struct models *m)
{
	struct {
		char name[64];
		int held;
	} targets[DG_LOCK_MAX_RELS * 2];
	size_t n_targets = 0;
	char pid[16];
	PGresult *r;
	const char *err;

	/* what to hold: on every relation the same-file or memory reading names, the weakest mode
	 * that conflicts with the model's, and ACCESS SHARE (which only ACCESS EXCLUSIVE waits
	 * for, at whatever point of the statement it comes) */
	collecting = true;
	for (int k = M_FILE; k <= M_MEMORY; k++) {
		apply_model(k, tc, m->sl[k]);
		for (size_t i = 0; i < n_rels; i++) {
			int want[2];
			if (!rels[i].modeled || !rels[i].model_mode ||
			    !(strict_kind(rels[i].kind) || is_index(rels[i].kind)))
				continue;
			want[0] = weakest_conflicting(rels[i].model_mode);
			want[1] = 1;
			for (int w = 0; w < 2; w++) {
				size_t j;
				for (j = 0; j < n_targets; j++)
					if (strcmp(targets[j].name, rels[i].name) == 0 &&
					    targets[j].held == want[w])
						break;
				if (j < n_targets ||
				    n_targets == sizeof(targets) / sizeof(*targets))
					continue;
				snprintf(targets[j].name, sizeof(targets[j].name), "%s",
					 rels[i].name);
				targets[j].held = want[w];
				n_targets++;
			}
		}
	}
	collecting = false;
	r = PQexec(conn2, "SELECT pg_backend_pid()");
	snprintf(pid, sizeof(pid), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	n_obs = 0;
	for (size_t j = 0; j < n_targets; j++) {
		const struct rel *x;
		if (j > 0) {
			if ((err = reset(tc))) {
				failf(-1, tc->name, "setup failed: %s", err);
				return;
			}
			snapshot();
		}
		x = by_name(targets[j].name);
		if (!x)
			continue;
		measure_wait(tc, x, targets[j].held, pid, &obs[n_obs]);
		printf("     %-45s holding %s on %s: %s%s%s\n", tc->name,
		       mode_name(obs[n_obs].held), x->name,
		       obs[n_obs].not_measured ? "not measurable"
		       : obs[n_obs].completed
			   ? (obs[n_obs].handed_over
				  ? "never waited after a wait point (inconclusive)"
				  : "never waited")
		       : obs[n_obs].waited_mode ? "waits for "
						: "waited for no relation lock (3s)",
		       obs[n_obs].waited_mode ? mode_name(obs[n_obs].waited_mode) : "",
		       obs[n_obs].waited_mode
			   ? (strcmp(obs[n_obs].waited, x->name) == 0 ? "" : " elsewhere")
			   : "");
		n_obs++;
	}
	if (n_targets == 0) {
		/* nothing to hold: just run it */
		if ((err = exec_on(conn2, tc->sql)))
			failf(-1, tc->name, "outside a transaction block it failed: %s", err);
	}
	read_filenodes();
}

static void run_case(const struct tcase *tc)
{
	struct models m;
	const char *err;
	char server_error[1024] = "";
	bool in_tx = !(tc->flags & (NO_TX | AUTOCOMMIT));
	int before[N_MODES];

	for (int k = 0; k < N_MODES; k++)
		before[k] = mode_failures[k];
	build_models(tc, &m);
	/* the base schema stays as it is after a case that rolled back */
	if ((dirty || tc->setup) && (err = reset(tc))) {
		failf(-1, tc->name, "setup failed: %s", err);
		models_clear(&m);
		dirty = true;
		return;
	}
	dirty = tc->setup || (tc->flags & NO_TX);
	snapshot();

	/* the server */
	if (tc->flags & EXPECT_ERROR) {
		if (in_tx)
			exec("BEGIN");
		err = exec(tc->sql);
		snprintf(server_error, sizeof(server_error), "%s", err ? err : "");
		if (in_tx)
			exec("ROLLBACK");
		if (!err || !strstr(err, tc->error))
			failf(-1, tc->name, "the server said \"%s\", the case expects \"%s\"",
			      err ? err : "OK", tc->error);
	} else if (tc->flags & NO_TX) {
		exec("BEGIN");
		err = exec(tc->sql);
		if (!err || !strstr(err, "cannot run inside a transaction block"))
			failf(-1, tc->name, "inside BEGIN the server said: %s", err ? err : "OK");
		exec("ROLLBACK");
		run_no_tx(tc, &m);
	} else {
		/* the probe sessions, like an application's, have the tables in their caches
		 * (a cold session also locks a partition's parent to learn its bound) */
		probe_all();
		exec("BEGIN");
		/* counts not yet flushed by earlier transactions show in the xact view too */
		read_rows(true);
		if ((err = exec(tc->sql))) {
			failf(-1, tc->name, "the statement failed: %s", err);
			exec("ROLLBACK");
			models_clear(&m);
			return;
		}
		read_locks();
		probe_all();
		/* the new relfilenodes show to the statement's own session; rolling back
		 * leaves the schema as it was for the next case */
		read_filenodes();
		if ((err = exec("ROLLBACK")))
			failf(-1, tc->name, "ROLLBACK failed: %s", err);
	}

	/* each reading of the model */
	for (int k = 0; k < N_MODES; k++) {
		const struct dg_stmt_locks *sl = m.sl[k];
		if (!sl)
			continue;
		if (!sl->known)
			differs(k, tc, &m, NULL, "the statement is not in the lock model");
		if (tc->flags & EXPECT_ERROR) {
			if (!sl->fails)
				differs(k, tc, &m, NULL,
					"the server refuses it (\"%s\"), the model does not say it "
					"fails",
					server_error);
			continue;
		}
		if (sl->fails)
			differs(k, tc, &m, NULL, "the model says it fails (%s); the server ran it",
				sl->fails);
		if ((tc->flags & NO_TX) && !sl->no_transaction)
			differs(k, tc, &m, NULL,
				"server refuses it in a transaction block, model does not say so");
		if (!(tc->flags & NO_TX) && sl->no_transaction)
			differs(k, tc, &m, NULL,
				"model says it cannot run in a transaction block; it can");
		apply_model(k, tc, sl);
		if (tc->flags & NO_TX) {
			compare_waits(k, tc, &m);
			compare(k, tc, &m, false);
		} else {
			compare(k, tc, &m, true);
		}
	}
	{
		bool ok = true;
		for (int k = 0; k < N_MODES; k++)
			ok &= mode_failures[k] == before[k];
		if (ok && m.sl[M_MEMORY]) {
			const struct dg_stmt_locks *sl = m.sl[M_MEMORY];
			printf("ok   %-45s", tc->name);
			if (sl->fails)
				printf(" fails: %s", sl->fails);
			for (size_t k = 0; k < sl->n_rows; k++)
				printf(" %s=%s%s%s", sl->rows[k].relation,
				       sl->rows[k].mode ? sl->rows[k].mode : "-",
				       sl->rows[k].rewrite ? "+rewrite" : "",
				       sl->rows[k].scan ? "+scan" : "");
			putchar('\n');
		}
	}
	models_clear(&m);
}

/* The model's volatile functions are volatile in pg_catalog; the stable ones it must not list. */
static void check_volatility(void)
{
	static const char *const must_be_volatile[] = {
	    "random",  "clock_timestamp", "timeofday", "gen_random_uuid",
	    "nextval", "setval",	  "currval",   "lastval"};
	static const char *const not_volatile[] = {
	    "now",	    "statement_timestamp", "transaction_timestamp",
	    "txid_current", "current_setting",	   "pg_current_xact_id",
	    "md5"};
	/* a name can have several overloads (ts_rewrite): volatile means all of them are, and the
	 * model may call a name volatile only if one of them is */
	PGresult *r =
	    query("SELECT proname, bool_and(provolatile = 'v'), bool_or(provolatile = "
		  "'v') FROM pg_proc WHERE pronamespace = 'pg_catalog'::regnamespace GROUP "
		  "BY proname");

	for (int i = 0; i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		bool vol = PQgetvalue(r, i, 1)[0] == 't';
		bool model = dg_lock_function_is_volatile(name);
		for (size_t k = 0; k < sizeof(must_be_volatile) / sizeof(*must_be_volatile); k++)
			if (strcmp(name, must_be_volatile[k]) == 0 && !(vol && model))
				failf(-1, "volatility", "%s: server %s, model %s", name,
				      vol ? "volatile" : "not volatile",
				      model ? "volatile" : "not");
		for (size_t k = 0; k < sizeof(not_volatile) / sizeof(*not_volatile); k++)
			if (strcmp(name, not_volatile[k]) == 0 && (vol || model))
				failf(-1, "volatility", "%s: server %s, model %s", name,
				      vol ? "volatile" : "not volatile",
				      model ? "volatile" : "not");
		if (model && PQgetvalue(r, i, 2)[0] != 't')
			failf(-1, "volatility", "%s: model says volatile, server says not", name);
	}
	PQclear(r);
}

/* The conflict table itself: session A holds mode a, session B asks for mode b with NOWAIT. */
static void check_conflicts(void)
{
	static const char *const sql_modes[] = {NULL,
						"ACCESS SHARE",
						"ROW SHARE",
						"ROW EXCLUSIVE",
						"SHARE UPDATE EXCLUSIVE",
						"SHARE",
						"SHARE ROW EXCLUSIVE",
						"EXCLUSIVE",
						"ACCESS EXCLUSIVE"};
	PGconn *other = conn3;
	char sql[256];
	int checked = 0;

	exec("CREATE TABLE IF NOT EXISTS lock_probe (id int)");
	for (int a = 1; a <= 8; a++) {
		for (int b = 1; b <= 8; b++) {
			PGresult *r;
			bool server;
			exec("BEGIN");
			snprintf(sql, sizeof(sql), "LOCK TABLE lock_probe IN %s MODE",
				 sql_modes[a]);
			exec(sql);
			PQclear(PQexec(other, "BEGIN"));
			snprintf(sql, sizeof(sql), "LOCK TABLE lock_probe IN %s MODE NOWAIT",
				 sql_modes[b]);
			r = PQexec(other, sql);
			server = PQresultStatus(r) != PGRES_COMMAND_OK;
			PQclear(r);
			PQclear(PQexec(other, "ROLLBACK"));
			exec("ROLLBACK");
			if (server != dg_lock_conflicts((enum dg_lock_mode)a, (enum dg_lock_mode)b))
				failf(-1, "conflicts", "%s then %s: server %s, model %s",
				      sql_modes[a], sql_modes[b],
				      server ? "conflict" : "no conflict",
				      server ? "no conflict" : "conflict");
			checked++;
		}
	}
	/* what the report's columns mean: a plain SELECT and a plain UPDATE */
	for (int a = 1; a <= 8; a++) {
		PGresult *r;
		bool reads, writes;
		exec("BEGIN");
		snprintf(sql, sizeof(sql), "LOCK TABLE lock_probe IN %s MODE", sql_modes[a]);
		exec(sql);
		r = PQexec(other, "SELECT * FROM lock_probe");
		reads = PQresultStatus(r) != PGRES_TUPLES_OK;
		PQclear(r);
		r = PQexec(other, "UPDATE lock_probe SET id = 1");
		writes = PQresultStatus(r) != PGRES_COMMAND_OK;
		PQclear(r);
		exec("ROLLBACK");
		if (reads != dg_lock_blocks_reads((enum dg_lock_mode)a) ||
		    writes != dg_lock_blocks_writes((enum dg_lock_mode)a))
			failf(-1, "conflicts", "%s: server blocks reads %d writes %d, model %d %d",
			      sql_modes[a], reads, writes,
			      dg_lock_blocks_reads((enum dg_lock_mode)a),
			      dg_lock_blocks_writes((enum dg_lock_mode)a));
		checked++;
	}
	exec("DROP TABLE lock_probe");
	printf("conflict table: %d pairs checked\n", checked);
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static PGconn *connect_session(const char *conninfo, const char *what)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK) {
		printf("cannot connect the %s session: %s", what, PQerrorMessage(c));
		exit(1);
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

int main(int argc, char **argv)
{
	const char *conninfo = getenv("DG_PG_CONNINFO"), *tsdir = getenv("DG_PG_TABLESPACE_DIR");
	const char *only = argc > 1 ? argv[1] : NULL;
	char sql[1024];
	size_t n = sizeof(cases) / sizeof(cases[0]), ran = 0;

	if (!conninfo) {
		puts("SKIP: DG_PG_CONNINFO is not set (run through tests/pg/run.sh)");
		return SKIP;
	}
	conn = connect_session(conninfo, "main");
	server_major = PQserverVersion(conn) / 10000;
	conn2 = connect_session(conninfo, "second");
	conn3 = connect_session(conninfo, "probe");
	probe_conninfo = conninfo;
	conn4 = connect_session(conninfo, "second blocker");
	if (exec_on(conn3, "SET lock_timeout = '100ms'")) {
		printf("cannot set lock_timeout on the probe session\n");
		return 1;
	}
	exec("CREATE ROLE dg_role");
	exec("DROP PUBLICATION IF EXISTS dg_pub");
	if (tsdir) {
		snprintf(sql, sizeof(sql), "CREATE TABLESPACE dg_ts LOCATION '%s'", tsdir);
		if (exec(sql))
			printf("note: %s\n", exec(sql));
	}
	check_volatility();
	check_conflicts();
	for (size_t i = 0; i < n; i++) {
		if (only && !strstr(cases[i].name, only))
			continue;
		{
			struct timespec t0, t1;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			run_case(&cases[i]);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (getenv("DG_PG_TIMING"))
				printf("time %5ld ms  %s\n",
				       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
					      (t1.tv_nsec - t0.tv_nsec) / 1000000),
				       cases[i].name);
		}
		ran++;
	}
	for (int k = 0; k < N_MODES; k++)
		printf("%zu statement kinds checked against PostgreSQL %d (%s), %d mismatch(es)\n",
		       ran, server_major, mode_label[k], mode_failures[k]);
	printf("lone: %d difference(s) hedged by a note\n", hedged[M_LONE]);
	if (server_failures)
		printf("%d problem(s) of the server run itself\n", server_failures);
	for (size_t i = 0; i < MAX_PROBES && probe_conn[i]; i++)
		PQfinish(probe_conn[i]);
	PQfinish(conn4);
	PQfinish(conn3);
	PQfinish(conn2);
	PQfinish(conn);
	return total_failures() ? 1 : 0;
}
