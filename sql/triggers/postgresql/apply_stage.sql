-- The session's staging table for one replicated table: every column nullable (a deleted key carries only
-- its key), plus repl_present = false for keys whose row is gone from the master. Created once per session.
CREATE TEMP TABLE IF NOT EXISTS {{stage}} (
{{stage_columns}},
    repl_present boolean NOT NULL
)
