-- Snapshot mode on a MariaDB slave: empty the twin the view does not read, in the transaction that then loads the
-- master's rows into it (LOAD DATA LOCAL through MySqlBulkCopy) and commits.
-- DELETE, not TRUNCATE: TRUNCATE commits implicitly, and a reader whose read view predates it would get "table
-- definition has changed" instead of the twin's previous contents.
DELETE FROM {{twin}}
