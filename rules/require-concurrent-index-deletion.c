/* require-concurrent-index-deletion.c — DROP INDEX without CONCURRENTLY locks the index's table
 * against reads and writes. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__DropStmt *stmt = node->drop_stmt;
	char names[512] = "";
	size_t len = 0, count = 0;

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
		if (!name || dg_index_created_here(ctx, schema, name))
			continue;
		if (len < sizeof(names)) {
			int w = snprintf(names + len, sizeof(names) - len, "%s\"%s\"",
					 count ? ", " : "", name);
			len += w > 0 ? (size_t)w : 0;
		}
		count++;
	}
	if (!count)
		return;
	if (count == 1)
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
};
