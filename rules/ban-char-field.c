/* ban-char-field.c — char(n) pads with blanks and has surprising comparison semantics. The
 * single-byte internal type "char" (quoted) is a different type and is not meant here. */
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
	char shown[48] = "bpchar";

	/* char, character and nchar all reach the parser as bpchar; "char" stays "char" */
	if (role == DG_COLUMN_OTHER || !type || !column || table->relpersistence[0] == 't' ||
	    strcmp(type, "bpchar") != 0)
		return;
	mod = col->type_name->n_typmods ? col->type_name->typmods[0] : NULL;
	if (mod && mod->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    mod->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL && mod->a_const->ival)
		snprintf(shown, sizeof(shown), "char(%d)", (int)mod->a_const->ival->ival);
	dg_report_type(ctx, col->type_name, NULL,
		      "column \"%s\" of \"%s\" %s %s: %strailing blanks are ignored when comparing "
		      "and dropped when cast to text, and it is stored no smaller than text",
		      column, table->relname, role == DG_COLUMN_ALTER_TYPE ? "becomes" : "is", shown,
		      mod ? "values are blank-padded to the length, " : "");
}

const struct dg_rule dg_rule_ban_char_field = {
	.name = "ban-char-field",
	.summary = "char(n) / character(n) columns: blank padding and odd comparisons; use text",
	.help = "Use text (or varchar), with a CHECK (length(col) = n) if the length really is fixed.",
	.severity = DG_INFO,
	.kinds = DG_KINDS(PG_QUERY__NODE__NODE_COLUMN_DEF),
	.check = check,
};
