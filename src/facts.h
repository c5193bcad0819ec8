/* facts.h — knowledge that spans statements, computed once per file before any rule runs:
 * the relations this migration creates (and where). Rules ask; they never compute it. */
#ifndef DG_FACTS_H
#define DG_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "parse.h"
#include "rule.h"

struct dg_created_rel {
	const char *schema; /* NULL when unqualified */
	const char *name;
	size_t stmt; /* index of the creating statement */
};

/* Where each statement runs: inside a transaction block or not, and which one. */
struct dg_stmt_tx {
	bool in_tx;
	unsigned tx_id; /* 0 outside a block; statements of one block share an id */
	enum dg_tx_origin origin;
	enum dg_tx_event event; /* for transaction-control statements */
	size_t begin_stmt;      /* the BEGIN that opened the block, or SIZE_MAX */
};

struct dg_facts {
	struct dg_created_rel *created;
	size_t n_created, cap_created;
	struct dg_stmt_tx *tx; /* one per statement */
};

/* `assume_in_tx`: autocommit sections run inside one transaction block anyway (plain SQL files
 * under --assume-in-transaction: psql --single-transaction, or a tool ddlguard does not know). */
void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx);
/* Whether schema.name was created by a statement before `stmt`. An unqualified name on either
 * side matches any schema: we have no search_path to resolve it with. */
bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt);

#endif
