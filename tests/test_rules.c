/* test_rules.c — fixture-driven rule tests and the registry's consistency check.
 * Every .sql file under fixtures/<rule>/ states its findings of that rule inline:
 *   -- expect: <rule> LINE:COL
 * and the rule must report exactly those, no more, no fewer. A file may also say which
 * PostgreSQL major version it targets (as --pg-version does):
 *   -- fixture-pg-version: 11 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "ddlguard/ddlguard.h"

struct pos {
	unsigned line, col;
};

static int cmp_pos(const void *a, const void *b)
{
	const struct pos *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Reads the expectations for `rule` out of the file's text. */
static size_t expectations(const char *text, const char *rule, struct pos *out, size_t max)
{
	size_t n = 0;
	const char *p = text;

	while ((p = strstr(p, "-- expect: "))) {
		char name[128];
		unsigned l, c;
		p += strlen("-- expect: ");
		if (sscanf(p, "%127s %u:%u", name, &l, &c) == 3 && strcmp(name, rule) == 0 && n < max)
			out[n++] = (struct pos){l, c};
	}
	qsort(out, n, sizeof(*out), cmp_pos);
	return n;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int check_file(const char *rule, const char *path, const char *base)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_result res;
	struct pos want[64], got[64];
	size_t nw, ng = 0;
	int failures = 0;
	char *text = slurp(path);
	const char *version;

	assert_non_null(text);
	nw = expectations(text, rule, want, 64);
	if ((version = strstr(text, "-- fixture-pg-version: ")))
		assert_int_equal(dg_config_set_pg_version(
				     cfg, atoi(version + strlen("-- fixture-pg-version: "))),
				 DG_OK);
	assert_int_equal(dg_lint_file(cfg, path, &res), DG_OK);
	for (size_t i = 0; i < res.n_findings; i++) {
		const struct dg_finding *f = &res.findings[i];
		if (strcmp(f->rule, rule) == 0 && ng < 64)
			got[ng++] = (struct pos){f->line, f->column};
		else if (strcmp(f->rule, "syntax-error") == 0) {
			print_error("%s:%u:%u: unexpected syntax error in a fixture: %s\n", path,
				    f->line, f->column, f->message);
			failures++;
		}
	}
	qsort(got, ng, sizeof(*got), cmp_pos);
	if (strcmp(base, "bad.sql") == 0 && nw == 0) {
		print_error("%s: a bad fixture must expect at least one finding\n", path);
		failures++;
	}
	if (strcmp(base, "ok.sql") == 0 && nw != 0) {
		print_error("%s: an ok fixture must expect no finding\n", path);
		failures++;
	}
	if (nw != ng || memcmp(want, got, nw * sizeof(*want)) != 0) {
		print_error("%s: expected %zu finding(s) of %s, got %zu\n", path, nw, rule, ng);
		for (size_t i = 0; i < nw; i++)
			print_error("  want %u:%u\n", want[i].line, want[i].col);
		for (size_t i = 0; i < ng; i++)
			print_error("  got  %u:%u\n", got[i].line, got[i].col);
		failures++;
	}
	dg_result_clear(&res);
	dg_config_free(cfg);
	free(text);
	return failures;
}

static void test_fixtures(void **state)
{
	const struct dg_rule_info *r = *state;
	char dir[1024];
	struct dirent **names;
	int n, failures = 0, files = 0;
	bool bad = false, ok = false;

	snprintf(dir, sizeof(dir), "%s/%s", DG_FIXTURES, r->name);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		fail_msg("%s: no fixture directory", dir);
	for (int i = 0; i < n; i++) {
		char path[2048];
		if (ends_with(names[i]->d_name, ".sql")) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			failures += check_file(r->name, path, names[i]->d_name);
			files++;
			bad |= strcmp(names[i]->d_name, "bad.sql") == 0;
			ok |= strcmp(names[i]->d_name, "ok.sql") == 0;
		}
		free(names[i]);
	}
	free(names);
	if (!bad || !ok)
		fail_msg("%s: needs both bad.sql and ok.sql", dir);
	assert_true(files >= 2);
	assert_int_equal(failures, 0);
}

static void test_doc(void **state)
{
	const struct dg_rule_info *r = *state;
	static const char *const sections[] = {"## Why", "## Bad", "## Good", "## How to fix",
					       "## References"};
	char title[256];

	snprintf(title, sizeof(title), "# %s\n", r->name);
	assert_non_null(r->doc);
	if (strncmp(r->doc, title, strlen(title)) != 0)
		fail_msg("doc of %s must start with '%s'", r->name, title);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strstr(r->doc, sections[i]))
			fail_msg("doc of %s lacks the section '%s'", r->name, sections[i]);
	if (!strstr(r->doc, dg_severity_name(r->severity)))
		fail_msg("doc of %s does not state its severity", r->name);
	assert_non_null(r->summary);
}

/* Nothing in rules/ or fixtures/ without a registered rule: a forgotten rules.def line fails. */
static void test_no_orphans(void **state)
{
	struct dirent **names;
	int n;

	(void)state;
	n = scandir(DG_RULES_DIR, &names, NULL, alphasort);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		char stem[256];
		const char *d = names[i]->d_name;
		size_t len = strlen(d);
		if (len > 3 && (ends_with(d, ".c") || ends_with(d, ".md")) && strcmp(d, "rule.h") != 0) {
			snprintf(stem, sizeof(stem), "%.*s", (int)(len - (ends_with(d, ".c") ? 2 : 3)), d);
			if (!dg_rule_info_find(stem))
				fail_msg("rules/%s belongs to no rule in rules.def", d);
		}
		free(names[i]);
	}
	free(names);
	n = scandir(DG_FIXTURES, &names, NULL, alphasort);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		if (d[0] != '.' && strcmp(d, "demo") != 0 && strcmp(d, "formats") != 0 &&
		    strcmp(d, "misc") != 0 && !dg_rule_info_find(d))
			fail_msg("fixtures/%s belongs to no rule in rules.def", d);
		free(names[i]);
	}
	free(names);
}

int main(void)
{
	size_t n = dg_rule_count();
	struct CMUnitTest *tests = calloc(2 * n + 1, sizeof(*tests));
	char **names = calloc(2 * n, sizeof(char *));
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct dg_rule_info *r = dg_rule_info_at(i);
		names[2 * i] = malloc(strlen(r->name) + 16);
		names[2 * i + 1] = malloc(strlen(r->name) + 16);
		sprintf(names[2 * i], "fixtures %s", r->name);
		sprintf(names[2 * i + 1], "doc %s", r->name);
		tests[2 * i] = (struct CMUnitTest){names[2 * i], test_fixtures, NULL, NULL, (void *)r};
		tests[2 * i + 1] = (struct CMUnitTest){names[2 * i + 1], test_doc, NULL, NULL, (void *)r};
	}
	tests[2 * n] = (struct CMUnitTest){"no orphans", test_no_orphans, NULL, NULL, NULL};
	rc = _cmocka_run_group_tests("rules", tests, 2 * n + 1, NULL, NULL);
	for (size_t i = 0; i < 2 * n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
