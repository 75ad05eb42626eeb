-- One slave node: the transactions it has applied. Replay inserts a node's txids here in the same master
-- transaction that read their changes, so "processed" can never run ahead of what the slave committed.
-- repl purge deletes its rows once no log refers to them; autovacuum reclaims them every 10,000 dead rows.
CREATE TABLE IF NOT EXISTS {{processed}} (
    txid       xid8        PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000)
/
INSERT INTO {{schema}}.nodes (name, provider) VALUES ({{node_literal}}, {{provider_literal}})
ON CONFLICT (name) DO NOTHING
