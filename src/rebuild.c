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
#include <stdlib.h>
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

/* The file's tables by name, for the effects of one kind: sorted by name, then effect order. */
struct by_name {
	const char *key;
	size_t eff;
};

struct index {
	struct by_name *renames, *creates; /* renames by their new name, creates by name */
	size_t n_renames, n_creates;
	/* statements that copy every row of a query (INSERT … SELECT, CTAS), by the name of the
	 * table they fill (`eff`: the statement) */
	struct by_name *copies;
	size_t n_copies;
};

static int cmp_by_name(const void *a, const void *b)
{
	const struct by_name *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->eff > y->eff) - (x->eff < y->eff);
}

/* The first entry of v[0..n) whose key is `key`; *end is one past the last. */
static const struct by_name *range(const struct by_name *v, size_t n, const char *key,
				   const struct by_name **end)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*end = v + lo;
	while (*end < v + n && strcmp((*end)->key, key) == 0)
		(*end)++;
	return v + lo;
}

/* The table a statement that copies every row of a query fills, or NULL. */
static const char *copy_target(const PgQuery__Node *n)
{
	if (!n)
		return NULL;
	if (n->node_case == PG_QUERY__NODE__NODE_INSERT_STMT) {
		const PgQuery__InsertStmt *is = n->insert_stmt;
		return every_row(is->select_stmt) && is->relation ? is->relation->relname : NULL;
	}
	if (n->node_case == PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT) {
		const PgQuery__CreateTableAsStmt *c = n->create_table_as_stmt;
		return every_row(c->query) && c->into && c->into->rel ? c->into->rel->relname
								      : NULL;
	}
	return NULL;
}

/* The first statement in [from, before) that copies every row of from_name into `to`, or
 * SIZE_MAX. */
static size_t first_copy(const struct index *ix, const struct dg_parsed *p, size_t from,
			 size_t before, const char *from_schema, const char *from_name,
			 const char *to_schema, const char *to)
{
	const struct by_name *end, *c = range(ix->copies, ix->n_copies, to, &end);
	size_t lo = 0, hi = (size_t)(end - c);

	while (lo < hi) { /* the first at or after `from` */
		size_t mid = lo + (hi - lo) / 2;
		if (c[mid].eff < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (c += lo; c < end && c->eff < before; c++)
		if (copies(p->stmts[c->eff].node, from_schema, from_name, to_schema, to))
			return c->eff;
	return SIZE_MAX;
}

/* The statement of the first CREATE TABLE schema.name in (after, before) (after SIZE_MAX: from
 * the first statement) in direction dir, or SIZE_MAX. */
static size_t find_create(const struct dg_facts *f, const struct index *ix, const char *schema,
			  const char *name, size_t after, size_t before, int dir)
{
	const struct by_name *end, *c = range(ix->creates, ix->n_creates, name, &end);

	for (; c < end; c++) {
		const struct dg_effect *e = &f->effs.v[c->eff];
		if (e->dir != dir || (after != SIZE_MAX && e->stmt <= after) || e->stmt >= before ||
		    !dg_same_rel(e->schema, e->name, schema, name))
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

/* Whether the table rename r and the drop d are the two ends of a rebuild; adds it. */
static bool try_rebuild(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
			const struct index *ix, const struct dg_effect *d,
			const struct dg_effect *r)
{
	size_t create;

	if (r->dir != d->dir)
		return false;
	if (r->stmt < d->stmt && dg_same_rel(r->schema, r->name2, d->schema, d->name)) {
		/* t renamed to t_old, a new t gets t_old's rows, t_old dropped */
		create = find_create(f, ix, r->schema, r->name, r->stmt, d->stmt, d->dir);
	} else if (r->stmt > d->stmt) {
		/* t_new gets t's rows, t dropped, t_new renamed to t */
		create = find_create(f, ix, r->schema, r->name, SIZE_MAX, d->stmt, d->dir);
		if (create == SIZE_MAX && p->n_stmts) /* or CREATE TABLE t_new AS SELECT … FROM t */
			create =
			    first_copy(ix, p, 0, d->stmt, d->schema, d->name, r->schema, r->name);
	} else {
		return false;
	}
	if (create == SIZE_MAX ||
	    first_copy(ix, p, create, d->stmt, d->schema, d->name, r->schema, r->name) == SIZE_MAX)
		return false;
	add(f, a, d, r->stmt, create);
	return true;
}

static bool build_index(struct index *ix, const struct dg_facts *f, const struct dg_parsed *p)
{
	size_t n_drops = 0;

	for (size_t i = 0; i < f->effs.n; i++) {
		const struct dg_effect *e = &f->effs.v[i];
		if (e->obj != DG_OBJ_TABLE || !e->name)
			continue;
		if (e->kind == DG_EFF_DROP)
			n_drops++;
		else if (e->kind == DG_EFF_RENAME && e->name2)
			ix->n_renames++;
		else if (e->kind == DG_EFF_CREATE)
			ix->n_creates++;
	}
	if (!n_drops || !ix->n_renames)
		return false; /* no rebuild without a drop and a rename */
	ix->renames = malloc(ix->n_renames * sizeof(*ix->renames));
	ix->creates = malloc((ix->n_creates + 1) * sizeof(*ix->creates));
	ix->copies = malloc((p->n_stmts + 1) * sizeof(*ix->copies));
	if (!ix->renames || !ix->creates || !ix->copies)
		return false;
	ix->n_renames = ix->n_creates = 0;
	for (size_t i = 0; i < f->effs.n; i++) {
		const struct dg_effect *e = &f->effs.v[i];
		if (e->obj != DG_OBJ_TABLE || !e->name)
			continue;
		if (e->kind == DG_EFF_RENAME && e->name2)
			ix->renames[ix->n_renames++] = (struct by_name){e->name2, i};
		else if (e->kind == DG_EFF_CREATE)
			ix->creates[ix->n_creates++] = (struct by_name){e->name, i};
	}
	qsort(ix->renames, ix->n_renames, sizeof(*ix->renames), cmp_by_name);
	qsort(ix->creates, ix->n_creates, sizeof(*ix->creates), cmp_by_name);
	for (size_t s = 0; s < p->n_stmts; s++) {
		const char *to = copy_target(p->stmts[s].node);
		if (to)
			ix->copies[ix->n_copies++] = (struct by_name){to, s};
	}
	qsort(ix->copies, ix->n_copies, sizeof(*ix->copies), cmp_by_name);
	return true;
}

void dg_facts_find_rebuilds(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	struct index ix = {0};

	if (build_index(&ix, f, p)) {
		for (size_t i = 0; i < f->effs.n; i++) {
			const struct dg_effect *d = &f->effs.v[i];
			const struct by_name *r, *end;

			if (d->kind != DG_EFF_DROP || d->obj != DG_OBJ_TABLE || !d->name)
				continue;
			/* the renames to the dropped name, in statement order */
			for (r = range(ix.renames, ix.n_renames, d->name, &end); r < end; r++)
				if (try_rebuild(f, p, a, &ix, d, &f->effs.v[r->eff]))
					break;
		}
	}
	free(ix.renames);
	free(ix.creates);
	free(ix.copies);
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
