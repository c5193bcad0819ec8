/* ban-concurrent-index-creation-in-transaction.c — statements PostgreSQL refuses inside a
 * transaction block (PreventInTransactionBlock), where they would run inside one. */
#include <string.h>
#include <strings.h>

#include "rule.h"

/* defGetBoolean(): no value means true; false, off, no, 0 mean false. */
static bool def_bool(const PgQuery__DefElem *d)
{
	const PgQuery__Node *a = d->arg;
	const char *v = NULL;

	if (!a)
		return true;
	if (a->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
		return a->boolean->boolval;
	if (a->node_case == PG_QUERY__NODE__NODE_INTEGER)
		return a->integer->ival != 0;
	if (a->node_case == PG_QUERY__NODE__NODE_STRING)
		v = a->string->sval;
	else if (a->node_case == PG_QUERY__NODE__NODE_TYPE_NAME)
		v = dg_name_last(a->type_name->names, a->type_name->n_names);
	if (!v)
		return true;
	return !(strcasecmp(v, "false") == 0 || strcasecmp(v, "off") == 0 ||
		 strcasecmp(v, "no") == 0 || strcasecmp(v, "f") == 0 || strcmp(v, "0") == 0);
}

/* The value of option `name` in a DefElem list: 1 true, 0 false, -1 absent. */
static int option(PgQuery__Node *const *opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    strcasecmp(opts[i]->def_elem->defname, name) == 0)
			return def_bool(opts[i]->def_elem);
	return -1;
}

static bool has_option(PgQuery__Node *const *opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    strcasecmp(opts[i]->def_elem->defname, name) == 0)
			return true;
	return false;
}

/* What PostgreSQL calls the statement in its error, or NULL when it may run in a block. */
static const char *refused(const struct dg_ctx *ctx, const PgQuery__Node *node)
{
	switch (node->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return node->index_stmt->concurrent ? "CREATE INDEX CONCURRENTLY" : NULL;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return node->drop_stmt->concurrent &&
			       node->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX
			   ? "DROP INDEX CONCURRENTLY"
			   : NULL;
	case PG_QUERY__NODE__NODE_REINDEX_STMT: {
		const PgQuery__ReindexStmt *r = node->reindex_stmt;
		if (option(r->params, r->n_params, "concurrently") == 1)
			return "REINDEX CONCURRENTLY";
		if (r->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA)
			return "REINDEX SCHEMA";
		if (r->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM)
			return "REINDEX SYSTEM";
		if (r->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE)
			return "REINDEX DATABASE";
		return NULL;
	}
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		return node->vacuum_stmt->is_vacuumcmd ? "VACUUM" : NULL;
	case PG_QUERY__NODE__NODE_CREATEDB_STMT:
		return "CREATE DATABASE";
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
		return "DROP DATABASE";
	case PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT:
		return has_option(node->alter_database_stmt->options,
				  node->alter_database_stmt->n_options, "tablespace")
			   ? "ALTER DATABASE SET TABLESPACE"
			   : NULL;
	case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
		return "ALTER SYSTEM";
	case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
		return "CREATE TABLESPACE";
	case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
		return "DROP TABLESPACE";
	case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT: {
		const PgQuery__CreateSubscriptionStmt *c = node->create_subscription_stmt;
		/* connect = false implies create_slot = false */
		if (option(c->options, c->n_options, "connect") == 0 ||
		    option(c->options, c->n_options, "create_slot") == 0)
			return NULL;
		return "CREATE SUBSCRIPTION ... WITH (create_slot = true)";
	}
	case PG_QUERY__NODE__NODE_ALTER_SUBSCRIPTION_STMT: {
		const PgQuery__AlterSubscriptionStmt *c = node->alter_subscription_stmt;
		switch (c->kind) {
		case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_REFRESH:
			return "ALTER SUBSCRIPTION ... REFRESH";
		case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_SET_PUBLICATION:
		case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_ADD_PUBLICATION:
		case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_DROP_PUBLICATION:
			return option(c->options, c->n_options, "refresh") != 0
				   ? "ALTER SUBSCRIPTION with refresh"
				   : NULL;
		default:
			return NULL;
		}
	}
	case PG_QUERY__NODE__NODE_DISCARD_STMT:
		return node->discard_stmt->target == PG_QUERY__DISCARD_MODE__DISCARD_ALL
			   ? "DISCARD ALL"
			   : NULL;
	case PG_QUERY__NODE__NODE_CLUSTER_STMT:
		return node->cluster_stmt->relation ? NULL : "CLUSTER";
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		if (node->transaction_stmt->kind ==
		    PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED)
			return "COMMIT PREPARED";
		if (node->transaction_stmt->kind ==
		    PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED)
			return "ROLLBACK PREPARED";
		return NULL;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: {
		const PgQuery__AlterEnumStmt *e = node->alter_enum_stmt;
		bool add = (!e->old_val || !*e->old_val) && e->new_val && *e->new_val;
		/* PostgreSQL 12 lifted this (the new value is only unusable until COMMIT) */
		return add && dg_pg_version(ctx) < 12 ? "ALTER TYPE ... ADD" : NULL;
	}
	default:
		return NULL;
	}
}

static const char *help_for(enum dg_tx_origin o)
{
	if (o == DG_TXO_EXPLICIT)
		return "Move the statement out of the BEGIN … COMMIT block: run it after the COMMIT, "
		       "on its own.";
	if (o == DG_TXO_IMPLICIT)
		return "Give the statement a migration (or section) of its own: a query that holds a "
		       "single statement runs outside any transaction block. Several statements sent "
		       "as one query always share an implicit transaction.";
	return "Give it a migration of its own that runs outside a transaction, with this statement "
	       "alone: dbmate `-- migrate:up transaction:false`, goose `-- +goose NO TRANSACTION`, "
	       "sql-migrate `-- +migrate Up notransaction`, Flyway `executeInTransaction=false`, "
	       "Rails `disable_ddl_transaction!`.";
}

static void report(struct dg_ctx *ctx, const PgQuery__Node *node, const char *what)
{
	char why[256];

	dg_transaction_describe(ctx, why, sizeof(why));
	dg_report_help(
	    ctx, node, help_for(dg_transaction_origin(ctx)),
	    "%s runs inside a transaction block here (%s): PostgreSQL refuses it with "
	    "\"ERROR: %s cannot run inside a transaction block\" and the migration fails",
	    what, why, what);
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const char *what;

	if (node != dg_stmt(ctx) || !dg_in_transaction(ctx))
		return;
	if (node->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
		const PgQuery__AlterTableStmt *at = node->alter_table_stmt;
		for (size_t i = 0; i < at->n_cmds; i++) {
			const PgQuery__Node *c = at->cmds[i];
			const PgQuery__AlterTableCmd *cmd = c->alter_table_cmd;
			if (c->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD ||
			    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition ||
			    !cmd->def ||
			    cmd->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD ||
			    !cmd->def->partition_cmd->concurrent)
				continue;
			report(ctx, c, "ALTER TABLE ... DETACH CONCURRENTLY");
		}
		return;
	}
	what = refused(ctx, node);
	if (what)
		report(ctx, node, what);
}

const struct dg_rule dg_rule_ban_concurrent_index_creation_in_transaction = {
    .name = "ban-concurrent-index-creation-in-transaction",
    .summary = "CREATE INDEX CONCURRENTLY, VACUUM, CREATE DATABASE… inside a transaction block: "
	       "the migration fails",
    .help = "Run the statement outside a transaction block.",
    .severity = DG_ERROR,
    .kinds = DG_KINDS(
	PG_QUERY__NODE__NODE_INDEX_STMT, PG_QUERY__NODE__NODE_DROP_STMT,
	PG_QUERY__NODE__NODE_REINDEX_STMT, PG_QUERY__NODE__NODE_VACUUM_STMT,
	PG_QUERY__NODE__NODE_CREATEDB_STMT, PG_QUERY__NODE__NODE_DROPDB_STMT,
	PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT, PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT,
	PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT, PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT,
	PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT, PG_QUERY__NODE__NODE_ALTER_SUBSCRIPTION_STMT,
	PG_QUERY__NODE__NODE_DISCARD_STMT, PG_QUERY__NODE__NODE_CLUSTER_STMT,
	PG_QUERY__NODE__NODE_TRANSACTION_STMT, PG_QUERY__NODE__NODE_ALTER_ENUM_STMT,
	PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
    .fix = dg_fix_leave_transaction,
};
