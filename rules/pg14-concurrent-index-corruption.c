/* pg14-concurrent-index-corruption.c — on PostgreSQL 14.0–14.3, indexes built or rebuilt
 * CONCURRENTLY can miss rows; only the major version is known, so ask to confirm the minor. */
#include "rule.h"

static const char bug[] =
    "on PostgreSQL 14.0 to 14.3 it can build an index that silently misses rows updated during "
    "the build (fixed in 14.4): confirm the server runs 14.4 or later";

static const char *kind_word(PgQuery__ReindexObjectType k)
{
	switch (k) {
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX:
		return "index";
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE:
		return "table";
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA:
		return "schema";
	default:
		return "database";
	}
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	if (dg_pg_version(ctx) != 14)
		return;
	if (node->node_case == PG_QUERY__NODE__NODE_INDEX_STMT) {
		const PgQuery__IndexStmt *stmt = node->index_stmt;

		/* the bug needs rows updated during the build: a new table has none */
		if (!stmt->concurrent || !stmt->relation ||
		    dg_table_created_here(ctx, stmt->relation))
			return;
		dg_report(ctx, node, "CREATE INDEX CONCURRENTLY on \"%s\": %s",
			  stmt->relation->relname, bug);
	} else if (node->node_case == PG_QUERY__NODE__NODE_REINDEX_STMT) {
		const PgQuery__ReindexStmt *stmt = node->reindex_stmt;
		const char *what = stmt->relation	       ? stmt->relation->relname
				   : stmt->name && *stmt->name ? stmt->name
							       : "?";

		if (!dg_option_on(stmt->params, stmt->n_params, "concurrently"))
			return;
		if (stmt->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE &&
		    dg_table_created_here(ctx, stmt->relation))
			return;
		dg_report(ctx, node, "REINDEX CONCURRENTLY of %s \"%s\": %s", kind_word(stmt->kind),
			  what, bug);
	}
}

const struct dg_rule dg_rule_pg14_concurrent_index_corruption = {
    .name = "pg14-concurrent-index-corruption",
    .summary = "CREATE INDEX / REINDEX CONCURRENTLY can corrupt indexes on PostgreSQL 14.0-14.3",
    .help = "Make sure the server runs PostgreSQL 14.4 or later before building indexes "
	    "CONCURRENTLY. Indexes built or rebuilt CONCURRENTLY on 14.0 to 14.3 may be missing "
	    "entries: check them with pg_amcheck --heapallindexed (or bt_index_check) and rebuild "
	    "them with REINDEX INDEX CONCURRENTLY after upgrading.",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_INDEX_STMT, PG_QUERY__NODE__NODE_REINDEX_STMT),
    .check = check,
};
