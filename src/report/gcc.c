/* gcc.c — one line per finding in the compilers' format, which editors (Vim's quickfix, Emacs'
 * compilation mode) and CI log scanners already understand:
 *   path:line:col: warning: message [rule] */
#include "report.h"

static void gcc_file(void *state, const struct dg_result *res)
{
	FILE *out = state;

	if (res->status != DG_OK)
		return; /* the CLI has said why on stderr */
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		/* a newline in an identifier must not forge a second "file:line:col: error:" */
		dg_put_text(out, res->path);
		fprintf(out, ":%u:%u: %s: ", f->line, f->column,
			dg_report_level(f->severity, "note"));
		dg_put_text(out, f->message);
		fprintf(out, " [%s]\n", f->rule);
	}
}

const struct dg_reporter dg_reporter_gcc = {"gcc", dg_report_stream_begin, gcc_file,
					    dg_report_stream_end};
