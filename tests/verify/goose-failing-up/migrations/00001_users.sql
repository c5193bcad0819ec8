-- +goose Up
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);

-- +goose StatementBegin
CREATE FUNCTION users_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE users;
DROP FUNCTION users_guard();
