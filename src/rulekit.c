/* rulekit.c — helpers that several rules share, built only on the API of rules/rule.h. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

const PgQuery__AlterTableStmt *dg_alter_existing_table(const struct dg_ctx *ctx,
						       const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt;

	if (!node || node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
		return NULL;
	stmt = node->alter_table_stmt;
	/* ALTER FOREIGN TABLE has no rows to rewrite, ALTER TYPE is a composite type's */
	if (stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !stmt->relation ||
	    dg_table_created_here(ctx, stmt->relation))
		return NULL;
	return stmt;
}

const PgQuery__Constraint *dg_cmd_added_constraint(const PgQuery__AlterTableCmd *cmd, int contype)
{
	if (!cmd || cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint || !cmd->def ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT ||
	    (int)cmd->def->constraint->contype != contype)
		return NULL;
	return cmd->def->constraint;
}

const PgQuery__ColumnDef *dg_cmd_column_def(const PgQuery__AlterTableCmd *cmd, int subtype)
{
	if (!cmd || (int)cmd->subtype != subtype || !cmd->def ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
		return NULL;
	return cmd->def->column_def;
}

bool dg_column_has_constraint(const PgQuery__ColumnDef *col, int contype)
{
	for (size_t k = 0; k < col->n_constraints; k++) {
		const PgQuery__Node *cn = col->constraints[k];
		if (cn->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    (int)cn->constraint->contype == contype)
			return true;
	}
	return false;
}

const char *dg_constraint_name_part(const PgQuery__Constraint *c, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	if (c->conname && *c->conname)
		snprintf(buf, size, " \"%s\"", c->conname);
	return buf;
}

const PgQuery__Constraint *dg_cmd_builds_unique_index(const PgQuery__AlterTableCmd *cmd,
						      int contype, const PgQuery__ColumnDef **col)
{
	const PgQuery__Constraint *c = dg_cmd_added_constraint(cmd, contype);

	*col = NULL;
	if (c)
		return c->indexname && *c->indexname ? NULL : c;
	*col = dg_cmd_column_def(cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn);
	if (*col && !dg_column_has_constraint(*col, contype))
		*col = NULL;
	return NULL;
}

void dg_append_quoted(char *buf, size_t size, const char *name)
{
	size_t len = strlen(buf);

	if (len + 8 >= size)
		return;
	snprintf(buf + len, size - len, "%s\"%s\"", len ? ", " : "", name);
}

const PgQuery__RangeVar *dg_cmd_table_made_before(const struct dg_ctx *ctx,
						  const PgQuery__AlterTableCmd *cmd, int subtype)
{
	const PgQuery__Node *st = dg_stmt(ctx);
	const PgQuery__AlterTableStmt *at;

	if ((int)cmd->subtype != subtype || !cmd->name)
		return NULL;
	if (!st || st->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
		return NULL;
	at = st->alter_table_stmt;
	/* a foreign table's columns are declarations: the data lives elsewhere */
	if (at->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return NULL;
	if (!at->relation || dg_made_here(ctx, at->relation, cmd->name))
		return NULL;
	return at->relation;
}

bool dg_typed_column(const struct dg_ctx *ctx, const PgQuery__ColumnDef *col,
		     struct dg_typed_column *out)
{
	out->type = dg_type_builtin(col->type_name);
	out->role = dg_column_role(ctx, col, &out->table, &out->column);
	out->verb = out->role == DG_COLUMN_ALTER_TYPE ? "becomes" : "is";
	return out->role != DG_COLUMN_OTHER && out->type && out->column &&
	       out->table->relpersistence[0] != 't';
}

const struct dg_lock_rel *dg_blocking_lock_at(struct dg_ctx *ctx, size_t i)
{
	const struct dg_lock_info *li = dg_stmt_locks_at(ctx, i);
	const struct dg_lock_rel *best = NULL;

	for (size_t k = 0; li && k < li->n_rels; k++) {
		const struct dg_lock_rel *r = &li->rels[k];
		/* DROP INDEX CONCURRENTLY's last, brief ACCESS EXCLUSIVE is on an index nobody can
		 * use any more: what waits is the table's lock, counted on its own */
		if (r->role == DG_ROLE_INDEX && li->no_transaction)
			continue;
		if (dg_lock_blocks_writes(r->mode) && dg_lock_rel_existing(ctx, i, r) &&
		    (!best || r->mode > best->mode))
			best = r;
	}
	return best;
}

/* Whether an earlier statement of statement i's direction (one run of the tool, one connection)
 * satisfies `pred`. */
static bool earlier_in_run(struct dg_ctx *ctx, size_t i, bool (*pred)(struct dg_ctx *ctx, size_t j))
{
	for (size_t j = i; j-- > 0 && dg_stmt_dir_at(ctx, j) == dg_stmt_dir_at(ctx, i);)
		if (pred(ctx, j))
			return true;
	return false;
}

static bool blocks_at(struct dg_ctx *ctx, size_t j)
{
	return dg_blocking_lock_at(ctx, j) != NULL;
}

const struct dg_lock_rel *dg_first_blocking_lock(struct dg_ctx *ctx)
{
	size_t i = dg_stmt_index(ctx);
	const struct dg_lock_rel *r = dg_blocking_lock_at(ctx, i);

	return r && !earlier_in_run(ctx, i, blocks_at) ? r : NULL;
}

bool dg_lock_timeout_missing_at(struct dg_ctx *ctx, size_t i)
{
	return dg_blocking_lock_at(ctx, i) && !dg_lock_timeout_set_at(ctx, i) &&
	       !earlier_in_run(ctx, i, blocks_at);
}

/* CONCURRENTLY as the statement says it: CREATE/DROP INDEX, REINDEX, REFRESH MATERIALIZED VIEW,
 * DETACH PARTITION. */
static bool says_concurrently(const PgQuery__Node *n)
{
	if (!n)
		return false;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return n->index_stmt->concurrent;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return n->drop_stmt->concurrent;
	case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
		return n->refresh_mat_view_stmt->concurrent;
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		return dg_option_on(n->reindex_stmt->params, n->reindex_stmt->n_params,
				    "concurrently");
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		for (size_t k = 0; k < n->alter_table_stmt->n_cmds; k++) {
			const PgQuery__Node *c = n->alter_table_stmt->cmds[k];
			if (c->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD &&
			    c->alter_table_cmd->def &&
			    c->alter_table_cmd->def->node_case ==
				PG_QUERY__NODE__NODE_PARTITION_CMD &&
			    c->alter_table_cmd->def->partition_cmd->concurrent)
				return true;
		}
		return false;
	default:
		return false;
	}
}

const struct dg_lock_rel *dg_slow_blocking_lock_at(struct dg_ctx *ctx, size_t i)
{
	const struct dg_lock_info *li = dg_stmt_locks_at(ctx, i);
	const struct dg_lock_rel *best = NULL;

	if (!li || says_concurrently(dg_stmt_at(ctx, i)))
		return NULL;
	for (size_t k = 0; k < li->n_rels; k++) {
		const struct dg_lock_rel *r = &li->rels[k];
		if ((r->rewrite || r->scan) && dg_lock_blocks_writes(r->mode) &&
		    dg_lock_rel_existing(ctx, i, r) && (!best || r->mode > best->mode))
			best = r;
	}
	return best;
}

static bool slow_at(struct dg_ctx *ctx, size_t j)
{
	return dg_slow_blocking_lock_at(ctx, j) != NULL;
}

bool dg_statement_timeout_missing_at(struct dg_ctx *ctx, size_t i)
{
	return dg_slow_blocking_lock_at(ctx, i) && !dg_statement_timeout_set_at(ctx, i) &&
	       !earlier_in_run(ctx, i, slow_at);
}

const char *dg_lock_rel_name(const struct dg_lock_rel *r)
{
	return r->name ? r->name : r->index;
}
