/* require-concurrent-partition-detach.c — DETACH PARTITION without CONCURRENTLY locks both the
 * partitioned table and the partition against reads and writes. */
#include "rule.h"

static const char help_concurrent[] =
    "Use ALTER TABLE … DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), outside a transaction "
    "block: it takes SHARE UPDATE EXCLUSIVE on the partitioned table, so queries on it go on, "
    "and waits for the transactions using it. It cannot be used "
    "when the table has a DEFAULT partition; if it is interrupted, finish it with DETACH "
    "PARTITION … FINALIZE.";
static const char help_old[] =
    "DETACH PARTITION … CONCURRENTLY needs PostgreSQL 14. Before that there is no way around "
    "the ACCESS EXCLUSIVE locks: run it at a quiet time, with SET lock_timeout so that it gives "
    "up instead of queueing every query behind it, and retry.";

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = dg_alter_existing_table(ctx, node);

	if (!stmt)
		return;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;
		const PgQuery__PartitionCmd *pc;

		if (!cmd || cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition ||
		    !cmd->def || cmd->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD)
			continue;
		pc = cmd->def->partition_cmd;
		if (pc->concurrent || !pc->name)
			continue;
		dg_report_help(
		    ctx, stmt->cmds[i], dg_pg_version(ctx) < 14 ? help_old : help_concurrent,
		    "DETACH PARTITION \"%s\" takes ACCESS EXCLUSIVE locks on \"%s\" and on "
		    "\"%s\": every read and write of the partitioned table and of the "
		    "partition waits until it commits",
		    pc->name->relname, stmt->relation->relname, pc->name->relname);
	}
}

const struct dg_rule dg_rule_require_concurrent_partition_detach = {
    .name = "require-concurrent-partition-detach",
    .summary = "DETACH PARTITION without CONCURRENTLY blocks reads and writes of the whole "
	       "partitioned table",
    .help = help_concurrent,
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
