/* effects.c — what a statement does to the schema and the session, as a list of effects (see
 * effects.h). The only place that reads CREATE / ALTER / DROP / RENAME / SET trees for these
 * facts: the file's timeline, schema memory and the lock model are built on its answers. */
#include "effects.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

static const char *sv(const char *s)
{
	return s && *s ? s : NULL;
}

static const char *str_of(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING && n->string ? n->string->sval
									     : NULL;
}

bool dg_same_rel(const char *schema_a, const char *name_a, const char *schema_b, const char *name_b)
{
	if (!name_a || !name_b || strcmp(name_a, name_b) != 0)
		return false;
	return !schema_a || !*schema_a || !schema_b || !*schema_b ||
	       strcmp(schema_a, schema_b) == 0;
}

static struct dg_effect *push(struct dg_effects *out, struct dg_arena *a, enum dg_eff_kind kind,
			      const PgQuery__RangeVar *rv)
{
	struct dg_effect *e;

	out->v = dg_arena_grow(a, out->v, out->n, &out->cap, sizeof(*out->v));
	e = &out->v[out->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	if (rv) {
		e->schema = sv(rv->schemaname);
		e->name = sv(rv->relname);
		e->temp = rv->relpersistence && rv->relpersistence[0] == 't';
	}
	return e;
}

/* ---- index names PostgreSQL chooses ------------------------------------------------------- */

/* A key column's name: a String (constraint keys), an IndexElem naming a column, or an
 * exclusion element (IndexElem, operator). NULL for expressions. */
static const char *key_name(const PgQuery__Node *n)
{
	if (!n)
		return NULL;
	if (n->node_case == PG_QUERY__NODE__NODE_STRING)
		return n->string->sval;
	if (n->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM)
		return sv(n->index_elem->name);
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

/* ---- constraints ---------------------------------------------------------------------------- */

/* One entry per column whose IS NOT NULL the CHECK expression implies (a NullTest, or an AND of
 * terms one of which is such a NullTest). */
static void not_null_terms(struct dg_effects *out, struct dg_arena *a, const PgQuery__RangeVar *rv,
			   const PgQuery__Constraint *c, const PgQuery__Node *e, bool with_create)
{
	if (!e)
		return;
	if (e->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
	    e->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (size_t i = 0; i < e->bool_expr->n_args; i++)
			not_null_terms(out, a, rv, c, e->bool_expr->args[i], with_create);
		return;
	}
	if (e->node_case == PG_QUERY__NODE__NODE_NULL_TEST &&
	    e->null_test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL &&
	    e->null_test->arg && e->null_test->arg->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
		const PgQuery__ColumnRef *ref = e->null_test->arg->column_ref;
		const char *col = ref->n_fields ? str_of(ref->fields[ref->n_fields - 1]) : NULL;
		struct dg_effect *x;
		if (!col)
			return;
		x = push(out, a, DG_EFF_CHECK_NOT_NULL, rv);
		x->col = col;
		x->name2 = sv(c->conname);
		x->valid = !c->skip_validation;
		x->with_create = with_create;
	}
}

/* A constraint of table rv (`column`: the column of a column constraint, else NULL): the
 * constraint, the index it builds, the columns it proves NOT NULL. */
static void constraint(struct dg_effects *out, struct dg_arena *a, const PgQuery__RangeVar *rv,
		       const PgQuery__Constraint *c, const char *column, bool with_create)
{
	struct dg_effect *x;
	const char *index = NULL;

	if (!c)
		return;
	x = push(out, a, DG_EFF_ADD_CONSTRAINT, rv);
	x->name2 = sv(c->conname);
	x->contype = (int)c->contype;
	x->valid = !c->skip_validation;
	x->col = column;
	x->with_create = with_create;
	if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN && c->pktable) {
		x->ref_schema = sv(c->pktable->schemaname);
		x->ref_name = sv(c->pktable->relname);
		x->ref_col = c->n_fk_attrs ? str_of(c->fk_attrs[0]) : column;
		/* an unnamed one gets table_columns_fkey (ChooseConstraintName) */
		if (!x->name2)
			x->name2 = implicit_index_name(a, rv->relname, c->fk_attrs, c->n_fk_attrs,
						       c->n_fk_attrs ? NULL : column, "fkey");
	}
	if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
		not_null_terms(out, a, rv, c, c->raw_expr, with_create);
	if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY &&
	    c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE &&
	    c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION)
		return;
	if (sv(c->indexname)) {
		/* USING INDEX: no new index; the existing one takes the constraint's name */
		if (sv(c->conname) && strcmp(c->conname, c->indexname) != 0) {
			x = push(out, a, DG_EFF_RENAME_INDEX, NULL);
			x->schema = sv(rv->schemaname);
			x->name = sv(rv->relname);
			x->name2 = c->indexname;
			x->col = c->conname;
		}
		return;
	}
	if (sv(c->conname))
		index = c->conname;
	else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
		index = implicit_index_name(a, rv->relname, NULL, 0, NULL, "pkey");
	else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE)
		index = implicit_index_name(a, rv->relname, c->keys, c->n_keys, column, "key");
	else
		index = implicit_index_name(a, rv->relname, c->exclusions, c->n_exclusions, NULL,
					    "excl");
	if (index) {
		x = push(out, a, DG_EFF_CREATE_INDEX, rv);
		x->name2 = index;
		x->with_create = with_create;
	}
}

static void column_def(struct dg_effects *out, struct dg_arena *a, const PgQuery__RangeVar *rv,
		       const PgQuery__ColumnDef *col, bool if_not_exists, bool with_create)
{
	struct dg_effect *x = push(out, a, DG_EFF_ADD_COLUMN, rv);

	x->col = col->colname;
	x->type = col->type_name;
	x->if_not_exists = if_not_exists;
	x->with_create = with_create;
	for (size_t k = 0; k < col->n_constraints; k++)
		if (col->constraints[k]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint(out, a, rv, col->constraints[k]->constraint, col->colname,
				   with_create);
}

/* ---- statements ----------------------------------------------------------------------------- */

static enum dg_obj obj_of(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		return DG_OBJ_TABLE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		return DG_OBJ_VIEW;
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		return DG_OBJ_MATVIEW;
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		return DG_OBJ_FOREIGN_TABLE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		return DG_OBJ_SEQUENCE;
	default:
		return DG_OBJ_OTHER;
	}
}

static void create_stmt(struct dg_effects *out, struct dg_arena *a, const PgQuery__CreateStmt *cs)
{
	const PgQuery__RangeVar *rv = cs->relation;
	struct dg_effect *x;
	const PgQuery__RangeVar *parent =
	    cs->n_inh_relations && cs->inh_relations[0]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR
		? cs->inh_relations[0]->range_var
		: NULL;

	size_t first = out->n;

	if (!rv || !sv(rv->relname))
		return;
	x = push(out, a, DG_EFF_CREATE, rv);
	x->if_not_exists = cs->if_not_exists;
	x->partition = cs->partbound != NULL;
	x->partitioned = cs->partspec != NULL;
	if (parent) {
		x->schema2 = sv(parent->schemaname);
		x->name2 = sv(parent->relname);
	}
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *e = cs->table_elts[i];
		if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			column_def(out, a, rv, e->column_def, false, true);
		else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint(out, a, rv, e->constraint, NULL, true);
	}
	if (cs->partbound && parent && sv(parent->relname)) {
		x = push(out, a, DG_EFF_ATTACH_PARTITION, parent);
		x->schema2 = sv(rv->schemaname);
		x->name2 = rv->relname;
		x->is_default = cs->partbound->is_default;
		x->with_create = true;
	}
	for (size_t k = first; k < out->n; k++)
		if (out->v[k].kind != DG_EFF_RENAME_INDEX)
			out->v[k].obj = DG_OBJ_TABLE;
}

static void alter_table(struct dg_effects *out, struct dg_arena *a,
			const PgQuery__AlterTableStmt *at)
{
	const PgQuery__RangeVar *rv = at->relation;
	enum dg_obj obj = obj_of(at->objtype);

	if (!rv || !sv(rv->relname) || (obj != DG_OBJ_TABLE && obj != DG_OBJ_FOREIGN_TABLE))
		return;
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd =
		    at->cmds[i]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD
			? at->cmds[i]->alter_table_cmd
			: NULL;
		const PgQuery__Node *def = cmd ? cmd->def : NULL;
		size_t first = out->n;
		struct dg_effect *x;

		if (!cmd)
			continue;
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				column_def(out, a, rv, def->column_def, cmd->missing_ok, false);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			x = push(out, a, DG_EFF_SET_TYPE, rv);
			x->col = cmd->name;
			x->type = def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF
				      ? def->column_def->type_name
				      : NULL;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
			push(out, a, DG_EFF_DROP_COLUMN, rv)->col = cmd->name;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			if (def && def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
				constraint(out, a, rv, def->constraint, NULL, false);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
			push(out, a, DG_EFF_VALIDATE, rv)->name2 = sv(cmd->name);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse:
			push(out, a, DG_EFF_DROP_CONSTRAINT, rv)->name2 = sv(cmd->name);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
			if (def && def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
			    def->partition_cmd->name && sv(def->partition_cmd->name->relname)) {
				const PgQuery__PartitionCmd *pc = def->partition_cmd;
				x = push(out, a,
					 cmd->subtype ==
						 PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition
					     ? DG_EFF_ATTACH_PARTITION
					     : DG_EFF_DETACH_PARTITION,
					 rv);
				x->schema2 = sv(pc->name->schemaname);
				x->name2 = pc->name->relname;
				x->is_default = pc->bound && pc->bound->is_default;
			}
			break;
		default:
			break;
		}
		for (size_t k = first; k < out->n; k++)
			if (out->v[k].kind != DG_EFF_RENAME_INDEX)
				out->v[k].obj = obj;
	}
}

static void drop_stmt(struct dg_effects *out, struct dg_arena *a, const PgQuery__DropStmt *d)
{
	enum dg_obj obj = obj_of(d->remove_type);
	bool index = d->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX;

	if (obj == DG_OBJ_OTHER && !index)
		return;
	for (size_t i = 0; i < d->n_objects; i++) {
		const PgQuery__Node *o = d->objects[i];
		const PgQuery__List *l;
		struct dg_effect *x;
		const char *name, *schema;

		if (o->node_case != PG_QUERY__NODE__NODE_LIST || !o->list->n_items ||
		    o->list->n_items > 3)
			continue;
		l = o->list;
		name = str_of(l->items[l->n_items - 1]);
		schema = l->n_items > 1 ? str_of(l->items[l->n_items - 2]) : NULL;
		if (!name)
			continue;
		x = push(out, a, index ? DG_EFF_DROP_INDEX : DG_EFF_DROP, NULL);
		x->schema = sv(schema);
		if (index)
			x->name2 = name;
		else
			x->name = name;
		x->obj = index ? DG_OBJ_OTHER : obj;
		x->cascade = d->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
	}
}

static void rename_stmt(struct dg_effects *out, struct dg_arena *a, const PgQuery__RenameStmt *r)
{
	const PgQuery__RangeVar *rv = r->relation;
	struct dg_effect *x;

	if (!rv || !sv(rv->relname) || !sv(r->newname))
		return;
	switch (r->rename_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		x = push(out, a, DG_EFF_RENAME_COLUMN, rv);
		x->col = r->subname;
		x->name2 = r->newname;
		x->obj = obj_of(r->relation_type);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		x = push(out, a, DG_EFF_RENAME_INDEX, NULL);
		x->schema = sv(rv->schemaname);
		x->name2 = rv->relname;
		x->col = r->newname;
		break;
	default:
		if (obj_of(r->rename_type) == DG_OBJ_OTHER)
			break;
		x = push(out, a, DG_EFF_RENAME, rv);
		x->obj = obj_of(r->rename_type);
		x->name2 = r->newname;
		break;
	}
}

static void variable_set(struct dg_effects *out, struct dg_arena *a,
			 const PgQuery__VariableSetStmt *vs)
{
	struct dg_effect *x;

	switch (vs->kind) {
	case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
	case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
	case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
		if (!vs->name)
			return;
		x = push(out, a, DG_EFF_SET, NULL);
		x->name2 = vs->name; /* the grammar folds it to lower case */
		x->local = vs->is_local;
		x->reset = vs->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE;
		x->value = !x->reset && vs->n_args == 1 ? vs->args[0] : NULL;
		break;
	case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
		push(out, a, DG_EFF_RESET_ALL, NULL);
		break;
	default:
		break;
	}
}

static const char *const_string(const PgQuery__Node *n)
{
	if (n && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
		return n->a_const->sval->sval;
	return NULL;
}

struct set_config_walk {
	struct dg_effects *out;
	struct dg_arena *a;
};

/* set_config('lock_timeout', '5s', is_local) anywhere in a SELECT */
static enum dg_pb_next visit_set_config(const ProtobufCMessage *m, void *arg)
{
	const struct set_config_walk *w = arg;
	const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;
	const char *name;
	struct dg_effect *x;
	char *lower;

	if (m->descriptor != &pg_query__func_call__descriptor)
		return DG_PB_DESCEND;
	if (!fc->n_funcname || fc->n_args != 3 || !str_of(fc->funcname[fc->n_funcname - 1]) ||
	    strcmp(str_of(fc->funcname[fc->n_funcname - 1]), "set_config") != 0 ||
	    !(name = const_string(fc->args[0])))
		return DG_PB_DESCEND;
	lower = dg_arena_strndup(w->a, name, strlen(name));
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	x = push(w->out, w->a, DG_EFF_SET, NULL);
	x->name2 = lower;
	x->value = fc->args[1];
	x->local = fc->args[2] && fc->args[2]->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		   fc->args[2]->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL &&
		   fc->args[2]->a_const->boolval->boolval;
	return DG_PB_DESCEND;
}

void dg_effects_of(const PgQuery__Node *n, struct dg_arena *a, struct dg_effects *out)
{
	struct dg_effect *x;

	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		create_stmt(out, a, n->create_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
		if (n->create_foreign_table_stmt->base_stmt &&
		    n->create_foreign_table_stmt->base_stmt->relation &&
		    sv(n->create_foreign_table_stmt->base_stmt->relation->relname)) {
			x = push(out, a, DG_EFF_CREATE,
				 n->create_foreign_table_stmt->base_stmt->relation);
			x->obj = DG_OBJ_FOREIGN_TABLE;
			x->if_not_exists = n->create_foreign_table_stmt->base_stmt->if_not_exists;
		}
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *c = n->create_table_as_stmt;
		if (!c->into || !c->into->rel || !sv(c->into->rel->relname))
			break;
		x = push(out, a, DG_EFF_CREATE, c->into->rel);
		x->obj = c->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ? DG_OBJ_MATVIEW
									     : DG_OBJ_TABLE;
		x->value = c->query;
		x->if_not_exists = c->if_not_exists;
		break;
	}
	case PG_QUERY__NODE__NODE_SELECT_STMT: {
		struct set_config_walk w = {out, a};
		if (n->select_stmt->into_clause && n->select_stmt->into_clause->rel &&
		    sv(n->select_stmt->into_clause->rel->relname)) {
			x = push(out, a, DG_EFF_CREATE, n->select_stmt->into_clause->rel);
			x->obj = DG_OBJ_TABLE;
		}
		dg_pb_walk(&n->base, visit_set_config, &w);
		break;
	}
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		if (n->view_stmt->view && sv(n->view_stmt->view->relname)) {
			x = push(out, a, DG_EFF_CREATE, n->view_stmt->view);
			x->obj = DG_OBJ_VIEW;
			x->value = n->view_stmt->query;
		}
		break;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		if (n->create_seq_stmt->sequence && sv(n->create_seq_stmt->sequence->relname)) {
			x = push(out, a, DG_EFF_CREATE, n->create_seq_stmt->sequence);
			x->obj = DG_OBJ_SEQUENCE;
			x->if_not_exists = n->create_seq_stmt->if_not_exists;
		}
		break;
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: {
		const PgQuery__CreateDomainStmt *d = n->create_domain_stmt;
		const char *name =
		    d->n_domainname ? str_of(d->domainname[d->n_domainname - 1]) : NULL;
		if (!name)
			break;
		x = push(out, a, DG_EFF_CREATE_DOMAIN, NULL);
		x->name = name;
		x->schema =
		    d->n_domainname > 1 ? sv(str_of(d->domainname[d->n_domainname - 2])) : NULL;
		break;
	}
	case PG_QUERY__NODE__NODE_INDEX_STMT: {
		const PgQuery__IndexStmt *is = n->index_stmt;
		const char *name;
		if (!is->relation || !sv(is->relation->relname))
			break;
		name = sv(is->idxname)
			   ? is->idxname
			   : implicit_index_name(a, is->relation->relname, is->index_params,
						 is->n_index_params, NULL, "idx");
		if (!name)
			break;
		x = push(out, a, DG_EFF_CREATE_INDEX, is->relation);
		x->name2 = name;
		x->if_not_exists = is->if_not_exists;
		x->obj = DG_OBJ_TABLE;
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		alter_table(out, a, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		drop_stmt(out, a, n->drop_stmt);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		rename_stmt(out, a, n->rename_stmt);
		break;
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
		variable_set(out, a, n->variable_set_stmt);
		break;
	case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT: {
		const PgQuery__AlterObjectSchemaStmt *os = n->alter_object_schema_stmt;
		if (!os->relation || !sv(os->relation->relname) || !sv(os->newschema) ||
		    obj_of(os->object_type) == DG_OBJ_OTHER)
			break;
		x = push(out, a, DG_EFF_SET_SCHEMA, os->relation);
		x->obj = obj_of(os->object_type);
		x->schema2 = os->newschema;
		break;
	}
	default:
		break;
	}
}

bool dg_effect_zone_is_utc(const PgQuery__Node *arg)
{
	static const char *const zones[] = {
	    "utc",	 "etc/utc",	  "uct",       "etc/uct",   "gmt",	 "etc/gmt",
	    "gmt0",	 "etc/gmt0",	  "etc/gmt+0", "etc/gmt-0", "greenwich", "etc/greenwich",
	    "universal", "etc/universal", "zulu",      "etc/zulu",  "utc0",	 "z",
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

bool dg_effect_value_is_zero(const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_A_CONST)
		return false;
	if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return !n->a_const->ival || n->a_const->ival->ival == 0;
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
