/* require-statement-timeout.c — the first statement that takes a lock stronger than ROW
 * EXCLUSIVE on an existing table runs without statement_timeout: nothing bounds how long it
 * holds (or waits for) that lock. */
#include "rule.h"

static const struct dg_lock_rel *strong_lock(struct dg_ctx *ctx, size_t i)
{
	const struct dg_lock_info *li = dg_stmt_locks_at(ctx, i);
	const struct dg_lock_rel *best = NULL;

	for (size_t k = 0; li && k < li->n_rels; k++) {
		const struct dg_lock_rel *r = &li->rels[k];
		/* DROP INDEX CONCURRENTLY's last, brief ACCESS EXCLUSIVE is on an index nobody can
		 * use any more: what waits is the table's lock, counted on its own */
		if (r->role == DG_ROLE_INDEX && li->no_transaction)
			continue;
		if (r->mode > DG_LOCK_ROW_EXCLUSIVE && dg_lock_rel_existing(ctx, i, r) &&
		    (!best || r->mode > best->mode))
			best = r;
	}
	return best;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	size_t i = dg_stmt_index(ctx);
	const struct dg_lock_info *li;
	const struct dg_lock_rel *r;
	bool slow = false;

	if (node != dg_stmt(ctx) || dg_statement_timeout_set_at(ctx, i) ||
	    !(r = strong_lock(ctx, i)))
		return;
	/* once per run: the statements of one direction before this one */
	for (size_t j = i; j-- > 0 && dg_stmt_dir_at(ctx, j) == dg_stmt_dir_at(ctx, i);)
		if (strong_lock(ctx, j))
			return;
	li = dg_stmt_locks(ctx);
	for (size_t k = 0; k < li->n_rels; k++)
		slow |= li->rels[k].rewrite || li->rels[k].scan;
	dg_report(ctx, node,
		  "%s lock on %s\"%s\" with no statement_timeout set: nothing bounds how long it "
		  "waits for the lock or holds it%s",
		  dg_lock_mode_name(r->mode), r->name ? "" : "the table of index ",
		  r->name ? r->name : r->index,
		  slow ? " (this statement scans or rewrites the table, so it runs as long as the "
			 "table is big)"
		       : "");
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
};
