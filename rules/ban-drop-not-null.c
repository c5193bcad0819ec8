/* ban-drop-not-null.c — DROP NOT NULL lets NULLs reach clients that never expected them. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableCmd *cmd = node->alter_table_cmd;
	const PgQuery__RangeVar *rel =
	    dg_cmd_table_made_before(ctx, cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull);

	if (!rel)
		return;
	dg_report(
	    ctx, node,
	    "dropping NOT NULL on \"%s\".\"%s\" lets NULLs in: application versions still running "
	    "(and reports, exports, other services) that assume a value will break on the first "
	    "NULL row; ALTER TABLE takes an ACCESS EXCLUSIVE lock, briefly blocking reads and "
	    "writes",
	    rel->relname, cmd->name);
}

const struct dg_rule dg_rule_ban_drop_not_null = {
    .name = "ban-drop-not-null",
    .summary = "Dropping NOT NULL breaks clients that rely on the column having a value",
    .help = "First deploy code everywhere that copes with NULL in this column (every reader, "
	    "not only the writer that needs it), then drop NOT NULL in a later migration.",
    .severity = DG_INFO,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_CMD),
    .check = check,
};
