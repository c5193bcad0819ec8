/* renaming-column.c — RENAME COLUMN breaks every running client that uses the old name. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__RenameStmt *stmt = node->rename_stmt;

	if (stmt->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN || !stmt->relation)
		return;
	if (stmt->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
	    stmt->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE)
		return;
	if (dg_table_created_here(ctx, stmt->relation) ||
	    dg_column_added_here(ctx, stmt->relation, stmt->subname))
		return;
	dg_report(
	    ctx, node,
	    "renaming column \"%s\" of \"%s\" to \"%s\" takes an ACCESS EXCLUSIVE lock and breaks "
	    "every running application version that still reads or writes \"%s\"",
	    stmt->subname, stmt->relation->relname, stmt->newname, stmt->subname);
}

const struct dg_rule dg_rule_renaming_column = {
    .name = "renaming-column",
    .summary = "Renaming a column breaks the application versions still running",
    .help = "Expand, backfill, contract: add the new column, write to both from the application, "
	    "backfill in batches, switch reads, and drop the old column in a later deployment.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_RENAME_STMT),
    .check = check,
};
