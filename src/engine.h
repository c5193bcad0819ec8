/* engine.h — internals shared by the pipeline stages: the registry, the configuration and the
 * context a rule runs in. Nothing here is part of the public API. */
#ifndef DG_ENGINE_H
#define DG_ENGINE_H

#include "ddlguard/ddlguard.h"
#include "rule.h"
#include "arena.h"
#include "facts.h"
#include "migration.h"
#include "parse.h"
#include "source.h"

enum dg_rule_id {
#define DG_RULE(id) DG_RULE_ID_##id,
#include "rules.def"
#undef DG_RULE
	DG_N_RULES
};

extern const struct dg_rule *const dg_rules[DG_N_RULES];

struct dg_config {
	bool enabled[DG_N_RULES];
	enum dg_severity severity[DG_N_RULES];
	int pg_version;
	bool assume_in_transaction;
	const char *migration_format; /* static name, or NULL to detect */
	/* How the tool runs every section (`transaction:` of a `directories:` entry of the
	 * configuration), overriding the format's own mode: an enum dg_tx_mode, or -1. */
	int tx_override;
	dg_history_fn history; /* NULL: no version control facts */
	void *history_user;
	dg_base_fn base_reader; /* NULL: no base version to compare templates with */
	void *base_user;
	/* What the public setters set (the command line): a configuration file does not override
	 * these (see dg_config_file_apply). */
	struct dg_config_explicit {
		bool enabled[DG_N_RULES], severity[DG_N_RULES];
		bool pg_version, assume_in_transaction, migration_format;
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
	struct dg_lock_info **locks; /* per statement, computed on first use */
	const PgQuery__Node **stack; /* enclosing nodes of the one being dispatched */
	size_t depth, cap_depth;
};

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

/* Appends a finding for rule `rule_index` at [start, end) of the source text. */
void dg_emit(struct dg_ctx *ctx, size_t rule_index, enum dg_direction dir, size_t start, size_t end,
	     const char *help, const char *message);
/* Findings in file order with their duplicate fingerprints numbered, as dg_lint_buffer leaves
 * them (for front halves that emit findings themselves: verify). */
void dg_result_sort(struct dg_result *out);

#endif
