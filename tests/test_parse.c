/* test_parse.c — statement ranges, and syntax errors that leave the rest of the file parsed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"
#include "testkit.h"

static void test_ranges_skip_comments(void **state)
{
	struct tk_parsed f;
	const char *t =
	    "SELECT 1;\n-- lead\n/* block */  CREATE TABLE t (a int) ; -- tail\nSELECT 3 -- end";

	(void)state;
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 0);
	assert_int_equal(f.p.n_stmts, 3);
	assert_int_equal(f.p.stmts[0].start, 0);
	assert_int_equal(f.p.stmts[0].end, 8);
	assert_int_equal(f.p.stmts[1].start, strstr(t, "CREATE") - t);
	assert_int_equal(f.p.stmts[1].end, strstr(t, " ;") - t);
	assert_int_equal(f.p.stmts[2].start, strstr(t, "SELECT 3") - t);
	assert_int_equal(f.p.stmts[2].end, strstr(t, " -- end") - t);
	dg_arena_destroy(&f.a);
}

static void test_errors_keep_the_rest(void **state)
{
	struct tk_parsed f;
	const char *t =
	    "CREATE TABLE a (x int);\nSELEC 1;\nCREATE TABLE b (y int);\nSELECT 'é' FRM z;\nDROP TABLE c;";

	(void)state;
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 2);
	assert_int_equal(f.p.errors[0].offset, strstr(t, "SELEC ") - t);
	assert_int_equal(f.p.errors[1].offset, strstr(t, "z;") - t);
	assert_int_equal(f.p.n_stmts, 3);
	assert_int_equal(f.p.stmts[0].node->node_case, PG_QUERY__NODE__NODE_CREATE_STMT);
	assert_int_equal(f.p.stmts[1].node->node_case, PG_QUERY__NODE__NODE_CREATE_STMT);
	assert_int_equal(f.p.stmts[1].start, strstr(t, "CREATE TABLE b") - t);
	assert_int_equal(f.p.stmts[2].node->node_case, PG_QUERY__NODE__NODE_DROP_STMT);
	dg_arena_destroy(&f.a);
}

static void test_unterminated_string(void **state)
{
	struct tk_parsed f;
	const char *t = "CREATE TABLE a (x int);\nSELECT 'oops;\n";

	(void)state;
	tk_parse(&f, t);
	assert_true(f.p.n_errors >= 1);
	assert_int_equal(f.p.errors[0].offset, strstr(t, "'oops") - t);
	assert_int_equal(f.p.n_stmts, 1);
	dg_arena_destroy(&f.a);
}

static void test_garbage_terminates(void **state)
{
	struct tk_parsed f;
	(void)state;
	tk_parse(&f, "this is ; not ; sql ( at ; all ' \" $$");
	assert_true(f.p.n_errors >= 1);
	assert_int_equal(f.p.n_stmts, 0);
	dg_arena_destroy(&f.a);
}

static void test_psql_script_is_blanked(void **state)
{
	struct tk_parsed f;
	const char *t = "\\connect app\nSELECT 1 \\gset\nCOPY t (a) FROM stdin;\nx;y\n\\.\n"
			"CREATE TABLE b (y int);\n\\if :flag\nDROP TABLE c;\n\\endif\n";

	(void)state;
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 0);
	assert_int_equal(f.p.n_stmts, 4);
	assert_int_equal(f.p.stmts[0].start, strstr(t, "SELECT 1") - t);
	assert_int_equal(f.p.stmts[0].end, strstr(t, " \\gset") - t);
	assert_int_equal(f.p.stmts[1].node->node_case, PG_QUERY__NODE__NODE_COPY_STMT);
	assert_int_equal(f.p.stmts[2].start, strstr(t, "CREATE TABLE b") - t);
	assert_int_equal(f.p.stmts[3].node->node_case, PG_QUERY__NODE__NODE_DROP_STMT);
	dg_arena_destroy(&f.a);
}

static void test_copy_data_without_terminator(void **state)
{
	char buf[] = "COPY t FROM STDIN WITH (FORMAT csv);\n1,2\n3,4";
	char want[] = "COPY t FROM STDIN WITH (FORMAT csv);\n   \n   ";

	(void)state;
	dg_blank_psql(buf, strlen(buf));
	assert_string_equal(buf, want);
}

/* "stdin" in any case at any offset (the search for it takes eight bytes at a time) */
static void test_copy_from_stdin_anywhere(void **state)
{
	static const char *const spellings[] = {"stdin", "STDIN", "StDiN", "sTdIn"};
	char buf[96], want[96];

	(void)state;
	for (size_t sp = 0; sp < sizeof(spellings) / sizeof(spellings[0]); sp++)
		for (int pad = 0; pad < 20; pad++) {
			snprintf(buf, sizeof(buf), "%*sCOPY ss FROM %s;\n1,2\n", pad, "",
				 spellings[sp]);
			snprintf(want, sizeof(want), "%*sCOPY ss FROM %s;\n   \n", pad, "",
				 spellings[sp]);
			dg_blank_psql(buf, strlen(buf));
			assert_string_equal(buf, want);
		}
}

static void test_templates_are_rendered(void **state)
{
	struct tk_parsed f;
	const char *t = "CREATE INDEX i ON ${schema}.users (email);\n"
			"SELECT x::int, a[1:n] FROM t WHERE y = :'v';\n"
			"CREATE TABLE {{ .Name }} (id int);\n"
			"GRANT SELECT ON t TO :DATABASE_VISITOR;\n"
			"SELECT 1 FRM t;\n"
			"CREATE TABLE ok (id int);\n";

	(void)state;
	tk_parse(&f, t);
	/* rendered with stand-ins of the same length, they parse at their real offsets */
	assert_int_equal(f.p.n_stmts, 5);
	assert_non_null(strstr(f.p.stmts[0].note, "templated"));
	assert_non_null(strstr(f.p.stmts[0].note, "${schema}"));
	assert_int_equal(f.p.stmts[0].node->index_stmt->relation->location,
			 strstr(t, "${schema}") - t);
	assert_non_null(strstr(f.p.stmts[1].note, "a psql variable :'v'"));
	assert_int_equal(f.p.stmts[2].node->create_stmt->relation->location, strstr(t, "{{") - t);
	assert_int_equal(strlen(f.p.stmts[2].node->create_stmt->relation->relname),
			 strlen("{{ .Name }}"));
	assert_non_null(strstr(f.p.stmts[3].note, "a placeholder :DATABASE_VISITOR"));
	assert_null(f.p.stmts[4].note);
	assert_int_equal(f.p.n_errors, 1);
	assert_null(f.p.errors[0].template_kind); /* a plain syntax error stays one */
	dg_arena_destroy(&f.a);
}

static void test_templates_that_still_fail(void **state)
{
	struct tk_parsed f;
	const char *t = "SELECT {{ range .Cols }}{{ . }}, {{ end }} FROM t;\n"
			"CREATE TABLE t (id {{ .Type }} {{ .Null }});\n"
			"CREATE TABLE x (id {{ .Type );\n"
			"SELECT 1;\n";

	(void)state;
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 3);
	assert_string_equal(f.p.errors[0].template_kind, "a template action");
	assert_int_equal(f.p.errors[0].offset, 7);
	assert_int_equal(f.p.errors[0].template_len, strlen("{{ range .Cols }}"));
	assert_int_equal(f.p.errors[1].offset, strstr(t, "{{ .Type }}") - t);
	/* no closing braces: nothing to render, the marker is still named */
	assert_int_equal(f.p.errors[2].offset, strstr(t, "{{ .Type )") - t);
	assert_string_equal(f.p.errors[2].template_kind, "a template action");
	assert_int_equal(f.p.n_stmts, 1);
	assert_null(f.p.stmts[0].note);
	dg_arena_destroy(&f.a);
}

/* A section over 1 MB is parsed in runs of whole statements: the node locations of a later run
 * still count from the section's start, like the statements' offsets. */
static void test_large_section_locations(void **state)
{
	struct tk_parsed f;
	const char *filler = "INSERT INTO log VALUES (1, 'some padding text here');\n";
	const char *tail = "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;\n";
	size_t n = 0, fl = strlen(filler), reps = (3u << 20) / fl;
	char *t = test_malloc(reps * fl + strlen(tail) + 1);
	const PgQuery__AlterTableStmt *at;

	(void)state;
	for (size_t i = 0; i < reps; i++, n += fl)
		memcpy(t + n, filler, fl);
	strcpy(t + n, tail);
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 0);
	assert_int_equal(f.p.n_stmts, reps + 1);
	assert_int_equal(f.p.stmts[reps].start, n);
	assert_int_equal(f.p.stmts[reps].node->node_case, PG_QUERY__NODE__NODE_ALTER_TABLE_STMT);
	at = f.p.stmts[reps].node->alter_table_stmt;
	assert_int_equal((size_t)at->relation->location, n + strlen("ALTER TABLE "));
	/* and in a statement of the second run */
	assert_int_equal(f.p.stmts[reps / 2].node->node_case, PG_QUERY__NODE__NODE_INSERT_STMT);
	assert_int_equal((size_t)f.p.stmts[reps / 2].node->insert_stmt->relation->location,
			 f.p.stmts[reps / 2].start + strlen("INSERT INTO "));
	dg_arena_destroy(&f.a);
	test_free(t);
}

/* A large section is parsed in runs cut where the scanner ends a statement; a SQL-standard
 * function body (BEGIN ATOMIC … END, with CASE … END inside) is never cut, however long. */
static void test_atomic_body_is_not_cut(void **state)
{
	const char *line =
	    "  UPDATE t SET b = CASE WHEN a > 1 THEN 'x' ELSE 'y' END WHERE a = 2;\n";
	const char *head = "CREATE TABLE t (a int, b text);\n"
			   "CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC\n";
	const char *tail = "END;\nALTER TABLE t ADD COLUMN c int;\n";
	size_t reps = (300u << 10) / strlen(line), n = 0;
	char *t = test_malloc(strlen(head) + reps * strlen(line) + strlen(tail) + 1);
	struct tk_parsed f;

	(void)state;
	n += (size_t)sprintf(t, "%s", head);
	for (size_t i = 0; i < reps; i++)
		n += (size_t)sprintf(t + n, "%s", line);
	strcpy(t + n, tail);
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 0);
	assert_int_equal(f.p.n_stmts, 3);
	assert_int_equal(f.p.stmts[1].node->node_case, PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT);
	assert_int_equal(f.p.stmts[1].start, strstr(t, "CREATE FUNCTION") - t);
	assert_int_equal(f.p.stmts[1].end, n + 3); /* through END */
	assert_int_equal(f.p.stmts[2].start, n + strlen("END;\n"));
	dg_arena_destroy(&f.a);
	test_free(t);
}

/* A section with more syntax errors than are reported stops at the same one whether it is
 * parsed in one run or in several: a section gets 200 parse attempts, and a plain syntax error
 * takes two (once with template stand-ins, once reported), so 100 errors. */
static void test_error_cap_across_runs(void **state)
{
	const char *pair = "SELEC 1;\nCREATE TABLE x (a int);\n";
	size_t reps = 3000, n = 0;
	char *t = test_malloc(reps * strlen(pair) + 1);
	struct tk_parsed f;

	(void)state;
	for (size_t i = 0; i < reps; i++)
		n += (size_t)sprintf(t + n, "%s", pair);
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 100);
	/* at the 100th bad statement; and no later run adds errors or statements */
	assert_int_equal(f.p.errors[99].offset, 99 * strlen(pair));
	assert_int_equal(f.p.n_stmts, 0);
	dg_arena_destroy(&f.a);
	test_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ranges_skip_comments),
	    cmocka_unit_test(test_errors_keep_the_rest),
	    cmocka_unit_test(test_unterminated_string),
	    cmocka_unit_test(test_garbage_terminates),
	    cmocka_unit_test(test_psql_script_is_blanked),
	    cmocka_unit_test(test_copy_data_without_terminator),
	    cmocka_unit_test(test_copy_from_stdin_anywhere),
	    cmocka_unit_test(test_templates_are_rendered),
	    cmocka_unit_test(test_templates_that_still_fail),
	    cmocka_unit_test(test_large_section_locations),
	    cmocka_unit_test(test_atomic_body_is_not_cut),
	    cmocka_unit_test(test_error_cap_across_runs),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
