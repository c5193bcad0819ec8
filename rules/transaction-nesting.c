/* transaction-nesting.c — BEGIN inside an open transaction block, COMMIT or ROLLBACK with none
 * open: PostgreSQL only warns, and the block boundaries are not where the author thinks. */
#include "rule.h"

static const char *verb(PgQuery__TransactionStmtKind k)
{
	switch (k) {
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
		return "START TRANSACTION";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
		return "ROLLBACK";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
		return "PREPARE TRANSACTION";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
		return "COMMIT";
	default:
		return "BEGIN";
	}
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__TransactionStmt *ts = node->transaction_stmt;
	const char *v = verb(ts->kind), *fmt = dg_migration_format(ctx);
	bool rollback = ts->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK;
	enum dg_tx_origin o = dg_transaction_origin(ctx);
	char why[256];

	if (node != dg_stmt(ctx))
		return;
	switch (dg_transaction_event(ctx)) {
	case DG_TXE_BEGIN_NESTED:
		dg_transaction_describe(ctx, why, sizeof(why));
		dg_report(
		    ctx, node,
		    "%s inside a transaction block that is already open (%s): PostgreSQL ignores "
		    "it with \"WARNING: there is already a transaction in progress\", so the next "
		    "COMMIT or ROLLBACK ends %s%s, not a block opened here",
		    v, why,
		    o == DG_TXO_EXPLICIT ? "the outer block"
		    : o == DG_TXO_TOOL	 ? fmt
					 : "that transaction",
		    o == DG_TXO_TOOL ? "'s transaction" : "");
		break;
	case DG_TXE_END_TOOL:
		if (o == DG_TXO_ASSUMED)
			dg_report(
			    ctx, node,
			    "%s ends the transaction this file is assumed to run in "
			    "(--assume-in-transaction) early: the statements after it run outside "
			    "any transaction, each committing on its own",
			    v);
		else if (rollback)
			dg_report(
			    ctx, node,
			    "ROLLBACK undoes everything %s's transaction for this section did so "
			    "far and ends it early: the statements after it run outside any "
			    "transaction, each committing on its own, and %s's own COMMIT only "
			    "warns \"there is no transaction in progress\"",
			    fmt, fmt);
		else
			dg_report(
			    ctx, node,
			    "%s ends the transaction %s runs this section in, early: the "
			    "statements after it run outside any transaction, each committing on "
			    "its own (a failure leaves the migration half-applied), and %s's own "
			    "COMMIT only warns \"there is no transaction in progress\"",
			    v, fmt, fmt);
		break;
	case DG_TXE_END_NONE:
		if (o == DG_TXO_IMPLICIT)
			dg_report(
			    ctx, node,
			    "%s without a BEGIN ends the implicit transaction of %s's "
			    "multi-statement query, with \"WARNING: there is no transaction in "
			    "progress\"%s",
			    v, fmt,
			    rollback ? ": everything before it in the query is undone" : "");
		else
			dg_report(
			    ctx, node,
			    "%s with no transaction block open: PostgreSQL only warns \"there is "
			    "no transaction in progress\"; %s",
			    v,
			    rollback ? "nothing is undone, the statements before it have each "
				       "committed already"
				     : "the statements before it have each committed on their own, "
				       "so the block it was meant to close has no BEGIN");
		break;
	default:
		break;
	}
}

const struct dg_rule dg_rule_transaction_nesting = {
    .name = "transaction-nesting",
    .summary = "BEGIN inside an open transaction, or COMMIT/ROLLBACK with none open",
    .help = "Let one party own the transaction: either the migration tool (remove the BEGIN and "
	    "COMMIT from the file) or the file (turn the tool's transaction off for it, e.g. "
	    "dbmate `transaction:false`, goose `NO TRANSACTION`), with exactly one BEGIN and one "
	    "COMMIT.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_TRANSACTION_STMT),
    .check = check,
};
