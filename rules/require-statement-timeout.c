/* require-statement-timeout.c — the first statement that holds a lock blocking ordinary traffic
 * on an existing table for a scan, rewrite or index build runs without statement_timeout:
 * nothing bounds how long it blocks. Never for CONCURRENTLY statements (the timeout would cancel
 * the build and leave an INVALID index behind), and not where require-lock-timeout reports the
 * same statement: that finding's help carries this advice, unless that rule is off. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	size_t i = dg_stmt_index(ctx);
	const struct dg_lock_rel *r;

	if (node != dg_stmt(ctx) || !dg_statement_timeout_missing_at(ctx, i))
		return;
	if (dg_rule_enabled(ctx, "require-lock-timeout") && dg_lock_timeout_missing_at(ctx, i))
		return;
	r = dg_slow_blocking_lock_at(ctx, i);
	dg_report(ctx, node,
		  "%s lock on %s\"%s\" held while this statement %s%s%s, with no "
		  "statement_timeout set: nothing bounds how long %s wait",
		  dg_lock_mode_name(r->mode), r->name ? "" : "the table of index ",
		  dg_lock_rel_name(r),
		  /* the model's caveat when the claim depends on what it cannot see */
		  r->uncertain && r->note ? "may scan or rewrite the table ("
		  : r->rewrite		  ? "rewrites the table"
					  : "scans the table (as long as the table is big)",
		  r->uncertain && r->note ? r->note : "", r->uncertain && r->note ? ")" : "",
		  r->blocks_reads ? "reads and writes" : "writes");
}

const struct dg_rule dg_rule_require_statement_timeout = {
    .name = "require-statement-timeout",
    .summary = "A traffic-blocking lock held for a scan, rewrite or index build without SET "
	       "statement_timeout",
    .help = "Start the migration with SET statement_timeout = '…' (SET LOCAL inside its "
	    "transaction), long enough for the work but bounded, so a runaway statement is "
	    "cancelled and its locks are released. Not for CONCURRENTLY statements: a timeout "
	    "cancels the build and leaves an INVALID index behind.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(DG_LOCK_STMT_KINDS),
    .check = check,
    .fix = dg_fix_statement_timeout,
};
