/* require-statement-timeout.c — the first statement that takes a lock stronger than ROW
 * EXCLUSIVE on an existing table runs without statement_timeout: nothing bounds how long it
 * holds (or waits for) that lock. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	size_t i = dg_stmt_index(ctx);
	const struct dg_lock_info *li;
	const struct dg_lock_rel *r;
	bool slow = false;
	const char *hedge = NULL;

	if (node != dg_stmt(ctx) || dg_statement_timeout_set_at(ctx, i) ||
	    !(r = dg_first_strong_lock(ctx)))
		return; /* none, or reported (or not) at the first one of the run */
	li = dg_stmt_locks(ctx);
	for (size_t k = 0; k < li->n_rels; k++)
		if (li->rels[k].rewrite || li->rels[k].scan) {
			slow = true;
			/* the model's caveat: what the claim depends on */
			if (!hedge && li->rels[k].uncertain)
				hedge = li->rels[k].note;
		}
	dg_report(
	    ctx, node,
	    "%s lock on %s\"%s\" with no statement_timeout set: nothing bounds how long it "
	    "waits for the lock or holds it%s%s%s",
	    dg_lock_mode_name(r->mode), r->name ? "" : "the table of index ", dg_lock_rel_name(r),
	    !slow   ? ""
	    : hedge ? " (this statement may scan or rewrite the table, so that it runs as long "
		      "as the table is big: "
		    : " (this statement scans or rewrites the table, so it runs as long as the "
		      "table is big)",
	    slow && hedge ? hedge : "", slow && hedge ? ")" : "");
}

const struct dg_rule dg_rule_require_statement_timeout = {
    .name = "require-statement-timeout",
    .summary = "A lock stronger than ROW EXCLUSIVE on an existing table without SET "
	       "statement_timeout",
    .help = "Start the migration with SET statement_timeout = '…' (SET LOCAL inside its "
	    "transaction), long enough for the work but bounded, so a runaway statement is "
	    "cancelled and its locks are released.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(DG_LOCK_STMT_KINDS),
    .check = check,
    .fix = dg_fix_statement_timeout,
};
