-- Brings registries created by an earlier repl up to this version (Oracle); repl init runs it when a column is missing.
-- Statements are separated by a line holding only "/"; {{...}} slots are filled by repl with quoted identifiers.
-- repl ignores ORA-01430 (column being added already exists), so a second run changes nothing.
-- LAST_CYCLE_AT: when the node's last replay cycle committed (master clock), shown by repl status.
ALTER TABLE {{nodes}} ADD (LAST_CYCLE_AT TIMESTAMP WITH TIME ZONE)
