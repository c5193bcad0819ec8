/* test_effects.c — what effects.c says each statement does, as a table of cases: the statement
 * and its effects, one per line in a compact form (kind, relation, second object, details). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "effects.h"
#include "parse.h"

static const char *const kinds[] = {
    [DG_EFF_CREATE] = "create",
    [DG_EFF_DROP] = "drop",
    [DG_EFF_RENAME] = "rename",
    [DG_EFF_ADD_COLUMN] = "add-column",
    [DG_EFF_SET_TYPE] = "set-type",
    [DG_EFF_DROP_COLUMN] = "drop-column",
    [DG_EFF_RENAME_COLUMN] = "rename-column",
    [DG_EFF_CREATE_INDEX] = "create-index",
    [DG_EFF_DROP_INDEX] = "drop-index",
    [DG_EFF_RENAME_INDEX] = "rename-index",
    [DG_EFF_ADD_CONSTRAINT] = "add-constraint",
    [DG_EFF_VALIDATE] = "validate",
    [DG_EFF_DROP_CONSTRAINT] = "drop-constraint",
    [DG_EFF_CHECK_NOT_NULL] = "check-not-null",
    [DG_EFF_ATTACH_PARTITION] = "attach",
    [DG_EFF_DETACH_PARTITION] = "detach",
    [DG_EFF_CREATE_DOMAIN] = "create-domain",
    [DG_EFF_SET] = "set",
    [DG_EFF_RESET_ALL] = "reset-all",
};

#define Q(x) ((x) ? (x) : "-")

/* One effect as "kind schema.name [col] [name2] [->ref] [flags]". */
static void describe(const struct dg_effect *e, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s %s%s%s", kinds[e->kind], e->schema ? e->schema : "",
			 e->schema ? "." : "", Q(e->name));
	if (e->col)
		n += snprintf(buf + n, size - (size_t)n, " col=%s", e->col);
	if (e->name2)
		n += snprintf(buf + n, size - (size_t)n, " %s", e->name2);
	if (e->ref_name)
		n += snprintf(buf + n, size - (size_t)n, " ->%s", e->ref_name);
	if (e->type && e->type->n_names)
		n += snprintf(buf + n, size - (size_t)n, " type=%s",
			      dg_name_last(e->type->names, e->type->n_names));
	if (e->kind == DG_EFF_ADD_CONSTRAINT || e->kind == DG_EFF_CHECK_NOT_NULL)
		n += snprintf(buf + n, size - (size_t)n, "%s", e->valid ? " valid" : " not-valid");
	if (e->is_default)
		n += snprintf(buf + n, size - (size_t)n, " default");
	if (e->partitioned)
		n += snprintf(buf + n, size - (size_t)n, " partitioned");
	if (e->cascade)
		n += snprintf(buf + n, size - (size_t)n, " cascade");
	if (e->local)
		n += snprintf(buf + n, size - (size_t)n, " local");
	if (e->reset)
		n += snprintf(buf + n, size - (size_t)n, " reset");
	if (e->temp)
		snprintf(buf + n, size - (size_t)n, " temp");
}

static const struct {
	const char *sql;
	const char *want; /* the effects, one per line */
} cases[] = {
    {"CREATE TABLE s.t (id int PRIMARY KEY, ref int REFERENCES u (id), c text CHECK (c IS NOT "
     "NULL))",
     "create s.t\n"
     "add-column s.t col=id type=int4\n"
     "add-constraint s.t col=id valid\n"
     "create-index s.t t_pkey\n"
     "add-column s.t col=ref type=int4\n"
     "add-constraint s.t col=ref t_ref_fkey ->u valid\n"
     "add-column s.t col=c type=text\n"
     "add-constraint s.t col=c valid\n"
     "check-not-null s.t col=c valid\n"},
    {"CREATE TABLE p (id int, at date) PARTITION BY RANGE (at)", "create p partitioned\n"
								 "add-column p col=id type=int4\n"
								 "add-column p col=at type=date\n"},
    {"CREATE TABLE p_d PARTITION OF p DEFAULT", "create p_d p\nattach p p_d default\n"},
    {"CREATE TEMP TABLE tt (a int)", "create tt temp\nadd-column tt col=a type=int4 temp\n"},
    {"CREATE INDEX ON t (a, b)", "create-index t t_a_b_idx\n"},
    {"CREATE UNIQUE INDEX IF NOT EXISTS t_u ON t (a)", "create-index t t_u\n"},
    {"ALTER TABLE t ADD COLUMN x int UNIQUE, ALTER COLUMN y TYPE bigint, DROP COLUMN z",
     "add-column t col=x type=int4\n"
     "add-constraint t col=x valid\n"
     "create-index t t_x_key\n"
     "set-type t col=y type=int8\n"
     "drop-column t col=z\n"},
    {"ALTER TABLE t ADD CONSTRAINT c CHECK (a IS NOT NULL AND b > 0) NOT VALID",
     "add-constraint t c not-valid\ncheck-not-null t col=a c not-valid\n"},
    {"ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_u",
     "add-constraint t t_pk valid\nrename-index t col=t_pk t_u\n"},
    {"ALTER TABLE t VALIDATE CONSTRAINT c, DROP CONSTRAINT d",
     "validate t c\ndrop-constraint t d\n"},
    {"ALTER TABLE p ATTACH PARTITION s.p_1 FOR VALUES FROM (1) TO (2)", "attach p p_1\n"},
    {"ALTER TABLE p DETACH PARTITION p_1 CONCURRENTLY", "detach p p_1\n"},
    {"DROP TABLE a, s.b CASCADE", "drop a cascade\ndrop s.b cascade\n"},
    {"DROP INDEX CONCURRENTLY s.i", "drop-index s.- i\n"},
    {"ALTER TABLE a RENAME TO b", "rename a b\n"},
    {"ALTER TABLE a RENAME COLUMN x TO y", "rename-column a col=x y\n"},
    {"ALTER INDEX i RENAME TO j", "rename-index - col=j i\n"},
    {"CREATE MATERIALIZED VIEW mv AS SELECT 1", "create mv\n"},
    {"CREATE DOMAIN app.cents AS bigint", "create-domain app.cents\n"},
    {"SET LOCAL lock_timeout = '5s'", "set - lock_timeout local\n"},
    {"RESET statement_timeout", "set - statement_timeout reset\n"},
    {"RESET ALL", "reset-all -\n"},
    {"SELECT set_config('Lock_Timeout', '1s', true)", "set - lock_timeout local\n"},
    {"INSERT INTO t VALUES (1)", ""},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dg_arena a;
		struct dg_source src;
		struct dg_section sec = {0};
		struct dg_parsed p = {0};
		struct dg_effects e = {0};
		char got[4096] = "", line[512];

		dg_arena_init(&a);
		dg_source_init(&src, &a, "t.sql", cases[i].sql, strlen(cases[i].sql));
		sec.start = 0;
		sec.end = src.len;
		dg_parse_section(&src, &sec, &a, &p);
		assert_int_equal(p.n_errors, 0);
		assert_int_equal(p.n_stmts, 1);
		dg_effects_of(p.stmts[0].node, &a, &e);
		for (size_t k = 0; k < e.n; k++) {
			describe(&e.v[k], line, sizeof(line));
			strncat(got, line, sizeof(got) - strlen(got) - 2);
			strcat(got, "\n");
		}
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s\nwant:\n%sgot:\n%s", cases[i].sql, cases[i].want, got);
		dg_arena_destroy(&a);
	}
}

static void test_values(void **state)
{
	(void)state;
	static const struct {
		const char *sql;
		bool utc, zero;
	} v[] = {
	    {"SET TimeZone = 'UTC'", true, false},
	    {"SET TIME ZONE 'Etc/GMT'", true, false},
	    {"SET TimeZone = 0", true, true},
	    {"SET TimeZone = 'Europe/Paris'", false, false},
	    {"SET lock_timeout = '0s'", false, true},
	    {"SET lock_timeout = 0", true, true},
	    {"SET lock_timeout = '10ms'", false, false},
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct dg_arena a;
		struct dg_source src;
		struct dg_section sec = {0};
		struct dg_parsed p = {0};
		struct dg_effects e = {0};

		dg_arena_init(&a);
		dg_source_init(&src, &a, "t.sql", v[i].sql, strlen(v[i].sql));
		sec.end = src.len;
		dg_parse_section(&src, &sec, &a, &p);
		dg_effects_of(p.stmts[0].node, &a, &e);
		assert_int_equal(e.n, 1);
		if (dg_effect_zone_is_utc(e.v[0].value) != v[i].utc ||
		    dg_effect_value_is_zero(e.v[0].value) != v[i].zero)
			fail_msg("%s: utc %d zero %d", v[i].sql,
				 dg_effect_zone_is_utc(e.v[0].value),
				 dg_effect_value_is_zero(e.v[0].value));
		dg_arena_destroy(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
