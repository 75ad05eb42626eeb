-- Change capture for one table (MariaDB).
-- The log keeps only the primary key of each changed row. The transaction id comes from system versioning:
-- ROW START of a transaction-precise versioned table is the InnoDB id of the transaction that inserted the row,
-- exact for every row (information_schema.innodb_trx by CONNECTION_ID() is not: its cache lags 0.1 s).
-- MariaDB triggers are row-level; there is no TRUNCATE trigger (TRUNCATE of a replicated table needs repl resync).
CREATE TABLE IF NOT EXISTS {{log}} (
{{key_columns}},
    logged_at DATETIME(6)     NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    txid      BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE,
    txid_end  BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE,
    PERIOD FOR SYSTEM_TIME (txid, txid_end),
    INDEX {{log_index}} (txid),
    -- repl purge's DELETE only closes a row (it stays as history); DELETE HISTORY then removes it through this index,
    -- without it that statement scans the log and waits on every writer's uncommitted rows.
    INDEX {{log_end_index}} (txid_end)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin WITH SYSTEM VERSIONING
/
CREATE OR REPLACE TRIGGER {{trigger_insert}} AFTER INSERT ON {{table}} FOR EACH ROW
    INSERT INTO {{log}} ({{key_list}}) VALUES ({{new_keys}})
/
-- An UPDATE that changes the primary key logs the old key too, so every slave deletes the old row.
CREATE OR REPLACE TRIGGER {{trigger_update}} AFTER UPDATE ON {{table}} FOR EACH ROW
BEGIN
    IF NOT ({{keys_unchanged}}) THEN
        INSERT INTO {{log}} ({{key_list}}) VALUES ({{old_keys}});
    END IF;
    INSERT INTO {{log}} ({{key_list}}) VALUES ({{new_keys}});
END
/
CREATE OR REPLACE TRIGGER {{trigger_delete}} AFTER DELETE ON {{table}} FOR EACH ROW
    INSERT INTO {{log}} ({{key_list}}) VALUES ({{old_keys}})
/
INSERT INTO {{tables}} (source_schema, source_table, log_table, mode, columns)
VALUES ({{source_schema_literal}}, {{source_table_literal}}, {{log_literal}}, 'log', {{columns_literal}})
ON DUPLICATE KEY UPDATE log_table = VALUES(log_table), mode = VALUES(mode), columns = VALUES(columns)
