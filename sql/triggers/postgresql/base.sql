-- repl master objects shared by every replicated table (PostgreSQL).
-- Statements are separated by a line holding only "/"; {{...}} slots are filled by repl with quoted identifiers.
-- The node registry: every slave repl feeds. purge keeps a log row until every node here has processed it.
CREATE SCHEMA IF NOT EXISTS {{schema}}
/
CREATE TABLE IF NOT EXISTS {{schema}}.nodes (
    name          text        PRIMARY KEY,
    provider      text        NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now(),
    loaded_at     timestamptz,
    last_cycle_at timestamptz
)
/
-- The table registry: what init instrumented, and the column signature used to detect schema drift.
CREATE TABLE IF NOT EXISTS {{schema}}.tables (
    source_schema text        NOT NULL,
    source_table  text        NOT NULL,
    log_table     text,
    mode          text        NOT NULL,
    columns       text        NOT NULL,
    installed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_schema, source_table)
)
