-- The session's staging table for one replicated table: every column nullable (a deleted key carries only
-- its key), plus repl_present = 0 for keys whose row is gone from the master. TEMPORARY: no implicit commit,
-- and each session has its own. Column types and collation (utf8mb4_nopad_bin) are those of the slave table,
-- so staged keys compare exactly as the table's own keys do. The engine is Aria without transactions: the
-- apply routine empties the stage after every batch, and InnoDB would keep each deleted row as a
-- delete-marked record until the slave transaction ends, for every later batch of the cycle to read past.
CREATE TEMPORARY TABLE IF NOT EXISTS {{stage}} (
{{stage_columns}},
    repl_present BOOLEAN NOT NULL
) {{table_options}}
/
-- Every call of the apply routine empties the stage, but a batch whose call failed stays staged (the stage
-- does not roll back); its rows must not ride along with this table's next batch.
DELETE FROM {{stage}}
