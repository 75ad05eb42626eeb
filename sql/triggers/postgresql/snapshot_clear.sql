-- Snapshot mode on a PostgreSQL slave: empty the twin the view does not read, in the transaction that then COPYs the
-- master's rows into it and flips the view (snapshot_flip.sql).
-- DELETE, not TRUNCATE: TRUNCATE is not MVCC-safe. A REPEATABLE READ reader whose snapshot predates this transaction
-- and who first reads the view after the flip would find the twin empty; after a DELETE it finds the twin's previous
-- complete contents instead.
DELETE FROM {{twin}}
