/* rule.h — everything a rule may use: the node it asked for, the facts about its migration, and
 * dg_report(). Rules only report; they never print and never import each other. */
#ifndef DG_RULE_H
#define DG_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "ddlguard/ddlguard.h"
#include "ast.h"
#include "facts.h"
#include "locks.h"

struct dg_ctx;
struct dg_ddb_ctx;
struct dg_ddb_table;

/* Where a finding was just reported, for the rule's fix (see dg_rule.fix): the node given to
 * dg_report / dg_report_help (NULL from dg_report_range and dg_report_type), the type given to
 * dg_report_type (else NULL), and the span as offsets into the source text. */
struct dg_fix_site {
	const PgQuery__Node *node;
	const PgQuery__TypeName *type;
	size_t start, end;
};

struct dg_rule {
	const char *name;
	const char *summary;
	const char *help; /* the safe way to do it: default help of every finding */
	enum dg_severity severity;
	const int *kinds; /* node cases to dispatch, 0-terminated; NULL for none */
	void (*check)(struct dg_ctx *ctx, const PgQuery__Node *node);
	/* once per file, after all statements were walked */
	void (*check_file)(struct dg_ctx *ctx);
	/* opt-in: only reported when enabled (--enable, the config file, or a flag) */
	bool off_by_default;
	/* DynamoDB rules (src/dynamodb/model.h): once per table of a template, with its declaration
	 * at the base (NULL: new, or no base) and now (NULL: removed) */
	void (*check_table)(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
			    const struct dg_ddb_table *now);
	/* Called right after each of the rule's findings, to attach the mechanical safe form with
	 * dg_fix_begin / dg_fix_edit (most rules name a recipe of src/fixkit.c). NULL: the
	 * finding only gets the ignore comments every finding gets. */
	void (*fix)(struct dg_ctx *ctx, const struct dg_fix_site *site);
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
/* Report at a type name as written ("character varying(20)", "timestamp(3) without time zone",
 * "int[]"), not the constraints after it. */
void dg_report_type(struct dg_ctx *ctx, const PgQuery__TypeName *type, const char *help,
		    const char *fmt, ...) DG_PRINTF(4, 5);

/* Fixes for the finding just reported (call them from the rule's fix hook). dg_fix_begin starts
 * its rewrite fix (false when there is no finding to attach it to); dg_fix_edit then replaces
 * [start, end) of the source text (offsets as dg_report_range takes them) with `text`. Edits of
 * one fix must not overlap. */
bool dg_fix_begin(struct dg_ctx *ctx, const char *description);
void dg_fix_edit(struct dg_ctx *ctx, size_t start, size_t end, const char *text);
/* Drops the rewrite fix being built (a recipe that finds it cannot finish). */
void dg_fix_abandon(struct dg_ctx *ctx);

/* Recipes (src/fixkit.c), to name as a rule's .fix. */
/* CREATE [UNIQUE] INDEX / DROP INDEX → … CONCURRENTLY, and the runner's way out of its
 * transaction when the statement is alone in it; not offered when the statement would still run
 * inside a transaction block. */
void dg_fix_concurrently(struct dg_ctx *ctx, const struct dg_fix_site *site);
/* A statement PostgreSQL refuses in a transaction block: the runner's way out of it. */
void dg_fix_leave_transaction(struct dg_ctx *ctx, const struct dg_fix_site *site);
/* ADD CONSTRAINT … CHECK / FOREIGN KEY → … NOT VALID, then VALIDATE CONSTRAINT in a transaction
 * of its own where the runner allows one in this file. */
void dg_fix_not_valid(struct dg_ctx *ctx, const struct dg_fix_site *site);
/* SET [LOCAL] lock_timeout / statement_timeout before the statement. */
void dg_fix_lock_timeout(struct dg_ctx *ctx, const struct dg_fix_site *site);
void dg_fix_statement_timeout(struct dg_ctx *ctx, const struct dg_fix_site *site);
/* IF [NOT] EXISTS, OR REPLACE for prefer-robust-stmts. */
void dg_fix_robust(struct dg_ctx *ctx, const struct dg_fix_site *site);
/* The type of a new column (CREATE TABLE, ADD COLUMN) → bigint (bigserial), timestamptz, text. */
void dg_fix_bigint(struct dg_ctx *ctx, const struct dg_fix_site *site);
void dg_fix_timestamptz(struct dg_ctx *ctx, const struct dg_fix_site *site);
void dg_fix_use_text(struct dg_ctx *ctx, const struct dg_fix_site *site);

/* The top-level statement being walked (NULL in check_file). */
const PgQuery__Node *dg_stmt(const struct dg_ctx *ctx);
/* The n-th enclosing node of the node being checked: 0 is its parent, NULL past the statement. */
const PgQuery__Node *dg_parent(const struct dg_ctx *ctx, unsigned n);
/* Whether the relation was created by an earlier statement of this migration file, so that
 * nobody else can be using it yet. */
bool dg_table_created_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel);
/* Whether an earlier statement of this file is CREATE TEMPORARY TABLE `relname` (any schema). */
bool dg_temp_table_created_here(const struct dg_ctx *ctx, const char *relname);
/* Whether an earlier statement of the same transaction block removed every row of the table,
 * with nothing put back since (no INSERT, MERGE or COPY into it, no DO or CALL): TRUNCATE leaves
 * the heap empty; DELETE without WHERE or USING leaves no live row but its dead ones still fill
 * the pages a scan reads. Outside a transaction block: DG_EMPTIED_NONE (others may insert). */
enum dg_emptied { DG_EMPTIED_NONE = 0, DG_EMPTIED_DELETE, DG_EMPTIED_TRUNCATE };
enum dg_emptied dg_table_emptied_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel);
/* Whether an index of that name was created by an earlier statement of this file (CREATE INDEX,
 * or a PRIMARY KEY / UNIQUE / EXCLUDE constraint under the name PostgreSQL gives it), in a section
 * of the same direction. `schema` may be NULL. */
bool dg_index_created_here(const struct dg_ctx *ctx, const char *schema, const char *name);
/* Where a question about what exists looks: this file (its earlier statements, in sections of
 * the same direction; in a down section, also the up file it undoes), the earlier migrations of
 * the directory (schema memory), or both. */
enum dg_scope { DG_HERE = 1, DG_EARLIER = 2, DG_ANYWHERE = 3 };
/* The table of index schema.name: as a statement of this file creates it (the nearest creation
 * before this statement, else the first after it), or as an earlier migration did; NULL when
 * none in the scope does. */
const char *dg_index_table(const struct dg_ctx *ctx, const char *schema, const char *name,
			   unsigned scope);
/* Whether an earlier statement of this file, in a section of the same direction, left a
 * validated CHECK constraint on the table implying `column IS NOT NULL`. */
bool dg_not_null_check_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel,
			    const char *column);
/* Whether an earlier SET TimeZone of this file (same direction) put the session on UTC or another
 * zone with no offset, so that timestamp and timestamptz convert into each other unchanged. */
bool dg_session_timezone_utc(const struct dg_ctx *ctx);
/* The direction of the section the statement is in (DG_DIR_NONE for plain SQL). */
enum dg_direction dg_section_dir(const struct dg_ctx *ctx);
int dg_pg_version(const struct dg_ctx *ctx);
/* Whether the statement runs inside a transaction block (explicit BEGIN, or the migration tool
 * wrapping the section), and which one: 0 outside, equal ids for the same block. */
bool dg_in_transaction(const struct dg_ctx *ctx);
/* Whether the statement is one of a DO block or of a PL/pgSQL function the migration runs
 * (src/plpgsql.c): PostgreSQL runs it below the top level, inside the DO's own transaction. */
bool dg_stmt_in_body(const struct dg_ctx *ctx);
/* For statement i of the file: 1 + the index of the DO block or CREATE FUNCTION whose body holds
 * it, 0 for a statement the file holds as such. */
size_t dg_stmt_holder_at(const struct dg_ctx *ctx, size_t i);
unsigned dg_transaction_id(const struct dg_ctx *ctx);

/* Table constraints that earlier statements of this file added with ALTER TABLE, as they stand
 * before the statement being walked. */
enum dg_constraint_state {
	DG_CONSTRAINT_UNKNOWN = 0, /* not added by an earlier statement here, or dropped since */
	DG_CONSTRAINT_VALID,	   /* added and validated at once */
	DG_CONSTRAINT_NOT_VALID,   /* added NOT VALID and not validated since */
	DG_CONSTRAINT_VALIDATED,   /* added NOT VALID, then validated */
};
struct dg_constraint_info {
	enum dg_constraint_state state;
	int contype; /* PgQuery__ConstrType */
	unsigned
	    add_tx_id; /* transaction id of the statement that added it, as dg_transaction_id() */
};
/* What earlier statements of this file did to constraint `name` of `rel`; false (and state
 * DG_CONSTRAINT_UNKNOWN) when none added it or it was dropped since. */
bool dg_constraint_added_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel,
			      const char *name, struct dg_constraint_info *info);
/* Whether an earlier statement of this file gave `rel` a CHECK constraint that is validated and
 * still there. */
bool dg_valid_check_added_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel);
/* Whether the column rel.col was added (ALTER TABLE … ADD COLUMN) by an earlier statement of
 * this migration file. A column of a table created here: ask dg_table_created_here. */
bool dg_column_added_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel, const char *col);
/* For destructive-change rules: whether the relation (col NULL) or its column was made by this
 * migration — created or added by an earlier statement of the file, or, in a down section, by
 * the up file that section undoes — so that dropping it undoes this migration rather than
 * destroying what existed before. Locking rules ask dg_table_created_here, which never looks
 * at the up file: the tables it created have been in use since it ran. */
bool dg_made_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel, const char *col);
/* The rebuild pattern (a table replaced by a new one that got its rows, see src/rebuild.c):
 * whether this statement drops rel as the old copy of a rebuilt table — no data is lost and the
 * name clients use stays; and whether it renames a table aside (or into place) for a rebuild
 * whose steps run in one transaction, so that no client ever misses the name. */
bool dg_rebuild_drops(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel);
bool dg_rebuild_renames(const struct dg_ctx *ctx);
/* Whether the domain named by the qualified name list was created earlier in this file. */
bool dg_domain_created_here(const struct dg_ctx *ctx, PgQuery__Node *const *names, size_t n);

/* Index of the statement being walked (dg_statement_count() in check_file). */
size_t dg_stmt_index(const struct dg_ctx *ctx);
/* Statement i of the file (0 ≤ i < dg_statement_count()): its change and its direction. */
const struct dg_stmt_change *dg_stmt_change_at(const struct dg_ctx *ctx, size_t i);
enum dg_direction dg_stmt_dir_at(const struct dg_ctx *ctx, size_t i);
enum dg_tx_origin dg_transaction_origin(const struct dg_ctx *ctx);
enum dg_tx_event dg_transaction_event(const struct dg_ctx *ctx);
/* The line of the BEGIN that opened the statement's block (for a nested BEGIN: the outer one),
 * or 0 when no BEGIN did. */
unsigned dg_transaction_begin_line(const struct dg_ctx *ctx);
/* Says in words who opened the statement's block ("dbmate runs this section inside a
 * transaction", "the BEGIN on line 3 opened a transaction block", …) into buf; returns buf. */
const char *dg_transaction_describe(const struct dg_ctx *ctx, char *buf, size_t size);
/* The lock model (src/locks.h): the relations a statement touches, the lock mode on each, rewrite
 * and scan, for the configured PostgreSQL version. Computed once per statement, valid while the
 * file is linted. dg_stmt_locks: the statement being walked (NULL in check_file). */
const struct dg_lock_info *dg_stmt_locks(struct dg_ctx *ctx);
const struct dg_lock_info *dg_stmt_locks_at(struct dg_ctx *ctx, size_t i);
/* Whether relation `r` of statement i's locks existed before the migration: not created by that
 * statement nor by an earlier one of the file. */
bool dg_lock_rel_existing(const struct dg_ctx *ctx, size_t i, const struct dg_lock_rel *r);
/* The i-th statement of the file (NULL past the end), for rules that look back (e.g. at an
 * earlier DROP … IF EXISTS), and its transaction block (0 outside one). */
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
/* Whether no migration of this file's migration root (its directory; for diesel and hasura the
 * folder above) has a way back — a forward-only project — with how many migrations it has, the
 * root as the path names it, and whether this file is the first of them in the tool's order.
 * False when some has one, or the directory cannot be read (standard input). */
bool dg_migration_forward_only(const struct dg_ctx *ctx, bool *first, size_t *n, const char **root);
/* The sections of the migration (up, down, or the whole file for plain SQL), for file-level
 * rules: direction, byte range, how many statements parsed in it and whether any failed to. */
struct dg_section_info {
	enum dg_direction dir;
	size_t start, end;
	size_t n_statements;
	bool has_errors;
	/* where to point a finding about the whole section: its marker line, or its first line */
	size_t anchor_start, anchor_end;
};
size_t dg_section_count(const struct dg_ctx *ctx);
struct dg_section_info dg_section_at(const struct dg_ctx *ctx, size_t i);
/* Report about a whole section, at its anchor and in its direction. */
void dg_report_section(struct dg_ctx *ctx, const struct dg_section_info *sec, const char *fmt, ...)
    DG_PRINTF(3, 4);

/* How many statements the current statement's section (one run of the migration tool) has. */
size_t dg_section_statement_count(const struct dg_ctx *ctx);
/* The index of the first statement of the current statement's section, and how many statements
 * of that section are SET / RESET. */
size_t dg_section_first_stmt(const struct dg_ctx *ctx);
size_t dg_section_set_count(const struct dg_ctx *ctx);
/* The statements of the file whose node case is `kind` (PgQuery__Node__NodeCase), ascending;
 * *n of them. For questions about earlier statements of one kind without a rescan. */
const size_t *dg_stmts_of_kind(const struct dg_ctx *ctx, int kind, size_t *n);
/* Whether an earlier statement of the current section created table (or materialized view)
 * schema.name without IF NOT EXISTS: unqualified names match any schema. */
bool dg_created_plainly_before(const struct dg_ctx *ctx, const char *schema, const char *name);
/* Whether an earlier statement of the file ran DROP … IF EXISTS on an object of `type`
 * (PgQuery__ObjectType) whose last name is `name`. */
bool dg_dropped_if_exists_before(const struct dg_ctx *ctx, int type, const char *name);
/* The source text, and [start, end) of the current statement in it (offsets as dg_report_range
 * takes them). For what the AST has lost, e.g. identifiers the parser truncated. */
const char *dg_stmt_source(const struct dg_ctx *ctx, size_t *start, size_t *end);

/* What a ColumnDef being checked defines, with its table and column name. */
enum dg_column_role {
	DG_COLUMN_OTHER = 0,	/* composite types, function column lists, foreign tables, … */
	DG_COLUMN_CREATE_TABLE, /* a column of CREATE TABLE */
	DG_COLUMN_ADD,		/* ALTER TABLE … ADD COLUMN */
	DG_COLUMN_ALTER_TYPE,	/* the new type of ALTER TABLE … ALTER COLUMN … TYPE */
};
enum dg_column_role dg_column_role(const struct dg_ctx *ctx, const PgQuery__ColumnDef *col,
				   const PgQuery__RangeVar **table, const char **column);
/* What version control says about this migration file (state DG_HISTORY_UNKNOWN without
 * --diff-base). */
struct dg_history dg_migration_history(const struct dg_ctx *ctx);

/* Helpers shared by rules (src/rulekit.c), built on the functions above. */
/* The ALTER TABLE statement `node` when it alters an ordinary table that existed before this
 * migration file; NULL for ALTER FOREIGN TABLE (no rows to rewrite), ALTER TYPE (a composite
 * type's) and tables created by an earlier statement of the file. */
const PgQuery__AlterTableStmt *dg_alter_existing_table(const struct dg_ctx *ctx,
						       const PgQuery__Node *node);
/* The constraint an ALTER TABLE … ADD CONSTRAINT subcommand adds when it is of type `contype`
 * (PgQuery__ConstrType), else NULL; cmd may be NULL. */
const PgQuery__Constraint *dg_cmd_added_constraint(const PgQuery__AlterTableCmd *cmd, int contype);
/* The column definition of an ALTER TABLE subcommand of type `subtype` (PgQuery__AlterTableType:
 * AT_AddColumn, AT_AlterColumnType), else NULL; cmd may be NULL. */
const PgQuery__ColumnDef *dg_cmd_column_def(const PgQuery__AlterTableCmd *cmd, int subtype);
/* Whether a column definition carries a constraint of type `contype`. */
bool dg_column_has_constraint(const PgQuery__ColumnDef *col, int contype);
/* ` "name"` for a constraint given a name, "" for one without, into buf; returns buf. */
const char *dg_constraint_name_part(const PgQuery__Constraint *c, char *buf, size_t size);
/* An ALTER TABLE subcommand that builds a unique index for a constraint of type `contype` (PRIMARY
 * KEY, UNIQUE) while holding the table's ACCESS EXCLUSIVE lock: ADD CONSTRAINT without USING
 * INDEX (returns the constraint, *col NULL), or ADD COLUMN declaring one (returns NULL, sets *col
 * to the column); NULL and *col NULL for any other subcommand. */
const PgQuery__Constraint *dg_cmd_builds_unique_index(const PgQuery__AlterTableCmd *cmd,
						      int contype, const PgQuery__ColumnDef **col);
/* Appends `"name"` to the comma-separated list in buf (NUL-terminated), while there is room. */
void dg_append_quoted(char *buf, size_t size, const char *name);
/* For ALTER TABLE subcommands on a column (DROP COLUMN, DROP NOT NULL, …): the table, when cmd is
 * of type `subtype`, names a column, and belongs to an ALTER TABLE of an ordinary table (a foreign
 * table's columns are declarations: the data lives elsewhere) whose column this migration did
 * not make (dg_made_here); NULL otherwise. */
const PgQuery__RangeVar *dg_cmd_table_made_before(const struct dg_ctx *ctx,
						  const PgQuery__AlterTableCmd *cmd, int subtype);
/* For rules about column types: a column that CREATE TABLE, ADD COLUMN or ALTER COLUMN … TYPE
 * defines, with its role, table and name (dg_column_role) and its built-in type. */
struct dg_typed_column {
	enum dg_column_role role;
	const PgQuery__RangeVar *table;
	const char *column;
	const char *type; /* dg_type_builtin: "int4", "varchar", "timestamp", … */
	const char *verb; /* "becomes" for the new type of ALTER COLUMN … TYPE, else "is" */
};
/* Fills *out; false for other column definitions, temporary tables and types that are not
 * built-in (dg_type_builtin NULL). */
bool dg_typed_column(const struct dg_ctx *ctx, const PgQuery__ColumnDef *col,
		     struct dg_typed_column *out);
/* The strongest lock that blocks ordinary writes, even while it only waits in the queue (SHARE
 * or stronger), that statement i takes on a relation that existed before the migration (not DROP
 * INDEX CONCURRENTLY's last brief lock on the index), or NULL. */
const struct dg_lock_rel *dg_blocking_lock_at(struct dg_ctx *ctx, size_t i);
/* That lock of the statement being walked, when it is the first of its direction (one run of
 * the tool, one connection) to take one; NULL otherwise. */
const struct dg_lock_rel *dg_first_blocking_lock(struct dg_ctx *ctx);
/* require-lock-timeout's condition: statement i is the first of its run to take such a lock and
 * no lock_timeout is in force there. */
bool dg_lock_timeout_missing_at(struct dg_ctx *ctx, size_t i);
/* The strongest such lock statement i holds on an existing relation while it scans, rewrites
 * or builds an index of it (the lock model's rewrite and scan), or NULL; always NULL for a
 * statement that says CONCURRENTLY (statement_timeout would cancel its build half-done). */
const struct dg_lock_rel *dg_slow_blocking_lock_at(struct dg_ctx *ctx, size_t i);
/* require-statement-timeout's condition: statement i is the first of its run to hold such a
 * lock for a scan or rewrite, and no statement_timeout is in force there. */
bool dg_statement_timeout_missing_at(struct dg_ctx *ctx, size_t i);
/* Whether the rule of that name is enabled in this run (rules that defer to another rule's
 * finding at the same statement ask; they never call each other). */
bool dg_rule_enabled(const struct dg_ctx *ctx, const char *name);
/* The relation's name, or its index's for a lock known by the index (DROP INDEX, REINDEX). */
const char *dg_lock_rel_name(const struct dg_lock_rel *r);

#endif
