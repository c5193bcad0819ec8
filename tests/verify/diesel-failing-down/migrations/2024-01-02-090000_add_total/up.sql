ALTER TABLE invoices ADD COLUMN total_cents bigint;
