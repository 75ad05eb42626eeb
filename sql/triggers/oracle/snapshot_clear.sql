-- Snapshot mode on an Oracle slave: empty the twin the view does not read, in the transaction that then loads the
-- master's rows into it (array-bound INSERTs) and commits.
-- DELETE, not TRUNCATE: TRUNCATE is DDL, which commits, and readers whose snapshot predates it get ORA-01466 instead
-- of the twin's previous contents.
DELETE FROM {{twin}}
