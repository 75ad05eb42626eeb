-- Removes the registries.
DROP TABLE IF EXISTS {{tables}}
/
DROP TABLE IF EXISTS {{nodes}}
