/* test_facts.c — what facts.c knows across statements: columns added, domains created, how each
 * statement changes the schema, and what a down file's up file made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "facts.h"

struct fx {
	struct dg_arena a;
	struct dg_source s;
	struct dg_migration m;
	struct dg_parsed p;
	struct dg_facts f;
};

static void build(struct fx *x, const char *path, const char *text, const struct dg_facts *up)
{
	memset(x, 0, sizeof(*x));
	dg_arena_init(&x->a);
	dg_source_init(&x->s, &x->a, path, text, strlen(text));
	dg_migration_detect(&x->s, &x->a, &x->m);
	for (size_t i = 0; i < x->m.n_sections; i++)
		dg_parse_section(&x->s, &x->m.sections[i], &x->a, &x->p);
	assert_int_equal(x->p.n_errors, 0);
	dg_facts_build(&x->f, &x->p, &x->a, false, up);
}

static void test_columns_and_domains(void **state)
{
	struct fx x;

	(void)state;
	build(&x, "a.sql",
	      "ALTER TABLE s.users ADD COLUMN nick text, ADD COLUMN bio text;\n"
	      "CREATE DOMAIN app.cents AS bigint;\n"
	      "SELECT 1;\n",
	      NULL);
	assert_false(dg_facts_column_added_before(&x.f, NULL, "users", "nick", 0));
	assert_true(dg_facts_column_added_before(&x.f, NULL, "users", "nick", 1));
	assert_true(dg_facts_column_added_before(&x.f, "s", "users", "bio", 1));
	assert_false(dg_facts_column_added_before(&x.f, "t", "users", "bio", 1));
	assert_false(dg_facts_column_added_before(&x.f, NULL, "users", "email", 3));
	assert_false(dg_facts_domain_created_before(&x.f, NULL, "cents", 1));
	assert_true(dg_facts_domain_created_before(&x.f, NULL, "cents", 2));
	assert_true(dg_facts_domain_created_before(&x.f, "app", "cents", 2));
	assert_false(dg_facts_domain_created_before(&x.f, "public", "cents", 2));
	dg_arena_destroy(&x.a);
}

static void test_changes(void **state)
{
	struct fx x;

	(void)state;
	build(&x, "b.sql",
	      "CREATE TABLE t (a int);\n"			 /* 0 expand */
	      "ALTER TABLE t DROP COLUMN a;\n"			 /* 1 made here: no contract */
	      "ALTER TABLE u ADD COLUMN b int, DROP COLUMN c;\n" /* 2 expand and contract */
	      "UPDATE u SET b = 1;\n"				 /* 3 not DDL */
	      "DROP VIEW v;\n"					 /* 4 recreated below */
	      "CREATE VIEW v AS SELECT 1;\n"			 /* 5 expand */
	      "ALTER TABLE u RENAME TO w;\n",			 /* 6 contract */
	      NULL);
	assert_int_equal(x.p.n_stmts, 7);
	assert_true(x.f.change[0].ddl);
	assert_string_equal(x.f.change[0].expand, "CREATE TABLE \"t\"");
	assert_null(x.f.change[1].contract);
	assert_string_equal(x.f.change[2].expand, "ADD COLUMN \"b\" to \"u\"");
	assert_string_equal(x.f.change[2].contract, "DROP COLUMN \"c\" of \"u\"");
	assert_ptr_equal(x.f.change[2].contract_node, x.p.stmts[2].node->alter_table_stmt->cmds[1]);
	assert_false(x.f.change[3].ddl);
	assert_null(x.f.change[3].expand);
	assert_null(x.f.change[4].contract);
	assert_string_equal(x.f.change[5].expand, "CREATE VIEW \"v\"");
	assert_string_equal(x.f.change[6].contract, "RENAME TABLE \"u\"");
	dg_arena_destroy(&x.a);
}

static void test_down_file_sees_its_up_file(void **state)
{
	struct fx up, down;

	(void)state;
	build(&up, "0001_x.up.sql", "CREATE TABLE t (a int);\nALTER TABLE u ADD COLUMN b int;\n",
	      NULL);
	build(&down, "0001_x.down.sql", "ALTER TABLE u DROP COLUMN b;\nDROP TABLE t;\n", &up.f);
	assert_int_equal(down.p.stmts[0].section->dir, DG_DIR_DOWN);
	assert_true(dg_facts_made_here(&down.f, NULL, "t", NULL, 0, DG_DIR_DOWN));
	assert_true(dg_facts_made_here(&down.f, NULL, "u", "b", 0, DG_DIR_DOWN));
	assert_true(dg_facts_made_here(&down.f, NULL, "t", "any", 0, DG_DIR_DOWN));
	assert_false(dg_facts_made_here(&down.f, NULL, "u", "c", 0, DG_DIR_DOWN));
	/* only a down section undoes the up file; and locking facts never look at it */
	assert_false(dg_facts_made_here(&down.f, NULL, "t", NULL, 0, DG_DIR_UP));
	assert_false(dg_facts_created_before(&down.f, NULL, "t", 2));
	assert_null(down.f.change[0].contract);
	assert_null(down.f.change[1].contract);
	dg_arena_destroy(&down.a);
	dg_arena_destroy(&up.a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_columns_and_domains),
	    cmocka_unit_test(test_changes),
	    cmocka_unit_test(test_down_file_sees_its_up_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
