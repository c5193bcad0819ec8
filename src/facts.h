/* facts.h — knowledge that spans statements, computed once per file before any rule runs:
 * the relations this migration creates (and where). Rules ask; they never compute it. */
#ifndef DG_FACTS_H
#define DG_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "parse.h"

struct dg_created_rel {
	const char *schema; /* NULL when unqualified */
	const char *name;
	size_t stmt; /* index of the creating statement */
};

/* Where each statement runs: inside a transaction block or not, and which one. */
struct dg_stmt_tx {
	bool in_tx;
	unsigned tx_id; /* 0 outside a block; statements of one block share an id */
};

/* An index this file creates (CREATE INDEX, or a PRIMARY KEY / UNIQUE / EXCLUDE constraint),
 * under its explicit name or the name PostgreSQL would choose for it. */
struct dg_created_index {
	const char *schema; /* the table's schema: an index lives there; NULL when unqualified */
	const char *name;
	size_t stmt;
	enum dg_direction dir;
};

/* The type a statement of this file gives a column (CREATE TABLE, ADD COLUMN, ALTER TYPE). */
struct dg_column_type {
	const char *schema, *table, *column;
	const PgQuery__TypeName *type;
	size_t stmt;
	enum dg_direction dir;
};

/* A CHECK constraint implying `column IS NOT NULL`, and from which statement on it is valid. */
struct dg_not_null_check {
	const char *schema, *table, *column, *conname;
	size_t stmt, valid_stmt, dropped_stmt; /* SIZE_MAX: never */
	enum dg_direction dir;
};

struct dg_facts {
	struct dg_created_rel *created;
	size_t n_created, cap_created;
	struct dg_stmt_tx *tx; /* one per statement */
	struct dg_created_index *indexes;
	size_t n_indexes, cap_indexes;
	struct dg_column_type *coltypes;
	size_t n_coltypes, cap_coltypes;
	struct dg_not_null_check *nn_checks;
	size_t n_nn_checks, cap_nn_checks;
	/* one per statement: an earlier SET TimeZone of this file, in a section of the same
	 * direction, left the session on a zone with no offset from UTC */
	bool *tz_utc;
};

/* `assume_in_tx`: sections of formats without a known transaction mode run inside one. */
void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx);
/* Whether schema.name was created by a statement before `stmt`. An unqualified name on either
 * side matches any schema: we have no search_path to resolve it with. */
bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt);

/* The facts below only count statements before `stmt` in sections of direction `dir`: an up
 * section's work is long done, and in use, when its down section runs. */
bool dg_facts_index_created_before(const struct dg_facts *f, const char *schema, const char *name,
				   size_t stmt, enum dg_direction dir);
/* The type the latest such statement gave schema.table.column, or NULL if none did. */
const PgQuery__TypeName *dg_facts_column_type_before(const struct dg_facts *f, const char *schema,
						     const char *table, const char *column,
						     size_t stmt, enum dg_direction dir);
/* Whether a validated CHECK constraint implying column IS NOT NULL exists before `stmt`. */
bool dg_facts_not_null_check_before(const struct dg_facts *f, const char *schema, const char *table,
				    const char *column, size_t stmt, enum dg_direction dir);

#endif
