/* prefer-timestamptz.c — timestamp without time zone stores a wall-clock reading, not an
 * instant. */
#include <string.h>

#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__ColumnDef *col = node->column_def;
	struct dg_typed_column c;

	if (!dg_typed_column(ctx, col, &c) || strcmp(c.type, "timestamp") != 0)
		return;
	dg_report_type(
	    ctx, col->type_name, NULL,
	    "column \"%s\" of \"%s\" %s timestamp without time zone: it stores a wall-clock "
	    "reading with no zone, so the instant it means depends on the TimeZone setting "
	    "of whoever wrote it, and comparisons with now() or across a DST change are off "
	    "by hours",
	    c.column, c.table->relname, c.verb);
}

const struct dg_rule dg_rule_prefer_timestamptz = {
    .name = "prefer-timestamptz",
    .summary = "timestamp without time zone columns: use timestamptz",
    .help = "Use timestamptz (timestamp with time zone): the same 8 bytes, stored as UTC and shown "
	    "in the session's zone. Converting an existing column with ALTER COLUMN … TYPE "
	    "timestamptz rewrites the table under ACCESS EXCLUSIVE, except from PostgreSQL 12 on "
	    "when the session's TimeZone is UTC.",
    .severity = DG_INFO,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_COLUMN_DEF),
    .check = check,
    .fix = dg_fix_timestamptz,
};
