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

/* What the lock model judged of subcommand `cmd` of the statement, or NULL. */
static const struct dg_column_change *change_of(struct dg_ctx *ctx, size_t cmd)
{
	const struct dg_lock_info *li = dg_stmt_locks(ctx);

	for (size_t k = 0; li && k < li->n_changes; k++)
		if (li->changes[k].cmd == cmd)
			return &li->changes[k];
	return NULL;
}

static void check_cmd(struct dg_ctx *ctx, const PgQuery__AlterTableStmt *stmt, size_t index,
		      const PgQuery__AlterTableCmd *cmd)
{
	const PgQuery__Node *at = stmt->cmds[index];
	const struct dg_column_change *ch = change_of(ctx, index);
	const char *table = stmt->relation->relname, *col = cmd->name;
	char os[128], ns[128], change[512], unless[512];

	if (!ch || !col)
		return;
	type_str(&ch->new_type, ns, sizeof(ns));
	if (ch->using_expr) {
		snprintf(change, sizeof(change),
			 "changing \"%s\" to %s USING an expression computed for every row", col,
			 ns);
		report(ctx, at, table, change, NULL);
		return;
	}
	if (!ch->old_known) {
		/* Setting TimeZone to UTC first is how one converts timestamp ↔ timestamptz in
		 * place: the model takes it that the column is the other of the two */
		if (!dg_lock_cmd_rewrites(dg_stmt_locks(ctx), index))
			return;
		snprintf(change, sizeof(change), "changing the type of \"%s\" to %s", col, ns);
		if (is(&ch->new_type, "citext"))
			dg_report(
			    ctx, at,
			    "%s rebuilds the indexes on \"%s\", and rewrites \"%s\" and all its "
			    "indexes unless \"%s\" is text or varchar now, under an ACCESS "
			    "EXCLUSIVE lock: all reads and writes of \"%s\" wait until it is done",
			    change, col, table, col, table);
		else
			report(ctx, at, table, change,
			       unless_for(&ch->new_type, col, unless, sizeof(unless)));
		return;
	}
	type_str(&ch->old_type, os, sizeof(os));
	snprintf(change, sizeof(change), "changing \"%s\" from %s to %s", col, os, ns);
	switch (ch->verdict) {
	case DG_RETYPE_REWRITE:
		if ((is(&ch->old_type, "timestamp") && is(&ch->new_type, "timestamptz")) ||
		    (is(&ch->old_type, "timestamptz") && is(&ch->new_type, "timestamp")))
			report(ctx, at, table, change,
			       dg_pg_version(ctx) >= 12
				   ? "the session's TimeZone is UTC (then only the catalog changes)"
				   : NULL);
		else
			report(ctx, at, table, change, NULL);
		break;
	case DG_RETYPE_INDEXES:
		dg_report(
		    ctx, at,
		    "%s does not rewrite \"%s\" but rebuilds the indexes on \"%s\" under an "
		    "ACCESS EXCLUSIVE lock: all reads and writes of \"%s\" wait until they are "
		    "rebuilt",
		    change, table, col, table);
		break;
	default:
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
			check_cmd(ctx, stmt, i, cmd);
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
