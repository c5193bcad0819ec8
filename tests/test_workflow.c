/* test_workflow.c — the CLI in a team's workflow: baselines that accept today's findings and
 * gate only new ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

static char tmpdir[] = "/tmp/ddlguard-workflow-XXXXXX";

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char p[512];

	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(p, sizeof(p), "%s/db", tmpdir);
	return mkdir(p, 0755);
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

struct run {
	int status;
	char out[65536];
};

static struct run r;

/* Runs a shell command line in the temporary directory; "DG" stands for the binary. */
__attribute__((format(printf, 1, 2))) static void sh(const char *fmt, ...)
{
	char line[4096], cmd[8192];
	FILE *p;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "cd '%s' && DG='%s' && %s", tmpdir, DG_BINARY, line);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(r.out, 1, sizeof(r.out) - 1, p);
	r.out[n] = '\0';
	r.status = WEXITSTATUS(pclose(p));
}

static void test_baseline_round_trip(void **state)
{
	cJSON *doc, *arr;

	(void)state;
	write_file("db/1.sql", "CREATE INDEX i ON t (a);\nALTER TABLE t RENAME COLUMN a TO b;\n");
	write_file("db/2.sql", "CREATE INDEX j ON u (a);\n");

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
	assert_int_equal(strlen(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "fingerprint")->valuestring),
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
	write_file("db/1.sql", "-- reviewed\n\nCREATE INDEX  i ON t (a);\n"
			       "CREATE INDEX k ON t (c);\n"
			       "ALTER TABLE t\n  RENAME COLUMN a TO b;\n");
	sh("$DG --no-config --format gcc --baseline base.json db");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "db/1.sql:4:1: warning: CREATE INDEX on \"t\" takes a SHARE lock: "
				   "INSERT, UPDATE and DELETE on \"t\" wait until the whole index is "
				   "built [require-concurrent-index-creation]\n");

	/* a rewritten statement is a new finding */
	write_file("db/2.sql", "CREATE INDEX j ON u (a, b);\n");
	sh("$DG --no-config --format gcc --baseline base.json db/2.sql");
	assert_int_equal(r.status, 1);

	/* a baseline that is not one is a usage error */
	write_file("bad.json", "{\"findings\": 3}");
	sh("$DG --no-config --baseline bad.json db 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "bad.json: not a ddlguard baseline"));
	sh("$DG --no-config --baseline nowhere.json db 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "nowhere.json: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_round_trip),
	};
	return cmocka_run_group_tests_name("workflow", tests, setup, teardown);
}
