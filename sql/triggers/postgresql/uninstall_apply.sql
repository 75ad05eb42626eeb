-- Removes the apply routine of one table from a PostgreSQL slave; the slave table and its data stay.
DROP FUNCTION IF EXISTS {{function}}()
