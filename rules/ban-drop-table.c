/* ban-drop-table.c — DROP TABLE deletes an existing table and its data. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__DropStmt *stmt = node->drop_stmt;
	char names[512] = "", refs[512] = "";
	size_t n = 0;
	const struct dg_lock_info *li;
	bool keys_unknown = false;

	if (stmt->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return;
	for (size_t i = 0; i < stmt->n_objects; i++) {
		const PgQuery__Node *o = stmt->objects[i];
		PgQuery__RangeVar rv = PG_QUERY__RANGE_VAR__INIT;
		size_t k;

		if (o->node_case != PG_QUERY__NODE__NODE_LIST || !o->list->n_items)
			continue;
		k = o->list->n_items;
		rv.relname = (char *)dg_node_string(o->list->items[k - 1]);
		rv.schemaname = k > 1 ? (char *)dg_node_string(o->list->items[k - 2]) : NULL;
		/* the old copy of a table rebuilt here: its rows live on under its name */
		if (!rv.relname || dg_made_here(ctx, &rv, NULL) || dg_rebuild_drops(ctx, &rv))
			continue;
		dg_append_quoted(names, sizeof(names), rv.relname);
		n++;
	}
	if (!n)
		return;
	/* dropping a table drops its foreign keys' triggers on the referenced tables too: ACCESS
	 * EXCLUSIVE there as well (named when this file declared the keys) */
	li = dg_stmt_locks(ctx);
	for (size_t k = 0; li && k < li->n_rels; k++) {
		if (li->rels[k].role == DG_ROLE_REFERENCED && li->rels[k].name)
			dg_append_quoted(refs, sizeof(refs), li->rels[k].name);
		/* the model notes a table whose foreign keys it cannot know */
		if (li->rels[k].role == DG_ROLE_TABLE && li->rels[k].note)
			keys_unknown = true;
	}
	dg_report(
	    ctx, node,
	    "DROP TABLE deletes %s and all %s data for good, under an ACCESS EXCLUSIVE lock%s%s%s%s; "
	    "every running application version that still uses %s fails",
	    names, n > 1 ? "their" : "its", refs[0] || keys_unknown ? " that also covers " : "",
	    refs[0]	    ? refs
	    : !keys_unknown ? ""
	    : n > 1	    ? "every table their foreign keys reference"
			    : "every table its foreign keys reference",
	    refs[0] ? (n > 1 ? " (referenced by their foreign keys)"
			     : " (referenced by its foreign keys)")
		    : "",
	    stmt->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE
		? ", and CASCADE also drops the views and foreign keys that depend on them"
		: "",
	    n > 1 ? "them" : "it");
}

const struct dg_rule dg_rule_ban_drop_table = {
    .name = "ban-drop-table",
    .summary = "Dropping a table deletes its data and breaks running clients",
    .help = "Contract in steps: remove every use of the table from the application and deploy "
	    "that; keep a backup (or rename the table aside and drop it after a grace period); "
	    "then drop it in a separate migration with a short lock_timeout. Once the drop is "
	    "intended and backed up, suppress this finding for that statement.",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_DROP_STMT),
    .check = check,
};
