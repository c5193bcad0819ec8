/* facts.c — one pass over the parsed statements to record what later statements may rely on. */
#include "facts.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

static void add_created(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
			size_t stmt)
{
	if (!rv || !rv->relname)
		return;
	if (f->n_created == f->cap_created) {
		size_t ncap = f->cap_created ? f->cap_created * 2 : 16;
		struct dg_created_rel *n = dg_arena_alloc(a, ncap * sizeof(*n));
		if (f->n_created)
			memcpy(n, f->created, f->n_created * sizeof(*n));
		f->created = n;
		f->cap_created = ncap;
	}
	f->created[f->n_created++] = (struct dg_created_rel){
		rv->schemaname && *rv->schemaname ? rv->schemaname : NULL, rv->relname, stmt};
}

/* Transaction blocks: the tool's wrapping of a section, and explicit BEGIN … COMMIT. */
static void build_tx(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		     bool assume_in_tx)
{
	const struct dg_section *sec = NULL;
	bool wrapped = false, explicit_open = false;
	unsigned next_id = 0, cur = 0;

	f->tx = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->tx));
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;
		PgQuery__TransactionStmtKind kind = 0;

		if (p->stmts[i].section != sec) {
			sec = p->stmts[i].section;
			wrapped = sec->tx == DG_TX_WRAPPED || assume_in_tx;
			explicit_open = false;
			cur = wrapped ? ++next_id : 0;
		}
		if (n->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT)
			kind = n->transaction_stmt->kind;
		if ((kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
		     kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START) &&
		    !wrapped && !explicit_open) {
			explicit_open = true;
			cur = ++next_id;
			f->tx[i] = (struct dg_stmt_tx){false, 0};
			continue;
		}
		f->tx[i] = (struct dg_stmt_tx){wrapped || explicit_open, cur};
		if ((kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
		     kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK ||
		     kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE) &&
		    explicit_open) {
			explicit_open = false;
			cur = 0;
		}
	}
}

/* ---- indexes, column types and NOT NULL checks made by this file ------------------------- */

static void *grow(struct dg_arena *a, void *arr, size_t n, size_t *cap, size_t elem)
{
	void *p;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	p = dg_arena_alloc(a, *cap * elem);
	if (n)
		memcpy(p, arr, n * elem);
	return p;
}

static const char *schema_of(const PgQuery__RangeVar *rv)
{
	return rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
}

static bool same_name(const char *schema_a, const char *a, const char *schema_b, const char *b)
{
	if (!a || !b || strcmp(a, b) != 0)
		return false;
	return !schema_a || !schema_b || strcmp(schema_a, schema_b) == 0;
}

static void add_index(struct dg_facts *f, struct dg_arena *a, const char *schema, const char *name,
		      size_t stmt, enum dg_direction dir)
{
	if (!name || !*name)
		return;
	f->indexes = grow(a, f->indexes, f->n_indexes, &f->cap_indexes, sizeof(*f->indexes));
	f->indexes[f->n_indexes++] = (struct dg_created_index){schema, name, stmt, dir};
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
	add_index(f, a, schema_of(rv), name, stmt, dir);
}

static void add_column_type(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
			    const char *column, const PgQuery__TypeName *type, size_t stmt,
			    enum dg_direction dir)
{
	if (!column || !type)
		return;
	f->coltypes = grow(a, f->coltypes, f->n_coltypes, &f->cap_coltypes, sizeof(*f->coltypes));
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
		f->nn_checks =
		    grow(a, f->nn_checks, f->n_nn_checks, &f->cap_nn_checks, sizeof(*f->nn_checks));
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
		    !same_name(c->schema, c->table, schema_of(rv), rv->relname))
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
			add_index(f, a, schema_of(is->relation), name, i, dir);
		} else if (n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
			alter_table_facts(f, a, n->alter_table_stmt, i, dir);
		}
	}
}

void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx)
{
	memset(f, 0, sizeof(*f));
	build_tx(f, p, a, assume_in_tx);
	build_schema_facts(f, p, a);
	build_timezone(f, p, a);
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;

		switch (n->node_case) {
		case PG_QUERY__NODE__NODE_CREATE_STMT:
			add_created(f, a, n->create_stmt->relation, i);
			break;
		case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
			if (n->create_table_as_stmt->into)
				add_created(f, a, n->create_table_as_stmt->into->rel, i);
			break;
		case PG_QUERY__NODE__NODE_SELECT_STMT:
			if (n->select_stmt->into_clause)
				add_created(f, a, n->select_stmt->into_clause->rel, i);
			break;
		default:
			break;
		}
	}
}

bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt)
{
	if (!name)
		return false;
	if (schema && !*schema)
		schema = NULL;
	for (size_t i = 0; i < f->n_created; i++) {
		const struct dg_created_rel *c = &f->created[i];
		if (c->stmt >= stmt || strcmp(c->name, name) != 0)
			continue;
		if (schema && c->schema && strcmp(schema, c->schema) != 0)
			continue;
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
		if (c->stmt < stmt && c->dir == dir && same_name(c->schema, c->name, schema, name))
			return true;
	}
	return false;
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
		    same_name(c->schema, c->table, schema, table))
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
		    strcmp(c->column, column) == 0 && same_name(c->schema, c->table, schema, table))
			return true;
	}
	return false;
}
