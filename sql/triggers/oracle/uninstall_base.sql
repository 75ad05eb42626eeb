-- Removes the registries (run after every table and node is uninstalled).
DROP TABLE {{tables}} PURGE
/
DROP TABLE {{nodes}} PURGE
