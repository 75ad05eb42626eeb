-- Snapshot mode on a MariaDB slave: empty the twin the view does not read. TRUNCATE commits implicitly, so repl runs it
-- alone, before the transaction that loads the master's rows into the twin (LOAD DATA LOCAL through MySqlBulkCopy).
-- TRUNCATE, not DELETE: a DELETE of every row costs about as much as the load. If repl dies after it, only the twin no
-- reader uses is empty; the next run loads it again. A REPEATABLE READ reader whose read view predates the TRUNCATE and
-- who first reads the view after the flip gets "Table definition has changed, please retry transaction" (an error to
-- retry on, never wrong rows). TRUNCATE waits for sessions that still read this twin (transactions opened before the
-- last flip); it gives up after the command timeout, and the view stays as it was.
TRUNCATE TABLE {{twin}}
