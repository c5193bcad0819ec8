/* test_plpgsql.c — the statements of DO blocks and of functions the migration runs: which are
 * found, where they are placed in the file, and what is left alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"
#include "testkit.h"
#include "plpgsql.h"

static void test_decode_string(void **state)
{
	static const struct {
		const char *in, *text;
		size_t first_src; /* where text[0] comes from */
	} cases[] = {
	    {"$$ab$$", "ab", 2},	  {"$x$a$$b$x$", "a$$b", 3}, {"'it''s'", "it's", 1},
	    {"E'a\\'b\\\\'", "a'b\\", 2}, {"e'\\n'", "\n", 2},
	};
	static const char *const refused[] = {"'open",	    "$a$b",	"U&'x'",
					      "E'\\u0041'", "E'\\101'", "x"};
	struct dg_arena a;

	(void)state;
	dg_arena_init(&a);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t;
		size_t *m, end, n = strlen(cases[i].in);
		size_t len = dg_plpgsql_decode_string(&a, cases[i].in, 0, n, &t, &m, &end);
		assert_int_equal(len, strlen(cases[i].text));
		assert_string_equal(t, cases[i].text);
		assert_int_equal(m[0], cases[i].first_src);
		assert_int_equal(end, n);
	}
	{
		/* every decoded byte maps to the byte of the file that gives it */
		const char *in = "'a''b'";
		char *t;
		size_t *m, end;
		assert_int_equal(dg_plpgsql_decode_string(&a, in, 0, 6, &t, &m, &end), 3);
		assert_int_equal(m[1], 2);
		assert_int_equal(m[2], 4);
		assert_int_equal(m[3], 5);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char *t;
		size_t *m, end;
		assert_int_equal(
		    dg_plpgsql_decode_string(&a, refused[i], 0, strlen(refused[i]), &t, &m, &end),
		    (size_t)-1);
	}
	dg_arena_destroy(&a);
}

/* The offset of the n-th (0-based) occurrence of `what` in t. */
static size_t nth(const char *t, const char *what, int n)
{
	const char *p = strstr(t, what);
	while (p && n-- > 0)
		p = strstr(p + 1, what);
	assert_non_null(p);
	return (size_t)(p - t);
}

static void test_do_block_statements(void **state)
{
	struct tk_parsed f;
	const char *t = "DO $$\n"
			"DECLARE n int;\n"
			"BEGIN\n"
			"  SELECT count(*) INTO n FROM t;\n"
			"  IF n > 0 THEN\n"
			"    ALTER TABLE t ADD COLUMN b int;\n"
			"  END IF;\n"
			"  BEGIN\n"
			"    EXECUTE 'CREATE INDEX i ON t (b)';\n"
			"  EXCEPTION WHEN duplicate_table THEN NULL;\n"
			"  END;\n"
			"  EXECUTE format('DROP TABLE %I', n);\n"
			"  EXECUTE v_sql;\n"
			"  PERFORM pg_sleep(0);\n"
			"END $$;\n"
			"SELECT 1;\n";

	(void)state;
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 0);
	assert_int_equal(f.p.n_stmts, 6); /* DO, 4 inside it (not the dynamic EXECUTEs), SELECT */
	assert_int_equal(f.p.stmts[0].node->node_case, PG_QUERY__NODE__NODE_DO_STMT);
	assert_int_equal(f.p.stmts[0].holder, 0);
	for (size_t i = 1; i <= 4; i++) {
		assert_int_equal(f.p.stmts[i].holder, 1);
		assert_non_null(strstr(f.p.stmts[i].note, "inside the DO block at line 1"));
	}
	assert_int_equal(f.p.stmts[1].node->node_case, PG_QUERY__NODE__NODE_SELECT_STMT);
	assert_int_equal(f.p.stmts[1].start, nth(t, "SELECT count", 0));
	assert_int_equal(f.p.stmts[1].end, nth(t, "FROM t;", 0) + 6);
	assert_int_equal(f.p.stmts[2].start, nth(t, "ALTER TABLE", 0));
	assert_int_equal(f.p.stmts[2].node->alter_table_stmt->relation->location,
			 nth(t, "t ADD", 0));
	/* EXECUTE of a string constant: the string's text */
	assert_int_equal(f.p.stmts[3].start, nth(t, "CREATE INDEX", 0));
	assert_int_equal(f.p.stmts[3].end, nth(t, "(b)", 0) + 3);
	assert_non_null(strstr(f.p.stmts[3].note, "run by EXECUTE"));
	assert_int_equal(f.p.stmts[3].node->index_stmt->relation->location, nth(t, "t (b)", 0));
	/* PERFORM is SELECT to PostgreSQL, at the PERFORM keyword */
	assert_int_equal(f.p.stmts[4].start, nth(t, "PERFORM", 0));
	assert_null(f.p.stmts[5].note);
	dg_arena_destroy(&f.a);
}

static void test_quoted_body_positions(void **state)
{
	struct tk_parsed f;
	const char *t =
	    "DO 'BEGIN EXECUTE ''ALTER TABLE t ADD c text DEFAULT ''''x'''' NOT NULL''; "
	    "ALTER TABLE u ADD d int; END';";

	(void)state;
	tk_parse(&f, t);
	assert_int_equal(f.p.n_stmts, 3);
	assert_int_equal(f.p.stmts[1].start, nth(t, "ALTER TABLE t", 0));
	/* the end and the column's position come back through both levels of quoting */
	assert_int_equal(f.p.stmts[1].end, nth(t, "NULL''", 0) + 4);
	assert_int_equal(f.p.stmts[1]
			     .node->alter_table_stmt->cmds[0]
			     ->alter_table_cmd->def->column_def->location,
			 nth(t, "c text", 0));
	assert_int_equal(f.p.stmts[2].start, nth(t, "ALTER TABLE u", 0));
	dg_arena_destroy(&f.a);
}

static void test_functions_run_by_the_migration(void **state)
{
	struct tk_parsed f;
	const char *t = "CREATE FUNCTION once() RETURNS void LANGUAGE plpgsql AS $f$\n"
			"BEGIN ALTER TABLE t ADD x int; END $f$;\n"
			"CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
			"BEGIN DELETE FROM t; RETURN NEW; END $f$;\n"
			"CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN DROP TABLE u; END $$;\n"
			"SELECT once();\n"
			"SELECT once();\n"
			"CALL p();\n"
			"DROP FUNCTION once();\n";

	(void)state;
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 0);
	/* 3 CREATE, SELECT + the body of once() (its first call only), SELECT, CALL + the body of
	 * p(), DROP; trg() is never called here: its body is not linted */
	assert_int_equal(f.p.n_stmts, 9);
	assert_int_equal(f.p.stmts[4].node->node_case, PG_QUERY__NODE__NODE_ALTER_TABLE_STMT);
	assert_int_equal(f.p.stmts[4].holder, 1);
	assert_int_equal(f.p.stmts[4].start, nth(t, "ALTER TABLE", 0));
	assert_non_null(strstr(f.p.stmts[4].note,
			       "inside the body of function once(), run by the call at line 6"));
	assert_int_equal(f.p.stmts[5].holder, 0);
	assert_int_equal(f.p.stmts[7].node->node_case, PG_QUERY__NODE__NODE_DROP_STMT);
	assert_int_equal(f.p.stmts[7].holder, 3);
	assert_non_null(strstr(f.p.stmts[7].note, "procedure p(), run by the CALL at line 8"));
	dg_arena_destroy(&f.a);
}

static void test_templated_body(void **state)
{
	struct tk_parsed f;
	const char *t = "DO $$ BEGIN ALTER TABLE ${schema}.t ADD x int;\n"
			"EXECUTE 'GRANT SELECT ON t TO :DATABASE_VISITOR'; END $$;";

	(void)state;
	tk_parse(&f, t);
	assert_int_equal(f.p.n_errors, 0);
	assert_int_equal(f.p.n_stmts, 3);
	assert_int_equal(f.p.stmts[1].node->alter_table_stmt->relation->location,
			 nth(t, "${schema}", 0));
	assert_non_null(strstr(f.p.stmts[1].note, "the body is templated"));
	assert_int_equal(f.p.stmts[2].node->node_case, PG_QUERY__NODE__NODE_GRANT_STMT);
	assert_int_equal(f.p.stmts[2].start, nth(t, "GRANT", 0));
	assert_non_null(strstr(f.p.stmts[2].note, "a placeholder :DATABASE_VISITOR"));
	dg_arena_destroy(&f.a);
}

static void test_left_alone(void **state)
{
	static const char *const cases[] = {
	    "DO LANGUAGE plperl $$ my $x = 1; $$;",
	    "DO $$ BEGIN EXECUTE 'ALTER TABLE ' || tbl || ' ADD x int'; END $$;",
	    "DO $$ BEGIN RAISE NOTICE 'x'; END $$;",
	    "DO $$ BEGIN IF (SELECT 1) THEN NULL; END IF; END $$;",
	    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; SELECT f();",
	    "DO $$ BEGIN not valid plpgsql; END $$;",
	    /* PL/pgSQL refuses transaction commands there: they change no transaction */
	    "DO $$ BEGIN EXECUTE 'COMMIT'; SAVEPOINT s; END $$;",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tk_parsed f;
		tk_parse(&f, cases[i]);
		for (size_t k = 0; k < f.p.n_stmts; k++)
			if (f.p.stmts[k].holder)
				fail_msg("case %zu: statement %zu inside the body", i, k);
		dg_arena_destroy(&f.a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_string),
	    cmocka_unit_test(test_do_block_statements),
	    cmocka_unit_test(test_quoted_body_positions),
	    cmocka_unit_test(test_functions_run_by_the_migration),
	    cmocka_unit_test(test_templated_body),
	    cmocka_unit_test(test_left_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
