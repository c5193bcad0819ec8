/* gcc.c — one line per finding in the compilers' format, which editors (Vim's quickfix, Emacs'
 * compilation mode) and CI log scanners already understand:
 *   path:line:col: warning: message [rule]
 * Columns are GNU display columns by default (tabs to multiples of 8, wide characters 2), as the
 * GNU Coding Standards, GCC and Emacs' compilation mode count them; --column-unit byte gives
 * what Vim's %c reads. */
#include "report.h"

static void gcc_file(void *state, const struct dg_result *res)
{
	struct dg_stream *st = state;
	FILE *out = st->out;

	if (res->status != DG_OK)
		return; /* the CLI has said why on stderr */
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		/* a newline in an identifier must not forge a second "file:line:col: error:" */
		dg_put_text(out, res->path);
		fprintf(out, ":%u:%u: %s: ", f->line,
			dg_report_column(f, st->opts.column_unit, false),
			dg_report_level(f->severity, "note"));
		dg_put_text(out, f->message);
		fprintf(out, " [%s]\n", f->rule);
	}
}

const struct dg_reporter dg_reporter_gcc = {
    .name = "gcc",
    .begin = dg_report_stream_begin,
    .file = gcc_file,
    .end = dg_report_stream_end,
    .column_unit = DG_COLUMN_DISPLAY,
};
