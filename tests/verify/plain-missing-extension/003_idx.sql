CREATE INDEX t_id_idx ON t (id);
