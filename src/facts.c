/* facts.c — one pass over the parsed statements to record what later statements may rely on. */
#include "facts.h"

#include <string.h>

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

void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	memset(f, 0, sizeof(*f));
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
