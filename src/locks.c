/* locks.c — the lock model as data: which relations a statement touches, the lock mode on each,
 * rewrite and scan, per PostgreSQL version. Every claim here is checked against a real server by
 * tests/pg/test_pg_locks.c; when they disagree, the server is right. Sources: the "Explicit
 * Locking" chapter, the ALTER TABLE page and AlterTableGetLockLevel() in tablecmds.c. */
#include "locks.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
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
	};
	return r <= DG_ROLE_NEW ? names[r] : "?";
}

enum dg_lock_mode dg_lock_info_max(const struct dg_lock_info *info)
{
	enum dg_lock_mode m = DG_LOCK_NONE;

	for (size_t i = 0; i < info->n_rels; i++)
		if (info->rels[i].mode > m)
			m = info->rels[i].mode;
	return m;
}

/* ---- volatile functions ---------------------------------------------------------------------- */

/* Functions whose call in ADD COLUMN … DEFAULT forces a rewrite: provolatile = 'v' in pg_catalog
 * (checked by the server test), plus the common extension ones. now(), CURRENT_TIMESTAMP,
 * statement_timestamp() and txid_current() are STABLE: evaluated once, no rewrite. */
static const char *const volatile_functions[] = {
    "random",
    "random_normal",
    "clock_timestamp",
    "timeofday",
    "gen_random_uuid",
    "nextval",
    "setval",
    "currval",
    "lastval",
    "uuidv4",
    "uuidv7",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "gen_random_bytes",
    "random_string",
};

bool dg_lock_function_is_volatile(const char *name)
{
	if (!name)
		return false;
	for (size_t i = 0; i < sizeof(volatile_functions) / sizeof(volatile_functions[0]); i++)
		if (strcmp(volatile_functions[i], name) == 0)
			return true;
	return false;
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
				  NULL};
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
		if (m && !m->note)
			m->note = r->note;
	}
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

static enum dg_pb_next visit_volatile_call(const ProtobufCMessage *m, void *arg)
{
	const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;

	(void)arg;
	if (m->descriptor == &pg_query__func_call__descriptor && fc->n_funcname &&
	    dg_lock_function_is_volatile(str(fc->funcname[fc->n_funcname - 1])))
		return DG_PB_STOP;
	return DG_PB_DESCEND;
}

static bool has_volatile_call(const ProtobufCMessage *m)
{
	return !dg_pb_walk(m, visit_volatile_call, NULL);
}

/* ---- history: what earlier statements of the file say ---------------------------------------- */

struct history {
	const struct dg_parsed *p;
	size_t upto; /* statements [0, upto) are earlier */
	bool has_partitions;
	const struct dg_catalog *catalog; /* schema memory, or NULL */
};

static bool rv_is(const PgQuery__RangeVar *rv, const char *schema, const char *name)
{
	return rv && same_name(rv->relname, name) &&
	       same_schema(rv->schemaname && *rv->schemaname ? rv->schemaname : NULL, schema);
}

/* The type of column `col` of `table` as last declared earlier in the file, or NULL. */
static const PgQuery__TypeName *history_column_type(const struct history *h, const char *schema,
						    const char *table, const char *col)
{
	const PgQuery__TypeName *found = NULL;

	for (size_t i = 0; h->p && i < h->upto; i++) {
		const PgQuery__Node *n = h->p->stmts[i].node;
		if (n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT &&
		    rv_is(n->create_stmt->relation, schema, table)) {
			found = NULL;
			for (size_t k = 0; k < n->create_stmt->n_table_elts; k++) {
				const PgQuery__Node *e = n->create_stmt->table_elts[k];
				if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
				    same_name(e->column_def->colname, col))
					found = e->column_def->type_name;
			}
		} else if (n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT &&
			   rv_is(n->alter_table_stmt->relation, schema, table)) {
			const PgQuery__AlterTableStmt *at = n->alter_table_stmt;
			for (size_t k = 0; k < at->n_cmds; k++) {
				const PgQuery__AlterTableCmd *c = at->cmds[k]->alter_table_cmd;
				if (!c)
					continue;
				if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn &&
				    c->def &&
				    c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
				    same_name(c->def->column_def->colname, col))
					found = c->def->column_def->type_name;
				else if (c->subtype ==
					     PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType &&
					 same_name(c->name, col) && c->def &&
					 c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
					found = c->def->column_def->type_name;
				else if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn &&
					 same_name(c->name, col))
					found = NULL;
			}
		}
	}
	return found;
}

/* Every foreign key declared earlier in the file: (its table, the constraint). */
struct fk_ref {
	const PgQuery__RangeVar *table;
	const PgQuery__Constraint *con;
};

static size_t history_fks(const struct history *h, struct fk_ref *out, size_t max)
{
	size_t n = 0;

#define PUSH(t, c)                                                                                 \
	do {                                                                                       \
		if ((c) && (c)->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN && n < max)       \
			out[n++] = (struct fk_ref){(t), (c)};                                      \
	} while (0)
	for (size_t i = 0; h->p && i < h->upto; i++) {
		const PgQuery__Node *nd = h->p->stmts[i].node;
		if (nd->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) {
			const PgQuery__CreateStmt *cs = nd->create_stmt;
			for (size_t k = 0; k < cs->n_table_elts; k++) {
				const PgQuery__Node *e = cs->table_elts[k];
				if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
					PUSH(cs->relation, e->constraint);
				else if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
					for (size_t c = 0; c < e->column_def->n_constraints; c++)
						PUSH(cs->relation,
						     e->column_def->constraints[c]->constraint);
			}
		} else if (nd->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
			const PgQuery__AlterTableStmt *at = nd->alter_table_stmt;
			for (size_t k = 0; k < at->n_cmds; k++) {
				const PgQuery__AlterTableCmd *c = at->cmds[k]->alter_table_cmd;
				if (!c || !c->def)
					continue;
				if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint &&
				    c->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
					PUSH(at->relation, c->def->constraint);
				else if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn &&
					 c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
					for (size_t q = 0; q < c->def->column_def->n_constraints;
					     q++)
						PUSH(
						    at->relation,
						    c->def->column_def->constraints[q]->constraint);
			}
		}
	}
#undef PUSH
	return n;
}

#define MAX_FKS 256

/* The referenced table of foreign key `conname` on `table`, declared earlier in the file. */
static const PgQuery__RangeVar *history_fk_target(const struct history *h, const char *schema,
						  const char *table, const char *conname)
{
	struct fk_ref fks[MAX_FKS];
	size_t n = history_fks(h, fks, MAX_FKS);

	for (size_t i = 0; i < n; i++)
		if (rv_is(fks[i].table, schema, table) && same_name(fks[i].con->conname, conname))
			return fks[i].con->pktable;
	return NULL;
}

/* DROP TABLE removes the triggers of foreign keys on both sides: ACCESS EXCLUSIVE on the tables
 * it references, and (with CASCADE) on the tables referencing it. */
static void history_fk_drop(const struct history *h, struct dg_lock_info *out, const char *schema,
			    const char *table, bool cascade)
{
	struct fk_ref fks[MAX_FKS];
	size_t n = history_fks(h, fks, MAX_FKS);

	for (size_t i = 0; i < n; i++) {
		if (rv_is(fks[i].table, schema, table))
			add_rv(out, fks[i].con->pktable, DG_ROLE_REFERENCED, AEL, false, false);
		else if (cascade && rv_is(fks[i].con->pktable, schema, table))
			add_rv(out, fks[i].table, DG_ROLE_REFERENCED, AEL, false, false);
	}
	/* the foreign keys earlier migrations gave it — unless this file made the table anew */
	if (!h->catalog)
		return;
	for (size_t i = 0; h->p && i < h->upto; i++) {
		const PgQuery__Node *nd = h->p->stmts[i].node;
		if (nd->node_case == PG_QUERY__NODE__NODE_CREATE_STMT &&
		    rv_is(nd->create_stmt->relation, schema, table))
			return;
	}
	for (size_t i = 0; i < DG_LOCK_MAX_RELS; i++) {
		const char *ref = dg_catalog_referenced_at(h->catalog, schema, table, i);
		if (!ref)
			break;
		add(out, NULL, ref, DG_ROLE_REFERENCED, AEL, false, false);
	}
}

/* The partitions of `table` per the earlier statements of the file (CREATE TABLE … PARTITION OF,
 * ATTACH, minus DETACH and DROP). Returns how many were written to `out`. */
static size_t history_partitions(const struct history *h, const char *schema, const char *table,
				 const PgQuery__RangeVar **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; h->p && i < h->upto; i++) {
		const PgQuery__Node *nd = h->p->stmts[i].node;
		if (nd->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) {
			const PgQuery__CreateStmt *cs = nd->create_stmt;
			if (cs->partbound && cs->n_inh_relations == 1 &&
			    cs->inh_relations[0]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR &&
			    rv_is(cs->inh_relations[0]->range_var, schema, table) && n < max)
				out[n++] = cs->relation;
		} else if (nd->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT &&
			   rv_is(nd->alter_table_stmt->relation, schema, table)) {
			const PgQuery__AlterTableStmt *at = nd->alter_table_stmt;
			for (size_t k = 0; k < at->n_cmds; k++) {
				const PgQuery__AlterTableCmd *c = at->cmds[k]->alter_table_cmd;
				const PgQuery__RangeVar *part;
				if (!c || !c->def ||
				    c->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD)
					continue;
				part = c->def->partition_cmd->name;
				if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition &&
				    n < max)
					out[n++] = part;
				else if (c->subtype ==
					 PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition)
					for (size_t q = 0; q < n; q++)
						if (part &&
						    rv_is(out[q], part->schemaname, part->relname))
							out[q--] = out[--n];
			}
		} else if (nd->node_case == PG_QUERY__NODE__NODE_DROP_STMT &&
			   nd->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
			for (size_t k = 0; k < nd->drop_stmt->n_objects; k++) {
				const PgQuery__Node *o = nd->drop_stmt->objects[k];
				const char *name;
				if (o->node_case != PG_QUERY__NODE__NODE_LIST || !o->list->n_items)
					continue;
				name = str(o->list->items[o->list->n_items - 1]);
				for (size_t q = 0; q < n; q++)
					if (same_name(out[q]->relname, name))
						out[q--] = out[--n];
			}
		}
	}
	return n;
}

/* A statement on a partitioned table takes the same lock on every partition (and rewrites or
 * scans them in its place): the partitions this file knows of are added. */
/* Whether an earlier statement of the file creates schema.name (CREATE TABLE), or, `removed`,
 * detaches or drops it: then what earlier migrations knew of it does not hold any more. */
static bool history_touches(const struct history *h, const char *schema, const char *name,
			    bool removed)
{
	for (size_t i = 0; h->p && i < h->upto; i++) {
		const PgQuery__Node *nd = h->p->stmts[i].node;
		if (nd->node_case == PG_QUERY__NODE__NODE_CREATE_STMT &&
		    rv_is(nd->create_stmt->relation, schema, name))
			return true;
		if (!removed)
			continue;
		if (nd->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
			const PgQuery__AlterTableStmt *at = nd->alter_table_stmt;
			for (size_t k = 0; k < at->n_cmds; k++) {
				const PgQuery__AlterTableCmd *c = at->cmds[k]->alter_table_cmd;
				if (c &&
				    c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition &&
				    c->def &&
				    c->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
				    rv_is(c->def->partition_cmd->name, schema, name))
					return true;
			}
		} else if (nd->node_case == PG_QUERY__NODE__NODE_DROP_STMT &&
			   nd->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
			for (size_t k = 0; k < nd->drop_stmt->n_objects; k++) {
				const PgQuery__Node *o = nd->drop_stmt->objects[k];
				if (o->node_case == PG_QUERY__NODE__NODE_LIST && o->list->n_items &&
				    same_name(str(o->list->items[o->list->n_items - 1]), name))
					return true;
			}
		}
	}
	return false;
}

static void propagate_to_partitions(struct dg_lock_info *out, const struct history *h)
{
	bool memory = h->catalog && dg_catalog_has_partitions(h->catalog);

	if (!h->has_partitions && !memory)
		return;
	/* the list grows while we walk it: sub-partitions are reached in turn */
	for (size_t i = 0; i < out->n_rels; i++) {
		const PgQuery__RangeVar *parts[32];
		struct dg_lock_rel r = out->rels[i];
		size_t n;

		if ((r.role != DG_ROLE_TABLE && r.role != DG_ROLE_PARTITION) || !r.name ||
		    r.mode == DG_LOCK_NONE)
			continue;
		n = history_partitions(h, r.schema, r.name, parts, 32);
		for (size_t k = 0; k < n; k++)
			add_rv(out, parts[k], DG_ROLE_PARTITION, r.mode, r.rewrite, r.scan);
		/* the partitions earlier migrations attached — unless this file made the table
		 * anew, or detached or dropped the partition since */
		if (!memory || history_touches(h, r.schema, r.name, false))
			continue;
		for (size_t k = 0; out->n_rels < DG_LOCK_MAX_RELS; k++) {
			const char *ps = NULL, *pn = dg_catalog_partition_at(h->catalog, r.schema,
									     r.name, k, &ps);
			if (!pn)
				break;
			if (!history_touches(h, ps, pn, true))
				add(out, ps, pn, DG_ROLE_PARTITION, r.mode, r.rewrite, r.scan);
		}
	}
}

/* Whether an earlier SET TimeZone in the file makes the session UTC. */
static bool history_timezone_utc(const struct history *h)
{
	static const char *const utc[] = {"utc",  "etc/utc",   "gmt",		"etc/gmt", "uct",
					  "zulu", "universal", "etc/universal", "z"};
	bool is_utc = false;

	for (size_t i = 0; h->p && i < h->upto; i++) {
		const PgQuery__Node *n = h->p->stmts[i].node;
		const PgQuery__VariableSetStmt *vs;
		if (n->node_case != PG_QUERY__NODE__NODE_VARIABLE_SET_STMT)
			continue;
		vs = n->variable_set_stmt;
		if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL) {
			is_utc = false;
			continue;
		}
		if (!vs->name || strcmp(vs->name, "timezone") != 0)
			continue;
		is_utc = false;
		if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE && vs->n_args == 1 &&
		    vs->args[0]->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		    vs->args[0]->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
			for (size_t k = 0; k < sizeof(utc) / sizeof(utc[0]); k++)
				if (strcasecmp(vs->args[0]->a_const->sval->sval, utc[k]) == 0)
					is_utc = true;
	}
	return is_utc;
}

/* The query of materialized view `name` created earlier in the file. */
static const PgQuery__Node *history_matview_query(const struct history *h, const char *schema,
						  const char *name)
{
	const PgQuery__Node *q = NULL;

	for (size_t i = 0; h->p && i < h->upto; i++) {
		const PgQuery__Node *n = h->p->stmts[i].node;
		if (n->node_case == PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT &&
		    n->create_table_as_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW &&
		    n->create_table_as_stmt->into &&
		    rv_is(n->create_table_as_stmt->into->rel, schema, name))
			q = n->create_table_as_stmt->query;
	}
	return q;
}

/* ---- column types: which changes are binary-coercible ---------------------------------------- */

static const char *type_base(const PgQuery__TypeName *t)
{
	const char *n = t && t->n_names ? str(t->names[t->n_names - 1]) : NULL;

	if (!n)
		return "";
	/* the grammar's spellings of one type */
	if (strcmp(n, "varchar") == 0 || strcmp(n, "character varying") == 0)
		return "varchar";
	return n;
}

static bool typmod_int(const PgQuery__TypeName *t, size_t i, long *v)
{
	const PgQuery__Node *m;

	if (!t || i >= t->n_typmods)
		return false;
	m = t->typmods[i];
	if (m->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
		*v = m->a_const->ival->ival;
		return true;
	}
	return false;
}

enum coercion { COERCE_UNKNOWN, COERCE_FREE, COERCE_REWRITE };

/* Whether changing a column from `from` to `to` keeps the stored bytes (no rewrite). */
static enum coercion type_change(const PgQuery__TypeName *from, const PgQuery__TypeName *to)
{
	const char *a = type_base(from), *b = type_base(to);
	long fa, fb, sa = 0, sb = 0;

	if (!from)
		return COERCE_UNKNOWN;
	if (from->n_array_bounds != to->n_array_bounds)
		return COERCE_REWRITE;
	if (strcmp(a, "varchar") == 0 || strcmp(a, "text") == 0) {
		if (strcmp(b, "text") == 0)
			return COERCE_FREE;
		if (strcmp(b, "varchar") == 0) {
			if (to->n_typmods == 0)
				return COERCE_FREE;
			if (strcmp(a, "varchar") == 0 && typmod_int(from, 0, &fa) &&
			    typmod_int(to, 0, &fb) && fb >= fa)
				return COERCE_FREE;
		}
		return COERCE_REWRITE;
	}
	if (strcmp(a, "numeric") == 0 && strcmp(b, "numeric") == 0) {
		if (to->n_typmods == 0)
			return COERCE_FREE;
		if (from->n_typmods == 0)
			return COERCE_REWRITE;
		typmod_int(from, 1, &sa);
		typmod_int(to, 1, &sb);
		if (typmod_int(from, 0, &fa) && typmod_int(to, 0, &fb) && fb >= fa && sa == sb)
			return COERCE_FREE;
		return COERCE_REWRITE;
	}
	if ((strcmp(a, "cidr") == 0 && strcmp(b, "inet") == 0) ||
	    (strcmp(a, "varbit") == 0 && strcmp(b, "varbit") == 0 && to->n_typmods == 0))
		return COERCE_FREE;
	if (strcmp(a, b) == 0 && from->n_typmods == 0 && to->n_typmods == 0)
		return COERCE_FREE;
	return COERCE_REWRITE;
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
	const char *n = type_base(t);

	return strcmp(n, "serial") == 0 || strcmp(n, "bigserial") == 0 ||
	       strcmp(n, "smallserial") == 0 || strcmp(n, "serial2") == 0 ||
	       strcmp(n, "serial4") == 0 || strcmp(n, "serial8") == 0;
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
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
			add_rv(out, c->pktable, DG_ROLE_REFERENCED, SRE, false, false);
			/* a new column without a default is all NULL: the server skips validating
			 * its foreign key, but any DEFAULT (even NULL) makes it check every row */
			if (existing && table && has_default && !c->skip_validation)
				table->scan = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			if (existing && c->raw_expr && has_volatile_call(&c->raw_expr->base) &&
			    table)
				table->rewrite = table->scan = true;
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

static void alter_cmd(struct dg_lock_info *out, const struct history *h,
		      const PgQuery__AlterTableStmt *at, const PgQuery__AlterTableCmd *cmd,
		      int pg_version)
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
			if (col->raw_default && has_volatile_call(&col->raw_default->base))
				t->rewrite = t->scan = true;
			column_constraints(out, col, t, true);
		}
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
			const PgQuery__Constraint *c = cmd->def->constraint;
			switch (c->contype) {
			case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
				add_rv(out, c->pktable, DG_ROLE_REFERENCED, SRE, false, false);
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
					/* the server: SHARE UPDATE EXCLUSIVE on the index for
					 * UNIQUE, ACCESS SHARE for PRIMARY KEY */
					add(out, rel->schemaname, c->indexname, DG_ROLE_INDEX,
					    c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY
						? DG_LOCK_ACCESS_SHARE
						: SUE,
					    false, false);
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
		const PgQuery__RangeVar *pk =
		    history_fk_target(h, rel->schemaname, rel->relname, cmd->name);
		add_rv(out, pk, DG_ROLE_REFERENCED, DG_LOCK_ROW_SHARE, false, false);
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint: {
		const PgQuery__RangeVar *pk =
		    history_fk_target(h, rel->schemaname, rel->relname, cmd->name);
		add_rv(out, pk, DG_ROLE_REFERENCED, AEL, false, false);
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			const PgQuery__ColumnDef *col = cmd->def->column_def;
			const PgQuery__TypeName *old =
			    history_column_type(h, rel->schemaname, rel->relname, cmd->name);
			enum coercion co =
			    col->raw_default ? COERCE_REWRITE : type_change(old, col->type_name);
			const char *to = type_base(col->type_name);
			if (co == COERCE_UNKNOWN) {
				/* the old type is not in this file: assume the usual widening */
				if (strcmp(to, "text") == 0 || (strcmp(to, "varchar") == 0 &&
								col->type_name->n_typmods == 0)) {
					co = COERCE_FREE;
					t->note =
					    "no rewrite assumes the column was varchar or text; "
					    "from other types it rewrites";
				} else {
					co = COERCE_REWRITE;
					if (strcmp(to, "varchar") == 0 ||
					    strcmp(to, "numeric") == 0)
						t->note = "no rewrite if it only widens a varchar "
							  "length or a numeric precision";
				}
			}
			if (old && strcmp(type_base(old), "timestamp") == 0 &&
			    strcmp(to, "timestamptz") == 0 && co == COERCE_REWRITE &&
			    !col->raw_default) {
				/* the same bytes when the session's TimeZone is UTC (PostgreSQL 12)
				 */
				if (pg_version >= 12 && history_timezone_utc(h))
					co = COERCE_FREE;
				else if (pg_version >= 12)
					t->note = "no rewrite when the session TimeZone is UTC";
			}
			if (co == COERCE_FREE)
				t->rewrite = t->scan = false;
		}
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		if (pg_version < 12)
			t->mode = AEL;
		t->role = DG_ROLE_PARENT;
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD)
			add_rv(out, cmd->def->partition_cmd->name, DG_ROLE_PARTITION, AEL, false,
			       true);
		break;
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
				add_rv(out, pc->name, DG_ROLE_PARTITION, SUE, false, false);
			} else {
				add_rv(out, pc->name, DG_ROLE_PARTITION, AEL, false, false);
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
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
			add_rv(out, cmd->def->range_var, DG_ROLE_PARENT,
			       cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit
				   ? SUE
				   : DG_LOCK_ACCESS_SHARE,
			       false, false);
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

static bool has_option(PgQuery__Node *const *params, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (params[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    same_name(params[i]->def_elem->defname, name)) {
			const PgQuery__Node *arg = params[i]->def_elem->arg;
			/* "(full false)" turns it off */
			if (arg && arg->node_case == PG_QUERY__NODE__NODE_STRING &&
			    (strcmp(arg->string->sval, "false") == 0 ||
			     strcmp(arg->string->sval, "off") == 0))
				return false;
			return true;
		}
	return false;
}

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

static void stmt_locks(const PgQuery__Node *n, const struct history *h, int v,
		       struct dg_lock_info *out)
{
	memset(out, 0, sizeof(*out));
	out->known = true;

	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
		const PgQuery__AlterTableStmt *at = n->alter_table_stmt;
		/* each subcommand on its own, then the strongest lock wins */
		for (size_t i = 0; i < at->n_cmds; i++) {
			struct dg_lock_info one;
			if (at->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
				continue;
			memset(&one, 0, sizeof(one));
			one.known = true;
			alter_cmd(&one, h, at, at->cmds[i]->alter_table_cmd, v);
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
		break;
	}
	case PG_QUERY__NODE__NODE_REINDEX_STMT: {
		const PgQuery__ReindexStmt *rs = n->reindex_stmt;
		bool conc = has_option(rs->params, rs->n_params, "concurrently");
		if (conc) {
			out->no_transaction = true;
			if (v < 12)
				out->unsupported = "REINDEX CONCURRENTLY needs PostgreSQL 12";
		}
		if (rs->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX) {
			add_rv(out, rs->relation, DG_ROLE_INDEX_TABLE, conc ? SUE : DG_LOCK_SHARE,
			       false, true);
			add_rv(out, rs->relation, DG_ROLE_INDEX, conc ? SUE : AEL, true, false);
		} else if (rs->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE) {
			add_rv(out, rs->relation, DG_ROLE_TABLE, conc ? SUE : DG_LOCK_SHARE, false,
			       true);
		} else {
			out->no_transaction = true; /* SCHEMA, DATABASE, SYSTEM */
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
				if (r)
					history_fk_drop(h, out, r->schema, r->name,
							ds->behavior ==
							    PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE);
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
		for (size_t i = 0; i < n->truncate_stmt->n_relations; i++)
			if (n->truncate_stmt->relations[i]->node_case ==
			    PG_QUERY__NODE__NODE_RANGE_VAR) {
				struct dg_lock_rel *r =
				    add_rv(out, n->truncate_stmt->relations[i]->range_var,
					   DG_ROLE_TABLE, AEL, false, false);
				if (r)
					r->note = "new empty storage: instant, no rewrite of rows";
			}
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
		    r->relation
			? history_matview_query(h, r->relation->schemaname, r->relation->relname)
			: NULL;
		add_rv(out, r->relation, DG_ROLE_TABLE, r->concurrent ? DG_LOCK_EXCLUSIVE : AEL,
		       !r->concurrent, !r->concurrent);
		if (q)
			add_reads(out, &q->base, DG_LOCK_ACCESS_SHARE);
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
		bool full = vs->is_vacuumcmd && has_option(vs->options, vs->n_options, "full");
		out->no_transaction = vs->is_vacuumcmd;
		for (size_t i = 0; i < vs->n_rels; i++)
			if (vs->rels[i]->node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION)
				add_rv(out, vs->rels[i]->vacuum_relation->relation, DG_ROLE_TABLE,
				       full ? AEL : SUE, full, vs->is_vacuumcmd);
		break;
	}
	case PG_QUERY__NODE__NODE_CLUSTER_STMT: {
		const PgQuery__ClusterStmt *cs = n->cluster_stmt;
		if (!cs->relation)
			out->no_transaction = true;
		add_rv(out, cs->relation, DG_ROLE_TABLE, AEL, true, true);
		if (cs->relation && cs->indexname && *cs->indexname)
			add(out, cs->relation->schemaname, cs->indexname, DG_ROLE_INDEX, AEL, true,
			    false);
		break;
	}
	case PG_QUERY__NODE__NODE_LOCK_STMT: {
		int m = n->lock_stmt->mode;
		for (size_t i = 0; i < n->lock_stmt->n_relations; i++)
			if (n->lock_stmt->relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
				add_rv(out, n->lock_stmt->relations[i]->range_var, DG_ROLE_TABLE,
				       m >= 1 && m <= 8 ? (enum dg_lock_mode)m : AEL, false, false);
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
			add_reads(out, &c->query->base, DG_LOCK_ACCESS_SHARE);
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
		add_reads(out, &n->base, DG_LOCK_ACCESS_SHARE);
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
		add_reads(out, &n->base,
			  s->n_locking_clause ? DG_LOCK_ROW_SHARE : DG_LOCK_ACCESS_SHARE);
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
		propagate_to_partitions(out, h);
}

void dg_lock_file_init(struct dg_lock_file *f, const struct dg_parsed *p)
{
	f->p = p;
	f->has_partitions = false;
	f->catalog = NULL;
	for (size_t i = 0; i < p->n_stmts && !f->has_partitions; i++) {
		const PgQuery__Node *n = p->stmts[i].node;
		if (n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT && n->create_stmt->partbound)
			f->has_partitions = true;
		else if (n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
			for (size_t k = 0; k < n->alter_table_stmt->n_cmds; k++) {
				const PgQuery__AlterTableCmd *c =
				    n->alter_table_stmt->cmds[k]->alter_table_cmd;
				if (c &&
				    c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition)
					f->has_partitions = true;
			}
	}
}

void dg_locks_of_stmt(const struct dg_lock_file *f, size_t index, int pg_version,
		      struct dg_lock_info *out)
{
	struct history h = {f->p, index, f->has_partitions, f->catalog};

	stmt_locks(f->p->stmts[index].node, &h, pg_version, out);
	/* schema memory: the table of an index an earlier migration created */
	for (size_t i = 0; f->catalog && i < out->n_rels; i++) {
		struct dg_lock_rel *r = &out->rels[i];
		if (r->role == DG_ROLE_INDEX_TABLE && !r->name && r->index)
			r->name = dg_catalog_index_table(f->catalog, r->schema, r->index);
	}
}

void dg_locks_of_node(const PgQuery__Node *stmt, int pg_version, struct dg_lock_info *out)
{
	struct history h = {NULL, 0, false, NULL};

	stmt_locks(stmt, &h, pg_version, out);
}
