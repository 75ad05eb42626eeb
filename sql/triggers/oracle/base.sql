-- repl master objects shared by every replicated table (Oracle), in the schema repl connects to.
-- Statements are separated by a line holding only "/", as in SQL*Plus; {{...}} slots are filled by repl with quoted
-- identifiers and literals. repl sends each statement alone through ADO.NET: plain SQL without a trailing semicolon,
-- PL/SQL blocks ending in "END;".
-- Oracle has no CREATE TABLE IF NOT EXISTS before 23ai. repl therefore sends every CREATE TABLE and CREATE INDEX of
-- these templates inside a PL/SQL block that ignores ORA-00955 (name is already used by an existing object), and
-- every DROP inside one that ignores "does not exist" (ORA-00942, ORA-04080, ORA-04043), so init and uninstall can
-- run again. Catching the error, rather than looking in USER_TABLES first, leaves no window between the look and the
-- CREATE, and covers objects created under another session's CURRENT_SCHEMA.
-- Unquoted column names: Oracle stores them upper-case, as a DBA types them.
-- The node registry: every slave repl feeds. purge keeps a log row until every node here has processed it.
CREATE TABLE {{nodes}} (
    NAME          VARCHAR2(128 CHAR)       NOT NULL,
    PROVIDER      VARCHAR2(32 CHAR)        NOT NULL,
    REGISTERED_AT TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
    LOADED_AT     TIMESTAMP WITH TIME ZONE,
    LAST_CYCLE_AT TIMESTAMP WITH TIME ZONE,
    CONSTRAINT {{nodes_pk}} PRIMARY KEY (NAME)
)
/
-- The table registry: what init instrumented, and the column signature used to detect schema drift.
-- COLUMNS is a CLOB because a wide table's signature outgrows VARCHAR2's 4000 bytes.
-- REPLICATION_MODE, not MODE: MODE is a reserved word in Oracle.
CREATE TABLE {{tables}} (
    SOURCE_SCHEMA    VARCHAR2(128 CHAR)       NOT NULL,
    SOURCE_TABLE     VARCHAR2(128 CHAR)       NOT NULL,
    LOG_TABLE        VARCHAR2(257 CHAR),
    REPLICATION_MODE VARCHAR2(16 CHAR)        NOT NULL,
    COLUMNS          CLOB                     NOT NULL,
    INSTALLED_AT     TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
    CONSTRAINT {{tables_pk}} PRIMARY KEY (SOURCE_SCHEMA, SOURCE_TABLE)
)
