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

/* Session timeouts in force when a statement starts (SET, SET LOCAL, set_config()). */
enum { DG_TIMEOUT_LOCK = 1, DG_TIMEOUT_STATEMENT = 2 };

struct dg_facts {
	struct dg_created_rel *created;
	size_t n_created, cap_created;
	struct dg_stmt_tx *tx;    /* one per statement */
	unsigned char *timeouts; /* one per statement: DG_TIMEOUT_* bits set before it */
};

/* `assume_in_tx`: sections of formats without a known transaction mode run inside one. */
void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx);
/* Whether schema.name was created by a statement before `stmt`. An unqualified name on either
 * side matches any schema: we have no search_path to resolve it with. */
bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt);

#endif
