-- One slave node: the transactions it has applied. Replay inserts a node's txids here in the same master
-- transaction that read their changes, so "processed" can never run ahead of what the slave committed.
CREATE TABLE IF NOT EXISTS {{processed}} (
    txid       xid8        PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)
/
INSERT INTO {{schema}}.nodes (name, provider) VALUES ({{node_literal}}, {{provider_literal}})
ON CONFLICT (name) DO NOTHING
