/* junit.c — JUnit XML, which every CI shows as a test report (GitLab, Jenkins, Azure, CircleCI):
 * one <testsuite> per file, one <testcase> per finding named by its rule and statement
 * fingerprint (not its line, so a case keeps its history when lines move). Only findings at or
 * above --fail-on are <failure>s; the others pass with their text in <system-out>. A clean file
 * gets one passing testcase so that it shows up as checked. Paths are relative to the
 * repository root; classname is the path with its dots made underscores, because Jenkins reads
 * a classname's dots as package separators. Times are the file's reading and linting time,
 * shared equally by its cases. The counts go in the opening tags, so the suites are spooled to a
 * temporary file (spool.c) and copied out at the end. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "report.h"

struct junit_state {
	FILE *out;
	struct dg_spool suites;
	FILE *mem; /* suites.f */
	const char *root;
	const struct dg_report_options *opts; /* fail_on changes per file */
	enum dg_column_unit unit;
	size_t tests, failures, errors;
	double seconds;
};

static void *junit_begin(FILE *out, const struct dg_report_options *opts)
{
	struct junit_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->out = out;
	st->root = opts->root;
	st->opts = opts;
	st->unit = opts->column_unit;
	if (dg_spool_open(&st->suites) != 0) {
		free(st);
		return NULL;
	}
	st->mem = st->suites.f;
	return st;
}

/* The path with its dots made underscores (Jenkins splits a classname at dots), escaped as a
 * whole so that multi-byte characters stay whole. */
static void put_classname(FILE *m, const char *path)
{
	char *copy = dg_xstrdup(path);

	for (char *p = copy; *p; p++)
		if (*p == '.')
			*p = '_';
	dg_put_xml(m, copy);
	free(copy);
}

static void junit_file(void *state, const struct dg_result *res)
{
	struct junit_state *st = state;
	FILE *m = st->mem;
	char *path = dg_report_repo_path(st->root, res->path, NULL);
	size_t cases = res->status != DG_OK || !res->n_findings ? 1 : res->n_findings, failures = 0;
	double each = res->seconds / (double)cases;

	if (!path)
		return;
	st->seconds += res->seconds;
	fputs("  <testsuite name=\"", m);
	dg_put_xml(m, path);
	if (res->status != DG_OK) {
		fprintf(m, "\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"%.3f\">\n",
			res->seconds);
		fputs("    <testcase name=\"read\" classname=\"", m);
		put_classname(m, path);
		fprintf(m, "\" time=\"%.3f\">\n      <error message=\"", each);
		dg_put_xml(m, res->error ? res->error : "cannot read");
		fputs("\"/>\n    </testcase>\n  </testsuite>\n", m);
		st->tests++;
		st->errors++;
		free(path);
		return;
	}
	for (size_t i = 0; i < res->n_findings; i++)
		if ((int)res->findings[i].severity >= st->opts->fail_on)
			failures++;
	fprintf(m, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n", cases,
		failures, res->seconds);
	if (!res->n_findings) {
		fputs("    <testcase name=\"ddlguard\" classname=\"", m);
		put_classname(m, path);
		fprintf(m, "\" time=\"%.3f\"/>\n", each);
	}
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		bool fails = (int)f->severity >= st->opts->fail_on;
		char name[256];

		snprintf(name, sizeof(name), "%s %s", f->rule, f->fingerprint);
		fputs("    <testcase name=\"", m);
		dg_put_xml(m, name);
		fputs("\" classname=\"", m);
		put_classname(m, path);
		fputs("\" file=\"", m);
		dg_put_xml(m, path);
		fprintf(m, "\" line=\"%u\" time=\"%.3f\">\n", f->line, each);
		if (fails) {
			fprintf(m, "      <failure type=\"%s\" message=\"", f->rule);
			dg_put_xml(m, f->message);
			fputs("\">", m);
		} else {
			fputs("      <system-out>", m);
		}
		dg_put_xml(m, path);
		fprintf(m, ":%u:%u: %s: ", f->line, dg_report_column(f, st->unit, false),
			dg_severity_name(f->severity));
		dg_put_xml(m, f->message);
		if (f->help) {
			fputs("&#10;help: ", m);
			dg_put_xml(m, f->help);
		}
		fputs(fails ? "</failure>\n    </testcase>\n" : "</system-out>\n    </testcase>\n",
		      m);
	}
	st->tests += cases;
	st->failures += failures;
	fputs("  </testsuite>\n", m);
	free(path);
}

static int junit_end(void *state, const struct dg_report_summary *s)
{
	struct junit_state *st = state;
	int rc;

	(void)s;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", st->out);
	fprintf(st->out,
		"<testsuites name=\"ddlguard\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"time=\"%.3f\">\n",
		st->tests, st->failures, st->errors, st->seconds);
	rc = dg_spool_copy(&st->suites, st->out);
	fputs("</testsuites>\n", st->out);
	if (dg_report_flush(st->out) != 0)
		rc = -1;
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_junit = {
    .name = "junit",
    .begin = junit_begin,
    .file = junit_file,
    .end = junit_end,
    .repo_paths = true,
};
