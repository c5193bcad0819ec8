/* adding-exclusion-constraint.c — ADD EXCLUDE builds an index and checks every row while holding
 * ACCESS EXCLUSIVE; there is no NOT VALID or USING INDEX form to avoid it. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = dg_alter_existing_table(ctx, node);
	const char *table;

	if (!stmt)
		return;
	table = stmt->relation->relname;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__Constraint *c = dg_cmd_added_constraint(
		    stmt->cmds[i]->alter_table_cmd, PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION);
		char name[200];

		if (!c)
			continue;
		dg_report(
		    ctx, stmt->cmds[i],
		    "adding EXCLUDE constraint%s to \"%s\" builds its index and checks every row "
		    "against the others while holding an ACCESS EXCLUSIVE lock: every read and "
		    "write of \"%s\" waits until it is done",
		    dg_constraint_name_part(c, name, sizeof(name)), table, table);
	}
}

const struct dg_rule dg_rule_adding_exclusion_constraint = {
    .name = "adding-exclusion-constraint",
    .summary = "ADD EXCLUDE on an existing table builds an index and checks all rows while "
	       "blocking reads and writes",
    .help = "Exclusion constraints have no online form: no NOT VALID, no USING INDEX, no "
	    "CONCURRENTLY. Declare them when the table is created; on an existing table, run "
	    "the ALTER at a quiet time with SET lock_timeout (so that waiting for the lock does "
	    "not stop traffic), or create a new table with the constraint and move the rows over "
	    "in batches.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
