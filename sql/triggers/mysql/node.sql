-- One slave node: the transactions it has applied. Replay inserts a node's txids here in the same master
-- transaction that read their changes, so "processed" can never run ahead of what the slave committed.
CREATE TABLE IF NOT EXISTS {{processed}} (
    txid       BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    applied_at DATETIME(6)     NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB
/
INSERT IGNORE INTO {{nodes}} (name, provider) VALUES ({{node_literal}}, {{provider_literal}})
