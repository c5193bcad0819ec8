/* ban-set-tablespace.c — moving a relation to another tablespace copies it file by file while
 * holding ACCESS EXCLUSIVE on it. */
#include "rule.h"

static const char *kind_word(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		return "index";
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		return "materialized view";
	default:
		return "table";
	}
}

static void check_alter(struct dg_ctx *ctx, const PgQuery__AlterTableStmt *stmt)
{
	const char *r;

	if (!stmt->relation)
		return;
	/* an index is not in the list of relations created here: only tables and views are */
	if (stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_INDEX &&
	    dg_table_created_here(ctx, stmt->relation))
		return;
	r = stmt->relation->relname;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;

		if (!cmd || cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace)
			continue;
		if (stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX)
			dg_report(
			    ctx, stmt->cmds[i],
			    "SET TABLESPACE copies index \"%s\" to \"%s\" under an ACCESS EXCLUSIVE "
			    "lock on it: every query that plans or writes on its table waits for the "
			    "copy",
			    r, cmd->name ? cmd->name : "?");
		else
			dg_report(
			    ctx, stmt->cmds[i],
			    "SET TABLESPACE copies %s \"%s\" to \"%s\" under an ACCESS EXCLUSIVE "
			    "lock: all reads and writes on \"%s\" wait for the copy",
			    kind_word(stmt->objtype), r, cmd->name ? cmd->name : "?", r);
	}
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	if (node->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
		check_alter(ctx, node->alter_table_stmt);
	} else if (node->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_MOVE_ALL_STMT) {
		const PgQuery__AlterTableMoveAllStmt *m = node->alter_table_move_all_stmt;
		const char *what = m->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX ? "index"
				   : m->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW
				       ? "materialized view"
				       : "table";

		dg_report(
		    ctx, node,
		    "ALL IN TABLESPACE first takes an ACCESS EXCLUSIVE lock on every %s of \"%s\", "
		    "then copies them to \"%s\" one by one, holding all the locks to the end: "
		    "reads and writes that touch any of them wait for all the copies",
		    what, m->orig_tablespacename ? m->orig_tablespacename : "?",
		    m->new_tablespacename ? m->new_tablespacename : "?");
	}
}

const struct dg_rule dg_rule_ban_set_tablespace = {
    .name = "ban-set-tablespace",
    .summary = "SET TABLESPACE copies the relation under ACCESS EXCLUSIVE",
    .help = "Core PostgreSQL cannot move a relation online. Use pg_repack with --tablespace "
	    "(and --moveidx for the indexes): it copies while writes go on and locks only for "
	    "the swap; or move it in a maintenance window. To put only new data elsewhere, set "
	    "default_tablespace or create new partitions in the new tablespace.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT,
		      PG_QUERY__NODE__NODE_ALTER_TABLE_MOVE_ALL_STMT),
    .check = check,
};
