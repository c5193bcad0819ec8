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

static void json_file(void *state, const struct dg_result *res)
{
	struct json_state *st = state;

	dg_summary_add(&st->sum, res);
	if (res->status != DG_OK) {
		dg_json_spool_add(&st->errors, dg_json_error(res->path, res->error));
		return;
	}
	cJSON *file = cJSON_CreateObject();
	cJSON_AddStringToObject(file, "path", res->path);
	cJSON_AddStringToObject(file, "migration_format", res->format ? res->format : "plain");
	if (res->skipped)
		cJSON_AddStringToObject(file, "skipped", res->skipped);
	dg_json_spool_add(&st->files, file);
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		const char *dir = dg_direction_name(f->section);
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "rule", f->rule);
		cJSON_AddStringToObject(o, "severity", dg_severity_name(f->severity));
		cJSON_AddStringToObject(o, "path", res->path);
		dg_json_add_count(o, "line", f->line);
		dg_json_add_count(o, "column", dg_report_column(f, st->unit, false));
		dg_json_add_count(o, "end_line", f->end_line);
		dg_json_add_count(o, "end_column", dg_report_column(f, st->unit, true));
		dg_json_add_count(o, "byte_offset", f->byte_offset);
		dg_json_add_count(o, "byte_length", f->byte_length);
		cJSON_AddStringToObject(o, "message", f->message);
		dg_json_add_string_or_null(o, "help", f->help);
		dg_json_add_string_or_null(o, "section", dir);
		cJSON_AddStringToObject(o, "migration_format", res->format ? res->format : "plain");
		cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
		{
			const struct dg_fix *rw = dg_finding_rewrite(f);
			cJSON *all = cJSON_CreateArray();
			cJSON_AddItemToObject(o, "fix", rw ? dg_json_fix(rw) : cJSON_CreateNull());
			for (size_t k = 0; k < f->n_fixes; k++)
				cJSON_AddItemToArray(all, dg_json_fix(&f->fixes[k]));
			cJSON_AddItemToObject(o, "fixes", all);
		}
		dg_json_spool_add(&st->findings, o);
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
