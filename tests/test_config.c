/* test_config.c — .ddlguard.yaml: errors point at file:line:col with the closest valid name,
 * settings apply under the command line's, and the CLI finds, excludes and fails as told. */
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

static int setup(void **state)
{
	(void)state;
	if (tk_tmpdir_create("config") != 0)
		return -1;
	tk_mkdir("db");
	tk_mkdir("db/legacy");
	tk_mkdir("other");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tk_tmpdir_remove();
}

/* Loads `yaml` from a file and returns the error ("" when it loads), without the directory. */
static char err[1024];

static const char *load_error(const char *yaml)
{
	char path[512];
	struct dg_config_file *f = NULL;
	char *e = NULL;
	enum dg_status st;

	tk_write_file("c.yaml", yaml);
	snprintf(path, sizeof(path), "%s/c.yaml", tk_tmpdir);
	st = dg_config_file_load(path, &f, &e);
	err[0] = '\0';
	if (st == DG_OK) {
		assert_non_null(f);
		assert_null(e);
	} else {
		assert_null(f);
		assert_non_null(e);
		assert_int_equal(strncmp(e, path, strlen(path)), 0);
		snprintf(err, sizeof(err), "%s", e + strlen(tk_tmpdir) + 1);
	}
	dg_config_file_free(f);
	free(e);
	return err;
}

static void test_errors_point_at_the_line(void **state)
{
	(void)state;
	assert_string_equal(load_error(""), "");
	assert_string_equal(
	    load_error("pg_version: 14\nrules:\n  renaming-column: {enabled: false}\n"), "");
	assert_string_equal(load_error("# settings\npg_version: 14\npg_verison: 13\n"),
			    "c.yaml:3:1: unknown key 'pg_verison' (did you mean 'pg_version'?)");
	assert_string_equal(
	    load_error("rules:\n  renaming-column: {enabled: false}\n"
		       "  require-concurent-index-creation:\n    severity: error\n"),
	    "c.yaml:3:3: unknown rule 'require-concurent-index-creation' (did you "
	    "mean 'require-concurrent-index-creation'?)");
	assert_string_equal(load_error("rules:\n  renaming-column:\n    severty: error\n"),
			    "c.yaml:3:5: unknown key 'severty' (did you mean 'severity'?)");
	assert_string_equal(load_error("rules:\n  renaming-column:\n    severity: fatal\n"),
			    "c.yaml:3:15: 'severity' takes error, warning or info, not 'fatal'");
	assert_string_equal(
	    load_error("rules:\n  no-such-thing-at-all: false\n"),
	    "c.yaml:2:3: unknown rule 'no-such-thing-at-all' (see ddlguard --list-rules)");
	assert_string_equal(load_error("renaming-column: false\n"),
			    "c.yaml:1:1: unknown key 'renaming-column': rules go under 'rules:'");
	assert_string_equal(load_error("pg_version: 9\n"),
			    "c.yaml:1:13: 'pg_version' takes a major version from 11 to 18");
	assert_string_equal(load_error("\nfail_on: warnings\n"),
			    "c.yaml:2:10: 'fail_on' takes error, warning, info or never");
	assert_string_equal(load_error("assume_in_transaction: maybe\n"),
			    "c.yaml:1:24: 'assume_in_transaction' takes true or false");
	assert_string_equal(
	    load_error("migration_format: dbmat\n"),
	    "c.yaml:1:19: unknown migration format 'dbmat' (did you mean 'dbmate'?)");
	assert_string_equal(load_error("- a\n- b\n"),
			    "c.yaml:1:1: the configuration must be a mapping of keys to values");
	assert_string_equal(load_error("rules:\n  renaming-column: [1\n"),
			    "c.yaml:3:1: not valid YAML: did not find expected ',' or ']'");
}

static void test_apply_under_the_command_line(void **state)
{
	struct dg_config *cfg = dg_config_new(), *eff;
	tk_quiet_noise(cfg);
	struct dg_config_file *f;
	struct dg_result res;
	char path[512], *e = NULL;
	const char *sql = "CREATE INDEX i ON t (a);\nALTER TABLE t RENAME COLUMN a TO b;\n";

	(void)state;
	tk_write_file("c.yaml", "rules:\n  renaming-column: off\n"
				"  require-concurrent-index-creation: {severity: error}\n"
				"  constraint-missing-not-valid: info\n");
	snprintf(path, sizeof(path), "%s/c.yaml", tk_tmpdir);
	assert_int_equal(dg_config_file_load(path, &f, &e), DG_OK);

	eff = dg_config_clone(cfg);
	dg_config_file_apply(f, eff);
	assert_int_equal(dg_lint_buffer(eff, "m.sql", sql, strlen(sql), &res), DG_OK);
	assert_int_equal(res.n_findings, 1);
	assert_string_equal(res.findings[0].rule, "require-concurrent-index-creation");
	assert_int_equal(res.findings[0].severity, DG_ERROR);
	dg_result_clear(&res);
	dg_config_free(eff);

	/* what the command line set stays */
	assert_int_equal(dg_config_set_rule_enabled(cfg, "renaming-column", true), DG_OK);
	assert_int_equal(
	    dg_config_set_rule_severity(cfg, "require-concurrent-index-creation", DG_INFO), DG_OK);
	eff = dg_config_clone(cfg);
	dg_config_file_apply(f, eff);
	assert_int_equal(dg_lint_buffer(eff, "m.sql", sql, strlen(sql), &res), DG_OK);
	assert_int_equal(res.n_findings, 2);
	assert_int_equal(res.findings[0].severity, DG_INFO);
	assert_string_equal(res.findings[1].rule, "renaming-column");
	dg_result_clear(&res);
	dg_config_free(eff);

	assert_int_equal(dg_config_set_rule_severity(cfg, "no-such-rule", DG_INFO), DG_ERR_USAGE);
	assert_int_equal(dg_config_set_migration_format(cfg, "nope"), DG_ERR_USAGE);
	assert_int_equal(dg_config_set_migration_format(cfg, "auto"), DG_OK);
	dg_config_file_free(f);
	dg_config_free(cfg);
}

static void test_migration_format_forced(void **state)
{
	struct dg_config *cfg = dg_config_new();
	tk_quiet_noise(cfg);
	struct dg_result res;
	const char *sql = "-- migrate:up\nCREATE INDEX i ON t (a);\n";

	(void)state;
	assert_int_equal(dg_lint_buffer(cfg, "m.sql", sql, strlen(sql), &res), DG_OK);
	assert_string_equal(res.format, "dbmate");
	dg_result_clear(&res);
	assert_int_equal(dg_config_set_migration_format(cfg, "plain"), DG_OK);
	assert_int_equal(dg_lint_buffer(cfg, "m.sql", sql, strlen(sql), &res), DG_OK);
	assert_string_equal(res.format, "plain");
	dg_result_clear(&res);
	dg_config_free(cfg);
}

static struct tk_run r;

/* Runs `ddlguard ARGS` in the temporary directory into r; rules that would fire on these small
 * files besides the ones under test stay off. */
#define run(...) tk_sh(&r, DG_BINARY " " TK_TIMEOUT_FLAGS " " __VA_ARGS__)

static void test_cli(void **state)
{
	(void)state;
	tk_write_file("db/1.sql", "CREATE INDEX i ON t (a);\n");
	tk_write_file("db/legacy/0.sql", "ALTER TABLE t RENAME COLUMN a TO b;\n");
	tk_write_file("db/2_seed.sql", "ALTER TABLE t RENAME COLUMN a TO b;\n");
	tk_write_file("other/3.sql", "CREATE INDEX i ON t (a);\n");

	/* no configuration anywhere up the tree */
	run("--format gcc db other");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "db/legacy/0.sql:1:1"));

	tk_write_file(".ddlguard.yaml",
		      "fail_on: error\nexclude:\n  - db/legacy\n  - \"*_seed.sql\"\n"
		      "rules:\n  require-concurrent-index-creation: {severity: info}\n");
	run("--format gcc db other");
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "legacy"));
	assert_null(strstr(r.out, "seed"));
	assert_non_null(strstr(r.out, "db/1.sql:1:1: note: "));
	assert_non_null(strstr(r.out, "other/3.sql:1:1: note: "));
	/* found from a subdirectory too, and the command line wins */
	run("--format gcc --fail-on info db/1.sql");
	assert_int_equal(r.status, 1);
	/* a nearer file takes over for its subtree */
	tk_write_file("other/.ddlguard.yaml",
		      "rules:\n  require-concurrent-index-creation: false\n");
	run("--format gcc db other");
	assert_null(strstr(r.out, "other/3.sql"));
	assert_non_null(strstr(r.out, "db/1.sql:1:1: note: "));
	/* --no-config and --config */
	run("--format gcc --no-config other");
	assert_non_null(strstr(r.out, "other/3.sql:1:1: warning: "));
	tk_write_file("strict.yaml", "rules:\n  require-concurrent-index-creation: error\n");
	run("--format gcc --config strict.yaml other db/legacy");
	assert_non_null(strstr(r.out, "other/3.sql:1:1: error: "));
	assert_non_null(strstr(r.out, "db/legacy/0.sql:1:1: warning: "));
	/* a broken configuration is a usage error with its position, before any report */
	tk_write_file("other/.ddlguard.yaml", "rulez:\n  x: 1\n");
	run("--format json db other 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(
	    strstr(r.out, "other/.ddlguard.yaml:1:1: unknown key 'rulez' (did you mean 'rules'?)"));
	assert_null(strstr(r.out, "findings"));
	run("--config missing.yaml db 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "missing.yaml"));
}

/* directories: a glob names the runner and transaction mode of the files under it; the summary
 * asks for it while a directory's transaction mode is unknown, and stops once it is said. */
static void test_directories(void **state)
{
	(void)state;
	tk_mkdir("scripts");
	tk_write_file("scripts/1.sql", "CREATE INDEX CONCURRENTLY i ON t (a);\n"
				       "CREATE INDEX CONCURRENTLY j ON t (b);\n");
	tk_write_file(".ddlguard.yaml", "fail_on: error\n");
	run("--format json scripts");
	assert_non_null(strstr(r.out, "\"unknown_transaction\":[{\"directory\":\"scripts\""));
	assert_non_null(strstr(r.out, "directories: {\\\"scripts\\\": {transaction: none}}"));
	assert_null(strstr(r.out, "ban-concurrent-index-creation-in-transaction"));
	run("--summary --format text scripts");
	assert_non_null(strstr(r.out, "scripts: 1 file read as plain SQL"));
	/* wrapped: the tool runs the file in one transaction, where CONCURRENTLY fails */
	tk_write_file(".ddlguard.yaml",
		      "fail_on: error\ndirectories:\n  scripts: {transaction: wrapped}\n");
	run("--format json scripts");
	assert_non_null(strstr(r.out, "\"unknown_transaction\":[]"));
	assert_non_null(strstr(r.out, "ban-concurrent-index-creation-in-transaction"));
	/* a runner by name; files outside the glob keep the defaults */
	tk_write_file(".ddlguard.yaml", "directories:\n  \"scr*\": {migration_format: dbmate}\n");
	tk_mkdir("elsewhere");
	tk_write_file("elsewhere/4.sql", "SELECT 1;\n");
	run("--format json scripts elsewhere");
	assert_non_null(
	    strstr(r.out, "\"path\":\"scripts/1.sql\",\"migration_format\":\"dbmate\""));
	assert_non_null(
	    strstr(r.out, "\"path\":\"elsewhere/4.sql\",\"migration_format\":\"plain\""));
	/* version folders are one migration root: one line of the summary, and the line it
	 * gives covers every folder */
	tk_write_file(".ddlguard.yaml", "fail_on: error\n");
	tk_mkdir("schema");
	tk_mkdir("schema/v1.2");
	tk_mkdir("schema/v1.10");
	tk_write_file("schema/v1.2/001_a.sql", "SELECT 1;\n");
	tk_write_file("schema/v1.10/001_b.sql", "SELECT 1;\n");
	run("--summary --format text schema");
	assert_non_null(strstr(r.out, "schema: 2 files read as plain SQL"));
	assert_null(strstr(r.out, "v1.2: "));
	tk_write_file(".ddlguard.yaml",
		      "fail_on: error\ndirectories:\n  schema: {transaction: wrapped}\n");
	run("--summary --format text schema");
	assert_null(strstr(r.out, "read as plain SQL"));
	/* bad entries point at their line */
	assert_string_equal(
	    load_error("directories:\n  db: {transaction: sometimes}\n"),
	    "c.yaml:2:21: 'transaction' takes wrapped (each file in one transaction), "
	    "none (each statement on its own) or implicit (each file as one query "
	    "string)");
	assert_non_null(strstr(load_error("directories:\n  db: {migration_fromat: sqlx}\n"),
			       "did you mean 'migration_format'"));
	tk_write_file(".ddlguard.yaml", ""); /* an empty configuration: the defaults again */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_errors_point_at_the_line),
	    cmocka_unit_test(test_apply_under_the_command_line),
	    cmocka_unit_test(test_migration_format_forced),
	    cmocka_unit_test(test_directories),
	    cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
