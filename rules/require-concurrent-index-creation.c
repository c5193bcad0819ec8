/* require-concurrent-index-creation.c — CREATE INDEX without CONCURRENTLY blocks writes. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__IndexStmt *stmt = node->index_stmt;

	/* ON ONLY (pg_dump writes it for partitioned tables) creates the parent's index without
	 * building it on any partition: nothing to wait for, and CONCURRENTLY is refused there */
	if (stmt->concurrent || !stmt->relation || !stmt->relation->inh ||
	    dg_table_created_here(ctx, stmt->relation))
		return;
	dg_report(
	    ctx, node,
	    "CREATE %sINDEX on \"%s\" takes a SHARE lock: INSERT, UPDATE and DELETE on \"%s\" "
	    "wait until the whole index is built",
	    stmt->unique ? "UNIQUE " : "", stmt->relation->relname, stmt->relation->relname);
}

const struct dg_rule dg_rule_require_concurrent_index_creation = {
    .name = "require-concurrent-index-creation",
    .summary = "CREATE INDEX without CONCURRENTLY blocks writes for the whole build",
    .help = "Use CREATE INDEX CONCURRENTLY, outside a transaction block: it takes SHARE UPDATE "
	    "EXCLUSIVE, so reads and writes go on during the build. If it fails, DROP INDEX "
	    "CONCURRENTLY the INVALID index it leaves and try again.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_INDEX_STMT),
    .check = check,
    .fix = dg_fix_concurrently,
};
