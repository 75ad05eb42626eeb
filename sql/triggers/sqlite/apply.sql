-- Apply statements for one replicated table on a SQLite slave (SQLite has no stored routines).
-- repl prepares both once per cycle and runs them in the cycle's transaction: first the delete for every key
-- of the batch, then the insert for every row that still exists on the master. Deleting first is what makes
-- unique-value swaps, primary-key changes and delete + re-insert safe (SQLite checks uniqueness per statement).
DELETE FROM {{target}} WHERE {{key_match}}
/
INSERT INTO {{target}} ({{column_list}}) VALUES ({{parameters}})
