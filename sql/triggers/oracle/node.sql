-- One slave node: the transactions it has applied. Replay inserts a node's txids here in the same master
-- transaction that read their changes, so "processed" can never run ahead of what the slave committed.
-- INITRANS 3: replay writes this table inside a SERIALIZABLE transaction, and Oracle keeps in each block the recent
-- history it needs to tell whether a row changed after that transaction began; with less room it can fail the
-- transaction with ORA-08177 for no real conflict (Oracle asks for INITRANS 3 or more on such tables).
CREATE TABLE {{processed}} (
    TXID       VARCHAR2(64)             NOT NULL,
    APPLIED_AT TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
    CONSTRAINT {{processed_pk}} PRIMARY KEY (TXID)
) INITRANS 3
/
MERGE INTO {{nodes}} n
USING (SELECT {{node_literal}} AS NAME, {{provider_literal}} AS PROVIDER FROM DUAL) s
ON (n.NAME = s.NAME)
WHEN NOT MATCHED THEN INSERT (NAME, PROVIDER) VALUES (s.NAME, s.PROVIDER)
