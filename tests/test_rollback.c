/* test_rollback.c — `ddlguard --format rollback-plan` against expected Markdown: tests/rollback/
 * (a dbmate directory: a migration with a rollback, one without, an empty down, the point of no
 * return, a narrowing type change known from schema memory, a backfill) and the file-pair formats
 * of fixtures/formats (the down file belongs to its up file's section). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testkit.h"

static void expect_output(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		print_error("%s: expected\n%s\n--- got\n%s\n", what, want, got);
		fail();
	}
}

static void test_dbmate_plan(void **state)
{
	char *want = tk_slurp(DG_SOURCE_DIR "/tests/rollback/expected.md");
	struct tk_run r;

	(void)state;
	assert_non_null(want);
	r = tk_run("cd %s/tests/rollback && %s --format rollback-plan db/migrations", DG_SOURCE_DIR,
		   DG_BINARY);
	assert_int_equal(r.status, 0);
	expect_output("tests/rollback", r.out, want);
	free(r.out);
	free(want);
}

/* golang-migrate: NNN_x.up.sql and NNN_x.down.sql make one section; 000003 has no down file. */
static void test_file_pairs(void **state)
{
	struct tk_run r;

	(void)state;
	r = tk_run("cd %s/fixtures/formats && %s --format rollback-plan golang-migrate",
		   DG_SOURCE_DIR, DG_BINARY);
	assert_int_equal(r.status, 0);
	assert_non_null(
	    strstr(r.out, "## Migration: 000001_create_users\n**Forward**: CREATE TABLE"));
	assert_non_null(strstr(r.out,
			       "## Migration: 000003_add_note\n**Forward**: ALTER TABLE users "
			       "ADD COLUMN note text\n**Rollback**: none (no down section)\n"));
	assert_null(strstr(r.out, ".down"));
	free(r.out);
}

static void test_unreadable_path(void **state)
{
	struct tk_run r;

	(void)state;
	r = tk_run("%s --format rollback-plan /nonexistent/migrations 2>&1", DG_BINARY);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "/nonexistent/migrations"));
	free(r.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dbmate_plan),
	    cmocka_unit_test(test_file_pairs),
	    cmocka_unit_test(test_unreadable_path),
	};
	return cmocka_run_group_tests_name("rollback plan", tests, NULL, NULL);
}
