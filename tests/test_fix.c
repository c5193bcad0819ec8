/* test_fix.c — the fix model. Every fix of every finding over all the fixtures must verify (the
 * fixed file parses, that finding is gone, no new one appears); a table of cases pins the exact
 * text of each recipe under each runner; applying, verifying and the unified diff are checked on
 * their own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testkit.h"

/* lint against the directory's schema memory without adding this file to it */
#include "engine.h"
#define dg_lint_buffer_ex_for_tests(c, cat, p, b, l, o) dg_lint_buffer_ex(c, cat, false, p, b, l, o)

/* -- ddlguard-test: directives, as test_rules reads them (a subset: enough for the fixtures). */
static void directives(const char *text, struct dg_config *cfg)
{
	const char *p = text;
	int major;

	while ((p = strstr(p, "-- ddlguard-test:"))) {
		p += strlen("-- ddlguard-test:");
		if (sscanf(p, " pg-version %d", &major) == 1)
			dg_config_set_pg_version(cfg, major);
		else if (strncmp(p, " assume-in-transaction", 22) == 0)
			dg_config_set_assume_in_transaction(cfg, true);
	}
}

static const char *const with_recipe[] = {
    "require-concurrent-index-creation",
    "require-concurrent-index-deletion",
    "ban-concurrent-index-creation-in-transaction",
    "constraint-missing-not-valid",
    "require-lock-timeout",
    "require-statement-timeout",
    "prefer-robust-stmts",
    "prefer-bigint-over-int",
    "prefer-bigint-over-smallint",
    "prefer-timestamptz",
    "prefer-text-field",
};
#define N_RECIPES (sizeof(with_recipe) / sizeof(*with_recipe))

/* Over every fixture, with every rule on: each ignore fix verifies; each rewrite fix either
 * verifies or is one the verification rejects, and a lint with --fix's verification on offers
 * exactly the ones that verify; every recipe has a verified fix somewhere in the fixtures. */
static void test_every_fix_over_the_fixtures(void **state)
{
	struct dg_path_list files = {0}, errors = {0};
	struct dg_catalog *cat = dg_catalog_new();
	size_t verified[N_RECIPES] = {0}, rewrites = 0, rejected = 0, ignores = 0, failed = 0;

	(void)state;
	dg_collect_paths(DG_FIXTURES, &files, &errors);
	assert_int_equal(errors.n, 0);
	assert_true(files.n > 50);
	for (size_t i = 0; i < files.n; i++) {
		const char *path = files.items[i];
		struct dg_config *cfg = dg_config_new(), *vcfg;
		struct dg_result res, checked, again;
		size_t len, offered = 0, accepted = 0;
		char *buf = tk_slurp(path);

		assert_non_null(buf);
		len = strlen(buf);
		dg_config_set_all_rules_enabled(cfg, true);
		directives(buf, cfg);
		vcfg = dg_config_clone(cfg);
		dg_config_set_verify_fixes(vcfg, true);
		assert_int_equal(dg_lint_buffer_ex_for_tests(cfg, cat, path, buf, len, &res),
				 DG_OK);
		assert_int_equal(dg_lint_buffer_ex_for_tests(vcfg, cat, path, buf, len, &checked),
				 DG_OK);
		assert_int_equal(res.n_findings, checked.n_findings);
		for (size_t k = 0; k < res.n_findings; k++) {
			const struct dg_finding *f = &res.findings[k];
			offered += checked.findings[k].n_fixes;
			for (size_t x = 0; x < f->n_fixes; x++) {
				const struct dg_fix *fix = &f->fixes[x];
				char why[256] = "";
				bool ok = dg_fix_verify(cfg, cat, path, buf, len, &fix, 1, why,
							sizeof(why));

				accepted += ok;
				if (fix->kind != DG_FIX_REWRITE) {
					ignores++;
					if (!ok) {
						print_error("%s:%u:%u: %s: \"%s\" fails: %s\n",
							    path, f->line, f->column, f->rule,
							    fix->description, why);
						failed++;
					}
					continue;
				}
				if (!ok) {
					rejected++;
					continue;
				}
				rewrites++;
				for (size_t r = 0; r < N_RECIPES; r++)
					verified[r] += strcmp(f->rule, with_recipe[r]) == 0;
			}
		}
		if (offered != accepted) {
			print_error("%s: %zu fixes verify, the verifying lint offers %zu\n", path,
				    accepted, offered);
			failed++;
		}
		dg_result_clear(&res);
		dg_result_clear(&checked);
		/* the directory's schema memory moves on, as the CLI's does */
		assert_int_equal(dg_lint_buffer_with(cfg, cat, path, buf, len, &again), DG_OK);
		dg_result_clear(&again);
		dg_config_free(cfg);
		dg_config_free(vcfg);
		free(buf);
	}
	print_message("fixes over %zu fixture files: %zu rewrites verified, %zu rejected by the "
		      "verification, %zu ignores verified\n",
		      files.n, rewrites, rejected, ignores);
	for (size_t r = 0; r < N_RECIPES; r++) {
		if (!verified[r]) {
			print_error("no verified fix of %s in the fixtures\n", with_recipe[r]);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
	dg_catalog_free(cat);
	dg_path_list_free(&files);
	dg_path_list_free(&errors);
}

/* One recipe under one runner: the file as the rule's rewrite fix leaves it, or NULL when the
 * recipe must offer none. */
struct fix_case {
	const char *path, *format, *rule, *input, *want;
};

static const struct fix_case cases[] = {
    {"a.sql", NULL, "require-concurrent-index-creation", "CREATE INDEX i ON t (a);\n",
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"},
    {"a.sql", NULL, "require-concurrent-index-creation", "create unique index i on t (a);\n",
     "create unique index CONCURRENTLY IF NOT EXISTS i on t (a);\n"},
    {"db/migrations/1_a.sql", NULL, "require-concurrent-index-creation",
     "-- migrate:up\nCREATE INDEX i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n",
     "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n\n"
     "-- migrate:down\nDROP INDEX i;\n"},
    {"db/migrations/1_a.sql", NULL, "require-concurrent-index-creation",
     "-- migrate:up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n", NULL},
    {"1_a.sql", NULL, "require-concurrent-index-creation",
     "-- +goose Up\nCREATE INDEX i ON t (a);\n-- +goose Down\nDROP INDEX i;\n",
     "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"
     "-- +goose Down\nDROP INDEX i;\n"},
    {"1_a.sql", NULL, "require-concurrent-index-creation",
     "-- +migrate Up\nCREATE INDEX i ON t (a);\n-- +migrate Down\nDROP INDEX i;\n",
     "-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"
     "-- +migrate Down\nDROP INDEX i;\n"},
    {"V2__idx.sql", "flyway", "require-concurrent-index-creation", "CREATE INDEX i ON t (a);\n",
     "-- flyway:executeInTransaction=false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"},
    {"2_idx.sql", "atlas", "require-concurrent-index-creation", "CREATE INDEX i ON t (a);\n",
     "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"},
    {"a.sql", NULL, "require-concurrent-index-creation",
     "BEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;\n", NULL},
    {"1_idx.sql", "sqlx", "require-concurrent-index-creation", "CREATE INDEX i ON t (a);\n",
     "-- no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"},
    {"1_idx.sql", "sqlx", "require-concurrent-index-creation",
     "ALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n", NULL},
    {"V2__idx.sql", "refinery", "require-concurrent-index-deletion", "DROP INDEX i;\n",
     "-- refinery:noTransaction\nDROP INDEX CONCURRENTLY i;\n"},
    {"migrations/committed/000002.sql", "graphile-migrate", "require-concurrent-index-creation",
     "--! Previous: sha1:ab\n--! Hash: sha1:cd\n\nCREATE INDEX i ON t (a);\n",
     "--! Previous: sha1:ab\n--! Hash: sha1:cd\n\n--! no-transaction\n"
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"},
    {"002_idx.sql", "tern", "require-concurrent-index-creation",
     "CREATE INDEX i ON t (a);\n---- create above / drop below ----\nDROP INDEX i;\n",
     "---- tern: disable-tx ----\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"
     "---- create above / drop below ----\nDROP INDEX i;\n"},
    {"0002.idx.sql", "yoyo", "require-concurrent-index-creation",
     "-- depends: 0001.init\nCREATE INDEX i ON t (a);\n",
     "-- transactional: false\n-- depends: 0001.init\n"
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"},
    /* every pending migration in one transaction */
    {"drizzle/0002_idx.sql", "drizzle", "require-concurrent-index-creation",
     "CREATE INDEX i ON t (a);\n", NULL},
    {"a.sql", NULL, "require-concurrent-index-deletion", "DROP INDEX i;\n",
     "DROP INDEX CONCURRENTLY i;\n"},
    {"a.sql", NULL, "require-concurrent-index-deletion", "DROP INDEX i CASCADE;\n", NULL},
    {"db/migrations/1_a.sql", NULL, "ban-concurrent-index-creation-in-transaction",
     "-- migrate:up\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
     "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"},
    {"a.sql", NULL, "constraint-missing-not-valid",
     "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\n",
     "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
     "ALTER TABLE t VALIDATE CONSTRAINT \"c\";\n"},
    {"a.sql", NULL, "constraint-missing-not-valid",
     "ALTER TABLE \"T\" ADD FOREIGN KEY (u_id) REFERENCES u (id);\n",
     "ALTER TABLE \"T\" ADD CONSTRAINT \"T_u_id_fkey\" FOREIGN KEY (u_id) REFERENCES u (id) "
     "NOT VALID;\nALTER TABLE \"T\" VALIDATE CONSTRAINT \"T_u_id_fkey\";\n"},
    {"a.sql", NULL, "constraint-missing-not-valid",
     "BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\nCOMMIT;\n",
     "BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nCOMMIT;\n"
     "ALTER TABLE t VALIDATE CONSTRAINT \"c\";\n"},
    {"db/migrations/1_a.sql", NULL, "constraint-missing-not-valid",
     "-- migrate:up\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\n",
     "-- migrate:up\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"},
    {"a.sql", NULL, "require-lock-timeout", "ALTER TABLE t ADD COLUMN b int;\n",
     "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN b int;\n"},
    {"db/migrations/1_a.sql", NULL, "require-lock-timeout",
     "-- migrate:up\n  ALTER TABLE t ADD COLUMN b int;\n",
     "-- migrate:up\n  SET LOCAL lock_timeout = '2s';\n  ALTER TABLE t ADD COLUMN b int;\n"},
    /* a rewrite: require-statement-timeout folds into this finding, the fix sets both */
    {"db/migrations/2_a.sql", NULL, "require-lock-timeout",
     "-- migrate:up\nALTER TABLE t ADD COLUMN b serial;\n",
     "-- migrate:up\nSET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '5min';\n"
     "ALTER TABLE t ADD COLUMN b serial;\n"},
    {"a.sql", NULL, "require-statement-timeout",
     "BEGIN; ALTER TABLE t ADD COLUMN b serial;\nCOMMIT;\n",
     "BEGIN; SET LOCAL statement_timeout = '5min'; ALTER TABLE t ADD COLUMN b serial;\nCOMMIT;\n"},
    {"a.sql", NULL, "prefer-robust-stmts", "CREATE TABLE t (a int);\nCREATE TABLE u (a int);\n",
     "CREATE TABLE IF NOT EXISTS t (a int);\nCREATE TABLE u (a int);\n"},
    {"a.sql", NULL, "prefer-robust-stmts", "DROP MATERIALIZED VIEW v;\nDROP TABLE u;\n",
     "DROP MATERIALIZED VIEW IF EXISTS v;\nDROP TABLE u;\n"},
    {"a.sql", NULL, "prefer-robust-stmts",
     "ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t DROP COLUMN c;\n",
     "ALTER TABLE t ADD COLUMN IF NOT EXISTS b int;\nALTER TABLE t DROP COLUMN c;\n"},
    {"a.sql", NULL, "prefer-robust-stmts", "CREATE INDEX CONCURRENTLY i ON t (a);\n",
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"},
    {"a.sql", NULL, "prefer-bigint-over-int", "CREATE TABLE t (a int NOT NULL);\n",
     "CREATE TABLE t (a bigint NOT NULL);\n"},
    {"a.sql", NULL, "prefer-bigint-over-int", "CREATE TABLE t (a serial PRIMARY KEY);\n",
     "CREATE TABLE t (a bigserial PRIMARY KEY);\n"},
    {"a.sql", NULL, "prefer-bigint-over-int", "ALTER TABLE t ALTER COLUMN a TYPE int;\n", NULL},
    {"a.sql", NULL, "prefer-bigint-over-smallint", "CREATE TABLE t (a int2[]);\n",
     "CREATE TABLE t (a bigint[]);\n"},
    {"a.sql", NULL, "prefer-timestamptz",
     "CREATE TABLE t (a timestamp(3) without time zone DEFAULT now());\n",
     "CREATE TABLE t (a timestamptz(3) DEFAULT now());\n"},
    {"a.sql", NULL, "prefer-text-field", "CREATE TABLE t (\"A\" varchar(20) NOT NULL);\n",
     "CREATE TABLE t (\"A\" text CHECK (char_length(\"A\") <= 20) NOT NULL);\n"},
};

static void test_recipes(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct fix_case *c = &cases[i];
		struct dg_config *cfg = dg_config_new();
		struct dg_result res;
		const struct dg_fix *fix = NULL;
		char *got = NULL, why[256] = "";
		size_t glen = 0, len = strlen(c->input);

		dg_config_set_all_rules_enabled(cfg, true);
		/* NOT VALID and then VALIDATE outside a transaction: if VALIDATE fails, a re-run
		 * stops at the ADD (prefer-robust-stmts rightly says so, and the verification then
		 * rejects the fix, as test_every_fix_over_the_fixtures counts) */
		if (strcmp(c->rule, "constraint-missing-not-valid") == 0)
			dg_config_set_rule_enabled(cfg, "prefer-robust-stmts", false);
		/* where require-lock-timeout fires, require-statement-timeout folds into it */
		if (strcmp(c->rule, "require-statement-timeout") == 0)
			dg_config_set_rule_enabled(cfg, "require-lock-timeout", false);
		if (c->format)
			assert_int_equal(dg_config_set_migration_format(cfg, c->format), DG_OK);
		assert_int_equal(dg_lint_buffer(cfg, c->path, c->input, len, &res), DG_OK);
		for (size_t k = 0; k < res.n_findings && !fix; k++)
			if (strcmp(res.findings[k].rule, c->rule) == 0)
				fix = dg_finding_rewrite(&res.findings[k]);
		if (fix)
			got = dg_fix_apply(c->input, len, &fix, 1, NULL, &glen);
		if ((c->want == NULL) != (got == NULL) || (got && strcmp(got, c->want) != 0)) {
			print_error("case %zu (%s, %s):\nwant: %s\ngot:  %s\n", i, c->rule, c->path,
				    c->want ? c->want : "(no fix)", got ? got : "(no fix)");
			failures++;
		} else if (fix && !dg_fix_verify(cfg, NULL, c->path, c->input, len, &fix, 1, why,
						 sizeof(why))) {
			print_error("case %zu (%s): the fix does not verify: %s\n", i, c->rule,
				    why);
			failures++;
		}
		free(got);
		dg_result_clear(&res);
		dg_config_free(cfg);
	}
	assert_int_equal(failures, 0);
}

/* No fix of the file alone can take a statement out of a transaction its runner shares with
 * other statements: the finding's help says to move it into a migration of its own, and only
 * there (a lone statement gets its fix, a BEGIN block is the user's own). */
static void test_split_note(void **state)
{
	static const struct {
		const char *path, *input;
		bool note;
	} notes[] = {
	    {"db/migrations/1_a.sql",
	     "-- migrate:up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n", true},
	    {"db/migrations/1_a.sql",
	     "-- migrate:up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
	     true},
	    {"db/migrations/1_a.sql", "-- migrate:up\nCREATE INDEX i ON t (a);\n", false},
	    {"a.sql", "BEGIN;\nSELECT 1;\nCREATE INDEX i ON t (a);\nCOMMIT;\n", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(notes) / sizeof(*notes); i++) {
		struct dg_config *cfg = dg_config_new();
		struct dg_result res;
		size_t seen = 0;

		assert_int_equal(dg_lint_buffer(cfg, notes[i].path, notes[i].input,
						strlen(notes[i].input), &res),
				 DG_OK);
		for (size_t k = 0; k < res.n_findings; k++) {
			const struct dg_finding *f = &res.findings[k];
			if (strcmp(f->rule, "require-concurrent-index-creation") != 0 &&
			    strcmp(f->rule, "ban-concurrent-index-creation-in-transaction") != 0)
				continue;
			seen++;
			if ((strstr(f->help, "move it into a migration of its own") != NULL) !=
			    notes[i].note)
				fail_msg("case %zu: %s help: %s", i, f->rule, f->help);
			if (notes[i].note && dg_finding_rewrite(f))
				fail_msg("case %zu: a fix of the file alone", i);
		}
		assert_true(seen > 0);
		dg_result_clear(&res);
		dg_config_free(cfg);
	}
}

/* A fix that breaks the statement, one that leaves the finding and one that adds another must
 * all fail verification: the check itself can fail. */
static void test_verify_rejects(void **state)
{
	static const char input[] = "CREATE INDEX i ON t (a);\n";
	struct dg_config *cfg = dg_config_new();
	struct dg_edit broken = {0, 0, 1, 1, 1, 1, (char *)"CREATE ("};
	struct dg_edit nothing = {25, 0, 2, 1, 2, 1, (char *)"\n"};
	struct dg_edit more = {25, 0, 2, 1, 2, 1, (char *)"CREATE TABLE u (a int);\n"};
	struct dg_fix f1 = {DG_FIX_REWRITE, "require-concurrent-index-creation", (char *)"x",
			    &broken, 1};
	struct dg_fix f2 = f1, f3 = f1;
	const struct dg_fix *p;
	char why[256];

	(void)state;
	f2.edits = &nothing;
	f3.edits = &more;
	dg_config_set_all_rules_enabled(cfg, true);
	p = &f1;
	assert_false(
	    dg_fix_verify(cfg, NULL, "a.sql", input, strlen(input), &p, 1, why, sizeof(why)));
	assert_string_equal(why, "the fixed file does not parse");
	p = &f2;
	assert_false(
	    dg_fix_verify(cfg, NULL, "a.sql", input, strlen(input), &p, 1, why, sizeof(why)));
	assert_non_null(strstr(why, "still has"));
	p = &f3;
	assert_false(
	    dg_fix_verify(cfg, NULL, "a.sql", input, strlen(input), &p, 1, why, sizeof(why)));
	dg_config_free(cfg);
}

static void test_apply_overlap(void **state)
{
	static const char input[] = "abcdef";
	struct dg_edit e1 = {1, 2, 1, 2, 1, 4, (char *)"XY"}, e2 = {2, 2, 1, 3, 1, 5, (char *)"Q"},
		       e3 = {6, 0, 1, 7, 1, 7, (char *)"!"};
	struct dg_fix a = {DG_FIX_REWRITE, "r", (char *)"a", &e1, 1}, b = a, c = a;
	const struct dg_fix *all[3] = {&a, &b, &c};
	bool used[3];
	size_t n;
	char *out;

	(void)state;
	b.edits = &e2;
	c.edits = &e3;
	out = dg_fix_apply(input, 6, all, 3, used, &n);
	assert_string_equal(out, "aXYdef!");
	assert_int_equal(n, 7);
	assert_true(used[0]);
	assert_false(used[1]);
	assert_true(used[2]);
	free(out);
}

static void test_unified_diff(void **state)
{
	static const char a[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16";
	static const char b[] = "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15!";
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);

	(void)state;
	assert_true(dg_diff_write(fp, "x.sql", a, strlen(a), b, strlen(b)));
	assert_false(dg_diff_write(fp, "x.sql", a, strlen(a), a, strlen(a)));
	fclose(fp);
	assert_string_equal(
	    buf, "--- a/x.sql\n+++ b/x.sql\n"
		 "@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n"
		 "@@ -12,5 +13,4 @@\n 12\n 13\n 14\n-15\n-16\n\\ No newline at end of file\n"
		 "+15!\n\\ No newline at end of file\n");
	free(buf);
}

/* JSON carries the rewrite as "fix" and every fix in "fixes"; SARIF as result.fixes. */
static void test_reports(void **state)
{
	struct tk_run r;

	(void)state;
	r = tk_run("printf 'CREATE INDEX i ON t (a);\\n' | %s --format json --stdin-filename a.sql "
		   "-",
		   DG_BINARY);
	assert_non_null(strstr(r.out, "\"fix\":{\"kind\":\"rewrite\""));
	assert_non_null(strstr(r.out, "\"text\":\" CONCURRENTLY IF NOT EXISTS\""));
	assert_non_null(strstr(r.out, "\"kind\":\"ignore-file\""));
	free(r.out);
	r = tk_run(
	    "printf 'CREATE INDEX i ON t (a);\\n' | %s --format sarif --stdin-filename a.sql "
	    "-",
	    DG_BINARY);
	assert_non_null(strstr(r.out, "\"artifactChanges\""));
	assert_non_null(strstr(r.out, "\"insertedContent\""));
	free(r.out);
}

/* --fix writes only verified fixes, --fix --diff changes nothing, a file that does not parse is
 * never touched. */
static void test_cli_fix(void **state)
{
	struct tk_run r = {0};
	char *text;
	char path[512];

	(void)state;
	assert_int_equal(tk_tmpdir_create("fix"), 0);
	tk_write_file("a.sql", "CREATE INDEX i ON t (a);\n");
	tk_write_file("bad.sql", "CREATE INDEX i ON t (a);\nCREATE TABLE (;\n");
	tk_sh(&r, "%s --fix --diff --select require-concurrent-index-creation a.sql", DG_BINARY);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "+CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);"));
	snprintf(path, sizeof(path), "%s/a.sql", tk_tmpdir);
	text = tk_slurp(path);
	assert_string_equal(text, "CREATE INDEX i ON t (a);\n");
	free(text);
	tk_sh(&r, "%s --fix --select require-concurrent-index-creation a.sql bad.sql", DG_BINARY);
	assert_int_equal(r.status, 1); /* bad.sql still has its finding (and a syntax error) */
	text = tk_slurp(path);
	assert_string_equal(text, "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n");
	free(text);
	snprintf(path, sizeof(path), "%s/bad.sql", tk_tmpdir);
	text = tk_slurp(path);
	assert_string_equal(text, "CREATE INDEX i ON t (a);\nCREATE TABLE (;\n");
	free(text);
	tk_sh(&r, "%s --diff a.sql", DG_BINARY);
	assert_int_equal(r.status, 2);
	free(r.out);
	assert_int_equal(tk_tmpdir_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_fix_over_the_fixtures),
	    cmocka_unit_test(test_recipes),
	    cmocka_unit_test(test_split_note),
	    cmocka_unit_test(test_verify_rejects),
	    cmocka_unit_test(test_apply_overlap),
	    cmocka_unit_test(test_unified_diff),
	    cmocka_unit_test(test_reports),
	    cmocka_unit_test(test_cli_fix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
