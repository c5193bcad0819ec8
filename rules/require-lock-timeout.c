/* require-lock-timeout.c — the first statement that takes a lock stronger than ROW EXCLUSIVE on
 * an existing table runs without lock_timeout: stuck behind one long query, it queues everyone. */
#include <stdio.h>

#include "rule.h"

/* What a long transaction must hold for this mode to wait: only conflicting locks make it queue. */
static const char *waits_for(enum dg_lock_mode m)
{
	if (dg_lock_conflicts(m, DG_LOCK_ACCESS_SHARE))
		return "any lock on it (even a plain SELECT)";
	if (dg_lock_conflicts(m, DG_LOCK_ROW_EXCLUSIVE))
		return "a lock that conflicts with it (an uncommitted write, for instance)";
	return "a lock that conflicts with it (a running VACUUM, index build or schema change)";
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	size_t i = dg_stmt_index(ctx);
	const struct dg_lock_rel *r;
	char again[300];

	if (node != dg_stmt(ctx) || dg_lock_timeout_set_at(ctx, i) ||
	    !(r = dg_first_strong_lock(ctx)))
		return; /* none, or reported (or not) at the first one of the run */
	/* the table of a named index is unknown: say "that table", not the index's name */
	if (r->name)
		snprintf(again, sizeof(again), "\"%s\"", r->name);
	else
		snprintf(again, sizeof(again), "that table");
	dg_report(ctx, node,
		  "%s lock on %s\"%s\" with no lock_timeout set: if a long transaction holds %s, "
		  "this statement waits, and every %s on %s queues behind it meanwhile",
		  dg_lock_mode_name(r->mode), r->name ? "" : "the table of index ",
		  dg_lock_rel_name(r), waits_for(r->mode),
		  dg_lock_blocks_reads(r->mode)	   ? "read and write"
		  : dg_lock_blocks_writes(r->mode) ? "write"
						   : "schema change and VACUUM",
		  again);
}

const struct dg_rule dg_rule_require_lock_timeout = {
    .name = "require-lock-timeout",
    .summary = "A lock stronger than ROW EXCLUSIVE on an existing table without SET lock_timeout",
    .help = "Start the migration with SET lock_timeout = '2s' (SET LOCAL inside its transaction) "
	    "and retry when it times out: a waiting ALTER then gives up instead of blocking "
	    "traffic behind it.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(DG_LOCK_STMT_KINDS),
    .check = check,
    .fix = dg_fix_lock_timeout,
};
