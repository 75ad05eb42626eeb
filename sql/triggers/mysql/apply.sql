-- Apply routine for one replicated table on a MariaDB slave.
-- repl bulk-loads each batch of changed rows into the session's staging table (apply_stage.sql), then calls
-- this procedure once per batch. In order:
--   1. keys gone from the master are deleted;
--   2. rows holding a UNIQUE value that a staged row of ANOTHER key takes are deleted (one DELETE per unique
--      key; none when the table has none). MariaDB checks unique keys per row, not at commit, and the two rows
--      of a swap or of a primary-key change may arrive in different batches of one cycle. Such a row changed on
--      the master since the slave last applied it, so its own key is in the same cycle and it is written back
--      before the cycle commits;
--   3. every staged row still on the master is inserted, or, where the table holds its key, written over that
--      row in place. After step 2 the only duplicate a staged row can meet is its own key: no other row holds
--      any of its unique values, and the staged rows' unique values differ from each other (one master snapshot).
--      So ON DUPLICATE KEY UPDATE can only overwrite the right row. Without step 2 it would fire on whichever
--      unique key collided first and overwrite the wrong row during a unique-value swap.
--      One statement instead of an UPDATE ... JOIN of the kept keys and an INSERT of the new ones: a batch of
--      110,000 rows (95,000 kept keys, 10,000 new, 5,000 gone) into a 1,000,000-row table took 1.1 s for steps
--      1-3 this way, 2.8 s with that pair and 2.3 s deleting and re-inserting every staged key; a row written over
--      in place keeps its secondary index entries when their values did not change.
-- STRAIGHT_JOIN reads the small stage first and finds each row through the table's index; the stage is a
-- temporary table without statistics, and left to itself the optimizer may scan the whole table instead.
-- The stage is emptied with DELETE, not TRUNCATE, which would commit the slave transaction.
CREATE OR REPLACE PROCEDURE {{procedure}}()
MODIFIES SQL DATA
BEGIN
    DELETE t FROM {{stage}} s STRAIGHT_JOIN {{target}} t ON {{key_join}} WHERE NOT s.repl_present;
{{unique_deletes}}
    INSERT INTO {{target}} ({{column_list}})
        SELECT {{column_list}} FROM {{stage}} WHERE repl_present
        ON DUPLICATE KEY UPDATE {{update_list}};
    DELETE FROM {{stage}};
END
