-- Apply routine for one replicated table on a PostgreSQL slave.
-- repl COPYs each batch of changed rows into the session's staging table (apply_stage.sql), then calls this
-- function once per batch: keys whose row is gone from the master are deleted, rows the slave has are overwritten in
-- place, the others inserted. Every unique constraint but the key is DEFERRABLE INITIALLY DEFERRED on the slave, so
-- rows that swap unique values (in one batch or across two) are checked at commit, when they are consistent again; a
-- changed primary key arrives as its old key (gone: deleted) and its new key (inserted). Overwriting in place writes
-- each row once, where delete-then-insert wrote a dead version and a new row. Returns the rows written.
CREATE SCHEMA IF NOT EXISTS {{schema}}
/
-- The stage is always named through pg_temp, so a permanent table of the same name is never read instead.
-- The function runs with the caller's search_path, as the slave table was created with it.
CREATE OR REPLACE FUNCTION {{function}}() RETURNS bigint
LANGUAGE plpgsql AS $repl$
-- A column may share a variable's name: in the statements below, names are always the table's columns.
#variable_conflict use_column
DECLARE
    repl_updated bigint := 0;
    repl_inserted bigint;
BEGIN
    DELETE FROM {{target}} t USING pg_temp.{{stage}} s WHERE {{key_join}} AND NOT s.repl_present;
{{update}}
    INSERT INTO {{target}} ({{column_list}})
        SELECT {{column_list}} FROM pg_temp.{{stage}} s
        WHERE s.repl_present AND NOT EXISTS (SELECT 1 FROM {{target}} t WHERE {{key_join}});
    GET DIAGNOSTICS repl_inserted = ROW_COUNT;
    TRUNCATE pg_temp.{{stage}};
    RETURN repl_updated + repl_inserted;
END
$repl$
