-- +goose Up
ALTER TABLE users ADD COLUMN note text;

-- +goose Down
ALTER TABLE users DROP COLUMN note;
