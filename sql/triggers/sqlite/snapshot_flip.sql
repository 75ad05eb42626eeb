-- Snapshot mode on a SQLite slave: the flip, run in the transaction that loaded the twin. SQLite cannot replace a view,
-- so it is dropped and created again; SQLite DDL is transactional, so other connections read the old view and twin
-- until commit, then the new ones.
DROP VIEW IF EXISTS {{view}}
/
-- repl finds the live twin from the end of this text as sqlite_master keeps it: FROM "<twin>".
CREATE VIEW {{view}} AS SELECT {{columns}} FROM {{twin}}
