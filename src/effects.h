/* effects.h — the one interpreter of what a statement does to the schema and the session:
 * creates, drops and renames relations, columns, indexes and constraints, sets column types,
 * attaches and detaches partitions, sets settings (GUCs). The file's timeline (facts.c), schema
 * memory across files (catalog.c) and the lock model (locks.c) all read statements through these
 * effects; nothing else interprets statements for these facts. */
#ifndef DG_EFFECTS_H
#define DG_EFFECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "arena.h"
#include "ast.h"

enum dg_eff_kind {
	DG_EFF_CREATE = 1,	 /* relation schema.name (obj); parent: PARTITION OF / INHERITS */
	DG_EFF_DROP,		 /* relation schema.name (obj) dropped; `cascade` */
	DG_EFF_RENAME,		 /* relation schema.name (obj) renamed to name2 */
	DG_EFF_ADD_COLUMN,	 /* column col of type `type` (CREATE TABLE's columns too) */
	DG_EFF_SET_TYPE,	 /* ALTER COLUMN col TYPE `type` */
	DG_EFF_DROP_COLUMN,	 /* column col dropped */
	DG_EFF_RENAME_COLUMN,	 /* column col renamed to name2 */
	DG_EFF_CREATE_INDEX,	 /* index name2 (in the table's schema) on table schema.name */
	DG_EFF_DROP_INDEX,	 /* index schema.name2 dropped (table unknown: name NULL) */
	DG_EFF_RENAME_INDEX,	 /* index schema.name2 renamed to col (the new name) */
	DG_EFF_ADD_CONSTRAINT,	 /* constraint name2 (NULL: unnamed) of contype on the table */
	DG_EFF_VALIDATE,	 /* VALIDATE CONSTRAINT name2 */
	DG_EFF_DROP_CONSTRAINT,	 /* DROP CONSTRAINT name2 */
	DG_EFF_CHECK_NOT_NULL,	 /* CHECK constraint name2 implies col IS NOT NULL (after ADD) */
	DG_EFF_ATTACH_PARTITION, /* partition schema2.name2 of table schema.name; `is_default` */
	DG_EFF_DETACH_PARTITION, /* partition schema2.name2 detached from schema.name */
	DG_EFF_CREATE_DOMAIN,	 /* domain schema.name */
	DG_EFF_SET,		 /* setting name2 (lower case) to value (NULL: not a constant) */
	DG_EFF_RESET_ALL,	 /* RESET ALL */
	DG_EFF_SET_SCHEMA,	 /* relation schema.name (obj) moved to schema schema2 */
	DG_EFF_N_KINDS		 /* (a count: the facts keep a 64-bit mask of kinds per name) */
};
_Static_assert(DG_EFF_N_KINDS <= 64, "effect kinds fit a 64-bit mask");
#define DG_EFF_BIT(kind) (UINT64_C(1) << (kind))

/* Kinds of relation, for DG_EFF_CREATE / DROP / RENAME. */
enum dg_obj {
	DG_OBJ_TABLE = 1,
	DG_OBJ_VIEW,
	DG_OBJ_MATVIEW,
	DG_OBJ_FOREIGN_TABLE,
	DG_OBJ_SEQUENCE,
	DG_OBJ_OTHER,
};

struct dg_effect {
	enum dg_eff_kind kind;
	enum dg_obj obj;
	const char *schema, *name; /* the relation (NULL schema when unqualified) */
	const char *col;
	const char *schema2, *name2;	   /* second object: see the kinds */
	const char *ref_schema, *ref_name; /* a foreign key's referenced table */
	const char *ref_col;		   /* a foreign key's first column */
	const PgQuery__TypeName *type;
	const PgQuery__Node *value; /* SET's value; a view's or matview's query */
	int contype;		    /* PgQuery__ConstrType */
	bool valid;		    /* ADD CONSTRAINT: validated at once (not NOT VALID) */
	bool if_not_exists;	    /* CREATE … IF NOT EXISTS, ADD COLUMN IF NOT EXISTS */
	bool temp;		    /* a temporary relation */
	bool partition;		    /* CREATE: PARTITION OF parent (else INHERITS parent) */
	bool partitioned;	    /* CREATE: PARTITION BY (a partitioned table) */
	bool is_default;	    /* a DEFAULT partition */
	bool cascade;		    /* DROP … CASCADE */
	bool local;		    /* SET LOCAL, set_config(…, true) */
	bool reset;		    /* SET: RESET or SET … TO DEFAULT */
	bool with_create;	    /* part of the CREATE statement of its relation */
	size_t stmt;		    /* the statement, set by the caller (facts) */
	int dir;		    /* its section's enum dg_direction, set by the caller */
};

struct dg_effects {
	struct dg_effect *v;
	size_t n, cap;
};

/* Appends the effects of statement node `n` to `out`, in the order PostgreSQL applies them.
 * Strings point into the tree or the arena. */
void dg_effects_of(const PgQuery__Node *n, struct dg_arena *a, struct dg_effects *out);

/* Whether a SET value names a time zone with no offset from UTC (UTC, GMT, Etc/UTC, 0, …). */
bool dg_effect_zone_is_utc(const PgQuery__Node *value);
/* Whether a SET value turns a timeout off ("0", 0, '0s', …). */
bool dg_effect_value_is_zero(const PgQuery__Node *value);

/* Whether two relation names are the same: equal names, and equal schemas unless either has
 * none (NULL or "": found through search_path). */
bool dg_same_rel(const char *schema_a, const char *name_a, const char *schema_b,
		 const char *name_b);

#endif
