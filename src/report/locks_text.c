/* locks_text.c — `ddlguard --locks` for people: per statement, a table of the relations it
 * locks, the mode, what that blocks, rewrite and scan. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct state {
	FILE *out;
	bool color;
	size_t files;
};

#define C(st, code) ((st)->color ? (code) : "")
#define RESET "\033[0m"
#define BOLD "\033[1m"
#define RED "\033[31m"
#define DIM "\033[2m"

static void *begin(FILE *out, const struct dg_report_options *opts)
{
	struct state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->out = out;
	st->color = opts->color;
	return st;
}

/* Display width in characters, as dg_put_text writes `s`. */
static int width(const char *s)
{
	return (int)dg_text_width(s);
}

static void cell(struct state *st, const char *s, int w, const char *color)
{
	fputs(color, st->out);
	dg_put_text(st->out, s);
	fprintf(st->out, "%s%*s", *color ? C(st, RESET) : "", w - width(s) + 2, "");
}

static void file(void *state, const struct dg_lock_report *rep)
{
	struct state *st = state;

	if (rep->status != DG_OK)
		return;
	if (st->files++)
		fputc('\n', st->out);
	fputs(C(st, BOLD), st->out);
	dg_put_text(st->out, rep->path);
	fprintf(st->out, "%s (PostgreSQL %d)\n", C(st, RESET), rep->pg_version);
	if (rep->note)
		fprintf(st->out, "\n%s\n", rep->note);
	for (size_t i = 0; i < rep->n_stmts; i++) {
		const struct dg_stmt_locks *s = &rep->stmts[i];
		int wrel = width("relation"), wrole = width("role"), wmode = width("lock");

		fprintf(st->out, "\n%u:%u  %s", s->line, s->column, C(st, BOLD));
		dg_put_text(st->out, s->text);
		fprintf(st->out, "%s\n", C(st, RESET));
		if (s->unsupported)
			fprintf(st->out, "      %snot on PostgreSQL %d: %s%s\n", C(st, RED),
				rep->pg_version, s->unsupported, C(st, RESET));
		if (s->fails)
			fprintf(st->out, "      %sfails: %s%s\n", C(st, RED), s->fails,
				C(st, RESET));
		if (s->no_transaction)
			fprintf(st->out, "      %scannot run inside a transaction block%s%s\n",
				s->in_transaction ? C(st, RED) : "",
				s->in_transaction ? " (but it is inside one here)" : "",
				s->in_transaction ? C(st, RESET) : "");
		if (!s->known) {
			fprintf(st->out, "      %s(not in the lock model)%s\n", C(st, DIM),
				C(st, RESET));
			continue;
		}
		if (!s->n_rows) {
			fprintf(st->out, "      %s(no table locks)%s\n", C(st, DIM), C(st, RESET));
			continue;
		}
		for (size_t k = 0; k < s->n_rows; k++) {
			const struct dg_lock_row *r = &s->rows[k];
			if (width(r->relation) > wrel)
				wrel = width(r->relation);
			if (width(r->role) > wrole)
				wrole = width(r->role);
			if (r->mode && width(r->mode) > wmode)
				wmode = width(r->mode);
		}
		fprintf(st->out, "      %s", C(st, DIM));
		cell(st, "relation", wrel, "");
		cell(st, "role", wrole, "");
		cell(st, "lock", wmode, "");
		fprintf(st->out, "reads    writes   rewrite  scan%s\n", C(st, RESET));
		for (size_t k = 0; k < s->n_rows; k++) {
			const struct dg_lock_row *r = &s->rows[k];
			const char *red = C(st, RED);
			fputs("      ", st->out);
			cell(st, r->relation, wrel, "");
			cell(st, r->role, wrole, "");
			cell(st, r->mode ? r->mode : "-", wmode, r->blocks_reads ? red : "");
			cell(st, r->blocks_reads ? "blocked" : "-", 7, r->blocks_reads ? red : "");
			cell(st, r->blocks_writes ? "blocked" : "-", 7,
			     r->blocks_writes ? red : "");
			cell(st, r->rewrite ? "yes" : "no", 7, r->rewrite ? red : "");
			fprintf(st->out, "%s\n", r->scan ? "yes" : "no");
			if (r->note)
				fprintf(st->out, "      %s  note: %s%s\n", C(st, DIM), r->note,
					C(st, RESET));
		}
	}
}

static int end(void *state)
{
	struct state *st = state;
	int rc = dg_report_flush(st->out);

	free(st);
	return rc;
}

const struct dg_lock_reporter dg_lock_reporter_text = {"text", begin, file, end};
