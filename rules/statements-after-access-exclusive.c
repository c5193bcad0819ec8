/* statements-after-access-exclusive.c — an ACCESS EXCLUSIVE lock is held until the transaction
 * ends: every statement after it in the same transaction extends the outage. */
#include "rule.h"
#include "effects.h"

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

/* Catalog-only statements outside the lock model: they touch no table and take no time. */
static bool catalog_only(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
	case PG_QUERY__NODE__NODE_ALTER_FUNCTION_STMT:
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
	case PG_QUERY__NODE__NODE_DEFINE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
	case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
	case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
	case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_CAST_STMT:
		return true;
	default:
		return false;
	}
}

static bool is_data(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INSERT_STMT:
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
	case PG_QUERY__NODE__NODE_DELETE_STMT:
	case PG_QUERY__NODE__NODE_MERGE_STMT:
	case PG_QUERY__NODE__NODE_SELECT_STMT:
	case PG_QUERY__NODE__NODE_COPY_STMT:
		return true;
	default:
		return false;
	}
}

/* The locks the transaction holds so far: a few relations (past the cap, nothing is taken as
 * held, so a statement counts: the finding errs towards reporting). */
#define HELD_MAX 32
struct held {
	const struct dg_lock_rel *rels[HELD_MAX];
	size_t n;
};

/* Whether taking `mode` waits for nobody that `have` does not already keep out: every mode
 * that conflicts with it conflicts with `have` too. */
static bool covers(enum dg_lock_mode have, enum dg_lock_mode mode)
{
	for (int x = DG_LOCK_ACCESS_SHARE; x <= DG_LOCK_ACCESS_EXCLUSIVE; x++)
		if (dg_lock_conflicts(mode, (enum dg_lock_mode)x) &&
		    !dg_lock_conflicts(have, (enum dg_lock_mode)x))
			return false;
	return true;
}

static bool held_already(const struct held *h, const struct dg_lock_rel *r)
{
	if (!r->name)
		return false;
	for (size_t k = 0; k < h->n; k++)
		if (h->rels[k]->name && h->rels[k]->role != DG_ROLE_EVERY &&
		    dg_same_rel(h->rels[k]->schema, h->rels[k]->name, r->schema, r->name) &&
		    covers(h->rels[k]->mode, r->mode))
			return true;
	return false;
}

static void hold(struct held *h, const struct dg_lock_info *li)
{
	for (size_t k = 0; li && k < li->n_rels; k++)
		if (h->n < HELD_MAX && li->rels[k].name && li->rels[k].role != DG_ROLE_EVERY)
			h->rels[h->n++] = &li->rels[k];
}

/* Whether statement k, run while the lock is held, makes the wait longer: it reads or writes
 * rows, scans, rewrites or builds on a table that existed before, or waits for a lock this
 * transaction does not hold yet on such a table, one that queries, writes or autovacuum may
 * hold. A table created in this migration, a view, an
 * ALTER that only changes the catalog of a table already locked, a new function or type:
 * they take no time. */
static bool takes_time(struct dg_ctx *ctx, size_t k, const struct held *h)
{
	const PgQuery__Node *n = dg_stmt_at(ctx, k);
	const struct dg_lock_info *li;

	if (is_instant(n) || catalog_only(n))
		return false;
	if (is_data(n))
		return true;
	li = dg_stmt_locks_at(ctx, k);
	if (!li || !li->known)
		return true;
	for (size_t r = 0; r < li->n_rels; r++) {
		const struct dg_lock_rel *rel = &li->rels[r];
		if (!dg_lock_rel_existing(ctx, k, rel))
			continue;
		if (rel->scan || rel->rewrite || rel->role == DG_ROLE_EVERY)
			return true;
		/* a lock nothing ordinary holds (queries, writes, autovacuum) is granted at once:
		 * a view's ACCESS SHARE on the tables it reads */
		if (!held_already(h, rel) &&
		    (dg_lock_conflicts(rel->mode, DG_LOCK_ACCESS_SHARE) ||
		     dg_lock_conflicts(rel->mode, DG_LOCK_ROW_EXCLUSIVE) ||
		     dg_lock_conflicts(rel->mode, DG_LOCK_SHARE_UPDATE_EXCLUSIVE)))
			return true;
	}
	return false;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	size_t i = dg_stmt_index(ctx), n = dg_statement_count(ctx), after = 0, j;
	struct held held = {.n = 0};
	unsigned tx = dg_transaction_id(ctx);
	const struct dg_lock_rel *r;

	if (node != dg_stmt(ctx) || !dg_in_transaction(ctx) || !tx || !(r = ael(ctx, i)))
		return;
	for (j = i; j-- > 0 && dg_transaction_id_at(ctx, j) == tx;)
		if (ael(ctx, j))
			return; /* reported at the first one of the transaction */
	/* what the transaction holds when the lock is taken */
	for (j++; j <= i; j++)
		hold(&held, dg_stmt_locks_at(ctx, j));
	/* a DO block counts once, as it is written, but its own statements after this one in it
	 * count */
	for (size_t k = i + 1; k < n && dg_transaction_id_at(ctx, k) == tx; k++) {
		if ((!dg_stmt_holder_at(ctx, k) ||
		     dg_stmt_holder_at(ctx, k) == dg_stmt_holder_at(ctx, i)) &&
		    takes_time(ctx, k, &held))
			after++;
		hold(&held, dg_stmt_locks_at(ctx, k));
	}
	if (!after)
		return;
	if (r->role == DG_ROLE_INDEX) {
		dg_report(
		    ctx, node,
		    "ACCESS EXCLUSIVE on index \"%s\" is held until the transaction commits, "
		    "and %zu later statement%s in the same transaction take%s time or wait%s "
		    "for locks: every read and write on %s%s%s waits for all of them (planning a query "
		    "locks every index of its table)",
		    r->name, after, after == 1 ? "" : "s", after == 1 ? "s" : "",
		    after == 1 ? "s" : "", r->owner ? "\"" : "", r->owner ? r->owner : "its table",
		    r->owner ? "\"" : "");
		return;
	}
	dg_report(
	    ctx, node,
	    "ACCESS EXCLUSIVE on %s\"%s\" is held until the transaction commits, and %zu later "
	    "statement%s in the same transaction take%s time or wait%s for locks: every read and "
	    "write on %s%s%s waits for all of them",
	    r->name ? "" : "the table of index ", r->name ? r->name : r->index, after,
	    after == 1 ? "" : "s", after == 1 ? "s" : "", after == 1 ? "s" : "",
	    r->name ? "\"" : "", r->name ? r->name : "that table", r->name ? "\"" : "");
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
