/* adding-exclusion-constraint.c — ADD EXCLUDE builds an index and checks every row while holding
 * ACCESS EXCLUSIVE; there is no NOT VALID or USING INDEX form to avoid it. */
#include <stdio.h>

#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = node->alter_table_stmt;
	const char *table;

	/* ALTER FOREIGN TABLE has no rows to rewrite, ALTER TYPE is a composite type's */
	if (stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !stmt->relation ||
	    dg_table_created_here(ctx, stmt->relation))
		return;
	table = stmt->relation->relname;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;
		const PgQuery__Constraint *c;
		char name[200] = "";

		if (!cmd || cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint ||
		    !cmd->def || cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		c = cmd->def->constraint;
		if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION)
			continue;
		if (c->conname && *c->conname)
			snprintf(name, sizeof(name), " \"%s\"", c->conname);
		dg_report(
		    ctx, stmt->cmds[i],
		    "adding EXCLUDE constraint%s to \"%s\" builds its index and checks every row "
		    "against the others while holding an ACCESS EXCLUSIVE lock: every read and "
		    "write of \"%s\" waits until it is done",
		    name, table, table);
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
