-- Snapshot mode on a MariaDB slave: the flip. CREATE VIEW commits implicitly, so repl commits the load of the twin
-- first and runs this last, alone: readers switch from the old twin to the new one at once. If repl dies between the
-- two, the view still reads the old twin, and the next run loads the other twin again.
-- repl finds the live twin from the end of the view's definition (information_schema.VIEWS): "from `db`.`twin`".
-- CREATE OR REPLACE keeps the grants on the view.
CREATE OR REPLACE ALGORITHM = MERGE VIEW {{view}} AS SELECT {{columns}} FROM {{twin}}
