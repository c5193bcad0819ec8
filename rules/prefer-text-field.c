/* prefer-text-field.c — varchar(n) bakes a limit into the column type: changing it later is an
 * ALTER COLUMN … TYPE under ACCESS EXCLUSIVE, and lowering it rewrites the table. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__ColumnDef *col = node->column_def;
	struct dg_typed_column c;
	char len[32] = "n";
	int n;

	/* unconstrained varchar is text by another name */
	if (!dg_typed_column(ctx, col, &c) || strcmp(c.type, "varchar") != 0 ||
	    col->type_name->n_typmods == 0)
		return;
	if (dg_type_int_mod(col->type_name, &n))
		snprintf(len, sizeof(len), "%d", n);
	dg_report_type(
	    ctx, col->type_name, NULL,
	    "column \"%s\" of \"%s\" %s varchar(%s): changing the limit later is an ALTER "
	    "COLUMN … TYPE, which takes an ACCESS EXCLUSIVE lock (reads and writes wait; "
	    "raising it is catalog-only, lowering it rewrites the table)",
	    c.column, c.table->relname, c.verb, len);
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
    .fix = dg_fix_use_text,
};
