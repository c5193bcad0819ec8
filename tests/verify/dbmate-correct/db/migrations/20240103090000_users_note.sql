-- migrate:up
ALTER TABLE users ADD COLUMN note text CHECK (length(note) < 500);

-- migrate:down
ALTER TABLE users DROP COLUMN note;
