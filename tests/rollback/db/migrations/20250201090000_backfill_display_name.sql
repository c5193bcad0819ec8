-- migrate:up
UPDATE users SET display_name = email WHERE display_name IS NULL;

-- migrate:down
