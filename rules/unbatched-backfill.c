/* unbatched-backfill.c — an UPDATE or DELETE of a whole table in a migration that also changes
 * the schema: every row is locked, and the DDL's locks are held, until the end. */
#include "rule.h"

/* A WHERE bounds the statement unless it is built only from IS [NOT] NULL, IS [NOT]
 * TRUE/FALSE/UNKNOWN tests and constants joined by AND/OR/NOT: those select "every row still
 * to do", which on the first run is the whole table. Anything else (a key range, a comparison,
 * a subquery with LIMIT) is taken as a bound. */
static bool unbounded(const PgQuery__Node *w)
{
	if (!w)
		return true;
	switch (w->node_case) {
	case PG_QUERY__NODE__NODE_NULL_TEST:
	case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
	case PG_QUERY__NODE__NODE_A_CONST:
		return true;
	case PG_QUERY__NODE__NODE_BOOL_EXPR:
		for (size_t i = 0; i < w->bool_expr->n_args; i++)
			if (!unbounded(w->bool_expr->args[i]))
				return false;
		return true;
	default:
		return false;
	}
}

static bool same_way(enum dg_direction a, enum dg_direction b)
{
	return (a == DG_DIR_DOWN) == (b == DG_DIR_DOWN);
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__RangeVar *rel;
	const PgQuery__Node *where;
	const char *verb;
	size_t n = dg_statement_count(ctx);
	enum dg_direction dir = dg_section_dir(ctx);
	bool ddl = false, ddl_same_tx = false;
	unsigned tx = dg_transaction_id(ctx);

	if (node != dg_stmt(ctx))
		return; /* a data-modifying CTE or a statement inside a rule: not a migration step
			 */
	if (node->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT) {
		rel = node->update_stmt->relation;
		where = node->update_stmt->where_clause;
		verb = "UPDATE";
	} else {
		rel = node->delete_stmt->relation;
		where = node->delete_stmt->where_clause;
		verb = "DELETE";
	}
	if (!rel || !rel->relname || !unbounded(where) || dg_table_created_here(ctx, rel))
		return;
	for (size_t i = 0; i < n && !ddl; i++)
		ddl = dg_stmt_change_at(ctx, i)->ddl && same_way(dg_stmt_dir_at(ctx, i), dir);
	if (!ddl)
		return;
	/* the DDL's locks are held with the rows only when it runs in the same transaction */
	for (size_t i = 0; i < n && tx && !ddl_same_tx; i++)
		ddl_same_tx = dg_stmt_change_at(ctx, i)->ddl && dg_transaction_id_at(ctx, i) == tx;
	dg_report(
	    ctx, node,
	    "%s of every row of \"%s\"%s in a migration that also changes the schema: every "
	    "touched row stays locked until %s, and the whole table changes in one transaction "
	    "(dead rows, WAL volume, replication lag)",
	    verb, rel->relname, where ? " (the WHERE only tests for NULL/booleans)" : "",
	    ddl_same_tx		     ? "the transaction ends, as do the locks its DDL took "
				       "(often the strongest there is)"
	    : dg_in_transaction(ctx) ? "the transaction ends"
				     : "the statement ends");
}

const struct dg_rule dg_rule_unbatched_backfill = {
    .name = "unbatched-backfill",
    .summary = "A whole-table UPDATE/DELETE inside a schema migration",
    .help = "Move the backfill out of the migration into a separate, idempotent job that works "
	    "in batches and commits between them: UPDATE … WHERE id BETWEEN $1 AND $2 AND col "
	    "IS NULL (or WHERE id IN (SELECT id … WHERE col IS NULL LIMIT 1000)), looping until "
	    "no row is left; run it after the expand migration is deployed.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_UPDATE_STMT, PG_QUERY__NODE__NODE_DELETE_STMT),
    .check = check,
};
