/* test_tablestats.c — --table-stats: findings about a table of known size state it; duration-type
 * findings become info below the small-table threshold and errors above the large one; lock-queue
 * findings do not change; CSV and JSON give the same report; .ddlguard.yaml moves the thresholds;
 * a bad file is exit 2 with file:line. (--stats-url on a real server: tests/test_verify.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testkit.h"

#define DIR DG_SOURCE_DIR "/tests/tablestats"

static void check(const char *stats)
{
	char *want = tk_slurp(DIR "/expected");
	struct tk_run r;

	assert_non_null(want);
	r = tk_run("cd %s && %s -q --no-config --table-stats %s migration.sql", DIR, DG_BINARY,
		   stats);
	assert_int_equal(r.status, 1);
	if (strcmp(r.out, want) != 0) {
		print_error("expected\n%s--- got\n%s", want, r.out);
		fail();
	}
	free(r.out);
	free(want);
}

static void test_csv(void **state)
{
	(void)state;
	check("stats.csv");
}

static void test_json(void **state)
{
	(void)state;
	check("stats.json");
}

/* small_rows: 100, large_rows: 100000000 — both tables in between: the rule's own severity */
static void test_thresholds_from_config(void **state)
{
	struct tk_run r;

	(void)state;
	r = tk_run("cd %s && %s -q --table-stats stats.csv thresholds/migration.sql", DIR,
		   DG_BINARY);
	assert_non_null(strstr(r.out, "thresholds/migration.sql:3:1: "
				      "warning[require-concurrent-index-creation]"));
	assert_non_null(strstr(r.out, "thresholds/migration.sql:4:1: "
				      "warning[require-concurrent-index-creation]"));
	assert_non_null(strstr(r.out, "(users: ~800 rows, 72.0 kB)\n"));
	free(r.out);
}

static void test_bad_file(void **state)
{
	struct tk_run r = {0, NULL};

	(void)state;
	assert_int_equal(tk_tmpdir_create("tablestats"), 0);
	tk_write_file("bad.csv", "schema,table,estimated_rows,total_bytes\npublic,orders,many,1\n");
	tk_write_file("nohead.csv", "public,orders,1,1\n");
	tk_sh(&r, "%s --table-stats bad.csv %s/migration.sql 2>&1; echo \"rc=$?\"", DG_BINARY, DIR);
	assert_non_null(
	    strstr(r.out, "bad.csv:2: expected schema,table,estimated_rows,total_bytes"));
	assert_non_null(strstr(r.out, "rc=2"));
	tk_sh(&r, "%s --table-stats nohead.csv %s/migration.sql 2>&1; echo \"rc=$?\"", DG_BINARY,
	      DIR);
	assert_non_null(strstr(r.out, "nohead.csv:1: the header must name"));
	assert_non_null(strstr(r.out, "rc=2"));
	free(r.out);
	assert_int_equal(tk_tmpdir_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_thresholds_from_config),
	    cmocka_unit_test(test_bad_file),
	};
	return cmocka_run_group_tests_name("table stats", tests, NULL, NULL);
}
