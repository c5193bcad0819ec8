/* rollback.h — `--format rollback-plan`: a Markdown section per migration of a root with its
 * forward and rollback statements, the data a rollback loses, how long the rollback stays
 * possible and the point of no return; read statically from the up and down sections and schema
 * memory. Under `ddlguard verify`, each section also says whether the down was verified. */
#ifndef DG_VERIFY_ROLLBACK_H
#define DG_VERIFY_ROLLBACK_H

#include <stdio.h>

#include "ddlguard/ddlguard.h"
#include "verify.h"

/* Writes the plan of one root (`paths`, in the runner's order) under a "# Rollback plan: title"
 * heading. `verified`: what verify learned about the same files (index-aligned), or NULL.
 * Returns 0, or -1 when a file cannot be read (the others are still planned; *n_errors counts
 * them and the reasons go to stderr). */
int dg_rollback_plan(const struct dg_config *cfg, const char *title, char **paths, size_t n,
		     const struct dg_verify_root *verified, FILE *out, size_t *n_errors);

#endif
