/* disallowed-unique-constraint.c — ADD UNIQUE without USING INDEX builds the unique index while
 * holding ACCESS EXCLUSIVE on the table. */
#include "rule.h"

static const char help_unique[] =
    "Build the index first with CREATE UNIQUE INDEX CONCURRENTLY … ON … (columns), outside a "
    "transaction block (it takes SHARE UPDATE EXCLUSIVE: reads and writes go on), then ALTER "
    "TABLE … ADD CONSTRAINT … UNIQUE USING INDEX …, which only needs a brief ACCESS EXCLUSIVE "
    "lock.";
static const char help_column[] =
    "Add the column without UNIQUE, fill it, then CREATE UNIQUE INDEX CONCURRENTLY … and ALTER "
    "TABLE … ADD CONSTRAINT … UNIQUE USING INDEX ….";

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = dg_alter_existing_table(ctx, node);
	const char *table;

	if (!stmt)
		return;
	table = stmt->relation->relname;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__ColumnDef *col;
		const PgQuery__Constraint *c = dg_cmd_builds_unique_index(
		    stmt->cmds[i]->alter_table_cmd, PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE, &col);
		char name[200];

		if (c) {
			dg_report_help(
			    ctx, stmt->cmds[i], help_unique,
			    "adding UNIQUE constraint%s to \"%s\" builds its unique index while "
			    "holding an ACCESS EXCLUSIVE lock: every read and write of \"%s\" "
			    "waits until the index is built",
			    dg_constraint_name_part(c, name, sizeof(name)), table, table);
		} else if (col) {
			dg_report_help(
			    ctx, stmt->cmds[i], help_column,
			    "adding column \"%s\" with UNIQUE to \"%s\" builds a unique "
			    "index over every row while holding an ACCESS EXCLUSIVE lock: "
			    "every read and write of \"%s\" waits until it is built",
			    col->colname, table, table);
		}
	}
}

const struct dg_rule dg_rule_disallowed_unique_constraint = {
    .name = "disallowed-unique-constraint",
    .summary = "ADD UNIQUE without USING INDEX builds the index while blocking reads and writes",
    .help = help_unique,
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
