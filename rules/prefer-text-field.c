/* prefer-text-field.c — varchar(n) bakes a limit into the column type: changing it later is an
 * ALTER COLUMN … TYPE under ACCESS EXCLUSIVE, and lowering it rewrites the table. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__ColumnDef *col = node->column_def;
	const PgQuery__RangeVar *table;
	const char *column, *type = dg_type_builtin(col->type_name);
	enum dg_column_role role = dg_column_role(ctx, col, &table, &column);
	const PgQuery__Node *mod;
	char len[32] = "n";

	if (role == DG_COLUMN_OTHER || !type || !column || table->relpersistence[0] == 't')
		return;
	/* unconstrained varchar is text by another name */
	if (strcmp(type, "varchar") != 0 || col->type_name->n_typmods == 0)
		return;
	mod = col->type_name->typmods[0];
	if (mod && mod->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    mod->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL && mod->a_const->ival)
		snprintf(len, sizeof(len), "%d", (int)mod->a_const->ival->ival);
	dg_report_type(ctx, col->type_name, NULL,
		      "column \"%s\" of \"%s\" %s varchar(%s): changing the limit later is an ALTER "
		      "COLUMN … TYPE, which takes an ACCESS EXCLUSIVE lock (reads and writes wait; "
		      "raising it is catalog-only, lowering it rewrites the table)",
		      column, table->relname, role == DG_COLUMN_ALTER_TYPE ? "becomes" : "is", len);
}

const struct dg_rule dg_rule_prefer_text_field = {
	.name = "prefer-text-field",
	.summary = "varchar(n) columns: a new limit later means ACCESS EXCLUSIVE, or a rewrite",
	.help = "Use text with a CHECK (length(col) <= n) constraint. A new limit is then DROP "
		"CONSTRAINT plus ADD CONSTRAINT … NOT VALID (brief locks, no scan) and VALIDATE "
		"CONSTRAINT, which scans under SHARE UPDATE EXCLUSIVE while reads and writes go on.",
	.severity = DG_INFO,
	.kinds = DG_KINDS(PG_QUERY__NODE__NODE_COLUMN_DEF),
	.check = check,
};
