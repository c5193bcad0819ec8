/* test_pg_locks.c — the lock model against a real PostgreSQL server (started by run.sh).
 * For every statement kind: a fresh schema with rows, the statement inside BEGIN, the backend's
 * own relation locks from pg_locks (strongest per relation), the rows it read from
 * pg_stat_xact_user_tables, and after COMMIT whether pg_class.relfilenode changed. Each is compared
 * with what ddlguard's model says for the statement (parsed through the library, with the setup as
 * the earlier statements of the file). Statements that refuse transaction blocks are checked for
 * that error. Any mismatch fails, with both sides printed: the server is right. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "ddlguard/ddlguard.h"
#include "locks.h"

#define SKIP 77

/* Case flags */
#define NO_TX 1u	 /* PostgreSQL refuses it inside a transaction block */
#define NEW_STORAGE 2u	 /* new relfilenode without a rewrite of rows (TRUNCATE) */
#define NO_SCAN_CHECK 4u /* which rows are read is the planner's choice */

struct tcase {
	const char *name;
	const char *sql;
	const char *setup; /* extra setup after the base, or NULL */
	unsigned flags;
};

static const char base_setup[] =
    "SET TimeZone = 'America/New_York';\n"
    "DROP SCHEMA IF EXISTS public CASCADE;\n"
    "DROP SCHEMA IF EXISTS other, s2 CASCADE;\n"
    "DROP PUBLICATION IF EXISTS dg_pub;\n"
    "DROP ROLE IF EXISTS dg_role2;\n"
    "CREATE SCHEMA public;\n"
    "CREATE TABLE parent_t (id int PRIMARY KEY, code text UNIQUE);\n"
    "INSERT INTO parent_t SELECT g, 'c' || g FROM generate_series(1, 2000) g;\n"
    "CREATE TABLE t (id int PRIMARY KEY, name varchar(50), n numeric(10,2), parent_id int,\n"
    "  c int, note text, flag bool, ts timestamp);\n"
    "INSERT INTO t SELECT g, 'n' || g, g, g, g, 'x', true, now() FROM generate_series(1, 2000) g;\n"
    "CREATE INDEX t_name_idx ON t (name);\n"
    "CREATE UNIQUE INDEX t_c_uidx ON t (c);\n"
    "ALTER TABLE t ADD CONSTRAINT t_c_pos CHECK (c > 0) NOT VALID;\n"
    "ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent_t (id) NOT "
    "VALID;\n"
    "CREATE TABLE t2 (id int NOT NULL, v text);\n"
    "INSERT INTO t2 SELECT g, 'v' || g FROM generate_series(1, 2000) g;\n"
    "CREATE TABLE p (id int, created date) PARTITION BY RANGE (created);\n"
    "CREATE TABLE p_2024 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
    "INSERT INTO p SELECT g, date '2024-01-01' + (g % 300) FROM generate_series(1, 2000) g;\n"
    "CREATE TABLE p_2025 (id int, created date);\n"
    "INSERT INTO p_2025 SELECT g, date '2025-01-01' + (g % 300) FROM generate_series(1, 2000) g;\n"
    "CREATE TABLE src (id int PRIMARY KEY, v text);\n"
    "INSERT INTO src SELECT g, 'v' || g FROM generate_series(1, 2000) g;\n"
    "CREATE VIEW v AS SELECT id, v FROM src;\n"
    "CREATE MATERIALIZED VIEW mv AS SELECT id, v FROM src;\n"
    "CREATE UNIQUE INDEX mv_id ON mv (id);\n"
    "CREATE TYPE mood AS ENUM ('a', 'b');\n"
    "CREATE SEQUENCE s;\n"
    "CREATE TABLE base_t (id int);\n"
    "CREATE FUNCTION trg_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\n"
    "CREATE TRIGGER t_trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg_fn();\n"
    "CREATE POLICY t_pol ON t USING (true);\n"
    "ANALYZE;\n";

static const struct tcase cases[] = {
    /* indexes */
    {"CREATE INDEX", "CREATE INDEX t_c_idx ON t (c)", NULL, 0},
    {"CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX t_id_c_idx ON t (id, c)", NULL, 0},
    {"CREATE INDEX partial", "CREATE INDEX t_flag_idx ON t (id) WHERE flag", NULL, 0},
    {"CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY t_c_idx ON t (c)", NULL, NO_TX},
    {"CREATE UNIQUE INDEX CONCURRENTLY", "CREATE UNIQUE INDEX CONCURRENTLY t_u ON t (id, c)", NULL,
     NO_TX},
    {"DROP INDEX", "DROP INDEX t_name_idx", NULL, 0},
    {"DROP INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY t_name_idx", NULL, NO_TX},
    {"REINDEX INDEX", "REINDEX INDEX t_name_idx", NULL, 0},
    {"REINDEX TABLE", "REINDEX TABLE t", NULL, 0},
    {"REINDEX INDEX CONCURRENTLY", "REINDEX INDEX CONCURRENTLY t_name_idx", NULL, NO_TX},
    {"REINDEX TABLE CONCURRENTLY", "REINDEX TABLE CONCURRENTLY t", NULL, NO_TX},
    {"ALTER INDEX RENAME", "ALTER INDEX t_name_idx RENAME TO t_name_idx2", NULL, 0},
    {"ALTER INDEX SET (fillfactor)", "ALTER INDEX t_name_idx SET (fillfactor = 70)", NULL, 0},
    {"ALTER INDEX SET TABLESPACE", "ALTER INDEX t_name_idx SET TABLESPACE dg_ts", NULL, 0},
    /* ALTER TABLE: columns */
    {"ADD COLUMN", "ALTER TABLE t ADD COLUMN x int", NULL, 0},
    {"ADD COLUMN DEFAULT constant", "ALTER TABLE t ADD COLUMN x int DEFAULT 0", NULL, 0},
    {"ADD COLUMN DEFAULT now()", "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT now()", NULL, 0},
    {"ADD COLUMN DEFAULT CURRENT_TIMESTAMP",
     "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT CURRENT_TIMESTAMP", NULL, 0},
    {"ADD COLUMN DEFAULT txid_current()",
     "ALTER TABLE t ADD COLUMN x bigint DEFAULT txid_current()", NULL, 0},
    {"ADD COLUMN DEFAULT random()", "ALTER TABLE t ADD COLUMN x float8 DEFAULT random()", NULL, 0},
    {"ADD COLUMN DEFAULT clock_timestamp()",
     "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT clock_timestamp()", NULL, 0},
    {"ADD COLUMN DEFAULT gen_random_uuid()",
     "ALTER TABLE t ADD COLUMN x uuid DEFAULT gen_random_uuid()", NULL, 0},
    {"ADD COLUMN DEFAULT nextval()", "ALTER TABLE t ADD COLUMN x bigint DEFAULT nextval('s')", NULL,
     0},
    {"ADD COLUMN NOT NULL DEFAULT", "ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0", NULL, 0},
    {"ADD COLUMN serial", "ALTER TABLE t ADD COLUMN x serial", NULL, 0},
    {"ADD COLUMN identity", "ALTER TABLE t ADD COLUMN x int GENERATED ALWAYS AS IDENTITY", NULL, 0},
    {"ADD COLUMN generated stored",
     "ALTER TABLE t ADD COLUMN x int GENERATED ALWAYS AS (c * 2) STORED", NULL, 0},
    {"ADD COLUMN REFERENCES", "ALTER TABLE t ADD COLUMN x int REFERENCES parent_t (id)", NULL, 0},
    {"ADD COLUMN DEFAULT REFERENCES",
     "ALTER TABLE t ADD COLUMN x int DEFAULT 1 REFERENCES parent_t (id)", NULL, 0},
    {"ADD COLUMN DEFAULT NULL REFERENCES",
     "ALTER TABLE t ADD COLUMN x int DEFAULT NULL REFERENCES parent_t (id)", NULL, 0},
    {"ADD COLUMN UNIQUE", "ALTER TABLE t ADD COLUMN x int UNIQUE", NULL, 0},
    {"ADD COLUMN CHECK", "ALTER TABLE t ADD COLUMN x int CHECK (x > 0)", NULL, 0},
    {"DROP COLUMN", "ALTER TABLE t DROP COLUMN note", NULL, 0},
    {"DROP COLUMN with index", "ALTER TABLE t DROP COLUMN name", NULL, 0},
    {"ADD COLUMN IF NOT EXISTS (exists)", "ALTER TABLE t ADD COLUMN IF NOT EXISTS c int", NULL, 0},
    {"ADD COLUMN DEFAULT uuid_generate_v4()",
     "ALTER TABLE t ADD COLUMN x uuid DEFAULT uuid_generate_v4()",
     "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";", 0},
    {"ADD COLUMN DEFAULT expression", "ALTER TABLE t ADD COLUMN x text DEFAULT lower('A') || 'b'",
     NULL, 0},
    {"ADD two columns", "ALTER TABLE t ADD COLUMN x int, ADD COLUMN y text DEFAULT 'a'", NULL, 0},
    {"ALTER COLUMN SET DEFAULT nextval()", "ALTER TABLE t ALTER COLUMN c SET DEFAULT nextval('s')",
     NULL, 0},
    {"ALTER COLUMN DROP IDENTITY", "ALTER TABLE t2 ALTER COLUMN id DROP IDENTITY",
     "ALTER TABLE t2 ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;", 0},
    {"ALTER COLUMN SET GENERATED", "ALTER TABLE t2 ALTER COLUMN id SET GENERATED ALWAYS",
     "ALTER TABLE t2 ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;", 0},
    {"ALTER COLUMN DROP EXPRESSION", "ALTER TABLE t2 ALTER COLUMN g DROP EXPRESSION",
     "ALTER TABLE t2 ADD COLUMN g int GENERATED ALWAYS AS (id * 2) STORED;", 0},
    {"ALTER COLUMN TYPE bool→text", "ALTER TABLE t ALTER COLUMN flag TYPE text", NULL, 0},
    {"ALTER TABLE ONLY", "ALTER TABLE ONLY t ALTER COLUMN c SET DEFAULT 1", NULL, 0},
    {"ALTER TABLE IF EXISTS", "ALTER TABLE IF EXISTS t ALTER COLUMN c DROP DEFAULT", NULL, 0},
    {"ALTER COLUMN SET DEFAULT", "ALTER TABLE t ALTER COLUMN c SET DEFAULT 5", NULL, 0},
    {"ALTER COLUMN DROP DEFAULT", "ALTER TABLE t ALTER COLUMN c DROP DEFAULT", NULL, 0},
    {"ALTER COLUMN SET NOT NULL", "ALTER TABLE t ALTER COLUMN c SET NOT NULL", NULL, 0},
    {"ALTER COLUMN DROP NOT NULL", "ALTER TABLE t2 ALTER COLUMN id DROP NOT NULL", NULL, 0},
    {"ALTER COLUMN TYPE int→bigint", "ALTER TABLE t ALTER COLUMN c TYPE bigint", NULL, 0},
    {"ALTER COLUMN TYPE varchar(50)→text", "ALTER TABLE t ALTER COLUMN name TYPE text", NULL, 0},
    {"ALTER COLUMN TYPE varchar(50)→varchar(100)",
     "ALTER TABLE t ALTER COLUMN name TYPE varchar(100)", NULL, 0},
    {"ALTER COLUMN TYPE varchar(50)→varchar", "ALTER TABLE t ALTER COLUMN name TYPE varchar", NULL,
     0},
    {"ALTER COLUMN TYPE varchar(50)→varchar(20)",
     "ALTER TABLE t ALTER COLUMN name TYPE varchar(20)", NULL, 0},
    {"ALTER COLUMN TYPE numeric(10,2)→numeric(12,2)",
     "ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2)", NULL, 0},
    {"ALTER COLUMN TYPE numeric(10,2)→numeric(12,4)",
     "ALTER TABLE t ALTER COLUMN n TYPE numeric(12,4)", NULL, 0},
    {"ALTER COLUMN TYPE numeric(10,2)→numeric", "ALTER TABLE t ALTER COLUMN n TYPE numeric", NULL,
     0},
    {"ALTER COLUMN TYPE text→varchar", "ALTER TABLE t ALTER COLUMN note TYPE varchar", NULL, 0},
    {"ALTER COLUMN TYPE int→text", "ALTER TABLE t ALTER COLUMN n TYPE text", NULL, 0},
    {"ALTER COLUMN TYPE timestamp→timestamptz", "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
     NULL, 0},
    {"ALTER COLUMN TYPE timestamp→timestamptz, UTC",
     "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz", "SET TimeZone = 'UTC';", 0},
    {"ALTER COLUMN TYPE USING", "ALTER TABLE t ALTER COLUMN c TYPE int USING c + 1", NULL, 0},
    {"ALTER COLUMN SET STATISTICS", "ALTER TABLE t ALTER COLUMN c SET STATISTICS 500", NULL, 0},
    {"ALTER COLUMN SET (n_distinct)", "ALTER TABLE t ALTER COLUMN c SET (n_distinct = 100)", NULL,
     0},
    {"ALTER COLUMN SET STORAGE", "ALTER TABLE t ALTER COLUMN note SET STORAGE EXTERNAL", NULL, 0},
    {"ALTER COLUMN SET COMPRESSION", "ALTER TABLE t ALTER COLUMN note SET COMPRESSION pglz", NULL,
     0},
    {"ALTER COLUMN ADD IDENTITY",
     "ALTER TABLE t2 ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY", NULL, 0},
    {"RENAME COLUMN", "ALTER TABLE t RENAME COLUMN note TO remark", NULL, 0},
    /* ALTER TABLE: constraints */
    {"ADD CHECK", "ALTER TABLE t ADD CONSTRAINT t_id_pos CHECK (id > 0)", NULL, 0},
    {"ADD CHECK NOT VALID", "ALTER TABLE t ADD CONSTRAINT t_id_pos CHECK (id > 0) NOT VALID", NULL,
     0},
    {"VALIDATE CHECK", "ALTER TABLE t VALIDATE CONSTRAINT t_c_pos", NULL, 0},
    {"ADD FOREIGN KEY",
     "ALTER TABLE t ADD CONSTRAINT t_p2_fk FOREIGN KEY (c) REFERENCES parent_t (id)", NULL,
     NO_SCAN_CHECK},
    {"ADD FOREIGN KEY NOT VALID",
     "ALTER TABLE t ADD CONSTRAINT t_p2_fk FOREIGN KEY (c) REFERENCES parent_t (id) NOT VALID",
     NULL, 0},
    {"VALIDATE FOREIGN KEY", "ALTER TABLE t VALIDATE CONSTRAINT t_parent_fk", NULL, NO_SCAN_CHECK},
    {"ADD UNIQUE", "ALTER TABLE t ADD CONSTRAINT t_id_c_key UNIQUE (id, c)", NULL, 0},
    {"ADD PRIMARY KEY", "ALTER TABLE t2 ADD PRIMARY KEY (id)", NULL, 0},
    {"ADD EXCLUDE", "ALTER TABLE t ADD CONSTRAINT t_ex EXCLUDE USING btree (id WITH =)", NULL, 0},
    {"ADD UNIQUE USING INDEX", "ALTER TABLE t2 ADD CONSTRAINT t2_id_key UNIQUE USING INDEX t2_u",
     "CREATE UNIQUE INDEX t2_u ON t2 (id);", 0},
    {"ADD PRIMARY KEY USING INDEX", "ALTER TABLE t2 ADD PRIMARY KEY USING INDEX t2_u",
     "CREATE UNIQUE INDEX t2_u ON t2 (id);", 0},
    {"DROP CONSTRAINT CHECK", "ALTER TABLE t DROP CONSTRAINT t_c_pos", NULL, 0},
    {"DROP CONSTRAINT FOREIGN KEY", "ALTER TABLE t DROP CONSTRAINT t_parent_fk", NULL, 0},
    {"DROP and ADD CONSTRAINT",
     "ALTER TABLE t DROP CONSTRAINT t_c_pos, ADD CONSTRAINT t_c_pos CHECK (c > 1) NOT VALID", NULL,
     0},
    {"RENAME CONSTRAINT", "ALTER TABLE t RENAME CONSTRAINT t_c_pos TO t_c_positive", NULL, 0},
    {"ALTER CONSTRAINT DEFERRABLE", "ALTER TABLE t ALTER CONSTRAINT t_parent_fk DEFERRABLE", NULL,
     0},
    /* ALTER TABLE: the rest */
    {"ENABLE TRIGGER", "ALTER TABLE t ENABLE TRIGGER t_trg", NULL, 0},
    {"DISABLE TRIGGER", "ALTER TABLE t DISABLE TRIGGER t_trg", NULL, 0},
    {"DISABLE TRIGGER ALL", "ALTER TABLE t DISABLE TRIGGER ALL", NULL, 0},
    {"DISABLE TRIGGER USER", "ALTER TABLE t DISABLE TRIGGER USER", NULL, 0},
    {"ENABLE REPLICA TRIGGER", "ALTER TABLE t ENABLE REPLICA TRIGGER t_trg", NULL, 0},
    {"SET UNLOGGED", "ALTER TABLE t2 SET UNLOGGED", NULL, 0},
    {"SET LOGGED", "ALTER TABLE t2 SET LOGGED", "ALTER TABLE t2 SET UNLOGGED;", 0},
    {"SET TABLESPACE", "ALTER TABLE t2 SET TABLESPACE dg_ts", NULL, 0},
    {"CLUSTER ON", "ALTER TABLE t CLUSTER ON t_name_idx", NULL, 0},
    {"SET WITHOUT CLUSTER", "ALTER TABLE t SET WITHOUT CLUSTER", NULL, 0},
    {"REPLICA IDENTITY FULL", "ALTER TABLE t REPLICA IDENTITY FULL", NULL, 0},
    {"ENABLE ROW LEVEL SECURITY", "ALTER TABLE t ENABLE ROW LEVEL SECURITY", NULL, 0},
    {"FORCE ROW LEVEL SECURITY", "ALTER TABLE t FORCE ROW LEVEL SECURITY", NULL, 0},
    {"OWNER TO", "ALTER TABLE t OWNER TO dg_role", NULL, 0},
    {"SET (fillfactor)", "ALTER TABLE t SET (fillfactor = 70)", NULL, 0},
    {"SET (autovacuum_enabled)", "ALTER TABLE t SET (autovacuum_enabled = false)", NULL, 0},
    {"RESET (fillfactor)", "ALTER TABLE t RESET (fillfactor)", NULL, 0},
    {"SET (user_catalog_table)", "ALTER TABLE t2 SET (user_catalog_table = true)", NULL, 0},
    {"INHERIT", "ALTER TABLE t2 INHERIT base_t", "ALTER TABLE t2 DROP COLUMN v;", 0},
    {"NO INHERIT", "ALTER TABLE t2 NO INHERIT base_t",
     "ALTER TABLE t2 DROP COLUMN v; ALTER TABLE t2 INHERIT base_t;", 0},
    {"ATTACH PARTITION",
     "ALTER TABLE p ATTACH PARTITION p_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", NULL,
     0},
    {"DETACH PARTITION", "ALTER TABLE p DETACH PARTITION p_2024", NULL, 0},
    {"DETACH PARTITION CONCURRENTLY", "ALTER TABLE p DETACH PARTITION p_2024 CONCURRENTLY", NULL,
     NO_TX},
    /* partitioned tables: partitions created in the same file are known */
    {"partitioned: CREATE INDEX", "CREATE INDEX p_id_idx ON p (id)", NULL, 0},
    {"partitioned: CREATE INDEX ON ONLY", "CREATE INDEX p_id_idx ON ONLY p (id)", NULL, 0},
    {"partitioned: ADD COLUMN", "ALTER TABLE p ADD COLUMN x int", NULL, 0},
    {"partitioned: ALTER COLUMN TYPE", "ALTER TABLE p ALTER COLUMN id TYPE bigint", NULL, 0},
    {"partitioned: SET NOT NULL", "ALTER TABLE p ALTER COLUMN id SET NOT NULL", NULL, 0},
    {"partitioned: ADD CHECK", "ALTER TABLE p ADD CONSTRAINT p_id_pos CHECK (id > 0)", NULL, 0},
    {"partitioned: ADD FOREIGN KEY",
     "ALTER TABLE p ADD CONSTRAINT p_fk FOREIGN KEY (id) REFERENCES parent_t (id)", NULL,
     NO_SCAN_CHECK},
    {"partitioned: DROP TABLE", "DROP TABLE p", NULL, 0},
    {"partitioned: TRUNCATE", "TRUNCATE p", NULL, NEW_STORAGE},
    {"partitioned: CREATE TRIGGER",
     "CREATE TRIGGER p_trg AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION trg_fn()", NULL, 0},
    {"partitioned: DETACH with another partition", "ALTER TABLE p DETACH PARTITION p_2024",
     "CREATE TABLE p_2023 PARTITION OF p FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');", 0},
    {"partitioned: TRUNCATE ONLY", "TRUNCATE ONLY p_2024", NULL, NEW_STORAGE},
    {"partitioned: LOCK TABLE", "LOCK TABLE p IN SHARE MODE", NULL, 0},
    {"partitioned: ANALYZE", "ANALYZE p", NULL, 0},
    {"partitioned: LOCK TABLE ONLY", "LOCK TABLE ONLY p IN SHARE MODE", NULL, 0},
    {"partitioned: sub-partitions", "ALTER TABLE p ALTER COLUMN id SET NOT NULL",
     "CREATE TABLE p_2023 PARTITION OF p FOR VALUES FROM ('2023-01-01') TO ('2024-01-01') "
     "PARTITION BY HASH (id);\n"
     "CREATE TABLE p_2023_0 PARTITION OF p_2023 FOR VALUES WITH (MODULUS 2, REMAINDER 0);\n"
     "CREATE TABLE p_2023_1 PARTITION OF p_2023 FOR VALUES WITH (MODULUS 2, REMAINDER 1);\n"
     "INSERT INTO p SELECT g, date '2023-06-01' FROM generate_series(1, 100) g;",
     0},
    {"RENAME TABLE", "ALTER TABLE t2 RENAME TO t3", NULL, 0},
    {"SET SCHEMA", "ALTER TABLE t2 SET SCHEMA other", "CREATE SCHEMA IF NOT EXISTS other;", 0},
    {"multiple subcommands",
     "ALTER TABLE t ALTER COLUMN c SET STATISTICS 100, ADD COLUMN y int, ALTER COLUMN name TYPE "
     "text",
     NULL, 0},
    {"multiple subcommands SUE", "ALTER TABLE t SET (fillfactor = 80), CLUSTER ON t_name_idx", NULL,
     0},
    /* drops, truncate */
    {"DROP TABLE", "DROP TABLE t2", NULL, 0},
    {"DROP TABLE with foreign key", "DROP TABLE t", NULL, 0},
    {"DROP TABLE referenced", "DROP TABLE parent_t CASCADE", NULL, 0},
    {"DROP TABLE two", "DROP TABLE t2, base_t", NULL, 0},
    {"DROP VIEW", "DROP VIEW v", NULL, 0},
    {"DROP MATERIALIZED VIEW", "DROP MATERIALIZED VIEW mv", NULL, 0},
    {"DROP SEQUENCE", "DROP SEQUENCE s", NULL, 0},
    {"DROP TYPE", "DROP TYPE mood", NULL, 0},
    {"TRUNCATE", "TRUNCATE t2", NULL, NEW_STORAGE},
    /* triggers, policies, rules */
    {"CREATE TRIGGER",
     "CREATE TRIGGER t_trg2 AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg_fn()", NULL, 0},
    {"DROP TRIGGER", "DROP TRIGGER t_trg ON t", NULL, 0},
    {"ALTER TRIGGER RENAME", "ALTER TRIGGER t_trg ON t RENAME TO t_trg3", NULL, 0},
    {"CREATE POLICY", "CREATE POLICY t_pol2 ON t USING (id > 0)", NULL, 0},
    {"ALTER POLICY", "ALTER POLICY t_pol ON t USING (id > 1)", NULL, 0},
    {"DROP POLICY", "DROP POLICY t_pol ON t", NULL, 0},
    /* views, materialized views */
    {"CREATE VIEW", "CREATE VIEW v2 AS SELECT id FROM src", NULL, 0},
    {"CREATE OR REPLACE VIEW", "CREATE OR REPLACE VIEW v AS SELECT id, v, 1 AS one FROM src", NULL,
     0},
    {"ALTER VIEW RENAME", "ALTER VIEW v RENAME TO v3", NULL, 0},
    {"ALTER MATERIALIZED VIEW RENAME", "ALTER MATERIALIZED VIEW mv RENAME TO mv3", NULL, 0},
    {"ALTER SEQUENCE RENAME", "ALTER SEQUENCE s RENAME TO s3", NULL, 0},
    {"CREATE MATERIALIZED VIEW", "CREATE MATERIALIZED VIEW mv2 AS SELECT id FROM src", NULL, 0},
    {"REFRESH MATERIALIZED VIEW", "REFRESH MATERIALIZED VIEW mv", NULL, 0},
    {"REFRESH MATERIALIZED VIEW CONCURRENTLY", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", NULL,
     NO_SCAN_CHECK},
    /* types, grants, comments, statistics */
    {"ALTER TYPE ADD VALUE", "ALTER TYPE mood ADD VALUE 'c'", NULL, 0},
    {"ALTER TYPE RENAME VALUE", "ALTER TYPE mood RENAME VALUE 'a' TO 'z'", NULL, 0},
    {"CREATE TYPE enum", "CREATE TYPE color AS ENUM ('red')", NULL, 0},
    {"CREATE DOMAIN", "CREATE DOMAIN posint AS int CHECK (VALUE > 0)", NULL, 0},
    {"CREATE FUNCTION", "CREATE FUNCTION f1() RETURNS int LANGUAGE sql AS 'SELECT 1'", NULL, 0},
    {"CREATE EXTENSION", "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"", NULL, 0},
    {"SET lock_timeout", "SET lock_timeout = '2s'", NULL, 0},
    {"SELECT set_config", "SELECT set_config('statement_timeout', '5s', false)", NULL, 0},
    {"GRANT", "GRANT SELECT ON t TO dg_role", NULL, 0},
    {"REVOKE", "REVOKE SELECT ON t FROM dg_role", NULL, 0},
    {"COMMENT ON TABLE", "COMMENT ON TABLE t IS 'x'", NULL, 0},
    {"COMMENT ON COLUMN", "COMMENT ON COLUMN t.c IS 'x'", NULL, 0},
    {"COMMENT ON INDEX", "COMMENT ON INDEX t_name_idx IS 'x'", NULL, 0},
    {"COMMENT ON CONSTRAINT", "COMMENT ON CONSTRAINT t_c_pos ON t IS 'x'", NULL, 0},
    {"COMMENT ON TRIGGER", "COMMENT ON TRIGGER t_trg ON t IS 'x'", NULL, 0},
    {"COMMENT ON POLICY", "COMMENT ON POLICY t_pol ON t IS 'x'", NULL, 0},
    {"COMMENT ON VIEW", "COMMENT ON VIEW v IS 'x'", NULL, 0},
    {"CREATE STATISTICS", "CREATE STATISTICS t_st ON c, n FROM t", NULL, 0},
    /* maintenance */
    {"VACUUM", "VACUUM t", NULL, NO_TX},
    {"VACUUM FULL", "VACUUM FULL t", NULL, NO_TX},
    {"ANALYZE", "ANALYZE t", NULL, 0},
    {"CLUSTER", "CLUSTER t USING t_name_idx", NULL, NO_SCAN_CHECK},
    {"CLUSTER (all)", "CLUSTER", NULL, NO_TX},
    {"CLUSTER (clustered index)", "CLUSTER t", "ALTER TABLE t CLUSTER ON t_name_idx;",
     NO_SCAN_CHECK},
    {"LOCK TABLE", "LOCK TABLE t", NULL, 0},
    {"LOCK TABLE IN SHARE MODE", "LOCK TABLE t IN SHARE MODE", NULL, 0},
    {"LOCK TABLE IN ROW EXCLUSIVE MODE", "LOCK TABLE t IN ROW EXCLUSIVE MODE", NULL, 0},
    /* creating */
    {"CREATE TABLE", "CREATE TABLE n1 (id int PRIMARY KEY, v text)", NULL, 0},
    {"CREATE TABLE REFERENCES", "CREATE TABLE n1 (id int, pid int REFERENCES parent_t (id))", NULL,
     0},
    {"CREATE TABLE FOREIGN KEY",
     "CREATE TABLE n1 (id int, pid int, FOREIGN KEY (pid) REFERENCES parent_t (id))", NULL, 0},
    {"CREATE TABLE PARTITION OF",
     "CREATE TABLE p_2026 PARTITION OF p FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", NULL,
     0},
    {"CREATE TABLE INHERITS", "CREATE TABLE n1 (x int) INHERITS (base_t)", NULL, 0},
    {"CREATE TABLE LIKE", "CREATE TABLE n1 (LIKE t)", NULL, 0},
    {"CREATE TABLE AS", "CREATE TABLE n1 AS SELECT * FROM src", NULL, 0},
    {"SELECT INTO", "SELECT * INTO n1 FROM src", NULL, 0},
    {"CREATE SEQUENCE", "CREATE SEQUENCE s2", NULL, 0},
    {"ALTER SEQUENCE", "ALTER SEQUENCE s RESTART WITH 10", NULL, 0},
    {"ALTER SEQUENCE OWNED BY", "ALTER SEQUENCE s OWNED BY t.c", NULL, 0},
    /* roles, schemas, publications, rules, other objects */
    {"CREATE ROLE", "CREATE ROLE dg_role2", NULL, 0},
    {"ALTER ROLE", "ALTER ROLE dg_role SET work_mem = '8MB'", NULL, 0},
    {"GRANT role", "GRANT dg_role TO CURRENT_USER", NULL, 0},
    {"CREATE SCHEMA", "CREATE SCHEMA s2", NULL, 0},
    {"ALTER DEFAULT PRIVILEGES", "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO dg_role", NULL,
     0},
    {"ALTER FUNCTION", "ALTER FUNCTION trg_fn() OWNER TO dg_role", NULL, 0},
    {"CREATE AGGREGATE", "CREATE AGGREGATE my_sum (int) (SFUNC = int4pl, STYPE = int)", NULL, 0},
    {"CREATE RULE", "CREATE RULE t2_no_delete AS ON DELETE TO t2 DO INSTEAD NOTHING", NULL, 0},
    {"CREATE PUBLICATION", "CREATE PUBLICATION dg_pub FOR TABLE t2, src", NULL, 0},
    {"ALTER PUBLICATION ADD TABLE", "ALTER PUBLICATION dg_pub ADD TABLE src",
     "CREATE PUBLICATION dg_pub FOR TABLE t2;", 0},
    {"MERGE", "MERGE INTO t2 USING src ON t2.id = src.id WHEN MATCHED THEN UPDATE SET v = src.v",
     NULL, NO_SCAN_CHECK},
    /* data */
    {"INSERT", "INSERT INTO t2 VALUES (0, 'x')", NULL, 0},
    {"INSERT SELECT", "INSERT INTO t2 SELECT id, v FROM src", NULL, 0},
    {"UPDATE all rows", "UPDATE t2 SET v = 'y'", NULL, 0},
    {"UPDATE WHERE", "UPDATE t SET note = 'y' WHERE id = 1", NULL, 0},
    {"DELETE WHERE", "DELETE FROM t2 WHERE v = 'v1'", NULL, NO_SCAN_CHECK},
    {"DELETE USING", "DELETE FROM t2 USING src WHERE t2.id = src.id AND src.v = 'v1'", NULL,
     NO_SCAN_CHECK},
    {"UPDATE FROM", "UPDATE t2 SET v = src.v FROM src WHERE t2.id = src.id", NULL, NO_SCAN_CHECK},
    {"INSERT ON CONFLICT", "INSERT INTO src VALUES (1, 'x') ON CONFLICT (id) DO NOTHING", NULL, 0},
    {"WITH … INSERT", "WITH w AS (SELECT id FROM src) INSERT INTO t2 SELECT id, 'w' FROM w", NULL,
     0},
    {"SELECT", "SELECT count(*) FROM src", NULL, NO_SCAN_CHECK},
    {"SELECT FOR UPDATE", "SELECT * FROM src WHERE id = 1 FOR UPDATE", NULL, 0},
};

static PGconn *conn;
static int failures;
static int server_major = 15;

static void failf(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures++;
}

/* Runs SQL; returns the error message (static buffer) or NULL on success. */
static const char *exec(const char *sql)
{
	static char err[1024];
	PGresult *r = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(r);
		return NULL;
	}
	snprintf(err, sizeof(err), "%s", PQresultErrorMessage(r));
	err[strcspn(err, "\n")] = '\0';
	PQclear(r);
	return err;
}

static PGresult *query(const char *sql)
{
	PGresult *r = PQexec(conn, sql);

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "query failed: %s: %s", sql, PQresultErrorMessage(r));
		exit(1);
	}
	return r;
}

/* ---- the catalog before the statement -------------------------------------------------------- */

struct rel {
	unsigned oid, table_oid; /* table_oid: for an index, its table */
	char name[64];
	char kind;
	unsigned long filenode;
	double tuples;
	/* server side */
	int server_mode;
	long rows_read;
	unsigned long filenode_after;
	bool gone;
	/* model side */
	int model_mode;
	bool modeled, rewrite, scan;
	const char *role;
};

static struct rel rels[256];
static size_t n_rels;

static struct rel *by_oid(unsigned oid)
{
	for (size_t i = 0; i < n_rels; i++)
		if (rels[i].oid == oid)
			return &rels[i];
	return NULL;
}

static struct rel *by_name(const char *name)
{
	for (size_t i = 0; i < n_rels; i++)
		if (strcmp(rels[i].name, name) == 0)
			return &rels[i];
	return NULL;
}

static void snapshot(void)
{
	PGresult *r =
	    query("SELECT c.oid, c.relname, c.relkind, c.relfilenode, COALESCE(i.indrelid, 0), "
		  "c.reltuples FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid "
		  "WHERE c.relnamespace = 'public'::regnamespace");

	n_rels = 0;
	for (int i = 0; i < PQntuples(r) && n_rels < 256; i++) {
		struct rel *x = &rels[n_rels++];
		memset(x, 0, sizeof(*x));
		x->oid = (unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10);
		snprintf(x->name, sizeof(x->name), "%s", PQgetvalue(r, i, 1));
		x->kind = PQgetvalue(r, i, 2)[0];
		x->filenode = strtoul(PQgetvalue(r, i, 3), NULL, 10);
		x->table_oid = (unsigned)strtoul(PQgetvalue(r, i, 4), NULL, 10);
		x->tuples = strtod(PQgetvalue(r, i, 5), NULL);
	}
	PQclear(r);
}

static void read_rows(bool baseline)
{
	PGresult *r = query("SELECT relid, seq_tup_read + COALESCE(idx_tup_fetch, 0) FROM "
			    "pg_stat_xact_user_tables");

	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *x = by_oid((unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10));
		long v = strtol(PQgetvalue(r, i, 1), NULL, 10);
		if (x)
			x->rows_read = baseline ? -v : x->rows_read + v;
	}
	PQclear(r);
}

static void read_locks(void)
{
	PGresult *r = query("SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND "
			    "locktype = 'relation' AND granted");

	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *x = by_oid((unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10));
		int m = (int)dg_lock_mode_from_pg(PQgetvalue(r, i, 1));
		if (x && m > x->server_mode)
			x->server_mode = m;
	}
	PQclear(r);
	read_rows(false);
}

static void read_filenodes(void)
{
	PGresult *r = query("SELECT oid, relfilenode FROM pg_class WHERE relnamespace = "
			    "'public'::regnamespace");

	for (size_t k = 0; k < n_rels; k++)
		rels[k].gone = true;
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *x = by_oid((unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10));
		if (x) {
			x->gone = false;
			x->filenode_after = strtoul(PQgetvalue(r, i, 1), NULL, 10);
		}
	}
	PQclear(r);
}

/* ---- the model's side -------------------------------------------------------------------------
 */

static const char *mode_name(int m)
{
	static const char *const names[] = {"none",
					    "ACCESS SHARE",
					    "ROW SHARE",
					    "ROW EXCLUSIVE",
					    "SHARE UPDATE EXCLUSIVE",
					    "SHARE",
					    "SHARE ROW EXCLUSIVE",
					    "EXCLUSIVE",
					    "ACCESS EXCLUSIVE"};
	return m >= 0 && m <= 8 ? names[m] : "?";
}

static bool has_storage(char kind)
{
	return kind == 'r' || kind == 'm' || kind == 'i' || kind == 'S' || kind == 't';
}

static bool strict_kind(char kind)
{
	return kind == 'r' || kind == 'p' || kind == 'm' || kind == 'v' || kind == 'f';
}

/* Applies the model's rows to `rels`; returns false (after reporting) if it cannot. */
static bool apply_model(const struct tcase *tc, const struct dg_stmt_locks *sl)
{
	bool ok = true;

	for (size_t k = 0; k < sl->n_rows; k++) {
		const struct dg_lock_row *row = &sl->rows[k];
		struct rel *x;
		char name[256];

		if (strcmp(row->role, "new") == 0)
			continue;
		if (strncmp(row->relation, "(table of index ", 16) == 0) {
			struct rel *idx;
			snprintf(name, sizeof(name), "%s", row->relation + 16);
			name[strcspn(name, ")")] = '\0';
			idx = by_name(strchr(name, '.') ? strchr(name, '.') + 1 : name);
			x = idx ? by_oid(idx->table_oid) : NULL;
		} else {
			const char *dot = strchr(row->relation, '.');
			x = by_name(dot ? dot + 1 : row->relation);
		}
		if (!x) {
			failf(tc->name, "the model names \"%s\" (%s), which does not exist",
			      row->relation, row->role);
			ok = false;
			continue;
		}
		x->modeled = true;
		if (row->strength > x->model_mode)
			x->model_mode = row->strength;
		x->rewrite |= row->rewrite;
		x->scan |= row->scan;
		x->role = row->role;
	}
	return ok;
}

static void compare(const struct tcase *tc, bool check_locks)
{
	for (size_t i = 0; i < n_rels; i++) {
		struct rel *x = &rels[i];
		bool changed;

		if (check_locks) {
			if (x->modeled && x->model_mode != x->server_mode)
				failf(tc->name, "\"%s\": server %s, model %s", x->name,
				      mode_name(x->server_mode), mode_name(x->model_mode));
			else if (!x->modeled && x->server_mode && strict_kind(x->kind))
				failf(tc->name, "\"%s\": server %s, model does not name it",
				      x->name, mode_name(x->server_mode));
		}
		if (x->gone || !has_storage(x->kind))
			continue;
		changed = x->filenode_after != x->filenode;
		if (x->modeled) {
			bool want = x->rewrite || (tc->flags & NEW_STORAGE);
			if (changed != want)
				failf(tc->name, "\"%s\": relfilenode %s, model says %s", x->name,
				      changed ? "changed" : "unchanged",
				      x->rewrite ? "rewrite" : "no rewrite");
		} else if (changed && x->kind != 'i' && x->kind != 't') {
			failf(tc->name, "\"%s\": relfilenode changed, model does not name it",
			      x->name);
		}
		if (check_locks && x->modeled && !(tc->flags & NO_SCAN_CHECK) &&
		    (x->kind == 'r' || x->kind == 'm') && x->tuples > 0 &&
		    (strcmp(x->role, "table") == 0 || strcmp(x->role, "partition") == 0 ||
		     strcmp(x->role, "table of index") == 0)) {
			bool scanned = x->rows_read >= (long)x->tuples;
			if (scanned != x->scan)
				failf(
				    tc->name, "\"%s\": server read %ld of %.0f rows, model says %s",
				    x->name, x->rows_read, x->tuples, x->scan ? "scan" : "no scan");
		}
	}
}

/* ---- statements that refuse transaction blocks --------------------------------------------------
 */

static PGconn *conn2; /* a second session */

/* Runs tc->sql in the second session while this one holds, on every table the model names, the
 * weakest lock that conflicts with the model's mode: the statement's request shows in pg_locks,
 * not granted, with its mode (a weaker request would pass, a stronger one shows). Then this
 * session lets go and the statement completes. */
static void run_blocked(const struct tcase *tc)
{
	char sql[512], pid[16];
	PGresult *r;
	int held = 0, seen = 0;

	r = PQexec(conn2, "SELECT pg_backend_pid()");
	snprintf(pid, sizeof(pid), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	exec("BEGIN");
	for (size_t i = 0; i < n_rels; i++)
		if (rels[i].modeled && strict_kind(rels[i].kind) && rels[i].model_mode) {
			int block = 1;
			while (!dg_lock_conflicts((enum dg_lock_mode)block,
						  (enum dg_lock_mode)rels[i].model_mode))
				block++;
			snprintf(sql, sizeof(sql), "LOCK TABLE \"%s\" IN %s MODE", rels[i].name,
				 mode_name(block));
			exec(sql);
			held++;
		}
	if (!PQsendQuery(conn2, tc->sql)) {
		failf(tc->name, "cannot send: %s", PQerrorMessage(conn2));
		exec("ROLLBACK");
		return;
	}
	for (int tries = 0; held && tries < 500 && !seen; tries++) {
		snprintf(sql, sizeof(sql),
			 "SELECT relation, mode FROM pg_locks WHERE pid = %s AND NOT granted AND "
			 "locktype = 'relation'",
			 pid);
		r = query(sql);
		for (int i = 0; i < PQntuples(r); i++) {
			struct rel *x = by_oid((unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10));
			int m = (int)dg_lock_mode_from_pg(PQgetvalue(r, i, 1));
			seen++;
			if (!x)
				failf(tc->name, "waits for %s on a relation it does not name",
				      PQgetvalue(r, i, 1));
			else if (!x->modeled || x->model_mode != m)
				failf(tc->name, "\"%s\": server waits for %s, model %s", x->name,
				      mode_name(m),
				      x->modeled ? mode_name(x->model_mode) : "nothing");
		}
		PQclear(r);
		if (!seen) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	if (held && !seen)
		failf(tc->name, "never waited for a lock on the tables it names");
	exec("ROLLBACK");
	while ((r = PQgetResult(conn2))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
			failf(tc->name, "outside a transaction block it failed: %s",
			      PQresultErrorMessage(r));
		PQclear(r);
	}
	if (seen)
		printf("     %-45s waited for its lock as modeled\n", tc->name);
}

/* ---- one case ----------------------------------------------------------------------------------
 */

static int run_case(const struct tcase *tc)
{
	char *file;
	size_t len;
	struct dg_config *cfg = dg_config_new();
	struct dg_lock_report rep;

	/* the model answers for the server's version */
	dg_config_set_pg_version(cfg, server_major);
	const struct dg_stmt_locks *sl;
	const char *err;
	int before = failures;

	/* the file the model sees: the setup, then the statement */
	len = strlen(base_setup) + (tc->setup ? strlen(tc->setup) : 0) + strlen(tc->sql) + 8;
	file = malloc(len);
	snprintf(file, len, "%s%s\n%s;\n", base_setup, tc->setup ? tc->setup : "", tc->sql);
	dg_locks_buffer(cfg, "case.sql", file, strlen(file), &rep);
	dg_config_free(cfg);
	free(file);
	sl = rep.n_stmts ? &rep.stmts[rep.n_stmts - 1] : NULL;
	if (!sl || strncmp(sl->text, tc->sql, 10) != 0) {
		failf(tc->name, "the statement did not parse as the last one of the file");
		dg_lock_report_clear(&rep);
		return 1;
	}
	if (!sl->known)
		failf(tc->name, "the statement is not in the lock model");

	if ((err = exec(base_setup)) || (tc->setup && (err = exec(tc->setup)))) {
		failf(tc->name, "setup failed: %s", err);
		dg_lock_report_clear(&rep);
		return 1;
	}
	snapshot();
	apply_model(tc, sl);

	if (tc->flags & NO_TX) {
		if (!sl->no_transaction)
			failf(tc->name,
			      "server refuses it in a transaction block, model does not say so");
		exec("BEGIN");
		err = exec(tc->sql);
		if (!err || !strstr(err, "cannot run inside a transaction block"))
			failf(tc->name, "inside BEGIN the server said: %s", err ? err : "OK");
		exec("ROLLBACK");
		run_blocked(tc);
		read_filenodes();
		compare(tc, false);
	} else {
		if (sl->no_transaction)
			failf(tc->name, "model says it cannot run in a transaction block; it can");
		exec("BEGIN");
		/* counts not yet flushed by earlier transactions show in the xact view too */
		read_rows(true);
		if ((err = exec(tc->sql))) {
			failf(tc->name, "the statement failed: %s", err);
			exec("ROLLBACK");
		} else {
			read_locks();
			if ((err = exec("COMMIT")))
				failf(tc->name, "COMMIT failed: %s", err);
			read_filenodes();
			compare(tc, true);
		}
	}
	if (failures == before) {
		printf("ok   %-45s", tc->name);
		for (size_t k = 0; k < sl->n_rows; k++)
			printf(" %s=%s%s%s", sl->rows[k].relation,
			       sl->rows[k].mode ? sl->rows[k].mode : "-",
			       sl->rows[k].rewrite ? "+rewrite" : "",
			       sl->rows[k].scan ? "+scan" : "");
		putchar('\n');
	}
	dg_lock_report_clear(&rep);
	return failures != before;
}

/* The model's volatile functions are volatile in pg_catalog; the stable ones it must not list. */
static void check_volatility(void)
{
	static const char *const must_be_volatile[] = {
	    "random",  "clock_timestamp", "timeofday", "gen_random_uuid",
	    "nextval", "setval",	  "currval",   "lastval"};
	static const char *const not_volatile[] = {
	    "now",	    "statement_timestamp", "transaction_timestamp",
	    "txid_current", "current_setting",	   "pg_current_xact_id",
	    "md5"};
	/* a name can have several overloads (ts_rewrite): volatile means all of them are, and the
	 * model may call a name volatile only if one of them is */
	PGresult *r =
	    query("SELECT proname, bool_and(provolatile = 'v'), bool_or(provolatile = "
		  "'v') FROM pg_proc WHERE pronamespace = 'pg_catalog'::regnamespace GROUP "
		  "BY proname");

	for (int i = 0; i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		bool vol = PQgetvalue(r, i, 1)[0] == 't';
		bool model = dg_lock_function_is_volatile(name);
		for (size_t k = 0; k < sizeof(must_be_volatile) / sizeof(*must_be_volatile); k++)
			if (strcmp(name, must_be_volatile[k]) == 0 && !(vol && model))
				failf("volatility", "%s: server %s, model %s", name,
				      vol ? "volatile" : "not volatile",
				      model ? "volatile" : "not");
		for (size_t k = 0; k < sizeof(not_volatile) / sizeof(*not_volatile); k++)
			if (strcmp(name, not_volatile[k]) == 0 && (vol || model))
				failf("volatility", "%s: server %s, model %s", name,
				      vol ? "volatile" : "not volatile",
				      model ? "volatile" : "not");
		if (model && PQgetvalue(r, i, 2)[0] != 't')
			failf("volatility", "%s: model says volatile, server says not", name);
	}
	PQclear(r);
}

/* The conflict table itself: session A holds mode a, session B asks for mode b with NOWAIT. */
static void check_conflicts(const char *conninfo)
{
	static const char *const sql_modes[] = {NULL,
						"ACCESS SHARE",
						"ROW SHARE",
						"ROW EXCLUSIVE",
						"SHARE UPDATE EXCLUSIVE",
						"SHARE",
						"SHARE ROW EXCLUSIVE",
						"EXCLUSIVE",
						"ACCESS EXCLUSIVE"};
	PGconn *other = PQconnectdb(conninfo);
	char sql[256];
	int checked = 0;

	if (PQstatus(other) != CONNECTION_OK) {
		failf("conflicts", "second connection: %s", PQerrorMessage(other));
		PQfinish(other);
		return;
	}
	exec("CREATE TABLE IF NOT EXISTS lock_probe (id int)");
	for (int a = 1; a <= 8; a++) {
		for (int b = 1; b <= 8; b++) {
			PGresult *r;
			bool server;
			exec("BEGIN");
			snprintf(sql, sizeof(sql), "LOCK TABLE lock_probe IN %s MODE",
				 sql_modes[a]);
			exec(sql);
			PQclear(PQexec(other, "BEGIN"));
			snprintf(sql, sizeof(sql), "LOCK TABLE lock_probe IN %s MODE NOWAIT",
				 sql_modes[b]);
			r = PQexec(other, sql);
			server = PQresultStatus(r) != PGRES_COMMAND_OK;
			PQclear(r);
			PQclear(PQexec(other, "ROLLBACK"));
			exec("ROLLBACK");
			if (server != dg_lock_conflicts((enum dg_lock_mode)a, (enum dg_lock_mode)b))
				failf("conflicts", "%s then %s: server %s, model %s", sql_modes[a],
				      sql_modes[b], server ? "conflict" : "no conflict",
				      server ? "no conflict" : "conflict");
			checked++;
		}
	}
	/* what the report's columns mean: a plain SELECT and a plain UPDATE */
	for (int a = 1; a <= 8; a++) {
		PGresult *r;
		bool reads, writes;
		exec("BEGIN");
		snprintf(sql, sizeof(sql), "LOCK TABLE lock_probe IN %s MODE", sql_modes[a]);
		exec(sql);
		PQclear(PQexec(other, "SET lock_timeout = '50ms'"));
		r = PQexec(other, "SELECT * FROM lock_probe");
		reads = PQresultStatus(r) != PGRES_TUPLES_OK;
		PQclear(r);
		r = PQexec(other, "UPDATE lock_probe SET id = 1");
		writes = PQresultStatus(r) != PGRES_COMMAND_OK;
		PQclear(r);
		exec("ROLLBACK");
		if (reads != dg_lock_blocks_reads((enum dg_lock_mode)a) ||
		    writes != dg_lock_blocks_writes((enum dg_lock_mode)a))
			failf("conflicts", "%s: server blocks reads %d writes %d, model %d %d",
			      sql_modes[a], reads, writes,
			      dg_lock_blocks_reads((enum dg_lock_mode)a),
			      dg_lock_blocks_writes((enum dg_lock_mode)a));
		checked++;
	}
	exec("DROP TABLE lock_probe");
	printf("conflict table: %d pairs checked\n", checked);
	PQfinish(other);
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int main(int argc, char **argv)
{
	const char *conninfo = getenv("DG_PG_CONNINFO"), *tsdir = getenv("DG_PG_TABLESPACE_DIR");
	const char *only = argc > 1 ? argv[1] : NULL;
	char sql[1024];
	size_t n = sizeof(cases) / sizeof(cases[0]), ran = 0;

	if (!conninfo) {
		puts("SKIP: DG_PG_CONNINFO is not set (run through tests/pg/run.sh)");
		return SKIP;
	}
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		printf("cannot connect: %s", PQerrorMessage(conn));
		return 1;
	}
	PQsetNoticeProcessor(conn, quiet, NULL);
	server_major = PQserverVersion(conn) / 10000;
	conn2 = PQconnectdb(conninfo);
	if (PQstatus(conn2) != CONNECTION_OK) {
		printf("cannot connect a second session: %s", PQerrorMessage(conn2));
		return 1;
	}
	PQsetNoticeProcessor(conn2, quiet, NULL);
	exec("CREATE ROLE dg_role");
	exec("DROP PUBLICATION IF EXISTS dg_pub");
	if (tsdir) {
		snprintf(sql, sizeof(sql), "CREATE TABLESPACE dg_ts LOCATION '%s'", tsdir);
		if (exec(sql))
			printf("note: %s\n", exec(sql));
	}
	check_volatility();
	check_conflicts(conninfo);
	for (size_t i = 0; i < n; i++) {
		if (only && !strstr(cases[i].name, only))
			continue;
		run_case(&cases[i]);
		ran++;
	}
	printf("%zu statement kinds checked against PostgreSQL %d, %d mismatch(es)\n", ran,
	       PQserverVersion(conn) / 10000, failures);
	PQfinish(conn2);
	PQfinish(conn);
	return failures ? 1 : 0;
}
