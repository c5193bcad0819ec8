/* test_workflow.c — the CLI in a team's workflow: baselines that accept today's findings and
 * gate only new ones; --diff-base against a temporary git repository (modified-applied-migration
 * and migration-out-of-order, whose fixtures cannot express history). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "testkit.h"

static int setup(void **state)
{
	(void)state;
	if (tk_tmpdir_create("workflow") != 0)
		return -1;
	return tk_mkdir("db");
}

static int teardown(void **state)
{
	(void)state;
	return tk_tmpdir_remove();
}

static struct tk_run r;

/* Runs a shell command line in the temporary directory into r; "DG" stands for the binary, with
 * the rules that would fire on these small files besides the ones under test off. */
#define sh(...) tk_sh(&r, "DG='" DG_BINARY " " TK_NOISE_FLAGS "' && " __VA_ARGS__)

static void test_baseline_round_trip(void **state)
{
	cJSON *doc, *arr;

	(void)state;
	tk_write_file("db/1.sql",
		      "CREATE INDEX i ON t (a);\nALTER TABLE t RENAME COLUMN a TO b;\n");
	tk_write_file("db/2.sql", "CREATE INDEX j ON u (a);\n");

	sh("$DG --no-config --format gcc db");
	assert_int_equal(r.status, 1);

	/* writing accepts everything: exit 0, the report still shows it */
	sh("$DG --no-config --format gcc --write-baseline base.json db");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "db/2.sql:1:1"));
	sh("cat base.json");
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItem(doc, "version")->valueint, 1);
	arr = cJSON_GetObjectItem(doc, "findings");
	assert_int_equal(cJSON_GetArraySize(arr), 3);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "path")->valuestring,
			    "db/1.sql");
	assert_int_equal(
	    strlen(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "fingerprint")->valuestring),
	    16);
	cJSON_Delete(doc);

	/* the same tree against its baseline: clean */
	sh("$DG --no-config --format gcc --baseline base.json db");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	/* "./db" names the same files */
	sh("$DG --no-config --format gcc --baseline base.json ./db");
	assert_int_equal(r.status, 0);

	/* lines shifted, whitespace changed, one new problem: only that one is reported */
	tk_write_file("db/1.sql", "-- reviewed\n\nCREATE INDEX  i ON t (a);\n"
				  "CREATE INDEX k ON t (c);\n"
				  "ALTER TABLE t\n  RENAME COLUMN a TO b;\n");
	sh("$DG --no-config --format gcc --baseline base.json db");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out,
			    "db/1.sql:4:1: warning: CREATE INDEX on \"t\" takes a SHARE lock: "
			    "INSERT, UPDATE and DELETE on \"t\" wait until the whole index is "
			    "built [require-concurrent-index-creation]\n");

	/* a rewritten statement is a new finding */
	tk_write_file("db/2.sql", "CREATE INDEX j ON u (a, b);\n");
	sh("$DG --no-config --format gcc --baseline base.json db/2.sql");
	assert_int_equal(r.status, 1);

	/* a baseline that is not one is a usage error */
	tk_write_file("bad.json", "{\"findings\": 3}");
	sh("$DG --no-config --baseline bad.json db 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "bad.json: not a ddlguard baseline"));
	sh("$DG --no-config --baseline nowhere.json db 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "nowhere.json: "));
}

static void test_diff_base(void **state)
{
	(void)state;
	sh("mkdir repo repo/db repo/mig && cd repo && git init -q . && "
	   "printf 'CREATE TABLE a (id int);\n' > db/001_a.sql && "
	   "printf 'CREATE INDEX i ON t (a);\n' > db/003_c.sql && "
	   "printf 'SELECT 1;\n' > mig/9_a.sql && "
	   "git add . && git -c user.name=t -c user.email=t@example.com commit -qm base && "
	   "git tag base && echo OK");
	assert_non_null(strstr(r.out, "OK"));

	/* nothing changed yet: nothing to lint */
	sh("cd repo && $DG --no-config --format gcc --diff-base base db mig");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");

	sh("cd repo && printf 'CREATE TABLE a (id bigint);\n' > db/001_a.sql && "
	   "printf 'CREATE TABLE b (id int);\n' > db/002_b.sql && "
	   "printf 'CREATE TABLE t2 (id int);\n' > db/020_t.sql && "
	   "printf 'SELECT 2;\n' > mig/10_b.sql && "
	   "git add db/002_b.sql && git -c user.name=t -c user.email=t@example.com commit -qm b && "
	   "printf 'CREATE INDEX u ON t (b);\n' > db/004_u.sql && echo OK");
	assert_non_null(strstr(r.out, "OK"));
	sh("cd repo && $DG --no-config --format gcc --diff-base base db mig");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out,
			       "db/001_a.sql:1:1: error: this migration existed at base and was "
			       "edited"));
	assert_non_null(strstr(r.out, "[modified-applied-migration]"));
	assert_non_null(strstr(r.out, "db/002_b.sql:1:1: warning: new migration sorts before "
				      "\"003_c.sql\", the newest one at base"));
	/* unchanged: not linted at all (its CREATE INDEX is not reported) */
	assert_null(strstr(r.out, "003_c.sql:"));
	/* untracked counts as added; after the newest: in order */
	assert_non_null(strstr(r.out, "db/004_u.sql:1:1: warning: CREATE INDEX"));
	assert_null(strstr(r.out, "004_u.sql:1:1: warning: new migration"));
	assert_null(strstr(r.out, "020_t.sql"));
	/* 10 comes after 9 */
	assert_null(strstr(r.out, "mig/"));
	{
		/* exactly these three findings */
		int lines = 0;
		for (const char *p = r.out; (p = strchr(p, '\n')); p++)
			lines++;
		assert_int_equal(lines, 3);
	}

	/* from a subdirectory, with a relative path */
	sh("cd repo/db && $DG --no-config --format gcc --diff-base base .");
	assert_non_null(strstr(r.out, "001_a.sql:1:1: error: "));
	assert_non_null(strstr(r.out, "002_b.sql:1:1: warning: new migration"));

	/* without --diff-base the rules say nothing */
	sh("cd repo && $DG --no-config --format gcc db mig");
	assert_null(strstr(r.out, "modified-applied-migration"));
	assert_null(strstr(r.out, "migration-out-of-order"));
	assert_non_null(strstr(r.out, "003_c.sql:1:1"));

	/* configuration applies: the rule can be turned off */
	sh("cd repo && $DG --no-config --disable modified-applied-migration --format gcc "
	   "--diff-base base db");
	assert_null(strstr(r.out, "modified-applied-migration"));

	/* errors */
	sh("cd repo && $DG --diff-base no-such-ref db 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "unknown git revision no-such-ref"));
	sh("cd repo && $DG --diff-base --help db 2>&1");
	assert_int_equal(r.status, 2);
	sh("cd / && $DG --diff-base HEAD '%s/db' 2>&1", tk_tmpdir);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "not inside a git work tree"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_baseline_round_trip),
	    cmocka_unit_test(test_diff_base),
	};
	return cmocka_run_group_tests_name("workflow", tests, setup, teardown);
}
