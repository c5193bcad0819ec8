/* ban-drop-column.c — DROP COLUMN breaks the clients still using it and loses its data. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableCmd *cmd = node->alter_table_cmd;
	const PgQuery__RangeVar *rel =
	    dg_cmd_table_made_before(ctx, cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn);

	if (!rel)
		return;
	dg_report(
	    ctx, node,
	    "dropping column \"%s\" of \"%s\" loses its data and breaks every running application "
	    "version that still reads or writes it (including ORMs that map SELECT * or list "
	    "every column); ALTER TABLE takes an ACCESS EXCLUSIVE lock, blocking reads and writes "
	    "while it waits and runs",
	    cmd->name, rel->relname);
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
