-- needs an extension no server has
CREATE EXTENSION IF NOT EXISTS pg_does_not_exist;
