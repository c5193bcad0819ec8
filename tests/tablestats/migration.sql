SET lock_timeout = '2s';
SET statement_timeout = '15min';
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE audit.events ADD COLUMN note text DEFAULT random()::text;
ALTER TABLE users RENAME COLUMN email TO email_address;
ALTER TABLE customers ADD CONSTRAINT customers_age CHECK (age > 0);
