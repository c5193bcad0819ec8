/* statements-after-access-exclusive.c — an ACCESS EXCLUSIVE lock is held until the transaction
 * ends: every statement after it in the same transaction extends the outage. */
#include "rule.h"

static const struct dg_lock_rel *ael(struct dg_ctx *ctx, size_t i)
{
	const struct dg_lock_info *li = dg_stmt_locks_at(ctx, i);
	const struct dg_lock_rel *index = NULL;

	/* a table's own lock first; an index's (REINDEX) blocks the traffic of its table too */
	for (size_t k = 0; li && k < li->n_rels; k++)
		if (li->rels[k].mode == DG_LOCK_ACCESS_EXCLUSIVE &&
		    dg_lock_rel_existing(ctx, i, &li->rels[k])) {
			if (li->rels[k].role != DG_ROLE_INDEX)
				return &li->rels[k];
			if (!index)
				index = &li->rels[k];
		}
	return index;
}

/* SET, COMMIT and friends take no time: they do not count. */
static bool is_instant(const PgQuery__Node *n)
{
	return n->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT ||
	       n->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	size_t i = dg_stmt_index(ctx), n = dg_statement_count(ctx), after = 0;
	unsigned tx = dg_transaction_id(ctx);
	const struct dg_lock_rel *r;

	if (node != dg_stmt(ctx) || !dg_in_transaction(ctx) || !tx || !(r = ael(ctx, i)))
		return;
	for (size_t j = i; j-- > 0 && dg_transaction_id_at(ctx, j) == tx;)
		if (ael(ctx, j))
			return; /* reported at the first one of the transaction */
	/* a DO block counts once, as it is written, but its own statements after this one in it
	 * count */
	for (size_t k = i + 1; k < n && dg_transaction_id_at(ctx, k) == tx; k++)
		if (!is_instant(dg_stmt_at(ctx, k)) &&
		    (!dg_stmt_holder_at(ctx, k) ||
		     dg_stmt_holder_at(ctx, k) == dg_stmt_holder_at(ctx, i)))
			after++;
	if (!after)
		return;
	if (r->role == DG_ROLE_INDEX) {
		dg_report(ctx, node,
			  "ACCESS EXCLUSIVE on index \"%s\" is held until the transaction commits, "
			  "and %zu more statement%s run%s after this one in the same transaction: "
			  "every read and write on %s%s%s waits for all of them (planning a query "
			  "locks every index of its table)",
			  r->name, after, after == 1 ? "" : "s", after == 1 ? "s" : "",
			  r->owner ? "\"" : "", r->owner ? r->owner : "its table",
			  r->owner ? "\"" : "");
		return;
	}
	dg_report(
	    ctx, node,
	    "ACCESS EXCLUSIVE on %s\"%s\" is held until the transaction commits, and %zu more "
	    "statement%s run%s after this one in the same transaction: every read and write "
	    "on %s%s%s waits for all of them",
	    r->name ? "" : "the table of index ", r->name ? r->name : r->index, after,
	    after == 1 ? "" : "s", after == 1 ? "s" : "", r->name ? "\"" : "",
	    r->name ? r->name : "that table", r->name ? "\"" : "");
}

const struct dg_rule dg_rule_statements_after_access_exclusive = {
    .name = "statements-after-access-exclusive",
    .summary = "More statements run in the transaction after one took ACCESS EXCLUSIVE",
    .help = "Run the statement that takes ACCESS EXCLUSIVE in a transaction of its own, or last "
	    "in its transaction, so the lock is released as soon as that statement is done.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(DG_LOCK_STMT_KINDS),
    .check = check,
};
