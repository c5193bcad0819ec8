/* ddlguard.h — the public API: lint a buffer or a file of PostgreSQL migrations into findings. */
#ifndef DDLGUARD_H
#define DDLGUARD_H

#include <stdbool.h>
#include <stddef.h>

#define DG_VERSION "0.1.0"
/* Bumped whenever a key of the JSON report changes meaning. */
#define DG_JSON_SCHEMA_VERSION 1

enum dg_status {
	DG_OK = 0,
	DG_ERR_IO = 1,       /* a file could not be read */
	DG_ERR_USAGE = 2,    /* a bad argument (unknown rule, …) */
	DG_ERR_INTERNAL = 3, /* out of memory, parser failure */
};

enum dg_severity { DG_INFO = 0, DG_WARNING = 1, DG_ERROR = 2 };

/* Which way a section of a migration runs. */
enum dg_direction { DG_DIR_NONE = 0, DG_DIR_UP, DG_DIR_DOWN };

struct dg_finding {
	const char *rule; /* static: the rule's name */
	enum dg_severity severity;
	unsigned line, column; /* 1-based; columns count code points */
	unsigned end_line, end_column; /* inclusive end of the span */
	size_t byte_offset, byte_length; /* into the file as stored (a BOM counts) */
	char *message;
	char *help;
	enum dg_direction section;
	char *source_line; /* the text of the span's first line, without its line ending */
};

struct dg_result {
	char *path;
	const char *format; /* static: migration format detected, e.g. "dbmate" */
	struct dg_finding *findings;
	size_t n_findings, cap_findings;
	enum dg_status status; /* DG_ERR_IO when the file could not be read */
	char *error;           /* the reason, when status != DG_OK */
};

struct dg_config;

/* Defaults: every rule at its own severity, PostgreSQL 15. */
struct dg_config *dg_config_new(void);
void dg_config_free(struct dg_config *cfg);
/* DG_ERR_USAGE when no rule has that name. */
enum dg_status dg_config_set_rule_enabled(struct dg_config *cfg, const char *rule, bool enabled);
/* DG_ERR_USAGE outside 11–18. */
enum dg_status dg_config_set_pg_version(struct dg_config *cfg, int major);
void dg_config_set_assume_in_transaction(struct dg_config *cfg, bool on);

/* Lint bytes that claim to come from `path` (used for reports and for the migration format).
 * Fills `out`; release it with dg_result_clear(). */
enum dg_status dg_lint_buffer(const struct dg_config *cfg, const char *path, const char *buf,
			      size_t len, struct dg_result *out);
/* Read the file at `path` and lint it; an unreadable file sets out->status = DG_ERR_IO. */
enum dg_status dg_lint_file(const struct dg_config *cfg, const char *path, struct dg_result *out);
void dg_result_clear(struct dg_result *res);

/* Expand files and directories (recursively, *.sql, sorted) into a list of files.
 * Unreadable paths are returned in `errors` (one message each). */
struct dg_path_list {
	char **items;
	size_t n, cap;
};
void dg_collect_paths(const char *path, struct dg_path_list *files, struct dg_path_list *errors);
void dg_path_list_free(struct dg_path_list *list);

/* The rule registry, for --list-rules and --explain. */
struct dg_rule_info {
	const char *name;
	const char *summary;
	enum dg_severity severity;
	const char *doc; /* Markdown */
};
size_t dg_rule_count(void);
const struct dg_rule_info *dg_rule_info_at(size_t i);
const struct dg_rule_info *dg_rule_info_find(const char *name);

const char *dg_severity_name(enum dg_severity s);
const char *dg_direction_name(enum dg_direction d); /* NULL for DG_DIR_NONE */

/* The lock model's view of every statement of a file (ddlguard --locks): per statement, each
 * relation it touches with the lock mode, what that blocks, rewrite and scan. */
struct dg_lock_row {
	char *relation;   /* "name" or "schema.name"; "(table of index X)" when only the index is named */
	const char *role; /* static: table, referenced, parent, partition, index, table of index,
			     read, new */
	const char *mode; /* static: "ACCESS EXCLUSIVE", …; NULL when none is taken */
	int strength;     /* 0 (none) … 8 (ACCESS EXCLUSIVE), the order of the PostgreSQL docs */
	bool blocks_reads, blocks_writes, rewrite, scan;
	const char *note; /* static caveat, or NULL */
};

struct dg_stmt_locks {
	unsigned line, column; /* where the statement starts */
	size_t byte_offset, byte_length;
	char *text;  /* the statement's first line, abbreviated */
	bool known;  /* the statement kind is in the lock model */
	bool no_transaction; /* PostgreSQL refuses it inside a transaction block */
	bool in_transaction; /* it runs inside one here (BEGIN or the tool's wrapping) */
	const char *unsupported; /* static: not available on the chosen version, why; else NULL */
	struct dg_lock_row *rows;
	size_t n_rows;
};

struct dg_lock_report {
	char *path;
	const char *format; /* migration format detected */
	int pg_version;     /* the version the model answered for */
	struct dg_stmt_locks *stmts;
	size_t n_stmts;
	enum dg_status status; /* DG_ERR_IO when the file could not be read */
	char *error;
};

enum dg_status dg_locks_buffer(const struct dg_config *cfg, const char *path, const char *buf,
			       size_t len, struct dg_lock_report *out);
enum dg_status dg_locks_file(const struct dg_config *cfg, const char *path,
			     struct dg_lock_report *out);
void dg_lock_report_clear(struct dg_lock_report *r);

#endif
