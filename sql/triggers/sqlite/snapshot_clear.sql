-- Snapshot mode on a SQLite slave: empty the twin the view does not read, in the write transaction (BEGIN IMMEDIATE)
-- that then loads the master's rows into it and flips the view (snapshot_flip.sql).
-- A DELETE without WHERE on a table without triggers is SQLite's truncate: it frees the pages without visiting rows.
DELETE FROM {{twin}}
