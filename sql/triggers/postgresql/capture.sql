-- Change capture for one table (PostgreSQL).
-- The log keeps only the primary key of each changed row and the id of the transaction that changed it;
-- replay reads the master's CURRENT row for those keys. Statement-level triggers with transition tables
-- write one INSERT ... SELECT per statement instead of one per row: measured cheaper under pgbench.
-- repl purge deletes rows in batches; autovacuum reclaims them once 10,000 are dead whatever the log's size (the default,
-- 20 % of the table, would let a log that once held a large backlog bloat by millions of dead rows).
CREATE TABLE IF NOT EXISTS {{log}} (
    txid      xid8        NOT NULL DEFAULT pg_current_xact_id(),
{{key_columns}},
    logged_at timestamptz NOT NULL DEFAULT clock_timestamp()
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000)
/
CREATE INDEX IF NOT EXISTS {{log_index}} ON {{log}} (txid)
/
-- SECURITY DEFINER: applications that write the table need no privilege on the repl schema.
CREATE OR REPLACE FUNCTION {{function}}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $repl$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {{log}} ({{key_list}}) SELECT {{key_list}} FROM repl_new;
    ELSIF TG_OP = 'UPDATE' THEN
        -- Old and new keys: an UPDATE that changes the primary key must delete the old row on every slave.
        INSERT INTO {{log}} ({{key_list}})
            SELECT {{key_list}} FROM repl_old
            UNION
            SELECT {{key_list}} FROM repl_new;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {{log}} ({{key_list}}) SELECT {{key_list}} FROM repl_old;
    ELSE
        -- TRUNCATE fires no row triggers: log every key before the rows go, so slaves delete them too.
        INSERT INTO {{log}} ({{key_list}}) SELECT {{key_list}} FROM {{table}};
    END IF;{{notify}}
    RETURN NULL;
END
$repl$
/
CREATE OR REPLACE TRIGGER {{trigger_insert}} AFTER INSERT ON {{table}}
    REFERENCING NEW TABLE AS repl_new FOR EACH STATEMENT EXECUTE FUNCTION {{function}}()
/
CREATE OR REPLACE TRIGGER {{trigger_update}} AFTER UPDATE ON {{table}}
    REFERENCING OLD TABLE AS repl_old NEW TABLE AS repl_new FOR EACH STATEMENT EXECUTE FUNCTION {{function}}()
/
CREATE OR REPLACE TRIGGER {{trigger_delete}} AFTER DELETE ON {{table}}
    REFERENCING OLD TABLE AS repl_old FOR EACH STATEMENT EXECUTE FUNCTION {{function}}()
/
CREATE OR REPLACE TRIGGER {{trigger_truncate}} BEFORE TRUNCATE ON {{table}}
    FOR EACH STATEMENT EXECUTE FUNCTION {{function}}()
/
INSERT INTO {{schema}}.tables (source_schema, source_table, log_table, mode, columns)
VALUES ({{source_schema_literal}}, {{source_table_literal}}, {{log_literal}}, 'log', {{columns_literal}})
ON CONFLICT (source_schema, source_table) DO UPDATE
    SET log_table = EXCLUDED.log_table, mode = EXCLUDED.mode, columns = EXCLUDED.columns
