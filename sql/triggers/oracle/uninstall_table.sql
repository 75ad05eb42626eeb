-- Removes what capture.sql created for one table. The table and its data are never touched.
-- Each DROP runs inside a PL/SQL block that ignores "does not exist", so uninstall can run again.
DROP TRIGGER {{trigger}}
/
-- PURGE: the log holds nothing but keys; it need not wait in the recycle bin. Its index goes with it.
DROP TABLE {{log}} PURGE
/
DELETE FROM {{tables}} WHERE SOURCE_SCHEMA = {{source_schema_literal}} AND SOURCE_TABLE = {{source_table_literal}}
