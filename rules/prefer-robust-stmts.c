/* prefer-robust-stmts.c — outside a transaction block, every statement commits on its own: when
 * a later one fails, re-running the migration stops at the first statement that cannot run twice.
 * IF [NOT] EXISTS, OR REPLACE, or an earlier DROP … IF EXISTS make a statement re-runnable. */
#include <string.h>

#include "rule.h"

static const char help_index[] =
    "Write CREATE INDEX CONCURRENTLY IF NOT EXISTS name …, or put DROP INDEX CONCURRENTLY IF "
    "EXISTS name before it: a CONCURRENTLY build that fails leaves an INVALID index of that name "
    "behind, which IF NOT EXISTS silently keeps, while the DROP clears it.";
static const char help_constraint[] =
    "ADD CONSTRAINT has no IF NOT EXISTS: name the constraint and put ALTER TABLE … DROP "
    "CONSTRAINT IF EXISTS name before the ADD, or run the migration inside one transaction.";
static const char help_replace[] =
    "Use CREATE OR REPLACE, or run the migration inside one transaction.";
static const char help_trigger[] =
    "Use CREATE OR REPLACE TRIGGER (PostgreSQL 14+), or put DROP TRIGGER IF EXISTS name ON table "
    "before it, or run the migration inside one transaction.";

/* Whether an earlier statement dropped an object of that type and name with IF EXISTS: then
 * a re-run finds the way clear. */
static bool dropped_before(const struct dg_ctx *ctx, PgQuery__ObjectType type, const char *name)
{
	return dg_dropped_if_exists_before(ctx, (int)type, name);
}

static bool drops_constraint(const PgQuery__AlterTableStmt *at, size_t upto, const char *table,
			     const char *name)
{
	if (!at->relation || !at->relation->relname || strcmp(at->relation->relname, table) != 0)
		return false;
	for (size_t i = 0; i < upto && i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c = at->cmds[i]->alter_table_cmd;
		if (c && c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint &&
		    c->missing_ok && c->name && strcmp(c->name, name) == 0)
			return true;
	}
	return false;
}

/* DROP CONSTRAINT IF EXISTS of the same name on the same table, earlier in this statement or
 * in an earlier one. */
static bool constraint_dropped_before(const struct dg_ctx *ctx, const PgQuery__AlterTableStmt *at,
				      size_t cmd, const char *name)
{
	const char *table = at->relation->relname;

	size_t na;
	const size_t *alters = dg_stmts_of_kind(ctx, PG_QUERY__NODE__NODE_ALTER_TABLE_STMT, &na);

	if (drops_constraint(at, cmd, table, name))
		return true;
	for (size_t q = 0; q < na && alters[q] < dg_stmt_index(ctx); q++) {
		const PgQuery__AlterTableStmt *n = dg_stmt_at(ctx, alters[q])->alter_table_stmt;
		if (drops_constraint(n, n->n_cmds, table, name))
			return true;
	}
	return false;
}

static bool temp(const PgQuery__RangeVar *rv)
{
	return rv && rv->relpersistence[0] == 't';
}

/* An index on a temporary table made earlier in this file is temporary too. */
static bool temp_table_before(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel)
{
	return rel && rel->relname && dg_temp_table_created_here(ctx, rel->relname);
}

/* Whether an earlier statement of the same section created the table without IF NOT EXISTS: a
 * re-run fails at that CREATE first, and when it gets past it the table is new, so nothing on
 * it (columns, constraints, indexes, triggers) can be left over from the failed run. */
static bool schema_created_plainly_before(const struct dg_ctx *ctx, const char *schema)
{
	size_t i = dg_stmt_index(ctx), first = dg_section_first_stmt(ctx), ns;
	const size_t *made = dg_stmts_of_kind(ctx, PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT, &ns);

	if (!schema || !*schema)
		return false;
	for (size_t q = 0; q < ns && made[q] < i; q++) {
		const PgQuery__CreateSchemaStmt *c = dg_stmt_at(ctx, made[q])->create_schema_stmt;
		if (made[q] >= first && !c->if_not_exists && c->schemaname &&
		    strcmp(c->schemaname, schema) == 0)
			return true;
	}
	return false;
}

/* The same for an object in a schema created so (CREATE SCHEMA without IF NOT EXISTS). */
static bool created_plainly_before(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel)
{
	if (!rel || !rel->relname)
		return false;
	if (schema_created_plainly_before(ctx, rel->schemaname))
		return true;
	return dg_created_plainly_before(
	    ctx, rel->schemaname && *rel->schemaname ? rel->schemaname : NULL, rel->relname);
}

static const char *drop_what(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		return "TABLE";
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		return "INDEX";
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		return "VIEW";
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		return "MATERIALIZED VIEW";
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		return "SEQUENCE";
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		return "FOREIGN TABLE";
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
		return "TYPE";
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
		return "DOMAIN";
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
		return "SCHEMA";
	case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
		return "EXTENSION";
	case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
		return "FUNCTION";
	case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
		return "PROCEDURE";
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
		return "TRIGGER";
	case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
		return "POLICY";
	case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
		return "RULE";
	default:
		return NULL;
	}
}

#define RERUN "if a later statement fails, re-running the migration stops here"

static void check_alter(struct dg_ctx *ctx, const PgQuery__AlterTableStmt *at)
{
	const char *t;

	if (at->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !at->relation ||
	    temp(at->relation) || created_plainly_before(ctx, at->relation))
		return;
	t = at->relation->relname;
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c = at->cmds[i]->alter_table_cmd;
		const PgQuery__Constraint *con;

		if (!c)
			continue;
		switch (c->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			if (c->missing_ok || !c->def ||
			    c->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
				break;
			dg_report(
			    ctx, at->cmds[i],
			    "ADD COLUMN without IF NOT EXISTS outside a transaction block: " RERUN
			    " with 'column \"%s\" of relation \"%s\" already exists'",
			    c->def->column_def->colname, t);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
			if (c->missing_ok)
				break;
			dg_report(
			    ctx, at->cmds[i],
			    "DROP COLUMN without IF EXISTS outside a transaction block: " RERUN
			    " with 'column \"%s\" of relation \"%s\" does not exist'",
			    c->name, t);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
			if (c->missing_ok)
				break;
			dg_report(
			    ctx, at->cmds[i],
			    "DROP CONSTRAINT without IF EXISTS outside a transaction block: " RERUN
			    " with 'constraint \"%s\" of relation \"%s\" does not exist'",
			    c->name, t);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			if (!c->def || c->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
				break;
			con = c->def->constraint;
			if (con->conname && con->conname[0]) {
				if (constraint_dropped_before(ctx, at, i, con->conname))
					break;
				dg_report_help(
				    ctx, at->cmds[i], help_constraint,
				    "ADD CONSTRAINT outside a transaction block, with no DROP "
				    "CONSTRAINT IF EXISTS before it: " RERUN " because "
				    "constraint \"%s\" already exists on \"%s\"",
				    con->conname, t);
			} else {
				dg_report_help(
				    ctx, at->cmds[i], help_constraint,
				    "ADD CONSTRAINT without a name outside a transaction block: "
				    "if a later statement fails, re-running the migration adds a "
				    "second copy of the constraint to \"%s\" (a PRIMARY KEY fails)",
				    t);
			}
			break;
		default:
			break;
		}
	}
}

static void check_index(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__IndexStmt *ix = node->index_stmt;

	if (ix->if_not_exists || temp(ix->relation) || temp_table_before(ctx, ix->relation) ||
	    created_plainly_before(ctx, ix->relation))
		return;
	if (!ix->idxname || !ix->idxname[0]) {
		dg_report_help(
		    ctx, node, help_index,
		    "CREATE INDEX without a name outside a transaction block: if a later "
		    "statement fails, re-running the migration builds a second, identical "
		    "index (IF NOT EXISTS needs a name)");
		return;
	}
	if (dropped_before(ctx, PG_QUERY__OBJECT_TYPE__OBJECT_INDEX, ix->idxname))
		return;
	dg_report_help(ctx, node, help_index,
		       "CREATE INDEX%s without IF NOT EXISTS outside a transaction block: %s, "
		       "re-running the migration stops here with 'relation \"%s\" already exists'",
		       ix->concurrent ? " CONCURRENTLY" : "",
		       ix->concurrent ? "if this build or a later statement fails (a failed "
					"CONCURRENTLY build leaves an INVALID index behind)"
				      : "if a later statement fails",
		       ix->idxname);
}

static void check_drop(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__DropStmt *d = node->drop_stmt;
	const char *what = drop_what(d->remove_type), *name;

	if (d->missing_ok || !what || d->n_objects == 0)
		return;
	name = dg_drop_object_name(d->objects[0]);
	dg_report(ctx, node,
		  "DROP %s without IF EXISTS outside a transaction block: " RERUN
		  " because \"%s\" does not exist any more",
		  what, name ? name : "?");
}

/* A CREATE that fails when its object exists: what, its name, and how it is dropped. */
static void report_create(struct dg_ctx *ctx, const PgQuery__Node *node, const char *what,
			  const char *name, const char *error, PgQuery__ObjectType type)
{
	if (dropped_before(ctx, type, name))
		return;
	dg_report(ctx, node,
		  "CREATE %s without IF NOT EXISTS outside a transaction block: " RERUN
		  " with '%s \"%s\" already exists'",
		  what, error, name ? name : "?");
}

static bool once_is_enough(const struct dg_ctx *ctx, const PgQuery__Node *node)
{
	/* a single statement either commits or leaves nothing behind — except a CONCURRENTLY
	 * index build, which leaves an INVALID index when it fails */
	if (node->node_case == PG_QUERY__NODE__NODE_INDEX_STMT && node->index_stmt->concurrent)
		return false;
	size_t n = dg_section_statement_count(ctx), sets = dg_section_set_count(ctx);

	/* SET and RESET leave nothing behind to trip over on a re-run */
	if (node->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT)
		sets--; /* all but this one */
	return n - sets <= 1;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	/* a DO block runs in a transaction of its own, and its body is where people guard a
	 * statement (IF NOT EXISTS …, EXCEPTION WHEN duplicate_object) */
	if (node != dg_stmt(ctx) || dg_in_transaction(ctx) || dg_stmt_in_body(ctx) ||
	    once_is_enough(ctx, node))
		return;
	switch (node->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT: {
		const PgQuery__CreateStmt *c = node->create_stmt;
		if (!c->if_not_exists && c->relation && !temp(c->relation) &&
		    !schema_created_plainly_before(ctx, c->relation->schemaname))
			report_create(ctx, node, "TABLE", c->relation->relname, "relation",
				      PG_QUERY__OBJECT_TYPE__OBJECT_TABLE);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *c = node->create_table_as_stmt;
		bool mv = c->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW;
		if (!c->if_not_exists && c->into && c->into->rel && !temp(c->into->rel) &&
		    !schema_created_plainly_before(ctx, c->into->rel->schemaname))
			report_create(ctx, node, mv ? "MATERIALIZED VIEW" : "TABLE … AS",
				      c->into->rel->relname, "relation",
				      mv ? PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW
					 : PG_QUERY__OBJECT_TYPE__OBJECT_TABLE);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT: {
		const PgQuery__CreateSeqStmt *c = node->create_seq_stmt;
		if (!c->if_not_exists && c->sequence && !temp(c->sequence) &&
		    !schema_created_plainly_before(ctx, c->sequence->schemaname))
			report_create(ctx, node, "SEQUENCE", c->sequence->relname, "relation",
				      PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
		if (!node->create_schema_stmt->if_not_exists &&
		    node->create_schema_stmt->schemaname && node->create_schema_stmt->schemaname[0])
			report_create(ctx, node, "SCHEMA", node->create_schema_stmt->schemaname,
				      "schema", PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA);
		break;
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
		if (!node->create_extension_stmt->if_not_exists)
			report_create(ctx, node, "EXTENSION", node->create_extension_stmt->extname,
				      "extension", PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION);
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT: {
		const PgQuery__ViewStmt *v = node->view_stmt;
		if (v->replace || !v->view || temp(v->view) ||
		    schema_created_plainly_before(ctx, v->view->schemaname) ||
		    dropped_before(ctx, PG_QUERY__OBJECT_TYPE__OBJECT_VIEW, v->view->relname))
			break;
		dg_report_help(ctx, node, help_replace,
			       "CREATE VIEW without OR REPLACE outside a transaction block: " RERUN
			       " with 'relation \"%s\" already exists'",
			       v->view->relname);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT: {
		const PgQuery__CreateFunctionStmt *f = node->create_function_stmt;
		const char *name = dg_name_last(f->funcname, f->n_funcname);
		if (f->replace ||
		    (f->n_funcname >= 2 &&
		     schema_created_plainly_before(
			 ctx, dg_node_string(f->funcname[f->n_funcname - 2]))) ||
		    dropped_before(ctx,
				   f->is_procedure ? PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE
						   : PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION,
				   name))
			break;
		dg_report_help(ctx, node, help_replace,
			       "CREATE %s without OR REPLACE outside a transaction block: " RERUN
			       " with 'function \"%s\" already exists with same argument types'",
			       f->is_procedure ? "PROCEDURE" : "FUNCTION", name ? name : "?");
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT: {
		const PgQuery__CreateTrigStmt *t = node->create_trig_stmt;
		if (t->replace ||
		    dropped_before(ctx, PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER, t->trigname) ||
		    created_plainly_before(ctx, t->relation))
			break;
		dg_report_help(
		    ctx, node, help_trigger,
		    "CREATE TRIGGER without OR REPLACE outside a transaction block: " RERUN
		    " with 'trigger \"%s\" for relation \"%s\" already exists'",
		    t->trigname, t->relation ? t->relation->relname : "?");
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: {
		const PgQuery__AlterEnumStmt *e = node->alter_enum_stmt;
		/* RENAME VALUE (old_val set) has no guard to offer */
		if (e->skip_if_new_val_exists || (e->old_val && e->old_val[0]) || !e->new_val)
			break;
		dg_report(
		    ctx, node,
		    "ALTER TYPE … ADD VALUE without IF NOT EXISTS outside a transaction block: " RERUN
		    " with 'enum label \"%s\" already exists'",
		    e->new_val);
		break;
	}
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		check_index(ctx, node);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		check_drop(ctx, node);
		break;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		check_alter(ctx, node->alter_table_stmt);
		break;
	default:
		break;
	}
}

const struct dg_rule dg_rule_prefer_robust_stmts = {
    .name = "prefer-robust-stmts",
    .summary = "Outside a transaction, statements that fail when the migration is re-run",
    .help =
	"Make the statement safe to run twice (IF NOT EXISTS on CREATE, ADD COLUMN and ADD "
	"VALUE, IF EXISTS on DROP), or run the migration inside one transaction so that a failure "
	"rolls everything back (not possible with CONCURRENTLY).",
    .severity = DG_INFO,
    .kinds =
	DG_KINDS(PG_QUERY__NODE__NODE_CREATE_STMT, PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT,
		 PG_QUERY__NODE__NODE_CREATE_SEQ_STMT, PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT,
		 PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT, PG_QUERY__NODE__NODE_VIEW_STMT,
		 PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT, PG_QUERY__NODE__NODE_CREATE_TRIG_STMT,
		 PG_QUERY__NODE__NODE_INDEX_STMT, PG_QUERY__NODE__NODE_DROP_STMT,
		 PG_QUERY__NODE__NODE_ALTER_TABLE_STMT, PG_QUERY__NODE__NODE_ALTER_ENUM_STMT),
    .check = check,
    .fix = dg_fix_robust,
};
