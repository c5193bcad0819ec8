/* require-concurrent-reindex.c — REINDEX without CONCURRENTLY blocks writes to the table and,
 * through the planner, nearly every read of it. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "rule.h"

static const char help_concurrent[] =
    "Use REINDEX … CONCURRENTLY, outside a transaction block: it builds a new copy of each "
    "index under SHARE UPDATE EXCLUSIVE, so reads and writes go on, then swaps it in. If it "
    "fails it leaves an INVALID \"…_ccnew\" index behind: drop it with DROP INDEX "
    "CONCURRENTLY and try again.";
static const char help_pg11[] =
    "REINDEX CONCURRENTLY needs PostgreSQL 12. On PostgreSQL 11 build a replacement with "
    "CREATE INDEX CONCURRENTLY (same definition, new name), DROP INDEX CONCURRENTLY the old "
    "index, then ALTER INDEX … RENAME the new one; an index behind a constraint needs the "
    "constraint recreated with USING INDEX.";

/* The CONCURRENTLY option's value: no argument is true, as for every boolean option. */
static bool concurrently(const PgQuery__ReindexStmt *stmt)
{
	for (size_t i = 0; i < stmt->n_params; i++) {
		const PgQuery__Node *p = stmt->params[i];
		const PgQuery__DefElem *d;
		const char *s;

		if (p->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			continue;
		d = p->def_elem;
		if (!d->defname || strcmp(d->defname, "concurrently") != 0)
			continue;
		if (!d->arg)
			return true;
		if (d->arg->node_case == PG_QUERY__NODE__NODE_INTEGER)
			return d->arg->integer->ival != 0;
		s = dg_node_string(d->arg);
		return !(s && (strcasecmp(s, "false") == 0 || strcasecmp(s, "off") == 0 ||
			       strcasecmp(s, "no") == 0 || strcmp(s, "0") == 0));
	}
	return false;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__ReindexStmt *stmt = node->reindex_stmt;
	const PgQuery__RangeVar *rel = stmt->relation;
	const char *help = dg_pg_version(ctx) < 12 ? help_pg11 : help_concurrent;

	if (concurrently(stmt))
		return;
	switch (stmt->kind) {
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX:
		if (!rel || dg_index_created_here(ctx, rel->schemaname, rel->relname))
			return;
		dg_report_help(
		    ctx, node, help,
		    "REINDEX INDEX \"%s\" takes an ACCESS EXCLUSIVE lock on the index and a "
		    "SHARE lock on its table until it is rebuilt: writes to the table wait, "
		    "and so do nearly all reads, since planning any query on the table "
		    "locks each of its indexes",
		    rel->relname);
		break;
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE:
		if (!rel || dg_table_created_here(ctx, rel))
			return;
		dg_report_help(
		    ctx, node, help,
		    "REINDEX TABLE \"%s\" takes a SHARE lock on \"%s\" and an ACCESS "
		    "EXCLUSIVE lock on each of its indexes, held until the last one is "
		    "rebuilt: writes wait, and so do nearly all reads, since planning any "
		    "query on \"%s\" locks each of its indexes",
		    rel->relname, rel->relname, rel->relname);
		break;
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA:
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE:
		dg_report_help(
		    ctx, node, help,
		    "REINDEX %s \"%s\" rebuilds every index of every table in it, one table "
		    "at a time under a SHARE lock on the table and ACCESS EXCLUSIVE on its "
		    "indexes: writes and nearly all reads of each table wait while its "
		    "indexes are rebuilt",
		    stmt->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA ? "SCHEMA"
										       : "DATABASE",
		    stmt->name ? stmt->name : "");
		break;
	default: /* REINDEX SYSTEM has no concurrent form */
		break;
	}
}

const struct dg_rule dg_rule_require_concurrent_reindex = {
    .name = "require-concurrent-reindex",
    .summary = "REINDEX without CONCURRENTLY blocks writes and nearly all reads of the table",
    .help = help_concurrent,
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_REINDEX_STMT),
    .check = check,
};
