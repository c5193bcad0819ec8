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
extern const struct dg_reporter dg_reporter_gcc;
extern const struct dg_reporter dg_reporter_sarif;
extern const struct dg_reporter dg_reporter_github;
extern const struct dg_reporter dg_reporter_gitlab;
extern const struct dg_reporter dg_reporter_junit;

/* Where the project and its rule docs live (SARIF informationUri/helpUri). */
#define DG_PROJECT_URL "https://github.com/ddlguard/ddlguard"
#define DG_RULE_DOC_URL DG_PROJECT_URL "/blob/main/rules/"

const struct dg_reporter *dg_reporter_find(const char *name);

/* ---- shared by the reporters (common.c) ---- */
struct cJSON;
/* Flushes `out`: 0, or -1 when anything written to it could not be. */
int dg_report_flush(FILE *out);
/* Prints `doc` (indented when `pretty`) and a newline to `out`, flushes, and deletes `doc`:
 * 0, or -1 when the output could not be made or written. */
int dg_report_json_end(FILE *out, struct cJSON *doc, bool pretty);
/* o[key] = v, or null when v is NULL. */
void dg_json_add_string_or_null(struct cJSON *o, const char *key, const char *v);
/* A fix as JSON: {"kind", "description", "edits": [{"byte_offset", "byte_length", "line",
 * "column", "end_line", "end_column", "text"}]}. */
struct cJSON *dg_json_fix(const struct dg_fix *fix);
/* The entry of "errors" for a file that could not be read: {"path", "message"}. */
struct cJSON *dg_json_error(const char *path, const char *error);
/* "error", "warning", or the format's word for the lowest severity (`lowest`). */
const char *dg_report_level(enum dg_severity s, const char *lowest);
/* begin and end of reporters whose whole state is the FILE * they write to. */
void *dg_report_stream_begin(FILE *out, const struct dg_report_options *opts);
int dg_report_stream_end(void *state, const struct dg_report_summary *s);
/* "text, json, …": the names --format accepts, for messages. */
const char *dg_reporter_names(void);

/* ddlguard --locks: the lock model's table per statement instead of findings. */
struct dg_lock_reporter {
	const char *name;
	void *(*begin)(FILE *out, const struct dg_report_options *opts);
	void (*file)(void *state, const struct dg_lock_report *rep);
	int (*end)(void *state); /* 0, or -1 when the output could not be written */
};

extern const struct dg_lock_reporter dg_lock_reporter_text;
extern const struct dg_lock_reporter dg_lock_reporter_json;

const struct dg_lock_reporter *dg_lock_reporter_find(const char *name);
/* Runs the lock report over `files` ("-" is standard input, reported as `stdin_name`).
 * Returns 0, or 2 when a file could not be read or the output not written. */
int dg_report_locks(const struct dg_config *cfg, const struct dg_lock_reporter *rep,
		    const struct dg_path_list *files, const char *stdin_name,
		    const struct dg_report_options *opts, FILE *out);

#endif
