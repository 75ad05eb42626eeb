-- Apply routine for one replicated table on an Oracle slave.
-- repl array-binds each batch of changed rows into the stage (apply_stage.sql), a few thousand rows per round trip,
-- then calls this procedure once per batch: every staged key is deleted, then the rows that still exist on the
-- master are inserted. Deleting first is what makes unique-value swaps, primary-key changes and delete + re-insert
-- of a key inside one master transaction safe; a MERGE on the key would trip over a unique value that another
-- staged row is about to give up.
-- The stage is emptied with DELETE, not TRUNCATE: TRUNCATE is DDL and would commit the cycle's slave transaction.
CREATE OR REPLACE PROCEDURE {{procedure}} AS
BEGIN
    DELETE FROM {{target}} t
    WHERE EXISTS (SELECT 1 FROM {{stage}} s WHERE {{key_join}});
    INSERT INTO {{target}} ({{column_list}})
        SELECT {{column_list}} FROM {{stage}} WHERE REPL_PRESENT = 1;
    DELETE FROM {{stage}};
END;
