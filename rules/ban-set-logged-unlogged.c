/* ban-set-logged-unlogged.c — changing a table's persistence rewrites it under ACCESS
 * EXCLUSIVE (and SET LOGGED also writes the whole table to the WAL). */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = node->alter_table_stmt;
	const char *t;

	/* a sequence has one page: nothing to wait for */
	if (!stmt->relation || stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE ||
	    dg_table_created_here(ctx, stmt->relation))
		return;
	t = stmt->relation->relname;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;

		if (!cmd)
			continue;
		if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged)
			dg_report(
			    ctx, stmt->cmds[i],
			    "SET LOGGED rewrites \"%s\" and its indexes under an ACCESS EXCLUSIVE "
			    "lock, writing all of it to the WAL: all reads and writes on \"%s\" wait "
			    "for the copy, and replicas must replay it",
			    t, t);
		else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged)
			dg_report(
			    ctx, stmt->cmds[i],
			    "SET UNLOGGED rewrites \"%s\" and its indexes under an ACCESS EXCLUSIVE "
			    "lock: all reads and writes on \"%s\" wait for the copy; afterwards its "
			    "rows are no longer replicated and are lost after a crash",
			    t, t);
	}
}

const struct dg_rule dg_rule_ban_set_logged_unlogged = {
    .name = "ban-set-logged-unlogged",
    .summary = "ALTER TABLE SET LOGGED / SET UNLOGGED rewrites the table under ACCESS EXCLUSIVE",
    .help = "There is no online way to change a table's persistence. Create the new table with "
	    "the persistence you want, copy the rows in batches (or with logical replication) "
	    "while keeping it in sync, then swap the names in one short transaction; or schedule "
	    "the rewrite in a maintenance window.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
