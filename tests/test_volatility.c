/* test_volatility.c — function volatility lookup: every name of the tables in src/volatility.c
 * (read from the source, so that an unsorted or misplaced entry fails here), and the schema
 * rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rule.h"
#include "testkit.h"

static enum dg_volatility lookup(const char *schema, const char *name)
{
	PgQuery__String s[2] = {PG_QUERY__STRING__INIT, PG_QUERY__STRING__INIT};
	PgQuery__Node n[2] = {PG_QUERY__NODE__INIT, PG_QUERY__NODE__INIT};
	PgQuery__Node *names[2] = {&n[0], &n[1]};
	size_t k = 0;

	if (schema) {
		s[k].sval = (char *)schema;
		n[k].node_case = PG_QUERY__NODE__NODE_STRING;
		n[k].string = &s[k];
		k++;
	}
	s[k].sval = (char *)name;
	n[k].node_case = PG_QUERY__NODE__NODE_STRING;
	n[k].string = &s[k];
	return dg_function_volatility(names, k + 1);
}

/* Checks every quoted name of the array `table` in volatility.c; returns how many there were. */
static size_t check_table(const char *src, const char *table, const char *schema,
			  enum dg_volatility want)
{
	char head[128], prev[128] = "", name[128];
	const char *p, *end;
	size_t n = 0;

	snprintf(head, sizeof(head), "%s[] = {", table);
	p = strstr(src, head);
	assert_non_null(p);
	end = strstr(p, "};");
	assert_non_null(end);
	for (p = strchr(p + strlen(head), '"'); p && p < end; p = strchr(p + 1, '"')) {
		const char *q = strchr(p + 1, '"');
		snprintf(name, sizeof(name), "%.*s", (int)(q - p - 1), p + 1);
		if (strcmp(prev, name) >= 0)
			fail_msg("%s: \"%s\" after \"%s\": the table must be sorted", table, name,
				 prev);
		if (lookup(schema, name) != want)
			fail_msg("%s: \"%s\" not found as expected", table, name);
		snprintf(prev, sizeof(prev), "%s", name);
		p = q;
		n++;
	}
	return n;
}

static void test_tables(void **state)
{
	char *src = tk_slurp(DG_SOURCE_DIR "/src/volatility.c");

	(void)state;
	assert_non_null(src);
	assert_true(check_table(src, "builtin_volatile", NULL, DG_VOLATILE) > 150);
	assert_true(check_table(src, "builtin_not_volatile", "pg_catalog", DG_NOT_VOLATILE) > 700);
	assert_true(check_table(src, "extension_volatile", "extensions", DG_VOLATILE) > 3);
	assert_true(check_table(src, "extension_not_volatile", NULL, DG_NOT_VOLATILE) > 3);
	free(src);
}

static void test_names_and_schemas(void **state)
{
	(void)state;
	/* STABLE functions do not rewrite a table as a default: they are not volatile */
	assert_int_equal(lookup(NULL, "now"), DG_NOT_VOLATILE);
	assert_int_equal(lookup(NULL, "statement_timestamp"), DG_NOT_VOLATILE);
	assert_int_equal(lookup(NULL, "txid_current"), DG_NOT_VOLATILE);
	assert_int_equal(lookup(NULL, "clock_timestamp"), DG_VOLATILE);
	assert_int_equal(lookup("pg_catalog", "random"), DG_VOLATILE);
	assert_int_equal(lookup(NULL, "gen_random_uuid"), DG_VOLATILE);
	assert_int_equal(lookup("public", "uuid_generate_v4"), DG_VOLATILE);
	/* a built-in name in another schema is somebody's own function */
	assert_int_equal(lookup("app", "now"), DG_VOLATILITY_UNKNOWN);
	assert_int_equal(lookup(NULL, "generate_ulid"), DG_VOLATILITY_UNKNOWN);
	assert_int_equal(lookup(NULL, "Now"), DG_VOLATILITY_UNKNOWN); /* quoted: another name */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_names_and_schemas),
	};
	return cmocka_run_group_tests_name("volatility", tests, NULL, NULL);
}
