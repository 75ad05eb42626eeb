-- Removes one node: its processed table goes, so purge no longer waits for it.
DROP TABLE IF EXISTS {{processed}}
/
DELETE FROM {{nodes}} WHERE name = {{node_literal}}
