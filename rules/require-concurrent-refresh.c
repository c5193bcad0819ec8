/* require-concurrent-refresh.c — REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every
 * read of the view while its query runs. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__RefreshMatViewStmt *stmt = node->refresh_mat_view_stmt;

	/* WITH NO DATA runs no query (the lock is brief), and CONCURRENTLY cannot be combined
	 * with it */
	if (stmt->concurrent || stmt->skip_data || !stmt->relation ||
	    dg_table_created_here(ctx, stmt->relation))
		return;
	dg_report(ctx, node,
		  "REFRESH MATERIALIZED VIEW \"%s\" takes an ACCESS EXCLUSIVE lock on \"%s\" while "
		  "it re-runs the view's query: every read of the view waits until the refresh "
		  "commits",
		  stmt->relation->relname, stmt->relation->relname);
}

const struct dg_rule dg_rule_require_concurrent_refresh = {
    .name = "require-concurrent-refresh",
    .summary = "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view",
    .help = "Use REFRESH MATERIALIZED VIEW CONCURRENTLY: it takes an EXCLUSIVE lock, which lets "
	    "reads go on, and applies the difference. It needs a UNIQUE index on the view that "
	    "uses only column names and covers all rows (no WHERE clause), and the view must "
	    "already be populated (not created or last refreshed WITH NO DATA).",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT),
    .check = check,
};
