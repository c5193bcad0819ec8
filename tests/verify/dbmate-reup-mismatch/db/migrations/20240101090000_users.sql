-- migrate:up
CREATE TYPE user_state AS ENUM ('new', 'active');
CREATE TABLE users (id bigint PRIMARY KEY, email text, state user_state);

-- migrate:down
DROP TABLE users;
DROP TYPE user_state;
