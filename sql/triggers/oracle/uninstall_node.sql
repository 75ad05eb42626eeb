-- Removes one node: its processed table goes, so purge no longer waits for it.
DROP TABLE {{processed}} PURGE
/
DELETE FROM {{nodes}} WHERE NAME = {{node_literal}}
