/* rule.h — everything a rule may use: the node it asked for, the facts about its migration, and
 * dg_report(). Rules only report; they never print and never import each other. */
#ifndef DG_RULE_H
#define DG_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "ddlguard/ddlguard.h"
#include "locks.h"

struct dg_ctx;

struct dg_rule {
	const char *name;
	const char *summary;
	const char *help; /* the safe way to do it: default help of every finding */
	enum dg_severity severity;
	const int *kinds; /* node cases to dispatch, 0-terminated; NULL for none */
	void (*check)(struct dg_ctx *ctx, const PgQuery__Node *node);
	/* once per file, after all statements were walked */
	void (*check_file)(struct dg_ctx *ctx);
};

#define DG_KINDS(...) ((const int[]){__VA_ARGS__, 0})

#if defined(__GNUC__)
#define DG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DG_PRINTF(a, b)
#endif

/* Report at the node's span (a statement, an ALTER TABLE subcommand, or any node that has a
 * location: from there to the end of its comma-separated clause). */
void dg_report(struct dg_ctx *ctx, const PgQuery__Node *node, const char *fmt, ...) DG_PRINTF(3, 4);
void dg_report_help(struct dg_ctx *ctx, const PgQuery__Node *node, const char *help,
		    const char *fmt, ...) DG_PRINTF(4, 5);
/* Report at [start, end) of the source text (offsets as in the migration's sections). */
void dg_report_range(struct dg_ctx *ctx, size_t start, size_t end, const char *help,
		     const char *fmt, ...) DG_PRINTF(5, 6);

/* The top-level statement being walked (NULL in check_file). */
const PgQuery__Node *dg_stmt(const struct dg_ctx *ctx);
/* The n-th enclosing node of the node being checked: 0 is its parent, NULL past the statement. */
const PgQuery__Node *dg_parent(const struct dg_ctx *ctx, unsigned n);
/* Whether the relation was created by an earlier statement of this migration file, so that
 * nobody else can be using it yet. */
bool dg_table_created_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel);
/* The direction of the section the statement is in (DG_DIR_NONE for plain SQL). */
enum dg_direction dg_section_dir(const struct dg_ctx *ctx);
int dg_pg_version(const struct dg_ctx *ctx);
/* Whether the statement runs inside a transaction block (explicit BEGIN, or the migration tool
 * wrapping the section), and which one: 0 outside, equal ids for the same block. */
bool dg_in_transaction(const struct dg_ctx *ctx);
unsigned dg_transaction_id(const struct dg_ctx *ctx);

/* The lock model (src/locks.h): the relations a statement touches, the lock mode on each, rewrite
 * and scan, for the configured PostgreSQL version. Computed once per statement, valid while the
 * file is linted. dg_stmt_locks: the statement being walked (NULL in check_file). */
const struct dg_lock_info *dg_stmt_locks(struct dg_ctx *ctx);
const struct dg_lock_info *dg_stmt_locks_at(struct dg_ctx *ctx, size_t i);
/* Whether relation `r` of statement i's locks existed before the migration: not created by that
 * statement nor by an earlier one of the file. */
bool dg_lock_rel_existing(const struct dg_ctx *ctx, size_t i, const struct dg_lock_rel *r);
/* The index of the statement being walked (dg_statement_count() in check_file), the i-th
 * statement, and its transaction block (0 outside one). */
size_t dg_stmt_index(const struct dg_ctx *ctx);
const PgQuery__Node *dg_stmt_at(const struct dg_ctx *ctx, size_t i);
unsigned dg_transaction_id_at(const struct dg_ctx *ctx, size_t i);
/* Which section of the migration (up, down, …) statement i is in: 0, 1, … in file order. */
size_t dg_section_index_at(const struct dg_ctx *ctx, size_t i);
/* Whether a non-zero lock_timeout / statement_timeout is in force when statement i starts:
 * SET, SET LOCAL (until its transaction block ends) or set_config() earlier in the file. */
bool dg_lock_timeout_set_at(const struct dg_ctx *ctx, size_t i);
bool dg_statement_timeout_set_at(const struct dg_ctx *ctx, size_t i);

/* The migration as a whole, for file-level rules. */
const char *dg_migration_format(const struct dg_ctx *ctx);
bool dg_migration_format_has_down(const struct dg_ctx *ctx);
bool dg_migration_has_down(const struct dg_ctx *ctx);
const char *dg_migration_down_path(const struct dg_ctx *ctx);
void dg_migration_anchor(const struct dg_ctx *ctx, size_t *start, size_t *end);
size_t dg_statement_count(const struct dg_ctx *ctx);

/* Small AST helpers shared by rules. */
const char *dg_node_string(const PgQuery__Node *node); /* String node's value, or NULL */
/* Last name of a qualified name list ("pg_catalog"."int4" → "int4"). */
const char *dg_name_last(PgQuery__Node *const *names, size_t n);

#endif
