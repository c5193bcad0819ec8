/* locks.h — the lock model: for one statement, the relations it touches, the lock mode it takes on
 * each, and whether it rewrites or scans them, per PostgreSQL version. Checked against a real
 * server by tests/pg/ (pg_locks, pg_class.relfilenode, pg_stat_xact_user_tables). */
#ifndef DG_LOCKS_H
#define DG_LOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "effects.h"

struct dg_parsed;
struct dg_catalog;
struct dg_facts;

#if defined(__GNUC__)
#define DG_LOCKS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DG_LOCKS_PRINTF(a, b)
#endif

/* Table-level lock modes, ordered by strength (the order of the PostgreSQL docs). */
enum dg_lock_mode {
	DG_LOCK_NONE = 0,
	DG_LOCK_ACCESS_SHARE,
	DG_LOCK_ROW_SHARE,
	DG_LOCK_ROW_EXCLUSIVE,
	DG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	DG_LOCK_SHARE,
	DG_LOCK_SHARE_ROW_EXCLUSIVE,
	DG_LOCK_EXCLUSIVE,
	DG_LOCK_ACCESS_EXCLUSIVE,
};

/* Why the statement touches the relation. */
enum dg_rel_role {
	DG_ROLE_TABLE = 0,   /* the statement's own table (or view, sequence, matview) */
	DG_ROLE_REFERENCED,  /* the referenced table of a foreign key */
	DG_ROLE_PARENT,	     /* the parent of a partition or inheritance child */
	DG_ROLE_PARTITION,   /* the partition being attached or detached */
	DG_ROLE_INDEX,	     /* an index named by the statement */
	DG_ROLE_INDEX_TABLE, /* the table of an index named by the statement (name unknown) */
	DG_ROLE_READ,	     /* a relation the statement's query reads */
	DG_ROLE_NEW,	     /* a relation the statement creates */
	DG_ROLE_EVERY,	     /* relations it locks without naming them: `name` is a label */
};

struct dg_lock_rel {
	const char *schema; /* NULL when unqualified */
	const char *name;   /* for DG_ROLE_INDEX_TABLE: NULL (see `index`) unless schema memory
			     * knows the index's table */
	const char *index;  /* for DG_ROLE_INDEX_TABLE: the index whose table it is */
	enum dg_rel_role role;
	enum dg_lock_mode mode;
	bool rewrite;	  /* the relation's storage is rewritten (new relfilenode, time ~ size) */
	bool scan;	  /* every row is read (validation, index build, rewrite) */
	const char *note; /* a caveat on the claim, or NULL */
	/* the table whose queries lock this relation too (an index's table, a partition's
	 * parent), or NULL */
	const char *owner_schema, *owner;
	/* what ordinary traffic on the relation waits for: a plain SELECT, an INSERT / UPDATE /
	 * DELETE; counting the locks on its indexes and partitions (planning a query locks
	 * every index of its table, a query on a partitioned table its partitions) */
	bool blocks_reads, blocks_writes;
	/* the rewrite or scan claim depends on what the note says (a guess is never a fact) */
	bool uncertain;
};

/* What ALTER COLUMN … TYPE does to the stored rows, per PostgreSQL's
 * ATColumnChangeRequiresRewrite (after the planner has simplified length coercions). */
enum dg_retype {
	DG_RETYPE_NONE = 1, /* only the catalog changes */
	DG_RETYPE_REWRITE,  /* the table and its indexes are rewritten */
	DG_RETYPE_INDEXES,  /* no table rewrite, but the column's indexes are rebuilt */
	DG_RETYPE_TIMEZONE, /* timestamp ↔ timestamptz: no rewrite only when TimeZone is UTC */
	DG_RETYPE_UNKNOWN,  /* the old type is unknown */
};
enum dg_retype dg_retype_verdict(const struct dg_type_desc *old_type,
				 const struct dg_type_desc *new_type);

/* One ALTER COLUMN … TYPE subcommand, as the model judged it. */
struct dg_column_change {
	size_t cmd; /* index of the ALTER TABLE subcommand */
	/* after the session's TimeZone: DG_RETYPE_TIMEZONE never remains */
	enum dg_retype verdict;
	bool old_known; /* from an earlier statement of the file or schema memory */
	struct dg_type_desc old_type, new_type;
	bool using_expr;  /* a USING expression computed for every row */
	bool session_utc; /* TimeZone is UTC (and PostgreSQL 12+): timestamp ↔ timestamptz free */
};
#define DG_LOCK_MAX_CHANGES 8
#define DG_LOCK_MAX_LABELS 4

#define DG_LOCK_MAX_RELS 24

#define DG_LOCK_LABEL_LEN 96

struct dg_lock_info {
	bool known;		 /* the statement kind is in the model */
	bool no_transaction;	 /* PostgreSQL refuses to run it inside a transaction block */
	const char *unsupported; /* not available on the chosen version: why, else NULL */
	const char *fails;	 /* why PostgreSQL refuses the statement, else "" */
	const struct dg_column_change *changes;
	size_t n_changes;
	/* ALTER TABLE: bit i set when subcommand i (the first 64) rewrites or scans a relation */
	unsigned long long rewrite_cmds, scan_cmds;
	/* the labels of DG_ROLE_EVERY rows */
	const char (*labels)[DG_LOCK_LABEL_LEN];
	size_t n_labels;
	size_t n_rels;
	struct dg_lock_rel rels[DG_LOCK_MAX_RELS];
	/* Last: where fails, changes and labels are written while the statement is computed. A
	 * copy kept for later (engine.c) stops after its relations, with the few of these a
	 * statement has beside it: most have none (this room is 1.4 kB). */
	struct {
		char fails[256];
		struct dg_column_change changes[DG_LOCK_MAX_CHANGES];
		char labels[DG_LOCK_MAX_LABELS][DG_LOCK_LABEL_LEN];
	} room;
};

/* What the model reads besides the statement: the file's timeline (facts: what earlier
 * statements did, which transaction block the statement runs in, the session's settings) and
 * schema memory (what earlier migrations of the directory created). */
struct dg_lock_file {
	const struct dg_parsed *p;
	const struct dg_facts *facts;
	const struct dg_catalog *catalog; /* NULL unless set after dg_lock_file_init */
};
void dg_lock_file_init(struct dg_lock_file *f, const struct dg_parsed *p,
		       const struct dg_facts *facts);
/* Computes the locks of statement `index` of the file. */
void dg_locks_of_stmt(const struct dg_lock_file *f, size_t index, int pg_version,
		      struct dg_lock_info *out);
/* The same for a lone statement node (no history). */
void dg_locks_of_node(const PgQuery__Node *stmt, int pg_version, struct dg_lock_info *out);

/* Whether ALTER TABLE subcommand `cmd` of the statement rewrites / scans a relation. */
bool dg_lock_cmd_rewrites(const struct dg_lock_info *info, size_t cmd);
bool dg_lock_cmd_scans(const struct dg_lock_info *info, size_t cmd);

/* The strongest lock of `info`, over every relation (DG_LOCK_NONE if none). */
enum dg_lock_mode dg_lock_info_max(const struct dg_lock_info *info);

bool dg_lock_conflicts(enum dg_lock_mode a, enum dg_lock_mode b);
/* Plain SELECT (ACCESS SHARE) waits for it. */
bool dg_lock_blocks_reads(enum dg_lock_mode m);
/* INSERT/UPDATE/DELETE (ROW EXCLUSIVE) wait for it. */
bool dg_lock_blocks_writes(enum dg_lock_mode m);
/* "ACCESS EXCLUSIVE"; NULL for DG_LOCK_NONE */
const char *dg_lock_mode_name(enum dg_lock_mode m);
/* From pg_locks.mode ("AccessExclusiveLock"); DG_LOCK_NONE if unknown. */
enum dg_lock_mode dg_lock_mode_from_pg(const char *pg_mode);
const char *dg_rel_role_name(enum dg_rel_role r);
/* Whether a call of this function (last name) in a DEFAULT makes ADD COLUMN rewrite the table. */
bool dg_lock_function_is_volatile(const char *name);

/* Statement node kinds the model knows, for a rule's .kinds. */
#define DG_LOCK_STMT_KINDS                                                                         \
	PG_QUERY__NODE__NODE_ALTER_TABLE_STMT, PG_QUERY__NODE__NODE_INDEX_STMT,                    \
	    PG_QUERY__NODE__NODE_DROP_STMT, PG_QUERY__NODE__NODE_REINDEX_STMT,                     \
	    PG_QUERY__NODE__NODE_RENAME_STMT, PG_QUERY__NODE__NODE_TRUNCATE_STMT,                  \
	    PG_QUERY__NODE__NODE_CREATE_TRIG_STMT, PG_QUERY__NODE__NODE_CREATE_POLICY_STMT,        \
	    PG_QUERY__NODE__NODE_ALTER_POLICY_STMT, PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT,    \
	    PG_QUERY__NODE__NODE_COMMENT_STMT, PG_QUERY__NODE__NODE_VACUUM_STMT,                   \
	    PG_QUERY__NODE__NODE_CLUSTER_STMT, PG_QUERY__NODE__NODE_LOCK_STMT,                     \
	    PG_QUERY__NODE__NODE_CREATE_STATS_STMT, PG_QUERY__NODE__NODE_CREATE_STMT,              \
	    PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT, PG_QUERY__NODE__NODE_VIEW_STMT,             \
	    PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT, PG_QUERY__NODE__NODE_ALTER_OWNER_STMT,  \
	    PG_QUERY__NODE__NODE_ALTER_SEQ_STMT, PG_QUERY__NODE__NODE_INSERT_STMT,                 \
	    PG_QUERY__NODE__NODE_UPDATE_STMT, PG_QUERY__NODE__NODE_DELETE_STMT,                    \
	    PG_QUERY__NODE__NODE_SELECT_STMT, PG_QUERY__NODE__NODE_GRANT_STMT,                     \
	    PG_QUERY__NODE__NODE_ALTER_ENUM_STMT, PG_QUERY__NODE__NODE_CREATE_SEQ_STMT,            \
	    PG_QUERY__NODE__NODE_MERGE_STMT, PG_QUERY__NODE__NODE_RULE_STMT,                       \
	    PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT,                                          \
	    PG_QUERY__NODE__NODE_ALTER_PUBLICATION_STMT

#endif
