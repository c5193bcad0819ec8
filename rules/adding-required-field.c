/* adding-required-field.c — ADD COLUMN … NOT NULL without a default fails on a table with rows. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = node->alter_table_stmt;

	if (!stmt->relation || dg_table_created_here(ctx, stmt->relation))
		return;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__ColumnDef *col = dg_cmd_column_def(
		    stmt->cmds[i]->alter_table_cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn);
		bool not_null = false, filled = false;

		if (!col || col->raw_default || col->identity[0] || col->generated[0] ||
		    dg_type_is_serial(col->type_name))
			continue;
		for (size_t k = 0; k < col->n_constraints; k++) {
			const PgQuery__Constraint *c = col->constraints[k]->constraint;
			if (!c)
				continue;
			switch (c->contype) {
			case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
			case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
				not_null = true;
				break;
			case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
			case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
				filled = true;
				break;
			default:
				break;
			}
		}
		/* emptied earlier in the same transaction: no row makes it fail */
		if (!not_null || filled || dg_table_emptied_here(ctx, stmt->relation))
			continue;
		dg_report(
		    ctx, stmt->cmds[i],
		    "adding NOT NULL column \"%s\" without a DEFAULT to \"%s\" fails with \"column "
		    "contains null values\" as soon as the table has a row",
		    col->colname, stmt->relation->relname);
	}
}

const struct dg_rule dg_rule_adding_required_field = {
    .name = "adding-required-field",
    .summary = "ADD COLUMN … NOT NULL without a DEFAULT fails on a table that has rows",
    .help = "Give the column a non-volatile DEFAULT (no table rewrite since PostgreSQL 11), or add "
	    "it nullable, backfill it in batches, then add a CHECK (col IS NOT NULL) NOT VALID, "
	    "VALIDATE it and SET NOT NULL.",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
