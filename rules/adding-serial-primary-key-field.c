/* adding-serial-primary-key-field.c — ADD PRIMARY KEY without USING INDEX builds the unique
 * index while holding ACCESS EXCLUSIVE on the table. */
#include <stdio.h>

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
	const PgQuery__AlterTableStmt *stmt = node->alter_table_stmt;
	const char *table;

	/* ALTER FOREIGN TABLE has no rows to rewrite, ALTER TYPE is a composite type's */
	if (stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !stmt->relation ||
	    dg_table_created_here(ctx, stmt->relation))
		return;
	table = stmt->relation->relname;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;
		const PgQuery__Node *def = cmd ? cmd->def : NULL;

		if (!def)
			continue;
		if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint &&
		    def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
			const PgQuery__Constraint *c = def->constraint;
			char name[200] = "";

			if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
			    (c->indexname && *c->indexname))
				continue;
			if (c->conname && *c->conname)
				snprintf(name, sizeof(name), " \"%s\"", c->conname);
			dg_report_help(
			    ctx, stmt->cmds[i], help_pk,
			    "adding PRIMARY KEY%s to \"%s\" builds its unique index (and checks "
			    "the key columns for NULLs) while holding an ACCESS EXCLUSIVE "
			    "lock: every read and write of \"%s\" waits until the index is "
			    "built",
			    name, table, table);
		} else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn &&
			   def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			const PgQuery__ColumnDef *col = def->column_def;
			for (size_t k = 0; k < col->n_constraints; k++) {
				const PgQuery__Node *cn = col->constraints[k];
				if (cn->node_case != PG_QUERY__NODE__NODE_CONSTRAINT ||
				    cn->constraint->contype !=
					PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
					continue;
				dg_report_help(
				    ctx, stmt->cmds[i], help_column,
				    "adding column \"%s\" as PRIMARY KEY of \"%s\" fills it "
				    "and builds its unique index while holding an ACCESS "
				    "EXCLUSIVE lock: every read and write of \"%s\" waits "
				    "until the index is built",
				    col->colname, table, table);
				break;
			}
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
