/* test_lex.c — trivia, token and clause boundaries under PostgreSQL's quoting rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fingerprint.h"
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

/* A span of whole tokens hashes the same from the statement's normalized text as lexed again;
 * a span that starts inside a token or cuts one is refused (its hash would differ). Every span
 * of a statement full of quoting, comments and odd spacing. */
static void test_normalized_spans(void **state)
{
	const char *s = "ALTER  TABLE \"a b\"\n  ADD COLUMN c text DEFAULT 'x -- y', -- note\n"
			"  /* c */ ADD CHECK (c <> $q$;$q$)  ;";
	size_t n = strlen(s), used = 0, refused = 0;
	struct dg_normalized norm = {0};

	(void)state;
	dg_normalized_build(&norm, s, 0, n);
	assert_int_equal(dg_fnv1a(DG_FNV_INIT, norm.text, norm.len),
			 dg_hash_normalized(DG_FNV_INIT, s, 0, n));
	for (size_t a = 0; a <= n; a++)
		for (size_t b = a; b <= n; b++) {
			size_t off, len;
			if (!dg_normalized_span(&norm, a, b, &off, &len)) {
				refused++;
				continue;
			}
			used++;
			assert_int_equal(dg_fnv1a(DG_FNV_INIT, norm.text + off, len),
					 dg_hash_normalized(DG_FNV_INIT, s, a, b));
		}
	assert_true(used > 100);
	assert_true(refused > used);
	dg_normalized_free(&norm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_skip_trivia),
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_clause_end),
	    cmocka_unit_test(test_normalized_spans),
	};
	return cmocka_run_group_tests_name("lex", tests, NULL, NULL);
}
