/* common.c — what several reporters share: flushing the output and saying whether it was all
 * written, the JSON documents' last step, severity words, and the state of reporters that keep
 * nothing but their stream. */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "report.h"

int dg_report_flush(FILE *out)
{
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

int dg_report_json_end(FILE *out, struct cJSON *doc, bool pretty)
{
	char *text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
	int rc = -1;

	if (text) {
		fputs(text, out);
		fputc('\n', out);
		rc = dg_report_flush(out);
		free(text);
	}
	cJSON_Delete(doc);
	return rc;
}

void dg_json_add_string_or_null(struct cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

struct cJSON *dg_json_error(const char *path, const char *error)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "path", path);
	cJSON_AddStringToObject(e, "message", error ? error : "cannot read");
	return e;
}

const char *dg_report_level(enum dg_severity s, const char *lowest)
{
	return s == DG_ERROR || s == DG_WARNING ? dg_severity_name(s) : lowest;
}

void *dg_report_stream_begin(FILE *out, const struct dg_report_options *opts)
{
	(void)opts;
	return out;
}

int dg_report_stream_end(void *state, const struct dg_report_summary *s)
{
	(void)s;
	return dg_report_flush(state);
}

static const char *fix_kind_name(enum dg_fix_kind k)
{
	return k == DG_FIX_IGNORE ? "ignore" : k == DG_FIX_IGNORE_FILE ? "ignore-file" : "rewrite";
}

cJSON *dg_json_fix(const struct dg_fix *fix)
{
	cJSON *o = cJSON_CreateObject(), *edits = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "kind", fix_kind_name(fix->kind));
	cJSON_AddStringToObject(o, "description", fix->description);
	for (size_t i = 0; i < fix->n_edits; i++) {
		const struct dg_edit *e = &fix->edits[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddNumberToObject(x, "byte_offset", (double)e->byte_offset);
		cJSON_AddNumberToObject(x, "byte_length", (double)e->byte_length);
		cJSON_AddNumberToObject(x, "line", e->line);
		cJSON_AddNumberToObject(x, "column", e->column);
		cJSON_AddNumberToObject(x, "end_line", e->end_line);
		cJSON_AddNumberToObject(x, "end_column", e->end_column);
		cJSON_AddStringToObject(x, "text", e->text);
		cJSON_AddItemToArray(edits, x);
	}
	cJSON_AddItemToObject(o, "edits", edits);
	return o;
}
