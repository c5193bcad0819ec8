/* test_lex.c — trivia, token and clause boundaries under PostgreSQL's quoting rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* The end of the last token, with and without the shortcut from the end (the last line holds no
 * "--" and does not end a block comment): the same answer as reading every token. */
static void test_last_token_end(void **state)
{
	static const struct {
		const char *s;
		size_t end;
	} cases[] = {
	    {"SELECT 1", 8},	      {"SELECT 1 \n\t ", 8},
	    {"SELECT 1 -- one\n", 8}, {"SELECT 1\n-- one\n  \n", 8},
	    {"SELECT '--'", 11},      {"SELECT '-- x' -- y", 13},
	    {"SELECT 1 /* c */ ", 8}, {"SELECT 1 /* a /* b */ c */", 8},
	    {"SELECT a/b", 10},	      {"SELECT $$ x\n -- y $$", 20},
	    {"SELECT 1 - -2", 13},    {"  ", 0},
	    {"-- only\n", 0},	      {"", 0},
	};
	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		size_t got = dg_last_token_end(cases[k].s, 0, strlen(cases[k].s));
		if (got != cases[k].end)
			fail_msg("\"%s\": %zu, not %zu", cases[k].s, got, cases[k].end);
	}
	/* from an offset: nothing before i counts */
	assert_int_equal(dg_last_token_end("ab  ", 2, 4), 2);
	assert_int_equal(dg_last_token_end("a -- b\nc", 2, 8), 8);
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

/* A word found in any case at any offset, and not when only part of it is there. */
static void test_holds_ci(void **state)
{
	char buf[64];

	(void)state;
	for (int pad = 0; pad < 30; pad++) {
		snprintf(buf, sizeof(buf), "%*sMiGrAtIoN x", pad, "");
		assert_true(dg_holds_ci(buf, strlen(buf), "migration"));
		assert_false(dg_holds_ci(buf, strlen(buf) - 3, "migration"));
		snprintf(buf, sizeof(buf), "%*smigratio", pad, "");
		assert_false(dg_holds_ci(buf, strlen(buf), "migration"));
		snprintf(buf, sizeof(buf), "%*s-- +GOOSE Up", pad, "");
		assert_true(dg_holds_ci(buf, strlen(buf), "+goose"));
		/* the word in any case too, and bytes that are no letters */
		snprintf(buf, sizeof(buf), "%*sx_in_Transaction", pad, "");
		assert_true(dg_holds_ci(buf, strlen(buf), "X_IN_t"));
		assert_false(dg_holds_ci(buf, strlen(buf), "X_IN_T_"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_skip_trivia), cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_clause_end),	cmocka_unit_test(test_last_token_end),
	    cmocka_unit_test(test_holds_ci),	cmocka_unit_test(test_normalized_spans),
	};
	return cmocka_run_group_tests_name("lex", tests, NULL, NULL);
}
