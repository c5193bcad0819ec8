/* gcc.c — one line per finding in the compilers' format, which editors (Vim's quickfix, Emacs'
 * compilation mode) and CI log scanners already understand:
 *   path:line:col: warning: message [rule] */
#include <stdlib.h>

#include "report.h"

struct gcc_state {
	FILE *out;
};

static void *gcc_begin(FILE *out, const struct dg_report_options *opts)
{
	struct gcc_state *st = calloc(1, sizeof(*st));

	(void)opts;
	if (st)
		st->out = out;
	return st;
}

static const char *gcc_severity(enum dg_severity s)
{
	switch (s) {
	case DG_ERROR:
		return "error";
	case DG_WARNING:
		return "warning";
	default:
		return "note";
	}
}

static void gcc_file(void *state, const struct dg_result *res)
{
	struct gcc_state *st = state;

	if (res->status != DG_OK)
		return; /* the CLI has said why on stderr */
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		fprintf(st->out, "%s:%u:%u: %s: %s [%s]\n", res->path, f->line, f->column,
			gcc_severity(f->severity), f->message, f->rule);
	}
}

static int gcc_end(void *state, const struct dg_report_summary *s)
{
	struct gcc_state *st = state;
	int rc = fflush(st->out) == 0 && !ferror(st->out) ? 0 : -1;

	(void)s;
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_gcc = {"gcc", gcc_begin, gcc_file, gcc_end};
