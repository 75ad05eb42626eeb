-- The session's staging table for one replicated table: every column nullable (a deleted key carries only
-- its key), plus repl_present = 0 for keys whose row is gone from the master. TEMPORARY: no implicit commit.
CREATE TEMPORARY TABLE IF NOT EXISTS {{stage}} (
{{stage_columns}},
    repl_present BOOLEAN NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
