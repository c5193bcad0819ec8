/* ban-char-field.c — char(n) pads with blanks and has surprising comparison semantics. The
 * single-byte internal type "char" (quoted) is a different type and is not meant here. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__ColumnDef *col = node->column_def;
	struct dg_typed_column c;
	char shown[48] = "bpchar";
	int len;

	/* char, character and nchar all reach the parser as bpchar; "char" stays "char" */
	if (!dg_typed_column(ctx, col, &c) || strcmp(c.type, "bpchar") != 0)
		return;
	if (dg_type_int_mod(col->type_name, &len))
		snprintf(shown, sizeof(shown), "char(%d)", len);
	dg_report_type(
	    ctx, col->type_name, NULL,
	    "column \"%s\" of \"%s\" %s %s: %strailing blanks are ignored when comparing "
	    "and dropped when cast to text, and it is stored no smaller than text",
	    c.column, c.table->relname, c.verb, shown,
	    col->type_name->n_typmods ? "values are blank-padded to the length, " : "");
}

const struct dg_rule dg_rule_ban_char_field = {
    .name = "ban-char-field",
    .summary = "char(n) / character(n) columns: blank padding and odd comparisons; use text",
    .help = "Use text (or varchar), with a CHECK (length(col) = n) if the length really is fixed.",
    .severity = DG_INFO,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_COLUMN_DEF),
    .check = check,
};
