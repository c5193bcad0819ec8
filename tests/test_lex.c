/* test_lex.c — trivia, token and clause boundaries under PostgreSQL's quoting rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lex.h"

static void test_skip_trivia(void **state)
{
	const char *s = "  -- c\n /* a /* nested */ b */ SELECT";
	(void)state;
	assert_int_equal(dg_skip_trivia(s, 0, strlen(s)), strlen(s) - 6);
}

static void test_tokens(void **state)
{
	const char *s = "'it''s' E'a\\'b' \"q\"\"x\" $t$ $$ ; $t$ $1 abc";
	size_t n = strlen(s);
	(void)state;
	assert_int_equal(dg_token_end(s, 0, n), 7);
	assert_int_equal(dg_token_end(s, 8, n), 15);
	assert_int_equal(dg_token_end(s, 16, n), 22);
	assert_int_equal(dg_token_end(s, 23, n), 35);
	assert_int_equal(dg_token_end(s, 36, n), 37); /* $1 is a parameter, not a dollar quote */
}

static void test_clause_end(void **state)
{
	const char *s = "ADD COLUMN a numeric(10, 2) DEFAULT f(1, 2), DROP b";
	(void)state;
	assert_int_equal(dg_clause_end(s, 0, strlen(s)),
			 strlen("ADD COLUMN a numeric(10, 2) DEFAULT f(1, 2)"));
	assert_int_equal(dg_last_token_end(s, 0, strlen(s)), strlen(s));
	assert_int_equal(dg_last_token_end("x -- y", 0, 6), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_skip_trivia),
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_clause_end),
	};
	return cmocka_run_group_tests_name("lex", tests, NULL, NULL);
}
