-- +goose Up
ALTER TABLE users ADD COLUMN display_name text;
CREATE INDEX users_name_idx ON users (lower(name));

-- +goose Down
DROP INDEX users_name_idx;
ALTER TABLE users DROP COLUMN display_name;
