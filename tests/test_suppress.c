/* test_suppress.c — inline suppressions: which findings a comment silences (per statement, per
 * file), what it says about itself (unused, expired, no reason), and what is not a comment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ddlguard/ddlguard.h"
#include "testkit.h"

/* "rule@line" for every finding, space-separated, in report order */
static char got[4096];

static const char *lint_cfg(struct dg_config *cfg, const char *sql)
{
	struct dg_result res;

	assert_int_equal(dg_lint_buffer(cfg, "m.sql", sql, strlen(sql), &res), DG_OK);
	got[0] = '\0';
	for (size_t i = 0; i < res.n_findings; i++) {
		char one[128];
		snprintf(one, sizeof(one), "%s%s@%u", i ? " " : "", res.findings[i].rule,
			 res.findings[i].line);
		strncat(got, one, sizeof(got) - strlen(got) - 1);
	}
	dg_result_clear(&res);
	return got;
}

static const char *lint(const char *sql)
{
	struct dg_config *cfg = dg_config_new();
	tk_quiet_noise(cfg);
	lint_cfg(cfg, sql);
	dg_config_free(cfg);
	return got;
}

#define IDX "CREATE INDEX i ON t (a);\n"
#define REN "ALTER TABLE t RENAME COLUMN a TO b;\n"
#define CIC "require-concurrent-index-creation"

static void test_statement_scope(void **state)
{
	(void)state;
	/* baseline: both statements report */
	assert_string_equal(lint(IDX IDX), CIC "@1 " CIC "@2");
	/* the line before covers the next statement only */
	assert_string_equal(lint("-- ddlguard-ignore " CIC "\n" IDX IDX), CIC "@3");
	/* blank lines and other comments may come between */
	assert_string_equal(
	    lint("-- ddlguard-ignore " CIC " reason: empty\n\n-- more\n/* x */\n" IDX IDX),
	    CIC "@6");
	/* at the end of the statement's last line: covers it, not the next */
	assert_string_equal(
	    lint(IDX "CREATE INDEX j\n  ON t (b); -- ddlguard-ignore " CIC "\n" IDX),
	    CIC "@1 " CIC "@4");
	/* inside the statement */
	assert_string_equal(lint("CREATE INDEX i -- ddlguard-ignore " CIC "\n ON t (a);\n" IDX),
			    CIC "@3");
	/* only the rules named */
	assert_string_equal(lint("-- ddlguard-ignore renaming-column\n" IDX REN),
			    "unused-ignore@1 " CIC "@2 renaming-column@3");
	/* several, with commas or spaces; the second statement on the line is not covered, so
	 * the name meant for it is stale */
	assert_string_equal(
	    lint("-- ddlguard-ignore renaming-column, " CIC "\nCREATE INDEX i ON t (a); " REN),
	    "unused-ignore@1 renaming-column@2");
	assert_string_equal(
	    lint("-- ddlguard-ignore renaming-column " CIC "\nCREATE INDEX i ON t (a); " REN),
	    "unused-ignore@1 renaming-column@2");
	assert_string_equal(lint("-- ddlguard-ignore constraint-missing-not-valid, " CIC "\n"
				 "ALTER TABLE t ADD COLUMN x int NOT NULL, ADD CHECK (x > 0);\n"
				 "-- ddlguard-ignore adding-required-field, " CIC "\n" IDX),
			    "unused-ignore@1 adding-required-field@2 unused-ignore@3");
	/* no rule named: every rule, for that statement */
	assert_string_equal(lint("-- ddlguard-ignore reason: all of it\n" IDX REN),
			    "renaming-column@3");
	/* a statement after the comment's statement is never covered */
	assert_string_equal(lint("-- ddlguard-ignore renaming-column\n" REN REN),
			    "renaming-column@3");
}

static void test_file_scope(void **state)
{
	(void)state;
	assert_string_equal(lint(IDX REN "-- ddlguard-ignore-file " CIC "\n" IDX),
			    "renaming-column@2");
	assert_string_equal(lint("-- ddlguard-ignore-file\n" IDX REN), "");
	/* unused when nothing in the file matches */
	assert_string_equal(lint("-- ddlguard-ignore-file renaming-column\n" IDX),
			    "unused-ignore@1 " CIC "@2");
	/* a file-level and a statement-level comment both used */
	assert_string_equal(
	    lint("-- ddlguard-ignore-file renaming-column\n-- ddlguard-ignore " CIC "\n" IDX REN),
	    "");
}

static void test_squawk_comments(void **state)
{
	(void)state;
	assert_string_equal(lint("-- squawk-ignore " CIC "\n" IDX IDX), CIC "@3");
	assert_string_equal(lint("-- squawk-ignore-file\n" IDX REN), "");
	assert_string_equal(lint("-- squawk-ignore-file renaming-column\n" IDX REN), CIC "@2");
	/* squawk's own names and unused squawk comments are squawk's business */
	assert_string_equal(lint("-- squawk-ignore prefer-robust-stmts\nSELECT 1;\n"), "");
	assert_string_equal(lint("-- squawk-ignore renaming-column\nSELECT 1;\n"), "");
}

static void test_not_comments(void **state)
{
	(void)state;
	assert_string_equal(lint("SELECT '-- ddlguard-ignore-file';\n" IDX), CIC "@2");
	assert_string_equal(lint("SELECT E'\\' -- ddlguard-ignore-file';\n" IDX), CIC "@2");
	assert_string_equal(lint("SELECT 1 AS \"-- ddlguard-ignore-file\";\n" IDX), CIC "@2");
	assert_string_equal(lint("SELECT $t$ -- ddlguard-ignore-file $t$;\n" IDX), CIC "@2");
	assert_string_equal(lint("/* -- ddlguard-ignore-file */\n" IDX), CIC "@2");
	/* a different word is not the directive */
	assert_string_equal(lint("-- ddlguard-ignored " CIC "\n" IDX), CIC "@2");
	assert_string_equal(lint("-- see ddlguard-ignore " CIC "\n" IDX), CIC "@2");
}

static void test_until_and_reason(void **state)
{
	struct dg_config *cfg;

	(void)state;
	assert_string_equal(lint("-- ddlguard-ignore " CIC " until: 2999-12-31\n" IDX), "");
	assert_string_equal(lint("-- ddlguard-ignore " CIC " until: 2001-12-31\n" IDX),
			    "expired-ignore@1 " CIC "@2");
	assert_string_equal(lint("-- ddlguard-ignore " CIC " until: 31/12/2999\n" IDX),
			    "expired-ignore@1 " CIC "@2");
	/* reason text may hold anything, even the word until without a colon */
	assert_string_equal(lint("-- ddlguard-ignore " CIC
				 " reason: wait until launch, ok? until: 2001-01-01\n" IDX),
			    "expired-ignore@1 " CIC "@2");
	/* missing reasons are findings only when asked for */
	cfg = dg_config_new();
	tk_quiet_noise(cfg);
	assert_string_equal(lint_cfg(cfg, "-- ddlguard-ignore " CIC "\n" IDX), "");
	assert_int_equal(dg_config_set_rule_enabled(cfg, "missing-ignore-reason", true), DG_OK);
	assert_string_equal(lint_cfg(cfg, "-- ddlguard-ignore " CIC "\n" IDX),
			    "missing-ignore-reason@1");
	assert_string_equal(lint_cfg(cfg, "-- ddlguard-ignore " CIC " reason:   \n" IDX),
			    "missing-ignore-reason@1");
	assert_string_equal(lint_cfg(cfg, "-- ddlguard-ignore " CIC " reason: tiny table\n" IDX),
			    "");
	assert_string_equal(lint_cfg(cfg, "-- squawk-ignore " CIC "\n" IDX), "");
	/* naming only disabled rules is not "unused" */
	assert_int_equal(dg_config_set_rule_enabled(cfg, "renaming-column", false), DG_OK);
	assert_string_equal(lint_cfg(cfg, "-- ddlguard-ignore renaming-column reason: x\n" IDX),
			    CIC "@2");
	dg_config_free(cfg);
}

static void test_cli_require_reason(void **state)
{
	struct tk_run r;

	(void)state;
	r = tk_run(
	    "printf '%%s\\n' '-- ddlguard-ignore %s' 'CREATE INDEX i ON t (a);' | %s --format gcc "
	    "--require-reason -",
	    CIC, DG_BINARY);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "<stdin>:1:1: warning: ddlguard-ignore without a reason"));
	assert_null(strstr(r.out, CIC "]"));
	free(r.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_statement_scope),  cmocka_unit_test(test_file_scope),
	    cmocka_unit_test(test_squawk_comments),  cmocka_unit_test(test_not_comments),
	    cmocka_unit_test(test_until_and_reason), cmocka_unit_test(test_cli_require_reason),
	};
	return cmocka_run_group_tests_name("suppress", tests, NULL, NULL);
}
