-- Removes the apply routine of one table from a MariaDB slave; the slave table and its data stay.
DROP PROCEDURE IF EXISTS {{procedure}}
