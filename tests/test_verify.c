/* test_verify.c — `ddlguard verify` on a real PostgreSQL 15, on the migration directories of
 * tests/verify/ (several runner formats: a correct down, an incomplete down, a failing up, a
 * failing down, up-after-down differences, a missing extension, and a deliberately wrong lock-model
 * entry through the test-only hook), each with its exact expected findings in `expected`.
 *
 * Two modes. Run alone, the binary starts its own throwaway cluster (all directories in one run,
 * so one initdb) and the bad-input cases are checked (no binaries, a server that fails to start,
 * an unreachable URL). Run by tests/pg/run.sh (DG_PG_CONNINFO set), every directory is verified
 * with --database-url on that server, which must be left as it was: no temporary database left
 * behind, an existing database untouched. Exits 77 (skip) only when no server binaries exist and
 * not in CI. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "testkit.h"

#define CASES DG_SOURCE_DIR "/tests/verify"

static const char *conninfo; /* DG_PG_CONNINFO: the --database-url mode */

static const char *const cases[] = {
    "dbmate-correct",	   "dbmate-reup-mismatch",
    "diesel-failing-down", "golang-migrate-incomplete",
    "goose-failing-up",	   "plain-missing-extension",
    "sqitch-lock-model",
};
#define N_CASES (sizeof(cases) / sizeof(*cases))

static char *read_case_file(const char *c, const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s/%s", CASES, c, name);
	return tk_slurp(path);
}

/* The hook of the case that has one (there is one environment for a run of several). */
static void hook_env(char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < N_CASES; i++) {
		char *h = read_case_file(cases[i], "hook");
		if (h) {
			h[strcspn(h, "\n")] = '\0';
			snprintf(buf, size, "DDLGUARD_TEST_LOCK_MODEL='%s' ", h);
			free(h);
		}
	}
}

static void expect_output(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		print_error("%s: expected\n%s\n--- got\n%s\n", what, want, got);
		fail();
	}
}

/* ---- the throwaway-cluster mode ----------------------------------------------------------- */

static void test_all_cases_throwaway(void **state)
{
	char cmd[8192], env[512];
	size_t n = 0;
	char *want = calloc(1, 1);
	struct tk_run r;

	(void)state;
	hook_env(env, sizeof(env));
	n = (size_t)snprintf(cmd, sizeof(cmd), "cd %s && %s%s verify -q --no-config", CASES, env,
			     DG_BINARY);
	for (size_t i = 0; i < N_CASES; i++) {
		char *e = read_case_file(cases[i], "expected");
		assert_non_null(e);
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, " %s", cases[i]);
		want = realloc(want, strlen(want) + strlen(e) + 1);
		strcat(want, e);
		free(e);
	}
	r = tk_run("%s", cmd);
	expect_output("all cases on a throwaway cluster", r.out, want);
	assert_int_equal(r.status, 1);
	free(r.out);
	free(want);
}

/* The same findings through the JSON reporter: positions and rules as data. */
static void test_json_report(void **state)
{
	struct tk_run r;
	cJSON *doc, *files, *findings, *x;
	bool seen = false;

	(void)state;
	r = tk_run("cd %s && %s verify --format json --no-config goose-failing-up", CASES,
		   DG_BINARY);
	assert_int_equal(r.status, 1);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	files = cJSON_GetObjectItem(doc, "files");
	assert_int_equal(cJSON_GetArraySize(files), 3);
	findings = cJSON_GetObjectItem(doc, "findings");
	assert_int_equal(cJSON_GetArraySize(findings), 2);
	cJSON_ArrayForEach(x, findings)
	{
		const char *rule = cJSON_GetStringValue(cJSON_GetObjectItem(x, "rule"));
		if (rule && strcmp(rule, "verify-up-failed") == 0) {
			assert_int_equal(cJSON_GetObjectItem(x, "line")->valueint, 3);
			assert_int_equal(cJSON_GetObjectItem(x, "column")->valueint, 45);
			assert_int_equal(cJSON_GetObjectItem(x, "end_column")->valueint, 49);
			assert_non_null(
			    strstr(cJSON_GetStringValue(cJSON_GetObjectItem(x, "message")),
				   "SQLSTATE 42703"));
			seen = true;
		}
	}
	assert_true(seen);
	cJSON_Delete(doc);
	free(r.out);
}

/* --format rollback-plan under verify: each section says whether its down was verified. */
static void test_rollback_plan_verified(void **state)
{
	char *want = read_case_file("golang-migrate-incomplete", "rollback-plan.md");
	struct tk_run r;

	(void)state;
	assert_non_null(want);
	r = tk_run(
	    "cd %s && %s verify --format rollback-plan --no-config golang-migrate-incomplete",
	    CASES, DG_BINARY);
	expect_output("rollback plan under verify", r.out, want);
	assert_int_equal(r.status, 1); /* the findings still decide */
	free(r.out);
	free(want);
}

static void test_no_binaries(void **state)
{
	struct tk_run r;

	(void)state;
	r = tk_run("%s verify --pg-bin /nonexistent/bin %s/dbmate-correct 2>&1", DG_BINARY, CASES);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "no PostgreSQL server binaries"));
	assert_non_null(strstr(r.out, "postgresql-15"));
	assert_non_null(strstr(r.out, "--database-url"));
	free(r.out);
}

/* A server that does not start: exit 2 with the tail of its log, and nothing left behind. */
static void test_server_fails_to_start(void **state)
{
	char bin[512];
	struct tk_run r = {0, NULL};

	(void)state;
	assert_int_equal(tk_tmpdir_create("verify"), 0);
	chmod(tk_tmpdir, 0755);
	tk_mkdir("bin");
	tk_write_file("bin/initdb", "#!/bin/sh\nexit 0\n");
	tk_write_file("bin/postgres", "#!/bin/sh\nexit 0\n");
	tk_write_file("bin/pg_ctl", "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = -l ] && log=$2; "
				    "shift; done\necho 'FATAL:  the fake server refuses to start' "
				    ">>\"$log\"\nexit 1\n");
	snprintf(bin, sizeof(bin), "%s/bin", tk_tmpdir);
	chmod(bin, 0755);
	tk_sh(&r, "chmod 755 bin/*");
	free(r.out);
	r = tk_run("%s verify --pg-bin %s %s/dbmate-correct 2>&1", DG_BINARY, bin, CASES);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "did not start"));
	assert_non_null(strstr(r.out, "the fake server refuses to start"));
	free(r.out);
	assert_int_equal(tk_tmpdir_remove(), 0);
}

static void test_unreachable_url(void **state)
{
	struct tk_run r;

	(void)state;
	r = tk_run("%s verify --database-url 'host=/nonexistent-socket-dir port=5 dbname=x' "
		   "%s/dbmate-correct 2>&1",
		   DG_BINARY, CASES);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "cannot connect to --database-url"));
	assert_non_null(strstr(r.out, "/nonexistent-socket-dir/.s.PGSQL.5"));
	free(r.out);
}

/* SIGTERM while the cluster runs: the server is stopped, its directory removed, and the run ends
 * by that signal. */
static void test_sigterm_cleans_up(void **state)
{
	struct tk_run r = {0, NULL};

	(void)state;
	assert_int_equal(tk_tmpdir_create("verify-signal"), 0);
	tk_mkdir("m");
	for (int i = 1; i <= 200; i++) {
		char name[64], sql[256];
		snprintf(name, sizeof(name), "m/%03d_t.sql", i);
		snprintf(
		    sql, sizeof(sql),
		    "-- migrate:up\nCREATE TABLE t%d (id int PRIMARY KEY);\n\n-- migrate:down\n"
		    "DROP TABLE t%d;\n",
		    i, i);
		tk_write_file(name, sql);
	}
	tk_sh(
	    &r,
	    "base=/tmp; [ \"$(id -u)\" -ne 0 ] && [ -n \"${TMPDIR:-}\" ] && base=$TMPDIR; "
	    "before=$(ls -d $base/ddlguard-verify.* 2>/dev/null); "
	    "%s verify -q --no-config m >/dev/null 2>&1 & pid=$!; new=''; "
	    "for i in $(seq 600); do for d in $base/ddlguard-verify.*; do "
	    "case \" $before \" in *\" $d \"*) ;; *) [ -f $d/data/postmaster.pid ] && new=$d;; esac; "
	    "done; [ -n \"$new\" ] && break; sleep 0.1; done; "
	    "[ -n \"$new\" ] || { echo 'no cluster seen'; kill $pid; exit 0; }; sleep 0.5; "
	    "kill -TERM $pid; wait $pid; echo \"status=$?\"; "
	    "[ -e \"$new\" ] && echo \"left behind: $new\"; "
	    "pgrep -f \"$new/data\" >/dev/null && echo 'server still running'; true",
	    DG_BINARY);
	expect_output("SIGTERM", r.out, "status=143\n");
	free(r.out);
	assert_int_equal(tk_tmpdir_remove(), 0);
}

/* ---- the --database-url mode ---------------------------------------------------------------- */

static PGconn *db(void)
{
	PGconn *c = PQconnectdb(conninfo);

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

static long count(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	long n;

	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

static void test_case_database_url(void **state)
{
	const char *c = *state;
	char *want = read_case_file(c, "expected"), *hook = read_case_file(c, "hook");
	struct tk_run r;

	assert_non_null(want);
	if (hook)
		hook[strcspn(hook, "\n")] = '\0';
	r = tk_run("cd %s && DDLGUARD_TEST_LOCK_MODEL='%s' %s verify -q --no-config "
		   "--database-url '%s' %s",
		   CASES, hook ? hook : "", DG_BINARY, conninfo, c);
	expect_output(c, r.out, want);
	assert_int_equal(r.status, want[0] ? 1 : 0);
	free(r.out);
	free(want);
	free(hook);
}

static int sentinel_setup(void **state)
{
	PGconn *c = db();

	(void)state;
	PQclear(PQexec(c, "DROP TABLE IF EXISTS verify_sentinel"));
	PQclear(PQexec(c, "CREATE TABLE verify_sentinel (id int)"));
	PQclear(PQexec(c, "INSERT INTO verify_sentinel VALUES (1), (2)"));
	PQfinish(c);
	return 0;
}

/* After every case: no temporary database left, the existing one as it was. */
static void test_server_untouched(void **state)
{
	PGconn *c = db();

	(void)state;
	assert_int_equal(count(c, "SELECT count(*) FROM pg_database WHERE datname LIKE "
				  "'ddlguard\\_verify\\_%'"),
			 0);
	assert_int_equal(count(c, "SELECT count(*) FROM verify_sentinel"), 2);
	assert_int_equal(count(c, "SELECT count(*) FROM pg_class WHERE relnamespace = "
				  "'public'::regnamespace AND relname <> 'verify_sentinel'"),
			 0);
	PQclear(PQexec(c, "DROP TABLE verify_sentinel"));
	PQfinish(c);
}

/* A role without CREATEDB: exit 2 saying so, and nothing applied anywhere. */
static void test_no_createdb(void **state)
{
	PGconn *c = db();
	struct tk_run r;

	(void)state;
	PQclear(PQexec(c, "DROP ROLE IF EXISTS verify_nocreatedb"));
	PQclear(PQexec(c, "CREATE ROLE verify_nocreatedb LOGIN NOCREATEDB"));
	r = tk_run("%s verify --database-url '%s user=verify_nocreatedb' %s/dbmate-correct 2>&1",
		   DG_BINARY, conninfo, CASES);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "needs CREATEDB"));
	assert_non_null(strstr(r.out, "permission denied to create database"));
	free(r.out);
	PQclear(PQexec(c, "DROP ROLE verify_nocreatedb"));
	PQfinish(c);
}

/* --stats-url: the sizes come from the server's catalogs, read-only. */
static void test_stats_url(void **state)
{
	PGconn *c = db();
	struct tk_run r;

	(void)state;
	PQclear(
	    PQexec(c, "CREATE TABLE stats_big AS SELECT g AS id FROM generate_series(1, 5000) g"));
	PQclear(PQexec(c, "ANALYZE stats_big"));
	assert_int_equal(tk_tmpdir_create("verify-stats"), 0);
	tk_write_file("m.sql", "CREATE INDEX stats_big_id_idx ON stats_big (id);\n");
	r = (struct tk_run){0, NULL};
	tk_sh(&r,
	      "%s -q --no-config --select require-concurrent-index-creation --stats-url '%s' m.sql",
	      DG_BINARY, conninfo);
	expect_output(
	    "--stats-url", r.out,
	    "m.sql:1:1: info[require-concurrent-index-creation] CREATE INDEX on \"stats_big\" "
	    "takes a SHARE lock: INSERT, UPDATE and DELETE on \"stats_big\" wait until the "
	    "whole index is built (stats_big: ~5.0K rows, 184.0 kB); on a table this small it "
	    "lasts milliseconds\n");
	tk_sh(&r, "%s --stats-url 'host=/nonexistent-socket-dir port=5' m.sql 2>&1; echo \"rc=$?\"",
	      DG_BINARY);
	assert_non_null(strstr(r.out, "--stats-url: connection to server on socket"));
	assert_non_null(strstr(r.out, "rc=2"));
	free(r.out);
	assert_int_equal(tk_tmpdir_remove(), 0);
	PQclear(PQexec(c, "DROP TABLE stats_big"));
	PQfinish(c);
}

/* Verify findings have stable fingerprints: a baseline written by one run hides them in the next.
 */
static void test_baseline(void **state)
{
	struct tk_run r = {0, NULL};

	(void)state;
	assert_int_equal(tk_tmpdir_create("verify-baseline"), 0);
	tk_sh(&r,
	      "cd %s && %s verify -q --no-config --database-url '%s' --write-baseline %s/b.json "
	      "goose-failing-up; echo \"rc=$?\"",
	      CASES, DG_BINARY, conninfo, tk_tmpdir);
	/* the findings are reported, and accepted: exit 0 */
	assert_non_null(strstr(r.out, "error[verify-up-failed]"));
	assert_non_null(strstr(r.out, "\nrc=0\n"));
	tk_sh(&r,
	      "cd %s && %s verify -q --no-config --database-url '%s' --baseline %s/b.json "
	      "goose-failing-up; echo \"rc=$?\"",
	      CASES, DG_BINARY, conninfo, tk_tmpdir);
	expect_output("--baseline", r.out, "rc=0\n");
	free(r.out);
	assert_int_equal(tk_tmpdir_remove(), 0);
}

static bool have_server_binaries(void)
{
	DIR *d = opendir("/usr/lib/postgresql");
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			char p[512];
			snprintf(p, sizeof(p), "/usr/lib/postgresql/%s/bin/initdb", e->d_name);
			found |= access(p, X_OK) == 0;
		}
	closedir(d);
	return found;
}

int main(void)
{
	conninfo = getenv("DG_PG_CONNINFO");
	if (conninfo && *conninfo) {
		struct CMUnitTest tests[N_CASES + 4];
		for (size_t i = 0; i < N_CASES; i++)
			tests[i] = (struct CMUnitTest){cases[i], test_case_database_url, NULL, NULL,
						       (void *)cases[i]};
		tests[N_CASES] =
		    (struct CMUnitTest){"no CREATEDB", test_no_createdb, NULL, NULL, NULL};
		tests[N_CASES + 1] =
		    (struct CMUnitTest){"--stats-url", test_stats_url, NULL, NULL, NULL};
		tests[N_CASES + 2] =
		    (struct CMUnitTest){"baseline", test_baseline, NULL, NULL, NULL};
		tests[N_CASES + 3] = (struct CMUnitTest){"server untouched", test_server_untouched,
							 NULL, NULL, NULL};
		return _cmocka_run_group_tests("verify --database-url", tests, N_CASES + 4,
					       sentinel_setup, NULL);
	}
	if (!have_server_binaries()) {
		const char *ci = getenv("CI");
		puts("SKIP: no PostgreSQL server binaries (install postgresql-15)");
		return ci && *ci && strcmp(ci, "false") != 0 ? 1 : 77;
	}
	{
		const struct CMUnitTest tests[] = {
		    cmocka_unit_test(test_all_cases_throwaway),
		    cmocka_unit_test(test_json_report),
		    cmocka_unit_test(test_rollback_plan_verified),
		    cmocka_unit_test(test_no_binaries),
		    cmocka_unit_test(test_server_fails_to_start),
		    cmocka_unit_test(test_unreachable_url),
		    cmocka_unit_test(test_sigterm_cleans_up),
		};
		return cmocka_run_group_tests_name("verify (throwaway cluster)", tests, NULL, NULL);
	}
}
