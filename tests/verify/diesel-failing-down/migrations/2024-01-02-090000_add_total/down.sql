ALTER TABLE invoices DROP COLUMN total_cents;
