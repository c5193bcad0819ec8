/* verify.h — `ddlguard verify`: apply each migration root on a real PostgreSQL as its runner
 * would (the same reading of files, sections and transaction modes as the linter), up → down →
 * up with catalog snapshots compared after each step, each statement's locks from pg_locks
 * compared with the lock model. The result is ordinary findings, one dg_result per file. */
#ifndef DG_VERIFY_H
#define DG_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ddlguard/ddlguard.h"

/* What verify learned about one migration, for the rollback plan. */
enum dg_verify_down {
	DG_VERIFY_DOWN_UNKNOWN = 0, /* not run (no down, or an earlier failure) */
	DG_VERIFY_DOWN_RESTORES,    /* down ran and gave the schema before the up again */
	DG_VERIFY_DOWN_INCOMPLETE,  /* down ran, the schema differs */
	DG_VERIFY_DOWN_FAILED,
};

struct dg_verify_file {
	struct dg_result result; /* findings of verify rules about this file */
	enum dg_verify_down down;
};

struct dg_verify_root {
	struct dg_verify_file *files; /* in the runner's order, as dg_collect_paths listed them */
	size_t n_files;
};

/* The test-only hook: DDLGUARD_TEST_LOCK_MODEL="FILE-SUFFIX:LINE:RELATION=MODE" makes the lock
 * model claim MODE on RELATION for the statement starting on LINE of the file whose path ends
 * with FILE-SUFFIX (to prove that lock-model-mismatch reports a wrong model). */
#define DG_VERIFY_TEST_HOOK "DDLGUARD_TEST_LOCK_MODEL"

struct dg_verify_session;

/* Connects to `conninfo` (a libpq connection string or URL) as the server on which every root
 * gets its own temporary database. NULL with libpq's message in *err (malloc'd). */
struct dg_verify_session *dg_verify_connect(const char *conninfo, char **err);
/* The server's major version (e.g. 15). */
int dg_verify_server_major(const struct dg_verify_session *s);
void dg_verify_disconnect(struct dg_verify_session *s);

/* Verifies one root: the files `paths` (in order). Fills `out` (free with
 * dg_verify_root_clear). Returns false with *err (malloc'd) for trouble that is not a finding
 * (the temporary database cannot be made, the server went away). */
bool dg_verify_root(struct dg_verify_session *s, const struct dg_config *cfg, char **paths,
		    size_t n, struct dg_verify_root *out, char **err);
void dg_verify_root_clear(struct dg_verify_root *r);

/* Leaves out of `files` what is not a SQL migration (DynamoDB templates, which dg_collect_paths
 * lists after the migrations). */
void dg_verify_keep_migrations(struct dg_path_list *files);

/* The `ddlguard verify` command line (argv[0] is "verify"). Returns the exit status. */
int dg_verify_main(int argc, char **argv);

#endif
