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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_bytes),
	    cmocka_unit_test(test_spool_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
