/* ban-uncommitted-transaction.c — a BEGIN that nothing closes before the migration ends. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	enum dg_direction d = dg_section_dir(ctx);

	if (node != dg_stmt(ctx) || dg_transaction_event(ctx) != DG_TXE_BEGIN_UNCLOSED)
		return;
	dg_report(
	    ctx, node,
	    "this transaction block is never closed: no COMMIT or ROLLBACK follows before the "
	    "end of the %s, so its changes are not committed — when the session ends "
	    "PostgreSQL rolls them back, and until then every lock taken in it is held",
	    d == DG_DIR_UP     ? "up section"
	    : d == DG_DIR_DOWN ? "down section"
			       : "file");
}

const struct dg_rule dg_rule_ban_uncommitted_transaction = {
    .name = "ban-uncommitted-transaction",
    .summary = "A BEGIN with no COMMIT or ROLLBACK before the end of the migration",
    .help = "End the block with COMMIT (or remove the BEGIN and let the migration tool run "
	    "the migration in its transaction).",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_TRANSACTION_STMT),
    .check = check,
};
