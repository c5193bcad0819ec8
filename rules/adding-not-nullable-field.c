/* adding-not-nullable-field.c — ALTER COLUMN … SET NOT NULL scans the whole table under ACCESS
 * EXCLUSIVE, unless (PostgreSQL 12+) a validated CHECK constraint already proves it. */
#include "rule.h"

static const char help_check[] =
    "Add CHECK (col IS NOT NULL) NOT VALID (a brief lock; new rows are checked at once), "
    "VALIDATE CONSTRAINT it in a later transaction (it scans under SHARE UPDATE EXCLUSIVE, so "
    "reads and writes go on), then SET NOT NULL: PostgreSQL 12+ sees the validated CHECK and "
    "skips the scan. Then drop the CHECK, which NOT NULL now makes redundant.";
static const char help_pg11[] =
    "On PostgreSQL 11 SET NOT NULL scans the table even when a validated CHECK (col IS NOT "
    "NULL) exists. Keep such a CHECK, added NOT VALID then VALIDATEd (reads and writes go on "
    "during the scan), as the constraint instead of NOT NULL until you run PostgreSQL 12+; or "
    "SET NOT NULL at a quiet time with SET lock_timeout.";

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = dg_alter_existing_table(ctx, node);
	const char *table;
	bool old = dg_pg_version(ctx) < 12;

	if (!stmt)
		return;
	table = stmt->relation->relname;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;

		if (!cmd || cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull || !cmd->name)
			continue;
		/* the lock model: a validated CHECK (col IS NOT NULL) of this file or an earlier
		 * migration spares the scan on PostgreSQL 12+ */
		if (!dg_lock_cmd_scans(dg_stmt_locks(ctx), i))
			continue;
		/* truncated earlier in the same transaction: the scan reads an empty heap, under
		 * the ACCESS EXCLUSIVE lock the TRUNCATE already holds */
		if (dg_table_emptied_here(ctx, stmt->relation) == DG_EMPTIED_TRUNCATE)
			continue;
		dg_report_help(
		    ctx, stmt->cmds[i], old ? help_pg11 : help_check,
		    "SET NOT NULL on \"%s\" scans all of \"%s\" for NULLs while holding an "
		    "ACCESS EXCLUSIVE lock: every read and write of \"%s\" waits for the "
		    "scan",
		    cmd->name, table, table);
	}
}

const struct dg_rule dg_rule_adding_not_nullable_field = {
    .name = "adding-not-nullable-field",
    .summary = "SET NOT NULL scans the whole table while blocking reads and writes",
    .help = help_check,
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
