/* renaming-table.c — RENAME TO breaks every running client that still uses the old name. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__RenameStmt *stmt = node->rename_stmt;

	if (stmt->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
	    stmt->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE)
		return;
	if (!stmt->relation || !stmt->relation->relname || !stmt->newname ||
	    dg_made_here(ctx, stmt->relation, NULL) || dg_rebuild_renames(ctx))
		return;
	dg_report(
	    ctx, node,
	    "renaming table \"%s\" to \"%s\" takes an ACCESS EXCLUSIVE lock (it waits for every "
	    "query on the table and blocks reads and writes behind it) and breaks every running "
	    "application version that still queries \"%s\"",
	    stmt->relation->relname, stmt->newname, stmt->relation->relname);
}

const struct dg_rule dg_rule_renaming_table = {
    .name = "renaming-table",
    .summary = "Renaming a table breaks the application versions still running",
    .help = "Keep the old name alive during the transition: in the same transaction rename the "
	    "table and CREATE VIEW <old_name> AS SELECT * FROM <new_name> (a simple view is "
	    "updatable, so old code keeps reading and writing), deploy code that uses the new "
	    "name, then drop the view in a later migration. Or expand and contract: a new table "
	    "written by both code versions, a batched backfill, then drop the old one later.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_RENAME_STMT),
    .check = check,
};
