/* attach-partition-without-check.c — ATTACH PARTITION scans the partition under ACCESS
 * EXCLUSIVE unless a validated CHECK constraint already proves the partition bound. */
#include <string.h>

#include "rule.h"

/* The lock model's row for relation `name` of the statement, with that role. */
static const struct dg_lock_rel *row(const struct dg_lock_info *li, const char *name,
				     enum dg_rel_role role)
{
	for (size_t k = 0; li && name && k < li->n_rels; k++)
		if (li->rels[k].role == role && li->rels[k].name &&
		    strcmp(li->rels[k].name, name) == 0)
			return &li->rels[k];
	return NULL;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = node->alter_table_stmt;
	const struct dg_lock_info *li = dg_stmt_locks(ctx);

	/* ALTER INDEX … ATTACH PARTITION only links two existing indexes */
	if (!stmt->relation || stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX)
		return;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;
		const PgQuery__PartitionCmd *pc;
		const struct dg_lock_rel *r;
		const char *part, *what, *parent = stmt->relation->relname;

		if (!cmd || cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition ||
		    !cmd->def || cmd->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD)
			continue;
		pc = cmd->def->partition_cmd;
		if (!pc->name || dg_table_created_here(ctx, pc->name))
			continue;
		part = pc->name->relname;
		/* the lock model knows whether a validated CHECK (of this file or an earlier
		 * migration) spares the scan of the partition */
		r = row(li, part, DG_ROLE_PARTITION);
		if (r && r->scan) {
			what = pc->bound && pc->bound->is_default
				   ? "that none belongs to another partition"
				   : "the partition bound";
			if (dg_pg_version(ctx) < 12)
				dg_report(
				    ctx, stmt->cmds[i],
				    "ATTACH PARTITION scans every row of \"%s\" to check %s "
				    "while holding ACCESS EXCLUSIVE locks on \"%s\" and on "
				    "\"%s\" (before PostgreSQL 12): all reads and writes on both "
				    "wait for the scan",
				    part, what, part, parent);
			else
				dg_report(
				    ctx, stmt->cmds[i],
				    "ATTACH PARTITION scans every row of \"%s\" to check %s "
				    "while holding an ACCESS EXCLUSIVE lock on it: all reads and "
				    "writes on \"%s\" wait for the scan (\"%s\" itself only "
				    "takes SHARE UPDATE EXCLUSIVE)",
				    part, what, part, parent);
		}
		/* the DEFAULT partition is scanned for rows of the new one's range */
		for (size_t k = 0; li && k < li->n_rels; k++) {
			const struct dg_lock_rel *d = &li->rels[k];
			if (d->role != DG_ROLE_PARTITION || !d->scan || !d->name ||
			    strcmp(d->name, part) == 0)
				continue;
			dg_report(
			    ctx, stmt->cmds[i],
			    "ATTACH PARTITION scans the DEFAULT partition \"%s\" for rows of "
			    "the new partition's range while holding an ACCESS EXCLUSIVE lock "
			    "on it: all reads and writes on \"%s\", and reads of \"%s\", "
			    "wait for the scan",
			    d->name, d->name, parent);
		}
	}
}

const struct dg_rule dg_rule_attach_partition_without_check = {
    .name = "attach-partition-without-check",
    .summary = "ATTACH PARTITION without a validated CHECK matching the bound scans under lock",
    .help = "First ALTER TABLE <partition> ADD CONSTRAINT … CHECK (<the bound>) NOT VALID, then "
	    "VALIDATE CONSTRAINT it in a later transaction (SHARE UPDATE EXCLUSIVE: reads and "
	    "writes go on); ATTACH PARTITION then sees the bound is proven and skips its scan; "
	    "drop the CHECK afterwards.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
