/* common.c — what several reporters share: flushing the output and saying whether it was all
 * written, the JSON documents' last step, severity words, and the state of reporters that keep
 * nothing but their stream. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

unsigned dg_report_column(const struct dg_finding *f, enum dg_column_unit unit, bool end)
{
	switch (unit) {
	case DG_COLUMN_BYTE:
		return end ? f->end_byte_column : f->byte_column;
	case DG_COLUMN_DISPLAY:
		return end ? f->end_display_column : f->display_column;
	default:
		return end ? f->end_column : f->column;
	}
}

const char *dg_column_unit_name(enum dg_column_unit unit)
{
	return unit == DG_COLUMN_BYTE ? "byte" : unit == DG_COLUMN_DISPLAY ? "display" : "char";
}

/* Drops "." and "name/.." components of an absolute path, in place. */
static void normalize(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		char *seg;
		size_t n;

		while (*in == '/')
			in++;
		seg = in;
		while (*in && *in != '/')
			in++;
		n = (size_t)(in - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, n);
		out += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

char *dg_report_repo_path(const char *root, const char *path, bool *inside)
{
	char cwd[4096], *abs;
	size_t rlen;

	if (inside)
		*inside = false;
	while (strncmp(path, "./", 2) == 0)
		path += 2;
	if (!root || (path[0] != '/' && !getcwd(cwd, sizeof(cwd))))
		return strdup(path);
	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		abs = malloc(strlen(cwd) + strlen(path) + 2);
		if (abs)
			sprintf(abs, "%s/%s", cwd, path);
	}
	if (!abs)
		return NULL;
	normalize(abs);
	rlen = strlen(root);
	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	if (rlen == 1 && root[0] == '/')
		rlen = 0; /* the root directory itself */
	if (strncmp(abs, root, rlen) == 0 && abs[rlen] == '/' && abs[rlen + 1]) {
		memmove(abs, abs + rlen + 1, strlen(abs + rlen + 1) + 1);
		if (inside)
			*inside = true;
		return abs;
	}
	free(abs);
	return strdup(path);
}

void *dg_report_stream_begin(FILE *out, const struct dg_report_options *opts)
{
	struct dg_stream *s = malloc(sizeof(*s));

	if (s) {
		s->out = out;
		s->opts = *opts;
	}
	return s;
}

int dg_report_stream_end(void *state, const struct dg_report_summary *s)
{
	struct dg_stream *st = state;
	int rc = dg_report_flush(st->out);

	(void)s;
	free(st);
	return rc;
}
