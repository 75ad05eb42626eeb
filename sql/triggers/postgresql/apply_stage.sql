-- The session's staging table for one replicated table: every column nullable (a deleted key carries only
-- its key), plus repl_present = false for keys whose row is gone from the master. A temporary table: it
-- costs no WAL and is private to the replaying session.
-- Created once per session. The comment fingerprints the definition: a session that outlives a change of
-- the table (a column added by repl init) finds another fingerprint and recreates the stage, instead of
-- staging the old shape.
DROP TABLE IF EXISTS pg_temp.{{stage}}
/
-- ON COMMIT DELETE ROWS: a batch that was staged but never applied can never leak into a later transaction.
CREATE TEMP TABLE {{stage}} (
{{stage_columns}},
    repl_present boolean NOT NULL
) ON COMMIT DELETE ROWS
/
COMMENT ON TABLE pg_temp.{{stage}} IS {{fingerprint}}
