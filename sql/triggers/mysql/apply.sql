-- Apply routine for one replicated table on a MariaDB slave.
-- repl bulk-loads each batch of changed rows into the session's staging table (apply_stage.sql), then calls
-- this procedure once per batch: every staged key is deleted, then the rows that still exist on the master
-- are inserted. INSERT ... ON DUPLICATE KEY UPDATE would fire on ANY unique key and overwrite the wrong row
-- during a unique-value swap; deleting the touched keys first cannot.
-- Rows holding a UNIQUE value that a staged row takes are deleted too (one DELETE per unique key; none when the
-- table has none). MariaDB checks unique keys per statement, not at commit, and the two rows of a swap or of a
-- primary-key change may arrive in different batches of one cycle. Such a row changed on the master since the
-- slave last applied it, so its own key is in the same cycle and it is written back before the cycle commits.
-- STRAIGHT_JOIN reads the small stage first and finds each row through the table's index; the stage is a
-- temporary table without statistics, and left to itself the optimizer may scan the whole table instead.
-- The stage is emptied with DELETE, not TRUNCATE, which would commit the slave transaction.
CREATE OR REPLACE PROCEDURE {{procedure}}()
MODIFIES SQL DATA
BEGIN
    DELETE t FROM {{stage}} s STRAIGHT_JOIN {{target}} t ON {{key_join}};
{{unique_deletes}}
    INSERT INTO {{target}} ({{column_list}})
        SELECT {{column_list}} FROM {{stage}} WHERE repl_present;
    DELETE FROM {{stage}};
END
