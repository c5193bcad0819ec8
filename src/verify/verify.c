/* verify.c — one migration root on a real server: a temporary database, then each migration
 * up, down, up again, as the runner sends it (dg_read_migration: the linter's own reading of
 * sections and transaction modes), with snapshots compared and locks observed per statement. */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dynamodb/dynamodb.h"
#include "engine.h"
#include "lex.h"
#include "locks.h"
#include "pq.h"
#include "snapshot.h"

struct dg_verify_session {
	PGconn *admin; /* the server's connection on which temporary databases are made */
	char *conninfo;
	int major;
	unsigned serial;
};

/* ---- connections ----------------------------------------------------------------------------- */

static PGconn *connect_db(const char *conninfo, const char *dbname)
{
	const char *keys[] = {"dbname", "dbname", "application_name", NULL};
	const char *vals[] = {conninfo, dbname, "ddlguard verify", NULL};

	if (!dbname) {
		keys[1] = "application_name";
		vals[1] = "ddlguard verify";
		keys[2] = NULL;
	}
	return PQconnectdbParams(keys, vals, 1);
}

static char *trimmed_error(PGconn *c)
{
	char *m = dg_xstrdup(PQerrorMessage(c));
	size_t n = strlen(m);

	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	return m;
}

struct dg_verify_session *dg_verify_connect(const char *conninfo, char **err)
{
	struct dg_verify_session *s;
	char why[512];
	PGconn *c;

	if (!dg_pq_load(why, sizeof(why))) {
		*err = dg_xstrdup(why);
		return NULL;
	}
	c = connect_db(conninfo, NULL);
	if (PQstatus(c) != CONNECTION_OK) {
		*err = trimmed_error(c);
		PQfinish(c);
		return NULL;
	}
	s = dg_xcalloc(1, sizeof(*s));
	s->admin = c;
	s->conninfo = dg_xstrdup(conninfo);
	s->major = PQserverVersion(c) / 10000;
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	return s;
}

int dg_verify_server_major(const struct dg_verify_session *s)
{
	return s->major;
}

void dg_verify_disconnect(struct dg_verify_session *s)
{
	if (!s)
		return;
	PQfinish(s->admin);
	free(s->conninfo);
	free(s);
}

static bool exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	PQclear(r);
	return ok;
}

static void quiet_notices(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

/* ---- one root's state --------------------------------------------------------------------------
 */

struct vfile {
	char *path;
	char *buf;
	size_t len;
	struct dg_arena arena;
	struct dg_read rd;
	bool readable;
	struct dg_lock_report locks; /* the model, index-aligned with rd.parsed.stmts */
	struct dg_verify_file *out;
	struct vfile *down_file; /* file-pair formats: where this migration's down is */
	bool is_down_only;	 /* a down file of a pair: not a migration of its own */
};

enum phase { PH_UP, PH_DOWN, PH_REUP };

struct vroot {
	struct dg_verify_session *s;
	const struct dg_config *cfg;
	PGconn *conn, *probe;
	char dbname[64];
	struct vfile *files;
	size_t n;
	/* the failure that stops the root: where, to name it in "not verified" */
	bool failed;
	char failed_at[512];
	const char *hook; /* DG_VERIFY_TEST_HOOK */
};

static void emit(struct vroot *R, struct vfile *f, size_t rule, enum dg_direction dir,
		 const struct dg_stmt *st, size_t start, size_t end, const char *fmt, ...)
    DG_PRINTF(8, 9);

static void emit(struct vroot *R, struct vfile *f, size_t rule, enum dg_direction dir,
		 const struct dg_stmt *st, size_t start, size_t end, const char *fmt, ...)
{
	struct dg_ctx ctx = {0};
	char msg[2048];
	va_list ap;

	if (!R->cfg->enabled[rule])
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx.cfg = R->cfg;
	ctx.src = &f->rd.src;
	ctx.out = &f->out->result;
	ctx.stmt = st;
	ctx.parsed = &f->rd.parsed;
	ctx.mig = &f->rd.mig;
	dg_emit(&ctx, rule, dir, start, end, dg_rules[rule]->help, msg);
}

/* Where a finding about a whole direction of a file points: its first statement in that
 * direction, else the first section of that direction, else the file's anchor. */
static void dir_anchor(const struct vfile *f, enum dg_direction dir, const struct dg_stmt **st,
		       size_t *start, size_t *end)
{
	const struct dg_parsed *p = &f->rd.parsed;

	*st = NULL;
	for (size_t i = 0; i < p->n_stmts; i++)
		if (p->stmts[i].section->dir == dir ||
		    (dir == DG_DIR_UP && p->stmts[i].section->dir == DG_DIR_NONE)) {
			*st = &p->stmts[i];
			*start = p->stmts[i].start;
			*end = p->stmts[i].end;
			return;
		}
	for (size_t i = 0; i < f->rd.mig.n_sections; i++)
		if (f->rd.mig.sections[i].dir == dir) {
			*start = f->rd.mig.sections[i].start;
			*end = dg_token_end(f->rd.src.text, *start, f->rd.src.len);
			return;
		}
	*start = f->rd.mig.anchor_start;
	*end = f->rd.mig.anchor_end;
}

static bool in_dir(const struct dg_section *sec, enum dg_direction dir)
{
	return sec->dir == dir || (dir == DG_DIR_UP && sec->dir == DG_DIR_NONE);
}

static bool has_dir(const struct vfile *f, enum dg_direction dir)
{
	for (size_t i = 0; i < f->rd.mig.n_sections; i++)
		if (in_dir(&f->rd.mig.sections[i], dir))
			return true;
	return false;
}

/* ---- observed locks ----------------------------------------------------------------------------
 */

struct relinfo {
	unsigned oid;
	char nsp[64], name[64];
	char kind;
	unsigned table_oid; /* of an index */
	unsigned before;    /* bit per lock mode held before the statement */
	unsigned after;	    /* … after it */
	int model;	    /* the model's strongest mode, -1 when it does not name it */
};

struct relmap {
	struct relinfo *r;
	size_t n;
};

static void relmap_free(struct relmap *m)
{
	free(m->r);
	m->r = NULL;
	m->n = 0;
}

static bool read_relmap(PGconn *c, struct relmap *m)
{
	PGresult *r = PQexec(
	    c, "SELECT c.oid, n.nspname, c.relname, c.relkind, coalesce(i.indrelid, 0) "
	       "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	       "LEFT JOIN pg_index i ON i.indexrelid = c.oid "
	       "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT "
	       "LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'");

	relmap_free(m);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return false;
	}
	m->n = (size_t)PQntuples(r);
	m->r = dg_xcalloc(m->n ? m->n : 1, sizeof(*m->r));
	for (size_t i = 0; i < m->n; i++) {
		struct relinfo *x = &m->r[i];
		x->oid = (unsigned)strtoul(PQgetvalue(r, (int)i, 0), NULL, 10);
		snprintf(x->nsp, sizeof(x->nsp), "%s", PQgetvalue(r, (int)i, 1));
		snprintf(x->name, sizeof(x->name), "%s", PQgetvalue(r, (int)i, 2));
		x->kind = PQgetvalue(r, (int)i, 3)[0];
		x->table_oid = (unsigned)strtoul(PQgetvalue(r, (int)i, 4), NULL, 10);
		x->model = -1;
	}
	PQclear(r);
	return true;
}

static struct relinfo *rel_by_oid(struct relmap *m, unsigned oid)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->r[i].oid == oid)
			return &m->r[i];
	return NULL;
}

/* A relation as the model names it: "name" (any schema, public first) or "schema.name". */
static struct relinfo *rel_by_label(struct relmap *m, const char *label)
{
	const char *dot = strchr(label, '.');
	struct relinfo *any = NULL;

	for (size_t i = 0; i < m->n; i++) {
		struct relinfo *x = &m->r[i];
		if (dot) {
			if (strlen(x->nsp) == (size_t)(dot - label) &&
			    strncmp(x->nsp, label, (size_t)(dot - label)) == 0 &&
			    strcmp(x->name, dot + 1) == 0)
				return x;
		} else if (strcmp(x->name, label) == 0) {
			if (strcmp(x->nsp, "public") == 0)
				return x;
			if (!any)
				any = x;
		}
	}
	return any;
}

/* Lock modes held on relations by backend `pid` (0: this session), as bits into field `after`
 * (or `before`). */
static bool read_locks(PGconn *c, int pid, struct relmap *m, bool after, bool granted_only)
{
	char sql[512];
	PGresult *r;

	snprintf(
	    sql, sizeof(sql),
	    "SELECT relation, mode FROM pg_locks WHERE locktype = 'relation' AND pid = %s%d "
	    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())%s",
	    pid ? "" : "pg_backend_pid() + ", pid, granted_only ? " AND granted" : "");
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return false;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		struct relinfo *x = rel_by_oid(m, (unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10));
		int mode = (int)dg_lock_mode_from_pg(PQgetvalue(r, i, 1));
		if (!x || mode <= 0)
			continue;
		if (after)
			x->after |= 1u << mode;
		else
			x->before |= 1u << mode;
	}
	PQclear(r);
	return true;
}

static int strongest(unsigned bits)
{
	for (int m = DG_LOCK_ACCESS_EXCLUSIVE; m > 0; m--)
		if (bits & (1u << m))
			return m;
	return 0;
}

/* A relation that can be named in a lock comparison: tables, views, materialized views. */
static bool strict_kind(char k)
{
	return k == 'r' || k == 'p' || k == 'm' || k == 'v' || k == 'f';
}

/* The test-only hook (see DG_VERIFY_TEST_HOOK): the mode it claims for `label` at this statement,
 * or -1. */
static int hook_mode(const struct vroot *R, const struct vfile *f, unsigned line, const char *label)
{
	char suffix[512], rel[128], mode[64];
	unsigned hline;
	const char *colon, *eq;
	size_t plen;

	if (!R->hook)
		return -1;
	/* FILE-SUFFIX:LINE:RELATION=MODE; the mode may hold spaces ("ACCESS SHARE") */
	eq = strchr(R->hook, '=');
	if (!eq)
		return -1;
	colon = eq;
	while (colon > R->hook && colon[-1] != ':')
		colon--;
	if (colon == R->hook)
		return -1;
	snprintf(rel, sizeof(rel), "%.*s", (int)(eq - colon), colon);
	snprintf(mode, sizeof(mode), "%s", eq + 1);
	{
		const char *c2 = colon - 1, *p = c2;
		while (p > R->hook && p[-1] != ':')
			p--;
		if (p == R->hook || sscanf(p, "%u", &hline) != 1)
			return -1;
		snprintf(suffix, sizeof(suffix), "%.*s", (int)(p - 1 - R->hook), R->hook);
	}
	plen = strlen(f->path);
	if (hline != line || strcmp(rel, label) != 0 || strlen(suffix) > plen ||
	    strcmp(f->path + plen - strlen(suffix), suffix) != 0)
		return -1;
	for (int m = 1; m <= DG_LOCK_ACCESS_EXCLUSIVE; m++)
		if (strcasecmp(mode, dg_lock_mode_name((enum dg_lock_mode)m)) == 0)
			return m;
	return -1;
}

/* Puts the model's strongest mode per relation into `m` (relations it names that do not exist
 * are left out). */
static void apply_model(struct vroot *R, struct vfile *f, const struct dg_stmt_locks *sl,
			struct relmap *m)
{
	for (size_t k = 0; k < sl->n_rows; k++) {
		const struct dg_lock_row *row = &sl->rows[k];
		struct relinfo *x;
		int mode = row->strength, h;

		if (strcmp(row->role, "new") == 0)
			continue;
		if (strncmp(row->relation, "(table of index ", 16) == 0) {
			char name[256];
			struct relinfo *idx;
			snprintf(name, sizeof(name), "%s", row->relation + 16);
			name[strcspn(name, ")")] = '\0';
			idx = rel_by_label(m, name);
			x = idx ? rel_by_oid(m, idx->table_oid) : NULL;
		} else {
			x = rel_by_label(m, row->relation);
		}
		if (!x)
			continue; /* made by an earlier statement that failed, or not there */
		h = hook_mode(R, f, sl->line, row->relation);
		if (h > 0)
			mode = h;
		if (mode > x->model)
			x->model = mode;
	}
}

static const char *mode_word(int m)
{
	return m > 0 ? dg_lock_mode_name((enum dg_lock_mode)m) : "no lock";
}

static void qualified(const struct relinfo *x, char *buf, size_t n)
{
	if (strcmp(x->nsp, "public") == 0)
		snprintf(buf, n, "%s", x->name);
	else
		snprintf(buf, n, "%s.%s", x->nsp, x->name);
}

/* Compares what the statement took (after − before) with the model. `sampled`: another session
 * watched it (it may have missed short-lived locks: only locks it saw count). */
static void compare_locks(struct vroot *R, struct vfile *f, const struct dg_stmt *st,
			  struct relmap *m, bool sampled)
{
	for (size_t i = 0; i < m->n; i++) {
		struct relinfo *x = &m->r[i];
		unsigned fresh = x->after & ~x->before;
		int took = strongest(fresh);
		char name[160];

		if (!strict_kind(x->kind) && x->model < 0)
			continue;
		qualified(x, name, sizeof(name));
		if (x->model > 0) {
			bool holds = (x->after >> x->model) & 1u;
			/* a sampler can miss a short-lived lock (DROP INDEX CONCURRENTLY takes its
			 * ACCESS EXCLUSIVE for a moment at the end): only a stronger mode than the
			 * model's, which it did see, is a claim */
			if (sampled && took <= x->model)
				continue;
			if (!holds || took > x->model)
				emit(R, f, DG_RULE_ID_lock_model_mismatch, st->section->dir, st,
				     st->start, st->end,
				     "the lock model says %s on \"%s\", PostgreSQL took %s",
				     mode_word(x->model), name,
				     mode_word(took ? took : strongest(x->after)));
		} else if (took && x->model < 0) {
			emit(
			    R, f, DG_RULE_ID_lock_model_mismatch, st->section->dir, st, st->start,
			    st->end,
			    "PostgreSQL took %s on \"%s\", which the lock model does not name for this "
			    "statement",
			    mode_word(took), name);
		}
	}
}

/* ---- running statements -------------------------------------------------------------------------
 */

struct failure {
	bool failed;
	const struct dg_stmt *st;
	size_t start, end;
	char message[1600];
	char primary[1024]; /* without the detail */
	char sqlstate[6];
};

static bool is_tx_control(const struct dg_stmt *st)
{
	return st->node->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT;
}

static void record_failure(struct vfile *f, const struct dg_stmt *st, PGresult *res, PGconn *conn,
			   struct failure *fl)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
	const char *text = f->rd.src.text;

	fl->failed = true;
	fl->st = st;
	fl->start = st->start;
	fl->end = st->end;
	if (pos) {
		size_t b =
		    dg_char_to_byte(text + st->start, st->end - st->start, strtoul(pos, NULL, 10));
		if (st->start + b < st->end) {
			fl->start = st->start + b;
			fl->end = dg_token_end(text, fl->start, st->end);
			if (fl->end <= fl->start)
				fl->end = fl->start + 1;
		}
	}
	snprintf(fl->primary, sizeof(fl->primary), "%s", primary ? primary : "");
	if (!primary) {
		char *m = trimmed_error(conn);
		snprintf(fl->message, sizeof(fl->message), "%s", m);
		free(m);
	} else if (detail) {
		snprintf(fl->message, sizeof(fl->message), "%s (%s)", primary, detail);
	} else {
		snprintf(fl->message, sizeof(fl->message), "%s", primary);
	}
	snprintf(fl->sqlstate, sizeof(fl->sqlstate), "%s", state ? state : "?????");
}

static bool run_sql(PGconn *c, const char *sql, PGresult **res)
{
	ExecStatusType t;

	*res = PQexec(c, sql);
	t = PQresultStatus(*res);
	return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_EMPTY_QUERY ||
	       t == PGRES_COPY_IN || t == PGRES_COPY_OUT;
}

static PGconn *probe_conn(struct vroot *R)
{
	if (!R->probe) {
		R->probe = connect_db(R->s->conninfo, R->dbname);
		if (PQstatus(R->probe) != CONNECTION_OK) {
			PQfinish(R->probe);
			R->probe = NULL;
		}
	}
	return R->probe;
}

/* A statement PostgreSQL refuses inside a transaction block, watched from a second session:
 * the locks it holds or waits for while it runs. */
static bool run_sampled(struct vroot *R, const char *sql, struct relmap *m, PGresult **res)
{
	PGconn *p = probe_conn(R);
	int pid = PQbackendPID(R->conn);
	PGresult *r, *last = NULL;
	bool ok = true;

	if (!p || !PQsendQuery(R->conn, sql))
		return run_sql(R->conn, sql, res);
	for (;;) {
		struct timespec ts = {0, 2 * 1000 * 1000};
		if (!PQconsumeInput(R->conn))
			break;
		if (!PQisBusy(R->conn))
			break;
		read_locks(p, pid, m, true, false);
		nanosleep(&ts, NULL);
	}
	/* the first error, else the last result */
	while ((r = PQgetResult(R->conn))) {
		ExecStatusType t = PQresultStatus(r);
		bool bad = t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_EMPTY_QUERY;
		if (ok) {
			PQclear(last);
			last = r;
		} else {
			PQclear(r);
		}
		if (bad)
			ok = false;
	}
	*res = last;
	return ok && last;
}

/* Runs one statement as the runner sends it, observing its locks when `observe`. */
static bool run_stmt(struct vroot *R, struct vfile *f, size_t idx, bool observe, struct failure *fl)
{
	const struct dg_stmt *st = &f->rd.parsed.stmts[idx];
	const struct dg_stmt_locks *sl = idx < f->locks.n_stmts ? &f->locks.stmts[idx] : NULL;
	char *sql = dg_xmalloc(st->end - st->start + 1);
	struct relmap m = {0};
	PGresult *res = NULL;
	bool ok, wrapped = false, watched = false;

	memcpy(sql, f->rd.src.text + st->start, st->end - st->start);
	sql[st->end - st->start] = '\0';
	if (observe && sl && sl->known && sl->n_rows && !is_tx_control(st) &&
	    read_relmap(R->conn, &m)) {
		bool in_tx = PQtransactionStatus(R->conn) == PQTRANS_INTRANS;
		if (!in_tx && sl->no_transaction) {
			watched = true;
		} else {
			/* outside a block, the statement's locks end with it: BEGIN … COMMIT
			 * around it keeps them visible, and changes nothing else */
			if (!in_tx)
				wrapped = exec_ok(R->conn, "BEGIN");
			read_locks(R->conn, 0, &m, false, true);
		}
		apply_model(R, f, sl, &m);
	}
	if (watched)
		ok = run_sampled(R, sql, &m, &res);
	else
		ok = run_sql(R->conn, sql, &res);
	if (!ok && wrapped && res && PQresultErrorField(res, PG_DIAG_SQLSTATE) &&
	    strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE), "25001") == 0) {
		/* refused in a block after all: run it as the runner would, unobserved */
		PQclear(res);
		exec_ok(R->conn, "ROLLBACK");
		wrapped = false;
		relmap_free(&m);
		ok = run_sql(R->conn, sql, &res);
	}
	if (ok && m.n) {
		if (!watched)
			read_locks(R->conn, 0, &m, true, true);
		compare_locks(R, f, st, &m, watched);
	}
	if (!ok) {
		record_failure(f, st, res, R->conn, fl);
		if (PQtransactionStatus(R->conn) == PQTRANS_INERROR ||
		    PQtransactionStatus(R->conn) == PQTRANS_INTRANS)
			exec_ok(R->conn, "ROLLBACK");
	} else if (wrapped && !exec_ok(R->conn, "COMMIT")) {
		record_failure(f, st, NULL, R->conn, fl);
		ok = false;
	}
	PQclear(res);
	relmap_free(&m);
	free(sql);
	return ok;
}

/* Applies direction `dir` of file f: the sections in order, each in its transaction mode. */
static bool run_dir(struct vroot *R, struct vfile *f, enum dg_direction dir, bool observe,
		    struct failure *fl)
{
	const struct dg_parsed *p = &f->rd.parsed;
	const struct dg_section *open = NULL; /* the section whose tool transaction is open */

	memset(fl, 0, sizeof(*fl));
	/* a statement that does not parse: the runner would send it and fail; we cannot split
	 * the section around it */
	for (size_t i = 0; i < p->n_errors; i++) {
		const struct dg_syntax_error *e = &p->errors[i];
		if (!in_dir(e->section, dir))
			continue;
		fl->failed = true;
		fl->start = e->offset;
		fl->end = dg_token_end(f->rd.src.text, e->offset, f->rd.src.len);
		snprintf(fl->message, sizeof(fl->message), "%s: not sent to the server (%s)",
			 e->template_kind ? "the statement is a template" : "syntax error",
			 e->message ? e->message : "see syntax-error");
		snprintf(fl->sqlstate, sizeof(fl->sqlstate), "%s",
			 e->template_kind ? "-----" : "42601");
		return false;
	}
	for (size_t i = 0; i < p->n_stmts; i++) {
		const struct dg_stmt *st = &p->stmts[i];
		const struct dg_section *sec = st->section;

		if (!in_dir(sec, dir) || st->holder) /* a DO block's statement runs with it */
			continue;
		if (open && sec != open &&
		    !(sec->tx == DG_TX_WRAPPED && open->tx == DG_TX_WRAPPED && sec->unit &&
		      sec->unit == open->unit)) {
			if (!exec_ok(R->conn, "COMMIT")) {
				record_failure(f, st, NULL, R->conn, fl);
				return false;
			}
			open = NULL;
		}
		if (!open) {
			size_t n_in_sec = 0;
			for (size_t k = i; k < p->n_stmts && p->stmts[k].section == sec; k++)
				n_in_sec += !p->stmts[k].holder;
			/* the tool's transaction; several statements sent as one query form an
			 * implicit block, which behaves as BEGIN … COMMIT */
			if (sec->tx == DG_TX_WRAPPED ||
			    (sec->tx == DG_TX_IMPLICIT && n_in_sec > 1)) {
				if (!exec_ok(R->conn, "BEGIN")) {
					record_failure(f, st, NULL, R->conn, fl);
					return false;
				}
				open = sec;
			}
		}
		if (!run_stmt(R, f, i, observe, fl))
			return false;
	}
	if (open && !exec_ok(R->conn, "COMMIT")) {
		snprintf(fl->message, sizeof(fl->message), "COMMIT failed: %s",
			 PQerrorMessage(R->conn));
		fl->failed = true;
		dir_anchor(f, dir, &fl->st, &fl->start, &fl->end);
		return false;
	}
	/* a BEGIN of the file left open: the runner's session would end and roll it back */
	if (PQtransactionStatus(R->conn) != PQTRANS_IDLE)
		exec_ok(R->conn, "ROLLBACK");
	return true;
}

/* ---- snapshots and their differences
 * -------------------------------------------------------------- */

struct diff_ctx {
	struct vroot *R;
	struct vfile *f;
	size_t rule;
	enum dg_direction dir;
	const char *who; /* "down", "up after down" */
	const struct dg_stmt *st;
	size_t start, end;
};

static void short_def(const char *def, char *buf, size_t n)
{
	size_t len = strlen(def);

	if (len < n) {
		snprintf(buf, n, "%s", def);
		return;
	}
	snprintf(buf, n, "%.*s\xE2\x80\xA6", (int)(n - 8), def);
}

static void on_diff(const struct dg_snap_diff *d, void *arg)
{
	struct diff_ctx *c = arg;
	bool reup = c->rule != DG_RULE_ID_verify_down_incomplete;
	char a[240], b[240];

	if (d->expected && d->found) {
		short_def(d->expected->def, a, sizeof(a));
		short_def(d->found->def, b, sizeof(b));
		emit(c->R, c->f, c->rule, c->dir, c->st, c->start, c->end,
		     reup ? "%s makes %s %s differently: the first up gave %s, now %s"
			  : "%s does not restore %s %s: it was %s, now %s",
		     c->who, d->found->kind, d->found->name, a, b);
	} else if (d->found) {
		emit(c->R, c->f, c->rule, c->dir, c->st, c->start, c->end,
		     reup ? "%s makes %s %s, which the first up did not" : "%s leaves %s %s",
		     c->who, d->found->kind, d->found->name);
	} else {
		emit(c->R, c->f, c->rule, c->dir, c->st, c->start, c->end,
		     reup ? "%s does not make %s %s, which the first up did"
			  : "%s does not restore %s %s",
		     c->who, d->expected->kind, d->expected->name);
	}
}

static bool snap(struct vroot *R, struct dg_snapshot *s, char **err)
{
	char msg[1024];

	if (dg_snapshot_take(R->conn, s, msg, sizeof(msg)))
		return true;
	*err = dg_xstrdup(msg);
	return false;
}

/* ---- the root -----------------------------------------------------------------------------------
 */

static const char *phase_rule_word(enum phase ph)
{
	return ph == PH_UP ? "up" : ph == PH_DOWN ? "down" : "up after down";
}

static void report_failure(struct vroot *R, struct vfile *f, enum phase ph, enum dg_direction dir,
			   const struct failure *fl)
{
	size_t rule = ph == PH_UP     ? DG_RULE_ID_verify_up_failed
		      : ph == PH_DOWN ? DG_RULE_ID_verify_down_failed
				      : DG_RULE_ID_verify_reup_failed;
	struct dg_pos pos = dg_source_pos(&f->rd.src, fl->start);
	const char *ext = NULL;

	if (fl->st && fl->st->node->node_case == PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT &&
	    (strcmp(fl->sqlstate, "58P01") == 0 || strcmp(fl->sqlstate, "0A000") == 0 ||
	     strcmp(fl->sqlstate, "42704") == 0))
		ext = fl->st->node->create_extension_stmt->extname;
	if (ext)
		emit(R, f, DG_RULE_ID_verify_missing_extension, dir, fl->st, fl->start, fl->end,
		     "%s needs the extension \"%s\", which this server does not have: %s "
		     "(SQLSTATE %s)",
		     phase_rule_word(ph), ext, fl->primary[0] ? fl->primary : fl->message,
		     fl->sqlstate);
	else
		emit(R, f, rule, dir, fl->st, fl->start, fl->end, "%s fails: %s (SQLSTATE %s)",
		     phase_rule_word(ph), fl->message, fl->sqlstate);
	R->failed = true;
	snprintf(R->failed_at, sizeof(R->failed_at), "%s:%u:%u", f->path, pos.line, pos.column);
}

static void not_verified(struct vroot *R, struct vfile *f)
{
	const struct dg_stmt *st;
	size_t s = 0, e = 0;

	dir_anchor(f, DG_DIR_UP, &st, &s, &e);
	emit(R, f, DG_RULE_ID_verify_not_verified, DG_DIR_NONE, st, s, e,
	     "not verified: an earlier step of this directory failed (%s)", R->failed_at);
}

static bool verify_one(struct vroot *R, struct vfile *f, struct dg_snapshot *cur, bool *have_cur,
		       char **err)
{
	struct vfile *df = f->down_file ? f->down_file : (has_dir(f, DG_DIR_DOWN) ? f : NULL);
	struct dg_snapshot s1 = {0}, s2 = {0}, s3 = {0};
	struct failure fl;
	struct diff_ctx dc;

	if (df && !*have_cur) {
		if (!snap(R, cur, err))
			return false;
		*have_cur = true;
	}
	if (!run_dir(R, f, DG_DIR_UP, true, &fl)) {
		report_failure(R, f, PH_UP, DG_DIR_UP, &fl);
		goto done;
	}
	if (!df)
		goto done;
	if (!snap(R, &s1, err))
		goto trouble;
	if (!run_dir(R, df, DG_DIR_DOWN, true, &fl)) {
		report_failure(R, df, PH_DOWN, DG_DIR_DOWN, &fl);
		df->out->down = DG_VERIFY_DOWN_FAILED;
		if (df != f)
			f->out->down = DG_VERIFY_DOWN_FAILED;
		goto done;
	}
	if (!snap(R, &s2, err))
		goto trouble;
	dc = (struct diff_ctx){R, df, DG_RULE_ID_verify_down_incomplete, DG_DIR_DOWN, "down", NULL,
			       0, 0};
	dir_anchor(df, DG_DIR_DOWN, &dc.st, &dc.start, &dc.end);
	f->out->down = dg_snapshot_compare(cur, &s2, on_diff, &dc) ? DG_VERIFY_DOWN_INCOMPLETE
								   : DG_VERIFY_DOWN_RESTORES;
	df->out->down = f->out->down;
	if (!run_dir(R, f, DG_DIR_UP, false, &fl)) {
		report_failure(R, f, PH_REUP, DG_DIR_UP, &fl);
		goto done;
	}
	if (!snap(R, &s3, err))
		goto trouble;
	dc = (struct diff_ctx){
	    R, f, DG_RULE_ID_verify_reup_mismatch, DG_DIR_UP, "up after down", NULL, 0, 0};
	dir_anchor(f, DG_DIR_UP, &dc.st, &dc.start, &dc.end);
	dg_snapshot_compare(&s1, &s3, on_diff, &dc);
	dg_snapshot_free(cur);
	*cur = s3;
	memset(&s3, 0, sizeof(s3));
	dg_snapshot_free(&s1);
	dg_snapshot_free(&s2);
	return true;
done:
	/* the schema is no longer the one in `cur` */
	dg_snapshot_free(cur);
	*have_cur = false;
	dg_snapshot_free(&s1);
	dg_snapshot_free(&s2);
	dg_snapshot_free(&s3);
	return true;
trouble:
	dg_snapshot_free(&s1);
	dg_snapshot_free(&s2);
	dg_snapshot_free(&s3);
	return false;
}

static void load_file(struct vroot *R, struct vfile *f, struct dg_catalog *cat)
{
	int e;

	f->buf = dg_read_path(f->path, R->cfg->max_file_size, &f->len, &e);
	f->out->result.path = dg_xstrdup(f->path);
	f->out->result.format = "plain";
	dg_arena_init(&f->arena);
	if (!f->buf) {
		f->out->result.status = DG_ERR_IO;
		f->out->result.error = dg_xstrdup(e ? strerror(e) : "out of memory");
		return;
	}
	if (dg_read_migration(R->cfg, &f->arena, f->out->result.path, f->buf, f->len, &f->rd) !=
	    (size_t)-1) {
		f->out->result.status = DG_ERR_IO;
		f->out->result.error = dg_xstrdup("the file is not valid UTF-8");
		return;
	}
	f->out->result.format = f->rd.mig.format;
	f->out->result.skipped = f->rd.mig.skipped;
	f->readable = !f->rd.mig.skipped;
	dg_locks_buffer_with(R->cfg, cat, f->path, f->buf, f->len, &f->locks);
}

static bool same_file(const char *a, const char *b)
{
	/* down_path is built from the up file's path: compare as written, then by name in the
	 * same directory */
	if (strcmp(a, b) == 0)
		return true;
	while (strncmp(a, "./", 2) == 0)
		a += 2;
	while (strncmp(b, "./", 2) == 0)
		b += 2;
	return strcmp(a, b) == 0;
}

static void pair_files(struct vroot *R)
{
	for (size_t i = 0; i < R->n; i++) {
		struct vfile *f = &R->files[i];
		if (!f->readable)
			continue;
		if (f->rd.mig.up_path && !has_dir(f, DG_DIR_UP))
			f->is_down_only = true;
		if (f->rd.mig.down_path && !has_dir(f, DG_DIR_DOWN))
			for (size_t k = 0; k < R->n; k++)
				if (k != i && R->files[k].readable &&
				    same_file(R->files[k].path, f->rd.mig.down_path))
					f->down_file = &R->files[k];
	}
}

bool dg_verify_root(struct dg_verify_session *s, const struct dg_config *cfg, char **paths,
		    size_t n, struct dg_verify_root *out, char **err)
{
	struct vroot R = {0};
	struct dg_catalog *cat = dg_catalog_new();
	struct dg_snapshot cur = {0};
	bool have_cur = false, ok = true;
	char sql[256];

	memset(out, 0, sizeof(*out));
	out->files = dg_xcalloc(n ? n : 1, sizeof(*out->files));
	out->n_files = n;
	R.s = s;
	R.cfg = cfg;
	R.n = n;
	R.files = dg_xcalloc(n ? n : 1, sizeof(*R.files));
	R.hook = getenv(DG_VERIFY_TEST_HOOK);
	if (R.hook && !*R.hook)
		R.hook = NULL;
	for (size_t i = 0; i < n; i++) {
		R.files[i].path = paths[i];
		R.files[i].out = &out->files[i];
		load_file(&R, &R.files[i], cat);
	}
	pair_files(&R);

	snprintf(R.dbname, sizeof(R.dbname), "ddlguard_verify_%ld_%u", (long)getpid(), ++s->serial);
	snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\" TEMPLATE template0 ENCODING 'UTF8'",
		 R.dbname);
	{
		PGresult *r = PQexec(s->admin, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			size_t len = 256 + strlen(PQresultErrorMessage(r));
			*err = dg_xmalloc(len);
			snprintf(
			    *err, len,
			    "cannot create the temporary database (the role needs CREATEDB): %s",
			    PQresultErrorMessage(r));
			(*err)[strcspn(*err, "\n")] = '\0';
			PQclear(r);
			ok = false;
			goto out;
		}
		PQclear(r);
	}
	R.conn = connect_db(s->conninfo, R.dbname);
	if (PQstatus(R.conn) != CONNECTION_OK) {
		*err = trimmed_error(R.conn);
		ok = false;
		goto drop;
	}
	PQsetNoticeReceiver(R.conn, quiet_notices, NULL);

	for (size_t i = 0; i < n && ok; i++) {
		struct vfile *f = &R.files[i];
		if (!f->readable || f->is_down_only || !has_dir(f, DG_DIR_UP))
			continue;
		if (R.failed) {
			not_verified(&R, f);
			continue;
		}
		if (!verify_one(&R, f, &cur, &have_cur, err))
			ok = false;
		if (PQstatus(R.conn) != CONNECTION_OK) {
			*err = trimmed_error(R.conn);
			ok = false;
		}
	}
drop:
	PQfinish(R.conn);
	if (R.probe)
		PQfinish(R.probe);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\"%s", R.dbname,
		 s->major >= 13 ? " WITH (FORCE)" : "");
	exec_ok(s->admin, sql);
out:
	dg_snapshot_free(&cur);
	for (size_t i = 0; i < n; i++) {
		dg_lock_report_clear(&R.files[i].locks);
		dg_arena_destroy(&R.files[i].arena);
		free(R.files[i].buf);
		dg_result_sort(&out->files[i].result);
	}
	free(R.files);
	dg_catalog_free(cat);
	return ok;
}

void dg_verify_root_clear(struct dg_verify_root *r)
{
	for (size_t i = 0; i < r->n_files; i++)
		dg_result_clear(&r->files[i].result);
	free(r->files);
	memset(r, 0, sizeof(*r));
}

void dg_verify_keep_migrations(struct dg_path_list *files)
{
	size_t k = 0;

	for (size_t i = 0; i < files->n; i++) {
		if (dg_ddb_path_is_template(files->items[i]))
			free(files->items[i]);
		else
			files->items[k++] = files->items[i];
	}
	files->n = k;
}
