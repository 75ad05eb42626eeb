-- Brings registries created by an earlier repl up to this version (PostgreSQL); repl init runs it when a column is missing.
-- Statements are separated by a line holding only "/"; {{...}} slots are filled by repl with quoted identifiers.
-- last_cycle_at: when the node's last replay cycle committed (master clock), shown by repl status.
ALTER TABLE {{schema}}.nodes ADD COLUMN IF NOT EXISTS last_cycle_at timestamptz
