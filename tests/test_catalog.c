/* test_catalog.c — schema memory: what earlier migrations of a directory created makes a later
 * migration's findings precise; without a catalog nothing changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "memory.h"
#include "migration.h"
#include "testkit.h"

/* The findings of `rule` in the file `name` of a directory (in the tool's order) linted with
 * `cat` (NULL: file by file, no schema memory); their messages joined by '\n' into msgs. */
static size_t lint_dir(const char *dir, struct dg_catalog *cat, const char *name, const char *rule,
		       char *msgs, size_t size)
{
	struct dg_path_list files = {0}, errors = {0};
	struct dg_config *cfg = dg_config_new();
	size_t found = 0;
	char path[512];

	msgs[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", tk_tmpdir, dir);
	dg_collect_paths(path, &files, &errors);
	assert_int_equal(errors.n, 0);
	for (size_t i = 0; i < files.n; i++) {
		struct dg_result res;
		const char *base = strrchr(files.items[i], '/') + 1;

		assert_int_equal(dg_lint_file_with(cfg, cat, files.items[i], &res), DG_OK);
		for (size_t k = 0; k < res.n_findings; k++) {
			if (strcmp(base, name) != 0 || strcmp(res.findings[k].rule, rule) != 0)
				continue;
			found++;
			strncat(msgs, res.findings[k].message, size - strlen(msgs) - 2);
			strcat(msgs, "\n");
		}
		dg_result_clear(&res);
	}
	dg_path_list_free(&files);
	dg_path_list_free(&errors);
	dg_config_free(cfg);
	return found;
}

static void write_dir(void)
{
	tk_mkdir("db");
	tk_write_file("db/001_create.up.sql",
		      "CREATE TABLE t (id serial PRIMARY KEY, name varchar(50), n integer,\n"
		      "  price numeric(10,2), p_id bigint REFERENCES p (id), old text);\n"
		      "CREATE INDEX t_name_idx ON t (name);\n"
		      "ALTER TABLE t RENAME COLUMN old TO title;\n");
	/* a down file that drops everything: it must not make the next migration forget */
	tk_write_file("db/001_create.down.sql", "DROP TABLE t;\n");
	tk_write_file("db/002_alter.up.sql",
		      "ALTER TABLE t ALTER COLUMN name TYPE text;\n"
		      "ALTER TABLE t ALTER COLUMN n TYPE bigint;\n"
		      "ALTER TABLE t ALTER COLUMN price TYPE numeric(12,2);\n"
		      "ALTER TABLE t ALTER COLUMN id TYPE integer;\n"
		      "ALTER TABLE t ALTER COLUMN title TYPE text;\n");
	tk_write_file("db/002_alter.down.sql", "SELECT 1;\n");
}

static void earlier_migration_gives_the_old_type(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char msgs[8192];

	(void)state;
	write_dir();
	/* only n (integer → bigint) rewrites; title was renamed from old, whose type (text) it
	 * keeps: text to text changes nothing */
	assert_int_equal(
	    lint_dir("db", cat, "002_alter.up.sql", "changing-column-type", msgs, sizeof(msgs)), 1);
	assert_non_null(strstr(msgs, "changing \"n\" from integer to bigint rewrites \"t\""));
	assert_null(strstr(msgs, "\"title\""));
	assert_null(strstr(msgs, "\"name\""));
	assert_null(strstr(msgs, "\"price\""));
	assert_null(strstr(msgs, "\"id\""));
	dg_catalog_free(cat);
}

static void without_a_catalog_nothing_changes(void **state)
{
	char msgs[8192];

	(void)state;
	write_dir();
	assert_int_equal(
	    lint_dir("db", NULL, "002_alter.up.sql", "changing-column-type", msgs, sizeof(msgs)),
	    5);
	assert_non_null(strstr(msgs, "unless \"name\" is varchar or text now"));
	assert_null(strstr(msgs, "from integer"));
}

static void what_the_catalog_knows(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char type[64], msgs[8192];

	(void)state;
	write_dir();
	lint_dir("db", cat, "none", "none", msgs, sizeof(msgs));
	/* after 002: the altered types, the index's table, serial as its integer type */
	assert_true(dg_catalog_column_type(cat, NULL, "t", "name", type, sizeof(type)));
	assert_string_equal(type, "text");
	assert_true(dg_catalog_column_type(cat, "public", "t", "price", type, sizeof(type)));
	assert_string_equal(type, "numeric(12,2)");
	assert_true(dg_catalog_column_type(cat, NULL, "t", "id", type, sizeof(type)));
	assert_string_equal(type, "int4");
	assert_false(dg_catalog_column_type(cat, NULL, "t", "old", type, sizeof(type)));
	assert_false(dg_catalog_column_type(cat, NULL, "t", "nope", type, sizeof(type)));
	assert_string_equal(dg_catalog_index_table(cat, NULL, "t_name_idx"), "t");
	assert_string_equal(dg_catalog_index_table(cat, NULL, "t_pkey"), "t");
	assert_null(dg_catalog_index_table(cat, NULL, "nope"));

	/* a file of another directory: everything is forgotten */
	tk_mkdir("other");
	tk_write_file("other/001_x.up.sql", "SELECT 1;\n");
	lint_dir("other", cat, "none", "none", msgs, sizeof(msgs));
	assert_false(dg_catalog_column_type(cat, NULL, "t", "name", type, sizeof(type)));
	assert_null(dg_catalog_index_table(cat, NULL, "t_name_idx"));
	dg_catalog_free(cat);
}

static void drops_are_remembered(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char msgs[8192];

	(void)state;
	tk_mkdir("drops");
	tk_write_file("drops/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE u (name varchar(10), code integer);\n"
		      "CREATE INDEX u_code ON u (code);\n-- migrate:down\nDROP TABLE u;\n");
	tk_write_file("drops/20240102000000_b.sql",
		      "-- migrate:up\nALTER TABLE u DROP COLUMN code;\nDROP INDEX u_code;\n"
		      "ALTER TABLE u ADD COLUMN code bigint;\n-- migrate:down\nSELECT 1;\n");
	tk_write_file("drops/20240103000000_c.sql",
		      "-- migrate:up\nALTER TABLE u ALTER COLUMN code TYPE integer;\n"
		      "ALTER TABLE u ALTER COLUMN name TYPE varchar(20);\n"
		      "-- migrate:down\nSELECT 1;\n");
	/* bigint → integer rewrites (the column was re-added as bigint); varchar(10) → (20) not */
	assert_int_equal(lint_dir("drops", cat, "20240103000000_c.sql", "changing-column-type",
				  msgs, sizeof(msgs)),
			 1);
	assert_non_null(strstr(msgs, "changing \"code\" from bigint to integer"));
	assert_null(dg_catalog_index_table(cat, NULL, "u_code"));
	dg_catalog_free(cat);
}

/* A table dropped and made again many times leaves dead entries that are swept out once they
 * are most of the catalog: what is alive stays, in order, and what was dropped stays gone
 * (partitions too, which are looked up among the partition entries alone). */
static void dead_entries_are_swept(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char type[64], msgs[8192], name[64];
	const char *ps = NULL;
	size_t cap = 400 * 300, n = 0;
	char *text = test_malloc(cap);

	(void)state;
	tk_mkdir("churn");
	n += (size_t)snprintf(text + n, cap - n, "-- migrate:up\n");
	for (int gen = 0; gen < 250; gen++) {
		/* made amid the churn, among dead entries: every later sweep moves it */
		if (gen == 100)
			n += (size_t)snprintf(
			    text + n, cap - n,
			    "CREATE TABLE keep (x varchar(5), y integer);\n"
			    "CREATE INDEX keep_y ON keep (y);\n"
			    "CREATE TABLE pk (at int) PARTITION BY RANGE (at);\n"
			    "CREATE TABLE pk_a PARTITION OF pk FOR VALUES FROM (0) TO "
			    "(10);\n");
		if (gen == 200)
			n += (size_t)snprintf(text + n, cap - n,
					      "CREATE TABLE pk_d PARTITION OF pk DEFAULT;\n");
		/* 12 columns, an index and a check per generation: ~4,000 dead entries in all */
		n += (size_t)snprintf(
		    text + n, cap - n,
		    "CREATE TABLE w (id bigint, a%d integer, b text, c text, d text, "
		    "e text, f text, g text, h text, i text, j text, k text, "
		    "CONSTRAINT w_chk CHECK (b IS NOT NULL)) PARTITION BY RANGE (id);\n"
		    "CREATE TABLE w_p%d PARTITION OF w FOR VALUES FROM (0) TO (10);\n"
		    "CREATE INDEX w_idx%d ON w (a%d);\nDROP TABLE w;\n",
		    gen, gen, gen, gen);
	}
	n += (size_t)snprintf(text + n, cap - n,
			      "CREATE TABLE w (id bigint, last integer);\nCREATE INDEX w_last ON w "
			      "(last);\n-- migrate:down\nSELECT 1;\n");
	tk_write_file("churn/20240101000000_churn.sql", text);
	lint_dir("churn", cat, "none", "none", msgs, sizeof(msgs));
	assert_true(dg_catalog_column_type(cat, NULL, "w", "last", type, sizeof(type)));
	assert_string_equal(type, "int4");
	assert_false(dg_catalog_column_type(cat, NULL, "w", "a249", type, sizeof(type)));
	assert_false(dg_catalog_column_type(cat, NULL, "w", "b", type, sizeof(type)));
	assert_true(dg_catalog_column_type(cat, NULL, "keep", "x", type, sizeof(type)));
	assert_string_equal(type, "varchar(5)");
	assert_true(dg_catalog_column_type(cat, NULL, "keep", "y", type, sizeof(type)));
	assert_string_equal(type, "int4");
	assert_string_equal(dg_catalog_index_table(cat, NULL, "keep_y"), "keep");
	assert_string_equal(dg_catalog_index_table(cat, NULL, "w_last"), "w");
	for (int gen = 0; gen < 250; gen += 37) {
		snprintf(name, sizeof(name), "w_idx%d", gen);
		assert_null(dg_catalog_index_table(cat, NULL, name));
	}
	assert_false(dg_catalog_valid_check(cat, NULL, "w"));
	assert_null(dg_catalog_partition_at(cat, NULL, "w", 0, &ps));
	assert_null(dg_catalog_parent_of(cat, NULL, "w_p249"));
	assert_string_equal(dg_catalog_partition_at(cat, NULL, "pk", 0, &ps), "pk_a");
	assert_string_equal(dg_catalog_partition_at(cat, NULL, "pk", 1, &ps), "pk_d");
	assert_null(dg_catalog_partition_at(cat, NULL, "pk", 2, &ps));
	assert_string_equal(dg_catalog_default_partition(cat, NULL, "pk", &ps), "pk_d");
	dg_catalog_free(cat);
	test_free(text);
}

/* A down section undoes its up section, which may have changed the column since the earlier
 * migrations: their type is not used there. */
static void down_sections_do_not_trust_earlier_types(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char msgs[8192];

	(void)state;
	tk_mkdir("down");
	tk_write_file(
	    "down/20240101000000_a.sql",
	    "-- migrate:up\nCREATE TABLE v (n integer);\n-- migrate:down\nDROP TABLE v;\n");
	tk_write_file("down/20240102000000_b.sql",
		      "-- migrate:up\nALTER TABLE v ALTER COLUMN n TYPE bigint;\n"
		      "-- migrate:down\nALTER TABLE v ALTER COLUMN n TYPE integer;\n");
	/* up: integer → bigint rewrites; down: bigint → integer rewrites too */
	assert_int_equal(lint_dir("down", cat, "20240102000000_b.sql", "changing-column-type", msgs,
				  sizeof(msgs)),
			 2);
	assert_non_null(strstr(msgs, "changing \"n\" from integer to bigint"));
	dg_catalog_free(cat);
}

/* DROP INDEX of an earlier migration's index names its table; before a DROP TABLE of that table
 * it is no finding (the table is locked and gone anyway). */
static void drop_index_knows_its_table(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char msgs[8192];

	(void)state;
	tk_mkdir("dropidx");
	tk_write_file("dropidx/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE t (id bigint, a int, b int);\n"
		      "CREATE TABLE u (id bigint, a int);\nCREATE INDEX t_a ON t (a);\n"
		      "CREATE INDEX u_a ON u (a);\n-- migrate:down\nDROP TABLE t, u;\n");
	tk_write_file("dropidx/20240102000000_b.sql",
		      "-- migrate:up\nDROP INDEX t_a;\nDROP INDEX u_a;\nDROP TABLE u;\n"
		      "-- migrate:down\n");
	assert_int_equal(lint_dir("dropidx", cat, "20240102000000_b.sql",
				  "require-concurrent-index-deletion", msgs, sizeof(msgs)),
			 1);
	assert_non_null(strstr(msgs, "DROP INDEX \"t_a\" takes an ACCESS EXCLUSIVE lock on its "
				     "table \"t\": every read and write of \"t\" waits"));
	dg_catalog_free(cat);
	assert_int_equal(lint_dir("dropidx", NULL, "20240102000000_b.sql",
				  "require-concurrent-index-deletion", msgs, sizeof(msgs)),
			 2);
	assert_non_null(strstr(msgs, "on the index's table"));
}

/* Tables of earlier migrations existed before this one: no "created in this migration"
 * exemption for them. */
static void earlier_tables_are_not_new(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char msgs[8192];

	(void)state;
	tk_mkdir("fk");
	tk_write_file("fk/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE a (id bigint PRIMARY KEY);\n"
		      "CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint);\n"
		      "-- migrate:down\nDROP TABLE b, a;\n");
	tk_write_file("fk/20240102000000_b.sql",
		      "-- migrate:up\nALTER TABLE b ADD CONSTRAINT b_a FOREIGN KEY (a_id) "
		      "REFERENCES a (id);\n-- migrate:down\nALTER TABLE b DROP CONSTRAINT b_a;\n");
	assert_int_equal(lint_dir("fk", cat, "20240102000000_b.sql", "constraint-missing-not-valid",
				  msgs, sizeof(msgs)),
			 1);
	assert_int_equal(lint_dir("fk", NULL, "20240102000000_b.sql",
				  "constraint-missing-not-valid", msgs, sizeof(msgs)),
			 1);
	dg_catalog_free(cat);
}

/* The lock model: the table of an index and the tables DROP TABLE's foreign keys reference,
 * from an earlier migration; file by file they stay unknown. */
static void locks_know_earlier_indexes_and_foreign_keys(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	struct dg_config *cfg = dg_config_new();
	struct dg_lock_report r;
	char path[512];

	(void)state;
	tk_mkdir("locks");
	tk_write_file("locks/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE p (id bigint PRIMARY KEY);\n"
		      "CREATE TABLE t (id bigint PRIMARY KEY, p_id bigint REFERENCES p (id));\n"
		      "CREATE INDEX t_p_idx ON t (p_id);\n-- migrate:down\nDROP TABLE t, p;\n");
	tk_write_file("locks/20240102000000_b.sql",
		      "-- migrate:up\nDROP INDEX t_p_idx;\nDROP TABLE t;\n-- migrate:down\n");
	snprintf(path, sizeof(path), "%s/locks/20240101000000_a.sql", tk_tmpdir);
	assert_int_equal(dg_locks_file_with(cfg, cat, path, &r), DG_OK);
	dg_lock_report_clear(&r);
	snprintf(path, sizeof(path), "%s/locks/20240102000000_b.sql", tk_tmpdir);
	assert_int_equal(dg_locks_file_with(cfg, cat, path, &r), DG_OK);
	assert_int_equal(r.n_stmts, 2);
	assert_int_equal(r.stmts[0].n_rows, 2);
	assert_string_equal(r.stmts[0].rows[0].relation, "t");
	assert_string_equal(r.stmts[0].rows[0].role, "table of index");
	assert_int_equal(r.stmts[1].n_rows, 2);
	assert_string_equal(r.stmts[1].rows[1].relation, "p");
	assert_string_equal(r.stmts[1].rows[1].role, "referenced");
	assert_string_equal(r.stmts[1].rows[1].mode, "ACCESS EXCLUSIVE");
	dg_lock_report_clear(&r);

	/* a foreign key dropped by an earlier migration no longer makes DROP TABLE lock its table
	 */
	tk_mkdir("locks2");
	tk_write_file("locks2/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE p (id bigint PRIMARY KEY);\n"
		      "CREATE TABLE q (id bigint PRIMARY KEY);\n"
		      "CREATE TABLE t (id bigint, p_id bigint REFERENCES p (id),\n"
		      "  q_id bigint CONSTRAINT t_q REFERENCES q (id));\n"
		      "-- migrate:down\nDROP TABLE t, p;\n");
	tk_write_file("locks2/20240102000000_b.sql",
		      "-- migrate:up\nALTER TABLE t DROP COLUMN p_id;\n-- migrate:down\n");
	tk_write_file("locks2/20240103000000_c.sql",
		      "-- migrate:up\nDROP TABLE t;\n-- migrate:down\n");
	for (int f = 0; f < 3; f++) {
		static const char *const names[] = {"a", "b", "c"};
		snprintf(path, sizeof(path), "%s/locks2/2024010%d000000_%s.sql", tk_tmpdir, f + 1,
			 names[f]);
		assert_int_equal(dg_locks_file_with(cfg, cat, path, &r), DG_OK);
		if (f == 2) {
			assert_int_equal(r.stmts[0].n_rows, 2);
			assert_string_equal(r.stmts[0].rows[1].relation, "q");
		}
		dg_lock_report_clear(&r);
	}
	snprintf(path, sizeof(path), "%s/locks/20240102000000_b.sql", tk_tmpdir);
	assert_int_equal(dg_locks_file(cfg, path, &r), DG_OK);
	assert_string_equal(r.stmts[0].rows[0].relation, "(table of index t_p_idx)");
	assert_int_equal(r.stmts[1].n_rows, 1);
	dg_lock_report_clear(&r);
	dg_config_free(cfg);
	dg_catalog_free(cat);
}

/* A statement on a partitioned table locks the partitions earlier migrations made, not those
 * this file detached since. */
static void locks_know_earlier_partitions(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	struct dg_config *cfg = dg_config_new();
	struct dg_lock_report r;
	char path[512];

	(void)state;
	tk_mkdir("parts");
	tk_write_file(
	    "parts/20240101000000_a.sql",
	    "-- migrate:up\nCREATE TABLE m (id bigint, at date) PARTITION BY RANGE (at);\n"
	    "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO "
	    "('2025-01-01');\nCREATE TABLE m_2025 (id bigint, at date);\n"
	    "-- migrate:down\nDROP TABLE m;\n");
	tk_write_file("parts/20240102000000_b.sql",
		      "-- migrate:up\nALTER TABLE m ATTACH PARTITION m_2025 FOR VALUES FROM "
		      "('2025-01-01') TO ('2026-01-01');\n-- migrate:down\n");
	tk_write_file("parts/20240103000000_c.sql",
		      "-- migrate:up\nALTER TABLE m ADD COLUMN note text;\n"
		      "ALTER TABLE m DETACH PARTITION m_2024;\n"
		      "ALTER TABLE m ADD COLUMN more text;\n-- migrate:down\n");
	for (int f = 0; f < 3; f++) {
		static const char *const names[] = {"a", "b", "c"};
		snprintf(path, sizeof(path), "%s/parts/2024010%d000000_%s.sql", tk_tmpdir, f + 1,
			 names[f]);
		assert_int_equal(dg_locks_file_with(cfg, cat, path, &r), DG_OK);
		if (f == 2) {
			assert_int_equal(r.stmts[0].n_rows, 3);
			assert_string_equal(r.stmts[0].rows[1].relation, "m_2024");
			assert_string_equal(r.stmts[0].rows[1].role, "partition");
			assert_string_equal(r.stmts[0].rows[1].mode, "ACCESS EXCLUSIVE");
			assert_string_equal(r.stmts[0].rows[2].relation, "m_2025");
			assert_int_equal(r.stmts[2].n_rows, 2);
			assert_string_equal(r.stmts[2].rows[1].relation, "m_2025");
		}
		dg_lock_report_clear(&r);
	}
	/* file by file: only the table */
	assert_int_equal(dg_locks_file(cfg, path, &r), DG_OK);
	assert_int_equal(r.stmts[0].n_rows, 1);
	dg_lock_report_clear(&r);
	dg_config_free(cfg);
	dg_catalog_free(cat);
}

/* The command line lints a directory with schema memory; one file of it alone (a pre-commit
 * hook), or on standard input with --stdin-filename, reads the earlier migrations of its root
 * first and gets the same findings. */
static void cli_uses_the_catalog(void **state)
{
	struct tk_run r = {0};
	char *whole, *alone;

	(void)state;
	write_dir();
	tk_sh(&r, "%s --format json --fail-on never --enable changing-column-type db", DG_BINARY);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "changing \\\"n\\\" from integer to bigint"));
	assert_null(strstr(r.out, "unless \\\"name\\\""));
	tk_sh(&r, "%s --format gcc --fail-on never db | grep '^db/002_alter.up.sql:'", DG_BINARY);
	whole = r.out;
	r.out = NULL;
	assert_non_null(strstr(whole, "from integer to bigint"));
	tk_sh(&r, "%s --format gcc --fail-on never db/002_alter.up.sql", DG_BINARY);
	assert_string_equal(r.out, whole);
	alone = r.out;
	r.out = NULL;
	tk_sh(&r,
	      "%s --format gcc --fail-on never --stdin-filename db/002_alter.up.sql - "
	      "< db/002_alter.up.sql",
	      DG_BINARY);
	assert_string_equal(r.out, alone);
	/* without the earlier migration the memory is gone: the type of name is unknown again */
	tk_sh(&r,
	      "mkdir -p lone && cp db/002_alter.up.sql lone/ && %s --format gcc --fail-on "
	      "never lone/002_alter.up.sql",
	      DG_BINARY);
	assert_non_null(strstr(r.out, "unless \"name\" is varchar or text now"));
	free(whole);
	free(alone);
	free(r.out);
}

/* A long history read for one file alone (on several threads: more than 16 earlier files) is
 * absorbed in order: a chain of renames across 60 migrations still ends at the right column. */
static void cli_long_history_alone(void **state)
{
	struct tk_run r = {0};
	char name[64], text[256];
	char *whole;

	(void)state;
	tk_mkdir("hist");
	tk_write_file("hist/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE t (id bigint PRIMARY "
		      "KEY, c1 integer);\n-- migrate:down\nDROP TABLE t;\n");
	for (int k = 2; k <= 60; k++) {
		snprintf(name, sizeof(name), "hist/202401%02d%06d_r.sql", 1 + k / 30, k);
		snprintf(text, sizeof(text),
			 "-- migrate:up\nALTER TABLE t RENAME COLUMN c%d TO c%d;\n-- migrate:down\n"
			 "ALTER TABLE t RENAME COLUMN c%d TO c%d;\n",
			 k - 1, k, k, k - 1);
		tk_write_file(name, text);
	}
	tk_write_file("hist/20240301000000_z.sql",
		      "-- migrate:up\nALTER TABLE t ALTER COLUMN c60 TYPE "
		      "bigint;\n-- migrate:down\nSELECT 1;\n");
	tk_sh(&r, "%s --format gcc --fail-on never hist | grep '^hist/20240301000000_z.sql:'",
	      DG_BINARY);
	whole = r.out;
	r.out = NULL;
	assert_non_null(strstr(whole, "changing \"c60\" from integer to bigint"));
	tk_sh(&r, "%s --format gcc --fail-on never hist/20240301000000_z.sql", DG_BINARY);
	assert_string_equal(r.out, whole);
	free(whole);
	free(r.out);
}

/* Renames in an earlier migration: the table keeps its columns' types, its indexes, its
 * foreign keys and checks under the new name; a renamed column keeps its type. */
static void renames_keep_what_is_known(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char type[64], msgs[8192];

	(void)state;
	tk_mkdir("ren");
	tk_write_file("ren/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE p (id bigint PRIMARY KEY);\n"
		      "CREATE TABLE t (id bigint PRIMARY KEY, n integer, code varchar(10),\n"
		      "  p_id bigint CONSTRAINT t_p REFERENCES p (id),\n"
		      "  CONSTRAINT t_n CHECK (n IS NOT NULL));\n"
		      "CREATE INDEX t_code_idx ON t (code);\n-- migrate:down\nDROP TABLE t;\n");
	tk_write_file("ren/20240102000000_b.sql",
		      "-- migrate:up\nALTER TABLE t RENAME TO u;\nALTER TABLE u RENAME COLUMN n TO "
		      "m;\nALTER INDEX t_code_idx RENAME TO u_code_idx;\n"
		      "ALTER TABLE p RENAME TO q;\n-- migrate:down\nSELECT 1;\n");
	tk_write_file("ren/20240103000000_c.sql",
		      "-- migrate:up\nALTER TABLE u ALTER COLUMN m TYPE bigint;\n"
		      "ALTER TABLE u ALTER COLUMN code TYPE varchar(20);\n-- migrate:down\n"
		      "SELECT 1;\n");
	assert_int_equal(lint_dir("ren", cat, "20240103000000_c.sql", "changing-column-type", msgs,
				  sizeof(msgs)),
			 1);
	assert_non_null(strstr(msgs, "changing \"m\" from integer to bigint rewrites \"u\""));
	assert_true(dg_catalog_column_type(cat, NULL, "u", "m", type, sizeof(type)));
	assert_string_equal(type, "int8");
	assert_true(dg_catalog_column_type(cat, NULL, "u", "code", type, sizeof(type)));
	assert_string_equal(type, "varchar(20)");
	assert_false(dg_catalog_column_type(cat, NULL, "t", "code", type, sizeof(type)));
	assert_false(dg_catalog_column_type(cat, NULL, "u", "n", type, sizeof(type)));
	assert_string_equal(dg_catalog_index_table(cat, NULL, "u_code_idx"), "u");
	assert_string_equal(dg_catalog_index_table(cat, NULL, "t_pkey"), "u");
	assert_null(dg_catalog_index_table(cat, NULL, "t_code_idx"));
	assert_true(dg_catalog_has_table(cat, NULL, "u"));
	assert_false(dg_catalog_has_table(cat, NULL, "t"));
	assert_string_equal(dg_catalog_referenced_at(cat, NULL, "u", 0), "q");
	assert_string_equal(dg_catalog_referencing_at(cat, NULL, "q", 0), "u");
	assert_null(dg_catalog_referencing_at(cat, NULL, "p", 0));
	assert_string_equal(dg_catalog_fk_target(cat, NULL, "u", "t_p"), "q");
	assert_true(dg_catalog_not_null_check(cat, NULL, "u", "m"));
	assert_false(dg_catalog_not_null_check(cat, NULL, "u", "n"));
	dg_catalog_free(cat);
}

/* ALTER TABLE … SET SCHEMA moves the table with what is known of it. */
static void set_schema_moves_the_table(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char type[64], msgs[8192];

	(void)state;
	tk_mkdir("mv");
	tk_write_file("mv/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE public.t (n integer);\n"
		      "CREATE INDEX t_n_idx ON public.t (n);\n"
		      "ALTER TABLE public.t SET SCHEMA archive;\n-- migrate:down\n");
	lint_dir("mv", cat, "none", "none", msgs, sizeof(msgs));
	assert_true(dg_catalog_column_type(cat, "archive", "t", "n", type, sizeof(type)));
	assert_string_equal(type, "int4");
	assert_false(dg_catalog_column_type(cat, "public", "t", "n", type, sizeof(type)));
	assert_true(dg_catalog_has_table(cat, "archive", "t"));
	assert_string_equal(dg_catalog_index_table(cat, "archive", "t_n_idx"), "t");
	assert_null(dg_catalog_index_table(cat, "public", "t_n_idx"));
	dg_catalog_free(cat);
}

/* One memory per migration root: Prisma's folders (one per migration) and version folders
 * (v1.2/ before v1.10/) share one history. */
static void one_memory_per_migration_root(void **state)
{
	struct dg_catalog *cat = dg_catalog_new();
	char msgs[8192];

	(void)state;
	tk_mkdir("prisma");
	tk_mkdir("prisma/migrations");
	tk_write_file("prisma/migrations/migration_lock.toml", "provider = \"postgresql\"\n");
	tk_mkdir("prisma/migrations/20240101000000_init");
	tk_write_file("prisma/migrations/20240101000000_init/migration.sql",
		      "CREATE TABLE \"User\" (id integer NOT NULL, name varchar(40));\n");
	tk_mkdir("prisma/migrations/20240102000000_types");
	tk_write_file("prisma/migrations/20240102000000_types/migration.sql",
		      "ALTER TABLE \"User\" ALTER COLUMN name TYPE varchar(80);\n"
		      "ALTER TABLE \"User\" ALTER COLUMN id TYPE bigint;\n");
	assert_int_equal(
	    lint_dir("prisma", cat, "migration.sql", "changing-column-type", msgs, sizeof(msgs)),
	    1);
	assert_non_null(strstr(msgs, "from integer to bigint"));
	dg_catalog_free(cat);

	cat = dg_catalog_new();
	tk_mkdir("rel");
	tk_mkdir("rel/v1.9");
	tk_mkdir("rel/v1.10");
	tk_write_file("rel/v1.9/001_init.sql", "CREATE TABLE r (n integer, s varchar(5));\n");
	tk_write_file("rel/v1.10/001_more.sql", "ALTER TABLE r ALTER COLUMN n TYPE bigint;\n"
						"ALTER TABLE r ALTER COLUMN s TYPE varchar(9);\n");
	assert_int_equal(
	    lint_dir("rel", cat, "001_more.sql", "changing-column-type", msgs, sizeof(msgs)), 1);
	assert_non_null(strstr(msgs, "from integer to bigint"));
	dg_catalog_free(cat);
}

/* dg_memory_order over the files of directory `dir` of root `key` (in the tool's order: a
 * directory run lints them so), given back to front: it gives the tool's order again. */
static void expect_runner_order(const char *dir, const char *key, size_t expect_n)
{
	struct dg_path_list files = {0}, errors = {0};
	const char *paths[64];
	size_t n = 0, order[64];
	char *here = getcwd(NULL, 0);

	assert_int_equal(chdir(tk_tmpdir), 0);
	dg_collect_paths(dir, &files, &errors);
	assert_int_equal(errors.n, 0);
	for (size_t i = 0; i < files.n && n < 64; i++) {
		char *k = dg_migration_root_key(files.items[i], NULL);
		if (!strcmp(k, key))
			paths[n++] = files.items[i];
		free(k);
	}
	assert_int_equal(n, expect_n);
	for (size_t i = 0; i < n / 2; i++) {
		const char *t = paths[i];
		paths[i] = paths[n - 1 - i];
		paths[n - 1 - i] = t;
	}
	dg_memory_order(key, paths, n, order);
	for (size_t k = 0; k < n; k++)
		if (strcmp(paths[order[k]], paths[n - 1 - k]) != 0)
			fail_msg("%s: #%zu is %s, not %s", dir, k, paths[order[k]],
				 paths[n - 1 - k]);
	assert_int_equal(chdir(here), 0);
	free(here);
	dg_path_list_free(&files);
	dg_path_list_free(&errors);
}

/* A memory group is linted in its runner's order whatever order its files are given in (V10
 * after V2, a sqitch plan's changes, version folders, down files beside their ups), so that its
 * catalog only moves forward. */
static void groups_are_linted_in_runner_order(void **state)
{
	const char *paths[3];
	size_t order[3];

	(void)state;
	tk_mkdir("fly");
	tk_write_file("fly/V10__c.sql", "SELECT 10;\n");
	tk_write_file("fly/V2__b.sql", "SELECT 2;\n");
	tk_write_file("fly/V1__a.sql", "SELECT 1;\n");
	tk_write_file("fly/V1_1__a.sql", "SELECT 11;\n");
	expect_runner_order("fly", "fly", 4);
	tk_mkdir("gm");
	tk_write_file("gm/000002_b.down.sql", "SELECT 1;\n");
	tk_write_file("gm/000002_b.up.sql", "SELECT 1;\n");
	tk_write_file("gm/000010_c.up.sql", "SELECT 1;\n");
	tk_write_file("gm/000010_c.down.sql", "SELECT 1;\n");
	tk_write_file("gm/000001_a.up.sql", "SELECT 1;\n");
	expect_runner_order("gm", "gm", 5);
	tk_mkdir("ver");
	tk_mkdir("ver/v1.10");
	tk_mkdir("ver/v1.9");
	tk_write_file("ver/v1.10/001_x.sql", "SELECT 1;\n");
	tk_write_file("ver/v1.9/002_x.sql", "SELECT 1;\n");
	tk_write_file("ver/v1.9/001_x.sql", "SELECT 1;\n");
	expect_runner_order("ver", "ver", 3);
	tk_mkdir("sq");
	tk_mkdir("sq/deploy");
	tk_mkdir("sq/revert");
	tk_write_file("sq/sqitch.plan", "%project=p\n\nzeta 2024-01-01T00:00:00Z A <a@b> # z\n"
					"alpha 2024-01-02T00:00:00Z A <a@b> # a\n"
					"mid 2024-01-03T00:00:00Z A <a@b> # m\n");
	tk_write_file("sq/deploy/zeta.sql", "CREATE TABLE z (n integer);\n");
	tk_write_file("sq/deploy/alpha.sql", "CREATE TABLE a (n integer);\n");
	tk_write_file("sq/deploy/mid.sql", "CREATE TABLE m (n integer);\n");
	tk_write_file("sq/revert/zeta.sql", "DROP TABLE z;\n");
	tk_write_file("sq/revert/alpha.sql", "DROP TABLE a;\n");
	tk_write_file("sq/revert/mid.sql", "DROP TABLE m;\n");
	expect_runner_order("sq", "sq/deploy", 3);
	expect_runner_order("sq", "sq/revert", 3);

	/* a path the root's walk does not name (not on disk): the input order, untouched */
	assert_int_equal(chdir(tk_tmpdir), 0);
	paths[0] = "fly/V2__b.sql";
	paths[1] = "fly/V9__new.sql";
	paths[2] = "fly/V1__a.sql";
	dg_memory_order("fly", paths, 3, order);
	for (size_t k = 0; k < 3; k++)
		assert_int_equal(order[k], k);
}

/* The same findings whatever order the files are given in, as the directory gives them. */
static void cli_same_findings_out_of_order(void **state)
{
	struct tk_run r = {0};
	char *whole;

	(void)state;
	tk_mkdir("order");
	tk_write_file("order/V1__init.sql", "CREATE TABLE t (n integer, s varchar(5));\n");
	tk_write_file("order/V2__n.sql", "ALTER TABLE t ALTER COLUMN n TYPE bigint;\n");
	tk_write_file("order/V10__s.sql", "ALTER TABLE t ALTER COLUMN s TYPE varchar(9);\n"
					  "ALTER TABLE t ALTER COLUMN n TYPE integer;\n");
	tk_sh(&r, "%s --format gcc --fail-on never --enable changing-column-type order | sort",
	      DG_BINARY);
	whole = r.out;
	r.out = NULL;
	assert_non_null(strstr(whole, "from bigint to integer"));
	for (int jobs = 1; jobs <= 2; jobs++) {
		tk_sh(&r,
		      "%s --jobs %d --format gcc --fail-on never --enable changing-column-type "
		      "order/V10__s.sql order/V2__n.sql order/V1__init.sql | sort",
		      DG_BINARY, jobs);
		assert_string_equal(r.out, whole);
	}
	free(whole);
	free(r.out);
}

/* The root of a file: a pure function of its path and format. */
static void migration_root_keys(void **state)
{
	static const struct {
		const char *path, *format, *key;
	} cases[] = {
	    {"db/migrations/001_a.sql", "golang-migrate", "db/migrations"},
	    {"001_a.sql", NULL, "."},
	    {"/001_a.sql", NULL, "/"},
	    {"prisma/migrations/20240101_init/migration.sql", "prisma", "prisma/migrations"},
	    {"migrations/2024-01-01-000000_init/up.sql", "diesel", "migrations"},
	    {"migrations/2024-01-01-000000_init/up.sql", NULL, "migrations"},
	    {"hasura/migrations/default/1704099600000_x/up.sql", "hasura",
	     "hasura/migrations/default"},
	    {"migrations/v1.2/001_a.sql", NULL, "migrations"},
	    {"migrations/V2/001_a.sql", "flyway", "migrations"},
	    {"migrations/1.3.0/001_a.sql", NULL, "migrations"},
	    {"migrations/v1.2/20240101_x/up.sql", "diesel", "migrations"},
	    {"migrations/committed/000001.sql", "graphile-migrate", "migrations/committed"},
	    {"migrations/version2/001_a.sql", NULL, "migrations/version2"},
	    {"sql/schema/migration.sql", NULL, "sql/schema"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = dg_migration_root_key(cases[i].path, cases[i].format);
		if (strcmp(k, cases[i].key) != 0)
			fail_msg("%s: %s, not %s", cases[i].path, k, cases[i].key);
		free(k);
	}
	assert_true(dg_migration_cmp_names("v1.9", "v1.10") < 0);
	assert_true(dg_migration_cmp_names("v2", "v1.10") > 0);
	assert_true(dg_migration_cmp_names("20240101_a", "20240102_a") < 0);
	assert_true(dg_migration_cmp_names("v01", "v1") != 0);
}

static int setup(void **state)
{
	(void)state;
	return tk_tmpdir_create("catalog");
}

static int teardown(void **state)
{
	(void)state;
	return tk_tmpdir_remove();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(earlier_migration_gives_the_old_type),
	    cmocka_unit_test(without_a_catalog_nothing_changes),
	    cmocka_unit_test(what_the_catalog_knows),
	    cmocka_unit_test(drops_are_remembered),
	    cmocka_unit_test(dead_entries_are_swept),
	    cmocka_unit_test(down_sections_do_not_trust_earlier_types),
	    cmocka_unit_test(drop_index_knows_its_table),
	    cmocka_unit_test(earlier_tables_are_not_new),
	    cmocka_unit_test(locks_know_earlier_indexes_and_foreign_keys),
	    cmocka_unit_test(locks_know_earlier_partitions),
	    cmocka_unit_test(cli_uses_the_catalog),
	    cmocka_unit_test(cli_long_history_alone),
	    cmocka_unit_test(renames_keep_what_is_known),
	    cmocka_unit_test(set_schema_moves_the_table),
	    cmocka_unit_test(one_memory_per_migration_root),
	    cmocka_unit_test(migration_root_keys),
	    cmocka_unit_test(groups_are_linted_in_runner_order),
	    cmocka_unit_test(cli_same_findings_out_of_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
