/* ban-truncate.c — TRUNCATE empties existing tables. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__TruncateStmt *stmt = node->truncate_stmt;
	char names[512] = "";
	size_t n = 0;

	for (size_t i = 0; i < stmt->n_relations; i++) {
		const PgQuery__Node *r = stmt->relations[i];

		if (r->node_case != PG_QUERY__NODE__NODE_RANGE_VAR || !r->range_var->relname ||
		    dg_made_here(ctx, r->range_var, NULL))
			continue;
		dg_append_quoted(names, sizeof(names), r->range_var->relname);
		n++;
	}
	if (!n)
		return;
	dg_report(
	    ctx, node,
	    "TRUNCATE deletes every row of %s and takes an ACCESS EXCLUSIVE lock on %s: reads and "
	    "writes wait until the transaction ends",
	    names, n > 1 ? "each" : "it");
}

const struct dg_rule dg_rule_ban_truncate = {
    .name = "ban-truncate",
    .summary = "TRUNCATE in a migration deletes all rows of an existing table",
    .help = "Do not empty live tables from a schema migration. If old rows must go, delete them "
	    "in batches from a separate job (DELETE … WHERE id BETWEEN … with commits between "
	    "batches), after a backup; if the table is no longer used, contract it in steps "
	    "and drop it in a later migration.",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_TRUNCATE_STMT),
    .check = check,
};
