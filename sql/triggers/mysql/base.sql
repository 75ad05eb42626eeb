-- repl master objects shared by every replicated table (MariaDB), in the master's own database.
-- Statements are separated by a line holding only "/"; {{...}} slots are filled by repl with quoted identifiers.
-- The node registry: every slave repl feeds. purge keeps a log row until every node here has processed it.
CREATE TABLE IF NOT EXISTS {{nodes}} (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    provider      VARCHAR(32)  NOT NULL,
    registered_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    loaded_at     DATETIME(6)  NULL,
    last_cycle_at DATETIME(6)  NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
/
-- The table registry: what init instrumented, and the column signature used to detect schema drift.
CREATE TABLE IF NOT EXISTS {{tables}} (
    source_schema VARCHAR(64)  NOT NULL,
    source_table  VARCHAR(64)  NOT NULL,
    log_table     VARCHAR(64)  NULL,
    mode          VARCHAR(16)  NOT NULL,
    columns       LONGTEXT     NOT NULL,
    installed_at  DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (source_schema, source_table)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
