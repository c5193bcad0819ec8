/* report.h — output formats as small vtables: they see plain findings, never the AST. */
#ifndef DG_REPORT_H
#define DG_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "ddlguard/ddlguard.h"

struct dg_report_options {
	bool color;
	bool quiet; /* text: only one line per finding, no source, help or summary */
	/* --summary: text prints the run's summary even for one file (it always does for more) */
	bool summary;
};

struct dg_report_summary {
	size_t files_checked;
	size_t files_with_findings;
	size_t findings;
	size_t by_severity[3]; /* indexed by enum dg_severity */
	size_t unreadable;
};

struct dg_reporter {
	const char *name;
	void *(*begin)(FILE *out, const struct dg_report_options *opts);
	void (*file)(void *state, const struct dg_result *res);
	/* returns 0, or -1 when the output could not be written */
	int (*end)(void *state, const struct dg_report_summary *sum);
};

extern const struct dg_reporter dg_reporter_text;
extern const struct dg_reporter dg_reporter_json;

const struct dg_reporter *dg_reporter_find(const char *name);

#endif
