/* baseline.h — accepted findings: --write-baseline records today's by fingerprint, --baseline
 * hides those on later runs so that an audit gates only what is new. */
#ifndef DG_BASELINE_H
#define DG_BASELINE_H

#include "ddlguard/ddlguard.h"

struct dg_baseline;

/* NULL with *error set (malloc'd) when the file cannot be read or is not a baseline. */
struct dg_baseline *dg_baseline_load(const char *path, char **error);
struct dg_baseline *dg_baseline_new(void);
void dg_baseline_free(struct dg_baseline *b);
/* Adds every finding of `res` (for writing). */
void dg_baseline_record(struct dg_baseline *b, const struct dg_result *res);
/* Removes from `res` the findings the baseline accepts; returns how many. */
size_t dg_baseline_filter(const struct dg_baseline *b, struct dg_result *res);
/* Writes the baseline as JSON, sorted; 0, or -1 with errno set. */
int dg_baseline_write(const struct dg_baseline *b, const char *path);

#endif
