-- Snapshot mode on a SQLite slave: empty the twin the view does not read, in the write transaction (BEGIN IMMEDIATE)
-- that then loads the master's rows into it and flips the view (snapshot_flip.sql).
DELETE FROM {{twin}}
