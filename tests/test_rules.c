/* test_rules.c — fixture-driven rule tests and the registry's consistency check.
 * Every .sql file under fixtures/<rule>/ states its findings of that rule inline:
 *   -- expect: <rule> LINE:COL
 * and the rule must report exactly those, no more, no fewer. A file may also set how it is linted,
 * for rules that depend on the server version or the transaction mode:
 *   -- ddlguard-test: pg-version N
 *   -- ddlguard-test: assume-in-transaction
 *   -- ddlguard-test: disable RULE   (for rules that defer to another one) */
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
#include "testkit.h"

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

/* Reads the expectations for `rule` out of the file's text: `-- expect: RULE LINE:COL`, or
 * `-- expect: RULE @+N:COL` for N lines below the comment. A malformed expectation is counted
 * in *bad (and printed), never ignored. */
static size_t expectations(const char *path, const char *text, const char *rule, struct pos *out,
			   size_t max, int *bad)
{
	size_t n = 0;
	const char *p = text;

	while ((p = strstr(p, "-- expect: "))) {
		char name[128];
		unsigned l, c, line = 1;
		int rel = 0, used = 0;
		for (const char *q = text; q < p; q++)
			line += *q == '\n';
		p += strlen("-- expect: ");
		if (sscanf(p, "%127s @+%d:%u%n", name, &rel, &c, &used) == 3 && used && rel > 0)
			l = line + (unsigned)rel;
		else if (sscanf(p, "%127s %u:%u%n", name, &l, &c, &used) == 3 && used)
			;
		else {
			print_error("%s:%u: malformed expectation '-- expect: %.*s'\n", path, line,
				    (int)strcspn(p, "\n"), p);
			(*bad)++;
			continue;
		}
		if (strcmp(name, rule) == 0 && n < max)
			out[n++] = (struct pos){l, c};
	}
	qsort(out, n, sizeof(*out), cmp_pos);
	return n;
}

/* Applies the file's `-- ddlguard-test:` directives to cfg; returns the number of bad ones. */
static int directives(const char *path, const char *text, struct dg_config *cfg)
{
	static const char tag[] = "-- ddlguard-test:";
	const char *p = text;
	int bad = 0;

	while ((p = strstr(p, tag))) {
		char word[64] = "", rule[128] = "";
		int major, used = 0;

		p += strlen(tag);
		if (sscanf(p, " pg-version %d%n", &major, &used) == 1 && used > 0) {
			if (dg_config_set_pg_version(cfg, major) != DG_OK) {
				print_error("%s: pg-version %d is not supported\n", path, major);
				bad++;
			}
		} else if (sscanf(p, " disable %127s", rule) == 1) {
			if (dg_config_set_rule_enabled(cfg, rule, false) != DG_OK) {
				print_error("%s: disable %s: no such rule\n", path, rule);
				bad++;
			}
		} else if (sscanf(p, " %63s", word) == 1 &&
			   strcmp(word, "assume-in-transaction") == 0) {
			dg_config_set_assume_in_transaction(cfg, true);
		} else {
			print_error("%s: unknown directive '%s%.*s'\n", path, tag,
				    (int)strcspn(p, "\n"), p);
			bad++;
		}
	}
	return bad;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* fixtures/<rule>/README with a "tested-in: tests/<file>.c" line: the rule depends on facts a
 * fixture cannot hold (git history); its bad.sql may then expect nothing, and the named test
 * must exist. */
static bool tested_elsewhere(const char *dir)
{
	char path[2048], *text, *p;
	bool ok = false;

	snprintf(path, sizeof(path), "%s/README", dir);
	text = tk_slurp(path);
	if (!text)
		return false;
	p = strstr(text, "tested-in: ");
	if (p) {
		char file[256], test[2048];
		struct stat st;
		if (sscanf(p + strlen("tested-in: "), "%255s", file) == 1) {
			snprintf(test, sizeof(test), "%s/%s", DG_SOURCE_DIR, file);
			ok = stat(test, &st) == 0 && S_ISREG(st.st_mode);
		}
		if (!ok)
			fail_msg("%s names a test that does not exist", path);
	} else {
		fail_msg("%s must say where the rule is tested (tested-in: tests/…)", path);
	}
	free(text);
	return ok;
}

static int check_file(const char *rule, const char *path, const char *base, bool elsewhere)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_result res;
	struct pos want[64], got[64];
	size_t nw, ng = 0;
	int failures = 0;
	char *text = tk_slurp(path);

	assert_non_null(text);
	failures += directives(path, text, cfg);
	/* the rule under test runs even when it is opt-in (off by default) */
	assert_int_equal(dg_config_set_rule_enabled(cfg, rule, true), DG_OK);
	nw = expectations(path, text, rule, want, 64, &failures);
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
	if (strcmp(base, "bad.sql") == 0 && nw == 0 && !elsewhere) {
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
	bool bad = false, ok = false, elsewhere;

	/* rules of the DynamoDB front half read templates, not SQL: their cases (old and new
	 * versions) are in fixtures/dynamodb/, and tests/test_dynamodb.c fails unless every such
	 * rule is expected by one of them */
	if (strncmp(r->name, "dynamodb-", 9) == 0) {
		struct stat st;
		snprintf(dir, sizeof(dir), "%s/dynamodb", DG_FIXTURES);
		assert_true(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
		return;
	}
	snprintf(dir, sizeof(dir), "%s/%s", DG_FIXTURES, r->name);
	elsewhere = tested_elsewhere(dir);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		fail_msg("%s: no fixture directory", dir);
	for (int i = 0; i < n; i++) {
		char path[2048];
		if (ends_with(names[i]->d_name, ".sql")) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			failures += check_file(r->name, path, names[i]->d_name, elsewhere);
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
		if (len > 3 && (ends_with(d, ".c") || ends_with(d, ".md")) &&
		    strcmp(d, "rule.h") != 0) {
			snprintf(stem, sizeof(stem), "%.*s",
				 (int)(len - (ends_with(d, ".c") ? 2 : 3)), d);
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
		    strcmp(d, "dynamodb") != 0 && strcmp(d, "misc") != 0 && !dg_rule_info_find(d))
			fail_msg("fixtures/%s belongs to no rule in rules.def", d);
		free(names[i]);
	}
	free(names);
}

/* README.md lists every rule with its severity and a link to its doc. */
static void test_readme_lists_rules(void **state)
{
	char *readme = tk_slurp(DG_SOURCE_DIR "/README.md");

	(void)state;
	assert_non_null(readme);
	for (size_t i = 0; i < dg_rule_count(); i++) {
		const struct dg_rule_info *r = dg_rule_info_at(i);
		char row[512];
		snprintf(row, sizeof(row), "| [%s](rules/%s.md) | %s |", r->name, r->name,
			 dg_severity_name(r->severity));
		if (!strstr(readme, row))
			fail_msg("README.md lacks the rule row starting '%s'", row);
	}
	free(readme);
}

int main(void)
{
	size_t n = dg_rule_count();
	struct CMUnitTest *tests = calloc(2 * n + 2, sizeof(*tests));
	char **names = calloc(2 * n, sizeof(char *));
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct dg_rule_info *r = dg_rule_info_at(i);
		names[2 * i] = malloc(strlen(r->name) + 16);
		names[2 * i + 1] = malloc(strlen(r->name) + 16);
		sprintf(names[2 * i], "fixtures %s", r->name);
		sprintf(names[2 * i + 1], "doc %s", r->name);
		tests[2 * i] =
		    (struct CMUnitTest){names[2 * i], test_fixtures, NULL, NULL, (void *)r};
		tests[2 * i + 1] =
		    (struct CMUnitTest){names[2 * i + 1], test_doc, NULL, NULL, (void *)r};
	}
	tests[2 * n] = (struct CMUnitTest){"no orphans", test_no_orphans, NULL, NULL, NULL};
	tests[2 * n + 1] =
	    (struct CMUnitTest){"readme lists rules", test_readme_lists_rules, NULL, NULL, NULL};
	rc = _cmocka_run_group_tests("rules", tests, 2 * n + 2, NULL, NULL);
	for (size_t i = 0; i < 2 * n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
