/* junit.c — JUnit XML, which every CI shows as a test report (GitLab, Jenkins, Azure, CircleCI):
 * one <testsuite> per file, one failing <testcase> per finding (a clean file gets one passing
 * testcase so that it shows up as checked). The counts go in the opening tags, so the suites
 * are written to memory and copied out at the end. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct junit_state {
	FILE *out;
	char *buf;
	size_t len;
	FILE *mem;
	size_t tests, failures, errors;
};

static void *junit_begin(FILE *out, const struct dg_report_options *opts)
{
	struct junit_state *st = calloc(1, sizeof(*st));

	(void)opts;
	if (!st)
		return NULL;
	st->out = out;
	st->mem = open_memstream(&st->buf, &st->len);
	if (!st->mem) {
		free(st);
		return NULL;
	}
	return st;
}

static void junit_file(void *state, const struct dg_result *res)
{
	struct junit_state *st = state;
	FILE *m = st->mem;

	fputs("  <testsuite name=\"", m);
	dg_put_xml(m, res->path);
	if (res->status != DG_OK) {
		fputs("\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"read\" "
		      "classname=\"",
		      m);
		dg_put_xml(m, res->path);
		fputs("\">\n      <error message=\"", m);
		dg_put_xml(m, res->error ? res->error : "cannot read");
		fputs("\"/>\n    </testcase>\n  </testsuite>\n", m);
		st->tests++;
		st->errors++;
		return;
	}
	fprintf(m, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		res->n_findings ? res->n_findings : 1, res->n_findings);
	if (!res->n_findings) {
		fputs("    <testcase name=\"ddlguard\" classname=\"", m);
		dg_put_xml(m, res->path);
		fputs("\"/>\n", m);
		st->tests++;
	}
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		char name[256];

		snprintf(name, sizeof(name), "%s at %u:%u", f->rule, f->line, f->column);
		fputs("    <testcase name=\"", m);
		dg_put_xml(m, name);
		fputs("\" classname=\"", m);
		dg_put_xml(m, res->path);
		fprintf(m, "\" file=\"");
		dg_put_xml(m, res->path);
		fprintf(m, "\" line=\"%u\">\n      <failure type=\"%s\" message=\"", f->line,
			f->rule);
		dg_put_xml(m, f->message);
		fputs("\">", m);
		dg_put_xml(m, res->path);
		fprintf(m, ":%u:%u: %s: ", f->line, f->column, dg_severity_name(f->severity));
		dg_put_xml(m, f->message);
		if (f->help) {
			fputs("&#10;help: ", m);
			dg_put_xml(m, f->help);
		}
		fputs("</failure>\n    </testcase>\n", m);
		st->tests++;
		st->failures++;
	}
	fputs("  </testsuite>\n", m);
}

static int junit_end(void *state, const struct dg_report_summary *s)
{
	struct junit_state *st = state;
	int rc;

	(void)s;
	fclose(st->mem);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", st->out);
	fprintf(st->out,
		"<testsuites name=\"ddlguard\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
		st->tests, st->failures, st->errors);
	if (st->len)
		fwrite(st->buf, 1, st->len, st->out);
	fputs("</testsuites>\n", st->out);
	rc = dg_report_flush(st->out);
	free(st->buf);
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_junit = {"junit", junit_begin, junit_file, junit_end};
