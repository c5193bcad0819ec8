/* test_formats.c — each migration tool's format on the samples in fixtures/formats/: detection,
 * sections (direction, transaction mode), the transaction facts they lead to, one test per
 * transaction directive, and the way back that require-down-section relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "testkit.h"

#define FMT DG_FIXTURES "/formats/"

struct file {
	struct dg_arena a;
	struct dg_read r; /* the file read as ddlguard reads it: r.src, r.mig, r.parsed, r.facts */
};

static void load_text(struct file *f, const char *path, const char *text, size_t len,
		      const char *format, int pg_version)
{
	struct dg_config *cfg = dg_config_new();

	assert_non_null(cfg);
	assert_int_equal(dg_config_set_migration_format(cfg, format ? format : "auto"), DG_OK);
	assert_int_equal(dg_config_set_pg_version(cfg, pg_version), DG_OK);
	memset(f, 0, sizeof(*f));
	dg_arena_init(&f->a);
	if (dg_read_migration(cfg, &f->a, dg_arena_strndup(&f->a, path, strlen(path)), text, len,
			      &f->r) != (size_t)-1)
		fail_msg("%s: not UTF-8", path);
	dg_config_free(cfg);
}

static void load_as(struct file *f, const char *path, const char *format)
{
	char *text = tk_slurp(path);

	if (!text)
		fail_msg("cannot open %s", path);
	load_text(f, path, text, strlen(text), format, 15);
	free(text);
}

static void load(struct file *f, const char *path)
{
	load_as(f, path, NULL);
}

static void done(struct file *f)
{
	dg_arena_destroy(&f->a);
}

static void expect_section(const struct file *f, size_t i, enum dg_direction dir,
			   enum dg_tx_mode tx)
{
	if (i >= f->r.mig.n_sections)
		fail_msg("%s: no section %zu (%zu sections)", f->r.src.path, i,
			 f->r.mig.n_sections);
	if (f->r.mig.sections[i].dir != dir || f->r.mig.sections[i].tx != tx)
		fail_msg("%s: section %zu is dir %d tx %d, expected dir %d tx %d", f->r.src.path, i,
			 f->r.mig.sections[i].dir, f->r.mig.sections[i].tx, dir, tx);
}

/* Statement i's transaction: 0 outside any block, else its block's id. */
static unsigned tx_of(const struct file *f, size_t i)
{
	if (i >= f->r.parsed.n_stmts)
		fail_msg("%s: no statement %zu (%zu statements)", f->r.src.path, i,
			 f->r.parsed.n_stmts);
	return f->r.facts.tx[i].in_tx ? f->r.facts.tx[i].tx_id : 0;
}

static void expect_clean_parse(const struct file *f, size_t n_stmts)
{
	if (f->r.parsed.n_errors)
		fail_msg("%s: syntax error: %s", f->r.src.path, f->r.parsed.errors[0].message);
	assert_int_equal(f->r.parsed.n_stmts, n_stmts);
}

/* ---- dbmate ------------------------------------------------------------------------------ */

static void test_dbmate(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "dbmate/db/migrations/20240101090000_create_users.sql");
	assert_string_equal(f.r.mig.format, "dbmate");
	assert_int_equal(f.r.mig.n_sections, 2);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	expect_section(&f, 1, DG_DIR_DOWN, DG_TX_WRAPPED);
	assert_true(f.r.mig.format_has_down && f.r.mig.has_down);
	assert_int_not_equal(tx_of(&f, 0), 0);
	done(&f);
	load(&f, FMT "dbmate/db/migrations/20240103090000_add_note.sql");
	assert_true(f.r.mig.format_has_down);
	assert_false(f.r.mig.has_down);
	done(&f);
}

static void test_dbmate_transaction_false(void **state)
{
	static const char two[] = "-- migrate:up transaction:false\nSET lock_timeout = '1s';\n"
				  "CREATE INDEX CONCURRENTLY i ON t (a);\n";
	struct file f;

	(void)state;
	load(&f, FMT "dbmate/db/migrations/20240102090000_index_users_email.sql");
	/* dbmate sends the section as one query string instead of inside BEGIN … COMMIT */
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	expect_section(&f, 1, DG_DIR_DOWN, DG_TX_IMPLICIT);
	expect_clean_parse(&f, 2);
	assert_int_equal(tx_of(&f, 0), 0);
	done(&f);
	/* so several statements in it still form one (implicit) transaction */
	load_text(&f, "db/migrations/1_x.sql", two, strlen(two), NULL, 15);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	expect_clean_parse(&f, 2);
	assert_int_not_equal(tx_of(&f, 0), 0);
	assert_int_equal(tx_of(&f, 1), tx_of(&f, 0));
	done(&f);
}

/* ---- goose ------------------------------------------------------------------------------- */

static void test_goose(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "goose/migrations/00001_create_users.sql");
	assert_string_equal(f.r.mig.format, "goose");
	assert_int_equal(f.r.mig.n_sections, 4);
	/* the StatementBegin block is its own section: the function needs no final ';' */
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	expect_section(&f, 1, DG_DIR_UP, DG_TX_WRAPPED);
	expect_section(&f, 2, DG_DIR_UP, DG_TX_WRAPPED);
	expect_section(&f, 3, DG_DIR_DOWN, DG_TX_WRAPPED);
	expect_clean_parse(&f, 5);
	assert_int_equal(f.r.parsed.stmts[1].node->node_case,
			 PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT);
	/* goose runs the whole Up in one transaction, across the block */
	assert_int_not_equal(tx_of(&f, 0), 0);
	assert_int_equal(tx_of(&f, 1), tx_of(&f, 0));
	assert_int_equal(tx_of(&f, 2), tx_of(&f, 0));
	assert_int_not_equal(tx_of(&f, 3), tx_of(&f, 0));
	assert_int_equal(tx_of(&f, 4), tx_of(&f, 3));
	assert_true(f.r.mig.has_down);
	assert_int_equal(f.r.mig.anchor_start, 3); /* "+goose Up" */
	done(&f);
	load(&f, FMT "goose/migrations/00003_add_note.sql");
	assert_true(f.r.mig.format_has_down);
	assert_false(f.r.mig.has_down);
	done(&f);
}

static void test_goose_no_transaction(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "goose/migrations/00002_index_users_email.sql");
	assert_string_equal(f.r.mig.format, "goose");
	assert_int_equal(f.r.mig.n_sections, 3);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	expect_section(&f, 1, DG_DIR_UP, DG_TX_IMPLICIT);
	expect_section(&f, 2, DG_DIR_DOWN, DG_TX_AUTOCOMMIT);
	expect_clean_parse(&f, 5);
	assert_int_equal(tx_of(&f, 0), 0); /* CREATE INDEX CONCURRENTLY on its own */
	/* the block's two statements go to the server as one query: an implicit transaction */
	assert_int_not_equal(tx_of(&f, 1), 0);
	assert_int_equal(tx_of(&f, 2), tx_of(&f, 1));
	assert_int_equal(tx_of(&f, 3), 0);
	assert_int_equal(tx_of(&f, 4), 0);
	done(&f);
}

static void test_goose_no_transaction_any_case(void **state)
{
	static const char t[] = "-- +goose Up\n-- +goose no transaction\n"
				"CREATE INDEX CONCURRENTLY i ON t (a);\n"
				"-- +goose StatementBegin\nSELECT 1\n-- +goose StatementEnd\n";
	struct file f;

	(void)state;
	load_text(&f, "x.sql", t, strlen(t), NULL, 15);
	assert_string_equal(f.r.mig.format, "goose");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	expect_section(&f, 1, DG_DIR_UP, DG_TX_IMPLICIT);
	expect_clean_parse(&f, 2);
	assert_int_equal(tx_of(&f, 1), 0); /* one statement alone in a query: no block */
	done(&f);
}

/* ---- golang-migrate ---------------------------------------------------------------------- */

static void test_golang_migrate_implicit_transaction(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "golang-migrate/migrations/000001_create_users.up.sql");
	assert_string_equal(f.r.mig.format, "golang-migrate");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	expect_clean_parse(&f, 2);
	assert_int_not_equal(tx_of(&f, 0), 0);
	assert_int_equal(tx_of(&f, 1), tx_of(&f, 0));
	assert_true(f.r.mig.has_down);
	done(&f);
	load(&f, FMT "golang-migrate/migrations/000002_index_users_email.up.sql");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	assert_int_equal(tx_of(&f, 0), 0);
	done(&f);
	load(&f, FMT "golang-migrate/migrations/000002_index_users_email.down.sql");
	expect_section(&f, 0, DG_DIR_DOWN, DG_TX_IMPLICIT);
	done(&f);
	load(&f, FMT "golang-migrate/migrations/000003_add_note.up.sql");
	assert_false(f.r.mig.has_down);
	done(&f);
}

/* ---- sql-migrate ------------------------------------------------------------------------- */

static void test_sql_migrate(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "sql-migrate/migrations/1_create_users.sql");
	assert_string_equal(f.r.mig.format, "sql-migrate");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	expect_section(&f, 1, DG_DIR_UP, DG_TX_WRAPPED);
	expect_section(&f, 2, DG_DIR_DOWN, DG_TX_WRAPPED);
	expect_clean_parse(&f, 4);
	assert_int_equal(tx_of(&f, 1), tx_of(&f, 0));
	assert_int_not_equal(tx_of(&f, 2), tx_of(&f, 0));
	assert_true(f.r.mig.has_down);
	done(&f);
	/* several Up sections: one list of statements, one transaction */
	load(&f, FMT "sql-migrate/migrations/3_add_note.sql");
	assert_int_equal(f.r.mig.n_sections, 2);
	expect_clean_parse(&f, 2);
	assert_int_not_equal(tx_of(&f, 0), 0);
	assert_int_equal(tx_of(&f, 1), tx_of(&f, 0));
	assert_false(f.r.mig.has_down);
	done(&f);
}

static void test_sql_migrate_notransaction(void **state)
{
	static const char t[] =
	    "-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
	    "-- +migrate Down\nDROP INDEX i;\nSELECT 1;\n";
	struct file f;

	(void)state;
	load(&f, FMT "sql-migrate/migrations/2_index_users_email.sql");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	expect_section(&f, 1, DG_DIR_DOWN, DG_TX_AUTOCOMMIT);
	expect_clean_parse(&f, 3);
	assert_int_equal(tx_of(&f, 1), 0);
	done(&f);
	/* the option belongs to its direction */
	load_text(&f, "2_x.sql", t, strlen(t), NULL, 15);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	expect_section(&f, 1, DG_DIR_DOWN, DG_TX_WRAPPED);
	done(&f);
}

/* ---- diesel ------------------------------------------------------------------------------ */

static void test_diesel(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "diesel/migrations/2024-01-01-090000_create_users/up.sql");
	assert_string_equal(f.r.mig.format, "diesel");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	assert_true(f.r.mig.format_has_down && f.r.mig.has_down);
	assert_int_not_equal(tx_of(&f, 0), 0);
	done(&f);
	load(&f, FMT "diesel/migrations/2024-01-01-090000_create_users/down.sql");
	expect_section(&f, 0, DG_DIR_DOWN, DG_TX_WRAPPED);
	assert_string_equal(f.r.mig.up_path,
			    FMT "diesel/migrations/2024-01-01-090000_create_users/up.sql");
	done(&f);
	load(&f, FMT "diesel/migrations/2024-01-03-090000_add_note/up.sql");
	assert_false(f.r.mig.has_down);
	done(&f);
}

static void test_diesel_run_in_transaction_false(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "diesel/migrations/2024-01-02-090000_index_users_email/up.sql");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	assert_int_equal(tx_of(&f, 0), 0);
	done(&f);
	load(&f, FMT "diesel/migrations/2024-01-02-090000_index_users_email/down.sql");
	expect_section(&f, 0, DG_DIR_DOWN, DG_TX_IMPLICIT);
	done(&f);
}

/* ---- Flyway ------------------------------------------------------------------------------ */

static void test_flyway(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "flyway/db/migration/V1__create_users.sql");
	assert_string_equal(f.r.mig.format, "flyway");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	expect_clean_parse(&f, 2); /* a ${placeholder} in a string is left alone */
	assert_true(f.r.mig.format_has_down && f.r.mig.has_down);
	done(&f);
	load(&f, FMT "flyway/db/migration/U1__create_users.sql");
	expect_section(&f, 0, DG_DIR_DOWN, DG_TX_WRAPPED);
	assert_string_equal(f.r.mig.up_path, FMT "flyway/db/migration/V1__create_users.sql");
	done(&f);
	load(&f, FMT "flyway/db/migration/V3__add_note.sql");
	assert_true(f.r.mig.format_has_down);
	assert_false(f.r.mig.has_down);
	done(&f);
	load(&f, FMT "flyway/db/migration/R__users_view.sql");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	assert_false(f.r.mig.format_has_down);
	done(&f);
}

static void test_flyway_without_undo_files(void **state)
{
	struct file f;

	(void)state;
	/* no U file next to it: the project does not use undo, nothing to require */
	load_text(&f, "/nonexistent/V1__x.sql", "SELECT 1;", 9, NULL, 15);
	assert_string_equal(f.r.mig.format, "flyway");
	assert_false(f.r.mig.format_has_down);
	done(&f);
}

static void test_flyway_detects_non_transactional(void **state)
{
	static const char enum_add[] = "ALTER TYPE mood ADD VALUE 'meh';";
	struct file f;

	(void)state;
	load(&f, FMT "flyway/db/migration/V2__index_users_email.sql");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	done(&f);
	/* ALTER TYPE … ADD VALUE runs outside the transaction only before PostgreSQL 12 */
	load_text(&f, "/nonexistent/V5__mood.sql", enum_add, strlen(enum_add), NULL, 11);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	done(&f);
	load_text(&f, "/nonexistent/V5__mood.sql", enum_add, strlen(enum_add), NULL, 15);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	done(&f);
	/* a word in a comment or string is not a statement */
	load_text(&f, "/nonexistent/V6__x.sql", "-- VACUUM\nSELECT 'VACUUM';", 26, NULL, 15);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	done(&f);
}

static void test_flyway_execute_in_transaction_inline(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "flyway/db/migration/V2_1__backfill_email.sql");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	assert_int_equal(tx_of(&f, 0), 0);
	done(&f);
}

static void test_flyway_execute_in_transaction_conf(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "flyway/db/migration/V2_2__analyze_users.sql");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	done(&f);
}

/* ---- sqitch ------------------------------------------------------------------------------ */

static void test_sqitch(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "sqitch/deploy/users.sql");
	assert_string_equal(f.r.mig.format, "sqitch");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	assert_true(f.r.mig.format_has_down && f.r.mig.has_down);
	/* psql runs the script: its own BEGIN … COMMIT is the transaction */
	expect_clean_parse(&f, 3);
	assert_int_not_equal(tx_of(&f, 1), 0);
	done(&f);
	load(&f, FMT "sqitch/deploy/users_email_idx.sql");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	assert_int_equal(tx_of(&f, 0), 0);
	done(&f);
	load(&f, FMT "sqitch/revert/users.sql");
	expect_section(&f, 0, DG_DIR_DOWN, DG_TX_AUTOCOMMIT);
	assert_string_equal(f.r.mig.up_path, FMT "sqitch/deploy/users.sql");
	done(&f);
	load(&f, FMT "sqitch/verify/users.sql");
	expect_section(&f, 0, DG_DIR_NONE, DG_TX_AUTOCOMMIT);
	assert_false(f.r.mig.format_has_down);
	done(&f);
	load(&f, FMT "sqitch/deploy/add_note.sql");
	assert_false(f.r.mig.has_down);
	done(&f);
	/* deploy/ without sqitch.plan is nobody's */
	load_text(&f, "/nonexistent/deploy/x.sql", "SELECT 1;", 9, NULL, 15);
	assert_string_equal(f.r.mig.format, "plain");
	done(&f);
}

/* ---- Liquibase --------------------------------------------------------------------------- */

static void test_liquibase(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "liquibase/changelog/001_users.sql");
	assert_string_equal(f.r.mig.format, "liquibase");
	/* changeset 2 is for MySQL: not run on PostgreSQL */
	assert_int_equal(f.r.mig.n_sections, 2);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	expect_section(&f, 1, DG_DIR_DOWN, DG_TX_WRAPPED);
	expect_clean_parse(&f, 2);
	assert_int_equal(f.r.parsed.stmts[1].node->node_case, PG_QUERY__NODE__NODE_DROP_STMT);
	assert_true(f.r.mig.has_down);
	done(&f);
	load(&f, FMT "liquibase/changelog/003_add_note.sql");
	assert_false(f.r.mig.has_down);
	assert_int_equal(dg_source_pos(&f.r.src, f.r.mig.anchor_start).line, 3);
	done(&f);
}

static void test_liquibase_run_in_transaction_false(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "liquibase/changelog/002_index_users_email.sql");
	assert_int_equal(f.r.mig.n_sections, 4);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	expect_section(&f, 1, DG_DIR_DOWN, DG_TX_AUTOCOMMIT);
	/* splitStatements:false: the changeset goes to the server as one query */
	expect_section(&f, 2, DG_DIR_UP, DG_TX_IMPLICIT);
	expect_section(&f, 3, DG_DIR_DOWN, DG_TX_IMPLICIT);
	expect_clean_parse(&f, 5);
	assert_int_equal(tx_of(&f, 0), 0);
	assert_int_not_equal(tx_of(&f, 2), 0);
	assert_int_equal(tx_of(&f, 3), tx_of(&f, 2));
	done(&f);
}

static void test_liquibase_bom_crlf(void **state)
{
	static const char t[] = "\xEF\xBB\xBF--liquibase formatted sql\r\n\r\n--changeset a:1\r\n"
				"CREATE TABLE t (a int);\r\n--rollback DROP TABLE t;\r\n";
	struct file f;

	(void)state;
	load_text(&f, "db/001_t.sql", t, strlen(t), NULL, 15);
	assert_string_equal(f.r.mig.format, "liquibase");
	assert_int_equal(f.r.mig.n_sections, 2);
	expect_clean_parse(&f, 2);
	assert_true(f.r.mig.has_down);
	done(&f);
}

/* ---- Prisma, pop, postgres-migrations, Atlas, plain ---------------------------------------- */

static void test_prisma(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "prisma/migrations/20240101090000_create_users/migration.sql");
	assert_string_equal(f.r.mig.format, "prisma");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	assert_false(f.r.mig.format_has_down);
	expect_clean_parse(&f, 2);
	assert_int_not_equal(tx_of(&f, 0), 0);
	assert_int_equal(tx_of(&f, 1), tx_of(&f, 0));
	done(&f);
	load(&f, FMT "prisma/migrations/20240102090000_index_user_email/migration.sql");
	assert_int_equal(tx_of(&f, 0), 0);
	done(&f);
}

static void test_prisma_splits_concurrently(void **state)
{
	static const char t[] = "SET lock_timeout = '2s';\n"
				"CREATE INDEX CONCURRENTLY \"a_idx\" ON \"A\" (\"x\");\n";
	struct file f;

	(void)state;
	/* Prisma >= 7.4 runs a script with CREATE INDEX CONCURRENTLY statement by statement */
	load_text(&f, "prisma/migrations/20240103090000_a/migration.sql", t, strlen(t), NULL, 15);
	assert_string_equal(f.r.mig.format, "prisma");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	expect_clean_parse(&f, 2);
	assert_int_equal(tx_of(&f, 1), 0);
	done(&f);
}

static void test_pop(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "pop/migrations/20240101090000000000_create_users.up.sql");
	assert_string_equal(f.r.mig.format, "pop");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	assert_true(f.r.mig.format_has_down && f.r.mig.has_down);
	assert_null(f.r.mig.skipped);
	done(&f);
	load(&f, FMT "pop/migrations/20240102090000000000_index_users_email.mysql.up.sql");
	assert_string_equal(f.r.mig.format, "pop");
	assert_non_null(f.r.mig.skipped);
	assert_int_equal(f.r.mig.n_sections, 0);
	assert_false(f.r.mig.format_has_down);
	done(&f);
	/* the generic file loses to the postgres-specific one */
	load(&f, FMT "pop/migrations/20240102090000000000_index_users_email.autocommit.up.sql");
	assert_non_null(f.r.mig.skipped);
	assert_int_equal(f.r.mig.n_sections, 0);
	done(&f);
	load(&f, FMT "pop/migrations/20240103090000000000_add_note.postgres.up.sql");
	assert_false(f.r.mig.has_down);
	done(&f);
}

static void test_pop_autocommit(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT
	     "pop/migrations/20240102090000000000_index_users_email.postgres.autocommit.up.sql");
	assert_null(f.r.mig.skipped);
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	assert_int_equal(tx_of(&f, 0), 0);
	assert_true(f.r.mig.has_down);
	done(&f);
	/* a down file's up file is the one PostgreSQL runs */
	load(&f, FMT
	     "pop/migrations/20240102090000000000_index_users_email.postgres.autocommit.down.sql");
	assert_string_equal(f.r.mig.up_path, FMT
			    "pop/migrations/"
			    "20240102090000000000_index_users_email.postgres.autocommit.up.sql");
	done(&f);
	load(&f, FMT "pop/migrations/20240101090000000000_create_users.down.sql");
	assert_string_equal(f.r.mig.up_path,
			    FMT "pop/migrations/20240101090000000000_create_users.up.sql");
	done(&f);
}

static void test_postgres_migrations_disable_transaction(void **state)
{
	static const char ignore_first[] =
	    "-- postgres-migrations ignore\n"
	    "-- postgres-migrations disable-transaction\nSELECT 1;\n";
	struct file f;

	(void)state;
	load(&f, FMT "postgres-migrations/migrations/2_index-users-email.sql");
	assert_string_equal(f.r.mig.format, "postgres-migrations");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	assert_int_equal(tx_of(&f, 0), 0);
	done(&f);
	/* without the comment, its sibling's comment and its naming make it the library's too */
	load(&f, FMT "postgres-migrations/migrations/1_create-users.sql");
	assert_string_equal(f.r.mig.format, "postgres-migrations");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	done(&f);
	load_text(&f, "migrations/3_x.sql", ignore_first, strlen(ignore_first), NULL, 15);
	assert_string_equal(f.r.mig.format, "postgres-migrations");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_IMPLICIT);
	done(&f);
	load_as(&f, FMT "postgres-migrations/migrations/1_create-users.sql", "postgres-migrations");
	assert_string_equal(f.r.mig.format, "postgres-migrations");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	done(&f);
}

static void test_atlas_txmode_none(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "atlas/migrations/20240101090000_create_users.sql");
	assert_string_equal(f.r.mig.format, "atlas"); /* by atlas.sum */
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	done(&f);
	load(&f, FMT "atlas/migrations/20240102090000_index_users_email.sql");
	assert_string_equal(f.r.mig.format, "atlas");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_AUTOCOMMIT);
	done(&f);
}

static void test_plain(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "plain/schema.sql");
	assert_string_equal(f.r.mig.format, "plain");
	expect_section(&f, 0, DG_DIR_NONE, DG_TX_AUTOCOMMIT);
	assert_false(f.r.mig.format_has_down);
	expect_clean_parse(&f, 4);
	assert_int_not_equal(tx_of(&f, 1), 0);
	assert_int_equal(tx_of(&f, 3), 0);
	done(&f);
}

/* ---- naming a format --------------------------------------------------------------------- */

static void test_forced_format(void **state)
{
	struct dg_config *cfg = dg_config_new();
	static const char t[] = "CREATE INDEX CONCURRENTLY i ON t (a);\n";
	struct dg_result res;
	struct file f;

	(void)state;
	assert_int_equal(dg_config_set_migration_format(cfg, "nosuchtool"), DG_ERR_USAGE);
	assert_int_equal(dg_config_set_migration_format(cfg, "goose"), DG_OK);
	assert_int_equal(dg_lint_buffer(cfg, "schema.sql", t, strlen(t), &res), DG_OK);
	assert_string_equal(res.format, "goose");
	dg_result_clear(&res);
	assert_int_equal(dg_config_set_migration_format(cfg, "auto"), DG_OK);
	assert_int_equal(dg_lint_buffer(cfg, "schema.sql", t, strlen(t), &res), DG_OK);
	assert_string_equal(res.format, "plain");
	dg_result_clear(&res);
	dg_config_free(cfg);
	/* a forced format still reads its markers */
	load_as(&f, FMT "goose/migrations/00002_index_users_email.sql", "goose");
	expect_section(&f, 1, DG_DIR_UP, DG_TX_IMPLICIT);
	done(&f);
	load_as(&f, FMT "goose/migrations/00002_index_users_email.sql", "plain");
	assert_int_equal(f.r.mig.n_sections, 1);
	expect_section(&f, 0, DG_DIR_NONE, DG_TX_AUTOCOMMIT);
	done(&f);
	for (size_t i = 0; dg_migration_format_at(i); i++) {
		load_as(&f, FMT "plain/schema.sql", dg_migration_format_at(i));
		assert_string_equal(f.r.mig.format, dg_migration_format_at(i));
		assert_true(f.r.mig.n_sections >= 1);
		done(&f);
	}
}

/* ---- the order a tool applies files in --------------------------------------------------- */

/* The files of `names` come in this order when collecting `dir` (others may come between). */
static void expect_order(const char *dir, const char *const *names, size_t n)
{
	struct dg_path_list files = {0}, errors = {0};
	size_t k = 0;

	dg_collect_paths(dir, &files, &errors);
	assert_int_equal(errors.n, 0);
	for (size_t i = 0; i < files.n; i++) {
		const char *rel = files.items[i] + strlen(dir) + 1;
		for (size_t j = 0; j < n; j++) {
			if (strcmp(rel, names[j]) != 0)
				continue;
			if (j != k)
				fail_msg("%s: %s comes at position %zu, expected %zu", dir, rel, k,
					 j);
			k++;
		}
	}
	assert_int_equal(k, n);
	dg_path_list_free(&files);
	dg_path_list_free(&errors);
}

static void test_file_order(void **state)
{
	static const char *const sqitch[] = {"deploy/users.sql", "deploy/users_email_idx.sql",
					     "deploy/add_note.sql"};
	static const char *const flyway[] = {
	    "U1__create_users.sql",	"V1__create_users.sql",	   "V2__index_users_email.sql",
	    "V2_1__backfill_email.sql", "V2_2__analyze_users.sql", "V3__add_note.sql",
	    "R__users_view.sql"};
	char *paths[] = {"m/10_b.up.sql",  "m/2_c.up.sql",  "m/1_a.up.sql", "m/notes.sql",
			 "m/V1.10__x.sql", "m/V1.9__x.sql", "m/R__v.sql",   "m/V1__x.sql"};
	static const char *const want[] = {"m/1_a.up.sql",   "m/V1__x.sql",  "m/V1.9__x.sql",
					   "m/V1.10__x.sql", "m/2_c.up.sql", "m/10_b.up.sql",
					   "m/R__v.sql",     "m/notes.sql"};

	(void)state;
	expect_order(FMT "sqitch", sqitch, 3);
	expect_order(FMT "flyway/db/migration", flyway, 7);
	dg_migration_order_files("m", paths, 8);
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(paths[i], want[i]);
}

/* ---- the way back, through require-down-section ------------------------------------------ */

static void test_require_down_section(void **state)
{
	static const struct {
		const char *path;
		size_t findings;
	} cases[] = {
	    {"dbmate/db/migrations/20240101090000_create_users.sql", 0},
	    {"dbmate/db/migrations/20240103090000_add_note.sql", 1},
	    {"goose/migrations/00001_create_users.sql", 0},
	    {"goose/migrations/00003_add_note.sql", 1},
	    {"golang-migrate/migrations/000001_create_users.up.sql", 0},
	    {"golang-migrate/migrations/000003_add_note.up.sql", 1},
	    {"sql-migrate/migrations/1_create_users.sql", 0},
	    {"sql-migrate/migrations/3_add_note.sql", 1},
	    {"diesel/migrations/2024-01-01-090000_create_users/up.sql", 0},
	    {"diesel/migrations/2024-01-03-090000_add_note/up.sql", 1},
	    {"flyway/db/migration/V1__create_users.sql", 0},
	    {"flyway/db/migration/V3__add_note.sql", 1},
	    {"flyway/db/migration/R__users_view.sql", 0},
	    {"sqitch/deploy/users.sql", 0},
	    {"sqitch/deploy/add_note.sql", 1},
	    {"sqitch/verify/users.sql", 0},
	    {"liquibase/changelog/001_users.sql", 0},
	    {"liquibase/changelog/003_add_note.sql", 1},
	    {"pop/migrations/20240101090000000000_create_users.up.sql", 0},
	    {"pop/migrations/20240103090000000000_add_note.postgres.up.sql", 1},
	    {"pop/migrations/20240102090000000000_index_users_email.mysql.up.sql", 0},
	    {"prisma/migrations/20240101090000_create_users/migration.sql", 0},
	    {"plain/schema.sql", 0},
	    /* forward-only directories: no migration has a way back, one finding for the
	     * directory at its first migration in the tool's order (2 before 10) */
	    {"forward-only/golang-migrate/000001_create_accounts.up.sql", 1},
	    {"forward-only/golang-migrate/000002_add_accounts_plan.up.sql", 0},
	    {"forward-only/golang-migrate/000010_add_accounts_region.up.sql", 0},
	    {"forward-only/dbmate/20240301100000_create_invoices.sql", 1},
	    {"forward-only/dbmate/20240302100000_add_invoice_due.sql", 0},
	};
	struct dg_config *cfg = dg_config_new();
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[1024];
		struct dg_result res;
		size_t n = 0;

		snprintf(path, sizeof(path), FMT "%s", cases[i].path);
		assert_int_equal(dg_lint_file(cfg, path, &res), DG_OK);
		for (size_t k = 0; k < res.n_findings; k++) {
			n += strcmp(res.findings[k].rule, "require-down-section") == 0;
			if (strcmp(res.findings[k].rule, "syntax-error") == 0) {
				print_error("%s: syntax error: %s\n", cases[i].path,
					    res.findings[k].message);
				failures++;
			}
		}
		if (n != cases[i].findings) {
			print_error("%s: %zu require-down-section finding(s), expected %zu\n",
				    cases[i].path, n, cases[i].findings);
			failures++;
		}
		dg_result_clear(&res);
	}
	dg_config_free(cfg);
	assert_int_equal(failures, 0);
}

/* ---- the runners of issue-style samples: detection, sections, transaction ----------------- */

struct runner_case {
	const char *path;
	const char *format;
	size_t n_sections; /* 0: a file the tool never runs (skipped), or a snapshot */
	enum dg_direction dir0;
	enum dg_tx_mode tx0;
	bool has_down;
	/* findings of ban-concurrent-index-creation-in-transaction: what the mode leads to */
	size_t in_tx_findings;
};

static void test_runners(void **state)
{
	static const struct runner_case cases[] = {
	    {"sqlx/migrations/20240101090000_create_users.sql", "sqlx", 1, DG_DIR_UP, DG_TX_WRAPPED,
	     false, 0},
	    {"sqlx/migrations/20240102090000_index_users_email.sql", "sqlx", 1, DG_DIR_UP,
	     DG_TX_IMPLICIT, false, 0},
	    {"sqlx/migrations/20240103090000_add_note.up.sql", "sqlx", 1, DG_DIR_UP, DG_TX_WRAPPED,
	     true, 0},
	    {"sqlx/migrations/20240103090000_add_note.down.sql", "sqlx", 1, DG_DIR_DOWN,
	     DG_TX_WRAPPED, true, 0},
	    /* split at the breakpoints, all in the one transaction of the run */
	    {"drizzle/drizzle/0000_create_users.sql", "drizzle", 3, DG_DIR_UP, DG_TX_WRAPPED, false,
	     0},
	    {"drizzle/drizzle/0001_index_users_email.sql", "drizzle", 2, DG_DIR_UP, DG_TX_WRAPPED,
	     false, 1},
	    {"drizzle/drizzle/0002_draft.sql", "drizzle", 0, DG_DIR_NONE, DG_TX_AUTOCOMMIT, false,
	     0},
	    {"supabase/supabase/migrations/20240101090000_create_users.sql", "supabase", 1,
	     DG_DIR_UP, DG_TX_IMPLICIT, false, 0},
	    /* alone in its batch: no transaction block around it */
	    {"supabase/supabase/migrations/20240102090000_index_users_email.sql", "supabase", 1,
	     DG_DIR_UP, DG_TX_IMPLICIT, false, 0},
	    {"refinery/migrations/V1__create_users.sql", "refinery", 1, DG_DIR_UP, DG_TX_WRAPPED,
	     false, 0},
	    {"refinery/migrations/V2__index_users_email.sql", "refinery", 1, DG_DIR_UP,
	     DG_TX_IMPLICIT, false, 0},
	    /* unversioned, not an undo */
	    {"refinery/migrations/U3__users_view.sql", "refinery", 1, DG_DIR_UP, DG_TX_WRAPPED,
	     false, 0},
	    {"graphile/migrations/committed/000001.sql", "graphile-migrate", 1, DG_DIR_UP,
	     DG_TX_WRAPPED, false, 0},
	    {"graphile/migrations/committed/000002-index-users-email.sql", "graphile-migrate", 1,
	     DG_DIR_UP, DG_TX_IMPLICIT, false, 0},
	    {"graphile/migrations/current.sql", "graphile-migrate", 0, DG_DIR_NONE,
	     DG_TX_AUTOCOMMIT, false, 0},
	    {"tern/migrations/001_create_users.sql", "tern", 2, DG_DIR_UP, DG_TX_WRAPPED, true, 0},
	    {"tern/migrations/002_index_users_email.sql", "tern", 1, DG_DIR_UP, DG_TX_IMPLICIT,
	     false, 0},
	    /* no marker of its own: its siblings' make it tern's */
	    {"tern/migrations/003_add_note.sql", "tern", 1, DG_DIR_UP, DG_TX_WRAPPED, false, 0},
	    {"node-pg-migrate/migrations/1704099600000_create-users.sql", "node-pg-migrate", 2,
	     DG_DIR_UP, DG_TX_WRAPPED, true, 0},
	    {"node-pg-migrate/migrations/1704186000000_add-note.sql", "node-pg-migrate", 1,
	     DG_DIR_UP, DG_TX_WRAPPED, false, 0},
	    {"yoyo/migrations/0001.create-users.sql", "yoyo", 1, DG_DIR_UP, DG_TX_WRAPPED, true, 0},
	    {"yoyo/migrations/0001.create-users.rollback.sql", "yoyo", 1, DG_DIR_DOWN,
	     DG_TX_WRAPPED, true, 0},
	    {"yoyo/migrations/0002.index-users-email.sql", "yoyo", 1, DG_DIR_UP, DG_TX_AUTOCOMMIT,
	     false, 0},
	    {"hasura/migrations/default/1704099600000_create_users/up.sql", "hasura", 1, DG_DIR_UP,
	     DG_TX_WRAPPED, true, 0},
	    {"hasura/migrations/default/1704099600000_create_users/down.sql", "hasura", 1,
	     DG_DIR_DOWN, DG_TX_WRAPPED, true, 0},
	    {"up-down/db/V0001.CreateUsers.up.sql", "up-down", 1, DG_DIR_UP, DG_TX_AUTOCOMMIT, true,
	     0},
	    {"up-down/db/V0001.CreateUsers.down.sql", "up-down", 1, DG_DIR_DOWN, DG_TX_AUTOCOMMIT,
	     true, 0},
	    {"up-down/db/0002_add_note_up.sql", "up-down", 1, DG_DIR_UP, DG_TX_AUTOCOMMIT, true, 0},
	    {"postgres-migrations/migrations/3_add-note.sql", "postgres-migrations", 1, DG_DIR_UP,
	     DG_TX_WRAPPED, false, 0},
	};
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct runner_case *c = &cases[i];
		char path[1024];
		struct file f;
		struct dg_config *cfg = dg_config_new();
		struct dg_result res;
		size_t n = 0;

		snprintf(path, sizeof(path), FMT "%s", c->path);
		load(&f, path);
		if (strcmp(f.r.mig.format, c->format) != 0) {
			print_error("%s: read as %s, expected %s\n", c->path, f.r.mig.format,
				    c->format);
			failures++;
		} else if (c->n_sections == 0) {
			if (!f.r.mig.skipped) {
				print_error("%s: expected to be skipped\n", c->path);
				failures++;
			}
		} else {
			if (f.r.mig.skipped || f.r.mig.n_sections != c->n_sections ||
			    f.r.mig.sections[0].dir != c->dir0 ||
			    f.r.mig.sections[0].tx != c->tx0 || f.r.mig.has_down != c->has_down) {
				print_error(
				    "%s: %zu sections (dir %d tx %d), has_down %d; expected "
				    "%zu (dir %d tx %d), %d\n",
				    c->path, f.r.mig.n_sections,
				    f.r.mig.n_sections ? (int)f.r.mig.sections[0].dir : -1,
				    f.r.mig.n_sections ? (int)f.r.mig.sections[0].tx : -1,
				    f.r.mig.has_down, c->n_sections, c->dir0, c->tx0, c->has_down);
				failures++;
			}
			/* a template placeholder (graphile's :DATABASE_OWNER) is not a syntax
			 * error */
			for (size_t k = 0; k < f.r.parsed.n_errors; k++)
				if (!f.r.parsed.errors[k].template_kind) {
					print_error("%s: syntax error: %s\n", c->path,
						    f.r.parsed.errors[k].message);
					failures++;
				}
		}
		done(&f);
		assert_int_equal(dg_lint_file(cfg, path, &res), DG_OK);
		for (size_t k = 0; k < res.n_findings; k++)
			n += strcmp(res.findings[k].rule,
				    "ban-concurrent-index-creation-in-transaction") == 0;
		if (n != c->in_tx_findings) {
			print_error("%s: %zu in-transaction finding(s), expected %zu\n", c->path, n,
				    c->in_tx_findings);
			failures++;
		}
		dg_result_clear(&res);
		dg_config_free(cfg);
	}
	assert_int_equal(failures, 0);
}

/* pg_dump output is read, not reported, and what it creates is schema memory for the next
 * migration; a file that merely mentions the words is not. */
static void test_pg_dump_snapshot(void **state)
{
	static const char not_dump[] = "-- we used to keep a PostgreSQL dump here\nDROP TABLE t;\n";
	struct file f;
	struct dg_result res;
	struct dg_config *cfg = dg_config_new();

	(void)state;
	load(&f, FMT "pg-dump/db/structure.sql");
	assert_string_equal(f.r.mig.format, "pg-dump");
	assert_true(f.r.mig.snapshot);
	assert_non_null(f.r.mig.skipped);
	done(&f);
	load(&f, FMT "pg-dump/db/schema_dump.sql");
	assert_string_equal(f.r.mig.format, "pg-dump");
	done(&f);
	load_text(&f, "db/notes.sql", not_dump, strlen(not_dump), NULL, 15);
	assert_string_equal(f.r.mig.format, "plain");
	assert_false(f.r.mig.snapshot);
	done(&f);
	/* DROP TABLE in the dump: no finding */
	assert_int_equal(dg_lint_file(cfg, FMT "pg-dump/db/structure.sql", &res), DG_OK);
	assert_int_equal(res.n_findings, 0);
	dg_result_clear(&res);
	dg_config_free(cfg);
}

/* Flyway and refinery share V<n>__name.sql: a U file with its own version (and no other hint)
 * is refinery's unversioned migration; a U file next to the V of its version is Flyway's
 * undo. */
static void test_refinery_or_flyway(void **state)
{
	struct file f;

	(void)state;
	load(&f, FMT "flyway/db/migration/U1__create_users.sql");
	assert_string_equal(f.r.mig.format, "flyway");
	expect_section(&f, 0, DG_DIR_DOWN, DG_TX_WRAPPED);
	done(&f);
	load(&f, FMT "refinery/migrations/U3__users_view.sql");
	assert_string_equal(f.r.mig.format, "refinery");
	expect_section(&f, 0, DG_DIR_UP, DG_TX_WRAPPED);
	assert_false(f.r.mig.format_has_down);
	done(&f);
}

/* Findings of one file as "rule@offset:section:message" lines, for comparing two lints. */
static char *findings_text(const struct dg_config *cfg, const char *path)
{
	struct dg_result res;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	assert_non_null(m);
	assert_int_equal(dg_lint_file(cfg, path, &res), DG_OK);
	for (size_t k = 0; k < res.n_findings; k++)
		fprintf(m, "%s@%zu:%d:%s\n", res.findings[k].rule, res.findings[k].byte_offset,
			(int)res.findings[k].section, res.findings[k].message);
	fprintf(m, "%s %zu\n", res.format, res.n_findings);
	dg_result_clear(&res);
	fclose(m);
	return text;
}

/* The up file a down file's lint parsed is kept for the up file's own lint, which comes next:
 * it gives what parsing the up file afresh gives, and a changed up file is parsed again. */
static void test_kept_up_file(void **state)
{
	struct dg_config *cfg = dg_config_new();
	char up[512], down[512];
	char *fresh, *after_down, *changed_fresh, *changed_after;

	(void)state;
	assert_int_equal(tk_tmpdir_create("keptup"), 0);
	tk_write_file("000001_a.up.sql", "CREATE INDEX t_id ON t (id);\n"
					 "ALTER TABLE t ADD COLUMN n int NOT NULL;\n");
	tk_write_file("000001_a.down.sql", "DROP INDEX t_id;\nALTER TABLE t DROP COLUMN n;\n");
	snprintf(up, sizeof(up), "%s/000001_a.up.sql", tk_tmpdir);
	snprintf(down, sizeof(down), "%s/000001_a.down.sql", tk_tmpdir);
	dg_lint_caches_free();
	fresh = findings_text(cfg, up);
	free(findings_text(cfg, down));
	after_down = findings_text(cfg, up);
	assert_string_equal(after_down, fresh);
	assert_non_null(strstr(fresh, "golang-migrate"));
	assert_non_null(strstr(fresh, "require-concurrent-index-creation@"));
	/* the up file changes between the two lints (not in length): its new text is linted */
	free(findings_text(cfg, down));
	tk_write_file("000001_a.up.sql", "CREATE INDEX t_id ON t (id);\n"
					 "ALTER TABLE t ADD COLUMN n int     NULL;\n");
	changed_after = findings_text(cfg, up);
	dg_lint_caches_free();
	changed_fresh = findings_text(cfg, up);
	assert_string_equal(changed_after, changed_fresh);
	assert_string_not_equal(changed_fresh, fresh);
	free(fresh);
	free(after_down);
	free(changed_fresh);
	free(changed_after);
	dg_lint_caches_free();
	dg_config_free(cfg);
	assert_int_equal(tk_tmpdir_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dbmate),
	    cmocka_unit_test(test_dbmate_transaction_false),
	    cmocka_unit_test(test_goose),
	    cmocka_unit_test(test_goose_no_transaction),
	    cmocka_unit_test(test_goose_no_transaction_any_case),
	    cmocka_unit_test(test_golang_migrate_implicit_transaction),
	    cmocka_unit_test(test_sql_migrate),
	    cmocka_unit_test(test_sql_migrate_notransaction),
	    cmocka_unit_test(test_diesel),
	    cmocka_unit_test(test_diesel_run_in_transaction_false),
	    cmocka_unit_test(test_flyway),
	    cmocka_unit_test(test_flyway_without_undo_files),
	    cmocka_unit_test(test_flyway_detects_non_transactional),
	    cmocka_unit_test(test_flyway_execute_in_transaction_inline),
	    cmocka_unit_test(test_flyway_execute_in_transaction_conf),
	    cmocka_unit_test(test_sqitch),
	    cmocka_unit_test(test_liquibase),
	    cmocka_unit_test(test_liquibase_run_in_transaction_false),
	    cmocka_unit_test(test_liquibase_bom_crlf),
	    cmocka_unit_test(test_prisma),
	    cmocka_unit_test(test_prisma_splits_concurrently),
	    cmocka_unit_test(test_pop),
	    cmocka_unit_test(test_pop_autocommit),
	    cmocka_unit_test(test_postgres_migrations_disable_transaction),
	    cmocka_unit_test(test_atlas_txmode_none),
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_forced_format),
	    cmocka_unit_test(test_file_order),
	    cmocka_unit_test(test_require_down_section),
	    cmocka_unit_test(test_runners),
	    cmocka_unit_test(test_pg_dump_snapshot),
	    cmocka_unit_test(test_refinery_or_flyway),
	    cmocka_unit_test(test_kept_up_file),
	};
	return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
