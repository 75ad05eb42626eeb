-- Removes what capture.sql created for one table. The table and its data are never touched.
DROP TRIGGER IF EXISTS {{trigger_insert}} ON {{table}}
/
DROP TRIGGER IF EXISTS {{trigger_update}} ON {{table}}
/
DROP TRIGGER IF EXISTS {{trigger_key_change}} ON {{table}}
/
DROP TRIGGER IF EXISTS {{trigger_delete}} ON {{table}}
/
DROP TRIGGER IF EXISTS {{trigger_truncate}} ON {{table}}
/
DROP FUNCTION IF EXISTS {{function_new}}()
/
DROP FUNCTION IF EXISTS {{function_old}}()
/
DROP FUNCTION IF EXISTS {{function_truncate}}()
/
DROP TABLE IF EXISTS {{log}}
/
DELETE FROM {{schema}}.tables WHERE source_schema = {{source_schema_literal}} AND source_table = {{source_table_literal}}
