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

/* What an ALTER TABLE of this file did to a table constraint, in statement order. */
enum dg_con_event {
	DG_CON_ADDED = 1,       /* added and validated at once */
	DG_CON_ADDED_NOT_VALID, /* added NOT VALID */
	DG_CON_VALIDATED,       /* VALIDATE CONSTRAINT */
	DG_CON_DROPPED,         /* DROP CONSTRAINT */
};

struct dg_con_fact {
	const char *schema; /* NULL when unqualified */
	const char *table;
	const char *name;   /* NULL for an unnamed constraint */
	int contype;        /* PgQuery__ConstrType of an added constraint, 0 otherwise */
	enum dg_con_event event;
	size_t stmt;        /* index of the statement */
	unsigned tx_id;     /* its transaction block, as in dg_stmt_tx */
};

struct dg_facts {
	struct dg_created_rel *created;
	size_t n_created, cap_created;
	struct dg_stmt_tx *tx; /* one per statement */
	struct dg_con_fact *cons;
	size_t n_cons, cap_cons;
};

/* `assume_in_tx`: sections of formats without a known transaction mode run inside one. */
void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx);
/* Whether schema.name was created by a statement before `stmt`. An unqualified name on either
 * side matches any schema: we have no search_path to resolve it with. */
bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt);
/* The state of constraint `name` of schema.table just before statement `stmt`: 0 when no
 * earlier statement of this file added it (or it was dropped since), else DG_CON_ADDED (valid),
 * DG_CON_ADDED_NOT_VALID or DG_CON_VALIDATED; `add` (may be NULL) gets the fact that added it. */
int dg_facts_constraint_state(const struct dg_facts *f, const char *schema, const char *table,
			      const char *name, size_t stmt, const struct dg_con_fact **add);
/* Whether schema.table has, just before statement `stmt`, a validated CHECK constraint that an
 * earlier statement of this file added. */
bool dg_facts_valid_check(const struct dg_facts *f, const char *schema, const char *table,
			  size_t stmt);

#endif
