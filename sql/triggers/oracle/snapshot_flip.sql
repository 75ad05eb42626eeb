-- Snapshot mode on an Oracle slave: the flip. CREATE VIEW is DDL and commits, so repl commits the load of the twin
-- first and runs this last, alone: readers switch from the old twin to the new one at once. If repl dies between the
-- two, the view still reads the old twin, and the next run loads the other twin again.
-- CREATE OR REPLACE keeps the grants on the view. repl finds the live twin in ALL_DEPENDENCIES.
CREATE OR REPLACE VIEW {{view}} AS SELECT {{columns}} FROM {{twin}}
