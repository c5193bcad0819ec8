-- migrate:up
ALTER TYPE user_state ADD VALUE 'banned';

-- migrate:down
SELECT 1;
