-- Change capture for one table (Oracle): the book's design, corrected.
-- The log keeps only the key of each changed row and the id of the transaction that changed it; replay reads the
-- master's CURRENT row for those keys in one SERIALIZABLE transaction and records, per node, the transaction ids it
-- has applied. Progress is tracked by transaction, never by time, so the book's Figure 8.3 race cannot occur.
-- TXID is DBMS_TRANSACTION.LOCAL_TRANSACTION_ID(TRUE): 'undo segment.slot.sequence', unique per transaction.
-- The log and the trigger live in the table's own schema, so the trigger writes the log without any grant.
-- Like every CREATE TABLE / CREATE INDEX in these templates, repl runs the two below inside a PL/SQL block that
-- ignores ORA-00955, so a second init leaves an existing log (and its rows) alone.
CREATE TABLE {{log}} (
    TXID      VARCHAR2(64)             NOT NULL,
{{key_columns}},
    LOGGED_AT TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL
)
/
-- Replay and purge find log rows by transaction id.
CREATE INDEX {{log_index}} ON {{log}} (TXID)
/
-- One row-level trigger for the three operations, as in the book. An UPDATE that changes the key logs the old key as
-- well as the new one, so every slave deletes the old row (the book logged only the new key and left a stale row on
-- every slave). Key columns are never NULL, so "=" compares them exactly.
-- TRUNCATE and direct-path loads (SQL*Loader DIRECT=TRUE) fire no row trigger: after one, run repl resync.
CREATE OR REPLACE TRIGGER {{trigger}}
AFTER INSERT OR UPDATE OR DELETE ON {{table}}
FOR EACH ROW
DECLARE
    v_txid VARCHAR2(64) := DBMS_TRANSACTION.LOCAL_TRANSACTION_ID(TRUE);
BEGIN
    IF DELETING OR (UPDATING AND NOT ({{keys_unchanged}})) THEN
        INSERT INTO {{log}} (TXID, {{key_list}}) VALUES (v_txid, {{old_keys}});
    END IF;
    IF INSERTING OR UPDATING THEN
        INSERT INTO {{log}} (TXID, {{key_list}}) VALUES (v_txid, {{new_keys}});
    END IF;
END;
/
-- Registers the table with its column signature; MERGE turns a second init into an update.
MERGE INTO {{tables}} r
USING (SELECT {{source_schema_literal}} AS SOURCE_SCHEMA, {{source_table_literal}} AS SOURCE_TABLE,
              {{log_literal}} AS LOG_TABLE, {{columns_literal}} AS COLUMNS
       FROM DUAL) s
ON (r.SOURCE_SCHEMA = s.SOURCE_SCHEMA AND r.SOURCE_TABLE = s.SOURCE_TABLE)
WHEN MATCHED THEN UPDATE SET r.LOG_TABLE = s.LOG_TABLE, r.REPLICATION_MODE = 'log', r.COLUMNS = s.COLUMNS
WHEN NOT MATCHED THEN INSERT (SOURCE_SCHEMA, SOURCE_TABLE, LOG_TABLE, REPLICATION_MODE, COLUMNS)
    VALUES (s.SOURCE_SCHEMA, s.SOURCE_TABLE, s.LOG_TABLE, 'log', s.COLUMNS)
