-- Apply statements for one replicated table on a SQLite slave (SQLite has no stored routines).
-- repl prepares both once per cycle and runs them in the cycle's transaction: first the delete for every key
-- of the batch, then the insert for every row that still exists on the master. Deleting first is what makes
-- primary-key changes and delete + re-insert safe.
-- OR REPLACE makes unique-value swaps safe even when the two rows arrive in different batches of a cycle: a slave row
-- still holding a unique value the incoming row takes is deleted. That row changed on the master in a transaction
-- this cycle applies (the master no longer has it with that value), so a later batch of the same cycle writes it back.
DELETE FROM {{target}} WHERE {{key_match}}
/
INSERT OR REPLACE INTO {{target}} ({{column_list}}) VALUES ({{parameters}})
