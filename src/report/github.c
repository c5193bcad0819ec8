/* github.c — GitHub Actions workflow commands: each finding becomes an annotation on the pull
 * request's diff.
 *   ::error file=db/1.sql,line=3,col=1,endLine=3,endColumn=25,title=ddlguard [rule]::message
 * The runner decodes %25, %0D, %0A in the message, and also %3A and %2C in property values. */
#include <stdlib.h>

#include "report.h"

struct github_state {
	FILE *out;
};

static void *github_begin(FILE *out, const struct dg_report_options *opts)
{
	struct github_state *st = calloc(1, sizeof(*st));

	(void)opts;
	if (st)
		st->out = out;
	return st;
}

static void put_escaped(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			fputs("%25", out);
			break;
		case '\r':
			fputs("%0D", out);
			break;
		case '\n':
			fputs("%0A", out);
			break;
		case ':':
			fputs(property ? "%3A" : ":", out);
			break;
		case ',':
			fputs(property ? "%2C" : ",", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static const char *github_command(enum dg_severity s)
{
	switch (s) {
	case DG_ERROR:
		return "error";
	case DG_WARNING:
		return "warning";
	default:
		return "notice";
	}
}

static void github_file(void *state, const struct dg_result *res)
{
	struct github_state *st = state;

	if (res->status != DG_OK) {
		fputs("::error file=", st->out);
		put_escaped(st->out, res->path, true);
		fputs(",title=ddlguard::cannot read the file: ", st->out);
		put_escaped(st->out, res->error ? res->error : "unknown error", false);
		fputc('\n', st->out);
		return;
	}
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		char title[160];

		fprintf(st->out, "::%s file=", github_command(f->severity));
		put_escaped(st->out, res->path, true);
		/* GitHub keeps columns only for single-line annotations */
		fprintf(st->out, ",line=%u,col=%u,endLine=%u", f->line, f->column, f->end_line);
		if (f->end_line == f->line)
			fprintf(st->out, ",endColumn=%u", f->end_column);
		snprintf(title, sizeof(title), "ddlguard %s", f->rule);
		fputs(",title=", st->out);
		put_escaped(st->out, title, true);
		fputs("::", st->out);
		put_escaped(st->out, f->message, false);
		if (f->help) {
			put_escaped(st->out, "\n\nhelp: ", false);
			put_escaped(st->out, f->help, false);
		}
		fputc('\n', st->out);
	}
}

static int github_end(void *state, const struct dg_report_summary *s)
{
	struct github_state *st = state;
	int rc = fflush(st->out) == 0 && !ferror(st->out) ? 0 : -1;

	(void)s;
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_github = {"github", github_begin, github_file, github_end};
