/* text.c — the report for people: location, message, the source line underlined, the help. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "summary.h"

struct text_state {
	FILE *out;
	bool color, quiet, summary;
	enum dg_column_unit unit;
	struct dg_summary sum;
};

#define C(st, code) ((st)->color ? (code) : "")
#define RESET "\033[0m"
#define BOLD "\033[1m"

static const char *sev_color(enum dg_severity s)
{
	switch (s) {
	case DG_ERROR:
		return "\033[1;31m";
	case DG_WARNING:
		return "\033[1;33m";
	default:
		return "\033[1;36m";
	}
}

static void *text_begin(FILE *out, const struct dg_report_options *opts)
{
	struct text_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->out = out;
	st->color = opts->color;
	st->quiet = opts->quiet;
	st->summary = opts->summary;
	st->unit = opts->column_unit;
	dg_summary_init(&st->sum);
	return st;
}

/* The columns one character of the excerpt takes once escaped (dg_text_char). */
static size_t char_width(const char *c, size_t bytes)
{
	return bytes == 1 || c[0] == '\\' ? strlen(c) : 1;
}

static void underline(struct text_state *st, const struct dg_finding *f)
{
	const char *line = f->source_line;
	char c[DG_TEXT_CHAR_MAX];
	unsigned col = 1, last;
	size_t n, carets = 0;

	/* the carets follow the characters above them as printed (an escaped control character
	 * is several columns wide); tabs stay tabs so they line up */
	for (; col < f->column && (n = dg_text_char(line, c)); line += n, col++) {
		if (*c == '\t')
			fputc('\t', st->out);
		else
			fprintf(st->out, "%*s", (int)char_width(c, n), "");
	}
	last = f->end_line == f->line ? f->end_column : 0;
	for (; (!last || col < last) && (n = dg_text_char(line, c)); line += n, col++)
		carets += char_width(c, n);
	if (last > col)
		carets += last - col; /* a span past the end of the excerpt */
	if (!carets)
		carets = 1;
	fputs(C(st, sev_color(f->severity)), st->out);
	while (carets--)
		fputc('^', st->out);
	fputs(C(st, RESET), st->out);
}

static void text_file(void *state, const struct dg_result *res)
{
	struct text_state *st = state;

	dg_summary_add(&st->sum, res);
	if (res->status != DG_OK)
		return; /* the CLI has said why on stderr */
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		const char *dir = dg_direction_name(f->section);
		char gutter[16];
		int w = snprintf(gutter, sizeof(gutter), "%u", f->line);

		/* untrusted text (path, identifiers in the message, the excerpt) goes through
		 * dg_put_text: --color never must mean no escape sequence reaches the terminal */
		fputs(C(st, BOLD), st->out);
		dg_put_text(st->out, res->path);
		fprintf(st->out, ":%u:%u:%s %s%s%s[%s] %s", f->line,
			dg_report_column(f, st->unit, false), C(st, RESET),
			C(st, sev_color(f->severity)), dg_severity_name(f->severity), C(st, RESET),
			f->rule, C(st, BOLD));
		dg_put_text(st->out, f->message);
		fprintf(st->out, "%s\n", C(st, RESET));
		if (st->quiet)
			continue;
		fprintf(st->out, " %s |", gutter);
		if (f->source_line[0]) {
			fputc(' ', st->out);
			dg_put_text(st->out, f->source_line);
		}
		fprintf(st->out, "\n %*s | ", w, "");
		underline(st, f);
		fputc('\n', st->out);
		if (dir)
			fprintf(st->out, " %*s = in the %s section\n", w, "", dir);
		if (f->help) {
			fprintf(st->out, " %*s = %shelp%s: ", w, "", C(st, BOLD), C(st, RESET));
			dg_put_text(st->out, f->help);
			fputc('\n', st->out);
		}
		fputc('\n', st->out);
	}
}

static int text_end(void *state, const struct dg_report_summary *s)
{
	struct text_state *st = state;
	int rc;

	if (st->quiet) { /* the finding lines are all a hook wants */
		dg_summary_free(&st->sum);
		rc = dg_report_flush(st->out);
		free(st);
		return rc;
	}
	if (st->summary || s->files_checked > 1) {
		dg_summary_print(&st->sum, st->out, st->color);
		fputc('\n', st->out);
	}
	dg_summary_free(&st->sum);
	fprintf(
	    st->out,
	    "%zu finding%s (%zu error%s, %zu warning%s, %zu info) in %zu file%s; %zu file%s checked",
	    s->findings, s->findings == 1 ? "" : "s", s->by_severity[DG_ERROR],
	    s->by_severity[DG_ERROR] == 1 ? "" : "s", s->by_severity[DG_WARNING],
	    s->by_severity[DG_WARNING] == 1 ? "" : "s", s->by_severity[DG_INFO],
	    s->files_with_findings, s->files_with_findings == 1 ? "" : "s", s->files_checked,
	    s->files_checked == 1 ? "" : "s");
	if (s->unreadable)
		fprintf(st->out, "; %zu could not be read", s->unreadable);
	fputc('\n', st->out);
	rc = dg_report_flush(st->out);
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_text = {
    .name = "text",
    .begin = text_begin,
    .file = text_file,
    .end = text_end,
};
