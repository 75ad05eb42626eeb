-- Removes what capture.sql created for one table. The table and its data are never touched.
DROP TRIGGER IF EXISTS {{trigger_insert}}
/
DROP TRIGGER IF EXISTS {{trigger_update}}
/
DROP TRIGGER IF EXISTS {{trigger_delete}}
/
DROP TABLE IF EXISTS {{log}}
/
DELETE FROM {{tables}} WHERE source_schema = {{source_schema_literal}} AND source_table = {{source_table_literal}}
