\echo Use "CREATE EXTENSION repl_capture" to load this file. \quit
CREATE FUNCTION repl_capture() RETURNS trigger LANGUAGE c AS 'MODULE_PATHNAME', 'repl_capture';
REVOKE EXECUTE ON FUNCTION repl_capture() FROM PUBLIC;
