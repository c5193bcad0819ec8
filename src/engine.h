/* engine.h — internals shared by the pipeline stages: the registry, the configuration and the
 * context a rule runs in. Nothing here is part of the public API. */
#ifndef DG_ENGINE_H
#define DG_ENGINE_H

#include "ddlguard/ddlguard.h"
#include "rule.h"
#include "arena.h"
#include "facts.h"
#include "fingerprint.h"
#include "migration.h"
#include "parse.h"
#include "registry.h"
#include "source.h"
#include "suppress.h"

struct dg_config {
	bool enabled[DG_N_RULES];
	enum dg_severity severity[DG_N_RULES];
	int pg_version;
	bool assume_in_transaction;
	size_t max_file_size;	      /* bytes: a larger file is refused, not read */
	const char *migration_format; /* static name, or NULL to detect */
	/* How the tool runs every section (`transaction:` of a `directories:` entry of the
	 * configuration), overriding the format's own mode: an enum dg_tx_mode, or -1. */
	int tx_override;
	dg_history_fn history; /* NULL: no version control facts */
	void *history_user;
	dg_base_fn base_reader; /* NULL: no base version to compare templates with */
	void *base_user;
	/* every fix is verified (linted again) before it is offered; dropped when it fails */
	bool verify_fixes;
	/* What the public setters set (the command line): a configuration file does not override
	 * these (see dg_config_file_apply). */
	struct dg_config_explicit {
		bool enabled[DG_N_RULES], severity[DG_N_RULES];
		bool pg_version, assume_in_transaction, migration_format, max_file_size;
	} explicit_set;
};

struct dg_ctx {
	const struct dg_config *cfg;
	struct dg_arena *arena;
	const struct dg_source *src;
	const struct dg_migration *mig;
	const struct dg_parsed *parsed;
	const struct dg_facts *facts;
	/* schema memory: what earlier migrations of the directory created, or NULL */
	const struct dg_catalog *catalog;
	struct dg_result *out;
	const struct dg_rule *rule; /* the rule being run */
	size_t rule_index;
	size_t stmt_index; /* current statement, or parsed->n_stmts in check_file */
	const struct dg_stmt *stmt;
	struct dg_lock_file lock_file;
	struct dg_lock_info *
	    *locks; /* per statement, computed on first use; only rels[0, n_rels) */
	const PgQuery__Node **stack; /* enclosing nodes of the one being dispatched */
	size_t depth, cap_depth;
	const PgQuery__Node *node; /* the node being dispatched (NULL in check_file) */
	/* the finding the rule reported last (index into out->findings), or (size_t)-1; whether
	 * its fixes[0] is the rewrite fix being built */
	size_t last_finding;
	bool fix_open;
	/* the normalized text of the statement findings were last hashed in (set_fingerprint), so
	 * a statement with many findings is lexed once; NULL: none kept */
	struct dg_fp_cache *fp_cache;
};

struct dg_fp_cache {
	const struct dg_stmt *stmt;
	size_t start, end; /* the statement's extent when it was normalized */
	struct dg_normalized norm;
};

/* Frees the calling thread's caches: the up file kept for its own lint (engine.c), and
 * dg_migration_caches_free's. A thread that lints calls it before it ends. */
void dg_lint_caches_free(void);

/* A migration file as every pipeline reads it (dg_read_migration). */
struct dg_read {
	struct dg_source src;
	struct dg_migration mig;
	struct dg_parsed parsed;
	struct dg_facts facts;
};

/* The front half of the pipeline, the one reading of a file that linting (dg_lint_buffer) and
 * the lock report (dg_locks_buffer) share: `buf` as the file `path` → source text → UTF-8 check
 * → migration format and sections (cfg's format and PostgreSQL version) → every section parsed
 * → the file's facts (--assume-in-transaction for plain files; for a down-only file, the facts
 * of the up file it undoes). Everything lives in `a`; `path` must outlive it. Returns (size_t)-1,
 * or the offset of the first byte that is not UTF-8: then only r->src is set. A file its tool
 * never runs (r->mig.skipped) is read all the same; the caller decides. */
size_t dg_read_migration(const struct dg_config *cfg, struct dg_arena *a, const char *path,
			 const char *buf, size_t len, struct dg_read *r);

/* Sorts a file's findings by position and makes repeated fingerprints unique: the last step of
 * every front half. */
void dg_result_finish(struct dg_result *out);
/* As dg_lint_buffer_with; with absorb false, `cat` is only read (the file's schema changes are
 * not added), so that the same file can be linted again against the same schema memory. */
enum dg_status dg_lint_buffer_ex(const struct dg_config *cfg, struct dg_catalog *cat, bool absorb,
				 const char *path, const char *buf, size_t len,
				 struct dg_result *out);

/* fix.c: the ignore fixes every finding gets (out->findings[i], reported at [start, end)), and
 * the end of a rule's fix hook (drops an empty or overlapping rewrite fix). */
void dg_fix_add_ignores(struct dg_ctx *ctx, size_t i, size_t start, size_t end);
void dg_fix_close(struct dg_ctx *ctx);
/* Where to put a line before the statement starting at `stmt_start`: the start of its line (with
 * `above_ignores`, above the suppression comments right over it), *own_line true; or the
 * statement's start when another statement precedes it on its line (*own_line false); (size_t)-1
 * when the statement sits in a comment. */
/* Drops the fixes of ctx->out's findings that do not verify against `buf` (see dg_fix_verify). */
void dg_fix_verify_all(struct dg_ctx *ctx, struct dg_catalog *cat, const char *buf, size_t len);
size_t dg_fix_insert_point(const struct dg_ctx *ctx, size_t stmt_start, bool above_ignores,
			   bool *own_line);

/* Fills `out` for a file that could not be read (err as dg_read_path sets it) and returns its
 * status: DG_ERR_IO, or DG_ERR_INTERNAL when memory ran out. */
enum dg_status dg_result_unreadable(struct dg_result *out, const char *path, int err, size_t limit);

/* Appends a finding for rule `rule_index` at [start, end) of the source text. */
void dg_emit(struct dg_ctx *ctx, size_t rule_index, enum dg_direction dir, size_t start, size_t end,
	     const char *help, const char *message);
/* Findings in file order with their duplicate fingerprints numbered, as dg_lint_buffer leaves
 * them (for front halves that emit findings themselves: verify). */
void dg_result_sort(struct dg_result *out);

/* Suppression over the context's findings, emitting through dg_emit. */
struct dg_suppressor dg_suppressor_of(struct dg_ctx *ctx);

#endif
