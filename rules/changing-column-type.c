/* changing-column-type.c — ALTER COLUMN … TYPE rewrites the table and rebuilds all its indexes
 * under ACCESS EXCLUSIVE, unless the old type converts to the new one without a change of bytes
 * (binary-coercible: varchar(n) → varchar(m ≥ n) or text, numeric precision up, …). The old type
 * comes from an earlier statement of this file when there is one, else from an earlier migration
 * of the directory (schema memory); otherwise the finding says what it depends on. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

static const char *const display[][2] = {
    {"int4", "integer"},
    {"int8", "bigint"},
    {"int2", "smallint"},
    {"bpchar", "char"},
    {"float8", "double precision"},
    {"float4", "real"},
    {"bool", "boolean"},
    {"varbit", "bit varying"},
};

static void type_of(const PgQuery__TypeName *t, struct dg_type_desc *out)
{
	dg_type_describe(t, out);
}

static const char *type_str(const struct dg_type_desc *t, char *buf, size_t n)
{
	const char *name = t->name;

	for (size_t i = 0; i < sizeof(display) / sizeof(display[0]); i++)
		if (strcmp(name, display[i][0]) == 0)
			name = display[i][1];
	if (t->n_mods == 2)
		snprintf(buf, n, "%s(%d,%d)%s", name, t->mods[0], t->mods[1], t->array ? "[]" : "");
	else if (t->n_mods == 1)
		snprintf(buf, n, "%s(%d)%s", name, t->mods[0], t->array ? "[]" : "");
	else
		snprintf(buf, n, "%s%s", name, t->array ? "[]" : "");
	return buf;
}

static bool is(const struct dg_type_desc *t, const char *name)
{
	return strcmp(t->name, name) == 0;
}

static bool
text_like(const struct dg_type_desc *t) /* varchar, text, xml: binary-coercible to text */
{
	return is(t, "text") || is(t, "varchar") || is(t, "xml");
}

static bool same_mods(const struct dg_type_desc *a, const struct dg_type_desc *b)
{
	return a->n_mods == b->n_mods && !a->mods_unknown && !b->mods_unknown &&
	       (a->n_mods < 1 || a->mods[0] == b->mods[0]) &&
	       (a->n_mods < 2 || a->mods[1] == b->mods[1]);
}

enum verdict {
	V_NONE,	    /* only the catalog changes */
	V_REWRITE,  /* table and indexes rewritten */
	V_INDEXES,  /* no table rewrite, but the column's indexes are rebuilt */
	V_TIMEZONE, /* timestamp ↔ timestamptz: no rewrite only when TimeZone is UTC */
};

/* What PostgreSQL does when the column's type goes from `o` to `n` (tablecmds.c
 * ATColumnChangeRequiresRewrite after the planner has simplified length coercions). */
static enum verdict compare(const struct dg_type_desc *o, const struct dg_type_desc *n)
{
	if (o->array || n->array)
		return o->array && n->array && is(o, n->name) && same_mods(o, n) ? V_NONE
										 : V_REWRITE;
	if (o->mods_unknown || n->mods_unknown)
		return V_REWRITE;
	if (is(o, n->name)) {
		if (same_mods(o, n) || n->n_mods == 0)
			return is(o, "bpchar") && n->n_mods == 0 ? V_REWRITE : V_NONE;
		if (o->n_mods == 0)
			return V_REWRITE;
		if (is(n, "varchar") || is(n, "varbit"))
			return n->mods[0] >= o->mods[0] ? V_NONE : V_REWRITE;
		if (is(n, "numeric")) {
			int os = o->n_mods > 1 ? o->mods[1] : 0,
			    ns = n->n_mods > 1 ? n->mods[1] : 0;
			return os == ns && n->mods[0] >= o->mods[0] ? V_NONE : V_REWRITE;
		}
		if (is(n, "timestamp") || is(n, "timestamptz") || is(n, "time") || is(n, "timetz"))
			return n->mods[0] >= o->mods[0] ? V_NONE : V_REWRITE;
		return V_REWRITE;
	}
	if (text_like(o) && (is(n, "text") || (is(n, "varchar") && n->n_mods == 0)))
		return V_NONE;
	if ((is(o, "text") || is(o, "varchar")) && is(n, "citext"))
		return V_INDEXES;
	if (is(o, "citext") && (is(n, "text") || (is(n, "varchar") && n->n_mods == 0)))
		return V_INDEXES;
	if (is(o, "cidr") && is(n, "inet"))
		return V_NONE;
	if (is(o, "bit") && is(n, "varbit") && n->n_mods == 0)
		return V_NONE;
	if ((is(o, "timestamp") && is(n, "timestamptz")) ||
	    (is(o, "timestamptz") && is(n, "timestamp")))
		return V_TIMEZONE;
	return V_REWRITE;
}

/* USING col, or USING col::newtype, converts exactly as no USING would. */
static bool trivial_using(const PgQuery__Node *e, const char *column, const struct dg_type_desc *n)
{
	if (e && e->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && e->type_cast->type_name) {
		struct dg_type_desc cast;
		type_of(e->type_cast->type_name, &cast);
		if (!is(&cast, n->name) || !same_mods(&cast, n) || cast.array != n->array)
			return false;
		e = e->type_cast->arg;
	}
	if (!e || e->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || !e->column_ref->n_fields)
		return false;
	const char *name = dg_node_string(e->column_ref->fields[e->column_ref->n_fields - 1]);
	return name && strcmp(name, column) == 0;
}

/* What the finding says is the condition for no rewrite when the old type is unknown; NULL when
 * the table is rewritten whatever it was (short of a no-op). */
static const char *unless_for(const struct dg_type_desc *n, const char *col, char *buf, size_t len)
{
	if (n->array || n->mods_unknown)
		return NULL;
	if (is(n, "text") || (is(n, "varchar") && n->n_mods == 0))
		snprintf(buf, len, "\"%s\" is varchar or text now (then only the catalog changes)",
			 col);
	else if (is(n, "varchar"))
		snprintf(buf, len,
			 "\"%s\" is varchar(m) now with m <= %d (then only the catalog changes)",
			 col, n->mods[0]);
	else if (is(n, "numeric") && n->n_mods == 0)
		snprintf(buf, len, "\"%s\" is numeric now (then only the catalog changes)", col);
	else if (is(n, "numeric"))
		snprintf(buf, len,
			 "\"%s\" is numeric(p,%d) now with p <= %d (then only the catalog changes)",
			 col, n->n_mods > 1 ? n->mods[1] : 0, n->mods[0]);
	else if (is(n, "timestamptz") || is(n, "timestamp"))
		snprintf(buf, len,
			 "\"%s\" is %s now, or %s and the session's TimeZone is UTC (then only the "
			 "catalog changes)",
			 col, n->name, is(n, "timestamp") ? "timestamptz" : "timestamp");
	else if (is(n, "time") || is(n, "timetz") || is(n, "interval") || is(n, "varbit") ||
		 is(n, "inet"))
		snprintf(buf, len,
			 "\"%s\" already is a %s of lower precision or length, or of a type "
			 "binary-coercible to it",
			 col, n->name);
	else
		return NULL;
	return buf;
}

static void report(struct dg_ctx *ctx, const PgQuery__Node *at, const char *table,
		   const char *change, const char *unless)
{
	if (unless)
		dg_report(
		    ctx, at,
		    "%s rewrites \"%s\" and rebuilds all its indexes under an ACCESS EXCLUSIVE "
		    "lock, blocking all its reads and writes until done, unless %s",
		    change, table, unless);
	else
		dg_report(
		    ctx, at,
		    "%s rewrites \"%s\" and rebuilds all its indexes under an ACCESS EXCLUSIVE "
		    "lock: all reads and writes of \"%s\" wait until it is done",
		    change, table, table);
}

static void check_cmd(struct dg_ctx *ctx, const PgQuery__AlterTableStmt *stmt,
		      const PgQuery__Node *at, const PgQuery__AlterTableCmd *cmd)
{
	const PgQuery__ColumnDef *def = cmd->def->column_def;
	const PgQuery__TypeName *old_tn;
	bool known = false;
	const char *table = stmt->relation->relname, *col = cmd->name;
	struct dg_type_desc o, n;
	char os[128], ns[128], change[512], unless[512];

	if (!def->type_name || !col)
		return;
	type_of(def->type_name, &n);
	type_str(&n, ns, sizeof(ns));
	if (def->raw_default && !trivial_using(def->raw_default, col, &n)) {
		snprintf(change, sizeof(change),
			 "changing \"%s\" to %s USING an expression computed for every row", col,
			 ns);
		report(ctx, at, table, change, NULL);
		return;
	}
	old_tn = dg_column_type_here(ctx, stmt->relation, col);
	/* not from this file: from an earlier migration of the directory (schema memory) */
	if (old_tn)
		type_of(old_tn, &o);
	else
		known = dg_column_type_earlier(ctx, stmt->relation, col, &o);
	/* Setting TimeZone to UTC first is how one converts timestamp ↔ timestamptz in place: take
	 * it that the column is the other of the two */
	if (!old_tn && !known && (is(&n, "timestamptz") || is(&n, "timestamp")) &&
	    dg_session_timezone_utc(ctx))
		return;
	if (!old_tn && !known) {
		snprintf(change, sizeof(change), "changing the type of \"%s\" to %s", col, ns);
		if (is(&n, "citext"))
			dg_report(
			    ctx, at,
			    "%s rebuilds the indexes on \"%s\", and rewrites \"%s\" and all its "
			    "indexes unless \"%s\" is text or varchar now, under an ACCESS "
			    "EXCLUSIVE lock: all reads and writes of \"%s\" wait until it is done",
			    change, col, table, col, table);
		else
			report(ctx, at, table, change, unless_for(&n, col, unless, sizeof(unless)));
		return;
	}
	type_str(&o, os, sizeof(os));
	snprintf(change, sizeof(change), "changing \"%s\" from %s to %s", col, os, ns);
	switch (compare(&o, &n)) {
	case V_NONE:
		break;
	case V_REWRITE:
		report(ctx, at, table, change, NULL);
		break;
	case V_TIMEZONE:
		if (dg_session_timezone_utc(ctx))
			break;
		report(ctx, at, table, change,
		       "the session's TimeZone is UTC (then only the catalog changes)");
		break;
	case V_INDEXES:
		dg_report(
		    ctx, at,
		    "%s does not rewrite \"%s\" but rebuilds the indexes on \"%s\" under an "
		    "ACCESS EXCLUSIVE lock: all reads and writes of \"%s\" wait until they are "
		    "rebuilt",
		    change, table, col, table);
		break;
	}
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = dg_alter_existing_table(ctx, node);

	if (!stmt)
		return;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;

		if (dg_cmd_column_def(cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType))
			check_cmd(ctx, stmt, stmt->cmds[i], cmd);
	}
}

const struct dg_rule dg_rule_changing_column_type = {
    .name = "changing-column-type",
    .summary = "ALTER COLUMN … TYPE rewrites the table and its indexes under ACCESS EXCLUSIVE, "
	       "unless the change is binary-coercible",
    .help = "Don't rewrite a busy table: add a column of the new type, keep it in step with a "
	    "trigger, backfill it in batches, switch the application to it, then drop the old "
	    "column. Changes that only touch the catalog: varchar(n) to varchar(m > n), varchar "
	    "or text; numeric(p,s) to numeric(q > p,s) or numeric; timestamp to timestamptz (and "
	    "back) when the session's TimeZone is UTC.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
