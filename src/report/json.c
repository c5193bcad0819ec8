/* json.c — the report for machines, written with cJSON so it is always valid JSON. The lists
 * are spooled file by file (spool.c): memory does not grow with the run.
 * Schema (docs/report.schema.json): {"version", "ddlguard_version", "column_unit", "files_checked",
 * "files": [{"path", "migration_format", "skipped"?}], "findings": [...], "errors": [...],
 * "summary": {...}} (see README); "summary" is always there. */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "report.h"
#include "summary.h"

struct json_state {
	FILE *out;
	struct dg_json_spool findings, errors, files;
	struct dg_jw w; /* one element at a time */
	enum dg_column_unit unit;
	struct dg_summary sum;
};

static void *json_begin(FILE *out, const struct dg_report_options *opts)
{
	struct json_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->out = out;
	st->unit = opts->column_unit;
	/* each element sits in the document and its array */
	if (dg_json_spool_open(&st->files, 2, false) != 0 ||
	    dg_json_spool_open(&st->findings, 2, false) != 0 ||
	    dg_json_spool_open(&st->errors, 2, false) != 0) {
		dg_spool_close(&st->files.s);
		dg_spool_close(&st->findings.s);
		dg_spool_close(&st->errors.s);
		free(st);
		return NULL;
	}
	dg_summary_init(&st->sum);
	return st;
}

/* A fix: {"kind", "description", "edits": [{"byte_offset", "byte_length", "line", "column",
 * "end_line", "end_column", "text"}]}. */
static void json_fix(struct dg_jw *w, const char *key, const struct dg_fix *fix)
{
	dg_jw_open(w, key, false);
	dg_jw_string(w, "kind", dg_fix_kind_name(fix->kind));
	dg_jw_string(w, "description", fix->description);
	dg_jw_open(w, "edits", true);
	for (size_t i = 0; i < fix->n_edits; i++) {
		const struct dg_edit *e = &fix->edits[i];

		dg_jw_open(w, NULL, false);
		dg_jw_count(w, "byte_offset", e->byte_offset);
		dg_jw_count(w, "byte_length", e->byte_length);
		dg_jw_count(w, "line", e->line);
		dg_jw_count(w, "column", e->column);
		dg_jw_count(w, "end_line", e->end_line);
		dg_jw_count(w, "end_column", e->end_column);
		dg_jw_string(w, "text", e->text);
		dg_jw_close(w, false);
	}
	dg_jw_close(w, true);
	dg_jw_close(w, false);
}

/* The files and findings are written as they come (dg_jw), the errors through cJSON. */
static void json_file(void *state, const struct dg_result *res)
{
	struct json_state *st = state;
	const char *format = res->format ? res->format : "plain";
	struct dg_jw *w = &st->w;

	dg_summary_add(&st->sum, res);
	if (res->status != DG_OK) {
		dg_json_spool_add(&st->errors, dg_json_error(res->path, res->error));
		return;
	}
	dg_jw_open(w, NULL, false);
	dg_jw_string(w, "path", res->path);
	dg_jw_string(w, "migration_format", format);
	if (res->skipped)
		dg_jw_string(w, "skipped", res->skipped);
	dg_jw_close(w, false);
	dg_jw_flush(w, dg_json_spool_next(&st->files));
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		const struct dg_fix *rw = dg_finding_rewrite(f);

		dg_jw_open(w, NULL, false);
		dg_jw_string(w, "rule", f->rule);
		dg_jw_string(w, "severity", dg_severity_name(f->severity));
		dg_jw_string(w, "path", res->path);
		dg_jw_count(w, "line", f->line);
		dg_jw_count(w, "column", dg_report_column(f, st->unit, false));
		dg_jw_count(w, "end_line", f->end_line);
		dg_jw_count(w, "end_column", dg_report_column(f, st->unit, true));
		dg_jw_count(w, "byte_offset", f->byte_offset);
		dg_jw_count(w, "byte_length", f->byte_length);
		dg_jw_string(w, "message", f->message);
		dg_jw_string(w, "help", f->help);
		dg_jw_string(w, "section", dg_direction_name(f->section));
		dg_jw_string(w, "migration_format", format);
		dg_jw_string(w, "fingerprint", f->fingerprint);
		if (rw)
			json_fix(w, "fix", rw);
		else
			dg_jw_string(w, "fix", NULL);
		dg_jw_open(w, "fixes", true);
		for (size_t k = 0; k < f->n_fixes; k++)
			json_fix(w, NULL, &f->fixes[k]);
		dg_jw_close(w, true);
		dg_jw_close(w, false);
		dg_jw_flush(w, dg_json_spool_next(&st->findings));
	}
}

static int json_end(void *state, const struct dg_report_summary *s)
{
	struct json_state *st = state;
	struct dg_json_spool *const lists[] = {&st->files, &st->findings, &st->errors};
	cJSON *root = cJSON_CreateObject();
	int rc;

	cJSON_AddNumberToObject(root, "version", DG_JSON_SCHEMA_VERSION);
	cJSON_AddStringToObject(root, "ddlguard_version", DG_VERSION);
	cJSON_AddStringToObject(root, "column_unit", dg_column_unit_name(st->unit));
	cJSON_AddNumberToObject(root, "files_checked", (double)s->files_checked);
	cJSON_AddItemToObject(root, "files", dg_json_spool_hole(&st->files));
	cJSON_AddItemToObject(root, "findings", dg_json_spool_hole(&st->findings));
	cJSON_AddItemToObject(root, "errors", dg_json_spool_hole(&st->errors));
	cJSON_AddItemToObject(root, "summary", dg_summary_json(&st->sum));
	dg_summary_free(&st->sum);
	dg_jw_free(&st->w);
	rc = dg_report_json_end_spooled(st->out, root, false, lists, 3);
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_json = {
    .name = "json",
    .begin = json_begin,
    .file = json_file,
    .end = json_end,
};
