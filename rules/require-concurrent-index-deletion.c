/* require-concurrent-index-deletion.c — DROP INDEX without CONCURRENTLY locks the index's table
 * against reads and writes. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

/* Whether a later statement of the same section drops the index's table (when this migration
 * tells which table that is): then the table is locked and gone anyway, and dropping its index
 * first, concurrently or not, spares no one. */
static bool table_dropped_later(const struct dg_ctx *ctx, const char *schema, const char *index)
{
	const char *table = dg_index_table(ctx, schema, index, DG_ANYWHERE);
	size_t i = dg_stmt_index(ctx), nd, lo = 0, hi;
	/* the file's DROP statements after this one, not every statement */
	const size_t *drops = dg_stmts_of_kind(ctx, PG_QUERY__NODE__NODE_DROP_STMT, &nd);

	if (!table)
		return false;
	for (hi = nd; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (drops[mid] <= i)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t q = lo;
	     q < nd && dg_section_index_at(ctx, drops[q]) == dg_section_index_at(ctx, i); q++) {
		const PgQuery__DropStmt *d = dg_stmt_at(ctx, drops[q])->drop_stmt;

		if (d->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
			continue;
		for (size_t k = 0; k < d->n_objects; k++) {
			const PgQuery__Node *o = d->objects[k];
			const char *name, *sch;

			if (o->node_case != PG_QUERY__NODE__NODE_LIST || !o->list->n_items)
				continue;
			name = dg_name_last(o->list->items, o->list->n_items);
			sch = o->list->n_items >= 2
				  ? dg_node_string(o->list->items[o->list->n_items - 2])
				  : NULL;
			/* an index lives in its table's schema */
			if (name && strcmp(name, table) == 0 &&
			    (!sch || !*sch || !schema || !*schema || strcmp(sch, schema) == 0))
				return true;
		}
	}
	return false;
}

/* The table of index `name` as the lock model names it (from this file or schema memory). */
static const char *table_of(struct dg_ctx *ctx, const char *name)
{
	const struct dg_lock_info *li = dg_stmt_locks(ctx);

	for (size_t k = 0; li && k < li->n_rels; k++)
		if (li->rels[k].role == DG_ROLE_INDEX_TABLE && li->rels[k].index &&
		    strcmp(li->rels[k].index, name) == 0)
			return li->rels[k].name;
	return NULL;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__DropStmt *stmt = node->drop_stmt;
	char names[512] = "";
	size_t len = 0, count = 0;
	const char *table = NULL; /* of the last index, as schema memory knows it */

	if (stmt->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_INDEX || stmt->concurrent)
		return;
	for (size_t i = 0; i < stmt->n_objects; i++) {
		const PgQuery__Node *obj = stmt->objects[i];
		const PgQuery__List *parts;
		const char *name, *schema;

		if (obj->node_case != PG_QUERY__NODE__NODE_LIST)
			continue;
		parts = obj->list;
		name = dg_name_last(parts->items, parts->n_items);
		schema =
		    parts->n_items >= 2 ? dg_node_string(parts->items[parts->n_items - 2]) : NULL;
		if (!name || dg_index_created_here(ctx, schema, name) ||
		    table_dropped_later(ctx, schema, name))
			continue;
		if (len < sizeof(names)) {
			int w = snprintf(names + len, sizeof(names) - len, "%s\"%s\"",
					 count ? ", " : "", name);
			len += w > 0 ? (size_t)w : 0;
		}
		table = table_of(ctx, name);
		count++;
	}
	if (!count)
		return;
	if (count == 1 && table)
		dg_report(
		    ctx, node,
		    "DROP INDEX %s takes an ACCESS EXCLUSIVE lock on its table \"%s\": every "
		    "read and write of \"%s\" waits until the drop commits, and the drop itself "
		    "first queues behind every query running on it",
		    names, table, table);
	else if (count == 1)
		dg_report(
		    ctx, node,
		    "DROP INDEX %s takes an ACCESS EXCLUSIVE lock on the index's table: every "
		    "read and write of the table waits until the drop commits, and the drop "
		    "itself first queues behind every query running on it",
		    names);
	else
		dg_report(
		    ctx, node,
		    "DROP INDEX %s takes ACCESS EXCLUSIVE locks on the indexes' tables: every "
		    "read and write of those tables waits until the drop commits, and the drop "
		    "itself first queues behind every query running on them",
		    names);
}

const struct dg_rule dg_rule_require_concurrent_index_deletion = {
    .name = "require-concurrent-index-deletion",
    .summary = "DROP INDEX without CONCURRENTLY blocks reads and writes of the indexed table",
    .help = "Use DROP INDEX CONCURRENTLY, one index per statement and outside a transaction "
	    "block: it takes SHARE UPDATE EXCLUSIVE and waits for running queries instead of "
	    "blocking new ones. An index that backs a constraint is dropped with ALTER TABLE … "
	    "DROP CONSTRAINT instead.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_DROP_STMT),
    .check = check,
    .fix = dg_fix_concurrently,
};
