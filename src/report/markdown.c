/* markdown.c — a report for pull/merge request comments and GitHub job summaries (GitHub
 * Flavored Markdown): the totals first, then a table per file (position, severity, rule,
 * message), each file's help collapsed in <details>, and the run's findings per rule. Every
 * finding is listed: unlike annotations, nothing is capped. Cells escape what would end the cell
 * or start markup ('|', '<', '>', '&', backslash, newlines). Paths are relative to the
 * repository root. The file tables go to memory until the totals are known. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "summary.h"

struct md_state {
	FILE *out, *mem;
	char *buf;
	size_t len;
	const char *root;
	enum dg_column_unit unit;
	struct dg_summary sum;
};

/* Text inside a table cell or a list item: one line, no markup of its own. */
static void put_cell(FILE *m, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '|':
			fputs("\\|", m);
			break;
		case '\\':
			fputs("\\\\", m);
			break;
		case '<':
			fputs("&lt;", m);
			break;
		case '>':
			fputs("&gt;", m);
			break;
		case '&':
			fputs("&amp;", m);
			break;
		case '`':
			fputs("\\`", m);
			break;
		case '*':
		case '_':
		case '[':
		case ']':
			fputc('\\', m);
			fputc(*s, m);
			break;
		case '\r':
			break;
		case '\n':
			fputs("<br>", m);
			break;
		default:
			fputc(*s, m);
		}
	}
}

static void *md_begin(FILE *out, const struct dg_report_options *opts)
{
	struct md_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->out = out;
	st->root = opts->root;
	st->unit = opts->column_unit;
	st->mem = open_memstream(&st->buf, &st->len);
	if (!st->mem) {
		free(st);
		return NULL;
	}
	dg_summary_init(&st->sum);
	return st;
}

static void md_file(void *state, const struct dg_result *res)
{
	struct md_state *st = state;
	FILE *m = st->mem;
	char *path = dg_report_repo_path(st->root, res->path, NULL);
	bool any_help = false;

	dg_summary_add(&st->sum, res);
	if (!path)
		return;
	if (res->status != DG_OK) {
		fputs("### ", m);
		put_cell(m, path);
		fputs("\n\n:x: cannot be read: ", m);
		put_cell(m, res->error ? res->error : "cannot read");
		fputs("\n\n", m);
	} else if (res->n_findings) {
		fputs("### ", m);
		put_cell(m, path);
		fputs("\n\n| position | severity | rule | message |\n| --- | --- | --- | --- |\n",
		      m);
		for (size_t i = 0; i < res->n_findings; i++) {
			const struct dg_finding *f = &res->findings[i];
			const char *dir = dg_direction_name(f->section);

			fprintf(m, "| %u:%u | %s | `%s` | ", f->line,
				dg_report_column(f, st->unit, false), dg_severity_name(f->severity),
				f->rule);
			put_cell(m, f->message);
			if (dir)
				fprintf(m, " (%s section)", dir);
			fputs(" |\n", m);
			any_help |= f->help != NULL;
		}
		if (any_help) {
			fputs("\n<details><summary>How to fix</summary>\n\n", m);
			for (size_t i = 0; i < res->n_findings; i++) {
				const struct dg_finding *f = &res->findings[i];
				if (!f->help)
					continue;
				fprintf(m, "- **%u:%u** `%s`: ", f->line,
					dg_report_column(f, st->unit, false), f->rule);
				put_cell(m, f->help);
				fputc('\n', m);
			}
			fputs("\n</details>\n", m);
		}
		fputc('\n', m);
	}
	free(path);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static int md_end(void *state, const struct dg_report_summary *s)
{
	struct md_state *st = state;
	FILE *out = st->out;
	int rc;

	fclose(st->mem);
	fprintf(out,
		"## ddlguard\n\n**%zu finding%s** (%zu error%s, %zu warning%s, %zu info) in %zu "
		"file%s; %zu file%s checked",
		s->findings, plural(s->findings), s->by_severity[DG_ERROR],
		plural(s->by_severity[DG_ERROR]), s->by_severity[DG_WARNING],
		plural(s->by_severity[DG_WARNING]), s->by_severity[DG_INFO], s->files_with_findings,
		plural(s->files_with_findings), s->files_checked, plural(s->files_checked));
	if (s->unreadable)
		fprintf(out, "; %zu could not be read", s->unreadable);
	fputs(".\n\n", out);
	if (st->len)
		fwrite(st->buf, 1, st->len, out);
	if (st->sum.n_rules) {
		fputs("### Findings by rule\n\n| rule | findings | error | warning | info |\n"
		      "| --- | ---: | ---: | ---: | ---: |\n",
		      out);
		for (size_t i = 0; i < st->sum.n_rules; i++) {
			const struct dg_summary_count *c = &st->sum.rules[i];
			fprintf(out, "| `%s` | %zu | %zu | %zu | %zu |\n", c->name, c->n,
				c->by_severity[DG_ERROR], c->by_severity[DG_WARNING],
				c->by_severity[DG_INFO]);
		}
	}
	dg_summary_free(&st->sum);
	rc = dg_report_flush(out);
	free(st->buf);
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_markdown = {
    .name = "markdown",
    .begin = md_begin,
    .file = md_file,
    .end = md_end,
    .repo_paths = true,
};
