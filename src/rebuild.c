/* rebuild.c — the rebuild pattern inside one migration: a table is replaced by a new one that
 * gets its rows, and the old one is dropped. Either
 *   ALTER TABLE t RENAME TO t_old; CREATE TABLE t (…); INSERT INTO t SELECT … FROM t_old;
 *   DROP TABLE t_old;
 * or
 *   CREATE TABLE t_new (…); INSERT INTO t_new SELECT … FROM t; DROP TABLE t;
 *   ALTER TABLE t_new RENAME TO t;
 * (CREATE TABLE … AS SELECT … FROM the old one copies too; a copy with WHERE, LIMIT or OFFSET
 * leaves rows behind and is none). The drop deletes no data and the
 * name clients use stays: neither destructive nor an expand/contract pair. Without the copy it
 * is all of those, and nothing is marked. */
#include <string.h>

#include "facts.h"

struct reads {
	const char *schema, *name;
	bool found;
};

static enum dg_pb_next visit_read(const ProtobufCMessage *m, void *arg)
{
	struct reads *r = arg;
	const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;

	if (m->descriptor != &pg_query__range_var__descriptor)
		return DG_PB_DESCEND;
	if (rv->relname && dg_same_rel(rv->schemaname, rv->relname, r->schema, r->name)) {
		r->found = true;
		return DG_PB_STOP;
	}
	return DG_PB_SKIP;
}

static bool reads(const ProtobufCMessage *m, const char *schema, const char *name)
{
	struct reads r = {schema, name, false};

	if (m)
		dg_pb_walk(m, visit_read, &r);
	return r.found;
}

/* A query that returns every row it reads: no WHERE, LIMIT or OFFSET at its top (a filtered
 * copy leaves rows behind). */
static bool every_row(const PgQuery__Node *q)
{
	const PgQuery__SelectStmt *s;

	if (!q || q->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return false;
	s = q->select_stmt;
	return !s->where_clause && !s->limit_count && !s->limit_offset;
}

/* Whether statement `k` copies all rows of `from` into `to`. */
static bool copies(const PgQuery__Node *n, const char *from_schema, const char *from,
		   const char *to_schema, const char *to)
{
	if (n->node_case == PG_QUERY__NODE__NODE_INSERT_STMT) {
		const PgQuery__InsertStmt *is = n->insert_stmt;
		return is->relation && is->relation->relname &&
		       dg_same_rel(is->relation->schemaname, is->relation->relname, to_schema,
				   to) &&
		       every_row(is->select_stmt) &&
		       reads(&is->select_stmt->base, from_schema, from);
	}
	if (n->node_case == PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT) {
		const PgQuery__CreateTableAsStmt *c = n->create_table_as_stmt;
		return c->into && c->into->rel && c->into->rel->relname &&
		       dg_same_rel(c->into->rel->schemaname, c->into->rel->relname, to_schema,
				   to) &&
		       every_row(c->query) && reads(&c->query->base, from_schema, from);
	}
	return false;
}

static bool copied_between(const struct dg_parsed *p, size_t after, size_t before,
			   const char *from_schema, const char *from, const char *to_schema,
			   const char *to)
{
	for (size_t k = after; k < before && k < p->n_stmts; k++)
		if (copies(p->stmts[k].node, from_schema, from, to_schema, to))
			return true;
	return false;
}

/* The statement of the first effect of `kind` on schema.name (name2: to) in (after, before)
 * (after SIZE_MAX: from the first statement) and direction dir, or SIZE_MAX. */
static size_t find_eff(const struct dg_facts *f, enum dg_eff_kind kind, const char *schema,
		       const char *name, const char *to, size_t after, size_t before, int dir)
{
	for (size_t i = 0; i < f->effs.n; i++) {
		const struct dg_effect *e = &f->effs.v[i];
		if (e->kind != kind || e->dir != dir || (after != SIZE_MAX && e->stmt <= after) ||
		    e->stmt >= before || (e->obj != DG_OBJ_TABLE && kind != DG_EFF_RENAME) ||
		    !e->name || !dg_same_rel(e->schema, e->name, schema, name))
			continue;
		if (to && (!e->name2 || strcmp(e->name2, to) != 0))
			continue;
		return e->stmt;
	}
	return SIZE_MAX;
}

static void add(struct dg_facts *f, struct dg_arena *a, const struct dg_effect *drop, size_t rename,
		size_t create)
{
	f->rebuilds =
	    dg_arena_grow(a, f->rebuilds, f->n_rebuilds, &f->cap_rebuilds, sizeof(*f->rebuilds));
	f->rebuilds[f->n_rebuilds++] =
	    (struct dg_rebuild){drop->schema, drop->name, rename, create, drop->stmt};
	f->change[drop->stmt].contract = NULL;
	f->change[drop->stmt].contract_node = NULL;
	f->change[rename].contract = NULL;
	f->change[rename].contract_node = NULL;
	if (create != SIZE_MAX)
		f->change[create].expand = NULL;
}

void dg_facts_find_rebuilds(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	for (size_t i = 0; i < f->effs.n; i++) {
		const struct dg_effect *d = &f->effs.v[i], *r;
		size_t create;

		if (d->kind != DG_EFF_DROP || d->obj != DG_OBJ_TABLE || !d->name)
			continue;
		for (size_t k = 0; k < f->effs.n; k++) {
			r = &f->effs.v[k];
			if (r->kind != DG_EFF_RENAME || r->obj != DG_OBJ_TABLE ||
			    r->dir != d->dir || !r->name || !r->name2)
				continue;
			if (r->stmt < d->stmt && strcmp(r->name2, d->name) == 0 &&
			    dg_same_rel(r->schema, r->name2, d->schema, d->name)) {
				/* t renamed to t_old, a new t gets t_old's rows, t_old dropped */
				create = find_eff(f, DG_EFF_CREATE, r->schema, r->name, NULL,
						  r->stmt, d->stmt, d->dir);
				if (create != SIZE_MAX &&
				    copied_between(p, create, d->stmt, d->schema, d->name,
						   r->schema, r->name)) {
					add(f, a, d, r->stmt, create);
					break;
				}
			} else if (r->stmt > d->stmt && strcmp(r->name2, d->name) == 0) {
				/* t_new gets t's rows, t dropped, t_new renamed to t */
				create = find_eff(f, DG_EFF_CREATE, r->schema, r->name, NULL,
						  SIZE_MAX, d->stmt, d->dir);
				if (create == SIZE_MAX && p->n_stmts) {
					/* or CREATE TABLE t_new AS SELECT … FROM t */
					for (size_t s = 0; s < d->stmt && create == SIZE_MAX; s++)
						if (copies(p->stmts[s].node, d->schema, d->name,
							   r->schema, r->name))
							create = s;
				}
				if (create != SIZE_MAX &&
				    copied_between(p, create, d->stmt, d->schema, d->name,
						   r->schema, r->name)) {
					add(f, a, d, r->stmt, create);
					break;
				}
			}
		}
	}
}

const struct dg_rebuild *dg_facts_rebuild_of(const struct dg_facts *f, const char *schema,
					     const char *name, size_t stmt)
{
	for (size_t i = 0; f && i < f->n_rebuilds; i++) {
		const struct dg_rebuild *r = &f->rebuilds[i];
		if (r->rename == stmt ||
		    (r->drop == stmt && dg_same_rel(r->schema, r->name, schema, name)))
			return r;
	}
	return NULL;
}
