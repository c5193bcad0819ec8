/* adding-serial-primary-key-field.c — ADD PRIMARY KEY without USING INDEX builds the unique
 * index while holding ACCESS EXCLUSIVE on the table. */
#include "rule.h"

static const char help_pk[] =
    "Build the index first with CREATE UNIQUE INDEX CONCURRENTLY … ON … (key columns), outside "
    "a transaction block, then ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY USING INDEX …: only a "
    "brief ACCESS EXCLUSIVE lock. Make the key columns NOT NULL beforehand (validated CHECK "
    "(col IS NOT NULL), then SET NOT NULL), or that step scans the table for NULLs under the "
    "lock.";
static const char help_column[] =
    "Add the column on its own (nullable, or with a sequence default set afterwards), backfill "
    "it in batches, make it NOT NULL through a validated CHECK, then CREATE UNIQUE INDEX "
    "CONCURRENTLY and ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY USING INDEX ….";

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
		    stmt->cmds[i]->alter_table_cmd, PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY, &col);
		char name[200];

		if (c) {
			dg_report_help(
			    ctx, stmt->cmds[i], help_pk,
			    "adding PRIMARY KEY%s to \"%s\" builds its unique index (and checks "
			    "the key columns for NULLs) while holding an ACCESS EXCLUSIVE "
			    "lock: every read and write of \"%s\" waits until the index is "
			    "built",
			    dg_constraint_name_part(c, name, sizeof(name)), table, table);
		} else if (col) {
			dg_report_help(ctx, stmt->cmds[i], help_column,
				       "adding column \"%s\" as PRIMARY KEY of \"%s\" fills it and "
				       "builds its unique index while holding an ACCESS EXCLUSIVE "
				       "lock: every read and write of \"%s\" waits until the index "
				       "is built",
				       col->colname, table, table);
		}
	}
}

const struct dg_rule dg_rule_adding_serial_primary_key_field = {
    .name = "adding-serial-primary-key-field",
    .summary = "ADD PRIMARY KEY without USING INDEX builds the index while blocking reads and "
	       "writes",
    .help = help_pk,
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
