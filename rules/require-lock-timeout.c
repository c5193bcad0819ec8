/* require-lock-timeout.c — the first statement that takes a lock blocking ordinary traffic (SHARE
 * or stronger) on an existing table runs without lock_timeout: stuck behind one long query, it
 * queues everyone. Weaker locks (SHARE UPDATE EXCLUSIVE: COMMENT ON, VALIDATE CONSTRAINT, CREATE
 * INDEX CONCURRENTLY) queue only other schema changes and VACUUM: no finding. */
#include <stdio.h>

#include "rule.h"

static const char help[] =
    "Start the migration with SET lock_timeout = '2s' (SET LOCAL inside its transaction) and "
    "retry when it times out: a waiting ALTER then gives up instead of blocking traffic behind "
    "it.";
/* require-statement-timeout defers to this finding at the same statement: its advice here */
static const char help_both[] =
    "Start the migration with SET lock_timeout = '2s' and SET statement_timeout = '…' (SET "
    "LOCAL inside its transaction) and retry when the lock wait times out: a waiting ALTER then "
    "gives up instead of blocking traffic behind it, and since this statement scans or rewrites "
    "the table while holding the lock, the statement_timeout (long enough for the work, but "
    "bounded) cancels a runaway run and releases the lock.";

/* What a long transaction must hold for this mode to wait: only conflicting locks make it queue. */
static const char *waits_for(enum dg_lock_mode m)
{
	if (dg_lock_conflicts(m, DG_LOCK_ACCESS_SHARE))
		return "any lock on it (even a plain SELECT)";
	return "a lock that conflicts with it (an uncommitted write, for instance)";
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	size_t i = dg_stmt_index(ctx);
	const struct dg_lock_rel *r;
	char again[300];

	if (node != dg_stmt(ctx) || !dg_lock_timeout_missing_at(ctx, i) ||
	    !(r = dg_first_blocking_lock(ctx)))
		return; /* none, or reported (or not) at the first one of the run */
	/* the table of a named index is unknown: say "that table", not the index's name */
	if (r->name)
		snprintf(again, sizeof(again), "\"%s\"", r->name);
	else
		snprintf(again, sizeof(again), "that table");
	dg_report_help(ctx, node,
		       dg_rule_enabled(ctx, "require-statement-timeout") &&
			       dg_statement_timeout_missing_at(ctx, i)
			   ? help_both
			   : help,
		       "%s lock on %s\"%s\" with no lock_timeout set: if a long transaction holds "
		       "%s, this statement waits, and every %s on %s queues behind it meanwhile",
		       dg_lock_mode_name(r->mode), r->name ? "" : "the table of index ",
		       dg_lock_rel_name(r), waits_for(r->mode),
		       dg_lock_blocks_reads(r->mode) ? "read and write" : "write", again);
}

const struct dg_rule dg_rule_require_lock_timeout = {
    .name = "require-lock-timeout",
    .summary = "A lock that blocks traffic (SHARE or stronger) on an existing table without SET "
	       "lock_timeout",
    .help = help,
    .severity = DG_WARNING,
    .kinds = DG_KINDS(DG_LOCK_STMT_KINDS),
    .check = check,
    .fix = dg_fix_lock_timeout,
};
