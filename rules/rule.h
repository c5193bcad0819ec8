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
struct dg_ddb_ctx;
struct dg_ddb_table;

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

/* The top-level statement being walked (NULL in check_file). */
const PgQuery__Node *dg_stmt(const struct dg_ctx *ctx);
/* The n-th enclosing node of the node being checked: 0 is its parent, NULL past the statement. */
const PgQuery__Node *dg_parent(const struct dg_ctx *ctx, unsigned n);
/* Whether the relation was created by an earlier statement of this migration file, so that
 * nobody else can be using it yet. */
bool dg_table_created_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel);
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
/* The table of the index of that name as a statement of this file creates it (CREATE INDEX or an
 * index-backed constraint; the nearest creation before this statement, else the first after it),
 * or, in a down section, as the up file it undoes does; NULL when none does. */
const char *dg_index_table_here(const struct dg_ctx *ctx, const char *schema, const char *name);
/* A column type in a form that outlives the parse tree (schema memory keeps it across files). */
struct dg_type_desc {
	const char *name; /* the last name component: "int4", "varchar", "timestamptz", … */
	int mods[2];
	size_t n_mods;
	bool mods_unknown; /* a modifier that is not an integer constant */
	bool array;
};
/* Describes t (the grammar has made int, decimal, character varying… into int4, numeric,
 * varchar… already); a name it cannot read is "?". */
void dg_type_describe(const PgQuery__TypeName *t, struct dg_type_desc *out);
/* Schema memory: the type the column had when this migration started, as the earlier migrations
 * of the same directory (linted before this file, with a catalog) left it; false when unknown
 * (no catalog, not created there, ambiguous across schemas, or a down section: it undoes an up
 * section that may have changed the column). Never about this file. */
bool dg_column_type_earlier(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel,
			    const char *column, struct dg_type_desc *out);
/* Schema memory: the table of an index an earlier migration of the directory created, or NULL. */
const char *dg_index_table_earlier(const struct dg_ctx *ctx, const char *schema, const char *name);
/* The type an earlier statement of this file, in a section of the same direction, gave the
 * column (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE), or NULL when none did. */
const PgQuery__TypeName *dg_column_type_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel,
					     const char *column);
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
/* Whether the domain named by the qualified name list was created earlier in this file. */
bool dg_domain_created_here(const struct dg_ctx *ctx, PgQuery__Node *const *names, size_t n);

/* How a statement changes the schema, for rules about the migration as a whole: whether it is
 * DDL at all, whether it expands (adds a structure: table, column, index, view) and whether it
 * contracts (drops or renames a table, view or column that existed before this migration). */
struct dg_stmt_change {
	bool ddl;
	const char *expand;		    /* e.g. ADD COLUMN "email" to "users", or NULL */
	const char *contract;		    /* e.g. DROP TABLE "users", or NULL */
	const PgQuery__Node *contract_node; /* the statement or ALTER TABLE subcommand doing it */
};
/* Index of the statement being walked (dg_statement_count() in check_file). */
size_t dg_stmt_index(const struct dg_ctx *ctx);
/* Statement i of the file (0 ≤ i < dg_statement_count()): its change and its direction. */
const struct dg_stmt_change *dg_stmt_change_at(const struct dg_ctx *ctx, size_t i);
enum dg_direction dg_stmt_dir_at(const struct dg_ctx *ctx, size_t i);
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

/* Small AST helpers shared by rules. */
const char *dg_node_string(const PgQuery__Node *node); /* String node's value, or NULL */
/* Last name of a qualified name list ("pg_catalog"."int4" → "int4"). */
const char *dg_name_last(PgQuery__Node *const *names, size_t n);
/* Whether a list of DefElem options (VACUUM (…), REINDEX (…), …) turns `name` on: present with
 * no value or a true one, as PostgreSQL's defGetBoolean() reads it. */
bool dg_option_on(PgQuery__Node *const *opts, size_t n, const char *name);
/* A built-in type's internal name ("int4", "varchar", "bpchar", "serial", …) when the type is
 * written unqualified or in pg_catalog; NULL for other schemas. `"char"` stays "char". */
const char *dg_type_builtin(const PgQuery__TypeName *t);

/* Calls visit on every node under root, root included, depth first, until visit returns false;
 * returns false if it was stopped. */
bool dg_walk(const PgQuery__Node *root, bool (*visit)(const PgQuery__Node *node, void *arg),
	     void *arg);

/* The volatility of a function by its (possibly qualified) name: built-in functions and those of
 * common extensions (uuid-ossp, pgcrypto) are known; other functions are unknown, and a
 * CREATE FUNCTION that does not say otherwise makes a VOLATILE one. */
enum dg_volatility { DG_VOLATILITY_UNKNOWN = 0, DG_NOT_VOLATILE, DG_VOLATILE };
enum dg_volatility dg_function_volatility(PgQuery__Node *const *funcname, size_t n);

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
/* The type's first modifier when it is an integer constant (varchar(20) → 20). */
bool dg_type_int_mod(const PgQuery__TypeName *t, int *out);
/* Whether the type is written as a serial type (serial, bigserial, smallserial, serial2/4/8),
 * whatever its schema. */
bool dg_type_is_serial(const PgQuery__TypeName *t);
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
