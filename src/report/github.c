/* github.c — GitHub Actions workflow commands: each finding becomes an annotation on the pull
 * request's diff.
 *   ::error file=db/1.sql,line=3,col=1,endLine=3,endColumn=25,title=ddlguard [rule]::message
 * The runner decodes %25, %0D, %0A in the message, and also %3A and %2C in property values. */
#include <stdlib.h>

#include "report.h"

/* Untrusted text: its control characters made visible first (dg_text_char: a newline is "\n",
 * never a line the runner would read as a command), then the runner's own encoding. */
static void put_escaped(FILE *out, const char *s, bool property)
{
	char c[DG_TEXT_CHAR_MAX];
	size_t n;

	for (; (n = dg_text_char(s, c)); s += n) {
		if (c[1]) {
			fputs(c, out); /* a multi-byte character or an escape: nothing to encode */
			continue;
		}
		switch (*c) {
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
			fputc(*c, out);
		}
	}
}

static void github_file(void *state, const struct dg_result *res)
{
	struct dg_stream *st = state;
	FILE *out = st->out;
	enum dg_column_unit unit = st->opts.column_unit;
	/* annotations attach to files by their path from the repository root */
	char *path = dg_report_repo_path(st->opts.root, res->path, NULL);

	if (!path)
		return;
	if (res->status != DG_OK) {
		fputs("::error file=", out);
		put_escaped(out, path, true);
		fputs(",title=ddlguard::cannot read the file: ", out);
		put_escaped(out, res->error ? res->error : "unknown error", false);
		fputc('\n', out);
		free(path);
		return;
	}
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		char title[160];

		fprintf(out, "::%s file=", dg_report_level(f->severity, "notice"));
		put_escaped(out, path, true);
		/* GitHub keeps columns only for single-line annotations */
		fprintf(out, ",line=%u,col=%u,endLine=%u", f->line,
			dg_report_column(f, unit, false), f->end_line);
		if (f->end_line == f->line)
			fprintf(out, ",endColumn=%u", dg_report_column(f, unit, true));
		snprintf(title, sizeof(title), "ddlguard %s", f->rule);
		fputs(",title=", out);
		put_escaped(out, title, true);
		fputs("::", out);
		put_escaped(out, f->message, false);
		if (f->help) {
			fputs("%0A%0Ahelp: ", out);
			put_escaped(out, f->help, false);
		}
		fputc('\n', out);
	}
	free(path);
}

const struct dg_reporter dg_reporter_github = {
    .name = "github",
    .begin = dg_report_stream_begin,
    .file = github_file,
    .end = dg_report_stream_end,
    .repo_paths = true,
};
