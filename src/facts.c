/* facts.c — one pass over the parsed statements to record what later statements may rely on. */
#include "facts.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Appends a named object made by statement `stmt` to one of the fact lists. */
static void push_created(struct dg_created_rel **list, size_t *n, size_t *cap, struct dg_arena *a,
			 const char *schema, const char *name, size_t stmt)
{
	if (!name)
		return;
	*list = dg_arena_grow(a, *list, *n, cap, sizeof(**list));
	(*list)[(*n)++] = (struct dg_created_rel){schema && *schema ? schema : NULL, name, stmt};
}

static void add_created(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
			size_t stmt)
{
	if (rv)
		push_created(&f->created, &f->n_created, &f->cap_created, a, rv->schemaname,
			     rv->relname, stmt);
}

static void add_column(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
		       const char *col, size_t stmt)
{
	if (!rv || !rv->relname || !col)
		return;
	f->added = dg_arena_grow(a, f->added, f->n_added, &f->cap_added, sizeof(*f->added));
	f->added[f->n_added++] = (struct dg_added_col){
	    rv->schemaname && *rv->schemaname ? rv->schemaname : NULL, rv->relname, col, stmt};
}

#define S(x) ((x) ? (x) : "?")

static const char *str_of(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING && n->string ? n->string->sval
									     : NULL;
}

/* A qualified name as a list of String nodes: its last two parts. */
static void split_name(PgQuery__Node *const *names, size_t n, const char **schema,
		       const char **name)
{
	*name = n ? str_of(names[n - 1]) : NULL;
	*schema = n > 1 ? str_of(names[n - 2]) : NULL;
}

static void add_con(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
		    const char *name, int contype, enum dg_con_event ev, size_t stmt)
{
	if (!rv || !rv->relname)
		return;
	f->cons = dg_arena_grow(a, f->cons, f->n_cons, &f->cap_cons, sizeof(*f->cons));
	f->cons[f->n_cons++] =
	    (struct dg_con_fact){rv->schemaname && *rv->schemaname ? rv->schemaname : NULL,
				 rv->relname,
				 name && *name ? name : NULL,
				 contype,
				 ev,
				 stmt,
				 f->tx[stmt].tx_id};
}

/* Constraints added, validated and dropped by ALTER TABLE, in order. */
static void add_alter_cons(struct dg_facts *f, struct dg_arena *a,
			   const PgQuery__AlterTableStmt *at, size_t stmt)
{
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = at->cmds[i]->alter_table_cmd;

		if (at->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD || !cmd)
			continue;
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
				const PgQuery__Constraint *c = cmd->def->constraint;
				add_con(f, a, at->relation, c->conname, (int)c->contype,
					c->skip_validation ? DG_CON_ADDED_NOT_VALID : DG_CON_ADDED,
					stmt);
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
				const PgQuery__ColumnDef *col = cmd->def->column_def;
				for (size_t k = 0; k < col->n_constraints; k++) {
					const PgQuery__Constraint *c =
					    col->constraints[k]->constraint;
					if (col->constraints[k]->node_case ==
						PG_QUERY__NODE__NODE_CONSTRAINT &&
					    c)
						add_con(f, a, at->relation, c->conname,
							(int)c->contype, DG_CON_ADDED, stmt);
				}
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
			add_con(f, a, at->relation, cmd->name, 0, DG_CON_VALIDATED, stmt);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse:
			add_con(f, a, at->relation, cmd->name, 0, DG_CON_DROPPED, stmt);
			break;
		default:
			break;
		}
	}
}

/* Transaction blocks, statement by statement, the way PostgreSQL sees them: the block the tool
 * opens around a section (or the implicit one of a multi-statement query), explicit BEGIN …
 * COMMIT, and what a BEGIN or COMMIT does when it meets a block already open or none. */
static bool is_begin(PgQuery__TransactionStmtKind k)
{
	return k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
	       k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START;
}

static bool is_end(PgQuery__TransactionStmtKind k)
{
	return k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
	       k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK ||
	       k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE;
}

static void build_tx(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		     bool assume_in_tx)
{
	unsigned next_id = 0;
	size_t i = 0;
	/* where the previous section left off: sections of one unit are one stream (goose and
	 * sql-migrate run a whole direction, StatementBegin blocks included, in one transaction) */
	const struct dg_section *prev = NULL;
	enum dg_tx_origin prev_cur = DG_TXO_NONE;
	unsigned prev_id = 0;
	size_t prev_begin = SIZE_MAX;

	f->tx = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->tx));
	while (i < p->n_stmts) {
		const struct dg_section *sec = p->stmts[i].section;
		size_t end = i, begin = SIZE_MAX;
		enum dg_tx_origin base, cur;
		unsigned id;

		while (end < p->n_stmts && p->stmts[end].section == sec)
			end++;
		/* what a statement outside any BEGIN … COMMIT runs in */
		if (sec->tx == DG_TX_WRAPPED)
			base = DG_TXO_TOOL;
		else if (sec->tx == DG_TX_IMPLICIT)
			base = end - i > 1 ? DG_TXO_IMPLICIT : DG_TXO_NONE;
		else
			base = assume_in_tx ? DG_TXO_ASSUMED : DG_TXO_NONE;
		cur = base;
		id = cur != DG_TXO_NONE ? ++next_id : 0;
		if (prev && sec->tx == DG_TX_WRAPPED && prev->tx == DG_TX_WRAPPED && sec->unit &&
		    prev->unit == sec->unit) {
			cur = prev_cur;
			id = prev_id;
			begin = prev_begin;
			if (base != DG_TXO_NONE)
				next_id--; /* the id taken above is not used */
		}
		for (; i < end; i++) {
			const PgQuery__Node *n = p->stmts[i].node;
			const PgQuery__TransactionStmt *ts =
			    n->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT
				? n->transaction_stmt
				: NULL;
			struct dg_stmt_tx *t = &f->tx[i];

			*t = (struct dg_stmt_tx){cur != DG_TXO_NONE, id, cur, DG_TXE_NONE, begin};
			if (ts && is_begin(ts->kind)) {
				if (cur == DG_TXO_NONE || cur == DG_TXO_IMPLICIT) {
					*t = (struct dg_stmt_tx){false, 0, DG_TXO_NONE,
								 DG_TXE_BEGIN, SIZE_MAX};
					cur = DG_TXO_EXPLICIT;
					id = ++next_id;
					begin = i;
				} else {
					t->event = DG_TXE_BEGIN_NESTED;
				}
			} else if (ts && is_end(ts->kind)) {
				if (ts->chain) /* COMMIT AND CHAIN: a new block opens at once */
					id = ++next_id;
				else if (cur == DG_TXO_EXPLICIT)
					t->event = DG_TXE_END;
				else if (cur == DG_TXO_TOOL || cur == DG_TXO_ASSUMED)
					t->event = DG_TXE_END_TOOL;
				else
					t->event = DG_TXE_END_NONE;
				if (!ts->chain && cur != DG_TXO_NONE) {
					/* after an early end of the tool's block, statements commit
					 * on their own; an implicit block starts again */
					cur =
					    base == DG_TXO_IMPLICIT ? DG_TXO_IMPLICIT : DG_TXO_NONE;
					id = cur != DG_TXO_NONE ? ++next_id : 0;
					begin = SIZE_MAX;
				}
			}
		}
		/* the tool's own COMMIT closes what a late BEGIN opened; otherwise it stays open */
		if (cur == DG_TXO_EXPLICIT && begin != SIZE_MAX && base != DG_TXO_TOOL &&
		    base != DG_TXO_ASSUMED)
			f->tx[begin].event = DG_TXE_BEGIN_UNCLOSED;
		prev = sec;
		prev_cur = cur;
		prev_id = id;
		prev_begin = begin;
	}
}

/* Whether two relation names are the same: equal names, and equal schemas unless either has
 * none (NULL or "": found through search_path). */
static bool same_rel(const char *schema_a, const char *name_a, const char *schema_b,
		     const char *name_b)
{
	if (!name_a || !name_b || strcmp(name_a, name_b) != 0)
		return false;
	return !schema_a || !*schema_a || !schema_b || !*schema_b ||
	       strcmp(schema_a, schema_b) == 0;
}

static bool created_before_list(const struct dg_created_rel *list, size_t n, const char *schema,
				const char *name, size_t stmt)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].stmt < stmt && same_rel(list[i].schema, list[i].name, schema, name))
			return true;
	return false;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static char *
fmt(struct dg_arena *a, const char *f, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return dg_arena_strndup(a, buf, (size_t)n);
}

/* Statements that change the schema (and take locks on what they change) as opposed to data
 * changes, queries, settings, grants and comments. */
static bool is_ddl(PgQuery__Node__NodeCase k)
{
	switch (k) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
	case PG_QUERY__NODE__NODE_INDEX_STMT:
	case PG_QUERY__NODE__NODE_DROP_STMT:
	case PG_QUERY__NODE__NODE_RENAME_STMT:
	case PG_QUERY__NODE__NODE_VIEW_STMT:
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
	case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT:
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_TYPE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
	case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
	case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
	case PG_QUERY__NODE__NODE_RULE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_STATS_STMT:
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
	case PG_QUERY__NODE__NODE_CLUSTER_STMT:
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		return true;
	default:
		return false;
	}
}

static bool is_relation_type(PgQuery__ObjectType t)
{
	return t == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE;
}

static const char *object_word(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		return "VIEW";
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		return "MATERIALIZED VIEW";
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		return "FOREIGN TABLE";
	default:
		return "TABLE";
	}
}

static void classify_alter_table(struct dg_facts *f, struct dg_arena *a,
				 const PgQuery__AlterTableStmt *at, struct dg_stmt_change *c,
				 size_t i, enum dg_direction dir)
{
	const PgQuery__RangeVar *rv = at->relation;
	bool rel_new;

	if (!rv || !rv->relname)
		return;
	rel_new = dg_facts_made_here(f, rv->schemaname, rv->relname, NULL, i, dir);
	for (size_t k = 0; k < at->n_cmds; k++) {
		const PgQuery__Node *cn = at->cmds[k];
		const PgQuery__AlterTableCmd *cmd =
		    cn->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD ? cn->alter_table_cmd
									  : NULL;
		if (!cmd)
			continue;
		if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn && cmd->def &&
		    cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			if (!c->expand)
				c->expand = fmt(a, "ADD COLUMN \"%s\" to \"%s\"",
						S(cmd->def->column_def->colname), rv->relname);
		} else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn && !rel_new &&
			   !c->contract &&
			   !dg_facts_made_here(f, rv->schemaname, rv->relname, cmd->name, i, dir)) {
			c->contract =
			    fmt(a, "DROP COLUMN \"%s\" of \"%s\"", S(cmd->name), rv->relname);
			c->contract_node = cn;
		}
	}
}

/* Whether a later statement of the same direction creates schema.name again: dropping a view
 * to recreate it with other columns replaces it rather than taking it away. */
static bool recreated_after(const struct dg_facts *f, const struct dg_parsed *p, const char *schema,
			    const char *name, size_t stmt)
{
	enum dg_direction dir = p->stmts[stmt].section->dir;

	for (size_t i = 0; i < f->n_created; i++) {
		const struct dg_created_rel *c = &f->created[i];
		if (c->stmt > stmt && p->stmts[c->stmt].section->dir == dir &&
		    same_rel(c->schema, c->name, schema, name))
			return true;
	}
	return false;
}

static void classify(struct dg_facts *f, struct dg_arena *a, const struct dg_parsed *p,
		     const PgQuery__Node *n, size_t i, enum dg_direction dir)
{
	struct dg_stmt_change *c = &f->change[i];

	c->ddl = is_ddl(n->node_case);
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		if (n->create_stmt->relation)
			c->expand =
			    fmt(a, "CREATE TABLE \"%s\"", n->create_stmt->relation->relname);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		if (n->create_table_as_stmt->into && n->create_table_as_stmt->into->rel)
			c->expand = fmt(a, "CREATE %s \"%s\"",
					object_word(n->create_table_as_stmt->objtype),
					n->create_table_as_stmt->into->rel->relname);
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		if (n->view_stmt->view)
			c->expand = fmt(a, "CREATE VIEW \"%s\"", n->view_stmt->view->relname);
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		if (n->index_stmt->relation)
			c->expand =
			    fmt(a, "CREATE INDEX on \"%s\"", n->index_stmt->relation->relname);
		break;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		classify_alter_table(f, a, n->alter_table_stmt, c, i, dir);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT: {
		const PgQuery__DropStmt *d = n->drop_stmt;
		if (!is_relation_type(d->remove_type))
			break;
		for (size_t k = 0; k < d->n_objects; k++) {
			const PgQuery__Node *o = d->objects[k];
			const char *schema, *name;
			if (o->node_case != PG_QUERY__NODE__NODE_LIST)
				continue;
			split_name(o->list->items, o->list->n_items, &schema, &name);
			if (!name || dg_facts_made_here(f, schema, name, NULL, i, dir) ||
			    recreated_after(f, p, schema, name, i))
				continue;
			c->contract = fmt(a, "DROP %s \"%s\"", object_word(d->remove_type), name);
			c->contract_node = n;
			break;
		}
		break;
	}
	case PG_QUERY__NODE__NODE_RENAME_STMT: {
		const PgQuery__RenameStmt *r = n->rename_stmt;
		const PgQuery__RangeVar *rv = r->relation;
		if (!rv || !rv->relname ||
		    dg_facts_made_here(f, rv->schemaname, rv->relname, NULL, i, dir))
			break;
		if (r->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN) {
			if (dg_facts_made_here(f, rv->schemaname, rv->relname, r->subname, i, dir))
				break;
			c->contract =
			    fmt(a, "RENAME COLUMN \"%s\" of \"%s\"", S(r->subname), rv->relname);
			c->contract_node = n;
		} else if (is_relation_type(r->rename_type)) {
			c->contract =
			    fmt(a, "RENAME %s \"%s\"", object_word(r->rename_type), rv->relname);
			c->contract_node = n;
		}
		break;
	}
	default:
		break;
	}
}

/* ---- indexes, column types and NOT NULL checks made by this file ------------------------- */

static const char *schema_of(const PgQuery__RangeVar *rv)
{
	return rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
}

static void add_index(struct dg_facts *f, struct dg_arena *a, const char *schema, const char *name,
		      size_t stmt, enum dg_direction dir, const char *table)
{
	if (!name || !*name)
		return;
	f->indexes =
	    dg_arena_grow(a, f->indexes, f->n_indexes, &f->cap_indexes, sizeof(*f->indexes));
	f->indexes[f->n_indexes++] = (struct dg_created_index){schema, name, stmt, dir, table};
}

/* A key column's name: a String (constraint keys), an IndexElem naming a column, or an
 * exclusion element (IndexElem, operator). NULL for expressions. */
static const char *key_name(const PgQuery__Node *n)
{
	if (!n)
		return NULL;
	if (n->node_case == PG_QUERY__NODE__NODE_STRING)
		return n->string->sval;
	if (n->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM)
		return n->index_elem->name && *n->index_elem->name ? n->index_elem->name : NULL;
	if (n->node_case == PG_QUERY__NODE__NODE_LIST && n->list->n_items)
		return key_name(n->list->items[0]);
	return NULL;
}

static bool name_append(char *buf, size_t *len, const char *sep, const char *part)
{
	size_t a = strlen(sep), b = part ? strlen(part) : 0;

	if (!part || *len + a + b > 63) /* NAMEDATALEN - 1: longer names get truncated */
		return false;
	memcpy(buf + *len, sep, a);
	memcpy(buf + *len + a, part, b);
	*len += a + b;
	return true;
}

/* The name PostgreSQL chooses for an unnamed index (ChooseRelationName: table, columns and a
 * label joined by '_'), when it needs no truncation; NULL when we cannot tell. */
static const char *implicit_index_name(struct dg_arena *a, const char *table,
				       PgQuery__Node *const *keys, size_t n_keys,
				       const char *column, const char *label)
{
	char buf[64];
	size_t len = 0;

	if (!name_append(buf, &len, "", table))
		return NULL;
	if (column && !name_append(buf, &len, "_", column))
		return NULL;
	for (size_t i = 0; !column && i < n_keys; i++)
		if (!name_append(buf, &len, "_", key_name(keys[i])))
			return NULL;
	if (!name_append(buf, &len, "_", label))
		return NULL;
	return dg_arena_strndup(a, buf, len);
}

/* An index-backed constraint of table `rv` (for a column constraint, `column` names it). */
static void add_constraint_index(struct dg_facts *f, struct dg_arena *a,
				 const PgQuery__RangeVar *rv, const PgQuery__Constraint *c,
				 const char *column, size_t stmt, enum dg_direction dir)
{
	const char *name;

	if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY &&
	    c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE &&
	    c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION)
		return;
	if (c->indexname && *c->indexname)
		return; /* USING INDEX: no new index, an existing one is taken over */
	if (c->conname && *c->conname)
		name = c->conname;
	else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
		name = implicit_index_name(a, rv->relname, NULL, 0, NULL, "pkey");
	else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE)
		name = implicit_index_name(a, rv->relname, c->keys, c->n_keys, column, "key");
	else
		name = implicit_index_name(a, rv->relname, c->exclusions, c->n_exclusions, NULL,
					   "excl");
	add_index(f, a, schema_of(rv), name, stmt, dir, rv->relname);
}

static void add_column_type(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
			    const char *column, const PgQuery__TypeName *type, size_t stmt,
			    enum dg_direction dir)
{
	if (!column || !type)
		return;
	f->coltypes =
	    dg_arena_grow(a, f->coltypes, f->n_coltypes, &f->cap_coltypes, sizeof(*f->coltypes));
	f->coltypes[f->n_coltypes++] =
	    (struct dg_column_type){schema_of(rv), rv->relname, column, type, stmt, dir};
}

static void column_def_facts(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
			     const PgQuery__ColumnDef *col, size_t stmt, enum dg_direction dir)
{
	add_column_type(f, a, rv, col->colname, col->type_name, stmt, dir);
	for (size_t k = 0; k < col->n_constraints; k++)
		if (col->constraints[k]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			add_constraint_index(f, a, rv, col->constraints[k]->constraint,
					     col->colname, stmt, dir);
}

/* Adds one entry per column whose IS NOT NULL the expression implies (NullTest, or an AND of
 * terms one of which is such a NullTest). */
static void not_null_terms(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
			   const PgQuery__Constraint *c, const PgQuery__Node *e, size_t stmt,
			   enum dg_direction dir)
{
	if (!e)
		return;
	if (e->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
	    e->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (size_t i = 0; i < e->bool_expr->n_args; i++)
			not_null_terms(f, a, rv, c, e->bool_expr->args[i], stmt, dir);
		return;
	}
	if (e->node_case == PG_QUERY__NODE__NODE_NULL_TEST &&
	    e->null_test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL &&
	    e->null_test->arg && e->null_test->arg->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
		const PgQuery__ColumnRef *ref = e->null_test->arg->column_ref;
		const PgQuery__Node *last = ref->n_fields ? ref->fields[ref->n_fields - 1] : NULL;
		const char *col = last && last->node_case == PG_QUERY__NODE__NODE_STRING
				      ? last->string->sval
				      : NULL;
		if (!col)
			return;
		f->nn_checks = dg_arena_grow(a, f->nn_checks, f->n_nn_checks, &f->cap_nn_checks,
					     sizeof(*f->nn_checks));
		f->nn_checks[f->n_nn_checks++] = (struct dg_not_null_check){
		    schema_of(rv), rv->relname,
		    col,	   c->conname && *c->conname ? c->conname : NULL,
		    stmt,	   c->skip_validation ? SIZE_MAX : stmt,
		    SIZE_MAX,	   dir};
	}
}

static void constraint_named(struct dg_facts *f, const PgQuery__RangeVar *rv, const char *name,
			     size_t stmt, bool validate)
{
	for (size_t i = 0; name && i < f->n_nn_checks; i++) {
		struct dg_not_null_check *c = &f->nn_checks[i];
		if (!c->conname || strcmp(c->conname, name) != 0 ||
		    !same_rel(c->schema, c->table, schema_of(rv), rv->relname))
			continue;
		if (validate && c->valid_stmt == SIZE_MAX)
			c->valid_stmt = stmt;
		else if (!validate && c->dropped_stmt == SIZE_MAX)
			c->dropped_stmt = stmt;
	}
}

static void alter_table_facts(struct dg_facts *f, struct dg_arena *a,
			      const PgQuery__AlterTableStmt *at, size_t stmt, enum dg_direction dir)
{
	const PgQuery__RangeVar *rv = at->relation;

	if (!rv || !rv->relname || at->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return;
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd =
		    at->cmds[i]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD
			? at->cmds[i]->alter_table_cmd
			: NULL;
		const PgQuery__Node *def = cmd ? cmd->def : NULL;

		if (!cmd)
			continue;
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				column_def_facts(f, a, rv, def->column_def, stmt, dir);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				add_column_type(f, a, rv, cmd->name, def->column_def->type_name,
						stmt, dir);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			if (!def || def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
				break;
			add_constraint_index(f, a, rv, def->constraint, NULL, stmt, dir);
			if (def->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
				not_null_terms(f, a, rv, def->constraint, def->constraint->raw_expr,
					       stmt, dir);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
			constraint_named(f, rv, cmd->name, stmt, true);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
			constraint_named(f, rv, cmd->name, stmt, false);
			break;
		default:
			break;
		}
	}
}

static bool zero_offset_zone(const PgQuery__Node *arg)
{
	static const char *const zones[] = {
	    "utc",	 "etc/utc",	  "uct",       "etc/uct",   "gmt",	 "etc/gmt",
	    "gmt0",	 "etc/gmt0",	  "etc/gmt+0", "etc/gmt-0", "greenwich", "etc/greenwich",
	    "universal", "etc/universal", "zulu",      "etc/zulu",  "utc0",
	};
	const PgQuery__AConst *c;

	if (!arg || arg->node_case != PG_QUERY__NODE__NODE_A_CONST)
		return false;
	c = arg->a_const;
	if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return !c->ival || c->ival->ival == 0;
	if (c->val_case != PG_QUERY__A__CONST__VAL_SVAL || !c->sval || !c->sval->sval)
		return false;
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcasecmp(c->sval->sval, zones[i]) == 0)
			return true;
	return false;
}

/* SET TimeZone: whether timestamp and timestamptz convert without a rewrite. A new direction
 * runs in a new session; SET LOCAL is taken as lasting, which its transaction usually does. */
static void build_timezone(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	bool utc = false;
	enum dg_direction dir = DG_DIR_NONE;

	f->tz_utc = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->tz_utc));
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;

		if (i == 0 || p->stmts[i].section->dir != dir)
			utc = false;
		dir = p->stmts[i].section->dir;
		f->tz_utc[i] = utc;
		if (n->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT &&
		    n->variable_set_stmt->name &&
		    strcasecmp(n->variable_set_stmt->name, "timezone") == 0)
			utc = n->variable_set_stmt->kind ==
				  PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE &&
			      n->variable_set_stmt->n_args == 1 &&
			      zero_offset_zone(n->variable_set_stmt->args[0]);
	}
}

static void build_schema_facts(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;
		enum dg_direction dir = p->stmts[i].section->dir;

		if (n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT && n->create_stmt->relation) {
			const PgQuery__CreateStmt *cs = n->create_stmt;
			for (size_t k = 0; k < cs->n_table_elts; k++) {
				const PgQuery__Node *e = cs->table_elts[k];
				if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
					column_def_facts(f, a, cs->relation, e->column_def, i, dir);
				else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
					add_constraint_index(f, a, cs->relation, e->constraint,
							     NULL, i, dir);
			}
		} else if (n->node_case == PG_QUERY__NODE__NODE_INDEX_STMT &&
			   n->index_stmt->relation) {
			const PgQuery__IndexStmt *is = n->index_stmt;
			const char *name =
			    is->idxname && *is->idxname
				? is->idxname
				: implicit_index_name(a, is->relation->relname, is->index_params,
						      is->n_index_params, NULL, "idx");
			add_index(f, a, schema_of(is->relation), name, i, dir,
				  is->relation->relname);
		} else if (n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
			alter_table_facts(f, a, n->alter_table_stmt, i, dir);
		}
	}
}

/* ---- timeouts --------------------------------------------------------------------------- */

struct timeout_state {
	bool session[2];      /* set for the session (SET, set_config(…, false)) */
	unsigned local_tx[2]; /* set for this transaction block (SET LOCAL), its id, else 0 */
};

static int timeout_index(const char *name)
{
	if (!name)
		return -1;
	if (strcmp(name, "lock_timeout") == 0)
		return 0;
	if (strcmp(name, "statement_timeout") == 0)
		return 1;
	return -1;
}

/* "0", 0 and '0s'-like zero values turn the timeout off. */
static bool const_is_zero(const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_A_CONST)
		return false;
	if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return n->a_const->ival->ival == 0;
	if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
		const char *v = n->a_const->sval->sval;
		while (*v == '0')
			v++;
		return v != n->a_const->sval->sval &&
		       (*v == '\0' || strcmp(v, "s") == 0 || strcmp(v, "ms") == 0 ||
			strcmp(v, "min") == 0);
	}
	return false;
}

static const char *const_string(const PgQuery__Node *n)
{
	if (n && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
		return n->a_const->sval->sval;
	return NULL;
}

static void apply_timeout(struct timeout_state *ts, int which, bool on, bool local, unsigned tx)
{
	if (which < 0)
		return;
	if (local) {
		ts->local_tx[which] = on && tx ? tx : 0;
		return;
	}
	ts->session[which] = on;
	ts->local_tx[which] = 0;
}

struct set_config_walk {
	struct timeout_state *ts;
	unsigned tx;
};

/* set_config('lock_timeout', '5s', is_local) anywhere in the statement. */
static enum dg_pb_next visit_set_config(const ProtobufCMessage *m, void *arg)
{
	const struct set_config_walk *w = arg;
	const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;
	const PgQuery__Node *last;

	if (m->descriptor != &pg_query__func_call__descriptor)
		return DG_PB_DESCEND;
	last = fc->n_funcname ? fc->funcname[fc->n_funcname - 1] : NULL;
	if (last && last->node_case == PG_QUERY__NODE__NODE_STRING &&
	    strcmp(last->string->sval, "set_config") == 0 && fc->n_args == 3) {
		const PgQuery__Node *loc = fc->args[2];
		bool local = loc && loc->node_case == PG_QUERY__NODE__NODE_A_CONST &&
			     loc->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL &&
			     loc->a_const->boolval->boolval;
		apply_timeout(w->ts, timeout_index(const_string(fc->args[0])),
			      !const_is_zero(fc->args[1]), local, w->tx);
	}
	return DG_PB_DESCEND;
}

static void build_timeouts(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	struct timeout_state ts = {{false, false}, {0, 0}};
	const struct dg_section *sec = NULL;
	enum dg_direction dir = DG_DIR_NONE;

	f->timeouts = dg_arena_alloc(a, p->n_stmts ? p->n_stmts : 1);
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;
		unsigned tx = f->tx[i].tx_id;
		unsigned char bits = 0;

		/* the up and down sections run at different times: settings do not carry over; the
		 * sections of one direction (goose and sql-migrate StatementBegin blocks, repeated
		 * Up markers) are one run on one connection, and keep them */
		if (!sec || p->stmts[i].section->dir != dir) {
			sec = p->stmts[i].section;
			dir = sec->dir;
			ts = (struct timeout_state){{false, false}, {0, 0}};
		}

		for (int w = 0; w < 2; w++)
			if (ts.session[w] || (ts.local_tx[w] && ts.local_tx[w] == tx))
				bits |= (unsigned char)(w == 0 ? DG_TIMEOUT_LOCK
							       : DG_TIMEOUT_STATEMENT);
		f->timeouts[i] = bits;
		if (n->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT) {
			const PgQuery__VariableSetStmt *vs = n->variable_set_stmt;
			switch (vs->kind) {
			case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
				apply_timeout(&ts, timeout_index(vs->name),
					      !(vs->n_args && const_is_zero(vs->args[0])),
					      vs->is_local, tx);
				break;
			case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
			case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
				apply_timeout(&ts, timeout_index(vs->name), false, vs->is_local,
					      tx);
				break;
			case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
				apply_timeout(&ts, 0, false, false, tx);
				apply_timeout(&ts, 1, false, false, tx);
				break;
			default:
				break;
			}
		} else if (n->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
			/* set_config() is called from a SELECT; walking every DDL tree for it cost
			 * a sixth of a corpus run */
			struct set_config_walk w = {&ts, tx};
			dg_pb_walk(&n->base, visit_set_config, &w);
		}
	}
}

void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx, const struct dg_facts *up_file)
{
	memset(f, 0, sizeof(*f));
	f->up_file = up_file;
	build_tx(f, p, a, assume_in_tx);
	build_schema_facts(f, p, a);
	build_timezone(f, p, a);
	build_timeouts(f, p, a);
	for (size_t e = 0; e < p->n_errors; e++) {
		const struct dg_syntax_error *err = &p->errors[e];
		size_t k = 0;

		if (!err->created_name)
			continue;
		while (k < p->n_stmts && p->stmts[k].start < err->offset)
			k++;
		push_created(&f->created_unparsed, &f->n_created_unparsed, &f->cap_created_unparsed,
			     a, err->created_schema, err->created_name, k);
	}
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;

		switch (n->node_case) {
		case PG_QUERY__NODE__NODE_CREATE_STMT:
			add_created(f, a, n->create_stmt->relation, i);
			break;
		case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
			if (n->create_foreign_table_stmt->base_stmt)
				add_created(f, a, n->create_foreign_table_stmt->base_stmt->relation,
					    i);
			break;
		case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
			if (n->create_table_as_stmt->into)
				add_created(f, a, n->create_table_as_stmt->into->rel, i);
			break;
		case PG_QUERY__NODE__NODE_SELECT_STMT:
			if (n->select_stmt->into_clause)
				add_created(f, a, n->select_stmt->into_clause->rel, i);
			break;
		case PG_QUERY__NODE__NODE_VIEW_STMT:
			add_created(f, a, n->view_stmt->view, i);
			break;
		case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: {
			const char *schema, *name;
			split_name(n->create_domain_stmt->domainname,
				   n->create_domain_stmt->n_domainname, &schema, &name);
			push_created(&f->domains, &f->n_domains, &f->cap_domains, a, schema, name,
				     i);
			break;
		}
		case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
			const PgQuery__AlterTableStmt *at = n->alter_table_stmt;
			add_alter_cons(f, a, at, i);
			for (size_t k = 0; k < at->n_cmds; k++) {
				const PgQuery__Node *cn = at->cmds[k];
				const PgQuery__AlterTableCmd *cmd;
				if (cn->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
					continue;
				cmd = cn->alter_table_cmd;
				if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn &&
				    cmd->def &&
				    cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
					add_column(f, a, at->relation,
						   cmd->def->column_def->colname, i);
			}
			break;
		}
		default:
			break;
		}
	}
	f->change = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->change));
	memset(f->change, 0, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->change));
	for (size_t i = 0; i < p->n_stmts; i++)
		classify(f, a, p, p->stmts[i].node, i, p->stmts[i].section->dir);
}

bool dg_facts_column_added_before(const struct dg_facts *f, const char *schema, const char *rel,
				  const char *col, size_t stmt)
{
	if (!rel || !col)
		return false;
	for (size_t i = 0; i < f->n_added; i++) {
		const struct dg_added_col *c = &f->added[i];
		if (c->stmt < stmt && strcmp(c->col, col) == 0 &&
		    same_rel(c->schema, c->rel, schema, rel))
			return true;
	}
	return false;
}

bool dg_facts_domain_created_before(const struct dg_facts *f, const char *schema, const char *name,
				    size_t stmt)
{
	return created_before_list(f->domains, f->n_domains, schema, name, stmt);
}

bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt)
{
	if (!name)
		return false;
	if (schema && !*schema)
		schema = NULL;
	/* a CREATE TABLE the grammar could not parse counts from its own position on (SIZE_MAX, as
	 * for an up file, already means "all of them") */
	return created_before_list(f->created, f->n_created, schema, name, stmt) ||
	       created_before_list(f->created_unparsed, f->n_created_unparsed, schema, name,
				   stmt == SIZE_MAX ? stmt : stmt + 1);
}

int dg_facts_constraint_state(const struct dg_facts *f, const char *schema, const char *table,
			      const char *name, size_t stmt, const struct dg_con_fact **add)
{
	int state = 0;
	const struct dg_con_fact *added = NULL;

	if (!name || !*name)
		return 0;
	for (size_t i = 0; i < f->n_cons && f->cons[i].stmt < stmt; i++) {
		const struct dg_con_fact *c = &f->cons[i];
		if (!c->name || strcmp(c->name, name) != 0 ||
		    !same_rel(schema, table, c->schema, c->table))
			continue;
		switch (c->event) {
		case DG_CON_ADDED:
		case DG_CON_ADDED_NOT_VALID:
			state = (int)c->event;
			added = c;
			break;
		case DG_CON_VALIDATED:
			if (state == DG_CON_ADDED_NOT_VALID)
				state = DG_CON_VALIDATED;
			break;
		case DG_CON_DROPPED:
			state = 0;
			added = NULL;
			break;
		}
	}
	if (add)
		*add = added;
	return state;
}

bool dg_facts_valid_check(const struct dg_facts *f, const char *schema, const char *table,
			  size_t stmt)
{
	for (size_t i = 0; i < f->n_cons && f->cons[i].stmt < stmt; i++) {
		const struct dg_con_fact *c = &f->cons[i], *add = NULL;
		int state;

		if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ||
		    (c->event != DG_CON_ADDED && c->event != DG_CON_ADDED_NOT_VALID) ||
		    !same_rel(schema, table, c->schema, c->table))
			continue;
		if (!c->name) {
			/* an unnamed one cannot be named to validate or drop: valid stays valid */
			if (c->event == DG_CON_ADDED)
				return true;
			continue;
		}
		state = dg_facts_constraint_state(f, schema, table, c->name, stmt, &add);
		if (add == c && (state == DG_CON_ADDED || state == DG_CON_VALIDATED))
			return true;
	}
	return false;
}

bool dg_facts_index_created_before(const struct dg_facts *f, const char *schema, const char *name,
				   size_t stmt, enum dg_direction dir)
{
	if (schema && !*schema)
		schema = NULL;
	for (size_t i = 0; i < f->n_indexes; i++) {
		const struct dg_created_index *c = &f->indexes[i];
		if (c->stmt < stmt && c->dir == dir && same_rel(c->schema, c->name, schema, name))
			return true;
	}
	return false;
}

const char *dg_facts_index_table(const struct dg_facts *f, const char *schema, const char *name,
				 size_t stmt, enum dg_direction dir)
{
	const char *before = NULL, *after = NULL;

	if (schema && !*schema)
		schema = NULL;
	for (size_t i = 0; i < f->n_indexes; i++) {
		const struct dg_created_index *c = &f->indexes[i];
		if (!c->table || !same_rel(c->schema, c->name, schema, name))
			continue;
		if (c->stmt < stmt)
			before = c->table;
		else if (c->stmt > stmt && !after)
			after = c->table;
	}
	if (before || after)
		return before ? before : after;
	if (dir == DG_DIR_DOWN && f->up_file)
		return dg_facts_index_table(f->up_file, schema, name, SIZE_MAX, DG_DIR_UP);
	return NULL;
}

static bool made_in(const struct dg_facts *f, const char *schema, const char *name, const char *col,
		    size_t stmt)
{
	return dg_facts_created_before(f, schema, name, stmt) ||
	       (col && dg_facts_column_added_before(f, schema, name, col, stmt));
}

bool dg_facts_made_here(const struct dg_facts *f, const char *schema, const char *name,
			const char *col, size_t stmt, enum dg_direction dir)
{
	if (made_in(f, schema, name, col, stmt))
		return true;
	/* everything in the up file ran before this down section */
	return dir == DG_DIR_DOWN && f->up_file && made_in(f->up_file, schema, name, col, SIZE_MAX);
}

const PgQuery__TypeName *dg_facts_column_type_before(const struct dg_facts *f, const char *schema,
						     const char *table, const char *column,
						     size_t stmt, enum dg_direction dir)
{
	const PgQuery__TypeName *t = NULL;

	if (schema && !*schema)
		schema = NULL;
	for (size_t i = 0; column && i < f->n_coltypes; i++) {
		const struct dg_column_type *c = &f->coltypes[i];
		if (c->stmt < stmt && c->dir == dir && strcmp(c->column, column) == 0 &&
		    same_rel(c->schema, c->table, schema, table))
			t = c->type;
	}
	return t;
}

bool dg_facts_not_null_check_before(const struct dg_facts *f, const char *schema, const char *table,
				    const char *column, size_t stmt, enum dg_direction dir)
{
	if (schema && !*schema)
		schema = NULL;
	for (size_t i = 0; column && i < f->n_nn_checks; i++) {
		const struct dg_not_null_check *c = &f->nn_checks[i];
		if (c->dir == dir && c->valid_stmt < stmt && c->dropped_stmt > stmt &&
		    strcmp(c->column, column) == 0 && same_rel(c->schema, c->table, schema, table))
			return true;
	}
	return false;
}
