-- Apply routine for one replicated table on a MariaDB slave.
-- repl bulk-loads each batch of changed rows into the session's staging table (apply_stage.sql), then calls
-- this procedure once per batch: every staged key is deleted, then the rows that still exist on the master
-- are inserted. INSERT ... ON DUPLICATE KEY UPDATE would fire on ANY unique key and overwrite the wrong row
-- during a unique-value swap; deleting the touched keys first cannot.
CREATE OR REPLACE PROCEDURE {{procedure}}()
MODIFIES SQL DATA
BEGIN
    DELETE t FROM {{target}} t JOIN {{stage}} s ON {{key_join}};
    INSERT INTO {{target}} ({{column_list}})
        SELECT {{column_list}} FROM {{stage}} WHERE repl_present;
    DELETE FROM {{stage}};
END
