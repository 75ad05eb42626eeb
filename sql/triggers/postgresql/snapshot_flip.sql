-- Snapshot mode on a PostgreSQL slave: the flip, run in the transaction that loaded the twin. Readers of the view keep
-- reading the old twin until that transaction commits, then read the new one; never an empty or half-loaded table.
-- Fresh statistics first, so queries through the view are planned for the rows just loaded.
ANALYZE {{twin}}
/
-- CREATE OR REPLACE keeps the view's grants. repl finds the live twin from the view's dependencies (pg_depend).
CREATE OR REPLACE VIEW {{view}} AS SELECT {{columns}} FROM {{twin}}
