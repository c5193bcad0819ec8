-- migrate:up
ALTER TABLE t ADD COLUMN b int NOT NULL DEFAULT 0;
-- migrate:down
ALTER TABLE t DROP COLUMN b;
