/* ban-drop-column.c — DROP COLUMN breaks the clients still using it and loses its data. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableCmd *cmd = node->alter_table_cmd;
	const PgQuery__Node *st = dg_stmt(ctx);
	const PgQuery__AlterTableStmt *at;

	if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn || !cmd->name)
		return;
	if (!st || st->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
		return;
	at = st->alter_table_stmt;
	if (at->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return; /* a foreign table's columns are declarations: the data lives elsewhere */
	if (!at->relation || dg_made_here(ctx, at->relation, cmd->name))
		return;
	dg_report(
	    ctx, node,
	    "dropping column \"%s\" of \"%s\" loses its data and breaks every running application "
	    "version that still reads or writes it (including ORMs that map SELECT * or list "
	    "every column); ALTER TABLE takes an ACCESS EXCLUSIVE lock, blocking reads and writes "
	    "while it waits and runs",
	    cmd->name, at->relation->relname);
}

const struct dg_rule dg_rule_ban_drop_column = {
    .name = "ban-drop-column",
    .summary = "Dropping a column breaks running clients and deletes its data",
    .help = "Contract in steps: stop reading and writing the column in the application (for "
	    "ORMs, mark it ignored), deploy that everywhere, and only then drop the column in a "
	    "later migration, with a short lock_timeout.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_CMD),
    .check = check,
};
