/* test_source.c — line:column arithmetic: code points, BOM, CRLF, invalid UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "source.h"

static void init(struct dg_source *s, struct dg_arena *a, const char *text)
{
	dg_arena_init(a);
	dg_source_init(s, a, "t.sql", text, strlen(text));
}

static void test_lines_and_columns(void **state)
{
	struct dg_arena a;
	struct dg_source s;
	struct dg_pos p;

	(void)state;
	init(&s, &a, "ab\ncd\n\nxyz");
	assert_int_equal(s.n_lines, 4);
	p = dg_source_pos(&s, 0);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.column, 1);
	p = dg_source_pos(&s, 4); /* 'd' */
	assert_int_equal(p.line, 2);
	assert_int_equal(p.column, 2);
	p = dg_source_pos(&s, 9); /* 'z' */
	assert_int_equal(p.line, 4);
	assert_int_equal(p.column, 3);
	dg_arena_destroy(&a);
}

static void test_columns_count_code_points(void **state)
{
	struct dg_arena a;
	struct dg_source s;
	const char *t = "SELECT 'é€😀' x";
	size_t x = strlen(t) - 1;
	struct dg_pos p;

	(void)state;
	init(&s, &a, t);
	p = dg_source_pos(&s, x);
	assert_int_equal(p.column, 14); /* 13 characters before x */
	assert_int_equal(dg_char_to_byte(t, strlen(t), 14), x);
	dg_arena_destroy(&a);
}

static void test_bom_and_crlf(void **state)
{
	struct dg_arena a;
	struct dg_source s;
	size_t len;
	const char *line;
	struct dg_pos p;

	(void)state;
	init(&s, &a, "\xEF\xBB\xBFSELECT 1;\r\nSELECT 2;\r\n");
	assert_int_equal(s.bom, 3);
	assert_memory_equal(s.text, "SELECT 1;", 9);
	p = dg_source_pos(&s, 0);
	assert_int_equal(p.column, 1);
	p = dg_source_pos(&s, 11 + 7); /* '2' */
	assert_int_equal(p.line, 2);
	assert_int_equal(p.column, 8);
	line = dg_source_line(&s, 1, &len);
	assert_int_equal(len, 9); /* no \r */
	assert_memory_equal(line, "SELECT 1;", 9);
	dg_arena_destroy(&a);
}

static void test_invalid_utf8(void **state)
{
	struct dg_arena a;
	struct dg_source s;

	(void)state;
	init(&s, &a, "SELECT 'caf\xE9';");
	assert_int_equal(dg_source_find_invalid_utf8(&s), 11);
	dg_arena_destroy(&a);
	init(&s, &a, "SELECT '\xC0\xAF';"); /* overlong */
	assert_int_equal(dg_source_find_invalid_utf8(&s), 8);
	dg_arena_destroy(&a);
	init(&s, &a, "SELECT 'ok é';");
	assert_int_equal(dg_source_find_invalid_utf8(&s), (size_t)-1);
	dg_arena_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines_and_columns),
	    cmocka_unit_test(test_columns_count_code_points),
	    cmocka_unit_test(test_bom_and_crlf),
	    cmocka_unit_test(test_invalid_utf8),
	};
	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
