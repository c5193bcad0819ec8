/* statement-fails.c — a statement PostgreSQL refuses where it stands, as the lock model knows
 * from the file and schema memory: the migration stops there and its transaction rolls back. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const struct dg_lock_info *li;

	if (node != dg_stmt(ctx) || !(li = dg_stmt_locks(ctx)) || !li->fails[0])
		return;
	if (dg_stmt_in_body(ctx))
		dg_report_help(ctx, node,
			       "Take the statement out of the DO block or function: run it as a "
			       "statement of its own, in a migration that runs outside a "
			       "transaction block.",
			       "%s: the migration stops here with an error", li->fails);
	else
		dg_report(ctx, node, "%s: the migration stops here with an error", li->fails);
}

const struct dg_rule dg_rule_statement_fails = {
    .name = "statement-fails",
    .summary = "A statement PostgreSQL refuses where it stands (TRUNCATE of a referenced table, "
	       "LOCK TABLE outside a transaction block, CREATE INDEX CONCURRENTLY on a "
	       "partitioned table or inside a DO block)",
    .help = "TRUNCATE the referencing tables in the same statement (or use CASCADE, knowing it "
	    "empties them); run LOCK TABLE inside BEGIN … COMMIT; on a partitioned table, CREATE "
	    "INDEX CONCURRENTLY on each partition, CREATE INDEX … ON ONLY the parent, then ALTER "
	    "INDEX … ATTACH PARTITION each partition's index.",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_TRUNCATE_STMT, PG_QUERY__NODE__NODE_LOCK_STMT,
		      PG_QUERY__NODE__NODE_INDEX_STMT, PG_QUERY__NODE__NODE_DROP_STMT,
		      PG_QUERY__NODE__NODE_REINDEX_STMT, PG_QUERY__NODE__NODE_VACUUM_STMT,
		      PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
