/* test_locks.c — the lock model without a server: version-dependent answers (the server test
 * runs PostgreSQL 15 only), the conflict table's shape, history-based claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* The claims issue-by-issue with the schema made by an earlier migration of the same directory
 * (schema memory), and for the same statement alone: "rel=MODE[+rewrite][+scan][!reads][!writes]"
 * for every row, space-separated, in order; and the failure, if any. The server test
 * (tests/pg) proves each against PostgreSQL; these keep the model's answers in place. */
static const char earlier[] =
    "CREATE TABLE parent_t (id int PRIMARY KEY);\n"
    "CREATE TABLE t (id int PRIMARY KEY, name varchar(50), n numeric(10,2), c int, ts timestamp,\n"
    "  parent_id int, CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent_t (id));\n"
    "CREATE INDEX t_name_idx ON t (name);\n"
    "ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL);\n"
    "CREATE TABLE p (id int, created date) PARTITION BY RANGE (created);\n"
    "CREATE TABLE p_2024 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
    "CREATE TABLE p_def PARTITION OF p DEFAULT;\n"
    "CREATE TABLE p_2025 (id int, created date);\n"
    "ALTER TABLE p_2025 ADD CONSTRAINT p_2025_bound CHECK (created >= '2025-01-01' AND "
    "created < '2026-01-01');\n"
    "CREATE TABLE src (id int, v text);\n"
    "CREATE MATERIALIZED VIEW mv AS SELECT id, v FROM src;\n";

static void describe_rows(const struct dg_stmt_locks *s, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < s->n_rows && n < size; k++) {
		const struct dg_lock_row *r = &s->rows[k];
		n += (size_t)snprintf(
		    buf + n, size - n, "%s%s=%s%s%s%s%s", k ? " " : "", r->relation,
		    r->mode ? r->mode : "-", r->rewrite ? "+rewrite" : "", r->scan ? "+scan" : "",
		    r->blocks_reads ? "!reads" : "", r->blocks_writes ? "!writes" : "");
	}
}

static void test_with_memory(void **state)
{
	static const struct {
		const char *sql;
		const char *memory; /* the rows with the earlier migration */
		const char *fails;  /* with it, or NULL */
	} cases[] = {
	    {"REINDEX TABLE t;",
	     "t=SHARE+scan!reads!writes t_pkey=ACCESS EXCLUSIVE+rewrite!reads!writes "
	     "t_name_idx=ACCESS EXCLUSIVE+rewrite!reads!writes",
	     NULL},
	    {"REINDEX INDEX t_name_idx;",
	     "t=SHARE+scan!reads!writes t_name_idx=ACCESS EXCLUSIVE+rewrite!reads!writes", NULL},
	    {"ALTER TABLE t ALTER COLUMN name TYPE varchar(100);",
	     "t=ACCESS EXCLUSIVE!reads!writes", NULL},
	    {"ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2);", "t=ACCESS EXCLUSIVE!reads!writes",
	     NULL},
	    {"ALTER TABLE t ALTER COLUMN c TYPE text;",
	     "t=ACCESS EXCLUSIVE+rewrite+scan!reads!writes", NULL},
	    {"SET TimeZone = 'UTC';\nALTER TABLE t ALTER COLUMN ts TYPE timestamptz;",
	     "t=ACCESS EXCLUSIVE!reads!writes", NULL},
	    {"ALTER TABLE t ALTER COLUMN c SET NOT NULL;", "t=ACCESS EXCLUSIVE!reads!writes", NULL},
	    {"ALTER TABLE t ADD CONSTRAINT t_c_fk FOREIGN KEY (c) REFERENCES parent_t (id);",
	     "t=SHARE ROW EXCLUSIVE+scan!writes parent_t=SHARE ROW EXCLUSIVE+scan!writes", NULL},
	    {"ALTER TABLE t DROP CONSTRAINT t_parent_fk;",
	     "t=ACCESS EXCLUSIVE!reads!writes parent_t=ACCESS EXCLUSIVE!reads!writes", NULL},
	    {"ALTER TABLE t ADD COLUMN lsn pg_lsn DEFAULT pg_current_wal_lsn();",
	     "t=ACCESS EXCLUSIVE+rewrite+scan!reads!writes", NULL},
	    {"ALTER TABLE p ATTACH PARTITION p_2025 FOR VALUES FROM ('2025-01-01') TO "
	     "('2026-01-01');",
	     "p=SHARE UPDATE EXCLUSIVE!reads!writes p_2025=ACCESS EXCLUSIVE!reads!writes "
	     "p_def=ACCESS EXCLUSIVE+scan!reads!writes",
	     NULL},
	    {"ALTER TABLE p DETACH PARTITION p_2024 CONCURRENTLY;",
	     "p=SHARE UPDATE EXCLUSIVE p_2024=ACCESS EXCLUSIVE!reads!writes", NULL},
	    {"REFRESH MATERIALIZED VIEW CONCURRENTLY mv;",
	     "mv=EXCLUSIVE+scan!writes src=ACCESS SHARE+scan", NULL},
	    {"TRUNCATE parent_t CASCADE;",
	     "parent_t=ACCESS EXCLUSIVE!reads!writes t=ACCESS EXCLUSIVE!reads!writes", NULL},
	    {"TRUNCATE parent_t;", "parent_t=ACCESS EXCLUSIVE!reads!writes",
	     "PostgreSQL refuses to truncate \"parent_t\": \"t\" references it by a foreign key "
	     "(truncate both, or use CASCADE)"},
	    {"CREATE INDEX CONCURRENTLY p_id_idx ON p (id);",
	     "p=SHARE UPDATE EXCLUSIVE+scan p_id_idx=ACCESS EXCLUSIVE p_2024=SHARE UPDATE "
	     "EXCLUSIVE+scan p_def=SHARE UPDATE EXCLUSIVE+scan",
	     "PostgreSQL cannot create an index on a partitioned table concurrently"},
	    {"LOCK TABLE t;", "t=ACCESS EXCLUSIVE!reads!writes",
	     "LOCK TABLE can only be used in transaction blocks"},
	    {"DROP INDEX t_name_idx;",
	     "t=ACCESS EXCLUSIVE!reads!writes t_name_idx=ACCESS EXCLUSIVE!reads!writes", NULL},
	    {"CREATE INDEX x_idx ON t (c);\nDROP INDEX x_idx;",
	     "t=ACCESS EXCLUSIVE!reads!writes x_idx=ACCESS EXCLUSIVE!reads!writes", NULL},
	    {"VACUUM (FULL 0) t;", "t=SHARE UPDATE EXCLUSIVE+scan", NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dg_config *cfg = dg_config_new();
		struct dg_catalog *cat = dg_catalog_new();
		struct dg_lock_report first, rep;
		char got[2048];

		assert_int_equal(dg_locks_buffer_with(cfg, cat, "db/001_setup.sql", earlier,
						      strlen(earlier), &first),
				 DG_OK);
		assert_int_equal(dg_locks_buffer_with(cfg, cat, "db/002_case.sql", cases[i].sql,
						      strlen(cases[i].sql), &rep),
				 DG_OK);
		describe_rows(last(&rep), got, sizeof(got));
		if (strcmp(got, cases[i].memory) != 0)
			fail_msg("%s\nwant %s\ngot  %s", cases[i].sql, cases[i].memory, got);
		if ((cases[i].fails == NULL) != (last(&rep)->fails == NULL) ||
		    (cases[i].fails && strcmp(cases[i].fails, last(&rep)->fails) != 0))
			fail_msg("%s: fails \"%s\", want \"%s\"", cases[i].sql,
				 last(&rep)->fails ? last(&rep)->fails : "(nothing)",
				 cases[i].fails ? cases[i].fails : "(nothing)");
		dg_lock_report_clear(&first);
		dg_lock_report_clear(&rep);
		dg_catalog_free(cat);
		dg_config_free(cfg);
	}
}

/* A table with many effects (columns, constraints) still has its latest type seen. */
static void test_many_effects(void **state)
{
	char sql[8192];
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(sql + n, sizeof(sql) - n, "CREATE TABLE t (");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "c%d int NOT NULL, ", i);
	snprintf(sql + n, sizeof(sql) - n,
		 "v varchar(10));\nALTER TABLE t ALTER COLUMN v TYPE varchar(20);\n"
		 "ALTER TABLE t ALTER COLUMN v TYPE varchar(30);\n");
	struct dg_lock_report r = report(sql, 15);
	/* varchar(20) → varchar(30) widens: no rewrite, and no hedge (the old type is known) */
	assert_false(row(&r, "t")->rewrite);
	assert_null(row(&r, "t")->note);
	dg_lock_report_clear(&r);
}

/* Alone, without schema memory, the model says what a claim depends on instead of guessing. */
static void test_alone_hedges(void **state)
{
	static const struct {
		const char *sql, *rel, *note_has;
	} cases[] = {
	    {"ALTER TABLE t ALTER COLUMN name TYPE varchar(100);", "t", "unknown"},
	    {"REINDEX TABLE t;", "the indexes of t", "planning"},
	    {"ALTER TABLE p ATTACH PARTITION p_2025 FOR VALUES FROM (1) TO (2);", "p", "DEFAULT"},
	    {"ALTER TABLE t ADD COLUMN x int DEFAULT my_func();", "t", "VOLATILE"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dg_lock_report r = report(cases[i].sql, 15);
		const struct dg_lock_row *x = row(&r, cases[i].rel);
		if (!x->note || !strstr(x->note, cases[i].note_has))
			fail_msg("%s: note \"%s\" lacks \"%s\"", cases[i].sql,
				 x->note ? x->note : "(none)", cases[i].note_has);
		dg_lock_report_clear(&r);
	}
	/* REINDEX TABLE alone: its unnamed indexes still block reads of the table */
	struct dg_lock_report r = report("REINDEX TABLE t;", 15);
	assert_true(row(&r, "t")->blocks_reads);
	dg_lock_report_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_with_memory),	       cmocka_unit_test(test_alone_hedges),
	    cmocka_unit_test(test_conflict_table),     cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_defaults_and_types), cmocka_unit_test(test_strongest_wins),
	    cmocka_unit_test(test_many_effects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
