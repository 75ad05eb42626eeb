-- Snapshot mode on an Oracle slave: empty the twin the view does not read. TRUNCATE is DDL and commits, so repl runs it
-- alone, before the transaction that loads the master's rows into the twin (array-bound INSERTs) and commits.
-- TRUNCATE, not DELETE: a DELETE of every row costs about as much as the load and fills the undo. If repl dies after
-- it, only the twin no reader uses is empty; the next run loads it again. A reader whose snapshot predates the TRUNCATE
-- and who first reads the view after the flip gets ORA-08176/ORA-01466 (an error to retry on, never wrong rows).
TRUNCATE TABLE {{twin}}
