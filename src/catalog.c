/* catalog.c — schema memory across the files of one migration directory (see catalog.h).
 *
 * Every fact is an entry (kind, schema, a, b[, type]) of interned strings, kept in one array and
 * found through an open-addressing table hashed on (kind, a): all columns of a table, all
 * foreign keys of a table, share a probe chain. Entries are never removed one by one, only
 * marked dead; the whole catalog is dropped when the directory changes. */
#include "catalog.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

enum kind { K_TABLE = 1, K_COLUMN, K_INDEX, K_FK, K_PART };

struct ent {
	unsigned char kind;
	bool dead;
	const char *schema;	      /* NULL when unqualified */
	const char *a;		      /* table (index for K_INDEX) */
	const char *b;		      /* column, indexed table, referenced table, parent; or NULL */
	const char *fk_col, *fk_name; /* K_FK: its first column, its name (NULL if unnamed) */
	struct dg_type_desc type;
};

struct dg_catalog {
	char *dir; /* the directory of the files absorbed, or NULL before the first */
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
	size_t n_parts; /* K_PART entries ever added (dead or alive) */
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

static struct ent *add(struct dg_catalog *c, int kind, const char *schema, const char *a,
		       const char *b)
{
	struct ent *e;
	size_t i;

	if ((c->n_ents + 1) * 2 >= c->cap_slots) {
		size_t ncap = c->cap_slots ? c->cap_slots * 2 : 256;
		free(c->slots);
		c->slots = dg_xcalloc(ncap, sizeof(*c->slots));
		c->cap_slots = ncap;
		for (size_t k = 0; k < c->n_ents; k++) {
			for (i = slot_of(c, c->ents[k].kind, c->ents[k].a); c->slots[i];
			     i = (i + 1) & (c->cap_slots - 1))
				;
			c->slots[i] = (uint32_t)(k + 1);
		}
	}
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
	for (i = slot_of(c, kind, e->a); c->slots[i]; i = (i + 1) & (c->cap_slots - 1))
		;
	c->slots[i] = (uint32_t)(++c->n_ents);
	if (kind == K_PART)
		c->n_parts++;
	return e;
}

static bool schema_match(const char *x, const char *y)
{
	x = schema_or_null(x);
	y = schema_or_null(y);
	return !x || !y || strcmp(x, y) == 0;
}

/* Visits the live entries of `kind` whose a is `a` (any string equal to it) and whose schema
 * matches; `b` NULL matches any b. Stops when fn returns true. */
static struct ent *find(const struct dg_catalog *c, int kind, const char *schema, const char *a,
			const char *b, size_t skip)
{
	const char *ia;

	if (!c || !c->cap_slots || !a)
		return NULL;
	/* the string is interned if the catalog knows it at all */
	ia = NULL;
	for (size_t i = hash_str(a) & (c->cap_strs - 1); c->strs[i];
	     i = (i + 1) & (c->cap_strs - 1))
		if (strcmp(c->strs[i], a) == 0) {
			ia = c->strs[i];
			break;
		}
	if (!ia)
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
	for (size_t i = 0; i < c->n_ents; i++) {
		struct ent *e = &c->ents[i];
		if (e->dead || !e->b || strcmp(e->b, table) != 0)
			continue;
		if (e->kind == K_INDEX && schema_match(e->schema, schema)) {
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
	for (size_t i = 0; i < c->n_chunks; i++)
		free(c->chunks[i]);
	free(c->chunks);
	free(c->strs);
	free(c->ents);
	free(c->slots);
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

void dg_catalog_enter(struct dg_catalog *cat, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;

	if (cat->dir && strlen(cat->dir) == dlen && strncmp(cat->dir, path, dlen) == 0)
		return;
	clear(cat);
	cat->dir = dg_xmalloc(dlen + 1);
	memcpy(cat->dir, path, dlen);
	cat->dir[dlen] = '\0';
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

bool dg_catalog_has_partitions(const struct dg_catalog *cat)
{
	return cat && cat->n_parts > 0;
}

const char *dg_catalog_partition_at(const struct dg_catalog *cat, const char *schema,
				    const char *parent, size_t i, const char **part_schema)
{
	/* the parent is kept by name only: its schema is not compared */
	(void)schema;
	for (size_t k = 0; cat && parent && k < cat->n_ents; k++) {
		const struct ent *e = &cat->ents[k];
		if (e->kind != K_PART || e->dead || strcmp(e->b, parent) != 0 || i-- > 0)
			continue;
		*part_schema = e->schema;
		return e->a;
	}
	return NULL;
}

/* ---- absorbing a file --------------------------------------------------------------------- */

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

static void set_column(struct dg_catalog *c, const PgQuery__RangeVar *rel, const char *col,
		       const PgQuery__TypeName *tn)
{
	static const char *const serials[][2] = {
	    {"serial", "int4"},	 {"serial4", "int4"},	  {"bigserial", "int8"},
	    {"serial8", "int8"}, {"smallserial", "int2"}, {"serial2", "int2"},
	};
	struct dg_type_desc t;
	struct ent *e;

	if (!rel || !rel->relname || !col)
		return;
	kill(c, K_COLUMN, rel->schemaname, rel->relname, col);
	if (!tn)
		return;
	dg_type_describe(tn, &t);
	for (size_t i = 0; i < sizeof(serials) / sizeof(serials[0]); i++)
		if (strcmp(t.name, serials[i][0]) == 0)
			t.name = serials[i][1];
	e = add(c, K_COLUMN, rel->schemaname, rel->relname, col);
	e->type = t;
	e->type.name = intern(c, t.name);
}

/* `column`: the column a column constraint belongs to, else NULL */
static void add_fk(struct dg_catalog *c, const PgQuery__RangeVar *rel, const PgQuery__Node *n,
		   const char *column)
{
	const PgQuery__Constraint *k;
	struct ent *e;

	if (!n || n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
		return;
	k = n->constraint;
	if (k->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN || !k->pktable ||
	    !k->pktable->relname || !*k->pktable->relname)
		return;
	e = add(c, K_FK, rel->schemaname, rel->relname, k->pktable->relname);
	e->fk_col = intern(c, k->n_fk_attrs ? dg_node_string(k->fk_attrs[0]) : column);
	e->fk_name = intern(c, k->conname && *k->conname ? k->conname : NULL);
}

/* ALTER TABLE … DROP CONSTRAINT name (col NULL) or DROP COLUMN col: the foreign keys that may go
 * with it are forgotten (an unnamed one may be the constraint: unknown is never wrong). */
static void drop_fks(struct dg_catalog *c, const PgQuery__RangeVar *rel, const char *conname,
		     const char *col)
{
	struct ent *e;

	for (size_t k = 0; (e = find(c, K_FK, rel->schemaname, rel->relname, NULL, k));)
		if (col ? !e->fk_col || strcmp(e->fk_col, col) == 0
			: !e->fk_name || !conname || strcmp(e->fk_name, conname) == 0)
			e->dead = true; /* find skips dead entries: the next one is now the k-th */
		else
			k++;
}

static void add_column_def(struct dg_catalog *c, const PgQuery__RangeVar *rel,
			   const PgQuery__ColumnDef *def)
{
	set_column(c, rel, def->colname, def->type_name);
	for (size_t k = 0; k < def->n_constraints; k++)
		add_fk(c, rel, def->constraints[k], def->colname);
}

static void absorb_create(struct dg_catalog *c, const PgQuery__CreateStmt *cs)
{
	const PgQuery__RangeVar *rel = cs->relation;

	if (!rel || !rel->relname || rel->relpersistence[0] == 't')
		return;
	if (cs->if_not_exists && find(c, K_TABLE, rel->schemaname, rel->relname, NULL, 0))
		return; /* it existed: the statement did nothing */
	forget_table(c, rel->schemaname, rel->relname);
	add(c, K_TABLE, rel->schemaname, rel->relname, NULL);
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *e = cs->table_elts[i];
		if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			add_column_def(c, rel, e->column_def);
		else
			add_fk(c, rel, e, NULL);
	}
	if (cs->partbound && cs->n_inh_relations == 1 &&
	    cs->inh_relations[0]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
		add(c, K_PART, rel->schemaname, rel->relname,
		    cs->inh_relations[0]->range_var->relname);
}

static void absorb_alter(struct dg_catalog *c, const PgQuery__AlterTableStmt *at)
{
	const PgQuery__RangeVar *rel = at->relation;

	if (!rel || !rel->relname || at->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return;
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd;
		const PgQuery__Node *def;

		if (at->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		cmd = at->cmds[i]->alter_table_cmd;
		def = cmd->def;
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
			    !(cmd->missing_ok && find(c, K_COLUMN, rel->schemaname, rel->relname,
						      def->column_def->colname, 0)))
				add_column_def(c, rel, def->column_def);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			set_column(c, rel, cmd->name,
				   def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF
				       ? def->column_def->type_name
				       : NULL);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
			kill(c, K_COLUMN, rel->schemaname, rel->relname, cmd->name);
			drop_fks(c, rel, NULL, cmd->name);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
			drop_fks(c, rel, cmd->name, NULL);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			add_fk(c, rel, def, NULL);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
			if (def && def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
			    def->partition_cmd->name && def->partition_cmd->name->relname) {
				const PgQuery__RangeVar *part = def->partition_cmd->name;
				kill(c, K_PART, part->schemaname, part->relname, NULL);
				add(c, K_PART, part->schemaname, part->relname, rel->relname);
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
			if (def && def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
			    def->partition_cmd->name && def->partition_cmd->name->relname)
				kill(c, K_PART, def->partition_cmd->name->schemaname,
				     def->partition_cmd->name->relname, NULL);
			break;
		default:
			break;
		}
	}
}

/* schema and name of a qualified name list (String nodes) */
static bool split_name(const PgQuery__Node *obj, const char **schema, const char **name)
{
	const PgQuery__List *l;

	if (!obj || obj->node_case != PG_QUERY__NODE__NODE_LIST)
		return false;
	l = obj->list;
	if (!l->n_items || l->n_items > 3)
		return false;
	*name = dg_node_string(l->items[l->n_items - 1]);
	*schema = l->n_items > 1 ? dg_node_string(l->items[l->n_items - 2]) : NULL;
	return *name != NULL;
}

static void absorb_drop(struct dg_catalog *c, const PgQuery__DropStmt *d)
{
	for (size_t i = 0; i < d->n_objects; i++) {
		const char *schema, *name;

		if (!split_name(d->objects[i], &schema, &name))
			continue;
		if (d->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
			forget_table(c, schema, name);
		else if (d->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX)
			kill(c, K_INDEX, schema, name, NULL);
	}
}

static void absorb_rename(struct dg_catalog *c, const PgQuery__RenameStmt *r)
{
	/* what was known under the old name is forgotten rather than carried over: unknown is
	 * never wrong */
	const PgQuery__RangeVar *rel = r->relation;

	if (!rel || !rel->relname)
		return;
	switch (r->rename_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		forget_table(c, rel->schemaname, rel->relname);
		if (r->newname)
			forget_table(c, rel->schemaname, r->newname);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		kill(c, K_COLUMN, rel->schemaname, rel->relname, r->subname);
		if (r->newname)
			kill(c, K_COLUMN, rel->schemaname, rel->relname, r->newname);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		kill(c, K_INDEX, rel->schemaname, rel->relname, NULL);
		break;
	default:
		break;
	}
}

void dg_catalog_absorb(struct dg_catalog *c, const struct dg_parsed *p, const struct dg_facts *f)
{
	size_t k = 0;

	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;

		if (p->stmts[i].section && p->stmts[i].section->dir == DG_DIR_DOWN)
			continue;
		switch (n->node_case) {
		case PG_QUERY__NODE__NODE_CREATE_STMT:
			absorb_create(c, n->create_stmt);
			break;
		case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
			absorb_alter(c, n->alter_table_stmt);
			break;
		case PG_QUERY__NODE__NODE_DROP_STMT:
			absorb_drop(c, n->drop_stmt);
			break;
		case PG_QUERY__NODE__NODE_RENAME_STMT:
			absorb_rename(c, n->rename_stmt);
			break;
		default:
			break;
		}
		/* indexes this statement created, under the names PostgreSQL gives them */
		for (; k < f->n_indexes && f->indexes[k].stmt <= i; k++) {
			const struct dg_created_index *x = &f->indexes[k];
			if (x->dir == DG_DIR_DOWN || !x->name || !x->table)
				continue;
			kill(c, K_INDEX, x->schema, x->name, NULL);
			add(c, K_INDEX, x->schema, x->name, x->table);
		}
	}
}
