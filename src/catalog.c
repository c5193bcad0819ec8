/* catalog.c — schema memory across the files of one migration directory (see catalog.h).
 *
 * Every fact is an entry (kind, schema, a, b[, type]) of interned strings, kept in one array and
 * found through an open-addressing table hashed on (kind, a): all columns of a table, all
 * foreign keys of a table, share a probe chain. Entries are never removed one by one, only
 * marked dead, and swept out once they are most of the array (compact); the whole catalog is
 * dropped when the directory changes. */
#include "catalog.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"

/* K_REFBY: the reverse of a K_FK (a: the referenced table, b: the referencing one); K_CHECK: a
 * CHECK constraint (b NULL); K_NNCHECK: a CHECK implying b IS NOT NULL; K_MVREAD: a relation
 * the query of materialized view a reads. */
enum kind { K_TABLE = 1, K_COLUMN, K_INDEX, K_FK, K_PART, K_REFBY, K_CHECK, K_NNCHECK, K_MVREAD };

struct ent {
	unsigned char kind;
	bool dead;
	const char *schema;	      /* NULL when unqualified */
	const char *a;		      /* table (index for K_INDEX) */
	const char *b;		      /* column, indexed table, referenced table, parent; or NULL */
	const char *fk_col, *fk_name; /* K_FK, K_REFBY: its first column, its name (NULL if
				       * unnamed); K_CHECK, K_NNCHECK: the constraint's name */
	bool valid;		      /* K_CHECK, K_NNCHECK: validated */
	bool is_default;	      /* K_PART: the DEFAULT partition */
	struct dg_type_desc type;
};

struct dg_catalog {
	char *dir; /* the migration root of the files absorbed, or NULL before the first */
	void *aux; /* what the caller keeps with this root's memory (memory.c: its history) */
	void (*aux_free)(void *);
	/* interned strings: a hash set of pointers into chunks */
	const char **strs;
	size_t n_strs, cap_strs;
	char **chunks;
	size_t n_chunks, cap_chunks, chunk_used, chunk_size;
	/* entries and their hash index (slot = entry index + 1, 0 = empty) */
	struct ent *ents;
	size_t n_ents, cap_ents;
	uint32_t *slots;
	size_t cap_slots;
	/* the index of every K_PART entry in ents, in entry order: the partitions of a parent
	 * are found among these, not among all the entries */
	size_t *part_ents, n_part_ents, cap_part_ents;
	size_t n_checked; /* n_ents when dead entries were last counted (see compact) */
};

#define CHUNK 16384

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static const char *intern(struct dg_catalog *c, const char *s)
{
	size_t len, i;
	char *copy;

	if (!s)
		return NULL;
	if (c->n_strs * 2 >= c->cap_strs) {
		size_t ncap = c->cap_strs ? c->cap_strs * 2 : 256;
		const char **n = dg_xcalloc(ncap, sizeof(*n));
		for (size_t k = 0; k < c->cap_strs; k++) {
			if (!c->strs[k])
				continue;
			for (i = hash_str(c->strs[k]) & (ncap - 1); n[i]; i = (i + 1) & (ncap - 1))
				;
			n[i] = c->strs[k];
		}
		free(c->strs);
		c->strs = n;
		c->cap_strs = ncap;
	}
	for (i = hash_str(s) & (c->cap_strs - 1); c->strs[i]; i = (i + 1) & (c->cap_strs - 1))
		if (strcmp(c->strs[i], s) == 0)
			return c->strs[i];
	len = strlen(s) + 1;
	if (!c->n_chunks || c->chunk_used + len > c->chunk_size) {
		size_t size = len > CHUNK ? len : CHUNK;
		if (c->n_chunks == c->cap_chunks) {
			c->cap_chunks = c->cap_chunks ? c->cap_chunks * 2 : 8;
			c->chunks = dg_xrealloc(c->chunks, c->cap_chunks * sizeof(*c->chunks));
		}
		c->chunks[c->n_chunks++] = dg_xmalloc(size);
		c->chunk_size = size;
		c->chunk_used = 0;
	}
	copy = c->chunks[c->n_chunks - 1] + c->chunk_used;
	memcpy(copy, s, len);
	c->chunk_used += len;
	c->strs[i] = copy;
	c->n_strs++;
	return copy;
}

/* protobuf-c gives an unqualified name's schema as "" */
static const char *schema_or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static size_t slot_of(const struct dg_catalog *c, int kind, const char *a)
{
	uint64_t h = ((uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)kind;

	return (size_t)(h ^ (h >> 29)) & (c->cap_slots - 1);
}

/* Puts entry k into the hash index, after the entries of its (kind, a) already there. */
static void index_ent(struct dg_catalog *c, size_t k)
{
	size_t i;

	for (i = slot_of(c, c->ents[k].kind, c->ents[k].a); c->slots[i];
	     i = (i + 1) & (c->cap_slots - 1))
		;
	c->slots[i] = (uint32_t)(k + 1);
}

/* Rebuilds the hash index of every entry with `cap` slots, in entry order. */
static void reindex(struct dg_catalog *c, size_t cap)
{
	if (cap != c->cap_slots) {
		free(c->slots);
		c->slots = dg_xcalloc(cap, sizeof(*c->slots));
		c->cap_slots = cap;
	} else {
		memset(c->slots, 0, cap * sizeof(*c->slots));
	}
	for (size_t k = 0; k < c->n_ents; k++)
		index_ent(c, k);
}

static struct ent *add(struct dg_catalog *c, int kind, const char *schema, const char *a,
		       const char *b)
{
	struct ent *e;

	if ((c->n_ents + 1) * 2 >= c->cap_slots)
		reindex(c, c->cap_slots ? c->cap_slots * 2 : 256);
	if (c->n_ents == c->cap_ents) {
		c->cap_ents = c->cap_ents ? c->cap_ents * 2 : 64;
		c->ents = dg_xrealloc(c->ents, c->cap_ents * sizeof(*c->ents));
	}
	e = &c->ents[c->n_ents];
	memset(e, 0, sizeof(*e));
	e->kind = (unsigned char)kind;
	e->schema = intern(c, schema_or_null(schema));
	e->a = intern(c, a);
	e->b = intern(c, b);
	if (kind == K_PART) {
		if (c->n_part_ents == c->cap_part_ents) {
			c->cap_part_ents = c->cap_part_ents ? 2 * c->cap_part_ents : 16;
			c->part_ents =
			    dg_xrealloc(c->part_ents, c->cap_part_ents * sizeof(*c->part_ents));
		}
		c->part_ents[c->n_part_ents++] = c->n_ents;
	}
	index_ent(c, c->n_ents++);
	return e;
}

static bool schema_match(const char *x, const char *y)
{
	x = schema_or_null(x);
	y = schema_or_null(y);
	return !x || !y || strcmp(x, y) == 0;
}

/* The catalog's copy of s, or NULL when it knows no such string (nor any entry naming it). */
static const char *interned(const struct dg_catalog *c, const char *s)
{
	if (!c || !c->cap_strs || !s)
		return NULL;
	for (size_t i = hash_str(s) & (c->cap_strs - 1); c->strs[i];
	     i = (i + 1) & (c->cap_strs - 1))
		if (strcmp(c->strs[i], s) == 0)
			return c->strs[i];
	return NULL;
}

/* Visits the live entries of `kind` whose a is `a` (any string equal to it) and whose schema
 * matches; `b` NULL matches any b. Stops when fn returns true. */
static struct ent *find(const struct dg_catalog *c, int kind, const char *schema, const char *a,
			const char *b, size_t skip)
{
	const char *ia;

	if (!c || !c->cap_slots || !(ia = interned(c, a)))
		return NULL;
	for (size_t i = slot_of(c, kind, ia); c->slots[i]; i = (i + 1) & (c->cap_slots - 1)) {
		struct ent *e = &c->ents[c->slots[i] - 1];
		if (e->dead || e->kind != kind || e->a != ia || !schema_match(e->schema, schema))
			continue;
		if (b && (!e->b || strcmp(e->b, b) != 0))
			continue;
		if (skip-- == 0)
			return e;
	}
	return NULL;
}

static void kill(struct dg_catalog *c, int kind, const char *schema, const char *a, const char *b)
{
	struct ent *e;

	while ((e = find(c, kind, schema, a, b, 0)))
		e->dead = true;
}

static void forget_table(struct dg_catalog *c, const char *schema, const char *table)
{
	kill(c, K_TABLE, schema, table, NULL);
	kill(c, K_COLUMN, schema, table, NULL);
	kill(c, K_FK, schema, table, NULL);
	kill(c, K_PART, schema, table, NULL);
	kill(c, K_CHECK, schema, table, NULL);
	kill(c, K_NNCHECK, schema, table, NULL);
	kill(c, K_MVREAD, schema, table, NULL);
	kill(c, K_REFBY, schema, table, NULL);
	table = interned(c, table);
	for (size_t i = 0; table && i < c->n_ents; i++) {
		struct ent *e = &c->ents[i];
		if (e->dead || e->b != table)
			continue;
		if (e->kind == K_REFBY || e->kind == K_FK) {
			/* its own foreign keys, and (CASCADE) those that referenced it */
			e->dead = true;
		} else if (e->kind == K_INDEX && schema_match(e->schema, schema)) {
			e->dead = true;
		} else if (e->kind == K_PART) {
			/* its partitions go with it */
			e->dead = true;
			forget_table(c, e->schema, e->a);
		}
	}
}

/* ---- public and internal API -------------------------------------------------------------- */

struct dg_catalog *dg_catalog_new(void)
{
	return dg_xcalloc(1, sizeof(struct dg_catalog));
}

static void clear(struct dg_catalog *c)
{
	if (c->aux_free)
		c->aux_free(c->aux);
	for (size_t i = 0; i < c->n_chunks; i++)
		free(c->chunks[i]);
	free(c->chunks);
	free(c->strs);
	free(c->ents);
	free(c->slots);
	free(c->part_ents);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}

void dg_catalog_free(struct dg_catalog *cat)
{
	if (!cat)
		return;
	clear(cat);
	free(cat);
}

void dg_catalog_reset(struct dg_catalog *cat)
{
	if (cat)
		clear(cat);
}

static bool enter(struct dg_catalog *cat, const char *key, size_t klen)
{
	if (cat->dir && strlen(cat->dir) == klen && strncmp(cat->dir, key, klen) == 0)
		return false;
	clear(cat);
	cat->dir = dg_xmalloc(klen + 1);
	memcpy(cat->dir, key, klen);
	cat->dir[klen] = '\0';
	return true;
}

void dg_catalog_enter(struct dg_catalog *cat, const char *path)
{
	const char *slash = strrchr(path, '/');

	enter(cat, path, slash ? (size_t)(slash - path) : 0);
}

bool dg_catalog_enter_root(struct dg_catalog *cat, const char *key)
{
	return enter(cat, key, strlen(key));
}

const char *dg_catalog_root(const struct dg_catalog *cat)
{
	return cat ? cat->dir : NULL;
}

void *dg_catalog_aux(const struct dg_catalog *cat)
{
	return cat->aux;
}

void dg_catalog_set_aux(struct dg_catalog *cat, void *aux, void (*aux_free)(void *))
{
	if (cat->aux_free && cat->aux != aux)
		cat->aux_free(cat->aux);
	cat->aux = aux;
	cat->aux_free = aux_free;
}

bool dg_catalog_coltype(const struct dg_catalog *cat, const char *schema, const char *table,
			const char *column, struct dg_type_desc *out)
{
	const struct ent *e = find(cat, K_COLUMN, schema, table, column, 0), *other;

	if (!e)
		return false;
	/* the same name in two schemas with different types: we cannot tell which one */
	for (size_t k = 1; (other = find(cat, K_COLUMN, schema, table, column, k)); k++)
		if (memcmp(&other->type.mods, &e->type.mods, sizeof(e->type.mods)) != 0 ||
		    other->type.n_mods != e->type.n_mods || other->type.name != e->type.name ||
		    other->type.array != e->type.array ||
		    other->type.mods_unknown != e->type.mods_unknown)
			return false;
	*out = e->type;
	return true;
}

const char *dg_catalog_index_table(const struct dg_catalog *cat, const char *schema,
				   const char *name)
{
	const struct ent *e = find(cat, K_INDEX, schema, name, NULL, 0);

	/* two indexes of that name in different schemas: unknown */
	if (!e || find(cat, K_INDEX, schema, name, NULL, 1))
		return NULL;
	return e->b;
}

bool dg_catalog_column_type(const struct dg_catalog *cat, const char *schema, const char *table,
			    const char *column, char *buf, size_t size)
{
	struct dg_type_desc t;
	int n;

	if (!dg_catalog_coltype(cat, schema, table, column, &t) || !size)
		return false;
	if (t.n_mods == 2)
		n = snprintf(buf, size, "%s(%d,%d)", t.name, t.mods[0], t.mods[1]);
	else if (t.n_mods == 1)
		n = snprintf(buf, size, "%s(%d)", t.name, t.mods[0]);
	else
		n = snprintf(buf, size, "%s", t.name);
	if (t.array && n >= 0 && (size_t)n + 2 < size)
		strcat(buf, "[]");
	return true;
}

const char *dg_catalog_referenced_at(const struct dg_catalog *cat, const char *schema,
				     const char *table, size_t i)
{
	const struct ent *e = find(cat, K_FK, schema, table, NULL, i);

	return e ? e->b : NULL;
}

const char *dg_catalog_parent_of(const struct dg_catalog *cat, const char *schema,
				 const char *table)
{
	const struct ent *e = find(cat, K_PART, schema, table, NULL, 0);

	return e ? e->b : NULL;
}

const char *dg_catalog_partition_at(const struct dg_catalog *cat, const char *schema,
				    const char *parent, size_t i, const char **part_schema)
{
	/* the parent is kept by name only: its schema is not compared */
	(void)schema;
	parent = interned(cat, parent);
	for (size_t k = 0; parent && k < cat->n_part_ents; k++) {
		const struct ent *e = &cat->ents[cat->part_ents[k]];
		if (e->dead || e->b != parent || i-- > 0)
			continue;
		*part_schema = e->schema;
		return e->a;
	}
	return NULL;
}

/* ---- absorbing a file --------------------------------------------------------------------- */

static void set_column(struct dg_catalog *c, const struct dg_effect *x)
{
	static const char *const serials[][2] = {
	    {"serial", "int4"},	 {"serial4", "int4"},	  {"bigserial", "int8"},
	    {"serial8", "int8"}, {"smallserial", "int2"}, {"serial2", "int2"},
	};
	struct dg_type_desc t;
	struct ent *e;

	if (!x->name || !x->col)
		return;
	kill(c, K_COLUMN, x->schema, x->name, x->col);
	if (!x->type)
		return;
	dg_type_describe(x->type, &t);
	for (size_t i = 0; i < sizeof(serials) / sizeof(serials[0]); i++)
		if (strcmp(t.name, serials[i][0]) == 0)
			t.name = serials[i][1];
	e = add(c, K_COLUMN, x->schema, x->name, x->col);
	e->type = t;
	e->type.name = intern(c, t.name);
}

/* DROP CONSTRAINT name (col NULL) or DROP COLUMN col: the foreign keys that may go with it are
 * forgotten, on both sides (an unnamed one may be the constraint: unknown is never wrong). */
static bool fk_goes(const struct ent *e, const char *conname, const char *col)
{
	return col ? !e->fk_col || strcmp(e->fk_col, col) == 0
		   : !e->fk_name || !conname || strcmp(e->fk_name, conname) == 0;
}

static void drop_fks(struct dg_catalog *c, const char *schema, const char *table,
		     const char *conname, const char *col)
{
	struct ent *e;

	for (size_t k = 0; (e = find(c, K_FK, schema, table, NULL, k));) {
		if (!fk_goes(e, conname, col)) {
			k++;
			continue;
		}
		const char *ref = e->b;
		struct ent *back;
		e->dead = true; /* find skips dead entries: the next one is now the k-th */
		for (size_t r = 0; (back = find(c, K_REFBY, NULL, ref, table, r)); r++)
			if (fk_goes(back, conname, col)) {
				back->dead = true;
				break;
			}
	}
}

/* CHECK constraints of the table named `conname` (NULL: every one, for DROP COLUMN of col) */
static void drop_checks(struct dg_catalog *c, const char *schema, const char *table,
			const char *conname, const char *col)
{
	for (size_t i = 0; i < c->n_ents; i++) {
		struct ent *e = &c->ents[i];
		if (e->dead || (e->kind != K_CHECK && e->kind != K_NNCHECK) ||
		    strcmp(e->a, table) != 0 || !schema_match(e->schema, schema))
			continue;
		if (conname ? !e->fk_name || strcmp(e->fk_name, conname) == 0
			    : e->kind == K_NNCHECK && col && e->b && strcmp(e->b, col) == 0)
			e->dead = true;
	}
}

static void validate(struct dg_catalog *c, const char *schema, const char *table,
		     const char *conname)
{
	for (size_t i = 0; conname && i < c->n_ents; i++) {
		struct ent *e = &c->ents[i];
		if (!e->dead && (e->kind == K_CHECK || e->kind == K_NNCHECK) && e->fk_name &&
		    strcmp(e->fk_name, conname) == 0 && strcmp(e->a, table) == 0 &&
		    schema_match(e->schema, schema))
			e->valid = true;
	}
}

static void add_constraint(struct dg_catalog *c, const struct dg_effect *x)
{
	struct ent *e;

	if (x->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN && x->ref_name) {
		e = add(c, K_FK, x->schema, x->name, x->ref_name);
		e->fk_col = intern(c, x->ref_col);
		e->fk_name = intern(c, x->name2);
		e = add(c, K_REFBY, x->ref_schema, x->ref_name, x->name);
		e->fk_col = intern(c, x->ref_col);
		e->fk_name = intern(c, x->name2);
	} else if (x->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK) {
		e = add(c, K_CHECK, x->schema, x->name, NULL);
		e->fk_name = intern(c, x->name2);
		e->valid = x->valid;
	}
}

struct mv_reads {
	struct dg_catalog *c;
	const struct dg_effect *x;
};

static enum dg_pb_next visit_mv_read(const ProtobufCMessage *m, void *arg)
{
	const struct mv_reads *w = arg;
	const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;

	if (m->descriptor != &pg_query__range_var__descriptor)
		return DG_PB_DESCEND;
	if (rv->relname && *rv->relname)
		add(w->c, K_MVREAD, w->x->schema, w->x->name, rv->relname);
	return DG_PB_SKIP;
}

/* Entries are hashed on (kind, a): one whose a changes is added again under the new name. */
static void move_entry(struct dg_catalog *c, size_t i, const char *schema, const char *a)
{
	struct ent old = c->ents[i], *e;

	c->ents[i].dead = true;
	e = add(c, old.kind, schema, a, NULL);
	e->b = old.b;
	e->fk_col = old.fk_col;
	e->fk_name = old.fk_name;
	e->valid = old.valid;
	e->is_default = old.is_default;
	e->type = old.type;
}

static bool same(const char *interned, const char *s)
{
	return interned && s && strcmp(interned, s) == 0;
}

/* ALTER TABLE schema.old RENAME TO new, ALTER TABLE schema.old SET SCHEMA to_schema: the
 * relation keeps its columns, types, indexes, keys, checks and partitions under its new name.
 * What the other tables know of it (their foreign keys, its partitions' parent) follows. */
static void move_table(struct dg_catalog *c, const char *schema, const char *old, const char *to,
		       const char *to_schema)
{
	size_t n = c->n_ents;
	const char *ito, *ischema;

	if (!old || !to)
		return;
	if (!find(c, K_TABLE, schema, old, NULL, 0) && find(c, K_INDEX, schema, old, NULL, 0) &&
	    !to_schema) {
		/* ALTER TABLE also renames an index */
		const char *table = dg_catalog_index_table(c, schema, old);
		kill(c, K_INDEX, schema, old, NULL);
		kill(c, K_INDEX, schema, to, NULL);
		if (table)
			add(c, K_INDEX, schema, to, table);
		return;
	}
	if (!to_schema)
		forget_table(c, schema, to);
	n = c->n_ents;
	ito = intern(c, to);
	ischema = intern(c, schema_or_null(to_schema ? to_schema : schema));
	for (size_t i = 0; i < n; i++) {
		struct ent *e = &c->ents[i];
		bool mine;

		if (e->dead)
			continue;
		mine = schema_match(e->schema, schema);
		/* the second name: an index's table, a key's other table, a partition's parent */
		if (same(e->b, old) && e->kind != K_COLUMN && e->kind != K_NNCHECK &&
		    (e->kind != K_INDEX || mine))
			e->b = ito;
		if (e->kind == K_INDEX && to_schema && same(e->b, to) && mine)
			e->schema = ischema; /* its indexes move along */
		if (!same(e->a, old) || !mine || e->kind == K_INDEX)
			continue;
		if (to_schema)
			e->schema =
			    ischema; /* a is unchanged: the entry stays where it is hashed */
		else
			move_entry(c, i, e->schema, ito);
	}
}

/* ALTER TABLE t RENAME COLUMN old TO new: its type, NOT NULL checks and foreign keys follow. */
static void rename_column(struct dg_catalog *c, const char *schema, const char *table,
			  const char *old, const char *to)
{
	const char *ito;

	if (!table || !old || !to)
		return;
	kill(c, K_COLUMN, schema, table, to);
	ito = intern(c, to);
	for (size_t i = 0; i < c->n_ents; i++) {
		struct ent *e = &c->ents[i];
		if (e->dead || !schema_match(e->schema, schema))
			continue;
		if ((e->kind == K_COLUMN || e->kind == K_NNCHECK) && same(e->a, table) &&
		    same(e->b, old))
			e->b = ito; /* b is not hashed: changed in place */
		else if (e->kind == K_FK && same(e->a, table) && same(e->fk_col, old))
			e->fk_col = ito;
		else if (e->kind == K_REFBY && same(e->b, table) && same(e->fk_col, old))
			e->fk_col = ito;
	}
}

static void absorb(struct dg_catalog *c, const struct dg_effect *x)
{
	const char *old;

	switch (x->kind) {
	case DG_EFF_CREATE:
		if (x->obj != DG_OBJ_TABLE && x->obj != DG_OBJ_MATVIEW)
			break;
		forget_table(c, x->schema, x->name);
		add(c, K_TABLE, x->schema, x->name, NULL);
		if (x->obj == DG_OBJ_MATVIEW && x->value) {
			struct mv_reads w = {c, x};
			dg_pb_walk(&x->value->base, visit_mv_read, &w);
		}
		break;
	case DG_EFF_DROP:
		if (x->obj == DG_OBJ_TABLE || x->obj == DG_OBJ_MATVIEW)
			forget_table(c, x->schema, x->name);
		break;
	case DG_EFF_RENAME:
		if (x->obj == DG_OBJ_TABLE || x->obj == DG_OBJ_MATVIEW ||
		    x->obj == DG_OBJ_FOREIGN_TABLE)
			move_table(c, x->schema, x->name, x->name2, NULL);
		else
			forget_table(c, x->schema, x->name2);
		break;
	case DG_EFF_SET_SCHEMA:
		if (x->obj == DG_OBJ_TABLE || x->obj == DG_OBJ_MATVIEW ||
		    x->obj == DG_OBJ_FOREIGN_TABLE)
			move_table(c, x->schema, x->name, x->name, x->schema2);
		break;
	case DG_EFF_ADD_COLUMN:
	case DG_EFF_SET_TYPE:
		if (x->obj != DG_OBJ_TABLE)
			break;
		if (x->kind == DG_EFF_ADD_COLUMN && x->if_not_exists &&
		    find(c, K_COLUMN, x->schema, x->name, x->col, 0))
			break;
		set_column(c, x);
		break;
	case DG_EFF_DROP_COLUMN:
		kill(c, K_COLUMN, x->schema, x->name, x->col);
		drop_fks(c, x->schema, x->name, NULL, x->col);
		drop_checks(c, x->schema, x->name, NULL, x->col);
		break;
	case DG_EFF_RENAME_COLUMN:
		rename_column(c, x->schema, x->name, x->col, x->name2);
		break;
	case DG_EFF_ADD_CONSTRAINT:
		if (x->obj == DG_OBJ_TABLE)
			add_constraint(c, x);
		break;
	case DG_EFF_CHECK_NOT_NULL:
		if (x->obj == DG_OBJ_TABLE) {
			struct ent *e = add(c, K_NNCHECK, x->schema, x->name, x->col);
			e->fk_name = intern(c, x->name2);
			e->valid = x->valid;
		}
		break;
	case DG_EFF_VALIDATE:
		validate(c, x->schema, x->name, x->name2);
		break;
	case DG_EFF_DROP_CONSTRAINT:
		drop_fks(c, x->schema, x->name, x->name2, NULL);
		drop_checks(c, x->schema, x->name, x->name2, NULL);
		break;
	case DG_EFF_CREATE_INDEX:
		if (x->obj != DG_OBJ_TABLE || !x->name2 || !x->name)
			break;
		if (x->if_not_exists && find(c, K_INDEX, x->schema, x->name2, NULL, 0))
			break;
		kill(c, K_INDEX, x->schema, x->name2, NULL);
		add(c, K_INDEX, x->schema, x->name2, x->name);
		break;
	case DG_EFF_DROP_INDEX:
		kill(c, K_INDEX, x->schema, x->name2, NULL);
		break;
	case DG_EFF_RENAME_INDEX:
		old = dg_catalog_index_table(c, x->schema, x->name2);
		if (!old && x->name)
			old = x->name;
		kill(c, K_INDEX, x->schema, x->name2, NULL);
		if (old && x->col) {
			const char *table = intern(c, old);
			kill(c, K_INDEX, x->schema, x->col, NULL);
			add(c, K_INDEX, x->schema, x->col, table);
		}
		break;
	case DG_EFF_ATTACH_PARTITION:
		kill(c, K_PART, x->schema2, x->name2, NULL);
		add(c, K_PART, x->schema2, x->name2, x->name)->is_default = x->is_default;
		break;
	case DG_EFF_DETACH_PARTITION:
		kill(c, K_PART, x->schema2, x->name2, NULL);
		break;
	default:
		break;
	}
}

/* Drops the dead entries once they are most of the catalog (checked each time the catalog has
 * doubled since the last count): a table dropped and made again, a long history of ALTERs, left
 * dead entries that every scan and probe chain went through, so absorbing grew with the whole
 * history instead of what is alive. Live entries keep their order, and so do probe chains. */
static void compact(struct dg_catalog *c)
{
	size_t live = 0;

	if (c->n_ents < 1024 || c->n_ents < 2 * c->n_checked)
		return;
	for (size_t k = 0; k < c->n_ents; k++)
		live += !c->ents[k].dead;
	c->n_checked = live;
	if (live * 2 > c->n_ents)
		return;
	c->n_part_ents = 0;
	for (size_t k = 0, n = 0; k < c->n_ents; k++) {
		if (c->ents[k].dead)
			continue;
		if (c->ents[k].kind == K_PART)
			c->part_ents[c->n_part_ents++] = n; /* fewer than before: no room needed */
		c->ents[n++] = c->ents[k];
	}
	c->n_ents = live;
	reindex(c, c->cap_slots);
}

void dg_catalog_absorb(struct dg_catalog *c, const struct dg_parsed *p, const struct dg_facts *f)
{
	size_t skip = SIZE_MAX; /* a CREATE … IF NOT EXISTS that did nothing */

	(void)p;
	for (size_t i = 0; i < f->effs.n; i++) {
		const struct dg_effect *x = &f->effs.v[i];

		compact(c); /* between effects: no entry is held */
		if (x->dir == DG_DIR_DOWN || x->temp)
			continue;
		if (x->stmt == skip && x->with_create)
			continue;
		if (x->kind == DG_EFF_CREATE && x->if_not_exists && x->obj == DG_OBJ_TABLE &&
		    find(c, K_TABLE, x->schema, x->name, NULL, 0)) {
			skip = x->stmt;
			continue;
		}
		absorb(c, x);
	}
}

/* ---- questions for the lock model ---------------------------------------------------------- */

const char *dg_catalog_fk_target(const struct dg_catalog *cat, const char *schema,
				 const char *table, const char *conname)
{
	const struct ent *e;

	for (size_t k = 0; conname && (e = find(cat, K_FK, schema, table, NULL, k)); k++)
		if (e->fk_name && strcmp(e->fk_name, conname) == 0)
			return e->b;
	return NULL;
}

const char *dg_catalog_referencing_at(const struct dg_catalog *cat, const char *schema,
				      const char *table, size_t i)
{
	const struct ent *e = find(cat, K_REFBY, schema, table, NULL, i);

	return e ? e->b : NULL;
}

const char *dg_catalog_index_at(const struct dg_catalog *cat, const char *schema, const char *table,
				size_t i)
{
	for (size_t k = 0; cat && table && k < cat->n_ents; k++) {
		const struct ent *e = &cat->ents[k];
		if (e->kind != K_INDEX || e->dead || !e->b || strcmp(e->b, table) != 0 ||
		    !schema_match(e->schema, schema) || i-- > 0)
			continue;
		return e->a;
	}
	return NULL;
}

const char *dg_catalog_default_partition(const struct dg_catalog *cat, const char *schema,
					 const char *parent, const char **part_schema)
{
	(void)schema;
	parent = interned(cat, parent);
	for (size_t k = 0; parent && k < cat->n_part_ents; k++) {
		const struct ent *e = &cat->ents[cat->part_ents[k]];
		if (!e->dead && e->is_default && e->b == parent) {
			*part_schema = e->schema;
			return e->a;
		}
	}
	return NULL;
}

bool dg_catalog_has_table(const struct dg_catalog *cat, const char *schema, const char *table)
{
	return find(cat, K_TABLE, schema, table, NULL, 0) != NULL;
}

bool dg_catalog_not_null_check(const struct dg_catalog *cat, const char *schema, const char *table,
			       const char *column)
{
	const struct ent *e;

	for (size_t k = 0; column && (e = find(cat, K_NNCHECK, schema, table, column, k)); k++)
		if (e->valid)
			return true;
	return false;
}

bool dg_catalog_valid_check(const struct dg_catalog *cat, const char *schema, const char *table)
{
	const struct ent *e;

	for (size_t k = 0; (e = find(cat, K_CHECK, schema, table, NULL, k)); k++)
		if (e->valid)
			return true;
	return false;
}

const char *dg_catalog_matview_read_at(const struct dg_catalog *cat, const char *schema,
				       const char *matview, size_t i)
{
	const struct ent *e = find(cat, K_MVREAD, schema, matview, NULL, i);

	return e ? e->b : NULL;
}
