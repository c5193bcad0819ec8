/* cases.h — the statement kinds checked against a real PostgreSQL server (test_pg_locks.c) and
 * through the linter (test_consistency.c): one list, so that every statement the lock model is
 * proven on is also checked for agreement between findings and --locks. */
#ifndef DG_PG_CASES_H
#define DG_PG_CASES_H

/* Case flags */
#define NO_TX 1u	 /* PostgreSQL refuses it inside a transaction block */
#define NEW_STORAGE 2u	 /* new relfilenode without a rewrite of rows (TRUNCATE) */
#define NO_SCAN_CHECK 4u /* which rows are read is the planner's choice */
#define SETUP_HERE                                                                                 \
	8u		 /* the case's setup is earlier in the statement's own file (SET           \
			  * TimeZone, an index created in the same migration), not an earlier      \
			  * migration */
#define EXPECT_ERROR 16u /* the server refuses the statement with `error` */
#define AUTOCOMMIT 32u	 /* run outside a transaction block (the server's default) */
#define NO_READ_SCAN                                                                               \
	64u /* only the scan of referenced / read relations is the planner's choice                \
	     */

struct tcase {
	const char *name;
	const char *sql;
	const char *setup; /* extra setup after the base, or NULL */
	unsigned flags;
	const char *error; /* EXPECT_ERROR: part of the server's message */
};

/* Run by the server before every case (not part of any migration the model sees). */
static const char reset_sql[] = "SET TimeZone = 'America/New_York';\n"
				"DROP SCHEMA IF EXISTS public CASCADE;\n"
				"DROP SCHEMA IF EXISTS other, s2 CASCADE;\n"
				"DROP PUBLICATION IF EXISTS dg_pub;\n"
				"DROP ROLE IF EXISTS dg_role2;\n"
				"CREATE SCHEMA public;\n";

static const char base_setup[] =
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
    {"CREATE INDEX", "CREATE INDEX t_c_idx ON t (c)", NULL, 0, NULL},
    {"CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX t_id_c_idx ON t (id, c)", NULL, 0, NULL},
    {"CREATE INDEX partial", "CREATE INDEX t_flag_idx ON t (id) WHERE flag", NULL, 0, NULL},
    {"CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY t_c_idx ON t (c)", NULL, NO_TX, NULL},
    {"CREATE INDEX CONCURRENTLY on a partitioned table",
     "CREATE INDEX CONCURRENTLY p_id_cidx ON p (id)", NULL, NO_TX | EXPECT_ERROR,
     "cannot create index on partitioned table"},
    {"CREATE UNIQUE INDEX CONCURRENTLY", "CREATE UNIQUE INDEX CONCURRENTLY t_u ON t (id, c)", NULL,
     NO_TX, NULL},
    {"DROP INDEX", "DROP INDEX t_name_idx", NULL, 0, NULL},
    {"DROP INDEX created in the same file", "DROP INDEX t_note_idx",
     "CREATE INDEX t_note_idx ON t (note);", SETUP_HERE, NULL},
    {"DROP INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY t_name_idx", NULL, NO_TX, NULL},
    {"REINDEX INDEX", "REINDEX INDEX t_name_idx", NULL, 0, NULL},
    {"REINDEX TABLE", "REINDEX TABLE t", NULL, 0, NULL},
    {"REINDEX INDEX CONCURRENTLY", "REINDEX INDEX CONCURRENTLY t_name_idx", NULL, NO_TX, NULL},
    {"REINDEX TABLE CONCURRENTLY", "REINDEX TABLE CONCURRENTLY t", NULL, NO_TX, NULL},
    {"ALTER INDEX RENAME", "ALTER INDEX t_name_idx RENAME TO t_name_idx2", NULL, 0, NULL},
    {"ALTER INDEX SET (fillfactor)", "ALTER INDEX t_name_idx SET (fillfactor = 70)", NULL, 0, NULL},
    {"ALTER INDEX SET TABLESPACE", "ALTER INDEX t_name_idx SET TABLESPACE dg_ts", NULL, 0, NULL},
    /* ALTER TABLE: columns */
    {"ADD COLUMN", "ALTER TABLE t ADD COLUMN x int", NULL, 0, NULL},
    {"ADD COLUMN DEFAULT constant", "ALTER TABLE t ADD COLUMN x int DEFAULT 0", NULL, 0, NULL},
    {"ADD COLUMN DEFAULT now()", "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT now()", NULL, 0,
     NULL},
    {"ADD COLUMN DEFAULT CURRENT_TIMESTAMP",
     "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT CURRENT_TIMESTAMP", NULL, 0, NULL},
    {"ADD COLUMN DEFAULT txid_current()",
     "ALTER TABLE t ADD COLUMN x bigint DEFAULT txid_current()", NULL, 0, NULL},
    {"ADD COLUMN DEFAULT random()", "ALTER TABLE t ADD COLUMN x float8 DEFAULT random()", NULL, 0,
     NULL},
    {"ADD COLUMN DEFAULT clock_timestamp()",
     "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT clock_timestamp()", NULL, 0, NULL},
    {"ADD COLUMN DEFAULT gen_random_uuid()",
     "ALTER TABLE t ADD COLUMN x uuid DEFAULT gen_random_uuid()", NULL, 0, NULL},
    {"ADD COLUMN DEFAULT nextval()", "ALTER TABLE t ADD COLUMN x bigint DEFAULT nextval('s')", NULL,
     0, NULL},
    {"ADD COLUMN NOT NULL DEFAULT", "ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0", NULL, 0,
     NULL},
    {"ADD COLUMN serial", "ALTER TABLE t ADD COLUMN x serial", NULL, 0, NULL},
    {"ADD COLUMN identity", "ALTER TABLE t ADD COLUMN x int GENERATED ALWAYS AS IDENTITY", NULL, 0,
     NULL},
    {"ADD COLUMN generated stored",
     "ALTER TABLE t ADD COLUMN x int GENERATED ALWAYS AS (c * 2) STORED", NULL, 0, NULL},
    {"ADD COLUMN REFERENCES", "ALTER TABLE t ADD COLUMN x int REFERENCES parent_t (id)", NULL, 0,
     NULL},
    {"ADD COLUMN DEFAULT REFERENCES",
     "ALTER TABLE t ADD COLUMN x int DEFAULT 1 REFERENCES parent_t (id)", NULL, 0, NULL},
    {"ADD COLUMN DEFAULT NULL REFERENCES",
     "ALTER TABLE t ADD COLUMN x int DEFAULT NULL REFERENCES parent_t (id)", NULL, 0, NULL},
    {"ADD COLUMN UNIQUE", "ALTER TABLE t ADD COLUMN x int UNIQUE", NULL, 0, NULL},
    {"ADD COLUMN CHECK", "ALTER TABLE t ADD COLUMN x int CHECK (x > 0)", NULL, 0, NULL},
    {"DROP COLUMN", "ALTER TABLE t DROP COLUMN note", NULL, 0, NULL},
    {"DROP COLUMN with index", "ALTER TABLE t DROP COLUMN name", NULL, 0, NULL},
    {"ADD COLUMN IF NOT EXISTS (exists)", "ALTER TABLE t ADD COLUMN IF NOT EXISTS c int", NULL, 0,
     NULL},
    {"ADD COLUMN DEFAULT uuid_generate_v4()",
     "ALTER TABLE t ADD COLUMN x uuid DEFAULT uuid_generate_v4()",
     "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";", 0, NULL},
    {"ADD COLUMN DEFAULT pg_current_wal_lsn()",
     "ALTER TABLE t ADD COLUMN lsn pg_lsn DEFAULT pg_current_wal_lsn()", NULL, 0, NULL},
    {"ADD COLUMN DEFAULT expression", "ALTER TABLE t ADD COLUMN x text DEFAULT lower('A') || 'b'",
     NULL, 0, NULL},
    {"ADD two columns", "ALTER TABLE t ADD COLUMN x int, ADD COLUMN y text DEFAULT 'a'", NULL, 0,
     NULL},
    {"ALTER COLUMN SET DEFAULT nextval()", "ALTER TABLE t ALTER COLUMN c SET DEFAULT nextval('s')",
     NULL, 0, NULL},
    {"ALTER COLUMN DROP IDENTITY", "ALTER TABLE t2 ALTER COLUMN id DROP IDENTITY",
     "ALTER TABLE t2 ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;", 0, NULL},
    {"ALTER COLUMN SET GENERATED", "ALTER TABLE t2 ALTER COLUMN id SET GENERATED ALWAYS",
     "ALTER TABLE t2 ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;", 0, NULL},
    {"ALTER COLUMN DROP EXPRESSION", "ALTER TABLE t2 ALTER COLUMN g DROP EXPRESSION",
     "ALTER TABLE t2 ADD COLUMN g int GENERATED ALWAYS AS (id * 2) STORED;", 0, NULL},
    {"ALTER COLUMN TYPE bool→text", "ALTER TABLE t ALTER COLUMN flag TYPE text", NULL, 0, NULL},
    {"ALTER TABLE ONLY", "ALTER TABLE ONLY t ALTER COLUMN c SET DEFAULT 1", NULL, 0, NULL},
    {"ALTER TABLE IF EXISTS", "ALTER TABLE IF EXISTS t ALTER COLUMN c DROP DEFAULT", NULL, 0, NULL},
    {"ALTER COLUMN SET DEFAULT", "ALTER TABLE t ALTER COLUMN c SET DEFAULT 5", NULL, 0, NULL},
    {"ALTER COLUMN DROP DEFAULT", "ALTER TABLE t ALTER COLUMN c DROP DEFAULT", NULL, 0, NULL},
    {"ALTER COLUMN SET NOT NULL", "ALTER TABLE t ALTER COLUMN c SET NOT NULL", NULL, 0, NULL},
    {"SET NOT NULL with a validated CHECK", "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
     "ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL);", 0, NULL},
    {"ALTER COLUMN DROP NOT NULL", "ALTER TABLE t2 ALTER COLUMN id DROP NOT NULL", NULL, 0, NULL},
    {"ALTER COLUMN TYPE int→bigint", "ALTER TABLE t ALTER COLUMN c TYPE bigint", NULL, 0, NULL},
    {"ALTER COLUMN TYPE varchar(50)→text", "ALTER TABLE t ALTER COLUMN name TYPE text", NULL, 0,
     NULL},
    {"ALTER COLUMN TYPE varchar(50)→varchar(100)",
     "ALTER TABLE t ALTER COLUMN name TYPE varchar(100)", NULL, 0, NULL},
    {"ALTER COLUMN TYPE varchar(50)→varchar", "ALTER TABLE t ALTER COLUMN name TYPE varchar", NULL,
     0, NULL},
    {"ALTER COLUMN TYPE varchar(50)→varchar(20)",
     "ALTER TABLE t ALTER COLUMN name TYPE varchar(20)", NULL, 0, NULL},
    {"ALTER COLUMN TYPE numeric(10,2)→numeric(12,2)",
     "ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2)", NULL, 0, NULL},
    {"ALTER COLUMN TYPE numeric(10,2)→numeric(12,4)",
     "ALTER TABLE t ALTER COLUMN n TYPE numeric(12,4)", NULL, 0, NULL},
    {"ALTER COLUMN TYPE numeric(10,2)→numeric", "ALTER TABLE t ALTER COLUMN n TYPE numeric", NULL,
     0, NULL},
    {"ALTER COLUMN TYPE text→varchar", "ALTER TABLE t ALTER COLUMN note TYPE varchar", NULL, 0,
     NULL},
    {"ALTER COLUMN TYPE numeric→text", "ALTER TABLE t ALTER COLUMN n TYPE text", NULL, 0, NULL},
    {"ALTER COLUMN TYPE int→text", "ALTER TABLE t2 ALTER COLUMN id TYPE text", NULL, 0, NULL},
    {"ALTER COLUMN TYPE timestamp→timestamptz", "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
     NULL, 0, NULL},
    {"ALTER COLUMN TYPE timestamp→timestamptz, UTC",
     "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz", "SET TimeZone = 'UTC';", SETUP_HERE, NULL},
    {"ALTER COLUMN TYPE USING", "ALTER TABLE t ALTER COLUMN c TYPE int USING c + 1", NULL, 0, NULL},
    {"ALTER COLUMN SET STATISTICS", "ALTER TABLE t ALTER COLUMN c SET STATISTICS 500", NULL, 0,
     NULL},
    {"ALTER COLUMN SET (n_distinct)", "ALTER TABLE t ALTER COLUMN c SET (n_distinct = 100)", NULL,
     0, NULL},
    {"ALTER COLUMN SET STORAGE", "ALTER TABLE t ALTER COLUMN note SET STORAGE EXTERNAL", NULL, 0,
     NULL},
    {"ALTER COLUMN SET COMPRESSION", "ALTER TABLE t ALTER COLUMN note SET COMPRESSION pglz", NULL,
     0, NULL},
    {"ALTER COLUMN ADD IDENTITY",
     "ALTER TABLE t2 ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY", NULL, 0, NULL},
    {"RENAME COLUMN", "ALTER TABLE t RENAME COLUMN note TO remark", NULL, 0, NULL},
    /* ALTER TABLE: constraints */
    {"ADD CHECK", "ALTER TABLE t ADD CONSTRAINT t_id_pos CHECK (id > 0)", NULL, 0, NULL},
    {"ADD CHECK NOT VALID", "ALTER TABLE t ADD CONSTRAINT t_id_pos CHECK (id > 0) NOT VALID", NULL,
     0, NULL},
    {"VALIDATE CHECK", "ALTER TABLE t VALIDATE CONSTRAINT t_c_pos", NULL, 0, NULL},
    {"ADD FOREIGN KEY",
     "ALTER TABLE t ADD CONSTRAINT t_p2_fk FOREIGN KEY (c) REFERENCES parent_t (id)", NULL, 0,
     NULL},
    {"ADD FOREIGN KEY NOT VALID",
     "ALTER TABLE t ADD CONSTRAINT t_p2_fk FOREIGN KEY (c) REFERENCES parent_t (id) NOT VALID",
     NULL, 0, NULL},
    {"VALIDATE FOREIGN KEY", "ALTER TABLE t VALIDATE CONSTRAINT t_parent_fk", NULL, NO_SCAN_CHECK,
     NULL},
    {"ADD UNIQUE", "ALTER TABLE t ADD CONSTRAINT t_id_c_key UNIQUE (id, c)", NULL, 0, NULL},
    {"ADD PRIMARY KEY", "ALTER TABLE t2 ADD PRIMARY KEY (id)", NULL, 0, NULL},
    {"ADD EXCLUDE", "ALTER TABLE t ADD CONSTRAINT t_ex EXCLUDE USING btree (id WITH =)", NULL, 0,
     NULL},
    {"ADD UNIQUE USING INDEX", "ALTER TABLE t2 ADD CONSTRAINT t2_id_key UNIQUE USING INDEX t2_u",
     "CREATE UNIQUE INDEX t2_u ON t2 (id);", 0, NULL},
    {"ADD PRIMARY KEY USING INDEX", "ALTER TABLE t2 ADD PRIMARY KEY USING INDEX t2_u",
     "CREATE UNIQUE INDEX t2_u ON t2 (id);", 0, NULL},
    {"DROP CONSTRAINT CHECK", "ALTER TABLE t DROP CONSTRAINT t_c_pos", NULL, 0, NULL},
    {"DROP CONSTRAINT FOREIGN KEY", "ALTER TABLE t DROP CONSTRAINT t_parent_fk", NULL, 0, NULL},
    {"DROP and ADD CONSTRAINT",
     "ALTER TABLE t DROP CONSTRAINT t_c_pos, ADD CONSTRAINT t_c_pos CHECK (c > 1) NOT VALID", NULL,
     0, NULL},
    {"RENAME CONSTRAINT", "ALTER TABLE t RENAME CONSTRAINT t_c_pos TO t_c_positive", NULL, 0, NULL},
    {"ALTER CONSTRAINT DEFERRABLE", "ALTER TABLE t ALTER CONSTRAINT t_parent_fk DEFERRABLE", NULL,
     0, NULL},
    /* ALTER TABLE: the rest */
    {"ENABLE TRIGGER", "ALTER TABLE t ENABLE TRIGGER t_trg", NULL, 0, NULL},
    {"DISABLE TRIGGER", "ALTER TABLE t DISABLE TRIGGER t_trg", NULL, 0, NULL},
    {"DISABLE TRIGGER ALL", "ALTER TABLE t DISABLE TRIGGER ALL", NULL, 0, NULL},
    {"DISABLE TRIGGER USER", "ALTER TABLE t DISABLE TRIGGER USER", NULL, 0, NULL},
    {"ENABLE REPLICA TRIGGER", "ALTER TABLE t ENABLE REPLICA TRIGGER t_trg", NULL, 0, NULL},
    {"SET UNLOGGED", "ALTER TABLE t2 SET UNLOGGED", NULL, 0, NULL},
    {"SET LOGGED", "ALTER TABLE t2 SET LOGGED", "ALTER TABLE t2 SET UNLOGGED;", 0, NULL},
    {"SET TABLESPACE", "ALTER TABLE t2 SET TABLESPACE dg_ts", NULL, 0, NULL},
    {"CLUSTER ON", "ALTER TABLE t CLUSTER ON t_name_idx", NULL, 0, NULL},
    {"SET WITHOUT CLUSTER", "ALTER TABLE t SET WITHOUT CLUSTER", NULL, 0, NULL},
    {"REPLICA IDENTITY FULL", "ALTER TABLE t REPLICA IDENTITY FULL", NULL, 0, NULL},
    {"ENABLE ROW LEVEL SECURITY", "ALTER TABLE t ENABLE ROW LEVEL SECURITY", NULL, 0, NULL},
    {"FORCE ROW LEVEL SECURITY", "ALTER TABLE t FORCE ROW LEVEL SECURITY", NULL, 0, NULL},
    {"OWNER TO", "ALTER TABLE t OWNER TO dg_role", NULL, 0, NULL},
    {"SET (fillfactor)", "ALTER TABLE t SET (fillfactor = 70)", NULL, 0, NULL},
    {"SET (autovacuum_enabled)", "ALTER TABLE t SET (autovacuum_enabled = false)", NULL, 0, NULL},
    {"RESET (fillfactor)", "ALTER TABLE t RESET (fillfactor)", NULL, 0, NULL},
    {"SET (user_catalog_table)", "ALTER TABLE t2 SET (user_catalog_table = true)", NULL, 0, NULL},
    {"INHERIT", "ALTER TABLE t2 INHERIT base_t", "ALTER TABLE t2 DROP COLUMN v;", 0, NULL},
    {"NO INHERIT", "ALTER TABLE t2 NO INHERIT base_t",
     "ALTER TABLE t2 DROP COLUMN v; ALTER TABLE t2 INHERIT base_t;", 0, NULL},
    {"ATTACH PARTITION",
     "ALTER TABLE p ATTACH PARTITION p_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", NULL,
     0, NULL},
    {"ATTACH PARTITION with a DEFAULT partition",
     "ALTER TABLE p ATTACH PARTITION p_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
     "CREATE TABLE p_def PARTITION OF p DEFAULT;\n"
     "INSERT INTO p VALUES (1, '2030-01-01'), (2, '2031-01-01');",
     0, NULL},
    {"DETACH PARTITION", "ALTER TABLE p DETACH PARTITION p_2024", NULL, 0, NULL},
    {"DETACH PARTITION CONCURRENTLY", "ALTER TABLE p DETACH PARTITION p_2024 CONCURRENTLY", NULL,
     NO_TX, NULL},
    /* partitioned tables: partitions created in the same file are known */
    {"partitioned: CREATE INDEX", "CREATE INDEX p_id_idx ON p (id)", NULL, 0, NULL},
    {"partitioned: CREATE INDEX ON ONLY", "CREATE INDEX p_id_idx ON ONLY p (id)", NULL, 0, NULL},
    {"partitioned: ADD COLUMN", "ALTER TABLE p ADD COLUMN x int", NULL, 0, NULL},
    {"partitioned: ALTER COLUMN TYPE", "ALTER TABLE p ALTER COLUMN id TYPE bigint", NULL, 0, NULL},
    {"partitioned: SET NOT NULL", "ALTER TABLE p ALTER COLUMN id SET NOT NULL", NULL, 0, NULL},
    {"partitioned: ADD CHECK", "ALTER TABLE p ADD CONSTRAINT p_id_pos CHECK (id > 0)", NULL, 0,
     NULL},
    {"partitioned: ADD FOREIGN KEY",
     "ALTER TABLE p ADD CONSTRAINT p_fk FOREIGN KEY (id) REFERENCES parent_t (id)", NULL,
     NO_SCAN_CHECK, NULL},
    {"partitioned: DROP TABLE", "DROP TABLE p", NULL, 0, NULL},
    {"partitioned: TRUNCATE", "TRUNCATE p", NULL, NEW_STORAGE, NULL},
    {"partitioned: CREATE TRIGGER",
     "CREATE TRIGGER p_trg AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION trg_fn()", NULL, 0,
     NULL},
    {"partitioned: DETACH with another partition", "ALTER TABLE p DETACH PARTITION p_2024",
     "CREATE TABLE p_2023 PARTITION OF p FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');", 0,
     NULL},
    {"partitioned: TRUNCATE ONLY", "TRUNCATE ONLY p_2024", NULL, NEW_STORAGE, NULL},
    {"partitioned: LOCK TABLE", "LOCK TABLE p IN SHARE MODE", NULL, 0, NULL},
    {"partitioned: ANALYZE", "ANALYZE p", NULL, 0, NULL},
    {"partitioned: LOCK TABLE ONLY", "LOCK TABLE ONLY p IN SHARE MODE", NULL, 0, NULL},
    {"partitioned: sub-partitions", "ALTER TABLE p ALTER COLUMN id SET NOT NULL",
     "CREATE TABLE p_2023 PARTITION OF p FOR VALUES FROM ('2023-01-01') TO ('2024-01-01') "
     "PARTITION BY HASH (id);\n"
     "CREATE TABLE p_2023_0 PARTITION OF p_2023 FOR VALUES WITH (MODULUS 2, REMAINDER 0);\n"
     "CREATE TABLE p_2023_1 PARTITION OF p_2023 FOR VALUES WITH (MODULUS 2, REMAINDER 1);\n"
     "INSERT INTO p SELECT g, date '2023-06-01' FROM generate_series(1, 100) g;",
     0, NULL},
    {"RENAME TABLE", "ALTER TABLE t2 RENAME TO t3", NULL, 0, NULL},
    {"SET SCHEMA", "ALTER TABLE t2 SET SCHEMA other", "CREATE SCHEMA IF NOT EXISTS other;", 0,
     NULL},
    {"multiple subcommands",
     "ALTER TABLE t ALTER COLUMN c SET STATISTICS 100, ADD COLUMN y int, ALTER COLUMN name TYPE "
     "text",
     NULL, 0, NULL},
    {"multiple subcommands SUE", "ALTER TABLE t SET (fillfactor = 80), CLUSTER ON t_name_idx", NULL,
     0, NULL},
    /* drops, truncate */
    {"DROP TABLE", "DROP TABLE t2", NULL, 0, NULL},
    {"DROP TABLE with foreign key", "DROP TABLE t", NULL, 0, NULL},
    {"DROP TABLE referenced", "DROP TABLE parent_t CASCADE", NULL, 0, NULL},
    {"DROP TABLE two", "DROP TABLE t2, base_t", NULL, 0, NULL},
    {"DROP VIEW", "DROP VIEW v", NULL, 0, NULL},
    {"DROP MATERIALIZED VIEW", "DROP MATERIALIZED VIEW mv", NULL, 0, NULL},
    {"DROP SEQUENCE", "DROP SEQUENCE s", NULL, 0, NULL},
    {"DROP TYPE", "DROP TYPE mood", NULL, 0, NULL},
    {"TRUNCATE", "TRUNCATE t2", NULL, NEW_STORAGE, NULL},
    {"TRUNCATE CASCADE", "TRUNCATE parent_t CASCADE", NULL, NEW_STORAGE, NULL},
    {"TRUNCATE of a referenced table", "TRUNCATE parent_t", NULL, EXPECT_ERROR,
     "cannot truncate a table referenced in a foreign key constraint"},
    /* triggers, policies, rules */
    {"CREATE TRIGGER",
     "CREATE TRIGGER t_trg2 AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg_fn()", NULL, 0,
     NULL},
    {"DROP TRIGGER", "DROP TRIGGER t_trg ON t", NULL, 0, NULL},
    {"ALTER TRIGGER RENAME", "ALTER TRIGGER t_trg ON t RENAME TO t_trg3", NULL, 0, NULL},
    {"CREATE POLICY", "CREATE POLICY t_pol2 ON t USING (id > 0)", NULL, 0, NULL},
    {"ALTER POLICY", "ALTER POLICY t_pol ON t USING (id > 1)", NULL, 0, NULL},
    {"DROP POLICY", "DROP POLICY t_pol ON t", NULL, 0, NULL},
    /* views, materialized views */
    {"CREATE VIEW", "CREATE VIEW v2 AS SELECT id FROM src", NULL, 0, NULL},
    {"CREATE OR REPLACE VIEW", "CREATE OR REPLACE VIEW v AS SELECT id, v, 1 AS one FROM src", NULL,
     0, NULL},
    {"ALTER VIEW RENAME", "ALTER VIEW v RENAME TO v3", NULL, 0, NULL},
    {"ALTER MATERIALIZED VIEW RENAME", "ALTER MATERIALIZED VIEW mv RENAME TO mv3", NULL, 0, NULL},
    {"ALTER SEQUENCE RENAME", "ALTER SEQUENCE s RENAME TO s3", NULL, 0, NULL},
    {"CREATE MATERIALIZED VIEW", "CREATE MATERIALIZED VIEW mv2 AS SELECT id FROM src", NULL, 0,
     NULL},
    {"REFRESH MATERIALIZED VIEW", "REFRESH MATERIALIZED VIEW mv", NULL, 0, NULL},
    {"REFRESH MATERIALIZED VIEW CONCURRENTLY", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", NULL, 0,
     NULL},
    /* types, grants, comments, statistics */
    {"ALTER TYPE ADD VALUE", "ALTER TYPE mood ADD VALUE 'c'", NULL, 0, NULL},
    {"ALTER TYPE RENAME VALUE", "ALTER TYPE mood RENAME VALUE 'a' TO 'z'", NULL, 0, NULL},
    {"CREATE TYPE enum", "CREATE TYPE color AS ENUM ('red')", NULL, 0, NULL},
    {"CREATE DOMAIN", "CREATE DOMAIN posint AS int CHECK (VALUE > 0)", NULL, 0, NULL},
    {"CREATE FUNCTION", "CREATE FUNCTION f1() RETURNS int LANGUAGE sql AS 'SELECT 1'", NULL, 0,
     NULL},
    {"CREATE EXTENSION", "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"", NULL, 0, NULL},
    {"SET lock_timeout", "SET lock_timeout = '2s'", NULL, 0, NULL},
    {"SELECT set_config", "SELECT set_config('statement_timeout', '5s', false)", NULL, 0, NULL},
    {"GRANT", "GRANT SELECT ON t TO dg_role", NULL, 0, NULL},
    {"REVOKE", "REVOKE SELECT ON t FROM dg_role", NULL, 0, NULL},
    {"COMMENT ON TABLE", "COMMENT ON TABLE t IS 'x'", NULL, 0, NULL},
    {"COMMENT ON COLUMN", "COMMENT ON COLUMN t.c IS 'x'", NULL, 0, NULL},
    {"COMMENT ON INDEX", "COMMENT ON INDEX t_name_idx IS 'x'", NULL, 0, NULL},
    {"COMMENT ON CONSTRAINT", "COMMENT ON CONSTRAINT t_c_pos ON t IS 'x'", NULL, 0, NULL},
    {"COMMENT ON TRIGGER", "COMMENT ON TRIGGER t_trg ON t IS 'x'", NULL, 0, NULL},
    {"COMMENT ON POLICY", "COMMENT ON POLICY t_pol ON t IS 'x'", NULL, 0, NULL},
    {"COMMENT ON VIEW", "COMMENT ON VIEW v IS 'x'", NULL, 0, NULL},
    {"CREATE STATISTICS", "CREATE STATISTICS t_st ON c, n FROM t", NULL, 0, NULL},
    /* maintenance */
    {"VACUUM", "VACUUM t", NULL, NO_TX, NULL},
    {"VACUUM FULL", "VACUUM FULL t", NULL, NO_TX, NULL},
    {"VACUUM (FULL 0)", "VACUUM (FULL 0) t", NULL, NO_TX, NULL},
    {"ANALYZE", "ANALYZE t", NULL, 0, NULL},
    {"CLUSTER", "CLUSTER t USING t_name_idx", NULL, NO_SCAN_CHECK, NULL},
    {"CLUSTER (all)", "CLUSTER", NULL, NO_TX, NULL},
    {"CLUSTER (clustered index)", "CLUSTER t", "ALTER TABLE t CLUSTER ON t_name_idx;",
     NO_SCAN_CHECK, NULL},
    {"LOCK TABLE", "LOCK TABLE t", NULL, 0, NULL},
    {"LOCK TABLE outside a transaction block", "LOCK TABLE t", NULL, AUTOCOMMIT | EXPECT_ERROR,
     "LOCK TABLE can only be used in transaction blocks"},
    {"LOCK TABLE IN SHARE MODE", "LOCK TABLE t IN SHARE MODE", NULL, 0, NULL},
    {"LOCK TABLE IN ROW EXCLUSIVE MODE", "LOCK TABLE t IN ROW EXCLUSIVE MODE", NULL, 0, NULL},
    /* creating */
    {"CREATE TABLE", "CREATE TABLE n1 (id int PRIMARY KEY, v text)", NULL, 0, NULL},
    {"CREATE TABLE REFERENCES", "CREATE TABLE n1 (id int, pid int REFERENCES parent_t (id))", NULL,
     0, NULL},
    {"CREATE TABLE FOREIGN KEY",
     "CREATE TABLE n1 (id int, pid int, FOREIGN KEY (pid) REFERENCES parent_t (id))", NULL, 0,
     NULL},
    {"CREATE TABLE PARTITION OF",
     "CREATE TABLE p_2026 PARTITION OF p FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", NULL, 0,
     NULL},
    {"CREATE TABLE INHERITS", "CREATE TABLE n1 (x int) INHERITS (base_t)", NULL, 0, NULL},
    {"CREATE TABLE LIKE", "CREATE TABLE n1 (LIKE t)", NULL, 0, NULL},
    {"CREATE TABLE AS", "CREATE TABLE n1 AS SELECT * FROM src", NULL, 0, NULL},
    {"SELECT INTO", "SELECT * INTO n1 FROM src", NULL, 0, NULL},
    {"CREATE SEQUENCE", "CREATE SEQUENCE s2", NULL, 0, NULL},
    {"ALTER SEQUENCE", "ALTER SEQUENCE s RESTART WITH 10", NULL, 0, NULL},
    {"ALTER SEQUENCE OWNED BY", "ALTER SEQUENCE s OWNED BY t.c", NULL, 0, NULL},
    /* roles, schemas, publications, rules, other objects */
    {"CREATE ROLE", "CREATE ROLE dg_role2", NULL, 0, NULL},
    {"ALTER ROLE", "ALTER ROLE dg_role SET work_mem = '8MB'", NULL, 0, NULL},
    {"GRANT role", "GRANT dg_role TO CURRENT_USER", NULL, 0, NULL},
    {"CREATE SCHEMA", "CREATE SCHEMA s2", NULL, 0, NULL},
    {"ALTER DEFAULT PRIVILEGES", "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO dg_role", NULL,
     0, NULL},
    {"ALTER FUNCTION", "ALTER FUNCTION trg_fn() OWNER TO dg_role", NULL, 0, NULL},
    {"CREATE AGGREGATE", "CREATE AGGREGATE my_sum (int) (SFUNC = int4pl, STYPE = int)", NULL, 0,
     NULL},
    {"CREATE RULE", "CREATE RULE t2_no_delete AS ON DELETE TO t2 DO INSTEAD NOTHING", NULL, 0,
     NULL},
    {"CREATE PUBLICATION", "CREATE PUBLICATION dg_pub FOR TABLE t2, src", NULL, 0, NULL},
    {"ALTER PUBLICATION ADD TABLE", "ALTER PUBLICATION dg_pub ADD TABLE src",
     "CREATE PUBLICATION dg_pub FOR TABLE t2;", 0, NULL},
    {"MERGE", "MERGE INTO t2 USING src ON t2.id = src.id WHEN MATCHED THEN UPDATE SET v = src.v",
     NULL, NO_SCAN_CHECK, NULL},
    /* data */
    {"INSERT", "INSERT INTO t2 VALUES (0, 'x')", NULL, 0, NULL},
    {"INSERT SELECT", "INSERT INTO t2 SELECT id, v FROM src", NULL, 0, NULL},
    {"UPDATE all rows", "UPDATE t2 SET v = 'y'", NULL, 0, NULL},
    {"UPDATE WHERE", "UPDATE t SET note = 'y' WHERE id = 1", NULL, 0, NULL},
    {"DELETE WHERE", "DELETE FROM t2 WHERE v = 'v1'", NULL, NO_SCAN_CHECK, NULL},
    {"DELETE USING", "DELETE FROM t2 USING src WHERE t2.id = src.id AND src.v = 'v1'", NULL,
     NO_SCAN_CHECK, NULL},
    {"UPDATE FROM", "UPDATE t2 SET v = src.v FROM src WHERE t2.id = src.id", NULL, NO_SCAN_CHECK,
     NULL},
    {"INSERT ON CONFLICT", "INSERT INTO src VALUES (1, 'x') ON CONFLICT (id) DO NOTHING", NULL, 0,
     NULL},
    {"WITH … INSERT", "WITH w AS (SELECT id FROM src) INSERT INTO t2 SELECT id, 'w' FROM w", NULL,
     0, NULL},
    {"SELECT", "SELECT count(*) FROM src", NULL, NO_SCAN_CHECK, NULL},
    {"SELECT FOR UPDATE", "SELECT * FROM src WHERE id = 1 FOR UPDATE", NULL, 0, NULL},
};

#endif
