/* test_cli.c — the command line as a CI gate and an editor see it: exit codes, JSON, stdin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#define FX DG_FIXTURES
/* The lock-model rules fire on most fixtures of other rules (no lock_timeout there): tests that
 * count another rule's findings turn them off. */
#define NO_TIMEOUT_RULES                                                                          \
	"--disable require-lock-timeout --disable require-statement-timeout "                    \
	"--disable statements-after-access-exclusive "

struct run {
	int status;
	char *out;
};

/* Runs `ddlguard ARGS` through the shell (stderr to /dev/null unless ARGS redirects it). */
static struct run run(const char *fmt, ...)
{
	char args[4096], cmd[8192];
	struct run r = {0};
	size_t cap = 1 << 16, n = 0;
	FILE *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s %s", DG_BINARY, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	r.out = malloc(cap);
	for (;;) {
		if (cap - n < 4096)
			r.out = realloc(r.out, cap *= 2);
		size_t got = fread(r.out + n, 1, cap - n - 1, p);
		if (got == 0)
			break;
		n += got;
	}
	r.out[n] = '\0';
	r.status = WEXITSTATUS(pclose(p));
	return r;
}

static void test_exit_codes(void **state)
{
	struct run r;

	(void)state;
	r = run("--version");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "ddlguard "));
	free(r.out);
	r = run("2>/dev/null");
	assert_int_equal(r.status, 2); /* no PATH */
	free(r.out);
	r = run("--no-such-option x.sql 2>/dev/null");
	assert_int_equal(r.status, 2);
	free(r.out);
	r = run("--enable no-such-rule x.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "unknown rule 'no-such-rule'"));
	free(r.out);
	r = run("--format yaml x.sql 2>/dev/null");
	assert_int_equal(r.status, 2);
	free(r.out);

	/* warnings fail by default, not with --fail-on error or never */
	r = run("%s/require-concurrent-index-creation/bad.sql", FX);
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run("--fail-on error %s/require-concurrent-index-creation/bad.sql", FX);
	assert_int_equal(r.status, 0);
	free(r.out);
	r = run("--fail-on never %s/syntax-error/bad.sql", FX);
	assert_int_equal(r.status, 0);
	free(r.out);
	r = run("--fail-on error %s/syntax-error/bad.sql", FX);
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run(NO_TIMEOUT_RULES "%s/require-concurrent-index-creation/ok.sql", FX);
	assert_int_equal(r.status, 0);
	free(r.out);
	r = run(NO_TIMEOUT_RULES "--disable require-concurrent-index-creation "
		"%s/require-concurrent-index-creation/bad.sql",
		FX);
	assert_int_equal(r.status, 0);
	free(r.out);
}

static void test_unreadable_file_does_not_stop_the_rest(void **state)
{
	struct run r;

	(void)state;
	r = run("/nonexistent/a.sql %s/renaming-column/bad.sql 2>&1", FX);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "/nonexistent/a.sql"));
	assert_non_null(strstr(r.out, "renaming-column"));
	free(r.out);
}

static void test_json(void **state)
{
	struct run r;
	cJSON *doc, *findings, *f;

	(void)state;
	r = run(NO_TIMEOUT_RULES "--format json %s/constraint-missing-not-valid/bad.sql "
		"%s/constraint-missing-not-valid/ok.sql",
		FX, FX);
	assert_int_equal(r.status, 1);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItem(doc, "version")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(doc, "files_checked")->valueint, 2);
	findings = cJSON_GetObjectItem(doc, "findings");
	assert_int_equal(cJSON_GetArraySize(findings), 4);
	f = cJSON_GetArrayItem(findings, 0);
	assert_string_equal(cJSON_GetObjectItem(f, "rule")->valuestring, "constraint-missing-not-valid");
	assert_string_equal(cJSON_GetObjectItem(f, "severity")->valuestring, "warning");
	assert_int_equal(cJSON_GetObjectItem(f, "line")->valueint, 2);
	assert_int_equal(cJSON_GetObjectItem(f, "column")->valueint, 20);
	assert_int_equal(cJSON_GetObjectItem(f, "end_line")->valueint, 2);
	assert_int_equal(cJSON_GetObjectItem(f, "end_column")->valueint, 93);
	assert_int_equal(cJSON_GetObjectItem(f, "byte_offset")->valueint,
			 (int)strlen("-- expect: constraint-missing-not-valid 2:20\nALTER TABLE orders "));
	assert_int_equal(cJSON_GetObjectItem(f, "byte_length")->valueint, 73);
	assert_non_null(strstr(cJSON_GetObjectItem(f, "message")->valuestring, "SHARE ROW EXCLUSIVE"));
	assert_non_null(strstr(cJSON_GetObjectItem(f, "help")->valuestring, "NOT VALID"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f, "section")));
	cJSON_Delete(doc);
	free(r.out);
}

static void test_locks(void **state)
{
	struct run r;
	cJSON *doc, *file, *stmts, *st, *lk;

	(void)state;
	r = run("--locks --color never - <<'EOF'\n"
		"ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id);\n"
		"ALTER TABLE orders ADD COLUMN x uuid DEFAULT gen_random_uuid();\n"
		"CREATE EXTENSION hstore;\nEOF");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "1:1  ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY"));
	assert_non_null(strstr(r.out, "users     referenced  SHARE ROW EXCLUSIVE  -        blocked"));
	assert_non_null(strstr(r.out, "orders    table  ACCESS EXCLUSIVE  blocked  blocked  yes      yes"));
	assert_non_null(strstr(r.out, "3:1  CREATE EXTENSION hstore\n      (no table locks)"));
	free(r.out);

	r = run("--locks --format json --pg-version 11 - <<'EOF'\n"
		"SELECT 1;\nREINDEX INDEX CONCURRENTLY i;\nEOF");
	assert_int_equal(r.status, 0);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItem(doc, "version")->valueint, 1);
	file = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "files"), 0);
	assert_int_equal(cJSON_GetObjectItem(file, "pg_version")->valueint, 11);
	stmts = cJSON_GetObjectItem(file, "statements");
	assert_int_equal(cJSON_GetArraySize(stmts), 2);
	st = cJSON_GetArrayItem(stmts, 1);
	assert_int_equal(cJSON_GetObjectItem(st, "line")->valueint, 2);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "no_transaction")));
	assert_non_null(strstr(cJSON_GetObjectItem(st, "unsupported")->valuestring, "12"));
	lk = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "locks"), 1);
	assert_string_equal(cJSON_GetObjectItem(lk, "relation")->valuestring, "i");
	assert_string_equal(cJSON_GetObjectItem(lk, "role")->valuestring, "index");
	assert_string_equal(cJSON_GetObjectItem(lk, "mode")->valuestring, "SHARE UPDATE EXCLUSIVE");
	assert_int_equal(cJSON_GetObjectItem(lk, "strength")->valueint, 4);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(lk, "blocks_writes")));
	cJSON_Delete(doc);
	free(r.out);

	r = run("--locks --format sarif x.sql 2>/dev/null");
	assert_int_equal(r.status, 2);
	free(r.out);
}

static void test_stdin_and_sections(void **state)
{
	struct run r;
	cJSON *doc, *f;

	(void)state;
	r = run("--format json --stdin-filename db/20240101_x.sql - <<'EOF'\n"
		"-- migrate:up\nCREATE INDEX i ON t (a);\n-- migrate:down\nDROP INDEX i;\nEOF");
	assert_int_equal(r.status, 1);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
	assert_non_null(f);
	assert_string_equal(cJSON_GetObjectItem(f, "path")->valuestring, "db/20240101_x.sql");
	assert_string_equal(cJSON_GetObjectItem(f, "section")->valuestring, "up");
	assert_int_equal(cJSON_GetObjectItem(f, "line")->valueint, 2);
	cJSON_Delete(doc);
	free(r.out);
}

static void test_bom_crlf_and_bad_utf8(void **state)
{
	struct run r;
	char tmp[] = "/tmp/ddlguard-cli-XXXXXX";
	char path[512];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/bom.sql", tmp);
	f = fopen(path, "wb");
	fputs("\xEF\xBB\xBF-- x\r\nSELECT 1;\r\n  CREATE INDEX i ON t (a);\r\n", f);
	fclose(f);
	r = run("--format json %s", path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "\"line\":3,\"column\":3,\"end_line\":3,\"end_column\":26"));
	free(r.out);
	snprintf(path, sizeof(path), "%s/latin1.sql", tmp);
	f = fopen(path, "wb");
	fputs("SELECT 'caf\xE9';\nCREATE INDEX i ON t (a);\n", f);
	fclose(f);
	r = run("%s", path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, ":1:12: error[syntax-error] the file is not valid UTF-8"));
	free(r.out);
	r = run("%s/bom.sql %s/latin1.sql >/dev/null; rm -rf %s", tmp, tmp, tmp);
	free(r.out);
}

static void test_text_report_and_color(void **state)
{
	struct run r;

	(void)state;
	r = run(NO_TIMEOUT_RULES "--color never %s/renaming-column/bad.sql", FX);
	assert_non_null(strstr(r.out, "bad.sql:2:1: warning[renaming-column] renaming column"));
	assert_non_null(strstr(r.out, " 2 | ALTER TABLE users RENAME COLUMN email TO email_address;\n"
				      "   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"));
	assert_non_null(strstr(r.out, "= help: Expand, backfill, contract"));
	assert_non_null(strstr(r.out, "2 findings (0 errors, 2 warnings, 0 info) in 1 file; 1 file checked"));
	assert_null(strchr(r.out, '\033'));
	free(r.out);
	r = run("--color always %s/renaming-column/bad.sql", FX);
	assert_non_null(strchr(r.out, '\033'));
	free(r.out);
	r = run("%s/renaming-column/bad.sql", FX); /* auto: stdout is a pipe */
	assert_null(strchr(r.out, '\033'));
	free(r.out);
}

static void test_list_and_explain(void **state)
{
	struct run r;

	(void)state;
	r = run("--list-rules");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "require-concurrent-index-creation"));
	assert_non_null(strstr(r.out, "syntax-error"));
	free(r.out);
	r = run("--explain renaming-column");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# renaming-column\n"));
	assert_non_null(strstr(r.out, "## How to fix"));
	free(r.out);
	r = run("--explain renaming 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "did you mean"));
	free(r.out);
}

static void test_directory_walk_is_sorted(void **state)
{
	struct run r;
	char *a, *b;

	(void)state;
	r = run("--fail-on never %s/require-down-section", FX);
	assert_int_equal(r.status, 0);
	a = strstr(r.out, "20240101_create_audit.up.sql:1:1");
	b = strstr(r.out, "bad.sql:2:4");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	assert_non_null(strstr(r.out, "5 files checked"));
	free(r.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_unreadable_file_does_not_stop_the_rest),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_stdin_and_sections),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_bom_crlf_and_bad_utf8),
		cmocka_unit_test(test_text_report_and_color),
		cmocka_unit_test(test_list_and_explain),
		cmocka_unit_test(test_directory_walk_is_sorted),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
