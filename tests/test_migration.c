/* test_migration.c — format detection and sections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "migration.h"

static void detect(struct dg_arena *a, struct dg_source *s, struct dg_migration *m,
		   const char *path, const char *text)
{
	dg_arena_init(a);
	dg_source_init(s, a, path, text, strlen(text));
	dg_migration_detect(s, a, m);
}

static void test_dbmate(void **state)
{
	struct dg_arena a;
	struct dg_source s;
	struct dg_migration m;
	const char *t = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
			"-- migrate:down\nDROP INDEX i;\n";

	(void)state;
	detect(&a, &s, &m, "db/migrations/20240101_x.sql", t);
	assert_string_equal(m.format, "dbmate");
	assert_int_equal(m.n_sections, 2);
	assert_true(m.has_down);
	assert_int_equal(m.sections[0].dir, DG_DIR_UP);
	assert_int_equal(m.sections[0].tx, DG_TX_IMPLICIT); /* one query string, no BEGIN */
	assert_int_equal(m.sections[0].start, strstr(t, "CREATE") - t);
	assert_int_equal(m.sections[1].dir, DG_DIR_DOWN);
	assert_int_equal(m.sections[1].tx, DG_TX_WRAPPED);
	assert_int_equal(m.sections[1].start, strstr(t, "DROP") - t);
	assert_int_equal(m.anchor_start, 3);
	dg_arena_destroy(&a);
}

static void test_dbmate_without_down(void **state)
{
	struct dg_arena a;
	struct dg_source s;
	struct dg_migration m;

	(void)state;
	detect(&a, &s, &m, "x.sql", "--migrate:up\nSELECT 1;\n");
	assert_string_equal(m.format, "dbmate");
	assert_false(m.has_down);
	assert_true(m.format_has_down);
	dg_arena_destroy(&a);
}

static void test_golang_migrate_missing_down(void **state)
{
	struct dg_arena a;
	struct dg_source s;
	struct dg_migration m;

	(void)state;
	detect(&a, &s, &m, "/nonexistent/dir/0001_init.up.sql", "SELECT 1;");
	assert_string_equal(m.format, "golang-migrate");
	assert_false(m.has_down);
	assert_string_equal(m.down_path, "/nonexistent/dir/0001_init.down.sql");
	dg_arena_destroy(&a);
	detect(&a, &s, &m, DG_FIXTURES "/require-down-section/20240102_add_note.up.sql",
	       "SELECT 1;");
	assert_true(m.has_down);
	dg_arena_destroy(&a);
}

static void test_golang_migrate_down_knows_its_up(void **state)
{
	struct dg_arena a;
	struct dg_source s;
	struct dg_migration m;

	(void)state;
	detect(&a, &s, &m, "db/0007_add_note.down.sql", "DROP TABLE note;");
	assert_string_equal(m.format, "golang-migrate");
	assert_int_equal(m.sections[0].dir, DG_DIR_DOWN);
	assert_string_equal(m.up_path, "db/0007_add_note.up.sql");
	assert_null(m.down_path);
	dg_arena_destroy(&a);
	detect(&a, &s, &m, "db/0007_add_note.up.sql", "CREATE TABLE note (id int);");
	assert_null(m.up_path);
	dg_arena_destroy(&a);
}

static void test_plain(void **state)
{
	struct dg_arena a;
	struct dg_source s;
	struct dg_migration m;

	(void)state;
	detect(&a, &s, &m, "schema.sql", "-- migrate: this is prose, not a marker\nSELECT 1;");
	assert_string_equal(m.format, "plain");
	assert_int_equal(m.n_sections, 1);
	assert_false(m.format_has_down);
	dg_arena_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dbmate),
	    cmocka_unit_test(test_dbmate_without_down),
	    cmocka_unit_test(test_golang_migrate_missing_down),
	    cmocka_unit_test(test_golang_migrate_down_knows_its_up),
	    cmocka_unit_test(test_plain),
	};
	return cmocka_run_group_tests_name("migration", tests, NULL, NULL);
}
