/* test_locks.c — the lock model without a server: version-dependent answers (the server test
 * runs PostgreSQL 15 only), the conflict table's shape, history-based claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ddlguard/ddlguard.h"
#include "locks.h"

/* The model's rows for the last statement of `sql` on version `pg`. */
static struct dg_lock_report report(const char *sql, int pg)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_lock_report rep;

	assert_int_equal(dg_config_set_pg_version(cfg, pg), DG_OK);
	assert_int_equal(dg_locks_buffer(cfg, "t.sql", sql, strlen(sql), &rep), DG_OK);
	dg_config_free(cfg);
	assert_true(rep.n_stmts > 0);
	return rep;
}

static const struct dg_lock_row *row(const struct dg_lock_report *rep, const char *rel)
{
	const struct dg_stmt_locks *s = &rep->stmts[rep->n_stmts - 1];

	for (size_t i = 0; i < s->n_rows; i++)
		if (strcmp(s->rows[i].relation, rel) == 0)
			return &s->rows[i];
	fail_msg("no row for %s", rel);
	return NULL;
}

static const struct dg_stmt_locks *last(const struct dg_lock_report *rep)
{
	return &rep->stmts[rep->n_stmts - 1];
}

static void test_conflict_table(void **state)
{
	(void)state;
	for (int a = DG_LOCK_ACCESS_SHARE; a <= DG_LOCK_ACCESS_EXCLUSIVE; a++) {
		for (int b = DG_LOCK_ACCESS_SHARE; b <= DG_LOCK_ACCESS_EXCLUSIVE; b++)
			assert_int_equal(dg_lock_conflicts(a, b), dg_lock_conflicts(b, a));
		assert_true(dg_lock_conflicts(a, DG_LOCK_ACCESS_EXCLUSIVE));
		assert_false(dg_lock_conflicts(a, DG_LOCK_NONE));
		assert_int_equal(dg_lock_blocks_reads(a), a == DG_LOCK_ACCESS_EXCLUSIVE);
		assert_int_equal(dg_lock_blocks_writes(a), a >= DG_LOCK_SHARE);
		assert_int_equal(dg_lock_mode_from_pg("AccessExclusiveLock"),
				 DG_LOCK_ACCESS_EXCLUSIVE);
	}
	/* self-conflicting modes: from SHARE UPDATE EXCLUSIVE up, except SHARE */
	assert_false(dg_lock_conflicts(DG_LOCK_SHARE, DG_LOCK_SHARE));
	assert_true(
	    dg_lock_conflicts(DG_LOCK_SHARE_UPDATE_EXCLUSIVE, DG_LOCK_SHARE_UPDATE_EXCLUSIVE));
	assert_false(dg_lock_conflicts(DG_LOCK_ROW_EXCLUSIVE, DG_LOCK_ROW_EXCLUSIVE));
	assert_string_equal(dg_lock_mode_name(DG_LOCK_SHARE_ROW_EXCLUSIVE), "SHARE ROW EXCLUSIVE");
}

static void test_versions(void **state)
{
	struct dg_lock_report r;

	(void)state;
	/* ATTACH PARTITION: SHARE UPDATE EXCLUSIVE on the parent from 12 */
	r = report("ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1);", 11);
	assert_string_equal(row(&r, "p")->mode, "ACCESS EXCLUSIVE");
	assert_string_equal(row(&r, "p1")->mode, "ACCESS EXCLUSIVE");
	assert_true(row(&r, "p1")->scan);
	dg_lock_report_clear(&r);
	r = report("ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1);", 12);
	assert_string_equal(row(&r, "p")->mode, "SHARE UPDATE EXCLUSIVE");
	assert_string_equal(row(&r, "p")->role, "parent");
	dg_lock_report_clear(&r);
	/* REINDEX CONCURRENTLY from 12, DETACH … CONCURRENTLY from 14 */
	r = report("REINDEX TABLE CONCURRENTLY t;", 11);
	assert_non_null(last(&r)->unsupported);
	assert_true(last(&r)->no_transaction);
	dg_lock_report_clear(&r);
	r = report("REINDEX TABLE CONCURRENTLY t;", 12);
	assert_null(last(&r)->unsupported);
	dg_lock_report_clear(&r);
	r = report("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;", 13);
	assert_non_null(last(&r)->unsupported);
	dg_lock_report_clear(&r);
	r = report("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;", 14);
	assert_null(last(&r)->unsupported);
	assert_string_equal(row(&r, "p")->mode, "SHARE UPDATE EXCLUSIVE");
	dg_lock_report_clear(&r);
	/* ALTER TYPE … ADD VALUE inside a transaction block from 12 */
	r = report("ALTER TYPE mood ADD VALUE 'c';", 11);
	assert_true(last(&r)->no_transaction);
	dg_lock_report_clear(&r);
	r = report("ALTER TYPE mood ADD VALUE 'c';", 12);
	assert_false(last(&r)->no_transaction);
	dg_lock_report_clear(&r);
	/* ALTER INDEX RENAME: SHARE UPDATE EXCLUSIVE from 12 */
	r = report("ALTER INDEX i RENAME TO j;", 11);
	assert_string_equal(row(&r, "i")->mode, "ACCESS EXCLUSIVE");
	dg_lock_report_clear(&r);
}

static void test_defaults_and_types(void **state)
{
	static const struct {
		const char *sql;
		bool rewrite;
	} cases[] = {
	    {"ALTER TABLE t ADD COLUMN a timestamptz DEFAULT now();", false},
	    {"ALTER TABLE t ADD COLUMN a timestamptz DEFAULT CURRENT_TIMESTAMP;", false},
	    {"ALTER TABLE t ADD COLUMN a bigint DEFAULT txid_current();", false},
	    {"ALTER TABLE t ADD COLUMN a uuid DEFAULT gen_random_uuid();", true},
	    {"ALTER TABLE t ADD COLUMN a uuid DEFAULT public.uuid_generate_v4();", true},
	    {"ALTER TABLE t ADD COLUMN a float8 DEFAULT (random() * 10);", true},
	    {"ALTER TABLE t ADD COLUMN a bigserial;", true},
	    {"CREATE TABLE t (a varchar(10));\nALTER TABLE t ALTER COLUMN a TYPE varchar(20);",
	     false},
	    {"CREATE TABLE t (a varchar(10));\nALTER TABLE t ALTER COLUMN a TYPE varchar(5);",
	     true},
	    {"CREATE TABLE t (a numeric(8, 2));\nALTER TABLE t ALTER COLUMN a TYPE numeric(9, 2);",
	     false},
	    {"CREATE TABLE t (a numeric(8, 2));\nALTER TABLE t ALTER COLUMN a TYPE numeric(9, 3);",
	     true},
	    {"CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE text;", true},
	    {"CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;", true},
	    /* old type unknown: a rewrite, with a note on what it depends on (see below) */
	    {"ALTER TABLE t ALTER COLUMN a TYPE text;", true},
	    {"ALTER TABLE t ALTER COLUMN a TYPE varchar(30);", true},
	    /* two free changes in one statement, then one that rewrites */
	    {"CREATE TABLE t (a varchar(10), b varchar(10));\n"
	     "ALTER TABLE t ALTER COLUMN a TYPE text, ALTER COLUMN b TYPE text;",
	     false},
	    {"CREATE TABLE t (a varchar(10), b int);\n"
	     "ALTER TABLE t ALTER COLUMN a TYPE text, ALTER COLUMN b TYPE text;",
	     true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dg_lock_report r = report(cases[i].sql, 15);
		if (row(&r, "t")->rewrite != cases[i].rewrite)
			fail_msg("%s: rewrite should be %d", cases[i].sql, cases[i].rewrite);
		assert_string_equal(row(&r, "t")->mode, "ACCESS EXCLUSIVE");
		dg_lock_report_clear(&r);
	}
	/* a claim that depends on what the file does not say is never stated as a fact */
	struct dg_lock_report r = report("ALTER TABLE t ALTER COLUMN a TYPE text;", 15);
	assert_non_null(row(&r, "t")->note);
	assert_non_null(strstr(row(&r, "t")->note, "unknown"));
	dg_lock_report_clear(&r);
}

static void test_strongest_wins(void **state)
{
	struct dg_lock_report r;

	(void)state;
	r = report("ALTER TABLE t SET (fillfactor = 70), CLUSTER ON i;", 15);
	assert_string_equal(row(&r, "t")->mode, "SHARE UPDATE EXCLUSIVE");
	dg_lock_report_clear(&r);
	r = report("ALTER TABLE t SET (fillfactor = 70), ADD CONSTRAINT f FOREIGN KEY (a) "
		   "REFERENCES u (id) NOT VALID;",
		   15);
	assert_string_equal(row(&r, "t")->mode, "SHARE ROW EXCLUSIVE");
	assert_false(row(&r, "t")->scan);
	assert_string_equal(row(&r, "u")->role, "referenced");
	dg_lock_report_clear(&r);
	r = report("ALTER TABLE t ENABLE TRIGGER x, DROP COLUMN y;", 15);
	assert_string_equal(row(&r, "t")->mode, "ACCESS EXCLUSIVE");
	dg_lock_report_clear(&r);
	/* the FK target of VALIDATE comes from the file's history */
	r = report("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\n"
		   "ALTER TABLE t VALIDATE CONSTRAINT f;",
		   15);
	assert_string_equal(row(&r, "u")->mode, "ROW SHARE");
	assert_string_equal(row(&r, "t")->mode, "SHARE UPDATE EXCLUSIVE");
	assert_true(row(&r, "t")->scan);
	dg_lock_report_clear(&r);
	/* DROP INDEX names only the index: its table is reported as such */
	r = report("DROP INDEX s.i;", 15);
	assert_string_equal(row(&r, "(table of index s.i)")->mode, "ACCESS EXCLUSIVE");
	dg_lock_report_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conflict_table),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_defaults_and_types),
	    cmocka_unit_test(test_strongest_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
