/* combined-expand-contract.c — one migration that both adds a structure and drops or renames
 * an existing one: old and new application versions cannot both run against its result. A DROP
 * TABLE or DROP COLUMN that ban-drop-table or ban-drop-column reports already says that running
 * clients break: this rule does not restate it at the same statement. */
#include "rule.h"

/* Whether a rule of its own reports this contract (when that rule is enabled). */
static bool restated(const struct dg_ctx *ctx, const struct dg_stmt_change *c)
{
	const PgQuery__Node *n = c->contract_node;

	if (!n)
		return false;
	if (n->node_case == PG_QUERY__NODE__NODE_DROP_STMT)
		return n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
		       dg_rule_enabled(ctx, "ban-drop-table");
	if (n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
		return n->alter_table_cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn &&
		       dg_rule_enabled(ctx, "ban-drop-column");
	return false;
}

/* Sections of one direction are one deployment; plain SQL and up sections run forward. */
static bool same_way(enum dg_direction a, enum dg_direction b)
{
	return (a == DG_DIR_DOWN) == (b == DG_DIR_DOWN);
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	size_t cur = dg_stmt_index(ctx), n = dg_statement_count(ctx);
	const struct dg_stmt_change *me = dg_stmt_change_at(ctx, cur);
	enum dg_direction dir = dg_stmt_dir_at(ctx, cur);
	const char *expand = NULL;

	if (!me->contract || me->contract_node != node || restated(ctx, me))
		return;
	/* once per migration direction: at its first contract no other rule reports */
	for (size_t i = 0; i < cur; i++)
		if (dg_stmt_change_at(ctx, i)->contract &&
		    !restated(ctx, dg_stmt_change_at(ctx, i)) &&
		    same_way(dg_stmt_dir_at(ctx, i), dir))
			return;
	for (size_t i = 0; i < n && !expand; i++)
		if (same_way(dg_stmt_dir_at(ctx, i), dir))
			expand = dg_stmt_change_at(ctx, i)->expand;
	if (!expand)
		return;
	dg_report(ctx, node,
		  "this migration both expands (%s) and contracts (%s): the application versions "
		  "running while it is applied need the old structure, the new ones need the new, "
		  "and no single deployment serves both",
		  expand, me->contract);
}

const struct dg_rule dg_rule_combined_expand_contract = {
    .name = "combined-expand-contract",
    .summary = "One migration both adds new structure and drops or renames existing structure",
    .help = "Split it: ship the expand (new tables, columns, indexes) in one migration, deploy "
	    "the code that uses the new structure and stops using the old one, then ship the "
	    "contract (drops, renames) as a separate, later migration.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_DROP_STMT, PG_QUERY__NODE__NODE_RENAME_STMT,
		      PG_QUERY__NODE__NODE_ALTER_TABLE_CMD),
    .check = check,
};
