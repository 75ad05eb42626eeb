-- Removes the registries and the repl schema; RESTRICT refuses while anything else still lives in it.
DROP TABLE IF EXISTS {{schema}}.tables
/
DROP TABLE IF EXISTS {{schema}}.nodes
/
DROP SCHEMA IF EXISTS {{schema}} RESTRICT
