CREATE TABLE t (id int PRIMARY KEY, a text);
CREATE INDEX i ON t (a);
