/* test_messages.c — what findings claim: the lock that makes a statement wait, the table (not
 * the index) that traffic queues on, whether a scan happens at all. Positions are the fixtures'
 * business; these check the words a user acts on. */
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

/* The message of the only finding of `rule` for `sql` linted as the plain file m.sql, into buf
 * ("" when none). Fails the test on more than one. */
static const char *message(const char *rule, const char *sql, char *buf, size_t size)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_result res;
	size_t n = 0;

	buf[0] = '\0';
	dg_config_set_all_rules_enabled(cfg, false);
	assert_int_equal(dg_config_set_rule_enabled(cfg, rule, true), DG_OK);
	assert_int_equal(dg_lint_buffer(cfg, "m.sql", sql, strlen(sql), &res), DG_OK);
	for (size_t i = 0; i < res.n_findings; i++)
		if (strcmp(res.findings[i].rule, rule) == 0) {
			snprintf(buf, size, "%s", res.findings[i].message);
			n++;
		}
	assert_true(n <= 1);
	dg_result_clear(&res);
	dg_config_free(cfg);
	return buf;
}

static void assert_has(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" lacks \"%s\"", text, part);
}

static void assert_lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("\"%s\" should not say \"%s\"", text, part);
}

/* DROP INDEX locks the index's table, whose name the statement does not give: the message must
 * not say reads and writes queue "on" the index. */
static void test_index_table_not_named_as_index(void **state)
{
	char m[2048];

	(void)state;
	message("require-lock-timeout", "DROP INDEX users_email_idx;\n", m, sizeof(m));
	assert_has(m, "the table of index \"users_email_idx\"");
	assert_has(m, "queues behind it");
	assert_lacks(m, "on \"users_email_idx\" queues");
	message("statements-after-access-exclusive",
		"BEGIN;\nDROP INDEX users_email_idx;\nSELECT 1;\nCOMMIT;\n", m, sizeof(m));
	assert_has(m, "the table of index \"users_email_idx\"");
	assert_lacks(m, "on \"users_email_idx\" waits");
}

/* Only a conflicting lock makes a statement wait: CREATE INDEX (SHARE) waits for writers, not
 * for a long SELECT; ACCESS EXCLUSIVE waits for anything. */
static void test_lock_timeout_names_what_it_waits_for(void **state)
{
	char m[2048];

	(void)state;
	message("require-lock-timeout", "CREATE INDEX i ON t (a);\n", m, sizeof(m));
	assert_has(m, "SHARE lock on \"t\"");
	assert_lacks(m, "any lock");
	assert_has(m, "uncommitted write");
	message("require-lock-timeout", "ALTER TABLE t ADD COLUMN b int;\n", m, sizeof(m));
	assert_has(m, "ACCESS EXCLUSIVE lock on \"t\"");
	assert_has(m, "any lock on it");
}

/* A foreign key added next to a subcommand that takes ACCESS EXCLUSIVE (DROP CONSTRAINT, ADD
 * COLUMN) blocks reads too, not only writes. */
static void test_foreign_key_states_the_table_lock(void **state)
{
	char m[2048];

	(void)state;
	message("constraint-missing-not-valid",
		"ALTER TABLE o ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES u (id);\n", m,
		sizeof(m));
	assert_has(m, "SHARE ROW EXCLUSIVE locks on \"o\" and \"u\"");
	message("constraint-missing-not-valid",
		"ALTER TABLE o DROP CONSTRAINT f, ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES u "
		"(id);\n",
		m, sizeof(m));
	assert_has(m, "ACCESS EXCLUSIVE on \"o\" (all reads and writes wait)");
	message("constraint-missing-not-valid",
		"ALTER TABLE o ADD CONSTRAINT f FOREIGN KEY (parent) REFERENCES o (id);\n", m,
		sizeof(m));
	assert_has(m, "SHARE ROW EXCLUSIVE lock on it");
}

/* DROP TABLE removes its foreign keys' triggers: ACCESS EXCLUSIVE on the referenced tables. */
static void test_drop_table_names_referenced_tables(void **state)
{
	char m[2048];

	(void)state;
	message("ban-drop-table", "DROP TABLE orders;\n", m, sizeof(m));
	assert_has(m, "every table its foreign keys reference");
	message("ban-drop-table",
		"ALTER TABLE orders ADD CONSTRAINT o_u FOREIGN KEY (u) REFERENCES users (id);\n"
		"DROP TABLE orders;\n",
		m, sizeof(m));
	assert_has(m, "also covers \"users\" (referenced by its foreign keys)");
}

/* A table an earlier migration created without foreign keys: the drop locks only that table,
 * so the message does not hedge about referenced tables; one with keys names them. */
static void test_drop_table_known_without_keys(void **state)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_catalog *cat = dg_catalog_new();
	struct dg_result res;
	const char *first = "CREATE TABLE audit (id bigint PRIMARY KEY);\n"
			    "CREATE TABLE users (id bigint PRIMARY KEY);\n"
			    "CREATE TABLE orders (id bigint, u bigint REFERENCES users (id));\n";
	const char *second = "DROP TABLE audit;\nDROP TABLE orders;\n";
	size_t seen = 0;

	(void)state;
	dg_config_set_all_rules_enabled(cfg, false);
	assert_int_equal(dg_config_set_rule_enabled(cfg, "ban-drop-table", true), DG_OK);
	assert_int_equal(
	    dg_lint_buffer_with(cfg, cat, "db/001_a.up.sql", first, strlen(first), &res), DG_OK);
	dg_result_clear(&res);
	assert_int_equal(
	    dg_lint_buffer_with(cfg, cat, "db/002_b.up.sql", second, strlen(second), &res), DG_OK);
	for (size_t i = 0; i < res.n_findings; i++) {
		const char *m = res.findings[i].message;
		if (strstr(m, "\"audit\"")) {
			assert_lacks(m, "foreign keys");
			assert_has(m, "under an ACCESS EXCLUSIVE lock; every running");
			seen++;
		} else if (strstr(m, "\"orders\"")) {
			assert_has(m, "also covers \"users\" (referenced by its foreign keys)");
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	dg_result_clear(&res);
	dg_catalog_free(cat);
	dg_config_free(cfg);
}

/* A CREATE TABLE in syntax the PostgreSQL 15 grammar lacks (PG 16 allows a subquery in FROM
 * without an alias) still makes a new table: no claim that indexing it blocks anyone. */
static void test_unparsable_create_table_is_still_new(void **state)
{
	char m[2048];

	(void)state;
	message("require-concurrent-index-creation",
		"CREATE TABLE Public.\"Actions\" AS SELECT * FROM (SELECT 1 AS a);\n"
		"CREATE INDEX actions_a_idx ON public.\"Actions\" (a);\n",
		m, sizeof(m));
	assert_string_equal(m, "");
	message("constraint-missing-not-valid",
		"CREATE UNLOGGED TABLE IF NOT EXISTS acts AS SELECT * FROM (SELECT 1 AS a);\n"
		"ALTER TABLE acts ADD CONSTRAINT a_pos CHECK (a > 0);\n",
		m, sizeof(m));
	assert_string_equal(m, "");
	/* a table of another name, or the index before the failing CREATE, is not new */
	message("require-concurrent-index-creation",
		"CREATE INDEX early_idx ON acts (a);\n"
		"CREATE TABLE acts AS SELECT * FROM (SELECT 1 AS a);\n",
		m, sizeof(m));
	assert_has(m, "SHARE lock");
	message("require-concurrent-index-creation",
		"CREATE TABLE acts AS SELECT * FROM (SELECT 1 AS a);\n"
		"CREATE INDEX other_idx ON other (a);\n",
		m, sizeof(m));
	assert_has(m, "SHARE lock");
}

/* The DDL's locks are held with the backfill's row locks only when both share a transaction. */
static void test_backfill_names_locks_of_its_own_transaction(void **state)
{
	char m[2048];

	(void)state;
	message("unbatched-backfill",
		"BEGIN;\nALTER TABLE t ADD COLUMN b int;\nUPDATE t SET b = 1;\nCOMMIT;\n", m,
		sizeof(m));
	assert_has(m, "as do the locks its DDL took");
	message("unbatched-backfill",
		"BEGIN;\nALTER TABLE t ADD COLUMN b int;\nCOMMIT;\nBEGIN;\nUPDATE t SET b = 1;\n"
		"COMMIT;\n",
		m, sizeof(m));
	assert_has(m, "stays locked until the transaction ends,");
	assert_lacks(m, "DDL took");
}

/* The help of one finding of `rule` for `sql`, with `other` enabled or not. */
static void help_of(const char *rule, const char *other, bool other_on, const char *sql, char *buf,
		    size_t size)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_result res;

	buf[0] = '\0';
	dg_config_set_all_rules_enabled(cfg, false);
	assert_int_equal(dg_config_set_rule_enabled(cfg, rule, true), DG_OK);
	assert_int_equal(dg_config_set_rule_enabled(cfg, other, other_on), DG_OK);
	assert_int_equal(dg_lint_buffer(cfg, "m.sql", sql, strlen(sql), &res), DG_OK);
	for (size_t i = 0; i < res.n_findings; i++)
		if (strcmp(res.findings[i].rule, rule) == 0 && res.findings[i].help)
			snprintf(buf, size, "%s", res.findings[i].help);
	dg_result_clear(&res);
	dg_config_free(cfg);
}

/* require-statement-timeout defers to require-lock-timeout at the same statement: that finding's
 * help says to set statement_timeout too — only when the statement scans or rewrites, and only
 * while require-statement-timeout is enabled. */
static void test_lock_timeout_help_carries_statement_timeout(void **state)
{
	char h[2048];

	(void)state;
	help_of("require-lock-timeout", "require-statement-timeout", true,
		"ALTER TABLE orders ALTER COLUMN status SET NOT NULL;\n", h, sizeof(h));
	assert_has(h, "statement_timeout");
	help_of("require-lock-timeout", "require-statement-timeout", false,
		"ALTER TABLE orders ALTER COLUMN status SET NOT NULL;\n", h, sizeof(h));
	assert_lacks(h, "statement_timeout");
	help_of("require-lock-timeout", "require-statement-timeout", true,
		"ALTER TABLE orders ADD COLUMN note text;\n", h, sizeof(h));
	assert_has(h, "lock_timeout");
	assert_lacks(h, "statement_timeout");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_index_table_not_named_as_index),
	    cmocka_unit_test(test_lock_timeout_names_what_it_waits_for),
	    cmocka_unit_test(test_foreign_key_states_the_table_lock),
	    cmocka_unit_test(test_drop_table_names_referenced_tables),
	    cmocka_unit_test(test_drop_table_known_without_keys),
	    cmocka_unit_test(test_unparsable_create_table_is_still_new),
	    cmocka_unit_test(test_backfill_names_locks_of_its_own_transaction),
	    cmocka_unit_test(test_lock_timeout_help_carries_statement_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
