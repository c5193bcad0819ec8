/* locks.c — the lock model as data: which relations a statement touches, the lock mode on each,
 * rewrite and scan, per PostgreSQL version. Every claim here is checked against a real server by
 * tests/pg/test_pg_locks.c; when they disagree, the server is right. Sources: the "Explicit
 * Locking" chapter, the ALTER TABLE page and AlterTableGetLockLevel() in tablecmds.c. */
#include "locks.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "ddlguard/ddlguard.h"
#include "facts.h"
#include "parse.h"

#define AEL DG_LOCK_ACCESS_EXCLUSIVE
#define SUE DG_LOCK_SHARE_UPDATE_EXCLUSIVE
#define SRE DG_LOCK_SHARE_ROW_EXCLUSIVE

/* ---- lock modes ---------------------------------------------------------------------------- */

#define B(m) (1u << (m))
/* The conflict table of the "Explicit Locking" chapter: conflicts[m] = modes m waits for. */
static const unsigned conflicts[] = {
    [DG_LOCK_NONE] = 0,
    [DG_LOCK_ACCESS_SHARE] = B(DG_LOCK_ACCESS_EXCLUSIVE),
    [DG_LOCK_ROW_SHARE] = B(DG_LOCK_EXCLUSIVE) | B(DG_LOCK_ACCESS_EXCLUSIVE),
    [DG_LOCK_ROW_EXCLUSIVE] = B(DG_LOCK_SHARE) | B(DG_LOCK_SHARE_ROW_EXCLUSIVE) |
			      B(DG_LOCK_EXCLUSIVE) | B(DG_LOCK_ACCESS_EXCLUSIVE),
    [DG_LOCK_SHARE_UPDATE_EXCLUSIVE] = B(DG_LOCK_SHARE_UPDATE_EXCLUSIVE) | B(DG_LOCK_SHARE) |
				       B(DG_LOCK_SHARE_ROW_EXCLUSIVE) | B(DG_LOCK_EXCLUSIVE) |
				       B(DG_LOCK_ACCESS_EXCLUSIVE),
    [DG_LOCK_SHARE] = B(DG_LOCK_ROW_EXCLUSIVE) | B(DG_LOCK_SHARE_UPDATE_EXCLUSIVE) |
		      B(DG_LOCK_SHARE_ROW_EXCLUSIVE) | B(DG_LOCK_EXCLUSIVE) |
		      B(DG_LOCK_ACCESS_EXCLUSIVE),
    [DG_LOCK_SHARE_ROW_EXCLUSIVE] = B(DG_LOCK_ROW_EXCLUSIVE) | B(DG_LOCK_SHARE_UPDATE_EXCLUSIVE) |
				    B(DG_LOCK_SHARE) | B(DG_LOCK_SHARE_ROW_EXCLUSIVE) |
				    B(DG_LOCK_EXCLUSIVE) | B(DG_LOCK_ACCESS_EXCLUSIVE),
    [DG_LOCK_EXCLUSIVE] = B(DG_LOCK_ROW_SHARE) | B(DG_LOCK_ROW_EXCLUSIVE) |
			  B(DG_LOCK_SHARE_UPDATE_EXCLUSIVE) | B(DG_LOCK_SHARE) |
			  B(DG_LOCK_SHARE_ROW_EXCLUSIVE) | B(DG_LOCK_EXCLUSIVE) |
			  B(DG_LOCK_ACCESS_EXCLUSIVE),
    [DG_LOCK_ACCESS_EXCLUSIVE] = 0x1FEu,
};

bool dg_lock_conflicts(enum dg_lock_mode a, enum dg_lock_mode b)
{
	return a > DG_LOCK_NONE && a <= DG_LOCK_ACCESS_EXCLUSIVE && (conflicts[a] & B(b)) != 0;
}

bool dg_lock_blocks_reads(enum dg_lock_mode m)
{
	return dg_lock_conflicts(m, DG_LOCK_ACCESS_SHARE);
}

bool dg_lock_blocks_writes(enum dg_lock_mode m)
{
	return dg_lock_conflicts(m, DG_LOCK_ROW_EXCLUSIVE);
}

static const char *const mode_names[][2] = {
    [DG_LOCK_NONE] = {NULL, NULL},
    [DG_LOCK_ACCESS_SHARE] = {"ACCESS SHARE", "AccessShareLock"},
    [DG_LOCK_ROW_SHARE] = {"ROW SHARE", "RowShareLock"},
    [DG_LOCK_ROW_EXCLUSIVE] = {"ROW EXCLUSIVE", "RowExclusiveLock"},
    [DG_LOCK_SHARE_UPDATE_EXCLUSIVE] = {"SHARE UPDATE EXCLUSIVE", "ShareUpdateExclusiveLock"},
    [DG_LOCK_SHARE] = {"SHARE", "ShareLock"},
    [DG_LOCK_SHARE_ROW_EXCLUSIVE] = {"SHARE ROW EXCLUSIVE", "ShareRowExclusiveLock"},
    [DG_LOCK_EXCLUSIVE] = {"EXCLUSIVE", "ExclusiveLock"},
    [DG_LOCK_ACCESS_EXCLUSIVE] = {"ACCESS EXCLUSIVE", "AccessExclusiveLock"},
};

const char *dg_lock_mode_name(enum dg_lock_mode m)
{
	return m <= DG_LOCK_ACCESS_EXCLUSIVE ? mode_names[m][0] : NULL;
}

enum dg_lock_mode dg_lock_mode_from_pg(const char *pg_mode)
{
	for (int m = DG_LOCK_ACCESS_SHARE; m <= DG_LOCK_ACCESS_EXCLUSIVE; m++)
		if (pg_mode && strcmp(mode_names[m][1], pg_mode) == 0)
			return (enum dg_lock_mode)m;
	return DG_LOCK_NONE;
}

const char *dg_rel_role_name(enum dg_rel_role r)
{
	static const char *const names[] = {
	    [DG_ROLE_TABLE] = "table",	 [DG_ROLE_REFERENCED] = "referenced",
	    [DG_ROLE_PARENT] = "parent", [DG_ROLE_PARTITION] = "partition",
	    [DG_ROLE_INDEX] = "index",	 [DG_ROLE_INDEX_TABLE] = "table of index",
	    [DG_ROLE_READ] = "read",	 [DG_ROLE_NEW] = "new",
	    [DG_ROLE_EVERY] = "every",
	};
	return r <= DG_ROLE_EVERY ? names[r] : "?";
}

enum dg_lock_mode dg_lock_info_max(const struct dg_lock_info *info)
{
	enum dg_lock_mode m = DG_LOCK_NONE;

	for (size_t i = 0; i < info->n_rels; i++)
		if (info->rels[i].mode > m)
			m = info->rels[i].mode;
	return m;
}

bool dg_lock_cmd_rewrites(const struct dg_lock_info *info, size_t cmd)
{
	return info && cmd < 64 && (info->rewrite_cmds >> cmd & 1);
}

bool dg_lock_cmd_scans(const struct dg_lock_info *info, size_t cmd)
{
	return info && cmd < 64 && (info->scan_cmds >> cmd & 1);
}

/* ---- volatile functions ---------------------------------------------------------------------- */

/* One source of volatility: src/volatility.c (pg_catalog's provolatile, checked by the server
 * test, and the common extensions). */
bool dg_lock_function_is_volatile(const char *name)
{
	PgQuery__String s = PG_QUERY__STRING__INIT;
	PgQuery__Node n = PG_QUERY__NODE__INIT, *list[1] = {&n};

	if (!name)
		return false;
	s.sval = (char *)name;
	n.node_case = PG_QUERY__NODE__NODE_STRING;
	n.string = &s;
	return dg_function_volatility(list, 1) == DG_VOLATILE;
}

/* ---- building the answer --------------------------------------------------------------------- */

static bool same_name(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool same_schema(const char *a, const char *b)
{
	return !a || !b || strcmp(a, b) == 0;
}

/* An empty answer: fails, changes and labels point into its own room (which needs no
 * clearing: nothing is read there before it is written). */
static void lock_info_clear(struct dg_lock_info *out)
{
	memset(out, 0, offsetof(struct dg_lock_info, room));
	out->fails = "";
	out->changes = out->room.changes;
	out->labels = (const char(*)[DG_LOCK_LABEL_LEN])out->room.labels;
}

static struct dg_lock_rel *add(struct dg_lock_info *out, const char *schema, const char *name,
			       enum dg_rel_role role, enum dg_lock_mode mode, bool rewrite,
			       bool scan)
{
	struct dg_lock_rel *r;

	if (!name)
		return NULL;
	if (schema && !*schema)
		schema = NULL;
	for (size_t i = 0; i < out->n_rels; i++) {
		r = &out->rels[i];
		bool match = role == DG_ROLE_INDEX_TABLE
				 ? r->role == DG_ROLE_INDEX_TABLE && same_name(r->index, name)
				 : r->role != DG_ROLE_INDEX_TABLE && same_name(r->name, name);
		if (!match || !same_schema(r->schema, schema))
			continue;
		/* the strongest lock wins; the most specific role is kept */
		if (mode > r->mode)
			r->mode = mode;
		r->rewrite |= rewrite;
		r->scan |= scan;
		if (r->role == DG_ROLE_READ || (r->role == DG_ROLE_NEW && role != DG_ROLE_READ))
			r->role = role;
		return r;
	}
	if (out->n_rels == DG_LOCK_MAX_RELS)
		return NULL;
	r = &out->rels[out->n_rels++];
	*r = (struct dg_lock_rel){schema,
				  role == DG_ROLE_INDEX_TABLE ? NULL : name,
				  role == DG_ROLE_INDEX_TABLE ? name : NULL,
				  role,
				  mode,
				  rewrite,
				  scan,
				  NULL,
				  NULL,
				  NULL,
				  false,
				  false,
				  false};
	return r;
}

static void merge(struct dg_lock_info *out, const struct dg_lock_info *one)
{
	out->known &= one->known;
	out->no_transaction |= one->no_transaction;
	if (one->unsupported)
		out->unsupported = one->unsupported;
	for (size_t k = 0; k < one->n_rels; k++) {
		const struct dg_lock_rel *r = &one->rels[k];
		struct dg_lock_rel *m = add(out, r->schema, r->name ? r->name : r->index, r->role,
					    r->mode, r->rewrite, r->scan);
		if (!m)
			continue;
		if (!m->note)
			m->note = r->note;
		if (!m->owner) {
			m->owner = r->owner;
			m->owner_schema = r->owner_schema;
		}
		m->uncertain |= r->uncertain;
	}
	if (!out->fails[0] && one->fails[0]) {
		snprintf(out->room.fails, sizeof(out->room.fails), "%s", one->fails);
		out->fails = out->room.fails;
	}
	for (size_t k = 0; k < one->n_changes && out->n_changes < DG_LOCK_MAX_CHANGES; k++)
		out->room.changes[out->n_changes++] = one->changes[k];
}

static struct dg_lock_rel *add_rv(struct dg_lock_info *out, const PgQuery__RangeVar *rv,
				  enum dg_rel_role role, enum dg_lock_mode mode, bool rewrite,
				  bool scan)
{
	return rv ? add(out, rv->schemaname, rv->relname, role, mode, rewrite, scan) : NULL;
}

static const char *str(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

/* A qualified name as a List of Strings: [schema.]name, with `drop` trailing names ignored
 * (a column, a trigger). */
static struct dg_lock_rel *add_names(struct dg_lock_info *out, const PgQuery__Node *obj,
				     size_t drop, enum dg_rel_role role, enum dg_lock_mode mode)
{
	PgQuery__Node **items;
	size_t n;

	if (!obj || obj->node_case != PG_QUERY__NODE__NODE_LIST)
		return NULL;
	items = obj->list->items;
	n = obj->list->n_items;
	if (n <= drop)
		return NULL;
	n -= drop;
	return add(out, n >= 2 ? str(items[n - 2]) : NULL, str(items[n - 1]), role, mode, false,
		   false);
}

/* ---- queries: every relation a query reads --------------------------------------------------- */

struct names {
	const char *v[32];
	size_t n;
};

struct rangevar_walk {
	struct dg_lock_info *out;
	enum dg_rel_role role;
	enum dg_lock_mode mode;
	const struct names *ctes;
};

static enum dg_pb_next visit_rangevar(const ProtobufCMessage *m, void *arg)
{
	const struct rangevar_walk *w = arg;
	const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;

	if (m->descriptor == &pg_query__a__const__descriptor)
		return DG_PB_SKIP; /* a constant names no relation (most of a long VALUES list) */
	if (m->descriptor != &pg_query__range_var__descriptor)
		return DG_PB_DESCEND;
	if (!rv->schemaname || !*rv->schemaname)
		for (size_t i = 0; i < w->ctes->n; i++)
			if (same_name(w->ctes->v[i], rv->relname))
				return DG_PB_SKIP;
	add_rv(w->out, rv, w->role, w->mode, false, false);
	return DG_PB_SKIP;
}

static enum dg_pb_next visit_cte(const ProtobufCMessage *m, void *arg)
{
	struct names *ctes = arg;

	if (m->descriptor == &pg_query__a__const__descriptor)
		return DG_PB_SKIP;
	if (m->descriptor == &pg_query__common_table_expr__descriptor) {
		const PgQuery__CommonTableExpr *c = (const PgQuery__CommonTableExpr *)m;
		if (c->ctename && ctes->n < 32)
			ctes->v[ctes->n++] = c->ctename;
	}
	return DG_PB_DESCEND;
}

static void add_all(struct dg_lock_info *out, const ProtobufCMessage *m, enum dg_rel_role role,
		    enum dg_lock_mode mode)
{
	struct names ctes = {{0}, 0};

	if (!m)
		return;
	struct rangevar_walk w = {out, role, mode, &ctes};

	dg_pb_walk(m, visit_cte, &ctes);
	dg_pb_walk(m, visit_rangevar, &w);
}

static void add_reads(struct dg_lock_info *out, const ProtobufCMessage *m, enum dg_lock_mode mode)
{
	add_all(out, m, DG_ROLE_READ, mode);
}

struct volatility_walk {
	enum dg_volatility worst; /* DG_VOLATILE, else DG_VOLATILITY_UNKNOWN if any is unknown */
	const char *unknown;	  /* the first function of unknown volatility */
};

static enum dg_pb_next visit_volatile_call(const ProtobufCMessage *m, void *arg)
{
	struct volatility_walk *w = arg;
	const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;

	if (m->descriptor != &pg_query__func_call__descriptor || !fc->n_funcname)
		return DG_PB_DESCEND;
	switch (dg_function_volatility(fc->funcname, fc->n_funcname)) {
	case DG_VOLATILE:
		w->worst = DG_VOLATILE;
		return DG_PB_STOP;
	case DG_VOLATILITY_UNKNOWN:
		if (!w->unknown)
			w->unknown = str(fc->funcname[fc->n_funcname - 1]);
		w->worst = DG_VOLATILITY_UNKNOWN;
		break;
	default:
		break;
	}
	return DG_PB_DESCEND;
}

/* A default expression: DG_VOLATILE when it calls a volatile function (every row gets its own
 * value: a rewrite), DG_VOLATILITY_UNKNOWN when it calls one whose volatility is unknown,
 * DG_NOT_VOLATILE otherwise. */
static enum dg_volatility default_volatility(const PgQuery__Node *e)
{
	struct volatility_walk w = {DG_NOT_VOLATILE, NULL};

	if (e)
		dg_pb_walk(&e->base, visit_volatile_call, &w);
	return w.worst;
}

/* Marks the rewrite a default of that volatility causes on an existing table. */
static void default_rewrite(struct dg_lock_rel *t, const PgQuery__Node *e)
{
	switch (default_volatility(e)) {
	case DG_VOLATILE:
		t->rewrite = t->scan = true;
		break;
	case DG_VOLATILITY_UNKNOWN:
		if (!t->rewrite) {
			t->note = "rewrites the table if the default calls a VOLATILE function "
				  "(what a function is unless declared STABLE or IMMUTABLE)";
			t->uncertain = true;
		}
		break;
	default:
		break;
	}
}

/* ---- what ran before: the file's timeline (facts) over schema memory (catalog) ------------- */

struct view {
	const struct dg_facts *facts;	  /* NULL for a lone statement */
	const struct dg_catalog *catalog; /* NULL without schema memory */
	size_t stmt;
	enum dg_direction dir;
	bool in_tx; /* the statement runs inside a transaction block */
};

static bool ran(const struct view *v, const struct dg_effect *e)
{
	return dg_facts_ran_before(v->facts, e, v->stmt, v->dir);
}

/* The effects that ran before the statement and name `key`, in statement order: a chain of the
 * facts' name index, followed to the first effect of a later statement. */
struct ran_iter {
	const struct view *v;
	uint32_t link;
};

static struct ran_iter ran_start(const struct view *v, const char *key)
{
	return (struct ran_iter){v, dg_facts_chain(v->facts, key)};
}

static const struct dg_effect *ran_next(struct ran_iter *it)
{
	while (it->link) {
		const struct dg_effect *e = dg_facts_link(it->v->facts, &it->link);
		if (e->stmt >= it->v->stmt)
			break; /* nothing past this one ran before the statement */
		if (ran(it->v, e))
			return e;
	}
	it->link = 0;
	return NULL;
}

#define EACH_RAN(v, key, e)                                                                        \
	for (struct ran_iter it_ = ran_start((v), (key)); ((e) = ran_next(&it_));)

/* The same effects, newest first: for questions the latest one answers. */
struct ran_back {
	const struct view *v;
	uint32_t lo, at; /* links [lo, at) are left */
};

static struct ran_back ran_back_start(const struct view *v, const char *key)
{
	struct ran_back it = {v, 0, 0};

	dg_facts_chain_before(v->facts, key, v->stmt, &it.lo, &it.at);
	return it;
}

static const struct dg_effect *ran_back_next(struct ran_back *it)
{
	while (it->at > it->lo) {
		const struct dg_effect *e = dg_facts_link_at(it->v->facts, --it->at);
		if (ran(it->v, e))
			return e;
	}
	return NULL;
}

#define EACH_RAN_BACK(v, key, e)                                                                   \
	for (struct ran_back itb_ = ran_back_start((v), (key)); ((e) = ran_back_next(&itb_));)
/* The same, when some effect of `kind` names `key` (else none: the walk is skipped). */
#define EACH_RAN_IF(v, key, kind, e)                                                               \
	EACH_RAN((v), dg_facts_names_any((v)->facts, (key), DG_EFF_BIT(kind)) ? (key) : NULL, e)

/* Whether an earlier statement created schema.name, or (`removed`) dropped, renamed or
 * detached it: what schema memory knew of it does not hold any more. */
struct touch {
	const char *schema, *name;
	bool removed, down;
};

/* An effect that makes what schema memory knew of the relation stale (see touched). */
static bool touches(const struct dg_effect *e, const void *arg)
{
	const struct touch *t = arg;

	if (!t->down && e->dir == DG_DIR_DOWN)
		return false; /* it does not run before an up section's statements */
	return ((e->kind == DG_EFF_CREATE || (e->kind == DG_EFF_RENAME && t->removed)) &&
		(same_name(e->name, t->name) || same_name(e->name2, t->name)) &&
		same_schema(e->schema, t->schema)) ||
	       (t->removed && e->kind == DG_EFF_DROP &&
		dg_same_rel(e->schema, e->name, t->schema, t->name)) ||
	       (t->removed && e->kind == DG_EFF_DETACH_PARTITION &&
		dg_same_rel(e->schema2, e->name2, t->schema, t->name));
}

static bool touched(const struct view *v, const char *schema, const char *name, bool removed)
{
	bool down = v->dir == DG_DIR_DOWN;
	/* the first effect that counts, for any statement: it counts before v's when it ran */
	size_t first = dg_facts_first(v->facts, DG_MEMO_TOUCHED + removed + 2 * down, schema, name,
				      touches, &(struct touch){schema, name, removed, down});

	return first != SIZE_MAX && first < v->stmt;
}

static bool memory_of(const struct view *v, const char *schema, const char *name)
{
	return v->catalog && !touched(v, schema, name, true);
}

/* Whether the model knows the table at all: the file created it, or schema memory has it. What
 * it does not know (its partitions, indexes, foreign keys) is then known to be complete. */
static bool known_table(const struct view *v, const char *schema, const char *name)
{
	return touched(v, schema, name, false) ||
	       (memory_of(v, schema, name) && dg_catalog_has_table(v->catalog, schema, name));
}

/* The parent of partition schema.name (its schema in *parent_schema), or NULL. */
static const char *parent_of(const struct view *v, const char *schema, const char *name,
			     const char **parent_schema)
{
	const struct dg_effect *e;
	const char *parent = NULL;
	bool known = false;

	*parent_schema = NULL;
	/* no partition is attached or detached under this name in the file: the parent is schema
	 * memory's, and when it knows none, no walk of the name's effects can find one */
	if (!dg_facts_names_any(v->facts, name,
				DG_EFF_BIT(DG_EFF_ATTACH_PARTITION) |
				    DG_EFF_BIT(DG_EFF_DETACH_PARTITION)) &&
	    (!v->catalog || !dg_catalog_parent_of(v->catalog, schema, name)))
		return NULL;
	EACH_RAN(v, name, e)
	{
		if ((e->kind == DG_EFF_ATTACH_PARTITION || e->kind == DG_EFF_DETACH_PARTITION) &&
		    dg_same_rel(e->schema2, e->name2, schema, name)) {
			known = true;
			parent = e->kind == DG_EFF_ATTACH_PARTITION ? e->name : NULL;
			*parent_schema = e->schema;
		} else if ((e->kind == DG_EFF_CREATE || e->kind == DG_EFF_DROP) &&
			   dg_same_rel(e->schema, e->name, schema, name)) {
			known = true;
			parent = NULL;
		}
	}
	if (known || !memory_of(v, schema, name))
		return parent;
	return dg_catalog_parent_of(v->catalog, schema, name);
}

/* The type column `col` of schema.table had when the statement starts: from the file, else from
 * schema memory (not in a down section: it undoes an up section that may have changed it). */
static bool column_type(const struct view *v, const char *schema, const char *table,
			const char *col, struct dg_type_desc *out)
{
	const struct dg_effect *e;
	int found = 0; /* 1: a type, -1: the column is gone or the table is new */

	/* the latest effect on the column or its table answers */
	EACH_RAN_BACK(v, col ? table : NULL, e)
	{
		if (!dg_same_rel(e->schema, e->name, schema, table))
			continue;
		if (e->kind == DG_EFF_CREATE || e->kind == DG_EFF_DROP ||
		    e->kind == DG_EFF_RENAME) {
			found = -1;
		} else if ((e->kind == DG_EFF_ADD_COLUMN || e->kind == DG_EFF_SET_TYPE) &&
			   same_name(e->col, col) && e->type) {
			dg_type_describe(e->type, out);
			found = 1;
		} else if ((e->kind == DG_EFF_DROP_COLUMN || e->kind == DG_EFF_RENAME_COLUMN) &&
			   (same_name(e->col, col) || same_name(e->name2, col))) {
			found = -1;
		}
		if (found)
			break;
	}
	if (found)
		return found > 0;
	if (v->dir == DG_DIR_DOWN || !memory_of(v, schema, table))
		return false;
	return dg_catalog_coltype(v->catalog, schema, table, col, out);
}

/* The table that foreign key `conname` of schema.table references (its schema in *ref_schema). */
static const char *fk_target(const struct view *v, const char *schema, const char *table,
			     const char *conname, const char **ref_schema)
{
	const struct dg_effect *e;
	const char *ref = NULL;
	bool known = false;

	*ref_schema = NULL;
	if (!conname)
		return NULL;
	/* the latest ADD or DROP of the constraint answers */
	EACH_RAN_BACK(v, table, e)
	{
		if (!dg_same_rel(e->schema, e->name, schema, table) ||
		    !same_name(e->name2, conname))
			continue;
		if (e->kind == DG_EFF_ADD_CONSTRAINT) {
			known = true;
			ref = e->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN ? e->ref_name
										  : NULL;
			*ref_schema = e->ref_schema;
			break;
		} else if (e->kind == DG_EFF_DROP_CONSTRAINT) {
			known = true;
			ref = NULL;
			break;
		}
	}
	if (known || !memory_of(v, schema, table))
		return ref;
	return dg_catalog_fk_target(v->catalog, schema, table, conname);
}

struct rel_name {
	const char *schema, *name;
};

static size_t push_rel(struct rel_name *out, size_t n, size_t max, const char *schema,
		       const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (dg_same_rel(out[i].schema, out[i].name, schema, name))
			return n;
	if (n < max && name)
		out[n++] = (struct rel_name){schema, name};
	return n;
}

/* Whether the foreign key that effect fk added still stands before the view's statement: no
 * statement since (its own included) dropped its constraint or referenced column, and no later
 * one dropped, renamed or made again its table. The first statement that does is found once per
 * effect and kind of view (a down section's view counts down sections' effects) and kept in
 * the facts: each statement asked again about every foreign key of its tables, walking their
 * whole history each time. */
static bool fk_alive(const struct view *v, const struct dg_effect *fk)
{
	bool down = v->dir == DG_DIR_DOWN;
	size_t *dropped = &v->facts->fk_dropped[2 * (size_t)(fk - v->facts->effs.v) + down];

	if (!*dropped) {
		*dropped = SIZE_MAX;
		for (uint32_t l = dg_facts_chain(v->facts, fk->name); l;) {
			const struct dg_effect *e = dg_facts_link(v->facts, &l);
			if (e->stmt < fk->stmt || e == fk || (!down && e->dir == DG_DIR_DOWN) ||
			    !dg_same_rel(fk->schema, fk->name, e->schema, e->name))
				continue;
			if ((e->kind == DG_EFF_DROP_CONSTRAINT && same_name(fk->name2, e->name2)) ||
			    (e->kind == DG_EFF_DROP_COLUMN && same_name(fk->ref_col, e->col)) ||
			    ((e->kind == DG_EFF_DROP || e->kind == DG_EFF_RENAME ||
			      e->kind == DG_EFF_CREATE) &&
			     e->stmt > fk->stmt)) {
				*dropped = e->stmt + 1; /* the chain is in statement order */
				break;
			}
		}
	}
	return *dropped == SIZE_MAX || *dropped - 1 >= v->stmt;
}

/* The tables schema.table references (`referencing` false) or that reference it (true) with a
 * foreign key, as the file and schema memory know them. */
static size_t fk_neighbours(const struct view *v, const char *schema, const char *table,
			    bool referencing, struct rel_name *out, size_t max)
{
	const struct dg_effect *e;
	size_t n = 0;

	EACH_RAN_IF(v, table, DG_EFF_ADD_CONSTRAINT, e)
	{
		if (e->kind != DG_EFF_ADD_CONSTRAINT ||
		    e->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN || !e->ref_name ||
		    !fk_alive(v, e))
			continue;
		if (!referencing && dg_same_rel(e->schema, e->name, schema, table))
			n = push_rel(out, n, max, e->ref_schema, e->ref_name);
		else if (referencing && dg_same_rel(e->ref_schema, e->ref_name, schema, table))
			n = push_rel(out, n, max, e->schema, e->name);
	}
	if (!memory_of(v, schema, table))
		return n;
	for (size_t i = 0; n < max; i++) {
		const char *t = referencing
				    ? dg_catalog_referencing_at(v->catalog, schema, table, i)
				    : dg_catalog_referenced_at(v->catalog, schema, table, i);
		if (!t)
			break;
		if (!touched(v, NULL, t, true))
			n = push_rel(out, n, max, NULL, t);
	}
	return n;
}

/* The partitions of schema.table (only its DEFAULT one when `default_only`). */
static size_t partitions(const struct view *v, const char *schema, const char *table,
			 bool default_only, struct rel_name *out, size_t max)
{
	const struct dg_effect *e;
	size_t n = 0;

	EACH_RAN_IF(v, table, DG_EFF_ATTACH_PARTITION, e)
	{
		if (!dg_same_rel(e->schema, e->name, schema, table))
			continue;
		if (e->kind == DG_EFF_ATTACH_PARTITION && (e->is_default || !default_only)) {
			n = push_rel(out, n, max, e->schema2, e->name2);
		} else if (e->kind == DG_EFF_DETACH_PARTITION) {
			for (size_t k = 0; k < n; k++)
				if (dg_same_rel(out[k].schema, out[k].name, e->schema2, e->name2))
					out[k--] = out[--n];
		}
	}
	/* partitions dropped since */
	for (size_t k = 0; k < n; k++)
		if (touched(v, out[k].schema, out[k].name, true) &&
		    !touched(v, out[k].schema, out[k].name, false))
			out[k--] = out[--n];
	if (!v->catalog || touched(v, schema, table, false))
		return n;
	if (default_only) {
		const char *ps = NULL,
			   *pn = dg_catalog_default_partition(v->catalog, schema, table, &ps);
		if (pn && !touched(v, ps, pn, true))
			n = push_rel(out, n, max, ps, pn);
		return n;
	}
	for (size_t k = 0; n < max; k++) {
		const char *ps = NULL,
			   *pn = dg_catalog_partition_at(v->catalog, schema, table, k, &ps);
		if (!pn)
			break;
		if (!touched(v, ps, pn, true))
			n = push_rel(out, n, max, ps, pn);
	}
	return n;
}

/* The table of index schema.name, or NULL. */
static const char *index_table(const struct view *v, const char *schema, const char *name)
{
	const struct dg_effect *e;
	const char *table = NULL;
	/* the rename that decides, when the table is that of the index's old name: only the last
	 * effect counts, so the old name is looked up once, not once per rename of the chain */
	const struct dg_effect *renamed = NULL;
	bool known = false;

	/* the latest effect on the index answers */
	EACH_RAN_BACK(v, name, e)
	{
		if (e->kind == DG_EFF_CREATE_INDEX &&
		    dg_same_rel(e->schema, e->name2, schema, name)) {
			known = true;
			table = e->name;
			renamed = NULL;
		} else if (e->kind == DG_EFF_DROP_INDEX &&
			   dg_same_rel(e->schema, e->name2, schema, name)) {
			known = true;
			table = NULL;
			renamed = NULL;
		} else if (e->kind == DG_EFF_RENAME_INDEX) {
			if (dg_same_rel(e->schema, e->col, schema, name)) {
				known = true;
				table = e->name;
				renamed = e->name ? NULL : e;
			} else if (dg_same_rel(e->schema, e->name2, schema, name)) {
				known = true;
				table = NULL;
				renamed = NULL;
			}
		}
		if (known)
			break;
	}
	if (renamed)
		table =
		    index_table(&(struct view){v->facts, v->catalog, renamed->stmt, v->dir, false},
				renamed->schema, renamed->name2);
	if (known || !v->catalog)
		return table;
	table = dg_catalog_index_table(v->catalog, schema, name);
	return table && !touched(v, NULL, table, true) ? table : NULL;
}

/* The indexes of schema.table; *complete: the list is known to be all of them. */
static size_t indexes_of(const struct view *v, const char *schema, const char *table,
			 struct rel_name *out, size_t max, bool *complete)
{
	const struct dg_effect *e;
	size_t n = 0;

	*complete = touched(v, schema, table, false);
	EACH_RAN(v, table, e)
	{
		if (e->kind == DG_EFF_CREATE_INDEX &&
		    dg_same_rel(e->schema, e->name, schema, table))
			n = push_rel(out, n, max, e->schema, e->name2);
	}
	if (!*complete && known_table(v, schema, table)) {
		*complete = true;
		for (size_t k = 0; n < max; k++) {
			const char *ix = dg_catalog_index_at(v->catalog, schema, table, k);
			if (!ix)
				break;
			n = push_rel(out, n, max, schema, ix);
		}
	}
	/* dropped or renamed since */
	for (size_t k = 0; k < n; k++) {
		const char *t = index_table(v, out[k].schema, out[k].name);
		if (!t || !same_name(t, table))
			out[k--] = out[--n];
	}
	return n;
}

/* Whether a validated CHECK constraint implies column IS NOT NULL when the statement starts. */
static bool not_null_check(const struct view *v, const char *schema, const char *table,
			   const char *column)
{
	if (v->facts &&
	    (dg_facts_not_null_check_before(v->facts, schema, table, column, v->stmt, v->dir) ||
	     (v->dir == DG_DIR_DOWN &&
	      dg_facts_not_null_check_before(v->facts, schema, table, column, v->stmt, DG_DIR_UP))))
		return true;
	return memory_of(v, schema, table) &&
	       dg_catalog_not_null_check(v->catalog, schema, table, column);
}

/* Whether schema.table has a validated CHECK constraint when the statement starts. */
static bool valid_check(const struct view *v, const char *schema, const char *table)
{
	if (v->facts && dg_facts_valid_check(v->facts, schema, table, v->stmt))
		return true;
	return memory_of(v, schema, table) && dg_catalog_valid_check(v->catalog, schema, table);
}

/* Whether schema.table is partitioned (CREATE TABLE … PARTITION BY, or it has partitions). */
static bool is_partitioned(const struct view *v, const char *schema, const char *table)
{
	const struct dg_effect *e, *create = NULL;
	struct rel_name parts[1];

	EACH_RAN(v, table, e)
	{
		if (e->kind == DG_EFF_CREATE && dg_same_rel(e->schema, e->name, schema, table))
			create = e; /* the last one */
	}
	if (create)
		return create->partitioned;
	return partitions(v, schema, table, false, parts, 1) > 0;
}

/* The query of materialized view schema.name created earlier in the file, or NULL. */
static const PgQuery__Node *matview_query(const struct view *v, const char *schema,
					  const char *name)
{
	const struct dg_effect *e;
	const PgQuery__Node *q = NULL;

	EACH_RAN(v, name, e)
	{
		if (e->kind == DG_EFF_CREATE && e->obj == DG_OBJ_MATVIEW &&
		    dg_same_rel(e->schema, e->name, schema, name))
			q = e->value;
	}
	return q;
}

static bool session_utc(const struct view *v)
{
	return v->facts && v->facts->tz_utc[v->stmt];
}

/* ---- column types: which changes keep the stored bytes -------------------------------------- */

static bool is(const struct dg_type_desc *t, const char *name)
{
	return strcmp(t->name, name) == 0;
}

/* varchar, text, xml: binary-coercible to text */
static bool text_like(const struct dg_type_desc *t)
{
	return is(t, "text") || is(t, "varchar") || is(t, "xml");
}

static bool same_mods(const struct dg_type_desc *a, const struct dg_type_desc *b)
{
	return a->n_mods == b->n_mods && !a->mods_unknown && !b->mods_unknown &&
	       (a->n_mods < 1 || a->mods[0] == b->mods[0]) &&
	       (a->n_mods < 2 || a->mods[1] == b->mods[1]);
}

enum dg_retype dg_retype_verdict(const struct dg_type_desc *o, const struct dg_type_desc *n)
{
	if (o->array || n->array)
		return o->array && n->array && is(o, n->name) && same_mods(o, n)
			   ? DG_RETYPE_NONE
			   : DG_RETYPE_REWRITE;
	if (o->mods_unknown || n->mods_unknown)
		return DG_RETYPE_REWRITE;
	if (is(o, n->name)) {
		if (same_mods(o, n) || n->n_mods == 0)
			return is(o, "bpchar") && n->n_mods == 0 ? DG_RETYPE_REWRITE
								 : DG_RETYPE_NONE;
		if (o->n_mods == 0)
			return DG_RETYPE_REWRITE;
		if (is(n, "varchar") || is(n, "varbit"))
			return n->mods[0] >= o->mods[0] ? DG_RETYPE_NONE : DG_RETYPE_REWRITE;
		if (is(n, "numeric")) {
			int os = o->n_mods > 1 ? o->mods[1] : 0,
			    ns = n->n_mods > 1 ? n->mods[1] : 0;
			return os == ns && n->mods[0] >= o->mods[0] ? DG_RETYPE_NONE
								    : DG_RETYPE_REWRITE;
		}
		if (is(n, "timestamp") || is(n, "timestamptz") || is(n, "time") || is(n, "timetz"))
			return n->mods[0] >= o->mods[0] ? DG_RETYPE_NONE : DG_RETYPE_REWRITE;
		return DG_RETYPE_REWRITE;
	}
	if (text_like(o) && (is(n, "text") || (is(n, "varchar") && n->n_mods == 0)))
		return DG_RETYPE_NONE;
	if ((is(o, "text") || is(o, "varchar")) && is(n, "citext"))
		return DG_RETYPE_INDEXES;
	if (is(o, "citext") && (is(n, "text") || (is(n, "varchar") && n->n_mods == 0)))
		return DG_RETYPE_INDEXES;
	if (is(o, "cidr") && is(n, "inet"))
		return DG_RETYPE_NONE;
	if (is(o, "bit") && is(n, "varbit") && n->n_mods == 0)
		return DG_RETYPE_NONE;
	if ((is(o, "timestamp") && is(n, "timestamptz")) ||
	    (is(o, "timestamptz") && is(n, "timestamp")))
		return DG_RETYPE_TIMEZONE;
	return DG_RETYPE_REWRITE;
}

/* USING col, or USING col::newtype, converts exactly as no USING would. */
static bool trivial_using(const PgQuery__Node *e, const char *column, const struct dg_type_desc *n)
{
	if (e && e->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && e->type_cast->type_name) {
		struct dg_type_desc cast;
		dg_type_describe(e->type_cast->type_name, &cast);
		if (!is(&cast, n->name) || !same_mods(&cast, n) || cast.array != n->array)
			return false;
		e = e->type_cast->arg;
	}
	if (!e || e->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || !e->column_ref->n_fields)
		return false;
	const PgQuery__Node *last = e->column_ref->fields[e->column_ref->n_fields - 1];
	return column && same_name(str(last), column);
}

/* ALTER COLUMN … TYPE: what it does to the table's storage (see struct dg_column_change). */
static void column_change(struct dg_lock_info *out, const struct view *w, size_t cmd_index,
			  const PgQuery__RangeVar *rel, const PgQuery__AlterTableCmd *cmd,
			  struct dg_lock_rel *t, int pg_version)
{
	const PgQuery__ColumnDef *col = cmd->def->column_def;
	struct dg_column_change ch;

	memset(&ch, 0, sizeof(ch));
	ch.cmd = cmd_index;
	if (!col->type_name)
		return;
	dg_type_describe(col->type_name, &ch.new_type);
	ch.session_utc = session_utc(w) && pg_version >= 12;
	ch.using_expr =
	    col->raw_default && !trivial_using(col->raw_default, cmd->name, &ch.new_type);
	ch.old_known = !ch.using_expr &&
		       column_type(w, rel->schemaname, rel->relname, cmd->name, &ch.old_type);
	if (ch.using_expr)
		ch.verdict = DG_RETYPE_REWRITE;
	else if (ch.old_known)
		ch.verdict = dg_retype_verdict(&ch.old_type, &ch.new_type);
	else
		ch.verdict = DG_RETYPE_UNKNOWN;
	if (ch.verdict == DG_RETYPE_TIMEZONE)
		ch.verdict = ch.session_utc ? DG_RETYPE_NONE : DG_RETYPE_REWRITE;
	switch (ch.verdict) {
	case DG_RETYPE_NONE:
		t->rewrite = t->scan = false;
		break;
	case DG_RETYPE_INDEXES:
		t->rewrite = t->scan = false;
		t->note = "no rewrite of the table, but the column's indexes are rebuilt";
		break;
	case DG_RETYPE_REWRITE:
		if (ch.old_known && !ch.using_expr &&
		    ((is(&ch.old_type, "timestamp") && is(&ch.new_type, "timestamptz")) ||
		     (is(&ch.old_type, "timestamptz") && is(&ch.new_type, "timestamp"))) &&
		    pg_version >= 12)
			t->note = "the session's TimeZone set to UTC would spare the rewrite";
		break;
	default:
		/* the old type is unknown: the claim depends on it */
		if (ch.session_utc &&
		    (is(&ch.new_type, "timestamptz") || is(&ch.new_type, "timestamp"))) {
			t->rewrite = t->scan = false;
			t->uncertain = true;
			t->note = "no rewrite assumes the column is timestamp or timestamptz now "
				  "(TimeZone is UTC); from other types it rewrites";
		} else if (!ch.new_type.array &&
			   (text_like(&ch.new_type) || is(&ch.new_type, "numeric") ||
			    is(&ch.new_type, "varbit") || is(&ch.new_type, "inet") ||
			    is(&ch.new_type, "timestamptz") || is(&ch.new_type, "timestamp") ||
			    is(&ch.new_type, "time") || is(&ch.new_type, "timetz") ||
			    is(&ch.new_type, "interval") || is(&ch.new_type, "citext"))) {
			t->uncertain = true;
			t->note =
			    "the column's current type is unknown: a binary-coercible change (a "
			    "longer varchar, varchar to text, a wider numeric) would spare the "
			    "rewrite";
		}
		break;
	}
	if (out->n_changes < DG_LOCK_MAX_CHANGES)
		out->room.changes[out->n_changes++] = ch;
}

/* ---- ALTER TABLE ----------------------------------------------------------------------------- */

struct at_entry {
	PgQuery__AlterTableType type;
	enum dg_lock_mode mode;
	bool rewrite, scan;
};

/* AlterTableGetLockLevel() as a table; subcommands refined below are marked. */
static const struct at_entry at_table[] = {
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn, AEL, false, false}, /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnToView, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_CookedColumnDefault, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull, AEL, false, true},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_CheckNotNull, AEL, false, true},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropExpression, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics, SUE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions, SUE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions, SUE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetStorage, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetCompression, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddIndex, AEL, false, true},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint, AEL, false, false}, /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AlterConstraint, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint, SUE, false, true}, /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddIndexConstraint, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint, AEL, false, false}, /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType, AEL, true, true},	/* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnGenericOptions, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn, SUE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster, SUE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged, AEL, true, true},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged, AEL, true, true},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropOids, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod, AEL, true, true},
    /* the files are copied block by block: new storage, but no row is read */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace, AEL, true, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions, SUE, false, false},	 /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions, SUE, false, false}, /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ReplaceRelOptions, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig, SRE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig, SRE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig, SRE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig, SRE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll, SRE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll, SRE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser, SRE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser, SRE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRule, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysRule, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaRule, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRule, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit, AEL, false, false},  /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit, AEL, false, false}, /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddOf, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropOf, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_GenericOptions, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition, SUE, false, false}, /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition, AEL, false, false}, /* refined */
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize, SUE, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity, AEL, false, false},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity, AEL, false, false},
};

/* Storage parameters that SET (…) changes under SHARE UPDATE EXCLUSIVE; any other needs ACCESS
 * EXCLUSIVE (AlterTableGetRelOptionsLockLevel()). */
static const char *const sue_reloptions[] = {
    "fillfactor",
    "autovacuum_",
    "toast.autovacuum_",
    "toast_tuple_target",
    "parallel_workers",
    "vacuum_index_cleanup",
    "vacuum_truncate",
    "toast.vacuum_",
    "log_autovacuum_min_duration",
    "toast.log_autovacuum_min_duration",
    "n_distinct",
    "n_distinct_inherited",
};

static enum dg_lock_mode reloptions_mode(const PgQuery__Node *def)
{
	if (!def || def->node_case != PG_QUERY__NODE__NODE_LIST)
		return AEL;
	for (size_t i = 0; i < def->list->n_items; i++) {
		const PgQuery__Node *o = def->list->items[i];
		char full[256];
		bool ok = false;
		if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM || !o->def_elem->defname)
			return AEL;
		snprintf(full, sizeof(full), "%s%s%s",
			 o->def_elem->defnamespace && *o->def_elem->defnamespace
			     ? o->def_elem->defnamespace
			     : "",
			 o->def_elem->defnamespace && *o->def_elem->defnamespace ? "." : "",
			 o->def_elem->defname);
		for (size_t k = 0; k < sizeof(sue_reloptions) / sizeof(sue_reloptions[0]); k++) {
			size_t len = strlen(sue_reloptions[k]);
			if (sue_reloptions[k][len - 1] == '_'
				? strncmp(full, sue_reloptions[k], len) == 0
				: strcmp(full, sue_reloptions[k]) == 0)
				ok = true;
		}
		if (!ok)
			return AEL;
	}
	return SUE;
}

static bool is_serial(const PgQuery__TypeName *t)
{
	return dg_type_is_serial(t);
}

/* Whether the column's default is the NULL constant (or it has none). */
static bool null_default(const PgQuery__ColumnDef *col)
{
	const PgQuery__Node *d = col->raw_default;

	for (size_t k = 0; !d && k < col->n_constraints; k++) {
		const PgQuery__Constraint *c = col->constraints[k]->constraint;
		if (c && c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT)
			d = c->raw_expr;
	}
	return !d || (d->node_case == PG_QUERY__NODE__NODE_A_CONST && d->a_const->isnull);
}

/* Effects of constraints written on a column (ADD COLUMN, CREATE TABLE). */
static void column_constraints(struct dg_lock_info *out, const PgQuery__ColumnDef *col,
			       struct dg_lock_rel *table, bool existing)
{
	bool has_default = col->raw_default != NULL;

	for (size_t k = 0; k < col->n_constraints; k++) {
		const PgQuery__Constraint *c = col->constraints[k]->constraint;
		if (c && c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT)
			has_default = true;
	}
	for (size_t k = 0; k < col->n_constraints; k++) {
		const PgQuery__Constraint *c = col->constraints[k]->constraint;
		if (!c)
			continue;
		switch (c->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
			/* a new column without a default is all NULL: the server skips validating
			 * its foreign key, but any DEFAULT (even NULL) makes it check every row,
			 * joining the referenced table */
			bool check = existing && table && has_default && !c->skip_validation;
			/* an all-NULL column joins no referenced row */
			add_rv(out, c->pktable, DG_ROLE_REFERENCED, SRE, false,
			       check && !null_default(col));
			if (check)
				table->scan = true;
			break;
		}
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			if (existing && c->raw_expr && table)
				default_rewrite(table, c->raw_expr);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
		case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
			if (existing && table)
				table->rewrite = table->scan = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
			break; /* the default fills it (no default: it fails on any row) */
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
			if (existing && table)
				table->scan = true;
			break;
		default:
			break;
		}
	}
}

static void alter_cmd(struct dg_lock_info *out, const struct view *w,
		      const PgQuery__AlterTableStmt *at, size_t cmd_index,
		      const PgQuery__AlterTableCmd *cmd, int pg_version)
{
	const PgQuery__RangeVar *rel = at->relation;
	const struct at_entry *e = NULL;
	struct dg_lock_rel *t;
	enum dg_lock_mode mode;
	bool is_index = at->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX;

	for (size_t i = 0; i < sizeof(at_table) / sizeof(at_table[0]); i++)
		if (at_table[i].type == cmd->subtype)
			e = &at_table[i];
	if (!e) {
		out->known = false;
		return;
	}
	mode = e->mode;
	if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions ||
	    cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions)
		mode = reloptions_mode(cmd->def);
	if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint && cmd->def &&
	    cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
	    cmd->def->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
		mode = SRE;
	if (is_index) {
		t = add_rv(out, rel, DG_ROLE_INDEX, mode, e->rewrite, false);
		return;
	}
	t = add_rv(out, rel, DG_ROLE_TABLE, mode, e->rewrite, e->scan);
	if (!t)
		return;

	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			const PgQuery__ColumnDef *col = cmd->def->column_def;
			if (is_serial(col->type_name) || (col->identity && *col->identity) ||
			    (col->generated && *col->generated))
				t->rewrite = t->scan = true;
			if (col->raw_default)
				default_rewrite(t, col->raw_default);
			column_constraints(out, col, t, true);
		}
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
			const PgQuery__Constraint *c = cmd->def->constraint;
			switch (c->contype) {
			case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
				/* validating it joins the referenced table: its rows are read */
				add_rv(out, c->pktable, DG_ROLE_REFERENCED, SRE, false,
				       !c->skip_validation);
				if (!c->skip_validation)
					t->scan = true;
				break;
			case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
				if (!c->skip_validation)
					t->scan = true;
				break;
			case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
			case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
			case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
				if (!c->indexname || !*c->indexname)
					t->scan = true;
				else {
					/* the server: ACCESS SHARE on the index it takes over,
					 * SHARE UPDATE EXCLUSIVE when it renames it to the
					 * constraint's name */
					bool renames = c->conname && *c->conname &&
						       strcmp(c->conname, c->indexname) != 0;
					add(out, rel->schemaname, c->indexname, DG_ROLE_INDEX,
					    renames ? SUE : DG_LOCK_ACCESS_SHARE, false, false);
					if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
						t->note = "scans the table when a key column is "
							  "nullable (implicit SET NOT NULL)";
				}
				break;
			default:
				break;
			}
		}
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint: {
		const char *ps, *pk = fk_target(w, rel->schemaname, rel->relname, cmd->name, &ps);
		/* validating a foreign key joins the referenced table */
		add(out, ps, pk, DG_ROLE_REFERENCED, DG_LOCK_ROW_SHARE, false, true);
		if (!pk && !known_table(w, rel->schemaname, rel->relname))
			t->note =
			    "if it is a foreign key, its referenced table is locked ROW SHARE "
			    "and read too";
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint: {
		const char *ps, *pk = fk_target(w, rel->schemaname, rel->relname, cmd->name, &ps);
		add(out, ps, pk, DG_ROLE_REFERENCED, AEL, false, false);
		if (!pk && !known_table(w, rel->schemaname, rel->relname))
			t->note = "if it is a foreign key, its referenced table takes ACCESS "
				  "EXCLUSIVE too";
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_CheckNotNull:
		/* a validated CHECK (col IS NOT NULL) proves it without a scan (PostgreSQL 12) */
		if (pg_version >= 12 && not_null_check(w, rel->schemaname, rel->relname, cmd->name))
			t->scan = false;
		else if (pg_version >= 12 && !known_table(w, rel->schemaname, rel->relname)) {
			t->note =
			    "a validated CHECK (col IS NOT NULL), if one exists, spares the scan";
			t->uncertain = true;
		}
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			column_change(out, w, cmd_index, rel, cmd, t, pg_version);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition: {
		const PgQuery__PartitionCmd *pc =
		    cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD
			? cmd->def->partition_cmd
			: NULL;
		struct dg_lock_rel *part;
		struct rel_name def[1];
		bool is_default = pc && pc->bound && pc->bound->is_default;
		if (pg_version < 12)
			t->mode = AEL;
		t->role = DG_ROLE_PARENT;
		if (!pc)
			break;
		part = add_rv(out, pc->name, DG_ROLE_PARTITION, AEL, false, true);
		/* a validated CHECK constraint that implies the bound spares the scan */
		if (part && !is_default && pc->name &&
		    valid_check(w, pc->name->schemaname, pc->name->relname)) {
			part->scan = false;
			part->note =
			    "no scan assumes its validated CHECK constraint implies the "
			    "partition bound (PostgreSQL checks that, and scans otherwise)";
		}
		/* the DEFAULT partition is checked for rows that belong to the new one */
		if (is_default)
			break;
		if (partitions(w, rel->schemaname, rel->relname, true, def, 1)) {
			struct dg_lock_rel *d = add(out, def[0].schema, def[0].name,
						    DG_ROLE_PARTITION, AEL, false, true);
			if (d) {
				d->owner = t->name;
				d->owner_schema = t->schema;
				d->note = "the DEFAULT partition: scanned for rows of the new "
					  "partition's range";
			}
		} else if (!w->catalog && !touched(w, rel->schemaname, rel->relname, false)) {
			t->note = "if it has a DEFAULT partition, that one is scanned under ACCESS "
				  "EXCLUSIVE, which blocks reads of this table";
		}
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
		t->role = DG_ROLE_PARENT;
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD) {
			const PgQuery__PartitionCmd *pc = cmd->def->partition_cmd;
			if (pc->concurrent) {
				out->no_transaction = true;
				if (pg_version < 14)
					out->unsupported =
					    "DETACH PARTITION … CONCURRENTLY needs PostgreSQL 14";
				t->mode = SUE;
				struct dg_lock_rel *part =
				    add_rv(out, pc->name, DG_ROLE_PARTITION, AEL, false, false);
				if (part)
					part->note = "ACCESS EXCLUSIVE in its second transaction, "
						     "once the queries using the partitioned table "
						     "are done";
			} else {
				struct dg_lock_rel *part =
				    add_rv(out, pc->name, DG_ROLE_PARTITION, AEL, false, false);
				if (part) {
					part->owner = t->name;
					part->owner_schema = t->schema;
				}
			}
		}
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
		t->role = DG_ROLE_PARENT;
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD)
			add_rv(out, cmd->def->partition_cmd->name, DG_ROLE_PARTITION, SUE, false,
			       false);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit:
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_RANGE_VAR) {
			const PgQuery__RangeVar *pr = cmd->def->range_var;
			add_rv(out, pr, DG_ROLE_PARENT,
			       cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit
				   ? SUE
				   : DG_LOCK_ACCESS_SHARE,
			       false, false);
			/* still a child until it commits: queries on the parent read it */
			if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit) {
				t->owner = pr->relname;
				t->owner_schema =
				    pr->schemaname && *pr->schemaname ? pr->schemaname : NULL;
			}
		}
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
		if (cmd->name)
			add(out, rel->schemaname, cmd->name, DG_ROLE_INDEX, SUE, false, false);
		break;
	default:
		break;
	}
}

/* ---- one statement --------------------------------------------------------------------------- */

static bool is_relation_type(PgQuery__ObjectType t)
{
	return t == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX;
}

static void create_stmt(struct dg_lock_info *out, const PgQuery__CreateStmt *cs)
{
	add_rv(out, cs->relation, DG_ROLE_NEW, AEL, false, false);
	for (size_t i = 0; i < cs->n_inh_relations; i++)
		if (cs->inh_relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
			add_rv(out, cs->inh_relations[i]->range_var, DG_ROLE_PARENT,
			       cs->partbound ? AEL : SUE, false, false);
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *e = cs->table_elts[i];
		if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			column_constraints(out, e->column_def, NULL, false);
		else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
			 e->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
			add_rv(out, e->constraint->pktable, DG_ROLE_REFERENCED, SRE, false, false);
		else if (e->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE)
			add_rv(out, e->table_like_clause->relation, DG_ROLE_READ,
			       DG_LOCK_ACCESS_SHARE, false, false);
	}
}

/* Relations a query reads; with `executes`, those a SELECT reads in full (no WHERE, no LIMIT:
 * its scan reads every row) are marked scanned. */
struct scan_walk {
	struct dg_lock_info *out;
	const struct names *ctes;
};

static void mark_scanned(struct scan_walk *w, const PgQuery__Node *item)
{
	if (!item)
		return;
	if (item->node_case == PG_QUERY__NODE__NODE_RANGE_VAR) {
		const PgQuery__RangeVar *rv = item->range_var;
		for (size_t i = 0; i < w->out->n_rels; i++) {
			struct dg_lock_rel *r = &w->out->rels[i];
			if (r->role != DG_ROLE_INDEX_TABLE && same_name(r->name, rv->relname) &&
			    same_schema(r->schema,
					rv->schemaname && *rv->schemaname ? rv->schemaname : NULL))
				r->scan = true;
		}
	} else if (item->node_case == PG_QUERY__NODE__NODE_JOIN_EXPR) {
		mark_scanned(w, item->join_expr->larg);
		mark_scanned(w, item->join_expr->rarg);
	}
}

static enum dg_pb_next visit_full_select(const ProtobufCMessage *m, void *arg)
{
	struct scan_walk *w = arg;
	const PgQuery__SelectStmt *sel = (const PgQuery__SelectStmt *)m;

	if (m->descriptor == &pg_query__a__const__descriptor)
		return DG_PB_SKIP;
	if (m->descriptor != &pg_query__select_stmt__descriptor)
		return DG_PB_DESCEND;
	if (!sel->where_clause && !sel->limit_count)
		for (size_t i = 0; i < sel->n_from_clause; i++)
			mark_scanned(w, sel->from_clause[i]);
	return DG_PB_DESCEND;
}

static void add_query_reads(struct dg_lock_info *out, const PgQuery__Node *q,
			    enum dg_lock_mode mode, bool executes)
{
	struct names ctes = {{0}, 0};
	struct scan_walk w = {out, &ctes};

	add_reads(out, &q->base, mode);
	if (executes)
		dg_pb_walk(&q->base, visit_full_select, &w);
}

static void set_fails(struct dg_lock_info *out, const char *fmt, ...) DG_LOCKS_PRINTF(2, 3);

/* A row for relations the statement locks without naming them (every table of a schema, the
 * indexes of a table schema memory does not know): its label is `fmt` followed by `arg`. */
static struct dg_lock_rel *every(struct dg_lock_info *out, const char *fmt, const char *arg,
				 enum dg_lock_mode mode, bool rewrite, bool scan)
{
	char *label;
	struct dg_lock_rel *r;

	if (out->n_labels == DG_LOCK_MAX_LABELS)
		return NULL;
	label = out->room.labels[out->n_labels];
	snprintf(label, sizeof(out->room.labels[0]), "%s%s", fmt, arg ? arg : "");
	r = add(out, NULL, label, DG_ROLE_EVERY, mode, rewrite, scan);
	if (r)
		out->n_labels++;
	return r;
}

static void set_fails(struct dg_lock_info *out, const char *fmt, ...)
{
	va_list ap;

	if (out->fails[0])
		return;
	va_start(ap, fmt);
	vsnprintf(out->room.fails, sizeof(out->room.fails), fmt, ap);
	va_end(ap);
	out->fails = out->room.fails;
}

static bool in_list(const struct rel_name *l, size_t n, const char *schema, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (dg_same_rel(l[i].schema, l[i].name, schema, name))
			return true;
	return false;
}

/* TRUNCATE: new empty storage for each table; CASCADE empties (and locks) every table that
 * references one of them, in turn; without it, PostgreSQL refuses when another table references
 * one of them. */
static void truncate_stmt(struct dg_lock_info *out, const struct view *w,
			  const PgQuery__TruncateStmt *ts)
{
	struct rel_name list[DG_LOCK_MAX_RELS];
	size_t n = 0;
	bool cascade = ts->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;

	for (size_t i = 0; i < ts->n_relations; i++) {
		struct dg_lock_rel *r;
		if (ts->relations[i]->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
			continue;
		r = add_rv(out, ts->relations[i]->range_var, DG_ROLE_TABLE, AEL, false, false);
		if (!r)
			continue;
		r->note = "new empty storage: instant, no rewrite of rows";
		n = push_rel(list, n, DG_LOCK_MAX_RELS, r->schema, r->name);
	}
	for (size_t i = 0; i < n; i++) {
		struct rel_name refs[DG_LOCK_MAX_RELS];
		size_t k =
		    fk_neighbours(w, list[i].schema, list[i].name, true, refs, DG_LOCK_MAX_RELS);
		for (size_t q = 0; q < k; q++) {
			if (in_list(list, n, refs[q].schema, refs[q].name))
				continue;
			if (!cascade) {
				set_fails(
				    out,
				    "PostgreSQL refuses to truncate \"%s\": \"%s\" references "
				    "it by a foreign key (truncate both, or use CASCADE)",
				    list[i].name, refs[q].name);
				continue;
			}
			struct dg_lock_rel *r = add(out, refs[q].schema, refs[q].name,
						    DG_ROLE_REFERENCED, AEL, false, false);
			if (r)
				r->note = "emptied too (CASCADE): it references a truncated table";
			n = push_rel(list, n, DG_LOCK_MAX_RELS, refs[q].schema, refs[q].name);
		}
	}
}

/* Statements that act on a partitioned table's partitions too (unless ONLY). */
static bool recurses(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		return n->alter_table_stmt->relation && n->alter_table_stmt->relation->inh &&
		       n->alter_table_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return n->index_stmt->relation && n->index_stmt->relation->inh;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE;
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		return n->truncate_stmt->n_relations &&
		       n->truncate_stmt->relations[0]->node_case ==
			   PG_QUERY__NODE__NODE_RANGE_VAR &&
		       n->truncate_stmt->relations[0]->range_var->inh;
	case PG_QUERY__NODE__NODE_LOCK_STMT:
		return n->lock_stmt->n_relations &&
		       n->lock_stmt->relations[0]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR &&
		       n->lock_stmt->relations[0]->range_var->inh;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		return true;
	default:
		return false;
	}
}

static void propagate_to_partitions(struct dg_lock_info *out, const struct view *w);

static void stmt_locks(const PgQuery__Node *n, const struct view *w, int v,
		       struct dg_lock_info *out)
{
	lock_info_clear(out);
	out->known = true;

	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
		const PgQuery__AlterTableStmt *at = n->alter_table_stmt;
		/* each subcommand on its own, then the strongest lock wins */
		for (size_t i = 0; i < at->n_cmds; i++) {
			struct dg_lock_info one;
			if (at->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
				continue;
			lock_info_clear(&one);
			one.known = true;
			alter_cmd(&one, w, at, i, at->cmds[i]->alter_table_cmd, v);
			for (size_t k = 0; k < one.n_rels && i < 64; k++) {
				if (one.rels[k].rewrite)
					out->rewrite_cmds |= 1ULL << i;
				if (one.rels[k].scan || one.rels[k].rewrite)
					out->scan_cmds |= 1ULL << i;
			}
			merge(out, &one);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_INDEX_STMT: {
		const PgQuery__IndexStmt *is = n->index_stmt;
		add_rv(out, is->relation, DG_ROLE_TABLE, is->concurrent ? SUE : DG_LOCK_SHARE,
		       false, true);
		if (is->idxname && *is->idxname)
			add(out, is->relation ? is->relation->schemaname : NULL, is->idxname,
			    DG_ROLE_NEW, AEL, false, false);
		out->no_transaction = is->concurrent;
		if (is->concurrent && is->relation && is->relation->inh &&
		    !known_table(w, is->relation->schemaname, is->relation->relname) && out->n_rels)
			out->rels[0].note = "fails if it is a partitioned table: PostgreSQL cannot "
					    "build its index concurrently";
		if (is->concurrent && is->relation && is->relation->inh &&
		    is_partitioned(w, is->relation->schemaname, is->relation->relname))
			set_fails(out, "PostgreSQL cannot create an index on a partitioned table "
				       "concurrently");
		break;
	}
	case PG_QUERY__NODE__NODE_REINDEX_STMT: {
		const PgQuery__ReindexStmt *rs = n->reindex_stmt;
		bool conc = dg_option_on(rs->params, rs->n_params, "concurrently");
		/* the rebuilt indexes: ACCESS EXCLUSIVE for the whole build, or (CONCURRENTLY)
		 * only when the old index is dropped at the end; planning a query locks every
		 * index of its table, so reads of the table wait either way */
		const char *brief = conc ? "ACCESS EXCLUSIVE only briefly, when the old index is "
					   "dropped at the end"
					 : NULL;
		if (conc) {
			out->no_transaction = true;
			if (v < 12)
				out->unsupported = "REINDEX CONCURRENTLY needs PostgreSQL 12";
		}
		if (rs->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX) {
			struct dg_lock_rel *r;
			add_rv(out, rs->relation, DG_ROLE_INDEX_TABLE, conc ? SUE : DG_LOCK_SHARE,
			       false, true);
			r = add_rv(out, rs->relation, DG_ROLE_INDEX, AEL, true, false);
			if (r)
				r->note = brief;
		} else if (rs->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE) {
			struct rel_name ix[DG_LOCK_MAX_RELS];
			bool complete = false;
			size_t k = rs->relation ? indexes_of(w, rs->relation->schemaname,
							     rs->relation->relname, ix,
							     DG_LOCK_MAX_RELS - 2, &complete)
						: 0;
			struct dg_lock_rel *t = add_rv(out, rs->relation, DG_ROLE_TABLE,
						       conc ? SUE : DG_LOCK_SHARE, false, true);
			for (size_t i = 0; i < k; i++) {
				struct dg_lock_rel *r = add(out, ix[i].schema, ix[i].name,
							    DG_ROLE_INDEX, AEL, true, false);
				if (r) {
					r->note = brief;
					r->owner = t ? t->name : NULL;
					r->owner_schema = t ? t->schema : NULL;
				}
			}
			if (t && !complete) {
				/* the indexes this file and schema memory do not know */
				struct dg_lock_rel *r =
				    every(out, "the indexes of ", t->name, AEL, true, false);
				if (r) {
					r->owner = t->name;
					r->owner_schema = t->schema;
					r->note =
					    conc ? "ACCESS EXCLUSIVE only briefly, when each old "
						   "index is dropped at the end; reads of the "
						   "table wait"
						 : "reads of the table wait too: planning a "
						   "query locks every index of its table";
				}
			}
		} else {
			/* SCHEMA, DATABASE, SYSTEM: one table at a time */
			out->no_transaction = true;
			every(out, rs->name && *rs->name ? "every table of " : "every table",
			      rs->name && *rs->name ? rs->name : "", conc ? SUE : DG_LOCK_SHARE,
			      false, true);
			every(out, "their indexes", "", AEL, true, false);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_DROP_STMT: {
		const PgQuery__DropStmt *ds = n->drop_stmt;
		for (size_t i = 0; i < ds->n_objects; i++) {
			const PgQuery__Node *o = ds->objects[i];
			switch (ds->remove_type) {
			case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
				add_names(out, o, 0, DG_ROLE_INDEX_TABLE,
					  ds->concurrent ? SUE : AEL);
				add_names(out, o, 0, DG_ROLE_INDEX, AEL);
				out->no_transaction = ds->concurrent;
				break;
			case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: {
				/* its foreign keys' triggers go: ACCESS EXCLUSIVE on the referenced
				 * tables too (known when the keys were declared in this file) */
				struct dg_lock_rel *r = add_names(out, o, 0, DG_ROLE_TABLE, AEL);
				struct rel_name nb[DG_LOCK_MAX_RELS];
				size_t k;
				if (!r)
					break;
				k = fk_neighbours(w, r->schema, r->name, false, nb,
						  DG_LOCK_MAX_RELS);
				if (ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
					k += fk_neighbours(w, r->schema, r->name, true, nb + k,
							   DG_LOCK_MAX_RELS - k);
				for (size_t q = 0; q < k; q++)
					add(out, nb[q].schema, nb[q].name, DG_ROLE_REFERENCED, AEL,
					    false, false);
				if (!known_table(w, r->schema, r->name))
					r->note =
					    ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE
						? "the tables its foreign keys reference, and "
						  "those that reference it, take ACCESS "
						  "EXCLUSIVE too"
						: "the tables its foreign keys reference take "
						  "ACCESS EXCLUSIVE too";
				break;
			}
			case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
			case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
			case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
			case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
				add_names(out, o, 0, DG_ROLE_TABLE, AEL);
				break;
			case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
			case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
			case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
				add_names(out, o, 1, DG_ROLE_TABLE, AEL);
				break;
			case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
			case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
				out->known = false; /* what it drops with it is not in the text */
				break;
			default:
				break; /* types, functions, …: no table lock */
			}
		}
		break;
	}
	case PG_QUERY__NODE__NODE_RENAME_STMT: {
		const PgQuery__RenameStmt *rs = n->rename_stmt;
		switch (rs->rename_type) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
			add_rv(out, rs->relation, DG_ROLE_INDEX, v >= 12 ? SUE : AEL, false, false);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
		case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
		case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
		case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
			if (rs->relation)
				add_rv(out, rs->relation, DG_ROLE_TABLE, AEL, false, false);
			else if (rs->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_RULE ||
				 rs->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER)
				add_names(out, rs->object, 1, DG_ROLE_TABLE, AEL);
			break;
		default:
			break;
		}
		break;
	}
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		truncate_stmt(out, w, n->truncate_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		add_rv(out, n->create_trig_stmt->relation, DG_ROLE_TABLE, SRE, false, false);
		if (n->create_trig_stmt->constrrel)
			add_rv(out, n->create_trig_stmt->constrrel, DG_ROLE_REFERENCED,
			       DG_LOCK_ACCESS_SHARE, false, false);
		break;
	case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
		add_rv(out, n->create_policy_stmt->table, DG_ROLE_TABLE, AEL, false, false);
		break;
	case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
		add_rv(out, n->alter_policy_stmt->table, DG_ROLE_TABLE, AEL, false, false);
		break;
	case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT: {
		const PgQuery__RefreshMatViewStmt *r = n->refresh_mat_view_stmt;
		const PgQuery__Node *q =
		    r->relation ? matview_query(w, r->relation->schemaname, r->relation->relname)
				: NULL;
		/* CONCURRENTLY compares the new result with the view's rows: it reads them all */
		add_rv(out, r->relation, DG_ROLE_TABLE, r->concurrent ? DG_LOCK_EXCLUSIVE : AEL,
		       !r->concurrent, true);
		if (!q && r->relation && out->n_rels &&
		    !known_table(w, r->relation->schemaname, r->relation->relname))
			out->rels[0].note = "the tables its query reads are locked and read "
					    "too";
		if (q && !r->skip_data)
			add_query_reads(out, q, DG_LOCK_ACCESS_SHARE, true);
		else if (r->relation && !r->skip_data &&
			 memory_of(w, r->relation->schemaname, r->relation->relname))
			for (size_t i = 0; out->n_rels < DG_LOCK_MAX_RELS; i++) {
				const char *src = dg_catalog_matview_read_at(
				    w->catalog, r->relation->schemaname, r->relation->relname, i);
				if (!src)
					break;
				add(out, NULL, src, DG_ROLE_READ, DG_LOCK_ACCESS_SHARE, false,
				    true);
			}
		break;
	}
	case PG_QUERY__NODE__NODE_COMMENT_STMT: {
		const PgQuery__CommentStmt *c = n->comment_stmt;
		switch (c->objtype) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
			add_names(out, c->object, 0, DG_ROLE_TABLE, SUE);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
			add_names(out, c->object, 0, DG_ROLE_INDEX, SUE);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
			add_names(out, c->object, 1, DG_ROLE_TABLE, SUE);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
		case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
		case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
		case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
			/* the object itself is locked, its table only against dropping */
			add_names(out, c->object, 1, DG_ROLE_TABLE, DG_LOCK_ACCESS_SHARE);
			break;
		default:
			break;
		}
		break;
	}
	case PG_QUERY__NODE__NODE_VACUUM_STMT: {
		const PgQuery__VacuumStmt *vs = n->vacuum_stmt;
		bool full = vs->is_vacuumcmd && dg_option_on(vs->options, vs->n_options, "full");
		out->no_transaction = vs->is_vacuumcmd;
		if (!vs->n_rels)
			every(out, "every table of the database", "", full ? AEL : SUE, full,
			      vs->is_vacuumcmd);
		for (size_t i = 0; i < vs->n_rels; i++)
			if (vs->rels[i]->node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION)
				add_rv(out, vs->rels[i]->vacuum_relation->relation, DG_ROLE_TABLE,
				       full ? AEL : SUE, full, vs->is_vacuumcmd);
		break;
	}
	case PG_QUERY__NODE__NODE_CLUSTER_STMT: {
		const PgQuery__ClusterStmt *cs = n->cluster_stmt;
		if (!cs->relation) {
			out->no_transaction = true;
			every(out, "every table clustered before", "", AEL, true, true);
		}
		add_rv(out, cs->relation, DG_ROLE_TABLE, AEL, true, true);
		if (cs->relation && cs->indexname && *cs->indexname)
			add(out, cs->relation->schemaname, cs->indexname, DG_ROLE_INDEX, AEL, true,
			    false);
		break;
	}
	case PG_QUERY__NODE__NODE_LOCK_STMT: {
		int m = n->lock_stmt->mode;
		if (w->facts && !w->in_tx)
			set_fails(out, "LOCK TABLE can only be used in transaction blocks");
		for (size_t i = 0; i < n->lock_stmt->n_relations; i++)
			if (n->lock_stmt->relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
				add_rv(out, n->lock_stmt->relations[i]->range_var, DG_ROLE_TABLE,
				       m >= 1 && m <= 8 ? (enum dg_lock_mode)m : AEL, false, false);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_MOVE_ALL_STMT: {
		const PgQuery__AlterTableMoveAllStmt *m = n->alter_table_move_all_stmt;
		every(out, "every table in tablespace ",
		      m->orig_tablespacename ? m->orig_tablespacename : "?", AEL, true, false);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT: {
		const PgQuery__AlterDomainStmt *d = n->alter_domain_stmt;
		const char *name = dg_name_last(d->type_name, d->n_type_name);
		bool checks =
		    d->subtype && (d->subtype[0] == 'O' ||
				   (d->subtype[0] == 'C' && d->def &&
				    d->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
				    !d->def->constraint->skip_validation) ||
				   d->subtype[0] == 'V');
		/* every column of the domain's type is checked, table by table */
		if (checks && name)
			every(out, "every table using domain ", name, DG_LOCK_SHARE, false, true);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_STATS_STMT:
		for (size_t i = 0; i < n->create_stats_stmt->n_relations; i++)
			if (n->create_stats_stmt->relations[i]->node_case ==
			    PG_QUERY__NODE__NODE_RANGE_VAR)
				add_rv(out, n->create_stats_stmt->relations[i]->range_var,
				       DG_ROLE_TABLE, SUE, false, false);
		break;
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		create_stmt(out, n->create_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *c = n->create_table_as_stmt;
		if (c->query)
			add_query_reads(out, c->query, DG_LOCK_ACCESS_SHARE,
					!(c->into && c->into->skip_data));
		if (c->into)
			add_rv(out, c->into->rel, DG_ROLE_NEW, AEL, false, false);
		break;
	}
	case PG_QUERY__NODE__NODE_VIEW_STMT: {
		const PgQuery__ViewStmt *vs = n->view_stmt;
		if (vs->query)
			add_reads(out, &vs->query->base, DG_LOCK_ACCESS_SHARE);
		add_rv(out, vs->view, vs->replace ? DG_ROLE_TABLE : DG_ROLE_NEW, AEL, false, false);
		if (vs->replace && out->n_rels)
			out->rels[out->n_rels - 1].note = "ACCESS EXCLUSIVE when the view exists";
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		add_rv(out, n->create_seq_stmt->sequence, DG_ROLE_NEW, AEL, false, false);
		break;
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT: {
		const PgQuery__AlterSeqStmt *as = n->alter_seq_stmt;
		bool rewrite = false;
		/* every option but OWNED BY gives the sequence new storage (one page) */
		for (size_t i = 0; i < as->n_options; i++) {
			const PgQuery__Node *o = as->options[i];
			if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
				continue;
			if (same_name(o->def_elem->defname, "owned_by")) {
				const PgQuery__Node *a = o->def_elem->arg;
				if (a && a->node_case == PG_QUERY__NODE__NODE_LIST)
					add_names(out, a, 1, DG_ROLE_READ, DG_LOCK_ACCESS_SHARE);
			} else {
				rewrite = true;
			}
		}
		add_rv(out, as->sequence, DG_ROLE_TABLE, SRE, rewrite, false);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
		if (is_relation_type(n->alter_object_schema_stmt->object_type))
			add_rv(out, n->alter_object_schema_stmt->relation, DG_ROLE_TABLE, AEL,
			       false, false);
		break;
	case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
		if (is_relation_type(n->alter_owner_stmt->object_type))
			add_rv(out, n->alter_owner_stmt->relation, DG_ROLE_TABLE, AEL, false,
			       false);
		break;
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		add_query_reads(out, n, DG_LOCK_ACCESS_SHARE, true);
		add_rv(out, n->insert_stmt->relation, DG_ROLE_TABLE, DG_LOCK_ROW_EXCLUSIVE, false,
		       false);
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		add_reads(out, &n->base, DG_LOCK_ACCESS_SHARE);
		add_rv(out, n->update_stmt->relation, DG_ROLE_TABLE, DG_LOCK_ROW_EXCLUSIVE, false,
		       !n->update_stmt->where_clause);
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		add_reads(out, &n->base, DG_LOCK_ACCESS_SHARE);
		add_rv(out, n->delete_stmt->relation, DG_ROLE_TABLE, DG_LOCK_ROW_EXCLUSIVE, false,
		       !n->delete_stmt->where_clause);
		break;
	case PG_QUERY__NODE__NODE_SELECT_STMT: {
		const PgQuery__SelectStmt *s = n->select_stmt;
		add_query_reads(out, n,
				s->n_locking_clause ? DG_LOCK_ROW_SHARE : DG_LOCK_ACCESS_SHARE,
				s->into_clause != NULL);
		if (s->into_clause)
			add_rv(out, s->into_clause->rel, DG_ROLE_NEW, AEL, false, false);
		break;
	}
	case PG_QUERY__NODE__NODE_MERGE_STMT:
		add_reads(out, &n->base, DG_LOCK_ACCESS_SHARE);
		add_rv(out, n->merge_stmt->relation, DG_ROLE_TABLE, DG_LOCK_ROW_EXCLUSIVE, false,
		       false);
		break;
	case PG_QUERY__NODE__NODE_RULE_STMT:
		add_rv(out, n->rule_stmt->relation, DG_ROLE_TABLE, AEL, false, false);
		break;
	case PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT:
	case PG_QUERY__NODE__NODE_ALTER_PUBLICATION_STMT:
		add_all(out, &n->base, DG_ROLE_TABLE, SUE);
		break;
	case PG_QUERY__NODE__NODE_GRANT_STMT:
	case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_ROLE_SET_STMT:
	case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
	case PG_QUERY__NODE__NODE_ALTER_FUNCTION_STMT:
	case PG_QUERY__NODE__NODE_DEFINE_STMT:
	case PG_QUERY__NODE__NODE_NOTIFY_STMT:
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		break; /* no relation lock */
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		if (v < 12 && !(n->alter_enum_stmt->old_val && *n->alter_enum_stmt->old_val))
			out->no_transaction = true; /* ADD VALUE in a block: PostgreSQL 12 */
		break;
	default:
		out->known = false;
		break;
	}
	if (recurses(n))
		propagate_to_partitions(out, w);
}

/* After propagate_to_partitions: a table the model knows nothing of may be partitioned. */
static void hedge_partitions(struct dg_lock_info *out, const struct view *w)
{
	for (size_t i = 0; i < out->n_rels; i++) {
		struct dg_lock_rel *r = &out->rels[i];
		if (r->role == DG_ROLE_TABLE && r->name && !r->note && r->mode > DG_LOCK_NONE &&
		    !known_table(w, r->schema, r->name))
			r->note = "if it is partitioned, its partitions take the same lock";
	}
}

/* A statement on a partitioned table takes the same lock on every partition (and rewrites or
 * scans them in its place), sub-partitions included: the list grows while we walk it. */
static void propagate_to_partitions(struct dg_lock_info *out, const struct view *w)
{
	for (size_t i = 0; i < out->n_rels; i++) {
		struct rel_name parts[DG_LOCK_MAX_RELS];
		struct dg_lock_rel r = out->rels[i];
		size_t n;

		if ((r.role != DG_ROLE_TABLE && r.role != DG_ROLE_PARTITION) || !r.name ||
		    r.mode == DG_LOCK_NONE)
			continue;
		n = partitions(w, r.schema, r.name, false, parts, DG_LOCK_MAX_RELS);
		for (size_t k = 0; k < n; k++) {
			struct dg_lock_rel *p = add(out, parts[k].schema, parts[k].name,
						    DG_ROLE_PARTITION, r.mode, r.rewrite, r.scan);
			if (p && !p->owner) {
				p->owner = out->rels[i].name;
				p->owner_schema = out->rels[i].schema;
			}
		}
	}
}

static struct dg_lock_rel *find_rel(struct dg_lock_info *out, const char *schema, const char *name)
{
	for (size_t i = 0; name && i < out->n_rels; i++) {
		struct dg_lock_rel *r = &out->rels[i];
		if (r->role != DG_ROLE_INDEX && r->role != DG_ROLE_NEW &&
		    same_name(r->name, name) && same_schema(r->schema, schema))
			return r;
	}
	return NULL;
}

/* Names the tables of indexes, then says what each relation's lock blocks. A query locks more
 * than the relation it names: planning a SELECT takes ACCESS SHARE on every index of the table
 * (INSERT and UPDATE take ROW EXCLUSIVE on them), and a query on a partitioned table locks its
 * partitions. So a lock on an index or a partition blocks the traffic of its table too. */
static void finalize(struct dg_lock_info *out, const struct view *w)
{
	for (size_t i = 0; i < out->n_rels; i++) {
		struct dg_lock_rel *r = &out->rels[i];
		enum dg_lock_mode m = r->mode;

		if (r->role == DG_ROLE_INDEX_TABLE && !r->name && r->index)
			r->name = index_table(w, r->schema, r->index);
		if (r->role == DG_ROLE_INDEX && !r->owner)
			r->owner = index_table(w, r->schema, r->name);
		r->blocks_reads = r->role != DG_ROLE_NEW && dg_lock_blocks_reads(m);
		r->blocks_writes = r->role != DG_ROLE_NEW && dg_lock_blocks_writes(m);
	}
	/* the table of an index, and the parent of a partition, that the statement does not lock
	 * itself: its queries wait all the same */
	for (size_t i = 0, n = out->n_rels; i < n; i++) {
		struct dg_lock_rel *r = &out->rels[i], *o;
		const char *ps = NULL, *parent = NULL;
		if (!r->blocks_reads && !r->blocks_writes)
			continue;
		if (r->role == DG_ROLE_INDEX) {
			bool named = false;
			for (size_t k = 0; k < out->n_rels; k++)
				named |= out->rels[k].role == DG_ROLE_INDEX_TABLE &&
					 same_name(out->rels[k].index, r->name);
			if (named || (r->owner && find_rel(out, r->owner_schema, r->owner)))
				continue;
			o = add(out, r->schema, r->name, DG_ROLE_INDEX_TABLE, DG_LOCK_NONE, false,
				false);
			if (o) {
				o->name = r->owner;
				o->note =
				    "not locked itself: queries on it wait for the lock on its "
				    "index (planning locks every index of the table)";
			}
			continue;
		}
		/* DETACH … CONCURRENTLY: queries on the parent no longer see the partition */
		if (r->role == DG_ROLE_PARTITION && out->no_transaction)
			continue;
		if ((r->role != DG_ROLE_TABLE && r->role != DG_ROLE_PARTITION) || r->owner ||
		    !r->name || !(parent = parent_of(w, r->schema, r->name, &ps)))
			continue;
		r->owner = parent;
		r->owner_schema = ps;
		if (find_rel(out, ps, parent))
			continue;
		o = add(out, ps, parent, DG_ROLE_PARENT, DG_LOCK_NONE, false, false);
		if (o)
			o->note =
			    "not locked itself: queries on it wait for the lock on its partition";
	}
	/* twice: a sub-partition's lock reaches its parent's parent */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < out->n_rels; i++) {
			struct dg_lock_rel *r = &out->rels[i], *o = NULL;
			if (r->role == DG_ROLE_INDEX) {
				for (size_t k = 0; k < out->n_rels && !o; k++)
					if (out->rels[k].role == DG_ROLE_INDEX_TABLE &&
					    same_name(out->rels[k].index, r->name))
						o = &out->rels[k];
			}
			if (!o && r->owner)
				o = find_rel(out, r->owner_schema, r->owner);
			if (!o || o == r)
				continue;
			o->blocks_reads |= r->blocks_reads;
			o->blocks_writes |= r->blocks_writes;
		}
}

void dg_lock_file_init(struct dg_lock_file *f, const struct dg_parsed *p,
		       const struct dg_facts *facts)
{
	f->p = p;
	f->facts = facts;
	f->catalog = NULL;
}

void dg_locks_of_stmt(const struct dg_lock_file *f, size_t index, int pg_version,
		      struct dg_lock_info *out)
{
	bool block = f->facts && f->facts->tx[index].in_tx;
	/* a DO block's statement runs inside the DO's own transaction at least */
	struct view w = {f->facts, f->catalog, index, f->p->stmts[index].section->dir,
			 block || f->p->stmts[index].holder};

	stmt_locks(f->p->stmts[index].node, &w, pg_version, out);
	if (recurses(f->p->stmts[index].node))
		hedge_partitions(out, &w);
	finalize(out, &w);
	/* a DO block or function runs its statements below the top level, where
	 * PreventInTransactionBlock refuses them even outside a transaction block (inside one,
	 * the transaction-block error comes first) */
	if (f->p->stmts[index].holder && out->no_transaction && !block)
		set_fails(out, "PostgreSQL refuses this statement inside a DO block or function "
			       "(\"ERROR: ... cannot be executed from a function\"; with an "
			       "EXCEPTION clause, \"... cannot run inside a transaction block\"): "
			       "it must run as a top-level statement");
}

void dg_locks_of_node(const PgQuery__Node *stmt, int pg_version, struct dg_lock_info *out)
{
	struct view w = {NULL, NULL, 0, DG_DIR_NONE, false};

	stmt_locks(stmt, &w, pg_version, out);
	if (recurses(stmt))
		hedge_partitions(out, &w);
	finalize(out, &w);
}
