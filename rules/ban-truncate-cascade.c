/* ban-truncate-cascade.c — TRUNCATE … CASCADE also empties every table that references it. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__TruncateStmt *stmt = node->truncate_stmt;
	const char *first = NULL;

	if (stmt->behavior != PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
		return;
	for (size_t i = 0; i < stmt->n_relations && !first; i++) {
		const PgQuery__Node *r = stmt->relations[i];

		if (r->node_case == PG_QUERY__NODE__NODE_RANGE_VAR && r->range_var->relname &&
		    !dg_made_here(ctx, r->range_var, NULL))
			first = r->range_var->relname;
	}
	if (!first)
		return;
	dg_report(
	    ctx, node,
	    "TRUNCATE … CASCADE also empties every table with a foreign key to \"%s\", and every "
	    "table referencing those, recursively, without naming them; each is locked ACCESS "
	    "EXCLUSIVE until the transaction ends",
	    first);
}

const struct dg_rule dg_rule_ban_truncate_cascade = {
    .name = "ban-truncate-cascade",
    .summary = "TRUNCATE … CASCADE silently empties every referencing table",
    .help = "Name every table to empty explicitly (TRUNCATE a, b) with the default RESTRICT, so "
	    "that an unexpected reference makes the statement fail instead of deleting data; "
	    "better still, delete rows in batches from a separate job.",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_TRUNCATE_STMT),
    .check = check,
};
