/* test_versions.c — rules whose verdict depends on the PostgreSQL version (--pg-version), and the
 * cross-statement constraint facts, through the library as the CLI calls it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ddlguard/ddlguard.h"

/* Lints `sql` at PostgreSQL `major`; returns how many findings `rule` has and copies the first
 * one's message into msg. */
static size_t lint(const char *sql, int major, const char *rule, char *msg, size_t n)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_result res;
	size_t count = 0;

	assert_non_null(cfg);
	assert_int_equal(dg_config_set_pg_version(cfg, major), DG_OK);
	assert_int_equal(dg_lint_buffer(cfg, "m.sql", sql, strlen(sql), &res), DG_OK);
	if (msg && n)
		msg[0] = '\0';
	for (size_t i = 0; i < res.n_findings; i++) {
		if (strcmp(res.findings[i].rule, rule) != 0)
			continue;
		if (count++ == 0 && msg)
			snprintf(msg, n, "%s", res.findings[i].message);
	}
	dg_result_clear(&res);
	dg_config_free(cfg);
	return count;
}

static void test_pg14_corruption_only_on_14(void **state)
{
	static const char sql[] = "CREATE INDEX CONCURRENTLY i ON t (a);\n"
				  "REINDEX INDEX CONCURRENTLY i;\n";
	static const char *const rule = "pg14-concurrent-index-corruption";
	char msg[1024];

	(void)state;
	for (int v = 11; v <= 18; v++)
		assert_int_equal(lint(sql, v, rule, NULL, 0), v == 14 ? 2 : 0);
	assert_int_equal(lint(sql, 14, rule, msg, sizeof(msg)), 2);
	assert_non_null(strstr(msg, "14.4"));
	assert_non_null(strstr(msg, "\"t\""));
}

static void test_attach_partition_parent_lock_by_version(void **state)
{
	static const char sql[] = "ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1);\n";
	static const char *const rule = "attach-partition-without-check";
	char msg[1024];

	(void)state;
	assert_int_equal(lint(sql, 11, rule, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "ACCESS EXCLUSIVE locks on \"c\" and on \"p\""));
	assert_null(strstr(msg, "SHARE UPDATE EXCLUSIVE"));
	for (int v = 12; v <= 18; v++) {
		assert_int_equal(lint(sql, v, rule, msg, sizeof(msg)), 1);
		assert_non_null(strstr(msg, "\"p\" itself only takes SHARE UPDATE EXCLUSIVE"));
	}
}

/* The constraint facts follow ADD / VALIDATE / DROP across statements and transactions. */
static void test_constraint_facts(void **state)
{
	static const char *const validate = "ban-validate-in-same-transaction";
	static const char *const attach = "attach-partition-without-check";

	(void)state;
	/* same block, next block, no block, same statement */
	assert_int_equal(lint("BEGIN; ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
			      "ALTER TABLE t VALIDATE CONSTRAINT c; COMMIT;",
			      15, validate, NULL, 0),
			 1);
	assert_int_equal(
	    lint("BEGIN; ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID; COMMIT;\n"
		 "BEGIN; ALTER TABLE t VALIDATE CONSTRAINT c; COMMIT;",
		 15, validate, NULL, 0),
	    0);
	assert_int_equal(lint("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
			      "ALTER TABLE t VALIDATE CONSTRAINT c;",
			      15, validate, NULL, 0),
			 0);
	assert_int_equal(lint("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID, "
			      "VALIDATE CONSTRAINT c;",
			      15, validate, NULL, 0),
			 1);
	/* another table, or a schema that differs */
	assert_int_equal(lint("BEGIN; ALTER TABLE a.t ADD CONSTRAINT c CHECK (x > 0) NOT VALID;\n"
			      "ALTER TABLE b.t VALIDATE CONSTRAINT c; ALTER TABLE u VALIDATE "
			      "CONSTRAINT c; COMMIT;",
			      15, validate, NULL, 0),
			 0);
	/* validated, dropped, added again NOT VALID: only the last state counts */
	assert_int_equal(lint("ALTER TABLE c1 ADD CONSTRAINT k CHECK (a = 1) NOT VALID;\n"
			      "ALTER TABLE c1 VALIDATE CONSTRAINT k;\n"
			      "ALTER TABLE p ATTACH PARTITION c1 FOR VALUES IN (1);\n"
			      "ALTER TABLE c1 DROP CONSTRAINT k;\n"
			      "ALTER TABLE p ATTACH PARTITION c1 FOR VALUES IN (1);\n"
			      "ALTER TABLE c1 ADD CONSTRAINT k CHECK (a = 1) NOT VALID;\n"
			      "ALTER TABLE p ATTACH PARTITION c1 FOR VALUES IN (1);\n",
			      15, attach, NULL, 0),
			 2);
	/* a validated FOREIGN KEY or UNIQUE is not a CHECK */
	assert_int_equal(lint("ALTER TABLE c1 ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES x (id);\n"
			      "ALTER TABLE c1 ADD CONSTRAINT u UNIQUE (a);\n"
			      "ALTER TABLE p ATTACH PARTITION c1 FOR VALUES IN (1);\n",
			      15, attach, NULL, 0),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pg14_corruption_only_on_14),
	    cmocka_unit_test(test_attach_partition_parent_lock_by_version),
	    cmocka_unit_test(test_constraint_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
