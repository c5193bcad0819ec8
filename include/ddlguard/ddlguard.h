/* ddlguard.h — the public API: lint a buffer or a file of PostgreSQL migrations into findings. */
#ifndef DDLGUARD_H
#define DDLGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ddlguard/version.h" /* DG_VERSION, from CMake's project(VERSION) */

/* Bumped whenever a key of the JSON report changes meaning (docs/report.schema.json). */
#define DG_JSON_SCHEMA_VERSION 1
/* The same for the --locks JSON document, its key "locks_version" (docs/locks.schema.json). */
#define DG_LOCKS_JSON_SCHEMA_VERSION 1

enum dg_status {
	DG_OK = 0,
	DG_ERR_IO = 1,	     /* a file could not be read */
	DG_ERR_USAGE = 2,    /* a bad argument (unknown rule, …) */
	DG_ERR_INTERNAL = 3, /* out of memory, parser failure */
};

enum dg_severity { DG_INFO = 0, DG_WARNING = 1, DG_ERROR = 2 };

/* Which way a section of a migration runs. */
enum dg_direction { DG_DIR_NONE = 0, DG_DIR_UP, DG_DIR_DOWN };

/* One text edit of a fix: replace [byte_offset, byte_offset + byte_length) of the file as stored
 * (a BOM counts) with `text`; the same span as 1-based line:column, columns in code points, end
 * exclusive. An insertion has byte_length 0. */
struct dg_edit {
	size_t byte_offset, byte_length;
	unsigned line, column, end_line, end_column;
	char *text;
};

enum dg_fix_kind {
	DG_FIX_REWRITE = 0, /* the safe form of the statement (and what it needs around it) */
	DG_FIX_IGNORE,	    /* a ddlguard-ignore comment for this statement */
	DG_FIX_IGNORE_FILE, /* a ddlguard-ignore-file comment */
};

/* A mechanical fix: edits of the file the finding is in, sorted, never overlapping. */
struct dg_fix {
	enum dg_fix_kind kind;
	const char *rule;  /* static: the rule of the finding it fixes */
	char *description; /* what it does, and what it leaves to the user */
	struct dg_edit *edits;
	size_t n_edits;
};

struct dg_finding {
	const char *rule; /* static: the rule's name */
	enum dg_severity severity;
	unsigned line, column; /* 1-based; columns count code points */
	unsigned end_line,
	    end_column; /* end of the span, exclusive: just past its last character */
	size_t byte_offset, byte_length; /* into the file as stored (a BOM counts) */
	/* The same columns in bytes from the line's start and in GNU display columns (tabs to
	 * multiples of 8, wide characters 2), for --column-unit; 1-based, ends exclusive. */
	unsigned byte_column, end_byte_column;
	unsigned display_column, end_display_column;
	char *message;
	char *help;
	enum dg_direction section;
	char *source_line; /* the text of the span's first line, without its line ending */
	/* Stable identity: hex hash of path, rule and the statement's normalized text (not its
	 * line), for baselines and CI systems that track findings across commits. */
	char fingerprint[17];
	/* Fixes, the preferred first: the rewrite when the rule knows one, then the ignore
	 * comments (every finding has those). */
	struct dg_fix *fixes;
	size_t n_fixes;
};
/* Frees what a finding owns (message, help, source line, fixes). */
void dg_finding_clear(struct dg_finding *f);
/* The finding's rewrite fix (DG_FIX_REWRITE), or NULL. */
const struct dg_fix *dg_finding_rewrite(const struct dg_finding *f);

struct dg_result {
	char *path;
	const char *format; /* static: migration format detected, e.g. "dbmate" */
	/* static: why the migration tool would not run this file on PostgreSQL (a variant for
	 * another database), or NULL; such a file is not linted */
	const char *skipped;
	struct dg_finding *findings;
	size_t n_findings, cap_findings;
	enum dg_status status; /* DG_ERR_IO when the file could not be read */
	char *error;	       /* the reason, when status != DG_OK */
	double seconds;	       /* how long reading and linting took (the CLI measures it) */
	/* plain SQL no runner claimed: whether its tool runs it in a transaction is unknown */
	bool tx_unknown;
};

struct dg_config;

/* Defaults: every rule at its own severity, PostgreSQL 15. */
struct dg_config *dg_config_new(void);
void dg_config_free(struct dg_config *cfg);
/* DG_ERR_USAGE when no rule has that name. */
enum dg_status dg_config_set_rule_enabled(struct dg_config *cfg, const char *rule, bool enabled);
/* Every rule on or off at once (then name the few to keep with dg_config_set_rule_enabled). */
void dg_config_set_all_rules_enabled(struct dg_config *cfg, bool enabled);
/* DG_ERR_USAGE outside 11–18. */
enum dg_status dg_config_set_pg_version(struct dg_config *cfg, int major);
void dg_config_set_assume_in_transaction(struct dg_config *cfg, bool on);
/* Files (and standard input) larger than this are refused with an error instead of being read:
 * parsing costs about a hundred times the file's size in memory. DG_ERR_USAGE for 0 or more
 * than DG_MAX_MAX_FILE_SIZE. */
#define DG_DEFAULT_MAX_FILE_SIZE ((size_t)8 << 20)
#define DG_MAX_MAX_FILE_SIZE ((size_t)1 << 30)
enum dg_status dg_config_set_max_file_size(struct dg_config *cfg, size_t bytes);
size_t dg_config_max_file_size(const struct dg_config *cfg);
/* Parses "8M", "512K", "1G" or a number of bytes; 0 when it is none of these. */
size_t dg_parse_size(const char *s);
/* DG_ERR_USAGE when no rule has that name. */
enum dg_status dg_config_set_rule_severity(struct dg_config *cfg, const char *rule,
					   enum dg_severity severity);
/* Read every file as written for this migration tool instead of detecting it: "auto" or NULL
 * detect (the default); otherwise a name dg_migration_format_at() lists, such as "dbmate".
 * DG_ERR_USAGE for an unknown one. */
enum dg_status dg_config_set_migration_format(struct dg_config *cfg, const char *name);
/* Whether each fix is verified (the file linted again with it applied) before a finding offers
 * it; off by default, as it costs a lint per fix. */
void dg_config_set_verify_fixes(struct dg_config *cfg, bool on);
/* A copy to specialise per file (NULL when out of memory); free with dg_config_free(). */
struct dg_config *dg_config_clone(const struct dg_config *cfg);

/* What version control knows about a migration (see --diff-base), for the workflow rules. */
enum dg_history_state {
	DG_HISTORY_UNKNOWN = 0, /* no history provider, or the file is not tracked by it */
	DG_HISTORY_UNCHANGED,
	DG_HISTORY_ADDED,    /* new since the base revision */
	DG_HISTORY_MODIFIED, /* existed at the base revision (so was applied) and was edited */
};
struct dg_history {
	enum dg_history_state state;
	const char *base;	    /* the base revision as the user named it */
	const char *newest_at_base; /* ADDED only: the newest migration of the same directory at
				     * the base when it sorts after this one, else NULL */
};
/* Fills `out` for `path`; the strings must live as long as the configuration is used. */
typedef void (*dg_history_fn)(void *user, const char *path, struct dg_history *out);
void dg_config_set_history(struct dg_config *cfg, dg_history_fn fn, void *user);
/* The content `path` had at the base revision (malloc'd, *len bytes, NUL-terminated), or NULL
 * when it did not exist there. Infrastructure templates (DynamoDB tables) are compared with it. */
typedef char *(*dg_base_fn)(void *user, const char *path, size_t *len);
void dg_config_set_base_reader(struct dg_config *cfg, dg_base_fn fn, void *user);

/* A configuration file (.ddlguard.yaml). Settings made through the dg_config_set_* functions
 * (the command line) win over the file's. */
struct dg_config_file;
/* The nearest .ddlguard.yaml (or .ddlguard.yml) in the directory of `path` or above it, up to
 * the repository's root (the first directory holding .git) and never past it; malloc'd, or
 * NULL. A file owned by another user than the effective one (or root) is not used: *ignored
 * then names the first such file (malloc'd; NULL when none was skipped). */
char *dg_config_file_find(const char *path, char **ignored);
/* Forgets the directories dg_config_file_find found without a configuration file or to be a
 * repository's root: a long-running caller (the language server) sees files created since. */
void dg_config_file_forget(void);
/* Reads and checks a file. On DG_ERR_USAGE or DG_ERR_IO, *error says "file:line:col: why"
 * (malloc'd). */
enum dg_status dg_config_file_load(const char *path, struct dg_config_file **out, char **error);
void dg_config_file_free(struct dg_config_file *f);
/* Applies the file to cfg, except what was set explicitly on cfg. */
void dg_config_file_apply(const struct dg_config_file *f, struct dg_config *cfg);
/* fail_on from the file: a severity, 3 for never, -1 when the file does not say. */
int dg_config_file_fail_on(const struct dg_config_file *f);
/* table_stats from the file: each threshold the file sets replaces *small_rows / *large_rows. */
void dg_config_file_table_thresholds(const struct dg_config_file *f, long long *small_rows,
				     long long *large_rows);
/* Whether `path` matches one of the file's exclude globs (relative to the file's directory). */
bool dg_config_file_excludes(const struct dg_config_file *f, const char *path);
/* The settings for `path`: `cfg` (the file's, applied) with those of the first `directories:`
 * entry whose glob matches the path or a directory above it; `cfg` itself when none does. The
 * result is owned by `f` and lives as long as it. */
const struct dg_config *dg_config_file_for_path(struct dg_config_file *f,
						const struct dg_config *cfg, const char *path);
/* The migration formats ddlguard knows, for --migration-format: NULL past the last. */
const char *dg_migration_format_at(size_t i);

/* Lint bytes that claim to come from `path` (used for reports and for the migration format).
 * Fills `out`; release it with dg_result_clear(). */
enum dg_status dg_lint_buffer(const struct dg_config *cfg, const char *path, const char *buf,
			      size_t len, struct dg_result *out);
/* Read the file at `path` and lint it; an unreadable file sets out->status = DG_ERR_IO. */
enum dg_status dg_lint_file(const struct dg_config *cfg, const char *path, struct dg_result *out);
void dg_result_clear(struct dg_result *res);

/* Schema memory: what the migrations of one directory linted so far created — tables with their
 * columns and column types, indexes with their table, foreign keys, partitions — so that a
 * later migration's findings can be precise (e.g. the old type of ALTER COLUMN … TYPE). Lint the
 * files of a directory in the tool's order (dg_collect_paths) with one catalog: each file is
 * linted against what the earlier ones left (those objects existed before it: they are never
 * "created in this migration"), then its up sections are added. The catalog forgets everything
 * when a file of another directory comes. */
struct dg_catalog;
struct dg_catalog *dg_catalog_new(void);
void dg_catalog_free(struct dg_catalog *cat);
/* Forget everything (as when the directory changes). */
void dg_catalog_reset(struct dg_catalog *cat);
/* As dg_lint_buffer / dg_lint_file, reading and then extending `cat` (NULL: no schema memory,
 * exactly dg_lint_buffer / dg_lint_file). */
enum dg_status dg_lint_buffer_with(const struct dg_config *cfg, struct dg_catalog *cat,
				   const char *path, const char *buf, size_t len,
				   struct dg_result *out);
enum dg_status dg_lint_file_with(const struct dg_config *cfg, struct dg_catalog *cat,
				 const char *path, struct dg_result *out);
/* A migration that is not reported but ran before the next ones (--diff-base's unchanged
 * files): the earlier migrations of its root, then its own up sections, go into `cat` —
 * effects only, no rule runs. A file that cannot be read adds nothing. Linting a file with a
 * catalog reads the earlier migrations of its root the same way, so one file alone gets the
 * findings the run over its whole directory gives it. */
void dg_absorb_file(const struct dg_config *cfg, struct dg_catalog *cat, const char *path);
/* What the catalog knows: the type of a column as "varchar(50)", "int4", "numeric(10,2)[]"
 * (PostgreSQL's internal names) into buf; the table of an index (NULL if unknown). An
 * unqualified schema (NULL) matches any. */
bool dg_catalog_column_type(const struct dg_catalog *cat, const char *schema, const char *table,
			    const char *column, char *buf, size_t size);
const char *dg_catalog_index_table(const struct dg_catalog *cat, const char *schema,
				   const char *name);

/* Fixes. dg_fix_apply: `buf` (the file as stored) with the edits of fixes[0..n) applied, in
 * that order of preference: a fix whose edits overlap one taken earlier is left out (used[i]
 * false; `used` may be NULL). Malloc'd, NUL-terminated, *out_len bytes; NULL when out of memory. */
char *dg_fix_apply(const char *buf, size_t len, const struct dg_fix *const *fixes, size_t n,
		   bool *used, size_t *out_len);
/* Whether those fixes are safe to apply to `buf` (linted as `path` with cfg, against `cat`, which
 * is only read; NULL for no schema memory): the fixed text parses wherever the original did, each
 * fixed rule finds fewer things than before, and no rule finds more. Otherwise false, and `why`
 * says what went wrong. */
bool dg_fix_verify(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
		   const char *buf, size_t len, const struct dg_fix *const *fixes, size_t n,
		   char *why, size_t why_size);
/* ddlguard --fix: applies to `buf` every rewrite fix that verifies (dg_fix_verify), one at a
 * time, linting again after each, until none is left. *out (malloc'd) is the result, equal to
 * buf when nothing applied; *applied counts the fixes. A file that does not parse is left as it
 * is (*why says so). DG_ERR_INTERNAL when out of memory. */
enum dg_status dg_fix_text(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
			   const char *buf, size_t len, char **out, size_t *out_len,
			   size_t *applied, const char **why);
/* Writes a unified diff (3 lines of context, labels a/PATH and b/PATH) from `a` to `b`; nothing
 * when they are equal. Returns whether they differ. */
bool dg_diff_write(FILE *out, const char *path, const char *a, size_t alen, const char *b,
		   size_t blen);

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
	char *relation;	  /* "name" or "schema.name"; "(table of index X)" when only the index is
			     named and schema memory does not know its table */
	const char *role; /* static: table, referenced, parent, partition, index, table of index,
			     read, new */
	const char *mode; /* static: "ACCESS EXCLUSIVE", …; NULL when none is taken */
	int strength;	  /* 0 (none) … 8 (ACCESS EXCLUSIVE), the order of the PostgreSQL docs */
	bool blocks_reads, blocks_writes, rewrite, scan;
	const char *note; /* static caveat, or NULL */
};

struct dg_stmt_locks {
	unsigned line, column; /* where the statement starts */
	size_t byte_offset, byte_length;
	char *text;		 /* the statement's first line, abbreviated */
	bool known;		 /* the statement kind is in the lock model */
	bool no_transaction;	 /* PostgreSQL refuses it inside a transaction block */
	bool in_transaction;	 /* it runs inside one here (BEGIN or the tool's wrapping) */
	const char *unsupported; /* static: not available on the chosen version, why; else NULL */
	const char *fails;	 /* why PostgreSQL refuses the statement here, else NULL */
	struct dg_lock_row *rows;
	size_t n_rows;
};

struct dg_lock_report {
	char *path;
	const char *format; /* migration format detected */
	int pg_version;	    /* the version the model answered for */
	struct dg_stmt_locks *stmts;
	size_t n_stmts;
	enum dg_status status; /* DG_ERR_IO when the file could not be read */
	char *error;
	char *note; /* why a file that was read has no statements (not valid UTF-8), or NULL */
};

enum dg_status dg_locks_buffer(const struct dg_config *cfg, const char *path, const char *buf,
			       size_t len, struct dg_lock_report *out);
enum dg_status dg_locks_file(const struct dg_config *cfg, const char *path,
			     struct dg_lock_report *out);
/* The same with schema memory (see struct dg_catalog): the table of an index an earlier migration
 * created ("table of index" rows then name it), the tables an earlier migration's foreign keys
 * make DROP TABLE lock. NULL: exactly dg_locks_buffer / dg_locks_file. */
enum dg_status dg_locks_buffer_with(const struct dg_config *cfg, struct dg_catalog *cat,
				    const char *path, const char *buf, size_t len,
				    struct dg_lock_report *out);
enum dg_status dg_locks_file_with(const struct dg_config *cfg, struct dg_catalog *cat,
				  const char *path, struct dg_lock_report *out);
void dg_lock_report_clear(struct dg_lock_report *r);

#endif
