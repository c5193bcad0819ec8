-- the view still depends on the table
DROP TABLE invoices;
DROP VIEW open_invoices;
