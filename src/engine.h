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
	dg_history_fn history;        /* NULL: no version control facts */
	void *history_user;
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
	struct dg_result *out;
	const struct dg_rule *rule;  /* the rule being run */
	size_t rule_index;
	size_t stmt_index;           /* current statement, or parsed->n_stmts in check_file */
	const struct dg_stmt *stmt;
	struct dg_lock_file lock_file;
	struct dg_lock_info **locks; /* per statement, computed on first use */
	const PgQuery__Node **stack; /* enclosing nodes of the one being dispatched */
	size_t depth, cap_depth;
};

/* Appends a finding for rule `rule_index` at [start, end) of the source text. */
void dg_emit(struct dg_ctx *ctx, size_t rule_index, enum dg_direction dir, size_t start,
	     size_t end, const char *help, const char *message);

/* Reads the whole file into *buf (malloc'd, not NUL-terminated, never NULL on success) and its
 * length into *len. Returns 0, an errno value when it cannot be opened or read, or -1 when
 * memory ran out. */
int dg_read_file(const char *path, char **buf, size_t *len);

#endif
