/* rulekit.c — helpers that several rules share, built only on the API of rules/rule.h. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

const PgQuery__AlterTableStmt *dg_alter_existing_table(const struct dg_ctx *ctx,
						       const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt;

	if (!node || node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
		return NULL;
	stmt = node->alter_table_stmt;
	/* ALTER FOREIGN TABLE has no rows to rewrite, ALTER TYPE is a composite type's */
	if (stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !stmt->relation ||
	    dg_table_created_here(ctx, stmt->relation))
		return NULL;
	return stmt;
}

const PgQuery__Constraint *dg_cmd_added_constraint(const PgQuery__AlterTableCmd *cmd, int contype)
{
	if (!cmd || cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint || !cmd->def ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT ||
	    (int)cmd->def->constraint->contype != contype)
		return NULL;
	return cmd->def->constraint;
}

const PgQuery__ColumnDef *dg_cmd_column_def(const PgQuery__AlterTableCmd *cmd, int subtype)
{
	if (!cmd || (int)cmd->subtype != subtype || !cmd->def ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
		return NULL;
	return cmd->def->column_def;
}

bool dg_column_has_constraint(const PgQuery__ColumnDef *col, int contype)
{
	for (size_t k = 0; k < col->n_constraints; k++) {
		const PgQuery__Node *cn = col->constraints[k];
		if (cn->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    (int)cn->constraint->contype == contype)
			return true;
	}
	return false;
}

const char *dg_constraint_name_part(const PgQuery__Constraint *c, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	if (c->conname && *c->conname)
		snprintf(buf, size, " \"%s\"", c->conname);
	return buf;
}
