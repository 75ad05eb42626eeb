-- The staging table of one replicated table on an Oracle slave: every column nullable (a deleted key carries only
-- its key), plus REPL_PRESENT = 0 for keys whose row is gone from the master. Key columns have the slave table's key
-- types, so the apply routine compares like with like.
-- A GLOBAL TEMPORARY TABLE is a permanent definition whose rows are private to each session: it is created here, at
-- install, not by every session. ON COMMIT DELETE ROWS, not PRESERVE ROWS: a replay cycle stages and applies
-- several batches inside ONE slave transaction and the rows live until that transaction ends, which is all a cycle
-- needs; a batch staged but never applied (an error, a rollback) cannot leak into a later cycle; and a session
-- holds the table only while its transaction is open, so repl init can recreate it between cycles.
-- It is dropped and created again, not kept, so a column added to the table reaches the stage as well. The DROP
-- ignores ORA-00942 (no stage yet); it fails with ORA-14452 while a replay transaction is using the stage: run
-- repl init again.
DROP TABLE {{stage}}
/
CREATE GLOBAL TEMPORARY TABLE {{stage}} (
{{stage_columns}},
    REPL_PRESENT NUMBER(1) NOT NULL
) ON COMMIT DELETE ROWS
