CREATE TABLE invoices (id bigint PRIMARY KEY, paid boolean NOT NULL DEFAULT false);
CREATE VIEW open_invoices AS SELECT id FROM invoices WHERE NOT paid;
