/* facts.h — knowledge that spans statements, computed once per file before any rule runs:
 * the relations this migration creates (and where). Rules ask; they never compute it. */
#ifndef DG_FACTS_H
#define DG_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "arena.h"
#include "effects.h"
#include "parse.h"

/* How a statement changes the schema, for rules about the migration as a whole: whether it is
 * DDL at all, whether it expands (adds a structure: table, column, index, view) and whether it
 * contracts (drops or renames a table, view or column that existed before this migration). */
struct dg_stmt_change {
	bool ddl;
	const char *expand;		    /* e.g. ADD COLUMN "email" to "users", or NULL */
	const char *contract;		    /* e.g. DROP TABLE "users", or NULL */
	const PgQuery__Node *contract_node; /* the statement or ALTER TABLE subcommand doing it */
};

/* Who opened the transaction block the statement runs in. */
enum dg_tx_origin {
	DG_TXO_NONE = 0, /* none: the statement commits on its own */
	DG_TXO_TOOL,	 /* the migration tool wraps the section in a transaction */
	DG_TXO_IMPLICIT, /* the section goes to the server as one multi-statement query */
	DG_TXO_ASSUMED,	 /* --assume-in-transaction */
	DG_TXO_EXPLICIT, /* a BEGIN earlier in the section */
};

/* What a transaction-control statement (BEGIN, COMMIT, ROLLBACK, …) does where it stands. */
enum dg_tx_event {
	DG_TXE_NONE = 0,
	DG_TXE_BEGIN,	       /* opens a block that a later COMMIT or ROLLBACK closes */
	DG_TXE_BEGIN_UNCLOSED, /* opens a block that nothing closes before the section ends */
	DG_TXE_BEGIN_NESTED,   /* a block is already open: PostgreSQL only warns */
	DG_TXE_END,	       /* closes the block a BEGIN opened */
	DG_TXE_END_TOOL, /* ends the block the tool opened (or --assume-in-transaction), early */
	DG_TXE_END_NONE, /* no block is open: PostgreSQL only warns */
};

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
	size_t begin_stmt;	/* the BEGIN that opened the block, or SIZE_MAX */
};

/* The state of a constraint that ALTER TABLE statements of this file added. */
enum dg_con_event {
	DG_CON_ADDED = 1,	/* added and validated at once */
	DG_CON_ADDED_NOT_VALID, /* added NOT VALID */
	DG_CON_VALIDATED,	/* VALIDATE CONSTRAINT */
	DG_CON_DROPPED,		/* DROP CONSTRAINT */
};

/* The effects of the file's statements (effects.h), found by name: every relation, index,
 * partition or referenced table an effect names leads to it. */
struct dg_fact_link {
	const char *key;
	uint32_t eff, next;
};

/* Session timeouts in force when a statement starts (SET, SET LOCAL, set_config()). */
enum { DG_TIMEOUT_LOCK = 1, DG_TIMEOUT_STATEMENT = 2 };

/* A table replaced inside the migration by a new one that got its rows (rebuild.c): the old
 * copy schema.name is dropped at `drop`; `rename` gave one of them the other's name, `create`
 * made the new one. */
struct dg_rebuild {
	const char *schema, *name;
	size_t rename, create, drop;
};

struct dg_facts {
	struct dg_rebuild *rebuilds;
	size_t n_rebuilds, cap_rebuilds;
	/* tables made by CREATE TABLE statements that failed to parse: `stmt` is the first
	 * statement after the failure, so they were created before statements >= stmt */
	struct dg_created_rel *created_unparsed;
	size_t n_created_unparsed, cap_created_unparsed;
	struct dg_stmt_tx *tx;	       /* one per statement */
	struct dg_stmt_change *change; /* one per statement */
	/* For a file of down sections only: the facts of the up file it undoes, or NULL. */
	const struct dg_facts *up_file;
	/* every effect of every statement, in order (each with its stmt and dir) */
	struct dg_effects effs;
	/* the name index: slots hold link index + 1 of a chain's head (0: empty); chains keep
	 * the order of the statements */
	struct dg_fact_link *links;
	size_t n_links, cap_links;
	uint32_t *heads, *tails;
	uint64_t *kinds; /* per slot: the kinds of its chain's effects (DG_EFF_BIT) */
	size_t cap_slots;
	/* one per statement: an earlier SET TimeZone of this file, in a section of the same
	 * direction, left the session on a zone with no offset from UTC */
	bool *tz_utc;
	unsigned char *timeouts; /* one per statement: DG_TIMEOUT_* bits set before it */
	/* one per statement: its section's first statement and statement count, and how many
	 * statements of that section are SET / RESET */
	size_t *sec_first, *sec_count, *sec_sets;
	/* the statements by node case, each list in statement order: by_kind[kind_at[c] ..
	 * kind_at[c + 1]) for node case c */
	size_t *by_kind, *kind_at;
	/* DROP … IF EXISTS by object type and last name: the first statement that did it */
	struct dg_drop_slot *drops;
	size_t cap_drops;
	/* Two per effect, filled in by the lock model as it asks (locks.c fk_alive): for a
	 * foreign key added, 1 + the first statement that drops it (its constraint, the column or
	 * its table), counting down sections' effects or not; SIZE_MAX: none; 0: not asked yet. */
	size_t *fk_dropped;
	/* Answers about relations, kept as they are asked (dg_facts_memo_get). */
	struct dg_facts_memo *memo;
};

struct dg_drop_slot {
	const char *name; /* NULL: empty slot */
	int type;	  /* PgQuery__ObjectType */
	size_t stmt;
};

/* The first statement that ran DROP … IF EXISTS on an object of `type` (PgQuery__ObjectType)
 * whose last name is `name`, or SIZE_MAX. */
size_t dg_facts_dropped_if_exists(const struct dg_facts *f, int type, const char *name);

/* The statements whose node case is `kind`, in order: *n of them (NULL when none). */
const size_t *dg_facts_stmts_of_kind(const struct dg_facts *f, int kind, size_t *n);

/* One name's chain, walked without a callback: dg_facts_chain gives its first link (0: none),
 * dg_facts_link the effect of a link (non-zero), moving *link to the next one (0 at the end). */
uint32_t dg_facts_chain(const struct dg_facts *f, const char *key);
const struct dg_effect *dg_facts_link(const struct dg_facts *f, uint32_t *link);
/* The statement of the first effect on name's chain that `match` accepts (SIZE_MAX: none),
 * found once per question (`tag`) and relation and kept in the facts' memo, so that "did it
 * happen before statement i" does not walk the name's history at every statement (the facts
 * stay const to their readers: only the memo they point to changes). `match` must answer for
 * (tag, schema, name) alone. */
enum {
	DG_MEMO_CREATED, /* dg_facts_created_before */
	DG_MEMO_TOUCHED, /* locks.c touched(): + 1 when removed, + 2 in a down section */
	DG_MEMO_TEMP_TABLE = DG_MEMO_TOUCHED + 4, /* dg_temp_table_created_here */
};
size_t dg_facts_first(const struct dg_facts *f, int tag, const char *schema, const char *name,
		      bool (*match)(const struct dg_effect *e, const void *arg), const void *arg);
/* The same chain as positions: links [*lo, *hi) are those whose effects come before statement
 * stmt (a chain's links lie together, in statement order), each read with dg_facts_link_at. */
void dg_facts_chain_before(const struct dg_facts *f, const char *key, size_t stmt, uint32_t *lo,
			   uint32_t *hi);
const struct dg_effect *dg_facts_link_at(const struct dg_facts *f, uint32_t pos);
/* Whether an effect of one of `kinds` (DG_EFF_BIT of each) names `key` anywhere in the file. */
bool dg_facts_names_any(const struct dg_facts *f, const char *key, uint64_t kinds);
/* Calls fn for each effect of the file that names `key` (as its relation, index, partition,
 * parent, referenced table or new name), in statement order, until fn returns false. */
void dg_facts_each(const struct dg_facts *f, const char *key,
		   bool (*fn)(const struct dg_effect *e, void *arg), void *arg);

/* `assume_in_tx`: sections of formats without a known transaction mode run inside one.
 * `up_file`: the facts of the up file a down-only file undoes, or NULL. */
/* `assume_in_tx`: autocommit sections run inside one transaction block anyway (plain SQL files
 * under --assume-in-transaction: psql --single-transaction, or a tool ddlguard does not know). */
void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx, const struct dg_facts *up_file);
/* rebuild.c: finds the file's rebuilds (called by dg_facts_build once statements are classified:
 * their statements are neither expand nor contract). */
void dg_facts_find_rebuilds(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a);
/* The rebuild whose old copy schema.name statement `stmt` drops, or whose rename `stmt` is
 * (whatever the name); NULL if none. */
const struct dg_rebuild *dg_facts_rebuild_of(const struct dg_facts *f, const char *schema,
					     const char *name, size_t stmt);
/* Whether a statement of direction `dir` at index `stmt` handles something this migration made:
 * the relation schema.name (col NULL) or its column `col` — created or added by an earlier
 * statement of the file, or, in a down section, by the up file it undoes. Dropping it undoes
 * this migration instead of destroying what existed before. */
bool dg_facts_made_here(const struct dg_facts *f, const char *schema, const char *name,
			const char *col, size_t stmt, enum dg_direction dir);
/* Whether schema.name was created by a statement before `stmt`. An unqualified name on either
 * side matches any schema: we have no search_path to resolve it with. */
bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt);
/* The state of constraint `name` of schema.table just before statement `stmt`: 0 when no
 * earlier statement of this file added it (or it was dropped since), else DG_CON_ADDED (valid),
 * DG_CON_ADDED_NOT_VALID or DG_CON_VALIDATED; `add` (may be NULL) gets the fact that added it. */
struct dg_con_added {
	int contype; /* PgQuery__ConstrType */
	size_t stmt; /* the statement that added it */
};
int dg_facts_constraint_state(const struct dg_facts *f, const char *schema, const char *table,
			      const char *name, size_t stmt, struct dg_con_added *add);
/* Whether schema.table has, just before statement `stmt`, a validated CHECK constraint that an
 * earlier statement of this file added. */
bool dg_facts_valid_check(const struct dg_facts *f, const char *schema, const char *table,
			  size_t stmt);

/* Whether rel.col was added by ALTER TABLE … ADD COLUMN in a statement before `stmt`. */
bool dg_facts_column_added_before(const struct dg_facts *f, const char *schema, const char *rel,
				  const char *col, size_t stmt);
/* Whether the domain schema.name was created by a statement before `stmt`. */
bool dg_facts_domain_created_before(const struct dg_facts *f, const char *schema, const char *name,
				    size_t stmt);

/* The facts below only count statements before `stmt` in sections of direction `dir`: an up
 * section's work is long done, and in use, when its down section runs. */
/* The table of index `name` as this file creates it (the nearest creation before statement
 * `stmt`, else the first after it), or in a down section as its up file does; NULL if none. */
const char *dg_facts_index_table(const struct dg_facts *f, const char *schema, const char *name,
				 size_t stmt, enum dg_direction dir);
bool dg_facts_index_created_before(const struct dg_facts *f, const char *schema, const char *name,
				   size_t stmt, enum dg_direction dir);
/* The type the latest such statement gave schema.table.column, or NULL if none did. */
const PgQuery__TypeName *dg_facts_column_type_before(const struct dg_facts *f, const char *schema,
						     const char *table, const char *column,
						     size_t stmt, enum dg_direction dir);
/* Whether a validated CHECK constraint implying column IS NOT NULL exists before `stmt`. */
bool dg_facts_not_null_check_before(const struct dg_facts *f, const char *schema, const char *table,
				    const char *column, size_t stmt, enum dg_direction dir);

/* For the lock model, which sees what ran before a statement: the earlier statements of the
 * same direction, and in a down section the up sections of the file too. */
bool dg_facts_ran_before(const struct dg_facts *f, const struct dg_effect *e, size_t stmt,
			 enum dg_direction dir);

#endif
