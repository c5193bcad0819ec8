/* test_source.c — line:column arithmetic: code points, BOM, CRLF, invalid UTF-8; reading files;
 * the probes of format detection (probe.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "probe.h"
#include "source.h"
#include "testkit.h"

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

/* Every position of a 40-byte text, for the checks that take eight bytes at a time: a NUL, a
 * byte that starts nothing, a sequence cut short are found where they are; a whole sequence and
 * plain ASCII are not; lines are counted wherever the newline falls. */
static void test_invalid_utf8_at_every_offset(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		bool bad;
	} cases[] = {{"\0", 1, true},	     {"\xFF", 1, true},		 {"\xC3", 1, true},
		     {"\xC3\xA9", 2, false}, {"\xE2\x82\xAC", 3, false}, {"\n", 1, false}};
	char text[40];

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (size_t k = 0; k + cases[c].len <= sizeof(text); k++) {
			struct dg_arena a;
			struct dg_source s;

			memset(text, 'x', sizeof(text));
			memcpy(text + k, cases[c].bytes, cases[c].len);
			dg_arena_init(&a);
			dg_source_init(&s, &a, "t.sql", text, sizeof(text));
			assert_int_equal(dg_source_find_invalid_utf8(&s),
					 cases[c].bad ? k : (size_t)-1);
			assert_int_equal(s.n_lines, cases[c].bytes[0] == '\n' ? 2 : 1);
			if (cases[c].bytes[0] == '\n')
				assert_int_equal(s.line_starts[1], k + 1);
			dg_arena_destroy(&a);
		}
}

static char *tmp_path(const char *name)
{
	static char p[512];
	snprintf(p, sizeof(p), "%s/%s", tk_tmpdir, name);
	return p;
}

/* A file read whole whatever its size (the buffer starts at fstat's size and grows), refused
 * over the limit, and a directory or FIFO refused without blocking. */
static void test_read_path(void **state)
{
	size_t len = 0, big = 300000;
	int err = 0;
	char *text = malloc(big + 1), *got;

	(void)state;
	assert_int_equal(tk_tmpdir_create("source"), 0);
	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	text[big] = '\0';
	tk_write_file("big.sql", text);
	got = dg_read_path(tmp_path("big.sql"), big, &len, &err);
	assert_non_null(got);
	assert_int_equal(len, big);
	assert_memory_equal(got, text, big);
	assert_int_equal(got[big], '\0');
	free(got);
	/* around the first buffer's size and its doubling: each whole, its end found */
	for (size_t size = 4090; size < 8200; size += size < 4100 ? 1 : 4090) {
		char keep = text[size];
		text[size] = '\0';
		tk_write_file("edge.sql", text);
		text[size] = keep;
		got = dg_read_path(tmp_path("edge.sql"), big, &len, &err);
		assert_non_null(got);
		assert_int_equal(len, size);
		assert_memory_equal(got, text, size);
		free(got);
	}
	assert_null(dg_read_path(tmp_path("big.sql"), big - 1, &len, &err));
	assert_int_equal(err, DG_READ_TOO_BIG);
	tk_write_file("empty.sql", "");
	got = dg_read_path(tmp_path("empty.sql"), big, &len, &err);
	assert_non_null(got);
	assert_int_equal(len, 0);
	free(got);
	assert_null(dg_read_path(tk_tmpdir, big, &len, &err));
	assert_int_equal(err, EISDIR);
	assert_int_equal(mkfifo(tmp_path("fifo.sql"), 0600), 0);
	assert_null(dg_read_path(tmp_path("fifo.sql"), big, &len, &err));
	assert_int_equal(err, DG_READ_NOT_REGULAR);
	{
		char head[8];
		size_t n = 0;
		assert_true(dg_read_head(tmp_path("big.sql"), head, sizeof(head), &n));
		assert_int_equal(n, 7);
		assert_string_equal(head, "abcdefg");
		assert_false(dg_read_head(tmp_path("fifo.sql"), head, sizeof(head), &n));
		assert_false(dg_read_head(tmp_path("none.sql"), head, sizeof(head), &n));
	}
	free(text);
	assert_int_equal(tk_tmpdir_remove(), 0);
}

/* The probes answer once per thread until forgotten: a file removed since still "is" there, and
 * after dg_probe_forget it is not. */
static void test_probes(void **state)
{
	char buf[64];
	struct stat st;

	(void)state;
	assert_int_equal(tk_tmpdir_create("probe"), 0);
	tk_write_file("metadata.toml", "run_in_transaction = false\n");
	assert_true(dg_probe_file(tmp_path("metadata.toml")));
	assert_false(dg_probe_dir(tmp_path("metadata.toml")));
	assert_true(dg_probe_dir(tk_tmpdir));
	assert_false(dg_probe_file(tmp_path("nothing.toml")));
	assert_true(dg_probe_read_small(tmp_path("metadata.toml"), buf, sizeof(buf)));
	assert_string_equal(buf, "run_in_transaction = false\n");
	assert_true(dg_probe_read_small(tmp_path("metadata.toml"), buf, 4));
	assert_string_equal(buf, "run");
	assert_false(dg_probe_read_small(tk_tmpdir, buf, sizeof(buf)));
	assert_true(dg_probe_stat(tmp_path("metadata.toml"), &st));
	assert_int_equal(st.st_size, 27);
	assert_int_equal(unlink(tmp_path("metadata.toml")), 0);
	assert_true(dg_probe_file(tmp_path("metadata.toml")));
	assert_true(dg_probe_read_small(tmp_path("metadata.toml"), buf, sizeof(buf)));
	dg_probe_forget();
	assert_false(dg_probe_file(tmp_path("metadata.toml")));
	assert_false(dg_probe_read_small(tmp_path("metadata.toml"), buf, sizeof(buf)));
	/* many paths: the table grows and still finds each */
	for (int i = 0; i < 2000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%d.sql", i);
		assert_false(dg_probe_file(tmp_path(name)));
	}
	assert_true(dg_probe_dir(tk_tmpdir));
	dg_probe_forget();
	assert_int_equal(tk_tmpdir_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines_and_columns),
	    cmocka_unit_test(test_columns_count_code_points),
	    cmocka_unit_test(test_bom_and_crlf),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_invalid_utf8_at_every_offset),
	    cmocka_unit_test(test_read_path),
	    cmocka_unit_test(test_probes),
	};
	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
