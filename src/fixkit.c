/* fixkit.c — the fix recipes rules name as their .fix: the safe form of a statement as text edits,
 * written the way the file's migration runner needs it (its own directive to leave the
 * transaction, SET LOCAL inside the transaction it opens). A recipe that cannot write a fix it
 * can stand behind offers none. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "lex.h"

#define NONE ((size_t)-1)

/* ---- tokens ------------------------------------------------------------------------------ */

static bool token_is(const char *s, size_t at, size_t end, const char *word)
{
	size_t n = strlen(word);
	return end - at == n && strncasecmp(s + at, word, n) == 0;
}

/* The end of the first token equal to `word` in [from, limit), or NONE. */
static size_t word_end(const struct dg_ctx *ctx, size_t from, size_t limit, const char *word)
{
	const char *s = ctx->src->text;

	for (size_t i = dg_skip_trivia(s, from, limit); i < limit;
	     i = dg_skip_trivia(s, i, limit)) {
		size_t e = dg_token_end(s, i, limit);
		if (e <= i)
			return NONE;
		if (token_is(s, i, e, word))
			return e;
		i = e;
	}
	return NONE;
}

/* Past `word` when it is the next token at `at` (else `at`). */
static size_t skip_word(const struct dg_ctx *ctx, size_t at, size_t limit, const char *word)
{
	const char *s = ctx->src->text;
	size_t i = dg_skip_trivia(s, at, limit), e = dg_token_end(s, i, limit);

	return i < limit && token_is(s, i, e, word) ? e : at;
}

/* Past the ';' that ends the statement (or its last token when there is none). */
static size_t after_semicolon(const struct dg_ctx *ctx, const struct dg_stmt *st)
{
	const char *s = ctx->src->text;
	size_t i = dg_skip_trivia(s, st->end, ctx->src->len);

	return i < ctx->src->len && s[i] == ';' ? i + 1 : st->end;
}

/* Inserts `text` on a line of its own before the statement (or just before it when other text
 * precedes it on its line). */
static void insert_before_stmt(struct dg_ctx *ctx, const struct dg_stmt *st, const char *text)
{
	const char *s = ctx->src->text;
	bool own;
	size_t at = dg_fix_insert_point(ctx, st->start, true, &own), k;
	char buf[1024];

	if (at == NONE) {
		dg_fix_abandon(ctx);
		return;
	}
	size_t n = 0, ls = st->start;

	/* the statement's indentation, before each line of text (statements one per line) */
	while (ls > 0 && s[ls - 1] != '\n')
		ls--;
	for (k = ls; s[k] == ' ' || s[k] == '\t'; k++)
		;
	for (const char *line = text; *line && n < sizeof(buf);) {
		const char *end = strchr(line, '\n');
		int len = end ? (int)(end - line) : (int)strlen(line);
		int w = own ? snprintf(buf + n, sizeof(buf) - n, "%.*s%.*s\n", (int)(k - ls),
				       s + ls, len, line)
			    : snprintf(buf + n, sizeof(buf) - n, "%.*s ", len, line);
		if (w < 0 || (size_t)w >= sizeof(buf) - n) {
			dg_fix_abandon(ctx);
			return;
		}
		n += (size_t)w;
		line = end ? end + 1 : line + len;
	}
	dg_fix_edit(ctx, at, at, buf);
}

/* The relation as the statement writes it ("s"."t", public.t), from its location. */
static bool relation_text(const struct dg_ctx *ctx, const PgQuery__RangeVar *rv, char *buf,
			  size_t size)
{
	const char *s = ctx->src->text;
	const struct dg_stmt *st = ctx->stmt;
	size_t i, e;

	if (!rv || rv->location < 0)
		return false;
	i = st->section->start + (size_t)rv->location;
	if (i < st->start || i >= st->end)
		return false;
	e = dg_token_end(s, i, st->end);
	for (;;) {
		size_t j = dg_skip_trivia(s, e, st->end);
		if (j >= st->end || s[j] != '.')
			break;
		j = dg_skip_trivia(s, j + 1, st->end);
		e = dg_token_end(s, j, st->end);
	}
	if (e - i >= size)
		return false;
	snprintf(buf, size, "%.*s", (int)(e - i), s + i);
	return true;
}

/* "name" with embedded quotes doubled. */
static void quote_ident(const char *name, char *buf, size_t size)
{
	size_t o = 0;

	if (size < 3)
		return;
	buf[o++] = '"';
	for (const char *p = name; *p && o + 3 < size; p++) {
		if (*p == '"')
			buf[o++] = '"';
		buf[o++] = *p;
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

/* ---- leaving the transaction -------------------------------------------------------------- */

static size_t stmts_in_tx(const struct dg_ctx *ctx, unsigned tx)
{
	size_t n = 0;

	for (size_t j = 0; j < ctx->parsed->n_stmts; j++)
		n += ctx->facts->tx[j].tx_id == tx;
	return n;
}

static size_t stmts_in_dir(const struct dg_ctx *ctx, enum dg_direction dir)
{
	size_t n = 0;

	for (size_t j = 0; j < ctx->parsed->n_stmts; j++)
		n += ctx->parsed->stmts[j].section->dir == dir;
	return n;
}

/* The end of the last comment line before `before` whose text (after "--" and blanks) starts
 * with `prefix` (case-insensitive), or NONE. */
static size_t marker_line_end(const struct dg_ctx *ctx, size_t before, const char *prefix,
			      const char *word)
{
	const struct dg_source *src = ctx->src;
	size_t found = NONE;

	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls = src->line_starts[l], le = ls;
		const char *p;

		if (ls >= before)
			break;
		while (le < src->len && src->text[le] != '\n')
			le++;
		p = src->text + ls;
		while (p < src->text + le && (*p == ' ' || *p == '\t'))
			p++;
		if (strncmp(p, "--", 2) != 0)
			continue;
		p += 2;
		while (p < src->text + le && (*p == ' ' || *p == '\t'))
			p++;
		if (strncasecmp(p, prefix, strlen(prefix)) != 0)
			continue;
		if (word) {
			const char *w = p + strlen(prefix);
			while (w < src->text + le && (*w == ' ' || *w == '\t'))
				w++;
			if (strncasecmp(w, word, strlen(word)) != 0)
				continue;
		}
		while (le > ls && (src->text[le - 1] == '\r' || src->text[le - 1] == ' ' ||
				   src->text[le - 1] == '\t'))
			le--;
		found = le;
	}
	return found;
}

static bool text_has(const struct dg_ctx *ctx, const char *needle)
{
	return strstr(ctx->src->text, needle) != NULL;
}

/* A runner that runs a file outside the transaction when a comment line says so: the line the
 * fix puts first in the file (the runner reads it there, or anywhere), and what it looks for. */
struct top_directive {
	const char *format, *line, *marker;
};
static const struct top_directive top_directives[] = {
    /* sqlx reads it only as the file's first line */
    {"sqlx", "-- no-transaction\n", "-- no-transaction"},
    {"refinery", "-- refinery:noTransaction\n", "refinery:noTransaction"},
    /* file-wide; the down part then goes as one query string: still all or nothing */
    {"tern", "---- tern: disable-tx ----\n", "---- tern: disable-tx ----"},
    /* among the leading comments */
    {"yoyo", "-- transactional: false\n", "transactional:"},
};

/* Adds to the open fix what takes the statement out of the transaction its runner wraps it in;
 * false when that is impossible in this file (other statements share the transaction: the
 * migration must be split). `how` says what was done. */
static bool leave_transaction(struct dg_ctx *ctx, char *how, size_t size)
{
	size_t i = ctx->stmt_index;
	const struct dg_stmt_tx *t = &ctx->facts->tx[i];
	const char *fmt = ctx->mig->format;
	enum dg_direction dir = ctx->stmt->section->dir;
	size_t at;

	how[0] = '\0';
	if (!t->in_tx)
		return true;
	if (t->origin != DG_TXO_TOOL || stmts_in_tx(ctx, t->tx_id) != 1) {
		snprintf(
		    how, size,
		    "; it shares a transaction with other statements here, so it must be split "
		    "into a migration of its own that runs outside a transaction");
		return false;
	}
	if (strcmp(fmt, "dbmate") == 0) {
		at = marker_line_end(ctx, ctx->stmt->start,
				     "migrate:", dir == DG_DIR_DOWN ? "" : "");
		if (at == NONE)
			return false;
		dg_fix_edit(ctx, at, at, " transaction:false");
		snprintf(how, size, ", and `transaction:false` on the section's marker");
		return true;
	}
	if (strcmp(fmt, "goose") == 0) {
		/* NO TRANSACTION is file-wide: only when the other direction is a lone statement
		 * too */
		if (stmts_in_dir(ctx, dir == DG_DIR_UP ? DG_DIR_DOWN : DG_DIR_UP) > 1)
			return false;
		dg_fix_edit(ctx, 0, 0, "-- +goose NO TRANSACTION\n");
		snprintf(how, size, ", and `-- +goose NO TRANSACTION` at the top of the file");
		return true;
	}
	if (strcmp(fmt, "sql-migrate") == 0) {
		at = marker_line_end(ctx, ctx->stmt->start, "+migrate",
				     dir == DG_DIR_DOWN ? "down" : "up");
		if (at == NONE)
			return false;
		dg_fix_edit(ctx, at, at, " notransaction");
		snprintf(how, size, ", and `notransaction` on the `-- +migrate` marker");
		return true;
	}
	if (strcmp(fmt, "flyway") == 0 && !text_has(ctx, "flyway:executeInTransaction")) {
		dg_fix_edit(ctx, 0, 0, "-- flyway:executeInTransaction=false\n");
		snprintf(how, size, ", and `-- flyway:executeInTransaction=false` at the top");
		return true;
	}
	if (strcmp(fmt, "atlas") == 0 && !text_has(ctx, "atlas:txmode")) {
		dg_fix_edit(ctx, 0, 0, "-- atlas:txmode none\n\n");
		snprintf(how, size, ", and `-- atlas:txmode none` at the top");
		return true;
	}
	if (strcmp(fmt, "postgres-migrations") == 0) {
		dg_fix_edit(ctx, 0, 0, "-- postgres-migrations disable-transaction\n");
		snprintf(how, size,
			 ", and `-- postgres-migrations disable-transaction` at the top");
		return true;
	}
	if (strcmp(fmt, "liquibase") == 0) {
		at = marker_line_end(ctx, ctx->stmt->start, "changeset", NULL);
		if (at == NONE)
			return false;
		dg_fix_edit(ctx, at, at, " runInTransaction:false");
		snprintf(how, size, ", and `runInTransaction:false` on the changeset");
		return true;
	}
	/* the runners whose directive to leave the transaction is a comment line at the top */
	for (size_t k = 0; k < sizeof(top_directives) / sizeof(*top_directives); k++) {
		const struct top_directive *d = &top_directives[k];
		if (strcmp(fmt, d->format) != 0)
			continue;
		if (text_has(ctx, d->marker))
			return false; /* there already, yet in a transaction: not ours to fix */
		dg_fix_edit(ctx, 0, 0, d->line);
		snprintf(how, size, ", and `%.*s` at the top of the file",
			 (int)strcspn(d->line, "\n"), d->line);
		return true;
	}
	if (strcmp(fmt, "graphile-migrate") == 0 && !text_has(ctx, "--! no-transaction")) {
		/* the first line of the body, after the --! header and its blank line */
		dg_fix_edit(ctx, ctx->stmt->section->start, ctx->stmt->section->start,
			    "--! no-transaction\n");
		snprintf(how, size, ", and `--! no-transaction` as the first line of the body");
		return true;
	}
	/* diesel keeps it in metadata.toml, pop in the file name, Supabase sends the file as one
	 * batch with its history row and Drizzle runs every pending migration in one
	 * transaction: not this file's text */
	snprintf(how, size, "; %s decides the transaction outside this file", fmt);
	return false;
}

/* When no fix of this file can take the statement out of its runner's transaction because
 * other statements share it, the finding's help says what to do instead (the language server
 * offers it as a move into a new migration). */
static void split_note(struct dg_ctx *ctx)
{
	const struct dg_stmt_tx *t = &ctx->facts->tx[ctx->stmt_index];
	struct dg_finding *f = &ctx->out->findings[ctx->last_finding];
	static const char note[] =
	    " Here the runner wraps it in one transaction with the migration's other statements: "
	    "move it into a migration of its own, which can run outside a transaction.";
	size_t n;
	char *h;

	if (!t->in_tx || t->origin != DG_TXO_TOOL || stmts_in_tx(ctx, t->tx_id) == 1 ||
	    ctx->last_finding >= ctx->out->n_findings || (f->help && strstr(f->help, note)))
		return;
	n = f->help ? strlen(f->help) : 0;
	h = dg_xmalloc(n + sizeof(note));
	if (n)
		memcpy(h, f->help, n);
	memcpy(h + n, n ? note : note + 1, n ? sizeof(note) : sizeof(note) - 1);
	free(f->help);
	f->help = h;
}

/* Whether the statement runs alone in a query string its runner sends as one implicit
 * transaction together with others (then nothing can be added before it). */
static bool refused_in_tx(struct dg_ctx *ctx)
{
	const struct dg_lock_info *li = dg_stmt_locks(ctx);
	return li && li->no_transaction;
}

void dg_fix_concurrently(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	const PgQuery__Node *n = site->node;
	const struct dg_stmt *st = ctx->stmt;
	size_t at;
	char how[256], desc[512];
	bool drop;

	if (!st || n != st->node)
		return;
	if (n->node_case == PG_QUERY__NODE__NODE_INDEX_STMT) {
		drop = false;
	} else if (n->node_case == PG_QUERY__NODE__NODE_DROP_STMT) {
		const PgQuery__DropStmt *d = n->drop_stmt;
		/* CONCURRENTLY drops one index, without CASCADE */
		if (d->n_objects != 1 || d->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
			return;
		drop = true;
	} else {
		return;
	}
	at = word_end(ctx, st->start, st->end, "INDEX");
	if (at == NONE || !dg_fix_begin(ctx, "CONCURRENTLY"))
		return;
	/* outside a transaction a failed build leaves an INVALID index behind: a rerun must not
	 * stop at it (prefer-robust-stmts) */
	if (!drop && n->index_stmt->idxname && *n->index_stmt->idxname &&
	    !n->index_stmt->if_not_exists)
		dg_fix_edit(ctx, at, at, " CONCURRENTLY IF NOT EXISTS");
	else
		dg_fix_edit(ctx, at, at, " CONCURRENTLY");
	if (!leave_transaction(ctx, how, sizeof(how))) {
		dg_fix_abandon(ctx);
		split_note(ctx);
		return;
	}
	snprintf(desc, sizeof(desc), "Use %s INDEX CONCURRENTLY%s", drop ? "DROP" : "CREATE", how);
	free(ctx->out->findings[ctx->last_finding].fixes[0].description);
	ctx->out->findings[ctx->last_finding].fixes[0].description = dg_xstrdup(desc);
}

void dg_fix_leave_transaction(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	char how[256], desc[512];

	if (!ctx->stmt || site->node != ctx->stmt->node || !dg_fix_begin(ctx, "leave"))
		return;
	if (!leave_transaction(ctx, how, sizeof(how)) || !how[0]) {
		dg_fix_abandon(ctx);
		split_note(ctx);
		return;
	}
	/* outside the transaction a failed build leaves an INVALID index: IF NOT EXISTS lets a
	 * re-run go on (prefer-robust-stmts) */
	if (site->node->node_case == PG_QUERY__NODE__NODE_INDEX_STMT &&
	    site->node->index_stmt->idxname && *site->node->index_stmt->idxname &&
	    !site->node->index_stmt->if_not_exists) {
		size_t at = word_end(ctx, ctx->stmt->start, ctx->stmt->end, "INDEX");
		if (at != NONE)
			at = skip_word(ctx, at, ctx->stmt->end, "CONCURRENTLY");
		if (at != NONE)
			dg_fix_edit(ctx, at, at, " IF NOT EXISTS");
	}
	snprintf(desc, sizeof(desc), "Run it outside a transaction: %s", how + 6);
	free(ctx->out->findings[ctx->last_finding].fixes[0].description);
	ctx->out->findings[ctx->last_finding].fixes[0].description = dg_xstrdup(desc);
}

/* ---- NOT VALID, then VALIDATE ------------------------------------------------------------- */

static bool first_column(const PgQuery__Node *n, void *arg)
{
	const char **out = arg;

	if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && n->column_ref->n_fields) {
		const char *c = dg_node_string(n->column_ref->fields[n->column_ref->n_fields - 1]);
		if (c) {
			*out = c;
			return false;
		}
	}
	return true;
}

/* The name PostgreSQL would give an unnamed constraint (ChooseConstraintName): table, then the
 * columns of a foreign key or the first column a CHECK names, then fkey / check. */
static bool constraint_name(const PgQuery__Constraint *c, const char *table, char *buf, size_t size)
{
	int n;

	if (c->conname && *c->conname) {
		n = snprintf(buf, size, "%s", c->conname);
		return n > 0 && (size_t)n < size;
	}
	n = snprintf(buf, size, "%s", table);
	if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN) {
		for (size_t i = 0; i < c->n_fk_attrs; i++) {
			const char *a = dg_node_string(c->fk_attrs[i]);
			if (a && n > 0 && (size_t)n < size)
				n += snprintf(buf + n, size - (size_t)n, "_%s", a);
		}
		if (n > 0 && (size_t)n < size)
			n += snprintf(buf + n, size - (size_t)n, "_fkey");
	} else {
		const char *col = NULL;
		dg_walk(c->raw_expr, first_column, &col);
		if (col && n > 0 && (size_t)n < size)
			n += snprintf(buf + n, size - (size_t)n, "_%s", col);
		if (n > 0 && (size_t)n < size)
			n += snprintf(buf + n, size - (size_t)n, "_check");
	}
	return n > 0 && n <= 63 && (size_t)n < size;
}

void dg_fix_not_valid(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	const PgQuery__Node *n = site->node;
	const PgQuery__AlterTableStmt *at;
	const PgQuery__AlterTableCmd *cmd;
	const PgQuery__Constraint *c;
	const struct dg_stmt *st = ctx->stmt;
	const struct dg_stmt_tx *t;
	char rel[512], name[128], qname[300], text[1024], desc[1200];
	size_t where = NONE;

	if (!st || !n || n->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD ||
	    st->node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
		return;
	at = st->node->alter_table_stmt;
	cmd = n->alter_table_cmd;
	if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint || !cmd->def ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
		return;
	c = cmd->def->constraint;
	if (!relation_text(ctx, at->relation, rel, sizeof(rel)) ||
	    !constraint_name(c, at->relation->relname, name, sizeof(name)) ||
	    !dg_fix_begin(ctx, "NOT VALID"))
		return;
	quote_ident(name, qname, sizeof(qname));
	if (!c->conname || !*c->conname) {
		size_t add = skip_word(ctx, site->start, site->end, "ADD");
		if (add == site->start) {
			dg_fix_abandon(ctx);
			return;
		}
		snprintf(text, sizeof(text), " CONSTRAINT %s", qname);
		dg_fix_edit(ctx, add, add, text);
	}
	dg_fix_edit(ctx, site->end, site->end, " NOT VALID");
	t = &ctx->facts->tx[ctx->stmt_index];
	snprintf(text, sizeof(text), "\nALTER TABLE %s VALIDATE CONSTRAINT %s;", rel, qname);
	if (!t->in_tx) {
		where = after_semicolon(ctx, st);
	} else if (t->origin == DG_TXO_EXPLICIT) {
		/* after the COMMIT of the block: a transaction of its own */
		for (size_t j = ctx->stmt_index + 1; j < ctx->parsed->n_stmts; j++)
			if (ctx->facts->tx[j].event == DG_TXE_END) {
				where = after_semicolon(ctx, &ctx->parsed->stmts[j]);
				break;
			}
	}
	if (where != NONE) {
		dg_fix_edit(ctx, where, where, text);
		snprintf(
		    desc, sizeof(desc),
		    "Add the constraint NOT VALID, then VALIDATE it in a transaction of its own");
	} else {
		snprintf(desc, sizeof(desc),
			 "Add the constraint NOT VALID; the runner wraps this migration in one "
			 "transaction, so validate it in a later migration with: ALTER TABLE %s "
			 "VALIDATE CONSTRAINT %s;",
			 rel, qname);
	}
	free(ctx->out->findings[ctx->last_finding].fixes[0].description);
	ctx->out->findings[ctx->last_finding].fixes[0].description = dg_xstrdup(desc);
}

/* ---- timeouts ----------------------------------------------------------------------------- */

/* SET [LOCAL] guc = 'value' before the statement; with guc2, a second one after it. */
static void timeout(struct dg_ctx *ctx, const struct dg_fix_site *site, const char *guc,
		    const char *value, const char *guc2, const char *value2)
{
	const struct dg_stmt *st = ctx->stmt;
	bool local;
	char text[256], text2[128] = "", desc[400];

	if (!st || site->node != st->node)
		return;
	/* a statement sent alone as one query (dbmate transaction:false …) would share an
	 * implicit transaction with anything put before it: refused ones then fail */
	if (st->section->tx == DG_TX_IMPLICIT && refused_in_tx(ctx))
		return;
	local = dg_in_transaction(ctx);
	if (guc2)
		snprintf(text2, sizeof(text2), "SET %s%s = '%s';", local ? "LOCAL " : "", guc2,
			 value2);
	snprintf(text, sizeof(text), "SET %s%s = '%s';%s%s", local ? "LOCAL " : "", guc, value,
		 guc2 ? "\n" : "", text2);
	if (guc2)
		snprintf(desc, sizeof(desc),
			 "Add SET %s%s = '%s'; and %s before the statement (adjust the values)",
			 local ? "LOCAL " : "", guc, value, text2);
	else
		snprintf(desc, sizeof(desc), "Add %s before the statement (adjust the value)",
			 text);
	if (!dg_fix_begin(ctx, desc))
		return;
	insert_before_stmt(ctx, st, text);
}

void dg_fix_lock_timeout(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	/* require-statement-timeout folds its finding into this one: the fix sets both */
	if (dg_rule_enabled(ctx, "require-statement-timeout") &&
	    dg_statement_timeout_missing_at(ctx, ctx->stmt_index))
		timeout(ctx, site, "lock_timeout", "2s", "statement_timeout", "5min");
	else
		timeout(ctx, site, "lock_timeout", "2s", NULL, NULL);
}

void dg_fix_statement_timeout(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	timeout(ctx, site, "statement_timeout", "5min", NULL, NULL);
}

/* ---- IF [NOT] EXISTS ---------------------------------------------------------------------- */

static void insert_after(struct dg_ctx *ctx, size_t at, const char *text, const char *desc)
{
	if (at == NONE || !dg_fix_begin(ctx, desc))
		return;
	dg_fix_edit(ctx, at, at, text);
}

/* How many keywords name the dropped object's type (DROP MATERIALIZED VIEW: 2), 0 unknown. */
static int drop_words(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
	case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
	case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
	case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
	case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
		return 1;
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		return 2;
	default:
		return 0;
	}
}

static void robust_cmd(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	const PgQuery__AlterTableCmd *c = site->node->alter_table_cmd;
	size_t at;
	char rel[512], q[300], text[1024];

	switch (c->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
		at = skip_word(ctx, site->start, site->end, "ADD");
		if (at == site->start)
			return;
		at = skip_word(ctx, at, site->end, "COLUMN");
		insert_after(ctx, at, " IF NOT EXISTS", "Add IF NOT EXISTS");
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		at = skip_word(ctx, site->start, site->end, "DROP");
		if (at == site->start)
			return;
		at = skip_word(ctx, at, site->end, "COLUMN");
		insert_after(ctx, at, " IF EXISTS", "Add IF EXISTS");
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
		at = skip_word(ctx, site->start, site->end, "DROP");
		at = at == site->start ? NONE : skip_word(ctx, at, site->end, "CONSTRAINT");
		insert_after(ctx, at, " IF EXISTS", "Add IF EXISTS");
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint: {
		const PgQuery__Constraint *con =
		    c->def && c->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT
			? c->def->constraint
			: NULL;
		if (!con || !con->conname || !*con->conname ||
		    !relation_text(ctx, ctx->stmt->node->alter_table_stmt->relation, rel,
				   sizeof(rel)))
			return;
		quote_ident(con->conname, q, sizeof(q));
		snprintf(text, sizeof(text), "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;", rel,
			 q);
		if (dg_fix_begin(ctx, "Drop the constraint IF EXISTS before adding it"))
			insert_before_stmt(ctx, ctx->stmt, text);
		return;
	}
	default:
		return;
	}
}

void dg_fix_robust(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	const struct dg_stmt *st = ctx->stmt;
	const PgQuery__Node *n = site->node;
	size_t s, e, at = NONE;

	if (!st || !n)
		return;
	if (n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) {
		robust_cmd(ctx, site);
		return;
	}
	if (n != st->node)
		return;
	s = st->start;
	e = st->end;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		insert_after(ctx, word_end(ctx, s, e, "TABLE"), " IF NOT EXISTS",
			     "Add IF NOT EXISTS");
		return;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		at = n->create_table_as_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW
			 ? word_end(ctx, s, e, "VIEW")
			 : word_end(ctx, s, e, "TABLE");
		insert_after(ctx, at, " IF NOT EXISTS", "Add IF NOT EXISTS");
		return;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		insert_after(ctx, word_end(ctx, s, e, "SEQUENCE"), " IF NOT EXISTS",
			     "Add IF NOT EXISTS");
		return;
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
		insert_after(ctx, word_end(ctx, s, e, "SCHEMA"), " IF NOT EXISTS",
			     "Add IF NOT EXISTS");
		return;
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
		insert_after(ctx, word_end(ctx, s, e, "EXTENSION"), " IF NOT EXISTS",
			     "Add IF NOT EXISTS");
		return;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		if (!n->index_stmt->idxname || !*n->index_stmt->idxname)
			return;
		at = word_end(ctx, s, e, "INDEX");
		if (at != NONE)
			at = skip_word(ctx, at, e, "CONCURRENTLY");
		insert_after(ctx, at, " IF NOT EXISTS", "Add IF NOT EXISTS");
		return;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		insert_after(ctx, word_end(ctx, s, e, "VALUE"), " IF NOT EXISTS",
			     "Add IF NOT EXISTS");
		return;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		/* CREATE OR REPLACE TRIGGER came with PostgreSQL 14, never for constraint
		 * triggers */
		if (dg_pg_version(ctx) < 14 || n->create_trig_stmt->isconstraint)
			return;
		/* fall through */
	case PG_QUERY__NODE__NODE_VIEW_STMT:
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
		at = skip_word(ctx, s, e, "CREATE");
		insert_after(ctx, at == s ? NONE : at, " OR REPLACE", "Use CREATE OR REPLACE");
		return;
	case PG_QUERY__NODE__NODE_DROP_STMT: {
		const PgQuery__DropStmt *d = n->drop_stmt;
		int words = drop_words(d->remove_type);
		at = skip_word(ctx, s, e, "DROP");
		if (!words || at == s)
			return;
		for (int w = 0; w < words && at != NONE; w++) {
			const char *tx = ctx->src->text;
			size_t i = dg_skip_trivia(tx, at, e), te = dg_token_end(tx, i, e);
			at = te > i ? te : NONE;
		}
		if (at != NONE && d->concurrent)
			at = skip_word(ctx, at, e, "CONCURRENTLY");
		insert_after(ctx, at, " IF EXISTS", "Add IF EXISTS");
		return;
	}
	default:
		return;
	}
}

/* ---- column types ------------------------------------------------------------------------- */

/* Replaces the type of a new column (CREATE TABLE, ADD COLUMN) with `name`, keeping its
 * modifiers when `keep_mods` and its array bounds; `extra` goes after it. */
static void new_type(struct dg_ctx *ctx, const struct dg_fix_site *site, const char *name,
		     bool keep_mods, const char *extra, const char *desc)
{
	const PgQuery__Node *n = ctx->node;
	const PgQuery__TypeName *t = site->type;
	const PgQuery__RangeVar *rel;
	const char *col;
	enum dg_column_role role;
	char text[512];
	size_t o;

	if (!t || !n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF ||
	    n->column_def->type_name != t || site->end <= site->start)
		return;
	role = dg_column_role(ctx, n->column_def, &rel, &col);
	if (role != DG_COLUMN_CREATE_TABLE && role != DG_COLUMN_ADD)
		return;
	o = (size_t)snprintf(text, sizeof(text), "%s", name);
	if (keep_mods && t->n_typmods) {
		struct dg_type_desc d;
		dg_type_describe(t, &d);
		if (d.mods_unknown || d.n_mods != 1)
			return;
		o += (size_t)snprintf(text + o, sizeof(text) - o, "(%d)", d.mods[0]);
	}
	for (size_t i = 0; i < t->n_array_bounds && o < sizeof(text); i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "[]");
	if (extra && o < sizeof(text))
		snprintf(text + o, sizeof(text) - o, "%s", extra);
	if (dg_fix_begin(ctx, desc))
		dg_fix_edit(ctx, site->start, site->end, text);
}

void dg_fix_bigint(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	const char *b = site->type ? dg_type_builtin(site->type) : NULL;

	if (!b)
		return;
	if (dg_type_is_serial(site->type))
		new_type(ctx, site, "bigserial", false, NULL, "Use bigserial");
	else
		new_type(ctx, site, "bigint", false, NULL, "Use bigint");
}

void dg_fix_timestamptz(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	new_type(ctx, site, "timestamptz", true, NULL,
		 "Use timestamptz (values are then read in the session's time zone)");
}

void dg_fix_use_text(struct dg_ctx *ctx, const struct dg_fix_site *site)
{
	const PgQuery__Node *n = ctx->node;
	const PgQuery__RangeVar *rel;
	const char *col;
	char extra[300], q[200];
	int len;

	if (!site->type || !n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF ||
	    !dg_type_int_mod(site->type, &len) || site->type->n_array_bounds)
		return;
	/* in CREATE TABLE the limit stays, as a CHECK; on ADD COLUMN a CHECK would validate
	 * under the table's lock, so the limit is left to the user */
	if (dg_column_role(ctx, n->column_def, &rel, &col) == DG_COLUMN_CREATE_TABLE && col) {
		quote_ident(col, q, sizeof(q));
		snprintf(extra, sizeof(extra), " CHECK (char_length(%s) <= %d)", q, len);
		new_type(ctx, site, "text", false, extra,
			 "Use text, with the length limit as a CHECK constraint");
	} else {
		new_type(ctx, site, "text", false, NULL,
			 "Use text (the length limit goes: add a CHECK (char_length(col) <= n) NOT "
			 "VALID and VALIDATE it if you need it)");
	}
}
