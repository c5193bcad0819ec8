/* ast.c — small helpers over libpg_query's protobuf structs: names, strings, DefElem
 * booleans, type names, a walk of the nodes under a node. Shared by every stage. */
#include "ast.h"

#include <string.h>
#include <strings.h>

#include "parse.h"

const char *dg_node_string(const PgQuery__Node *node)
{
	if (node && node->node_case == PG_QUERY__NODE__NODE_STRING && node->string)
		return node->string->sval;
	return NULL;
}

const char *dg_name_last(PgQuery__Node *const *names, size_t n)
{
	return n ? dg_node_string(names[n - 1]) : NULL;
}

const char *dg_drop_object_name(const PgQuery__Node *o)
{
	if (!o)
		return NULL;
	switch (o->node_case) {
	case PG_QUERY__NODE__NODE_LIST:
		return dg_name_last(o->list->items, o->list->n_items);
	case PG_QUERY__NODE__NODE_STRING:
		return o->string->sval;
	case PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS:
		return dg_name_last(o->object_with_args->objname, o->object_with_args->n_objname);
	case PG_QUERY__NODE__NODE_TYPE_NAME:
		return dg_name_last(o->type_name->names, o->type_name->n_names);
	default:
		return NULL;
	}
}

bool dg_option_on(PgQuery__Node *const *opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const PgQuery__DefElem *d;
		const char *v;

		if (!opts[i] || opts[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			continue;
		d = opts[i]->def_elem;
		if (!d->defname || strcmp(d->defname, name) != 0)
			continue;
		if (!d->arg)
			return true;
		switch (d->arg->node_case) {
		case PG_QUERY__NODE__NODE_INTEGER:
			return d->arg->integer->ival != 0;
		case PG_QUERY__NODE__NODE_BOOLEAN:
			return d->arg->boolean->boolval;
		default:
			v = dg_node_string(d->arg);
			return !v || (strcasecmp(v, "false") != 0 && strcasecmp(v, "off") != 0);
		}
	}
	return false;
}

const char *dg_type_builtin(const PgQuery__TypeName *t)
{
	const char *first;

	if (!t || t->n_names == 0 || t->n_names > 2)
		return NULL;
	first = dg_node_string(t->names[0]);
	if (t->n_names == 2 && (!first || strcmp(first, "pg_catalog") != 0))
		return NULL;
	return dg_name_last(t->names, t->n_names);
}

/* A walk of its own for rules that look into a subtree (the engine's walk dispatches). */
struct node_walk {
	bool (*visit)(const PgQuery__Node *, void *);
	void *arg;
};

static enum dg_pb_next visit_pb_node(const ProtobufCMessage *m, void *arg)
{
	const struct node_walk *w = arg;
	const PgQuery__Node *n = (const PgQuery__Node *)m;

	if (m->descriptor != &pg_query__node__descriptor)
		return DG_PB_DESCEND;
	if (n->node_case == PG_QUERY__NODE__NODE__NOT_SET)
		return DG_PB_SKIP;
	return w->visit(n, w->arg) ? DG_PB_DESCEND : DG_PB_STOP;
}

bool dg_walk(const PgQuery__Node *root, bool (*visit)(const PgQuery__Node *node, void *arg),
	     void *arg)
{
	struct node_walk w = {visit, arg};

	return root ? dg_pb_walk(&root->base, visit_pb_node, &w) : true;
}

bool dg_type_int_mod(const PgQuery__TypeName *t, int *out)
{
	const PgQuery__Node *mod = t->n_typmods ? t->typmods[0] : NULL;

	if (!mod || mod->node_case != PG_QUERY__NODE__NODE_A_CONST ||
	    mod->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL || !mod->a_const->ival)
		return false;
	*out = (int)mod->a_const->ival->ival;
	return true;
}

bool dg_type_is_serial(const PgQuery__TypeName *t)
{
	static const char *const names[] = {"serial",  "bigserial", "smallserial",
					    "serial2", "serial4",   "serial8"};
	const char *name = t ? dg_name_last(t->names, t->n_names) : NULL;

	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

void dg_type_describe(const PgQuery__TypeName *t, struct dg_type_desc *out)
{
	const char *name = dg_name_last(t->names, t->n_names);

	memset(out, 0, sizeof(*out));
	out->name = name ? name : "?";
	for (size_t i = 0; i < t->n_typmods; i++) {
		const PgQuery__Node *m = t->typmods[i];
		if (m->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		    m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL && out->n_mods < 2)
			out->mods[out->n_mods++] = m->a_const->ival->ival;
		else
			out->mods_unknown = true;
	}
	out->array = t->n_array_bounds > 0;
}
