/* test_lsp.c — the language server's text model and framing: byte offsets ↔ LSP positions in
 * UTF-16 code units (line breaks LF, CRLF, CR; characters outside the BMP; positions past a
 * line's end or inside a surrogate pair), incremental splices, file URIs, and the reading of
 * Content-Length frames, broken ones included. The protocol as a whole: tests/lsp/. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ddlguard/ddlguard.h"
#include "lsp/lsp.h"

struct pos_case {
	const char *text;
	size_t offset;		  /* byte offset */
	unsigned line, character; /* what dg_lsp_position says */
};

/* "\xF0\x9D\x84\x9E" is U+1D11E (two UTF-16 units), "\xC3\xA9" é and "\xE2\x82\xAC" € (one) */
static const struct pos_case positions[] = {
    {"", 0, 0, 0},
    {"abc", 2, 0, 2},
    {"abc", 3, 0, 3},
    {"abc", 99, 0, 3}, /* past the end: the end */
    {"a\nb", 2, 1, 0},
    {"a\r\nb", 3, 1, 0},
    {"a\r\nb", 1, 0, 1},
    {"a\rb", 2, 1, 0}, /* a lone CR ends a line too */
    {"a\r", 2, 1, 0},
    {"\n\n\nx", 3, 3, 0},
    {"\xF0\x9D\x84\x9Ex", 4, 0, 2},
    {"\xF0\x9D\x84\x9Ex", 5, 0, 3},
    {"\xF0\x9D\x84\x9Ex", 2, 0, 0}, /* inside the character: its start */
    {"\xC3\xA9\xE2\x82\xAC!", 5, 0, 2},
    {"x\n\xF0\x9F\x98\x80\xF0\x9D\x84\x9E;", 10, 1, 4},
};

static void test_positions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(positions) / sizeof(*positions); i++) {
		const struct pos_case *c = &positions[i];
		struct dg_lsp_lines l;
		unsigned line = 99, ch = 99;
		size_t len = strlen(c->text);

		dg_lsp_lines_init(&l, c->text, len);
		dg_lsp_position(&l, c->text, len, c->offset, &line, &ch);
		if (line != c->line || ch != c->character)
			fail_msg("case %zu: offset %zu is %u:%u, want %u:%u", i, c->offset, line,
				 ch, c->line, c->character);
		dg_lsp_lines_free(&l);
	}
}

struct off_case {
	const char *text;
	unsigned line, character;
	size_t offset; /* what dg_lsp_offset says */
};

static const struct off_case offsets[] = {
    {"abc", 0, 0, 0},
    {"abc", 0, 3, 3},
    {"abc", 0, 50, 3},	  /* past the line's end: its end */
    {"ab\ncd", 0, 50, 2}, /* … before its line break */
    {"ab\r\ncd", 0, 50, 2},
    {"ab\r\ncd", 1, 1, 5},
    {"ab\rcd", 1, 2, 5},
    {"ab\ncd", 7, 0, 5}, /* a line past the last: the end */
    {"\xF0\x9D\x84\x9Ex", 0, 2, 4},
    {"\xF0\x9D\x84\x9Ex", 0, 1, 0}, /* inside the surrogate pair: the character's start */
    {"\xF0\x9D\x84\x9Ex", 0, 3, 5},
    {"\xC3\xA9\xE2\x82\xAC!", 0, 2, 5},
    {"x\n\xF0\x9F\x98\x80\xF0\x9D\x84\x9E;", 1, 4, 10},
};

static void test_offsets(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(offsets) / sizeof(*offsets); i++) {
		const struct off_case *c = &offsets[i];
		struct dg_lsp_lines l;
		size_t len = strlen(c->text), got;

		dg_lsp_lines_init(&l, c->text, len);
		got = dg_lsp_offset(&l, c->text, len, c->line, c->character);
		if (got != c->offset)
			fail_msg("case %zu: %u:%u is offset %zu, want %zu", i, c->line,
				 c->character, got, c->offset);
		dg_lsp_lines_free(&l);
	}
}

/* Every character boundary of a mixed text maps to a position and back to itself. */
static void test_round_trip(void **state)
{
	static const char text[] = "-- \xF0\x9D\x84\x9E\r\nSELECT '\xC3\xA9\xF0\x9F\x98\x80';\rx\n";
	size_t len = strlen(text);
	struct dg_lsp_lines l;

	(void)state;
	dg_lsp_lines_init(&l, text, len);
	assert_int_equal(l.n, 4);
	for (size_t i = 0; i <= len; i++) {
		unsigned line, ch;
		if (i < len && (((unsigned char)text[i]) & 0xC0) == 0x80)
			continue;
		if (i > 0 && text[i - 1] == '\r' && text[i] == '\n')
			continue; /* between CR and LF: not a position of its own */
		dg_lsp_position(&l, text, len, i, &line, &ch);
		assert_int_equal(dg_lsp_offset(&l, text, len, line, ch), i);
	}
	dg_lsp_lines_free(&l);
}

static void test_splice(void **state)
{
	char *s = strdup("hello world");
	size_t len = strlen(s);

	(void)state;
	dg_lsp_splice(&s, &len, 6, 11, "there", 5);
	assert_string_equal(s, "hello there");
	dg_lsp_splice(&s, &len, 0, 0, ">", 1);
	assert_string_equal(s, ">hello there");
	dg_lsp_splice(&s, &len, 1, 7, "", 0);
	assert_string_equal(s, ">there");
	dg_lsp_splice(&s, &len, 3, 999, "", 0); /* an end past the text: the end */
	assert_string_equal(s, ">th");
	assert_int_equal(len, 3);
	free(s);
}

static void test_uris(void **state)
{
	static const struct {
		const char *uri, *path;
	} cases[] = {
	    {"file:///a/b.sql", "/a/b.sql"},
	    {"file:///repo%20x/m%C3%A9/1_a.sql", "/repo x/m\xC3\xA9/1_a.sql"},
	    {"file://localhost/a.sql", "/a.sql"},
	    {"file:///a.sql?x#y", "/a.sql"},
	    {"file:///a%00b.sql", NULL}, /* a NUL in a path: refused */
	    {"file://host/a.sql", NULL},
	    {"untitled:Untitled-1", NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *p = dg_lsp_uri_to_path(cases[i].uri);
		if (!cases[i].path) {
			assert_null(p);
			continue;
		}
		assert_non_null(p);
		assert_string_equal(p, cases[i].path);
		free(p);
	}
	{
		char *u = dg_lsp_path_to_uri("/repo x/m\xC3\xA9/1_a#.sql"), *back;
		assert_string_equal(u, "file:///repo%20x/m%C3%A9/1_a%23.sql");
		back = dg_lsp_uri_to_path(u);
		assert_string_equal(back, "/repo x/m\xC3\xA9/1_a#.sql");
		free(u);
		free(back);
	}
}

/* Frames read from a stream: good ones, and broken ones skipped so the next is read whole. */
static void test_framing(void **state)
{
	static const char input[] = "Content-Length: 2\r\n\r\n{}"
				    "\r\n" /* a stray line break between messages */
				    "content-length:  3 \r\nContent-Type: x\r\n\r\n[1]"
				    "Garbage\r\n\r\n"
				    "Content-Length: -4\r\n\r\n"
				    "Content-Length: 9\r\n\r\n123456789" /* over the limit below */
				    "X-Junk: 1\nContent-Length: 4\n\nnull"
				    "Content-Length: 8\r\n\r\nshort";
	FILE *in = fmemopen((void *)input, sizeof(input) - 1, "rb");
	char *body;
	size_t len;

	(void)state;
	assert_non_null(in);
	assert_int_equal(dg_lsp_read(in, 8, &body, &len), DG_LSP_MESSAGE);
	assert_string_equal(body, "{}");
	free(body);
	assert_int_equal(dg_lsp_read(in, 8, &body, &len), DG_LSP_MESSAGE);
	assert_string_equal(body, "[1]");
	assert_int_equal(len, 3);
	free(body);
	assert_int_equal(dg_lsp_read(in, 8, &body, &len), DG_LSP_BAD); /* no Content-Length */
	assert_int_equal(dg_lsp_read(in, 8, &body, &len), DG_LSP_BAD); /* a negative one */
	assert_int_equal(dg_lsp_read(in, 8, &body, &len), DG_LSP_BAD); /* too large: dropped */
	assert_int_equal(dg_lsp_read(in, 8, &body, &len), DG_LSP_MESSAGE);
	assert_string_equal(body, "null");
	free(body);
	assert_int_equal(dg_lsp_read(in, 8, &body, &len), DG_LSP_EOF); /* cut short */
	assert_int_equal(dg_lsp_read(in, 8, &body, &len), DG_LSP_EOF);
	fclose(in);
}

/* The move of a CONCURRENTLY statement into a new migration, per runner: the new file's name and
 * text and what is left here; or nothing where it cannot be done. */
static void test_split(void **state)
{
	static const struct {
		const char *format, *path, *input, *rule;
		bool last;
		const char *name, *text, *left; /* name NULL: no move */
	} cases[] = {
	    {NULL, "/nonexistent/db/migrations/20240105000000_nick.sql",
	     "-- migrate:up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n",
	     "require-concurrent-index-creation", true,
	     "/nonexistent/db/migrations/20240105000001_nick_concurrently.sql",
	     "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n",
	     "-- migrate:up\nALTER TABLE t ADD COLUMN b int;\n"},
	    {NULL, "/nonexistent/db/migrations/20240105000000_nick.sql",
	     "-- migrate:up\nALTER TABLE t ADD COLUMN b int;\n  DROP INDEX i ;\n-- migrate:down\n",
	     "require-concurrent-index-deletion", true,
	     "/nonexistent/db/migrations/20240105000001_nick_concurrently.sql",
	     "-- migrate:up transaction:false\nDROP INDEX CONCURRENTLY i;\n",
	     "-- migrate:up\nALTER TABLE t ADD COLUMN b int;\n-- migrate:down\n"},
	    {"goose", "/nonexistent/00002_add.sql",
	     "-- +goose Up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n",
	     "require-concurrent-index-creation", true, "/nonexistent/00003_add_concurrently.sql",
	     "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t "
	     "(a);\n",
	     "-- +goose Up\nALTER TABLE t ADD COLUMN b int;\n"},
	    {"flyway", "/nonexistent/V9__idx.sql",
	     "ALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n",
	     "require-concurrent-index-creation", true, "/nonexistent/V10__idx_concurrently.sql",
	     "-- flyway:executeInTransaction=false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t "
	     "(a);\n",
	     "ALTER TABLE t ADD COLUMN b int;\n"},
	    {"sqlx", "/nonexistent/0099_a.sql",
	     "ALTER TABLE t ADD COLUMN b int;\r\nCREATE INDEX i ON t (a);\r\n",
	     "require-concurrent-index-creation", true, "/nonexistent/0100_a_concurrently.sql",
	     "-- no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n",
	     "ALTER TABLE t ADD COLUMN b int;\r\n"},
	    /* another migration runs after it: the statement would move past it */
	    {NULL, "/nonexistent/db/migrations/20240105000000_nick.sql",
	     "-- migrate:up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n",
	     "require-concurrent-index-creation", false, NULL, NULL, NULL},
	    /* not on lines of its own */
	    {NULL, "/nonexistent/db/migrations/20240105000000_nick.sql",
	     "-- migrate:up\nALTER TABLE t ADD COLUMN b int; CREATE INDEX i ON t (a);\n",
	     "require-concurrent-index-creation", true, NULL, NULL, NULL},
	    /* alone in its transaction: the file's own fix does it */
	    {NULL, "/nonexistent/db/migrations/20240105000000_nick.sql",
	     "-- migrate:up\nCREATE INDEX i ON t (a);\n", "require-concurrent-index-creation", true,
	     NULL, NULL, NULL},
	    /* plain SQL, a name without a version */
	    {NULL, "/nonexistent/a.sql", "BEGIN;\nSELECT 1;\nCREATE INDEX i ON t (a);\nCOMMIT;\n",
	     "require-concurrent-index-creation", true, NULL, NULL, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct dg_config *cfg = dg_config_new();
		struct dg_result res;
		const struct dg_finding *f = NULL;
		struct dg_lsp_split sp;
		size_t len = strlen(cases[i].input);
		bool ok;

		if (cases[i].format)
			assert_int_equal(dg_config_set_migration_format(cfg, cases[i].format),
					 DG_OK);
		assert_int_equal(dg_lint_buffer(cfg, cases[i].path, cases[i].input, len, &res),
				 DG_OK);
		for (size_t k = 0; k < res.n_findings && !f; k++)
			if (strcmp(res.findings[k].rule, cases[i].rule) == 0)
				f = &res.findings[k];
		if (!f)
			fail_msg("case %zu: no %s finding", i, cases[i].rule);
		ok = dg_lsp_split(cfg, NULL, cases[i].path, cases[i].input, len, &res, f,
				  cases[i].last, &sp);
		if (ok != (cases[i].name != NULL))
			fail_msg("case %zu: %s", i, ok ? sp.path : "no move");
		if (ok) {
			char *left = strdup(cases[i].input);
			size_t llen = len;
			assert_string_equal(sp.path, cases[i].name);
			assert_string_equal(sp.text, cases[i].text);
			dg_lsp_splice(&left, &llen, sp.del_start, sp.del_end, "", 0);
			assert_string_equal(left, cases[i].left);
			assert_non_null(strstr(sp.title, strrchr(cases[i].name, '/') + 1));
			free(left);
			dg_lsp_split_free(&sp);
		}
		dg_result_clear(&res);
		dg_config_free(cfg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_positions),  cmocka_unit_test(test_offsets),
	    cmocka_unit_test(test_round_trip), cmocka_unit_test(test_splice),
	    cmocka_unit_test(test_uris),       cmocka_unit_test(test_framing),
	    cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
