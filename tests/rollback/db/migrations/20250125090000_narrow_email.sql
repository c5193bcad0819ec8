-- migrate:up
ALTER TABLE users ALTER COLUMN email TYPE varchar(50);

-- migrate:down
ALTER TABLE users ALTER COLUMN email TYPE varchar(100);
