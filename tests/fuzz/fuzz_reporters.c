/* fuzz_reporters.c — every output format, for any file name and any identifier: the input is
 * a file name, a NUL, then the file. Its findings (and an unreadable file of the same name) go
 * through each reporter; JSON formats must parse and be UTF-8, JUnit must be well-formed XML,
 * the line formats (text without colour, gcc, github) UTF-8 with no raw control character, and
 * gcc and github one line per finding (no forged line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "ddlguard/ddlguard.h"
#include "fuzzkit.h"
#include "report/report.h"

static void quiet_xml(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void check_xml(const char *buf, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(buf, (int)len, "junit.xml", NULL, XML_PARSE_NONET);

	if (!doc) {
		fprintf(stderr, "fuzz check failed: junit: not well-formed XML\n%.*s\n",
			(int)(len > 4000 ? 4000 : len), buf);
		abort();
	}
	xmlFreeDoc(doc);
}

static void run(const struct dg_reporter *r, const struct dg_report_options *opts,
		const struct dg_result *results, size_t n)
{
	struct dg_report_summary sum = {0};
	char *buf = NULL;
	size_t len = 0, findings = 0;
	FILE *m = open_memstream(&buf, &len);
	void *st;

	if (!m || !(st = r->begin(m, opts)))
		abort();
	for (size_t i = 0; i < n; i++) {
		r->file(st, &results[i]);
		findings += results[i].n_findings;
		if (results[i].status == DG_OK)
			sum.files_checked++;
		else
			sum.unreadable++;
	}
	sum.findings = findings;
	if (r->end(st, &sum) != 0 || fclose(m) != 0)
		abort();
	fk_check_utf8(r->name, buf, len);
	if (!strcmp(r->name, "json") || !strcmp(r->name, "sarif") || !strcmp(r->name, "gitlab"))
		fk_check_json(r->name, buf, len);
	else if (!strcmp(r->name, "junit"))
		check_xml(buf, len);
	else if (!opts->color)
		fk_check_no_controls(r->name, buf, len);
	if (!strcmp(r->name, "gcc") && fk_lines(buf, len) != findings) {
		fprintf(stderr, "fuzz check failed: gcc: %zu lines for %zu findings\n%s\n",
			fk_lines(buf, len), findings, buf);
		abort();
	}
	/* github: one line per finding, and one per unreadable file */
	if (!strcmp(r->name, "github") && fk_lines(buf, len) != findings + sum.unreadable) {
		fprintf(stderr, "fuzz check failed: github: %zu lines for %zu findings\n%s\n",
			fk_lines(buf, len), findings, buf);
		abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_config *cfg;
	static const char *const formats[] = {"text",	"json",	  "gcc",  "sarif",
					      "github", "gitlab", "junit"};
	char *parts[2];
	size_t lens[2], n;
	struct dg_result res[2];

	if (!cfg) {
		cfg = dg_config_new();
		xmlSetGenericErrorFunc(NULL, quiet_xml);
	}
	n = fk_split(data, size, parts, lens, 2);
	if (n < 2 || !parts[0][0]) {
		fk_free_parts(parts, n);
		return 0;
	}
	dg_lint_buffer(cfg, parts[0], parts[1], lens[1], &res[0]);
	memset(&res[1], 0, sizeof(res[1]));
	res[1].path = strdup(parts[0]);
	res[1].error = strdup(parts[1]); /* a reason that holds anything */
	res[1].status = DG_ERR_IO;
	res[1].format = "plain";
	if (!res[1].path || !res[1].error)
		abort();
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const struct dg_reporter *r = dg_reporter_find(formats[i]);
		struct dg_report_options opts = {0};
		if (!r)
			abort();
		run(r, &opts, res, 2);
		if (!strcmp(formats[i], "text")) {
			opts.quiet = true;
			run(r, &opts, res, 2);
			opts.quiet = false;
			opts.color = opts.summary = true;
			run(r, &opts, res, 2);
		}
	}
	dg_result_clear(&res[0]);
	dg_result_clear(&res[1]);
	fk_free_parts(parts, n);
	return 0;
}
