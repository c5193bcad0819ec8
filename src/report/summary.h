/* summary.h — the figures of a whole run that reporters print at the end: formats detected,
 * migrations checked, findings per rule, the files with the most serious findings. Bounded
 * memory: one entry per format and per rule, and only the top files are kept. */
#ifndef DG_REPORT_SUMMARY_H
#define DG_REPORT_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "ddlguard/ddlguard.h"

#define DG_SUMMARY_TOP_FILES 10

struct dg_summary_count {
	const char *name; /* static: a format or rule name */
	size_t n;
	size_t by_severity[3]; /* rules only */
};

struct dg_summary_file {
	char *path;
	size_t by_severity[3];
};

struct dg_summary {
	size_t files_checked, files_with_findings, unreadable, findings;
	size_t by_severity[3];
	struct dg_summary_count *formats, *rules;
	size_t n_formats, n_rules;
	struct dg_summary_file top[DG_SUMMARY_TOP_FILES];
	size_t n_top;
	/* per directory, the files read as plain SQL whose transaction mode is unknown */
	struct dg_summary_dir {
		char *dir;
		size_t n;
	} * unknown_tx;
	size_t n_unknown_tx;
};

void dg_summary_init(struct dg_summary *s);
void dg_summary_add(struct dg_summary *s, const struct dg_result *res);
void dg_summary_print(const struct dg_summary *s, FILE *out, bool color);
cJSON *dg_summary_json(const struct dg_summary *s);
void dg_summary_free(struct dg_summary *s);
/* The .ddlguard.yaml line that says how the files of `dir` run, into buf; returns buf. */
const char *dg_summary_fix_line(const char *dir, char *buf, size_t size);

#endif
