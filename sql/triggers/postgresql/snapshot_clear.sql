-- Snapshot mode on a PostgreSQL slave: empty the twin the view does not read, in the transaction that then COPYs the
-- master's rows into it (COPY ... FREEZE) and flips the view (snapshot_flip.sql).
-- TRUNCATE, not DELETE: a DELETE of every row costs about as much as the load and leaves as many dead rows and index
-- entries behind. TRUNCATE is not MVCC-safe, which the FREEZE of the load answers: the rows it writes are visible to
-- every snapshot, so a REPEATABLE READ reader whose snapshot predates this transaction and who first reads the view
-- after the flip sees the new contents, not an empty table. TRUNCATE waits for sessions that still read this twin
-- (transactions opened before the last flip); it gives up after the command timeout, and the view stays as it was.
TRUNCATE {{twin}}
