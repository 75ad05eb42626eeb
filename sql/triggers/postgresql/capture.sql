-- Change capture for one table (PostgreSQL).
-- The log keeps only the primary key of each changed row and the id of the transaction that changed it;
-- replay reads the master's CURRENT row for those keys.
-- Row-level triggers: under a TPC-B workload (bench capture) they cost less server CPU per transaction than
-- statement-level triggers with transition tables, which build a tuplestore and run an INSERT ... SELECT even for
-- one row.
-- repl purge deletes rows in batches; autovacuum reclaims them once 10,000 are dead whatever the log's size (the default,
-- 20 % of the table, would let a log that once held a large backlog bloat by millions of dead rows).
CREATE TABLE IF NOT EXISTS {{log}} (
    txid      xid8        NOT NULL DEFAULT pg_current_xact_id(),
{{key_columns}},
    logged_at timestamptz NOT NULL DEFAULT clock_timestamp()
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000)
/
-- No index on txid. Every reader of the log scans it whole anyway (replay, status and purge all ask "which rows'
-- txids are not / are in a processed table", a hash anti-join or semi-join over the log), and a b-tree on an
-- ever-growing transaction id makes every writer insert into the same right-most leaf page: under pgbench's TPC-B
-- load that index alone cost about a tenth of the master's throughput (bench capture). Logs stay small because repl
-- purge empties them. A log created by an older repl keeps its index until capture is installed again for the table
-- (repl init after a column was added, or uninstall + init): it costs throughput there, never correctness.
DROP INDEX IF EXISTS {{log_index}}
/
-- SECURITY DEFINER: applications that write the table need no privilege on the repl schema.
-- No SET search_path (it costs a configuration save and restore on every row): the bodies name every relation with
-- its schema and call no function or operator by name except pg_catalog's, and the one comparison (has the key
-- changed?) is the trigger's WHEN clause, bound when the trigger is created. No session's search_path can redirect them.
-- The NOTIFY that wakes replay services is sent by one transaction at a time (see PostgreSqlCapture.NotifyGateKey):
-- NOTIFY holds a database-wide lock across its transaction's commit, which would make every writer commit in turn.
CREATE OR REPLACE FUNCTION {{function_new}}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $repl$
BEGIN
    INSERT INTO {{log}} ({{key_list}}) VALUES ({{new_keys}});{{notify}}
    RETURN NULL;
END
$repl$
/
CREATE OR REPLACE FUNCTION {{function_old}}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $repl$
BEGIN
    INSERT INTO {{log}} ({{key_list}}) VALUES ({{old_keys}});{{notify}}
    RETURN NULL;
END
$repl$
/
-- TRUNCATE fires no row triggers: log every key before the rows go, so slaves delete them too.
CREATE OR REPLACE FUNCTION {{function_truncate}}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $repl$
BEGIN
    INSERT INTO {{log}} ({{key_list}}) SELECT {{key_list}} FROM {{table}};{{notify}}
    RETURN NULL;
END
$repl$
/
-- The row triggers call the two functions above, or, when the master database has the repl_capture extension
-- (ext/postgresql), its C function repl_capture(log, 'new' | 'old', NOTIFY channel), which does the same work for a
-- fraction of the master's CPU (bench capture: TPS -21 % with these functions, -4 % with it). The PL/pgSQL functions
-- are created either way, so a DBA can read what the C function does, and repl init can point the triggers back at
-- them when the extension is dropped.
CREATE OR REPLACE TRIGGER {{trigger_insert}} AFTER INSERT ON {{table}}
    FOR EACH ROW EXECUTE FUNCTION {{call_new}}
/
CREATE OR REPLACE TRIGGER {{trigger_update}} AFTER UPDATE ON {{table}}
    FOR EACH ROW EXECUTE FUNCTION {{call_new}}
/
-- An UPDATE that changes the primary key logs the old key as well: every slave must delete the old row.
CREATE OR REPLACE TRIGGER {{trigger_key_change}} AFTER UPDATE ON {{table}}
    FOR EACH ROW WHEN ({{key_changed}}) EXECUTE FUNCTION {{call_old}}
/
CREATE OR REPLACE TRIGGER {{trigger_delete}} AFTER DELETE ON {{table}}
    FOR EACH ROW EXECUTE FUNCTION {{call_old}}
/
CREATE OR REPLACE TRIGGER {{trigger_truncate}} BEFORE TRUNCATE ON {{table}}
    FOR EACH STATEMENT EXECUTE FUNCTION {{function_truncate}}()
/
INSERT INTO {{schema}}.tables (source_schema, source_table, log_table, mode, columns)
VALUES ({{source_schema_literal}}, {{source_table_literal}}, {{log_literal}}, 'log', {{columns_literal}})
ON CONFLICT (source_schema, source_table) DO UPDATE
    SET log_table = EXCLUDED.log_table, mode = EXCLUDED.mode, columns = EXCLUDED.columns
