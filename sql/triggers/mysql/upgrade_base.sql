-- Brings registries created by an earlier repl up to this version (MariaDB); repl init runs it when a column is missing.
-- Statements are separated by a line holding only "/"; {{...}} slots are filled by repl with quoted identifiers.
-- last_cycle_at: when the node's last replay cycle committed (master clock, UTC), shown by repl status.
ALTER TABLE {{nodes}} ADD COLUMN IF NOT EXISTS last_cycle_at DATETIME(6) NULL
