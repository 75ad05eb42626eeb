-- Apply routine for one replicated table on a PostgreSQL slave.
-- repl COPYs each batch of changed rows into the session's staging table (apply_stage.sql), then calls this
-- function once per batch: every staged key is deleted, then the rows that still exist on the master are
-- inserted. Deleting first is what makes unique-value swaps, primary-key changes and delete + re-insert of a
-- key inside one master transaction safe; the unique constraints are DEFERRABLE INITIALLY DEFERRED as well.
CREATE SCHEMA IF NOT EXISTS {{schema}}
/
CREATE OR REPLACE FUNCTION {{function}}() RETURNS bigint
LANGUAGE plpgsql AS $repl$
DECLARE
    applied bigint;
BEGIN
    DELETE FROM {{target}} t USING pg_temp.{{stage}} s WHERE {{key_join}};
    INSERT INTO {{target}} ({{column_list}})
        SELECT {{column_list}} FROM pg_temp.{{stage}} WHERE repl_present;
    GET DIAGNOSTICS applied = ROW_COUNT;
    TRUNCATE pg_temp.{{stage}};
    RETURN applied;
END
$repl$
