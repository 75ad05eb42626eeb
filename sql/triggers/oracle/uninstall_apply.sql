-- Removes the apply routine and the stage of one table from an Oracle slave; the slave table and its data stay.
-- Each DROP runs inside a PL/SQL block that ignores "does not exist", so uninstall can run again.
DROP PROCEDURE {{procedure}}
/
DROP TABLE {{stage}}
