-- migrate:up
/* 𝄞 😀 */ CREATE UNIQUE INDEX users_email_idx ON users (email);

-- migrate:down
DROP INDEX IF EXISTS users_email_idx;
