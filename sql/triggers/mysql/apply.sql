-- Apply routine for one replicated table on a MariaDB slave.
-- repl bulk-loads each batch of changed rows into the session's staging table (apply_stage.sql), then calls
-- this procedure once per batch. In order:
--   1. keys gone from the master are deleted;
--   2. rows holding a UNIQUE value that a staged row of ANOTHER key takes are deleted (one DELETE per unique
--      key; none when the table has none). MariaDB checks unique keys per row, not at commit, and the two rows
--      of a swap or of a primary-key change may arrive in different batches of one cycle. Such a row changed on
--      the master since the slave last applied it, so its own key is in the same cycle and it is written back
--      before the cycle commits;
--   3. staged rows whose key the table holds update that row in place (every column but the key), and are
--      marked done in the stage: an update in place leaves the secondary indexes alone, where a delete and an
--      insert would rewrite every one of them;
--   4. the staged rows not done yet are inserted.
-- INSERT ... ON DUPLICATE KEY UPDATE would fire on ANY unique key and overwrite the wrong row during a
-- unique-value swap; step 2 clears the way instead.
-- STRAIGHT_JOIN reads the small stage first and finds each row through the table's index; the stage is a
-- temporary table without statistics, and left to itself the optimizer may scan the whole table instead.
-- The stage is emptied with DELETE, not TRUNCATE, which would commit the slave transaction.
CREATE OR REPLACE PROCEDURE {{procedure}}()
MODIFIES SQL DATA
BEGIN
    DELETE t FROM {{stage}} s STRAIGHT_JOIN {{target}} t ON {{key_join}} WHERE NOT s.repl_present;
{{unique_deletes}}
    UPDATE {{stage}} s STRAIGHT_JOIN {{target}} t ON {{key_join}}
       SET {{update_list}}s.repl_present = FALSE
     WHERE s.repl_present;
    INSERT INTO {{target}} ({{column_list}})
        SELECT {{column_list}} FROM {{stage}} WHERE repl_present;
    DELETE FROM {{stage}};
END
