-- Apply routine for one replicated table on a PostgreSQL slave.
-- repl COPYs each batch of changed rows into the session's staging table (apply_stage.sql), then calls this
-- function once per batch: every staged key is deleted, then the rows that still exist on the master are
-- inserted. Deleting first is what makes unique-value swaps, primary-key changes and delete + re-insert of a
-- key inside one master transaction safe; the other unique constraints are DEFERRABLE INITIALLY DEFERRED as
-- well, for a swap whose two rows land in different batches. Returns the number of rows inserted.
CREATE SCHEMA IF NOT EXISTS {{schema}}
/
-- The stage is always named through pg_temp, so a permanent table of the same name is never read instead.
-- The function runs with the caller's search_path, as the slave table was created with it.
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
