/* ban-drop-database.c — DROP DATABASE deletes a whole database. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__DropdbStmt *stmt = node->dropdb_stmt;

	dg_report(
	    ctx, node,
	    "DROP DATABASE \"%s\" deletes the whole database and every byte in it, and it cannot "
	    "be rolled back%s",
	    stmt->dbname ? stmt->dbname : "?",
	    dg_in_transaction(ctx)
		? "; it also fails here: DROP DATABASE cannot run inside a transaction block"
		: "");
}

const struct dg_rule dg_rule_ban_drop_database = {
    .name = "ban-drop-database",
    .summary = "DROP DATABASE in a migration deletes a whole database",
    .help = "Do not drop databases from application migrations: it is an operator task, done "
	    "by hand after a verified backup.",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_DROPDB_STMT),
    .check = check,
};
