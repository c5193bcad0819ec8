-- migrate:up
CREATE SCHEMA audit;
CREATE TYPE user_state AS ENUM ('new', 'active', 'gone');
CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email email_address NOT NULL,
    state user_state NOT NULL DEFAULT 'new',
    name text,
    name_lower text GENERATED ALWAYS AS (lower(name)) STORED,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNLOGGED TABLE audit.events (id bigserial PRIMARY KEY, user_id bigint REFERENCES users (id), at timestamptz);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE VIEW active_users AS SELECT id, email FROM users WHERE state = 'active';
CREATE MATERIALIZED VIEW user_counts AS SELECT state, count(*) AS n FROM users GROUP BY state;
CREATE FUNCTION audit.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit.events (user_id, at) VALUES (NEW.id, now());
    RETURN NEW;
END
$$;
CREATE TRIGGER users_audit AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION audit.touch();
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users USING (email = current_user);
CREATE SEQUENCE invoice_numbers START 1000 INCREMENT 10;

-- migrate:down
DROP SEQUENCE invoice_numbers;
DROP MATERIALIZED VIEW user_counts;
DROP VIEW active_users;
DROP TABLE audit.events;
DROP TABLE users;
DROP FUNCTION audit.touch();
DROP DOMAIN email_address;
DROP TYPE user_state;
DROP SCHEMA audit;
