/* test_spool.c — a document printed with spooled lists is byte for byte the document printed
 * whole (pretty and compact, lists at several depths, empty lists, strings to repair). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "report/report.h"

static cJSON *element(int k)
{
	cJSON *o = cJSON_CreateObject(), *inner = cJSON_AddArrayToObject(o, "inner");

	cJSON_AddNumberToObject(o, "k", k);
	cJSON_AddStringToObject(o, "text", k % 2 ? "caf\xc3\xa9" : "bad \xff byte");
	cJSON_AddItemToArray(inner, cJSON_CreateNumber(k * 1.5));
	cJSON_AddItemToObject(cJSON_AddObjectToObject(o, "deep"), "x", cJSON_CreateNull());
	return o;
}

/* {"a": 1, "runs": [{"list": [...]}], "top": [...], "none": [], "z": "end"} */
static cJSON *skeleton(cJSON *deep_list, cJSON *top_list, cJSON *empty_list)
{
	cJSON *doc = cJSON_CreateObject(), *runs, *run;

	cJSON_AddNumberToObject(doc, "a", 1);
	runs = cJSON_AddArrayToObject(doc, "runs");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);
	cJSON_AddItemToObject(run, "list", deep_list);
	cJSON_AddItemToObject(doc, "top", top_list);
	cJSON_AddItemToObject(doc, "none", empty_list);
	cJSON_AddStringToObject(doc, "z", "end");
	return doc;
}

static char *print_whole(bool pretty, int n)
{
	cJSON *deep = cJSON_CreateArray(), *top = cJSON_CreateArray();
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	for (int k = 0; k < n; k++) {
		cJSON_AddItemToArray(deep, element(k));
		cJSON_AddItemToArray(top, element(100 + k));
	}
	assert_int_equal(dg_report_json_end(m, skeleton(deep, top, cJSON_CreateArray()), pretty),
			 0);
	fclose(m);
	return buf;
}

static char *print_spooled(bool pretty, int n)
{
	struct dg_json_spool deep, top, none;
	struct dg_json_spool *const lists[] = {&deep, &top, &none};
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	/* the document, runs, the run, list: 4; the document, top: 2 */
	assert_int_equal(dg_json_spool_open(&deep, 4, pretty), 0);
	assert_int_equal(dg_json_spool_open(&top, 2, pretty), 0);
	assert_int_equal(dg_json_spool_open(&none, 2, pretty), 0);
	for (int k = 0; k < n; k++) {
		dg_json_spool_add(&deep, element(k));
		dg_json_spool_add(&top, element(100 + k));
	}
	assert_int_equal(
	    dg_report_json_end_spooled(m,
				       skeleton(dg_json_spool_hole(&deep), dg_json_spool_hole(&top),
						dg_json_spool_hole(&none)),
				       pretty, lists, 3),
	    0);
	fclose(m);
	return buf;
}

static void test_same_bytes(void **state)
{
	(void)state;
	for (int pretty = 0; pretty < 2; pretty++) {
		for (int n = 0; n < 4; n++) {
			char *a = print_whole(pretty, n), *b = print_spooled(pretty, n);
			assert_string_equal(a, b);
			if (n)
				assert_non_null(strstr(a, "\"k\""));
			free(a);
			free(b);
		}
	}
}

static void test_spool_copy(void **state)
{
	struct dg_spool s;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	(void)state;

	assert_int_equal(dg_spool_open(&s), 0);
	for (int i = 0; i < 10000; i++)
		fprintf(s.f, "%d\n", i);
	assert_int_equal(dg_spool_copy(&s, m), 0);
	fclose(m);
	assert_int_equal(len, 48890);
	assert_int_equal(strncmp(buf, "0\n1\n2\n", 6), 0);
	free(buf);
}

/* What cJSON_PrintUnformatted writes for the tree after dg_json_repair (malloc'd). */
static char *through_cjson(const char *text, unsigned long long count)
{
	cJSON *o = cJSON_CreateObject(), *a;
	char *out;

	cJSON_AddStringToObject(o, text, text);
	dg_json_add_count(o, "n", count);
	cJSON_AddNullToObject(o, "none");
	a = cJSON_AddArrayToObject(o, "list");
	cJSON_AddItemToArray(a, cJSON_CreateString(text));
	cJSON_AddItemToArray(a, cJSON_CreateObject());
	cJSON_AddItemToArray(a, cJSON_CreateArray());
	dg_json_repair(o);
	out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}

static char *through_writer(const char *text, unsigned long long count)
{
	struct dg_jw w = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	dg_jw_open(&w, NULL, false);
	dg_jw_string(&w, text, text);
	dg_jw_count(&w, "n", count);
	dg_jw_string(&w, "none", NULL);
	dg_jw_open(&w, "list", true);
	dg_jw_string(&w, NULL, text);
	dg_jw_open(&w, NULL, false);
	dg_jw_close(&w, false);
	dg_jw_open(&w, NULL, true);
	dg_jw_close(&w, true);
	dg_jw_close(&w, true);
	dg_jw_close(&w, false);
	dg_jw_flush(&w, m);
	assert_int_equal(w.len, 0);
	dg_jw_free(&w);
	fclose(m);
	return buf;
}

/* The writer gives cJSON's bytes for any string (controls, quotes, backslashes, UTF-8 good and
 * bad: stray continuations, overlong forms, surrogates, truncated sequences) and any count. */
static void test_writer_same_bytes(void **state)
{
	static const char *fixed[] = {
	    "",
	    "plain",
	    "q\"uote\\back/slash",
	    "\b\f\n\r\t\x01\x1f\x7f",
	    "caf\xc3\xa9 \xe2\x80\xae",
	    "\xed\xa0\x80 surrogate",
	    "\xc0\xaf overlong",
	    "\xf4\x90\x80\x80 too high",
	    "trunc \xe2\x82",
	    "\x80\xbf stray",
	    "\xf0\x9f\x98\x80 emoji",
	};
	static const unsigned long long counts[] = {
	    0, 1, 42, 999999999999999ULL, 1000000000000000ULL, 123456789012345678ULL};
	unsigned seed = 12345;
	char text[64];
	(void)state;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
			char *a = through_cjson(fixed[i], counts[c]),
			     *b = through_writer(fixed[i], counts[c]);
			assert_string_equal(b, a);
			free(a);
			free(b);
		}
	}
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 40);
		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			/* bytes around the interesting ranges: controls, ASCII, lead and trail
			 * bytes */
			unsigned char b = (unsigned char)(seed >> 16);
			text[k] = (char)(b ? b : 'x');
		}
		text[n] = '\0';
		char *a = through_cjson(text, (unsigned long long)round),
		     *b = through_writer(text, (unsigned long long)round);
		assert_string_equal(b, a);
		free(a);
		free(b);
	}
	/* long plain runs with a byte or two to escape anywhere in them (the writer takes plain
	 * bytes sixteen and eight at a time) */
	for (int round = 0; round < 20000; round++) {
		static const char special[] = "\"\\\n\x01\x1f\x7f\xc3\xa9\xff\x80";
		size_t n = (size_t)(round % 63);
		for (size_t k = 0; k < n; k++)
			text[k] = (char)('a' + k % 26);
		for (int s = 0; s < 1 + round % 2 && n; s++) {
			seed = seed * 1103515245u + 12345u;
			text[(seed >> 16) % n] = special[(seed >> 8) % (sizeof(special) - 1)];
		}
		text[n] = '\0';
		char *a = through_cjson(text, 7), *b = through_writer(text, 7);
		assert_string_equal(b, a);
		free(a);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_bytes),
	    cmocka_unit_test(test_spool_copy),
	    cmocka_unit_test(test_writer_same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
